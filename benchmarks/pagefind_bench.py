"""The archive's search beside Pagefind on the same built site, in headless Chromium
over HTTP (Pagefind needs fetch and WebAssembly, so it has no file:// column).

Pagefind (npm ``pagefind``, installed into benchmarks/node_modules by ``make bench``)
indexes the article pages of a copy of the site; then, for each engine: the index's
size per article, the time from loading index.html to the first query's results
(ten results with their text excerpt, as each engine shows them), the median time of
further queries, the bytes each query fetched, and how many documents each finds for
the queries a reader types (traditional, pinyin, typo, phrase).  Benchmark only: the
archive does not ship Pagefind.

    python benchmarks/pagefind_bench.py SITE_DIR
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

HERE = Path(__file__).parent
PAGEFIND = HERE / "node_modules" / ".bin" / "pagefind"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
FIRST = "锦州 乡村振兴"
MORE = ["飞地经济", "道岭", "项目管家", "锦州", "工资集体协商", "渔业 水质"]
RECALL = ["锦州", "錦州", "義縣", "jinzhou", "九道领", "营商坏境", "\"100万吨\"", "100万吨", "道岭"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _bytes(site: Path, urls: list[str]) -> int:
    """gzip bytes of the site's files behind the URLs (Pagefind's own files are
    compressed already and count as they are)."""
    total = 0
    for url in dict.fromkeys(urls):
        path = site / unquote(urlparse(url).path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            data = path.read_bytes()
            total += len(data) if "/pagefind/" in url and not url.endswith((".js", ".css")) \
                else len(gzip.compress(data, 6))
    return total


PF_SEARCH = """async (q) => {
  window.__pf = window.__pf || await import('./pagefind/pagefind.js')
  const r = await window.__pf.search(q)
  const top = await Promise.all(r.results.slice(0, 10).map(x => x.data()))
  return [r.results.length, top.map(d => [d.url, d.meta.title])]
}"""

# exact queries (words as printed, no variants) whose first ten results are judged:
# a result is relevant when its article has every word of the query (NFKC, lower
# case, traditional folded), in the headline, column, topics, text, captions or
# credits — from the catalogue (data/articles.json and its year files); an entity page when its name has them
EXACT = [FIRST, *MORE]


def _relevance(site: Path):
    """URL path → the article's searchable text, normalised; and the normaliser."""
    import sys

    sys.path.insert(0, str(HERE.parent))
    from generator.pages.catalogue import read_catalogue
    from generator.search.index import normalise

    texts = {}
    for r in read_catalogue(site):
        parts = [r["kicker"], r["title"], r["subtitle"], r["column"], *r["topics"], r["summary"], r["body"],
                 *(c["text"] for c in r["captions"]), *((r["sidebar"] or {}).get(k, "") for k in ("title", "text")),
                 *r["authors"], *r["photographers"], *r["organizations"]]
        texts[r["url"].removesuffix(".html")] = re.sub(r"\s+", " ", normalise("\n".join(p for p in parts if p)))
    return texts, normalise


def _precision(site: Path, results: dict[str, list[tuple[str, str]]]) -> str:
    """Precision@10 over the exact queries: relevant results / results listed (at most 10 each)."""
    texts, normalise = _relevance(site)
    hits = listed = 0
    for q, top in results.items():
        words = [normalise(w) for w in q.split()]
        for url, title in top[:10]:
            path = unquote(urlparse(url).path).lstrip("/").removesuffix(".html")
            text = texts.get(path)
            if text is None:  # an entity page: its name
                text = normalise(title)
            hits += all(w in text for w in words)
            listed += 1
    return f"{hits / listed:.2f} ({hits}/{listed})" if listed else "–"


def _ours_top(page) -> list[tuple[str, str]]:
    return [(a.get_attribute("href"), a.locator("h1, h2").first.inner_text())
            for a in page.locator(".md-search-result__link").all()[:10]]


