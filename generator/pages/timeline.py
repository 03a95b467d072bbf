"""The archive through time: timeline pages, a per-month bar chart, and date order.

Pure functions of a list of :class:`~generator.model.Article`: they return Markdown
text and never touch the disk.  The layout is in ``templates/timeline_*.md.j2`` and
the macros of ``templates/_timeline.md.j2`` (entries, listing, the chart); this
module prepares the data.  The timeline is kept out of the navigation and lists
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

from ..cache import Memo
from ..model import Article
from .mdtext import front_matter_block, md_escape_inline
from .metadata import article_path, rel
from .paging import (
    PER_PAGE,
    Page,
    counts,
    date_span,
    md_size,
    page_groups,
    pager_links,
    paginate,
)

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


def _macros():
    """The macros of ``templates/_timeline.md.j2`` (rendering imports this module: imported late)."""
    return _env().get_template("_timeline.md.j2").module


def _env():
    from .render import env

    return env()


def _chart(bars: list[tuple[str, int, str]], caption: str) -> dict:
    """Bars as (tooltip, count, x-axis label or ''), placed for the ``chart`` macro."""
    peak = max(n for _, n, _ in bars)
    bar, gap, height, top, bottom = 10, 2, 80, 14, 16
    total_h = top + height + bottom
    placed = []
    for i, (label, n, axis) in enumerate(bars):
        h = max(round(height * n / peak), 1) if n else 0
        placed.append({"x": 10 + i * (bar + gap), "y": top + height - h, "h": h, "label": label, "n": n, "axis": axis})
    return {"width": len(bars) * (bar + gap) + 20, "height": total_h, "caption": caption, "peak": peak, "bar": bar,
            "axis_y": total_h - 3, "bars": placed}


def month_chart(articles: list[Article]) -> str:
    """An inline SVG bar chart of articles per month (``chart_data``, written by the
    ``chart`` macro of ``_timeline.md.j2``); ``''`` when no article has a date."""
    chart = chart_data(articles)
    return _macros().chart(chart) if chart else ""


def chart_data(articles: list[Article]) -> dict | None:
    """The bars of the chart of articles per month (every month in range, empty ones
    included), or ``None`` when no article has a date.  Only numbers are printed.
    Over more than ``MAX_CHART_BARS`` months (dates from 1900 to 2100 are valid), a bar
    is a year, a decade or a century, so the page stays small whatever the dates."""
    dated = [a.date for a in articles if a.date]
    if not dated:
        return None
    months = _months(min(dated), max(dated))
    if len(months) <= MAX_CHART_BARS:
        counts = Counter((d.year, d.month) for d in dated)
        bars = [(f"{y}年{m}月", counts.get((y, m), 0), str(y) if m == 1 or i == 0 else "") for i, (y, m) in enumerate(months)]
        return _chart(bars, f"每月文章数（{months[0][0]}年{months[0][1]}月—{months[-1][0]}年{months[-1][1]}月")
    first, last = min(dated).year, max(dated).year
    step = next(s for s in _YEARS_PER_BAR if last // s - first // s < MAX_CHART_BARS)
    counts = Counter(d.year // step for d in dated)
    bars = [(f"{k * step}年" if step == 1 else f"{k * step}—{k * step + step - 1}年", counts.get(k, 0),
             str(k * step) if i % 10 == 0 else "") for i, k in enumerate(range(first // step, last // step + 1))]
    unit = {1: "每年", 10: "每十年", 100: "每百年", 1000: "每千年"}[step]
    return _chart(bars, f"{unit}文章数（{first}年—{last}年")


def _anchor(year: int, month: int | None = None) -> str:
    return f"y{year}" if month is None else f"y{year}-{month:02d}"


def _escape_target(target: str) -> str:
    for ch, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        target = target.replace(ch, code)
    return target


def _entry(art: Article, url_of: UrlOf) -> dict:
    """One article's line for the ``entry`` macro; ``url`` is docs-relative (the way up
    to the site root, ``../``, depends on the page it is on)."""
    return {"title": art.title or "（无标题）", "url": _escape_target(url_of(art)), "column": art.column,
            "places": [p.rsplit("/", 1)[-1] for p in art.places[:5]]}


def _entry_bytes(e: dict) -> int:
    """The bytes of an entry's line as the ``entry`` macro writes it, less the ``../``s."""
    extras = ([md_escape_inline(e["column"])] if e["column"] else []) + (
        ["、".join(md_escape_inline(p) for p in e["places"])] if e["places"] else [])
    return md_size(f"- [{md_escape_inline(e['title'])}]({e['url']})" + ((" · " + " · ".join(extras)) if extras else ""))


def _at(entries: list[dict], doc: str) -> list[dict]:
    up = "../" * doc.count("/")
    return [dict(e, link=up + e["url"]) for e in entries]


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Newest day first; a day's articles by page and reading order; undated last."""
    return sorted(articles, key=lambda a: (a.date is None, -(a.date or _dt.date.min).toordinal(), a.source, a.index))


