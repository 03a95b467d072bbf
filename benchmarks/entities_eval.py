"""Entity layer on the seeds: precision/recall against hand-read gold, and matcher speed.

    python benchmarks/entities_eval.py            # table per seed article + totals + speed
    python benchmarks/entities_eval.py --jieba    # also jieba's POS tag ns as a baseline

Gold: tests/data/entities_gold.yaml (places and topics of each seed article, from reading).
Speed: 1,000 synthetic articles made by recombining the seed articles' paragraphs
(deterministic), matched with ``match_entities`` on the same text ``attach_entities`` builds.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import collect  # noqa: E402
from generator.context import BuildContext  # noqa: E402
from generator.entities.index import default_index  # noqa: E402
from generator.model import Article  # noqa: E402

GOLD = ROOT / "tests" / "data" / "entities_gold.yaml"


def load_gold(path: Path = GOLD) -> dict[tuple[str, str], dict[str, list[str]]]:
    data = yaml.safe_load(path.read_text("utf-8"))
    return {(source, item["title"]): {"places": item.get("places") or [], "topics": item.get("topics") or []}
            for source, items in data.items() for item in items}


def evaluate(articles: list[Article], gold: dict) -> tuple[list[dict], dict]:
    """Per-article and total true/false positives and misses for places and topics."""
    rows, totals = [], {k: [0, 0, 0] for k in ("places", "topics", "towns")}
    for art in articles:
        want = gold.get((art.source, art.title))
        if want is None:
            continue
        row = {"article": art, "places": art.places, "topics": art.topics}
        for kind in ("places", "topics"):
            got, ref = set(getattr(art, kind)), set(want[kind])
            row[kind + "_fp"] = sorted(got - ref)
            row[kind + "_fn"] = sorted(ref - got)
            t = totals[kind]
            t[0] += len(got & ref)
            t[1] += len(got - ref)
            t[2] += len(ref - got)
        # town/village level only (the mentions jieba's ns tag misses)
        deep = lambda keys: {k for k in keys if k.count("/") >= 1 and not k.endswith(("园区", "开发区", "产业园"))}
        got, ref = deep(art.places), deep(want["places"])
        totals["towns"][0] += len(got & ref)
        totals["towns"][1] += len(got - ref)
        totals["towns"][2] += len(ref - got)
        rows.append(row)
    return rows, totals


def pr(t: list[int]) -> str:
    tp, fp, fn = t
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return f"precision {p:.2f} ({tp}/{tp + fp}), recall {r:.2f} ({tp}/{tp + fn})"


def jieba_baseline(articles: list[Article], gold: dict) -> str:
    """jieba.posseg tag ns against the gold town/village names (by name, any level below county)."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    idx = default_index()
    tp = fp = fn = 0
    for art in articles:
        want = gold.get((art.source, art.title))
        if want is None:
            continue
        names = {idx.places[k].name if k in idx.places else k.rsplit("/", 1)[-1] for k in want["places"] if "/" in k}
        short = {n for name in names for n in (name, name.replace("满族", ""))}
        text = "\n".join([art.title] + [p.text for p in art.summary + art.body])
        found = {w.word for w in jieba.posseg.cut(text) if w.flag == "ns"}
        found_deep = {w for w in found if w.endswith(("镇", "乡", "村", "街道", "社区"))}
        tp += len(names & found) + len({w for w in found_deep if w in short} - names)
        fn += len(names - found)
        fp += len(found - short - {idx.places[k].name for k in idx.places})
    return f"jieba ns: town/village names found {tp} of {tp + fn}; ns words not places of 锦州市: {fp}"


def speed(articles: list[Article], n: int = 1000, seed: int = 20201125) -> dict[str, float]:
    paragraphs = [p.text for a in articles for p in a.body if not p.heading and len(p.text) > 20]
    heads = [a.title for a in articles]
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        body = rng.sample(paragraphs, min(len(paragraphs), rng.randint(3, 9)))
        texts.append("\n".join([rng.choice(heads)] + body))
    t0 = time.perf_counter()
    fresh = default_index()
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    for text in texts:
        fresh.match(text)
    seconds = time.perf_counter() - t0
    chars = sum(map(len, texts))
    return {"articles": n, "seconds": seconds, "per_second": n / seconds, "chars_per_second": chars / seconds,
            "mean_chars": chars / n, "load_seconds": load}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--jieba", action="store_true", help="also run jieba's POS tagger as a baseline")
    args = parser.parse_args(argv)
    articles = collect(args.seeds, BuildContext.load()).articles
    gold = load_gold()
    rows, totals = evaluate(articles, gold)
    print("| seed | article | places | topics | wrong | missed |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        art = row["article"]
        wrong = row["places_fp"] + row["topics_fp"]
        missed = row["places_fn"] + row["topics_fn"]
        print(f"| {art.source[:3]} | {art.title[:24]} | {'、'.join(art.places) or '—'} | {'、'.join(art.topics) or '—'} "
              f"| {'、'.join(wrong) or '—'} | {'、'.join(missed) or '—'} |")
    print()
    print(f"articles with gold: {len(rows)} of {len(articles)}")
    print("places:", pr(totals["places"]))
    print("  of which towns/villages:", pr(totals["towns"]))
    print("topics:", pr(totals["topics"]))
    if args.jieba:
        print(jieba_baseline(articles, gold))
    s = speed(articles)
    print(f"speed: {s['per_second']:.0f} articles/s, {s['chars_per_second'] / 1e6:.2f} M characters/s "
          f"({s['articles']} synthetic articles of {s['mean_chars']:.0f} characters on average, "
          f"{s['seconds']:.2f} s; index built in {s['load_seconds']:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
