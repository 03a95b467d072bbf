"""Entity pages and article-page links: pinyin order, inline-link placement (never in a
heading, never inside another link, escaped text), related articles, page contents,
and every link of every entity and index page resolving (Markdown and built site)."""

import datetime as dt
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.context import BuildContext
from generator.entities.index import match_entities
from generator.entities.linking import attach_entities, register_entities
from generator.entities.slugs import assign_entity_slugs
from generator.model import Article, Paragraph
from generator.pages.entity_pages import (
    KINDS,
    entity_links,
    entity_pages,
    entity_path,
    letter,
    link_first_mentions,
    pinyin_key,
    related_articles,
)
from generator.pages.metadata import article_path

ROOT = Path(__file__).parent.parent
CTX = BuildContext.load()  # the 锦州 profile; slugs are re-assigned by each _entity_pages call
SURNAMES = CTX.entities.surnames


def _entity_pages(articles: list[Article], url_of=None, ctx: BuildContext = CTX) -> dict[str, str]:
    """What the build does: know the corpus's places, assign every slug, then render."""
    register_entities(articles, ctx.entities)
    ctx.slugs = assign_entity_slugs(ctx.entities, articles)
    return entity_pages(articles, ctx, url_of)


def _path(kind: str, key: str, ctx: BuildContext = CTX) -> str:
    assert ctx.slugs is not None
    return entity_path(kind, key, ctx.slugs)
LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)]*)\)")


def _article(title: str, *paras: str, heading: int | None = None, slug: str = "", date: dt.date | None = None,
             authors: tuple[str, ...] = ()) -> Article:
    art = Article(source="t.txt", index=0, line=1, title=title, slug=slug or f"s{abs(hash(title)) % 10 ** 8}",
                  body=[Paragraph(t, i + 1, heading=(i == heading)) for i, t in enumerate(paras)],
                  date=date, authors=list(authors))
    attach_entities(art, CTX.entities)
    return art


# -- pinyin order ---------------------------------------------------------------------
def test_pinyin_order_and_letter_headings() -> None:
    names = ["凌海市", "北镇市", "义县", "黑山县", "古塔区", "太和区", "凌河区"]
    assert sorted(names, key=pinyin_key) == ["北镇市", "古塔区", "黑山县", "凌海市", "凌河区", "太和区", "义县"]
    assert [letter(n) for n in ["凌海市", "北镇市", "8+3产业布局", "App"]] == ["L", "B", "#", "A"]
    # names that are not pinyin go last
    assert sorted(["8+3产业布局", "营商环境", "飞地经济"], key=pinyin_key) == ["飞地经济", "营商环境", "8+3产业布局"]
    # people: surnames read as surnames (曾 zeng, not ceng; 单 shan, not dan)
    people = ["曾强", "陈明", "单丽", "邓伟"]
    assert sorted(people, key=lambda n: pinyin_key(n, "person", SURNAMES)) == ["陈明", "邓伟", "单丽", "曾强"]
    assert letter("曾强", "person", SURNAMES) == "Z" and letter("单丽", "person", SURNAMES) == "S"


# -- inline links -----------------------------------------------------------------------
def test_first_mention_linked_never_in_heading() -> None:
    art = _article("标题", "飞地经济园区", "义县九道岭镇发展飞地经济。", "飞地经济再发力，义县领先。", heading=0)
    md = link_first_mentions(art.body, art.mentions, lambda kind, key: f"{kind}.md")
    assert md[0] == "飞地经济园区"  # the heading is never linked
    # places back to back are one link, to the most specific (the town, in its county)
    assert md[1] == "[义县九道岭镇](place.md)发展[飞地经济](topic.md)。"
    by_key = link_first_mentions(art.body, art.mentions, lambda kind, key: f"{key.rsplit('/', 1)[-1]}.md")
    assert by_key[1].startswith("[义县九道岭镇](九道岭镇.md)")
    assert md[2] == "飞地经济再发力，义县领先。"  # first mention only