def _listing(arts: list[Article], doc: str, url_of: UrlOf) -> list[dict]:
    """Articles (newest first) as months → days → entries, for the ``listing`` macro."""
    months: list[dict] = []
    for art in arts:
        d = art.date
        if not months or (months[-1]["year"], months[-1]["month"]) != (d.year, d.month):  # type: ignore[union-attr]
            months.append({"year": d.year, "month": d.month, "days": [],  # type: ignore[union-attr]
                           "n": sum(1 for a in arts if a.date.month == d.month)})  # type: ignore[union-attr]
        days = months[-1]["days"]
        if not days or days[-1]["date"] != d:
            days.append({"date": d, "month": d.month, "day": d.day, "entries": []})  # type: ignore[union-attr]
        days[-1]["entries"].append(art)
    for month in months:
        for day in month["days"]:
            day["entries"] = _at([_entry(a, url_of) for a in day["entries"]], doc)
    return months


def _count_table(years: dict[int, list[Article]], target: Callable[[int, int | None], str]) -> list[dict]:
    """Year × month counts, newest year first; every non-zero count links to its month."""
    rows = []
    for year in sorted(years, reverse=True):
        per_month = Counter(a.date.month for a in years[year])  # type: ignore[union-attr]
        rows.append({"year": year, "link": target(year, None), "n": len(years[year]),
                     "months": [{"n": per_month[m], "link": target(year, m) if per_month[m] else ""} for m in range(1, 13)]})
    return rows


def _page_dates(page: Page) -> str:
    return date_span(page, lambda d: f"{d.month}月{d.day}日")


def _paginated(base: str, arts: list[Article], url_of: UrlOf, per_page: int) -> list[Page]:
    return paginate(base, arts, lambda a: _entry_bytes(_entry(a, url_of)) + 40, per_page=per_page)


def _year_pages(year: int, arts: list[Article], url_of: UrlOf, per_page: int,
                memo: Memo) -> tuple[dict[str, str], dict[tuple[int, int], str]]:
    """A year's pages (newest first, paginated) and where each month's newest article is."""
    listing = _paginated(f"timeline/{year}", arts, url_of, per_page)
    template = _env().get_template("timeline_year.md.j2")
    pages: dict[str, str] = {}
    where: dict[tuple[int, int], str] = {}
    for page in listing:
        doc = page.doc
        for a in page.entries:
            where.setdefault((a.date.year, a.date.month), doc)  # type: ignore[union-attr]
        title = f"{year}年" if page.first else f"{year}年（第 {page.number} 页）"
        pages[doc] = memo.render(  # the total and the chart are on the first page only (older pages stay put)
            doc, template, front_matter=front_matter_block({"title": title}), year=year, first=page.first, number=page.number,
            n_articles=len(arts) if page.first else 0, chart=chart_data(arts) if page.first else None, index_link=_link(doc, INDEX),
            year_link=_link(doc, f"timeline/{year}.md"), counts=counts(page, listing) if len(listing) > 1 else "",
            pager=pager_links(page, listing, _page_dates), months=_listing(page.entries, doc, url_of),
            pages=page_groups(listing, lambda p: f"{p.entries[0].date.month}月", _page_dates)
            if page.first and len(listing) > 1 else [])
    return pages, where


def _undated_pages(arts: list[Article], url_of: UrlOf, per_page: int) -> dict[str, str]:
    listing = _paginated("timeline/undated", arts, url_of, per_page)
    template = _env().get_template("timeline_undated.md.j2")
    pages: dict[str, str] = {}
    for page in listing:
        title = "日期不详" if page.first else f"日期不详（第 {page.number} 页）"
        pages[page.doc] = template.render(
            front_matter=front_matter_block({"title": title}), first=page.first, number=page.number,
            index_link=_link(page.doc, INDEX), counts=counts(page, listing), pager=pager_links(page, listing),
            entries=_at([_entry(a, url_of) for a in page.entries], page.doc))
    return pages


def timeline_pages(articles: list[Article], url_of: UrlOf | None = None, per_page: int = PER_PAGE,
                   memo: Memo | None = None) -> dict[str, str]:
    """docs-relative path → Markdown: ``timeline/index.md``, newest first; when there
    are more than ``per_page`` dated articles, the index keeps the chart and the counts
    and each year gets ``timeline/<year>.md`` (paginated: ``timeline/<year>/<n>.md``),
    the undated ``timeline/undated.md``.

    ``url_of(article)`` gives the article page's docs-relative path (default:
    ``articles/YYYY/MM/<slug>.md``); links are written relative to each timeline page.
    ``memo``: a year's pages as in the previous build when they show the same.
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
            year_pages, year_where = _year_pages(year, years[year], url_of, per_page, memo or Memo(None))
            pages.update(year_pages)
            where.update(year_where)

    def target(year: int, month: int | None) -> str:
        anchor = _anchor(year, month)
        if split:
            page = _link(INDEX, where[(year, month)] if month else f"timeline/{year}.md")
            return page if month is None else f"{page}#{anchor}"
        return f"#{anchor}"

    pages[INDEX] = _env().get_template("timeline_index.md.j2").render(
        front_matter=front_matter_block({"title": "时间线"}), n_articles=len(articles), n_undated=len(undated),
        chart=chart_data(dated), table=_count_table(years, target) if dated else [],
        years=[] if split else [{"year": year, "n": len(years[year]), "months": _listing(years[year], INDEX, url_of)}
                                for year in years],
        undated=[] if split else _at([_entry(a, url_of) for a in undated], INDEX),
        undated_link="undated.md" if split and undated else "")
    if split and undated:
        pages.update(_undated_pages(undated, url_of, per_page))
    return pages
