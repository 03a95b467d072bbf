"""Entity pages: one page per place, topic, organisation and person, and an index per kind.

Pure functions of the article list.  Each entity page has a short header (for a
place: its level, parent chain and children) and then every article that mentions
it — date, title, column — with a one-line keyword-in-context snippet.  Each kind
has an index sorted by pinyin (pypinyin) with letter headings; places also as a
tree.  Plain Markdown, not Material's tags plugin (its listing pages grow to
megabytes at a few thousand articles).

The layout is in ``templates/entity.md.j2`` and ``templates/entity_index.md.j2``;
this module chooses and orders the articles and entities and makes the links and the
keyword-in-context snippets.  Every piece of newspaper text is escaped by the
templates' ``md`` filter (``md_escape_inline``) so a title with ``[``, ``*`` or
``<script>`` renders literally.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Iterable, Sequence

from ..cache import Memo
from ..context import BuildContext
from ..entities.index import Entities, EntityIndex, Surnames, pinyin_words
from ..entities.slugs import EntitySlugs
from ..model import Article, Paragraph
from .mdtext import front_matter_block, md_escape_inline
from .metadata import article_path, rel
from .paging import PER_PAGE, Page, counts, md_size, page_groups, pager_links, paginate

KINDS = {
    "place": ("places", "地点"),
    "topic": ("topics", "主题"),
    "organization": ("organizations", "机构"),
    "person": ("people", "记者与摄影"),  # the people of the credits, not everyone the stories name
}
LEVEL_NAMES = {"city": "地级市", "county": "县级行政区", "zone": "功能区", "town": "乡镇/街道",
               "village": "村/社区", "named": "地名"}
SNIPPET = 18  # characters of context on each side of the keyword
RELATED_MIN, RELATED_MAX = 3, 5
COMMON_ENTITY = 200  # an entity in more articles than this says little about relatedness

UrlOf = Callable[[Article], str]


# ---------------------------------------------------------------------------
# names, paths, ordering
# ---------------------------------------------------------------------------
def entity_path(kind: str, key: str, slugs: EntitySlugs) -> str:
    """Docs-relative path of an entity's page: ``places/jiu-dao-ling-zhen.md``."""
    return f"{KINDS[kind][0]}/{slugs.slug(kind, key)}.md"


def display_name(kind: str, key: str) -> str:
    return key.rsplit("/", 1)[-1] if kind == "place" else key


def letter(name: str, kind: str = "", surnames: Surnames = ()) -> str:
    """Index heading for a name: the first letter of its pinyin, ``#`` for anything else."""
    words = pinyin_words(name[:2] if kind == "person" else name[:1], kind, surnames)
    ch = words[0][:1].upper() if words else "#"
    return ch if "A" <= ch <= "Z" else "#"


def pinyin_key(name: str, kind: str = "", surnames: Surnames = ()) -> tuple:
    """Sort key: letters A–Z first, then ``#``; by pinyin syllables, then by the characters."""
    return (letter(name, kind, surnames) == "#", pinyin_words(name, kind, surnames), name)


# ---------------------------------------------------------------------------
# who mentions what
# ---------------------------------------------------------------------------
def _people(art: Article) -> list[str]:
    return art.people or list(dict.fromkeys(art.authors + art.photographers))


def article_entities(art: Article) -> list[tuple[str, str]]:
    return ([("place", p) for p in art.places] + [("topic", t) for t in art.topics]
            + [("organization", o) for o in art.organizations] + [("person", p) for p in _people(art)])


def _surfaces(kind: str, key: str, idx: EntityIndex) -> list[str]:
    """Printed forms to look for when an article has no recorded offset for an entity."""
    name = display_name(kind, key)
    forms = {name}
    if kind == "place":
        forms |= idx.place_aliases.get(key, set())
    elif kind == "topic":
        forms |= {s for s, c in idx.topics.items() if c == key}
    elif kind == "organization":
        forms |= {s for s, c in idx.org_aliases.items() if c == key}
    return sorted(forms, key=lambda form: (-len(form), form))  # longest first; ties by text, not set order


Snippet = dict  # keyword in context: {cut_before, before, word, after, cut_after}, or {roles} of a byline


