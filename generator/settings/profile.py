"""The newspaper profile: every settings file of one newspaper, loaded and checked.

A profile is a folder (``generator/profiles/jinzhou/`` by default, another with
``--profile PATH``) holding what belongs to one newspaper: its name and root place
(``newspaper.yaml``), the gazetteer of that place, the layout vocabulary, credit
roles, date vocabulary, topics, organisations and extra places.  The rules live in
code; the words they look for live in the profile, so an editor can extend them — or
archive another paper — without touching Python.

Every file is checked when the profile is loaded (``load_profile``, once per build,
before any page is read) against a pydantic model with ``extra="forbid"`` and strict
types, then cross-checked (a ``parent`` must name a place).  A mistake is one
:class:`SettingsError` line, ``file:line: what is wrong`` (exit status 2), with a
near-miss suggestion for a misspelt key.

``generator/data/`` keeps the generator's own wording (rule names, encodings, the
editor's notes at damage): it is keyed by ids in the code, the same for every paper.

No module state: a build loads its profile into its own ``BuildContext``
(``generator/context.py``) and passes it down, so two builds with different
profiles in one process each see their own data.  ``default_profile()`` is the
锦州 profile for callers outside a build (tests, tools).
"""

from __future__ import annotations

import difflib
import functools
import json
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError

from ..errors import SettingsError

PACKAGE_DIR = Path(__file__).parent.parent  # generator/
DATA_DIR = PACKAGE_DIR / "data"  # the generator's own wording, the same for every newspaper
PROFILES_DIR = PACKAGE_DIR / "profiles"
DEFAULT_PROFILE = PROFILES_DIR / "jinzhou"


# ---------------------------------------------------------------------------
# the schemas (README: "Settings reference")
# ---------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Text = Annotated[str, Field(min_length=1)]
Words = Optional[list[Text]]  # a list of words; empty (None) allowed


def _one_line(value: str) -> str:
    if "\n" in value.strip():
        raise ValueError("must be one line")
    return " ".join(value.split())


class NewspaperFile(_Strict):
    name: Text
    default_page_label: Optional[str]
    site_title: Text
    root_place: Text
    gazetteer: Text


class Column(_Strict):
    sidebar: bool = False


class SourceCredits(_Strict):
    """Credits naming a source, not a person: ``来源：X``, ``X供图``, ``图片由X提供``."""

    prefixes: list[Text] = []
    suffixes: list[Text] = []
    around: list[Annotated[list[Text], Field(min_length=2, max_length=2)]] = []


class LayoutFile(_Strict):
    columns: Optional[dict[Text, Optional[Column]]]
    summary_markers: list[Text]
    leadins: list[Text]
    roles: list[Text]
    credit_actions: dict[Text, list[Literal["author", "photographer"]]]
    fragment_final_chars: str
    max_headline_chars: Annotated[int, Field(ge=1)]
    max_caption_chars: Annotated[int, Field(ge=1)]
    caption_gap: Annotated[int, Field(ge=1)]
    reduplications: list[Text]
    min_duplicate_chars: Annotated[int, Field(ge=1)]
    # unseen-page rules (README: Segmentation rules); optional, with the defaults in code
    source_credits: Optional[SourceCredits] = None
    clause_chars: Optional[str] = None
    short_headline_finals: Optional[str] = None
    byline_marks: Optional[str] = None  # □本报记者 X: marks some papers print before a byline


YearSpan = Annotated[list[int], Field(min_length=2, max_length=2)]
MonthDay = Annotated[list[Annotated[int, Field(ge=1, le=31)]], Field(min_length=2, max_length=2)]


class Zodiac(_Strict):
    animals: Annotated[str, Field(min_length=12, max_length=12)]
    first_year: int
    words: list[Text]


class DatesFile(_Strict):
    plan_periods: dict[Text, YearSpan]
    period_done_words: list[Text]
    period_done_verbs: list[Text]
    period_plan_words: list[Text]
    era_markers: dict[Text, int]
    present_cues: list[Text]
    recalled_cues: list[Text]
    period_phrases: dict[Text, MonthDay]
    relative_years: dict[Text, int]
    noted_phrases: dict[Text, str]
    future_markers: list[Text]
    # year contrasts, plans and zodiac years (README: Dates); optional, defaults in code
    contrast_words: Optional[list[Text]] = None
    plan_result_words: Optional[list[Text]] = None
    past_result_words: Optional[list[Text]] = None
    zodiac: Optional[Zodiac] = None


