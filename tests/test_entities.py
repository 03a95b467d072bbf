"""Places, topics, organisations: hierarchy, aliases, false-positive guards, pinyin
order, inline links, related articles, and entity pages in the built site."""

import re
from pathlib import Path

from generator.entities import match_entities
from generator.entity_pages import entity_pages, letter, pinyin_key
from generator.linking import attach_entities, attach_related
from generator.model import Article, Paragraph
from generator.rendering import body_markdown


def _places(text: str) -> list[str]:
    return match_entities(text).places


def test_village_town_county_hierarchy() -> None:
    assert _places("走进锦州义县九道岭镇四方台村的园区。") == [
        "锦州市/义县", "锦州市/义县/九道岭镇", "锦州市/义县/九道岭镇/四方台村"]


def test_repeated_village_name_is_decided_by_the_nearest_parent() -> None:
    # 四方台村 exists under four towns; without a parent in the text it is not guessed
    assert _places("四方台村的村民说。") == []
    under_jdl = _places("九道岭镇四方台村")[-1]
    assert under_jdl.endswith("九道岭镇/四方台村")


def test_ethnic_labels_dropped_and_short_forms() -> None:
    assert _places("义县大定堡乡低保户") == ["锦州市/义县", "锦州市/义县/大定堡满族乡"]
    assert _places("凌海、北镇两地") == ["锦州市/凌海市", "锦州市/北镇市"]
    assert _places("锦州滨海新区和松山新区") == ["锦州市/滨海新区", "锦州市/松山新区"]


def test_false_positive_guards() -> None:
    text = "壮大县域经济，开拓市场，区位优势明显，锦州市的社区和小区。"
    assert _places(text) == []  # 县域, 市场, 区位 are not places; 锦州市 is the root
    assert _places("从黑山县到北镇市") == ["锦州市/黑山县", "锦州市/北镇市"]  # not "到北镇"
    assert _places("义县九道岭镇镇长韩建说") == ["锦州市/义县", "锦州市/义县/九道岭镇"]


def test_unknown_village_after_its_town_is_caught_by_rule() -> None:
    places = _places("义县九道岭镇新发现村的村民")
    assert places[-1] == "锦州市/义县/九道岭镇/新发现村"


def test_topic_aliases_and_organisations() -> None:
    found = match_entities("“双凌”协同推进，飞地园区建设。锦州市发改委主任王宏说，辽宁京东管业有限公司投产，市级主持召开会议。")
    assert found.topics == ["双凌协同发展示范区", "飞地经济"]
    assert found.organizations == ["锦州市发展改革委", "辽宁京东管业有限公司"]


def test_pinyin_order_and_letters() -> None:
    names = ["凌海市", "北镇市", "义县", "黑山县", "古塔区"]
    assert sorted(names, key=pinyin_key) == ["北镇市", "古塔区", "黑山县", "凌海市", "义县"]
    assert [letter(n) for n in ["凌海市", "北镇市", "2020"]] == ["L", "B", "#"]


def _article(title: str, *paras: str, heading: int | None = None, slug: str = "") -> Article:
    art = Article(source="t.txt", index=0, line=1, title=title, slug=slug or title,
                  body=[Paragraph(t, i + 1, heading=(i == heading)) for i, t in enumerate(paras)])
    attach_entities(art)
    return art


def test_inline_links_first_mention_only_never_in_headings_or_links() -> None:
    art = _article("标题", "飞地经济园区", "义县九道岭镇发展飞地经济。", "飞地经济再发力，义县领先。", heading=0)
    md = body_markdown(art, lambda kind, key: f"{kind}.md")
    assert md[0] == "## 飞地经济园区"  # a heading is never linked
    assert md[1] == "[义县](place.md)[九道岭镇](place.md)发展[飞地经济](topic.md)。"
    assert md[2] == "飞地经济再发力，义县领先。"  # first mention only
    assert not re.search(r"\[[^\]]*\[", "".join(md))  # no link inside a link


def test_related_articles_share_the_most_entities() -> None:
    a = _article("甲", "义县九道岭镇发展飞地经济。", slug="a")
    b = _article("乙", "义县九道岭镇的飞地经济项目。", slug="b")
    c = _article("丙", "义县开展乡村振兴。", slug="c")
    d = _article("丁", "北镇市举办招聘会。", slug="d")
    attach_related([a, b, c, d])
    assert [r.slug for r in a.related] == ["b", "c"]
    assert d.related == []


def test_entity_pages_escape_and_link(tmp_path: Path) -> None:
    art = _article("<b>标题</b>", "义县九道岭镇发展飞地经济。", slug="s")
    pages = entity_pages([art])
    assert {"places/index.md", "topics/index.md", "organizations/index.md", "people/index.md"} <= set(pages)
    topic_page = next(t for p, t in pages.items() if p.startswith("topics/") and p != "topics/index.md")
    assert "&lt;b&gt;标题&lt;/b&gt;" in topic_page and "**飞地经济**" in topic_page
    assert "## 行政区划树" in pages["places/index.md"]


def test_entity_pages_in_the_built_site(seed_site: Path) -> None:
    places = (seed_site / "places" / "index.html").read_text("utf-8")
    assert "九道岭镇" in places and "四方台村" in places
    page = next(p for p in (seed_site / "places").glob("si-fang-tai-cun-*.html"))
    html = page.read_text("utf-8")
    assert "九道岭镇" in html and "千帆竞发争上游" in html and "引投资 聚产业 富乡村" in html
    for index in ("topics", "organizations", "people"):
        assert (seed_site / index / "index.html").is_file()
    people = (seed_site / "people" / "index.html").read_text("utf-8")
    assert "高华庚" in people and "孙娜" in people
