"""The five seed pages: every story found, with the right headline, column and credits.

This is the acceptance list from reading the pages line by line; it guards
against regressions of the general rules on real damaged input.
"""

from pathlib import Path

import pytest

from generator.cleaning.clean import clean_page
from generator.reading.pages import read_pages
from generator.segmenting.segment import segment

SEEDS = Path(__file__).parent.parent / "seeds"

# (file prefix, title, column, authors, photographers)
EXPECTED = [
    ("000", "引投资 聚产业 富乡村", "", ["高华庚"], ["高华庚"]),
    ("000", "组织引领 党员带头 居民响应 网格党支部激活城市治理“神经末梢”", "", ["高华庚"], []),
    ("000", "前三季度锦州港外贸吞吐量 同比增长5%", "锦州印象", ["高华庚"], ["孙娜"]),
    ("000", "直播带岗亮相 高校毕业生招聘会", "锦州脚步", ["文继红"], []),
    ("000", "工资集体协商 3.3万名职工受益", "锦州脚步", ["高华庚"], []),
    ("000", "教育扶贫 名师下乡授课", "锦州脚步", ["崔治"], []),
    ("001", "搭建城市振兴发展新支点", "", ["张继锋", "高华庚"], ["高华庚"]),
    ("001", "16家企业 获政府性融资担保贷款", "锦州脚步", ["崔治"], []),
    ("001", "工程建设项目在线审批 6月底实现全覆盖", "锦州脚步", ["崔治"], []),
    ("001", "“智慧医保” 全流程网上办理", "锦州脚步", ["蒋月", "文继红"], []),
    ("001", "知识产权服务 帮企业解难题", "锦州脚步", ["李兵", "文继红"], []),
    ("001", "锦州港保税物流中心开工建设", "锦州印象", [], ["孙娜", "高华庚"]),
    ("001", "义县创新产业扶贫模式带动4.6万人脱贫", "", ["高华庚"], []),
    ("002", "乘势而上启新航", "", ["高华庚"], ["凌云龙", "高华庚"]),
    ("003", "千帆竞发争上游", "", ["高华庚"], ["高华庚"]),
    ("003", "做好“加减乘除” 营商环境持续优化", "锦州脚步", ["黄铎", "高华庚"], []),
    ("003", "北镇市为重点项目和企业配“管家”", "锦州脚步", ["陆爽", "高华庚"], []),
    ("003", "“互联网+医疗健康” 让市民享受国际化医疗服务", "锦州脚步", ["文继红"], []),
    ("003", "锦州市总工会 筹措专项资金惠及12.6万职工", "锦州脚步", ["雷雪", "高华庚"], ["高华庚"]),
    ("003", "点对点包保 一对一服务 上半年锦州开复工亿元以上项目148个", "", ["高华庚"], []),
    ("004", "锦州围绕“三篇大文章”推进更多优质项目签约落地 上半年招商引资到位额达166亿元", "", ["张继锋", "高华庚"], []),
    ("004", "军民共建结硕果", "图说", [], ["高华庚"]),
    ("004", "71个项目 入选我省企业技术创新重点项目", "锦州脚步", ["文继红"], []),
    ("004", "首批技能大师工作站揭牌", "锦州脚步", ["刘静", "文继红"], []),
    ("004", "孵化培育11家高新技术企业", "锦州脚步", ["滕勇", "文继红"], []),
    ("004", "加强近岸海域渔业水质环境监测", "锦州脚步", ["武璞珏", "文继红"], []),
    ("004", "1128个村庄开展清洁行动", "锦州脚步", ["高华庚"], []),
    ("004", "办实事有力度 惠民生有温度", "", ["王东阳", "高华庚"], ["王东阳", "高华庚"]),
]

FORBIDDEN_IN_BODY = ["本报讯", "本报记者", "JIAOBU", "YINXIANG", "TUSHUO", "LIANJI", "本版图片", " 摄"]


@pytest.fixture(scope="module")
def articles():
    pages = read_pages(SEEDS).pages
    assert len(pages) == 5
    return [a for p in pages for a in clean_page(segment(p)).articles]


def test_every_story_found_with_headline_column_and_credits(articles) -> None:
    got = [(a.source[:3], a.title, a.column, a.authors, a.photographers) for a in articles]
    assert got == EXPECTED


def test_kickers_and_subtitles(articles) -> None:
    by_title = {a.title: a for a in articles}
    assert by_title["义县创新产业扶贫模式带动4.6万人脱贫"].kicker == "脱贫攻坚看义县 系列报道之②"
    assert by_title["引投资 聚产业 富乡村"].subtitle == "锦州市发展“飞地经济”壮大县域经济实力"
    assert by_title["千帆竞发争上游"].subtitle == "锦州市重点项目拉练活动侧记"
    assert by_title["办实事有力度 惠民生有温度"].subtitle == "锦州深入开展“我为群众办实事”实践活动纪实"


def test_bodies_hold_no_byline_header_or_caption(articles) -> None:
    captions = {c.text for a in articles for c in a.captions}
    assert len(captions) == 12
    for art in articles:
        for p in art.body:
            for bad in FORBIDDEN_IN_BODY:
                assert bad not in p.text, (art.title, p.text[:40])
            assert p.text not in captions


def test_column_breaks_rejoined_and_duplicates_once(articles) -> None:
    body = "\n".join(a.body_text for a in articles)
    assert "《松山新区、凌河区“飞地经济”相关政策和操作指南》" in body
    assert "锦州港保税物流中心（B型）项目建设推进年" in body
    assert body.count("市将推进大数据同实体经济深度融合") == 1
    assert body.count("“围绕‘三篇大文章’，锦州市今年已有投资53亿元") == 1
    assert body.count("同时，驻锦部队积极支援地方建设") == 1
    assert "做好做好" not in body


def test_damage_is_flagged(articles) -> None:
    flagged = {(a.title, e.rule) for a in articles for e in a.log if e.kind == "flagged"}
    assert ("乘势而上启新航", "sections-out-of-order") in flagged
    assert ("乘势而上启新航", "cut-mid-sentence") in flagged
    assert ("千帆竞发争上游", "cut-mid-sentence") in flagged
    assert ("搭建城市振兴发展新支点", "cut-mid-sentence") in flagged
    assert ("做好“加减乘除” 营商环境持续优化", "repeated-in-other-story") in flagged


def test_summaries_and_sidebar(articles) -> None:
    by_title = {a.title: a for a in articles}
    assert by_title["引投资 聚产业 富乡村"].summary[0].text.startswith("火红滚烫的铁水")
    assert by_title["千帆竞发争上游"].summary[0].text.startswith("盛夏时节")
    lead = by_title["搭建城市振兴发展新支点"]
    assert lead.sidebar_title == "“双凌”协同发展示范区"
    assert lead.sidebar[0].text.startswith("“双凌”是指")
