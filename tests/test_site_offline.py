"""Static checks of the built site for offline use (no browser needed): nothing
in the shipped files points a browser outside the site folder, the navigation
stays the same small size on every page, and mkdocs.yml keeps the settings that
file:// browsing depends on. The browser-side checks (requests recorded in real
Chromium over HTTP and file://) are in test_site_browser.py."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

FORBIDDEN = re.compile(r"fonts\.googleapis|fonts\.gstatic|unpkg\.com|cdn\.jsdelivr|cdnjs\.cloudflare")
# Material's bundle carries two fallbacks that load from unpkg.com, and neither can run here:
# a ResizeObserver polyfill (only in browsers without ResizeObserver: every browser since
# 2020 has it) and mermaid.js (only on a page with a mermaid diagram; the generator never
# writes one, see test_no_page_triggers_a_remote_script). Any other outside URL fails.
DORMANT = {"https://unpkg.com/resize-observer-polyfill", "https://unpkg.com/mermaid@11/dist/mermaid.min.js"}
# <link rel=...> values that make the browser fetch something (canonical, next, prev... do not)
FETCHING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload",
                 "prefetch", "preconnect", "dns-prefetch", "manifest", "mask-icon"}


def _is_outside(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http:", "https:", "//", "ftp:"))


class _Refs(HTMLParser):
    """Every URL in an HTML page that the browser would request on load, plus the primary nav links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fetched: list[str] = []
        self.nav_links: list[str] = []
        self._nav_depth = 0  # >0 inside the primary navigation
        self._secondary = 0  # >0 inside a table of contents (md-nav--secondary) within it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "img", "iframe", "embed", "source", "video", "audio", "track", "input"):
            if a.get("src"):
                self.fetched.append(a["src"])
        if tag in ("img", "source") and a.get("srcset"):
            self.fetched += [part.split()[0] for part in a["srcset"].split(",") if part.strip()]
        if tag == "object" and a.get("data"):
            self.fetched.append(a["data"])
        if tag == "video" and a.get("poster"):
            self.fetched.append(a["poster"])
        if tag == "link" and set(a.get("rel", "").lower().split()) & FETCHING_RELS:
            self.fetched.append(a.get("href", ""))
        if "style" in a:
            self.fetched += re.findall(r"url\(\s*['\"]?([^'\")]+)", a["style"])
        if tag == "nav":
            classes = a.get("class", "").split()
            if self._nav_depth:
                self._nav_depth += 1
                if "md-nav--secondary" in classes or self._secondary:
                    self._secondary += 1
            elif "md-nav--primary" in classes:
                self._nav_depth = 1
        if tag == "a" and self._nav_depth and not self._secondary:
            href = a.get("href", "")
            if href and not href.startswith("#"):
                self.nav_links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1
            if self._secondary:
                self._secondary -= 1


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _refs(page: Path) -> _Refs:
    parser = _Refs()
    parser.feed(page.read_text("utf-8"))
    return parser


def test_no_html_page_loads_anything_from_outside(seed_site: Path) -> None:
    bad = {}
    for page in _pages(seed_site):
        refs = _refs(page)
        outside = [u for u in refs.fetched if _is_outside(u)]
        # inline <style> blocks and @import in the page
        html = page.read_text("utf-8")
        outside += [u for u in re.findall(r"@import\s+(?:url\()?['\"]?([^'\");\s]+)", html) if _is_outside(u)]
        if outside:
            bad[str(page.relative_to(seed_site))] = outside
        # every local reference resolves inside the site folder
        for url in refs.fetched:
            if _is_outside(url) or url.startswith(("data:", "blob:", "#")) or not url:
                continue
            path = url.split("?")[0].split("#")[0]
            # 404.html is served for any missing URL, so MkDocs makes its links root-absolute
            # (/assets/...; under SITE_URL's path when set): resolve those from the site root
            base = seed_site if path.startswith("/") and page.name == "404.html" else page.parent
            target = (base / path.lstrip("/")).resolve()
            assert target.is_relative_to(seed_site.resolve()) and target.is_file(), (page, url)
    assert bad == {}


