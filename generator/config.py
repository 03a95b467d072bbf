"""Loading the editable vocabularies in ``generator/data/*.yaml``.

The rules live in code; the words they look for live in YAML so an editor can
extend them without touching Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .errors import SettingsError

DATA_DIR = Path(__file__).parent / "data"


def load_yaml(name: str) -> object:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _longest_first(items) -> tuple[str, ...]:
    return tuple(sorted(items, key=len, reverse=True))


@dataclass(frozen=True)
class Layout:
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


@cache
def layout() -> Layout:
    data = load_yaml("layout.yaml")
    columns = data["columns"] or {}
    return Layout(
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
    )


# ---------------------------------------------------------------------------
# the editor's settings: generator/data/newspaper.yaml
# ---------------------------------------------------------------------------
NEWSPAPER_FILE = DATA_DIR / "newspaper.yaml"


@dataclass(frozen=True)
class Newspaper:
    """Archive-wide defaults for naming a 版面: ``<name> <date> <default_page_label>``."""

    name: str
    default_page_label: str
    site_title: str


# key → (required, may be empty)
_NEWSPAPER_KEYS = {"name": (True, False), "default_page_label": (True, True), "site_title": (True, False)}


def _shown(path: Path) -> str:
    """The file's path as an editor types it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def load_newspaper(path: Path = NEWSPAPER_FILE) -> Newspaper:
    """Read and check the settings file; any mistake is one ``SettingsError`` line
    naming the file and the key (exit status 2, nothing touched)."""
    where = _shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"{where}: settings file not found (it names the newspaper: keys {', '.join(_NEWSPAPER_KEYS)})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{where}: cannot read the settings file ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SettingsError(f"{where}{line}: not valid YAML ({problem}); fix the file") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{where}: expected 'key: value' lines ({', '.join(_NEWSPAPER_KEYS)}), found {type(data).__name__}")
    values: dict[str, str] = {}
    for key, value in data.items():
        if key not in _NEWSPAPER_KEYS:
            raise SettingsError(f"{where}: unknown key {str(key)!r} (use {', '.join(_NEWSPAPER_KEYS)})")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise SettingsError(f"{where}: key {key!r} must be text, not {type(value).__name__} ({value!r}); quote it")
        if "\n" in value.strip():
            raise SettingsError(f"{where}: key {key!r} must be one line")
        values[key] = " ".join(value.split())
    for key, (required, may_be_empty) in _NEWSPAPER_KEYS.items():
        if required and key not in values:
            raise SettingsError(f"{where}: missing key {key!r}")
        if not may_be_empty and not values[key]:
            raise SettingsError(f"{where}: key {key!r} must not be empty")
    return Newspaper(**values)


@cache
def newspaper() -> Newspaper:
    """The settings of ``generator/data/newspaper.yaml``, read once per process."""
    return load_newspaper()
