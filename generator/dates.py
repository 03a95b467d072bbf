"""Inferring a page's publication date from what it reports, and editor overrides.

The pages carry no date, but they report on days (``11月24日``), name years
(``2020年计划投资``, ``《2021年…计划》``), and speak of periods relative to "now"
(``截至10月底``, ``上半年``, ``“十三五”期间…累计``).  A page is published after the
latest day it reports, in the latest year it speaks of as present or past.  Every
clue is kept as evidence, with its line, so the 版面 page can show why.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .config import load_yaml
from .model import Problem

_YEAR = r"(?:19[5-9]\d|20\d\d)"
_FULL_DATE = re.compile(rf"({_YEAR})年(\d{{1,2}})月(\d{{1,2}})日")
_YEAR_MONTH = re.compile(rf"({_YEAR})年(\d{{1,2}})月(?!\d{{1,2}}日)")
_YEAR_ONLY = re.compile(rf"({_YEAR})年(?!\d{{1,2}}月)")
# 8月6日, 8月6日至7日, 8月6日至9月2日, 5月20日上午 — not preceded by a year
_MONTH_DAY = re.compile(r"(?<![年\d])(\d{1,2})月(\d{1,2})日(?:(?:至|到|—|-)(?:(\d{1,2})月)?(\d{1,2})日)?")
_UNTIL_MONTH_END = re.compile(r"截至(?:今年)?(\d{1,2})月(?:底|末)")
_INTO_MONTH = re.compile(r"进入(\d{1,2})月")


@dataclass
class Evidence:
    line: int
    text: str  # the words on the page
    kind: str  # full_date, month_day, explicit_year, year_name, since_year, period, relative, future
    meaning: str  # what it implies, for the reader


@dataclass
class DateInference:
    date: _dt.date | None
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    reasoning: str = ""


@dataclass
class PageOverride:
    date: _dt.date | None = None
    newspaper: str | None = None
    page_label: str | None = None


@cache
def _vocab() -> dict[str, Any]:
    return load_yaml("dates.yaml")


def _is_future(line: str, start: int) -> bool:
    before = line[max(0, start - 4):start]
    if "截至" in before:
        return False
    return any(before.endswith(m) or m in before[-2:] for m in _vocab()["future_markers"])


def _safe_date(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _scan(text: str) -> tuple[list[Evidence], list[int], list[int], list[tuple[int, int]], list[tuple[int, int]]]:
    """Collect evidence; return it with present/past years, lower bounds on the year,
    reported (month, day)s and (month, day) lower bounds on the publication day."""
    vocab = _vocab()
    evidence: list[Evidence] = []
    years: list[int] = []
    year_floors: list[int] = []
    days: list[tuple[int, int]] = []
    day_floors: list[tuple[int, int]] = []
    full_dates: list[_dt.date] = []
    for no, line in enumerate(text.split("\n"), start=1):
        taken: list[tuple[int, int]] = []

        def free(m: re.Match[str]) -> bool:
            return not any(a <= m.start() < b for a, b in taken)

        for m in _FULL_DATE.finditer(line):
            taken.append(m.span())
            d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d is None:
                continue
            if _is_future(line, m.start()):
                evidence.append(Evidence(no, m.group(0), "future", "a plan: says nothing about the publication date"))
                continue
            full_dates.append(d)
            years.append(d.year)
            evidence.append(Evidence(no, m.group(0), "full_date", f"reported day: published after {d.isoformat()}"))
        for m in _YEAR_MONTH.finditer(line):
            if not free(m):
                continue
            taken.append(m.span())
            if _is_future(line, m.start()):
                continue
            years.append(int(m.group(1)))
            evidence.append(Evidence(no, m.group(0), "explicit_year", f"month reported: published in {m.group(1)} or later"))
        for m in _YEAR_ONLY.finditer(line):
            if not free(m):
                continue
            year = int(m.group(1))
            after = line[m.end():m.end() + 2]
            in_name = line[:m.start()].endswith("《")
            if after.startswith("以来"):
                # a span from last year is written 去年以来, so X年以来 is at least two years back
                year_floors.append(year + 2)
                evidence.append(Evidence(no, m.group(0) + "以来", "since_year",
                                         f"a span from {year} not called 去年以来: published in {year + 2} or later"))
            elif _is_future(line, m.start()) or after.startswith(("前", "底前")):
                evidence.append(Evidence(no, m.group(0), "future", f"a target year: published before or in {year}"))
            elif in_name:
                years.append(year)
                evidence.append(Evidence(no, line[m.start() - 1:line.find("》", m.start()) + 1] or m.group(0), "year_name",
                                         f"a document named for {year}: published in {year} or later"))
            else:
                years.append(year)
                evidence.append(Evidence(no, m.group(0), "explicit_year", f"year spoken of as present or past: {year} or later"))
        for name, (first, last) in vocab["plan_periods"].items():
            for m in re.finditer(re.escape(name), line):
                rest = line[m.end():m.end() + 3].lstrip("”\"’")
                sentence = re.split(r"[。！？]", line[m.end():])[0]
                done = rest.startswith(tuple(vocab["period_done_words"])) and any(v in sentence for v in vocab["period_done_verbs"])
                if done:
                    year_floors.append(last + 1)
                    evidence.append(Evidence(no, name + rest[:2], "period",
                                             f"{name} ({first}–{last}) spoken of as completed: published in {last + 1} or later"))
                else:
                    year_floors.append(first - 1)
                    evidence.append(Evidence(no, name, "period", f"{name} ({first}–{last}) named: published in {first - 1} or later"))
        for m in _MONTH_DAY.finditer(line):
            month, day = int(m.group(1)), int(m.group(2))
            end_month = int(m.group(3)) if m.group(3) else month
            end_day = int(m.group(4)) if m.group(4) else day
            if not (1 <= end_month <= 12 and 1 <= end_day <= 31):
                continue
            if _is_future(line, m.start()):
                evidence.append(Evidence(no, m.group(0), "future", "a planned day: says nothing about the publication date"))
                continue
            days.append((end_month, end_day))
            evidence.append(Evidence(no, m.group(0), "month_day", f"reported day: published after {end_month}月{end_day}日"))
        for m in _UNTIL_MONTH_END.finditer(line):
            month = int(m.group(1))
            if 1 <= month <= 12:
                day_floors.append((month + 1, 1) if month < 12 else (12, 31))
                evidence.append(Evidence(no, m.group(0), "relative", f"figures up to the end of {month}月: published after it"))
        for m in _INTO_MONTH.finditer(line):
            month = int(m.group(1))
            if 1 <= month <= 12:
                day_floors.append((month, 1))
                evidence.append(Evidence(no, m.group(0), "relative", f"already {month}月"))
        for phrase, (month, day) in vocab["period_phrases"].items():
            if phrase in line:
                day_floors.append((month, day))
                evidence.append(Evidence(no, phrase, "relative", f"reports on {phrase}: published on or after {month}月{day}日"))
        for phrase, meaning in (("今年", "the present year is named"), ("去年", "last year is named")):
            if phrase in line and phrase + "以来" not in line:
                evidence.append(Evidence(no, phrase, "relative", meaning))
    days.extend((d.month, d.day) for d in full_dates if years and d.year == max(years))
    return evidence, years, year_floors, days, day_floors


def infer_page_date(text: str) -> DateInference:
    """Publication date of one page: the day after the latest day it reports."""
    evidence, years, year_floors, days, day_floors = _scan(text)
    floor = max(year_floors, default=None)
    year = max(years, default=None)
    reasons: list[str] = []
    if year is not None and floor is not None and floor > year:
        reasons.append(f"latest year named is {year}, but other evidence puts the page in {floor} or later")
        year = floor
        year_conf = 0.75
    elif year is not None:
        support = years.count(year)
        reasons.append(f"latest year named as present or past: {year} ({support} mention(s))")
        year_conf = 0.9 if support >= 2 else 0.7
    elif floor is not None:
        year = floor
        reasons.append(f"no year is named as present; earliest year the evidence allows: {year}")
        year_conf = 0.35
    else:
        return DateInference(None, 0.0, evidence, "no year can be inferred from the page: date unknown; set it in seeds/pages.yaml")

    # Year boundary: a page that reports early-January days and late-December days
    # was published in January; its December days are from the year before.
    early = [d for d in days if d[0] <= 2]
    late = [d for d in days if d[0] >= 11]
    if early and late:
        reasons.append("reports both January/February and November/December days: December days are of the previous year")
        reported = [_dt.date(year - 1, m, dd) if (m, dd) in late else _safe_date(year, m, dd) for m, dd in days]
    else:
        reported = [_safe_date(year, m, dd) for m, dd in days]
    reported = [d for d in reported if d is not None]
    floors = [d for d in (_safe_date(year, m, dd) for m, dd in day_floors) if d is not None]
    if reported:
        latest = max(reported)
        date = latest + _dt.timedelta(days=1)
        reasons.append(f"latest reported day {latest.isoformat()}: published the day after at the earliest")
        conf = year_conf
    elif floors:
        date = max(floors)
        reasons.append(f"no day reported; the relative phrases put it on or after {date.isoformat()}")
        conf = year_conf * 0.6
    else:
        date = _dt.date(year, 12, 31)
        reasons.append("no day or period reported: only the year is known (dated 31 December)")
        conf = year_conf * 0.3
    if floors and max(floors) > date:
        date = max(floors)
        reasons.append(f"moved to {date.isoformat()}: a period the page reports on ends later")
    return DateInference(date, round(conf, 2), evidence, "; ".join(reasons))


def load_overrides(path: Path, known_files: set[str]) -> tuple[dict[str, PageOverride], list[Problem]]:
    """Read ``seeds/pages.yaml``; every mistake becomes a problem with its line, never a crash."""
    name = path.name
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
        root = yaml.compose(text)
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Problem(name, None, f"cannot read: {exc}; overrides ignored", fatal=False)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        return {}, [Problem(name, line, f"not valid YAML ({getattr(exc, 'problem', exc)}); overrides ignored", fatal=False)]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [Problem(name, root.start_mark.line + 1, "must map file names to settings; overrides ignored", fatal=False)]
    overrides: dict[str, PageOverride] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        file = str(key_node.value)
        if file not in known_files:
            problems.append(Problem(name, line, f"unknown file {file!r} (not in seeds/); entry ignored", fatal=False))
            continue
        if not isinstance(value_node, yaml.MappingNode):
            problems.append(Problem(name, line, f"{file}: settings must be a mapping (date, newspaper, page_label)", fatal=False))
            continue
        override = PageOverride()
        for k_node, v_node in value_node.value:
            k_line = k_node.start_mark.line + 1
            key = str(k_node.value)
            value = v_node.value if isinstance(v_node, yaml.ScalarNode) else None
            if key == "date":
                try:
                    override.date = _dt.date.fromisoformat(str(value))
                except ValueError:
                    problems.append(Problem(name, k_line, f"{file}: invalid date {value!r} (use YYYY-MM-DD); date ignored", fatal=False))
            elif key in ("newspaper", "page_label"):
                setattr(override, key, str(value))
            else:
                problems.append(Problem(name, k_line, f"{file}: unknown setting {key!r} (use date, newspaper, page_label); ignored", fatal=False))
        overrides[file] = override
    return overrides, problems
