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

from ..entities.slugs import EntitySlugs
from ..model import Article
from ..settings.profile import DATA_DIR, load_yaml
from .columns import column_path
from .entity_pages import entity_links, entity_path, link_first_mentions
from .issues import day_path
from .mdtext import front_matter_block, html_escape, md_escape_inline
from .metadata import (
    article_path,
    front_matter,
    page_url,
    raw_path,
    raw_view_path,
    rel,
    source_path,
)
from .pagenames import PageName, cn_date, name_pages
from .timeline import latest as newest

KIND_NAMES = {"joined": "合并", "normalised": "规范", "removed": "删除", "moved": "移出", "flagged": "存疑"}


@cache
def rule_names() -> dict[str, str]:
    return dict(load_yaml("rules.yaml"))


@cache
def evidence_kind_names() -> dict[str, str]:
    """Chinese names of the date-evidence kinds (``evidence_kinds`` in labels.yaml)."""
    return dict(load_yaml("labels.yaml")["evidence_kinds"])


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


@cache
def note_rules() -> dict[str, dict[str, str]]:
    return dict(load_yaml("notes.yaml"))


def damage_notes(art: Article) -> list[tuple[str, str]]:
    """(note, where) for each flagged damage of the story that has an editor's note."""
    return [(rule["text"], rule["at"]) for e in art.log if e.kind == "flagged" and (rule := note_rules().get(e.rule))]


def with_damage_notes(art: Article, body_md: list[str]) -> list[str]:
    """The body with 〔editor's notes〕 at the damage the cleaning flagged: text cut off
    mid-sentence is marked where it stops, other damage beside its paragraph — a reader
    sees it in the text, not only in the folded log."""
    def note(text: str) -> str:
        return f'<span class="editor-note">〔{html_escape(text)}〕</span>'

    out = list(body_md)
    starts = [p.line for p in art.body]
    for e in art.log:
        rule = note_rules().get(e.rule) if e.kind == "flagged" else None
        if not rule or rule["at"] == "headline" or not out:
            continue
        n = max((k for k, line in enumerate(starts) if line <= e.line), default=0)
        if rule["at"] == "before":
            n = next((k for k, p in enumerate(art.body) if p.heading and p.line >= e.line), n)
            out[n] = f'<p class="editor-note">〔{html_escape(rule["text"])}〕</p>\n\n' + out[n]
        elif rule["at"] == "end" and not art.body[n].heading:
            out[n] += note(rule["text"])
        else:
            out[n] += f'\n\n<p class="editor-note">〔{html_escape(rule["text"])}〕</p>'
    return out


def render_article(art: Article, slugs: EntitySlugs, previous: Article | None = None, following: Article | None = None,
                   source: PageName | None = None) -> str:
    """One story's page; ``slugs`` name its entities' pages, ``previous``/``following``
    are its neighbours in date order, ``source`` the reader's name of its 版面 (default:
    from the 锦州 profile's newspaper.yaml)."""
    path = article_path(art)
    source = source or name_pages([(art.source, "", "", art.date, art.date_inferred)])[art.source]
    counts = log_counts(art)
    summary = "，".join(f"{KIND_NAMES[k]} {n}" for k, n in counts.items() if n) or "无"
    return env().get_template("article.md.j2").render(
        art=art,
        front_matter=front_matter_block(front_matter(art, source)),
        source_link=rel(path, source_path(art.source)),
        raw_view_link=rel(path, raw_view_path(art.source)),
        raw_view_html=page_url(rel(path, raw_view_path(art.source))),
        source_ref=source.reference,
        column_link=page_url(rel(path, column_path(art.column))) if art.column else "",
        previous=previous and {"title": previous.title or "（无标题）", "link": rel(path, article_path(previous)), "date": previous.date},
        following=following and {"title": following.title or "（无标题）", "link": rel(path, article_path(following)), "date": following.date},
        timeline_link=rel(path, "timeline/index.md"),
        body_md=with_damage_notes(art, [("## " if p.heading else "") + text for p, text in zip(
            art.body, link_first_mentions(art.body, art.mentions, lambda kind, key: rel(path, entity_path(kind, key, slugs))))]),
        headline_notes=[n for n, at in damage_notes(art) if at == "headline"],
        tags=[(label, [(name, rel(path, target)) for name, target in items]) for label, items in entity_links(art, slugs).items()],
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
        columns=[(name, n, column_path(name)) for name, n in sorted(columns.items(), key=lambda kv: (-kv[1], kv[0]))],
        columns_link="columns/index.md",
        issues_link="issues/index.md",
    )


def render_sources_index(sources: list[dict[str, Any]], problems: list[str]) -> str:
    """The 版面 index: grouped by year and month, newest first (undated last); a
    month's pages newest day first, then by file name.  ``title`` is the reader's name."""
    rows = sorted((dict(s, title=s.get("title") or f"版面 {s['name']}", link=rel("sources/index.md", source_path(s["name"])))
                   for s in sources),
                  key=lambda s: (s["date"] is None, -(s["date"].toordinal() if s["date"] else 0), s["name"]))
    groups: list[dict[str, Any]] = []
    for row in rows:
        year = row["date"].year if row["date"] else None
        if not groups or groups[-1]["year"] != year:
            groups.append({"year": year, "months": []})
        month = row["date"].month if row["date"] else None
        months = groups[-1]["months"]
        if not months or months[-1]["month"] != month:
            months.append({"month": month, "sources": []})
        months[-1]["sources"].append(row)
    return env().get_template("sources_index.md.j2").render(
        front_matter=front_matter_block({"title": "版面"}), groups=groups, n_sources=len(rows),
        issues_link="../issues/index.md", problems=problems)


def render_source(info: dict[str, Any], articles: list[Article], furniture: list, failed: str = "") -> str:
    doc = source_path(info["name"])
    title = info.get("title") or f"版面 {info['name']}"
    notable = [(a.title, e) for a in articles for e in a.log if e.kind in ("removed", "flagged") and e.rule not in ROUTINE_RULES]
    return env().get_template("source.md.j2").render(
        **dict(info, title=title),
        front_matter=front_matter_block({"title": title}),
        date_text=cn_date(info["date"]) if info["date"] else "",
        day_link=rel(doc, day_path(info["date"])) if info["date"] else "",
        raw_link=rel(doc, raw_path(info["name"])),
        raw_view_link=rel(doc, raw_view_path(info["name"])),
        raw_view_html=page_url(rel(doc, raw_view_path(info["name"]))),
        articles=[_article_row(a, doc) for a in articles],
        notable=notable,
        furniture=furniture,
        failed=failed,
        kind_names=KIND_NAMES,
    )


def render_raw_view(info: dict[str, Any], raw_text: str) -> str:
    """The original page's text as a page: every line numbered and anchored, so the
    line numbers of the logs and the date evidence can point into it."""
    doc = raw_view_path(info["name"])
    title = f"{info.get('title') or info['name']} · 原文"
    return env().get_template("raw.md.j2").render(
        front_matter=front_matter_block({"title": title}), title=title, page_title=info.get("title") or info["name"],
        lines=raw_text.split("\n"), encoding=info["encoding"],
        source_link=page_url(rel(doc, source_path(info["name"]))), raw_link=rel(doc, raw_path(info["name"])))
