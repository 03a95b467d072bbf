"""Issue 11: the build never destroys its inputs, leaves whole trees after any kill,
cleans up after a dead build, runs under any locale and answers every failure a user
can cause with one line and a documented exit status (README: Exit statuses)."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

PAGE = "{title}\n\n本报讯 记者王明报道 2024年3月{day}日,测试区举办了{title}活动。\n\n活动吸引了众多市民参加。\n"
CONFIG = str(ROOT / "mkdocs.yml")


def _seeds(folder: Path, titles: tuple[str, ...] = ("测试新闻标题", "第二条新闻")) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n, title in enumerate(titles, 1):
        (folder / f"p{n:03d}.txt").write_text(PAGE.format(title=title, day=n % 28 + 1), encoding="utf-8")
    return folder


def _run(*args: str, cwd: Path, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, **(env or {})}, **kw)


def _build(work: Path, seeds: Path, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return _run("build", "--seeds", str(seeds), "--docs", "docs_src", "--site", "site", "--config", CONFIG, "-q",
                cwd=work, env=env, **kw)


def _tree(folder: Path) -> dict[str, str]:
    """Every file's digest; the page cache (.docs_src.cache/) is left out: it is no
    output, and a build that fails keeps the entries of the pages it processed."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".docs_src.cache" not in p.relative_to(folder).parts}


def _leftovers(folder: Path) -> list[Path]:
    """Hidden folders a build left beside its outputs (staging, old trees), but the page cache."""
    return [p for p in folder.iterdir() if p.is_dir() and p.name.startswith(".") and p.name != ".docs_src.cache"]


def _one_error_line(result: subprocess.CompletedProcess) -> str:
    """The whole of what a failed build says: one ``error:`` line, no traceback."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with seeds/ and a finished build (docs_src/, site/)."""
    work = tmp_path_factory.mktemp("project")
    _seeds(work / "seeds")
    assert _build(work, work / "seeds").returncode == 0
    return work


# --- 2. the build never deletes its own inputs --------------------------------
@pytest.mark.parametrize("args, says", [
    (["--site", "."], "site folder '.' is the current folder"),
    (["--docs", "."], "docs folder '.' is the current folder"),
    (["--site", "seeds"], "site folder 'seeds' is the seeds folder"),
    (["--docs", "seeds"], "docs folder 'seeds' is the seeds folder"),
    (["--site", "seeds/out"], "is inside the seeds folder"),
    (["--docs", "site/docs"], "docs folder 'site/docs' is inside the site output folder"),
    (["--site", "docs_src"], "docs folder 'docs_src' is the site output folder"),
    (["--site", ".."], "contains the current folder"),
    (["--site", "keep"], "'keep' exists and was not written by this generator"),
    (["--site", "home"], "site folder 'home' is the home folder"),
])
def test_outputs_that_would_destroy_inputs_are_refused(tmp_path: Path, args: list[str], says: str) -> None:
    work = tmp_path / "project"
    _seeds(work / "seeds")
    (work / "keep").mkdir()
    (work / "keep" / "thesis.tex").write_text("mine", encoding="utf-8")
    (work / "home").mkdir()
    before = _tree(tmp_path)
    defaults = {"--seeds": "seeds", "--docs": "docs_src", "--site": "site"}
    defaults.update(dict(zip(args[::2], args[1::2])))
    argv = [x for kv in defaults.items() for x in kv]
    result = _run("build", *argv, "--config", CONFIG, "-q", cwd=work, env={"HOME": str(work / "home")})
    assert result.returncode == 2
    assert says in _one_error_line(result)
    assert _tree(tmp_path) == before and sorted(p.name for p in work.iterdir()) == ["home", "keep", "seeds"]


