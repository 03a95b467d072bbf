"""Reading raw page files from ``seeds/``: decoding, and refusing what is not a page.

Newspaper texts reach the archive from many tools: UTF-8 with or without a BOM,
Windows line ends, UTF-16 from Windows editors (always with a BOM), and older
GBK/GB18030 exports.  We try the encodings a Chinese archive actually meets,
strictly and in a fixed order, rather than guessing with a statistical detector:
a wrong guess would silently corrupt text, while a strict failure is reported and
the file skipped.

Only regular files inside ``seeds/`` are read.  A symbolic link is never followed
(``seeds/passwd.txt -> /etc/passwd`` would publish the password file), and a FIFO or
device is never opened for reading (a FIFO blocks the build forever): each is a
problem with its reason, never silently skipped.  ``pages.yaml`` goes through the
same opener.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Problem, SourcePage, display_name

# Strict decoders, most specific first.  GB18030 is a superset of GBK and GB2312.
ENCODINGS = ("utf-8", "gb18030")
# UTF-16 is decoded only with its BOM: without one, NUL bytes mean binary.
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
# What each encoding is called in the notes (UTF-8 without a BOM needs no note)
_NOTES = {
    "gb18030": "not UTF-8, decoded as GB18030 (GBK)",
    "utf-8-sig": "UTF-8 with BOM (BOM removed)",
    "utf-16-le": "not UTF-8, decoded as UTF-16 (little-endian, BOM removed)",
    "utf-16-be": "not UTF-8, decoded as UTF-16 (big-endian, BOM removed)",
}

# A decoded page must be mostly text: letters, digits, punctuation, spaces.
_MIN_TEXT_RATIO = 0.95


@dataclass
class ReadResult:
    pages: list[SourcePage] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "x.txt: decoded as GB18030"


# control characters (other than tab and newline), surrogates and the replacement mark
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")


def _text_ratio(text: str) -> float:
    """Share of characters that are ordinary text (not control characters)."""
    if not text:
        return 0.0
    return 1 - len(_NOT_TEXT.findall(text)) / len(text)


def decode(name: str, raw: bytes) -> tuple[str, str] | Problem:
    """Decode one file's bytes; return (text, encoding) or the reason it is refused."""
    if not raw.strip():
        what = "empty file" if not raw else "file holds only whitespace"
        return Problem(name, None, f"{what}: nothing to archive", kind=what,
                       zh="空文件，没有可收录的内容" if not raw else "文件只有空白，没有可收录的内容")
    utf16 = _UTF16_BOMS.get(raw[:2])
    if utf16 is None and b"\x00" in raw[:8192]:
        return Problem(name, None, "binary file (contains NUL bytes): not a text page", kind="binary file",
                       zh="二进制文件（含空字节），不是文本版面")
    encoding = ""
    text = ""
    if utf16 is not None:  # UTF-16 is full of NUL bytes: only its BOM tells it from binary
        try:
            text, encoding = raw[2:].decode(utf16), utf16
        except UnicodeDecodeError as exc:
            return Problem(name, None, f"UTF-16 BOM but invalid UTF-16 ({exc.reason})", kind="invalid UTF-16",
                           zh="文件标明 UTF-16 编码，但内容无法按此解码")
    elif raw.startswith(b"\xef\xbb\xbf"):
        try:
            text, encoding = raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            return Problem(name, _line_of(raw, exc.start + 3), f"UTF-8 BOM but invalid UTF-8 ({exc.reason})",
                           kind="invalid UTF-8 after a BOM", zh="文件标明 UTF-8 编码，但内容无法按此解码")
    else:
        errors: list[str] = []
        for enc in ENCODINGS:
            try:
                text, encoding = raw.decode(enc), enc
                break
            except UnicodeDecodeError as exc:
                errors.append(f"{enc}: byte {exc.start} (line {_line_of(raw, exc.start)})")
        if not encoding:
            return Problem(name, None, "cannot decode as UTF-8 or GB18030 — " + "; ".join(errors),
                           kind="cannot decode", zh="既不是 UTF-8 也不是国标 GB 18030 编码，无法解码")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Problem(name, None, "file holds only whitespace: nothing to archive", kind="file holds only whitespace",
                       zh="文件只有空白，没有可收录的内容")
    if _text_ratio(text) < _MIN_TEXT_RATIO:
        return Problem(name, None, f"decoded as {encoding} but mostly control characters: binary or wrong encoding",
                       kind="mostly control characters", zh="解码后大多是控制字符：是二进制文件，或编码有误")
    return text, encoding


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


