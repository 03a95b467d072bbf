"""Pages never seen while the rules were written (tests/data/unseen/): other papers'
layouts, columns, reporters and credit habits, run through the real pipeline
(``generator.build.collect``) and checked against a hand-written gold file.

Each page exercises general rules the seeds do not: a story without a byline
followed by one with only a closing credit, 2–3-character headlines, captions that
are bare names, organisation and source credits (来源：, 供图, 图片由…提供), nameless
credits (（本报记者）), a punctuation-free fragment cut by a column break, and the
dates: ``X年……今年/当年`` contrasts, plans after a year, zodiac years, ``M月D、E日``;
byline marks (``□本报记者``), a byline lead-in without 本报讯 and action-first credits
(``文/张三 图/李四``, ``摄影：王五``, ``文/图 本报记者 贺兰``).
"""

from __future__ import annotations

import datetime as _dt
import shutil
from pathlib import Path

import pytest
import yaml

from generator.build import collect
from generator.context import BuildContext
from generator.dates.infer import infer_page_date

UNSEEN = Path(__file__).parent / "data" / "unseen"
GOLD = yaml.safe_load((UNSEEN / "gold.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    seeds = tmp_path_factory.mktemp("unseen_seeds")
    for page in UNSEEN.glob("*.txt"):
        shutil.copy(page, seeds / page.name)
    return collect(seeds, BuildContext.load())


def _page(archive, name):
    found = [p for p in archive.pages if p.page.name == name]
    assert found, f"{name} not read"
    return found[0]


def test_every_unseen_page_is_in_the_gold_file() -> None:
    assert sorted(p.name for p in UNSEEN.glob("*.txt")) == sorted(GOLD)


@pytest.mark.parametrize("name", sorted(GOLD))
def test_stories(archive, name) -> None:
    result = _page(archive, name)
    assert result.layout is not None, result.failed
    arts = result.layout.articles
    gold = GOLD[name]["articles"]
    got = [(a.title, a.column, a.authors, a.photographers, len(a.captions)) for a in arts]
    want = [(g["headline"], g["column"], g["authors"], g["photographers"], g["captions"]) for g in gold]
    assert got == want
    for art, g in zip(arts, gold):
        body = [p.text for p in art.body if not p.heading]
        if "kicker" in g:
            assert art.kicker == g["kicker"], art.title
        if "sections" in g:
            assert [p.text for p in art.body if p.heading] == g["sections"], art.title
        for text in g.get("joined", []):
            assert any(text in p for p in body), (art.title, text)
        for text in g.get("not_in_body", []):
            assert not any(text in p for p in body), (art.title, text)
        for text in g.get("credits", []):
            assert text in art.credit_lines, (art.title, art.credit_lines)
        for text in g.get("credits_contain", []):
            assert any(text in c for c in art.credit_lines), (art.title, art.credit_lines)


@pytest.mark.parametrize("name", sorted(GOLD))
def test_date(archive, name) -> None:
    result = _page(archive, name)
    assert result.date == GOLD[name]["date"], result.reasoning


def test_nothing_lost(archive) -> None:
    assert archive.balances and all(b.ok for b in archive.balances)


# The date rules one at a time, on a line each (the pages above combine them).

@pytest.mark.parametrize("text, expected", [
    # X年……今年: X is recalled, the page is from a later year
    ("2022年,全市供暖面积为4200万平方米;今年,新增供暖面积180万平方米。10月25日,工程完工。", _dt.date(2023, 10, 26)),
    # parallel clauses across sentences: X年，……。今年，……
    ("2022年,全市供暖面积为4200万平方米。今年,新增供暖面积180万平方米。10月25日,工程完工。", _dt.date(2023, 10, 26)),
    # X年……当年: X is recalled too
    ("2019年5月,项目落户开发区,当年即建成投产。8月3日,二期开工。", _dt.date(2020, 8, 4)),
    # X年该项目建成后……将: a plan, not the present year
    ("双河镇入选“2024年全国农业产业强镇”名单。2025年该项目建成后,年加工能力将达到50万吨。9月2日,项目开工。",
     _dt.date(2024, 9, 3)),
    # a zodiac year with its lunar new year: 龙年春节 is the Spring Festival of 2024
    ("2023年,全市接待游客900万人次。龙年春节期间,全市将举办文化活动120余场。1月20日,活动启动。",
     _dt.date(2024, 1, 21)),
    # M月D、E日: the last of the days
    ("2020年是项目建设年。3月5、6日,全市召开项目推进会。", _dt.date(2020, 3, 7)),
    ("2020年是项目建设年。3月5日、6日,全市召开项目推进会。", _dt.date(2020, 3, 7)),
])
def test_date_rules(text, expected) -> None:
    inference = infer_page_date(text)
    assert inference.date == expected, inference.reasoning


def test_zodiac_year_needs_another_year_and_allows_the_winter_before() -> None:
    alone = infer_page_date("龙年春节期间,全市将举办文化活动。")
    assert alone.date is None  # the cycle repeats: no other year, no date
    assert any(e.kind == "zodiac" for e in alone.evidence)
    # December 2023, the dragon year's festival still ahead: not pushed into 2024
    winter = infer_page_date("2023年是项目建设年。12月20日,龙年春节文化活动筹备会召开。")
    assert winter.date == _dt.date(2023, 12, 21)


def test_seed_style_recalled_year_is_not_a_plan() -> None:
    """``2019年该项目落户义县后,仅用了一年时间就已经实现投产`` is past, not a plan."""
    inference = infer_page_date("2019年该项目落户义县后,仅用了一年时间就已经实现投产。11月24日,二期开工。")
    assert inference.date == _dt.date(2019, 11, 25)
