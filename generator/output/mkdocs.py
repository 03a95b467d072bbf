"""Running MkDocs on a staged docs tree, with a build date that the input decides, in
full or incrementally.

**Full**: MkDocs builds the staged docs tree into an empty staged site.

**Full, in two processes** (``mkdocs_halves.PARALLEL_PAGES`` pages or more, a second core): MkDocs
renders one page after another (Python-Markdown, Jinja2), most of a big archive's
build.  One child is forked once the configuration is loaded; the parent and the child
each run MkDocs' own build, in its dirty mode, over the same configuration into the
same empty site folder, a documentation page counting as modified only in the process
that owns it (every other page in sorted order).  Both read the nav pages, so every
page's navigation is the same as in one process; the parent alone copies the static
files and writes the theme's templates (``sitemap.xml.gz``…).  The child sends back
what it wrote, its unresolved links, its pages' anchors (the parent checks the anchor
links of every page) and the log records of its pages, which the parent logs as its
own (a strict build counts them); its error is raised in the parent, its death is a
BuildError.  The site is byte-identical to a build in one process (tested).

**Incremental** (``dirty``): the staged site starts as a hard-link copy of the previous
site (``tree.link_tree``: same files, same mtimes, no bytes copied) and MkDocs' own
dirty mode rebuilds only the pages whose source changed.  Three things make that safe
and equal, byte for byte, to a full build (tested):

* **Nothing is written through a shared link.**  A file of the staged site that is a
  hard link is also a file of the live site; MkDocs writes its output in place
  (``open(path, "wb")``), which would change the live site before the swap.  So during
  the run every MkDocs write (``utils.write_file``, ``File.copy_file``) first removes
  the file it is about to write, the outputs of every changed docs file and the files
  MkDocs always rewrites (``404.html``, ``sitemap.xml(.gz)``, the last written with a
  plain ``open``) are removed before the run, and after it every file still shared
  with the previous site is checked to have kept its mtime and size (else the build
  stops before the swap).
* **Pages that depend on other pages are rebuilt.**  A page's HTML depends on other
  pages only through (1) the navigation — the nav in ``mkdocs.yml`` (part of the
  configuration) and the front matter of the nav pages, which Material reads for
  icons, subtitles and status; the nav pages are always read, and a change of their
  front matter or of the configuration forces a full build — and (2) its relative
  links: MkDocs rewrites ``x.md`` to ``x.html`` only when ``x.md`` exists.  So a page
  that linked to a file that did not exist is rebuilt when that file appears (such
  links are recorded in the manifest), and a page whose Markdown names a deleted file
  is rebuilt when that file goes.  Material's previous/next footer lists nav pages
  only, whose titles the nav gives.
* **What a full build would not write is removed**: the outputs of deleted docs files
  (every file of the staged site that is not an output of this build), then empty
  folders.

What the site was built from is recorded in the site itself (``.jinzhou-build.json``,
swapped in with it): the versions of MkDocs, Material and their libraries, the resolved
configuration, the theme folder, the generator's assets, the nav pages' front matter
(together: the *fingerprint*), and the key of the docs tree it was built from.  A build
is incremental only when the fingerprint is the same and the previous site was built
from the docs tree that is being replaced (so the docs files that changed are exactly
the ones that differ from ``docs_src/``); otherwise, and with ``--clean``, it is full.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import importlib.metadata
import json
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Iterable, Iterator, Mapping
from urllib.parse import quote

from ..errors import BuildError, SettingsError
from .mkdocs_halves import Child, Half, halved, two_halves

# gzip stores a 32-bit unsigned modification time in sitemap.xml.gz
_EPOCH_RANGE = (0, 2**32 - 1)
MANIFEST = ".jinzhou-build.json"  # in site/: what it was built from
MANIFEST_FORMAT = 1


def build_epoch(dates: Iterable[_dt.date | None]) -> str:
    """The build date MkDocs stamps into sitemap.xml(.gz): the newest publication date
    in the archive, so that the same input gives the same bytes on any day.  Clamped
    to what gzip can store (1970–2106), so an archive of the 1950s builds (its sitemap
    then says 1970-01-01).  An explicit SOURCE_DATE_EPOCH in the environment wins."""
    dates = [d for d in dates if d]
    newest = max(dates) if dates else _dt.date(2000, 1, 1)
    seconds = (newest - _dt.date(1970, 1, 1)).days * 86400
    return str(min(max(seconds, _EPOCH_RANGE[0]), _EPOCH_RANGE[1]))


@dataclass
class SiteReport:
    """What the MkDocs step did."""

    mode: str  # "full", "incremental" or "unchanged" (nothing to do)
    seconds: float = 0.0
    pages: int = 0  # pages rendered and written
    copied: int = 0  # other files written (static files, theme templates)
    removed: int = 0  # files of the previous site removed (incremental)
    why_full: str = ""  # why a build was not incremental
    manifest: dict[str, Any] = field(default_factory=dict)


def load(config_file: Path, docs: Path, site: Path, site_name: str) -> Any:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        return load_config(config_file=str(config_file), docs_dir=str(docs.resolve()), site_dir=str(site),
                           site_name=site_name)  # the profile names the site
    except (ConfigurationError, Abort) as exc:
        raise SettingsError(f"{config_file}: {exc}") from exc


# ---------------------------------------------------------------------------
# what a site is built from
# ---------------------------------------------------------------------------
def _versions() -> list[str]:
    """Python, MkDocs, Material and every library they require (Markdown, Jinja2,
    pymdown-extensions, Pygments…), as installed."""
    names = {"mkdocs", "mkdocs-material"}
    for dist in ("mkdocs", "mkdocs-material"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            for req in importlib.metadata.requires(dist) or []:
                if "extra ==" not in req:
                    names.add(req.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].split("~")[0]
                              .split("!")[0].strip().lower())
    out = [f"python {sys.version}"]
    for name in sorted(names):
        try:
            out.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{name} -")
    return out


def _canonical(value: Any) -> Any:
    """A JSON-able form of a configuration value that is the same in every process
    (sets sorted, objects by their class and settings, never by their address)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping) or hasattr(value, "items"):
        try:
            items = list(value.items())
        except TypeError:
            items = []
        out = {str(k): _canonical(v) for k, v in items}
        if not isinstance(value, dict):
            out["__class__"] = f"{type(value).__module__}.{type(value).__qualname__}"
            config = getattr(value, "config", None)  # a plugin's settings
            if config is not None and config is not value:
                out["__config__"] = _canonical(config)
        return dict(sorted(out.items()))
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    patterns = getattr(value, "patterns", None)  # not_in_nav, exclude_docs (pathspec)
    if patterns is not None:
        return [f"{type(value).__qualname__}"] + [str(getattr(p, "pattern", p)) for p in patterns]
    return f"{type(value).__module__}.{type(value).__qualname__}"