_FILE_TYPES = ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
               (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"), (stat.S_ISLNK, "symbolic link"))
# never follow a link, never wait for a writer; O_NOFOLLOW/O_NONBLOCK are POSIX (0 elsewhere)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


# Chinese for the reasons read_regular gives (the public sources page shows them)
_FILE_TYPES_ZH = {"directory": "文件夹", "FIFO": "命名管道", "character device": "字符设备", "block device": "块设备",
                  "socket": "套接字", "symbolic link": "符号链接", "special file": "特殊文件",
                  "dangling symbolic link": "指向不存在文件的符号链接", "symbolic link loop": "循环的符号链接"}
_OS_ERRORS_ZH = {errno.EACCES: "没有读取权限", errno.EPERM: "不允许读取", errno.EIO: "读写错误",
                 errno.ENOENT: "文件已不存在", errno.EISDIR: "这是文件夹", errno.EFBIG: "文件过大"}


def reason_zh(reason: str) -> str:
    """A reason from ``read_regular``/``not_regular`` in Chinese."""
    if reason.startswith("not a regular file (") and reason.endswith(")"):
        what = reason[len("not a regular file ("):-1]
        return f"不是普通文件（{_FILE_TYPES_ZH.get(what, '特殊文件')}），未读取"
    if reason.startswith("cannot read: "):
        strerror = reason[len("cannot read: "):]
        known = {os.strerror(n): zh for n, zh in _OS_ERRORS_ZH.items()}
        return f"无法读取（{known.get(strerror, '系统拒绝读取')}）"
    return "无法读取"


def _file_type(mode: int) -> str:
    return next((name for test, name in _FILE_TYPES if test(mode)), "special file")


def _link_kind(path: Path) -> str:
    """What a symbolic link is, for the message: its target is never read (or named:
    that could be an absolute path of the build machine)."""
    try:
        path.stat()
    except FileNotFoundError:
        return "dangling symbolic link"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
    return "symbolic link"


def not_regular(path: Path) -> str | None:
    """Why ``path`` is not a regular file, looking at the entry itself (``lstat``: a link
    is judged as a link, not by its target); ``None`` if it is one."""
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    if stat.S_ISREG(mode):
        return None
    what = _link_kind(path) if stat.S_ISLNK(mode) else _file_type(mode)
    return f"not a regular file ({what})"


def read_regular(path: Path, trust_listing: bool = False) -> bytes | str:
    """The bytes of ``path`` if it is a regular file, else the reason it is not read.

    The one opener for everything read from seeds/.  The entry is checked first
    (``lstat``, so links and FIFOs are never opened), then opened without following
    links and without blocking, and the opened file itself is checked (``fstat``):
    a file swapped for a link or a FIFO between the check and the open is still
    refused.  ``trust_listing`` skips the first check (a test of that race).
    Reasons name no path: they end up on the public sources page.
    """
    if not trust_listing and (reason := not_regular(path)):
        return reason
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
            return f"not a regular file ({_link_kind(path)})"
        return f"cannot read: {exc.strerror}"
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        return f"not a regular file ({_file_type(mode)})"
    with os.fdopen(fd, "rb") as f:
        try:
            return f.read()
        except OSError as exc:
            return f"cannot read: {exc.strerror}"


def is_page_name(name: str) -> bool:
    """A page file: ``*.txt`` in any case (``A.TXT`` from Windows tools too), not hidden
    (``.x.txt``, ``._x.txt`` are editor and macOS metadata files)."""
    return not name.startswith(".") and name.lower().endswith(".txt") and len(name) > 4


def page_names(seeds: Path) -> list[str]:
    """The page file names in ``seeds``, sorted, whatever kind of entry each is.

    Names come as the OS gives them: a name that is not UTF-8 holds surrogates
    (``surrogateescape``) until ``display_name`` shows its bytes.
    """
    with os.scandir(seeds) as entries:
        return sorted(e.name for e in entries if is_page_name(e.name))


def _stem_key(name: str) -> str:
    """Two names are the same page if they differ only in the case of ``.txt``
    (``a.txt``, ``a.TXT``): pages are identified by their stem downstream (URLs, ids)."""
    return name[:-4]


def read_pages(seeds: Path) -> ReadResult:
    """Read every ``*.txt`` (any case) in ``seeds`` in name order; bad files become problems."""
    result = ReadResult()
    taken: dict[str, str] = {}  # shown stem → shown name of the page that has it
    for os_name in page_names(seeds):
        name = display_name(os_name)
        if (first := taken.get(_stem_key(name))) is not None:
            same_case = first.lower() == name.lower()
            why = ("differs only in the case of the extension" if same_case
                   else "the same once its unprintable characters are escaped")
            why_zh = "只是扩展名大小写不同" if same_case else "不可显示的字符转写后相同"
            result.problems.append(Problem(name, None, f"same page name as {first} ({why}); rename one",
                                           kind="same page name as another file",
                                           zh=f"与 {first} 同名（{why_zh}），未收录"))
            continue
        raw = read_regular(seeds / os_name)
        if isinstance(raw, str):
            result.problems.append(Problem(name, None, raw, kind=raw, zh=reason_zh(raw)))
            continue
        decoded = decode(name, raw)
        if isinstance(decoded, Problem):
            result.problems.append(decoded)
            continue
        taken[_stem_key(name)] = name
        text, encoding = decoded
        if encoding in _NOTES:
            result.notes.append(f"{name}: {_NOTES[encoding]}")
        result.pages.append(SourcePage(name=name, text=text, encoding=encoding, raw=raw))
    return result
