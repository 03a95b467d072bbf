"""Hostile input that reaches front matter, headings, slugs and kickers (issue 11).

Every test builds a real small site with the real CLI and looks at what a reader
gets: the Markdown in docs_src/, the HTML in site/, and for script injection the
page in real headless Chromium.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import ROOT, build_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_robustness import GOOD, _cli

from generator.model import display_name
from generator.pages.catalogue import read_catalogue
from generator.pages.mdtext import md_escape_inline

SITE_NAME = "锦州日报数字档案"
SITE_DESCRIPTION = "锦州日报版面整理而成的可检索新闻档案"
XSS = "<img src=x onerror=alert(document.domain)>"
HOSTILE_NAMES = ["c #d.txt", "a: b.txt", "x\ny: 1.txt", f"{XSS}.txt", "{{ 7*7 }}.txt", "]](x).txt",
                 f'x\ndescription: x">{XSS}.txt']


def _front_matter(md: Path) -> dict:
    text = md.read_text("utf-8")
    assert text.startswith("---\n"), md
    return yaml.safe_load(text.split("\n---\n", 1)[0][4:])


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _h1(page: Path) -> str:
    return _text(re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text("utf-8"), re.S).group(1))


def _html_title(page: Path) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page.read_text("utf-8"), re.S).group(1))


def _meta(page: Path, name: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(rf'<meta name="{name}" content="([^"]*)"', page.read_text("utf-8"))]


def _source_pages(work: Path) -> dict[str, Path]:
    """Source file name → its 版面 page in docs_src (read back from the front matter)."""
    out = {}
    for md in (work / "docs_src" / "sources").glob("*.md"):
        if md.name != "index.md":
            note = re.search(r"原文件：<a [^>]*>(.*?)</a>", md.read_text("utf-8"), re.S)
            out[html.unescape(note.group(1))] = md
    return out


# ---------------------------------------------------------------------------
# 1. file names in front matter and HTML
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("hostile")
    seeds = work / "seeds"
    seeds.mkdir()
    for n, name in enumerate(HOSTILE_NAMES):
        (seeds / name).write_text(GOOD.replace("测试新闻标题", f"第{n}版测试标题"), encoding="utf-8")
    build_site(seeds, work)
    return work


def test_every_generated_page_has_yaml_front_matter_with_known_keys(hostile_site: Path) -> None:
    """Front matter is data written by one YAML writer: no name can add a key."""
    allowed = {"title", "kicker", "subtitle", "column", "authors", "photographers", "date", "date_inferred", "source",
               "newspaper", "page_label", "citation",
               "summary", "captions", "places", "topics", "organizations"}
    for md in (hostile_site / "docs_src").rglob("*.md"):
        meta = _front_matter(md)
        assert isinstance(meta, dict) and set(meta) <= allowed, (md, meta)
        assert isinstance(meta["title"], str)


def test_source_page_names_the_file_literally(hostile_site: Path) -> None:
    """The 版面 page is titled for a reader; its 原文件 note shows the file name as it is."""
    pages = _source_pages(hostile_site)
    assert sorted(pages) == sorted(map(display_name, HOSTILE_NAMES))  # control characters shown escaped
    for name, md in pages.items():
        built = hostile_site / "site" / md.relative_to(hostile_site / "docs_src").with_suffix(".html")
        title = _front_matter(md)["title"]
        assert title.startswith("辽宁日报 2024年3月") and _html_title(built) == f"{title} - {SITE_NAME}"
        assert _h1(built) == title
        assert " ".join(name.split("\n")) in " ".join(_text(built.read_text("utf-8")).split("\n"))
        assert _meta(built, "description") == [SITE_DESCRIPTION]


def test_file_names_are_literal_on_the_sources_index_and_article_pages(hostile_site: Path) -> None:
    index = (hostile_site / "site" / "sources" / "index.html").read_text("utf-8")
    cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", index, re.S)]
    titles = {name: _front_matter(md)["title"] for name, md in _source_pages(hostile_site).items()}
    assert all(any(cell.startswith(title) for cell in cells) for title in titles.values())
    records = read_catalogue(hostile_site / "site")
    assert sorted(r["source"] for r in records) == sorted(map(display_name, HOSTILE_NAMES))
    for r in records:
        page = (hostile_site / "site" / r["url"]).read_text("utf-8")
        assert "《辽宁日报》" + titles[r["source"]].removeprefix("辽宁日报").strip() in _text(page)
        assert "<img src=x" not in page


def test_no_script_runs_from_a_file_name_in_chromium(hostile_site: Path, http_server, page) -> None:
    site = hostile_site / "site"
    base = http_server(site)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    records = read_catalogue(site)
    urls = ["index.html", "sources/index.html"] + [r["url"] for r in records] + [
        md.relative_to(hostile_site / "docs_src").with_suffix(".html").as_posix() for md in _source_pages(hostile_site).values()]
    for url in urls:
        page.goto(base + url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)
        assert page.locator("img[src='x']").count() == 0, url
    assert dialogs == []


def test_templates_interpolate_nothing_unescaped() -> None:
    """Every ``{{ … }}`` in a template is escaped (``md``/``h`` filter), or is a number,
    a date, a link we made, text already escaped (``p``), the front matter block
    written by the YAML writer, or a call of a macro defined in a template (whose own
    ``{{ … }}`` are checked here like any other); no template writes front matter by hand."""
    unfiltered = re.compile(r"front_matter|p|[\w.]*link|[\w.]*(counts\.\w+|line|n_\w+|index|raw_lines|count|log_counts)"
                            r"|[\w.]*date\.(year|month|day|isoformat\(\))|(first|last)_date|kind_names\[e\.kind\]"
                            r'|"%\.2f" \| format\(confidence\)|"%02d" \| format\(m\.month\)'
                            r"|([\w.]*\.)?(year|month|day|n|w|number|page_number|continued)|\w+ \| length"  # numbers
                            # what paging.py writes from numbers, dates and our links: page links, counts, page lists
                            r"|pager|counts|log_id|a\.log_id|\"\{#original\}\"|\"\{(#|: #)\" ~ a\.log_id ~ \"( \.article-log-title )?\}\"")
    templates = sorted((ROOT / "generator" / "templates").glob("*.j2"))
    macros = {name for tpl in templates for name in re.findall(r"\{%-? *macro (\w+)\(", tpl.read_text("utf-8"))}
    macro_call = re.compile(r"(\w+\.)?(" + "|".join(sorted(macros)) + r")\([\w., ]*\)")
    for tpl in templates:
        text = tpl.read_text("utf-8")
        assert "title:" not in text and not text.startswith("---"), f"{tpl.name}: front matter written by hand"
        for expr in re.findall(r"\{\{ *(.*?) *\}\}", text):
            assert re.search(r"\| *(md|h)$", expr) or unfiltered.fullmatch(expr) or macro_call.fullmatch(expr), \
                f"{tpl.name}: {{{{ {expr} }}}}"


# ---------------------------------------------------------------------------
# 2. headlines that Markdown would reinterpret
# ---------------------------------------------------------------------------
HEADLINES = ["锦州港3#", "# ###", "锦州港 ##", "编号#1号泊位开工"]


def test_headline_with_trailing_hashes_renders_literally(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n, head in enumerate(HEADLINES):
        (seeds / f"h{n}.txt").write_text(f"{head}\n\n本报讯 记者王明报道 正文第{n}段。\n", encoding="utf-8")
    site = build_site(seeds, tmp_path)
    records = read_catalogue(site)
    titles = sorted(r["title"] for r in records)
    assert titles == sorted(["锦州港3#", "###", "锦州港 ##", "编号#1号泊位开工"])
    for r in records:
        assert _h1(site / r["url"]) == r["title"]
        assert _html_title(site / r["url"]) == f"{r['title']} - {SITE_NAME}"


_MD = markdown.Markdown(extensions=["attr_list", "tables", "toc"])
_HEADING_TEXT = st.text(st.sampled_from(list("#锦州港 3a-*_[]()`\\<>&|!.1{}:")), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_HEADING_TEXT.filter(lambda t: t.strip()))
def test_escaped_heading_renders_as_its_text(text: str) -> None:
    """``# `` + md_escape_inline(text) is an h1 whose text is ``text`` (spaces collapsed)."""
    out = _MD.reset().convert("# " + md_escape_inline(text))
    m = re.fullmatch(r"<h1[^>]*>(.*)</h1>", out, re.S)
    assert m, out
    assert " ".join(_text(m.group(1)).split()) == " ".join(text.split()), out