class ExtraPlace(_Strict):
    parent: Optional[Text] = None  # the root place when left out
    aliases: Words = None


class PlacesExtraFile(_Strict):
    zones: Optional[dict[Text, Optional[ExtraPlace]]] = None
    named: Optional[dict[Text, Optional[ExtraPlace]]] = None
    short_forms: Optional[dict[Text, Text]] = None
    aliases: Optional[dict[Text, Words]] = None
    not_places: Words = None
    short_name_stop: Words = None


class Topic(_Strict):
    aliases: Words = None
    description: Optional[str] = None


class TopicsFile(RootModel[Optional[dict[Text, Optional[Topic]]]]):
    model_config = ConfigDict(strict=True)


class OrganizationsFile(_Strict):
    company_suffixes: Words = None
    suffixes: Words = None
    government_suffixes: Words = None
    prefixes: Words = None
    abbreviations: Optional[dict[Text, Text]] = None
    expand_prefixes: Optional[dict[Text, Text]] = None
    aliases: Optional[dict[Text, Words]] = None
    not_organizations: Words = None
    not_organization_endings: Words = None
    not_organization_followed_by: Words = None
    use_jieba_dictionary: bool = True
    surname_readings: Optional[dict[Text, Text]] = None


class GazetteerRow(_Strict):
    name: Text
    level: Literal["city", "county", "town", "village"]
    path: Annotated[list[Text], Field(min_length=1)]
    code: Optional[str] = None
    nbs_code: Optional[str] = None


class GazetteerFile(RootModel[list[GazetteerRow]]):
    model_config = ConfigDict(strict=True)


# file name in the profile → its schema; newspaper.yaml first (it names the gazetteer)
PROFILE_FILES: dict[str, type[BaseModel]] = {
    "newspaper.yaml": NewspaperFile,
    "layout.yaml": LayoutFile,
    "dates.yaml": DatesFile,
    "places_extra.yaml": PlacesExtraFile,
    "topics.yaml": TopicsFile,
    "organizations.yaml": OrganizationsFile,
}


# ---------------------------------------------------------------------------
# reading a file and saying where a mistake is
# ---------------------------------------------------------------------------
def _shown(path: Path) -> str:
    """The file's path as an editor types it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"{_shown(path)}: settings file not found ({what}); "
                            "every profile holds it: copy it from generator/profiles/jinzhou/") from None
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{_shown(path)}: not UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise SettingsError(f"{_shown(path)}: cannot read the settings file ({exc.strerror or exc})") from None


def _parse(path: Path, text: str) -> Any:
    try:
        if path.suffix == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except json.JSONDecodeError as exc:
        raise SettingsError(f"{_shown(path)}:{exc.lineno}: not valid JSON ({exc.msg}); fix the file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SettingsError(f"{_shown(path)}{line}: not valid YAML ({problem}); fix the file") from None


def _line_map(text: str) -> dict[tuple[str, ...], int]:
    """Where each key and list item starts (1-based), by its path of keys/indices.

    Only built when there is a mistake to report (``yaml.compose`` keeps the marks;
    JSON is YAML too)."""
    lines: dict[tuple[str, ...], int] = {(): 1}
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return lines
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(root, ())] if root is not None else []
    while stack:
        node, at = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = at + (str(key.value),)
                lines.setdefault(here, key.start_mark.line + 1)
                stack.append((value, here))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                here = at + (str(i),)
                lines.setdefault(here, item.start_mark.line + 1)
                stack.append((item, here))
    return lines


def _line_of(lines: dict[tuple[str, ...], int], loc: tuple) -> int:
    at = tuple(str(p) for p in loc)
    while at not in lines:
        at = at[:-1]
    return lines[at]


def _unwrap(tp: Any) -> Any:
    """``Optional[Annotated[X, …]]`` → ``X``."""
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _keys_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys the schema allows in the mapping at ``loc`` (for a near-miss hint)."""
    tp: Any = model
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, RootModel):
            tp = _unwrap(tp.model_fields["root"].annotation)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            if field is None:
                return []
            tp = field.annotation
        elif typing.get_origin(tp) in (dict, list):
            tp = typing.get_args(tp)[-1]
        else:
            return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel) and not issubclass(tp, RootModel):
        return list(tp.model_fields)
    return []


