"""The build-time half of the archive's own search.

Why not Material's search: it rebuilds a lunr index in the browser on every
load (143 MB of JSON at 10,000 articles), drops the last word of a Chinese
query, ORs the rest and only matches word prefixes.  Why not a prebuilt lunr
index either: lunr.py's index for the 1,000-article corpus serialises to tens
of megabytes, and lunr.js must read all of it before the first result.

What we ship instead (under ``search/`` of the site; the browser half is
``theme/assets/javascripts/archive-search.js``):

* an inverted index of NFKC-normalised *character unigrams and bigrams* of
  Chinese text (and whole ASCII words/numbers), split by a hash of the token into
  shards of ~``SHARD_BYTES``; a query downloads only the shards of its own
  tokens, so the bytes before the first result do not grow with the archive.
  Bigrams make every word, sub-word (``道岭`` in 九道岭镇) and phrase findable;
  unigrams make single characters findable.
* for each token three posting lists: documents where it occurs in the headline
  (kicker, headline, subtitle; an entity page's name), documents filed under it
  (column, topics) and documents where it occurs only in the text.  Ranking
  weighs a query word 2 in the headline and 1 where filed, then document order,
  which is newest first; an entity page whose name is a query word comes first.
* the *word list* from jieba (precise mode, run by rjieba = jieba-rs, with the archive's own dictionary of
  places, topics, organisations and names added), stored with the bigram each
  word starts with.  The browser splits a query into words with it (fewest
  words, no guessing), so ``锦州乡村振兴`` means 锦州 AND 乡村振兴 — the same words
  jieba found when it read the articles.
* document metadata (URL, headline, date, column, a teaser) in chunks of
  ``CHUNK_DOCS``, loaded only for the documents a query returns.

Every file is a JavaScript file calling a global function, so the same files
load with ``importScripts`` in a worker over HTTP and through the iframe-worker
shim from ``file://``, where ``fetch`` is not allowed.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from ..model import Article
from ..pages.mdtext import front_matter_block

if TYPE_CHECKING:
    from ..context import BuildContext
    from ..entities.index import EntityIndex

SHARD_BYTES = 48_000  # aim per shard: a few shards per query, a few dozen KB each
CHUNK_DOCS = 100  # documents per metadata chunk: a page of results reads a few of ~5 KB gzip
TEASER_CHARS = 60
NAME_FREQ = 1000  # jieba frequency given to the archive's names: high enough to keep them whole
PINYIN_WORDS = 3  # words kept for one toneless pinyin spelling (named entities first, then commonest)
FORMAT = 2  # bump when the file layout changes (with FORMAT in archive-search.js)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_WORD_RUN = re.compile(r"[0-9a-z]+(?:\.[0-9]+)*")
_CJK_WORD = re.compile(f"^[{_CJK}]{{2,}}$")
# a number and the character after it: 100万吨 → token 100万, so a number with its
# unit is found as one word (and 100万吨 is not 100 … 万吨 anywhere)
_NUMBER_UNIT = re.compile(f"(?<![0-9a-z.])([0-9]+(?:\\.[0-9]+)*)(?=[{_CJK}])")

# varint alphabet: a value is written in base 32, high digits first; the last
# digit comes from TERMINAL, the others from MORE (both sets are JSON-safe).
TERMINAL = "0123456789abcdefghijklmnopqrstuv"
MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-"


@dataclass
class SearchDoc:
    """One search result: an article or an entity page (never a 版面 page)."""

    location: str  # site-relative URL
    title: str
    date: str  # YYYY-MM-DD, "" when unknown
    tags: list[str]  # shown under the result
    teaser: str
    headline: str  # matches here rank first…
    filed: str = ""  # …then here (column, topics)…
    text: str = ""  # …then here
    order: tuple = ()  # documents are numbered in this order: it breaks ties
    names: list[str] = field(default_factory=list)  # an entity page's name and variants
    facets: dict[str, list[str]] = field(default_factory=dict)  # the search page's filters: year, column, place, topic


@functools.lru_cache(maxsize=1)
def traditional_to_simplified() -> dict[int, str]:
    """OpenCC's character table (t2s), one character to one character: 錦 → 锦,
    義 → 义.  Read from the official OpenCC binding (``opencc`` on PyPI) at build
    time; the worker gets the part of it that leads to characters in the index."""
    import opencc

    conv = opencc.OpenCC("t2s")
    table: dict[int, str] = {}
    for lo, hi in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)):
        chars = [chr(cp) for cp in range(lo, hi)]
        for ch in chars:
            simple = conv.convert(ch)
            if simple != ch and len(simple) == 1:
                table[ord(ch)] = simple
    return table


def normalise(text: str) -> str:
    """NFKC + lower case + traditional → simplified characters, the same in the
    worker (``String.normalize('NFKC')``, then the shipped OpenCC table):
    full-width letters and digits match their ASCII forms, 錦州 matches 锦州."""
    return unicodedata.normalize("NFKC", text).lower().translate(traditional_to_simplified())


def tokens(text: str) -> set[str]:
    """Index terms of a text: every CJK character and character pair, every ASCII word."""
    text = normalise(text)
    out: set[str] = set()
    for run in _CJK_RUN.findall(text):
        out.update(run)
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    out.update(_WORD_RUN.findall(text))
    out.update(m.group(1) + text[m.end()] for m in _NUMBER_UNIT.finditer(text))
    return out


# ---------------------------------------------------------------------------
# segmentation
# ---------------------------------------------------------------------------
def tokenizer(idx: "EntityIndex"):
    """The segmenter, with the archive's names added (once per build:
    ``BuildContext.tokenizer``).

    rjieba is jieba-rs: jieba's own dictionary and algorithm (DAG of dictionary
    words, most probable route) compiled from Rust.  On the 1,000-article corpus it
    gives exactly jieba's word set in 0.44 s instead of 3.5 s, which was the largest
    single cost of the generator (``tests/test_search.py`` compares the two on the
    seeds)."""
    import rjieba

    tk = rjieba.Jieba()
    for name in sorted(archive_dictionary(idx)):
        tk.add_word(name, max(tk.suggest_freq(name), NAME_FREQ), None)
    return tk


def archive_dictionary(idx) -> set[str]:
    """Names the archive knows (gazetteer places and their printed forms, topics,
    organisations): jieba must keep each one whole."""
    names = set(idx.surfaces) | {place.name for place in idx.places.values()}
    return {n for n in names if _CJK_WORD.match(n)}


def words_of(texts: Iterable[str], tk) -> set[str]:
    """jieba's words (two or more CJK characters) in the texts (``tk``: ``tokenizer``):
    precise mode, no HMM (new words are not guessed; the query side keeps unknown runs
    whole anyway)."""
    out: set[str] = set()
    for text in texts:
        if text:
            out.update(w for w in tk.cut(normalise(text), False) if len(w) > 1 and _CJK_WORD.match(w))
    return out


# ---------------------------------------------------------------------------
# documents
# ---------------------------------------------------------------------------
def _headline_texts(art: Article) -> list[str]:
    return [art.kicker, art.title, art.subtitle]


def _filed_texts(art: Article) -> list[str]:
    """What the article is filed under.  Places and organisations are not here:
    they are found in the text, and may be passing mentions."""
    return [art.column, *art.topics]


def _text_texts(art: Article) -> list[str]:
    return [*(p.text for p in art.summary), *(p.text for p in art.body), *(c.text for c in art.captions),
            art.sidebar_title, *(p.text for p in art.sidebar), *art.authors, *art.photographers, *art.organizations]


def page_words(articles: Iterable[Article], tk) -> str:
    """The words of a page's articles for the query-side word list, space-separated:
    run in the page workers, and one string per page is what crosses back to the
    main process (a list of words per article took 3 s of pickling at 10,000)."""
    words: set[str] = set()
    for art in articles:
        words |= words_of(_headline_texts(art) + _filed_texts(art) + _text_texts(art), tk)
        words |= {n for n in art.authors + art.photographers if _CJK_WORD.match(n)}
    return " ".join(sorted(words))


def _teaser(art: Article) -> str:
    for para in [*art.summary, *art.body]:
        if not para.heading and para.text.strip():
            text = para.text.strip()
            return text if len(text) <= TEASER_CHARS else text[:TEASER_CHARS] + "…"
    return ""


def article_doc(art: Article, location: str, root_place: str) -> SearchDoc:
    date = art.date.isoformat() if art.date else ""
    title = " ".join(t for t in (art.title, art.subtitle) if t) or "（无标题）"
    tags = [t for t in (date or "日期不详", art.column) if t]
    order = (1, -(art.date.toordinal() if art.date else 0), art.source, art.index)  # newest first, undated last
    facets = {"year": [str(art.date.year)] if art.date else [], "column": [art.column] if art.column else [],
              "place": [p for p in art.places if p != root_place], "topic": list(art.topics)}  # county and below
    return SearchDoc(location, title, date, tags, _teaser(art), _join(_headline_texts(art)), _join(_filed_texts(art)),
                     "\n".join(t for t in _text_texts(art) if t), order, facets=facets)


def _facet_order(kind: str, values: dict[str, list[int]]) -> list[tuple[str, list[int]]]:
    """Years newest first; other filters' values commonest first."""
    if kind == "year":
        return sorted(values.items(), reverse=True)
    return sorted(values.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def facet_label(kind: str, value: str) -> str:
    """What the search page shows for a filter value: a place with the places above
    it (四方台村 · 九道岭镇 · 义县: several villages share a name)."""
    if kind == "place":
        return " · ".join(reversed(value.split("/")))
    return value


def _join(texts: Iterable[str]) -> str:
    return " ".join(t for t in texts if t)


def entity_doc(kind_label: str, name: str, aliases: Iterable[str], location: str, count: int) -> SearchDoc:
    """An entity page is found by its name (and printed variants), never by the
    article titles it lists, which would make it match almost anything."""
    teaser = f"{kind_label}：本档案中 {count} 篇文章" if count else f"{kind_label}：上级地名"
    names = [name, *sorted(aliases)]
    return SearchDoc(location, name, "", [kind_label], teaser, " ".join(names), order=(0, -count, name), names=names)


def archive_docs(articles: list[Article], ctx: "BuildContext") -> list[SearchDoc]:
    """Every article and entity page as a search document."""
    from ..pages.entity_pages import KINDS, display_name, entity_entries, entity_path
    from ..pages.metadata import article_url, page_url

    docs = [article_doc(art, article_url(art), ctx.root_place) for art in articles]
    aliases, slugs = ctx.entities.place_aliases, ctx.slugs
    for (kind, key), entry in entity_entries(articles).items():
        docs.append(entity_doc(KINDS[kind][1], display_name(kind, key), aliases.get(key, ()) if kind == "place" else (),
                               page_url(entity_path(kind, key, slugs)), len(entry.articles)))
    return docs


def archive_index(articles: list[Article], page_word_lists: Iterable[str], ctx: "BuildContext") -> dict[str, bytes]:
    """The search files for the whole archive (site-relative path → content).  The
    word list is what jieba found in the articles (``page_words`` of every page)
    plus every column name; ``build_index`` adds every entity's name and variants
    (people's names are not in jieba's dictionary, and the query side must keep
    them whole too)."""
    words = {w for line in page_word_lists for w in line.split()}
    words |= {art.column for art in articles if art.column}
    return build_index(archive_docs(articles, ctx), words)


# the full search page (search.html): its form and list are filled by
# theme/assets/javascripts/archive-search-page.js (theme/partials/archive-search.html
# loads it on this page only); without script it says so
SEARCH_PAGE = """# 搜索

<div class="archive-search-page" data-archive-search-page>
<form class="archive-search-form" role="search" action="search.html" method="get">
<label class="archive-search-q"><span>检索词</span>
<input type="search" name="q" autocomplete="off" placeholder="词、短语（加引号）、拼音，如：乡村振兴 “100万吨”"></label>
<label><span>年份</span><select name="year"><option value="">全部</option></select></label>
<label><span>栏目</span><select name="column"><option value="">全部</option></select></label>
<label><span>地点</span><select name="place"><option value="">全部</option></select></label>
<label><span>主题</span><select name="topic"><option value="">全部</option></select></label>
<label><span>排序</span><select name="sort">
<option value="">相关度</option><option value="new">最新在前</option><option value="old">最早在前</option>
</select></label>
<button type="submit">搜索</button>
</form>
<p class="archive-search-status" role="status" aria-live="polite">搜索需要浏览器允许运行网页脚本。</p>
<ol class="archive-search-results"></ol>
<button type="button" class="archive-search-more" hidden>更多结果</button>
</div>
"""


# ---------------------------------------------------------------------------
# encoding
# ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _varint(value: int) -> str:
    digits = [TERMINAL[value & 31]]
    value >>= 5
    while value:
        digits.append(MORE[value & 31])
        value >>= 5
    return "".join(reversed(digits))


def encode_postings(ids: list[int]) -> str:
    """Ascending ids as base-32 varint gaps (first gap from -1): 1–2 bytes per id."""
    out = []
    prev = -1
    for i in ids:
        out.append(_varint(i - prev - 1))
        prev = i
    return "".join(out)


def decode_postings(data: str) -> list[int]:
    """The inverse of ``encode_postings`` (the worker has the same loop, in JS)."""
    ids, value, prev = [], 0, -1
    for ch in data:
        if ch in MORE:
            value = value * 32 + MORE.index(ch)
        else:
            prev += value * 32 + TERMINAL.index(ch) + 1
            ids.append(prev)
            value = 0
    return ids


def shard_of(token: str, shards: int) -> int:
    """FNV-1a over code points, 32-bit; the worker computes the same."""
    h = 0x811C9DC5
    for ch in token:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h % shards


def _js(call: str, *args) -> bytes:
    body = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in args)
    return f"{call}({body});\n".encode("utf-8")


