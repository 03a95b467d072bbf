"""Rendering the archive's Markdown pages from Jinja2 templates.

Templates hold the page layout; this module prepares the values they need.  All
text from the newspapers and every file name goes through ``md`` (Markdown-escaped)
or ``h`` (HTML-escaped) filters, so nothing on a page can inject markup or script.
Every page's front matter is one ``front_matter`` value made by
``mdtext.front_matter_block`` (PyYAML), never written in a template: a file name
holding a newline or ``: `` cannot add keys (Material prints ``description`` raw).
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .config import DATA_DIR, load_yaml
from .entity_pages import entity_links, entity_path, link_first_mentions
from .mdtext import dump_front_matter, front_matter_block, html_escape, md_escape_inline
from .metadata import article_path, front_matter, raw_path, rel, source_path
from .model import Article
from .timeline import latest as newest

KIND_NAMES = {"joined": "合并", "normalised": "规范", "removed": "删除", "moved": "移出", "flagged": "存疑"}


@cache
def rule_names() -> dict[str, str]:
    return dict(load_yaml("rules.yaml"))


@cache
def evidence_kind_names() -> dict[str, str]:
    """Chinese names of the date-evidence kinds (``evidence_kinds`` in dates.yaml)."""
    return dict(load_yaml("dates.yaml")["evidence_kinds"])


@cache
def encoding_names() -> dict[str, str]:
    """How the 版面 pages name a source file's encoding (``encodings`` in labels.yaml)."""
    return dict(load_yaml("labels.yaml")["encodings"])


# Rules whose entries only restate the obvious; kept on the article page, left out of
# the 版面 page's list of removals and flags.
ROUTINE_RULES = {"credit", "leadin", "photo-credit", "subtitle-dash", "summary-marker", "markdown-markup"}


@cache
def env() -> Environment:
    e = Environment(
        loader=FileSystemLoader(str(DATA_DIR.parent / "templates")),
        autoescape=False,  # Markdown output: escaping is explicit, per value, via md/h
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    e.filters["md"] = md_escape_inline
    e.filters["h"] = html_escape
    e.filters["rule"] = lambda rule: rule_names().get(rule, rule)
    e.filters["evidence_kind"] = lambda kind: evidence_kind_names().get(kind, kind)
    e.filters["encoding"] = lambda encoding: encoding_names().get(encoding, encoding)
    return e


__all__ = ["dump_front_matter", "render_article", "render_home", "render_source", "render_sources_index"]


def log_counts(art: Article) -> Counter[str]:
    counts: Counter[str] = Counter({k: 0 for k in KIND_NAMES})
    counts.update(e.kind for e in art.log)
    return counts


def page_log_counts(articles: list[Article], furniture: list) -> Counter[str]:
    counts: Counter[str] = Counter({k: 0 for k in KIND_NAMES})
    for art in articles:
        counts.update(log_counts(art))
    counts.update(e.kind for e in furniture)
    return counts


def render_article(art: Article, previous: Article | None = None, following: Article | None = None) -> str:
    """One story's page; ``previous``/``following`` are its neighbours in date order."""
    path = article_path(art)
    counts = log_counts(art)
    summary = "，".join(f"{KIND_NAMES[k]} {n}" for k, n in counts.items() if n) or "无"
    return env().get_template("article.md.j2").render(
        art=art,
        front_matter=front_matter_block(front_matter(art)),
        source_link=rel(path, source_path(art.source)),
        previous=previous and {"title": previous.title or "（无标题）", "link": rel(path, article_path(previous)), "date": previous.date},
        following=following and {"title": following.title or "（无标题）", "link": rel(path, article_path(following)), "date": following.date},
        timeline_link=rel(path, "timeline/index.md"),
        body_md=[("## " if p.heading else "") + text for p, text in zip(
            art.body, link_first_mentions(art.body, art.mentions, lambda kind, key: rel(path, entity_path(kind, key))))],
        tags=[(label, [(name, rel(path, target)) for name, target in items]) for label, items in entity_links(art).items()],
        related=[{"title": r.title or "（无标题）", "link": rel(path, article_path(r)), "date": r.date, "column": r.column} for r in art.related],
        log_counts=summary,
        kind_names=KIND_NAMES,
    )


def _article_row(art: Article, from_doc: str) -> dict[str, Any]:
    return {
        "title": art.title,
        "date": art.date,
        "column": art.column,
        "authors": art.authors,
        "photographers": art.photographers,
        "line": art.line,
        "link": rel(from_doc, article_path(art)),
        "counts": log_counts(art),
    }


def render_home(site_title: str, articles: list[Article], n_sources: int, latest_n: int = 20) -> str:
    latest = newest(articles, latest_n)
    columns = Counter(a.column for a in articles if a.column)
    dates = [a.date for a in articles if a.date]
    return env().get_template("home.md.j2").render(
        front_matter=front_matter_block({"title": site_title}),
        site_title=site_title,
        n_articles=len(articles),
        n_sources=n_sources,
        first_date=min(dates).isoformat() if dates else "",
        last_date=max(dates).isoformat() if dates else "",
        latest=[_article_row(a, "index.md") for a in latest],
        columns=sorted(columns.items(), key=lambda kv: (-kv[1], kv[0])),
    )


def render_sources_index(sources: list[dict[str, Any]], problems: list[str]) -> str:
    rows = [dict(s, link=rel("sources/index.md", source_path(s["name"]))) for s in sources]
    return env().get_template("sources_index.md.j2").render(
        front_matter=front_matter_block({"title": "版面"}), sources=rows, problems=problems)


def render_source(info: dict[str, Any], raw_text: str, articles: list[Article], furniture: list, failed: str = "") -> str:
    doc = source_path(info["name"])
    notable = [(a.title, e) for a in articles for e in a.log if e.kind in ("removed", "flagged") and e.rule not in ROUTINE_RULES]
    return env().get_template("source.md.j2").render(
        **info,
        front_matter=front_matter_block({"title": f"版面 {info['name']}"}),
        raw_link=rel(doc, raw_path(info["name"])),
        raw_text=raw_text,
        raw_lines=raw_text.count("\n") + 1,
        articles=[_article_row(a, doc) for a in articles],
        notable=notable,
        furniture=furniture,
        failed=failed,
        kind_names=KIND_NAMES,
    )
