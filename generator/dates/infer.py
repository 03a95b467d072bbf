"""Inferring a page's publication date from what it reports, and editor overrides.

The pages carry no date, but they report on days (``11月24日``), name years
(``2020年计划投资``, ``《2021年…计划》``), and speak of periods relative to "now"
(``截至10月底``, ``上半年``, ``“十三五”期间…累计``).  Every clue is kept as
:class:`Evidence` with its line, so the 版面 page can show why.

The rules, in order:

1. **Year.**  The page's year is the latest year it names as present or past
   (full dates, ``2020年计划投资``, ``2019年…落户``, ``《2021年…计划》``, ``2020年初``).
   Lower bounds can raise it: ``2018年以来`` (≥ 2019: in 2018 one writes 今年以来),
   a plan period spoken of as completed (``“十三五”期间…累计`` ≥ 2021), a name that
   only exists from some year (``党史学习教育`` ≥ 2021).  Plans and targets
   (``到2025年``, ``2020年底前``, ``将于9月30日``, ``明年5月``) say nothing about it.
   With no year named, the earliest year the bounds allow is a low-confidence
   guess; with no bound either, the page is undated.
2. **Day.**  A month–day without a year (``11月24日``, ``8月6日至7日`` → the 7th,
   ``5月20日上午``) belongs to the publication year — unless that would put it after
   the page: a page that reports early-January days and late-December days is a
   January page recalling December (the December days go to the year before).
   ``去年12月28日`` and ``今年6月21日`` are placed by their own words.
3. **Date = the earliest day consistent with everything**: the day after the
   latest reported day (a daily reports yesterday's events: ``11月24日`` → 25th),
   no earlier than what the relative phrases require (``截至10月底`` → 1 November),
   and no earlier than 1 January of the inferred year.

Vocabulary (plan periods, relative phrases, era names, cue words) lives in
the profile's ``dates.yaml`` (``generator/profiles/jinzhou/``).
"""

from __future__ import annotations

import datetime as _dt
import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from ..model import Problem
from ..reading.pages import read_regular, reason_zh
from ..settings.profile import default_profile

__all__ = ["Evidence", "DateInference", "PageOverride", "infer_page_date", "load_overrides"]

_DASH = r"(?:至|到|—|－|-|~|～)"
_YEAR = r"(?<!\d)((?:19[5-9]|20\d)\d)年"
_RANGE_END = rf"(?:{_DASH}(?:(\d{{1,2}})月)?(\d{{1,2}})日)?"
_DAY_LIST = r"(?:日?、\d{1,2})*"  # 5、6日, 20日、21日: several days of one month, the last one counts
_FULL_DATE = re.compile(_YEAR + r"(\d{1,2})月(\d{1,2})" + _DAY_LIST + "日" + _RANGE_END)
_YEAR_MONTH = re.compile(_YEAR + r"(\d{1,2})月(?!\d)")
_YEAR_ONLY = re.compile(_YEAR)
# 8月6日, 8月6日至7日, 8月6日至9月2日, 5月20日上午, 去年12月28日 — never part of 2020年11月24日
_MONTH_DAY = re.compile(r"(?:(今|去|前|明)年|(?<![年\d]))(\d{1,2})月(\d{1,2})" + _DAY_LIST + "日" + _RANGE_END)
_LISTED_DAY = re.compile(r"、(\d{1,2})日")
_REL_MONTH = re.compile(r"(今|去|前|明)年(\d{1,2})月(?!\d)")
_UNTIL_MONTH = re.compile(r"截至(今年)?(\d{1,2})月(底|末)?")
_THROUGH_MONTH = re.compile(rf"(?<![年\d])1\s*{_DASH}\s*(\d{{1,2}})月")
_INTO_MONTH = re.compile(r"进入(\d{1,2})月")
_SPAN_TO = re.compile(rf"\d年{_DASH}$")


@dataclass
class Evidence:
    """One clue on the page: the words, where, what kind, and what it implies."""

    line: int  # 1-based line in the source file
    text: str  # the words on the page
    kind: str  # full_date, month_day, explicit_year, recalled_period, year_name, since_year,
    #            span, period, era, relative, future, noted
    meaning: str  # what it implies, for the reader


@dataclass
class DateInference:
    date: _dt.date | None
    confidence: float  # 0..1
    evidence: list[Evidence] = field(default_factory=list)
    reasoning: str = ""


@dataclass
class PageOverride:
    date: _dt.date | None = None
    newspaper: str | None = None
    page_label: str | None = None


Vocabulary = dict[str, Any]  # the profile's dates.yaml


# ---------------------------------------------------------------------------
# Scanning: every clue becomes evidence plus a constraint.

