"""Column pages: one page per 栏目 listing its articles newest first, and an index.

``columns/index.md`` lists every column (pinyin order) with its count;
``columns/<slug>.md`` lists the column's articles, newest first (undated last):
date, title, and the reader's name of the 版面 it was printed on.  A column of
more than ``PER_YEAR_PAGES_ABOVE`` articles (as the timeline does) keeps its newest
``LATEST`` on its page and gets a page per year, ``columns/<slug>/<year>.md``, so no
page grows without bound.  The slug is the
name's pinyin plus a short hash of the name: ASCII, and stable — it depends on the
column's name only, never on the other columns.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections import defaultdict
from typing import Iterable

from ..model import Article
from .mdtext import front_matter_block
from .metadata import article_path, ascii_words, rel, source_path
from .pagenames import PageName, cn_date

INDEX = "columns/index.md"
PER_YEAR_PAGES_ABOVE = 300  # articles; beyond this a column gets a page per year
LATEST = 30  # articles on the page of a column split by year


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


def column_pages(articles: Iterable[Article], names: dict[str, PageName],
                 per_year_above: int = PER_YEAR_PAGES_ABOVE) -> dict[str, str]:
    """docs path → Markdown: the index and one page per column (none if no column)."""
    by_column: dict[str, list[Article]] = defaultdict(list)
    for art in articles:
        if art.column:
            by_column[art.column].append(art)
    pages: dict[str, str] = {}
    from .render import env  # rendering links to column pages: imported late

    tmpl = env()
    for column, arts in by_column.items():
        doc = column_path(column)
        ordered = newest_first(arts)
        split = len(ordered) > per_year_above
        years: dict[int | None, list[Article]] = defaultdict(list)
        for a in ordered:
            years[a.date.year if a.date else None].append(a)
        year_docs = {y: f"{doc[:-3]}/{y if y is not None else 'undated'}.md" for y in years} if split else {}
        for year, year_arts in (years.items() if split else ()):
            ydoc = year_docs[year]
            pages[ydoc] = tmpl.get_template("column.md.j2").render(
                front_matter=front_matter_block({"title": f"栏目：{column}（{year}年）" if year else f"栏目：{column}（日期不详）"}),
                column=column, year=year, articles=_rows(year_arts, ydoc, names), n_articles=len(year_arts),
                index_link=rel(ydoc, INDEX), column_link=rel(ydoc, doc), years=[])
        pages[doc] = tmpl.get_template("column.md.j2").render(
            front_matter=front_matter_block({"title": f"栏目：{column}"}),
            column=column, year=0, articles=_rows(ordered[:LATEST] if split else ordered, doc, names), n_articles=len(ordered),
            index_link=rel(doc, INDEX), column_link="",
            years=[{"year": y, "n": len(v), "link": rel(doc, year_docs[y])} for y, v in years.items()] if split else [])
    pages[INDEX] = tmpl.get_template("columns_index.md.j2").render(
        front_matter=front_matter_block({"title": "栏目"}),
        columns=[{"name": c, "link": rel(INDEX, column_path(c)), "n": len(by_column[c]),
                  "latest": cn_date(newest_first(by_column[c])[0].date)} for c in sorted(by_column, key=_order)])
    return pages
