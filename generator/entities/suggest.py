"""``python -m generator suggest-topics``: propose topic candidates for an editor.

Keywords of every article (jieba's TF-IDF ``extract_tags`` and TextRank ``textrank``),
plus phrases the papers print in quotation marks (“飞地经济”, “项目管家” — policy and
campaign names usually are), are counted over the corpus.  Candidates already known
as a topic, alias, place or organisation (or part of one) are dropped; the rest are
printed as lines ready to paste into the profile's ``topics.yaml``.  Nothing is
added automatically: an editor accepts a candidate by pasting it.

TextRank runs jieba's POS tagger, so it costs about a second per 50 articles; use
``--method tfidf`` on a large corpus (this command is an editor's tool, not part of
the build).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .index import EntityIndex, default_index

_QUOTED = re.compile(r"“([^“”\n]{2,12})”")
_FUNCTION = set("的了在是和与及对把被将从向")


@dataclass
class Candidate:
    word: str
    articles: int  # in how many articles it is a keyword (or quoted)
    sources: set[str] = field(default_factory=set)  # tfidf, textrank, quoted
    examples: list[str] = field(default_factory=list)  # titles of articles using it


def _known(idx: EntityIndex) -> set[str]:
    return set(idx.topics) | set(idx.place_surfaces) | set(idx.org_aliases)


def _acceptable(word: str, known: set[str], known_text: str) -> bool:
    word = word.strip()
    if len(word) < 3 or word.isdigit() or re.fullmatch(r"[\d.%+\-]+", word) or word in known:
        return False
    if word in known_text or any(k in word for k in known if len(k) >= 3 and k in word and len(word) - len(k) <= 1):
        return False  # part of a known name (飞地 → 飞地经济), or a known name plus one character
    if any(ch in _FUNCTION for ch in word[:1] + word[-1:]):
        return False
    return True


def suggest_topics(texts: list[tuple[str, str]], top: int = 30, min_articles: int = 2,
                   method: str = "both", idx: EntityIndex | None = None) -> list[Candidate]:
    """``texts``: (title, text) per article.  Candidates in at least ``min_articles``
    articles, most widespread first, leaving out the names ``idx`` (the profile's
    entity index) already knows."""
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    known = _known(idx or default_index())
    known_text = "\n".join(sorted(known))
    found: dict[str, Candidate] = {}
    per_article: dict[str, set[str]] = defaultdict(set)
    for n, (title, text) in enumerate(texts):
        words: dict[str, str] = {}
        if method in ("tfidf", "both"):
            for w in jieba.analyse.extract_tags(text, topK=25):
                words.setdefault(w, "tfidf")
        if method in ("textrank", "both"):
            for w in jieba.analyse.textrank(text, topK=25):
                words.setdefault(w, "textrank")
        for w in _QUOTED.findall(text):
            words.setdefault(w.strip(), "quoted")
        for w, how in words.items():
            if n in per_article[w]:
                continue
            per_article[w].add(n)
            cand = found.setdefault(w, Candidate(w, 0))
            cand.articles += 1
            cand.sources.add(how)
            if len(cand.examples) < 2 and title not in cand.examples:
                cand.examples.append(title)
    ranked = [c for c in found.values() if c.articles >= min_articles and _acceptable(c.word, known, known_text)]
    # quoted phrases first (names of campaigns), then by spread, then by pinyin-independent text order
    ranked.sort(key=lambda c: ("quoted" not in c.sources, -c.articles, -len(c.word), c.word))
    return ranked[:top]


def main(argv: list[str] | str | os.PathLike | None = None, top: int | None = None) -> int:
    """``python -m generator suggest-topics [--seeds DIR] [--top N] [--min-articles N] [--method M]``.

    (``main(seeds_path, top)`` also works, the form the first cli.py used.)"""
    if isinstance(argv, (str, os.PathLike)):
        argv = ["--seeds", os.fspath(argv)] + (["--top", str(top)] if top is not None else [])
    parser = argparse.ArgumentParser(prog="python -m generator suggest-topics",
                                     description="Propose topic candidates from jieba keywords and quoted phrases.")
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of raw page files [seeds]")
    parser.add_argument("--top", type=int, default=30, help="how many candidates to print [30]")
    parser.add_argument("--min-articles", type=int, default=2, help="in at least this many articles [2]")
    parser.add_argument("--method", choices=("tfidf", "textrank", "both"), default="both",
                        help="jieba keyword method; textrank runs the POS tagger (slow on big corpora) [both]")
    parser.add_argument("--profile", type=Path, default=None, metavar="PATH",
                        help="the newspaper's settings folder [generator/profiles/jinzhou]")
    args = parser.parse_args(argv)
    import sys

    from ..build import collect
    from ..context import BuildContext
    from ..errors import SettingsError

    try:
        ctx = BuildContext.load(args.profile)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_status
    topics_file = ctx.profile.path / "topics.yaml"
    archive = collect(args.seeds, ctx)
    texts = [(a.title, "\n".join([a.title] + [p.text for p in a.summary + a.body])) for a in archive.articles]
    suggestions = suggest_topics(texts, top=args.top, min_articles=args.min_articles, method=args.method, idx=ctx.entities)
    print(f"# {len(suggestions)} topic candidates from {len(texts)} articles, not yet in {topics_file}.")
    print("# Paste the good ones into that file (add aliases if the papers use other names).")
    for c in suggestions:
        how = "+".join(sorted(c.sources))
        example = "；".join(c.examples)
        print(f"{c.word}: {{aliases: []}}  # {c.articles} articles ({how}); e.g. {example}")
    return 0
