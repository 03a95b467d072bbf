"""Where the bytes of a built page go: head, header, search box, tabs, navigation,
table of contents, content, footer, scripts; and across them, inline SVG icons and
indentation/blank lines.

    python benchmarks/page_bytes.py site/articles/2021/01/x.html [more.html ...]

Regions are cut at Material's landmarks (``<header``, ``md-tabs``, the two
``md-sidebar`` blocks, ``md-content``, ``<footer``, the closing scripts), so the
figures add up to the file's size.  With several files, the mean per region.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# (region, marker that starts it); a region runs to the next marker found
MARKERS = [
    ("head", "<head>"),
    ("body start", "<body"),
    ("header", "<header"),
    ("search box", 'class="md-search"'),
    ("header end", "</header>"),
    ("tabs", '<nav class="md-tabs"'),
    ("main", "<main"),
    ("nav sidebar", "md-sidebar--primary"),
    ("toc sidebar", "md-sidebar--secondary"),
    ("content", '<div class="md-content"'),
    ("after content", "</article>"),
    ("footer", "<footer"),
    ("scripts", 'id="__config"'),
]


def breakdown(html: str) -> dict[str, int]:
    """Bytes per region (UTF-8), plus the cross-cutting ``svg icons``, ``inline
    scripts/styles`` and ``indentation and blank lines`` (not added to the total)."""
    starts = []
    for name, marker in MARKERS:
        at = html.find(marker)
        if at >= 0:
            at = html.rfind("<", 0, at + 1) if not marker.startswith("<") else at
            starts.append((at, name))
    starts.sort()
    out: dict[str, int] = {"before head": len(html[: starts[0][0]].encode())} if starts else {}
    for i, (at, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(html)
        out[name] = out.get(name, 0) + len(html[at:end].encode())
    out["total"] = len(html.encode())
    out["(svg icons)"] = sum(len(s.encode()) for s in re.findall(r"<svg\b.*?</svg>", html, re.S))
    out["(inline scripts/styles)"] = sum(len(s.encode()) for s in re.findall(r"<(script|style)\b[^>]*>.+?</\1>", html, re.S))
    out["(indentation, blank lines)"] = sum(len(s) - 1 for s in re.findall(r"\n[ \t\n]*", html))
    return out


def main(paths: list[str]) -> int:
    rows = [breakdown(Path(p).read_text("utf-8")) for p in paths]
    keys = list(dict.fromkeys(k for r in rows for k in r))
    for key in keys:
        mean = sum(r.get(key, 0) for r in rows) / len(rows)
        print(f"{key:30} {mean / 1000:7.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