def _snippet_at(text: str, start: int, end: int) -> Snippet:
    return {"roles": [], "cut_before": start > SNIPPET, "before": text[max(0, start - SNIPPET):start], "word": text[start:end],
            "after": text[end:end + SNIPPET], "cut_after": end + SNIPPET < len(text)}


def kwic(art: Article, kind: str, key: str, idx: EntityIndex) -> Snippet | None:
    """One line of keyword in context, or ``None``: the first body mention, else the
    first printed form found in headline, 核心提示, body, captions or 链接 box (the
    ``snippet`` macro of ``entity.md.j2`` escapes and writes it).  A person: the roles
    of the byline (``{"roles": ["文", "摄影"]}``)."""
    if kind == "person":
        roles = (["文"] if key in art.authors else []) + (["摄影"] if key in art.photographers else [])
        return {"roles": roles} if roles else None
    for para, start, end, k, name in art.mentions:
        if k == kind and name == key and para < len(art.body):
            return _snippet_at(art.body[para].text, start, end)
    texts = ([art.title, art.kicker, art.subtitle] + [p.text for p in art.summary] + [p.text for p in art.body]
             + [c.text for c in art.captions] + [art.sidebar_title] + [p.text for p in art.sidebar])
    forms = _surfaces(kind, key, idx)
    for text in texts:
        for form in forms:
            at = text.find(form) if text else -1
            if at >= 0:
                return _snippet_at(text, at, at + len(form))
    return None


@dataclass
class _Entry:
    articles: list[Article] = field(default_factory=list)


def entity_entries(articles: list[Article]) -> dict[tuple[str, str], _Entry]:
    """(kind, key) → the articles naming it: one entry per entity page (pages and search share it)."""
    entries: dict[tuple[str, str], _Entry] = defaultdict(_Entry)
    for art in articles:
        for key in dict.fromkeys(article_entities(art)):
            entries[key].articles.append(art)
    # every ancestor of a mentioned place gets a page too, so the hierarchy can be walked
    for kind, key in list(entries):
        if kind == "place":
            parts = key.split("/")
            for depth in range(1, len(parts)):
                entries.setdefault(("place", "/".join(parts[:depth])), _Entry())
    return entries


def _date_order(art: Article) -> tuple:
    return (art.date is None, -(art.date.toordinal() if art.date else 0), art.source, art.index)


def _article_entry(art: Article, url_of: UrlOf, snippet: Snippet | None) -> dict:
    """One entry — date, title, column and the keyword in context — for ``entity.md.j2``;
    ``url`` is docs-relative (the way up to the site root, ``../``, depends on the page)."""
    return {"day": art.date, "date": art.date.isoformat() if art.date else "日期不详", "title": art.title or "（无标题）",
            "column": art.column, "url": url_of(art), "snippet": snippet}


def _snippet_bytes(s: Snippet | None) -> int:
    if not s:
        return 0
    if s["roles"]:
        return md_size("署名：" + "、".join(s["roles"]))
    return (3 * (s["cut_before"] + s["cut_after"]) + 4 + md_size(md_escape_inline(s["before"]))
            + md_size(md_escape_inline(s["word"])) + md_size(md_escape_inline(s["after"])))


def _entry_bytes(e: dict) -> int:
    """The bytes of an entry's line as ``entity.md.j2`` writes it, less the ``../``s."""
    return (md_size(f"- {e['date']} · [{md_escape_inline(e['title'])}]({e['url']})")
            + (md_size(f" · {md_escape_inline(e['column'])}") if e["column"] else 0)
            + (5 + _snippet_bytes(e["snippet"]) if e["snippet"] else 0))


# ---------------------------------------------------------------------------
# headers
# ---------------------------------------------------------------------------
def _link(doc: str, kind: str, key: str, slugs: EntitySlugs) -> dict:
    """An entity's name and the link to its page from ``doc``."""
    return {"name": display_name(kind, key), "link": rel(doc, entity_path(kind, key, slugs))}


