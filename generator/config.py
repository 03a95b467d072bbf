"""Loading the editable vocabularies in ``generator/data/*.yaml``.

The rules live in code; the words they look for live in YAML so an editor can
extend them without touching Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

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
