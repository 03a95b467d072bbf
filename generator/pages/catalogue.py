"""The open-data catalogue: every article's record, one JSON file per year, and a
small index (README, "The catalogue: data/articles.json").

``data/articles.json`` is the index — schema version, total, and per file its year,
name, article count, size and date range; ``data/articles/<year>.json`` (and
``undated.json``) hold the records, a JSON array with one record per line.  A year's
file changes only when that year's articles do, so a day's new page rewrites the
newest year's file and the index, not the whole catalogue; and no file grows past
one year of the archive (a single file was 68 MB at 30,000 articles, and GitHub
refuses files over 100 MB).  A year whose file would pass ``YEAR_BYTES`` is written
as one file per month instead (``<year>-<month>.json``; the index says which), and a
month (or the undated stories) that would pass it in numbered parts filled in order
(``<year>-<month>-<n>.json``), so no file grows with the archive's size.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Any, Iterable

from ..cache import Memo
from ..model import Article
from .metadata import catalogue_record
from .pagenames import PageName

SCHEMA = 2  # 1: one array in data/articles.json
INDEX = "data/articles.json"
FOLDER = "data/articles"
YEAR_BYTES = 16_000_000  # beyond this a year is split by month (issue 15: no file over 20 MB)


def _file(year: int | None, month: int | None = None) -> str:
    if year is None:
        return f"{FOLDER}/undated.json"
    return f"{FOLDER}/{year:04d}.json" if month is None else f"{FOLDER}/{year:04d}-{month:02d}.json"


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _join(lines: list[str]) -> str:
    """A JSON array, one record per line (small, and a changed record is a changed line)."""
    return "[\n" + ",\n".join(lines) + "\n]\n"


def catalogue_files(articles: Iterable[Article], names: dict[str, PageName] | None = None,
                    memo: Memo | None = None) -> dict[str, bytes]:
    """docs path → bytes: the index and one file per year (archive order inside; a big
    year by month, a big month in parts).  ``memo``: a year's files as in the previous
    build when made from the same stories."""
    names = names or {}
    memo = memo or Memo(None)
    by_year: dict[int | None, list[Article]] = defaultdict(list)
    for art in articles:
        by_year[art.date.year if art.date else None].append(art)
    files: dict[str, bytes] = {}
    entries = []
    for year in sorted(by_year, key=lambda y: (y is None, y or 0)):
        arts = by_year[year]
        key = memo.key(year, [(memo.digest(a), names.get(a.source)) for a in arts])
        made = memo.pages(key, partial(_year_files, year, arts, names))
        split = len(made) > 1
        if split and year is not None:  # the files hold the year's stories month by month, in order
            arts = sorted(arts, key=lambda a: a.date.month)  # type: ignore[union-attr]
        at = 0
        for path, text in made.items():  # in order: months, then parts
            data = text.encode("utf-8")
            files[path] = data
            count = text.count("\n") - 2  # one record a line (_join)
            here, at = arts[at:at + count], at + count
            entry: dict[str, Any] = {"year": year}
            if split and year is not None:
                entry["month"] = here[0].date.month  # type: ignore[union-attr]
            part = path.removesuffix(".json").rsplit("/", 1)[1].split("-")[2 if year is not None else 1:]
            if part:  # <year>-<month>-<n>.json, undated-<n>.json
                entry["part"] = int(part[0])
            entry.update({"file": path.removeprefix("data/"), "articles": len(here), "bytes": len(data)})
            dates = [a.date for a in here if a.date]
            if dates:
                entry.update(first=min(dates).isoformat(), last=max(dates).isoformat())
            entries.append(entry)
    index = {"schema": SCHEMA, "articles": sum(e["articles"] for e in entries), "files": entries}
    files[INDEX] = (json.dumps(index, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return files


def _year_files(year: int | None, arts: list[Article], names: dict[str, PageName]) -> dict[str, str]:
    """A year's records: one file; or, when it would pass ``YEAR_BYTES``, one a month,
    and a month that would pass it in numbered parts, filled in order (a day's new
    stories change the last part)."""
    lines = [_line(catalogue_record(a, names.get(a.source))) for a in arts]
    whole = _join(lines)
    if len(whole.encode("utf-8")) <= YEAR_BYTES:
        return {_file(year): whole}
    if year is None:
        return _parts(_file(None), lines)
    by_month: dict[int, list[str]] = defaultdict(list)
    for art, line in zip(arts, lines):
        by_month[art.date.month].append(line)  # type: ignore[union-attr]
    out: dict[str, str] = {}
    for month, rows in sorted(by_month.items()):
        out.update(_parts(_file(year, month), rows))
    return out


def _parts(path: str, lines: list[str]) -> dict[str, str]:
    """Records (``lines``, one each) as one file at ``path``, or as ``<path>-1.json``,
    ``-2``… of at most ``YEAR_BYTES`` each when they do not fit."""
    groups: list[list[str]] = [[]]
    size = 0
    for line in lines:
        n = len(line.encode("utf-8")) + 2
        if groups[-1] and size + n > YEAR_BYTES - 8:
            groups.append([])
            size = 0
        groups[-1].append(line)
        size += n
    if len(groups) == 1:
        return {path: _join(lines)}
    stem = path.removesuffix(".json")
    return {f"{stem}-{k}.json": _join(group) for k, group in enumerate(groups, 1)}


def read_catalogue(root: Path) -> list[dict[str, Any]]:
    """Every record of a built site or docs folder (``root/data/articles.json`` and the
    files it names), years in order, archive order inside a year."""
    index = json.loads((root / INDEX).read_text("utf-8"))
    if index.get("schema") != SCHEMA:
        raise ValueError(f"{root / INDEX}: catalogue schema {index.get('schema')!r}, this reader knows {SCHEMA}")
    records: list[dict[str, Any]] = []
    for entry in index["files"]:
        records += json.loads((root / "data" / entry["file"]).read_text("utf-8"))
    return records