def test_links_never_nest_and_text_is_escaped() -> None:
    body = "[点我](http://x) *飞地经济* <script>alert(1)</script> 项目管家"
    paras = [Paragraph("标题里的飞地经济", 1, heading=True), Paragraph(body, 2)]
    at = body.index
    # overlapping mentions (a place inside a longer name): only the outer one is linked
    mentions = [(1, at("点我"), at("点我") + 2, "topic", "点"), (1, at("我"), at("我") + 1, "topic", "我"),
                (1, at("飞地经济"), at("飞地经济") + 4, "topic", "飞地经济"), (1, at("飞地"), at("飞地") + 2, "topic", "飞地"),
                (1, at("项目管家"), at("项目管家") + 4, "topic", "项目管家"), (0, 4, 8, "topic", "飞地经济")]
    md = link_first_mentions(paras, mentions, lambda kind, key: f"topics/{key}.md")
    assert md[0] == "标题里的飞地经济"
    assert "<script>" not in md[1] and "&lt;script&gt;" in md[1]
    links = LINK.findall(md[1])
    assert [target for _, target in links] == ["topics/点.md", "topics/飞地经济.md", "topics/项目管家.md"]
    assert all("[" not in text.replace("\\[", "") for text, _ in links)  # no link inside a link
    # the printed brackets and stars stay literal around the links
    assert md[1].startswith("\\[[点我](topics/点.md)\\](http://x) \\*[飞地经济](topics/飞地经济.md)\\*")


def test_link_first_mentions_accepts_entities_and_skips_bad_offsets() -> None:
    texts = ["凌海永创生物科技有限公司在凌海市投产。", "双凌协同发展示范区"]
    found = match_entities("\n".join(texts))
    md = link_first_mentions(texts, found, lambda kind, key: None if kind == "topic" else f"{kind}.md")
    # the place inside the company's name is not linked there; its next mention is
    assert md[0] == "[凌海永创生物科技有限公司](organization.md)在[凌海市](place.md)投产。"
    assert md[1] == "双凌协同发展示范区"  # url None: not linked
    assert link_first_mentions(["短"], [(0, 0, 9, "topic", "x"), (5, 0, 1, "topic", "y")], lambda k, v: "t.md") == ["短"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="义县九道岭镇飞地经济[]()*<>#_`\\ \n", max_size=20), st.booleans()),
                min_size=1, max_size=5),
       st.lists(st.tuples(st.integers(0, 5), st.integers(0, 20), st.integers(1, 8), st.sampled_from(["a", "b", "c"])),
                max_size=12))
def test_inline_links_property(paras, raw_mentions) -> None:
    mentions = [(p, s, s + n, "topic", key) for p, s, n, key in raw_mentions]
    md = link_first_mentions(paras, mentions, lambda kind, key: f"{key}.md")
    assert len(md) == len(paras)
    linked = []
    for (text, heading), out in zip(paras, md):
        links = LINK.findall(out)
        if heading:
            assert not links
        linked += [target for _, target in links]
        assert not any(re.search(r"(?<!\\)\]\(", t) for t, _ in links)  # an escaped \]( is literal text
    assert len(linked) == len(set(linked))  # each entity at most once


# -- related articles -----------------------------------------------------------------------
def test_related_articles_share_the_most_entities() -> None:
    a = _article("甲", "义县九道岭镇发展飞地经济。", slug="a", authors=("高华庚",))
    b = _article("乙", "义县九道岭镇的飞地经济项目。", slug="b", authors=("高华庚",))
    c = _article("丙", "义县开展乡村振兴。", slug="c", authors=("高华庚",))
    d = _article("丁", "北镇市举办招聘会。", slug="d", authors=("高华庚",))  # shares only the reporter
    rel = related_articles([a, b, c, d], k=5)
    assert [r.slug for r in rel[0]] == ["b", "c"]
    assert rel[3] == []
    assert [r.slug for r in related_articles([a, b, c, d], k=1)[0]] == ["b"]


