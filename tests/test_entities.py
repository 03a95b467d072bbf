"""Entity matching: hierarchy, nearest-parent disambiguation, aliases and short forms,
rules for places the data lacks, false-positive guards, organisations, slugs, offsets,
and precision/recall on the hand-read seed gold."""

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.entities.index import Entities, PlaceRef, default_index, pinyin_words
from generator.entities.slugs import EntitySlugs, assign_entity_slugs

ROOT = Path(__file__).parent.parent
IDX = default_index()  # this module's own index of the 锦州 profile
ROOT_PLACE = IDX.root_name
SLUGS = assign_entity_slugs(IDX, [])  # the dictionaries' names only


def match_entities(text: str) -> Entities:
    return IDX.match(text)


def entity_slug(kind: str, key: str) -> str:
    return SLUGS.slug(kind, key)


def _places(text: str) -> list[str]:
    return match_entities(text).place_keys


# -- places: hierarchy and disambiguation -------------------------------------
def test_village_town_county_hierarchy() -> None:
    found = match_entities("走进锦州义县九道岭镇四方台村的园区。")
    assert found.place_keys == ["义县", "义县/九道岭镇", "义县/九道岭镇/四方台村"]
    village = found.places[-1]
    assert isinstance(village, PlaceRef)
    assert (village.name, village.level, village.parents) == ("四方台村", "village", ("锦州市", "义县", "九道岭镇"))
    assert [p.level for p in found.places] == ["county", "town", "village"]
    text = "走进锦州义县九道岭镇四方台村的园区。"
    assert text[village.start:village.end] == "四方台村"
    # the index knows the chain upwards and the children downwards
    places = IDX.places
    assert places["义县/九道岭镇"].parent_key == "义县" and places["义县"].parent_key == ROOT_PLACE
    assert "义县/九道岭镇/四方台村" in IDX.children["义县/九道岭镇"]


def test_repeated_village_name_goes_to_the_nearest_parent() -> None:
    # 四方台村 exists under four towns; with no parent in the text it is not guessed
    assert _places("四方台村的村民说。") == []
    assert _places("九道岭镇四方台村")[-1] == "义县/九道岭镇/四方台村"
    assert _places("三台子镇四方台村")[-1] == "凌海市/三台子镇/四方台村"
    # two towns mentioned: the nearer one decides
    assert _places("九道岭镇的干部来到三台子镇，走进四方台村")[-1] == "凌海市/三台子镇/四方台村"
    # a county is enough when only one of the namesakes lies in it
    assert _places("凌海市的四方台村")[-1] == "凌海市/三台子镇/四方台村"


def test_lone_village_needs_an_ancestor_in_the_text() -> None:
    assert _places("孟家屯村的脱贫户") == []
    assert _places("义县聚粮屯镇孟家屯村的脱贫户")[-1] == "义县/聚粮屯镇/孟家屯村"
    assert _places("义县有个孟家屯村")[-1] == "义县/聚粮屯镇/孟家屯村"


def test_ethnic_labels_dropped_short_forms_zones_and_named_places() -> None:
    found = match_entities("义县大定堡乡低保户")
    assert found.place_keys == ["义县", "义县/大定堡满族乡"]
    assert found.places[-1].name == "大定堡满族乡"  # canonical name, whatever was printed
    assert _places("义县大定堡满族乡") == ["义县", "义县/大定堡满族乡"]
    assert _places("凌海、北镇两地") == ["凌海市", "北镇市"]
    assert _places("凌海、凌河将在土地") == ["凌海市", "凌河区"]
    assert _places("锦州滨海新区和松山新区") == ["滨海新区", "松山新区"]
    assert _places("锦州经济技术开发区") == ["滨海新区"]
    assert _places("小凌河、紫荆山资源优势，锦州港，东湖森林公园") == ["小凌河", "紫荆山", "锦州港", "东湖公园"]
    assert _places("锦州滨海新区龙栖湾产业园区内")[-1] == "滨海新区/龙栖湾产业园区"
    # 大凌河 is a river, not 凌河区 + 大
    assert _places("大凌河") == ["大凌河"]


def test_short_names_after_their_parent() -> None:
    # a town printed without 镇/乡 right after its county
    assert _places("黑山县八道壕小学、北镇市大屯中心校") == ["黑山县", "黑山县/八道壕镇", "北镇市", "北镇市/大屯乡"]
    # not without the county
    assert _places("八道壕小学") == []
    # villages printed without 村 under a town already mentioned
    assert _places("九道岭镇政府以石佛寺、朱家沟两个村的名义入股") == [
        "义县/九道岭镇", "义县/九道岭镇/石佛寺村", "义县/九道岭镇/朱家沟村"]
    assert _places("石佛寺、朱家沟两个村") == []
    # misprints listed in places_extra.yaml
    assert _places("义县锦户营子镇中心小学") == ["义县", "义县/稍户营子镇"]


