"""Writing the output trees (``docs_src/``, ``site/``) so that no build can hurt what it
does not own, and no kill leaves a half-written tree.

Every tree is written complete into a staging folder beside its target, then swapped in
with one rename: on Linux ``renameat2(RENAME_EXCHANGE)`` swaps the two folders in a single
step, so the target name always holds a whole tree, old or new.  Where the filesystem or
OS cannot exchange, the old tree is renamed aside and the new one renamed in; a kill
between those two renames leaves only ``.<name>-old``, which the next build renames
back before doing anything else.

The remaining window: ``docs_src/`` and ``site/`` are two swaps.  A kill between them
leaves the new ``docs_src/`` beside the old ``site/`` — each tree complete, and the next
build makes them agree again.

A build also refuses output folders that would destroy its own inputs (the project, the
seeds, the other output, the home folder) or a folder it did not create.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import signal
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..errors import SettingsError

# Written into every tree this generator produces; a non-empty folder without it (or
# without the layout of an older build) is not ours to replace.
MARKER = ".jinzhou-archive"
MARKER_TEXT = "This folder is written by the 锦州 archive generator and replaced whole by every build.\n"
# Folders of earlier builds had no marker; these files show one was ours.
_LEGACY_SIGNS = ("sources/index.md", "sources/index.html")
# Fault injection for the tests of the final phase: SIGKILL this process at the n-th step.
KILL_AT_ENV = "JINZHOU_ARCHIVE_KILL_AT_STEP"
NO_EXCHANGE_ENV = "JINZHOU_ARCHIVE_NO_EXCHANGE"  # force the two-rename swap (tests)


class OutputPathError(SettingsError):
    """An output folder that must not be written (exit status 2, nothing touched)."""


@dataclass
class StagedTree:
    """A complete new tree beside its target, and how it differs from the old one."""

    target: Path
    staging: Path
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# which folders may be written
# ---------------------------------------------------------------------------
def check_outputs(outputs: dict[str, Path], inputs: dict[str, Path], protected: dict[str, Path]) -> None:
    """Refuse an output that is, contains or lies inside an input or another output, or
    that is or contains a protected folder (the project, home), or that is an existing
    non-empty folder this generator did not write.  Paths are compared resolved, so
    ``.``, ``..`` and symlinked spellings are caught too."""
    fixed = {**protected, **inputs}
    checks = [(label, path, fixed) for label, path in outputs.items()]
    checks += [(label, path, {f"{o} output": p for o, p in outputs.items() if o != label}) for label, path in outputs.items()]
    for label, path, folders in checks:
        out = path.resolve()
        for what, folder in folders.items():
            f = folder.resolve()
            if out == f or out in f.parents:
                relation = "is" if out == f else "contains"
            elif f in out.parents and what not in protected:
                relation = "is inside"
            else:
                continue
            raise OutputPathError(f"{label} folder '{path}' {relation} the {what} folder '{folder}'; "
                                  f"a build replaces its output whole: choose a folder of its own")
    for label, path in outputs.items():
        out = path.resolve()
        if out.exists() and not _replaceable(out):
            raise OutputPathError(f"{label} folder '{path}' exists and was not written by this generator (no {MARKER} "
                                  f"file); a build replaces it whole: empty it, or choose another folder")


def _replaceable(folder: Path) -> bool:
    if not folder.is_dir() or folder.is_symlink():
        return False
    if (folder / MARKER).is_file() or any((folder / sign).is_file() for sign in _LEGACY_SIGNS):
        return True
    return not any(folder.iterdir())


# ---------------------------------------------------------------------------
# one build at a time, and what a killed build left behind
# ---------------------------------------------------------------------------
@contextlib.contextmanager
def locked(targets: list[Path], waiting: Callable[[Path], None]) -> Iterator[None]:
    """Hold an exclusive lock per output folder (``.<name>.lock`` beside it) for the
    whole build; a second build waits.  ``flock`` locks die with their process, so a
    killed build never leaves a stale lock."""
    handles = []
    try:
        for target in sorted({t.resolve() for t in targets}):
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(target.parent / f".{target.name}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            handles.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting(target)
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        for fd in handles:
            os.close(fd)


def recover(target: Path) -> list[str]:
    """Undo what a killed build left beside ``target`` (call under the lock): put back an
    old tree that was renamed aside, remove staging folders.  Returns what was done."""
    done = []
    old = _aside(target)
    if old.exists() and not target.exists():
        os.rename(old, target)
        done.append(f"{target.name}: restored the previous tree left aside by an interrupted build")
    for leftover in sorted(target.parent.glob(f".{target.name}-*")):
        if leftover.is_dir() and not leftover.is_symlink() and leftover.name != f".{target.name}.lock":
            shutil.rmtree(leftover, ignore_errors=True)
            done.append(f"{target.name}: removed {leftover.name} left by an interrupted build")
    return done


def _aside(target: Path) -> Path:
    return target.with_name(f".{target.name}-old")


# ---------------------------------------------------------------------------
# staging and swapping
# ---------------------------------------------------------------------------
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def new_staging(target: Path) -> Path:
    """An empty folder beside ``target`` with the mode a plain ``mkdir`` would give
    (``mkdtemp`` makes 0700, which a web server running as another user cannot read)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    os.chmod(staging, 0o777 & ~_umask())
    return staging


