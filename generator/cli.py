"""Command line: ``python -m generator build|generate``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from .build import GenerateReport, build, generate
from .errors import EXIT_INTERRUPTED, BuildError, SettingsError
from .model import display_name


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
    for note in archive.notes + archive.cache_notes:
        print(f"note: {note}")
    for problem in archive.problems:
        print(f"{'skipped' if problem.fatal else 'warning'}: {problem}", file=sys.stderr)
    arts = archive.articles
    kinds: dict[str, int] = {}
    for a in arts:
        for e in a.log:
            kinds[e.kind] = kinds.get(e.kind, 0) + 1
    print(f"{len(archive.pages)} page(s), {len(arts)} article(s); "
          f"{archive.problem_count} problem(s); cleaning: "
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
    cached = f"; pages: {archive.from_cache} from the page cache, {len(archive.pages) - archive.from_cache} processed"
    if report.docs_unchanged:
        cached += " (same input as the tree in place: nothing rendered)"
    elif (taken := sum(t for t, _ in archive.memo.values())):
        cached += (f"; render memo: {sum(m for _, m in archive.memo.values())} page(s) or index range(s) made, "
                   f"{taken} as in the previous build")
    print(f"docs: {len(report.written)} file(s) written, {report.unchanged} unchanged, "
          f"{len(report.deleted)} removed; generated in {report.seconds:.2f}s{cached}")


def main(argv: list[str] | None = None) -> int:
    _utf8_mode(argv)
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Turn raw newspaper page texts (seeds/*.txt) into a browsable MkDocs archive.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of raw page files (*.txt) and optional pages.yaml [seeds]")
        p.add_argument("--docs", type=Path, default=Path("docs_src"), help="where to write the Markdown tree [docs_src]")
        p.add_argument("--profile", type=Path, default=None, metavar="PATH",
                       help="the newspaper's settings folder [generator/profiles/jinzhou] (README: Settings reference)")
        p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
        p.add_argument("--debug", action="store_true", help="show the traceback of an error instead of one line")
        p.add_argument("--clean", action="store_true",
                       help="build everything anew: ignore the page cache (.<docs>.cache/) and, for build, the previous site")

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
        from .entities.suggest import main as suggest_main

        return suggest_main(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")

    try:
        return _run(args)
    except KeyboardInterrupt:
        print("interrupted: nothing changed (docs_src/ and site/ are as before)", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        if args.debug:
            raise
        message, status = _one_line(exc)
        print(f"error: {message}", file=sys.stderr)
        return status


def _run(args: argparse.Namespace) -> int:
    progress = _Progress(args.quiet)

    def notice(message: str) -> None:
        progress.close()
        print(f"note: {message}", file=sys.stderr, flush=True)

    try:
        if args.command == "generate":
            _summary(generate(args.seeds, args.docs, progress, notice, args.profile, clean=args.clean))
            return 0
        if not args.config.is_file():
            raise SettingsError(f"{args.config}: MkDocs configuration not found (use --config)")
        logging.basicConfig(level=logging.WARNING, format="mkdocs: %(levelname)s %(message)s")
        for handler in logging.getLogger().handlers:  # the build's own error line says it once
            handler.addFilter(lambda record: not record.getMessage().startswith("Error building page"))
        report, site = build(args.seeds, args.docs, args.site, args.config, progress, notice, args.profile,
                             clean=args.clean)
    finally:
        progress.close()
    _summary(report)
    if site.mode == "unchanged":
        print(f"site: {args.site} is up to date (nothing changed) in 0.00s")
    elif site.mode == "incremental":
        print(f"site: built into {args.site} in {site.seconds:.2f}s (incremental: {site.pages} page(s) rebuilt, "
              f"{site.copied} other file(s) written, {site.removed} removed)")
    else:
        print(f"site: built into {args.site} in {site.seconds:.2f}s (full: {site.why_full})")
    return 0


def _one_line(exc: Exception) -> tuple[str, int]:
    """What went wrong, in one line, and the exit status (README: exit statuses)."""
    if isinstance(exc, BuildError):
        return str(exc), exc.exit_status
    if isinstance(exc, OSError):
        name = exc.filename
        where = f"{display_name(os.fsdecode(name) if isinstance(name, (str, bytes, os.PathLike)) else str(name))}: " if name else ""
        return (f"{where}{exc.strerror or exc} — nothing changed (docs_src/ and site/ are as before); "
                "free space or fix permissions and build again"), 1
    return (f"unexpected {type(exc).__name__}: {exc} — nothing changed; this is a bug, please report it "
            "(run again with --debug for the traceback)"), 1


def _utf8_mode(argv: list[str] | None) -> None:
    """Re-run this command in Python's UTF-8 mode when the locale is not UTF-8: file
    names, pipes and the terminal are then read and written as UTF-8 whatever LC_ALL
    says (under GB18030, file names were misread and URLs changed; under ISO-8859-1,
    printing the summary crashed).  Only for a real command line (``argv`` None)."""
    if argv is not None or sys.flags.utf8_mode or os.environ.get("PYTHONUTF8") == "0":
        return
    if sys.getfilesystemencoding().lower().replace("-", "") == "utf8" and (sys.stdout.encoding or "").lower().replace("-", "") == "utf8":
        return
    os.execv(sys.executable, [sys.executable, "-X", "utf8", *sys.orig_argv[1:]])
