"""Property tests: reading, segmenting and cleaning never crash, never lose text, and
cleaning is idempotent — on arbitrary pages built from newspaper-like pieces."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cleaning.clean import clean_article, clean_page
from generator.cleaning.conservation import balance
from generator.model import SourcePage
from generator.reading.pages import decode
from generator.segmenting.segment import segment

PIECES = [
    "锦州港保税物流中心开工建设", "本报讯 记者王明报道 今年以来,", "本报记者 高华庚 文并摄", "孙 娜 摄",
    "锦州脚步 JIAOBU", "链接 LIANJIE", "核心提示 ", "——城南区推进社区治理纪实", "# ", "## ", "### ", "**核心提示**",
    "全市共成立网格党支部1336个,", "覆盖率100%。", "(B型)", "5:5比例", "做好做好", "“飞地经济”", "1 构建新格局",
    "2", "社区志愿者为老人理发。", "本版图片除署名外由本报记者高华庚摄", "李兵 本报记者 文继红", "<script>alert(1)</script>",
    "[x](javascript:alert(1))", "---", "| a | b |", "`code`", "_x_", "*y*", "1. ", "> ", "！？", "!?", ";", ":", ",",
]
LINE = st.lists(st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=12)), min_size=0, max_size=5).map("".join)
PAGE = st.lists(st.tuples(LINE, st.integers(0, 3)), min_size=1, max_size=25).map(
    lambda rows: "".join(line + "\n" * (gap + 1) for line, gap in rows))

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=400))
def test_decode_never_crashes(data: bytes) -> None:
    result = decode("x.txt", data)
    assert isinstance(result, tuple) or result.reason


@SETTINGS
@given(PAGE)
def test_segment_and_clean_never_lose_text(text: str) -> None:
    page = SourcePage("p.txt", text, "utf-8")
    layout = clean_page(segment(page))
    accounted = balance(text, layout)
    assert accounted.ok, accounted.missing


@SETTINGS
@given(PAGE)
def test_cleaning_is_idempotent(text: str) -> None:
    layout = clean_page(segment(SourcePage("p.txt", text, "utf-8")))
    for art in layout.articles:
        again = clean_article(art)
        assert [p.text for p in again.body] == [p.text for p in art.body]
        assert [p.text for p in again.summary] == [p.text for p in art.summary]
        assert [p.text for p in again.sidebar] == [p.text for p in art.sidebar]
        assert [c.text for c in again.captions] == [c.text for c in art.captions]
        assert (again.title, again.kicker, again.subtitle) == (art.title, art.kicker, art.subtitle)


_PART = st.sampled_from(["a", "b", "index.md", "x.md", "articles", "2020", "第1版"])


@settings(deadline=None)  # a loaded machine; correctness only
@given(st.lists(_PART, min_size=1, max_size=4), st.lists(_PART, min_size=1, max_size=4))
def test_rel_is_posix_relpath(source: list[str], target: list[str]) -> None:
    """``metadata.rel``'s string shortcut gives exactly what ``posixpath.relpath`` gives."""
    import posixpath

    from generator.pages.metadata import rel

    from_doc, to_doc = "/".join(source), "/".join(target)
    assert rel(from_doc, to_doc) == posixpath.relpath(to_doc, posixpath.dirname(from_doc) or ".")
