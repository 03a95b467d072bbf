"""Issue 12, point 5: reader pages are Chinese-only; detail for editors stays in the data.

Every built HTML page is scanned for Latin words (two or more letters): what the
generator writes for readers (cleaning logs, date reasoning and evidence, encodings,
problems on the sources index, hints) must be Chinese.  Not counted: what the source
itself prints (Latin words of the page texts, such as ``APP`` or the pinyin of column
headers, and the names of the files in seeds/), ``<script>``/``<style>``/``<pre>``
(the raw page text), URLs, and the few standard names in ``ALLOWED``.  The same scan
runs on ``document.body.innerText`` in Chromium, so what Material prints is covered.

The ids behind the Chinese labels (rule ids, evidence kinds, encodings) must each
have a label in the data files an editor can read and change.
"""

from __future__ import annotations

import ast
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build_site

from generator.reading import pages as reading

LATIN = re.compile(r"[A-Za-z]{2,}")
URL = re.compile(r"(?:https?|file)://\S+|www\.\S+|\b[\w/.-]+\.html(?:#\S*)?")  # also a page's path (permalink)
# Standard names a Chinese reader meets in Chinese text as they are:
#   JSON — the open-data file format (home page: 结构化目录（JSON）);
#   UTF, GB — encoding standards (UTF-8, UTF-16, 国标 GB 18030) on the 版面 pages.
ALLOWED = {"JSON", "UTF", "GB"}
SKIPPED_TAGS = {"script", "style", "pre", "template", "svg"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Attributes a reader sees (tooltips) or hears (screen readers)
SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
DATA = ROOT / "generator" / "data"


class _Visible(HTMLParser):
    """The text a reader sees, and the attributes shown as tooltips or read aloud."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not any(t in SKIPPED_TAGS for t in self.open):
            self.texts += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not any(t in SKIPPED_TAGS for t in self.open):
            self.texts.append(data)


def _source_prints(seeds: Path) -> tuple[set[str], list[str]]:
    """Latin words the page texts print, and the file names in seeds/ and in its pages.yaml (longest first)."""
    words: set[str] = set()
    for path in seeds.glob("*.txt"):
        words.update(LATIN.findall(path.read_bytes().decode("utf-8", errors="ignore")))
    names = {p.name for p in seeds.iterdir()}
    if (seeds / "pages.yaml").is_file():
        names |= set(yaml.load((seeds / "pages.yaml").read_text("utf-8"), Loader=yaml.BaseLoader) or {})
    names = sorted(names, key=len, reverse=True)
    return words, names


def latin_words(text: str, source_words: set[str], names: list[str]) -> list[str]:
    """The Latin words of ``text`` a reader should not meet."""
    for name in names:
        text = text.replace(name, " ")
    text = URL.sub(" ", text)
    return sorted({w for w in LATIN.findall(text) if w not in source_words and w not in ALLOWED})


def scan_site(site: Path, seeds: Path) -> dict[str, list[str]]:
    """Page (relative to the site) → the Latin words found on it."""
    source_words, names = _source_prints(seeds)
    found = {}
    for path in sorted(site.rglob("*.html")):
        parser = _Visible()
        parser.feed(path.read_text("utf-8"))
        words = latin_words("\n".join(parser.texts), source_words, names)
        if words:
            found[path.relative_to(site).as_posix()] = words
    return found


def _report(found: dict[str, list[str]]) -> str:
    return "Latin words on reader pages:\n" + "\n".join(f"  {page}: {' '.join(words)}" for page, words in found.items())


def test_scanner_finds_english_and_spares_what_the_source_prints() -> None:
    words = latin_words("正文：6 half-width mark(s) made full-width；APP 版面 a_b.txt，见 https://x.org/y UTF-8",
                        {"APP"}, ["a_b.txt"])
    assert words == ["full", "half", "made", "mark", "width"]


def test_seed_site_pages_are_chinese_only(seed_site: Path) -> None:
    found = scan_site(seed_site, ROOT / "seeds")
    assert not found, _report(found)


BAD_PAGES_YAML = """\
不存在.txt:
  date: 2021-01-01
{page}:
  date: 2021-02-30
{page}:
  newspaper: 锦州日报
"""


def test_problems_on_the_sources_index_are_chinese(tmp_path: Path) -> None:
    """Files that cannot be archived and mistakes in pages.yaml, as the public sources page lists them."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    page = sorted((ROOT / "seeds").glob("*.txt"))[0]
    shutil.copy(page, seeds / page.name)
    (seeds / "空白.txt").write_bytes(b"")
    (seeds / "图片.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (seeds / "乱码.txt").write_bytes("锦州".encode("utf-8") + b"\xff\xfe\xfd" + "新闻".encode("gb18030") + b"\x81")
    (seeds / "pages.yaml").write_text(BAD_PAGES_YAML.format(page=page.name), encoding="utf-8")
    site = build_site(seeds, tmp_path)
    index = (site / "sources" / "index.html").read_text("utf-8")
    for expected in ("空白.txt：空文件", "图片.txt：二进制文件", "乱码.txt：既不是 UTF-8 也不是国标 GB 18030 编码",
                     "版面设定文件 第 1 行：没有名为「不存在.txt」的版面原文", "日期「2021-02-30」无效", "重复列出（首见第 3 行）"):
        assert expected in index, expected
    found = scan_site(site, seeds)
    assert not found, _report(found)


# --- in Chromium: what the theme prints too ----------------------------------------------------


def test_pages_read_chinese_only_in_chromium(seed_site: Path, http_server, page) -> None:
    source_words, names = _source_prints(ROOT / "seeds")
    base = http_server(seed_site)
    article = next(p for p in sorted((seed_site / "articles").rglob("*.html")))
    source = next(p for p in sorted((seed_site / "sources").glob("*.html")) if p.name != "index.html")
    found = {}
    for rel in ("index.html", article.relative_to(seed_site).as_posix(), source.relative_to(seed_site).as_posix(),
                "sources/index.html", "404.html", "timeline/index.html"):
        page.goto(base + rel)
        page.wait_for_load_state("load")
        for details in page.locator("details").all():  # cleaning logs and raw text are read too
            details.evaluate("d => d.open = true")
        text = page.evaluate("document.body.innerText")
        shown = page.evaluate("""[...document.querySelectorAll('[title],[aria-label],[placeholder],[alt]')]
            .filter(e => !e.closest('script,style,pre,svg'))
            .flatMap(e => ['title', 'aria-label', 'placeholder', 'alt'].map(a => e.getAttribute(a) || ''))""")
        words = latin_words(text + "\n" + "\n".join(shown), source_words, names)
        if words:
            found[rel] = words
    # the search box: its prompt, a query with results, one with none
    page.goto(base + "index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box, meta = page.locator("input.md-search__input"), ".md-search-result__meta"
    for query in ("锦州", "毫无此词"):
        before = page.locator(meta).inner_text()
        box.fill(query)
        box.press("End")  # Material reads the query on key events
        page.wait_for_function(f"document.querySelector('{meta}').textContent !== {before!r}", timeout=30_000)
        words = latin_words(page.locator(".md-search").inner_text(), source_words, names)
        if words:
            found[f"search: {query}"] = words
    assert not found, _report(found)


# --- every id shown to readers has a Chinese label --------------------------------------------


def _calls(module: str) -> list[ast.Call]:
    tree = ast.parse((ROOT / "generator" / module).read_text("utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else call.func.attr if isinstance(call.func, ast.Attribute) else ""


def rule_ids_in_code() -> dict[str, str]:
    """Every rule id the generator writes into a cleaning log → the module using it.

    Rules are the second argument of ``LogEntry(kind, rule, …)`` and of the helpers that
    make one (``_Cleaner.log``, ``_Segmenter._log`` and ``_furniture``)."""
    found: dict[str, str] = {}
    for module in sorted(p.relative_to(ROOT / "generator").as_posix() for p in (ROOT / "generator").rglob("*.py")):
        for call in _calls(module):
            if _name(call) in ("LogEntry", "log", "_log", "_furniture") and len(call.args) >= 2:
                if _name(call) == "log" and not (isinstance(call.func, ast.Attribute) and
                                                 isinstance(call.func.value, ast.Name) and call.func.value.id == "self"):
                    continue
                rule = call.args[1]
                if isinstance(rule, ast.Name) and rule.id == "rule":
                    continue  # inside the helpers themselves: they pass their argument on
                assert isinstance(rule, ast.Constant) and isinstance(rule.value, str), (
                    f"{module}:{call.lineno}: a rule id must be written out, so it can be checked")
                found[rule.value] = module
    return found


def test_every_rule_id_in_the_code_has_a_chinese_name() -> None:
    used = rule_ids_in_code()
    assert len(used) >= 25 and "headline-by-position" in used and "column-break" in used  # the scan finds them
    names = yaml.safe_load((DATA / "rules.yaml").read_text("utf-8"))
    missing = {rule: module for rule, module in used.items() if not names.get(rule)}
    assert not missing, f"rule ids without a Chinese name in generator/data/rules.yaml: {missing}"
    assert all(not LATIN.search(name) for name in names.values()), names


def test_every_rule_in_a_seed_log_has_a_chinese_name() -> None:
    from generator.cleaning.clean import clean_page
    from generator.segmenting.segment import segment

    names = yaml.safe_load((DATA / "rules.yaml").read_text("utf-8"))
    result = reading.read_pages(ROOT / "seeds")
    used = set()
    for page in result.pages:
        layout = clean_page(segment(page))
        used |= {e.rule for a in layout.articles for e in a.log} | {e.rule for e in layout.furniture}
    assert used and used <= set(names), used - set(names)


def test_every_evidence_kind_has_a_chinese_label() -> None:
    used = []
    for call in _calls("dates/infer.py"):
        if _name(call) == "add" and len(call.args) == 4:
            used.append(call.args[2])
        elif _name(call) == "note" and len(call.args) == 3:
            used.append(call.args[0])
    kinds = {k.value for k in used if isinstance(k, ast.Constant)}
    assert all(isinstance(k, ast.Constant) for k in used) and {"full_date", "month_day", "explicit_year", "noted"} <= kinds
    labels = yaml.safe_load((DATA / "labels.yaml").read_text("utf-8"))["evidence_kinds"]  # the same for every paper
    assert kinds <= set(labels), kinds - set(labels)
    assert all(not LATIN.search(label) for label in labels.values()), labels


def test_every_encoding_has_a_label() -> None:
    labels = yaml.safe_load((DATA / "labels.yaml").read_text("utf-8"))["encodings"]
    encodings = {*reading.ENCODINGS, *reading._UTF16_BOMS.values(), "utf-8-sig"}
    assert encodings <= set(labels), encodings - set(labels)
    assert all(set(LATIN.findall(label)) <= ALLOWED for label in labels.values()), labels


@pytest.mark.parametrize("text", [
    "2018年以来,共筹措资金874万元。8月12日,医院启动会诊。",
    "2021年开局良好。12月28日,项目竣工。1月5日,记者回访。",
    "2021年是开局年。项目2020年底前竣工。3月1日,召开会议。",
    "2020年初,改造老旧小区。“十三五”期间累计实现进出口909亿元。12月10日,记者走访。",
    "项目进展顺利,群众满意。",
    "8月12日,医院启动会诊。今年以来,接诊3000人。去年12月28日,项目开工。",
    "今年6月,截至10月底,1—9月,进入11月,上半年,刚刚过去的5年,到2025年,将于9月30日,2019年—2020年。",
])
def test_date_reasoning_and_evidence_are_chinese(text: str) -> None:
    """The date rules that the seeds do not all reach: every sentence they write is Chinese."""
    from generator.dates.infer import infer_page_date

    r = infer_page_date(text)
    assert not LATIN.search(r.reasoning), r.reasoning
    assert all(not LATIN.search(e.meaning) for e in r.evidence), [e.meaning for e in r.evidence]
