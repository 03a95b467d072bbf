"""Bounded pages on a built site (issue 15 points 2 and 3): a synthetic archive of 750
articles (benchmarks/make_corpus.py), with more than 200 articles on a place, a topic,
every column and a year, built with the real CLI and MkDocs.  Every page is at most
200 KB, every list page at most 200 entries; each paginated list holds every one of
its articles once, newest first across its pages, as many as its first page counts;
every link and anchor resolves (a crawl of every page, and LinkChecker from the home
page over file://); a new newest page of the paper changes only the first page of
each list it joins."""

from __future__ import annotations

import os
import random
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT, build_site

from generator.build import generate
from generator.pages.catalogue import read_catalogue
from generator.pages.paging import PER_PAGE

sys.path.insert(0, str(ROOT / "benchmarks"))
from make_corpus import _material, make_corpus, make_page  # noqa: E402

ARTICLES = 750
MAX_BYTES = 200_000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeds = tmp_path_factory.mktemp("paged-corpus") / "seeds"
    make_corpus(seeds, ARTICLES)
    return seeds


@pytest.fixture(scope="module")
def paged_site(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(corpus, tmp_path_factory.mktemp("paged-site"))


class _Page(HTMLParser):
    """Every href and id of a page, and the article links inside its content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.content_links: list[str] = []
        self._content = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "article":
            self._content += 1
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
            if self._content:
                self.content_links.append(a["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._content:
            self._content -= 1


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text("utf-8"))
    return page


def _entries(site: Path, page: Path, folder: str) -> list[str]:
    """The site paths of the articles (or 版面) a list page lists, in order (content only)."""
    out = []
    for href in _parse(page).content_links:
        target = (page.parent / unquote(urlsplit(href).path)).resolve()
        rel = target.relative_to(site.resolve()).as_posix() if target.is_relative_to(site.resolve()) else ""
        if rel.startswith(folder) and rel.count("/") == (3 if folder == "articles/" else 1):
            out.append(rel)
    return out


def _listing(site: Path, first: Path, folder: str = "articles/") -> list[list[str]]:
    """A paginated list's entries per page: the first page, then its numbered pages
    newest to oldest (``<list>/<n>.html``)."""
    pages = first.with_suffix("")
    numbered = sorted((p for p in pages.glob("*.html") if p.stem.isdigit()), key=lambda p: -int(p.stem)) if pages.is_dir() else []
    return [_entries(site, p, folder) for p in [first, *numbered]]


def test_every_page_is_at_most_200_kb(paged_site: Path) -> None:
    sizes = {p.relative_to(paged_site).as_posix(): p.stat().st_size for p in paged_site.rglob("*.html")}
    assert len(sizes) > ARTICLES
    assert {p: s for p, s in sizes.items() if s > MAX_BYTES} == {}


def test_big_lists_are_paginated_counted_and_newest_first(paged_site: Path) -> None:
    records = read_catalogue(paged_site)
    by_url = {r["url"]: r for r in records}
    per_column = Counter(r["column"] for r in records if r["column"])
    paged = defaultdict(list)
    lists = [p for folder in ("places", "topics", "organizations", "people", "columns") for p in (paged_site / folder).glob("*.html")
             if p.name != "index.html"]
    lists += [p for p in (paged_site / "timeline").glob("*.html") if p.stem.isdigit()]
    for first in lists + [paged_site / "sources" / "index.html"]:
        kind = first.parent.name
        pages = _listing(paged_site, first, "sources/" if kind == "sources" else "articles/")
        for entries in pages:
            assert len(entries) <= PER_PAGE, (first, len(entries))
        if len(pages) == 1:
            continue
        paged[kind].append(first.stem)
        entries = [u for links in pages for u in links]
        assert all(links for links in pages) and len(entries) == len(set(entries)), first  # each once, no empty page
        if kind == "sources":
            continue
        total = int(re.search(r"共 (\d+) 篇", first.read_text("utf-8")).group(1))
        assert len(entries) == total, first  # as many as the first page counts
        dates = [by_url[u]["date"] or "" for u in entries]
        assert dates == sorted(dates, reverse=True), first  # newest first, across the pages
        if kind == "columns":
            assert total == per_column[by_url[entries[0]]["column"]]
    assert paged["places"] and paged["topics"] and paged["columns"] and paged["timeline"], dict(paged)
    numbered = [p for p in (paged_site / "places").rglob("*.html") if p.stem.isdigit()]
    assert numbered and all(f"第 {p.stem} 页" in p.read_text("utf-8") for p in numbered)


def test_every_link_and_anchor_resolves(paged_site: Path) -> None:
    parsed = {p: _parse(p) for p in paged_site.rglob("*.html")}
    broken, checked = [], 0
    for page, info in parsed.items():
        for href in info.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("#") or page.name == "404.html":
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append((page.relative_to(paged_site).as_posix(), href))
                continue
            if parts.fragment and target.suffix == ".html" and not parts.fragment.startswith("L"):
                if parts.fragment not in parsed[target].ids:
                    broken.append((page.relative_to(paged_site).as_posix(), href))
            checked += 1
    assert broken == [] and checked > 50_000


def test_linkchecker_finds_no_broken_link(paged_site: Path) -> None:
    copy = Path(tempfile.mkdtemp(prefix="linkcheck-"))  # linkchecker runs as nobody: a world-readable copy
    try:
        shutil.copytree(paged_site, copy / "site")
        for p in [copy, *copy.rglob("*")]:
            p.chmod(p.stat().st_mode | stat.S_IRGRP | stat.S_IROTH | (stat.S_IXGRP | stat.S_IXOTH if p.is_dir() else 0))
        exe = Path(sys.executable).parent / "linkchecker"
        result = subprocess.run([str(exe), "--no-status", (copy / "site" / "index.html").as_uri()], capture_output=True,
                                text=True, timeout=900, env={**os.environ, "LC_ALL": "C.UTF-8"})
        assert result.returncode == 0 and " 0 errors found" in result.stdout, result.stdout[-3000:]
        checked = int(result.stdout.split(" links in ")[1].split()[0])
        assert checked > ARTICLES + 200, result.stdout[-500:]  # the numbered pages were reached too
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def test_a_new_page_changes_only_the_first_page_of_each_list(corpus: Path, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(corpus, seeds)
    before = generate(seeds, tmp_path / "before")
    paragraphs, halves = _material()
    (seeds / "zz_newest.txt").write_text(make_page(random.Random(7), 3, paragraphs, halves, 7), encoding="utf-8")
    newest = max(a.date for a in before.archive.articles if a.date)
    (seeds / "pages.yaml").write_text(f"zz_newest.txt:\n  date: {newest.year + 1}-01-05\n", encoding="utf-8")
    after = generate(seeds, tmp_path / "after")
    docs_before, docs_after = tmp_path / "before", tmp_path / "after"
    changed = sorted(p.relative_to(docs_before).as_posix() for p in docs_before.rglob("*.md")
                     if (docs_after / p.relative_to(docs_before)).read_bytes() != p.read_bytes())
    assert len(after.archive.articles) == len(before.archive.articles) + 7
    numbered = [p for p in changed if re.search(r"/\d+\.md$", p)]
    # a numbered page changes only when the first page above it was full and was cut
    new_numbered = {p.relative_to(docs_after).as_posix() for p in docs_after.rglob("*.md")
                    if re.search(r"/\d+\.md$", p.as_posix()) and not (docs_before / p.relative_to(docs_after)).exists()}
    relinked = {re.sub(r"/(\d+)\.md$", lambda m: f"/{int(m.group(1)) + 1}.md", p) for p in numbered}
    assert relinked <= new_numbered, numbered
    assert any(p.startswith("places/") for p in changed) and "timeline/index.md" in changed  # the lists did change
