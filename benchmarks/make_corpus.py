"""Deterministic synthetic corpus: N raw pages in the seeds' two formats.

Pages recombine the seed stories' paragraphs under recombined headlines, with
column headers, bylines at the start or end, captions and a reported day that
spreads the pages over several years, so every stage of the pipeline does its
real work.  Same N and seed → same bytes.

    python benchmarks/make_corpus.py OUT_DIR --articles 1000
    python benchmarks/make_corpus.py OUT_DIR --add-day   # one more page, the newest date
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from generator.cleaning.clean import clean_page
from generator.reading.pages import read_pages
from generator.segmenting.segment import segment

ROOT = Path(__file__).parent.parent
COLUMNS = [("锦州脚步", "JIAOBU"), ("锦州印象", "YINXIANG"), ("图说", "TUSHUO")]
REPORTERS = ["高华庚", "文继红", "崔治", "张继锋", "王东阳"]
CORRESPONDENTS = ["孙 娜", "黄 铎", "陆 爽", "李兵", "蒋月", "刘 静"]


def _material() -> tuple[list[str], list[str]]:
    arts = [a for p in read_pages(ROOT / "seeds").pages for a in clean_page(segment(p)).articles]
    paragraphs = [p.text for a in arts for p in a.body if not p.heading and len(p.text) > 40]
    halves = [part for a in arts for part in a.title.split(" ") if len(part) >= 4]
    return paragraphs, halves


def make_page(rng: random.Random, n: int, paragraphs: list[str], halves: list[str], per_page: int,
              year: int | None = None) -> str:
    year = 2015 + n % 8 if year is None else year
    month, day = 1 + (n * 7) % 12, 1 + (n * 13) % 27
    markdown = n % 2 == 1
    h1, h3 = ("# ", "### ") if markdown else ("", "")
    lines: list[str] = []
    for k in range(per_page):
        if k == 1:
            name, pinyin = COLUMNS[n % len(COLUMNS)]
            lines += [f"{'## ' if markdown else ''}{name} {pinyin}", ""]
        title = " ".join(rng.sample(halves, 2))
        lines += [f"{h1 if k == 0 else h3}{title}", ""]
        reporter = rng.choice(REPORTERS)
        if k == 0:
            lines += [f"本报记者 {reporter}", "", f"核心提示 {year}年{month}月{day}日，{rng.choice(paragraphs)}", ""]
            body = rng.sample(paragraphs, 8)
        else:
            body = rng.sample(paragraphs, 3)
            body[0] = f"本报讯 记者{reporter}报道 " + body[0]
        for i, para in enumerate(body):
            if i == 2 and k == 0:  # a column break and a caption
                cut = len(para) // 2
                lines += [para[:cut], "", "", "", f"{rng.choice(halves)}的生产车间。", "", para[cut:], ""]
            else:
                lines += [para, ""]
        if k > 0 and k % 2 == 0:
            lines += [f"{rng.choice(CORRESPONDENTS)} 本报记者 {reporter}", ""]
    return "\n".join(lines)


def make_corpus(out: Path, articles: int, per_page: int = 7, seed: int = 20201125) -> int:
    out.mkdir(parents=True, exist_ok=True)
    paragraphs, halves = _material()
    rng = random.Random(seed)
    pages = max(1, round(articles / per_page))
    for n in range(pages):
        (out / f"p{n:06d}.txt").write_text(make_page(rng, n, paragraphs, halves, per_page), encoding="utf-8")
    return pages


NEXT_YEAR = 2024  # after every date make_corpus pages are given (their texts name years up to 2023)


def add_day(out: Path, per_page: int = 6, seed: int = 20231125) -> Path:
    """One more page (``per_page`` articles) dated after everything make_corpus
    wrote, as a day's update adds: the next file name, the newest date."""
    paragraphs, halves = _material()
    n = len(list(out.glob("p*.txt")))
    rng = random.Random(seed + n)
    path = out / f"p{n:06d}.txt"
    path.write_text(make_page(rng, n, paragraphs, halves, per_page, year=NEXT_YEAR), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--add-day", action="store_true", help="add one newest page of 6 articles to OUT instead")
    args = parser.parse_args()
    if args.add_day:
        print(f"{add_day(args.out)} written")
        return
    print(f"{make_corpus(args.out, args.articles)} pages written to {args.out}")


if __name__ == "__main__":
    main()
