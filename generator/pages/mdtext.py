"""Putting untrusted text into Markdown so that it renders as the literal text.

Article text comes from scanned pages and may contain anything: ``<script>``, ``[x](…)``,
``*``, ``#`` at a line start or at a headline's end; file names may hold newlines,
``: `` and `` #``.  Escaping happens in exactly one place: here — inline text
(``md_escape_inline``), HTML (``html_escape``) and front matter
(``front_matter_block``, the one YAML writer).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

# Inline syntax anywhere in a line.  Python-Markdown honours a backslash before these.
_BACKSLASH = set("\\`*_{}[]")
# No safe backslash escape in every extension set (tables, attr_list…): use entities.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;", "^": "&#94;", "=": "&#61;"}
_TABLE = str.maketrans({**{ch: "\\" + ch for ch in _BACKSLASH}, **_ENTITIES})
# Block syntax that only counts at the start of a line: "# ", "- ", "+ ", "1. ", "1) ", "---".
_LINE_START = re.compile(r"^(\s*)(#|[-+]|\d+(?=[.)]))")
# Python-Markdown drops a run of "#" at the end of an ATX heading (its closing
# sequence), with or without a space before it: "锦州港3#" would print "锦州港3".
_TRAILING_HASHES = re.compile(r"#+(?=\s*$)")


def md_escape_inline(text: str) -> str:
    """Escape ``text`` for a Markdown paragraph, heading, table cell, list item or link text."""
    escaped = " ".join(text.split("\n")).translate(_TABLE)
    escaped = _TRAILING_HASHES.sub(lambda m: "\\#" * len(m.group()), escaped)  # before: "###" is all trailing
    m = _LINE_START.match(escaped)
    if m:
        lead, token = m.group(1), m.group(2)
        if token.isdigit():  # "1. " ordered list: escape the dot/paren after the number
            rest = escaped[m.end():]
            escaped = lead + token + "\\" + rest if rest else escaped
        else:
            escaped = lead + "\\" + escaped[len(lead):]
    return escaped


def html_escape(text: object) -> str:
    """Escape text for an HTML element or attribute inside a Markdown page (numbers and
    dates too, so templates can filter every value the same way)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")


# libyaml's emitter when PyYAML was built with it (same output, several times faster)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_front_matter(data: dict[str, Any]) -> str:
    """YAML for a page's front matter.  A value is always one scalar of the key it
    belongs to, whatever it holds (newline, ``: ``, `` #``, ``---``): continuation
    lines are indented, so none can start a key or end the block."""
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)


def front_matter_block(data: dict[str, Any]) -> str:
    """The ``---``-fenced front matter that opens every generated Markdown page."""
    return "---\n" + dump_front_matter(data) + "---\n"
