"""The page cache: what ``build.process_page`` made of each page, kept between builds.

Segmenting, cleaning, dating and attaching entities to a page depend only on the page's
bytes, its name, its entry in ``pages.yaml``, the generator's code and data and the
newspaper profile.  All of these go into the page's **key** (a SHA-256), so an entry is
used only for the very input it was made from; anything else is a miss, and the page is
processed again.

Where: ``.<docs name>.cache/pages/<key>.pickle`` beside the docs folder (for
``docs_src/``: ``.docs_src.cache/``), never inside ``docs_src/`` or ``site/``; guarded
by the docs folder's build lock.

Entries are pickles.  Pickle is safe to use here because the key holds the version of
everything that defines the pickled classes and their meaning (the generator's code,
Python and the libraries it uses: ``version_key``), so no entry is ever read by other
code than the one that wrote it; and the folder is the user's own, like the code.  Each
entry starts with a digest of its payload: a torn or corrupt file is noticed before it
is unpickled, reported in one line and the page processed again (``--clean`` ignores the
cache altogether).  Entries are written whole under a temporary name and renamed into
place, and entries of pages that are no longer in the build are removed after each
build, so the cache holds one entry per page of the last build.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import io
import os
import pickle
import shutil
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable

from .settings.profile import PACKAGE_DIR, PROFILES_DIR

FORMAT = b"jinzhou-archive page cache 1\n"
_DIGEST = 32  # bytes of SHA-256 after the header
# third-party code whose behaviour is part of a page's result (besides the generator's own)
_LIBRARIES = ("jinja2", "pyyaml", "jieba", "rjieba", "pypinyin", "opencc", "pydantic")


def cache_folder(docs: Path) -> Path:
    """``.<docs name>.cache`` beside the docs folder."""
    docs = docs.resolve()
    return docs.parent / f".{docs.name}.cache"


def _hash_files(digest: Any, root: Path, skip: Callable[[Path], bool] = lambda p: False) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts and not skip(p)):
        digest.update(path.relative_to(root).as_posix().encode("utf-8", "surrogatepass") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")


def version_key(profile_folder: Path) -> str:
    """What a page's result depends on besides the page: the generator's code, data,
    templates and assets (every file of the package but the profiles), the active
    profile's files, Python's version and the versions of the libraries it uses."""
    digest = hashlib.sha256(FORMAT)
    digest.update(sys.version.encode())
    for name in _LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\n".encode())
    _hash_files(digest, PACKAGE_DIR, lambda p: PROFILES_DIR in p.parents)
    digest.update(b"profile\0")
    _hash_files(digest, Path(profile_folder))
    return digest.hexdigest()


def read_entry(path: Path) -> Any:
    """The value of an entry file.  ``OSError`` when it cannot be read (``FileNotFoundError``
    when it is not there), ``ValueError`` saying why when it is not a whole entry of this
    cache (torn, damaged, from other code)."""
    data = path.read_bytes()
    head = len(FORMAT)
    if not data.startswith(FORMAT) or len(data) < head + _DIGEST:
        raise ValueError("not an entry of this cache")
    payload = data[head + _DIGEST:]
    if hashlib.sha256(payload).digest() != data[head:head + _DIGEST]:
        raise ValueError("damaged (digest does not match)")
    try:
        return pickle.loads(payload)
    except Exception as exc:  # noqa: BLE001 — a bad entry is a miss, never a crash
        raise ValueError(f"cannot be read ({type(exc).__name__})") from None


def write_entry(path: Path, value: Any) -> None:
    """Write an entry whole under a temporary name, then rename it into place: a killed
    build leaves the old entry or the new one, never half of one."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".new-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(FORMAT + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class PageCache:
    """One entry per page: ``get`` and ``put`` by key, ``keep`` the pages of this build.

    ``use=False`` (``--clean``) reads nothing but still writes the new entries.  Any
    error of the cache itself (corrupt entries, a folder that cannot be read or
    written) becomes one line of ``messages``, for the build's summary (never a
    traceback, and never a line on stderr beside a failed build's one error line);
    the build goes on without the entry."""

    def __init__(self, folder: Path, version: str, use: bool = True):
        self.folder = folder
        self.pages = folder / "pages"
        self.version = version
        self.use = use
        self.messages: list[str] = []
        self.hits = 0
        self.misses = 0
        self.corrupt: list[str] = []
        self.failed = ""  # why entries could not be written (once)

    def key(self, name: str, raw: bytes, override: Any) -> str:
        """The page's key: the version, its name, its bytes and its ``pages.yaml`` entry."""
        digest = hashlib.sha256(self.version.encode())
        digest.update(name.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(repr(override).encode("utf-8", "surrogatepass") + b"\0")
        digest.update(raw)
        return digest.hexdigest()

    def get(self, key: str) -> Any | None:
        if not self.use:
            self.misses += 1
            return None
        path = self.pages / f"{key}.pickle"
        try:
            value = read_entry(path)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError) as exc:
            self.misses += 1
            self.corrupt.append(f"{path.name}: {exc.strerror if isinstance(exc, OSError) else exc}")
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        if self.failed:
            return
        try:
            write_entry(self.pages / f"{key}.pickle", value)
        except OSError as exc:
            self.failed = exc.strerror or str(exc)
            self.messages.append(f"page cache: cannot write {self.pages} ({self.failed}); the next build processes "
                                 "these pages again")

    def keep(self, keys: Iterable[str]) -> None:
        """Remove every entry that is not one of ``keys`` (pages no longer in the build,
        or made by other code or another profile), and leftovers of killed writes."""
        wanted = {f"{k}.pickle" for k in keys}
        try:
            entries = list(os.scandir(self.pages))
        except FileNotFoundError:
            return
        except OSError as exc:
            self.messages.append(f"page cache: cannot read {self.pages} ({exc.strerror or exc})")
            return
        for entry in entries:
            if entry.name not in wanted:
                with contextlib.suppress(OSError):
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path)
                    else:
                        os.unlink(entry.path)

    def report(self) -> None:
        """One message for all corrupt entries (those pages were processed again)."""
        if self.corrupt:
            more = f" (and {len(self.corrupt) - 1} more)" if len(self.corrupt) > 1 else ""
            self.messages.insert(0, f"page cache: ignored {len(self.corrupt)} corrupt entr{'y' if len(self.corrupt) == 1 else 'ies'} "
                        f"in {self.pages}, first {self.corrupt[0]}{more}; those pages were processed again")


