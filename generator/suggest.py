"""``python -m generator suggest-topics``: propose topic candidates for an editor.

jieba's TF-IDF keywords are collected over every article body; candidates that
occur in several articles and are not yet topics (or aliases) in
generator/data/topics.yaml are printed with their counts, ready to paste.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

from .entities import index


def suggest_topics(bodies: list[str], top: int = 30, min_articles: int = 1) -> list[tuple[str, int]]:
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    known = set(index().topics) | set(index().by_surface) | set(index().org_aliases)
    df: Counter[str] = Counter()
    for body in bodies:
        df.update(set(jieba.analyse.extract_tags(body, topK=25)))
    # two-character keywords are mostly generic (项目, 企业, 发展): policy names are longer
    ranked = [(w, n) for w, n in df.most_common() if n >= min_articles and len(w) >= 3 and not w.isdigit()
              and not any(w in k for k in known)]
    return ranked[:top]


def main(seeds: Path, top: int) -> int:
    from .build import collect

    archive = collect(seeds)
    suggestions = suggest_topics([a.body_text for a in archive.articles], top=top)
    print(f"# {len(suggestions)} topic candidates from {len(archive.articles)} articles "
          "(word: number of articles); add the good ones to generator/data/topics.yaml")
    for word, n in suggestions:
        print(f"{word}: {{aliases: []}}  # {n} articles")
    return 0