def test_related_ties_go_to_rarer_entities_then_nearer_dates() -> None:
    arts = [_article("x", "义县营商环境", slug="x", date=dt.date(2020, 5, 1))]
    arts += [_article(f"y{i}", "义县的故事", slug=f"y{i}", date=dt.date(2020, 1, 1)) for i in range(3)]
    arts += [_article("z", "营商环境好", slug="z", date=dt.date(2020, 4, 30))]
    arts += [_article("w", "义县", slug="w", date=dt.date(2020, 4, 29))]
    rel = related_articles(arts)[0]
    # 营商环境 is in 2 articles, 义县 in 5: z (rarer) first; then the 义县 ones, nearest date first
    assert [r.slug for r in rel] == ["z", "w", "y0", "y1", "y2"]


# -- pages ---------------------------------------------------------------------------------
def _resolve(pages: dict[str, str], articles: list[Article], url_of=article_path) -> list[str]:
    """Every Markdown link in every page that does not lead to a page or an article."""
    targets = set(pages) | {url_of(a) for a in articles}
    broken = []
    for doc, text in pages.items():
        for _, target in LINK.findall(text):
            if "://" in target:
                continue
            path = posixpath.normpath(posixpath.join(posixpath.dirname(doc), target.split("#")[0]))
            if path not in targets:
                broken.append(f"{doc} → {target}")
    return broken


def test_pages_escape_titles_and_snippets() -> None:
    art = _article("<script>x</script> [链](http://e) *强调*", "义县九道岭镇发展飞地经济。", slug="s", date=dt.date(2020, 1, 2))
    pages = _entity_pages([art])
    topic = pages[_path("topic", "飞地经济")]
    assert "<script>" not in topic and "&lt;script&gt;x&lt;/script&gt;" in topic
    assert "\\[链\\](http://e) \\*强调\\*" in topic
    assert "…义县九道岭镇发展**飞地经济**。" in topic or "义县九道岭镇发展**飞地经济**。" in topic
    assert "2020-01-02 · [" in topic
    front = yaml.safe_load(topic.split("---")[1])
    assert front == {"title": "飞地经济"}
    assert {f"{folder}/index.md" for folder, _ in KINDS.values()} <= set(pages)
    assert not _resolve(pages, [art])


def test_place_page_header_parent_children_and_tree() -> None:
    a = _article("甲", "义县九道岭镇四方台村", slug="a")
    b = _article("乙", "义县九道岭镇石佛寺村与凌海市", slug="b")
    pages = _entity_pages([a, b])
    town = pages[_path("place", "义县/九道岭镇")]
    assert "- 类别：乡镇/街道" in town
    assert f"- 上级：锦州市 › [义县]({_path('place', '义县').split('/')[1]})" in town
    assert "[四方台村](" in town and "[石佛寺村](" in town and "处本档案尚无报道" in town
    village = pages[_path("place", "义县/九道岭镇/四方台村")]
    assert "[九道岭镇](" in village and "[义县](" in village
    index = pages["places/index.md"]
    tree = index.split("## 行政区划树")[1].split("## 按拼音")[0]
    lines = [line for line in tree.splitlines() if line.strip()]
    assert lines[0].startswith("- [凌海市]") or lines[0].startswith("- [义县]")
    assert "        - [四方台村]" in tree  # village two levels below its county
    assert "### J" in index and "### Y" in index
    assert not _resolve(pages, [a, b])