def _place_header(key: str, doc: str, have: set[str], ctx: BuildContext) -> dict:
    idx, slugs = ctx.entities, ctx.entity_slugs
    place = idx.places.get(key) or idx.register(key)
    chain = [{"name": ctx.root_place, "link": ""}]
    for depth in range(1, len(place.path) - 1):
        parent = "/".join(place.path[1:depth + 1])
        chain.append(_link(doc, "place", parent, slugs) if parent in have else {"name": place.path[depth], "link": ""})
    children = sorted(idx.children.get(key, []), key=lambda k: pinyin_key(display_name("place", k)))
    linked = [_link(doc, "place", c, slugs) for c in children if c in have]
    return {"kind": "place", "shown": True, "level": LEVEL_NAMES.get(place.level, place.level), "chain": chain,
            "n_children": len(children), "children": linked, "n_unreported": len(children) - len(linked),
            "aliases": sorted(idx.place_aliases.get(key, set()) - {place.name}, key=pinyin_key), "code": place.code}


def _topic_header(key: str, idx: EntityIndex) -> dict:
    info = idx.topic_info.get(key) or {}
    description = str(info["description"]) if info.get("description") else ""
    aliases = sorted({s for s, c in idx.topics.items() if c == key and s != key}, key=pinyin_key)
    return {"kind": "topic", "shown": bool(description or aliases), "description": description, "aliases": aliases}


def _org_header(key: str, idx: EntityIndex) -> dict:
    aliases = sorted({s for s, c in idx.org_aliases.items() if c == key and s != key}, key=pinyin_key)
    return {"kind": "organization", "shown": bool(aliases), "aliases": aliases}


def _person_header(key: str, arts: list[Article]) -> dict:
    wrote = sum(key in a.authors for a in arts)
    shot = sum(key in a.photographers for a in arts)
    return {"kind": "person", "shown": bool(wrote or shot), "n_wrote": wrote, "n_shot": shot}


# ---------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------
def _env():
    from .render import env  # rendering imports this module: imported late

    return env()


def _date_label(page: Page) -> str:
    """A page's date range: ``2020-11-25至2021-03-02``."""
    dates = [e["day"] for e in page.entries if e["day"]]
    if not dates:
        return "日期不详"
    newest, oldest = max(dates).isoformat(), min(dates).isoformat()
    return newest if newest == oldest else f"{oldest}至{newest}"


def _year_label(page: Page) -> str:
    dates = [e["day"] for e in page.entries if e["day"]]
    return f"{max(dates).year}年" if dates else "日期不详"


def entity_pages(articles: list[Article], ctx: BuildContext, url_of: UrlOf | None = None,
                 per_page: int = PER_PAGE) -> dict[str, str]:
    """docs-relative path → Markdown, for every entity page and the four index pages.

    ``url_of(article)`` is the docs-relative path of the article's page
    (``articles/2020/11/foo.md``); by default ``metadata.article_path``.  An entity's
    articles are paginated (``paging``): the newest on its page, older ones on
    ``<folder>/<slug>/<n>.md``, at most ``per_page`` a page."""
    url_of = url_of or article_path
    slugs, idx, memo = ctx.entity_slugs, ctx.entities, ctx.memos["entities"]
    entries = entity_entries(articles)
    have_places = {key for kind, key in entries if kind == "place"}
    pages: dict[str, str] = {}
    template = _env().get_template("entity.md.j2")
    for (kind, key), entry in entries.items():
        doc = entity_path(kind, key, slugs)
        header = (_place_header(key, doc, have_places, ctx) if kind == "place" else _topic_header(key, idx) if kind == "topic"
                  else _org_header(key, idx) if kind == "organization" else _person_header(key, entry.articles))
        arts = sorted(entry.articles, key=_date_order)
        # the entity's pages are the previous build's when made from the same stories (and
        # the same forms of its name, for the keyword-in-context lines) under the same header
        memo_key = memo.key(kind, key, doc, header, per_page, _surfaces(kind, key, idx),
                            [(memo.digest(a), url_of(a)) for a in arts])
        pages.update(memo.pages(memo_key, partial(_entity_listing, kind, key, doc, header, arts, url_of, idx, template,
                                                  per_page, memo)))
    for kind in KINDS:
        pages.update(_index_pages(kind, entries, ctx, per_page))
    return pages


