"""The archive's own search: the index files (generator/search/index.py) and the worker
(theme/assets/javascripts/archive-search.js) in Material's real search box, in
headless Chromium, over HTTP and from file://."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_site_browser import _bases, _outside

from generator.search import index as search

# query → headlines (or their start) that must be among the first 10 results, on the seeds
QUERIES: list[tuple[str, list[str]]] = [
    ("飞地经济", ["引投资 聚产业 富乡村"]),
    ("飞地", ["引投资 聚产业 富乡村"]),  # a sub-word
    ("项目管家", ["北镇市为重点项目和企业配“管家”"]),
    ("管家", ["北镇市为重点项目和企业配“管家”"]),  # a sub-word
    ("道岭", ["引投资 聚产业 富乡村"]),  # inside 九道岭镇
    ("九道岭镇", ["引投资 聚产业 富乡村"]),
    ("锦州港", ["前三季度锦州港外贸吞吐量", "锦州港保税物流中心开工建设"]),
    ("吞吐量", ["前三季度锦州港外贸吞吐量"]),
    ("直播带岗", ["直播带岗亮相"]),
    ("招聘会", ["直播带岗亮相"]),
    ("工资集体协商", ["工资集体协商 3.3万名职工受益"]),
    ("3.3万名职工", ["工资集体协商 3.3万名职工受益"]),  # a number with a decimal point
    ("名师", ["教育扶贫 名师下乡授课"]),
    ("双凌", ["搭建城市振兴发展新支点"]),
    ("融资担保", ["16家企业 获政府性融资担保贷款"]),
    ("在线审批", ["工程建设项目在线审批"]),
    ("智慧医保", ["“智慧医保” 全流程网上办理"]),
    ("知识产权", ["知识产权服务 帮企业解难题"]),
    ("保税物流", ["锦州港保税物流中心开工建设"]),
    ("义县 扶贫", ["义县创新产业扶贫模式"]),
    ("辽西中心城市", ["乘势而上启新航"]),
    ("拉练", ["千帆竞发争上游"]),
    ("营商环境", ["做好“加减乘除” 营商环境持续优化"]),
    ("互联网+医疗健康", ["“互联网+医疗健康”"]),
    ("总工会", ["锦州市总工会"]),
    ("三篇大文章", ["锦州围绕“三篇大文章”"]),
    ("军民共建", ["军民共建结硕果"]),
    ("技能大师", ["首批技能大师工作站揭牌"]),
    ("高新技术企业", ["孵化培育11家高新技术企业"]),
    ("渔业 水质", ["加强近岸海域渔业水质环境监测"]),
    ("村庄清洁", ["1128个村庄开展清洁行动"]),
    ("我为群众办实事", ["办实事有力度 惠民生有温度"]),
    ("锦州乡村振兴", ["1128个村庄开展清洁行动"]),  # no space: split into 锦州 + 乡村振兴 by the word list
    ("陶瓷", ["71个项目 入选我省企业技术创新重点项目"]),
    ("ＧＤＰ", []),  # full-width letters are normalised (no hit expected, but no error either)
    ("高华庚", ["高华庚"]),  # a person's page first
    ("义县", ["义县"]),  # a place's page first
]


# ---------------------------------------------------------------------------
# the index files
# ---------------------------------------------------------------------------
@given(st.lists(st.integers(min_value=0, max_value=10**7), unique=True))
def test_postings_round_trip(ids: list[int]) -> None:
    ids.sort()
    assert search.decode_postings(search.encode_postings(ids)) == ids


def test_tokens_are_characters_pairs_and_ascii_words() -> None:
    assert search.tokens("锦州港 5G，ＧＤＰ增长3.3%") == {
        "锦", "州", "港", "锦州", "州港", "5g", "增", "长", "增长", "gdp", "3.3"}


def _meta(site: Path) -> dict:
    return json.loads(re.search(r"\((.*)\)", (site / "search" / "meta.js").read_text("utf-8")).group(1))


def _shards(site: Path) -> list[tuple[dict, dict]]:
    """(tokens, words) of every posting shard, range by range (meta.js lists them)."""
    out = []
    for lo, hi, count, name in _meta(site)["levels"]:
        for n in range(count):
            path = site / "search" / "s" / name / f"{n}.js"
            m = re.fullmatch(r"archiveSearch\.shard\((.*)\);\n", path.read_text("utf-8"), re.S)
            assert m, path
            first, number, groups, words, _pinyin = json.loads("[" + m.group(1) + "]")
            assert (first, number) == (lo, n)
            tokens = {tok: key.split(",") for key, toks in groups.items() for tok in toks.split(" ")}
            assert len(tokens) == sum(len(toks.split(" ")) for toks in groups.values())  # each token once
            out.append((tokens, words))
    return out


def test_index_was_built_with_chinese_segmentation(seed_site: Path) -> None:
    """The query side splits queries with the words jieba found at build time: if
    segmentation did not run, these words (jieba's own, and the archive's names
    added to its dictionary) would be missing and 锦州乡村振兴 would find nothing."""
    words = {w.split(":")[0] for _, ws in _shards(seed_site) for line in ws.values() for w in line.split(" ")}
    assert {"乡村振兴", "营商环境", "吞吐量", "高新技术"} <= words  # jieba's dictionary
    assert {"飞地经济", "九道岭镇", "项目管家"} <= words  # the archive's dictionary (topics, gazetteer)
    assert "高华庚" in words  # a person: kept whole by the query side as well
    assert sorted(map(len, words))[len(words) // 2] <= 3  # words, not unsegmented runs of text


def test_segmenter_gives_jiebas_words_on_the_seeds() -> None:
    """rjieba (jieba-rs) stands in for jieba for speed; on every seed article it must
    find exactly the words jieba itself finds with the same names added."""
    import logging

    import jieba

    from generator.build import collect
    from generator.context import BuildContext

    jieba.setLogLevel(logging.WARNING)
    ctx = BuildContext.load()
    reference = jieba.Tokenizer()
    for name in sorted(search.archive_dictionary(ctx.entities)):
        reference.add_word(name, freq=max(reference.suggest_freq(name, tune=False), search.NAME_FREQ))
    articles = collect(Path(__file__).parent.parent / "seeds", ctx).articles
    assert len(articles) == 28
    for art in articles:
        text = search.normalise(" ".join([art.title, *(p.text for p in art.body)]))
        expected = {w for w in reference.cut(text, HMM=False) if len(w) > 1 and search._CJK_WORD.match(w)}
        assert search.words_of([text], ctx.tokenizer) == expected, art.title


def test_every_token_is_in_its_shard(seed_site: Path) -> None:
    shards = _shards(seed_site)
    at = 0
    for lo, hi, count, name in _meta(seed_site)["levels"]:
        for n, (tokens, _) in enumerate(shards[at:at + count]):
            assert tokens and all(search.shard_of(t, count) == n for t in tokens), (name, n)
        at += count
    assert at == len(shards) and len(list((seed_site / "search" / "s").rglob("*.js"))) == at


def test_newspaper_pages_are_not_search_results(seed_site: Path) -> None:
    rows = []
    for path in (seed_site / "search" / "d").glob("*.js"):
        rows += json.loads(re.search(r",(\[.*\])\);", path.read_text("utf-8"), re.S).group(1))
    locations = [r[0] for r in rows]
    assert not any(loc.startswith("sources/") for loc in locations)
    assert sum(loc.startswith("articles/") for loc in locations) == 28
    assert all((seed_site / loc).is_file() for loc in locations)


# ---------------------------------------------------------------------------
# the real search box
# ---------------------------------------------------------------------------
def _search(page, query: str) -> list[dict]:
    """Type ``query`` into Material's search box; the results as shown."""
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    box.fill("")
    box.press("End")
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent === '键入以开始搜索'")
    box.fill(query)
    box.press("End")  # Material reads the query on key events; fill() inserts text without them
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent !== '键入以开始搜索'",
                           timeout=30_000)
    out = []
    for link in page.locator(".md-search-result__link").all()[:10]:
        href = link.get_attribute("href")
        out.append({"href": href, "title": link.locator("h1, h2").first.inner_text(),
                    "title_html": link.locator("h1, h2").first.inner_html(),
                    "tags": link.locator(".md-tag").all_inner_texts(),
                    "h": parse_qs(urlparse(href).query).get("h", [""])[0]})
    assert meta.inner_text()
    return out


