"""Hostile input in seeds/ (issue 11): links out of the folder, FIFOs, odd encodings and
file names, floods of mistakes.  Every case runs the real CLI on real files: the build
must finish, say what it did in words, and publish nothing it should not."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from generator.dates.infer import load_overrides
from generator.pages.catalogue import read_catalogue

GOOD = "测试新闻标题\n\n本报讯 记者王明报道 2024年3月5日,测试区举办了活动。\n\n活动吸引了众多市民参加。\n"


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True,
                          errors="backslashreplace", timeout=timeout)


def _seeds(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text(GOOD, encoding="utf-8")
    return seeds


def _generate(seeds: Path, timeout: float = 120) -> tuple[str, Path]:
    """Run ``generate``; return everything it printed and the docs folder, after the
    checks every hostile build must pass."""
    docs = seeds.parent / "docs_src"
    result = _cli("generate", "--seeds", str(seeds), "--docs", str(docs), "-q", timeout=timeout)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Traceback" not in out, out
    for folder in {str(seeds.parent), str(seeds.parent.resolve())}:  # no absolute path on a public page
        for page in docs.rglob("*"):
            if page.is_file():
                assert folder.encode() not in page.read_bytes(), page
    return out, docs


def _titles(docs: Path) -> list[str]:
    return [r["title"] for r in read_catalogue(docs)]


def _sources(docs: Path) -> list[str]:
    return [r["source"] for r in read_catalogue(docs)]


# --- 1. nothing but regular files inside seeds/ is read -------------------------------------

def test_symlinks_devices_and_directories_are_reported_never_followed(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    (seeds / "passwd.txt").symlink_to("/etc/passwd")
    (seeds / "inside.txt").symlink_to("good.txt")
    (seeds / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (seeds / "loop.txt").symlink_to("loop.txt")
    (seeds / "folder.txt").mkdir()
    os.mkfifo(seeds / "fifo.txt")
    out, docs = _generate(seeds, timeout=60)
    for expected in ("skipped: passwd.txt: not a regular file (symbolic link)",
                     "skipped: inside.txt: not a regular file (symbolic link)",
                     "skipped: dangling.txt: not a regular file (dangling symbolic link)",
                     "skipped: loop.txt: not a regular file (symbolic link loop)",
                     "skipped: folder.txt: not a regular file (directory)",
                     "skipped: fifo.txt: not a regular file (FIFO)"):
        assert expected in out, out
    assert "1 page(s)" in out
    assert _sources(docs) == ["good.txt"]
    passwd = Path("/etc/passwd").read_bytes().split(b"\n")[0]
    for page in docs.rglob("*"):
        assert not page.is_file() or passwd not in page.read_bytes(), page


def test_a_page_swapped_for_a_fifo_after_listing_cannot_block(tmp_path: Path) -> None:
    """The race: listed as a regular file, a FIFO when opened.  Opening is non-blocking
    and the opened file itself is checked."""
    from generator.reading.pages import read_regular

    os.mkfifo(tmp_path / "p.txt")
    started = time.perf_counter()
    got = read_regular(tmp_path / "p.txt", trust_listing=True)
    assert got == "not a regular file (FIFO)"
    assert time.perf_counter() - started < 5


# --- 2. the extension in any case ------------------------------------------------------------

def test_txt_extension_in_any_case_is_read_in_name_order(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    (seeds / "b_upper.TXT").write_text(GOOD.replace("测试新闻", "大写扩展"), encoding="utf-8")
    (seeds / "c_mixed.Txt").write_text(GOOD.replace("测试新闻", "混合扩展"), encoding="utf-8")
    (seeds / "good.TXT").write_text(GOOD.replace("测试新闻", "同名大写"), encoding="utf-8")
    (seeds / "notes.md").write_text(GOOD, encoding="utf-8")
    out, docs = _generate(seeds)
    assert "3 page(s)" in out, out
    assert _sources(docs) == ["b_upper.TXT", "c_mixed.Txt", "good.TXT"]
    # same name but for the case of the extension: one page name, so one is refused, in words
    assert "skipped: good.txt: same page name as good.TXT (differs only in the case of the extension); rename one" in out


# --- 3. pages.yaml is read like a page: never a FIFO, link, device or folder -------------------

@pytest.mark.parametrize("make, what", [
    (lambda p: os.mkfifo(p), "FIFO"),
    (lambda p: p.mkdir(), "directory"),
    (lambda p: p.symlink_to("/etc/passwd"), "symbolic link"),
    (lambda p: p.symlink_to(p.parent / "gone.yaml"), "dangling symbolic link"),
])
def test_pages_yaml_that_is_not_a_regular_file_is_ignored_in_words(tmp_path: Path, make, what: str) -> None:
    seeds = _seeds(tmp_path)
    make(seeds / "pages.yaml")
    out, docs = _generate(seeds, timeout=60)
    assert f"warning: pages.yaml: not a regular file ({what}); overrides ignored" in out, out
    assert _titles(docs) == ["测试新闻标题"]


# --- 4. UTF-16 with a BOM is text, not binary --------------------------------------------------

def test_utf16_with_bom_is_decoded_and_nul_bytes_without_it_stay_binary(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    (seeds / "le.txt").write_bytes(b"\xff\xfe" + GOOD.replace("测试新闻", "小端编码").replace("\n", "\r\n").encode("utf-16-le"))
    (seeds / "be.txt").write_bytes(b"\xfe\xff" + GOOD.replace("测试新闻", "大端编码").encode("utf-16-be"))
    (seeds / "nobom.txt").write_bytes(GOOD.encode("utf-16-le"))
    (seeds / "odd.txt").write_bytes(b"\xff\xfe" + GOOD.encode("utf-16-le") + b"\x00")
    out, docs = _generate(seeds)
    assert "note: le.txt: not UTF-8, decoded as UTF-16 (little-endian, BOM removed)" in out, out
    assert "note: be.txt: not UTF-8, decoded as UTF-16 (big-endian, BOM removed)" in out, out
    assert "skipped: nobom.txt: binary file (contains NUL bytes): not a text page" in out
    assert "skipped: odd.txt: UTF-16 BOM but invalid UTF-16 (truncated data)" in out
    assert sorted(_titles(docs)) == ["大端编码标题", "小端编码标题", "测试新闻标题"]
    pages = "".join(p.read_text("utf-8") for p in (docs / "sources").glob("*.md"))  # the 原文件 notes
    assert "UTF-16（小端序）" in pages and "UTF-16（大端序）" in pages


# --- 5./6. file names: bytes that are not UTF-8, control characters ------------------------------

def test_file_name_that_is_not_utf8_is_archived_under_an_escaped_name(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    with open(os.fsencode(seeds) + b"/\xff\xfe.txt", "wb") as f:
        f.write(GOOD.replace("测试新闻", "乱码文件名").encode("gbk"))  # GBK: a note names the file
    out, docs = _generate(seeds)
    assert r"note: \xff\xfe.txt: not UTF-8, decoded as GB18030 (GBK)" in out, out
    assert "2 page(s)" in out
    assert sorted(_sources(docs)) == [r"\xff\xfe.txt", "good.txt"]
    assert "乱码文件名标题" in _titles(docs)
    notes = "".join(p.read_text("utf-8") for p in (docs / "sources").glob("*.md"))
    assert r"\xff\xfe.txt</a>" in notes  # shown escaped in its 版面 page's 原文件 note


def test_control_and_bidi_characters_in_file_names_never_reach_the_terminal(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    (seeds / "\x1b[31mred.txt").write_bytes(GOOD.encode("gbk"))  # a note
    (seeds / "\u202eevil\x07.txt").write_bytes(b"")  # a problem
    (seeds / "pages.yaml").write_text('"\\e]0;title\\a.txt":\n  date: 2024-01-01\n', encoding="utf-8")
    out, docs = _generate(seeds)
    assert r"note: \x1b[31mred.txt: not UTF-8, decoded as GB18030 (GBK)" in out, out
    assert r"skipped: \u202eevil\x07.txt: empty file: nothing to archive" in out, out
    assert r"warning: pages.yaml:1: unknown file '\x1b]0;title\x07.txt'" in out, out
    for bad in ("\x1b", "\x07", "\u202e"):
        assert bad not in out
        for page in docs.rglob("*"):
            assert not page.is_file() or bad.encode() not in page.read_bytes(), page


# --- 7. a flood of mistakes is capped per kind, and read in linear time --------------------------

def test_fifty_thousand_unknown_entries_give_ten_warnings_and_a_count(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    (seeds / "pages.yaml").write_text("".join(f"f{i}.txt:\n  date: 2024-01-01\n" for i in range(50_000)), encoding="utf-8")
    out, docs = _generate(seeds, timeout=300)
    warnings = [line for line in out.splitlines() if line.startswith("warning: pages.yaml")]
    assert len(warnings) == 11, warnings
    assert warnings[-1] == "warning: pages.yaml: … and 49,990 more of this kind: unknown file (not in seeds/)", warnings
    assert (docs / "sources" / "index.md").stat().st_size < 20_000


def test_load_overrides_is_linear(tmp_path: Path) -> None:
    """Before: PyYAML's pure-Python composer, about 0.3 ms an entry (200,000 entries: over a
    minute); now libyaml's events, a few microseconds an entry."""
    f = tmp_path / "pages.yaml"
    f.write_text("".join(f"f{i}.txt:\n  date: 2024-01-01\n" for i in range(200_000)), encoding="utf-8")
    started = time.perf_counter()
    overrides, problems = load_overrides(f, {"f1.txt"})
    assert time.perf_counter() - started < 15
    assert list(overrides) == ["f1.txt"] and len(problems) == 199_999
    assert problems[-1].line == 399_999


