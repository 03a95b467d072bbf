"""The archive through time: timeline pages, a per-month bar chart, and date order.

The timeline is generated Markdown, kept out of the navigation, so its cost grows
with the number of articles only on the timeline pages themselves.  Past a size,
each year gets its own page and the index keeps only the chart and year counts.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from typing import Iterable

from .mdtext import md_escape_inline
from .metadata import article_path, rel
from .model import Article

PER_YEAR_PAGES_ABOVE = 300  # articles; beyond this each year gets its own page


def date_order(articles: Iterable[Article]) -> list[Article]:
    """Dated articles oldest first (ties: source page, then reading order); undated last."""
    return sorted(articles, key=lambda a: (a.date is None, a.date or _dt.date.min, a.source, a.index))


def neighbours(articles: list[Article]) -> dict[str, tuple[Article | None, Article | None]]:
    """slug → (previous, next) in date order; undated articles are not chained."""
    ordered = [a for a in date_order(articles) if a.date is not None]
    result: dict[str, tuple[Article | None, Article | None]] = {a.slug: (None, None) for a in articles}
    for i, art in enumerate(ordered):
        result[art.slug] = (ordered[i - 1] if i else None, ordered[i + 1] if i + 1 < len(ordered) else None)
    return result


def _months(first: _dt.date, last: _dt.date) -> list[tuple[int, int]]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_chart(articles: list[Article], link_year: bool = False) -> str:
    """An inline SVG bar chart of articles per month: no script, works offline."""
    dated = [a.date for a in articles if a.date]
    if not dated:
        return ""
    counts = Counter((d.year, d.month) for d in dated)
    months = _months(min(dated), max(dated))
    peak = max(counts.values())
    bar, gap, height, top, bottom = 10, 2, 80, 14, 16
    width = len(months) * (bar + gap) + 20
    parts = [f'<svg class="timeline-chart" role="img" viewBox="0 0 {width} {top + height + bottom}" '
             f'width="{width}" height="{top + height + bottom}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>每月文章数（{months[0][0]}年{months[0][1]}月—{months[-1][0]}年{months[-1][1]}月，最多 {peak} 篇）</title>"]
    for i, (y, m) in enumerate(months):
        n = counts.get((y, m), 0)
        h = round(height * n / peak) if n else 0
        x = 10 + i * (bar + gap)
        parts.append(f'<rect x="{x}" y="{top + height - h}" width="{bar}" height="{max(h, 1) if n else 0}">'
                     f"<title>{y}年{m}月：{n} 篇</title></rect>")
        if m == 1 or i == 0:
            parts.append(f'<text x="{x}" y="{top + height + bottom - 3}" font-size="10">{y}</text>')
    parts.append("</svg>")
    return '<div class="timeline-chart-box">\n' + "".join(parts) + "\n</div>"


def _entry(art: Article, from_doc: str) -> str:
    extras = [md_escape_inline(art.column)] if art.column else []
    if art.places:
        extras.append("、".join(md_escape_inline(p.rsplit("/", 1)[-1]) for p in art.places[:5]))
    tail = (" · " + " · ".join(extras)) if extras else ""
    return f"- [{md_escape_inline(art.title or '（无标题）')}]({rel(from_doc, article_path(art))}){tail}"


def _year_body(year_articles: list[Article], from_doc: str, heading: str) -> list[str]:
    lines: list[str] = []
    by_month: dict[int, list[Article]] = defaultdict(list)
    for art in year_articles:
        by_month[art.date.month].append(art)  # type: ignore[union-attr]
    for month in sorted(by_month):
        arts = by_month[month]
        lines += ["", f"{heading} {month}月（{len(arts)} 篇）", ""]
        current_day = None
        for art in arts:
            if art.date != current_day:
                current_day = art.date
                lines += ["", f"**{art.date.month}月{art.date.day}日**", ""]  # type: ignore[union-attr]
            lines.append(_entry(art, from_doc))
    return lines


def timeline_pages(articles: list[Article], per_year_above: int = PER_YEAR_PAGES_ABOVE) -> dict[str, str]:
    """docs-relative path → Markdown for the timeline index and, if large, one page per year."""
    ordered = date_order(articles)
    dated = [a for a in ordered if a.date]
    undated = [a for a in ordered if not a.date]
    years: dict[int, list[Article]] = defaultdict(list)
    for art in dated:
        years[art.date.year].append(art)  # type: ignore[union-attr]
    split = len(dated) > per_year_above
    index = "timeline/index.md"
    lines = ["---", "title: 时间线", "---", "", "# 时间线", "",
             f"按日期浏览全部 {len(articles)} 篇文章" + (f"（{len(undated)} 篇日期不详）" if undated else "") + "。"
             "日期多为推断值，依据见各版面页。", "", month_chart(dated), "", "| 年份 | 文章数 |", "| --- | --- |"]
    for year in sorted(years):
        target = f"[{year}年]({rel(index, f'timeline/{year}.md')})" if split else f"[{year}年](#y{year})"
        lines.append(f"| {target} | {len(years[year])} |")
    pages: dict[str, str] = {}
    for year in sorted(years):
        if split:
            doc = f"timeline/{year}.md"
            body = ["---", f"title: {year}年", "---", "", f"# {year}年（{len(years[year])} 篇）", "",
                    month_chart(years[year]), "", f"[← 时间线]({rel(doc, index)})"]
            body += _year_body(years[year], doc, "##")
            pages[doc] = "\n".join(body) + "\n"
        else:
            lines += ["", f"## {year}年（{len(years[year])} 篇） {{#y{year}}}"]
            lines += _year_body(years[year], index, "###")
    if undated:
        lines += ["", "## 日期不详", ""] + [_entry(a, index) for a in undated]
    pages[index] = "\n".join(lines) + "\n"
    return pages
