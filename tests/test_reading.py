"""Reading raw pages: encodings, line ends and files that are not pages."""

from pathlib import Path

from generator.reading.pages import read_pages

PAGE = "测试标题\n\n本报讯 记者王明报道 今年,锦州市开展了活动。\n"


def _write(tmp: Path, name: str, data: bytes) -> None:
    (tmp / name).write_bytes(data)


def test_utf8_bom_crlf_and_gb18030_are_decoded(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", PAGE.encode("utf-8"))
    _write(tmp_path, "b.txt", b"\xef\xbb\xbf" + PAGE.replace("\n", "\r\n").encode("utf-8"))
    _write(tmp_path, "c.txt", PAGE.encode("gb18030"))
    result = read_pages(tmp_path)
    assert [p.name for p in result.pages] == ["a.txt", "b.txt", "c.txt"]
    assert all(p.text == PAGE for p in result.pages)
    assert [p.encoding for p in result.pages] == ["utf-8", "utf-8-sig", "gb18030"]
    assert any("c.txt" in n and "GB18030" in n for n in result.notes)
    assert not result.problems


def test_bad_files_are_reported_by_name_and_skipped(tmp_path: Path) -> None:
    _write(tmp_path, "empty.txt", b"")
    _write(tmp_path, "blank.txt", b" \n\t\r\n")
    _write(tmp_path, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _write(tmp_path, "good.txt", PAGE.encode("utf-8"))
    result = read_pages(tmp_path)
    assert [p.name for p in result.pages] == ["good.txt"]
    reasons = {p.file: p.reason for p in result.problems}
    assert "empty" in reasons["empty.txt"]
    assert "whitespace" in reasons["blank.txt"]
    assert "binary" in reasons["binary.txt"]


def test_undecodable_bytes_are_refused_with_a_reason(tmp_path: Path) -> None:
    # invalid in UTF-8 and in GB18030 (0x80 alone and 0xFF are never valid GB18030 lead bytes)
    _write(tmp_path, "bad.txt", "锦州".encode("utf-8") + b"\xff\xfe\x80\x80" * 10)
    result = read_pages(tmp_path)
    assert not result.pages
    assert "cannot decode" in result.problems[0].reason
    assert "line 1" in result.problems[0].reason
