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
of :class:`Page` out; the callers write the pages' text (``pager``, ``page_list``).
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


def in_order_pager(docs: list[str], n: int) -> list[str]:
    """Page links for a list read from its start (a day's 版面): page ``n`` of ``docs``,
    every number linked (such a list has few pages)."""
    if len(docs) < 2:
        return []
    here = docs[n - 1]
    parts = []
    if n > 1:
        parts.append(f"[‹ 上一页]({rel(here, docs[n - 2])})")
    parts.append("页码 " + " ".join(f"**{k}**" if k == n else f"[{k}]({rel(here, d)})" for k, d in enumerate(docs, 1)))
    if n < len(docs):
        parts.append(f"[下一页 ›]({rel(here, docs[n])})")
    return [" · ".join(parts), "{: .archive-pager }"]


def md_size(text: str) -> int:
    return len(text.encode("utf-8"))


def _target(from_doc: str, text: str, target: Page, label: Callable[[Page], str]) -> str:
    """A Markdown link to a page; a numbered page's link carries its ``label`` as a
    title (the first page's entries change, so its link has none)."""
    title = "" if target.first else label(target)
    return f"[{text}]({rel(from_doc, target.doc)}" + (f' "{title}")' if title else ")")


def pager(page: Page, pages: list[Page], label: Callable[[Page], str] = lambda p: "") -> list[str]:
    """The page links of one page, as Markdown lines (none for a list of one page).

    The first page: its number (页码), the numbers of the five pages below it, 1, and 下一页.
    A numbered page ``n``: 最新 (the first page), 上一页 (``n + 1``, or the first page),
    its number and the numbers of the five pages below it, 1, and 下一页 (``n - 1``) —
    only older pages and its newer neighbour, so it never changes as the list grows
    (but once: when its newer neighbour is cut from the first page).  ``label(page)``:
    a numbered page's date range, the title of the links to it."""
    if len(pages) < 2:
        return []
    by_number = {p.number: p for p in pages}
    newer, older = by_number.get(page.number + 1), by_number.get(page.number - 1)
    parts: list[str] = []
    if not page.first:
        if newer is not pages[0]:
            parts.append(_target(page.doc, "« 最新", pages[0], label))
        parts.append(_target(page.doc, "‹ 上一页", newer, label))
    below = list(range(page.number - 1, max(page.number - 6, 0), -1))
    shown = [f"**{page.number}**"] + [_target(page.doc, str(n), by_number[n], label) for n in below]
    if below and below[-1] > 1:
        shown += (["…"] if below[-1] > 2 else []) + [_target(page.doc, "1", by_number[1], label)]
    parts.append("页码 " + " ".join(shown))
    if older:
        parts.append(_target(page.doc, "下一页 ›", older, label))
    return [" · ".join(parts), "{: .archive-pager }"]


def page_list(pages: list[Page], group: Callable[[Page], str], label: Callable[[Page], str]) -> list[str]:
    """On the first page: every numbered page, newest first, one list item per group
    (``group(page)``, e.g. the year of its newest entry) — ``- **2021年**：[57](…) ·
    [56](…)``; ``label(page)`` (its date range) is each link's title."""
    lines: list[str] = []
    current, links = None, []
    for p in (p for p in pages if not p.first):
        if group(p) != current and links:
            lines.append(f"- **{current}**：" + " · ".join(links))
            links = []
        current = group(p)
        links.append(_target(pages[0].doc, str(p.number), p, label))
    if links:
        lines.append(f"- **{current}**：" + " · ".join(links))
    return lines


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
