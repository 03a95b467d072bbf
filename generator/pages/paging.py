"""Pagination of every list page, stable as the archive grows.

A list (an entity's articles, a column, a year of the timeline, the 版面 index) is
shown newest first, at most ``PER_PAGE`` entries and ``PAGE_BYTES`` bytes of entries a
page.  Pages are cut from the **oldest** end: the oldest entries fill page 1, the next
page 2, and so on; what is left — the newest entries, from 1 to a full page — is the
list's first page, at the list's own address (``places/yi-xian.md``).  The numbered
pages (``places/yi-xian/1.md`` …) hold fixed entries once full, so adding a newer
article changes only the first page; when the first page is full, the next addition
turns it into the next numbered page (and the page before that gets a link to it).

Nothing on a numbered page depends on what came after it: no total, no count of
pages, no link beyond the next newer page.  The first page says the totals and
lists every page.  Page numbers count from the oldest page (第 1 页 is the oldest),
so a number never moves to other entries.

Pure functions: a list of entries (newest first, each a Markdown block) in, a list
of :class:`Page` out, and the data of the page links (``pager_links``, ``page_groups``,
``in_order_links``) that the macros of ``templates/_paging.md.j2`` write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Generic, Sequence, TypeVar

from .metadata import rel

PER_PAGE = 200
# Markdown bytes of one page's entries; with the page's header, pager and Material's
# chrome (about 11 KB) the built page stays under 200 KB (tested on a built site).
PAGE_BYTES = 150_000
HTML_OVERHEAD = 64  # bytes an entry grows by in HTML (<li>, <a href>, .md → .html)

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of a list.  ``number``: 1 for the oldest page; the first (newest) page
    has the highest number, ``len(pages)``, and lives at the list's own address."""

    doc: str
    number: int
    entries: list[T] = field(default_factory=list)  # newest first
    first: bool = False  # the list's first page: the newest entries, at the list's address
    first_index: int = 0  # entries before this page, counted from the oldest

    @property
    def count(self) -> int:
        return len(self.entries)


def page_doc(base: str, number: int | None) -> str:
    """``places/yi-xian`` → ``places/yi-xian.md`` (first page), ``places/yi-xian/3.md``."""
    return f"{base}.md" if number is None else f"{base}/{number}.md"


def paginate(base: str, entries: Sequence[T], size: Callable[[T], int] = lambda e: 0,
             per_page: int = PER_PAGE, page_bytes: int = PAGE_BYTES) -> list[Page[T]]:
    """Pages of ``entries`` (given newest first), first page first, then the numbered
    pages newest to oldest.  ``size(entry)``: its bytes on a page.

    Pages are filled from the oldest entry: a page is full at ``per_page`` entries or
    when the next entry would take it past ``page_bytes`` (a single entry larger than
    that still gets a page).  The newest entries left over form the first page; an
    empty list gives one empty first page."""
    chunks = chunk(list(reversed(entries)), size, per_page, page_bytes)  # oldest first
    pages: list[Page[T]] = []
    start = 0
    for number, run in enumerate(chunks, 1):
        last = number == len(chunks)
        pages.append(Page(page_doc(base, None if last else number), number, list(reversed(run)), last, start))
        start += len(run)
    return list(reversed(pages))


def chunk(entries: Sequence[T], size: Callable[[T], int] = lambda e: 0, per_page: int = PER_PAGE,
          page_bytes: int = PAGE_BYTES) -> list[list[T]]:
    """``entries`` cut in order into runs of at most ``per_page`` entries and
    ``page_bytes`` bytes (an entry larger than that alone); ``[[]]`` for none."""
    chunks: list[list[T]] = [[]]
    used = 0
    for entry in entries:
        n = size(entry) + HTML_OVERHEAD
        if chunks[-1] and (len(chunks[-1]) >= per_page or used + n > page_bytes):
            chunks.append([])
            used = 0
        chunks[-1].append(entry)
        used += n
    return chunks


def in_order_links(docs: list[str], n: int) -> dict | None:
    """Page links for a list read from its start (a day's 版面): page ``n`` of ``docs``,
    every number linked (such a list has few pages); ``None`` for one page.  The
    ``in_order_pager`` macro of ``_paging.md.j2`` writes them."""
    if len(docs) < 2:
        return None
    here = docs[n - 1]
    return {"previous": {"link": rel(here, docs[n - 2])} if n > 1 else None,
            "numbers": [{"number": k, "link": "" if k == n else rel(here, d)} for k, d in enumerate(docs, 1)],
            "next": {"link": rel(here, docs[n])} if n < len(docs) else None}