def _open_search(page, base: str) -> None:
    page.goto(base + "index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()


@pytest.mark.parametrize("mode", ["http", "file"])
def test_query_table(mode: str, seed_site: Path, http_server, page) -> None:
    base = _bases(seed_site, http_server)[0 if mode == "http" else 1]
    _open_search(page, base)
    missing = {}
    for query, expected in QUERIES:
        results = _search(page, query)
        titles = [r["title"] for r in results]
        lost = [e for e in expected if not any(t.startswith(e) for t in titles)]
        if lost:
            missing[query] = (lost, titles)
        assert not any(r["href"].split("?")[0].split(base)[-1].startswith("sources/") for r in results)
    assert missing == {}
    assert _outside(page.requests, base) == [], base


def test_words_are_required_and_narrow(seed_site: Path, http_server, page) -> None:
    _open_search(page, http_server(seed_site))
    count = {}
    for query in ["锦州", "乡村振兴", "锦州 乡村振兴", "飞地", "飞地 乡村振兴", "飞地 不存在的词"]:
        _search(page, query)
        text = page.locator(".md-search-result__meta").inner_text()
        count[query] = int(m.group()) if (m := re.search(r"\d+", text)) else 0
    assert 0 < count["锦州 乡村振兴"] <= min(count["锦州"], count["乡村振兴"])
    assert count["锦州 乡村振兴"] < count["锦州"]
    assert 0 < count["飞地 乡村振兴"] < count["飞地"]
    assert count["飞地 不存在的词"] == 0


def test_single_character_and_headline_first(seed_site: Path, http_server, page) -> None:
    _open_search(page, http_server(seed_site))
    results = _search(page, "州")  # Material's search: nothing (州 is never a word prefix)
    assert len(results) == 10
    results = _search(page, "锦州脚步")  # a column: the articles filed under it come first, newest first
    dates = [r["tags"][0] for r in results if r["tags"] and re.fullmatch(r"\d{4}-\d\d-\d\d", r["tags"][0])]
    assert len(dates) >= 5 and dates == sorted(dates, reverse=True)
    results = _search(page, "营商环境")  # a topic; in one headline, in other articles' text
    assert results[0]["title"] == "营商环境" and "/topics/" in results[0]["href"]  # the topic's page
    articles = [r["title"] for r in results if "/articles/" in r["href"]]
    assert articles[0].startswith("做好“加减乘除” 营商环境持续优化") and len(articles) > 1


def test_matches_are_highlighted_in_results_and_on_the_page(seed_site: Path, http_server, page) -> None:
    for base in _bases(seed_site, http_server):
        _open_search(page, base)
        results = _search(page, "锦州 飞地")
        first = results[0]
        assert "<mark" in first["title_html"] and unquote(first["h"]).split() == ["锦州", "飞地"]
        page.locator(".md-search-result__link").first.click()
        page.wait_for_load_state("networkidle")
        marks = page.locator("article mark[data-md-highlight]").all_inner_texts()
        assert "飞地" in marks and "锦州" in marks, base


def test_headline_markup_is_escaped_in_results(tmp_path: Path, http_server, page) -> None:
    from conftest import build_site

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "x.txt").write_text("<b>粗体</b>标题\n\n本报讯 记者王明报道 <i>斜体</i>正文内容足够长。\n", encoding="utf-8")
    site = build_site(seeds, tmp_path)
    _open_search(page, http_server(site))
    results = _search(page, "粗体")
    assert results and results[0]["title"].startswith("<b>粗体</b>")
    assert "<b>" not in results[0]["title_html"]
