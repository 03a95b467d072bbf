"""Incremental builds (issue 15 point 1): the page cache, the unchanged tree, and MkDocs'
dirty mode on a hard-link copy of the previous site.

The key test builds a sequence of changes to the seeds (a new page, an edited page, a
deleted page, a pages.yaml entry, nothing) incrementally in one folder and from
nothing in another, with the real CLI and real MkDocs, and compares every file of
docs_src/ and site/.  Before each incremental build the previous site is hard-linked
aside: its files must be the same bytes afterwards (MkDocs never wrote through a link
into the live site)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

CONFIG = ROOT / "mkdocs.yml"
EXTRA_PAGE = """新增版面测试标题

本报讯 记者王明报道 2024年3月5日,测试区举办了活动。

活动吸引了众多市民参加。
"""


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def _build(work: Path, seeds: Path, *extra: str, config: Path = CONFIG) -> subprocess.CompletedProcess:
    result = _cli("build", "--seeds", str(seeds), "--docs", str(work / "docs_src"), "--site", str(work / "site"),
                  "--config", str(config), "-q", *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "dirty" not in result.stderr, result.stderr
    return result


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def _line(result: subprocess.CompletedProcess, start: str) -> str:
    return next(line for line in result.stdout.splitlines() if line.startswith(start))


def _seeds(folder: Path) -> Path:
    shutil.copytree(ROOT / "seeds", folder, ignore=shutil.ignore_patterns("pages.yaml"))
    return folder


def _edit(path: Path) -> None:
    path.write_text(path.read_text("utf-8").replace("锦州", "锦州市", 3), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/ and a finished build of them (docs_src/, site/, the page cache)."""
    work = tmp_path_factory.mktemp("incremental")
    _build(work, _seeds(work / "seeds"))
    return work


def _copy(project: Path, to: Path) -> Path:
    shutil.copytree(project, to, symlinks=True)  # copy2: mtimes kept, as in the project
    return to


def test_incremental_builds_equal_clean_builds_byte_for_byte(project: Path, tmp_path: Path) -> None:
    work = _copy(project, tmp_path / "inc")
    seeds = work / "seeds"
    names = sorted(p.name for p in seeds.glob("*.txt"))
    steps = [
        ("add a page", lambda: (seeds / "zzz_new.txt").write_text(EXTRA_PAGE, encoding="utf-8"), "incremental"),
        ("edit a page", lambda: _edit(seeds / names[1]), "incremental"),
        ("delete a page", lambda: (seeds / names[2]).unlink(), "incremental"),
        ("a pages.yaml entry", lambda: (seeds / "pages.yaml").write_text(
            f"{names[0]}:\n  date: 2022-06-01\n  page_label: 第2版\n", encoding="utf-8"), "incremental"),
        ("no change", lambda: None, "up to date"),
    ]
    clean: dict[str, dict[str, bytes]] = {}
    for n, (step, change, mode) in enumerate(steps):
        change()
        previous = tmp_path / f"previous-{n}"
        subprocess.run(["cp", "-al", str(work / "site"), str(previous)], check=True)  # the live site's inodes
        before = _tree(previous)
        result = _build(work, seeds)
        assert mode in _line(result, "site:"), (step, result.stdout)
        assert _tree(previous) == before, f"{step}: the previous site was written to"
        if mode == "incremental":  # unchanged files are the previous site's, not copies
            old, new = _inodes(previous), _inodes(work / "site")
            assert sum(old.get(k) == v for k, v in new.items()) > len(new) // 2, step
        if step == "delete a page":  # the page cache holds the pages of the last build only
            assert len(list((work / ".docs_src.cache" / "pages").iterdir())) == 5
        if step != "no change":
            ref = tmp_path / f"clean-{n}"
            shutil.copytree(seeds, ref / "seeds")
            _build(ref, ref / "seeds")
            clean = {name: _tree(ref / name) for name in ("docs_src", "site")}
        for name in ("docs_src", "site"):
            got = _tree(work / name)
            differ = sorted(k for k in got.keys() | clean[name].keys() if got.get(k) != clean[name].get(k))
            assert differ == [], (step, name, differ[:10])
        shutil.rmtree(previous)


