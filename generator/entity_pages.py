"""Entity pages: one page per place, topic, organisation and person, and an index per kind.

Generated as plain Markdown (Material's tags plugin would make 1.4 MB listing pages
at 5,000 articles).  Each entity page lists every article that mentions it — date,
title, column — with a one-line keyword-in-context snippet.  Index pages are sorted
by pinyin with letter headings; places are also shown as a tree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from .entities import entity_slug, index
from .linking import place_label
from .mdtext import md_escape_inline
from .metadata import article_path, rel
from .model import Article

KINDS = {
    "place": ("places", "地点"),
    "topic": ("topics", "主题"),
    "organization": ("organizations", "机构"),
    "person": ("people", "人物"),
}
LEVEL_NAMES = {"city": "地级市", "county": "县级行政区", "town": "乡镇/街道", "village": "村/社区",
               "zone": "功能区", "named": "地名"}
SNIPPET = 18  # characters of context on each side


def entity_path(kind: str, key: str) -> str:
    return f"{KINDS[kind][0]}/{entity_slug(kind, key)}.md"


def display_name(kind: str, key: str) -> str:
    return key.rsplit("/", 1)[-1] if kind == "place" else key


@lru_cache(maxsize=65536)
def pinyin_key(name: str) -> tuple[tuple[str, ...], str]:
    return tuple(lazy_pinyin(name, errors=lambda s: list(s))), name


def letter(name: str) -> str:
    first = lazy_pinyin(name[:1], style=Style.FIRST_LETTER, errors=lambda s: list(s))
    ch = (first[0][:1] if first and first[0] else "#").upper()
    return ch if "A" <= ch <= "Z" else "#"


@dataclass
class _Entry:
    articles: list[Article] = field(default_factory=list)
    snippets: dict[str, str] = field(default_factory=dict)  # article slug → snippet Markdown


def _entries(articles: list[Article]) -> dict[tuple[str, str], _Entry]:
    entries: dict[tuple[str, str], _Entry] = defaultdict(_Entry)
    for art in articles:
        keys = ([("place", p) for p in art.places] + [("topic", t) for t in art.topics]
                + [("organization", o) for o in art.organizations] + [("person", p) for p in art.people])
        for key in keys:
            entries[key].articles.append(art)
        for para, start, end, kind, key in art.mentions:
            snippets = entries[(kind, key)].snippets
            if art.slug not in snippets:
                text = art.body[para].text
                before = text[max(0, start - SNIPPET):start]
                after = text[end:end + SNIPPET]
                snippets[art.slug] = ("…" if start > SNIPPET else "") + md_escape_inline(before) + "**" + \
                    md_escape_inline(text[start:end]) + "**" + md_escape_inline(after) + ("…" if end + SNIPPET < len(text) else "")
    return entries


def _article_line(art: Article, from_doc: str, snippet: str) -> str:
    date = art.date.isoformat() if art.date else "日期不详"
    column = f" · {md_escape_inline(art.column)}" if art.column else ""
    line = f"- {date} · [{md_escape_inline(art.title or '（无标题）')}]({rel(from_doc, article_path(art))}){column}"
    return line + (f"  \n  {snippet}" if snippet else "")


def _place_header(key: str, doc: str, have: set[str]) -> list[str]:
    places = index().places
    place = places.get("锦州市/" + key)
    lines: list[str] = []
    if place is None:
        return lines
    lines.append(f"- 类别：{LEVEL_NAMES.get(place.level, place.level)}")
    chain = []
    for depth in range(1, len(place.path) - 1):
        parent = place_label("/".join(place.path[: depth + 1]))
        name = md_escape_inline(place.path[depth])
        chain.append(f"[{name}]({rel(doc, entity_path('place', parent))})" if parent in have else name)
    lines.append("- 上级：" + " › ".join(["锦州市", *chain]))
    children = sorted((p for p in places.values() if p.path[:-1] == place.path), key=lambda p: pinyin_key(p.name))
    if children:
        linked = [f"[{md_escape_inline(c.name)}]({rel(doc, entity_path('place', place_label(c.key)))})"
                  for c in children if place_label(c.key) in have]
        rest = len(children) - len(linked)
        lines.append("- 下辖：" + ("、".join(linked) if linked else "") + (f"（另有 {rest} 处本档案尚无报道）" if rest else ""))
    return lines


def entity_pages(articles: list[Article]) -> dict[str, str]:
    """docs-relative path → Markdown, for every entity page and the four index pages."""
    entries = _entries(articles)
    # every ancestor of a mentioned place gets a page too, so the hierarchy can be walked
    for kind, key in list(entries):
        if kind == "place":
            parts = key.split("/")
            for depth in range(1, len(parts)):
                entries.setdefault(("place", "/".join(parts[:depth])), _Entry())
    have_places = {key for kind, key in entries if kind == "place"}
    pages: dict[str, str] = {}
    for (kind, key), entry in entries.items():
        doc = entity_path(kind, key)
        name = display_name(kind, key)
        folder, label = KINDS[kind]
        lines = ["---", f"title: {name}", "---", "", f"# {md_escape_inline(name)}", "",
                 f"[← 全部{label}]({rel(doc, folder + '/index.md')})", ""]
        if kind == "place":
            lines += _place_header(key, doc, have_places) + [""]
        ordered = sorted(entry.articles, key=lambda a: (a.date is None, -(a.date.toordinal() if a.date else 0), a.source, a.index))
        lines.append(f"## 提及{md_escape_inline(name)}的文章（{len(ordered)} 篇）" if ordered else "本档案中尚无直接提及此处的文章。")
        lines.append("")
        lines += [_article_line(a, doc, entry.snippets.get(a.slug, "")) for a in ordered]
        pages[doc] = "\n".join(lines) + "\n"
    for kind, (folder, label) in KINDS.items():
        keys = sorted((k for kd, k in entries if kd == kind), key=lambda k: pinyin_key(display_name(kind, k)))
        doc = f"{folder}/index.md"
        lines = ["---", f"title: {label}", "---", "", f"# {label}", "",
                 f"共 {len(keys)} 个{label}，按拼音排序；括号内为提及的文章数。", ""]
        if kind == "place" and keys:
            lines += ["## 行政区划树", ""] + _tree(keys, doc, entries) + [""]
            lines += ["## 按拼音", ""]
        current = None
        for key in keys:
            first = letter(display_name(kind, key))
            if first != current:
                current = first
                lines += ["", f"### {first}" if kind == "place" else f"## {first}", ""]
            suffix = f" · {md_escape_inline(place_label(key.rsplit('/', 1)[0]))}" if kind == "place" and "/" in key else ""
            lines.append(f"- [{md_escape_inline(display_name(kind, key))}]({rel(doc, entity_path(kind, key))})"
                         f"（{len(entries[(kind, key)].articles)}）{suffix}")
        pages[doc] = "\n".join(lines) + "\n"
    return pages


def _tree(keys: list[str], doc: str, entries: dict) -> list[str]:
    lines = []
    for key in sorted(keys, key=lambda k: [pinyin_key(part) for part in k.split("/")]):
        depth = key.count("/")
        name = display_name("place", key)
        lines.append("    " * depth + f"- [{md_escape_inline(name)}]({rel(doc, entity_path('place', key))})"
                     f"（{len(entries[('place', key)].articles)}）")
    return lines


def entity_links(art: Article) -> dict[str, list[tuple[str, str]]]:
    """Label → [(name, docs-relative path)] for the tags block of an article page."""
    out: dict[str, list[tuple[str, str]]] = {}
    for kind, values in (("place", art.places), ("topic", art.topics), ("organization", art.organizations), ("person", art.people)):
        if values:
            out[KINDS[kind][1]] = [(display_name(kind, v), entity_path(kind, v)) for v in values]
    return out
