"""Attaching entities to articles: what each story mentions, where, and its relatives.

Runs after cleaning, on the cleaned text.  Places are stored as their key: the path
below 锦州市 (``义县/九道岭镇/四方台村``), so two villages of the same name stay apart.
"""

from __future__ import annotations

from ..model import Article
from .index import EntityIndex

RELATED_MAX = 5


def place_label(key: str, root: str) -> str:
    """``锦州市/义县/九道岭镇`` → ``义县/九道岭镇`` (keys are already below the root)."""
    return key[len(root) + 1:] if key.startswith(root + "/") else key


def attach_entities(art: Article, idx: EntityIndex) -> None:
    """Fill places, topics, organisations, people and the body mention offsets of one article.

    Headline, kicker, subtitle and 核心提示 come first (they often name the county the
    body's villages belong to), then the body, then captions and the 链接 box.  Only
    body mentions outside headings and outside another name (a place inside an
    organisation's name) are kept in ``art.mentions`` — those are what inline links use."""
    head = "\n".join(filter(None, [art.kicker, art.title, art.subtitle] + [p.text for p in art.summary]))
    body = [p.text for p in art.body]
    tail = "\n".join([c.text for c in art.captions] + [art.sidebar_title] + [p.text for p in art.sidebar])
    text = head + "\n" + "\n".join(body) + "\n" + tail
    found = idx.match(text)
    art.places = found.place_keys
    art.topics = list(found.topics)
    art.organizations = list(found.organizations)
    art.people = list(dict.fromkeys(art.authors + art.photographers))
    offset = len(head) + 1
    spans: list[tuple[int, int]] = []
    for para in body:
        spans.append((offset, offset + len(para)))
        offset += len(para) + 1
    art.mentions = []
    n = 0
    for m in found.mentions:
        if m.nested:
            continue
        while n < len(spans) and spans[n][1] < m.start:
            n += 1
        if n < len(spans) and spans[n][0] <= m.start and m.end <= spans[n][1] and not art.body[n].heading:
            art.mentions.append((n, m.start - spans[n][0], m.end - spans[n][0], m.kind, m.key))


def entity_keys(art: Article) -> set[tuple[str, str]]:
    return ({("place", p) for p in art.places} | {("topic", t) for t in art.topics}
            | {("organization", o) for o in art.organizations})


def attach_related(articles: list[Article], limit: int = RELATED_MAX) -> None:
    """Up to ``limit`` related stories per article (``entity_pages.related_articles``)."""
    from ..pages.entity_pages import related_articles

    for art, related in zip(articles, related_articles(articles, k=limit)):
        art.related = related


def register_entities(articles: list[Article], idx: EntityIndex) -> None:
    """Make the places found by rule in worker processes known to the build's index
    (entity pages need their level and parent).  Call once after all articles are
    linked and before slugs are assigned (``build.collect`` does)."""
    for art in articles:
        for key in art.places:
            idx.register(place_label(key, idx.root_name))

