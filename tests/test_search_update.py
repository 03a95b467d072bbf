"""A day's new page changes few search files: articles are numbered oldest first
and the postings are split by document number (generator/search/index.py ``levels``), so
the newest articles land in the last small file and the older ranges stay as they
were; and the files after an update are those of a clean build of the same input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def _generate(seeds: Path, docs: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "generate", "--seeds", str(seeds), "--docs", str(docs),
                             "-q"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def _search(docs: Path) -> dict[str, bytes]:
    root = docs / "search"
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _meta(files: dict[str, bytes]) -> dict:
    return json.loads(re.search(r"\((.*)\)", files["meta.js"].decode("utf-8")).group(1))


def test_a_new_page_changes_few_search_files(tmp_path: Path) -> None:
    from make_corpus import add_day, make_corpus

    seeds = tmp_path / "seeds"
    make_corpus(seeds, 150)  # 21 pages, 147 articles, dated 2015–2022
    docs = tmp_path / "docs_src"
    _generate(seeds, docs)
    before = _search(docs)
    assert _meta(before)["articles"] == 147
    add_day(seeds)  # one more page: 6 articles dated 2024, after every other
    _generate(seeds, docs)  # the same docs folder, as a daily update
    after = _search(docs)
    assert _meta(after)["articles"] == 153
    changed = {k for k in before.keys() & after.keys() if before[k] != after[k]}
    new, gone = after.keys() - before.keys(), before.keys() - after.keys()
    assert gone == set()
    assert new == {"s/152/0.js", *(f"t/{n}.js" for n in range(147, 153))}  # the next file of newest articles, their texts
    assert changed == {
        "s/144/0.js",  # the newest articles' file (articles 144–151 now)
        "s/e/0.js",  # the entity pages' postings and names (two new entity pages)
        "d/1.js",  # the last chunk of result metadata (articles 100–152)
        "d/e0.js", "d/e1.js",  # the entity pages' metadata (their article counts)
        "f.js",  # the search page's filters (counts)
        "meta.js",  # the counts and ranges
        "v.js",  # traditional characters: the new page has characters the archive had not
    }, sorted(changed)
    levels = {name: (lo, hi, shards) for lo, hi, shards, name in _meta(after)["levels"]}
    assert levels["0-128"] == (0, 128, 55)  # the sharded range of older articles: 55 files, none rewritten
    assert all(before[k] == after[k] for k in after if k.startswith("s/0-128/"))
    # the update's files are a clean build's, byte for byte
    clean = tmp_path / "clean"
    _generate(seeds, clean)
    assert _search(clean) == after