# ---------------------------------------------------------------------------
# the index
# ---------------------------------------------------------------------------
_PLACE_SUFFIX = "省市县区镇乡村"


def pinyin_map(vocabulary: dict[str, list[str]], named: dict[str, list[int]], frequency) -> dict[str, str]:
    """Toneless pinyin (``jinzhou``) → the words spelt so, space-separated: every
    entity name, column and word of the word list of two to four characters, the
    names of entity pages first, then the words whose rarest character pair is in
    most documents; at most ``PINYIN_WORDS`` per spelling."""
    from ..entities.index import pinyin_words

    found: dict[str, list[tuple]] = defaultdict(list)
    for items in vocabulary.values():
        for item in items:
            word = item.split(":")[0]
            if not 2 <= len(word) <= 4 and word not in named:
                continue
            spelling = "".join(pinyin_words(word))
            if not spelling.isascii() or not spelling.isalpha():
                continue
            df = min(frequency(word[i:i + 2]) for i in range(len(word) - 1))
            found[spelling].append((word not in named, -df, word))
            if word in named and len(word) > 2 and word[-1] in _PLACE_SUFFIX:  # jiudaoling → 九道岭镇
                stem = "".join(pinyin_words(word[:-1]))
                found[stem].append((False, -df, word))
    return {sp: " ".join(w for *_, w in sorted(ws)[:PINYIN_WORDS]) for sp, ws in found.items()}


