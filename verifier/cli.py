"""The command line: `verify-derivation TARGET… [options]`; main(argv) returns the exit status."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from verifier import __version__, library, pipeline, report
from verifier.check import CheckOptions
from verifier.errors import InputError
from verifier.model import Derivation, Report

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line usage (argparse would otherwise call sys.exit itself)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; formats come from the reporter registry."""
    parser = _Parser(
        prog="verify-derivation",
        description="Check hand-written derivations (LaTeX steps in TOML) step by step.",
        epilog="Exit status: 0 every step holds, 1 some step fails, 2 an input cannot be read.",
    )
    parser.add_argument(
        "targets",
        nargs="*",
        metavar="TARGET",
        help="a built-in id (e.g. bce), a .toml file, a Markdown or LaTeX document, or a folder searched recursively",
    )
    parser.add_argument(
        "--only-declared",
        action="store_true",
        help="skip documents without a verify-derivation block instead of failing (for pre-commit)",
    )
    parser.add_argument("--format", "-f", default="text", choices=report.names(), help="output format (default: text)")
    parser.add_argument("--standalone", action="store_true", help="with --format latex: a complete document")
    parser.add_argument(
        "--engine",
        choices=report.ENGINES,
        default=None,
        help="with --format latex: the TeX engine to write for (default: pdflatex, or xelatex for CJK text)",
    )
    parser.add_argument(
        "--audience",
        choices=[a.value for a in report.Audience],
        default=report.Audience.AUTHOR.value,
        help="teaching formats: 'student' leaves out methods, timings and cache details (default: author)",
    )
    parser.add_argument(
        "--lang", choices=report.LANGUAGES, default="en", help="teaching formats: the handout's language (default: en)"
    )
    parser.add_argument("--strict", action="store_true", help="a step that is only numerically equal fails")
    parser.add_argument("--explain", action="store_true", help="show how each step was read and decided")
    parser.add_argument(
        "--timeout", type=_positive_float, default=5.0, metavar="SECONDS", help="time budget of one step (default: 5)"
    )
    parser.add_argument(
        "--jobs", "-j", type=int, default=None, metavar="N", help="worker processes (default: the number of cores)"
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the verdict cache")
    parser.add_argument("--list", action="store_true", help="list the built-in derivations and exit")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


# The longest budget of one step: timers and deadlines overflow long before 1e300 s, and `inf` has no
# deadline at all; a day is more than any step needs.
MAX_TIMEOUT = 86_400.0


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    if not value <= MAX_TIMEOUT:  # also inf
        raise argparse.ArgumentTypeError(f"must be a number of seconds of at most {MAX_TIMEOUT:g}")
    return value


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; return the exit status (never raises for bad input)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["init"]:
        return _init(argv[1:], out, err)
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        err.write(f"verify-derivation: {exc}\n(see verify-derivation --help)\n")
        return EXIT_UNREADABLE
    if args.list:
        entries = library.builtins().values()
        width = max((len(e.id) for e in entries), default=0)
        for entry in entries:
            out.write(f"{entry.id:<{width}}  {entry.title}\n")
        return EXIT_OK
    if not args.targets:
        err.write("verify-derivation: no target given (try `verify-derivation bce`, or --list)\n")
        return EXIT_UNREADABLE
    try:
        files, notes = library.resolve(args.targets, only_declared=args.only_declared)
    except InputError as exc:
        err.write(f"verify-derivation: {exc.problem.one_line()}\n")
        return EXIT_UNREADABLE
    for note in notes:
        err.write(f"verify-derivation: {note}\n")
    if not files:
        if notes:  # only non-derivation files (e.g. pre-commit passing pyproject.toml): nothing to check
            return EXIT_OK
        err.write("verify-derivation: no derivation files found in the given targets\n")
        return EXIT_UNREADABLE
    result = _check(files, args, err)
    try:
        _write(result, args, out)
    except OSError as exc:
        if not args.output or isinstance(exc, BrokenPipeError):
            raise  # a closed stdout is handled by run(); only a bad -o FILE is the user's to fix
        err.write(f"verify-derivation: cannot write {args.output}: {exc.strerror or exc}\n")
        return EXIT_UNREADABLE
    for problem in (p for d in result.derivations for p in d.errors):
        err.write(problem.with_caret() + "\n")
    if result.unreadable:
        return EXIT_UNREADABLE
    return EXIT_OK if result.ok else EXIT_FAILED


def _init(argv: list[str], out: TextIO, err: TextIO) -> int:
    """`verify-derivation init DOCUMENT [--write]`: print (or insert) a declarations block to confirm."""
    from verifier.documents import declares, is_document
    from verifier.documents.init import as_tex, block, guess, insert

    parser = _Parser(prog="verify-derivation init", description="Print the declarations block a document needs.")
    parser.add_argument("document", help="a Markdown (.md) or LaTeX (.tex) document")
    parser.add_argument(
        "--write", action="store_true", help="insert the block after the first heading (LaTeX: \\begin{document})"
    )
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        err.write(f"verify-derivation init: {exc}\n")
        return EXIT_UNREADABLE
    path = Path(args.document)
    if not (path.is_file() and is_document(path)):
        err.write(f"verify-derivation init: {path}: not a Markdown (.md) or LaTeX (.tex) document\n")
        return EXIT_UNREADABLE
    tex = path.suffix.lower() == ".tex"
    try:
        starter = block(guess(path, str(path)))
    except InputError as exc:
        err.write(f"verify-derivation: {exc.problem.one_line()}\n")
        return EXIT_UNREADABLE
    if not args.write:
        out.write(as_tex(starter) if tex else starter)
        return EXIT_OK
    if declares(path):
        err.write(f"verify-derivation init: {path} already has a verify-derivation block; nothing written\n")
        return EXIT_UNREADABLE
    path.write_text(insert(path.read_text(encoding="utf-8"), starter, tex), encoding="utf-8")
    err.write(f"verify-derivation init: wrote a block to {path}; confirm every entry marked `# confirm`\n")
    return EXIT_OK


def _check(files: list[library.Target], args: argparse.Namespace, err: TextIO) -> Report:
    """Load every file (collecting problems, not stopping at the first) and check the readable ones."""
    loaded, sources = pipeline.load_targets(files)
    options = CheckOptions(
        timeout=args.timeout, strict=args.strict, explain=args.explain, cache=not args.no_cache, jobs=args.jobs
    )
    with _progress(sum(1 for d in loaded if isinstance(d, Derivation)), err) as progress:
        return pipeline.check_loaded(loaded, sources, options, progress)


@contextlib.contextmanager
def _progress(total: int, err: TextIO) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when many files are checked at a terminal; otherwise nothing."""
    if total < 3 or not err.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(file=err), transient=True) as bar:
        task = bar.add_task("checking", total=total)
        yield lambda done, _total: bar.update(task, completed=done)


def _write(result: Report, args: argparse.Namespace, out: TextIO) -> None:
    options = report.ReportOptions(
        standalone=args.standalone,
        explain=args.explain,
        engine=args.engine,
        audience=report.Audience(args.audience),
        lang=args.lang,
    )
    reporter = report.get(args.format)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as stream:
            reporter.write(result, stream, options)
    else:
        reporter.write(result, out, options)


def run() -> None:
    """Console-script entry point: the only place that exits the process."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of our output went away (`| head`): no traceback; silence the final flush too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_FAILED
    except KeyboardInterrupt:
        sys.stderr.write("verify-derivation: interrupted\n")
        code = 130
    _leave(code)


def _leave(code: int) -> NoReturn:
    """Exit with `code` without tearing the interpreter down. The exit handlers still run (the worker
    pool closes, logging flushes) and the output is flushed; what is skipped is freeing every object
    of the run one by one, SymPy's caches included: 0.15 s after a library run, half the time of
    importing SymPy, spent after the last line was written."""
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a reader gone away (`| head`) has nothing to flush to
                stream.flush()
        os._exit(code)
