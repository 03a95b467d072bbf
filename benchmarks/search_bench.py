"""Search on a built site, in real headless Chromium, over HTTP and from file://.

For each way of opening the site: the time from starting to load index.html to
the first results of a first query (typed into Material's search box), the bytes
of every file the browser asked for until then (raw, and gzip as GitHub Pages
sends them), the time from typing to results for further queries, and the
memory the browser's processes grew by.  Run by hand:

    python benchmarks/search_bench.py SITE_DIR
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
FIRST = "锦州 乡村振兴"
MORE = ["飞地经济", "道岭", "项目管家", "州", "锦州", "工资集体协商", "高华庚", "渔业 水质",
        "錦州", "jinzhou", "营商坏境", "“100万吨”"]
PLACEHOLDER = "键入以开始搜索"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _chromium_rss_mb() -> float:
    """Memory of the Chromium processes this benchmark started (descendants of this
    process: Playwright's driver, then the browser): other people's browsers on a
    shared machine are not counted."""
    parent: dict[int, int] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            parent[int(pid)] = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue

    def ours(pid: int) -> bool:
        pid = parent.get(pid, 0)
        while pid > 1:
            if pid == os.getpid():
                return True
            pid = parent.get(pid, 0)
        return False

    total = 0
    for pid in parent:
        try:
            if not ours(pid) or b"chromium" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _type(page, query: str) -> float:
    """Type a query; seconds until Material shows its results."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")
    page.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent === '{PLACEHOLDER}'")
    started = time.perf_counter()
    box.fill(query)
    box.press("End")
    page.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent !== '{PLACEHOLDER}'",
                           timeout=120_000, polling=10)
    return time.perf_counter() - started


def _file_bytes(site: Path, urls: list[str]) -> tuple[int, int]:
    raw = packed = 0
    for url in dict.fromkeys(urls):
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "file"):
            continue
        path = unquote(parsed.path)
        local = Path(path) if parsed.scheme == "file" else site / path.lstrip("/")
        if local.is_dir():
            local = local / "index.html"
        if local.is_file():
            data = local.read_bytes()
            raw += len(data)
            packed += len(gzip.compress(data, 6))
    return raw, packed


def measure_search(site: Path) -> dict[str, str]:
    from playwright.sync_api import sync_playwright

    site = site.resolve()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bases = {"http": f"http://127.0.0.1:{server.server_address[1]}/", "file": site.as_uri() + "/"}
    out: dict[str, str] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for mode, base in bases.items():
            context = browser.new_context()
            page = context.new_page()
            page.goto("about:blank")
            before = _chromium_rss_mb()
            urls: list[str] = []
            page.on("request", lambda req: urls.append(req.url))
            started = time.perf_counter()
            page.goto(base + "index.html")
            page.locator("label.md-search__icon, .md-search__input").first.click()
            box = page.locator("input.md-search__input")
            box.fill(FIRST)
            box.press("End")
            page.wait_for_function("/\\d/.test(document.querySelector('.md-search-result__meta').textContent)",
                                   timeout=120_000, polling=10)
            first = time.perf_counter() - started
            raw, packed = _file_bytes(site, urls)
            later, per_query = [], []
            for q in MORE:  # the bytes each further query fetched (shards, metadata, passage texts)
                seen = len(urls)
                later.append(_type(page, q))
                page.wait_for_timeout(200)
                per_query.append(_file_bytes(site, urls[seen:])[1])
            grown = _chromium_rss_mb() - before
            out[f"{mode}: load→first results s"] = f"{first:.2f}"
            out[f"{mode}: typing→results s (median/max)"] = f"{statistics.median(later):.2f}/{max(later):.2f}"
            out[f"{mode}: KB before first result (gzip)"] = f"{raw / 1e3:.0f} ({packed / 1e3:.0f})"
            out[f"{mode}: KB gzip per further query (median/max)"] = \
                f"{statistics.median(per_query) / 1e3:.0f}/{max(per_query) / 1e3:.0f}"
            out[f"{mode}: browser memory growth MB"] = f"{grown:.0f}"
            context.close()
        browser.close()
    server.shutdown()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    args = parser.parse_args()
    for key, value in measure_search(args.site).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
