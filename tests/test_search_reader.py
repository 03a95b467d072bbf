"""What a researcher types into the search box, in real Chromium over HTTP and
file://: traditional characters, pinyin, typos (您是不是要找), quoted phrases and
numbers with their unit, the passage where the words occur, the exact count and
all results reachable by scrolling."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from test_site_browser import _bases

from generator.pages.catalogue import read_catalogue

IDLE = "键入以开始搜索"


def _query(page, q: str) -> dict:
    """Paste ``q`` into the box (no key pressed); the result line and the results shown."""
    box = page.locator("input.md-search__input")
    box.fill("")
    page.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent === '{IDLE}'",
                           timeout=15_000)
    box.fill(q)
    page.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent !== '{IDLE}'",
                           timeout=30_000)
    page.wait_for_timeout(50)  # the note about the count is written just after the list
    meta = page.locator(".md-search-result__meta").inner_text()
    links = page.locator(".md-search-result__link").all()
    return {
        "meta": meta,
        "count": int(m.group(1)) if (m := re.search(r"(\d+) 个符合条件的结果", meta)) else (1 if "找到 1 个" in meta else 0),
        "titles": [a.locator("h1, h2").first.inner_text() for a in links[:10]],
        "hrefs": [a.get_attribute("href") for a in links[:10]],
        "title_html": [a.locator("h1, h2").first.inner_html() for a in links[:10]],
        "passages": [a.locator("p").first.inner_html() if a.locator("p").count() else "" for a in links[:10]],
    }


def _article_texts(site: Path) -> list[str]:
    """Everything of each article that search reads, from data/articles.json, normalised."""
    out = []
    for r in read_catalogue(site):
        parts = [r["kicker"], r["title"], r["subtitle"], r["column"], *r["topics"], r["summary"], r["body"],
                 *(c["text"] for c in r["captions"]),
                 *((r["sidebar"] or {}).get(k, "") for k in ("title", "text")), *r["authors"], *r["photographers"],
                 *r["organizations"]]
        text = unicodedata.normalize("NFKC", "\n".join(p for p in parts if p)).lower()
        out.append(re.sub(r"\s+", " ", text))
    return out


def _entity_names(site: Path) -> list[str]:
    """The names of the entity pages that are search results (places, topics, …)."""
    rows = []
    for path in (site / "search" / "d").glob("*.js"):
        rows += json.loads(re.search(r",(\[.*\])\);", path.read_text("utf-8"), re.S).group(1))
    return [unicodedata.normalize("NFKC", r[1]).lower() for r in rows if not r[0].startswith("articles/")]


@pytest.fixture(params=["http", "file"])
def search_page(request, seed_site: Path, http_server, page):
    base = _bases(seed_site, http_server)[0 if request.param == "http" else 1]
    page.goto(base + "index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    return page


def test_traditional_characters_find_simplified(search_page) -> None:
    simple, traditional = _query(search_page, "锦州"), _query(search_page, "錦州")
    assert traditional["count"] == simple["count"] > 10
    assert traditional["titles"] == simple["titles"]
    yixian = _query(search_page, "義縣")
    assert yixian["titles"][0] == "义县" and "/places/" in yixian["hrefs"][0]
    assert _query(search_page, "營商環境")["titles"][0] == "营商环境"


def test_pinyin_of_known_words(search_page) -> None:
    assert _query(search_page, "jinzhou")["count"] == _query(search_page, "锦州")["count"]
    for spelling, name in [("yixian", "义县"), ("jiudaoling", "九道岭镇"), ("jiudaolingzhen", "九道岭镇")]:
        r = _query(search_page, spelling)
        assert r["titles"][0] == name, (spelling, r["titles"])
        assert f"{spelling}→{name}" in r["meta"]


def test_did_you_mean(search_page) -> None:
    for typo, fix in [("九道领", "九道岭镇"), ("营商坏境", "营商环境")]:
        r = _query(search_page, typo)
        assert r["meta"].startswith("您是不是要找") and f"“{fix}”" in r["meta"], r["meta"]
        assert search_page.locator(".md-search-result__meta strong").inner_text() == "您是不是要找"
        assert r["titles"][0] == fix
    assert _query(search_page, "完全不存在的词语组合")["count"] == 0


def test_phrases_and_numbers_with_units(search_page, seed_site: Path) -> None:
    texts = _article_texts(seed_site)
    for q, needle in [('"100万吨"', "100万吨"), ("“100万吨”", "100万吨"), ("100万吨", "100万吨"),
                      ("“项目建设”", "项目建设"), ("「招商引资」", "招商引资"), ('"3.3万名"', "3.3万名")]:
        r = _query(search_page, q)
        expected = sum(needle in t for t in texts)
        assert expected > 0
        assert r["count"] == expected + sum(needle in n for n in _entity_names(seed_site)), (q, r["meta"], expected)
        for href, title, passage in zip(r["hrefs"], r["title_html"], r["passages"]):
            if "/articles/" in href:  # the passage where it occurs, or the headline when it is only there
                assert f"<mark data-md-highlight=\"\">{needle}</mark>" in passage + title, (q, passage)
    # 100 and 万吨 apart do not match 100万吨
    apart = sum("100" in t and "万吨" in t for t in texts)
    assert apart > sum("100万吨" in t for t in texts)


def test_passages_show_where_the_words_are(search_page) -> None:
    r = _query(search_page, "九道岭镇 铸管")
    articles = [p for h, p in zip(r["hrefs"], r["passages"]) if "/articles/" in h]
    assert articles
    for passage in articles:
        assert "<mark" in passage and len(re.sub("<[^>]+>", "", passage)) <= 300
    r = _query(search_page, "扶贫办主任")  # deep in the text, not in the lead
    assert "<mark data-md-highlight=\"\">扶贫办主任</mark>" in r["passages"][0]


def test_exact_count_and_every_result_reachable(search_page, seed_site: Path) -> None:
    """The count is the number of matching documents (articles counted from
    articles.json; the entity pages whose name has the word, listed too), and
    scrolling the list shows every one of them."""
    texts = _article_texts(seed_site)
    for q in ["项目", "的", "“项目建设”"]:  # words in no place's other printed names (aliases also match)
        needle = q.strip("“”")
        articles = sum(needle in t for t in texts)
        assert _query(search_page, q)["count"] == articles + sum(needle in n for n in _entity_names(seed_site)), q
    r = _query(search_page, "的")
    articles = sum("的" in t for t in texts)
    assert r["count"] > 20
    results = search_page.locator(".md-search-result__link")
    assert results.count() == 10  # Material shows ten, then more as the reader scrolls
    for _ in range(60):
        if results.count() >= r["count"]:
            break
        search_page.locator(".md-search-result").hover()
        search_page.mouse.wheel(0, 400)
        search_page.wait_for_timeout(100)
    assert results.count() == r["count"]
    hrefs = {h.split("?")[0].rsplit("/articles/", 1)[-1] for h in
             (a.get_attribute("href") for a in results.all()) if "/articles/" in h}
    assert len(hrefs) == articles
