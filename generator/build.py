"""The build: seeds → articles → Markdown tree → MkDocs site.

Every stage runs in memory first; the Markdown tree and the MkDocs site are then
written complete beside the old ones and swapped in at the end (``output.py``), so
a build that fails or is killed midway leaves the previous ``docs_src/`` and
``site/`` as they were.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from .cleaning.clean import clean_page
from .cleaning.conservation import Balance, balance
from .context import BuildContext
from .entities.linking import attach_entities, attach_related, register_entities
from .entities.slugs import assign_entity_slugs
from .errors import BuildError, SettingsError
from .model import Article, Problem, SourcePage, cap_problems
from .output.mkdocs import build_epoch, run_mkdocs
from .output.tree import (
    MARKER,
    MARKER_TEXT,
    StagedTree,
    check_outputs,
    commit,
    discard,
    locked,
    new_staging,
    recover,
    stage_tree,
)
from .pages.columns import column_pages
from .pages.entity_pages import entity_pages
from .pages.issues import Edition, issue_pages
from .pages.metadata import (
    article_path,
    assign_slugs,
    catalogue_record,
    raw_path,
    raw_view_path,
    source_path,
)
from .pages.pagenames import name_pages
from .pages.render import (
    page_log_counts,
    render_article,
    render_home,
    render_raw_view,
    render_source,
    render_sources_index,
)
from .pages.timeline import neighbours, timeline_pages
from .reading.pages import read_pages
from .search.index import archive_index, page_words
from .segmenting.segment import PageLayout, segment
from .settings.profile import PACKAGE_DIR, Profile
from .workers import init_worker

PAGES_PER_WORKER = 40  # below this many pages per core, starting processes costs more than it saves
ASSETS_DIR = PACKAGE_DIR / "assets"
# Material's own search worker and lunr (1.2 MB): the archive's search replaces them
UNUSED_THEME_FILES = ("assets/javascripts/workers", "assets/javascripts/lunr")


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
    problem_count: int = 0  # before repeats were capped (``problems`` holds the capped list)

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
Notice = Callable[[str], None]  # one line for the person running the build


def _silent(done: int, total: int, what: str) -> None:
    pass


def _silent_notice(message: str) -> None:
    pass


def _date_page(result: PageResult, override: _dt.date | None, ctx: BuildContext) -> None:
    """Fill the page's date: the editor's override, else the inference."""
    from .dates.infer import infer_page_date

    inference = infer_page_date(result.page.text, ctx.dates)
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


def process_page(page: SourcePage, override_date: _dt.date | None, ctx: BuildContext) -> _PageWork:
    """Segment, clean, check, date and link one page.  Pure per page, so pages can
    run in parallel; the only cross-page steps (slugs, related) come after."""
    try:
        layout = clean_page(segment(page, ctx.layout), ctx.layout)
    except Exception as exc:  # a page we cannot parse must not stop the archive
        return _PageWork(PageResult(page, None, failed="整理程序出错"), None, [Problem(
            page.name, None, f"could not be segmented ({type(exc).__name__}: {exc}); raw text kept on its 版面 page", fatal=False,
            zh="整理程序出错，未能切分为文章，原文保留在其版面页")])
    work = _PageWork(PageResult(page, layout), balance(page.text, layout))
    if not layout.articles:
        work.problems.append(Problem(page.name, 1, "no article found on this page; raw text kept on its 版面 page", fatal=False,
                                      zh="本版未找到文章，原文保留在其版面页"))
    _date_page(work.result, override_date, ctx)
    for art in layout.articles:
        art.date, art.date_inferred = work.result.date, work.result.date_inferred
        attach_entities(art, ctx.entities)
    work.result.words = page_words(layout.articles, ctx.tokenizer)
    return work


# A page worker's own context, made from the build's profile when the worker starts:
# process-local (each worker process holds one, for one build), never shared.
_worker_context: BuildContext | None = None


def _init_page_worker(parent: int, profile: Profile) -> None:
    """A page worker dies with the build and makes its context from the build's profile."""
    global _worker_context
    init_worker(parent)
    _worker_context = BuildContext(profile)


def _process_in_worker(page: SourcePage, override_date: _dt.date | None) -> _PageWork:
    assert _worker_context is not None
    return process_page(page, override_date, _worker_context)


