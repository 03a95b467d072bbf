"""Timeline pages, the month chart, the home page's latest articles, and previous/next in date order."""

import datetime as dt
import posixpath
import re
from pathlib import Path

from generator.model import Article
from generator.pages.mdtext import md_escape_inline
from generator.pages.timeline import (
    latest,
    month_chart,
    neighbours,
    prev_next,
    timeline_pages,
)


def _art(title: str, date: str | None, source: str = "a.txt", index: int = 0, column: str = "",
         places: list[str] | None = None) -> Article:
    return Article(source=source, index=index, line=1, title=title, column=column, places=places or [],
                   date=dt.date.fromisoformat(date) if date else None, slug=f"s-{title}")


ARTS = [
    _art("乙", "2020-05-28", index=1, column="锦州脚步", places=["义县/九道岭镇"]),
    _art("甲", "2020-05-28", index=0),
    _art("丙", "2020-08-13", source="b.txt"),
    _art("丁", "2021-01-06", source="c.txt"),
    _art("戊", None, source="d.txt"),
]


def _links(markdown: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)(?: \"[^\"]*\")?\)", markdown)  # a link's title (page dates) left out


# --- date order -----------------------------------------------------------------------

def test_date_order_and_neighbours_both_directions() -> None:
    chain = prev_next(ARTS)
    order = ["甲", "乙", "丙", "丁"]  # same day: source page, then reading order
    for i, title in enumerate(order):
        prev, nxt = chain[f"s-{title}"]
        assert (prev.title if prev else None) == (order[i - 1] if i else None)
        assert (nxt.title if nxt else None) == (order[i + 1] if i + 1 < len(order) else None)
    assert chain["s-戊"] == (None, None)  # undated: not chained
    assert neighbours is prev_next


def test_prev_next_is_symmetric_and_independent_of_input_order() -> None:
    many = [_art(f"t{i}", f"2020-0{1 + i % 3}-1{i % 5}", source=f"{i % 2}.txt", index=i) for i in range(30)]
    chain = prev_next(many)
    shuffled = prev_next(list(reversed(many)))
    by_slug = {a.slug: a for a in many}
    for slug, (prev, nxt) in chain.items():
        assert (prev and prev.slug, nxt and nxt.slug) == (shuffled[slug][0] and shuffled[slug][0].slug,
                                                          shuffled[slug][1] and shuffled[slug][1].slug)
        if nxt:
            assert chain[nxt.slug][0] is by_slug[slug]
        if prev:
            assert chain[prev.slug][1] is by_slug[slug]
    starts = [s for s, (p, _) in chain.items() if p is None]
    assert len(starts) == 1  # one chain through all 30


def test_latest_newest_first_then_page_order() -> None:
    assert [a.title for a in latest(ARTS, 3)] == ["丁", "丙", "甲"]
    assert [a.title for a in latest(ARTS, 10)] == ["丁", "丙", "甲", "乙", "戊"]
    assert latest(ARTS, 0) == [] and latest([], 5) == []


# --- timeline pages ---------------------------------------------------------------------

def test_single_page_timeline_lists_years_months_days() -> None:
    pages = timeline_pages(ARTS)
    assert list(pages) == ["timeline/index.md"]
    text = pages["timeline/index.md"]
    assert "## 2020年（3 篇） {#y2020}" in text and "## 2021年（1 篇） {#y2021}" in text
    assert "### 5月（2 篇） {#y2020-05}" in text and "**5月28日**" in text
    # newest day first, a day's articles in page and reading order
    assert text.index("[丁]") < text.index("[丙]") < text.index("[甲]") < text.index("[乙]")
    assert "- [乙](../articles/2020/05/s-乙.md) · 锦州脚步 · 九道岭镇" in text  # title, column, places
    assert "## 日期不详" in text and "[戊](../articles/undated/s-戊.md)" in text
    assert "（1 篇日期不详）" in text


def test_counts_per_month_table() -> None:
    text = timeline_pages(ARTS)["timeline/index.md"]
    row2020 = next(line for line in text.splitlines() if line.startswith("| [2020]"))
    cells = [c.strip() for c in row2020.strip("|").split("|")]
    assert cells[0] == "[2020](#y2020)" and cells[-1] == "3"
    assert cells[5] == "[2](#y2020-05)" and cells[8] == "[1](#y2020-08)" and cells[1] == ""
    assert "| [2021](#y2021) | [1](#y2021-01) |" in text


