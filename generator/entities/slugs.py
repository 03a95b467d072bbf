"""Entity page names (slugs), assigned once every name of the build is known.

A slug is the name's pinyin (``jiu-dao-ling-zhen``), plus a short hash of the full
key when another entity of the same kind has the same pinyin (四方台村 under four
towns, two reporters whose names sound alike).  Which names exist is only known
after every page is read: the table is made then, once (``assign``), from the
profile's dictionaries and the corpus together, so a URL never depends on the order
in which pages were processed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..model import Article
from ..pages.metadata import bounded_slug
from .index import KINDS, EntityIndex, Surnames, pinyin_words


def slug_base(kind: str, key: str, surnames: Surnames = ()) -> str:
    name = key.rsplit("/", 1)[-1] if kind == "place" else key
    return bounded_slug(pinyin_words(name, kind, surnames)[:20]) or kind


def _hash6(kind: str, key: str) -> str:
    return hashlib.sha1(f"{kind}:{key}".encode("utf-8")).hexdigest()[:6]


@dataclass(frozen=True)
class EntitySlugs:
    """kind → key → slug, for every entity the build knows."""

    table: Mapping[str, Mapping[str, str]]

    def slug(self, kind: str, key: str) -> str:
        try:
            return self.table[kind][key]
        except KeyError:
            raise KeyError(f"no page name for {kind} {key!r}: slugs are assigned after every page is read") from None

    @classmethod
    def of(cls, names: Mapping[str, Iterable[str]], surnames: Surnames = ()) -> "EntitySlugs":
        """Slugs for ``names`` (kind → keys): the pinyin, with a hash where two collide."""
        table: dict[str, dict[str, str]] = {}
        for kind, keys in names.items():
            groups: dict[str, set[str]] = {}
            for key in keys:
                groups.setdefault(slug_base(kind, key, surnames), set()).add(key)
            out = table.setdefault(kind, {})
            for base, members in groups.items():
                for key in members:
                    # index.md is the kind's index page
                    out[key] = bounded_slug(base.split("-"), _hash6(kind, key)) if base == "index" or len(members) > 1 else base
        return cls(table)


def assign_entity_slugs(idx: EntityIndex, articles: Iterable[Article]) -> EntitySlugs:
    """Every entity of the dictionaries and of the corpus gets its slug, all at once."""
    articles = list(articles)
    names: dict[str, set[str]] = {kind: set() for kind in KINDS}
    names["place"] = {k for k in idx.places if k != idx.root_name}
    names["topic"] = set(idx.topic_info) | {t for a in articles for t in a.topics}
    names["organization"] = set(idx.org_aliases.values()) | {o for a in articles for o in a.organizations}
    names["person"] = {p for a in articles for p in (a.people or a.authors + a.photographers)}
    return EntitySlugs.of(names, idx.surnames)
