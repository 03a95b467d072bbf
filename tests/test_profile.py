"""Newspaper profiles (issue 14, points 2 and 3): everything of one paper in one folder,
chosen with ``--profile``; every settings file checked when loaded.

A second profile (tests/data/profiles/huludao: 葫芦岛日报, a seven-row gazetteer, the
column 海滨纪事 printed without pinyin) builds a site with its own places and columns,
so nothing of 锦州 is wired into the code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from generator.settings.profile import DEFAULT_PROFILE

HULUDAO = ROOT / "tests" / "data" / "profiles" / "huludao"
HULUDAO_SEEDS = ROOT / "tests" / "data" / "huludao_seeds"
JINZHOU_SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _pages(docs: Path, folder: str) -> set[str]:
    """The titles of the entity pages in ``docs/folder`` (index excluded)."""
    out = set()
    for md in (docs / folder).glob("*.md"):
        if md.name != "index.md":
            out.add(md.read_text("utf-8").split("title: ", 1)[1].split("\n", 1)[0].strip("'\""))
    return out


# --- a second newspaper -------------------------------------------------------------------

def test_second_profile_builds_its_own_site(tmp_path: Path) -> None:
    result = _cli(tmp_path, "generate", "--seeds", str(HULUDAO_SEEDS), "--docs", "docs", "--profile", str(HULUDAO), "-q")
    assert result.returncode == 0, result.stderr
    docs = tmp_path / "docs"
    assert _pages(docs, "places") == {"兴城市", "绥中县", "建昌县", "古城街道", "前所镇", "前所村", "兴城古城", "北港工业区"}
    assert _pages(docs, "topics") == {"海洋经济", "全域旅游"}
    assert "葫芦岛市文化旅游局" in _pages(docs, "organizations")  # 市文旅局: the profile's alias and prefix
    assert _pages(docs, "columns") == {"栏目：海滨纪事"}  # listed in its layout.yaml, printed without pinyin
    village = next(md for md in (docs / "places").glob("*.md") if "title: 前所村" in md.read_text("utf-8"))
    assert "上级：葫芦岛市 › " in village.read_text("utf-8")  # its root place
    assert "title: 葫芦岛日报数字档案\n" in (docs / "index.md").read_text("utf-8")
    assert "\n# 葫芦岛日报 2023年7月16日 要闻\n" in (docs / "sources" / "b_back.md").read_text("utf-8")  # its name, label
    leaked = [str(p.relative_to(docs)) for p in docs.rglob("*.md") if "锦州" in p.read_text("utf-8")]
    assert not leaked, f"锦州 in a 葫芦岛 archive: {leaked}"


def test_two_profiles_in_one_process(tmp_path: Path) -> None:
    """``generate`` twice (and back) in one process: each archive has only its own places."""
    from generator.build import generate

    jz_seeds = tmp_path / "jz"
    jz_seeds.mkdir()
    shutil.copy(JINZHOU_SEED, jz_seeds)
    generate(jz_seeds, tmp_path / "a")
    generate(HULUDAO_SEEDS, tmp_path / "b", profile=HULUDAO)
    generate(jz_seeds, tmp_path / "c", profile=DEFAULT_PROFILE)
    jinzhou, huludao, again = (_pages(tmp_path / n, "places") for n in "abc")
    assert jinzhou and jinzhou == again
    assert "兴城市" in huludao and "前所村" in huludao
    assert not jinzhou & {"兴城市", "绥中县", "前所镇", "前所村", "北港工业区"}
    assert not huludao & jinzhou
    assert _pages(tmp_path / "b", "columns") == {"栏目：海滨纪事"}
    assert "栏目：海滨纪事" not in _pages(tmp_path / "a", "columns")
    assert "title: 锦州日报数字档案\n" in (tmp_path / "c" / "index.md").read_text("utf-8")


# --- validated settings -------------------------------------------------------------------

def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# (file, text to replace, replacement, the error after "profile/<file>:<line>: ", the line's text)
MISTAKES = [
    ("layout.yaml", "\ncolumns:", "\ncolums:", "unknown key 'colums' (did you mean 'columns'?)", "colums:"),
    ("layout.yaml", "  链接: {sidebar: true}", "  链接: {sidbar: true}", "unknown key 'sidbar' (did you mean 'sidebar'?)",
     "  链接: {sidbar"),
    ("layout.yaml", "max_headline_chars: 40", "max_headline_chars: forty",
     "key 'max_headline_chars' must be a whole number, not text ('forty')", "max_headline_chars"),
    ("layout.yaml", "文并摄: [author, photographer]", "文并摄: [author, photografer]",
     "key 'credit_actions.文并摄.1': 'photografer' is not one of 'author' or 'photographer'", "文并摄:"),
    ("organizations.yaml", "\ncompany_suffixes:", "\ncompany_sufixes:",
     "unknown key 'company_sufixes' (did you mean 'company_suffixes'?)", "company_sufixes:"),
    ("organizations.yaml", "use_jieba_dictionary: true", "use_jieba_dictionary: 'yes'",
     "key 'use_jieba_dictionary' must be true or false, not text ('yes')", "use_jieba_dictionary"),
    ("places_extra.yaml", "医巫闾山: {parent: 北镇市}", "医巫闾山: {parent: 北镇县}",
     "'北镇县' names no place of the gazetteer or of this file (did you mean '北镇市'?)", "医巫闾山"),
    ("places_extra.yaml", "凌海: 凌海市", "凌海: 凌海县", "'凌海县' names no place of the gazetteer or of this file (did you mean '凌海市'?)", "凌海:"),
    ("topics.yaml", "飞地经济: {aliases:", "飞地经济: {alias:", "unknown key 'alias' (did you mean 'aliases'?)", "飞地经济:"),
    ("dates.yaml", "十三五: [2016, 2020]", "十三五: [2016]", "key 'plan_periods.十三五' must hold at least 2 item(s), not 1",
     "十三五:"),
    ("newspaper.yaml", "root_place: 锦州市", "root_place: 锦州县",
     "root place '锦州县' is not a row of the gazetteer jinzhou_gazetteer.json (a row with path [锦州县])", "root_place"),
]


@pytest.mark.parametrize("file, old, new, message, marks", MISTAKES, ids=[f"{m[0]}:{m[2]}" for m in MISTAKES])
def test_settings_mistake_stops_the_build_with_file_and_line(tmp_path: Path, file: str, old: str, new: str,
                                                              message: str, marks: str) -> None:
    profile = tmp_path / "profile"
    shutil.copytree(DEFAULT_PROFILE, profile)
    text = (profile / file).read_text("utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    (profile / file).write_text(text, encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(JINZHOU_SEED, seeds)
    result = _cli(tmp_path, "generate", "--seeds", "seeds", "--docs", "docs", "--profile", "profile", "-q")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip() == f"error: profile/{file}:{_line(text, marks)}: {message}"
    assert not (tmp_path / "docs").exists()  # stopped before any work


def test_missing_profile_folder_and_file(tmp_path: Path) -> None:
    result = _cli(tmp_path, "generate", "--seeds", str(HULUDAO_SEEDS), "--docs", "docs", "--profile", "nowhere", "-q")
    assert result.returncode == 2
    assert result.stderr.startswith("error: nowhere: profile folder not found")
    profile = tmp_path / "profile"
    shutil.copytree(HULUDAO, profile)
    (profile / "topics.yaml").unlink()
    result = _cli(tmp_path, "generate", "--seeds", str(HULUDAO_SEEDS), "--docs", "docs", "--profile", "profile", "-q")
    assert result.returncode == 2
    assert result.stderr.startswith("error: profile/topics.yaml: settings file not found (topics)")


def test_a_build_where_every_page_fails_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture) -> None:
    import generator.build as build
    from generator.cli import main

    def broken(page, lay):
        raise RuntimeError("broken segmenter")

    monkeypatch.setattr(build, "segment", broken)
    status = main(["generate", "--seeds", str(HULUDAO_SEEDS), "--docs", str(tmp_path / "docs"), "--profile", str(HULUDAO), "-q"])
    assert status == 1
    err = capsys.readouterr().err
    assert "none of the 2 page(s) could be segmented" in err and "broken segmenter" in err
    assert not (tmp_path / "docs").exists()


# --- one build context ---------------------------------------------------------------------

def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_archives_in_one_process_match_separate_builds(tmp_path: Path) -> None:
    """Two profiles' archives made side by side in one process, their stages
    interleaved, give byte for byte the trees that two separate processes give: no
    profile, index, slug or cache leaks from one build into the other."""
    from generator.build import collect, render_tree
    from generator.context import BuildContext

    for name, seeds, profile in (("jz", ROOT / "seeds", DEFAULT_PROFILE), ("hl", HULUDAO_SEEDS, HULUDAO)):
        done = _cli(ROOT, "generate", "--seeds", str(seeds), "--docs", str(tmp_path / f"alone-{name}"), "--profile", str(profile), "-q")
        assert done.returncode == 0, done.stderr
    jz, hl = BuildContext.load(DEFAULT_PROFILE), BuildContext.load(HULUDAO)
    jz_archive = collect(ROOT / "seeds", jz)
    hl_archive = collect(HULUDAO_SEEDS, hl)
    hl_files = render_tree(hl_archive, hl)
    jz_files = render_tree(jz_archive, jz)
    for name, files in (("jz", jz_files), ("hl", hl_files)):
        alone = _tree(tmp_path / f"alone-{name}")
        alone.pop(".jinzhou-archive", None)
        alone.pop(".jinzhou-tree", None)  # the key of the tree's input (incremental builds)
        assert set(files) == set(alone), (name, set(files) ^ set(alone))
        assert [p for p in files if files[p] != alone[p]] == [], name


def test_entity_urls_do_not_depend_on_processing_order() -> None:
    """Slugs are assigned once every name is known: the articles in any order give
    the same table (two names with one pinyin both get a hash, whichever came first)."""
    import random

    from generator.build import collect
    from generator.context import BuildContext
    from generator.entities.slugs import assign_entity_slugs

    ctx = BuildContext.load()
    articles = collect(ROOT / "seeds", ctx).articles
    shuffled = list(articles)
    random.Random(7).shuffle(shuffled)
    assert ctx.slugs is not None
    assert assign_entity_slugs(ctx.entities, shuffled).table == ctx.slugs.table
    assert assign_entity_slugs(ctx.entities, reversed(articles)).table == ctx.slugs.table
