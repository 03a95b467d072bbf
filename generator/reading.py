"""Reading raw page files from ``seeds/``: decoding, and refusing what is not a page.

Newspaper texts reach the archive from many tools: UTF-8 with or without a BOM,
Windows line ends, and older GBK/GB18030 exports.  We try the encodings a Chinese
archive actually meets, strictly and in a fixed order, rather than guessing with a
statistical detector: a wrong guess would silently corrupt text, while a strict
failure is reported and the file skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .model import Problem, SourcePage

# Strict decoders, most specific first.  GB18030 is a superset of GBK and GB2312.
ENCODINGS = ("utf-8", "gb18030")

# A decoded page must be mostly text: letters, digits, punctuation, spaces.
_MIN_TEXT_RATIO = 0.95


@dataclass
class ReadResult:
    pages: list[SourcePage] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "x.txt: decoded as GB18030"


# control characters (other than tab and newline), surrogates and the replacement mark
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")


def _text_ratio(text: str) -> float:
    """Share of characters that are ordinary text (not control characters)."""
    if not text:
        return 0.0
    return 1 - len(_NOT_TEXT.findall(text)) / len(text)


def decode(name: str, raw: bytes) -> tuple[str, str] | Problem:
    """Decode one file's bytes; return (text, encoding) or the reason it is refused."""
    if not raw.strip():
        what = "empty file" if not raw else "file holds only whitespace"
        return Problem(name, None, f"{what}: nothing to archive")
    if b"\x00" in raw[:8192]:
        return Problem(name, None, "binary file (contains NUL bytes): not a text page")
    encoding = ""
    text = ""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            text, encoding = raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            return Problem(name, _line_of(raw, exc.start + 3), f"UTF-8 BOM but invalid UTF-8 ({exc.reason})")
    else:
        errors: list[str] = []
        for enc in ENCODINGS:
            try:
                text, encoding = raw.decode(enc), enc
                break
            except UnicodeDecodeError as exc:
                errors.append(f"{enc}: byte {exc.start} (line {_line_of(raw, exc.start)})")
        if not encoding:
            return Problem(name, None, "cannot decode as UTF-8 or GB18030 — " + "; ".join(errors))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Problem(name, None, "file holds only whitespace: nothing to archive")
    if _text_ratio(text) < _MIN_TEXT_RATIO:
        return Problem(name, None, f"decoded as {encoding} but mostly control characters: binary or wrong encoding")
    return text, encoding


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def read_pages(seeds: Path) -> ReadResult:
    """Read every ``*.txt`` in ``seeds`` in name order; bad files become problems."""
    result = ReadResult()
    for path in sorted(seeds.glob("*.txt")):
        if not path.is_file():
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            result.problems.append(Problem(path.name, None, f"cannot read: {exc.strerror}"))
            continue
        decoded = decode(path.name, raw)
        if isinstance(decoded, Problem):
            result.problems.append(decoded)
            continue
        text, encoding = decoded
        if encoding == "gb18030":
            result.notes.append(f"{path.name}: not UTF-8, decoded as GB18030 (GBK)")
        elif encoding == "utf-8-sig":
            result.notes.append(f"{path.name}: UTF-8 with BOM (BOM removed)")
        result.pages.append(SourcePage(name=path.name, text=text, encoding=encoding, raw=raw))
    return result
