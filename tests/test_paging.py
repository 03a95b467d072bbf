"""Bounded list pages (issue 15 points 2 and 3): every list is paginated newest first,
at most 200 entries and a byte budget a page, cut from the oldest end so that a new
newest article changes only the list's first page; the catalogue split per year.
Pure functions here; test_pagination_site.py builds a site and checks it."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from test_entity_pages import CTX, _article, _entity_pages

from generator.model import Article
from generator.pages.catalogue import INDEX, SCHEMA, catalogue_files, read_catalogue
from generator.pages.paging import PAGE_BYTES, PER_PAGE, counts, pager, paginate
from generator.pages.render import sources_index_pages
from generator.pages.timeline import timeline_pages

LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)(?: \"[^\"]*\")?\)")


# --- the cut ---------------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 700), per_page=st.integers(1, 250))
def test_pages_are_cut_from_the_oldest_end(n: int, per_page: int) -> None:
    entries = list(range(n, 0, -1))  # newest first: n is the newest
    pages = paginate("x/list", entries, per_page=per_page)
    assert [e for p in pages for e in p.entries] == entries  # all, once, newest first across the pages
    assert pages[0].first and pages[0].doc == "x/list.md" and pages[0].number == len(pages)
    assert 1 <= pages[0].count <= per_page or n == 0
    for p in pages[1:]:
        assert not p.first and p.doc == f"x/list/{p.number}.md" and p.count == per_page
        assert p.entries[-1] == (p.number - 1) * per_page + 1  # page k holds entries (k-1)·per_page+1 … k·per_page
        assert p.first_index == (p.number - 1) * per_page


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 700), per_page=st.integers(1, 250))
def test_a_new_newest_entry_changes_only_the_first_page(n: int, per_page: int) -> None:
    before = {p.doc: p.entries for p in paginate("l", list(range(n, 0, -1)), per_page=per_page)}
    after = {p.doc: p.entries for p in paginate("l", list(range(n + 1, 0, -1)), per_page=per_page)}
    changed = {doc for doc in before if before[doc] != after.get(doc)}
    assert changed == {"l.md"}
    new = set(after) - set(before)
    assert len(new) <= 1  # when the first page was full, it becomes the next numbered page
    if new:
        assert after[new.pop()] == before["l.md"] and after["l.md"] == [n + 1]


def test_a_page_is_cut_by_bytes_too() -> None:
    entries = [f"{i:04d}" + "字" * (2000 if i % 3 else 10) for i in range(300, 0, -1)]
    pages = paginate("l", entries, size=lambda e: len(e.encode()))
    assert len(pages) > 2
    for p in pages:
        assert p.count <= PER_PAGE and sum(len(e.encode()) + 64 for e in p.entries) <= PAGE_BYTES
    huge = ["字" * 100_000, "字" * 100_000]
    assert [p.count for p in paginate("l", huge, size=lambda e: len(e.encode()))] == [1, 1]  # one each, never none


def test_pager_and_counts_say_nothing_that_changes_as_the_list_grows() -> None:
    pages = paginate("places/x", list(range(1300, 0, -1)))
    first, newest, oldest = pages[0], pages[1], pages[-1]
    assert counts(first, pages) == "共 1300 篇，分 7 页，从新到旧排列；本页是最新的 100 篇，第 1 页最早。"
    assert counts(oldest, pages) == "第 1 页：从最早一篇数起的第 1—200 篇，从新到旧排列。"
    line = pager(first, pages)[0]
    assert line.startswith("页码 **7** [6](x/6.md) [5](x/5.md)") and "[1](x/1.md)" in line and line.endswith("[下一页 ›](x/6.md)")
    assert pager(newest, pages)[0] == ("[‹ 上一页](../x.md) · 页码 **6** [5](5.md) [4](4.md) [3](3.md) [2](2.md) [1](1.md)"
                                       " · [下一页 ›](5.md)")
    assert pager(oldest, pages)[0] == "[« 最新](../x.md) · [‹ 上一页](2.md) · 页码 **1**"
    grown = paginate("places/x", list(range(1301, 0, -1)))
    for old, new in zip(pages[1:], grown[1:]):  # the numbered pages say the same
        assert (counts(old, pages), pager(old, pages)) == (counts(new, grown), pager(new, grown))
    assert pager(pages[0], pages[:1]) == []  # one page: no pager


# --- the lists ----------------------------------------------------------------------------------

def _place_articles(n: int) -> list[Article]:
    arts = []
    for i in range(n):
        a = _article(f"标题{i}", "义县九道岭镇发展飞地经济。", slug=f"s{i}", date=dt.date(2020, 1, 1) + dt.timedelta(days=i))
        a.source = f"p{i:04d}.txt"
        arts.append(a)
    return arts


def _resolves(pages: dict[str, str]) -> None:
    for doc, text in pages.items():
        for _, target in LINK.findall(text):
            path = target.split("#")[0]
            if not path or path.startswith("../articles/") or "/articles/" in path:
                continue
            assert posixpath.normpath(posixpath.join(posixpath.dirname(doc), path)) in pages, (doc, target)


def test_entity_pages_paginate_and_a_new_article_changes_the_first_page() -> None:
    before = _entity_pages(_place_articles(450))
    pages = sorted(p for p in before if p.startswith("places/yi-xian"))
    assert pages == ["places/yi-xian.md", "places/yi-xian/1.md", "places/yi-xian/2.md"]
    first = before["places/yi-xian.md"]
    assert "## 提及义县的文章（450 篇）" in first and "本页是最新的 50 篇" in first and "- 类别：县级行政区" in first
    assert first.count("\n- 20") == 50 and before["places/yi-xian/1.md"].count("\n- 20") == PER_PAGE
    assert "### 全部页" in first and "[1](yi-xian/1.md \"2020-01-01至2020-07-18\")" in first
    older = before["places/yi-xian/1.md"]
    assert "# 义县（第 1 页）" in older and "[← 义县](../yi-xian.md)" in older and "](../../articles/2020/01/s0.md)" in older
    assert "450" not in older and "类别" not in older
    _resolves(before)
    after = _entity_pages(_place_articles(451))
    changed = {p for p in before if before[p] != after.get(p)}
    # the entity's first page and the counts on the index of places; nothing else of 义县, 九道岭镇, 飞地经济
    assert changed == {"places/yi-xian.md", "places/jiu-dao-ling-zhen.md",
                       "topics/fei-di-jing-ji.md", "places/index.md", "topics/index.md"}


def test_entity_index_splits_by_letter_beyond_a_page() -> None:
    arts = _place_articles(3)
    arts[1].body[0].text = "凌海市、北镇市、黑山县和太和区"
    from generator.entities.linking import attach_entities

    attach_entities(arts[1], CTX.entities)
    from generator.entities.linking import register_entities
    from generator.entities.slugs import assign_entity_slugs
    from generator.pages.entity_pages import entity_pages

    register_entities(arts, CTX.entities)
    CTX.slugs = assign_entity_slugs(CTX.entities, arts)
    pages = entity_pages(arts, CTX, per_page=2)
    index = pages["places/index.md"]
    assert "按拼音首字母" in index and "[L](index/l.md)" in index and "只列到第 1 级" in index
    assert "- [凌海市]" in pages["places/index/l.md"]
    assert all(p.count("\n- [") <= 2 for path, p in pages.items() if path.startswith("places/index/"))
    _resolves(pages)


def test_timeline_year_pages_paginate_from_the_oldest_article() -> None:
    def arts(n: int) -> list[Article]:
        return [Article(source=f"p{i // 3:04d}.txt", index=i % 3, line=1, title=f"t{i}", slug=f"s{i}",
                        date=dt.date(2020, 1, 1) + dt.timedelta(days=i // 3)) for i in range(n)]

    before, after = timeline_pages(arts(550)), timeline_pages(arts(551))
    assert sorted(before) == ["timeline/2020.md", "timeline/2020/1.md", "timeline/2020/2.md", "timeline/index.md"]
    assert "<svg" in before["timeline/2020.md"] and "<svg" not in before["timeline/2020/1.md"]
    assert {p for p in before if before[p] != after.get(p)} == {"timeline/2020.md", "timeline/index.md"}
    assert "- [t0](../../articles/2020/01/s0.md)" in before["timeline/2020/1.md"]
    assert "[93](2020/2.md#y2020-03)" in before["timeline/index.md"]  # a month links to its newest article's page
    # the first page full (600): the next article makes it page 3, and page 2's 上一页 points there
    full, rolled = timeline_pages(arts(600)), timeline_pages(arts(601))
    assert {p for p in full if full[p] != rolled.get(p)} == {"timeline/2020.md", "timeline/2020/2.md", "timeline/index.md"}
    assert set(rolled) - set(full) == {"timeline/2020/3.md"}
    assert "[‹ 上一页](3.md" in rolled["timeline/2020/2.md"]


def test_sources_index_paginates_and_lists_the_undated_apart() -> None:
    def info(i: int, dated: bool = True) -> dict:
        return {"name": f"p{i:04d}.txt", "title": f"报 {i}", "date": dt.date(2020, 1, 1) + dt.timedelta(days=i) if dated else None,
                "date_inferred": True, "n_articles": 3, "counts": {k: 0 for k in ("joined", "normalised", "removed", "moved", "flagged")}}

    small = sources_index_pages([info(i) for i in range(5)] + [info(9, False)], [])
    assert list(small) == ["sources/index.md"] and "## 日期不详" in small["sources/index.md"]
    rows = [info(i) for i in range(450)] + [info(900 + i, False) for i in range(3)]
    pages = sources_index_pages(rows, ["坏文件"])
    assert sorted(pages) == ["sources/index.md", "sources/index/1.md", "sources/index/2.md", "sources/index/undated.md"]
    first = pages["sources/index.md"]
    assert "共 450 个" in first and "[日期不详的 3 个版面](index/undated.md)" in first and "坏文件" in first
    assert first.count("| [报 ") == 50 and pages["sources/index/1.md"].count("| [报 ") == PER_PAGE
    assert "](../p0000.md)" in pages["sources/index/1.md"] and "## 2020年" in pages["sources/index/1.md"]
    grown = sources_index_pages([info(i) for i in range(451)] + rows[450:], ["坏文件"])
    assert {p for p in pages if pages[p] != grown.get(p)} == {"sources/index.md"}


# --- the catalogue ------------------------------------------------------------------------------

def test_catalogue_is_split_per_year_with_an_index(tmp_path) -> None:
    arts = [Article(source=f"p{i}.txt", index=0, line=1, title=f"t{i}", slug=f"t-{i:08x}",
                    date=dt.date(2019 + i % 3, 5, 1) if i % 7 else None) for i in range(30)]
    files = catalogue_files(arts)
    index = json.loads(files[INDEX])
    assert index["schema"] == SCHEMA and index["articles"] == 30
    assert [(e["year"], e["file"], e["articles"]) for e in index["files"]] == [
        (2019, "articles/2019.json", 8), (2020, "articles/2020.json", 8), (2021, "articles/2021.json", 9),
        (None, "articles/undated.json", 5)]
    assert index["files"][0]["first"] == index["files"][0]["last"] == "2019-05-01"
    for entry in index["files"]:
        data = files["data/" + entry["file"]]
        assert entry["bytes"] == len(data) and data.count(b"\n") == entry["articles"] + 2  # one record a line
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    assert sorted(r["title"] for r in read_catalogue(tmp_path)) == sorted(a.title for a in arts)
    # a new article of the newest year: its year's file and the index change, nothing else
    more = catalogue_files(arts + [Article(source="n.txt", index=0, line=1, title="n", slug="n-0000000f",
                                           date=dt.date(2021, 6, 1))])
    assert {p for p in files if files[p] != more[p]} == {INDEX, "data/articles/2021.json"}


def test_a_year_too_big_for_one_file_is_split_by_month(tmp_path, monkeypatch) -> None:
    """A year whose file would pass YEAR_BYTES becomes one file per month; the reader
    gets every record back in archive order, and a new article changes its month's file."""
    from generator.pages import catalogue

    arts = [Article(source=f"p{i}.txt", index=0, line=1, title=f"t{i}", slug=f"t-{i:08x}",
                    date=dt.date(2021, 1 + i % 3, 1 + i)) for i in range(12)]
    arts.append(Article(source="q.txt", index=0, line=1, title="old", slug="old-0", date=dt.date(2020, 1, 1)))
    # the year's twelve records do not fit, a month's four (and five) do
    monkeypatch.setattr(catalogue, "YEAR_BYTES", 6 * len(catalogue_files(arts[-1:])["data/articles/2020.json"]))
    files = catalogue_files(arts)
    index = json.loads(files[INDEX])
    assert [(e["year"], e.get("month"), e["file"], e["articles"]) for e in index["files"]] == [
        (2020, None, "articles/2020.json", 1), (2021, 1, "articles/2021-01.json", 4),
        (2021, 2, "articles/2021-02.json", 4), (2021, 3, "articles/2021-03.json", 4)]
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    assert [r["title"] for r in read_catalogue(tmp_path)] == ["old"] + [a.title for a in arts[:-1] if a.date.month == 1] + [
        a.title for a in arts[:-1] if a.date.month == 2] + [a.title for a in arts[:-1] if a.date.month == 3]
    more = catalogue_files(arts + [Article(source="n.txt", index=0, line=1, title="n", slug="n-1", date=dt.date(2021, 3, 30))])
    assert {p for p in files if files[p] != more[p]} == {INDEX, "data/articles/2021-03.json"}


