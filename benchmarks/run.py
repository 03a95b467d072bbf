"""``make bench``: one table for the seeds and synthetic corpora of ~1,000 and ~10,000 articles.

Each corpus is generated and built in a fresh temp dir by the real CLI, in a child
process whose peak memory is read from getrusage; then, when Debian's chromium is
installed, search is timed in it over HTTP and from file:// (search_bench.py).
Last, the incremental rows: one more page (make_corpus.add_day: 6 stories, the newest date) is added
and the archive built again, then built once more without any change; each with wall
and CPU seconds (getrusage of the build process and its workers) and the files changed
in docs_src/ and site/ (added, removed or with other bytes than before).
Run by hand; the machine is noisy, so compare ratios within one run.

    python benchmarks/run.py [--sizes seeds,1000,10000,30000] [--no-search]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import pagefind_bench  # noqa: E402
from make_corpus import ROOT, add_day, make_corpus  # noqa: E402
from search_bench import CHROMIUM, measure_search  # noqa: E402


_CPU: list[float] = []  # CPU seconds of the last _run (user + system, the build and its workers)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(cmd: list[str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    cpu = _cpu()
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    _CPU[:] = [_cpu() - cpu]
    if result.returncode:
        raise SystemExit(result.stdout + result.stderr)
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return seconds, peak, result.stdout


def search_files(docs: Path) -> dict[str, bytes]:
    root = docs / "search"
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def new_page_changes(seeds: Path, work: Path) -> str:
    """Files of search/ that one more page (6 articles, the newest date) changes,
    adds or removes: ``changed + new (of them article texts) / files before``."""
    before = search_files(work / "docs_src")
    more = work / "seeds-plus-one"
    shutil.copytree(seeds, more)
    add_day(more)
    _run([sys.executable, "-m", "generator", "generate", "--seeds", str(more), "--docs", str(work / "docs_plus"), "-q"])
    after = search_files(work / "docs_plus")
    changed = sum(1 for k in before.keys() & after.keys() if before[k] != after[k])
    new = after.keys() - before.keys()
    gone = len(before.keys() - after.keys())
    texts = sum(1 for k in new if k.startswith("t/"))
    return f"{changed} + {len(new)} new ({texts} texts)" + (f" + {gone} removed" if gone else "") + f" / {len(before)}"


def _changed(old: Path, new: Path) -> int:
    """Files added, removed or with other bytes in ``new`` than in ``old`` (a hard-link
    copy of the previous tree: same inode, same file)."""
    def files(root: Path) -> dict[str, os.stat_result]:
        return {p.relative_to(root).as_posix(): p.stat() for p in root.rglob("*") if p.is_file()}

    before, after = files(old), files(new)
    changed = len(before.keys() ^ after.keys())
    for path in before.keys() & after.keys():
        a, b = before[path], after[path]
        if a.st_ino != b.st_ino and (a.st_size != b.st_size or (old / path).read_bytes() != (new / path).read_bytes()):
            changed += 1
    return changed


def measure_incremental(seeds: Path, work: Path, full_wall: float, full_cpu: float) -> dict[str, str]:
    """Add one page to ``seeds`` and build again, then build with no change (the site in
    ``work`` is the full build's)."""
    py = sys.executable
    build = [py, "-m", "generator", "build", "--seeds", str(seeds), "--docs", str(work / "docs_src"),
             "--site", str(work / "site"), "-q"]
    add_day(seeds)
    row: dict[str, str] = {}
    for label in ("one page added", "no change"):
        for name in ("docs_src", "site"):
            subprocess.run(["cp", "-al", str(work / name), str(work / f"{name}.before")], check=True)
        wall, _, out = _run(build)
        cpu = _CPU[0]
        docs = _changed(work / "docs_src.before", work / "docs_src")
        site = _changed(work / "site.before", work / "site")
        for name in ("docs_src", "site"):
            shutil.rmtree(work / f"{name}.before")
        pages = re.search(r"incremental: (\d+) page", out)
        site_step = f"{pages.group(1)} pages rebuilt" if pages else "full" if "(full:" in out else "nothing to do"
        row[f"{label}: wall s (% of full)"] = f"{wall:.1f} ({100 * wall / full_wall:.0f}%)"
        row[f"{label}: CPU s (% of full)"] = f"{cpu:.1f} ({100 * cpu / full_cpu:.0f}%)"
        row[f"{label}: files changed docs / site"] = f"{docs} / {site}"
        row[f"{label}: MkDocs"] = site_step
    return row


def page_rows(site: Path, articles: int) -> dict[str, str]:
    """Issue 15's rows: the site's bytes per article all-in, the largest page of any kind
    and the largest file, the per-year catalogue files, an article page's chrome."""
    from page_bytes import breakdown

    files = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*") if p.is_file()]
    pages = [f for f in files if f[1].endswith(".html")]
    size, path = max(pages)
    biggest, big_path = max(files)
    index = json.loads((site / "data" / "articles.json").read_text("utf-8"))
    years = [(e["bytes"], e["file"]) for e in index.get("files", [])] if isinstance(index, dict) else []
    articles_html = sorted((site / "articles").rglob("*.html"))[:: max(1, articles // 200)]  # a sample of 200
    chrome = [b["total"] - b.get("content", 0) for b in (breakdown(p.read_text("utf-8")) for p in articles_html)]
    return {
        "site KB per article (all-in)": f"{sum(s for s, _ in files) / articles / 1e3:.1f}",
        "largest page KB (path)": f"{size / 1e3:.1f} ({path})",
        "largest file MB (path)": f"{biggest / 1e6:.1f} ({big_path})",
        "catalogue files MB: largest (file) / all": (f"{max(years)[0] / 1e6:.2f} ({max(years)[1]}) / "
                                                         f"{sum(b for b, _ in years) / 1e6:.1f}") if years else "one file",
        "article page chrome KB (median)": f"{statistics.median(chrome) / 1e3:.1f}",
    }


def measure(label: str, seeds: Path, work: Path, search: bool = True) -> dict[str, str]:
    py = sys.executable
    gen_s, _, out = _run([py, "-m", "generator", "generate", "--seeds", str(seeds), "--docs", str(work / "docs_src"), "-q"])
    gen_cpu = _CPU[0]
    articles = int(out.split(" article(s)")[0].rsplit(" ", 1)[-1])
    shutil.rmtree(work / "docs_src")
    shutil.rmtree(work / ".docs_src.cache")  # the build below starts from nothing
    total_s, peak, out = _run([py, "-m", "generator", "build", "--seeds", str(seeds), "--docs", str(work / "docs_src"),
                               "--site", str(work / "site"), "-q"])
    total_cpu = _CPU[0]
    mk_s = float(re.search(r"^site: built into .* in ([0-9.]+)s", out, re.M).group(1))
    site = work / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = sorted(p.stat().st_size for p in (site / "articles").rglob("*.html"))
    index = [p.read_bytes() for p in (site / "search").rglob("*") if p.is_file() and p.parent.name != "t"]
    texts = [p.read_bytes() for p in (site / "search" / "t").glob("*.js")]  # passages, phrase checks
    raw = sum(map(len, index))
    packed = sum(len(gzip.compress(data, 6)) for data in index)  # per file, as a server sends them
    row = {
        "corpus": label, "articles": str(articles),
        "generate s (CPU s)": f"{gen_s:.1f} ({gen_cpu:.1f})", "articles/s": f"{articles / gen_s:.0f}",
        "mkdocs s": f"{mk_s:.1f}", "total build s": f"{total_s:.1f}", "total build CPU s": f"{total_cpu:.1f}",
        "site MB": f"{sum(p.stat().st_size for p in files) / 1e6:.1f}",
        "largest article KB": f"{pages[-1] / 1e3:.1f}", "median article KB": f"{statistics.median(pages) / 1e3:.1f}",
        "search index MB (gzip)": f"{raw / 1e6:.2f} ({packed / 1e6:.2f})",
        "index bytes/article (gzip)": f"{raw / articles:.0f} ({packed / articles:.0f})",
        "passage texts bytes/article (gzip)": f"{sum(map(len, texts)) / articles:.0f} "
                                              f"({sum(len(gzip.compress(t, 6)) for t in texts) / articles:.0f})",
        "peak MB": f"{peak:.0f}",
        "search files a new page changes": new_page_changes(seeds, work),
    }
    row.update(page_rows(site, articles))
    if search and Path(CHROMIUM).exists():
        row.update(measure_search(site))
        if pagefind_bench.PAGEFIND.exists():  # side by side: "ours / Pagefind"
            both = pagefind_bench.measure(site)
            ours, theirs = both["archive search"], both["Pagefind"]
            for key in ours:
                row[f"ours / Pagefind: {key}"] = f"{ours[key]} / {theirs[key]}"
            row["Pagefind indexing s"] = theirs["indexing s"]
    row.update(measure_incremental(seeds, work, total_s, total_cpu))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="seeds,1000,10000,30000")
    parser.add_argument("--no-search", action="store_true", help="leave out the search and Pagefind rows (no browser)")
    args = parser.parse_args()
    rows = []
    for size in args.sizes.split(","):
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            work = Path(tmp)
            if size == "seeds":  # copied: the incremental rows add a page
                seeds = work / "seeds"
                shutil.copytree(ROOT / "seeds", seeds)
            else:
                seeds = work / "seeds"
                make_corpus(seeds, int(size))
            rows.append(measure(size, seeds, work, search=not args.no_search))
            print(f"done: {size}", file=sys.stderr, flush=True)
            _table(rows, sys.stderr)  # what is measured so far, in case a big corpus is cut short
    _table(rows, sys.stdout)


def _table(rows: list[dict[str, str]], out) -> None:
    """One row per measure, one column per corpus: the table stays readable."""
    print("| measure | " + " | ".join(r["corpus"] for r in rows) + " |", file=out)
    print("| --- |" + " ---: |" * len(rows), file=out)
    for key in rows[0]:
        if key != "corpus":
            print(f"| {key} | " + " | ".join(r.get(key, "") for r in rows) + " |", file=out)
    out.flush()


if __name__ == "__main__":
    main()
