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
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..entities.slugs import EntitySlugs
from ..model import Article
from ..settings.profile import DATA_DIR, load_yaml
from .columns import column_path
from .entity_pages import (
    article_entities,
    entity_links,
    entity_path,
    link_first_mentions,
)
from .issues import day_path
from .mdtext import front_matter_block, html_escape, md_escape_inline
from .metadata import (
    article_path,
    front_matter,
    page_url,
    raw_path,
    rel,
    source_path,
)
from .pagenames import PageName, cn_date, name_pages
from .paging import PER_PAGE, Page, counts, md_size, page_groups, pager_links, paginate
from .timeline import latest as newest
from .timeline import neighbours

if TYPE_CHECKING:
    from ..context import BuildContext

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
        log_link=f"{rel(path, source_path(art.source))}#{log_anchor(art)}",
    )


def article_pages(articles: list[Article], ctx: "BuildContext", names: dict[str, PageName]) -> dict[str, str]:
    """Every story's page (docs-relative path → Markdown), each taken from the memo
    when it is made from the same story, neighbours, 版面 name and entity pages as in
    the previous build: a day's update renders its own stories and their neighbours."""
    memo, slugs = ctx.memos["articles"], ctx.entity_slugs
    chain = neighbours(articles)
    out: dict[str, str] = {}
    for art in articles:
        previous, following = chain[art.slug]
        entities = sorted({entity_path(kind, key, slugs) for kind, key in article_entities(art)}
                          | {entity_path(kind, key, slugs) for *_, kind, key in art.mentions})
        key = memo.key(memo.digest(art), *((article_path(n), n.title, n.date) if n else None for n in (previous, following)),
                       [(article_path(r), r.title, r.date, r.column) for r in art.related], names[art.source], entities)
        path = article_path(art)
        out[path] = memo.page(key, path, partial(render_article, art, slugs, previous, following, source=names[art.source]))
    return out


def log_anchor(art: Article) -> str:
    """The anchor of an article's cleaning log on its 版面 page: ``log-<id>``."""
    return "log-" + art.slug.rsplit("-", 1)[-1]


def _article_row(art: Article, from_doc: str) -> dict[str, Any]:
    return {
        "log": art.log,
        "log_id": log_anchor(art),
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


def _month_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows (newest first) as years → months → rows, for the 版面 index template."""
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
    return groups


def _source_dates(page: Page) -> str:
    dates = [s["date"] for s in page.entries if s["date"]]
    if not dates:
        return ""
    lo, hi = min(dates), max(dates)
    return cn_date(lo) + (f"至{cn_date(hi)}" if hi != lo else "")


SOURCES_INDEX = "sources/index.md"
SOURCES_UNDATED = "sources/index/undated"


def sources_index_pages(sources: list[dict[str, Any]], problems: list[str], per_page: int = PER_PAGE) -> dict[str, str]:
    """The 版面 index: grouped by year and month, newest first; a month's pages newest
    day first, then by file name.  ``title`` is the reader's name.  One page while it
    holds ``per_page`` 版面 or fewer (undated last); beyond, the dated 版面 are paginated
    (``sources/index.md``, then ``sources/index/<n>.md`` counted from the oldest) and
    the undated ones get their own list, ``sources/index/undated.md``."""
    rows = sorted((dict(s, title=s.get("title") or f"版面 {s['name']}", link=source_path(s["name"])) for s in sources),
                  key=lambda s: (s["date"] is None, -(s["date"].toordinal() if s["date"] else 0), s["name"]))
    dated = [r for r in rows if r["date"]]
    undated = [r for r in rows if not r["date"]]
    single = len(rows) <= per_page
    template = env().get_template("sources_index.md.j2")
    pages: dict[str, str] = {}

    def size(row: dict[str, Any]) -> int:
        return md_size(row["title"]) + md_size(row["link"]) + 120

    for base, listing_rows, kind in ((SOURCES_INDEX[:-3], rows if single else dated, "dated"),
                                     (SOURCES_UNDATED, [] if single else undated, "undated")):
        if kind == "undated" and not listing_rows:
            continue
        listing = paginate(base, listing_rows, size, per_page=len(rows) + 1 if single else per_page)
        for page in listing:
            doc = page.doc
            if kind == "undated":
                title = "版面：日期不详" if page.first else f"版面：日期不详（第 {page.number} 页）"
            else:
                title = "版面" if page.first else f"版面（第 {page.number} 页）"
            pages[doc] = template.render(
                front_matter=front_matter_block({"title": title}), title=title, kind=kind, first=page.first,
                groups=_month_groups([dict(r, link=rel(doc, r["link"])) for r in page.entries]),
                n_sources=len(rows), n_undated=len(undated), single=single,
                counts=counts(page, listing, "个") if len(listing) > 1 else "",
                pager=pager_links(page, listing, _source_dates),
                pages=page_groups(listing, lambda p: f"{p.entries[0]['date'].year}年" if p.entries[0]["date"] else "日期不详",
                                _source_dates) if page.first else [],
                index_link=rel(doc, SOURCES_INDEX), undated_link=rel(doc, SOURCES_UNDATED + ".md"),
                issues_link=rel(doc, "issues/index.md"), problems=problems if doc == SOURCES_INDEX else [])
    return pages


def render_source(info: dict[str, Any], articles: list[Article], furniture: list, failed: str = "",
                  raw_text: str = "") -> str:
    """One 版面 page: the page's facts and date evidence, its stories, cleaning report and
    every story's cleaning log, its furniture, and ``raw_text`` (the original as read)
    line by line, every line anchored (``#L12``) for the line numbers above and of the
    article pages to point at."""
    doc = source_path(info["name"])
    title = info.get("title") or f"版面 {info['name']}"
    rows = [_article_row(a, doc) for a in articles]
    return env().get_template("source.md.j2").render(
        **dict(info, title=title),
        front_matter=front_matter_block({"title": title}),
        date_text=cn_date(info["date"]) if info["date"] else "",
        day_link=rel(doc, day_path(info["date"])) if info["date"] else "",
        raw_link=rel(doc, raw_path(info["name"])),
        articles=rows,
        logged=[r for r in rows if r["log"]],
        furniture=furniture,
        failed=failed,
        kind_names=KIND_NAMES,
        lines=raw_text.split("\n") if raw_text else [],
    )
