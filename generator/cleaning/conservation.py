"""The conservation check: no character of a page may vanish without a reason.

Every non-space character of the source page must be found again, either in an
article field (headline, kicker, subtitle, summary, body, captions, sidebar,
credits) or in a log entry of kind ``removed`` (with the rule that removed it),
or in the page furniture (column headers, page-wide credits).  Half-width marks
made full-width count as the same character.  Anything else is an unexplained
loss and fails the build.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..model import Article
from ..segmenting.segment import PageLayout
from .clean import HALF_TO_FULL

_FOLD = str.maketrans(HALF_TO_FULL)


_SPACE = re.compile(r"\s+")


def _chars(text: str) -> Counter[str]:
    return Counter(_SPACE.sub("", text.translate(_FOLD)))


def article_fields(art: Article) -> dict[str, str]:
    """The text an article keeps, by field name (what the reader gets)."""
    return {
        "headline": art.title + art.kicker + art.subtitle,
        "summary": "".join(p.text for p in art.summary),
        "body": "".join(p.text for p in art.body),
        "captions": "".join(c.text for c in art.captions),
        "sidebar": art.sidebar_title + "".join(p.text for p in art.sidebar),
        "credits": "".join(art.credit_lines),
    }


@dataclass
class Balance:
    """Where a page's characters went: totals per destination, and what is unaccounted."""

    source: str
    total: int
    kept: Counter[str] = field(default_factory=Counter)  # field name → characters
    removed: Counter[str] = field(default_factory=Counter)  # rule → characters
    missing: Counter[str] = field(default_factory=Counter)  # character → count

    @property
    def ok(self) -> bool:
        return not self.missing


def balance(source_text: str, layout: PageLayout) -> Balance:
    have = _chars(source_text)
    out: Counter[str] = Counter()
    result = Balance(layout.source, sum(have.values()))
    for art in layout.articles:
        for name, text in article_fields(art).items():
            chars = _chars(text)
            result.kept[name] += sum(chars.values())
            out.update(chars)  # counts are positive: update() is += without its O(len) clean-up pass
        for entry in art.log:
            if entry.kind == "removed":
                chars = _chars(entry.text)
                result.removed[entry.rule] += sum(chars.values())
                out.update(chars)
    for entry in layout.furniture:
        chars = _chars(entry.text)
        result.removed[entry.rule] += sum(chars.values())
        out.update(chars)
    result.missing = have - out
    return result