def test_person_topic_and_organisation_pages() -> None:
    a = _article("甲", "锦州市发改委主任说，“双凌”建设。", slug="a", authors=("曾强",))
    a.photographers = ["单丽"]
    a.people = ["曾强", "单丽"]
    pages = _entity_pages([a])
    people = pages["people/index.md"]
    assert people.index("## S") < people.index("[单丽]") < people.index("## Z") < people.index("[曾强]")
    assert "- 署名：摄影 1 篇" in pages[_path("person", "单丽")]
    org = pages[_path("organization", "锦州市发展改革委")]
    assert "- 又作：" in org and "市发改委" in org
    topic = pages[_path("topic", "双凌协同发展示范区")]
    assert "协同发展的示范区" in topic and "**双凌**" in topic


def test_custom_url_of_is_used() -> None:
    art = _article("甲", "义县", slug="a")
    pages = _entity_pages([art], url_of=lambda a: f"stories/{a.slug}.md")
    assert "](../stories/a.md)" in pages[_path("place", "义县")]
    assert not _resolve(pages, [art], url_of=lambda a: f"stories/{a.slug}.md")


def test_every_link_resolves_on_the_seeds() -> None:
    from generator.build import collect

    articles = collect(ROOT / "seeds", CTX).articles
    pages = entity_pages(articles, CTX)
    assert not _resolve(pages, articles)
    # every entity of every article has its page, and every ancestor of a place too
    for art in articles:
        for label, items in entity_links(art, CTX.slugs).items():
            for _, path in items:
                assert path in pages, (art.title, label, path)
        for key in art.places:
            parts = key.split("/")
            for depth in range(1, len(parts) + 1):
                assert _path("place", "/".join(parts[:depth])) in pages
        for para, start, end, kind, key in art.mentions:
            assert _path(kind, key) in pages
            assert not art.body[para].heading
    assert len(pages) == len(set(pages))


# -- built site -------------------------------------------------------------------------------
class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def test_entity_pages_in_the_built_site(seed_site: Path) -> None:
    places = (seed_site / "places" / "index.html").read_text("utf-8")
    assert "九道岭镇" in places and "四方台村" in places and "行政区划树" in places
    page = next(p for p in (seed_site / "places").glob("si-fang-tai-cun-*.html"))
    html = page.read_text("utf-8")
    assert "九道岭镇" in html and "千帆竞发争上游" in html and "引投资 聚产业 富乡村" in html
    people = (seed_site / "people" / "index.html").read_text("utf-8")
    assert "高华庚" in people and "孙娜" in people
    checked = 0
    for folder in ("places", "topics", "organizations", "people"):
        assert (seed_site / folder / "index.html").is_file()
        for html_file in (seed_site / folder).glob("*.html"):
            parser = _Hrefs()
            parser.feed(html_file.read_text("utf-8"))
            for href in parser.hrefs:
                if re.match(r"^[a-z]+:", href) or href.startswith("#"):
                    continue
                target = (html_file.parent / href.split("#")[0]).resolve()
                if href.endswith("/") or href.split("#")[0] in ("", "."):
                    continue
                assert target.exists(), f"{html_file.relative_to(seed_site)} → {href}"
                checked += 1
    assert checked > 100


def test_suggest_topics_options_pass_through_the_cli(capsys) -> None:
    from generator.cli import main

    root = Path(__file__).parent.parent
    assert main(["suggest-topics", "--seeds", str(root / "seeds"), "--top", "2", "--method", "tfidf",
                 "--min-articles", "2"]) == 0
    lines = [ln for ln in capsys.readouterr().out.splitlines() if not ln.startswith("#")]
    assert len(lines) == 2 and all(": {aliases: []}  # " in ln for ln in lines)


def test_names_without_a_pinyin_letter_are_grouped_under_a_real_heading() -> None:
    """``8+3产业布局`` starts with no letter A–Z: its group is headed 其他, since a
    heading of a lone ``#`` is read by Markdown as an empty heading."""
    import markdown

    art = _article("甲", "推进8+3产业布局和飞地经济。", slug="a")
    index = _entity_pages([art])["topics/index.md"]
    assert "## 其他" in index and "\n## #\n" not in index
    html = markdown.markdown(index.split("---", 2)[2])
    assert "<h2>其他</h2>" in html
