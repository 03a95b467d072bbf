"""Timeline pages, the month chart, and previous/next in date order."""

import datetime as dt
import re
from pathlib import Path

from generator.model import Article
from generator.timeline import month_chart, neighbours, timeline_pages


def _art(title: str, date: str | None, source: str = "a.txt", index: int = 0, column: str = "") -> Article:
    return Article(source=source, index=index, line=1, title=title, column=column,
                   date=dt.date.fromisoformat(date) if date else None, slug=f"s-{title}")


ARTS = [
    _art("乙", "2020-05-28", index=1, column="锦州脚步"),
    _art("甲", "2020-05-28", index=0),
    _art("丙", "2020-08-13", source="b.txt"),
    _art("丁", "2021-01-06", source="c.txt"),
    _art("戊", None, source="d.txt"),
]


def test_date_order_and_neighbours_both_directions() -> None:
    chain = neighbours(ARTS)
    order = ["甲", "乙", "丙", "丁"]
    for i, title in enumerate(order):
        prev, nxt = chain[f"s-{title}"]
        assert (prev.title if prev else None) == (order[i - 1] if i else None)
        assert (nxt.title if nxt else None) == (order[i + 1] if i + 1 < len(order) else None)
    assert chain["s-戊"] == (None, None)  # undated: not chained


def test_single_page_timeline_lists_years_months_days() -> None:
    pages = timeline_pages(ARTS)
    assert list(pages) == ["timeline/index.md"]
    text = pages["timeline/index.md"]
    assert "## 2020年（3 篇）" in text and "## 2021年（1 篇）" in text
    assert "### 5月（2 篇）" in text and "**5月28日**" in text
    assert text.index("[甲]") < text.index("[乙]") < text.index("[丙]")
    assert "· 锦州脚步" in text
    assert "## 日期不详" in text and "[戊]" in text


def test_large_archive_gets_a_page_per_year() -> None:
    pages = timeline_pages(ARTS, per_year_above=2)
    assert set(pages) == {"timeline/index.md", "timeline/2020.md", "timeline/2021.md"}
    assert "[2020年](2020.md)" in pages["timeline/index.md"]
    assert "[甲](../articles/2020/05/s-甲.md)" in pages["timeline/2020.md"]


def test_month_chart_has_a_bar_per_month_and_escapes() -> None:
    svg = month_chart(ARTS)
    assert svg.count("<rect") == 9  # 2020-05 … 2021-01
    heights = [int(h) for h in re.findall(r'height="(\d+)"><title>', svg)]
    assert heights[0] == 80 and heights[3] == 40  # 2 articles in May = peak, 1 in August
    bad = [_art("<b>x</b>", "2020-01-01")]
    bad[0].slug = "s-bad"
    page = timeline_pages(bad)["timeline/index.md"]
    assert "<b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


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
