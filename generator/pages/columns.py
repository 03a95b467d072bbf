"""Column pages: one page per 栏目 listing its articles newest first, and an index.

``columns/index.md`` lists every column (pinyin order) with its count;
``columns/<slug>.md`` lists the column's articles, newest first (undated last):
date, title, and the reader's name of the 版面 it was printed on, paginated
(``paging``: at most ``PER_PAGE`` a page, the newest on the column's page, older ones
on ``columns/<slug>/<n>.md`` counted from the oldest), so no page grows without
bound and a new article changes only the column's first page.  The slug is the
name's pinyin plus a short hash of the name: ASCII, and stable — it depends on the
column's name only, never on the other columns.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections import defaultdict
from typing import Iterable

from ..cache import Memo
from ..model import Article
from .mdtext import front_matter_block
from .metadata import article_path, ascii_words, rel, source_path
from .pagenames import PageName, cn_date
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

INDEX = "columns/index.md"


def column_slug(name: str) -> str:
    """``jin-zhou-jiao-bu-1a2b3c`` for 锦州脚步."""
    words = ascii_words(name) or ["column"]
    return "-".join(words) + "-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]


def column_path(name: str) -> str:
    return f"columns/{column_slug(name)}.md"


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Newest day first; a day's articles by page and reading order; undated last."""
    return sorted(articles, key=lambda a: (a.date is None, -(a.date or _dt.date.min).toordinal(), a.source, a.index))


def _order(name: str) -> tuple:
    return (ascii_words(name, limit=64), name)


def _rows(arts: list[Article], doc: str, names: dict[str, PageName]) -> list[dict]:
    rows = []
    for a in arts:
        page = names.get(a.source)
        rows.append({"date": cn_date(a.date), "inferred": a.date is not None and a.date_inferred,
                     "title": a.title or "（无标题）", "link": rel(doc, article_path(a)),
                     "page": page.name if page else a.source, "page_link": rel(doc, source_path(a.source))})
    return rows


def _dates(page: Page) -> str:
    return date_span(page, cn_date, "日期不详")


def _year(page: Page) -> str:
    dates = [a.date for a in page.entries if a.date]
    return f"{max(dates).year}年" if dates else "日期不详"


def column_pages(articles: Iterable[Article], names: dict[str, PageName], per_page: int = PER_PAGE,
                 memo: Memo | None = None) -> dict[str, str]:
    """docs path → Markdown: the index and one page per column (none if no column),
    each column's articles paginated newest first.  ``memo``: a page as in the
    previous build when it shows the same."""
    memo = memo or Memo(None)
    by_column: dict[str, list[Article]] = defaultdict(list)
    for art in articles:
        if art.column:
            by_column[art.column].append(art)
    pages: dict[str, str] = {}
    from .render import env  # rendering links to column pages: imported late

    template = env().get_template("column.md.j2")
    for column, arts in by_column.items():
        doc = column_path(column)
        listing = paginate(doc[:-3], newest_first(arts), lambda a: md_size(a.title) + md_size(a.source) + 160,
                           per_page=per_page)
        for page in listing:
            here = page.doc
            title = f"栏目：{column}" if page.first else f"栏目：{column}（第 {page.number} 页）"
            pages[here] = memo.render(  # the total on the first page only: older pages stay put
                here, template, front_matter=front_matter_block({"title": title}), column=column,
                number=0 if page.first else page.number, articles=_rows(page.entries, here, names),
                n_articles=len(arts) if page.first else 0, paged=len(listing) > 1,
                counts=counts(page, listing), pager=pager_links(page, listing, _dates),
                pages=page_groups(listing, _year, _dates) if page.first else [],
                index_link=rel(here, INDEX), column_link=rel(here, doc))
    pages[INDEX] = env().get_template("columns_index.md.j2").render(
        front_matter=front_matter_block({"title": "栏目"}),
        columns=[{"name": c, "link": rel(INDEX, column_path(c)), "n": len(by_column[c]),
                  "latest": cn_date(newest_first(by_column[c])[0].date)} for c in sorted(by_column, key=_order)])
    return pages
