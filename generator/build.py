"""The build: seeds → articles → Markdown tree → MkDocs site.

Every stage runs in memory first; files are written only once everything is
rendered, and only where their content changed.  The MkDocs site is built into a
fresh folder beside the old one and swapped in at the end, so a build that fails
midway leaves the previous ``docs_src/`` and ``site/`` as they were.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .cleaning import clean_page
from .config import DATA_DIR
from .conservation import Balance, balance
from .entity_pages import entity_pages
from .linking import attach_entities, attach_related, register_entities
from .metadata import article_path, assign_slugs, catalogue_record, raw_path, source_path
from .model import Article, Problem, SourcePage, cap_problems
from .reading import read_pages
from .rendering import page_log_counts, render_article, render_home, render_source, render_sources_index
from .search import archive_index, page_words
from .segmenting import PageLayout, segment
from .timeline import neighbours, timeline_pages

SITE_TITLE = "锦州日报数字档案"
PAGES_PER_WORKER = 40  # below this many pages per core, starting processes costs more than it saves
ASSETS_DIR = DATA_DIR.parent / "assets"
# Material's own search worker and lunr (1.2 MB): the archive's search replaces them
UNUSED_THEME_FILES = ("assets/javascripts/workers", "assets/javascripts/lunr")


class BuildError(Exception):
    """Nothing could be built (e.g. no readable page at all)."""


@dataclass
class PageResult:
    page: SourcePage
    layout: PageLayout | None
    failed: str = ""
    date: _dt.date | None = None
    date_inferred: bool = True
    confidence: float = 0.0
    evidence: list[dict[str, Any]] = field(default_factory=list)
    reasoning: str = ""
    words: str = ""  # jieba's words of the page's articles, space-separated (search word list)


@dataclass
class Archive:
    pages: list[PageResult]
    problems: list[Problem]
    notes: list[str]
    balances: list[Balance] = field(default_factory=list)

    @property
    def articles(self) -> list[Article]:
        return [a for p in self.pages if p.layout for a in p.layout.articles]


@dataclass
class GenerateReport:
    archive: Archive
    written: list[str]
    unchanged: int
    deleted: list[str]
    seconds: float


# progress(done, total, what): ``total`` 0 for a stage without a count
Progress = Callable[[int, int, str], None]


def _silent(done: int, total: int, what: str) -> None:
    pass


def _date_page(result: PageResult, override: _dt.date | None) -> None:
    """Fill the page's date: the editor's override, else the inference."""
    from .dates import infer_page_date

    inference = infer_page_date(result.page.text)
    result.confidence = inference.confidence
    result.reasoning = inference.reasoning
    result.evidence = [
        {"line": ev.line, "text": ev.text, "kind": ev.kind, "meaning": ev.meaning} for ev in inference.evidence
    ]
    if override is not None:
        result.date, result.date_inferred, result.confidence = override, False, 1.0
    else:
        result.date, result.date_inferred = inference.date, True


@dataclass
class _PageWork:
    """What one worker process returns for one page."""

    result: PageResult
    balance: Balance | None = None
    problems: list[Problem] = field(default_factory=list)


def process_page(page: SourcePage, override_date: _dt.date | None) -> _PageWork:
    """Segment, clean, check, date and link one page.  Pure per page, so pages can
    run in parallel; the only cross-page steps (slugs, related) come after."""
    try:
        layout = clean_page(segment(page))
    except Exception as exc:  # a page we cannot parse must not stop the archive
        return _PageWork(PageResult(page, None, failed=f"{type(exc).__name__}: {exc}"), None, [Problem(
            page.name, None, f"could not be segmented ({type(exc).__name__}: {exc}); raw text kept on its 版面 page", fatal=False)])
    work = _PageWork(PageResult(page, layout), balance(page.text, layout))
    if not layout.articles:
        work.problems.append(Problem(page.name, 1, "no article found on this page; raw text kept on its 版面 page", fatal=False))
    _date_page(work.result, override_date)
    for art in layout.articles:
        art.date, art.date_inferred = work.result.date, work.result.date_inferred
        attach_entities(art)
    work.result.words = page_words(layout.articles)
    return work


def _process_all(pages: list[SourcePage], dates: list[_dt.date | None], progress: Progress) -> list[_PageWork]:
    """Run ``process_page`` over all pages, on every core when there are enough pages."""
    workers = min(os.cpu_count() or 1, max(1, len(pages) // PAGES_PER_WORKER))
    if workers == 1:
        out = []
        for n, (page, date) in enumerate(zip(pages, dates), 1):
            progress(n, len(pages), page.name)
            out.append(process_page(page, date))
        return out
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        out = []
        for n, work in enumerate(pool.map(process_page, pages, dates, chunksize=8), 1):
            progress(n, len(pages), f"pages on {workers} processes")
            out.append(work)
        return out


def collect(seeds: Path, progress: Progress = _silent) -> Archive:
    """Read, segment, clean, date and link every page; problems are collected, not raised."""
    from .dates import load_overrides

    read = read_pages(seeds)
    problems = list(read.problems)
    notes = list(read.notes)
    overrides: dict[str, Any] = {}
    overrides_file = seeds / "pages.yaml"
    if os.path.lexists(overrides_file):  # a dangling link or a FIFO too: load_overrides says why it is ignored
        overrides, override_problems = load_overrides(overrides_file, {p.name for p in read.pages} | {p.file for p in read.problems})
        problems.extend(override_problems)
    for page in read.pages:
        ov = overrides.get(page.name)
        if ov is not None:
            page.newspaper, page.page_label = ov.newspaper or "", ov.page_label or ""
    dates = [overrides[p.name].date if p.name in overrides else None for p in read.pages]
    pages: list[PageResult] = []
    balances: list[Balance] = []
    for work in _process_all(read.pages, dates, progress):
        problems.extend(work.problems)
        pages.append(work.result)
        if work.balance is None:
            continue
        balances.append(work.balance)
        if not work.balance.ok:
            lost = "".join(sorted(work.balance.missing.elements()))[:60]
            raise BuildError(f"{work.result.page.name}: {sum(work.balance.missing.values())} character(s) lost without a reason "
                             f"during segmentation/cleaning: {lost!r} — this is a bug, please report it with the file")
    archive = Archive(pages, cap_problems(problems), notes, balances)
    register_entities(archive.articles)
    assign_slugs(archive.articles)
    attach_related(archive.articles)
    return archive


_SIDE_ARCHIVE: Archive | None = None  # what a forked side process reads (inherited, never pickled)
SIDE_PROCESS_ARTICLES = 2000  # below this, forking costs more than it saves


def _side_files(archive: Archive | None = None) -> dict[str, bytes]:
    """Entity pages and the search index: a third of the rendering time, and
    independent of the other pages, so big archives render them in a second
    process while this one renders the articles."""
    archive = archive or _SIDE_ARCHIVE
    files = {path: text.encode("utf-8") for path, text in entity_pages(archive.articles).items()}
    files.update(archive_index(archive.articles, (p.words for p in archive.pages)))
    return files


def _beside(archive: Archive) -> Callable[[], dict[str, bytes]]:
    """Start ``_side_files`` in a forked process when the archive is big and there
    is a second core; return the function that waits for its files."""
    import multiprocessing

    if (len(archive.articles) < SIDE_PROCESS_ARTICLES or (os.cpu_count() or 1) < 2
            or "fork" not in multiprocessing.get_all_start_methods()):
        return lambda: _side_files(archive)
    from concurrent.futures import ProcessPoolExecutor

    global _SIDE_ARCHIVE
    _SIDE_ARCHIVE = archive
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    future = pool.submit(_side_files)

    def result() -> dict[str, bytes]:
        global _SIDE_ARCHIVE
        try:
            return future.result()
        finally:
            pool.shutdown()
            _SIDE_ARCHIVE = None

    return result


def render_tree(archive: Archive) -> dict[str, bytes]:
    """Every file of docs_src/, as docs-relative path → bytes."""
    files: dict[str, bytes] = {}

    def put(path: str, text: str) -> None:
        files[path] = text.encode("utf-8")

    articles = archive.articles
    side = _beside(archive)
    chain = neighbours(articles)
    for art in articles:
        put(article_path(art), render_article(art, *chain[art.slug]))
    for path, text in timeline_pages(articles).items():
        put(path, text)
    sources = []
    for res in archive.pages:
        page = res.page
        arts = res.layout.articles if res.layout else []
        info = {
            "name": page.name,
            "encoding": page.encoding,
            "newspaper": page.newspaper,
            "page_label": page.page_label,
            "date": res.date,
            "date_inferred": res.date_inferred,
            "confidence": res.confidence,
            "evidence": res.evidence,
            "reasoning": res.reasoning,
            "n_articles": len(arts),
            "counts": page_log_counts(arts, res.layout.furniture if res.layout else []),
        }
        sources.append(info)
        put(source_path(page.name), render_source(info, page.text, arts, res.layout.furniture if res.layout else [], res.failed))
        files[raw_path(page.name)] = page.raw
    put("sources/index.md", render_sources_index(sources, [str(p) for p in archive.problems]))
    put("index.md", render_home(SITE_TITLE, articles, len(archive.pages)))
    catalogue = [catalogue_record(a) for a in articles]
    put("data/articles.json", json.dumps(catalogue, ensure_ascii=False, indent=1) + "\n")
    if ASSETS_DIR.is_dir():
        for asset in sorted(ASSETS_DIR.iterdir()):
            if asset.is_file():
                files[f"assets/{asset.name}"] = asset.read_bytes()
    files.update(side())  # last: the side process had the whole time to finish
    return files


def write_tree(files: dict[str, bytes], docs: Path) -> tuple[list[str], int, list[str]]:
    """Make ``docs`` hold exactly ``files``, touching only what changed."""
    docs.mkdir(parents=True, exist_ok=True)
    root = docs.resolve()
    written: list[str] = []
    unchanged = 0
    for rel_path, data in sorted(files.items()):
        target = (root / rel_path).resolve()
        if root not in target.parents:
            raise BuildError(f"refusing to write outside {docs}: {rel_path}")
        if target.is_file() and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written.append(rel_path)
    deleted: list[str] = []
    for path in sorted(root.rglob("*"), reverse=True):
        rel_path = path.relative_to(root).as_posix()
        if path.is_file() and rel_path not in files:
            path.unlink()
            deleted.append(rel_path)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written, unchanged, deleted


def prepare(seeds: Path, progress: Progress = _silent) -> tuple[Archive, dict[str, bytes]]:
    if not seeds.is_dir():
        raise BuildError(f"seeds folder not found: {seeds}")
    archive = collect(seeds, progress)
    if not archive.pages:
        reasons = "; ".join(str(p) for p in archive.problems) or "no *.txt files"
        raise BuildError(f"nothing to build from {seeds}: {reasons}")
    return archive, render_tree(archive)


def generate(seeds: Path, docs: Path, progress: Progress = _silent) -> GenerateReport:
    """Write docs_src/ only (for ``mkdocs serve``)."""
    started = time.perf_counter()
    archive, files = prepare(seeds, progress)
    written, unchanged, deleted = write_tree(files, docs)
    return GenerateReport(archive, written, unchanged, deleted, time.perf_counter() - started)


def build(seeds: Path, docs: Path, site: Path, config_file: Path, progress: Progress = _silent) -> tuple[GenerateReport, float]:
    """Generate and build the site; on any failure docs_src/ and site/ stay as they were.

    MkDocs builds from a staging copy of the Markdown tree into a staging site;
    only when that succeeded are docs_src/ updated (changed files only) and the new
    site swapped in.
    """
    started = time.perf_counter()
    archive, files = prepare(seeds, progress)
    generated = time.perf_counter() - started
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".docs-staging-", dir=site.parent) as staging_docs:
        write_tree(files, Path(staging_docs))
        progress(0, 0, "mkdocs build")
        staging_site = Path(tempfile.mkdtemp(prefix=f".{site.name}-new-", dir=site.parent))
        try:
            mk_seconds = _mkdocs_build(config_file, Path(staging_docs), staging_site, _build_epoch(archive))
            for unused in UNUSED_THEME_FILES:
                shutil.rmtree(staging_site / unused, ignore_errors=True)
        except BaseException:
            shutil.rmtree(staging_site, ignore_errors=True)
            raise
    written, unchanged, deleted = write_tree(files, docs)
    old = site.with_name(f".{site.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if site.exists():
        os.replace(site, old)
    os.replace(staging_site, site)
    shutil.rmtree(old, ignore_errors=True)
    return GenerateReport(archive, written, unchanged, deleted, generated), mk_seconds


def _build_epoch(archive: Archive) -> str:
    """The build date MkDocs stamps into sitemap.xml(.gz): the newest publication date
    in the archive, so that the same input gives the same bytes on any day.
    (An explicit SOURCE_DATE_EPOCH in the environment wins.)"""
    dates = [a.date for a in archive.articles if a.date]
    newest = max(dates) if dates else _dt.date(2000, 1, 1)
    return str(int(_dt.datetime(newest.year, newest.month, newest.day, tzinfo=_dt.timezone.utc).timestamp()))


def _mkdocs_build(config_file: Path, docs: Path, site: Path, epoch: str) -> float:
    from mkdocs.commands.build import build as run_mkdocs
    from mkdocs.config import load_config

    started = time.perf_counter()
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = saved or epoch
    try:
        cfg = load_config(config_file=str(config_file), docs_dir=str(docs.resolve()), site_dir=str(site))
        run_mkdocs(cfg)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
    return time.perf_counter() - started