def test_unchanged_rebuild_writes_and_rebuilds_nothing(project: Path, tmp_path: Path) -> None:
    work = _copy(project, tmp_path / "w")
    site_inode = (work / "site").stat().st_ino
    stamps = {p: p.stat().st_mtime_ns for p in (work / "site").rglob("*") if p.is_file()}
    result = _build(work, work / "seeds")
    assert "docs: 0 file(s) written" in result.stdout and "0 removed" in result.stdout
    assert "pages: 5 from the page cache, 0 processed" in result.stdout
    assert "up to date (nothing changed)" in _line(result, "site:")
    assert (work / "site").stat().st_ino == site_inode  # not even swapped
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


def test_clean_flag_builds_everything_anew_with_the_same_output(project: Path, tmp_path: Path) -> None:
    work = _copy(project, tmp_path / "w")
    before = {name: _tree(work / name) for name in ("docs_src", "site")}
    result = _build(work, work / "seeds", "--clean")
    assert "pages: 0 from the page cache, 5 processed" in result.stdout
    assert "(full: --clean)" in _line(result, "site:")
    assert {name: _tree(work / name) for name in ("docs_src", "site")} == before


def test_corrupt_cache_entries_are_reported_and_processed_again(project: Path, tmp_path: Path) -> None:
    work = _copy(project, tmp_path / "w")
    before = {name: _tree(work / name) for name in ("docs_src", "site")}
    entries = sorted((work / ".docs_src.cache" / "pages").glob("*.pickle"))
    assert len(entries) == 5
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # torn write
    data = bytearray(entries[1].read_bytes())
    data[-50] ^= 0xFF  # a flipped bit
    entries[1].write_bytes(bytes(data))
    entries[2].write_bytes(b"\x80\x04not a pickle at all")
    (work / ".docs_src.cache" / "pages" / "stray.tmp").write_bytes(b"left by a killed build")
    result = _build(work, work / "seeds")
    assert "Traceback" not in result.stdout + result.stderr
    note = next(line for line in result.stdout.splitlines() if line.startswith("note: page cache"))
    assert "ignored 3 corrupt entries" in note and "processed again" in note, note
    assert "pages: 2 from the page cache, 3 processed" in result.stdout
    assert {name: _tree(work / name) for name in ("docs_src", "site")} == before
    assert sorted(p.name for p in (work / ".docs_src.cache" / "pages").iterdir()) == sorted(p.name for p in entries)
    again = _build(work, work / "seeds")
    assert "note: page cache" not in again.stdout and "5 from the page cache, 0 processed" in again.stdout


def _memo(result: subprocess.CompletedProcess) -> tuple[int, int]:
    """(made, taken) from the summary's render-memo part."""
    found = re.search(r"render memo: (\d+) page\(s\) or index range\(s\) made, (\d+) as in the previous build",
                      result.stdout)
    assert found, result.stdout
    return int(found.group(1)), int(found.group(2))


def test_a_new_page_renders_its_own_pages_and_takes_the_rest_from_the_memo(project: Path, tmp_path: Path) -> None:
    """The render memo (issue 15): after a day's page, the other stories' pages are the
    previous build's, and the tree equals a clean build's."""
    work = _copy(project, tmp_path / "w")
    for day, date in enumerate(("2024年3月5日", "2024年3月6日")):  # two days in a row: the memo keeps up
        (work / "seeds" / f"zzz_new{day}.txt").write_text(EXTRA_PAGE.replace("2024年3月5日", date), encoding="utf-8")
        made, taken = _memo(_build(work, work / "seeds"))
        stories = len(list((work / "docs_src" / "articles").rglob("*.md")))
        assert taken >= stories  # every old story's page at least (and 版面 pages, entities, index ranges)
        assert made < 10, (day, made, taken)  # the new story, its neighbour, its 版面, its entities, the last range
        ref = tmp_path / f"ref{day}"
        shutil.copytree(work / "seeds", ref / "seeds")
        _build(ref, ref / "seeds")
        assert _tree(work / "docs_src") == _tree(ref / "docs_src")