# --- 8. no absolute path in what editors and readers see ------------------------------------------

def test_unreadable_pages_yaml_names_no_absolute_path(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    (seeds / "pages.yaml").write_bytes(b"good.txt:\n  newspaper: \xd5\xc5\n")  # not UTF-8
    out, docs = _generate(seeds)
    assert "warning: pages.yaml: cannot read: not UTF-8 (byte 0xd5 at line 2); overrides ignored" in out, out
    assert str(tmp_path) not in out


def test_pages_yaml_folder_error_does_not_publish_the_build_path(tmp_path: Path) -> None:
    """Before: ``cannot read: [Errno 21] Is a directory: '/abs/…/seeds/pages.yaml'`` on sources/index."""
    seeds = _seeds(tmp_path)
    (seeds / "pages.yaml").mkdir()
    out, docs = _generate(seeds)  # checks every docs file for the absolute path
    assert str(tmp_path) not in out, out
    assert "版面设定文件：不是普通文件（文件夹），未读取，设定未采用" in (docs / "sources" / "index.md").read_text("utf-8")


def test_pages_yaml_anchors_deep_nesting_and_alias_bombs(tmp_path: Path) -> None:
    f = tmp_path / "pages.yaml"
    f.write_text("a.txt: &same\n  newspaper: 锦州日报\nb.txt: *same\n", encoding="utf-8")
    overrides, problems = load_overrides(f, {"a.txt", "b.txt"})
    assert overrides["b.txt"].newspaper == "锦州日报" and not problems
    f.write_text("a.txt: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    overrides, problems = load_overrides(f, {"a.txt"})
    assert not overrides and problems[0].line == 1  # libyaml: "exceeded maximum nesting depth"; never a RecursionError
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 30))
    f.write_text(bomb + "a.txt: *a29\n", encoding="utf-8")
    started = time.perf_counter()
    overrides, problems = load_overrides(f, {"a.txt"})
    assert time.perf_counter() - started < 2 and "must be a mapping" in problems[-1].reason
    f.write_text("a.txt: *nowhere\n", encoding="utf-8")
    assert "not valid YAML (found undefined alias 'nowhere')" in load_overrides(f, {"a.txt"})[1][0].reason


def test_display_name_escapes_what_a_terminal_would_obey_and_is_idempotent() -> None:
    from generator.model import display_name

    name = "\x1b[2J\x9b\u202e\u2066\x7f\t\udcff.txt 同名\\x1b"
    shown = display_name(name)
    assert shown == r"\x1b[2J\x9b\u202e\u2066\x7f\x09\xff.txt 同名\x1b"
    assert shown.isprintable() and display_name(shown) == shown
