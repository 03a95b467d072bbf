"""The search box runs a query on every input, not only on key events: a query
pasted with the mouse, committed by an IME or dictated shows results with no key
pressed (theme/partials/archive-search.html), in real Chromium, over HTTP and file://."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_site_browser import _bases

IDLE = "键入以开始搜索"


def _meta(page) -> str:
    return page.locator(".md-search-result__meta").inner_text()


def _wait_results(page) -> str:
    page.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent !== '{IDLE}'",
                           timeout=15_000)
    return _meta(page)


def _reset(page) -> None:
    box = page.locator("input.md-search__input")
    box.fill("")
    page.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent === '{IDLE}'",
                           timeout=15_000)


@pytest.mark.parametrize("mode", ["http", "file"])
def test_query_runs_without_a_key_press(mode: str, seed_site: Path, http_server, browser) -> None:
    base = _bases(seed_site, http_server)[0 if mode == "http" else 1]
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(base + "index.html")
        page.locator("label.md-search__icon, .md-search__input").first.click()
        box = page.locator("input.md-search__input")
        # fill(): one input event, no key events (as autofill or a mouse paste)
        box.fill("飞地经济")
        assert "个符合条件的结果" in _wait_results(page)
        assert page.locator(".md-search-result__link").count() >= 1
        # an IME commit or dictation: text inserted with no key events
        _reset(page)
        box.focus()
        page.keyboard.insert_text("营商环境")
        assert "个符合条件的结果" in _wait_results(page)
        # a real paste from the clipboard, with the keys pressed for it hidden from the page
        _reset(page)
        page.evaluate("""() => { for (const t of ['keydown', 'keyup', 'keypress'])
                                   window.addEventListener(t, e => { if (e.isTrusted) e.stopImmediatePropagation() }, true) }""")
        page.evaluate("navigator.clipboard.writeText('锦州港')")
        box.focus()
        page.keyboard.press("ControlOrMeta+V")
        assert box.input_value() == "锦州港"
        assert "个符合条件的结果" in _wait_results(page)
        titles = page.locator(".md-search-result__link h1, .md-search-result__link h2").all_inner_texts()
        assert any("锦州港" in t for t in titles)
    finally:
        context.close()