def test_unknown_child_after_its_parent_is_caught_by_rule() -> None:
    found = match_entities("义县九道岭镇新发现村的村民")
    assert found.place_keys[-1] == "义县/九道岭镇/新发现村"
    assert found.places[-1].level == "village"
    assert IDX.places["义县/九道岭镇/新发现村"].parent_key == "义县/九道岭镇"
    assert _places("义县新设立镇")[-1] == "义县/新设立镇"


def test_false_positive_guards() -> None:
    # 县域, 市场, 区位 are not places; 锦州市 is the root, never listed
    assert _places("壮大县域经济，开拓市场，区位优势明显，锦州市的社区和小区，城市基层党建。") == []
    assert _places("锦州市委、市政府；锦州通过办好实事") == []
    # rules never take a common word for a child place
    assert _places("从黑山县到北镇市") == ["黑山县", "北镇市"]  # not 黑山县/到北镇
    assert _places("义县九道岭镇镇长韩建说") == ["义县", "义县/九道岭镇"]
    assert _places("义县乡村振兴，义县各乡镇，凌海市城乡，义县农村") == ["义县", "凌海市"]
    assert _places("九道岭镇村民、九道岭镇村级光伏电站") == ["义县/九道岭镇"]
    # short names that are also common words are not read as towns
    assert _places("黑山县新兴产业") == ["黑山县"]
    assert _places("古塔区石油化工") == ["古塔区"]


# -- topics ---------------------------------------------------------------------
def test_topic_aliases() -> None:
    found = match_entities("“双凌”协同推进，飞地园区建设，依靠“三变”改革，“重实干、强执行、抓落实”专项行动")
    assert found.topics == ["双凌协同发展示范区", "飞地经济", "三变改革", "重强抓专项行动"]
    assert match_entities("双凌协同发展示范区").topics == ["双凌协同发展示范区"]
    # an alias written with quotes needs its quotes: 锦州通过… is not the app
    assert match_entities("在“锦州通”APP上").topics == ["锦州通APP"]
    assert match_entities("锦州通过办好一桩桩实事").topics == []


# -- organisations ----------------------------------------------------------------
def test_organisation_names_are_normalised() -> None:
    same = {match_entities(t).organizations[0] for t in ("锦州市发改委主任说", "锦州市发展改革委负责人", "以及市发改委、")}
    assert same == {"锦州市发展改革委"}
    assert match_entities("省发改委").organizations == ["辽宁省发展改革委"]
    assert match_entities("省总工会送温暖").organizations == ["辽宁省总工会"]
    assert match_entities("以及市工信局、市自然资源局等部门").organizations == ["锦州市工业和信息化局", "锦州市自然资源局"]
    assert match_entities("在省工信厅最新下发的").organizations == ["辽宁省工业和信息化厅"]


def test_organisation_suffix_rules() -> None:
    found = match_entities("辽宁京东管业有限公司投产，锦州万得汽车集团有限公司，重点推进东旭集团项目，华润电力(锦州)有限公司新建工程")
    assert found.organizations == ["辽宁京东管业有限公司", "锦州万得汽车集团有限公司", "东旭集团", "华润电力(锦州)有限公司"]
    # a place named inside an organisation's name still counts for the article, as a nested mention
    found = match_entities("凌海永创生物科技有限公司")
    assert found.organizations == ["凌海永创生物科技有限公司"] and found.place_keys == ["凌海市"]
    assert [m.nested for m in found.mentions if m.kind == "place"] == [True]
    # jieba's dictionary (tag nt) knows national bodies
    assert match_entities("辽宁大学的教授").organizations == ["辽宁大学"]


def test_organisation_false_positive_guards() -> None:
    text = ("市级主持召开会议，城市基层党建工作，构建锦州对外开放新格局，在APP上预约办理公司设立登记，"
            "物业公司和业主委员会，保险公司赔付，松山新区大学科技园，锦州市委主要领导")
    assert match_entities(text).organizations == []


# -- mentions and offsets -------------------------------------------------------------
def test_mentions_point_at_the_printed_text() -> None:
    text = "义县大定堡乡低保户，“双凌”协同，锦州市发改委主任说，凌海永创生物科技有限公司"
    found = match_entities(text)
    for m in found.mentions:
        assert 0 <= m.start < m.end <= len(text)
    assert [text[m.start:m.end] for m in found.mentions] == [
        "义县", "大定堡乡", "双凌", "锦州市发改委", "凌海永创生物科技有限公司", "凌海"]
    first = found.first("topic", "双凌协同发展示范区")
    assert first is not None and text[first.start:first.end] == "双凌"
    outer = [m for m in found.mentions if not m.nested]
    assert all(a.end <= b.start for a, b in zip(outer, outer[1:]))  # top-level mentions never overlap


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["义县", "九道岭镇", "四方台村", "村", "镇", "市", "锦州", "有限公司", "集团", "双凌", "“",
                                 "的", "到", "北镇", "凌海", "省", "发改委", "局", "格局", "石佛寺", "、", "新", "发现", "\n",
                                 "a", "1"]), max_size=30))
