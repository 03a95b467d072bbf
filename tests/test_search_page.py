"""The full search page (search.html): a query, filters with their counts, sort,
everything in the URL for sharing, more results as the reader scrolls; in real
Chromium over HTTP and file://, driven with the mouse and the keyboard."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest
from test_search_reader import _article_texts
from test_site_browser import _bases, _outside

from generator.pages.catalogue import read_catalogue


def _records(site: Path) -> list[dict]:
    return read_catalogue(site)


def _status(page) -> int:
    page.wait_for_function("/\\d+ 个结果/.test(document.querySelector('.archive-search-status').textContent)",
                           timeout=30_000)
    return int(re.search(r"(\d+) 个结果", page.locator(".archive-search-status").inner_text()).group(1))


def _settle(page, before: str) -> int:
    """Wait until the list changed after an action; the count shown."""
    page.wait_for_function("(b) => document.querySelector('.archive-search-status').textContent !== b", arg=before,
                           timeout=30_000)
    return _status(page)


@pytest.fixture(params=["http", "file"])
def base(request, seed_site: Path, http_server) -> str:
    return _bases(seed_site, http_server)[0 if request.param == "http" else 1]


def test_shared_url_filters_and_counts(base: str, seed_site: Path, page) -> None:
    records, texts = _records(seed_site), _article_texts(seed_site)
    page.goto(base + "search.html?q=" + quote("锦州") + "&year=2021")
    expected = sum("锦州" in t and r["date"].startswith("2021") for r, t in zip(records, texts))
    assert _status(page) == expected > 0
    assert not page.evaluate("document.getElementById('__search').checked")  # Material's box stays closed
    assert page.locator("input[name=q]").input_value() == "锦州"
    # every year offered with its count for this query (under the other filters)
    years = page.locator("select[name=year] option").all_inner_texts()
    for year in {r["date"][:4] for r, t in zip(records, texts) if "锦州" in t and r["date"]}:
        n = sum("锦州" in t and r["date"].startswith(year) for r, t in zip(records, texts))
        assert f"{year}（{n}）" in years
    # a topic chosen with the keyboard: the URL follows, the count is right
    topic = "乡村振兴"
    before = page.locator(".archive-search-status").inner_text()
    page.select_option("select[name=topic]", topic)
    n = _settle(page, before)
    assert n == sum("锦州" in t and r["date"].startswith("2021") and topic in r["topics"]
                    for r, t in zip(records, texts))
    query = parse_qs(urlparse(page.url).query)
    assert query == {"q": ["锦州"], "year": ["2021"], "topic": [topic]}
    # the URL opened afresh gives the same
    page.goto(page.url)
    assert _status(page) == n
    assert _outside(page.requests, base) == []


def test_keyboard_sort_and_browse_without_words(base: str, seed_site: Path, page) -> None:
    records = _records(seed_site)
    column = "锦州脚步"
    page.goto(base + "search.html?column=" + quote(column))
    assert _status(page) == sum(r["column"] == column for r in records)
    # sort oldest first, with the keyboard only
    page.locator("select[name=sort]").focus()
    before = page.locator(".archive-search-status").inner_text()
    page.keyboard.press("ArrowDown")  # 最新在前
    page.keyboard.press("ArrowDown")  # 最早在前
    page.wait_for_function("location.search.includes('sort=old')", timeout=10_000)
    page.wait_for_timeout(300)
    dates = [re.match(r"\d{4}-\d\d-\d\d", t).group() for t in page.locator(".archive-search-facts").all_inner_texts()]
    assert dates == sorted(dates) and len(dates) > 3
    del before
    # type a query in the page's own box: results without pressing a key after it
    before = page.locator(".archive-search-status").inner_text()
    page.locator("input[name=q]").fill("项目")
    n = _settle(page, before)
    texts = _article_texts(seed_site)
    assert n == sum("项目" in t and r["column"] == column for r, t in zip(records, texts))
    assert "q=%E9%A1%B9%E7%9B%AE" in page.url or "q=项目" in page.url


def test_more_results_as_the_reader_scrolls(base: str, seed_site: Path, page) -> None:
    texts = _article_texts(seed_site)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(base + "search.html?q=" + quote("的"))
    total = _status(page)
    assert total == sum("的" in t for t in texts) > 20
    items = page.locator(".archive-search-results li")
    assert items.count() == 20
    for _ in range(40):
        if items.count() >= total:
            break
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(150)
    assert items.count() == total
    assert page.locator(".archive-search-more").is_hidden()
    # nothing is wider than the phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_header_box_links_to_the_search_page(base: str, page) -> None:
    page.goto(base + "index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").fill("锦州 扶贫")
    link = page.locator("a.archive-search-all")
    link.wait_for()
    assert "search.html?q=" + quote("锦州 扶贫") in link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    assert page.locator("input[name=q]").input_value() == "锦州 扶贫"
    assert _status(page) >= 1
