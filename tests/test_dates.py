"""Date inference rules, each on a small synthetic page; the five seeds; pages.yaml overrides."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dates.infer import infer_page_date, load_overrides

ROOT = Path(__file__).resolve().parents[1]


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def kinds(r) -> dict[str, str]:
    return {e.text: e.kind for e in r.evidence}


# --- explicit years and reported days -------------------------------------------------

def test_explicit_year_and_latest_reported_day() -> None:
    r = infer_page_date("今年计划投资5亿元。2022年,项目开工。\n3月2日,记者走访。\n3月15日上午,项目签约。")
    assert r.date == d("2022-03-16")  # the day after the latest reported day
    assert r.confidence >= 0.6
    assert {"2022年", "3月2日", "3月15日"} <= set(kinds(r))
    assert {e.text: e.line for e in r.evidence}["3月15日"] == 3  # line numbers point into the page


def test_morning_suffix_is_still_the_day() -> None:
    r = infer_page_date("2020年是推进年。\n5月20日上午,记者在物流园看到。")
    assert r.date == d("2020-05-21")
    assert kinds(r)["5月20日"] == "month_day"


def test_day_range_counts_its_last_day() -> None:
    assert infer_page_date("2023年项目推进。8月6日至7日,开展拉练。").date == d("2023-08-08")
    assert infer_page_date("2023年。8月30日至9月2日,举办展会。").date == d("2023-09-03")
    assert infer_page_date("2023年8月6日至7日,开展拉练。").date == d("2023-08-08")


def test_full_date_of_a_past_year_does_not_set_the_day() -> None:
    r = infer_page_date("2019年12月2日项目获批。2020年是推进年。5月21日开工。")
    assert r.date == d("2020-05-22")
    assert kinds(r)["2019年12月2日"] == "full_date"


def test_present_year_cue_is_strong_evidence() -> None:
    plain = infer_page_date("2020年,全市经济平稳。11月24日,记者走访。")
    present = infer_page_date("2020年计划投资63亿元。11月24日,记者走访。")
    assert plain.date == present.date == d("2020-11-25")
    assert present.confidence > plain.confidence
    assert kinds(present)["2020年计划"] == "explicit_year"


def test_invalid_and_impossible_numbers_are_not_dates() -> None:
    r = infer_page_date("2021年。13月5日无效,2月30日无效。投资12020年无效。6月3日开会。")
    assert r.date == d("2021-06-04")
    assert "13月5日" not in kinds(r) and "2月30日" not in kinds(r)


# --- relative phrases ------------------------------------------------------------------

def test_relative_periods_set_a_floor_when_no_day_is_reported() -> None:
    r = infer_page_date("2020年全市经济平稳。截至10月底,签约项目113个。前三季度增长5%。")
    assert r.date == d("2020-11-01")
    assert r.confidence < 0.6  # no reported day
    assert kinds(r)["截至10月底"] == "relative"


@pytest.mark.parametrize("phrase, expected", [
    ("上半年,全市生产总值增长5%。", "2021-07-01"),
    ("前三季度,外贸增长5%。", "2021-10-01"),
    ("截至今年10月底,签约项目113个。", "2021-11-01"),
    ("进入11月,港口生产繁忙。", "2021-11-01"),
    ("1—9月,开复工项目117个。", "2021-10-01"),
    ("特别是今年6月,新航线开通。", "2021-06-01"),
])
def test_each_relative_phrase(phrase: str, expected: str) -> None:
    assert infer_page_date("2021年项目建设提速。" + phrase).date == d(expected)


def test_relative_phrase_about_last_year_is_ignored() -> None:
    r = infer_page_date("2021年项目建设提速。去年上半年受疫情影响。3月2日,项目开工。")
    assert r.date == d("2021-03-03")


def test_relative_floor_later_than_the_days_moves_the_date() -> None:
    r = infer_page_date("2020年。8月3日,项目开工。截至10月底,完成投资5亿元。")
    assert r.date == d("2020-11-01")
    assert "推后至 2020年11月1日" in r.reasoning


def test_repeated_phrases_are_shown_once_with_a_count() -> None:
    r = infer_page_date("2020年。\n今年以来,项目增多。\n今年以来,投资增加。\n上半年,增长5%。\n上半年,增长6%。")
    half = [e for e in r.evidence if e.text == "上半年"]
    assert len(half) == 1 and "共 2 处" in half[0].meaning and half[0].line == 4


# --- year-bearing names, spans, periods, eras ---------------------------------------------

def test_year_named_in_a_document_title() -> None:
    r = infer_page_date("在《2021年辽宁省重点项目计划》中,71个项目入选。8月11日,记者获悉。2020年营业收入4212万元。")
    assert r.date == d("2021-08-12")
    assert kinds(r)["《2021年辽宁省重点项目计划》"] == "year_name"


def test_short_quoted_name_counts_but_quoted_speech_does_not() -> None:
    r = infer_page_date("“锦州市汽车零部件行业2020年工资集体协商”启动。")
    assert kinds(r)["“锦州市汽车零部件行业2020年工资集体协商”"] == "year_name"
    speech = infer_page_date("“项目落户锦州,还能得到很大的支持。2019年,锦州市争取资金5650万元。”")
    assert kinds(speech)["2019年"] == "explicit_year"


def test_since_year_is_at_least_the_year_after() -> None:
    r = infer_page_date("2018年以来,共筹措资金874万元。8月12日,医院启动会诊。")
    assert r.date == d("2019-08-13")
    assert r.confidence < 0.5  # only a lower bound: a guess
    assert "可信度低" in r.reasoning and "待编辑核定" in r.reasoning


def test_since_year_does_not_override_a_named_present_year() -> None:
    r = infer_page_date("2018年以来,共筹措资金874万元。2019年计划投资5亿元。8月12日,医院启动会诊。")
    assert r.date == d("2019-08-13")


def test_recalled_part_of_a_year() -> None:
    r = infer_page_date("2020年初,改造老旧小区144个。12月9日,记者走访。")
    assert kinds(r)["2020年初"] == "recalled_period"
    assert r.date == d("2020-12-10")  # nothing else: the recalled year is the best guess


def test_completed_plan_period_outweighs_a_recalled_year() -> None:
    r = infer_page_date("2020年初,改造老旧小区。“十三五”期间累计实现进出口909亿元。12月10日,记者走访。")
    assert r.date == d("2021-12-11")
    assert "有矛盾" in r.reasoning


def test_plan_period_as_a_target_is_not_completed() -> None:
    r = infer_page_date("2021年开局。“十四五”期间,力争实现地区生产总值年均增长6%。3月5日,召开会议。")
    assert r.date == d("2021-03-06")
    assert kinds(r)["十四五"] == "period"


def test_naming_a_plan_period_is_a_lower_bound_only() -> None:
    r = infer_page_date("坚决实现“十四五”期末工业总产值达到1600亿元目标。6月2日,召开会议。")
    assert r.date == d("2020-06-03")  # named: planning began in 2020
    assert r.confidence < 0.5


def test_era_name_raises_a_recalled_year() -> None:
    r = infer_page_date("党史学习教育开展以来,办实事300件。2020年,营业收入4212万元。8月11日,记者获悉。")
    assert r.date == d("2021-08-12")
    assert kinds(r)["党史学习教育"] == "era"


def test_era_name_agreeing_raises_confidence() -> None:
    alone = infer_page_date("2020年是推进年。5月27日,记者走访。")
    agreed = infer_page_date("2020年是推进年。新冠肺炎疫情防控期间,服务不断。5月27日,记者走访。")
    assert alone.date == agreed.date == d("2020-05-28")
    assert agreed.confidence > alone.confidence


# --- plans and targets ----------------------------------------------------------------

def test_planned_days_and_target_years_are_not_reports() -> None:
    r = infer_page_date("2021年项目启动。6月3日召开会议。项目将于9月30日竣工,到2025年产值翻番。预计明年5月20日投产。")
    assert r.date == d("2021-06-04")
    assert kinds(r)["9月30日"] == "future" and kinds(r)["2025年"] == "future" and kinds(r)["明年5月20日"] == "future"


def test_span_end_is_not_a_present_year() -> None:
    r = infer_page_date("2021年开局。2021年至2025年,全市规划建设项目100个。3月1日,召开会议。")
    assert r.date == d("2021-03-02")
    assert kinds(r)["2025年"] == "span"


def test_target_year_already_past_lowers_confidence() -> None:
    clean = infer_page_date("2021年是开局年。3月1日,召开会议。")
    odd = infer_page_date("2021年是开局年。项目2020年底前竣工。3月1日,召开会议。")
    assert odd.date == clean.date == d("2021-03-02")
    assert odd.confidence < clean.confidence and "目标年份 2020 年" in odd.reasoning


# --- year boundary ----------------------------------------------------------------------

def test_year_boundary_january_page_recalling_december() -> None:
    r = infer_page_date("2021年开局良好。12月28日,项目竣工。1月5日,记者回访。")
    assert r.date == d("2021-01-06")
    assert "回顾上年 12 月" in r.reasoning


def test_year_boundary_without_a_named_year_still_moves_december_back() -> None:
    r = infer_page_date("“十三五”期间累计完成投资500亿元。12月30日,项目竣工。1月4日,记者回访。")
    assert r.date == d("2021-01-05")


def test_last_years_day_is_placed_by_its_own_words() -> None:
    r = infer_page_date("2021年开局良好。去年12月28日,项目竣工。1月5日,记者回访。")
    assert r.date == d("2021-01-06")
    only_last_year = infer_page_date("2021年开局良好。去年12月28日,项目竣工。")
    assert only_last_year.date == d("2021-01-01")  # not 2021-12-29


def test_this_years_day_is_a_reported_day() -> None:
    assert infer_page_date("2021年。今年6月21日,召开专题会。").date == d("2021-06-22")


def test_no_boundary_when_the_days_are_far_apart() -> None:
    # a March day and a November day: nothing says the page is from early in the year
    r = infer_page_date("2020年。3月1日,项目签约。11月20日,项目投产。")
    assert r.date == d("2020-11-21")
    # January and May: an ordinary May page recalling January
    assert infer_page_date("2020年是推进年。1月8日,列入战略。5月27日,记者走访。").date == d("2020-05-28")


def test_boundary_rejected_when_a_period_of_this_year_is_later() -> None:
    r = infer_page_date("2020年。上半年,全市增长5%。1月8日,签约。12月2日,投产。")
    assert r.date == d("2020-12-03")


# --- conflicting and missing evidence ---------------------------------------------------

def test_conflicting_years_take_the_latest_present_one() -> None:
    r = infer_page_date("2019年项目落户。2020年计划投资63亿元。2020年项目投产。11月24日,记者走访。")
    assert r.date == d("2020-11-25")
    assert r.confidence >= 0.7
    assert "2019" in r.reasoning  # recalled past, and said so


def test_no_evidence_gives_no_date() -> None:
    r = infer_page_date("项目进展顺利,群众满意。")
    assert r.date is None and r.confidence == 0.0 and "日期不详，待编辑核定" in r.reasoning


def test_days_without_any_year_give_no_date_but_say_what_is_known() -> None:
    r = infer_page_date("8月12日,医院启动会诊。今年以来,接诊3000人。")
    assert r.date is None and "8月12日" in r.reasoning


def test_year_only_is_dated_its_first_day_with_low_confidence() -> None:
    r = infer_page_date("2024年,全区投入资金300万元用于服务站建设。")
    assert r.date == d("2024-01-01") and r.confidence < 0.3


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "2019年", "2020年计划", "2021年", "《2021年计划》", "2018年以来", "去年", "今年", "上半年", "前三季度",
    "截至10月底", "11月24日", "1月5日", "12月28日", "8月6日至7日", "将于9月30日", "到2025年", "“十三五”期间累计",
    "十四五", "党史学习教育", "去年12月28日", "今年6月", "。", "\n", "项目", "2月30日", "99月99日", "1—9月",
    "2019年12月2日",
]), max_size=30))
def test_never_crashes_and_never_dates_before_a_reported_day(parts: list[str]) -> None:
    text = "".join(parts)
    r = infer_page_date(text)
    assert 0.0 <= r.confidence <= 1.0
    if r.date is None:
        assert r.confidence == 0.0
    else:
        assert r.date.year >= 2015  # the earliest year any of these clues allows (十三五 named)
        if "2019年12月2日" in kinds(r):
            assert r.date > d("2019-12-02")


# --- the five seed pages ------------------------------------------------------------------

SEEDS = {
    "000_6695ffc5df523714.txt": ("2020-11-25", 0.9),
    "001_c0358a9eae1db40c.txt": ("2020-05-28", 0.8),
    "002_1b2bd389e6d4d0fe.txt": ("2021-12-11", 0.7),
    "003_fb9a3be4940c56ca.txt": ("2019-08-13", 0.3),
    "004_0fad52ceb7412b40.txt": ("2021-08-12", 0.8),
}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_pages(name: str) -> None:
    path = ROOT / "seeds" / name
    if not path.exists():
        pytest.skip(f"{name} not in seeds/")
    r = infer_page_date(path.read_text("utf-8"))
    expected, least = SEEDS[name]
    assert r.date == d(expected), r.reasoning
    assert least <= r.confidence < least + 0.2


# --- pages.yaml overrides ------------------------------------------------------------------

def test_overrides_good_and_bad(tmp_path: Path) -> None:
    f = tmp_path / "pages.yaml"
    f.write_text("a.txt:\n  date: 2020-11-25\n  newspaper: 锦州日报\n  page_label: 第3版\n"
                 "b.txt:\n  date: 2020-13-45\n  colour: red\nghost.txt:\n  date: 2020-01-01\n", encoding="utf-8")
    overrides, problems = load_overrides(f, {"a.txt", "b.txt"})
    assert overrides["a.txt"].date == d("2020-11-25") and overrides["a.txt"].page_label == "第3版"
    assert overrides["a.txt"].newspaper == "锦州日报"
    assert overrides["b.txt"].date is None
    reasons = [(p.line, p.reason) for p in problems]
    assert any(line == 6 and "invalid date" in r for line, r in reasons)
    assert any(line == 7 and "unknown setting 'colour'" in r for line, r in reasons)
    assert any(line == 8 and "unknown file 'ghost.txt'" in r for line, r in reasons)
    assert all(p.file == "pages.yaml" and not p.fatal for p in problems)


def test_malformed_overrides_are_reported_with_line(tmp_path: Path) -> None:
    f = tmp_path / "pages.yaml"
    f.write_text("a.txt:\n  date: 2020-11-25\n b: [unclosed\n", encoding="utf-8")
    overrides, problems = load_overrides(f, {"a.txt"})
    assert overrides == {}
    assert problems[0].file == "pages.yaml" and problems[0].line == 3 and "not valid YAML" in problems[0].reason


@pytest.mark.parametrize("text, line, words", [
    ("a.txt:\n\tdate: 2020-11-25\n", 2, "not valid YAML"),               # a tab
    ("- a.txt\n- b.txt\n", 1, "must map file names"),                  # a list
    ("a.txt: 2020-11-25\n", 1, "must be a mapping"),                   # no 'date:'
    ("a.txt:\n  date: [2020-11-25]\n", 2, "single value"),
    ("a.txt:\n  date: 2020/11/25\n", 2, "invalid date"),
    ("a.txt:\n  date: 20201125\n", 2, "invalid date"),
    ("a.txt:\n  date: 2020-11-25\na.txt:\n  page_label: 第2版\n", 3, "listed twice"),
    ("seeds/a.txt:\n  date: 2020-11-25\n", 1, "write just 'a.txt'"),
    ("a.txt:\n  date: 2020-11-25\n---\nb.txt: {}\n", 3, "not valid YAML"),  # two documents
])
def test_every_mistake_is_a_problem_with_its_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    f = tmp_path / "pages.yaml"
    f.write_text(text, encoding="utf-8")
    _, problems = load_overrides(f, {"a.txt", "b.txt"})
    assert any(p.line == line and words in p.reason for p in problems), [str(p) for p in problems]


def test_empty_values_mean_no_override(tmp_path: Path) -> None:
    f = tmp_path / "pages.yaml"
    f.write_text("a.txt:\n  date:\n  newspaper: 锦州日报\nb.txt:\n", encoding="utf-8")
    overrides, problems = load_overrides(f, {"a.txt", "b.txt"})
    assert problems == []
    assert overrides["a.txt"].date is None and overrides["a.txt"].newspaper == "锦州日报"
    assert overrides["b.txt"].date is None


def test_unreadable_or_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "pages.yaml"
    f.write_bytes(b"a.txt:\n  newspaper: \xd5\xc5\n")  # not UTF-8
    overrides, problems = load_overrides(f, {"a.txt"})
    assert overrides == {} and "cannot read" in problems[0].reason
    f.write_text("# nothing yet\n", encoding="utf-8")
    assert load_overrides(f, {"a.txt"}) == ({}, [])


def test_seed_pages_yaml_records_no_date_for_the_seeds() -> None:
    f = ROOT / "seeds" / "pages.yaml"
    if not f.exists():
        pytest.skip("no seeds/pages.yaml")
    overrides, _ = load_overrides(f, set(SEEDS))
    assert all(overrides[n].date is None for n in SEEDS if n in overrides)
