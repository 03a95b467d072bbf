"""Issue 12, points 4 and 9: every article can be cited (GB/T 7714-2015 reference,
permanent URL, copy buttons that work offline, Highwire tags for Zotero, the same
citation in articles.json) and prints as itself — headline, meta, body, captions,
citation and URL, without the site around it."""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT

from generator.model import Article
from generator.pages.catalogue import read_catalogue
from generator.pages.citation import gbt7714, page_of
from generator.pages.pagenames import PageName


def _records(site: Path) -> list[dict]:
    return read_catalogue(site)


def test_reference_follows_gbt_7714() -> None:
    import datetime as dt

    source = PageName("a.txt", "辽宁日报", dt.date(2020, 5, 28), True, "第3版", "辽宁日报 2020年5月28日 第3版")
    art = Article("a.txt", 0, 1, "标题", subtitle="副题", authors=["甲", "乙", "丙", "丁"], date=dt.date(2020, 5, 28))
    assert gbt7714(art, source) == "甲, 乙, 丙, 等. 标题：副题[N]. 辽宁日报, 2020-05-28(3).（出版日期系据文中线索推断）"
    art.date_inferred, art.authors = False, []
    assert gbt7714(art, source) == "标题：副题[N]. 辽宁日报, 2020-05-28(3)."
    assert [page_of(x) for x in ("第12版", "3", "锦州新闻", "")] == ["12", "3", "锦州新闻", ""]


def test_every_article_carries_its_citation(seed_site: Path) -> None:
    for rec in _records(seed_site):
        html = (seed_site / rec["url"]).read_text("utf-8")
        assert re.fullmatch(r"(.+\. )?.+\[N\]\. 辽宁日报, \d{4}-\d{2}-\d{2}\(.+\)\.(（出版日期系据文中线索推断）)?", rec["citation"]), rec["citation"]
        assert rec["citation"].startswith(", ".join(rec["authors"][:3]))
        assert f'<span id="cite-reference" class="cite-text">{rec["citation"]}</span>'.replace("“", "“") in html
        metas = dict(re.findall(r'<meta name="(citation_\w+)" content="([^"]*)"', html))
        authors = re.findall(r'<meta name="citation_author" content="([^"]*)"', html)
        assert metas["citation_title"] == rec["title"] and authors == rec["authors"]
        assert metas["citation_publication_date"] == rec["date"].replace("-", "/")
        assert metas["citation_journal_title"] == rec["newspaper"] == "辽宁日报"


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_copy_buttons_copy_the_reference_and_the_link(seed_site: Path, http_server, browser, scheme: str) -> None:
    base = http_server(seed_site) if scheme == "http" else seed_site.as_uri() + "/"
    context = browser.new_context()
    if scheme == "http":
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    pg = context.new_page()
    rec = _records(seed_site)[0]
    pg.goto(base + rec["url"])
    # what the page put on the clipboard, seen as the browser's copy event carries it
    pg.evaluate("document.addEventListener('copy', e => { const t = e.target; "
                "window.__copied = (t && 'value' in t ? t.value : '') || getSelection().toString() }, true)")
    box = pg.locator(".article-cite")
    box.get_by_role("button", name="复制").first.click()
    pg.wait_for_function("window.__copied !== undefined")
    assert pg.evaluate("window.__copied") == rec["citation"]
    if scheme == "http":
        assert pg.evaluate("navigator.clipboard.readText()") == rec["citation"]
    assert pg.locator(".md-dialog").inner_text().strip() == "已复制"  # Material's own notice
    box.get_by_role("button", name="复制").nth(1).click()
    pg.wait_for_function("window.__copied.endsWith('.html')")
    assert pg.evaluate("window.__copied") == rec["url"]
    context.close()


def test_permanent_url_is_absolute_when_site_url_is_set(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--docs", "docs_src",
                             "--site", "site", "--config", str(ROOT / "mkdocs.yml"), "-q"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=600,
                            env={**os.environ, "SITE_URL": "https://example.org/jinzhou/"})
    assert result.returncode == 0, result.stderr
    rec = _records(tmp_path / "site")[0]
    html = (tmp_path / "site" / rec["url"]).read_text("utf-8")
    absolute = "https://example.org/jinzhou/" + rec["url"]
    assert f'<meta name="citation_public_url" content="{absolute}">' in html
    assert re.search(r'<a id="cite-url" class="cite-text" href="[^"]+">' + re.escape(absolute) + "</a>", html)


def _found(snippet: str, text: str) -> bool:
    """``snippet`` in the PDF's text, allowing for the glyphs whose text the PDF gives as
    a CJK radical (⻛ for 风): most of it, in one run."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", snippet))
    match = difflib.SequenceMatcher(None, text, folded, autojunk=False).find_longest_match(0, len(text), 0, len(folded))
    return match.size >= 0.6 * len(folded)


def test_an_article_prints_as_itself(seed_site: Path, http_server, page) -> None:
    from pypdf import PdfReader

    base = http_server(seed_site)
    for rec in sorted(_records(seed_site), key=lambda r: -len(r["body"]))[:2]:
        page.goto(base + rec["url"])
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
        # the PDF's text uses compatibility forms of some characters (⽂ for 文): fold them
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pdf.pages)))
        assert _found(rec["title"], text) and "引用本文" in text and rec["url"] in text
        assert _found(rec["body"].split("\n\n")[-1][:24], text)  # the whole body, to its last paragraph
        for absent in ("整理记录", "相关文章", "按日期浏览全部文章", "地点：", "跳转至"):
            assert absent not in text, absent
        assert len(pdf.pages) <= 2 + len(rec["body"]) // 900, (rec["url"], len(pdf.pages))