def test_a_month_too_big_for_one_file_is_written_in_parts(tmp_path, monkeypatch) -> None:
    """A month (or the undated stories) past YEAR_BYTES: numbered parts filled in order,
    none past the bound; the index names each with its count, the reader gets every
    record back, and a new story of that month changes or adds the last part only."""
    from generator.pages import catalogue

    arts = [Article(source=f"p{i:02d}.txt", index=0, line=1, title=f"t{i}", slug=f"t-{i:08x}",
                    date=dt.date(2021, 11, 1 + i)) for i in range(9)]
    arts += [Article(source=f"u{i}.txt", index=0, line=1, title=f"u{i}", slug=f"u-{i:08x}") for i in range(5)]
    one = len(catalogue_files(arts[:1])["data/articles/2021.json"])
    monkeypatch.setattr(catalogue, "YEAR_BYTES", 3 * one)  # three records a file at most
    files = catalogue_files(arts)
    index = json.loads(files[INDEX])
    assert [(e["year"], e.get("month"), e.get("part"), e["file"], e["articles"]) for e in index["files"]] == [
        (2021, 11, 1, "articles/2021-11-1.json", 3), (2021, 11, 2, "articles/2021-11-2.json", 3),
        (2021, 11, 3, "articles/2021-11-3.json", 3),
        (None, None, 1, "articles/undated-1.json", 3), (None, None, 2, "articles/undated-2.json", 2)]
    assert all(len(data) <= 3 * one for path, data in files.items() if path != INDEX)
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    assert [r["title"] for r in read_catalogue(tmp_path)] == [a.title for a in arts]
    more = catalogue_files(arts + [Article(source="p99.txt", index=0, line=1, title="n", slug="n-1", date=dt.date(2021, 11, 30))])
    assert {p for p in files.keys() | more.keys() if files.get(p) != more.get(p)} == {INDEX, "data/articles/2021-11-4.json"}