def _ours(page, q: str) -> tuple[int, float]:
    """The archive's box, typed into as search_bench.py does: (count, seconds to results)."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent === '键入以开始搜索'")
    started = time.perf_counter()
    box.fill(q)
    box.press("End")
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent !== '键入以开始搜索'",
                           timeout=120_000, polling=10)
    seconds = time.perf_counter() - started
    page.wait_for_timeout(50)  # the line above the results is reworded just after them
    meta = page.locator(".md-search-result__meta").inner_text()
    m = re.search(r"(\d+) 个符合条件的结果", meta)
    return (int(m.group(1)) if m else (1 if "1 个" in meta else 0)), seconds


def _pagefind(page, q: str) -> tuple[int, float]:
    started = time.perf_counter()
    n = page.evaluate(PF_SEARCH, q)[0]
    return n, time.perf_counter() - started


def measure(site: Path) -> dict[str, dict[str, str]]:
    from playwright.sync_api import sync_playwright

    site = site.resolve()
    work = Path(tempfile.mkdtemp(prefix="pagefind-"))
    try:
        copy = work / "site"
        shutil.copytree(site, copy)
        started = time.perf_counter()
        subprocess.run([str(PAGEFIND), "--site", str(copy), "--glob", "articles/**/*.html",
                        "--root-selector", "article", "--force-language", "zh-cn"],
                       check=True, capture_output=True, text=True)
        index_s = time.perf_counter() - started
        articles = sum(1 for _ in (copy / "articles").rglob("*.html"))
        ours_files = [p for p in (copy / "search").rglob("*") if p.is_file()]
        pf_files = [p for p in (copy / "pagefind").rglob("*") if p.is_file()]
        ours_index = [p for p in ours_files if p.parent.name != "t"]
        out: dict[str, dict[str, str]] = {"archive search": {}, "Pagefind": {}}
        gz = lambda ps: sum(len(gzip.compress(p.read_bytes(), 6)) for p in ps)  # noqa: E731
        pf_size = sum(p.stat().st_size if p.suffix.startswith(".pf_") else len(gzip.compress(p.read_bytes(), 6))
                      for p in pf_files)
        out["archive search"]["index per article, gzip (text for passages apart)"] = \
            f"{gz(ours_index) / articles:.0f} B (+{gz([p for p in ours_files if p.parent.name == 't']) / articles:.0f} B)"
        out["Pagefind"]["index per article, gzip (text for passages apart)"] = \
            f"{sum(p.stat().st_size for p in pf_files if p.suffix != '.pf_fragment') / articles:.0f} B " \
            f"(+{sum(p.stat().st_size for p in pf_files if p.suffix == '.pf_fragment') / articles:.0f} B)"
        out["Pagefind"]["index files (all, as served)"] = f"{len(pf_files)}, {pf_size / 1e6:.2f} MB"
        out["archive search"]["index files (all, as served)"] = f"{len(ours_files)}, {gz(ours_files) / 1e6:.2f} MB"
        out["Pagefind"]["indexing s"] = f"{index_s:.1f}"
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(copy)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for engine in out:
                context = browser.new_context()
                page = context.new_page()
                urls: list[str] = []
                page.on("request", lambda req: urls.append(req.url))
                run = _pagefind if engine == "Pagefind" else _ours
                t0 = time.perf_counter()
                page.goto(base + "index.html")
                if engine != "Pagefind":
                    page.locator("label.md-search__icon, .md-search__input").first.click()
                run(page, FIRST)
                first = time.perf_counter() - t0
                first_bytes = _bytes(copy, urls)
                times, sizes = [], []
                for q in MORE:
                    seen = len(urls)
                    times.append(run(page, q)[1])
                    page.wait_for_timeout(100)
                    sizes.append(_bytes(copy, urls[seen:]))
                out[engine]["HTTP: load → first results s"] = f"{first:.2f}"
                out[engine]["KB gzip before first results (page included)"] = f"{first_bytes / 1e3:.0f}"
                out[engine]["further query s (median/max)"] = f"{statistics.median(times):.2f}/{max(times):.2f}"
                out[engine]["KB gzip per further query (median/max)"] = \
                    f"{statistics.median(sizes) / 1e3:.0f}/{max(sizes) / 1e3:.0f}"
                top = {}
                for q in EXACT:
                    if engine == "Pagefind":
                        top[q] = page.evaluate(PF_SEARCH, q)[1]
                    else:
                        run(page, q)
                        top[q] = _ours_top(page)
                out[engine]["precision@10, exact queries"] = _precision(copy, top)
                for q in RECALL:
                    out[engine][f"found: {q}"] = str(run(page, q)[0])
                context.close()
            browser.close()
        server.shutdown()
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    args = parser.parse_args()
    if not PAGEFIND.exists():
        raise SystemExit("Pagefind is not installed: npm install --prefix benchmarks")
    table = measure(args.site)
    engines = list(table)
    print("| measure | " + " | ".join(engines) + " |")
    print("| --- |" + " ---: |" * len(engines))
    for key in table[engines[0]]:
        print(f"| {key} | " + " | ".join(table[e].get(key, "") for e in engines) + " |")
    for key in table[engines[1]]:
        if key not in table[engines[0]]:
            print(f"| {key} | | {table[engines[1]][key]} |")


if __name__ == "__main__":
    main()