def test_a_page_edited_by_hand_or_a_damaged_memo_is_rendered_again(project: Path, tmp_path: Path) -> None:
    """The memo takes a page from the docs tree in place only while that file is as the
    build made it; a memo file that cannot be read is ignored, and the output is the same."""
    work = _copy(project, tmp_path / "w")
    before = _tree(work / "docs_src")
    article = sorted((work / "docs_src" / "articles").rglob("*.md"))[0]
    article.write_text(article.read_text("utf-8") + "\n手工修改\n", encoding="utf-8")
    memo = work / ".docs_src.cache" / "memo"
    (memo / "entities.pickle").write_bytes(b"\x80\x04not a pickle")
    (memo / "search.pickle").write_bytes((memo / "search.pickle").read_bytes()[:200])
    (work / "seeds" / "zzz_new.txt").write_text(EXTRA_PAGE, encoding="utf-8")
    result = _build(work, work / "seeds")
    assert "Traceback" not in result.stdout + result.stderr
    after = _tree(work / "docs_src")
    assert after[article.relative_to(work / "docs_src").as_posix()] == before[article.relative_to(work / "docs_src").as_posix()]
    (work / "seeds" / "zzz_new.txt").unlink()
    _build(work, work / "seeds")
    assert _tree(work / "docs_src") == before


def test_a_change_of_the_theme_builds_in_full(project: Path, tmp_path: Path) -> None:
    work = _copy(project, tmp_path / "w")
    shutil.copytree(ROOT / "theme", work / "theme")
    config = work / "mkdocs.yml"
    shutil.copy(CONFIG, config)
    first = _build(work, work / "seeds", config=config)
    assert "full: MkDocs, its theme, its configuration" in _line(first, "site:")  # another configuration file
    cite = work / "theme" / "partials" / "cite.html"
    cite.write_text(cite.read_text("utf-8").replace("引用本文", "引用此文"), encoding="utf-8")
    result = _build(work, work / "seeds", config=config)
    assert "full:" in _line(result, "site:") and "docs: 0 file(s) written" in result.stdout
    article = next((work / "site" / "articles").rglob("*.html")).read_text("utf-8")
    assert "引用此文" in article and "引用本文" not in article


# ---------------------------------------------------------------------------
# the MkDocs step alone, on hand-made docs: links to files that come and go, nav pages
# ---------------------------------------------------------------------------
MINI_CONFIG = """site_name: mini
use_directory_urls: false
theme:
  name: material
  features: [navigation.footer]
plugins: []
nav:
  - 首页: index.md
  - 关于: about.md
"""


def _mini_build(root: Path, docs: dict[str, str], previous: Path | None) -> tuple[Path, object]:
    """Build ``docs`` the way ``generator.build.build`` does: staged docs, a staged site
    (a hard-link copy of ``previous`` when given: incremental), the manifest."""
    from generator.output.mkdocs import (
        Changes,
        fingerprint,
        load,
        read_manifest,
        run_mkdocs,
        write_manifest,
    )
    from generator.output.tree import MARKER, link_tree

    n = len(list(root.glob("docs-*")))
    folder = root / f"docs-{n}"
    for path, text in docs.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    site = root / f"site-{n}"
    site.mkdir()
    (root / "mkdocs.yml").write_text(MINI_CONFIG, encoding="utf-8")
    cfg = load(root / "mkdocs.yml", folder, site, "mini")
    fp = fingerprint(cfg, None)  # before the run, as the build does (plugins may change their settings)
    changes = None
    if previous is not None:
        manifest = read_manifest(previous)
        assert manifest and manifest["fingerprint"] == fp
        old_docs = root / f"docs-{n - 1}"
        old = {p.relative_to(old_docs).as_posix(): p.read_bytes() for p in old_docs.rglob("*") if p.is_file()}
        files = {p: t.encode() for p, t in docs.items()}
        for path, data in files.items():  # unchanged files keep their mtime, as stage_tree's links do
            if old.get(path) == data:
                os.utime(folder / path, ns=((old_docs / path).stat().st_atime_ns, (old_docs / path).stat().st_mtime_ns))
        link_tree(previous, site, {MARKER, ".jinzhou-build.json"})
        changes = Changes([p for p in files if old.get(p) != files[p]], [p for p in old if p not in files], set(files), files,
                          manifest)
    report = run_mkdocs(cfg, "1600000000", changes)
    report.manifest.update(fingerprint=fp, docs=str(n))
    write_manifest(site, report.manifest)
    return site, report