class Memo:
    """What one rendering step made in the previous build, by a digest of what each
    result was made from: a day's new page changes a few hundred of an archive's
    25,000 files, and rendering the rest again only to find them equal was most of an
    update's time.

    One file per step (``.<docs>.cache/memo/<name>.pickle``, the format of the page
    cache's entries), holding the ``version_key`` it was made with (another version: the
    file is ignored) and a dict digest → result.  ``key`` digests plain values (strings,
    numbers, dates, tuples, lists, dicts — never sets, whose order differs between
    processes); a caller puts into the key everything its result is made from.  A page
    (``page``) is remembered by the digest of its text only, and taken from the docs tree
    in place when that file still has this digest — the memo stays small, and a file
    edited by hand is rendered again.  After a build the file holds the results this
    build used or made, nothing older.  The memo only saves time: a file that cannot be
    read or written is ignored (the step renders everything), and ``use=False``
    (``--clean``) reads nothing but still writes."""

    def __init__(self, path: Path | None, version: str = "", use: bool = True, tree: Path | None = None,
                 digest: Callable[[Any], str] | None = None):
        self.path = path
        self.version = version
        self.tree = tree
        self.digest: Callable[[Any], str] = digest or (lambda art: art.digest())  # a story's, for keys
        self.old: dict[str, Any] = {}
        self.new: dict[str, Any] = {}
        self.hits = 0  # results taken from the previous build…
        self.made = 0  # …and made anew
        self._inner: list[str] | None = None  # keys used while a group of pages renders (``pages``)
        if path is not None and use:
            with contextlib.suppress(OSError, ValueError, TypeError):
                saved_version, results = read_entry(path)
                if saved_version == version and isinstance(results, dict):
                    self.old = results

    @staticmethod
    def key(*parts: Any) -> str:
        """A digest of plain values.  Pickled without the pickler's memo, so equal values
        give equal bytes whether or not they share objects (a page's strings are shared
        differently when it was just processed and when it comes from the page cache)."""
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = True
        pickler.dump(parts)
        return hashlib.blake2b(buffer.getbuffer(), digest_size=20).hexdigest()

    def peek(self, key: str) -> Any | None:
        """What the previous build kept for ``key``, not yet taken (``get`` takes it)."""
        return self.old.get(key)

    def get(self, key: str) -> Any | None:
        value = self.old.get(key)
        if value is not None:
            self.hits += 1
            self.new[key] = value
        return value

    def put(self, key: str, value: Any) -> Any:
        self.made += 1
        self.new[key] = value
        return value

    def page(self, key: str, path: str, render: Callable[[], str]) -> str:
        """The page at docs-relative ``path``: the file in place when it was made from the
        same ``key``, else ``render()``."""
        return self.pages(key, lambda: {path: render()})[path]

    def render(self, path: str, template: Any, **values: Any) -> str:
        """A Jinja2 ``template`` rendered with ``values`` (plain values: the key) as the
        page at ``path``, or that page as the previous build rendered it."""
        return self.page(self.key(template.name, values), path, partial(template.render, **values))

    def pages(self, key: str, render: Callable[[], dict[str, str]]) -> dict[str, str]:
        """Pages made together (docs-relative path → text): the files in place when they
        were made from the same ``key`` and every one is still as made, else ``render()``.
        What ``render`` takes from the memo itself (a long list's unchanged pages) is
        kept with the result, so it is still there the next time the group changes."""
        if self._inner is not None:  # within another group's render
            self._inner.append(key)
        kept = self.old.get(key)
        if kept is not None and self.tree is not None:
            digests, inner = kept
            texts = {}
            for path, digest in digests.items():
                try:
                    with open(os.path.join(self.tree, path), "rb") as fh:  # not pathlib: 25,000 files
                        data = fh.read()
                except OSError:
                    break
                if hashlib.blake2b(data, digest_size=20).digest() != digest:
                    break
                texts[path] = data.decode("utf-8")
            else:
                self.hits += 1
                self.new[key] = kept
                for k in inner:
                    if k in self.old:
                        self.new[k] = self.old[k]
                return texts
        outer, self._inner = self._inner, []
        try:
            texts = render()
        finally:
            inner, self._inner = self._inner, outer
        self.made += 1
        self.new[key] = ({path: hashlib.blake2b(text.encode("utf-8"), digest_size=20).digest() for path, text in texts.items()},
                         inner or ())
        return texts

    def save(self) -> None:
        """Keep this build's results for the next (nothing written when they are the
        previous build's)."""
        if self.path is None or self.new.keys() == self.old.keys():
            return
        with contextlib.suppress(OSError):
            write_entry(self.path, (self.version, self.new))
        self.old = self.new


