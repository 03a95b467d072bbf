"""Finding places, topics and organisations in article text with a dictionary matcher.

jieba's POS tagger cuts 九道岭镇 into 九道/岭镇 and runs at a fifth of plain cutting
speed, so names are matched against the archive's own dictionaries instead: the
gazetteer of 锦州市 (with ethnic labels dropped and short forms added), extra
places and topics from editable YAML, and organisation names built from place
prefixes and organisational suffixes.  One compiled alternation, longest name
first, scans each text once.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache

from .config import DATA_DIR, load_yaml
from .metadata import ascii_words

ROOT_PLACE = "锦州市"
_ETHNIC = re.compile(r"(满族|蒙古族|回族|朝鲜族|锡伯族)(?=[乡镇])")
_FUNCTION_CHARS = set("的了在将把为是对与和及从向被让使并而或已也都就还又到于")


@dataclass(frozen=True)
class Place:
    name: str
    level: str  # city, county, town, village, zone, named
    path: tuple[str, ...]  # names from 锦州市 down to this place

    @property
    def parent(self) -> str:
        return self.path[-2] if len(self.path) > 1 else ""

    @property
    def key(self) -> str:
        return "/".join(self.path)


@dataclass
class Mention:
    kind: str  # place, topic, organization
    name: str  # canonical name (for places: the key path)
    start: int
    end: int


@dataclass
class Entities:
    places: list[str] = field(default_factory=list)  # place keys, first mention order
    topics: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


def entity_slug(kind: str, name: str) -> str:
    """Stable ASCII file name for an entity page: pinyin plus a short hash of the full key."""
    words = ascii_words(name.split("/")[-1], limit=10) or [kind]
    return "-".join(words) + "-" + hashlib.sha1(f"{kind}:{name}".encode("utf-8")).hexdigest()[:6]


class EntityIndex:
    """All known names, compiled once."""

    def __init__(self) -> None:
        rows = json.loads((DATA_DIR / "jinzhou_gazetteer.json").read_text("utf-8"))
        extra = load_yaml("places_extra.yaml")
        self.places: dict[str, Place] = {}
        self.by_surface: dict[str, list[Place]] = {}
        for row in rows:
            self._add_place(Place(row["name"], row["level"], tuple(row["path"])), [_ETHNIC.sub("", row["name"])])
        for group, level in (("zones", "zone"), ("named", "named")):
            for name, spec in (extra.get(group) or {}).items():
                parent = self._resolve(spec.get("parent", ROOT_PLACE))
                self._add_place(Place(name, level, parent.path + (name,)), spec.get("aliases") or [])
        for short, full in (extra.get("short_forms") or {}).items():
            self.by_surface.setdefault(short, []).extend(self.by_surface.get(full, []))
        self.not_places = set(extra.get("not_places") or [])

        self.topics: dict[str, str] = {}  # surface → canonical
        for name, spec in (load_yaml("topics.yaml") or {}).items():
            self.topics[name] = name
            for alias in (spec or {}).get("aliases") or []:
                self.topics[alias] = name

        orgs = load_yaml("organizations.yaml")
        self.org_aliases: dict[str, str] = {}
        for name, aliases in (orgs.get("aliases") or {}).items():
            self.org_aliases[name] = name
            for alias in aliases or []:
                self.org_aliases[alias] = name
        prefixes = "|".join(map(re.escape, sorted(orgs["prefixes"], key=len, reverse=True)))
        suffixes = "|".join(map(re.escape, sorted(orgs["suffixes"], key=len, reverse=True)))
        self.org_pattern = re.compile(rf"(?:{prefixes})[\u4e00-\u9fff（）()]{{0,16}}?(?:{suffixes})")

        surfaces = set(self.by_surface) | set(self.topics) | set(self.org_aliases)
        surfaces.discard(ROOT_PLACE)
        alternation = "|".join(map(re.escape, sorted(surfaces, key=len, reverse=True)))
        self.pattern = re.compile(alternation)
        # a village named right after its town (or a town after its county) even if the gazetteer lacks it
        self.child_rule = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:村|镇|乡)(?![\u4e00-\u9fff]{0,1}(?:民|委|级|镇|里|庄))")

    def register(self, key: str) -> None:
        """Know a place found by the child rule elsewhere (``锦州市/义县/某镇/某村``)."""
        if key in self.places:
            return
        path = tuple(key.split("/"))
        level = "village" if path[-1].endswith("村") else "town"
        self.places[key] = Place(path[-1], level, path)

    def _add_place(self, place: Place, aliases: list[str]) -> None:
        self.places[place.key] = place
        for surface in {place.name, *aliases}:
            if surface:
                self.by_surface.setdefault(surface, []).append(place)

    def _resolve(self, name: str) -> Place:
        candidates = self.by_surface.get(name)
        if not candidates:
            raise ValueError(f"places_extra.yaml: unknown parent place {name!r}")
        return min(candidates, key=lambda p: len(p.path))

    # -- matching ------------------------------------------------------------
    def _pick_place(self, candidates: list[Place], context: list[Place]) -> Place | None:
        """Among places sharing a name, the one under the nearest preceding mentioned parent."""
        if len(candidates) == 1:
            only = candidates[0]
            if only.level != "village":
                return only
        for parent in reversed(context):
            for cand in candidates:
                if parent.key != cand.key and cand.path[: len(parent.path)] == parent.path:
                    return cand
        if len(candidates) == 1 and candidates[0].level == "village":
            return candidates[0] if context else None  # a lone village name with no place around: too weak
        non_villages = [c for c in candidates if c.level != "village"]
        return non_villages[0] if len(non_villages) == 1 else None

    def match(self, text: str) -> Entities:
        found = Entities()
        context: list[Place] = []
        seen: set[tuple[str, str]] = set()

        def add(kind: str, name: str, start: int, end: int) -> None:
            found.mentions.append(Mention(kind, name, start, end))
            if (kind, name) in seen:
                return
            seen.add((kind, name))
            {"place": found.places, "topic": found.topics, "organization": found.organizations}[kind].append(name)

        taken_until = 0
        for m in self.pattern.finditer(text):
            surface, start, end = m.group(), m.start(), m.end()
            if start < taken_until:
                continue
            org = self._organization_at(text, start)
            if org and org[1] > end:
                add("organization", org[0], start, org[1])
                taken_until = org[1]
                continue
            if surface in self.org_aliases:
                add("organization", self.org_aliases[surface], start, end)
                taken_until = end
            elif surface in self.by_surface:
                place = self._pick_place(self.by_surface[surface], context)
                if place is not None:
                    add("place", place.key, start, end)
                    context.append(place)
                    taken_until = end
                    child = None if self.pattern.match(text, end) else self.child_rule.match(text, end)
                    if child and place.level in ("county", "town") and self._plausible_child(child.group()):
                        key = "/".join(place.path + (child.group(),))
                        self.register(key)
                        add("place", key, child.start(), child.end())
                        taken_until = child.end()
            elif surface in self.topics:
                add("topic", self.topics[surface], start, end)
                taken_until = end
        # organisations not starting at a dictionary name ("辽宁京东管业有限公司")
        for m in self.org_pattern.finditer(text):
            if any(mn.start <= m.start() < mn.end for mn in found.mentions):
                continue
            name = self._clean_org(m.group())
            if name:
                add("organization", self.org_aliases.get(name, name), m.start(), m.start() + len(name))
        found.mentions.sort(key=lambda mn: mn.start)
        return found

    def _plausible_child(self, name: str) -> bool:
        """``X村`` right after its town: a place, unless it is a common word or holds another name."""
        return (name not in self.not_places and name[0] not in _FUNCTION_CHARS
                and not any(self.pattern.search(name[k:]) and self.pattern.match(name, k) for k in range(len(name))))

    def _clean_org(self, candidate: str) -> str | None:
        core = candidate[2:-2]
        if any(ch in _FUNCTION_CHARS for ch in core) or len(candidate) < 4 or "级" in candidate:
            return None  # a clause, not a name; 市级/省级 are ranks, not bodies
        if candidate.count("（") + candidate.count("(") != candidate.count("）") + candidate.count(")"):
            return None  # starts inside brackets: "华润电力(锦州)有限公司" is matched whole elsewhere or not at all
        return candidate

    def _organization_at(self, text: str, start: int) -> tuple[str, int] | None:
        m = self.org_pattern.match(text, start)
        if not m:
            return None
        name = self._clean_org(m.group())
        return (self.org_aliases.get(name, name), m.end()) if name else None


@cache
def index() -> EntityIndex:
    return EntityIndex()


def match_entities(text: str) -> Entities:
    return index().match(text)
