"""Search over an archive big enough for its postings to be split into ranges of
documents (generator/search/index.py ``levels``: a range sharded by token, files of the
newest articles, the entity pages): counts, pinyin, 您是不是要找 and sort read
every range alike, in real Chromium over HTTP and file://."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ROOT, build_site
from test_search_page import _status
from test_search_reader import _article_texts, _entity_names, _query
from test_site_browser import _bases, _outside

from generator.pages.catalogue import read_catalogue

sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def ranged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from make_corpus import make_corpus

    work = tmp_path_factory.mktemp("ranged-site")
    make_corpus(work / "seeds", 150)  # 147 articles: 0–127 sharded by token, 128–146 in three files
    return build_site(work / "seeds", work)


def test_the_archive_has_ranges(ranged_site: Path) -> None:
    meta = json.loads(re.search(r"\((.*)\)", (ranged_site / "search" / "meta.js").read_text("utf-8")).group(1))
    assert [(lo, hi, name) for lo, hi, _, name in meta["levels"]] == [
        (0, 128, "0-128"), (128, 136, "128"), (136, 144, "136"), (144, 147, "144"), (147, meta["docs"], "e")]
    assert meta["levels"][0][2] > 10  # the older articles' postings in many small files


@pytest.mark.parametrize("mode", ["http", "file"])
def test_counts_pinyin_and_typos_across_ranges(mode: str, ranged_site: Path, http_server, page) -> None:
    base = _bases(ranged_site, http_server)[0 if mode == "http" else 1]
    texts, names = _article_texts(ranged_site), _entity_names(ranged_site)
    page.goto(base + "index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    for q in ["的", "道岭", "项目", "“100万吨”", "100万吨", "“项目建设”"]:  # in no entity page's other names
        needle = q.strip("“”")
        expected = sum(needle in t for t in texts) + sum(needle in n for n in names)
        assert _query(page, q)["count"] == expected > 0, q
    assert _query(page, "jinzhou")["count"] == _query(page, "锦州")["count"]
    typo = _query(page, "营商坏境")
    assert typo["meta"].startswith("您是不是要找") and "“营商环境”" in typo["meta"], typo["meta"]
    assert _outside(page.requests, base) == []


@pytest.mark.parametrize("mode", ["http", "file"])
def test_sort_reads_every_range(mode: str, ranged_site: Path, http_server, page) -> None:
    base = _bases(ranged_site, http_server)[0 if mode == "http" else 1]
    records = read_catalogue(ranged_site)
    texts = _article_texts(ranged_site)
    dates = sorted(r["date"] for r, t in zip(records, texts) if "锦州" in t)
    for sort, expected in [("old", dates[:20]), ("new", dates[::-1][:20])]:
        page.goto(base + "search.html?q=" + quote("锦州") + "&sort=" + sort)
        assert _status(page) >= len(dates)
        page.wait_for_timeout(200)
        shown = [re.match(r"\d{4}-\d\d-\d\d", t).group()
                 for t in page.locator(".archive-search-facts").all_inner_texts()][:20]
        assert shown == expected, sort  # the oldest from the sharded range, the newest from the last files
