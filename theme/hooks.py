"""MkDocs hook (mkdocs.yml ``hooks:``): every page without the indentation and blank
lines of Material's templates.

Material's Jinja templates indent every tag and leave a blank line for each
``{% if %}``: about 4 KB of a 26 KB article page was spaces and newlines.  Each run
of whitespace that holds a line break becomes one line break, which a browser
renders exactly as before (a run of collapsible white space is one space, or none
between CJK characters).  ``<pre>``, ``<textarea>`` and ``<script>`` keep theirs.

Not copied into the site: MkDocs never copies ``*.py`` from a theme folder.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)", re.S | re.I)
_BREAK = re.compile(r"[ \t]*\n[ \t\n]*")


def collapse(html: str) -> str:
    """``html`` with each whitespace run holding a newline made one newline, outside
    ``<pre>``, ``<textarea>`` and ``<script>``."""
    parts = _KEEP.split(html)
    out = []
    # split() with two groups gives: text, whole kept element, tag name, text, ...
    for i in range(0, len(parts), 3):
        out.append(_BREAK.sub("\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out).lstrip("\n")


def on_post_page(output: str, page, config) -> str:
    return collapse(output)


def on_post_template(output_content: str, template_name: str, config) -> str:
    return collapse(output_content) if template_name.endswith(".html") else output_content
