"""Credit lines: who wrote and who photographed."""

import pytest

from generator.segmenting.credits import parse_credit, parse_page_credit, split_leadin


@pytest.mark.parametrize(
    "line, authors, photographers",
    [
        ("本报记者 王明", ["王明"], []),
        ("本报记者 王明 李华", ["王明", "李华"], []),
        ("本报记者 王明 文并摄", ["王明"], ["王明"]),
        ("赵强 本报记者 王明", ["赵强", "王明"], []),
        ("孙 娜 摄", [], ["孙娜"]),
        ("黄 铎 本报记者 王明", ["黄铎", "王明"], []),
        ("陈小红 本报记者 王明 摄", [], ["陈小红", "王明"]),
        ("欧阳明月 摄", [], ["欧阳明月"]),
    ],
)
def test_credit_lines(line: str, authors: list[str], photographers: list[str]) -> None:
    credit = parse_credit(line)
    assert credit is not None
    assert credit.authors == authors
    assert credit.photographers == photographers


@pytest.mark.parametrize("line", ["王明", "本报记者", "今年 同比增长5%", "项目建设 稳步推进", "孙 摄影师说", "王 明 李"])
def test_ordinary_lines_are_not_credits(line: str) -> None:
    assert parse_credit(line) is None


def test_page_photo_credit() -> None:
    assert parse_page_credit("本版图片除署名外由本报记者王明摄").photographers == ["王明"]
    assert parse_page_credit("本版图片由本报记者 王明 摄").photographers == ["王明"]
    assert parse_page_credit("本版内容由王明负责") is None


def test_leadin_with_and_without_reporters() -> None:
    printed, credit, rest = split_leadin("本报讯 记者王明 李华报道 今年以来,工作顺利。")
    assert printed == "本报讯 记者王明 李华报道"
    assert credit.authors == ["王明", "李华"]
    assert rest == "今年以来,工作顺利。"
    printed, credit, rest = split_leadin("本报讯 近日,有关部门报道了进展。")
    assert printed == "本报讯" and credit.authors == [] and rest.startswith("近日")
    assert split_leadin("本报记者王明") is None


@pytest.mark.parametrize(
    "line, authors, photographers",
    [
        ("摄影：宁远", [], ["宁远"]),
        ("文/彭飞 图/邵琳", ["彭飞"], ["邵琳"]),
        ("文/图 本报记者 贺兰", ["贺兰"], ["贺兰"]),
        ("文：张三", ["张三"], []),
        ("□本报记者 罗建 通讯员 许晴", ["罗建", "许晴"], []),
        ("■本报记者 程晓", ["程晓"], []),
        ("记者 张三 报道", ["张三"], []),  # 报道 is an action, not a second name
    ],
)
def test_action_first_and_marked_credits(line: str, authors: list[str], photographers: list[str]) -> None:
    credit = parse_credit(line)
    assert credit is not None, line
    assert (credit.authors, credit.photographers) == (authors, photographers)


@pytest.mark.parametrize("line", ["摄影：宁远市的夜景很美", "文/彭飞，李四", "□本报记者", "图：冬日暖阳下的邻里中心", "□ 这是一段正文。"])
def test_action_first_shapes_need_names(line: str) -> None:
    assert parse_credit(line) is None


def test_byline_mark_opens_a_lead_in_only_with_its_end() -> None:
    lead = split_leadin("□本报记者 罗建 通讯员 许晴 报道 12月3日，邻里中心开放。")
    assert lead is not None and lead[0] == "□本报记者 罗建 通讯员 许晴 报道" and lead[2] == "12月3日，邻里中心开放。"
    assert lead[1].authors == ["罗建", "许晴"]
    assert split_leadin("□本报记者 罗建 12月3日，邻里中心开放。") is None  # no 报道: the byline's end is unknown