MINI = {
    "index.md": "---\ntitle: 首页\n---\n\n# 首页\n\n[关于](about.md)\n",
    "about.md": "# 关于\n\n见[文章](a.md)与[尚无](b.md)。\n",
    "a.md": "# 文章\n\n正文。\n",
}


def _without_manifest(site: Path) -> dict[str, bytes]:
    return {k: v for k, v in _tree(site).items() if k != ".jinzhou-build.json"}


@pytest.mark.parametrize("change, rebuilt", [
    ({"b.md": "# 新页\n"}, {"b.md", "about.md"}),  # about.md linked to b.md before it existed
    ({"a.md": None}, {"about.md"}),  # about.md (unchanged) links to the deleted a.md
    ({"a.md": "# 文章\n\n新的正文。\n"}, {"a.md"}),
])
def test_pages_linking_to_files_that_come_or_go_are_rebuilt(tmp_path: Path, change: dict, rebuilt: set) -> None:
    first, _ = _mini_build(tmp_path, MINI, None)
    docs = {k: v for k, v in {**MINI, **change}.items() if v is not None}
    site, report = _mini_build(tmp_path, docs, first)
    assert report.mode == "incremental" and report.pages == len(rebuilt)
    (tmp_path / "clean").mkdir()
    clean, _ = _mini_build(tmp_path / "clean", docs, None)
    assert _without_manifest(site) == _without_manifest(clean)
    about = (site / "about.html").read_text("utf-8")
    for name in ("a", "b"):  # a link to a missing page stays .md; one to a page there is .html
        assert (f'href="{name}.md"' in about) == (f"{name}.md" not in docs), about


def test_nav_front_matter_is_part_of_the_fingerprint(tmp_path: Path) -> None:
    from generator.output.mkdocs import fingerprint, load

    (tmp_path / "mkdocs.yml").write_text(MINI_CONFIG, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()

    def fp(index: str, about: str = MINI["about.md"]) -> str:
        (docs / "index.md").write_text(index, encoding="utf-8")
        (docs / "about.md").write_text(about, encoding="utf-8")
        return fingerprint(load(tmp_path / "mkdocs.yml", docs, tmp_path / "site", "mini"), None)

    base = fp(MINI["index.md"])
    assert fp(MINI["index.md"].replace("[关于]", "新的[关于]")) == base  # the body: not in any other page
    assert fp(MINI["index.md"], "# 关于\n\n改了\n") == base
    assert fp(MINI["index.md"].replace("title: 首页", "title: 首页\nicon: material/home")) != base  # Material's nav shows it
    (tmp_path / "mkdocs.yml").write_text(MINI_CONFIG.replace("  - 关于: about.md\n", ""), encoding="utf-8")
    assert fp(MINI["index.md"]) != base  # the nav
    (tmp_path / "mkdocs.yml").write_text(MINI_CONFIG + "site_description: 新的\n", encoding="utf-8")
    assert fp(MINI["index.md"]) != base  # any setting
    (tmp_path / "mkdocs.yml").write_text(MINI_CONFIG.replace("  features", "  custom_dir: theme\n  features"),
                                         encoding="utf-8")
    (tmp_path / "theme").mkdir()
    with_theme = fp(MINI["index.md"])
    (tmp_path / "theme" / "main.html").write_text("{% extends 'base.html' %}\n", encoding="utf-8")
    assert fp(MINI["index.md"]) != with_theme  # the theme folder's files


def test_a_write_through_a_shared_link_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard behind the guard: if MkDocs ever wrote a file in place (here: the
    removal before each write is switched off), the build stops before any swap."""
    import generator.output.mkdocs as mk
    from generator.errors import BuildError

    first, _ = _mini_build(tmp_path, MINI, None)
    monkeypatch.setattr(mk, "_unlink", lambda path: None)
    with pytest.raises(BuildError, match="shared with the previous site"):
        _mini_build(tmp_path, {**MINI, "a.md": "# 文章\n\n改过的正文。\n"}, first)
