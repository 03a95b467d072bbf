"""The archive through time: timeline pages, a per-month bar chart, and date order.

Pure functions of a list of :class:`~generator.model.Article`: they return Markdown
text and never touch the disk.  The timeline is kept out of the navigation and lists
the articles newest first; past one page (``paging.PER_PAGE`` articles), each year
gets its own page, paginated from its oldest article (``paging``), and the index
keeps only the chart and the counts, so no page grows without bound and a new
article changes only the first page of its year (and the index).

Date order for previous/next is ``(date, source, index)``: oldest first, then the
source page's file name, then reading order on that page.  Lists are newest day
first, a day in page and reading order.  Undated articles come last and are not
chained by previous/next.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from typing import Callable, Iterable

from ..model import Article
from .mdtext import front_matter_block, md_escape_inline
from .metadata import article_path, rel
from .paging import PER_PAGE, Page, counts, md_size, page_list, pager, paginate

INDEX = "timeline/index.md"

UrlOf = Callable[[Article], str]  # article → docs-relative path of its page (e.g. articles/2020/11/x.md)


def _key(a: Article) -> tuple[bool, _dt.date, str, int]:
    return (a.date is None, a.date or _dt.date.min, a.source, a.index)


def date_order(articles: Iterable[Article]) -> list[Article]:
    """Dated articles oldest first (ties: source page, then reading order); undated last."""
    return sorted(articles, key=_key)


def prev_next(articles: Iterable[Article]) -> dict[str, tuple[Article | None, Article | None]]:
    """slug → (previous, next) in date order; undated articles get (None, None).

    Symmetric by construction: if ``b`` is ``a``'s next, ``a`` is ``b``'s previous.
    """
    articles = list(articles)
    ordered = [a for a in date_order(articles) if a.date is not None]
    result: dict[str, tuple[Article | None, Article | None]] = {a.slug: (None, None) for a in articles}
    for i, art in enumerate(ordered):
        result[art.slug] = (ordered[i - 1] if i else None, ordered[i + 1] if i + 1 < len(ordered) else None)
    return result


neighbours = prev_next  # the name build.py uses


def latest(articles: Iterable[Article], n: int) -> list[Article]:
    """The ``n`` newest articles for the home page: newest day first, a day's articles
    in page and reading order; undated articles only if there are too few dated ones."""
    arts = list(articles)
    dated = sorted((a for a in arts if a.date), key=lambda a: (-a.date.toordinal(), a.source, a.index))  # type: ignore[union-attr]
    undated = sorted((a for a in arts if not a.date), key=lambda a: (a.source, a.index))
    return (dated + undated)[:max(n, 0)]


def _link(from_doc: str, to_doc: str) -> str:
    """A Markdown link destination from one docs page to another (MkDocs rewrites .md)."""
    target = rel(from_doc, to_doc)
    for ch, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        target = target.replace(ch, code)
    return target


def _months(first: _dt.date, last: _dt.date) -> list[tuple[int, int]]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


MAX_CHART_BARS = 240  # twenty years of months; a longer span gets a bar per year, decade or century
_YEARS_PER_BAR = (1, 10, 100, 1000)


def _bar(x: int, top: int, height: int, bar: int, n: int, peak: int, label: str) -> str:
    h = max(round(height * n / peak), 1) if n else 0
    return f'<rect x="{x}" y="{top + height - h}" width="{bar}" height="{h}"><title>{label}：{n} 篇</title></rect>'


def _svg(bars: list[tuple[str, int, str]], caption: str) -> str:
    """Bars as (tooltip, count, x-axis label or ''); no script, no outside file."""
    peak = max(n for _, n, _ in bars)
    bar, gap, height, top, bottom = 10, 2, 80, 14, 16
    width = len(bars) * (bar + gap) + 20
    total_h = top + height + bottom
    parts = [f'<svg class="timeline-chart" role="img" viewBox="0 0 {width} {total_h}" '
             f'width="{width}" height="{total_h}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{caption}，最多 {peak} 篇）</title>"]
    for i, (label, n, axis) in enumerate(bars):
        x = 10 + i * (bar + gap)
        parts.append(_bar(x, top, height, bar, n, peak, label))
        if axis:
            parts.append(f'<text x="{x}" y="{total_h - 3}" font-size="10">{axis}</text>')
    parts.append("</svg>")
    return '<div class="timeline-chart-box">\n' + "".join(parts) + "\n</div>"


def month_chart(articles: list[Article]) -> str:
    """An inline SVG bar chart of articles per month (every month in range, empty ones
    included): no script, no outside file, works offline.  Only numbers are printed.
    Over more than ``MAX_CHART_BARS`` months (dates from 1900 to 2100 are valid), a bar
    is a year, a decade or a century, so the page stays small whatever the dates."""
    dated = [a.date for a in articles if a.date]
    if not dated:
        return ""
    months = _months(min(dated), max(dated))
    if len(months) <= MAX_CHART_BARS:
        counts = Counter((d.year, d.month) for d in dated)
        bars = [(f"{y}年{m}月", counts.get((y, m), 0), str(y) if m == 1 or i == 0 else "") for i, (y, m) in enumerate(months)]
        return _svg(bars, f"每月文章数（{months[0][0]}年{months[0][1]}月—{months[-1][0]}年{months[-1][1]}月")
    first, last = min(dated).year, max(dated).year
    step = next(s for s in _YEARS_PER_BAR if last // s - first // s < MAX_CHART_BARS)
    counts = Counter(d.year // step for d in dated)
    bars = [(f"{k * step}年" if step == 1 else f"{k * step}—{k * step + step - 1}年", counts.get(k, 0),
             str(k * step) if i % 10 == 0 else "") for i, k in enumerate(range(first // step, last // step + 1))]
    unit = {1: "每年", 10: "每十年", 100: "每百年", 1000: "每千年"}[step]
    return _svg(bars, f"{unit}文章数（{first}年—{last}年")


def _anchor(year: int, month: int | None = None) -> str:
    return f"y{year}" if month is None else f"y{year}-{month:02d}"


def _escape_target(target: str) -> str:
    for ch, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        target = target.replace(ch, code)
    return target


def _entry(art: Article, url_of: UrlOf) -> tuple[str, str]:
    """One article's line, as the text before and after the way up to the site root
    (``../``), which depends on the page it is on."""
    extras = [md_escape_inline(art.column)] if art.column else []
    if art.places:
        extras.append("、".join(md_escape_inline(p.rsplit("/", 1)[-1]) for p in art.places[:5]))
    tail = (" · " + " · ".join(extras)) if extras else ""
    return f"- [{md_escape_inline(art.title or '（无标题）')}](", f"{_escape_target(url_of(art))}){tail}"


def _line(entry: tuple[str, str], doc: str) -> str:
    return entry[0] + "../" * doc.count("/") + entry[1]


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Newest day first; a day's articles by page and reading order; undated last."""
    return sorted(articles, key=lambda a: (a.date is None, -(a.date or _dt.date.min).toordinal(), a.source, a.index))