class Memos:
    """The memos of one build, one per step, loaded when the step first asks (in the
    process that renders it: the forked side process loads and saves its own).
    ``tree``: the docs tree in place, where remembered pages are read."""

    def __init__(self, folder: Path | None = None, version: str = "", use: bool = True, tree: Path | None = None):
        self.folder, self.version, self.use, self.tree = folder, version, use, tree
        self._memos: dict[str, Memo] = {}
        self._digests: dict[int, str] = {}

    def __getitem__(self, name: str) -> Memo:
        if name not in self._memos:
            path = self.folder / "memo" / f"{name}.pickle" if self.folder is not None else None
            self._memos[name] = Memo(path, self.version, self.use, self.tree, self.digest)
        return self._memos[name]

    def digest(self, art: Any) -> str:
        """``Article.digest``, once per story and build: the keys of every step use it.
        Asked for only after the cross-page steps (``build.link``), which change stories."""
        key = id(art)
        if key not in self._digests:
            self._digests[key] = art.digest()
        return self._digests[key]

    def forget(self) -> None:
        """The stories are about to change (``build.link``)."""
        self._digests.clear()

    def save(self, *names: str) -> dict[str, tuple[int, int]]:
        """Save these memos; what each did: name → (results taken, results made)."""
        done = {}
        for name in names:
            if name in self._memos:
                memo = self._memos[name]
                memo.save()
                done[name] = (memo.hits, memo.made)
        return done