# ---------------------------------------------------------------------------
# 3. slugs and file names bounded in bytes
# ---------------------------------------------------------------------------
MAX_NAME_BYTES = 80 + len(".html")


def test_long_file_names_and_headlines_give_bounded_slugs(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    long_ascii = "a" * 246 + ".txt"
    long_cjk = "锦" * 82 + ".txt"
    long_words = "-".join(["word"] * 50) + ".txt"
    for name in (long_ascii, long_cjk, long_words):
        assert len(name.encode()) <= 255
        (seeds / name).write_text(GOOD.replace("测试新闻", name[:3]), encoding="utf-8")
    (seeds / "long_title.txt").write_text("# " + "Z" * 300 + "\n\n本报讯 记者王明报道 正文。\n\n" + "x" * 120 + " y " * 50
                                          + "\n\n本报讯 记者王明报道 正文二。\n", encoding="utf-8")
    (seeds / "long_org.txt").write_text("长机构名称报道\n\n本报讯 记者王明报道 锦州神工半导体" + "股份有限公司" * 60 + "今天开业。\n",
                                        encoding="utf-8")
    site = build_site(seeds, tmp_path)
    for folder in (site, tmp_path / "docs_src"):
        for p in folder.rglob("*"):
            assert len(p.name.encode()) <= MAX_NAME_BYTES, p.name
    records = read_catalogue(site)
    assert any(r["title"] == "Z" * 300 for r in records)
    assert len({r["url"] for r in records}) == len(records)
    sources = _source_pages(tmp_path)
    assert {long_ascii, long_cjk, long_words} <= set(sources)
    assert len({p.name for p in sources.values()}) == len(sources)


# ---------------------------------------------------------------------------
# 4. a kicker is one short line
# ---------------------------------------------------------------------------
def test_many_short_lines_are_body_not_a_kicker(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    lines = [f"第{i}号通知发布" for i in range(3000)]
    (seeds / "short_lines.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    (seeds / "long_kicker.txt").write_text("# " + "很长的引题文字" * 20 + "\n\n# 真正的标题\n\n本报讯 记者王明报道 正文。\n",
                                           encoding="utf-8")
    work = tmp_path
    result = _cli("build", "--seeds", str(seeds), "--docs", str(work / "docs_src"), "--site", str(work / "site"), "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all accounted for" in result.stdout + result.stderr
    records = read_catalogue(work / "site")
    for r in records:
        assert len(r["kicker"]) <= 40, r["kicker"][:80]
    many = [r for r in records if r["source"] == "short_lines.txt"]
    body = "\n".join(r["body"] for r in many)
    assert all(line in body or line in [r["title"] for r in many] for line in lines)
    long_page = next(r for r in records if r["source"] == "long_kicker.txt")
    assert long_page["title"] == "真正的标题" and long_page["kicker"] == ""
    assert "很长的引题文字" * 20 in long_page["body"]


# ---------------------------------------------------------------------------
# 5. dates from 1900 to 2100
# ---------------------------------------------------------------------------
def test_dates_from_1900_to_2100_render(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    dates = {"old.txt": "1900-01-01", "mid.txt": "1950-05-01", "new.txt": "2100-12-31"}
    for name in dates:
        (seeds / name).write_text(GOOD.replace("测试新闻", name[:3]), encoding="utf-8")
    (seeds / "pages.yaml").write_text("".join(f"{n}: {{date: {d}}}\n" for n, d in dates.items()), encoding="utf-8")
    work = tmp_path
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--docs", str(work / "docs_src"),
         "--site", str(work / "site"), "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    records = read_catalogue(work / "site")
    assert sorted(r["date"] for r in records) == sorted(dates.values())
    for r in records:
        assert (work / "site" / r["url"]).is_file()
        assert r["url"].startswith(f"articles/{r['date'][:4]}/")
    timeline = (work / "site" / "timeline" / "index.html").read_text("utf-8")
    for d in ("1900年", "1950年", "2100年"):
        assert d in timeline
    assert len(timeline) < 400_000  # a chart over 200 years stays a page, not a megabyte


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["第一号通知发布", "锦州港保税物流中心开工建设", "# 标题", "本报讯 记者王明报道 正文。", "长" * 60]),
                min_size=1, max_size=30).map("\n\n".join))
def test_a_kicker_is_at_most_one_headline_long(text: str) -> None:
    """Whatever the page, a kicker is one line no longer than a headline (nothing lost)."""
    from generator.cleaning.clean import clean_page
    from generator.cleaning.conservation import balance
    from generator.model import SourcePage
    from generator.segmenting.segment import segment
    from generator.settings.profile import default_layout

    found = clean_page(segment(SourcePage("p.txt", text, "utf-8")))
    assert all(len(a.kicker) <= default_layout().max_headline_chars for a in found.articles)
    assert balance(text, found).ok


def test_year_one_and_year_9999_render_with_padded_paths_and_a_small_timeline(tmp_path: Path) -> None:
    """Beyond 1900–2100 (the build's sitemap stamp is build.py's matter), the Markdown
    tree still renders: ``articles/0001/01/…`` (``%Y`` gave ``articles/1/``), and the
    timeline chart has a bar per century, not 119,988 monthly bars (11 MB)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    dates = {"first.txt": "0001-01-01", "last.txt": "9999-12-31", "mid.txt": "1950-05-01"}
    for name in dates:
        (seeds / name).write_text(GOOD.replace("测试新闻", name[:3]), encoding="utf-8")
    (seeds / "pages.yaml").write_text("".join(f"{n}: {{date: {d}}}\n" for n, d in dates.items()), encoding="utf-8")
    result = _cli("generate", "--seeds", str(seeds), "--docs", str(tmp_path / "docs_src"), "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    docs = tmp_path / "docs_src"
    made = sorted(p.relative_to(docs / "articles").parts[:2] for p in (docs / "articles").rglob("*.md"))
    assert made == [("0001", "01"), ("1950", "05"), ("9999", "12")]
    timeline = (docs / "timeline" / "index.md").read_text("utf-8")
    assert len(timeline.encode()) < 50_000 and "每百年文章数（1年—9999年" in timeline
    for md in docs.rglob("*.md"):
        _front_matter(md)