def _theme(theme: Any) -> dict[str, Any]:
    return {"name": theme.name, "dirs": list(theme.dirs), "static_templates": sorted(theme.static_templates),
            "settings": _canonical(dict(theme.items()))}


def _hash_folder(folder: Path | None) -> str:
    digest = hashlib.sha256()
    if folder is not None and folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _nav_entries(nav: Any) -> Iterator[tuple[str | None, str]]:
    """(title or None, path) of every page the nav lists."""
    if isinstance(nav, str):
        yield None, nav
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(value, str):
                yield str(title), value
            else:
                yield from _nav_entries(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_entries(item)


def fingerprint(cfg: Any, assets: Path | None) -> str:
    """Everything a page's HTML depends on besides its own Markdown and the existence of
    its link targets: versions, configuration, theme folder, the generator's assets, and
    the nav pages' front matter (their whole text where the nav gives no title).
    ``"auto-nav"`` when the configuration has no nav: every page is then in it."""
    from mkdocs.utils.meta import get_data

    if cfg["nav"] is None:
        return "auto-nav"
    config = {k: _canonical(v) for k, v in cfg.items() if k not in ("docs_dir", "site_dir", "theme", "plugins")}
    config["theme"] = _theme(cfg["theme"])
    config["plugins"] = [[name, type(p).__module__ + "." + type(p).__qualname__, _canonical(getattr(p, "config", {}))]
                         for name, p in cfg["plugins"].items()]
    nav = []
    docs = Path(cfg["docs_dir"])
    for title, path in _nav_entries(cfg["nav"]):
        source = docs / path
        if "://" in path or not source.is_file():
            nav.append([title, path, None])
            continue
        text = source.read_bytes()
        meta = get_data(text.decode("utf-8-sig", "replace"))[1]
        nav.append([title, path, _canonical(meta), None if title else hashlib.sha256(text).hexdigest()])
    custom = cfg["theme"].custom_dir
    parts = {"versions": _versions(), "config": config, "theme folder": _hash_folder(Path(custom) if custom else None),
             "assets": _hash_folder(assets), "nav": nav}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def read_manifest(site: Path) -> dict[str, Any] | None:
    """What the previous site was built from, or None (no site, an older build, a
    manifest that cannot be read: the next build is full)."""
    try:
        data = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return None
    return data


def write_manifest(site: Path, manifest: dict[str, Any]) -> None:
    (site / MANIFEST).write_text(json.dumps(manifest, sort_keys=True, ensure_ascii=False, indent=0) + "\n",
                                 encoding="utf-8")


# ---------------------------------------------------------------------------
# which pages an incremental build rebuilds
# ---------------------------------------------------------------------------
@dataclass
class Changes:
    """How the docs tree differs from the one the previous site was built from."""

    changed: list[str]  # docs-relative paths written anew (changed or new)
    deleted: list[str]  # docs-relative paths gone
    paths: Collection[str]  # every file of the new docs tree
    pages: Mapping[str, bytes]  # its Markdown pages' bytes (to find pages that name a deleted file)
    previous: dict[str, Any]  # the previous site's manifest


def _dependents(changes: Changes) -> set[str]:
    """Unchanged pages whose HTML still changes: they linked to a file that did not
    exist and now does, or their Markdown names a file that was deleted."""
    out = set()
    for page, targets in changes.previous.get("unresolved", {}).items():
        if page in changes.paths and any(t in changes.paths for t in targets):
            out.add(page)
    names = {os.path.basename(p) for p in changes.deleted}
    names |= {quote(n) for n in names}
    if names:
        import re

        pattern = re.compile(b"|".join(re.escape(n.encode("utf-8", "surrogateescape")) for n in sorted(names)))
        # A relative link to a deleted file names the file's folder too, unless the page is
        # in that folder or below it: other pages must hold a folder's name before the
        # pattern is tried (bytes.find is many times faster than the pattern over 25,000 pages).
        folders = {os.path.dirname(p) for p in changes.deleted}
        hints = {w.encode("utf-8", "surrogateescape") for f in folders for w in (os.path.basename(f), quote(os.path.basename(f)))}
        changed = set(changes.changed)

        def may_link(path: str, data: bytes) -> bool:
            here = os.path.dirname(path)
            return any(f == "" or here == f or here.startswith(f + "/") for f in folders) or any(h in data for h in hints)

        for path, data in changes.pages.items():
            if path.endswith(".md") and path not in changed and may_link(path, data) and pattern.search(data):
                out.add(path)
    return out


def _unlink(path: str | os.PathLike) -> None:
    with contextlib.suppress(FileNotFoundError):
        if not os.path.isdir(path):
            os.unlink(path)


@contextlib.contextmanager
def _patched(dirty: bool, record: dict[str, Any], drop: tuple[str, ...], half: Half | None = None) -> Iterator[None]:
    """Hooks into MkDocs for the length of one build: every write goes to a new file
    (never through a hard link shared with the previous site), nav pages are always
    read (their front matter feeds every page's nav), theme files under ``drop`` are
    left out, and what was written and which relative links did not resolve is
    recorded.  ``half``: one of the two processes of a full build (``two_halves``)."""
    from mkdocs import utils
    from mkdocs.commands import build as mkbuild
    from mkdocs.structure import pages as mkpages
    from mkdocs.structure.files import File

    saved = (utils.write_file, File.copy_file, mkbuild.get_navigation, mkbuild._populate_page,
             mkpages._RelativePathTreeprocessor.path_to_url)
    write_file, copy_file, get_navigation, populate, path_to_url = saved
    nav_pages: set[int] = set()

    def new_write_file(content: bytes, output_path: str) -> None:
        _unlink(output_path)
        record["writes"].append(output_path)
        try:
            write_file(content, output_path)
        except OSError as exc:  # a failed write() names no file: the error line should
            if exc.filename is None:
                raise OSError(exc.errno, exc.strerror, output_path) from exc
            raise

    def new_copy_file(self: Any, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        _unlink(self.abs_dest_path)
        record["copied"] += 1
        copy_file(self, False)

    def new_get_navigation(files: Any, config: Any) -> Any:
        for file in [f for f in files if f.src_uri.startswith(drop) and f.abs_src_path
                     and not f.abs_src_path.startswith(config["docs_dir"] + os.sep)]:
            files.remove(file)
        nav = get_navigation(files, config)
        record["files"] = files
        nav_pages.update(id(p) for p in nav.pages)
        if half is not None:
            half.share(files)
        return nav

    def new_populate(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
        if half is not None:
            half.check()
        populate(page, config, files, dirty)
        if page.markdown is None and id(page) in nav_pages:
            # A nav page that is not rebuilt: every page's nav reads its front matter.
            # Its title is the nav's (the fingerprint holds the whole page otherwise: then
            # it is rendered, as a full build would, for the title of its first heading).
            # Of a full build in two processes, the one that renders the page logs it.
            with _silent() if half is not None else contextlib.nullcontext():
                page.read_source(config)
                if "title" not in page.__dict__:
                    page.render(config, files)
        if page.content is not None:
            record["read"].add(page.file.src_uri)

    def new_path_to_url(self: Any, url: str) -> str:
        new = path_to_url(self, url)
        if new == url:  # left as it was: a link to a file that does not exist?
            from urllib.parse import unquote, urlsplit

            scheme, netloc, path, _q, _a = urlsplit(url)
            if path and not scheme and not netloc and not url.startswith(("/", "\\")):
                target = self._target_uri(self.file.src_uri, unquote(path))
                if self.files.get_file_from_path(target) is None:
                    record["unresolved"].setdefault(self.file.src_uri, set()).add(target)
        return new

    class _DropDirtyWarning(logging.Filter):
        def filter(self, rec: logging.LogRecord) -> bool:
            return not rec.getMessage().startswith("A 'dirty' build is being performed")

    quiet = _DropDirtyWarning()
    logger = logging.getLogger("mkdocs.commands.build")
    utils.write_file, File.copy_file, mkbuild.get_navigation, mkbuild._populate_page = (
        new_write_file, new_copy_file, new_get_navigation, new_populate)
    mkpages._RelativePathTreeprocessor.path_to_url = new_path_to_url
    halves = contextlib.ExitStack()
    if half is not None:
        halves.enter_context(halved(half, record))
    if dirty:
        logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)
        halves.close()
        (utils.write_file, File.copy_file, mkbuild.get_navigation, mkbuild._populate_page,
         mkpages._RelativePathTreeprocessor.path_to_url) = saved


@contextlib.contextmanager
def _silent() -> Iterator[None]:
    """No log record at all for a while (``logging.disable``)."""
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(previous)


def new_record() -> dict[str, Any]:
    return {"writes": [], "copied": 0, "read": set(), "unresolved": {}, "files": None}


def build_once(cfg: Any, dirty: bool, record: dict[str, Any], drop: tuple[str, ...], half: Half | None = None) -> None:
    """One run of MkDocs' build with our hooks (``_patched``)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort

    with _patched(dirty, record, drop, half):
        try:
            mkdocs_build(cfg, dirty=dirty)
        except Abort as exc:
            raise BuildError(f"mkdocs build failed: {exc}") from exc


def _snapshot(site: Path) -> dict[str, tuple[int, int, int]]:
    """inode, mtime and size of every file of ``site``."""
    out = {}
    for root, _dirs, names in os.walk(site):
        for name in names:
            path = os.path.join(root, name)
            st = os.lstat(path)
            out[os.path.relpath(path, site)] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


def _prune(site: Path, expected: set[str], keep: set[str]) -> int:
    """Remove every file of ``site`` that is neither expected nor kept, then empty folders."""
    removed = 0
    for root, dirs, names in os.walk(site, topdown=False):
        rel_root = os.path.relpath(root, site)
        for name in names:
            rel = name if rel_root == "." else f"{rel_root}/{name}".replace(os.sep, "/")
            if rel not in expected and rel not in keep:
                os.unlink(os.path.join(root, name))
                removed += 1
        if rel_root != "." and not os.listdir(root):
            os.rmdir(root)
    return removed


def _written_in_place(site: Path, before: dict[str, tuple[int, int, int]]) -> list[str]:
    """Files of ``site`` that are still the inode they were before the run (so also a
    file of the previous site) but with another mtime or size: MkDocs wrote into them
    in place, through the hard link, into the previous site."""
    bad = []
    for rel, (ino, mtime, size) in before.items():
        try:
            st = os.lstat(site / rel)
        except FileNotFoundError:
            continue
        if st.st_ino == ino and (st.st_mtime_ns != mtime or st.st_size != size):
            bad.append(rel)
    return sorted(bad)


def run_mkdocs(cfg: Any, epoch: str, changes: Changes | None = None, keep: Iterable[str] = (),
               drop: tuple[str, ...] = ()) -> SiteReport:
    """Build the site ``cfg`` names.  ``changes``: incremental, into a site folder that
    is a hard-link copy of the previous site; None: full, into an empty folder (in two
    processes when the site is big: ``two_halves``).
    ``keep``: files of the site folder that are not MkDocs' (marker, manifest);
    ``drop``: theme files (path prefixes) the site does not need."""
    from mkdocs.structure.files import File, InclusionLevel

    started = time.perf_counter()
    site = Path(cfg["site_dir"])
    dirty = changes is not None
    record = new_record()
    rebuild: set[str] = set()
    if dirty:
        rebuild = set(changes.changed) | _dependents(changes)
        for path in rebuild:  # their old outputs go: MkDocs then sees them as missing and builds them
            _unlink(site / File(path, cfg["docs_dir"], str(site), cfg["use_directory_urls"]).dest_uri)
        for name in cfg["theme"].static_templates:  # always rewritten; sitemap.xml.gz with a plain open()
            _unlink(site / name)
            _unlink(site / f"{name}.gz")
    before = _snapshot(site) if dirty else {}
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = saved or epoch
    try:
        if dirty or not two_halves(cfg):
            build_once(cfg, dirty, record, drop)
        else:  # a full build in two processes (PARALLEL_PAGES)
            from mkdocs.utils import clean_directory

            clean_directory(cfg["site_dir"])  # what a full build does first; dirty mode does not
            half = Half(0)
            half.child = Child(cfg, drop)
            try:
                build_once(cfg, True, record, drop, half)
                half.merge(record)
            finally:
                half.child.stop()
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
    files = record["files"]
    removed = 0
    if dirty:
        shared = _written_in_place(site, before)
        if shared:
            raise BuildError(f"the incremental MkDocs build wrote into {len(shared)} file(s) shared with the previous "
                             f"site (first: {shared[0]}); build again with --clean — this is a bug, please report it")
        expected = {f.dest_uri for f in files if InclusionLevel.is_included(f.inclusion)}
        for name in cfg["theme"].static_templates:
            expected |= {name, f"{name}.gz"}
        removed = _prune(site, expected, set(keep))
    # pages not read this time keep what the previous site recorded of their links
    unresolved: dict[str, list[str]] = {}
    docs = {f.src_uri for f in files.documentation_pages()} if files is not None else set()
    if dirty:
        for page, targets in changes.previous.get("unresolved", {}).items():
            if page in docs and page not in record["read"]:
                unresolved[page] = sorted(targets)
    for page, targets in record["unresolved"].items():
        unresolved[page] = sorted(targets)
    page_outputs = {f.abs_dest_path for f in files.documentation_pages()} if files is not None else set()
    pages = sum(1 for w in record["writes"] if w in page_outputs)
    return SiteReport("incremental" if dirty else "full", time.perf_counter() - started, pages=pages,
                      copied=record["copied"] + len(record["writes"]) - pages, removed=removed,
                      manifest={"format": MANIFEST_FORMAT, "unresolved": dict(sorted(unresolved.items()))})
