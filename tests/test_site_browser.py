"""The built site in real headless Chromium: over HTTP and from file://, with no
request leaving the site folder, readable CJK pages, and no script from content."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from conftest import ROOT, build_site

from generator.pages.catalogue import read_catalogue
from generator.settings.profile import default_profile


def _outside(urls: list[str], base: str) -> list[str]:
    """Requests that leave the site: another host over HTTP, anything but file/data/blob offline."""
    if base.startswith("file:"):
        return [u for u in urls if urlparse(u).scheme not in ("file", "data", "blob")]
    host = urlparse(base).netloc
    return [u for u in urls if urlparse(u).scheme not in ("data", "blob") and urlparse(u).netloc != host]


def _bases(site: Path, http_server) -> list[str]:
    return [http_server(site), site.resolve().as_uri() + "/"]


def test_home_and_article_render_without_outside_requests(seed_site: Path, http_server, page) -> None:
    records = read_catalogue(seed_site)
    lead = next(r for r in records if r["title"] == "千帆竞发争上游")
    paper = default_profile().newspaper  # the 锦州 profile's newspaper.yaml names the seed pages
    for base in _bases(seed_site, http_server):
        page.requests.clear()
        page.goto(base + "index.html")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").first.inner_text() == "锦州日报数字档案"
        assert page.locator(".md-header").count() == 1
        font = page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontFamily")
        assert "PingFang SC" in font and "Noto Sans CJK SC" in font
        assert page.locator(".md-typeset ul li a[href^='articles/']").count() == 20  # latest articles
        page.locator(".md-tabs").get_by_role("link", name="版面").click()
        page.get_by_role("link", name=f"{paper.name} 2019年8月13日 {paper.default_page_label}".strip()).click()  # 版面 name
        page.get_by_role("link", name="千帆竞发争上游").first.click()
        page.wait_for_load_state("networkidle")
        assert page.url.endswith(lead["url"])
        assert page.locator("h1").first.inner_text() == "千帆竞发争上游"
        assert "锦州市重点项目拉练活动侧记" in page.locator(".article-subtitle").inner_text()
        assert "核心提示" in page.locator(".article-summary").inner_text()
        assert page.locator(".article-caption").count() == 2
        page.get_by_role("link", name=f"《{paper.name}》2019年8月13日 {paper.default_page_label}".strip()).click()  # 出处
        page.wait_for_load_state("networkidle")
        assert "整理报告" in page.content()
        assert _outside(page.requests, base) == [], base


def test_raw_original_is_shipped_and_shown(seed_site: Path, http_server, page) -> None:
    base = http_server(seed_site)
    original = (ROOT / "seeds" / "000_6695ffc5df523714.txt").read_bytes()
    page.goto(base + "sources/000_6695ffc5df523714.html")
    href = page.get_by_role("link", name="000_6695ffc5df523714.txt").first.get_attribute("href")
    assert page.request.get(base + "sources/" + href).body() == original  # byte for byte
    # the line-by-line view: every line of the file, numbered, each an anchor the logs point to
    evidence_line = page.locator("table a[href*='#L']").first
    line = int(evidence_line.inner_text())
    evidence_line.click()
    page.wait_for_load_state("load")
    lines = page.locator("ol.raw-lines > li").all_inner_texts()
    assert [t.rstrip("\n") for t in lines] == original.decode("utf-8").split("\n")
    assert page.evaluate("location.hash") == f"#L{line}"
    assert page.evaluate("document.querySelector(':target').textContent") == original.decode("utf-8").split("\n")[line - 1]


def test_raw_view_from_file_url(seed_site: Path, page) -> None:
    page.goto((seed_site / "sources" / "000_6695ffc5df523714.html").as_uri())
    page.get_by_role("link", name="逐行查看原文").click()
    page.locator("ol.raw-lines > li").first.wait_for()
    assert page.locator("ol.raw-lines > li").count() == (ROOT / "seeds" / "000_6695ffc5df523714.txt").read_text("utf-8").count("\n") + 1


def test_content_never_runs_script(tmp_path: Path, http_server, page) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "inject.txt").write_text(
        "<script>alert(1)</script>标题 [x](javascript:alert(2))\n\n"
        "本报讯 记者王明报道 <img src=x onerror=alert(3)> 正文*强调* `代码` <!-- 注释 --> | 表格 |。\n\n"
        "# 不是标题 > 不是引用\n\n"
        "<svg onload=alert(4)>图片说明。\n",
        encoding="utf-8")
    site = build_site(seeds, tmp_path)
    record = read_catalogue(site)[0]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for base in _bases(site, http_server):
        page.goto(base + record["url"])
        page.wait_for_load_state("networkidle")
        text = page.locator("article").inner_text()
        assert "<script>alert(1)</script>标题" in text
        assert "[x](javascript:alert(2))" in text
        assert "<img src=x onerror=alert(3)>" in text and "<!-- 注释 -->" in text
        assert page.locator("article a[href^='javascript']").count() == 0
        # search results show titles and text too
        page.locator("label.md-search__icon, .md-search__input").first.click()
        box = page.locator("input.md-search__input")
        box.fill("王明")
        box.press("End")
        page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
        page.wait_for_timeout(500)
    assert dialogs == []
