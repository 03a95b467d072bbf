"""Reliability: bad input never stops the archive, nothing escapes the output folders,
builds are deterministic and atomic, front-matter round-trips, every link resolves."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build_site

from generator.cleaning.clean import normalise_punctuation
from generator.pages.catalogue import read_catalogue

GOOD = "测试新闻标题\n\n本报讯 记者王明报道 2024年3月5日,测试区举办了活动。\n\n活动吸引了众多市民参加。\n"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True, timeout=900)


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def bad_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeds = tmp_path_factory.mktemp("bad") / "seeds"
    seeds.mkdir()
    (seeds / "a_empty.txt").write_bytes(b"")
    (seeds / "b_blank.txt").write_bytes(b"  \r\n\t\n\n")
    (seeds / "c_binary.txt").write_bytes(bytes(range(256)) * 4)
    (seeds / "d_gbk.txt").write_bytes(GOOD.replace("测试新闻", "国标编码").encode("gbk"))
    (seeds / "e_bom_crlf.txt").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("测试新闻", "带签名").replace("\n", "\r\n").encode("utf-8"))
    huge = "".join(f"第{i}号大型版面标题\n\n本报讯 " + "".join(f"锦州市第{i}号项目推进第{j}阶段工作，完成投资{j % 97}亿元。"
                                                      for j in range(1200)) + "\n\n" for i in range(120))
    (seeds / "f_huge.txt").write_text(huge, encoding="utf-8")  # about 10 MB
    (seeds / "g_no_headline.txt").write_text("今年以来,全市经济运行平稳,主要指标好于预期。\n\n下一步将继续努力。\n", encoding="utf-8")
    (seeds / "h_giant_paragraph.txt").write_text("全市" + "，".join(["各项工作稳步推进"] * 5000) + "。\n", encoding="utf-8")
    (seeds / "i_同名.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "j_same_title.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "pages.yaml").write_text("d_gbk.txt:\n  date: 2024-03-06\nnot_here.txt:\n  date: 2024-01-01\n"
                                      "e_bom_crlf.txt:\n  date: 2024-02-30\n", encoding="utf-8")
    return seeds


@pytest.fixture(scope="module")
def bad_build(bad_seeds: Path) -> tuple[subprocess.CompletedProcess, Path]:
    work = bad_seeds.parent
    result = _cli("build", "--seeds", str(bad_seeds), "--docs", str(work / "docs_src"), "--site", str(work / "site"), "-q")
    return result, work


def test_bad_input_is_reported_and_the_rest_builds(bad_build) -> None:
    result, work = bad_build
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    for expected in ("a_empty.txt: empty file", "b_blank.txt: file holds only whitespace", "c_binary.txt: binary file",
                     "d_gbk.txt: not UTF-8, decoded as GB18030", "e_bom_crlf.txt: UTF-8 with BOM",
                     "pages.yaml:3: unknown file 'not_here.txt'", "pages.yaml:6: e_bom_crlf.txt: invalid date '2024-02-30'",
                     "all accounted for"):
        assert expected in out, expected
    assert "7 page(s)" in out  # 10 files, 3 refused
    assert (work / "seeds" / "f_huge.txt").stat().st_size > 10_000_000
    records = read_catalogue(work / "site")
    titles = [r["title"] for r in records]
    assert "国标编码标题" in titles and "带签名标题" in titles and titles.count("测试新闻标题") == 2
    assert next(r for r in records if r["title"] == "国标编码标题")["date"] == "2024-03-06"
    assert sum(1 for t in titles if t.endswith("号大型版面标题")) == 120
    giant = next(r for r in records if r["source"] == "h_giant_paragraph.txt")
    assert len(giant["body"]) > 40000


def test_same_title_same_day_get_distinct_stable_urls(bad_build) -> None:
    _, work = bad_build
    records = read_catalogue(work / "site")
    same = [r["url"] for r in records if r["title"] == "测试新闻标题"]
    assert len(same) == 2 and len(set(same)) == 2
    assert all(r["date"] == "2024-03-06" for r in records if r["title"] == "测试新闻标题")


def test_every_path_in_the_site_is_ascii(bad_build) -> None:
    _, work = bad_build
    for folder in (work / "site", work / "docs_src"):
        names = [p.relative_to(folder).as_posix() for p in folder.rglob("*")]
        assert names and all(n.isascii() for n in names), [n for n in names if not n.isascii()]


def test_titles_with_yaml_and_markdown_metacharacters_round_trip(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    titles = ["标题: 冒号 # 井号", "'单引号' \"双引号\"", "--- 三横", "| 表格 | 竖线", "`反引号` *星号* _下划线_",
              "[链接](javascript:alert(1))", "> 引用", "1. 有序", "<!-- 注释 -->"]
    for n, title in enumerate(titles):
        (seeds / f"p{n}.txt").write_text(f"{title}\n\n本报讯 记者王明报道 正文第{n}段。\n", encoding="utf-8")
    site = build_site(seeds, tmp_path)
    docs = tmp_path / "docs_src"
    got = []
    for md in sorted((docs / "articles").rglob("*.md")):
        front = md.read_text("utf-8").split("---\n", 2)[1]
        got.append(yaml.safe_load(front)["title"])
    expected = [normalise_punctuation(t)[0] for t in titles]  # "标题:" is cleaned to "标题："
    assert sorted(got) == sorted(expected)
    import html as _html
    import re
    for page in (site / "articles").rglob("*.html"):
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text("utf-8"), re.S).group(1)
        text = _html.unescape(re.sub(r"<[^>]+>", "", h1)).strip()
        assert text in expected, text


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    seeds = ROOT / "seeds"
    a, b = tmp_path / "a", tmp_path / "b"
    build_site(seeds, a)
    build_site(seeds, b)
    assert _tree(a / "docs_src") == _tree(b / "docs_src")
    assert _tree(a / "site") == _tree(b / "site")


def test_failed_build_leaves_previous_output_intact(tmp_path: Path) -> None:
    work = tmp_path
    seeds = work / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    build_site(seeds, work)
    before_site, before_docs = _tree(work / "site"), _tree(work / "docs_src")
    (seeds / "zz_new.txt").write_text(GOOD, encoding="utf-8")
    hook = work / "fail_hook.py"
    hook.write_text("def on_post_build(config):\n    raise RuntimeError('disk full (simulated)')\n", encoding="utf-8")
    config = work / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text("utf-8").replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    config.write_text(text + f"\nhooks:\n  - {hook}\n", encoding="utf-8")
    result = _cli("build", "--seeds", str(seeds), "--docs", str(work / "docs_src"), "--site", str(work / "site"),
                  "--config", str(config), "-q")
    assert result.returncode != 0 and "disk full (simulated)" in result.stdout + result.stderr
    assert _tree(work / "site") == before_site
    assert _tree(work / "docs_src") == before_docs
    # no staging folder left (the page cache beside docs_src/ is no staging folder)
    assert not [p for p in work.iterdir() if p.is_dir() and p.name.startswith(".") and p.name != ".docs_src.cache"]


def test_every_link_resolves_with_linkchecker(seed_site: Path, http_server) -> None:
    # linkchecker drops root privileges to "nobody": give it a world-readable copy
    copy = Path(tempfile.mkdtemp(prefix="linkcheck-"))
    try:
        shutil.copytree(seed_site, copy / "site")
        for p in [copy, *copy.rglob("*")]:
            # it keeps group root: the group bits must allow reading too
            p.chmod(p.stat().st_mode | stat.S_IRGRP | stat.S_IROTH | (stat.S_IXGRP | stat.S_IXOTH if p.is_dir() else 0))
        exe = Path(sys.executable).parent / "linkchecker"
        for url in ((copy / "site" / "index.html").as_uri(), http_server(copy / "site") + "index.html"):
            result = subprocess.run([str(exe), "--no-status", "--check-extern", url], capture_output=True, text=True,
                                    timeout=600, env={**os.environ, "LC_ALL": "C.UTF-8"})
            assert result.returncode == 0, result.stdout[-3000:]
            assert " 0 errors found" in result.stdout
            checked = int(result.stdout.split(" links in ")[1].split()[0])
            assert checked > 28 + 5 + 3, result.stdout[-500:]
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def test_github_pages_subpath_build_has_no_broken_link(tmp_path: Path, http_server, page) -> None:
    """Built with SITE_URL=https://USER.github.io/REPO/ and served under /repo/ (as Pages
    does for a project site), every link resolves, 404.html included, and search
    works from any page, its results leading to real pages under /repo/."""
    root = Path(tempfile.mkdtemp(prefix="pages-"))  # world-readable copy: linkchecker runs as nobody
    try:
        work = root / "work"
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--seeds", str(ROOT / "seeds"), "--docs", str(work / "docs_src"),
             "--site", str(root / "serve" / "repo"), "-q"],
            cwd=ROOT, capture_output=True, text=True, timeout=900, env={**os.environ, "SITE_URL": "https://user.github.io/repo/"})
        assert result.returncode == 0, result.stderr
        site = root / "serve" / "repo"
        assert "https://user.github.io/repo/index.html" in (site / "sitemap.xml").read_text("utf-8")
        assert 'href="/repo/assets/archive.css"' in (site / "404.html").read_text("utf-8")
        for p in [root, *root.rglob("*")]:
            p.chmod(p.stat().st_mode | stat.S_IRGRP | stat.S_IROTH | (stat.S_IXGRP | stat.S_IXOTH if p.is_dir() else 0))
        base = http_server(root / "serve") + "repo/"
        exe = Path(sys.executable).parent / "linkchecker"
        for start in ("index.html", "404.html"):
            check = subprocess.run([str(exe), "--no-status", base + start], capture_output=True, text=True, timeout=600)
            assert check.returncode == 0 and " 0 errors found" in check.stdout, check.stdout[-3000:]
        from test_search import _search

        for start in ("404.html", "articles/"):
            url = base + start if start.endswith(".html") else next(
                base + p.relative_to(site).as_posix() for p in sorted((site / "articles").rglob("*.html")))
            page.goto(url)
            page.locator("label.md-search__icon, .md-search__input").first.click()
            results = _search(page, "飞地")
            assert results and all(r["href"].startswith(base) for r in results), results
            assert page.request.get(results[0]["href"]).status == 200
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_pages_workflow_builds_with_the_readme_command_and_official_actions() -> None:
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    steps = [s for job in flow["jobs"].values() for s in job["steps"]]
    uses = {s["uses"].split("@")[0] for s in steps if "uses" in s}
    assert {"actions/checkout", "actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= uses
    build = next(s for s in steps if s.get("run") == "make site")
    assert "SITE_URL" in build["env"]
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