def test_large_archive_gets_a_page_per_year() -> None:
    pages = timeline_pages(ARTS, per_page=2)
    assert set(pages) == {"timeline/index.md", "timeline/2020.md", "timeline/2020/1.md", "timeline/2021.md",
                          "timeline/undated.md"}
    index = pages["timeline/index.md"]
    assert "[2020](2020.md)" in index and "[2](2020/1.md#y2020-05)" in index and "[1](2020.md#y2020-08)" in index
    assert "[甲]" not in index and "(undated.md)" in index  # articles only on the year pages
    year = pages["timeline/2020.md"]  # the newest of the year; the older ones on page 1
    assert "[丙](../articles/2020/08/s-丙.md)" in year and "[← 时间线](index.md)" in year
    assert "## 8月 {#y2020-08}" in year and "<svg" in year
    assert "[丁]" not in year and "[甲]" not in year
    older = pages["timeline/2020/1.md"]
    assert "[甲](../../articles/2020/05/s-甲.md)" in older and "## 5月 {#y2020-05}" in older and "<svg" not in older
    assert "[‹ 上一页](../2020.md" in older


def test_every_link_resolves_relative_to_its_page() -> None:
    known = {f"articles/{a.date:%Y/%m}/{a.slug}.md" if a.date else f"articles/undated/{a.slug}.md" for a in ARTS}
    for split in (1, 2, 300):
        pages = timeline_pages(ARTS, per_page=split)
        for doc, text in pages.items():
            for link in _links(text):
                path, _, anchor = link.partition("#")
                if not path:
                    assert f"{{#{anchor}}}" in text
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(doc), path))
                assert target in known or target in pages, (doc, link)
                if anchor:
                    assert f"{{#{anchor}}}" in pages[target]


def test_url_of_chooses_the_article_paths() -> None:
    pages = timeline_pages(ARTS, url_of=lambda a: f"stories/{a.slug} (v2).md")
    assert "[甲](../stories/s-甲%20%28v2%29.md)" in pages["timeline/index.md"]


def test_empty_archive() -> None:
    text = timeline_pages([])["timeline/index.md"]
    assert "全部 0 篇文章" in text and "<svg" not in text


def test_titles_columns_places_are_escaped() -> None:
    evil = _art("<script>alert(1)</script> [x](http://e.vil) *粗* #1", "2020-01-01",
                column="<b>栏</b>|", places=["县/<i>乡</i>"])
    evil.slug = "s-evil"
    text = timeline_pages([evil])["timeline/index.md"]
    assert "<script>" not in text and "<b>" not in text and "<i>" not in text
    assert md_escape_inline(evil.title) in text
    assert "&lt;script&gt;" in text and "\\[x\\]" in text and "\\*粗\\*" in text
    assert _links(text)[-1] == "../articles/2020/01/s-evil.md"


# --- chart ------------------------------------------------------------------------------

def test_month_chart_has_a_bar_per_month_and_no_outside_resources() -> None:
    svg = month_chart(ARTS)
    assert svg.count("<rect") == 9  # 2020-05 … 2021-01, empty months included
    heights = [int(h) for h in re.findall(r'height="(\d+)"><title>', svg)]
    assert heights[0] == 80 and heights[3] == 40 and heights[1] == 0  # May = peak, August half, June empty
    assert "<title>2020年5月：2 篇</title>" in svg
    assert "<script" not in svg and "href" not in svg and "http://www.w3.org/2000/svg" in svg
    assert re.findall(r"https?://[^\"]+", svg) == ["http://www.w3.org/2000/svg"]  # the namespace, not a fetch
    assert month_chart([_art("x", None)]) == ""


# --- the built site ---------------------------------------------------------------------

def test_prev_next_links_resolve_both_ways_in_the_built_site(seed_site: Path) -> None:
    pages = sorted((seed_site / "articles").rglob("*.html"))
    assert len(pages) == 28
    links: dict[Path, dict[str, Path]] = {}
    for page in pages:
        html = page.read_text("utf-8")
        found = {}
        for label in ("上一篇", "下一篇"):
            m = re.search(label + r"（[0-9-]+）：<a href=\"([^\"]+)\"", html)
            if m:
                found[label] = (page.parent / m.group(1)).resolve()
                assert found[label].is_file()
        links[page.resolve()] = found
    firsts = [p for p, f in links.items() if "上一篇" not in f]
    lasts = [p for p, f in links.items() if "下一篇" not in f]
    assert len(firsts) == 1 and len(lasts) == 1
    for page, found in links.items():
        if "下一篇" in found:
            assert links[found["下一篇"]]["上一篇"] == page
        if "上一篇" in found:
            assert links[found["上一篇"]]["下一篇"] == page


def test_timeline_renders_and_links_every_article_in_the_built_site(seed_site: Path) -> None:
    html = (seed_site / "timeline" / "index.html").read_text("utf-8")
    assert "<svg" in html and "2019年" in html and "2021年" in html
    hrefs = set(re.findall(r'href="(\.\./articles/[^"#]+\.html)"', html))
    assert len(hrefs) == 28
    for href in hrefs:
        assert (seed_site / "timeline" / href).resolve().is_file()