_TYPE_WORDS = {"str": "text", "int": "a whole number", "bool": "true or false", "list": "a list ([a, b])",
               "dict": "a mapping (key: value)", "NoneType": "empty", "float": "a number"}


def _what_is(value: Any) -> str:
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    return f"{_TYPE_WORDS.get(type(value).__name__, type(value).__name__)} ({shown[:40]})"


# pydantic's error type → what the value must be instead
_MUST_BE = {"string_type": "text", "int_type": "a whole number", "int_from_float": "a whole number",
            "int_parsing": "a whole number", "bool_type": "true or false", "list_type": "a list ([a, b])"}


def _describe(model: type[BaseModel], error: dict) -> str:
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and "[" in p))  # drop union branch tags
    key = ".".join(str(p) for p in loc) or "the file"
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        known = _keys_at(model, loc[:-1])
        near = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"did you mean {near[0]!r}?" if near else f"use {', '.join(known)}"
        return f"unknown key {str(loc[-1])!r} ({hint})"
    if kind in _MUST_BE:
        return f"key {key!r} must be {_MUST_BE[kind]}, not {_what_is(value)}" + ("; quote it" if kind == "string_type" else "")
    if kind == "missing":
        return f"missing key {key!r}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{'key ' + repr(key) if loc else 'the file'} must be a mapping (key: value), not {_what_is(value)}"
    if kind == "literal_error":
        return f"key {key!r}: {value!r} is not one of {error['ctx']['expected']}"
    if kind == "string_too_short":
        return f"key {key!r} must not be empty"
    if kind in ("too_short", "too_long"):
        ctx = error.get("ctx") or {}
        bound = f"at least {ctx.get('min_length')}" if kind == "too_short" else f"at most {ctx.get('max_length')}"
        return f"key {key!r} must hold {bound} item(s), not {ctx.get('actual_length')}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"key {key!r} {error['msg'].lower()}, not {value!r}"
    return f"key {key!r}: {error['msg']}"


class _Checked:
    """One settings file: its data (as read) and where to report a mistake in it."""

    def __init__(self, path: Path, text: str, data: Any):
        self.path, self.text, self.data = path, text, data
        self._lines: dict[tuple[str, ...], int] | None = None

    def fail(self, loc: tuple, what: str, more: int = 0) -> SettingsError:
        if self._lines is None:
            self._lines = _line_map(self.text)
        extra = f" (and {more} more mistake(s) in this file)" if more else ""
        return SettingsError(f"{_shown(self.path)}:{_line_of(self._lines, loc)}: {what}{extra}")


def _check_file(path: Path, model: type[BaseModel], what: str) -> tuple[_Checked, BaseModel]:
    text = _read_text(path, what)
    checked = _Checked(path, text, _parse(path, text))
    data = checked.data
    if data is None and model is not NewspaperFile:
        data = [] if model is GazetteerFile else {}
        checked.data = data
    try:
        return checked, model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # a misspelt key is also a missing one: name the misspelling (with its near miss) first
        first = min(errors, key=lambda e: e["type"] != "extra_forbidden")
        unknown = {str(e["loc"][-1]) for e in errors if e["type"] == "extra_forbidden"}
        more = [e for e in errors if e is not first and not (  # the key a misspelling stands for
            e["type"] == "missing" and difflib.get_close_matches(str(e["loc"][-1]), unknown, n=1, cutoff=0.6))]
        raise checked.fail(first["loc"], _describe(model, first), len(more)) from None


# ---------------------------------------------------------------------------
# the profile
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Newspaper:
    """Archive-wide defaults for naming a 版面: ``<name> <date> <default_page_label>``,
    and the place the archive is about."""

    name: str
    default_page_label: str
    site_title: str
    root_place: str = ""
    gazetteer: str = ""