# --- 4. site/ readable by a web server running as another user ------------------
@pytest.mark.parametrize("umask, dirs, files", [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_output_modes_follow_the_umask(tmp_path: Path, umask: int, dirs: int, files: int) -> None:
    _seeds(tmp_path / "seeds")
    result = _build(tmp_path, tmp_path / "seeds", preexec_fn=lambda: os.umask(umask))
    assert result.returncode == 0, result.stderr
    for root in (tmp_path / "site", tmp_path / "docs_src"):
        modes = {p: stat.S_IMODE(p.stat().st_mode) for p in [root, *root.rglob("*")]}
        assert {oct(m) for p, m in modes.items() if p.is_dir()} == {oct(dirs)}, root
        assert {oct(m) for p, m in modes.items() if p.is_file()} == {oct(files)}, root


# --- 5. one line, never a traceback ---------------------------------------------
def test_dates_from_1900_to_2100_build(tmp_path: Path) -> None:
    import gzip

    seeds = _seeds(tmp_path / "seeds", ("旧报新闻", "未来新闻", "世纪初新闻", "远古新闻", "更远的未来"))
    (seeds / "pages.yaml").write_text("p001.txt: {date: 1950-05-01}\np002.txt: {date: 2100-12-31}\n"
                                      "p003.txt: {date: 1900-01-01}\np004.txt: {date: 0001-01-01}\n"
                                      "p005.txt: {date: 2107-05-01}\n", encoding="utf-8")
    result = _build(tmp_path, seeds)
    assert result.returncode == 0, result.stderr
    assert gzip.decompress((tmp_path / "site" / "sitemap.xml.gz").read_bytes()).startswith(b"<?xml")
    assert list((tmp_path / "site" / "articles" / "1950" / "05").glob("*.html"))
    assert list((tmp_path / "site" / "articles" / "2100" / "12").glob("*.html"))


def test_full_disk_is_one_line_and_keeps_the_previous_output(built: Path, tmp_path: Path) -> None:
    """A write the OS refuses (here: the file-size limit, EFBIG, the same path as ENOSPC)."""
    work = tmp_path / "w"
    shutil.copytree(built, work, symlinks=True)
    (work / "seeds" / "p100.txt").write_text(PAGE.format(title="新来的新闻", day=9), encoding="utf-8")
    before = _tree(work)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = _build(work, work / "seeds", preexec_fn=limit)
    assert result.returncode == 1
    line = _one_error_line(result)
    assert "File too large" in line and "nothing changed" in line
    assert _tree(work) == before
    assert not _leftovers(work)


def _many_pages(folder: Path, n: int = 160) -> Path:
    """Enough pages for the build to use worker processes and take a few seconds."""
    return _seeds(folder, tuple(f"第{i}号新闻标题" for i in range(n)))


def test_ctrl_c_is_one_line_exit_130_and_changes_nothing(built: Path, tmp_path: Path) -> None:
    work = tmp_path / "w"
    shutil.copytree(built, work, symlinks=True)
    _many_pages(work / "seeds")
    before = _tree(work)
    # Ctrl-C as in a terminal: a test runner started in the background (``make test &``)
    # passes SIGINT on ignored, and the build would never see it
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--seeds", "seeds", "--config", CONFIG],
                            cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _wait_for_children(proc.pid, 1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("interrupted: nothing changed")
    assert _tree(work) == before
    assert not _leftovers(work)


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _wait_for_children(pid: int, n: int, timeout: float = 60) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = _children(pid)
        if len(kids) >= n:
            return kids
        time.sleep(0.05)
    raise AssertionError(f"the build started fewer than {n} worker process(es)")


@pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2, reason="needs /proc and 2 cores")
def test_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    seeds = _many_pages(tmp_path / "seeds")
    proc = subprocess.Popen([sys.executable, "-m", "generator", "generate", "--seeds", str(seeds), "--docs", "docs_src", "-q"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = _wait_for_children(proc.pid, 2)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() and _alive(w) for w in workers):
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)]


def _alive(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except OSError:
        return False


# --- 6/7. atomic output, locks, leftovers ---------------------------------------
def test_two_builds_at_once_both_succeed(built: Path, tmp_path: Path) -> None:
    work = tmp_path / "w"
    shutil.copytree(built, work, symlinks=True)
    (work / "seeds" / "p100.txt").write_text(PAGE.format(title="并发新闻", day=3), encoding="utf-8")
    argv = [sys.executable, "-m", "generator", "build", "--seeds", "seeds", "--config", CONFIG, "-q"]
    procs = [subprocess.Popen(argv, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    assert any("another build is writing" in err for _, err in results)
    reference = tmp_path / "ref"
    shutil.copytree(work / "seeds", reference / "seeds")
    assert _build(reference, reference / "seeds").returncode == 0
    assert _tree(work / "site") == _tree(reference / "site") and _tree(work / "docs_src") == _tree(reference / "docs_src")


def test_leftovers_of_a_dead_build_are_cleaned_and_an_old_tree_restored(built: Path, tmp_path: Path) -> None:
    work = tmp_path / "w"
    shutil.copytree(built, work, symlinks=True)
    reference = _tree(work / "site")
    (work / ".docs_src-new-abc123").mkdir()
    (work / ".docs_src-new-abc123" / "big.bin").write_bytes(b"x" * 1000)
    (work / "site").rename(work / ".site-old")  # killed between the two renames of a swap
    result = _build(work, work / "seeds")
    assert result.returncode == 0, result.stderr
    assert "restored the previous tree" in result.stderr and "removed .docs_src-new-abc123" in result.stderr
    assert _tree(work / "site") == reference
    assert not _leftovers(work)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2-exchange", "two-renames"])
def test_a_kill_at_any_step_of_the_final_phase_leaves_old_or_new_output(built: Path, tmp_path: Path, exchange: bool) -> None:
    """Fault injection: SIGKILL at each step of the swap; every tree is then the
    previous build's or the new one's, whole (after the next build's recovery when
    the filesystem cannot exchange folders)."""
    from generator.output.tree import recover

    old = {name: _tree(built / name) for name in ("docs_src", "site")}
    new_seeds = tmp_path / "new-seeds"
    shutil.copytree(built / "seeds", new_seeds)
    (new_seeds / "p100.txt").write_text(PAGE.format(title="新版面新闻", day=5), encoding="utf-8")
    ref = tmp_path / "ref"
    ref.mkdir()
    assert _build(ref, new_seeds).returncode == 0
    new = {name: _tree(ref / name) for name in ("docs_src", "site")}
    assert old != new
    env = {} if exchange else {"JINZHOU_ARCHIVE_NO_EXCHANGE": "1"}
    step, outcomes = 0, set()
    while True:
        step += 1
        work = tmp_path / f"kill-{step}"
        shutil.copytree(built, work, symlinks=True)
        result = _build(work, new_seeds, env={**env, "JINZHOU_ARCHIVE_KILL_AT_STEP": str(step)})
        if result.returncode == 0:
            break
        assert result.returncode == -signal.SIGKILL, result.stderr
        for name in ("docs_src", "site"):
            if not exchange:
                recover(work / name)  # what the next build does first
            tree = _tree(work / name)
            assert tree in (old[name], new[name]), (step, name)
            outcomes.add((name, "new" if tree == new[name] else "old"))
    assert step > 4 and {("docs_src", "old"), ("docs_src", "new"), ("site", "old"), ("site", "new")} <= outcomes
    assert {name: _tree(work / name) for name in new} == new


# --- 5. any locale ------------------------------------------------------------------
def _locale_env(folder: Path, name: str) -> dict[str, str]:
    """A non-UTF-8 locale compiled into ``folder`` (glibc reads it through LOCPATH)."""
    source, charmap = name.split(".")
    folder.mkdir(exist_ok=True)
    made = subprocess.run(["localedef", "-i", source, "-f", charmap, str(folder / name)], capture_output=True)
    if not (folder / name).exists():
        pytest.skip(f"cannot compile the {name} locale (Debian package locales): {made.stderr[-200:]!r}")
    return {"LOCPATH": str(folder), "LC_ALL": name, "LANG": name, "PYTHONUTF8": "", "PYTHONIOENCODING": ""}


@pytest.mark.parametrize("name", ["en_US.ISO-8859-1", "zh_CN.GB18030"])
def test_any_locale_builds_the_same_site(built: Path, tmp_path: Path, name: str) -> None:
    work = tmp_path / "w"
    shutil.copytree(built, work, symlinks=True)
    (work / "seeds" / "锦州新闻.txt").write_text(PAGE.format(title="锦州新闻标题", day=7), encoding="utf-8")
    env = _locale_env(tmp_path / "locales", name)
    result = _build(work, work / "seeds", env=env)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "3 page(s), 3 article(s)" in result.stdout
    reference = tmp_path / "ref"
    shutil.copytree(work / "seeds", reference / "seeds")
    assert _build(reference, reference / "seeds", env={"LC_ALL": "C.UTF-8"}).returncode == 0
    assert _tree(work / "site") == _tree(reference / "site")
