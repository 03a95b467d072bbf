"""Command line: ``python -m generator build|generate``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .build import BuildError, GenerateReport, build, generate


class _Progress:
    """A tqdm bar over the pages when stderr is a terminal; otherwise a line every 10%
    (CI logs stay short), and one line per stage."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bar = None
        self.step = 0

    def __call__(self, done: int, total: int, what: str) -> None:
        if self.quiet:
            return
        if not total:
            self.close()
            print(f"  {what}", file=sys.stderr, flush=True)
            return
        if sys.stderr.isatty():
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=total, unit="page", desc="pages", file=sys.stderr)
            self.bar.update(done - self.bar.n)
            self.bar.set_postfix_str(what, refresh=False)
        elif done == total or done * 10 // total > self.step:
            self.step = done * 10 // total
            print(f"  [{done}/{total}] {what}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _summary(report: GenerateReport) -> None:
    archive = report.archive
    for note in archive.notes:
        print(f"note: {note}")
    for problem in archive.problems:
        print(f"{'skipped' if problem.fatal else 'warning'}: {problem}", file=sys.stderr)
    arts = archive.articles
    kinds: dict[str, int] = {}
    for a in arts:
        for e in a.log:
            kinds[e.kind] = kinds.get(e.kind, 0) + 1
    print(f"{len(archive.pages)} page(s), {len(arts)} article(s); "
          f"{len(archive.problems)} problem(s); cleaning: "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    kept: dict[str, int] = {}
    removed: dict[str, int] = {}
    for b in archive.balances:
        for k, v in b.kept.items():
            kept[k] = kept.get(k, 0) + v
        for k, v in b.removed.items():
            removed[k] = removed.get(k, 0) + v
    total = sum(b.total for b in archive.balances)
    print(f"conservation: {total} characters in, all accounted for — kept: "
          + ", ".join(f"{k} {v}" for k, v in kept.items() if v)
          + "; removed (logged with reason): " + (", ".join(f"{k} {v}" for k, v in sorted(removed.items())) or "none"))
    print(f"docs: {len(report.written)} file(s) written, {report.unchanged} unchanged, "
          f"{len(report.deleted)} removed; generated in {report.seconds:.2f}s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Turn raw newspaper page texts (seeds/*.txt) into a browsable MkDocs archive.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of raw page files (*.txt) and optional pages.yaml [seeds]")
        p.add_argument("--docs", type=Path, default=Path("docs_src"), help="where to write the Markdown tree [docs_src]")
        p.add_argument("-q", "--quiet", action="store_true", help="no progress output")

    p_gen = sub.add_parser("generate", help="write the Markdown tree only (then `mkdocs serve` works)")
    common(p_gen)
    p_build = sub.add_parser("build", help="generate, then build the site with MkDocs")
    common(p_build)
    p_build.add_argument("--site", type=Path, default=Path("site"), help="where to build the site [site]")
    p_build.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs configuration [mkdocs.yml]")
    # suggest-topics owns its options (generator/suggest.py); they are passed through
    sub.add_parser("suggest-topics", add_help=False, help="propose new topics from jieba keywords across the corpus "
                   "(--seeds, --top, --min-articles, --method; see suggest-topics --help)")
    args, rest = parser.parse_known_args(argv)
    if args.command == "suggest-topics":
        from .suggest import main as suggest_main

        return suggest_main(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")

    try:
        if args.command == "generate":
            _summary(generate(args.seeds, args.docs, progress := _Progress(args.quiet)))
            progress.close()
        else:
            if not args.config.is_file():
                raise BuildError(f"MkDocs configuration not found: {args.config}")
            logging.basicConfig(level=logging.WARNING, format="mkdocs: %(levelname)s %(message)s")
            report, mk_seconds = build(args.seeds, args.docs, args.site, args.config, progress := _Progress(args.quiet))
            progress.close()
            _summary(report)
            print(f"site: built into {args.site} in {mk_seconds:.2f}s")
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
