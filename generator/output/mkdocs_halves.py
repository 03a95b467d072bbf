"""A full MkDocs build in two processes.

MkDocs renders one page after another in one process (Python-Markdown, Jinja2): ~80%
of a full build of a big archive.  A full build with at least ``PARALLEL_PAGES``
documentation pages forks one child after the configuration is loaded; both run
MkDocs' own build (its dirty mode) over the same configuration into the same empty
site folder, each rendering every other page (``output.mkdocs.run_mkdocs`` decides,
``halved`` makes MkDocs' dirty mode one half of the build).
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..errors import BuildError
from ..workers import init_worker

# MkDocs renders one page after another in one process (Python-Markdown, Jinja2): ~80%
# of a full build of a big archive.  A full build with at least this many documentation
# pages forks one child after the configuration is loaded; both run MkDocs' own build
# (its dirty mode) over the same configuration into the same empty site folder, each
# rendering every other page.  Measured on 2 cores (MkDocs alone, wall s one process /
# two): 516 pages 4.6 / 2.1–2.2, 1,354 pages 10.9–11.4 / 7.1 (10.8 with the other core
# busy), 12,204 pages 102 / 50; the second process costs under 5% more CPU (both gather
# the files and the nav).  Small sites (the seeds: ~200 pages, the tests) stay in one
# process, which is simpler to debug and leaves the other core to other work.  Tests
# set it low.
PARALLEL_PAGES = 1000

# Plugin events that see one page or template at a time.  A plugin listening to any
# other (``post_build``, ``env``, ``files``, ``nav``, ``config``…) may gather every page
# (a search index) or write files itself: such a site is built in one process.
_PER_PAGE_EVENTS = frozenset({"startup", "shutdown", "serve", "pre_page", "page_read_source", "page_markdown",
                              "page_content", "page_context", "post_page", "pre_template", "template_context",
                              "post_template"})


def two_halves(cfg: Any) -> bool:
    """Whether this full build runs in two processes: a second core, ``fork``, only
    per-page plugin events (``_PER_PAGE_EVENTS``) and ``PARALLEL_PAGES`` pages."""
    import multiprocessing

    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    events = getattr(cfg["plugins"], "events", None)  # event name -> listeners (MkDocs 1.4 and later)
    if events is None or any(listeners for event, listeners in events.items() if event not in _PER_PAGE_EVENTS):
        return False
    pages = sum(name.endswith(".md") for _root, _dirs, names in os.walk(cfg["docs_dir"]) for name in names)
    return pages >= PARALLEL_PAGES


@dataclass
class Half:
    """One process of a full build in two: it renders every other documentation page
    in sorted order (``index`` 0: the parent, 1: the child), so both get as many
    articles; the parent alone copies the static files and builds the theme's and
    the extra templates, and, once the child has sent what it did, checks the anchor
    links of every page and reports the child's log records as its own."""

    index: int
    own: set[str] = field(default_factory=set)  # src_uri of the pages this process renders
    files: Any = None  # this process's mkdocs Files
    child: Child | None = None  # parent: the child
    merged: bool = False  # parent: the child's result is in the record
    logs: list[logging.LogRecord] = field(default_factory=list)  # child: its pages' log records
    anchors: dict[str, Any] = field(default_factory=dict)  # child: its pages' anchors and anchor links

    def share(self, files: Any) -> None:
        self.files = files
        pages = sorted(f.src_uri for f in files.documentation_pages())
        self.own = set(pages[self.index::2])

    def check(self) -> None:
        """Parent: stop now if the child has failed (rather than after this half)."""
        if self.child is not None:
            self.child.check()

    def merge(self, record: dict[str, Any]) -> None:
        """Parent: wait for the child; add what it wrote and found to ``record``, its
        pages' anchors to their pages here (the anchor check runs here, over all)."""
        if self.child is None or self.merged:
            return
        self.merged = True
        result = self.child.wait()
        record["writes"] += result["writes"]
        record["copied"] += result["copied"]
        record["read"] |= result["read"]
        for page, targets in result["unresolved"].items():
            record["unresolved"].setdefault(page, set()).update(targets)
        get = self.files.get_file_from_path if self.files is not None else (lambda uri: None)
        for uri, (ids, links) in result["anchors"].items():
            file = get(uri)
            if file is not None and file.page is not None:
                file.page.present_anchor_ids = ids
                file.page.links_to_anchors = {get(to): by for to, by in links.items() if get(to) is not None}


class ChildTraceback(Exception):
    """The traceback of the child's error (shown by ``--debug``)."""