def _entity_listing(kind: str, key: str, doc: str, header: dict, arts: list[Article], url_of: UrlOf,
                    idx: EntityIndex, template: Any, per_page: int, memo: Memo) -> dict[str, str]:
    """An entity's pages: its header and its stories (``arts``, newest first), paginated;
    each page as in the previous build when it shows the same (a new story changes the
    first page of a long list only)."""
    base = doc[:-3]
    name = display_name(kind, key)
    folder, label = KINDS[kind]
    verb = "署名" if kind == "person" else "提及"
    rows = [_article_entry(a, url_of, kwic(a, kind, key, idx)) for a in arts]
    listing = paginate(base, rows, lambda e: _entry_bytes(e) + 6, per_page=per_page)
    pages: dict[str, str] = {}
    for page in listing:
        here = page.doc
        title = name if page.first else f"{name}（第 {page.number} 页）"
        up = "../" * here.count("/")
        pages[here] = memo.render(
            here, template, front_matter=front_matter_block({"title": title}), title=title, name=name, first=page.first,
            label=label, verb=verb, index_link=rel(here, folder + "/index.md"), entity_link=rel(here, doc),
            # the header and the total are on the first page only: the older pages' keys
            # stay the same when a story is added (their memo entries hold)
            h=header if page.first else {}, n_articles=len(rows) if page.first else 0,
            counts=counts(page, listing) if len(listing) > 1 else "",
            pager=pager_links(page, listing, _date_label),
            pages=page_groups(listing, _year_label, _date_label) if page.first and len(listing) > 1 else [],
            entries=[dict(e, link=up + e["url"]) for e in page.entries])
    return pages


def _letter_slug(first: str) -> str:
    return first.lower() if first != "#" else "other"


def _index_pages(kind: str, entries: dict[tuple[str, str], _Entry], ctx: BuildContext, per_page: int = PER_PAGE) -> dict[str, str]:
    """A kind's index, sorted by pinyin with letter headings (places also as a tree).
    Up to ``per_page`` entities, one page; beyond, the index keeps the letters (and the
    places' tree down to the deepest level that fits a page) and each letter gets its
    pages, ``<folder>/index/<letter>.md`` (then ``<letter>-2.md``…, ``per_page`` each)."""
    folder, label = KINDS[kind]
    doc = f"{folder}/index.md"
    slugs, surnames = ctx.entity_slugs, ctx.entities.surnames
    keys = sorted((k for kd, k in entries if kd == kind), key=lambda k: pinyin_key(display_name(kind, k), kind, surnames))
    verb = "署名" if kind == "person" else "提及"
    template = _env().get_template("entity_index.md.j2")

    def entry(key: str, here: str) -> dict:
        parent = key.rsplit("/", 1)[0] if kind == "place" and "/" in key else ""
        return dict(_link(here, kind, key, slugs), n=len(entries[(kind, key)].articles), parent=parent.rsplit("/", 1)[-1])

    by_letter: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        by_letter[letter(display_name(kind, key), kind, surnames)].append(key)
    split = len(keys) > per_page
    tree = None
    if kind == "place" and keys:
        rows, cut = _tree(keys, doc, entries, ctx, per_page if split else None)
        tree = {"rows": rows, "n_levels": cut}
    pages: dict[str, str] = {}
    common = {"label": label, "verb": verb}
    if not split:
        pages[doc] = template.render(
            front_matter=front_matter_block({"title": label}), title=label, letter_page=False, n_keys=len(keys), tree=tree,
            split=False, letters=[{"letter": first, "entries": [entry(key, doc) for key in group]} for first, group in by_letter.items()],
            **common)
        return pages
    letters = []
    for first, group in by_letter.items():
        chunks = [group[i:i + per_page] for i in range(0, len(group), per_page)]
        names = [f"{folder}/index/{_letter_slug(first)}" + (f"-{n}" if n > 1 else "") + ".md" for n in range(1, len(chunks) + 1)]
        letters.append({"letter": first, "link": rel(doc, names[0]), "n": len(group)})
        for n, (chunk, here) in enumerate(zip(chunks, names), 1):
            title = f"{label}：{first}" + (f"（第 {n} 页）" if len(chunks) > 1 else "")
            pages[here] = template.render(
                front_matter=front_matter_block({"title": title}), title=title, letter_page=True, letter=first,
                n_keys=len(group), index_link=rel(here, doc),
                numbers=[{"number": k, "link": "" if k == n else rel(here, names[k - 1])} for k in range(1, len(chunks) + 1)]
                if len(chunks) > 1 else [],
                n_first=(n - 1) * per_page + 1, n_last=(n - 1) * per_page + len(chunk),
                entries=[entry(key, here) for key in chunk], **common)
    pages[doc] = template.render(front_matter=front_matter_block({"title": label}), title=label, letter_page=False,
                                 n_keys=len(keys), tree=tree, split=True, letters=letters, **common)
    return pages


