"""Segmentation of synthetic pages in both formats into articles."""

from pages import MARKDOWN, PLAIN

from generator.model import SourcePage
from generator.segmenting.segment import segment


def _page(text: str, name: str = "p.txt") -> SourcePage:
    return SourcePage(name=name, text=text, encoding="utf-8")


def test_plain_page_articles_and_headline_parts() -> None:
    arts = segment(_page(PLAIN)).articles
    assert [a.title for a in arts] == ["春风化雨润心田", "春耕备耕 有序开展", "农机检修 全面完成", "大棚种植结硕果"]
    lead = arts[0]
    assert lead.subtitle == "城南区推进社区治理纪实"
    assert lead.authors == ["王明"] and lead.photographers == ["王明"]
    assert arts[3].kicker == "新技术助力增收 系列报道之③"


def test_columns_run_until_the_next_lead_story() -> None:
    arts = segment(_page(PLAIN)).articles
    assert [a.column for a in arts] == ["", "城南快讯", "城南快讯", ""]
    texts = [p.text for a in arts for p in a.body]
    assert not any("KUAIXUN" in t or "LIANJIE" in t for t in texts)


def test_bylines_at_start_and_end_and_leadin_removed() -> None:
    arts = segment(_page(PLAIN)).articles
    assert arts[1].authors == ["李华"]
    assert arts[2].authors == ["张强", "李华"]  # "张 强" padded name is one person
    for art in arts:
        for p in art.body:
            assert not p.text.startswith("本报讯")
            assert "本报记者" not in p.text


def test_summary_captions_sidebar_and_sections() -> None:
    lead = segment(_page(PLAIN)).articles[0]
    assert [p.text for p in lead.summary] == ["今年3月以来,城南区把社区治理作为重点工作,取得明显成效。", "据统计,全区已建成服务站45个。"]
    assert [c.text for c in lead.captions] == ["社区志愿者为老人理发。"]
    assert lead.captions[0].photographers == ["王明"]  # the byline says 文并摄
    assert lead.sidebar_title == "社区议事会"
    assert [p.text for p in lead.sidebar] == ["社区议事会是居民参与社区事务的平台。"]
    headings = [p.text for p in lead.body if p.heading]
    assert headings == ["议事会有了新样子", "服务站覆盖全区"]
    assert not any("理发" in p.text for p in lead.body)


def test_markdown_page() -> None:
    result = segment(_page(MARKDOWN))
    arts = result.articles
    assert [a.title for a in arts] == ["千里运河展新颜", "新区举办招聘会", "环境监测 持续加强"]
    lead = arts[0]
    assert lead.subtitle == "滨河新区生态治理见闻"
    assert lead.authors == ["周杰"]
    assert [p.text for p in lead.summary][0] == "盛夏时节，滨河新区运河两岸绿意盎然。"
    assert [c.text for c in lead.captions] == ["沿河步道上，市民正在散步。"]
    assert lead.captions[0].photographers == ["周杰"]
    assert result.page_photographers == ["周杰"]
    assert [p.text for p in lead.body if p.heading] == ["治水先治岸", "绿色产业兴起来"]
    assert [a.column for a in arts] == ["", "城南快讯", "城南快讯"]
    assert arts[2].authors == ["马丁", "周杰"]


def test_caption_before_the_headline_goes_to_the_first_story() -> None:
    page = "\n\n\n\n湖边的晚霞。\n\n刘洋 摄\n\n湖畔新景\n\n本报记者 王明\n\n今年,湖区完成改造。\n"
    arts = segment(_page(page)).articles
    assert len(arts) == 1
    assert arts[0].captions[0].text == "湖边的晚霞。"
    assert arts[0].captions[0].photographers == ["刘洋"]
    assert "刘洋" in arts[0].photographers


def test_page_without_headline_keeps_text_and_flags_it() -> None:
    page = "今年以来,全市经济运行平稳,主要指标好于预期。\n\n下一步将继续努力。\n"
    arts = segment(_page(page)).articles
    assert len(arts) == 1
    assert arts[0].title == ""
    assert [p.text for p in arts[0].body] == ["今年以来,全市经济运行平稳,主要指标好于预期。", "下一步将继续努力。"]
    assert any(e.rule == "no-headline" for e in arts[0].log)


def test_fragment_lines_are_not_headings() -> None:
    page = ("新城建设提速\n\n本报讯 今年以来,新城建设全面提速。\n\n翻开2024年新城建设的\n\n"
            "成绩单,一系列项目顺利推进。\n\n2024年是新城\n\n(二期)建设的关键年。\n")
    art = segment(_page(page)).articles[0]
    assert not any(p.heading for p in art.body)
