"""Putting untrusted text into Markdown so that it renders as the literal text.

Article text comes from scanned pages and may contain anything: ``<script>``, ``[x](…)``,
``*``, ``#`` at a line start.  Escaping happens in exactly one place: here.
"""

from __future__ import annotations

import re

# Inline syntax anywhere in a line.  Python-Markdown honours a backslash before these.
_BACKSLASH = set("\\`*_{}[]")
# No safe backslash escape in every extension set (tables, attr_list…): use entities.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;", "^": "&#94;", "=": "&#61;"}
_TABLE = str.maketrans({**{ch: "\\" + ch for ch in _BACKSLASH}, **_ENTITIES})
# Block syntax that only counts at the start of a line: "# ", "- ", "+ ", "1. ", "1) ", "---".
_LINE_START = re.compile(r"^(\s*)(#|[-+]|\d+(?=[.)]))")


def md_escape_inline(text: str) -> str:
    """Escape ``text`` for a Markdown paragraph, heading, table cell, list item or link text."""
    escaped = " ".join(text.split("\n")).translate(_TABLE)
    m = _LINE_START.match(escaped)
    if m:
        lead, token = m.group(1), m.group(2)
        if token.isdigit():  # "1. " ordered list: escape the dot/paren after the number
            rest = escaped[m.end():]
            escaped = lead + token + "\\" + rest if rest else escaped
        else:
            escaped = lead + "\\" + escaped[len(lead):]
    return escaped


def html_escape(text: str) -> str:
    """Escape text for an HTML element or attribute inside a Markdown page."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")
