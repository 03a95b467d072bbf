"""A 版面's name for a reader: ``<newspaper> <date> <page label>``.

``辽宁日报 2020年11月25日 锦州新闻``: the newspaper and page label from
``seeds/pages.yaml`` where given, otherwise the archive-wide defaults of
the profile's ``newspaper.yaml``; the date the page's (given or inferred) date.
The file name is a developer's detail, shown only in a small 原文件 note.

Two pages with the same name (same paper, day and label) are told apart by a
number in file-name order: ``…锦州新闻（1）``, ``…锦州新闻（2）``.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from ..settings.profile import Newspaper, default_profile

WEEKDAYS = "一二三四五六日"


def cn_date(day: _dt.date | None) -> str:
    """``2020年11月25日``; ``日期不详`` for no date."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "日期不详"


def cn_weekday(day: _dt.date) -> str:
    return "星期" + WEEKDAYS[day.weekday()]


@dataclass(frozen=True)
class PageName:
    """What a reader calls one source page."""

    file: str  # seed file name (000_6695ffc5df523714.txt)
    newspaper: str
    date: _dt.date | None
    date_inferred: bool
    page_label: str
    name: str  # 辽宁日报 2020年11月25日 锦州新闻

    @property
    def reference(self) -> str:
        """As a source is cited: ``《辽宁日报》2020年11月25日 锦州新闻``."""
        if not self.newspaper:
            return self.name
        return f"《{self.newspaper}》" + self.name[len(self.newspaper):].lstrip()


def _base(paper: str, day: _dt.date | None, label: str) -> str:
    return " ".join(part for part in (paper, cn_date(day), label) if part)


def name_pages(pages: Iterable[tuple[str, str, str, _dt.date | None, bool]],
               settings: Newspaper | None = None) -> dict[str, PageName]:
    """``(file, newspaper, page_label, date, date_inferred)`` per page → file → its name.

    Empty newspaper/page_label take the defaults of ``settings`` (the build's
    newspaper.yaml; the 锦州 profile's when not given)."""
    settings = settings or default_profile().newspaper
    rows = []
    for file, paper, label, day, inferred in pages:
        paper = " ".join((paper or "").split()) or settings.name
        label = " ".join((label or "").split()) or settings.default_page_label
        rows.append((file, paper, label, day, inferred, _base(paper, day, label)))
    same: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        same[row[5]].append(row[0])
    out: dict[str, PageName] = {}
    for file, paper, label, day, inferred, base in rows:
        group = sorted(same[base])
        name = base if len(group) == 1 else f"{base}（{group.index(file) + 1}）"
        out[file] = PageName(file, paper, day, inferred, label, name)
    return out