class Child:
    """The parent's end of the forked child: started at once; ``check`` and ``wait``
    raise its error (after logging its records) or BuildError if it died."""

    def __init__(self, cfg: Any, drop: tuple[str, ...]) -> None:
        import gc
        import multiprocessing

        fork = multiprocessing.get_context("fork")
        self.receive, send = fork.Pipe(duplex=False)
        # The parent holds the archive (hundreds of MB): frozen, those objects are left
        # alone by the collector of either process, so their memory stays shared.
        gc.freeze()
        try:
            self.process = fork.Process(target=_child, args=(cfg, drop, os.getpid(), send), daemon=True)
            self.process.start()
        except BaseException:
            gc.unfreeze()
            self.receive.close()
            raise
        finally:
            send.close()
        self.result: dict[str, Any] | None = None

    def check(self) -> None:
        if self.result is None and self.receive.poll():
            self._take()

    def wait(self) -> dict[str, Any]:
        if self.result is None:
            self._take()
        assert self.result is not None
        return self.result

    def _take(self) -> None:
        try:
            result = self.receive.recv()
        except EOFError:
            self.process.join()
            raise BuildError(f"the second MkDocs process died (exit status {self.process.exitcode})") from None
        self.process.join()
        for rec in result.pop("logs"):
            logging.getLogger(rec.name).handle(rec)
        if "error" in result:
            raise result["error"] from ChildTraceback(result["traceback"])
        self.result = result

    def stop(self) -> None:
        import gc

        if self.process.is_alive():  # the parent failed: the child's half is of no use
            self.process.kill()
        self.process.join()
        self.receive.close()
        gc.unfreeze()


class _Capture(logging.Handler):
    """The child's only log handler: keeps the records of its own pages (whatever else
    it logs, the parent logs too), in a form that pickles, for the parent to log."""

    def __init__(self, cfg: Any, half: Half) -> None:
        super().__init__()
        self.cfg, self.half = cfg, half

    def emit(self, record: logging.LogRecord) -> None:
        page = getattr(self.cfg, "_current_page", None)  # set by MkDocs while it reads or builds a page
        if page is None or page.file.src_uri not in self.half.own:
            return
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        fields = {k: v for k, v in vars(record).items() if isinstance(v, (str, int, float, bool, type(None)))}
        fields.update(msg=record.getMessage(), args=None, exc_info=None)
        self.half.logs.append(logging.makeLogRecord(fields))


def _child(cfg: Any, drop: tuple[str, ...], parent: int, out: Any) -> None:
    """The forked child: builds its half of the pages into the site folder and sends
    back what it wrote and logged, or the exception that stopped it."""
    import pickle
    import traceback

    from .mkdocs import build_once, new_record

    init_worker(parent)
    half = Half(1)
    record = new_record()
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_Capture(cfg, half))
    cfg["strict"] = False  # the parent counts this half's warnings with its own
    result: dict[str, Any]
    try:
        build_once(cfg, True, record, drop, half)
        result = {k: record[k] for k in ("writes", "copied", "read", "unresolved")} | {"anchors": half.anchors}
    except BaseException as exc:  # the parent raises it
        result = {"error": exc, "traceback": traceback.format_exc()}
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            result["error"] = BuildError(f"mkdocs build failed: {type(exc).__name__}: {exc}")
    result["logs"] = half.logs
    out.send(result)
    out.close()


@contextlib.contextmanager
def halved(half: Half, record: dict[str, Any]) -> Iterator[None]:
    """MkDocs' dirty mode made one half of a full build: a page is "modified" (built)
    only in its own process, static files only in the parent; the child builds no
    theme or extra template (``sitemap.xml.gz`` is written with a plain ``open``) and
    checks no anchor; the parent waits for the child before checking them."""
    from mkdocs.commands import build as mkbuild
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    saved = (File.is_modified, mkbuild._build_page, mkbuild._build_theme_template, mkbuild._build_extra_template,
             Page.validate_anchor_links)
    build_page, validate = saved[1], saved[4]
    parent = half.index == 0

    def is_modified(self: Any) -> bool:
        return self.src_uri in half.own if self.is_documentation_page() else parent

    def new_build_page(page: Any, *args: Any, **kwargs: Any) -> None:
        half.check()
        build_page(page, *args, **kwargs)

    def nothing(*_args: Any, **_kwargs: Any) -> None:
        return None

    def new_validate(self: Any, *, files: Any, log_level: int) -> None:
        if parent:
            half.merge(record)
            validate(self, files=files, log_level=log_level)
        elif self.file.src_uri in half.own and self.present_anchor_ids is not None:
            half.anchors[self.file.src_uri] = (self.present_anchor_ids, {
                f.src_uri: links for f, links in (self.links_to_anchors or {}).items()})

    File.is_modified, mkbuild._build_page, Page.validate_anchor_links = is_modified, new_build_page, new_validate
    if not parent:
        mkbuild._build_theme_template = mkbuild._build_extra_template = nothing
    try:
        yield
    finally:
        (File.is_modified, mkbuild._build_page, mkbuild._build_theme_template, mkbuild._build_extra_template,
         Page.validate_anchor_links) = saved