def _process_all(pages: list[SourcePage], dates: list[_dt.date | None], ctx: BuildContext,
                 progress: Progress) -> list[_PageWork]:
    """Run ``process_page`` over all pages, on every core when there are enough pages."""
    workers = min(os.cpu_count() or 1, max(1, len(pages) // PAGES_PER_WORKER))
    if workers == 1:
        out = []
        for n, (page, date) in enumerate(zip(pages, dates), 1):
            progress(n, len(pages), page.name)
            out.append(process_page(page, date, ctx))
        return out
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_page_worker, initargs=(os.getpid(), ctx.profile))
    try:
        out = []
        for n, work in enumerate(pool.map(_process_in_worker, pages, dates, chunksize=8), 1):
            progress(n, len(pages), f"pages on {workers} processes")
            out.append(work)
        return out
    finally:  # on Ctrl-C or an error, do not wait for the pages still queued
        pool.shutdown(wait=True, cancel_futures=True)


def collect(seeds: Path, ctx: BuildContext, progress: Progress = _silent) -> Archive:
    """Read, segment, clean, date and link every page; problems are collected, not raised.
    Fills ``ctx.slugs`` once every entity of the corpus is known."""
    from .dates.infer import load_overrides

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
    for work in _process_all(read.pages, dates, ctx, progress):
        problems.extend(work.problems)
        pages.append(work.result)
        if work.balance is None:
            continue
        balances.append(work.balance)
        if not work.balance.ok:
            lost = "".join(sorted(work.balance.missing.elements()))[:60]
            raise BuildError(f"{work.result.page.name}: {sum(work.balance.missing.values())} character(s) lost without a reason "
                             f"during segmentation/cleaning: {lost!r} — this is a bug, please report it with the file")
    archive = Archive(pages, cap_problems(problems), notes, balances, problem_count=len(problems))
    register_entities(archive.articles, ctx.entities)
    ctx.slugs = assign_entity_slugs(ctx.entities, archive.articles)
    assign_slugs(archive.articles)
    attach_related(archive.articles)
    return archive


SIDE_PROCESS_ARTICLES = 2000  # below this, forking costs more than it saves


def _side_files(archive: Archive, ctx: BuildContext) -> dict[str, bytes]:
    """Entity pages and the search index: a third of the rendering time, and
    independent of the other pages, so big archives render them in a second
    process while this one renders the articles."""
    files = {path: text.encode("utf-8") for path, text in entity_pages(archive.articles, ctx).items()}
    files.update(archive_index(archive.articles, (p.words for p in archive.pages), ctx))
    return files


def _side_process(archive: Archive, ctx: BuildContext, parent: int, out: Any) -> None:
    """The forked side process: inherits the archive and context (nothing pickled on
    the way in), sends back its files or the exception that stopped it."""
    init_worker(parent)
    try:
        result: Any = _side_files(archive, ctx)
    except BaseException as exc:  # the build reports it
        result = exc
    out.send(result)
    out.close()


def _beside(archive: Archive, ctx: BuildContext) -> Callable[[], dict[str, bytes]]:
    """Start ``_side_files`` in a forked process when the archive is big and there
    is a second core; return the function that waits for its files."""
    import multiprocessing

    if (len(archive.articles) < SIDE_PROCESS_ARTICLES or (os.cpu_count() or 1) < 2
            or "fork" not in multiprocessing.get_all_start_methods()):
        return lambda: _side_files(archive, ctx)
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    process = fork.Process(target=_side_process, args=(archive, ctx, os.getpid(), send), daemon=True)
    process.start()
    send.close()

    def result() -> dict[str, bytes]:
        try:
            files = receive.recv()
        except EOFError:
            raise BuildError(f"the side process rendering entity pages and search died (exit status {process.exitcode})") from None
        finally:
            receive.close()
            process.join()
        if isinstance(files, BaseException):
            raise files
        return files

    return result


def render_tree(archive: Archive, ctx: BuildContext) -> dict[str, bytes]:
    """Every file of docs_src/, as docs-relative path → bytes."""
    files: dict[str, bytes] = {}

    def put(path: str, text: str) -> None:
        files[path] = text.encode("utf-8")

    articles = archive.articles
    side = _beside(archive, ctx)
    chain = neighbours(articles)
    names = name_pages(((r.page.name, r.page.newspaper, r.page.page_label, r.date, r.date_inferred) for r in archive.pages),
                       ctx.newspaper)
    assert ctx.slugs is not None  # collect assigned them
    for art in articles:
        put(article_path(art), render_article(art, ctx.slugs, *chain[art.slug], source=names[art.source]))
    for path, text in issue_pages(Edition(names[r.page.name], r.layout.articles if r.layout else []) for r in archive.pages).items():
        put(path, text)
    for path, text in column_pages(articles, names).items():
        put(path, text)
    for path, text in timeline_pages(articles).items():
        put(path, text)
    sources = []
    for res in archive.pages:
        page = res.page
        arts = res.layout.articles if res.layout else []
        info = {
            "name": page.name,
            "title": names[page.name].name,  # the reader's name: newspaper, date, page label
            "encoding": page.encoding,
            "newspaper": names[page.name].newspaper,
            "page_label": names[page.name].page_label,
            "date": res.date,
            "date_inferred": res.date_inferred,
            "confidence": res.confidence,
            "evidence": res.evidence,
            "reasoning": res.reasoning,
            "n_articles": len(arts),
            "counts": page_log_counts(arts, res.layout.furniture if res.layout else []),
        }
        sources.append(info)
        put(source_path(page.name), render_source(info, arts, res.layout.furniture if res.layout else [], res.failed))
        files[raw_path(page.name)] = page.raw
        put(raw_view_path(page.name), render_raw_view(info, page.text))
    put("sources/index.md", render_sources_index(sources, [p.page_text() for p in archive.problems]))
    put("index.md", render_home(ctx.newspaper.site_title, articles, len(archive.pages)))
    catalogue = [catalogue_record(a, names[a.source]) for a in articles]
    put("data/articles.json", json.dumps(catalogue, ensure_ascii=False, indent=1) + "\n")
    if ASSETS_DIR.is_dir():
        for asset in sorted(ASSETS_DIR.iterdir()):
            if asset.is_file():
                files[f"assets/{asset.name}"] = asset.read_bytes()
    files.update(side())  # last: the side process had the whole time to finish
    return files


def prepare(seeds: Path, ctx: BuildContext, progress: Progress = _silent) -> tuple[Archive, dict[str, bytes]]:
    if not seeds.is_dir():
        raise SettingsError(f"seeds folder not found: {seeds}")
    archive = collect(seeds, ctx, progress)
    if not archive.pages:
        reasons = "; ".join(str(p) for p in archive.problems) or "no *.txt files"
        raise BuildError(f"nothing to build from {seeds}: {reasons}")
    if all(r.failed for r in archive.pages):
        first = next((str(p) for p in archive.problems if "could not be segmented" in p.reason), "")
        raise BuildError(f"nothing to build from {seeds}: none of the {len(archive.pages)} page(s) could be segmented"
                         + (f" (first: {first})" if first else ""))
    return archive, render_tree(archive, ctx)


def _protected(config_file: Path | None) -> dict[str, Path]:
    """Folders an output must never be or contain: the project (where the command runs
    and where its configuration lies), the generator's own code, the home folder."""
    folders = {"current": Path.cwd(), "generator code": PACKAGE_DIR}
    if config_file is not None:
        folders["project (mkdocs.yml)"] = config_file.resolve().parent
    with contextlib.suppress(RuntimeError, KeyError):
        folders["home"] = Path.home()
    return folders


@contextlib.contextmanager
def _outputs(seeds: Path, outputs: dict[str, Path], config_file: Path | None, notice: Notice) -> Iterator[None]:
    """Check the output folders, then hold their locks and clear what a killed build left."""
    check_outputs(outputs, {"seeds": seeds}, _protected(config_file))
    with locked(list(outputs.values()), lambda t: notice(f"another build is writing {t.name}; waiting for it to finish")):
        for target in outputs.values():
            for done in recover(target.resolve()):
                notice(done)
        yield


def generate(seeds: Path, docs: Path, progress: Progress = _silent, notice: Notice = _silent_notice,
             profile: Path | None = None) -> GenerateReport:
    """Write docs_src/ only (for ``mkdocs serve``), swapped in whole.  ``profile``: the
    newspaper's settings folder (default: generator/profiles/jinzhou/), checked first."""
    started = time.perf_counter()
    ctx = BuildContext.load(profile)  # every settings file is checked before anything is read or touched
    with _outputs(seeds, {"docs": docs}, None, notice):
        archive, files = prepare(seeds, ctx, progress)
        staged = stage_tree(files, docs)
        try:
            commit([staged], notice)
        finally:
            discard([staged])
    return GenerateReport(archive, staged.written, staged.unchanged, staged.deleted, time.perf_counter() - started)


def build(seeds: Path, docs: Path, site: Path, config_file: Path, progress: Progress = _silent,
          notice: Notice = _silent_notice, profile: Path | None = None) -> tuple[GenerateReport, float]:
    """Generate and build the site; on any failure docs_src/ and site/ stay as they were.

    The new docs tree is staged complete beside docs_src/, MkDocs builds it into a
    staged site beside site/, and only then are both swapped in (``output.commit``).
    """
    started = time.perf_counter()
    ctx = BuildContext.load(profile)  # every settings file is checked before anything is read or touched
    with _outputs(seeds, {"docs": docs, "site": site}, config_file, notice):
        archive, files = prepare(seeds, ctx, progress)
        generated = time.perf_counter() - started
        docs_tree = stage_tree(files, docs)
        staged = [docs_tree]
        try:
            progress(0, 0, "mkdocs build")
            site_staging = new_staging(site.resolve())
            staged.append(StagedTree(site.resolve(), site_staging))
            mk_seconds = run_mkdocs(config_file, docs_tree.staging, site_staging, build_epoch(a.date for a in archive.articles), ctx.newspaper.site_title)
            for unused in UNUSED_THEME_FILES:
                shutil.rmtree(site_staging / unused, ignore_errors=True)
            (site_staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            commit(staged, notice)
        finally:
            discard(staged)  # what is left of the staging folders after a failure or a swap
    report = GenerateReport(archive, docs_tree.written, docs_tree.unchanged, docs_tree.deleted, generated)
    return report, mk_seconds