def md_size(text: str) -> int:
    return len(text.encode("utf-8"))


def _macros():
    """The macros of ``templates/_paging.md.j2`` (rendering imports this module: imported late)."""
    from .render import env

    return env().get_template("_paging.md.j2").module


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def _target(from_doc: str, text: str, target: Page, label: Callable[[Page], str]) -> dict:
    """A link to a page; a numbered page's link carries its ``label`` as a title (the
    first page's entries change, so its link has none)."""
    return {"text": text, "link": rel(from_doc, target.doc), "title": "" if target.first else label(target)}


def pager_links(page: Page, pages: list[Page], label: Callable[[Page], str] = lambda p: "") -> dict | None:
    """The page links of one page (``None`` for a list of one page), for the ``pager``
    macro of ``_paging.md.j2``.

    The first page: its number (页码), the numbers of the five pages below it, 1, and 下一页.
    A numbered page ``n``: 最新 (the first page), 上一页 (``n + 1``, or the first page),
    its number and the numbers of the five pages below it, 1, and 下一页 (``n - 1``) —
    only older pages and its newer neighbour, so it never changes as the list grows
    (but once: when its newer neighbour is cut from the first page).  ``label(page)``:
    a numbered page's date range, the title of the links to it."""
    if len(pages) < 2:
        return None
    by_number = {p.number: p for p in pages}
    newer, older = by_number.get(page.number + 1), by_number.get(page.number - 1)
    below = list(range(page.number - 1, max(page.number - 6, 0), -1))
    return {
        "newest": _target(page.doc, "« 最新", pages[0], label) if not page.first and newer is not pages[0] else None,
        "newer": _target(page.doc, "‹ 上一页", newer, label) if not page.first else None,
        "number": page.number,
        "below": [_target(page.doc, str(n), by_number[n], label) for n in below],
        "gap": bool(below) and below[-1] > 2,
        "oldest": _target(page.doc, "1", by_number[1], label) if below and below[-1] > 1 else None,
        "older": _target(page.doc, "下一页 ›", older, label) if older else None,
    }


def pager(page: Page, pages: list[Page], label: Callable[[Page], str] = lambda p: "") -> list[str]:
    """``pager_links`` as the ``pager`` macro writes them, as lines (none for a list of
    one page); the templates call the macro themselves."""
    return _lines(_macros().pager(pager_links(page, pages, label)))


def page_groups(pages: list[Page], group: Callable[[Page], str], label: Callable[[Page], str]) -> list[dict]:
    """On the first page: every numbered page, newest first, one group per
    ``group(page)`` (e.g. the year of its newest entry), for the ``page_list`` macro
    (``- **2021年**：[57](…) · [56](…)``); ``label(page)`` (its date range) is each
    link's title."""
    groups: list[dict] = []
    for p in (p for p in pages if not p.first):
        if not groups or groups[-1]["group"] != group(p):
            groups.append({"group": group(p), "links": []})
        groups[-1]["links"].append(_target(pages[0].doc, str(p.number), p, label))
    return groups


def counts(page: Page, pages: list[Page], unit: str = "篇") -> str:
    """What the page holds, in one sentence.  The first page: the total, the pages and
    its share; a numbered page: its place counted from the oldest entry (stable)."""
    total = sum(p.count for p in pages)
    if len(pages) == 1:
        return f"共 {total} {unit}。"
    if page.first:
        return (f"共 {total} {unit}，分 {len(pages)} 页，从新到旧排列；本页是最新的 {page.count} {unit}，"
                f"第 1 页最早。")
    return (f"第 {page.number} 页：从最早一{unit}数起的第 {page.first_index + 1}—{page.first_index + page.count} "
            f"{unit}，从新到旧排列。")


def date_span(page: Page, show: Callable, undated: str = "") -> str:
    """The dates a list page covers, oldest to newest (``show`` writes one date)."""
    dates = [a.date for a in page.entries if a.date]
    if not dates:
        return undated
    lo, hi = min(dates), max(dates)
    return show(lo) + (f"至{show(hi)}" if hi != lo else "")
