"""Article identity and front-matter: ids, stable ASCII slugs, URLs, the metadata record.

An article's URL must never change once published, whatever else is added to the
archive.  So a slug depends only on the article itself — its source file, its
title and which occurrence of that title it is on that page — never on its
position in the archive or on other pages.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Sequence

from pypinyin import Style, lazy_pinyin

from ..model import Article

if TYPE_CHECKING:
    from .pagenames import PageName

MAX_SLUG_WORDS = 8
# A slug names a file (at most 255 bytes on every common file system, less inside
# zip archives and with ".md"/".html" added) and is read in URLs: 80 bytes is enough
# for eight pinyin syllables and a hash.  Every slug — article, source page, raw copy,
# entity page — is cut by ``bounded_slug``.
MAX_SLUG_BYTES = 80


def article_id(source_stem: str, title: str, occurrence: int) -> str:
    """A short stable hash naming one story: source page + headline (+ repeat number)."""
    key = f"{source_stem}\n{title}\n{occurrence}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


@lru_cache(maxsize=65536)
def _pinyin(text: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: [s]))


def ascii_words(text: str, limit: int = MAX_SLUG_WORDS) -> list[str]:
    """Pinyin (for Chinese) and lower-case ASCII words of ``text``, for readable URLs."""
    words: list[str] = []
    for piece in _pinyin(text):
        for word in re.findall(r"[a-z0-9]+", piece.lower()):
            words.append(word)
            if len(words) >= limit:
                return words
    return words


def bounded_slug(words: Sequence[str], suffix: str = "", limit: int = MAX_SLUG_BYTES) -> str:
    """``words`` joined by ``-`` (then ``-suffix``) in at most ``limit`` bytes.

    Whole words while they fit, so a slug that was within the bound stays exactly as
    it was (slugs are permanent URLs); a first word too long for the room is cut.  The
    suffix (a hash) is always kept whole: it is what keeps a cut slug unique."""
    room = limit - (len(suffix.encode()) + 1 if suffix else 0)
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate.encode()) > room:
            if not out:
                out = word.encode()[:max(room, 0)].decode("utf-8", "ignore")
            break
        out = candidate
    return f"{out}-{suffix}" if out and suffix else out or suffix


def assign_slugs(articles: list[Article]) -> None:
    """Give every article its stable slug ``<pinyin-of-title>-<id>``."""
    seen: Counter[tuple[str, str]] = Counter()
    for art in articles:
        key = (art.source, art.title)
        occurrence = seen[key]
        seen[key] += 1
        stem = art.source.rsplit(".", 1)[0]
        words = ascii_words(art.title) or ["article"]
        art.slug = bounded_slug(words, article_id(stem, art.title, occurrence))


def article_path(art: Article) -> str:
    """Docs-relative path of the article's Markdown file."""
    if art.date is None:
        return f"articles/undated/{art.slug}.md"
    return f"articles/{art.date.year:04d}/{art.date.month:02d}/{art.slug}.md"  # %Y gives "1" for year 1


def page_url(doc_path: str) -> str:
    """The URL, relative to the site root, of the page built from a docs path
    (``use_directory_urls: false``: ``a/b.md`` → ``a/b.html``)."""
    return doc_path[: -len(".md")] + ".html"


def article_url(art: Article) -> str:
    return page_url(article_path(art))


_SAFE_NAME = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9_.-]{{0,{MAX_SLUG_BYTES - 1}}}$")


def source_slug(source_name: str) -> str:
    """ASCII, path-safe name for a source file's pages: its own stem when that is already
    plain ASCII, else pinyin plus a hash of the full name (zip archives of the site
    must open on systems whose locale is not UTF-8)."""
    stem = source_name.rsplit(".", 1)[0]
    if _SAFE_NAME.match(stem) and ".." not in stem:
        return stem
    words = ascii_words(stem) or ["page"]
    return bounded_slug(words, hashlib.sha1(source_name.encode("utf-8", "surrogateescape")).hexdigest()[:8])


def source_path(source_name: str) -> str:
    return f"sources/{source_slug(source_name)}.md"


def raw_path(source_name: str) -> str:
    return f"sources/raw/{source_slug(source_name)}.txt"


def front_matter(art: Article, source: PageName | None = None) -> dict[str, Any]:
    """The article's metadata, in the order documented in README.md.  ``source`` is the
    reader's name of its 版面 (default: the newspaper.yaml defaults)."""
    from .citation import gbt7714
    from .pagenames import name_pages

    source = source or name_pages([(art.source, "", "", art.date, art.date_inferred)])[art.source]
    return {
        "title": art.title,
        "kicker": art.kicker,
        "subtitle": art.subtitle,
        "column": art.column,
        "authors": list(art.authors),
        "photographers": list(art.photographers),
        "date": art.date.isoformat() if art.date else None,
        "date_inferred": art.date_inferred,
        "source": art.source,
        "newspaper": source.newspaper,
        "page_label": source.page_label,
        "citation": gbt7714(art, source),
        "summary": "\n\n".join(p.text for p in art.summary),
        "captions": [{"text": c.text, "photographers": list(c.photographers)} for c in art.captions],
        "places": list(art.places),
        "topics": list(art.topics),
        "organizations": list(art.organizations),
    }


def catalogue_record(art: Article, source: PageName | None = None) -> dict[str, Any]:
    """One entry of site/data/articles.json: front-matter plus id, url and body."""
    record = {"id": art.slug.rsplit("-", 1)[-1], "url": article_url(art)}
    record.update(front_matter(art, source))
    record["sidebar"] = {"title": art.sidebar_title, "text": "\n\n".join(p.text for p in art.sidebar)} if (art.sidebar or art.sidebar_title) else None
    record["section_headings"] = [p.text for p in art.body if p.heading]
    record["body"] = art.body_text
    # the editors' detail: every change and flag with its rule id (pages show the rule's Chinese name)
    record["log"] = [{"kind": e.kind, "rule": e.rule, "line": e.line, "text": e.text, "detail": e.detail} for e in art.log]
    return record


@lru_cache(maxsize=65536)
def rel(from_doc: str, to_doc: str) -> str:
    """Relative link between two docs-relative paths (MkDocs turns .md into .html).

    ``posixpath.relpath`` makes both paths absolute against the current folder first:
    at 30,000 links a page set that cost seconds.  Our paths are already normalised
    and relative, so the common prefix is enough (same result; anything unusual —
    ``.``, ``..``, empty parts — still goes through ``relpath``)."""
    start, target = from_doc.split("/")[:-1], to_doc.split("/")
    if any(part in ("", ".", "..") for part in start + target):
        return posixpath.relpath(to_doc, posixpath.dirname(from_doc) or ".")
    common = 0
    while common < len(start) and common < len(target) and start[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:]) or "."
