"""A full MkDocs build in two processes (``generator.output.mkdocs_halves.PARALLEL_PAGES``):
the same site, byte for byte, as a build in one; the same warnings (also in strict
mode); and a failure or death of the second process stops the build with the site
left as it was.  The threshold is set low here so that the seeds' small site is built
in two processes."""

from __future__ import annotations

import logging
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

import generator.output.mkdocs as mk
import generator.output.mkdocs_halves as halves
from generator.build import build
from generator.errors import BuildError

CONFIG = ROOT / "mkdocs.yml"
SERIAL = 10**9


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class _Counting(halves.Child):
    started = 0

    def __init__(self, *args: Any) -> None:
        type(self).started += 1
        super().__init__(*args)


@pytest.fixture()
def count_children(monkeypatch: pytest.MonkeyPatch) -> type[_Counting]:
    _Counting.started = 0
    monkeypatch.setattr(mk, "Child", _Counting)
    return _Counting


def _build(work: Path, monkeypatch: pytest.MonkeyPatch, threshold: int) -> Any:
    monkeypatch.setattr(halves, "PARALLEL_PAGES", threshold)
    return build(work / "seeds", work / "docs_src", work / "site", CONFIG, clean=True)[1]


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The seeds built in full in one process, and its SiteReport."""
    work = tmp_path_factory.mktemp("serial")
    shutil.copytree(ROOT / "seeds", work / "seeds")
    with pytest.MonkeyPatch.context() as monkeypatch:
        return work, _build(work, monkeypatch, SERIAL)


def test_two_processes_build_the_same_site_as_one(serial: tuple[Path, Any], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, count_children: Any,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    ref, ref_report = serial
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    report = _build(tmp_path, monkeypatch, 1)
    assert count_children.started == 1
    assert report.mode == "full" and report.pages > 100
    assert (report.pages, report.copied, report.manifest) == (ref_report.pages, ref_report.copied, ref_report.manifest)
    site, ref_site = _tree(tmp_path / "site"), _tree(ref / "site")
    assert sorted(site) == sorted(ref_site)
    assert [k for k in site if site[k] != ref_site[k]] == []
    assert not any("dirty" in r.getMessage() for r in caplog.records)


def _break_in_child(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Page.render fails (``raise``) or kills the process (``die``), in the child only."""
    from mkdocs.structure.pages import Page

    parent, render = os.getpid(), Page.render

    def broken(self: Any, config: Any, files: Any) -> None:
        if os.getpid() != parent:
            if how == "die":
                os._exit(3)
            raise ValueError(f"cannot render {self.file.src_uri}")
        render(self, config, files)

    monkeypatch.setattr(Page, "render", broken)


@pytest.mark.parametrize("how, error, message", [
    ("raise", ValueError, r"cannot render \S+\.md"),
    ("die", BuildError, r"the second MkDocs process died \(exit status 3\)"),
])
def test_a_failure_of_the_second_process_stops_the_build(serial: tuple[Path, Any], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch, count_children: Any,
                                                         caplog: pytest.LogCaptureFixture, how: str,
                                                         error: type, message: str) -> None:
    work = tmp_path / "w"
    shutil.copytree(serial[0], work, symlinks=True)
    before = {name: _tree(work / name) for name in ("docs_src", "site")}
    _break_in_child(monkeypatch, how)
    with pytest.raises(error, match=message) as info:
        _build(work, monkeypatch, 1)
    assert count_children.started == 1
    if how == "raise":  # as in one process: MkDocs' own line naming the page, then the error
        assert isinstance(info.value.__cause__, halves.ChildTraceback) and "cannot render" in str(info.value.__cause__)
        assert any(r.levelno == logging.ERROR and r.getMessage().startswith("Error reading page ")
                   and "cannot render" in r.getMessage() for r in caplog.records)
    assert {name: _tree(work / name) for name in ("docs_src", "site")} == before  # no half site
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".") and "-new-" in p.name) == []


# ---------------------------------------------------------------------------
# warnings: hand-made docs, a nav entry and every page with a broken link or anchor,
# half the pages in each process
# ---------------------------------------------------------------------------
MINI_CONFIG = """site_name: mini
use_directory_urls: false
theme:
  name: material
plugins: []
validation:
  links:
    anchors: warn
nav:
  - 首页: index.md
  - 关于: about.md
  - 缺: gone.md
"""
DOCS = {
    "index.md": "# 首页\n\n[无](missing-index.md)\n",
    "about.md": "# 关于\n\n[无](missing-about.md)\n",
    # sorted: about, index, p1 … p6; the parent renders about, p1, p3, p5, the child the rest
    "p1.md": "# P1\n\n[有](p2.md#p2) [无锚](p2.md#nope)\n",
    "p2.md": "# P2\n\n[有](p1.md#p1) [无锚](p1.md#nope) [无](missing-2.md)\n",
    **{f"p{n}.md": f"# P{n}\n\n[无](missing-{n}.md)\n" for n in range(3, 7)},
}


def _mini(root: Path, threshold: int, strict: bool, monkeypatch: pytest.MonkeyPatch,
          caplog: pytest.LogCaptureFixture) -> tuple[Counter, str, dict[str, bytes]]:
    """Build DOCS; the warnings logged (as a multiset), the error ("" if none), the site."""
    docs, site = root / "docs", root / "site"
    for path, text in DOCS.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    site.mkdir()
    (root / "mkdocs.yml").write_text(MINI_CONFIG + ("strict: true\n" if strict else ""), encoding="utf-8")
    monkeypatch.setattr(halves, "PARALLEL_PAGES", threshold)
    caplog.clear()
    error = ""
    with caplog.at_level(logging.WARNING):
        try:
            mk.run_mkdocs(mk.load(root / "mkdocs.yml", docs, site, "mini"), "1600000000")
        except BuildError as exc:
            error = str(exc)
    return Counter(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING), error, _tree(site)


@pytest.mark.parametrize("strict", [False, True])
def test_the_second_process_warns_as_one_process_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        count_children: Any, caplog: pytest.LogCaptureFixture,
                                                        strict: bool) -> None:
    warned, error, site = _mini(tmp_path / "one", SERIAL, strict, monkeypatch, caplog)
    assert count_children.started == 0
    assert sum(warned.values()) == 10 and sum("does not contain an anchor '#nope'" in w for w in warned) == 2
    assert error == ("mkdocs build failed: Aborted with 10 warnings in strict mode!" if strict else "")
    assert (warned, error, site) == _mini(tmp_path / "two", 1, strict, monkeypatch, caplog)
    assert count_children.started == 1