def build_index(docs: list[SearchDoc], words: Iterable[str]) -> dict[str, bytes]:
    """All files of ``search/``: documents are numbered in their ``order``."""
    docs = sorted(docs, key=lambda d: d.order)
    fields: tuple[dict[str, list[int]], ...] = (defaultdict(list), defaultdict(list), defaultdict(list))
    for n, doc in enumerate(docs):
        seen: set[str] = set()
        for postings, text in zip(fields, (doc.headline, doc.filed, doc.text)):
            new = tokens(text) - seen
            for tok in new:
                postings[tok].append(n)
            seen |= new
    every = fields[0].keys() | fields[1].keys() | fields[2].keys()
    # a query word that is exactly an entity's name puts that entity's page first
    named: dict[str, list[int]] = defaultdict(list)
    for n, doc in enumerate(docs):
        for name in dict.fromkeys(map(normalise, doc.names)):
            named[name].append(n)
    vocabulary: dict[str, list[str]] = defaultdict(list)
    for word in sorted({normalise(w) for w in words} | named.keys()):
        if _CJK_WORD.match(word) and word[:2] in every:
            ids = named.get(word)
            vocabulary[word[:2]].append(f"{word}:{','.join(map(str, ids))}" if ids else word)
    entries = {tok: [encode_postings(f.get(tok, [])) for f in fields] for tok in sorted(every)}
    spellings = pinyin_map(vocabulary, named, lambda tok: sum(len(f.get(tok, ())) for f in fields))
    size = sum(len(t) * 3 + sum(map(len, e)) + 12 for t, e in entries.items())
    size += sum(len(w) * 3 + 1 for ws in vocabulary.values() for w in ws)
    size += sum(len(k) + 4 + len(v) * 3 for k, v in spellings.items())
    shards = max(1, -(-size // SHARD_BYTES))
    shard_tokens: list[dict[str, list[str]]] = [{} for _ in range(shards)]
    shard_words: list[dict[str, str]] = [{} for _ in range(shards)]
    shard_pinyin: list[dict[str, str]] = [{} for _ in range(shards)]
    for tok, entry in entries.items():
        shard_tokens[shard_of(tok, shards)][tok] = entry
    for head, ws in vocabulary.items():
        shard_words[shard_of(head, shards)][head] = " ".join(ws)
    for spelling, ws in spellings.items():  # beside the ASCII token of the same spelling
        shard_pinyin[shard_of(spelling, shards)][spelling] = ws
    files: dict[str, bytes] = {}
    for n in range(shards):
        files[f"search/s/{n}.js"] = _js("archiveSearch.shard", n, shard_tokens[n], shard_words[n], shard_pinyin[n])
    chunks = -(-len(docs) // CHUNK_DOCS)
    for c in range(chunks):
        rows = [[d.location, d.title, d.date, d.tags, d.teaser] for d in docs[c * CHUNK_DOCS:(c + 1) * CHUNK_DOCS]]
        files[f"search/d/{c}.js"] = _js("archiveSearch.docs", c, rows)
    # the text of each article, one file each: loaded for the results on screen
    # (their passages) and to check quoted phrases and numbers with units
    for n, doc in enumerate(docs):
        if not doc.names:
            files[f"search/t/{n}.js"] = _js("archiveSearch.text", n, "\n".join((doc.headline, doc.filed, doc.text)))
    # the search page's filters: for each value, the documents that have it
    facets: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for n, doc in enumerate(docs):
        for kind, values in doc.facets.items():
            for value in dict.fromkeys(values):
                facets[kind][value].append(n)
    files["search/f.js"] = _js("archiveSearch.facets", {
        kind: [[value, facet_label(kind, value), encode_postings(ids)] for value, ids in _facet_order(kind, values)]
        for kind, values in sorted(facets.items())})
    # traditional characters that fold to a character of the index (錦 → 锦)
    folds = "".join(chr(t) + s for t, s in sorted(traditional_to_simplified().items()) if s in every)
    files["search/v.js"] = _js("archiveSearch.variants", folds)
    meta = {"format": FORMAT, "docs": len(docs), "entities": sum(1 for d in docs if d.names),
            "texts": sum(1 for d in docs if not d.names),
            "shards": shards, "chunk": CHUNK_DOCS,
            "more": MORE, "terminal": TERMINAL}
    files["search/meta.js"] = _js("archiveSearch.meta", meta)
    # Material's page-side highlighter reads its separator from these two files
    # (search_index.json over HTTP, search_index.js from file://); no documents.
    stub = {"config": {"lang": ["zh"], "separator": r"[\s\-]+", "pipeline": []}, "docs": []}
    files["search/search_index.json"] = json.dumps(stub).encode()
    files["search.md"] = (front_matter_block({"title": "搜索"}) + "\n" + SEARCH_PAGE).encode("utf-8")
    files["search/search_index.js"] = f"var __index = {json.dumps(stub)};\n".encode()
    return files
