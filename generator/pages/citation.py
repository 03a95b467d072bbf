"""Citing an article the way Chinese scholarship does: a GB/T 7714-2015 reference
for a newspaper article, ``作者. 题名[N]. 报纸名, 出版日期(版次).``

One function, used for the page's 引用本文 box (through the front matter), the
``citation_*`` meta tags reference managers read, and ``articles.json``.
"""

from __future__ import annotations

import re

from ..model import Article
from .pagenames import PageName

MAX_AUTHORS = 3  # GB/T 7714-2015 8.1.2: the first three, then 等
_PAGE_NUMBER = re.compile(r"^第?\s*([0-9０-９]+)\s*版?$")


def page_of(label: str) -> str:
    """The 版次 in the reference: the number of ``第3版`` or ``3``; otherwise the label
    as printed (a page name such as 锦州新闻)."""
    m = _PAGE_NUMBER.match(label.strip())
    return str(int(m.group(1))) if m else label.strip()


def gbt7714(art: Article, source: PageName) -> str:
    """``张继锋, 高华庚. 题名：副题[N]. 辽宁日报, 2020-05-28(锦州新闻).``; an inferred
    date is said so after the reference, since the page itself does not print it."""
    authors = list(art.authors)
    people = ", ".join(authors[:MAX_AUTHORS]) + (", 等" if len(authors) > MAX_AUTHORS else "")
    title = (art.title or "（无标题）") + (f"：{art.subtitle}" if art.subtitle else "")
    date = art.date.isoformat() if art.date else "出版日期不详"
    page = page_of(source.page_label)
    reference = (f"{people}. " if people else "") + f"{title}[N]. {source.newspaper}, {date}" + (f"({page})" if page else "") + "."
    if art.date and art.date_inferred:
        reference += "（出版日期系据文中线索推断）"
    return reference
