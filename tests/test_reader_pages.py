"""The reader's archive (issue 12), on real sites built with the real CLI: 版面 named
by newspaper, date and page label; the 版面 index by year and month; the issue
calendar, day pages and their previous/next links; column pages; the editor's
settings file newspaper.yaml and its one-line errors."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from conftest import ROOT, build_site
from pages import MARKDOWN, PLAIN

from generator.pages.catalogue import read_catalogue
from generator.settings.profile import default_profile

UNDATED = "春天的公园\n\n本报讯 记者王明报道 公园里游人如织，花开正艳，孩子们在草地上放风筝。\n"
FILES = {  # file → (text, pages.yaml entry or None)
    "p1_front.txt": (PLAIN, {"date": "2024-03-05", "newspaper": "锦州日报", "page_label": "第1版"}),
    "p2_back.txt": (MARKDOWN, {"date": "2024-03-05", "newspaper": "锦州日报", "page_label": "第2版"}),
    "p3_default.txt": (MARKDOWN, {"date": "2024-03-07"}),
    "p4_older.txt": (PLAIN, {"date": "2023-12-30", "page_label": "第3版"}),
    "p5_nodate.txt": (UNDATED, None),
}
DEFAULT = default_profile().newspaper
NAMES = {
    "p1_front.txt": "锦州日报 2024年3月5日 第1版",
    "p2_back.txt": "锦州日报 2024年3月5日 第2版",
    "p3_default.txt": " ".join(filter(None, [DEFAULT.name, "2024年3月7日", DEFAULT.default_page_label])),
    "p4_older.txt": f"{DEFAULT.name} 2023年12月30日 第3版",
    "p5_nodate.txt": " ".join(filter(None, [DEFAULT.name, "日期不详", DEFAULT.default_page_label])),
}
DAYS = ["2023-12-30", "2024-03-05", "2024-03-07"]


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("reader-site")
    seeds = work / "seeds"
    seeds.mkdir()
    yaml_lines = []
    for name, (text, entry) in FILES.items():
        (seeds / name).write_text(text, encoding="utf-8")
        if entry:
            yaml_lines.append(f"{name}:")
            yaml_lines += [f"  {k}: {v}" for k, v in entry.items()]
    (seeds / "pages.yaml").write_text("\n".join(yaml_lines) + "\n", encoding="utf-8")
    return build_site(seeds, work)


def _html(site: Path, path: str) -> str:
    return (site / path).read_text("utf-8")


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _title(page: str) -> str:
    return _text(re.search(r"<title>(.*?)</title>", page, re.S).group(1))


def _h(page: str, level: int) -> list[str]:
    return [_text(m) for m in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", page, re.S)]


def _content(page: str) -> str:
    """The page's own content (Material's <article>), without header, nav or footer."""
    return re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', page, re.S).group(1)


def _links(fragment: str) -> list[tuple[str, str]]:
    return [(unquote(href), _text(text)) for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', fragment, re.S)]


def _records(site: Path) -> list[dict]:
    return read_catalogue(site)


def _source_url(site: Path, name: str) -> str:
    index = _html(site, "sources/index.html")
    return "sources/" + next(h for h, t in _links(_content(index)) if t == NAMES[name])


# --- 版面 names ------------------------------------------------------------------------

def test_source_page_is_named_for_a_reader(reader_site: Path) -> None:
    for name, reader_name in NAMES.items():
        url = _source_url(reader_site, name)
        page = _html(reader_site, url)
        assert _title(page).startswith(reader_name + " - ")  # the browser tab
        assert _h(page, 1) == [reader_name]
        content = _content(page)
        note = re.search(r'<p class="source-file">(.*?)</p>', content, re.S).group(1)
        assert "原文件" in note and name in _text(note)
        # the file name nowhere else a reader sees it (the raw text's own link is in the note)
        visible = _text(content.replace(note, ""))
        assert name not in visible, name
        assert name not in _title(page)
    docs = reader_site.parent / "docs_src"
    assert f"title: {NAMES['p1_front.txt']}\n" in (docs / "sources" / "p1_front.md").read_text("utf-8")


def test_source_index_is_grouped_by_year_and_month_newest_first(reader_site: Path) -> None:
    content = _content(_html(reader_site, "sources/index.html"))
    assert _h(content, 2) == ["2024年", "2023年", "日期不详"]
    assert _h(content, 3) == ["2024年3月", "2023年12月"]
    names = [t for _, t in _links(content) if t in NAMES.values()]
    assert names == [NAMES[n] for n in ("p3_default.txt", "p1_front.txt", "p2_back.txt", "p4_older.txt", "p5_nodate.txt")]
    assert "原文编码" not in content
    assert not any(n in _text(content) for n in FILES)  # file names are a developer's detail


def test_article_source_line_cites_the_newspaper(reader_site: Path) -> None:
    record = next(r for r in _records(reader_site) if r["source"] == "p2_back.txt")
    content = _content(_html(reader_site, record["url"]))
    cite = re.search(r"出处：(.*?)</p>", content, re.S).group(1)
    href, text = _links(cite)[0]
    assert text == "《锦州日报》2024年3月5日 第2版"
    assert (reader_site / urljoin(record["url"], href)).resolve() == (reader_site / _source_url(reader_site, "p2_back.txt")).resolve()


# --- issues: calendar, day pages ----------------------------------------------------------

def test_calendar_links_lead_to_day_pages_with_every_page_in_reading_order(reader_site: Path) -> None:
    records = _records(reader_site)
    index = _content(_html(reader_site, "issues/index.html"))
    assert [t for _, t in _links(index) if t.endswith("年")] == ["2024年", "2023年"]
    assert "日期不详" in _h(index, 2) and NAMES["p5_nodate.txt"] in [t for _, t in _links(index)]
    linked: list[str] = []
    for year in ("2023", "2024"):
        cal = _content(_html(reader_site, f"issues/{year}.html"))
        assert cal.count('<table class="issue-month') == 12
        for href, text in _links(re.search(r'<div class="issue-calendar">(.*)</div>', cal, re.S).group(1)):
            day_url = urljoin(f"issues/{year}.html", href)
            day = re.search(r"(\d{4}-\d\d-\d\d)\.html$", day_url).group(1)
            assert text == str(int(day[-2:]))
            linked.append(day)
            page = _content(_html(reader_site, day_url))
            sections = re.split(r"<h2[^>]*>", page)[1:]
            files = [n for n, (_, entry) in FILES.items() if entry and entry["date"] == day]
            assert [_text(s.split("</h2>")[0]) for s in sections] == [NAMES[n] for n in sorted(files)]
            for section, file in zip(sections, sorted(files)):
                titles = [t for h, t in _links(section) if "articles/" in h]
                assert titles == [r["title"] or "（无标题）" for r in records if r["source"] == file]
        # days without pages are plain text, not links
        assert re.search(r'<td class="issue-day">1</td>', cal)
    assert linked == DAYS


def test_day_pages_link_previous_and_next_issue(reader_site: Path) -> None:
    for i, day in enumerate(DAYS):
        url = f"issues/{day[:4]}/{day}.html"
        links = _links(_content(_html(reader_site, url)))
        prev = [urljoin(url, h) for h, t in links if t.startswith("← 上一期")]
        nxt = [urljoin(url, h) for h, t in links if t.startswith("下一期")]
        assert prev == ([f"issues/{DAYS[i - 1][:4]}/{DAYS[i - 1]}.html"] if i else [])
        assert nxt == ([f"issues/{DAYS[i + 1][:4]}/{DAYS[i + 1]}.html"] if i + 1 < len(DAYS) else [])
    # the 版面 page's date leads to its day page
    links = _links(_content(_html(reader_site, _source_url(reader_site, "p4_older.txt"))))
    assert any(urljoin("sources/x.html", h) == "issues/2023/2023-12-30.html" for h, _ in links)


# --- columns ---------------------------------------------------------------------------------

def test_column_pages_list_newest_first_and_are_linked(reader_site: Path) -> None:
    records = [r for r in _records(reader_site) if r["column"] == "城南快讯"]
    assert {r["source"] for r in records} == {"p1_front.txt", "p2_back.txt", "p3_default.txt", "p4_older.txt"}
    index = _content(_html(reader_site, "columns/index.html"))
    href = next(h for h, t in _links(index) if t == "城南快讯")
    assert re.fullmatch(r"[a-z0-9-]+\.html", href)
    column_url = "columns/" + href
    page = _content(_html(reader_site, column_url))
    items = re.findall(r"<li>(.*?)</li>", page, re.S)
    dates = [re.match(r"(\d{4})年(\d+)月(\d+)日", _text(li)).groups() for li in items]
    assert [tuple(map(int, d)) for d in dates] == sorted((tuple(map(int, d)) for d in dates), reverse=True)
    titles = [_links(li)[0][1] for li in items]
    assert sorted(titles) == sorted(r["title"] for r in records)
    assert NAMES["p4_older.txt"] in _text(items[-1])  # each entry names its 版面
    # linked from the article's meta line and from the home page
    meta = re.search(r'<span class="article-column">(.*?)</span>', _html(reader_site, records[0]["url"]), re.S).group(1)
    assert urljoin(records[0]["url"], _links(meta)[0][0]) == column_url
    home = _content(_html(reader_site, "index.html"))
    assert column_url in [h for h, t in _links(home) if t == "城南快讯"]


# --- in Chromium, phone width -------------------------------------------------------------

def test_calendar_and_day_pages_fit_a_phone_and_days_navigate(reader_site: Path, http_server, page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for base in (http_server(reader_site), reader_site.resolve().as_uri() + "/"):
        for url in ("issues/index.html", "issues/2024.html", "issues/2024/2024-03-05.html", "columns/index.html"):
            page.goto(base + url)
            page.wait_for_load_state("load")
            width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            assert width <= inner, (base, url, width, inner)
            if not page.locator("link[href$='assets/issues.css']").count():  # until mkdocs.yml lists it
                page.add_style_tag(path=str(reader_site / "assets" / "issues.css"))
                width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
                assert width <= inner, (base, url, "with issues.css", width, inner)
        page.goto(base + "issues/2024.html")
        page.locator(".issue-calendar").get_by_role("link", name="5", exact=True).click()
        page.wait_for_load_state("load")
        assert page.url == base + "issues/2024/2024-03-05.html"
        assert page.locator("h1").first.inner_text().startswith("2024年3月5日")
        assert page.title().startswith("2024年3月5日")
        page.get_by_role("link", name=NAMES["p2_back.txt"]).click()
        page.wait_for_load_state("load")
        assert page.locator("h1").first.inner_text() == NAMES["p2_back.txt"]


# --- the editor's settings file ---------------------------------------------------------------

def _generate_with_settings(tmp_path: Path, settings: str) -> subprocess.CompletedProcess:
    """Build with a copy of the 锦州 profile whose newspaper.yaml says ``settings``."""
    profile = tmp_path / "profile"
    shutil.copytree(ROOT / "generator" / "profiles" / "jinzhou", profile)
    paper = _lines_setting((profile / "newspaper.yaml").read_text("utf-8"), ("root_place", "gazetteer"))
    (profile / "newspaper.yaml").write_text(settings + paper, encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(UNDATED, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "generator", "generate", "--seeds", "seeds", "--docs", "docs",
                           "--profile", "profile", "-q"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _lines_setting(text: str, keys: tuple[str, ...]) -> str:
    """The lines of ``text`` that set one of ``keys``."""
    return "".join(line + "\n" for line in text.splitlines() if line.split(":")[0] in keys)


@pytest.mark.parametrize("settings, message", [
    ("nmae: 辽宁日报\ndefault_page_label: 锦州新闻\nsite_title: 档案\n",
     "error: profile/newspaper.yaml:1: unknown key 'nmae' (did you mean 'name'?)"),
    ("name: 辽宁日报\ndefault_page_label: 3\nsite_title: 档案\n",
     "error: profile/newspaper.yaml:2: key 'default_page_label' must be text, not a whole number (3); quote it"),
    ("name: 辽宁日报\nsite_title: 档案\n", "error: profile/newspaper.yaml:1: missing key 'default_page_label'"),
])
def test_settings_mistake_is_one_line_naming_file_and_key(tmp_path: Path, settings: str, message: str) -> None:
    result = _generate_with_settings(tmp_path, settings)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == message
    assert not (tmp_path / "docs").exists()  # nothing touched


def test_settings_name_every_page(tmp_path: Path) -> None:
    result = _generate_with_settings(tmp_path, "name: 锦州晚报\ndefault_page_label: ''\nsite_title: 晚报档案\n")
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "docs" / "sources" / "a.md").read_text("utf-8")
    assert "# 锦州晚报 日期不详\n" in source
    assert "title: 晚报档案\n" in (tmp_path / "docs" / "index.md").read_text("utf-8")


# --- pure functions -----------------------------------------------------------------------

def test_column_slug_is_ascii_and_depends_on_the_name_only() -> None:
    from generator.pages.columns import column_path, column_slug

    assert re.fullmatch(r"jin-zhou-jiao-bu-[0-9a-f]{6}", column_slug("锦州脚步"))
    assert column_slug("锦州脚步") == column_slug("锦州脚步") != column_slug("锦州脚部")  # same pinyin, other hash
    assert re.fullmatch(r"column-[0-9a-f]{6}", column_slug("★"))
    assert column_path("图说").startswith("columns/tu-shuo-")


def test_big_column_is_paginated_from_its_oldest_article() -> None:
    import datetime as dt

    from generator.model import Article
    from generator.pages.columns import column_pages, column_path
    from generator.pages.pagenames import name_pages

    arts = [Article(source=f"{i}.txt", index=0, line=1, title=f"题{i}", column="图说", slug=f"t{i}",
                    date=dt.date(2020, 1, 1) + dt.timedelta(days=i) if i < 9 else None) for i in range(10)]
    names = name_pages((a.source, "", "", a.date, True) for a in arts)
    pages = column_pages(arts, names, per_page=4)
    base = column_path("图说")[:-3]
    assert sorted(p for p in pages if p.startswith(base + "/")) == [f"{base}/1.md", f"{base}/2.md"]
    main = pages[base + ".md"]  # the newest two: the oldest eight fill pages 1 and 2
    assert "共 10 篇" in main and re.findall(r"\[(题\d)\]", main) == ["题8", "题7"]
    assert f"[2]({base.rsplit('/', 1)[1]}/2.md" in main and "全部页" in main
    oldest = pages[f"{base}/1.md"]  # the undated article, then the oldest dated ones, newest first
    assert re.findall(r"\[(题\d)\]", oldest) == ["题2", "题1", "题0", "题9"]
    assert "第 1—4 篇" in oldest and "共 10" not in oldest  # nothing that changes as the column grows
    # a new article changes the column's first page only (and the count on the index of columns)
    grown = arts + [Article(source="n.txt", index=0, line=1, title="新", column="图说", slug="n", date=dt.date(2021, 1, 1))]
    more = column_pages(grown, name_pages((a.source, "", "", a.date, True) for a in grown), per_page=4)
    assert {p for p in pages if pages[p] != more.get(p)} == {base + ".md", "columns/index.md"}
    assert column_pages(arts, names, per_page=10).keys() == {"columns/index.md", base + ".md"}


def test_page_names_defaults_duplicates_and_reference() -> None:
    import datetime as dt

    from generator.pages.pagenames import name_pages
    from generator.settings.profile import Newspaper

    settings = Newspaper(name="辽宁日报", default_page_label="锦州新闻", site_title="档案")
    day = dt.date(2020, 11, 25)
    names = name_pages([("b.txt", "", "", day, True), ("a.txt", "", "", day, True), ("c.txt", "锦州日报", "第3版", day, False),
                        ("d.txt", "", " ", None, True)], settings)
    assert names["a.txt"].name == "辽宁日报 2020年11月25日 锦州新闻（1）"
    assert names["b.txt"].name == "辽宁日报 2020年11月25日 锦州新闻（2）"
    assert names["c.txt"].name == "锦州日报 2020年11月25日 第3版"
    assert names["c.txt"].reference == "《锦州日报》2020年11月25日 第3版"
    assert names["d.txt"].name == "辽宁日报 日期不详 锦州新闻"
    bare = name_pages([("e.txt", "", "", day, True)], Newspaper("辽宁日报", "", "档案"))
    assert bare["e.txt"].name == "辽宁日报 2020年11月25日"


def test_hostile_names_render_literally() -> None:
    """Newspaper, page label, column and title text from pages.yaml or the page itself
    never become markup on the issue, column or 版面 pages."""
    import datetime as dt

    import markdown

    from generator.model import Article
    from generator.pages.columns import column_pages
    from generator.pages.issues import Edition, issue_pages
    from generator.pages.pagenames import name_pages
    from generator.pages.render import render_source, sources_index_pages

    evil = '<script>alert(1)</script> *x* [l](javascript:1) | "q" {: #id }'
    day = dt.date(2024, 3, 5)
    arts = [Article(source="e.txt", index=0, line=1, title=evil, column=evil, slug="e-1", date=day)]
    names = name_pages([("e.txt", evil, evil, day, False), ("u.txt", evil, "", None, True)])
    pages = {**issue_pages([Edition(names["e.txt"], arts), Edition(names["u.txt"], [])]), **column_pages(arts, names)}
    info = {"name": "e.txt", "title": names["e.txt"].name, "encoding": "utf-8", "newspaper": evil, "page_label": evil,
            "date": day, "date_inferred": False, "confidence": 1.0, "evidence": [], "reasoning": "", "n_articles": 1,
            "counts": {k: 0 for k in ("joined", "normalised", "removed", "moved", "flagged")}}
    pages["sources/e.md"] = render_source(info, arts, [])
    pages.update(sources_index_pages([info], []))
    for path, text in pages.items():
        body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
        out = markdown.markdown(body, extensions=["attr_list", "tables"])
        assert "<script" not in out and 'href="javascript' not in out, path
        assert 'id="id"' not in out, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *x*" in markdown.markdown(pages["issues/index.md"].split("---\n", 2)[2])
