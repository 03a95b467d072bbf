"""Attaching entities to articles: what each story mentions, where, and its relatives.

Runs after cleaning, on the cleaned text.  Places are stored as their path below
锦州市 (``义县/九道岭镇/四方台村``) so that two villages of the same name stay apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .entities import ROOT_PLACE, index, match_entities
from .model import Article

RELATED_MAX = 5


def place_label(key: str) -> str:
    """``锦州市/义县/九道岭镇`` → ``义县/九道岭镇`` (the root is implied)."""
    return key[len(ROOT_PLACE) + 1:] if key.startswith(ROOT_PLACE + "/") else key


def attach_entities(art: Article) -> None:
    """Fill places, topics, organisations, people and body mention offsets of one article."""
    head = "\n".join(filter(None, [art.kicker, art.title, art.subtitle] + [p.text for p in art.summary]))
    body = [p.text for p in art.body]
    tail = "\n".join([c.text for c in art.captions] + [art.sidebar_title] + [p.text for p in art.sidebar])
    text = head + "\n" + "\n".join(body) + "\n" + tail
    found = match_entities(text)
    art.places = [place_label(k) for k in found.places]
    art.topics = list(found.topics)
    art.organizations = list(found.organizations)
    art.people = list(dict.fromkeys(art.authors + art.photographers))
    # mention offsets inside body paragraphs (never headings), for inline links
    offset = len(head) + 1
    spans: list[tuple[int, int]] = []
    for n, para in enumerate(body):
        spans.append((offset, offset + len(para)))
        offset += len(para) + 1
    art.mentions = []
    for m in found.mentions:
        for n, (a, b) in enumerate(spans):
            if a <= m.start and m.end <= b and not art.body[n].heading:
                key = place_label(m.name) if m.kind == "place" else m.name
                art.mentions.append((n, m.start - a, m.end - a, m.kind, key))
                break


def entity_keys(art: Article) -> set[tuple[str, str]]:
    return ({("place", p) for p in art.places} | {("topic", t) for t in art.topics}
            | {("organization", o) for o in art.organizations})


def attach_related(articles: list[Article], limit: int = RELATED_MAX) -> None:
    """3–5 related stories per article: those sharing the most places, topics and organisations."""
    by_entity: dict[tuple[str, str], list[int]] = defaultdict(list)
    keys = [entity_keys(a) for a in articles]
    for i, ks in enumerate(keys):
        for k in ks:
            by_entity[k].append(i)
    for i, art in enumerate(articles):
        shared: Counter[int] = Counter()
        for k in keys[i]:
            if len(by_entity[k]) > 200:  # too common to say two stories are related
                continue
            for j in by_entity[k]:
                if j != i:
                    shared[j] += 1
        ranked = sorted(shared.items(), key=lambda kv: (-kv[1], articles[kv[0]].date is None,
                                                        -(articles[kv[0]].date.toordinal() if articles[kv[0]].date else 0), kv[0]))
        art.related = [articles[j] for j, _ in ranked[:limit]]


def register_places(articles: list[Article]) -> None:
    """Make places found by rule in worker processes known to this process's index too
    (entity pages need their level and parent)."""
    idx = index()
    for art in articles:
        for label in art.places:
            idx.register(ROOT_PLACE + "/" + label)
