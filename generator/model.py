"""Plain dataclasses for the data that flows between the pipeline stages.

Each stage (reading → segmenting → cleaning → dates/entities → rendering) takes
and returns these objects, so a stage can be tested on its own with small
hand-made inputs.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Literal


@dataclass
class SourcePage:
    """One raw newspaper page file, decoded.

    ``lines`` keeps the file's own line numbering (1-based index = position + 1)
    so that every later message can point back to a line of the original file.
    """

    name: str  # file name inside seeds/, e.g. "000_6695ffc5df523714.txt"
    text: str  # decoded text, newlines normalised to "\n", BOM removed
    encoding: str  # "utf-8", "utf-8-sig" or "gb18030"
    raw: bytes = b""
    newspaper: str = ""
    page_label: str = ""
    date_override: _dt.date | None = None

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def stem(self) -> str:
        return self.name.rsplit(".", 1)[0]


@dataclass
class Problem:
    """A file that could not be used (or a setting that was ignored), for the build log."""

    file: str
    line: int | None
    reason: str
    fatal: bool = True  # fatal: the file is skipped; otherwise: a warning

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.reason}"


LogKind = Literal["joined", "normalised", "removed", "flagged", "moved"]


@dataclass
class LogEntry:
    """One change (or one piece of damage left in place) in an article's cleaning log.

    ``kind`` says what happened; ``rule`` names the rule so totals can be counted
    per reason; ``line`` points into the source file; ``text`` is the affected text
    (for removals, exactly what was removed, so nothing is silently lost).
    """

    kind: LogKind
    rule: str
    line: int
    text: str
    detail: str = ""


@dataclass
class Credit:
    """People named in a credit line, with what they did."""

    authors: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)


@dataclass
class Paragraph:
    """A body element: a paragraph of text or a section heading (小标题)."""

    text: str
    line: int  # first source line
    heading: bool = False


@dataclass
class Caption:
    text: str
    line: int
    photographers: list[str] = field(default_factory=list)


@dataclass
class Article:
    """One news story, as segmented and then cleaned."""

    source: str  # seed file name
    index: int  # reading order within the source page (0-based)
    line: int  # first source line of the headline
    title: str
    kicker: str = ""
    subtitle: str = ""
    column: str = ""
    summary: list[Paragraph] = field(default_factory=list)  # 核心提示 box
    body: list[Paragraph] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    sidebar_title: str = ""
    sidebar: list[Paragraph] = field(default_factory=list)  # 链接 box
    authors: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    credit_lines: list[str] = field(default_factory=list)  # credits as printed
    log: list[LogEntry] = field(default_factory=list)
    date: _dt.date | None = None
    date_inferred: bool = True
    places: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)  # authors and photographers, for person pages
    mentions: list[tuple[int, int, int, str, str]] = field(default_factory=list)  # (paragraph, start, end, kind, key)
    related: list["Article"] = field(default_factory=list, repr=False)
    slug: str = ""

    @property
    def body_text(self) -> str:
        """The cleaned body, paragraphs separated by blank lines (as in articles.json)."""
        return "\n\n".join(p.text for p in self.body)