def stage_tree(files: dict[str, bytes], target: Path, hidden: dict[str, bytes] | None = None) -> StagedTree:
    """Write ``files`` as a complete tree beside ``target``.  A file identical to the
    old tree's is hard-linked from it (same bytes, same mtime, no copy), so ``mkdocs
    serve`` and rsync see only what changed.  ``hidden``: the generator's own files
    (like the marker), written but not counted."""
    target = target.resolve()
    hidden = hidden or {}
    staged = StagedTree(target, new_staging(target))
    old_root = target if target.is_dir() else None
    made: set[str] = set()  # folders of the staging tree made so far
    try:
        for rel_path, data in sorted(files.items()):
            # decided on the name alone: the staging folder is new and only this loop
            # writes into it (no links to follow); resolving 25,000 paths took a second
            if rel_path.startswith("/") or any(part in ("", ".", "..") for part in rel_path.split("/")):
                raise OutputPathError(f"refusing to write outside {target}: {rel_path}")
            dest = staged.staging / rel_path
            folder = rel_path.rpartition("/")[0]
            if folder and folder not in made:
                dest.parent.mkdir(parents=True, exist_ok=True)
                made.add(folder)
            old = old_root / rel_path if old_root else None
            same = old is not None and _same_file(old, data)
            if same:
                staged.unchanged += 1
            else:
                staged.written.append(rel_path)
            if not (same and _link(old, dest)):
                dest.write_bytes(data)
        (staged.staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        for name, data in hidden.items():
            (staged.staging / name).write_bytes(data)
        if old_root:
            staged.deleted = sorted(rel for rel in _files_in(old_root)
                                    if rel != MARKER and rel not in hidden and rel not in files)
    except BaseException:
        shutil.rmtree(staged.staging, ignore_errors=True)
        raise
    return staged


def link_tree(source: Path, dest: Path, skip: set[str]) -> None:
    """Fill the empty folder ``dest`` with hard links to every file of ``source`` (same
    inodes, so same bytes and mtimes; nothing copied), except the top-level names in
    ``skip``.  Whoever writes into ``dest`` must replace a file, never write into it:
    the file is also ``source``'s (``output.mkdocs`` makes sure of that)."""
    for root, dirs, names in os.walk(source):
        rel = os.path.relpath(root, source)
        out = dest if rel == "." else dest / rel
        if rel != ".":
            out.mkdir()
        for name in names:
            if rel == "." and name in skip:
                continue
            os.link(os.path.join(root, name), out / name, follow_symlinks=False)
        dirs[:] = [d for d in dirs if not (rel == "." and d in skip) and not os.path.islink(os.path.join(root, d))]


def _link(source: Path, dest: Path) -> bool:
    try:
        os.link(source, dest)
        return True
    except OSError:  # another filesystem, or links not supported: write a copy
        return False


def _files_in(root: Path) -> Iterator[str]:
    """Root-relative POSIX paths of the regular files under ``root`` (links not followed)."""
    for folder, dirs, names in os.walk(root):
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        for name in names:
            if stat.S_ISREG(os.lstat(os.path.join(folder, name)).st_mode):
                yield prefix + name


def _same_file(path: Path, data: bytes) -> bool:
    """A regular file (not a link) holding ``data``."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        with open(path, "rb") as fh:
            return fh.read() == data
    except OSError:
        return False


def commit(staged: list[StagedTree], warn: Callable[[str], None]) -> None:
    """Swap every staged tree in, then remove the old ones.  If a swap fails, the swaps
    already made are undone, so the previous output stays whole.  SIGINT and SIGTERM
    wait until the swaps are done: a Ctrl-C is honoured before or after, never halfway."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    checkpoint = _Steps()
    try:
        swapped: list[tuple[StagedTree, Path | None]] = []
        try:
            for tree in staged:
                checkpoint()
                swapped.append((tree, _swap(tree.staging, tree.target, checkpoint)))
        except BaseException:
            for tree, old in reversed(swapped):
                _unswap(tree, old)
            raise
        for tree, old in swapped:
            checkpoint()
            if old is not None:
                try:
                    shutil.rmtree(old)
                except OSError as exc:
                    warn(f"{tree.target.name}: the previous tree could not be removed ({exc.strerror}): {old.name}")
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def discard(staged: list[StagedTree]) -> None:
    """Remove staging folders (after a failure, or what a swap left in them)."""
    for tree in staged:
        shutil.rmtree(tree.staging, ignore_errors=True)


def _swap(new: Path, target: Path, checkpoint: Callable[[], None]) -> Path | None:
    """Put ``new`` at ``target``; return where the old tree now is (None: there was none)."""
    if not target.exists():
        os.rename(new, target)
        return None
    if _exchange(new, target):
        return new
    old = _aside(target)
    os.rename(target, old)
    checkpoint()
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    return old


def _unswap(tree: StagedTree, old: Path | None) -> None:
    """Undo ``_swap``: the new tree goes back to its staging name (to be discarded)."""
    if old == tree.staging:
        _exchange(tree.staging, tree.target)
        return
    os.rename(tree.target, tree.staging)
    if old is not None:
        os.rename(old, tree.target)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux ``renameat2``); False where unsupported."""
    if os.environ.get(NO_EXCHANGE_ENV) or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


class _Steps:
    """Counts the steps of one commit's final phase; the fault-injection tests kill the
    build at the step named in ``JINZHOU_ARCHIVE_KILL_AT_STEP``."""

    def __init__(self) -> None:
        self.done = 0

    def __call__(self) -> None:
        self.done += 1
        if os.environ.get(KILL_AT_ENV) == str(self.done):
            os.kill(os.getpid(), signal.SIGKILL)
