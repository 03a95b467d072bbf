"""Date inference rules, each on a small synthetic page, and pages.yaml overrides."""

import datetime as dt
from pathlib import Path

from generator.dates import infer_page_date, load_overrides


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def test_explicit_year_and_latest_reported_day() -> None:
    r = infer_page_date("今年计划投资5亿元。2022年,项目开工。\n3月2日,记者走访。\n3月15日上午,项目签约。")
    assert r.date == d("2022-03-16")
    assert r.confidence >= 0.7
    assert {e.text for e in r.evidence} >= {"2022年", "3月2日", "3月15日"}


def test_day_range_counts_its_last_day() -> None:
    assert infer_page_date("2023年项目推进。8月6日至7日,开展拉练。").date == d("2023-08-08")
    assert infer_page_date("2023年。8月30日至9月2日,举办展会。").date == d("2023-09-03")


def test_full_date_of_a_past_year_does_not_set_the_year() -> None:
    r = infer_page_date("2019年12月2日项目获批。2020年是推进年。5月21日开工。")
    assert r.date == d("2020-05-22")


def test_planned_days_and_target_years_are_not_reports() -> None:
    r = infer_page_date("2021年项目启动。6月3日召开会议。项目将于9月30日竣工,到2025年产值翻番。")
    assert r.date == d("2021-06-04")
    assert any(e.kind == "future" for e in r.evidence)


def test_relative_periods_set_a_floor() -> None:
    r = infer_page_date("2020年全市经济平稳。截至10月底,签约项目113个。前三季度增长5%。")
    assert r.date == d("2020-11-01")
    assert r.confidence < 0.7  # no reported day


def test_year_named_in_a_document_title() -> None:
    r = infer_page_date("在《2021年辽宁省重点项目计划》中,71个项目入选。8月11日,记者获悉。2020年营业收入4212万元。")
    assert r.date == d("2021-08-12")
    assert any(e.kind == "year_name" for e in r.evidence)


def test_completed_plan_period_outweighs_a_recalled_year() -> None:
    r = infer_page_date("2020年初,改造老旧小区。“十三五”期间累计实现进出口909亿元。12月10日,记者走访。")
    assert r.date == d("2021-12-11")


def test_since_year_without_present_year() -> None:
    r = infer_page_date("2018年以来,共筹措资金874万元。8月12日,医院启动会诊。")
    assert r.date == d("2020-08-13")
    assert r.confidence < 0.5


def test_year_boundary_january_page_recalling_december() -> None:
    r = infer_page_date("2021年开局良好。12月28日,项目竣工。1月5日,记者回访。")
    assert r.date == d("2021-01-06")
    assert "previous year" in r.reasoning


def test_conflicting_years_take_the_latest_present_one() -> None:
    r = infer_page_date("2019年项目落户。2020年计划投资63亿元。2020年项目投产。11月24日,记者走访。")
    assert r.date == d("2020-11-25")
    assert r.confidence == 0.9


def test_no_evidence_gives_no_date() -> None:
    r = infer_page_date("项目进展顺利,群众满意。")
    assert r.date is None and r.confidence == 0.0 and "pages.yaml" in r.reasoning


def test_overrides_good_and_bad(tmp_path: Path) -> None:
    f = tmp_path / "pages.yaml"
    f.write_text("a.txt:\n  date: 2020-11-25\n  newspaper: 锦州日报\n  page_label: 第3版\n"
                 "b.txt:\n  date: 2020-13-45\n  colour: red\nghost.txt:\n  date: 2020-01-01\n", encoding="utf-8")
    overrides, problems = load_overrides(f, {"a.txt", "b.txt"})
    assert overrides["a.txt"].date == d("2020-11-25") and overrides["a.txt"].page_label == "第3版"
    assert overrides["b.txt"].date is None
    reasons = [(p.line, p.reason) for p in problems]
    assert any(line == 6 and "invalid date" in r for line, r in reasons)
    assert any(line == 7 and "unknown setting 'colour'" in r for line, r in reasons)
    assert any(line == 8 and "unknown file 'ghost.txt'" in r for line, r in reasons)


def test_malformed_overrides_are_reported_with_line(tmp_path: Path) -> None:
    f = tmp_path / "pages.yaml"
    f.write_text("a.txt:\n  date: 2020-11-25\n b: [unclosed\n", encoding="utf-8")
    overrides, problems = load_overrides(f, {"a.txt"})
    assert overrides == {}
    assert problems[0].file == "pages.yaml" and problems[0].line == 3 and "not valid YAML" in problems[0].reason