@dataclass
class _Facts:
    evidence: list[Evidence] = field(default_factory=list)
    # years named as present or past: (year, strong?)
    years: list[tuple[int, bool]] = field(default_factory=list)
    # lower bounds on the year: (year, evidence kind, words on the page)
    year_floors: list[tuple[int, str, str]] = field(default_factory=list)
    # upper bounds from targets (到2025年): year
    year_ceilings: list[int] = field(default_factory=list)
    # reported days: (year or None for "this year unless the boundary says otherwise", month, day);
    # relative years are stored as offsets in ``rel_days``
    days: list[tuple[int | None, int, int]] = field(default_factory=list)
    rel_days: list[tuple[int, int, int]] = field(default_factory=list)  # (offset, month, day)
    # lower bounds on the date within the publication year: (month, day)
    day_floors: list[tuple[int, int]] = field(default_factory=list)
    # zodiac years named with the lunar new year (龙年春节): (animal's place in the cycle, line, words)
    zodiac: list[tuple[int, int, str]] = field(default_factory=list)

    def add(self, line: int, text: str, kind: str, meaning: str) -> None:
        self.evidence.append(Evidence(line, text, kind, meaning))


def _last_listed(m: re.Match[str], day_group: int) -> str:
    """The last of the days listed as ``5、6日`` (the day group itself when only one)."""
    listed = _LISTED_DAY.search(m.group(0))
    return listed.group(1) if listed else m.group(day_group)


def _plan_after_year(line: str, end: int, vocab: Vocabulary) -> bool:
    """``2025年该项目建成后,年加工能力将达到50万吨``: a clause after the year that ends on
    后 and a main clause that looks forward (将, 预计…) with nothing done (已, 了): the
    year is when a plan is due, not a year the page reports."""
    clause = re.split(r"[，,；;。！？!?]", line[end:end + 30])[0]
    if not clause.endswith("后") or len(clause) > 20:
        return False
    main = re.split(r"[。！？!?；;]", line[end + len(clause):])[0]
    return (any(w in main for w in vocab.get("plan_result_words") or [])
            and not any(w in main for w in vocab.get("past_result_words") or []))


def _is_future(line: str, start: int, vocab: Vocabulary) -> bool:
    before = line[max(0, start - 4):start]
    if "截至" in before or _SPAN_TO.search(line[max(0, start - 8):start]):
        return False
    return any(before.endswith(m) or m in before[-2:] for m in vocab["future_markers"])


def _cn(d: _dt.date) -> str:
    """A date as Chinese readers write it: 2020年11月25日."""
    return f"{d.year}年{d.month}月{d.day}日"