def _listing(arts: list[Article], doc: str, url_of: UrlOf, month_heading: Callable[[int, int, list[Article]], str]) -> list[str]:
    """Articles (newest first) under month headings and day lines."""
    lines: list[str] = []
    month = day = None
    for art in arts:
        d = art.date
        if (d.year, d.month) != month:  # type: ignore[union-attr]
            month, day = (d.year, d.month), None  # type: ignore[union-attr]
            lines += ["", month_heading(d.year, d.month, arts), ""]  # type: ignore[union-attr]
        if d != day:
            day = d
            lines += ([""] if lines[-1] else []) + [f"**{d.month}月{d.day}日**", ""]  # type: ignore[union-attr]
        lines.append(_line(_entry(art, url_of), doc))
    return lines


def _count_table(years: dict[int, list[Article]], target: Callable[[int, int | None], str]) -> list[str]:
    """Year × month counts; every non-zero count links to its month.  Months are headed
    by their number alone (the heading cell says 月) so the 14 columns fit a phone."""
    lines = ["| 年＼月 | " + " | ".join(str(m) for m in range(1, 13)) + " | 合计 |",
             "| --- |" + " ---: |" * 13]
    for year in sorted(years, reverse=True):
        per_month = Counter(a.date.month for a in years[year])  # type: ignore[union-attr]
        cells = [f"[{per_month[m]}]({target(year, m)})" if per_month[m] else "" for m in range(1, 13)]
        lines.append(f"| [{year}]({target(year, None)}) | " + " | ".join(cells) + f" | {len(years[year])} |")
    return lines


def _page_dates(page: Page) -> str:
    dates = [a.date for a in page.entries if a.date]
    if not dates:
        return ""
    lo, hi = min(dates), max(dates)
    return f"{lo.month}月{lo.day}日" + (f"至{hi.month}月{hi.day}日" if hi != lo else "")


def _paginated(base: str, arts: list[Article], url_of: UrlOf, per_page: int) -> list[Page]:
    return paginate(base, arts, lambda a: md_size("".join(_entry(a, url_of))) + 40, per_page=per_page)