@dataclass(frozen=True, eq=False)
class Profile:
    path: Path  # the folder, resolved
    newspaper: Newspaper
    data: dict[str, Any]  # file name → its data as read (checked), e.g. data["layout.yaml"]["roles"]
    gazetteer: list[dict[str, Any]]

    @functools.cached_property
    def layout(self) -> "Layout":
        return Layout.from_data(self.data["layout.yaml"])

    @property
    def root_place(self) -> str:
        """The place the archive is about (``root_place`` in newspaper.yaml): 锦州市."""
        return self.newspaper.root_place


_WHAT = {
    "newspaper.yaml": "the newspaper's name, root place and gazetteer",
    "layout.yaml": "columns, summary markers, credit roles",
    "dates.yaml": "the date vocabulary",
    "places_extra.yaml": "places the gazetteer lacks",
    "topics.yaml": "topics",
    "organizations.yaml": "organisations",
}


def load_profile(folder: Path | str | None = None) -> Profile:
    """Read and check every settings file of the profile in ``folder``; any mistake is
    one ``SettingsError`` line ``file:line: what is wrong`` (exit status 2)."""
    folder = Path(folder) if folder is not None else DEFAULT_PROFILE
    if not folder.is_dir():
        raise SettingsError(f"{_shown(folder)}: profile folder not found (use --profile with a folder like "
                            "generator/profiles/jinzhou/)")
    folder = folder.resolve()
    checked: dict[str, _Checked] = {}
    models: dict[str, Any] = {}
    for name, model in PROFILE_FILES.items():
        checked[name], models[name] = _check_file(folder / name, model, _WHAT[name])
    paper_file = checked["newspaper.yaml"]
    paper: NewspaperFile = models["newspaper.yaml"]
    values = {}
    for key in ("name", "default_page_label", "site_title", "root_place", "gazetteer"):
        try:
            values[key] = _one_line(getattr(paper, key) or "")
        except ValueError as exc:
            raise paper_file.fail((key,), f"key {key!r} {exc}") from None
    gazetteer_path = folder / values["gazetteer"]
    if Path(values["gazetteer"]).name != values["gazetteer"]:
        raise paper_file.fail(("gazetteer",), f"key 'gazetteer' must name a file of the profile folder, not a path "
                              f"({values['gazetteer']!r})")
    gaz_checked, _ = _check_file(gazetteer_path, GazetteerFile, "the gazetteer newspaper.yaml names")
    rows: list[dict[str, Any]] = gaz_checked.data
    _check_gazetteer(gaz_checked, rows, values["root_place"], paper_file)
    _check_places_extra(checked["places_extra.yaml"], rows, values["root_place"])
    return Profile(folder, Newspaper(**values), {name: c.data for name, c in checked.items()}, rows)


def _check_gazetteer(checked: _Checked, rows: list[dict], root: str, paper_file: _Checked) -> None:
    if not any(row["path"] == [root] for row in rows):
        raise paper_file.fail(("root_place",), f"root place {root!r} is not a row of the gazetteer {checked.path.name} "
                              f"(a row with path [{root}])")
    for i, row in enumerate(rows):
        if row["path"][-1] != row["name"]:
            raise checked.fail((i, "path"), f"path must end with the place's name {row['name']!r}")
        if row["path"][0] != root:
            raise checked.fail((i, "path"), f"path must start with the root place {root!r} (root_place in newspaper.yaml)")


def _check_places_extra(checked: _Checked, rows: list[dict], root: str) -> None:
    """Every ``parent``, short form target and alias target names one place."""
    from ..entities.index import _ETHNIC  # the same surfaces the entity index knows

    data = checked.data or {}
    keys = {"/".join(r["path"][1:]) or root for r in rows}
    surfaces: dict[str, list[int]] = {}  # printed name → depths of the places it names
    for r in rows:
        for surface in {r["name"], _ETHNIC.sub("", r["name"])}:
            surfaces.setdefault(surface, []).append(len(r["path"]))

    def resolve(name: str, loc: tuple) -> int:
        if name in keys:
            return name.count("/") + 2 if name != root else 1
        depths = surfaces.get(name)
        if not depths:
            near = difflib.get_close_matches(name, list(surfaces), n=1, cutoff=0.6)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise checked.fail(loc, f"{name!r} names no place of the gazetteer or of this file{hint}")
        if len(depths) > 1 and len(set(depths)) != len(depths):
            raise checked.fail(loc, f"{name!r} names {len(depths)} places; write its path below {root} (义县/九道岭镇)")
        return min(depths)

    for group in ("zones", "named"):
        for name, spec in (data.get(group) or {}).items():
            spec = spec or {}
            depth = resolve(spec.get("parent") or root, (group, name, "parent") if spec.get("parent") else (group, name))
            for surface in {name} | set(spec.get("aliases") or []):
                surfaces.setdefault(surface, []).append(depth + 1)
    for short, full in (data.get("short_forms") or {}).items():
        resolve(full, ("short_forms", short))
    for full in (data.get("aliases") or {}):
        resolve(full, ("aliases", full))