def test_any_text_gives_consistent_mentions(parts: list[str]) -> None:
    text = "".join(parts)
    found = match_entities(text)
    assert isinstance(found, Entities)
    outer = sorted((m for m in found.mentions if not m.nested), key=lambda m: m.start)
    for m in found.mentions:
        assert 0 <= m.start < m.end <= len(text)
    assert all(a.end <= b.start for a, b in zip(outer, outer[1:]))
    for m in found.mentions:
        if m.nested:
            assert any(o.kind == "organization" and o.start <= m.start and m.end <= o.end for o in outer)
    assert ROOT_PLACE not in found.place_keys
    assert len(found.place_keys) == len(set(found.place_keys))


# -- slugs and pinyin ---------------------------------------------------------------
def test_slugs_are_ascii_stable_and_hashed_only_on_collision() -> None:
    assert entity_slug("place", "义县/九道岭镇") == "jiu-dao-ling-zhen"
    assert entity_slug("topic", "双凌协同发展示范区") == "shuang-ling-xie-tong-fa-zhan-shi-fan-qu"
    fours = {entity_slug("place", k) for k in IDX.places if k.endswith("/四方台村")}
    assert len(fours) == 4 and all(re.fullmatch(r"si-fang-tai-cun-[0-9a-f]{6}", s) for s in fours)
    assert entity_slug("place", "义县/九道岭镇/四方台村") == entity_slug("place", "义县/九道岭镇/四方台村")
    for key in [k for k in IDX.places if k != ROOT_PLACE][:300]:
        assert re.fullmatch(r"[a-z0-9-]+", entity_slug("place", key))
    assert re.fullmatch(r"[a-z0-9-]+", entity_slug("topic", "8+3产业布局"))
    assert EntitySlugs.of({"organization": {"Index"}}).slug("organization", "Index") != "index"  # never the index page's name


def test_person_names_read_surnames_as_surnames() -> None:
    assert pinyin_words("曾庆红", "person", IDX.surnames)[0] == "zeng"
    assert pinyin_words("单雄", "person", IDX.surnames)[0] == "shan"
    assert pinyin_words("翟明", "person", IDX.surnames)[0] == "zhai"
    assert pinyin_words("曾经", "", IDX.surnames)[0] == "ceng"  # only for people
    assert EntitySlugs.of({"person": {"高华庚"}}, IDX.surnames).slug("person", "高华庚") == "gao-hua-geng"


# -- data files -------------------------------------------------------------------------
def test_gazetteer_copy_is_complete_with_provenance() -> None:
    import json

    rows = json.loads((ROOT / "generator/profiles/jinzhou/jinzhou_gazetteer.json").read_text("utf-8"))
    assert len(rows) == 1546
    assert {r["level"] for r in rows} == {"city", "county", "town", "village"}
    assert all(r["path"][0] == "锦州市" and r["path"][-1] == r["name"] for r in rows)
    provenance = (ROOT / "generator/profiles/jinzhou/GAZETTEER.md").read_text("utf-8")
    assert "jionlp" in provenance and "Apache" in provenance and "WTFPL" in provenance


def test_bad_parent_in_places_extra_is_reported(tmp_path) -> None:
    """A parent that names no place stops the profile's loading with file and line
    (the CLI: tests/test_profile.py)."""
    import shutil

    from generator.errors import SettingsError
    from generator.settings.profile import load_profile

    profile = tmp_path / "profile"
    shutil.copytree(ROOT / "generator/profiles/jinzhou", profile)
    extra = profile / "places_extra.yaml"
    extra.write_text(extra.read_text("utf-8").replace("named:\n", "named:\n  某公园: {parent: 不存在县}\n"), encoding="utf-8")
    line = extra.read_text("utf-8").splitlines().index("  某公园: {parent: 不存在县}") + 1
    with pytest.raises(SettingsError, match=f"places_extra.yaml:{line}: '不存在县' names no place"):
        load_profile(profile)


# -- the seeds against hand-read gold ----------------------------------------------------
def test_seed_precision_and_recall(seed_articles) -> None:
    gold = yaml.safe_load((ROOT / "tests/data/entities_gold.yaml").read_text("utf-8"))
    want = {(src, item["title"]): item for src, items in gold.items() for item in items}
    counts = {"places": [0, 0, 0], "topics": [0, 0, 0]}
    matched = 0
    for art in seed_articles:
        item = want.get((art.source, art.title))
        if item is None:
            continue
        matched += 1
        for kind in counts:
            got, ref = set(getattr(art, kind)), set(item[kind] or [])
            counts[kind][0] += len(got & ref)
            counts[kind][1] += len(got - ref)
            counts[kind][2] += len(ref - got)
    assert matched >= 25  # the segmenter may change; most articles must still be found
    for kind, (tp, fp, fn) in counts.items():
        assert tp / (tp + fp) >= 0.95, (kind, counts[kind])
        assert tp / (tp + fn) >= 0.9, (kind, counts[kind])


@pytest.fixture(scope="module")
def seed_articles():
    from generator.build import collect
    from generator.context import BuildContext

    return collect(ROOT / "seeds", BuildContext.load()).articles