_LEVEL_RANK = {"county": 0, "zone": 1, "town": 2, "village": 3, "named": 4}


def _tree(keys: list[str], doc: str, entries: dict[tuple[str, str], _Entry], ctx: BuildContext,
          most: int | None = None) -> tuple[list[dict], int]:
    """Nested list: county → town → village; at each level divisions first (counties, then
    zones; towns; villages), then named places, each group in pinyin order.  With
    ``most``, only the levels that fit in that many lines (at least the first); the
    second value is then the number of levels shown, 0 when all are.  Each row: its depth,
    name, link and number of articles."""
    idx, slugs = ctx.entities, ctx.entity_slugs
    present = set(keys)
    children: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        parent = key.rsplit("/", 1)[0] if "/" in key else ""
        children[parent if parent in present else ""].append(key)

    def rank(key: str) -> tuple:
        place = idx.places.get(key)
        return (_LEVEL_RANK.get(place.level if place else "", 5), pinyin_key(display_name("place", key)))

    levels: dict[int, int] = defaultdict(int)  # depth → places at that depth

    def count(parent: str, depth: int) -> None:
        for key in children.get(parent, []):
            levels[depth] += 1
            count(key, depth + 1)

    count("", 0)
    depth_shown = len(levels)
    if most is not None:
        total = 0
        for depth in sorted(levels):
            total += levels[depth]
            if total > most and depth:
                depth_shown = depth
                break
    rows: list[dict] = []

    def walk(parent: str, depth: int) -> None:
        if depth >= depth_shown:
            return
        for key in sorted(children.get(parent, []), key=rank):
            rows.append(dict(_link(doc, "place", key, slugs), depth=depth, n=len(entries[("place", key)].articles)))
            walk(key, depth + 1)

    walk("", 0)
    return rows, (depth_shown if depth_shown < len(levels) else 0)


# ---------------------------------------------------------------------------
# article pages: tags, inline links, related stories
# ---------------------------------------------------------------------------
def entity_links(art: Article, slugs: EntitySlugs) -> dict[str, list[tuple[str, str]]]:
    """Label → [(name, docs-relative path)] for the tags block of an article page."""
    out: dict[str, list[tuple[str, str]]] = {}
    for kind, values in (("place", art.places), ("topic", art.topics), ("organization", art.organizations),
                         ("person", _people(art))):
        if values:
            out[KINDS[kind][1]] = [(display_name(kind, v), entity_path(kind, v, slugs)) for v in values]
    return out


MentionTuple = tuple[int, int, int, str, str]  # (paragraph, start, end, kind, key), as Article.mentions


def _paragraph(p: Paragraph | str | tuple[str, bool]) -> tuple[str, bool]:
    if isinstance(p, Paragraph):
        return p.text, p.heading
    if isinstance(p, str):
        return p, False
    return p[0], bool(p[1])


def _as_tuples(texts: list[str], entities: Entities | Iterable[MentionTuple]) -> list[MentionTuple]:
    """Mentions as (paragraph, start, end, kind, key).  An ``Entities`` is taken to come
    from ``match_entities("\\n".join(texts))``; nested mentions (a place inside an
    organisation's name) are dropped."""
    if not isinstance(entities, Entities):
        return list(entities)
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    out = []
    for m in entities.mentions:
        if m.nested:
            continue
        para = max((i for i, s in enumerate(starts) if s <= m.start), default=0)
        out.append((para, m.start - starts[para], m.end - starts[para], m.kind, m.key))
    return out


