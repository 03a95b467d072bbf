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
import os
import pickle
import shutil
import sys
import tempfile
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
            data = path.read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as exc:
            return self._bad(path, exc.strerror or str(exc))
        head = len(FORMAT)
        if not data.startswith(FORMAT) or len(data) < head + _DIGEST:
            return self._bad(path, "not an entry of this cache")
        payload = data[head + _DIGEST:]
        if hashlib.sha256(payload).digest() != data[head:head + _DIGEST]:
            return self._bad(path, "damaged (digest does not match)")
        try:
            value = pickle.loads(payload)
        except Exception as exc:  # noqa: BLE001 — a bad entry is a miss, never a crash
            return self._bad(path, f"cannot be read ({type(exc).__name__})")
        self.hits += 1
        return value

    def _bad(self, path: Path, why: str) -> None:
        self.misses += 1
        self.corrupt.append(f"{path.name}: {why}")
        return None

    def put(self, key: str, value: Any) -> None:
        if self.failed:
            return
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.pages.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".new-", dir=self.pages)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(FORMAT + hashlib.sha256(payload).digest() + payload)
                os.replace(tmp, self.pages / f"{key}.pickle")
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
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
