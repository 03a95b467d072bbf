"""The build-time half of the archive's own search.

Why not Material's search: it rebuilds a lunr index in the browser on every
load (143 MB of JSON at 10,000 articles), drops the last word of a Chinese
query, ORs the rest and only matches word prefixes.  Why not a prebuilt lunr
index either: lunr.py's index for the 1,000-article corpus serialises to tens
of megabytes, and lunr.js must read all of it before the first result.

What we ship instead (under ``search/`` of the site; the browser half is
``theme/assets/javascripts/archive-search.js``):

* an inverted index of NFKC-normalised *character unigrams and bigrams* of
  Chinese text (and whole ASCII words/numbers, and a number with the one or two
  characters after it), split by a hash of the token into shards of
  ~``SHARD_BYTES``; a query downloads only the shards of its own tokens, so the
  bytes a query reads do not grow with the archive.  Bigrams make every word,
  sub-word (``道岭`` in 九道岭镇) and phrase findable; unigrams make single
  characters findable.
* for each token three posting lists: documents where it occurs in the headline
  (kicker, headline, subtitle; an entity page's name), documents filed under it
  (column, topics) and documents where it occurs only in the text.  Ranking
  weighs a query word 2 in the headline and 1 where filed, then newest first; an
  entity page whose name is a query word comes first.
* documents numbered in a stable order — articles oldest first (by date, seed
  file, place on the page), then the entity pages — and the postings split by
  document number into ranges (``levels``): a day's new articles land in the
  last small file, and the files of older ranges are rewritten only when the
  archive crosses a step of ``TAIL_DOCS`` or ``BASE_DOCS`` articles.
* the *word list* from jieba (precise mode, run by rjieba = jieba-rs, with the archive's own dictionary of
  places, topics, organisations and names added), stored with the bigram each
  word starts with, in the range of the page where it was first found (with
  their toneless pinyin).  The browser splits a query into words with it (fewest
  words, no guessing), so ``锦州乡村振兴`` means 锦州 AND 乡村振兴 — the same words
  jieba found when it read the articles.
* document metadata (URL, headline, date, column) in chunks of ``CHUNK_DOCS`` by
  number, loaded only for the documents a query lists; each article's text in
  a file of its own, loaded for the results shown with a passage.

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

from ..cache import Memo
from ..model import Article
from ..pages.mdtext import front_matter_block

if TYPE_CHECKING:
    from ..context import BuildContext
    from ..entities.index import EntityIndex

SHARD_BYTES = 4_000  # aim per posting shard: a query token reads one of each range, a few KB gzip
BASE_DOCS = 1024  # the base range of postings grows in steps of this many articles…
TAIL_DOCS = 32  # …the next range in steps of this many; the newest articles…
TAIL_CHUNK = 8  # …are stored this many to a file with all their tokens
ENTITY_BYTES = 32_000  # aim per file of the entity pages' postings
CHUNK_DOCS = 100  # documents per metadata chunk (URL, headline, date, column: ~3 KB gzip)
TEASER_CHARS = 60
NAME_FREQ = 1000  # jieba frequency given to the archive's names: high enough to keep them whole
PINYIN_WORDS = 3  # words kept for one toneless pinyin spelling (named entities first, then commonest)
FORMAT = 3  # bump when the file layout changes (with FORMAT in archive-search.js)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_WORD_RUN = re.compile(r"[0-9a-z]+(?:\.[0-9]+)*")
_CJK_WORD = re.compile(f"^[{_CJK}]{{2,}}$")
_CJK_CHAR = re.compile(f"[{_CJK}]")
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
    order: tuple = ()  # documents are numbered in this order (articles oldest first, then entity pages)
    source: str = ""  # an article's page (seed file): the words jieba found there are stored with it
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
    """Index terms of a text: every CJK character and character pair, every ASCII
    word, and a number with the one and the two characters after it (100万, 100万吨)."""
    text = normalise(text)
    out: set[str] = set()
    for run in _CJK_RUN.findall(text):
        out.update(run)
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    out.update(_WORD_RUN.findall(text))
    for m in _NUMBER_UNIT.finditer(text):
        out.add(m.group(1) + text[m.end()])
        if _CJK_CHAR.match(text, m.end() + 1):  # 100万吨: a unit of two characters is exact in the index
            out.add(m.group(1) + text[m.end():m.end() + 2])
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
    # oldest first (undated before every date), so a day's new page is numbered after
    # every earlier article and does not renumber them
    order = (0, art.date.toordinal() if art.date else 0, art.source, art.index)
    facets = {"year": [str(art.date.year)] if art.date else [], "column": [art.column] if art.column else [],
              "place": [p for p in art.places if p != root_place], "topic": list(art.topics)}  # county and below
    return SearchDoc(location, title, date, tags, _teaser(art), _join(_headline_texts(art)), _join(_filed_texts(art)),
                     "\n".join(t for t in _text_texts(art) if t), order, art.source, facets=facets)


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
    return SearchDoc(location, name, "", [kind_label], teaser, " ".join(names), order=(1, -count, name), names=names)


def archive_docs(articles: list[Article], ctx: "BuildContext") -> list[SearchDoc]:
    """Every article and entity page as a search document."""
    from ..pages.entity_pages import KINDS, display_name, entity_entries, entity_path
    from ..pages.metadata import article_url, page_url

    docs = [article_doc(art, article_url(art), ctx.root_place) for art in articles]
    aliases, slugs = ctx.entities.place_aliases, ctx.entity_slugs
    for (kind, key), entry in entity_entries(articles).items():
        docs.append(entity_doc(KINDS[kind][1], display_name(kind, key), aliases.get(key, ()) if kind == "place" else (),
                               page_url(entity_path(kind, key, slugs)), len(entry.articles)))
    return docs


def archive_index(articles: list[Article], page_word_lists: Iterable[str], ctx: "BuildContext") -> dict[str, bytes]:
    """The search files for the whole archive (site-relative path → content).  The
    word list is what jieba found in the articles (``page_words`` of every page)
    plus every column name; ``build_index`` adds every entity's name and variants
    (people's names are not in jieba's dictionary, and the query side must keep
    them whole too).  Each page's words are kept with the page (its seed file), so
    that they are stored beside the postings of its articles."""
    return build_index(archive_docs(articles, ctx), _words_by_page(articles, page_word_lists), ctx.memos["search"])


def _words_by_page(articles: list[Article], page_word_lists: Iterable[str]) -> dict[str, set[str]]:
    """Seed file → the words of its articles (jieba's, and the column names).  The
    word lists come one per page, in the order of ``articles``' pages (a page with
    no article has an empty list); a list is matched to the next page whose text
    has its first word, so a page with articles but no words is skipped."""
    groups: list[tuple[str, list[Article]]] = []
    for art in articles:
        if not groups or groups[-1][0] != art.source:
            groups.append((art.source, []))
        groups[-1][1].append(art)
    out: dict[str, set[str]] = defaultdict(set)
    at = 0
    for line in page_word_lists:
        words = line.split()
        if not words:
            continue
        while at < len(groups):
            raw = "\n".join(t for art in groups[at][1]
                            for t in _headline_texts(art) + _filed_texts(art) + _text_texts(art) if t)
            if words[0] in raw or words[0] in normalise(raw):
                break
            at += 1
        if at == len(groups):  # not found (cannot happen): the words go to the newest documents
            out[""].update(words)
            continue
        out[groups[at][0]].update(words)
        at += 1
    for art in articles:
        if art.column:
            out[art.source].add(art.column)
    return out


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


def encode_postings(ids: list[int], base: int = 0) -> str:
    """Ascending ids (all ≥ ``base``) as base-32 varint gaps (the first from
    ``base - 1``): 1–2 bytes per id."""
    out = []
    prev = base - 1
    for i in ids:
        out.append(_varint(i - prev - 1))
        prev = i
    return "".join(out)


def decode_postings(data: str, base: int = 0) -> list[int]:
    """The inverse of ``encode_postings`` (the worker has the same loop, in JS)."""
    ids, value, prev = [], 0, base - 1
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


def pinyin_map(vocabulary: Iterable[str], named: dict[str, list[int]], frequency) -> dict[str, str]:
    """Toneless pinyin (``jinzhou``) → the words spelt so, space-separated: every
    entity name, column and word of the word list of two to four characters, the
    names of entity pages first, then the words whose rarest character pair is in
    most documents; at most ``PINYIN_WORDS`` per spelling.  Made for each range
    of documents apart, from the words first found there (the entity pages' range:
    their names); the worker tries the entity pages' first, then the oldest range's."""
    from ..entities.index import pinyin_words

    found: dict[str, list[tuple]] = defaultdict(list)
    for word in vocabulary:
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


def levels(articles: int, docs: int) -> list[tuple[int, int, int]]:
    """How the postings are split by document number: ``[(first, end, shards)]``,
    ``shards`` 0 for a range sharded by token to ``SHARD_BYTES`` a file.

    Articles are numbered oldest first, so a day's new articles get the highest
    numbers and nothing else is renumbered.  The articles below the last multiple
    of ``BASE_DOCS`` and those below the last multiple of ``TAIL_DOCS`` form two
    ranges sharded by token (a query reads one small file of each per token);
    their files are rewritten only when an update crosses a step.  The newest
    articles, fewer than ``TAIL_DOCS``, are stored ``TAIL_CHUNK`` to a file with
    all their tokens (read whole with the first query): a day's articles change the
    last of these and add the next.  The entity pages, numbered after the articles,
    come last, sharded to ``ENTITY_BYTES``.  A function of the numbers only: an
    update gives the same files as a clean build."""
    base = articles // BASE_DOCS * BASE_DOCS
    tail = articles // TAIL_DOCS * TAIL_DOCS
    out = [(lo, hi, 0) for lo, hi in ((0, base), (base, tail)) if hi > lo]
    out += [(lo, min(lo + TAIL_CHUNK, articles), 1) for lo in range(tail, articles, TAIL_CHUNK)]
    if docs > articles:
        out.append((articles, docs, -1))
    return out


def _count(frequency: dict[str, int], tok: str) -> int:
    return frequency.get(tok, 0)


def _range_files(lo: int, hi: int, kind: int, part: tuple[dict[str, list[int]], ...], vocabulary: dict[str, list[str]],
                 named: dict[str, list[int]], frequency) -> tuple[dict[str, bytes], list]:
    """The posting files of one range (``levels``) and its entry in ``meta.js``."""
    last = kind < 0
    groups: dict[str, list[str]] = defaultdict(list)  # tokens with the same postings share them
    for tok in sorted(set().union(*(f.keys() for f in part))):
        groups[",".join(encode_postings(f.get(tok, []), lo) for f in part).rstrip(",")].append(tok)
    # toneless pinyin of these words (of the entity pages' names, with the entity
    # pages), beside the ASCII token of the same spelling
    here = [w.split(":")[0] for ws in vocabulary.values() for w in ws]
    spellings = pinyin_map([w for w in here if w in named] if last else here, named if last else {}, frequency)
    if kind == 1:
        shards = 1
    else:
        size = sum(len(key) + 6 + sum(len(t) * 3 + 1 for t in toks) for key, toks in groups.items())
        size += sum(len(w) * 3 + 1 for ws in vocabulary.values() for w in ws)
        size += sum(len(k) + 4 + len(v) * 3 for k, v in spellings.items())
        shards = max(1, -(-size // (ENTITY_BYTES if last else SHARD_BYTES)))
    name = "e" if last else str(lo) if kind == 1 else f"{lo}-{hi}"
    shard_groups: list[dict[str, list[str]]] = [defaultdict(list) for _ in range(shards)]
    shard_words: list[dict[str, str]] = [{} for _ in range(shards)]
    shard_pinyin: list[dict[str, str]] = [{} for _ in range(shards)]
    for spelling, ws in sorted(spellings.items()):
        shard_pinyin[shard_of(spelling, shards)][spelling] = ws
    for key, toks in groups.items():
        for tok in toks:
            shard_groups[shard_of(tok, shards)][key].append(tok)
    for head, ws in sorted(vocabulary.items()):
        shard_words[shard_of(head, shards)][head] = " ".join(ws)
    files = {}
    for n in range(shards):
        postings = {key: " ".join(toks) for key, toks in shard_groups[n].items()}
        files[f"search/s/{name}/{n}.js"] = _js("archiveSearch.shard", lo, n, postings, shard_words[n], shard_pinyin[n])
    return files, [lo, hi, shards, name]


def _postings(docs: list[SearchDoc], lo: int, hi: int) -> tuple[dict[str, list[int]], ...]:
    """Token → ids of a range of documents, per field (headline, filed under, text only):
    a document is listed under the first field a token is in."""
    fields: tuple[dict[str, list[int]], ...] = (defaultdict(list), defaultdict(list), defaultdict(list))
    for n in range(lo, hi):
        doc = docs[n]
        seen: set[str] = set()
        for postings, text in zip(fields, (doc.headline, doc.filed, doc.text)):
            new = tokens(text) - seen
            for tok in new:
                postings[tok].append(n)
            seen |= new
    return fields


def _frequencies(part: tuple[dict[str, list[int]], ...]) -> dict[str, int]:
    """Token → the documents of the range that have it."""
    out: dict[str, int] = defaultdict(int)
    for f in part:
        for tok, ids in f.items():
            out[tok] += len(ids)
    return dict(out)


def build_index(docs: list[SearchDoc], page_words: dict[str, set[str]] | Iterable[str],
                memo: "Memo | None" = None) -> dict[str, bytes]:
    """All files of ``search/``: documents are numbered in their ``order`` —
    articles oldest first, then the entity pages.  ``page_words``: seed file → the
    words found there (stored with the postings of that page's articles), or just
    the words.  ``memo``: the ranges of the previous build; a range made from the same
    documents and words is taken from it (its postings are not made again), so a day's
    update indexes its own articles and the entity pages only."""
    docs = sorted(docs, key=lambda d: d.order)
    articles = sum(1 for d in docs if not d.names)
    if not isinstance(page_words, dict):
        page_words = {"": set(page_words)}
    ranges = levels(articles, len(docs))
    # per range: its postings per field (None while the memo has the range), and the
    # number of its documents with each token
    keys = [Memo.key(FORMAT, lo, hi, kind, [(d.headline, d.filed, d.text) for d in docs[lo:hi]])
            if memo is not None and kind >= 0 else "" for lo, hi, kind in ranges]
    kept = [memo.peek(key) if key else None for key in keys]
    fields = [None if k else _postings(docs, lo, hi) for k, (lo, hi, _) in zip(kept, ranges)]
    frequency = [k[0] if k else _frequencies(part) for k, part in zip(kept, fields)]
    every = set().union(*frequency)
    # a query word that is exactly an entity's name puts that entity's page first
    named: dict[str, list[int]] = defaultdict(list)
    for n, doc in enumerate(docs):
        for name in dict.fromkeys(map(normalise, doc.names)):
            named[name].append(n)
    # each word is stored with the postings of the first page it was found on
    first_doc: dict[str, int] = {}
    for n, doc in enumerate(docs):
        first_doc.setdefault(doc.source, n)
    first_page: dict[str, int] = {}  # word → the first document of the first page it is on
    for source, ws in page_words.items():
        at = first_doc.get(source, len(docs)) if source else len(docs)
        for w in ws:
            if at < first_page.get(w, len(docs) + 1):
                first_page[w] = at
    word_doc: dict[str, int] = {}
    for w, at in first_page.items():
        w = normalise(w)
        if _CJK_WORD.match(w) and w[:2] in every and at < word_doc.get(w, len(docs) + 1):
            word_doc[w] = at
    for name in named:
        if _CJK_WORD.match(name) and name[:2] in every:
            word_doc.setdefault(name, len(docs))
    words_at = sorted(word_doc.items())
    files: dict[str, bytes] = {}
    parts = []
    everywhere = lambda tok: sum(f.get(tok, 0) for f in frequency)  # noqa: E731
    for k, (lo, hi, kind) in enumerate(ranges):
        last = kind < 0  # the entity pages: the names, with the pages they name
        vocabulary: dict[str, list[str]] = defaultdict(list)
        for word, at in words_at:
            if lo <= at < hi or (last and at >= hi):
                ids = named.get(word) if last else None
                vocabulary[word[:2]].append(f"{word}:{','.join(map(str, ids))}" if ids else word)
            elif last and word in named:  # stored with an earlier page: its entity pages here
                vocabulary[word[:2]].append(f"{word}:{','.join(map(str, named[word]))}")
        made_from = Memo.key(keys[k], sorted(vocabulary.items())) if keys[k] else ""
        if kept[k] and kept[k][1] == made_from:
            memo.get(keys[k])  # taken: kept for the next build
            files.update(kept[k][2])
            parts.append(kept[k][3])
            continue
        part = fields[k] or _postings(docs, lo, hi)
        range_files, entry = _range_files(lo, hi, kind, part, vocabulary, named, everywhere if last else
                                          functools.partial(_count, frequency[k]))
        files.update(range_files)
        parts.append(entry)
        if keys[k]:
            memo.put(keys[k], (frequency[k], made_from, range_files, entry))
    # what a result shows: an article's URL, headline, date and column in chunks of
    # CHUNK_DOCS by number (a new day changes only the last chunk); entity pages apart
    for c in range(-(-articles // CHUNK_DOCS)):
        rows = [[d.location, d.title, d.date, (d.facets.get("column") or [""])[0]]
                for d in docs[c * CHUNK_DOCS:min((c + 1) * CHUNK_DOCS, articles)]]
        files[f"search/d/{c}.js"] = _js("archiveSearch.docs", c, rows)
    for c in range(-(-(len(docs) - articles) // CHUNK_DOCS)):
        rows = [[d.location, d.title, d.tags[0], d.teaser]
                for d in docs[articles + c * CHUNK_DOCS:articles + (c + 1) * CHUNK_DOCS]]
        files[f"search/d/e{c}.js"] = _js("archiveSearch.docs", f"e{c}", rows)
    # the text of each article, one file each: loaded for the results on screen
    # (their passages) and to check quoted phrases and numbers with units
    for n, doc in enumerate(docs[:articles]):
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
    meta = {"format": FORMAT, "articles": articles, "docs": len(docs), "levels": parts,
            "chunk": CHUNK_DOCS, "more": MORE, "terminal": TERMINAL}
    files["search/meta.js"] = _js("archiveSearch.meta", meta)
    # Material's page-side highlighter reads its separator from these two files
    # (search_index.json over HTTP, search_index.js from file://); no documents.
    stub = {"config": {"lang": ["zh"], "separator": r"[\s\-]+", "pipeline": []}, "docs": []}
    files["search/search_index.json"] = json.dumps(stub).encode()
    from ..pages.render import env

    files["search.md"] = env().get_template("search.md.j2").render(
        front_matter=front_matter_block({"title": "搜索"})).encode("utf-8")
    files["search/search_index.js"] = f"var __index = {json.dumps(stub)};\n".encode()
    return files
