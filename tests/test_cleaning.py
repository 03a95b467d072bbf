"""Cleaning rules: each with a small synthetic article, plus idempotence."""

from pages import MARKDOWN, PLAIN

from generator.cleaning.clean import clean_article, clean_page, normalise_punctuation
from generator.model import Article, Paragraph, SourcePage
from generator.segmenting.segment import segment


def _art(*paras: str, headings: tuple[int, ...] = ()) -> Article:
    return Article(source="t.txt", index=0, line=1, title="标题",
                   body=[Paragraph(t, n + 1, heading=n in headings) for n, t in enumerate(paras)])


def _rules(art: Article, kind: str) -> list[str]:
    return [e.rule for e in art.log if e.kind == kind]


def test_column_break_is_rejoined_and_logged() -> None:
    art = clean_article(_art("锦州市制定了《实施方案》《松山新区、凌河", "区操作指南》等政策。"))
    assert [p.text for p in art.body] == ["锦州市制定了《实施方案》《松山新区、凌河区操作指南》等政策。"]
    assert _rules(art, "joined") == ["column-break"]


def test_break_before_a_heading_is_flagged_not_joined() -> None:
    art = clean_article(_art("各类产业来到“双凌”", "资源共享", "全力推进示范区建设。", headings=(1,)))
    assert len(art.body) == 3
    assert "cut-mid-sentence" in _rules(art, "flagged")


def test_text_cut_at_the_end_is_flagged() -> None:
    art = clean_article(_art("加强粮食生产能力建设,服务"))
    assert art.body[0].text == "加强粮食生产能力建设，服务"
    assert "cut-mid-sentence" in _rules(art, "flagged")


def test_punctuation_in_chinese_context_only() -> None:
    cases = {
        "今年,锦州市(含县区)完成任务!": "今年，锦州市（含县区）完成任务！",
        "按5:5比例分配,共1,000万元。": "按5:5比例分配，共1,000万元。",
        "增长3.5%;效益提升?": "增长3.5%；效益提升？",
        "Hello, world (test): ok!": "Hello, world (test): ok!",
        "肿瘤多学科团队(MDT)在": "肿瘤多学科团队（MDT）在",
        "“锦州通”APP,方便": "“锦州通”APP，方便",
    }
    for raw, want in cases.items():
        assert normalise_punctuation(raw)[0] == want


def test_duplicated_paragraph_fragment_and_sentence_removed() -> None:
    first = "在培育方面,锦州市将推进大数据同实体经济深度融合,促进数字经济协调发展。"
    quote = "“项目签约额达359亿元。”荣东明说。"
    art = clean_article(_art(first, quote, "市将推进大数据同实体经济深度融合,促进数字经济协调发展。", quote,
                             "军民共建成果丰硕,实现了五连冠目标。同时,驻锦部队积极支援地方建设。同时,驻锦部队积极支援地方建设。"))
    texts = [p.text for p in art.body]
    assert texts == [
        "在培育方面，锦州市将推进大数据同实体经济深度融合，促进数字经济协调发展。",
        "“项目签约额达359亿元。”荣东明说。",
        "军民共建成果丰硕，实现了五连冠目标。同时，驻锦部队积极支援地方建设。",
    ]
    removed = [e for e in art.log if e.kind == "removed"]
    assert [e.rule for e in removed] == ["duplicate-paragraph", "duplicate-paragraph", "duplicate-sentence"]
    assert removed[0].text.startswith("市将推进大数据")  # the exact removed text is kept in the log


def test_doubled_word_removed_but_reduplication_kept() -> None:
    art = clean_article(_art("要做好做好政策支撑,大家研究研究,一个一个地落实。"))
    assert art.body[0].text == "要做好政策支撑，大家研究研究，一个一个地落实。"
    assert _rules(art, "removed") == ["doubled-word"]


def test_sections_out_of_order_are_flagged_and_kept() -> None:
    art = clean_article(_art("1 构建新格局", "正文一。", "3 打造金招牌", "正文三。", "2 奏响新乐章", "正文二。", headings=(0, 2, 4)))
    assert [p.text for p in art.body if p.heading] == ["1 构建新格局", "3 打造金招牌", "2 奏响新乐章"]
    flagged = [e for e in art.log if e.rule == "sections-out-of-order"]
    assert flagged and flagged[0].text == "1, 3, 2"


def test_spaces_between_chinese_characters_in_body() -> None:
    art = clean_article(_art("锦州市 凌河区完成了 改造。"))
    assert art.body[0].text == "锦州市凌河区完成了改造。"


def test_story_repeated_in_another_story_is_flagged() -> None:
    shared = "将各类涉企优惠政策及时、准确地传递给项目联络员,并做好政策的解读和落实。"
    page = f"甲新闻\n\n本报讯 对分散在各机关办企业相关事宜;{shared}\n\n乙新闻\n\n本报讯 由政府代办企业相关事宜;{shared}\n"
    arts = clean_page(segment(SourcePage("p.txt", page, "utf-8"))).articles
    assert all("repeated-in-other-story" in _rules(a, "flagged") for a in arts)
    assert all(shared.replace(",", "，") in a.body[0].text for a in arts)  # nothing removed


def test_cleaning_is_idempotent_on_synthetic_pages() -> None:
    for text in (PLAIN, MARKDOWN):
        once = clean_page(segment(SourcePage("p.txt", text, "utf-8")))
        for art in once.articles:
            twice = clean_article(art)
            assert [p.text for p in twice.body] == [p.text for p in art.body]
            assert [p.text for p in twice.summary] == [p.text for p in art.summary]
            assert twice.title == art.title
            new_entries = twice.log[len(art.log):]
            assert all(e.kind == "flagged" for e in new_entries), new_entries