def test_no_shipped_file_names_a_font_or_script_cdn(seed_site: Path) -> None:
    hits = {}
    for path in seed_site.rglob("*"):
        if path.suffix not in (".html", ".css", ".js", ".json", ".svg") or path.name.endswith(".map"):
            continue
        text = path.read_text("utf-8", errors="replace")
        for m in FORBIDDEN.finditer(text):
            url = re.match(r"[^\s\"'`)]*", text[text.rfind("http", 0, m.start()):]).group(0)
            if path.suffix == ".js" and path.parent.name == "javascripts" and url in DORMANT:
                continue
            hits.setdefault(str(path.relative_to(seed_site)), []).append(url)
    assert hits == {}
    for css in seed_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text("utf-8")):
            assert not _is_outside(url), (css, url)


def test_search_shim_is_the_local_copy(seed_site: Path) -> None:
    html = (seed_site / "index.html").read_text("utf-8")
    assert '<script src="assets/iframe-worker-shim.js"></script>' in html
    assert (seed_site / "assets" / "iframe-worker-shim.js").is_file()
    assert (seed_site / "search" / "search_index.js").is_file()  # Material's file:// highlighter config
    assert (seed_site / "assets" / "javascripts" / "archive-search.js").is_file()
    assert '<script src="assets/javascripts/archive-head.js"></script>' in html  # Material's config, shared
    head = (seed_site / "assets" / "javascripts" / "archive-head.js").read_text("utf-8")
    assert 'search: new URL("assets/javascripts/archive-search.js", root).href' in head  # the worker Material starts
    assert '"search.result.none": ' + json.dumps("没有找到符合条件的结果") in head and "{{" not in head  # rendered, Chinese
    assert not (seed_site / "assets" / "javascripts" / "lunr").exists()  # Material's search is not shipped
    assert not (seed_site / "assets" / "javascripts" / "workers").exists()


def test_no_page_triggers_a_remote_script(seed_site: Path) -> None:
    """The bundle's mermaid loader (unpkg.com) runs only for mermaid diagrams: there must be none."""
    for page in _pages(seed_site):
        html = page.read_text("utf-8")
        assert 'class="mermaid' not in html and "language-mermaid" not in html, page


def test_navigation_is_small_and_the_same_on_every_page(seed_site: Path) -> None:
    sizes = {}
    for page in _pages(seed_site):
        links = _refs(page).nav_links
        if not links:  # e.g. 404.html has the nav too; a page without any would be odd
            continue
        assert not any("articles/" in href for href in links), page
        sizes[str(page.relative_to(seed_site))] = len(links)
    assert sizes, "no page has a primary navigation"
    assert len(set(sizes.values())) == 1, sizes
    assert next(iter(sizes.values())) <= 12  # a handful of index pages, whatever the archive size


def _config(env: dict[str, str], docs: Path):
    from mkdocs.config import load_config

    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs))  # docs_src/ is generated
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_config_keeps_offline_settings(tmp_path: Path) -> None:
    config = _config({}, tmp_path)
    assert config.use_directory_urls is False
    assert config.theme["font"] is False
    assert config.theme["language"] == "zh-CN"
    assert "assets/archive.css" in config.extra_css
    assert "search" not in config.plugins and "material/search" not in config.plugins  # the archive's own search
    assert all(not _is_outside(p) for p in config.extra.get("polyfills", []))
    assert any("iframe-worker" in p for p in config.extra.get("polyfills", []))
    assert all(not _is_outside(s) for s in list(config.extra_css) + [str(s) for s in config.extra_javascript])
    assert [list(item.values())[0] for item in config.nav][0] == "index.md"
    assert "sources/index.md" in [list(item.values())[0] for item in config.nav]


@pytest.mark.parametrize("value", ["", "https://example.github.io/jinzhou/"])
def test_site_url_comes_from_the_environment(value: str, tmp_path: Path) -> None:
    assert (_config({"SITE_URL": value}, tmp_path).site_url or "") == value