def _year_pages(year: int, arts: list[Article], url_of: UrlOf, per_page: int) -> tuple[dict[str, str], dict[tuple[int, int], str]]:
    """A year's pages (newest first, paginated) and where each month's newest article is."""
    listing = _paginated(f"timeline/{year}", arts, url_of, per_page)
    pages: dict[str, str] = {}
    where: dict[tuple[int, int], str] = {}
    for page in listing:
        doc = page.doc
        for a in page.entries:
            where.setdefault((a.date.year, a.date.month), doc)  # type: ignore[union-attr]
        if page.first:
            title = f"{year}年"
            head = [f"# {year}年（{len(arts)} 篇）", "", month_chart(arts), "", f"[← 时间线]({_link(doc, INDEX)})"]
        else:
            title = f"{year}年（第 {page.number} 页）"
            head = [f"# {title}", "", f"[← {year}年]({_link(doc, f'timeline/{year}.md')}) · [时间线]({_link(doc, INDEX)})"]
        body = [front_matter_block({"title": title}).removesuffix("\n"), ""] + head + [""]
        if len(listing) > 1:
            body += [counts(page, listing), ""] + pager(page, listing, _page_dates)
        body += _listing(page.entries, doc, url_of, lambda y, m, _: f"## {m}月 {{#{_anchor(y, m)}}}")
        if len(listing) > 1:
            body += [""] + pager(page, listing, _page_dates)
            if page.first:
                body += ["", "## 全部页", ""] + page_list(listing, lambda p: f"{p.entries[0].date.month}月", _page_dates)
        pages[doc] = "\n".join(body) + "\n"
    return pages, where


def _undated_pages(arts: list[Article], url_of: UrlOf, per_page: int) -> dict[str, str]:
    listing = _paginated("timeline/undated", arts, url_of, per_page)
    pages: dict[str, str] = {}
    for page in listing:
        title = "日期不详" if page.first else f"日期不详（第 {page.number} 页）"
        body = [front_matter_block({"title": title}).removesuffix("\n"), "", f"# {title}", "",
                f"[← 时间线]({_link(page.doc, INDEX)})", "", counts(page, listing), ""] + pager(page, listing)
        body += [""] + [_line(_entry(a, url_of), page.doc) for a in page.entries] + [""] + pager(page, listing)
        pages[page.doc] = "\n".join(body) + "\n"
    return pages


def timeline_pages(articles: list[Article], url_of: UrlOf | None = None, per_page: int = PER_PAGE) -> dict[str, str]:
    """docs-relative path → Markdown: ``timeline/index.md``, newest first; when there
    are more than ``per_page`` dated articles, the index keeps the chart and the counts
    and each year gets ``timeline/<year>.md`` (paginated: ``timeline/<year>/<n>.md``),
    the undated ``timeline/undated.md``.

    ``url_of(article)`` gives the article page's docs-relative path (default:
    ``articles/YYYY/MM/<slug>.md``); links are written relative to each timeline page.
    """
    url_of = url_of or article_path
    ordered = newest_first(articles)
    dated = [a for a in ordered if a.date]
    undated = [a for a in ordered if not a.date]
    years: dict[int, list[Article]] = defaultdict(list)
    for art in dated:
        years[art.date.year].append(art)  # type: ignore[union-attr]
    split = len(dated) > per_page
    pages: dict[str, str] = {}
    where: dict[tuple[int, int], str] = {}
    if split:
        for year in years:
            year_pages, year_where = _year_pages(year, years[year], url_of, per_page)
            pages.update(year_pages)
            where.update(year_where)

    def target(year: int, month: int | None) -> str:
        anchor = _anchor(year, month)
        if split:
            page = _link(INDEX, where[(year, month)] if month else f"timeline/{year}.md")
            return page if month is None else f"{page}#{anchor}"
        return f"#{anchor}"

    lines = [front_matter_block({"title": "时间线"}).removesuffix("\n"), "", "# 时间线", "",
             f"按日期浏览全部 {len(articles)} 篇文章，从新到旧排列" + (f"（{len(undated)} 篇日期不详）" if undated else "") + "。"
             "日期多为推断值，依据见各版面页。", ""]
    if dated:
        lines += [month_chart(dated), "", "## 每月文章数", ""] + _count_table(years, target)
    if not split:
        for year in years:
            lines += ["", f"## {year}年（{len(years[year])} 篇） {{#{_anchor(year)}}}"]
            lines += _listing(years[year], INDEX, url_of, lambda y, m, arts: f"### {m}月（{sum(1 for a in arts if a.date.month == m)} 篇） {{#{_anchor(y, m)}}}")
        if undated:
            lines += ["", "## 日期不详", ""] + [_line(_entry(a, url_of), INDEX) for a in undated]
    elif undated:
        pages.update(_undated_pages(undated, url_of, per_page))
        lines += ["", f"[日期不详的 {len(undated)} 篇文章](undated.md)"]
    pages[INDEX] = "\n".join(lines) + "\n"
    return pages