def _safe_date(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _valid_md(month: int, day: int) -> bool:
    return _safe_date(2000, month, day) is not None  # 2000 is a leap year: 2月29日 allowed


def _inside(line: str, start: int, opening: str, closing: str) -> int:
    """Index of the unclosed ``opening`` mark before ``start``, or -1."""
    i = line.rfind(opening, 0, start)
    return i if i >= 0 and line.rfind(closing, 0, start) < i else -1


def _enclosing_name(line: str, start: int) -> str:
    """The 《title》 or short “name” around ``start`` (not a quoted speech), else ''."""
    for opening, closing, longest in (("《", "》", 80), ("“", "”", 30)):
        i = _inside(line, start, opening, closing)
        if i >= 0:
            end = line.find(closing, start)
            if 0 <= end - i <= longest and "。" not in line[i:end] and "，" not in line[i:end] and "," not in line[i:end]:
                return line[i:end + 1]
    return ""


def _scan_line(no: int, line: str, facts: _Facts, noted: dict[tuple[str, str], list[Any]], vocab: Vocabulary) -> None:
    taken: list[tuple[int, int]] = []
    contrasts: list[tuple[int, int, int]] = []  # (year, start, end) of years a later 今年/当年 may contrast

    def free(m: re.Match[str]) -> bool:
        return not any(a <= m.start() < b for a, b in taken)

    def note(kind: str, text: str, meaning: str) -> None:
        """Repeated phrases are shown once, with their count."""
        key = (kind, text)
        if key in noted:
            noted[key][1] += 1
        else:
            ev = Evidence(no, text, kind, meaning)
            noted[key] = [ev, 1]
            facts.evidence.append(ev)

    # Full dates: 2019年12月2日, 2021年8月6日至7日
    for m in _FULL_DATE.finditer(line):
        taken.append(m.span())
        year = int(m.group(1))
        month, day = int(m.group(4) or m.group(2)), int(m.group(5) or _last_listed(m, 3))
        if _safe_date(year, month, day) is None:
            continue
        if _is_future(line, m.start(), vocab):
            facts.add(no, m.group(0), "future", "计划中的日子：与出版日期无关")
            continue
        facts.years.append((year, True))
        contrasts.append((year, m.start(), m.end()))
        facts.days.append((year, month, day))
        facts.add(no, m.group(0), "full_date", f"报道的日子：出版于 {year}年{month}月{day}日之后")

    # Year and month: 2020年11月
    for m in _YEAR_MONTH.finditer(line):
        if not free(m):
            continue
        taken.append(m.span())
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            continue
        if _is_future(line, m.start(), vocab):
            facts.year_ceilings.append(year)
            facts.add(no, m.group(0), "future", f"目标月份：出版于 {year} 年或更早")
            continue
        facts.years.append((year, False))
        contrasts.append((year, m.start(), m.end()))
        facts.add(no, m.group(0), "explicit_year", f"报道 {year} 年某月的事：出版于 {year} 年或更晚")

    # Years: 2020年计划投资, 2019年该项目落户, 2020年初, 2018年以来, 到2025年, 《2021年…计划》
    for m in _YEAR_ONLY.finditer(line):
        if not free(m):
            continue
        taken.append(m.span())
        year = int(m.group(1))
        after = line[m.end():m.end() + 4]
        if after.startswith("以来"):
            facts.year_floors.append((year + 1, "since_year", m.group(0) + "以来"))
            facts.add(no, m.group(0) + "以来", "since_year",
                      f"从 {year} 年至今的时段（{year} 年当年会写“今年以来”）：出版于 {year + 1} 年或更晚")
            continue
        if _plan_after_year(line, m.end(), vocab):
            facts.year_ceilings.append(year)
            facts.add(no, line[m.start():m.end() + len(re.split(r"[，,；;。]", line[m.end():])[0])], "future",
                      f"{year} 年是计划完成的时间（其后说的是建成后将如何）：出版于 {year} 年或更早")
            continue
        if _is_future(line, m.start(), vocab) or after.startswith(("前", "底前", "年底前")):
            if _SPAN_TO.search(line[max(0, m.start() - 8):m.start()]):
                facts.add(no, m.group(0), "span", "时段的终点（可能是计划）：不作依据")
            else:
                facts.year_ceilings.append(year)
                facts.add(no, m.group(0), "future", f"目标年份：出版于 {year} 年或更早")
            continue
        if _SPAN_TO.search(line[max(0, m.start() - 8):m.start()]):
            facts.add(no, m.group(0), "span", "时段的终点（可能是计划）：不作依据")
            continue
        name = _enclosing_name(line, m.start())
        if name:
            facts.years.append((year, True))
            facts.add(no, name, "year_name", f"以 {year} 年命名的文件或活动：出版于 {year} 年或更晚，最可能就在 {year} 年")
            continue
        recalled = next((c for c in vocab["recalled_cues"] if after.startswith(c)), None)
        present = next((c for c in vocab["present_cues"] if after.startswith(c)), None)
        if not present:
            contrasts.append((year, m.start(), m.end()))
        if recalled:
            facts.years.append((year, False))
            facts.add(no, m.group(0) + recalled, "recalled_period",
                      f"回顾 {year} 年的一段时间（{year} 年当年会写“今年{recalled}”）：出版于 {year} 年或更晚")
            continue
        if present:
            facts.years.append((year, True))
            facts.add(no, m.group(0) + present, "explicit_year", f"{year} 年被当作本年来说：出版于 {year} 年")
            continue
        facts.years.append((year, False))
        facts.add(no, m.group(0), "explicit_year", f"{year} 年作为本年或过去提及：出版于 {year} 年或更晚")

    # X年……今年 / X年……当年: a year followed in the same sentence by "this year" or
    # "that same year" is not this year (in year X one writes 今年, not X年)
    contrast_words = tuple(vocab.get("contrast_words") or ())
    seen_contrast: set[int] = set()
    for year, start, end in contrasts:
        if year in seen_contrast:
            continue
        stop = re.search(r"[。！？!?]", line[end:])
        sentence_end = end + stop.start() if stop else len(line)
        later = [(line.find(w, end, sentence_end), w) for w in contrast_words if line.find(w, end, sentence_end) >= 0]
        if not later and line[end:end + 1] in "，,":
            # parallel clauses in one paragraph: "X年，……。今年，……"
            later = [(k.start(1), k.group(1)) for k in re.finditer(
                r"(?:^|[。！？!?；;])\s*(%s)[，,]" % "|".join(map(re.escape, contrast_words)), line[sentence_end:])]
            later = [(sentence_end + at, w) for at, w in later[:1]]
        if not later:
            continue
        at, word = min(later)
        seen_contrast.add(year)
        facts.year_floors.append((year + 1, "contrast", f"{year}年……{word}"))
        facts.add(no, line[start:at + len(word)] if at - start <= 40 else f"{line[start:end]}……{word}", "contrast",
                  f"{year} 年之后又说“{word}”：{year} 年是回顾的过去，出版于 {year + 1} 年或更晚")

    # Zodiac years with the lunar new year: 龙年春节 (the year is chosen in infer_page_date)
    zodiac = vocab.get("zodiac") or {}
    animals, words = str(zodiac.get("animals") or ""), tuple(zodiac.get("words") or ())
    if animals and words and "年" in line:
        for m in re.finditer(f"([{re.escape(animals)}])年(?:{'|'.join(map(re.escape, words))})", line):
            facts.zodiac.append((animals.index(m.group(1)), no, m.group(0)))

    # Plan periods: “十三五”期间…累计 (completed), “十四五” (named)
    for name, (first, last) in vocab["plan_periods"].items():
        if name not in line:  # a plain substring test first: most lines name no period
            continue
        for m in re.finditer(re.escape(name), line):
            rest = line[m.end():m.end() + 3].lstrip("”\"’」")
            sentence = re.split(r"[。！？!?；;]", line[m.end():])[0]
            done = (rest.startswith(tuple(vocab["period_done_words"]))
                    and any(v in sentence for v in vocab["period_done_verbs"])
                    and not any(w in sentence for w in vocab["period_plan_words"]))
            if done:
                word = next(w for w in vocab["period_done_words"] if rest.startswith(w))
                facts.year_floors.append((last + 1, "period", name + word))
                facts.add(no, name + word, "period", f"{name}（{first}—{last} 年）已说成完成：出版于 {last + 1} 年或更晚")
            else:
                facts.year_floors.append((first - 1, "period_named", name))
                note("period", name, f"提到{name}（{first}—{last} 年）：出版于 {first - 1} 年或更晚")

    # Names that exist only from some year on
    for name, year in vocab["era_markers"].items():
        if name in line:
            facts.year_floors.append((int(year), "era", name))
            note("era", name, f"这一名称 {year} 年才出现：出版于 {year} 年或更晚")

    # Month–days: 11月24日, 8月6日至7日, 5月20日上午, 去年12月28日, 今年6月21日
    for m in _MONTH_DAY.finditer(line):
        if not free(m):
            continue
        taken.append(m.span())
        month, day = int(m.group(2)), int(m.group(3))
        end_month, end_day = int(m.group(4) or month), int(m.group(5) or _last_listed(m, 3))
        if not (_valid_md(month, day) and _valid_md(end_month, end_day)):
            continue
        offset = vocab["relative_years"].get(m.group(1) + "年") if m.group(1) else None
        if offset is not None and offset > 0 or _is_future(line, m.start(), vocab):
            facts.add(no, m.group(0), "future", "计划中的日子：与出版日期无关")
            continue
        if offset is None:
            facts.days.append((None, end_month, end_day))
            facts.add(no, m.group(0), "month_day", f"报道的日子：出版于 {end_month}月{end_day}日之后")
        else:
            facts.rel_days.append((offset, end_month, end_day))
            which = {0: "今年", -1: "去年", -2: "前年"}.get(offset, f"{-offset} 年前")
            facts.add(no, m.group(0), "month_day", f"报道{which}的日子：出版于其后")

    # Statistics up to a month: 截至10月底, 截至今年10月底, 截至7月, 1—9月
    for m in _UNTIL_MONTH.finditer(line):
        taken.append(m.span())
        month = int(m.group(2))
        if not 1 <= month <= 12:
            continue
        if m.group(3):
            floor = (month + 1, 1) if month < 12 else (12, 31)
            facts.day_floors.append(floor)
            facts.add(no, m.group(0), "relative", f"截至 {month} 月底的数据：出版于 {floor[0]}月{floor[1]}日或更晚")
        else:
            facts.day_floors.append((month, 1))
            facts.add(no, m.group(0), "relative", f"截至 {month} 月的数据：出版于 {month}月1日或更晚")
    # Months of a named relative year: 今年6月, 今年3月以来
    for m in _REL_MONTH.finditer(line):
        if not free(m):
            continue
        month = int(m.group(2))
        offset = vocab["relative_years"].get(m.group(1) + "年")
        if offset != 0 or not 1 <= month <= 12:
            continue
        if _is_future(line, m.start(), vocab) or line[m.end():m.end() + 2].startswith(("底前", "前")):
            facts.add(no, m.group(0), "future", "计划中的月份：与出版日期无关")
            continue
        taken.append(m.span())
        facts.day_floors.append((month, 1))
        facts.add(no, m.group(0), "relative", f"报道今年某月的事：出版于 {month}月1日或更晚")

    for m in _THROUGH_MONTH.finditer(line):
        month = int(m.group(1))
        if 2 <= month <= 12:
            floor = (month + 1, 1) if month < 12 else (12, 31)
            facts.day_floors.append(floor)
            facts.add(no, m.group(0), "relative", f"1—{month} 月的数据：出版于 {floor[0]}月{floor[1]}日或更晚")
    for m in _INTO_MONTH.finditer(line):
        month = int(m.group(1))
        if 1 <= month <= 12:
            facts.day_floors.append((month, 1))
            facts.add(no, m.group(0), "relative", f"已进入 {month} 月：出版于 {month}月1日或更晚")

    # Periods of this year: 上半年, 前三季度, 今年以来 (not 去年上半年)
    for phrase, (month, day) in vocab["period_phrases"].items():
        if phrase not in line:
            continue
        for m in re.finditer(re.escape(phrase), line):
            if line[max(0, m.start() - 2):m.start()] in ("去年", "明年", "前年"):
                continue
            if phrase in ("三季度", "一季度") and line[max(0, m.start() - 1):m.start()] in ("前", "第"):
                continue  # counted as 前三季度 / 第一季度
            facts.day_floors.append((month, day))
            note("relative", phrase, f"报道{phrase}的情况：出版于 {month}月{day}日或更晚")

    # How the page speaks of time (no effect)
    for phrase, meaning in vocab["noted_phrases"].items():
        if phrase in line and re.search(re.escape(phrase) + "(?!以来)", line):  # 今年以来 is a period phrase above
            note("noted", phrase, meaning)


def _scan(text: str, vocab: Vocabulary) -> _Facts:
    facts = _Facts()
    noted: dict[tuple[str, str], list[Any]] = {}
    for no, line in enumerate(text.split("\n"), start=1):
        _scan_line(no, line, facts, noted, vocab)
    for ev, count in noted.values():
        if count > 1:
            ev.meaning += f"（共 {count} 处，此为首见行）"
    return facts


# ---------------------------------------------------------------------------
# Deciding.

def _place_free_days(days: list[tuple[int, int]], year: int) -> tuple[list[_dt.date], bool]:
    """Dates for month–days printed without a year; True if the year boundary was crossed.

    They belong to ``year`` unless the page reports early-January/February days and
    late-November/December days with nothing in between that cannot be bridged:
    then it is a January page and the late days are of the year before.
    """
    unique = sorted(set(days))
    placed = [d for d in (_safe_date(year, m, dd) for m, dd in unique) if d is not None]
    if len(unique) < 2 or unique[0][0] > 2 or unique[-1][0] < 11:
        return placed, False
    ordinals = [_dt.date(2001 if m != 2 or dd != 29 else 2004, m, dd).timetuple().tm_yday for m, dd in unique]
    gaps = [(ordinals[i + 1] - ordinals[i], i) for i in range(len(ordinals) - 1)]
    widest, at = max(gaps)
    wrap_gap = ordinals[0] + 365 - ordinals[-1]
    early, late = unique[:at + 1], unique[at + 1:]
    span_after_wrap = ordinals[at] + 365 - ordinals[at + 1]
    if widest <= wrap_gap or early[-1][0] > 3 or late[0][0] < 10 or span_after_wrap > 120:
        return placed, False
    moved = [_safe_date(year - 1, m, dd) for m, dd in late] + [_safe_date(year, m, dd) for m, dd in early]
    return [d for d in moved if d is not None], True


def _place_zodiac(facts: _Facts, vocab: Vocabulary) -> None:
    """``龙年春节``: the lunar new year that opens a dragon year falls in a year of the
    12-year cycle (2024, 2036…; the cycle is anchored by ``zodiac.first_year`` in
    dates.yaml, the year of the rat).  The page is from that year, or the winter just
    before it, so among the cycle's years the one at or just after the latest year the
    page otherwise allows (years named, lower bounds) is taken as a lower bound.  With no
    other year on the page, or none within a year of the cycle, the mention is shown
    but not used: the cycle repeats every 12 years."""
    if not facts.zodiac:
        return
    first = int((vocab.get("zodiac") or {}).get("first_year") or 2020)
    known = [y for y, _ in facts.years] + [y for y, _, _ in facts.year_floors]
    anchor = max(known, default=None)
    for place, no, words in facts.zodiac:
        if anchor is None:
            facts.add(no, words, "zodiac", "生肖纪年每 12 年重复一次，文中没有别的年份可定是哪一轮：不作依据")
            continue
        year = anchor + (place - (anchor - first)) % 12
        if year - anchor > 1:
            facts.add(no, words, "zodiac", f"与文中其他年份不相符（最近的是 {year} 年）：不作依据")
            continue
        late = [m for y, m, _ in facts.days if y is None]
        if year == anchor + 1 and late and min(late) >= 11:
            facts.add(no, words, "zodiac", f"“{words[:2]}”的春节在 {year} 年，而文中报道的日子都在 11—12 月："
                                           f"是 {anchor} 年冬天说即将到来的春节，不作依据")
            continue
        facts.year_floors.append((year, "zodiac", words))
        facts.add(no, words, "zodiac", f"生肖纪年：“{words[:2]}”的春节在 {year} 年：出版于 {year} 年（或其前的冬天）")


def infer_page_date(text: str, vocab: Vocabulary | None = None) -> DateInference:
    """Publication date of one page: the earliest day consistent with what it reports."""
    vocab = vocab if vocab is not None else default_profile().data["dates.yaml"]
    facts = _scan(text, vocab)
    evidence = facts.evidence
    reasons: list[str] = []

    _place_zodiac(facts, vocab)

    # 1. The year
    named = [y for y, _ in facts.years]
    floor = max((y for y, _, _ in facts.year_floors), default=None)
    ceiling = min(facts.year_ceilings, default=None)
    year = max(named, default=None)

    def floor_words(at: int) -> tuple[int, str]:
        words = list(dict.fromkeys(w for y, _, w in facts.year_floors if y == at))
        return len(words), "、".join(f"“{w}”" for w in words)

    if year is not None and (floor is None or floor <= year):
        strong = sum(1 for y, s in facts.years if y == year and s)
        weak = sum(1 for y, s in facts.years if y == year and not s)
        agreeing = [w for y, k, w in facts.year_floors if y == year and k in ("era", "period", "since_year", "contrast", "zodiac")]
        agreeing = list(dict.fromkeys(agreeing))
        year_conf = min(0.95, 0.55 + 0.15 * min(strong + len(agreeing), 2) + 0.05 * min(weak, 3))
        reasons.append(f"{year} 年：文中作为本年或过去提及的最晚年份（明确提及 {strong} 处，一般提及 {weak} 处"
                       + (f"；{'、'.join(f'“{w}”' for w in agreeing)}与之相符" if agreeing else "") + "）")
        older = sorted({y for y in named if y < year})
        if older:
            reasons.append(f"文中较早的年份（{'、'.join(map(str, older))}）是回顾过去")
    elif year is not None:
        assert floor is not None
        n, words = floor_words(floor)
        reasons.append(f"有矛盾：文中最晚的年份是 {year} 年，但{words}表明出版于 {floor} 年或更晚，"
                       f"故 {year} 年是回顾过去")
        year, year_conf = floor, 0.55 + 0.1 * min(n, 2)
    elif floor is not None:
        n, words = floor_words(floor)
        reasons.append(f"文中没有作为本年提及的年份；{words}表明出版于 {floor} 年或更晚：暂取最早的 {floor} 年"
                       "（可信度低，待编辑核定）")
        year, year_conf = floor, 0.3 + 0.05 * min(n, 2)
    else:
        known = [f"{m}月{d}日" for _, m, d in facts.days]
        what = f"（文中报道了{'、'.join(dict.fromkeys(known))}，但年份不明）" if known else ""
        return DateInference(None, 0.0, evidence,
                             f"无法从文中推断年份{what}：日期不详，待编辑核定")
    if ceiling is not None and ceiling < year:
        reasons.append(f"有矛盾：目标年份 {ceiling} 年在 {year} 年已经过去")
        year_conf *= 0.7

    # 2. The days
    free = [(m, d) for y, m, d in facts.days if y is None]
    placed, crossed = _place_free_days(free, year)
    pinned_floors = [d for d in (_safe_date(year, m, dd) for m, dd in facts.day_floors) if d is not None]
    if crossed and pinned_floors and max(pinned_floors) > max(placed) + _dt.timedelta(days=1):
        placed, crossed = [d for d in (_safe_date(year, m, dd) for m, dd in sorted(set(free))) if d is not None], False
    if crossed:
        reasons.append("既报道 1—2 月初的日子，又报道 11—12 月末的日子："
                       "应是 1 月的版面回顾上年 12 月")
    reported = placed + [d for d in (_safe_date(y, m, dd) for y, m, dd in facts.days if y is not None) if d is not None]
    reported += [d for d in (_safe_date(year + off, m, dd) for off, m, dd in facts.rel_days) if d is not None]
    in_year = [d for d in reported if d.year >= year] if reported else []

    # 3. The earliest date consistent with everything
    bounds: list[tuple[_dt.date, str]] = [(_dt.date(year, 1, 1), f"{year}年1月1日")]
    bounds += [(d + _dt.timedelta(days=1), f"最晚报道日 {_cn(d)} 的次日") for d in reported]
    bounds += [(d, "文中报道的时段") for d in pinned_floors]
    date, why = max(bounds, key=lambda b: b[0])
    if in_year:
        latest = max(reported)
        reasons.append(f"最晚的报道日是 {_cn(latest)}：最早于次日出版")
        day_factor = 0.9 if crossed else 1.0
        if date > latest + _dt.timedelta(days=1):
            reasons.append(f"推后至 {_cn(date)}：{why}结束得更晚")
    elif pinned_floors:
        reasons.append(f"文中没有报道 {year} 年的具体日子；相对时间的说法表明出版于 {_cn(date)} 或更晚")
        day_factor = 0.6
    else:
        reasons.append(f"文中没有报道 {year} 年的日子或时段：只知年份（暂记为该年第一天 {_cn(date)}）")
        day_factor = 0.3
    return DateInference(date, round(year_conf * day_factor, 2), evidence, "；".join(reasons) + "。")


# ---------------------------------------------------------------------------
# Editor overrides: seeds/pages.yaml

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SETTINGS = ("date", "newspaper", "page_label")
_NULL_TAG = "tag:yaml.org,2002:null"
_PLAIN_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
# libyaml when PyYAML has it: PyYAML's pure-Python scanner costs about 0.3 ms an entry
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# The overrides file as the public sources page names it (its problems are shown there)
_ZH_FILE = "版面设定文件"
_ZH_SETTINGS = {"date": "日期", "newspaper": "报纸", "page_label": "版次"}
_ZH_IGNORED = "设定未采用"


@dataclass(slots=True)
class _Node:
    """A YAML node as much as the overrides need: its shape, line and value
    (scalar: text; sequence: nodes; mapping: (key, value) node pairs)."""

    shape: str  # "scalar", "sequence" or "mapping"
    line: int  # 1-based
    value: Any
    null: bool = False


def _compose(text: str, on_entry: Callable[[_Node, _Node], None]) -> _Node | None:
    """Walk the document, handing each entry of a top-level mapping to ``on_entry`` as
    soon as it is complete; return the top-level node (a mapping's entries are not kept).

    ``yaml.compose`` would do, but costs some 50 µs an entry even with libyaml (every
    scalar goes through PyYAML's Python resolver, every node gets two marks) and holds
    the whole tree: a million-entry file took minutes and gigabytes.  Here each of
    libyaml's parse events is handled once, in constant time: linear in the file, and
    memory for one entry at a time.  Aliases share their anchor's node (never copied:
    no "billion laughs"); nesting is an explicit stack, so deep nesting cannot exhaust
    Python's recursion.  Raises ``yaml.YAMLError`` (with its mark) for invalid YAML
    or a second document; ``on_entry`` may have been called before that.
    """
    loader = _YAML_LOADER(text)
    try:
        return _walk_events(loader.get_event, on_entry)
    finally:
        loader.dispose()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a million new problems (none in a cycle)
    would set it off again and again, a third of the time."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _walk_events(next_event: Callable[[], yaml.Event], on_entry: Callable[[_Node, _Node], None]) -> _Node | None:
    root: _Node | None = None
    open_nodes: list[_Node] = []  # the collections being read, outermost first
    anchors: dict[str, _Node] = {}
    documents = 0
    while True:
        ev = next_event()
        kind = type(ev)
        if kind is yaml.ScalarEvent:
            null = ev.tag == _NULL_TAG or (ev.tag is None and ev.implicit[0] and ev.value in _PLAIN_NULLS)
            node = _Node("scalar", ev.start_mark.line + 1, ev.value, null)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            node = _Node("mapping" if kind is yaml.MappingStartEvent else "sequence", ev.start_mark.line + 1, [])
        elif kind is yaml.AliasEvent:
            if ev.anchor not in anchors:
                raise yaml.MarkedYAMLError(problem=f"found undefined alias {ev.anchor!r}", problem_mark=ev.start_mark)
            node = anchors[ev.anchor]
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = open_nodes.pop()
            if kind is yaml.MappingEndEvent:
                done.value = list(zip(done.value[0::2], done.value[1::2]))
            _hand_out(open_nodes, on_entry)
            continue
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise yaml.MarkedYAMLError(problem="a second document (---): pages.yaml holds one mapping",
                                           problem_mark=ev.start_mark)
            continue
        elif kind is yaml.StreamEndEvent:
            return root
        else:  # stream start, document end
            continue
        if open_nodes:
            open_nodes[-1].value.append(node)
        else:
            root = node
        if kind is not yaml.AliasEvent:
            if ev.anchor:
                anchors[ev.anchor] = node
            if node.shape != "scalar":
                open_nodes.append(node)
                continue
        _hand_out(open_nodes, on_entry)


def _hand_out(open_nodes: list[_Node], on_entry: Callable[[_Node, _Node], None]) -> None:
    """A node was completed: if it finished a key–value pair of the top-level mapping,
    hand the pair out and forget it."""
    if len(open_nodes) == 1 and open_nodes[0].shape == "mapping" and len(open_nodes[0].value) == 2:
        key, value = open_nodes[0].value
        open_nodes[0].value.clear()
        on_entry(key, value)


def _overrides_text(path: Path) -> str | Problem:
    """The text of ``pages.yaml``, read like a page (a regular file, no link followed, no
    FIFO waited on), or why it is ignored.  No message names a path: they are published."""
    name = path.name
    raw = read_regular(path)
    if isinstance(raw, str):
        return Problem(name, None, f"{raw}; overrides ignored", fatal=False, kind=raw,
                       zh=f"{reason_zh(raw)}，{_ZH_IGNORED}", zh_file=_ZH_FILE)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return Problem(name, None, f"cannot read: not UTF-8 (byte 0x{raw[exc.start]:02x} at line {line}); overrides ignored",
                       fatal=False, kind="not UTF-8", zh=f"不是 UTF-8 编码（第 {line} 行有无法解码的字节），{_ZH_IGNORED}",
                       zh_file=_ZH_FILE)


def load_overrides(path: Path, known_files: set[str]) -> tuple[dict[str, PageOverride], list[Problem]]:
    """Read ``seeds/pages.yaml``; every mistake becomes a problem with its line, never a crash.

    Format::

        005_example.txt:
          date: 2021-08-12      # YYYY-MM-DD; empty or null = no override
          newspaper: 锦州日报
          page_label: 第3版

    Linear in the file's size (a million entries: seconds), so a runaway file cannot
    stall the build; each problem carries its ``kind`` so repeats can be capped.
    """
    name = path.name
    text = _overrides_text(path)
    if isinstance(text, Problem):
        return {}, [text]
    reader = _OverridesReader(name, known_files)
    with _gc_paused():
        try:
            root = _compose(text, reader.add)
        except yaml.YAMLError as exc:
            return {}, [_yaml_problem(name, exc)]
        except Exception as exc:  # noqa: BLE001 — a broken settings file must never stop the build
            return {}, [Problem(name, None, f"cannot be read as YAML ({type(exc).__name__}: {exc}); overrides ignored",
                                fatal=False, kind="cannot be read as YAML", zh=f"无法解析，{_ZH_IGNORED}", zh_file=_ZH_FILE)]
    if root is None or root.null:
        return {}, []
    if root.shape != "mapping":
        return {}, [Problem(name, root.line, "must map file names to settings; overrides ignored", fatal=False,
                            kind="must map file names to settings", zh=f"应逐条写出文件名及其设定，{_ZH_IGNORED}",
                            zh_file=_ZH_FILE)]
    return reader.overrides, reader.problems


def _yaml_problem(name: str, exc: yaml.YAMLError) -> Problem:
    """Invalid YAML: one problem at the line libyaml points to (and where the unclosed
    construct began, when that is elsewhere: an unclosed ``[`` is found only at the end)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    what = getattr(exc, "problem", None) or str(exc)
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark and context_mark.line + 1 != line:
        what += f", {context} from line {context_mark.line + 1}"
    return Problem(name, line, f"not valid YAML ({what}); overrides ignored", fatal=False, kind="not valid YAML",
                   zh=f"格式有误，{_ZH_IGNORED}", zh_file=_ZH_FILE)


@dataclass
class _OverridesReader:
    """The overrides, one top-level entry at a time; every mistake a warning with its line."""

    name: str  # of the file, for the messages
    known_files: set[str]
    overrides: dict[str, PageOverride] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    first_line: dict[str, int] = field(default_factory=dict)

    def warn(self, line: int | None, reason: str, kind: str, zh: str) -> None:
        self.problems.append(Problem(self.name, line, reason, fatal=False, kind=kind, zh=zh, zh_file=_ZH_FILE))

    def add(self, key_node: _Node, value_node: _Node) -> None:
        line = key_node.line
        if key_node.shape != "scalar":
            self.warn(line, "a file name must be plain text; entry ignored", "a file name must be plain text",
                      "文件名应为纯文本，此条未采用")
            return
        file = str(key_node.value)
        if file not in self.known_files:
            hint = hint_zh = ""
            base = file.replace("\\", "/").rsplit("/", 1)[-1]
            if base != file and base in self.known_files:
                hint, hint_zh = f" — write just {base!r}", f"（只写「{base}」即可）"
            self.warn(line, f"unknown file {file!r} (not in seeds/){hint}; entry ignored", "unknown file (not in seeds/)",
                      f"没有名为「{file}」的版面原文{hint_zh}，此条未采用")
            return
        if file in self.first_line:
            self.warn(line, f"{file}: listed twice (first on line {self.first_line[file]}); this later entry wins",
                      "file listed twice", f"「{file}」重复列出（首见第 {self.first_line[file]} 行），以此条为准")
        self.first_line.setdefault(file, line)
        if value_node.null:
            self.overrides[file] = PageOverride()
        elif value_node.shape != "mapping":
            self.warn(line, f"{file}: settings must be a mapping (date, newspaper, page_label)", "settings must be a mapping",
                      f"「{file}」的设定应逐项写出（日期、报纸、版次）")
        else:
            self.overrides[file] = self._settings(file, value_node)

    def _settings(self, file: str, mapping: _Node) -> PageOverride:
        override = PageOverride()
        for k_node, v_node in mapping.value:
            k_line = k_node.line
            key = str(k_node.value) if k_node.shape == "scalar" else f"<a {k_node.shape}>"
            if key not in _SETTINGS:
                self.warn(k_line, f"{file}: unknown setting {key!r} (use date, newspaper, page_label); ignored", "unknown setting",
                          f"「{file}」：未知的设定项「{key}」（可设定日期、报纸、版次），未采用")
                continue
            if v_node.shape != "scalar":
                self.warn(v_node.line, f"{file}: {key} must be a single value, not a list or mapping; ignored",
                          "not a single value", f"「{file}」：{_ZH_SETTINGS[key]}应为单个值，未采用")
                continue
            value = str(v_node.value).strip()
            if v_node.null or value == "":
                continue  # written but left empty: no override
            if key == "date":
                parsed = _safe_iso(value)
                if parsed is None:
                    self.warn(k_line, f"{file}: invalid date {value!r} (use YYYY-MM-DD); date ignored", "invalid date",
                              f"「{file}」：日期「{value}」无效（应写作年-月-日，如 2021-08-12），未采用")
                else:
                    override.date = parsed
            else:
                setattr(override, key, value)
        return override


def _safe_iso(value: str) -> _dt.date | None:
    if not _ISO_DATE.match(value):
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        return None