def _join_place_runs(links: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str]]:
    """Places printed back to back (``义县九道岭镇四方台村``: a village with its town and
    county) become one link to the last, most specific place: three links in a row
    read as one run of link text, with no way to see where each ends."""
    out: list[tuple[int, int, str]] = []
    previous_kind = ""
    for start, end, target, kind in links:
        if out and kind == previous_kind == "place" and out[-1][1] == start:
            out[-1] = (out[-1][0], end, target)
        else:
            out.append((start, end, target))
        previous_kind = kind
    return out


def link_first_mentions(paragraphs: Sequence[Paragraph | str | tuple[str, bool]],
                        entities: Entities | Iterable[MentionTuple],
                        url_for_entity: Callable[[str, str], str | None]) -> list[str]:
    """Body paragraphs as inline Markdown, the first mention of each entity linked.

    ``paragraphs``: ``model.Paragraph`` (or plain strings, or ``(text, heading)``).
    ``entities``: ``Article.mentions`` tuples, or an ``Entities`` from
    ``match_entities("\\n".join(texts))``.  ``url_for_entity(kind, key)`` gives the
    link target (``None``: do not link).  Every paragraph is escaped with
    ``md_escape_inline``; a heading is never linked (the entity's first mention in
    a normal paragraph is); links never overlap, so none is inside another; places
    printed back to back are one link to the last of them (``_join_place_runs``); a
    mention whose offsets do not fit its paragraph is ignored.  The caller adds
    block syntax (``## `` for headings)."""
    paras = [_paragraph(p) for p in paragraphs]
    texts = [t for t, _ in paras]
    chosen: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for para, start, end, kind, key in sorted(_as_tuples(texts, entities), key=lambda m: (m[0], m[1], -m[2])):
        if (kind, key) in seen or not 0 <= para < len(paras) or paras[para][1]:
            continue
        if not 0 <= start < end <= len(texts[para]):
            continue
        if any(start < e and s < end for s, e, _, _ in chosen[para]):
            continue  # overlaps a link already placed
        target = url_for_entity(kind, key)
        if not target:
            continue
        seen.add((kind, key))
        chosen[para].append((start, end, target, kind))
    out = []
    for n, text in enumerate(texts):
        pieces, pos = [], 0
        for start, end, target in _join_place_runs(sorted(chosen.get(n, []))):
            pieces.append(md_escape_inline(text[pos:start]))
            pieces.append(f"[{md_escape_inline(text[start:end])}]({_url(target)})")
            pos = end
        pieces.append(md_escape_inline(text[pos:]))
        out.append("".join(pieces))
    return out


def _url(target: str) -> str:
    """A link target that cannot end the link early (our slugs are ASCII; be safe anyway)."""
    return target.replace("\\", "/").replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")


def related_articles(articles: list[Article], k: int = RELATED_MAX) -> list[list[Article]]:
    """For each article (same order), up to ``k`` others sharing the most places, topics
    and organisations (people do not count: a reporter is not a subject).  Ties go to the
    rarer shared entities, then the nearer date, then archive order.  Entities in more than
    ``COMMON_ENTITY`` articles are ignored; an article sharing nothing gets none."""
    keys = [set(article_entities(a)) - {("person", p) for p in _people(a)} for a in articles]
    by_entity: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for key in ks:
            by_entity[key].append(i)
    total = max(1, len(articles))
    weight = {key: math.log((1 + total) / len(ids)) + 1 for key, ids in by_entity.items()}
    days = [a.date.toordinal() if a.date else None for a in articles]
    far = 10 ** 9
    out: list[list[Article]] = []
    for i in range(len(articles)):
        count: dict[int, int] = {}
        rarity: dict[int, float] = {}
        for key in sorted(keys[i]):  # fixed order: equal sets give equal float sums
            ids = by_entity[key]
            if len(ids) > COMMON_ENTITY:
                continue
            w = weight[key]
            for j in ids:
                if j != i:
                    count[j] = count.get(j, 0) + 1
                    rarity[j] = rarity.get(j, 0.0) + w
        day = days[i]
        ranked = heapq.nsmallest(k, [(-c, -rarity[j], abs(days[j] - day) if (day is not None and days[j] is not None) else far, j)
                                     for j, c in count.items()])
        out.append([articles[j] for *_, j in ranked])
    return out
