"""Plain dataclasses for the data that flows between the pipeline stages.

Each stage (reading → segmenting → cleaning → dates/entities → rendering) takes
and returns these objects, so a stage can be tested on its own with small
hand-made inputs.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal


@dataclass
class SourcePage:
    """One raw newspaper page file, decoded.

    ``lines`` keeps the file's own line numbering (1-based index = position + 1)
    so that every later message can point back to a line of the original file.
    """

    name: str  # file name inside seeds/, e.g. "000_6695ffc5df523714.txt", as ``display_name`` shows it
    text: str  # decoded text, newlines normalised to "\n", BOM removed
    encoding: str  # "utf-8", "utf-8-sig", "gb18030", "utf-16-le" or "utf-16-be"
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


# What must never reach a terminal or a page raw: C0 controls (tab and newline too: a
# message is one line), DEL, C1 controls, the Unicode bidi controls (they reorder what
# is shown: "\u202etxt.exe" reads as "exe.txt") and lone surrogates (the bytes of a
# file name that is not UTF-8, which cannot even be encoded for output).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def display_name(text: str) -> str:
    """``text`` safe to print and to publish: every control, bidi control and surrogate
    written as ``\\x1b`` / ``\\u202e`` / ``\\xff`` (the byte of a non-UTF-8 file name).

    The one rule for showing file names (and any message that quotes one): a name is
    chosen by whoever put the file in seeds/, so it must not be able to recolour the
    terminal, retitle the window, reorder the line, or crash the output encoder.
    Backslashes are left as they are, so escaping twice changes nothing.
    """
    return _UNSHOWABLE.sub(_escape, text)


@dataclass
class Problem:
    """A file that could not be used (or a setting that was ignored), for the build log."""

    file: str
    line: int | None
    reason: str
    fatal: bool = True  # fatal: the file is skipped; otherwise: a warning
    kind: str = ""  # the reason without the file or value it names, to count alike problems ("" = the reason)
    # The public sources page is read by readers and is Chinese-only; ``reason`` (English)
    # is for the terminal.  ``zh`` is the reason in Chinese, ``zh_file`` how the page names
    # the file when it is not a page of the paper (pages.yaml: 版面设定文件).
    zh: str = ""
    zh_file: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return display_name(f"{where}: {self.reason}")

    def page_text(self) -> str:
        """The problem as the public sources page shows it: in Chinese."""
        file = self.zh_file or self.file
        where = f"{file} 第 {self.line} 行" if self.line else file
        return display_name(f"{where}：{self.zh or self.reason}")


def cap_problems(problems: list[Problem], per_kind: int = 10) -> list[Problem]:
    """The first ``per_kind`` problems of each kind, in their order, then one summary per
    capped kind (``pages.yaml: … and 49,990 more of this kind: unknown file``).

    A mistake repeated 50,000 times is one mistake for the editor: listing every
    instance floods the terminal and makes the public sources page megabytes long.
    """
    seen: Counter[tuple[bool, str]] = Counter()
    kept: list[Problem] = []
    files: dict[tuple[bool, str], set[str]] = {}
    first: dict[tuple[bool, str], Problem] = {}
    for problem in problems:
        key = (problem.fatal, problem.kind or problem.reason)
        seen[key] += 1
        first.setdefault(key, problem)
        files.setdefault(key, set()).add(problem.file)
        if seen[key] <= per_kind:
            kept.append(problem)
    for key, count in seen.items():
        if count > per_kind:
            fatal, kind = key
            where = next(iter(files[key])) if len(files[key]) == 1 else "seeds"
            kept.append(Problem(where, None, f"… and {count - per_kind:,} more of this kind: {kind}", fatal, kind,
                                zh=f"……另有 {count - per_kind:,} 条同类问题（同上）",
                                zh_file=first[key].zh_file if len(files[key]) == 1 else "版面原文"))
    return kept


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

    def digest(self) -> str:
        """A digest of the story itself (every field but its related stories, which are
        chosen across the archive and shown on its own page only), for the render memos
        (``cache.Memo``)."""
        from .cache import Memo

        return Memo.key(replace(self, related=[]))

    @property
    def body_text(self) -> str:
        """The cleaned body, paragraphs separated by blank lines (as in articles.json)."""
        return "\n\n".join(p.text for p in self.body)