class RulesFile(RootModel[dict[Text, Text]]):
    """rules.yaml: cleaning-log rule id → its Chinese name."""


class Note(_Strict):
    at: Literal["end", "after", "before", "headline"]
    text: Text


class NotesFile(RootModel[dict[Text, Note]]):
    """notes.yaml: rule id → the editor's note shown at the damage."""


class LabelsFile(_Strict):
    encodings: dict[Text, Text]
    evidence_kinds: dict[Text, Text]


DATA_FILES: dict[str, type[BaseModel]] = {"rules.yaml": RulesFile, "notes.yaml": NotesFile, "labels.yaml": LabelsFile}


@functools.cache
def load_yaml(name: str) -> Any:
    """The generator's own wording in ``generator/data/`` (rules.yaml, labels.yaml,
    notes.yaml): the same for every newspaper, so not part of a profile; checked like a
    profile's files (a mistake is ``file:line: what is wrong``, exit status 2)."""
    checked, _ = _check_file(DATA_DIR / name, DATA_FILES[name], "the generator's own wording")
    return checked.data


def _longest_first(items) -> tuple[str, ...]:
    return tuple(sorted(items or (), key=len, reverse=True))


@dataclass(frozen=True)
class Layout:
    """``layout.yaml`` in the form the segmenting and cleaning rules read it."""

    columns: frozenset[str]
    sidebars: frozenset[str]
    summary_markers: tuple[str, ...]
    leadins: tuple[str, ...]
    roles: tuple[str, ...]
    credit_actions: dict[str, frozenset[str]]
    fragment_final_chars: frozenset[str]
    max_headline_chars: int
    max_caption_chars: int
    caption_gap: int
    reduplications: frozenset[str]
    min_duplicate_chars: int
    clause_chars: str = ""
    short_headline_finals: str = ""
    source_prefixes: tuple[str, ...] = ()
    source_suffixes: tuple[str, ...] = ()
    source_around: tuple[tuple[str, str], ...] = ()
    byline_marks: str = ""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Layout":
        columns = data["columns"] or {}
        sources = data.get("source_credits") or {}
        return cls(
            columns=frozenset(columns),
            sidebars=frozenset(k for k, v in columns.items() if (v or {}).get("sidebar")),
            summary_markers=_longest_first(data["summary_markers"]),
            leadins=_longest_first(data["leadins"]),
            roles=_longest_first(data["roles"]),
            credit_actions={k: frozenset(v) for k, v in data["credit_actions"].items()},
            fragment_final_chars=frozenset(data["fragment_final_chars"]),
            max_headline_chars=int(data["max_headline_chars"]),
            max_caption_chars=int(data["max_caption_chars"]),
            caption_gap=int(data["caption_gap"]),
            reduplications=frozenset(data["reduplications"]),
            min_duplicate_chars=int(data["min_duplicate_chars"]),
            clause_chars=str(data.get("clause_chars") or ""),
            short_headline_finals=str(data.get("short_headline_finals") or ""),
            source_prefixes=_longest_first(sources.get("prefixes")),
            source_suffixes=_longest_first(sources.get("suffixes")),
            source_around=tuple(tuple(pair) for pair in sources.get("around") or [] if len(pair) == 2),
            byline_marks=str(data.get("byline_marks") or ""),
        )


@functools.cache
def default_profile() -> Profile:
    """The 锦州 profile, loaded once: what callers outside a build (tests, tools, the
    functions' ``lay=None`` default) read.  A build never uses it implicitly: it loads
    its own profile into its ``BuildContext``."""
    return load_profile(DEFAULT_PROFILE)


def default_layout() -> Layout:
    return default_profile().layout