def test_a_busy_day_continues_on_numbered_pages_in_page_order() -> None:
    from generator.pages.issues import Edition, issue_pages
    from generator.pages.pagenames import name_pages

    day = dt.date(2021, 11, 25)
    names = name_pages([(f"p{i:02d}.txt", "报", f"第{i}版", day, True) for i in range(30)])
    eds = [Edition(names[f"p{i:02d}.txt"], [Article(source=f"p{i:02d}.txt", index=k, line=1, title=f"t{i}-{k}", slug=f"s{i}-{k}",
                                                    date=day) for k in range(15 if i != 3 else 0)]) for i in range(30)]
    pages = issue_pages(eds)
    days = ["issues/2021/2021-11-25.md", "issues/2021/2021-11-25/2.md", "issues/2021/2021-11-25/3.md"]
    assert sorted(p for p in pages if "2021-11-25" in p) == days
    titles = [t for d in days for t in re.findall(r"\[(t\d+-\d+)\]", pages[d])]
    assert titles == [f"t{i}-{k}" for i in range(30) if i != 3 for k in range(15)]  # all, in page and reading order
    assert all(len(re.findall(r"\[(t\d+-\d+)\]", pages[d])) <= PER_PAGE for d in days)
    assert "（续，自第 5 篇）" in pages[days[1]] and "本版面未整理出文章" in pages[days[0]]
    assert "[‹ 上一页](../2021-11-25.md) · 页码 [1](../2021-11-25.md) **2** [3](3.md) · [下一页 ›](3.md)" in pages[days[1]]
    _resolves({**pages, **{f"sources/p{i:02d}.md": "" for i in range(30)}})
