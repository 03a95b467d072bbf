"""Issue 12: pages a reader can read — every page kind fits a 390 px phone and a
1,366 px screen, text contrast >= 4.5:1 in the light and the dark scheme (computed
from the styles Chromium applies), the scheme toggle works, Chinese everywhere the
theme speaks, over HTTP and from file://."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pages.catalogue import read_catalogue

CONTRAST_JS = (Path(__file__).parent / "js" / "contrast.js").read_text(encoding="utf-8")


def _page_kinds(site: Path) -> list[str]:
    """One page of every kind the site has."""
    records = read_catalogue(site)
    longest = max(records, key=lambda r: len(r["body"]))
    pages = ["index.html", longest["url"], "timeline/index.html", "sources/index.html", "404.html"]
    for folder in ("sources", "places", "topics", "organizations", "people", "columns", "issues"):
        if (site / folder / "index.html").is_file():
            pages.append(f"{folder}/index.html")
        entries = sorted(p for p in (site / folder).glob("*.html") if p.name != "index.html") if (site / folder).is_dir() else []
        if entries:
            pages.append(entries[0].relative_to(site).as_posix())
    return sorted(set(pages))


@pytest.fixture(params=["http", "file"])
def base(request, seed_site: Path, http_server) -> str:
    return http_server(seed_site) if request.param == "http" else seed_site.as_uri() + "/"


@pytest.mark.parametrize("width", [390, 1366])
def test_no_page_is_wider_than_the_screen(seed_site: Path, base: str, page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    wide = {}
    for rel in _page_kinds(seed_site):
        page.goto(base + rel)
        over = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        if over > 0:
            wide[rel] = over
    assert wide == {}, f"pages wider than {width} px (px too wide): {wide}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_is_at_least_4_5_to_1(seed_site: Path, browser, http_server, scheme: str) -> None:
    base = http_server(seed_site)  # over HTTP: 404.html links its styles from the site root
    failures, checked = {}, 0
    for width in (390, 1366):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        pg = context.new_page()
        for rel in _page_kinds(seed_site):
            pg.goto(base + rel)
            expected = "slate" if scheme == "dark" else "default"
            assert pg.get_attribute("body", "data-md-color-scheme") == expected
            for details in pg.locator("details").all():  # folded logs and raw text count too
                details.evaluate("d => d.open = true")
            result = pg.evaluate(CONTRAST_JS)
            checked += result["checked"]
            if result["bad"]:
                failures[f"{rel} @{width}"] = result["bad"]
        context.close()
    assert checked > 500
    assert failures == {}


def test_scheme_toggle_switches_and_is_remembered(seed_site: Path, base: str, page) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(base + "index.html")
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    page.get_by_title("切换到深色模式").first.click()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.goto(base + "timeline/index.html")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)"


def test_language_titles_and_404_speak_chinese(seed_site: Path, base: str, http_server, page) -> None:
    page.goto(base + "index.html")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.title() == "锦州日报数字档案"  # not "锦州日报数字档案 - 锦州日报数字档案"
    page.goto(http_server(seed_site) + "404.html")  # over HTTP: its links are from the site root
    assert page.locator("h1").inner_text() == "找不到这个页面" and "Not found" not in page.content()
    page.locator("article a", has_text="首页").click()
    assert page.title() == "锦州日报数字档案"


def test_headings_and_tables_are_never_justified(seed_site: Path, base: str, page) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    for rel in ("sources/index.html", "timeline/index.html"):
        page.goto(base + rel)
        aligns = page.evaluate("[...document.querySelectorAll('.md-typeset h1, .md-typeset h2, .md-typeset td, .md-typeset th')]"
                               ".map(e => getComputedStyle(e).textAlign)")
        assert aligns and "justify" not in aligns


def test_no_web_fonts(seed_site: Path, base: str, page) -> None:
    page.goto(base + "index.html")
    page.wait_for_load_state("networkidle")
    assert not [u for u in page.requests if u.endswith((".woff", ".woff2", ".ttf", ".otf")) or "fonts." in u]
    faces = page.evaluate("[...document.fonts].map(f => f.family)")
    assert faces == []
