"""End to end: the generator on real folders, and a real MkDocs build in a temp dir."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import generate
from generator.pages.catalogue import read_catalogue

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"

EXTRA_PAGE = """新增版面测试标题

本报讯 记者王明报道 2024年3月5日,测试区举办了活动。

活动吸引了众多市民参加。
"""


def _seeds(tmp: Path) -> Path:
    seeds = tmp / "seeds"
    shutil.copytree(SEEDS, seeds, ignore=shutil.ignore_patterns("pages.yaml"))
    return seeds


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_catalogue_has_one_record_per_article(tmp_path: Path) -> None:
    docs = tmp_path / "docs_src"
    report = generate(_seeds(tmp_path), docs)
    records = read_catalogue(docs)
    assert len(records) == len(report.archive.articles) == 28
    fields = {"id", "url", "title", "kicker", "subtitle", "column", "authors", "photographers", "date",
              "date_inferred", "source", "summary", "captions", "places", "topics", "organizations", "body"}
    ids = set()
    for rec in records:
        assert fields <= rec.keys()
        assert rec["url"].startswith("articles/") and rec["url"].endswith(".html") and rec["url"].isascii()
        assert (docs / (rec["url"][: -len(".html")] + ".md")).is_file()
        assert "本报讯" not in rec["body"] and rec["body"].strip()
        ids.add(rec["id"])
    assert len(ids) == len(records)


def test_unchanged_rebuild_touches_nothing_and_new_page_keeps_urls(tmp_path: Path) -> None:
    seeds, docs = _seeds(tmp_path), tmp_path / "docs_src"
    first = generate(seeds, docs)
    urls = {a.slug for a in first.archive.articles}
    second = generate(seeds, docs)
    assert second.written == [] and second.deleted == []
    (seeds / "zzz_new.txt").write_text(EXTRA_PAGE, encoding="utf-8")
    third = generate(seeds, docs)
    assert urls < {a.slug for a in third.archive.articles}
    # only the new story and its neighbour in date order (whose "next" link changed) are rewritten
    written = [w for w in third.written if w.startswith("articles/")]
    assert len(written) == 2 and any("xin-zeng" in w for w in written)


def test_bad_files_are_reported_and_the_rest_builds(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (seeds / "gbk.txt").write_bytes(EXTRA_PAGE.encode("gbk"))
    result = _cli("generate", "--seeds", str(seeds), "--docs", str(tmp_path / "docs_src"), "-q")
    assert result.returncode == 0, result.stderr
    assert "empty.txt: empty file" in result.stderr
    assert "image.txt: binary file" in result.stderr
    assert "gbk.txt: not UTF-8, decoded as GB18030" in result.stdout
    assert "6 page(s), 29 article(s)" in result.stdout


def test_nothing_to_build_is_an_error(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "empty.txt").write_bytes(b"")
    result = _cli("generate", "--seeds", str(seeds), "--docs", str(tmp_path / "docs_src"))
    assert result.returncode == 1
    assert "nothing to build" in result.stderr and "empty.txt" in result.stderr


@pytest.mark.parametrize("argv, expected", [(["--help"], "generate"), (["build", "--help"], "--config"), (["generate", "--help"], "--seeds")])
def test_help(argv: list[str], expected: str) -> None:
    result = _cli(*argv)
    assert result.returncode == 0 and expected in result.stdout


def test_real_mkdocs_build(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    (seeds / "zzz_inject.txt").write_text(
        "<script>alert(1)</script> [x](javascript:alert(1))\n\n本报讯 记者王明报道 *强调* # 不是标题 <img src=x onerror=alert(1)>。\n",
        encoding="utf-8")
    site = tmp_path / "site"
    result = _cli("build", "--seeds", str(seeds), "--docs", str(tmp_path / "docs_src"), "--site", str(site),
                  "--config", str(ROOT / "mkdocs.yml"), "-q")
    assert result.returncode == 0, result.stderr
    records = read_catalogue(site)
    assert len(records) == 29
    for rec in records:
        assert (site / rec["url"]).is_file()
    for name in SEEDS.glob("*.txt"):
        assert (site / "sources" / "raw" / name.name).read_bytes() == name.read_bytes()
    assert (site / "index.html").is_file() and (site / "sources" / "index.html").is_file()
    inject = next(r for r in records if r["source"] == "zzz_inject.txt")
    html = (site / inject["url"]).read_text("utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and 'href="javascript' not in html
    assert "*强调*" in html
    # the navigation never lists articles: page size does not grow with the archive
    index = (site / "index.html").read_text("utf-8")
    nav = index.split('class="md-nav')[1] if 'class="md-nav' in index else ""
    assert "articles/" not in nav.split("</nav>")[0]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_side_process_renders_the_same_files(tmp_path: Path, monkeypatch) -> None:
    """Big archives render entity pages and the search index in a forked process;
    the files must be the same as rendered in one process."""
    import generator.build as build

    generate(SEEDS, tmp_path / "one")
    monkeypatch.setattr(build, "SIDE_PROCESS_ARTICLES", 1)
    generate(SEEDS, tmp_path / "two")
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert one.keys() == two.keys() and any(k.startswith("search/") for k in one)
    assert [k for k in one if one[k] != two[k]] == []
