"""`python -m benchmarks [--quick]`: the mutation benchmark, the baselines and the speed figures."""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import documents, matrix, report, run, speed, stress
from benchmarks.cases import generate
from benchmarks.corpus import ROOT, load_pairs
from benchmarks.score import Scores, median, score

# the quick mode's derivations: small expressions, so ~60 mutants fit in about a minute on 2 cores
DOCUMENT_RUNS = 3  # reading a generated notes file: best of this many reads
QUICK = frozenset({"bce", "sigmoid-derivative", "tanh-derivative", "log-identities", "softmax-jacobian"})


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--quick", action="store_true", help="≈60 mutants, engine only, no speed figures, no file written")
    p.add_argument("--mutants", type=int, default=None, help="mutants (default 612: 34 per kind; 60 with --quick)")
    p.add_argument("--timeout", type=float, default=5.0, help="per-pair limit for every method (default 5 s)")
    p.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--seed", type=int, default=8, help="mutant selection seed")
    p.add_argument("--no-baselines", action="store_true", help="skip plain SymPy and Math-Verify")
    p.add_argument("--no-speed", action="store_true", help="skip the command-line speed figures")
    p.add_argument("--output", "-o", default=None, help="Markdown file (default docs/benchmarks.md; none with --quick)")
    p.add_argument("--stress", type=int, default=1200, help="wrong steps in the probing stress test (default 1200)")
    p.add_argument(
        "--deadline",
        metavar="HH:MM",
        help="UTC time at which to stop: the ground truth runs on every case first, then the engine and the "
        "baselines take turns slice by slice, and past the deadline only the engine goes on (on the cases the "
        "truth reached: it can run a little past the deadline); the cases whose "
        "truth finished are scored, each baseline on the cases it reached (the cases run in a shuffled order, "
        "so they spread over every kind), and the stress section is skipped if no time is left; the document "
        "says so",
    )
    p.add_argument(
        "--save-mutants",
        metavar="FILE",
        help="also write the mutation benchmark's scores to FILE (pickle), for --mutants-from",
    )
    p.add_argument(
        "--mutants-from",
        metavar="FILE",
        help="take the mutation benchmark's scores from FILE (a --save-mutants run, named with its date and "
        "commit in the output) and measure only the speed figures now",
    )
    args = p.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    return args


def _command(argv: list[str], output: str | None) -> str:
    """The command line as run, without its output file (which is where the document itself goes)."""
    shown: list[str] = []
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a in ("-o", "--output"):
            skip = True
        elif a != output:
            shown.append(a)
    return " ".join(["python -m benchmarks", *shown])


def _deadline(text: str | None) -> float | None:
    """HH:MM UTC today (or tomorrow, when that time has passed today) as a time.time() value."""
    if not text:
        return None
    hh, mm = (int(x) for x in text.split(":"))
    now = dt.datetime.now(dt.UTC)
    at = now.replace(hour=hh, minute=mm, second=0, microsecond=0)
    if at <= now:
        at += dt.timedelta(days=1)
    return at.timestamp()


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, timeout=30
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=30,
        ).stdout.strip()
        return out.stdout.strip() + (" with uncommitted changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _stamp() -> str:
    return f"{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}, commit {_commit()}"


def benchmark(args: argparse.Namespace, log: bool = True) -> tuple[Scores, speed.Speed | None, dict[str, object]]:
    """Run everything the arguments ask for; returns the scores, the speed figures and run facts."""
    if args.mutants_from:
        with open(args.mutants_from, "rb") as fh:
            scores, facts = pickle.load(fh)
        sp = None
        if not args.no_speed:
            if log:
                print("speed: command-line runs", file=sys.stderr)
            sp = speed.measure(timeout=args.timeout)
            facts["documents"] = documents.measure(documents.SIZES, DOCUMENT_RUNS)
            facts["matrix"] = _matrix_rows(log)
        facts["speed_stamp"] = _stamp()
        if facts.get("stress") is None and args.stress > 0:
            if log:
                print("stress: binary perturbations", file=sys.stderr)
            facts["stress"] = stress.binary_perturbations(args.stress, timeout=args.timeout)
            facts["notes"] = [n for n in facts["notes"] if "stress section was skipped" not in n]  # type: ignore[attr-defined]
            facts["notes"].append(f"the stress section was run with the speed figures ({facts['speed_stamp']})")  # type: ignore[attr-defined]
        return scores, sp, facts
    t0 = time.perf_counter()
    corpus = load_pairs()
    total = args.mutants if args.mutants is not None else (60 if args.quick else 612)
    cases, stats = generate(corpus, total, seed=args.seed, only=QUICK if args.quick else None)
    if args.quick:
        cases = [c for c in cases if c.mutant.kind != "original"]
    methods = ["truth", "engine"]
    notes: list[str] = []
    if not (args.quick or args.no_baselines):
        methods.append("sympy")
        if run.math_verify_available():
            methods.append("math-verify")
        else:
            notes.append(
                "math-verify not installed (pip install -r benchmarks/requirements.txt): its column is left out"
            )
    for n in notes:
        print(n, file=sys.stderr)
    if log:
        print(f"{len(cases)} cases ({len(corpus.pairs)} library pairs), methods: {', '.join(methods)}", file=sys.stderr)

    def progress(done: int, all_: int) -> None:
        if log and (done % 200 == 0 or done == all_):
            print(f"  {done}/{all_} tasks ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)

    deadline = _deadline(args.deadline)
    if deadline is not None:
        # a run stopped early keeps a fair sample of every kind (and of the library's own pairs, the
        # ground truth's sanity check): every case in a shuffled order
        cases = list(cases)
        random.Random(args.seed).shuffle(cases)
    originals = frozenset(i for i, c in enumerate(cases) if c.mutant.kind == "original")
    results = run.run(
        cases, methods, args.timeout, jobs=args.jobs, progress=progress, core_only=originals, deadline=deadline
    )
    done = [i for i in range(len(cases)) if all(results[m][i] is not None for m in run.CORE)]
    mutants = len(cases) - len(originals)
    if len(done) < len(cases):
        notes.append(
            f"stopped at the deadline ({args.deadline} UTC): {len(done)} of {len(cases)} cases finished "
            f"({sum(1 for i in done if i not in originals)} of {mutants} mutants); only those are scored below"
        )
    reached = {
        m: sum(1 for i in done if i not in originals and results[m][i] is not None)
        for m in methods
        if m not in run.CORE
    }
    for m, n in reached.items():
        if n < sum(1 for i in done if i not in originals):
            notes.append(
                f"{report.NAMES[m]} ran on {n} of the scored cases' mutants before the deadline (the ground "
                "truth runs on every case first, and the engine on every case the truth reached, whatever the "
                "deadline); its columns count those cases only"
            )
    cases = [cases[i] for i in done]
    results = {m: [results[m][i] for i in done] for m in results}
    for m in reached:
        results[m] = [r if r is not None else run.Result(run.NOT_RUN, 0.0) for r in results[m]]
    scores = score(cases, results)
    sp = None
    if not (args.quick or args.no_speed):
        if log:
            print("speed: command-line runs", file=sys.stderr)
        sp = speed.measure(timeout=args.timeout)
    reading = documents.measure(documents.SIZES, DOCUMENT_RUNS) if sp is not None else None
    matrix_rows = _matrix_rows(log) if sp is not None else None
    probe_stress = None
    if deadline is not None and time.time() > deadline - 120:
        notes.append("the stress section was skipped: no time was left before the deadline")
    elif not args.quick:
        if log:
            print("stress: binary perturbations", file=sys.stderr)
        probe_stress = stress.binary_perturbations(args.stress, timeout=args.timeout)
    facts: dict[str, object] = {
        "stress": probe_stress,
        "corpus": CorpusFacts(len(corpus.pairs), corpus.files, len(corpus.unreadable), corpus.documented_mistakes),
        "stamp": _stamp(),
        "stats": stats,
        "notes": notes,
        "seconds": time.perf_counter() - t0,
        "command": _command(args.argv, args.output),
        "total": total,
        "documents": reading,
        "matrix": matrix_rows,
    }
    return scores, sp, facts


@dataclass(frozen=True)
class CorpusFacts:
    """What the document says about the mutated library (picklable, unlike the pairs themselves)."""

    pairs: int
    files: int
    unreadable: int
    documented_mistakes: int


def _matrix_rows(log: bool) -> list[matrix.Row]:
    if log:
        print("speed: matrix steps against their componentwise versions", file=sys.stderr)
    return matrix.measure()


def summary(s: Scores) -> str:
    t = s.total
    return (
        f"{t.scored} mutants scored ({t.truth['wrong']} wrong, {t.truth['equal']} equal; {t.dropped} dropped): "
        f"false proved {t.false_proved}, false numeric {t.false_numeric}, false refuted {t.false_refuted}, "
        f"undecided {t.undecided}"
    )


def document(args: argparse.Namespace, s: Scores, sp: speed.Speed | None, facts: dict[str, object]) -> str:
    corpus = facts["corpus"]
    when = str(facts.get("stamp"))
    if facts.get("speed_stamp"):
        when = f"mutation benchmark {when}; speed figures {facts['speed_stamp']}"
    cmd = _command(args.argv, args.output)
    if args.mutants_from and facts.get("command"):
        cmd = f"{facts['command']}`, then `.venv/bin/{cmd}"
    t = s.total
    lines = [
        "# Benchmarks",
        "",
        "<!-- generated by `python -m benchmarks`; do not edit by hand, re-run it -->",
        "",
        f"- **Command:** `.venv/bin/pip install -r benchmarks/requirements.txt && .venv/bin/{cmd}` "
        f"(per-pair limit {args.timeout:g} s for every method, {args.jobs} worker processes; the mutation run "
        f"took {facts['seconds']:.0f} s)",
        f"- **Date:** {when}",
        f"- **Machine:** {report.machine()}",
        f"- **Library:** {corpus.files} files, {corpus.pairs} correct step pairs, "  # type: ignore[attr-defined]
        f"{corpus.documented_mistakes} documented mistakes; unreadable steps: "  # type: ignore[attr-defined]
        f"{corpus.unreadable or 'none'}",  # type: ignore[attr-defined]
        *[f"- **Note:** {n}" for n in facts["notes"]],  # type: ignore[attr-defined]
        "",
        "## Soundness: the mutation benchmark",
        "",
        f"**{summary(s)}.**",
        "",
        'Every correct step pair of the library (no `expect = "refuted"`) is mutated, on the step as read '
        "(folded: defined symbols kept) and on its unfolding: typical slips (a sign flipped inside, two "
        "symbols swapped such as y and ŷ, a factor or a term dropped, an exponent changed, an index i ↔ j "
        "or a summand's bound index replaced by a free one, log replaced by its argument, a term moved out "
        "of a sum) and equal rewrites (expand, factor, together, multiply and divide by 1 + s², add a "
        "zero in disguise, reorder). Each mutant replaces the step and is paired with the PREVIOUS step, "
        "as the checker would see it.",
        "",
        "Ground truth does not come from the engine: both sides are unfolded (the notation's meaning) and "
        "evaluated at 50 digits at 16 or more random rational points of the declared domain (`benchmarks/truth.py`): "
        "sizes N, n, m, p are 1..4, and 6..8 at every third point, so that sums are expanded and a slip that "
        "vanishes at every size up to 5 is seen; every fourth point has every real wide (up to 10^4), two in four "
        "one symbol or family far out in turn (first each in 10..100, then in 100..10^4, log-uniform) and the "
        "rest textbook-sized; "
        "indices are inside their ranges, opaque functions given concrete bodies and the chain's relations "
        "(i = j, i ≠ j, y_i = 1, Σ y_k = 1) satisfied. A mutant that differs clearly at a point, or "
        "certainly (the exact difference is a nonzero rational, or SymPy's strict evalf of it is nonzero: "
        "10^{-20}, e^{-1000}, and at points where both sides saturate), is *wrong*; one that agrees to 25 "
        "digits at ≥ 8 points, two of them at sizes 6..8 when the pair has sizes, one with each symbol and "
        "family in 10..100, and nowhere differs is "
        "*equal* (a slip that happens to be harmless is relabelled equal and scored as an equal "
        "rewrite); anything else is *dropped* and counted. As a sanity check the ground truth also "
        f"labels the library's own pairs: {len(s.unconfirmed_pairs)} of them were not confirmed equal"
        + (f" ({', '.join(s.unconfirmed_pairs)}; their mutants are dropped)" if s.unconfirmed_pairs else "")
        + f". The engine's verdicts on those {sum(s.originals.values())} library pairs, in this run: "
        f"{report.counts_line(s.originals)}.",
        "",
        "*undecided* = timeout or error (no wrong verdict, but no answer). Accuracy counts `refuted` on a "
        'wrong step and `proved` or `numeric` on an equal one; for a baseline, "not equal" on a wrong '
        'step and "equal" on an equal one.',
        "",
        *report.mutation_table(s),
        "",
    ]
    if s.failures:
        lines += ["### Wrong verdicts (reproducers)", "", *[f"- {f}" for f in s.failures], ""]
    if s.surprises:
        lines += [
            "### Equal rewrites that the ground truth found not equal",
            "",
            "Scored as wrong steps; each is either a SymPy rewrite that changed the value or a ground-truth issue.",
            "",
            *[f"- {x}" for x in s.surprises],
            "",
        ]
    lines += [
        "## Side by side: plain SymPy and Math-Verify",
        "",
        "Same pairs, same run, same per-pair limit enforced the same way (each call in a pebble worker "
        "process that is stopped at the limit + 0.75 s). The ground truth runs first; then the pairs are cut "
        f"into {run.SLICES} slices, and on each slice the engine, plain SymPy and Math-Verify take turns, "
        "so a change in the host's speed over the run lands on each method alike (runs on commits 8a63055 "
        "to 04e6e8e timed the engine in the run's first minute and each baseline in a stretch of its "
        "own). Each method has a worker pool of its own, kept from slice to slice, so no method is timed in "
        "a worker holding what another method's work left there, nor beside another method's work, and "
        "none starts each slice afresh. "
        "The engine gets each pair's name and mutation as "
        "the text it seeds its probe points with, as the command line seeds a step with its text. Plain "
        "SymPy: `simplify((a - b).doit()) == 0` on the unfolded expressions; Math-Verify: "
        "`verify(parse(a), parse(b))` on `sympy.latex` of the unfolded expressions. Both baselines get "
        "the chain's `i = j` / `y_i = 1` assumptions as substitutions; they are given the unfolded "
        "forms, so the unfolding is not in their times. Both run on SymPy as installed: the checker "
        "fixes three of SymPy's hot spots in place (`verifier/check/sympy_speed.py`: less work for the same "
        "answers), and those fixes are taken out around each baseline call, so that plain means "
        "plain (runs on commits before 9a0be35 left the first fix in, which sped the baselines up too). A "
        'baseline\'s "not equal" is only the absence of a proof: neither gives a counterexample.',
        "",
        *report.baseline_table(s),
        "",
        'What each method answered, by ground truth (for plain SymPy an "equal" on a wrong step is a false '
        "proof; for Math-Verify a false acceptance):",
        "",
        *report.answers_table(s),
        "",
    ]
    for m in s.methods[1:]:
        eng = median(s.engine_where.get(m, []))
        lines.append(
            f"- {report.NAMES[m]} (on the {t.ran[m]} scored pairs it ran on): median time per pair "
            f"{report._ratio(median(s.times[m]), eng)} the engine's; accuracy {report._pct(t.correct[m], t.ran[m])} "
            f"against the engine's {report._pct(t.engine_correct_where[m], t.ran[m])} on the same pairs."
        )
    lines.append("")
    lines += ["### The engine against plain simplify", "", *report.simplify_ratio_lines(s), ""]
    lines += ["## Speed", ""]
    if sp is None:
        lines += ["Not measured in this run (`--quick` or `--no-speed`).", ""]
    else:
        refute = s.stages.get("numeric probe: refuted", [])
        lines += [
            "The yardstick is the 14 derivations of the library as of issue 16, listed by name in "
            "`benchmarks/yardstick.py` (derivations added later do not move it). Ratios are to "
            '`python -c "import sympy"` timed in the same run, interleaved with the command runs.',
            "",
            *report.speed_section(sp, refute),
            "",
        ]
        lines += ["## The decision cascade", ""]
        lines += [
            "Every stage with the fast paths (exact FLINT arithmetic for expand/cancel, unfolded forms "
            "shared by the pairs of a chain) off and on: the same yardstick files, cold, one worker, in this run.",
            "",
            *report.stage_comparison(sp),
            "",
        ]
        lines += [*report.cascade_table(report.library_stages(sp), "yardstick library, cold run"), ""]
    reading_rows = facts.get("documents")
    if isinstance(reading_rows, list):
        lines += ["## Reading a large document", "", *documents.section(reading_rows, DOCUMENT_RUNS), ""]
    lines += [*report.cascade_table(s.stages, "mutants and library pairs, benchmark run"), ""]
    rows = facts.get("matrix")
    if isinstance(rows, list) and rows:
        lines += ["## Matrix steps against their componentwise versions", "", *matrix.section(rows), ""]
    st = facts.get("stress")
    if isinstance(st, stress.Stress):
        lines += ["## Numeric probing under stress", "", *stress_section(st), ""]
    lines += ["## Commentary", "", *commentary(s, sp), ""]
    return "\n".join(lines)


def stress_section(st: stress.Stress) -> list[str]:
    bad = st.verdicts.get("numeric", 0) + st.verdicts.get("proved", 0)
    verdicts = ", ".join(f"{k} {v}" for k, v in sorted(st.verdicts.items()))
    lines = [
        f"{st.pairs} wrong steps `x^2 + \\frac{{k}}{{7}} x` → `x^2 + \\frac{{k}}{{7}} x + c x` (x real, c binary; "
        "k = 1, 2, …), seeded exactly as the runner seeds them: the error vanishes at every probe point "
        f"that draws c = 0. Verdicts: {verdicts}. **{bad} wrong steps passed** (≈ "
        f"{stress.expected_misses(st.pairs):.2g} expected if each of the engine's {stress.probe_points()} probe points "
        "draws c at random).",
    ]
    if st.reproducers:
        lines += ["", 'Reproducers (declare `x = "real"`, `c = "binary"`; one chain with the two steps):', ""]
        lines += [f"- `{a}` → `{b}`" for a, b in st.reproducers[:5]]
    return lines


def commentary(s: Scores, sp: speed.Speed | None) -> list[str]:
    t = s.total
    out = []
    bad = t.false_proved + t.false_numeric + t.false_refuted
    if bad == 0:
        out.append(
            f"- No wrong verdict on {t.scored} scored mutants: nothing wrong was proved or passed as numeric, "
            "and no equal rewrite was refuted."
        )
    else:
        out.append(f"- **{bad} wrong verdicts** (listed above with reproducers): these are bugs to fix, not noise.")
    if t.undecided:
        out.append(
            f"- {t.undecided} mutants ({report._pct(t.undecided, t.scored)}) were undecided (timeout or error): "
            "safe, but each is a step a user would have to check by hand."
        )
    out += [
        "- The ground truth shares one component with the engine: the unfolding (definitions substituted, "
        "derivatives taken). A bug there would hide from this benchmark; the unfolder has its own unit "
        "tests and the library's documented mistakes.",
        "- Numeric probing can miss a difference that vanishes at every probe point: one that is 0 whenever "
        "a binary variable is 0 (or 1), or tiny where a sigmoid saturates. The mutants' ground truth catches "
        "such cases with its own points and 25-digit agreement; the stress section measures how often the "
        "engine's probe points miss them. Probing every combination of the binary variables (they are few) "
        "would make this certain rather than improbable.",
        "- The baselines answer a narrower question: plain SymPy proves or says nothing, Math-Verify was "
        "built to compare final answers, not symbolic steps with sums and indexed families, and its LaTeX "
        "parser reads many of these expressions differently.",
        f'- A method that answered "not equal" to every pair would score {report._pct(t.truth["wrong"], t.scored)} '
        "here, and 100 % on wrong steps: the column that separates the methods is *on equal steps*, together "
        "with the engine's counterexamples, which neither baseline gives.",
    ]
    out.append(
        "- Where the time went (issue 16; `python -m benchmarks.profile`, cProfile over every yardstick pair "
        "decided in one process, on 2026-11-29 before the fast paths): unfolding 44 % (SymPy rebuilding "
        "and re-evaluating exp/log/Indexed nodes, and asking its assumption system, which alone was about half "
        "of all the time), reading the steps 16 % (done twice, in the parent and in the worker), the cheap "
        "normal forms including the summand-wise comparison about 13 %, probing 11 %, preparing the sums "
        "(split, collapse, atoms) 10 %. The exact FLINT path makes the expand/cancel part small; the rest is "
        "SymPy object construction, which the fast paths do not remove."
    )
    if sp is not None and not sp.error:
        out.append(
            f"- Cold start is dominated by importing SymPy and starting the worker pool; the warm library run "
            f"({report._s(sp.library_warm)}) is served from the verdict cache."
        )
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scores, sp, facts = benchmark(args)
    print(summary(scores))
    for f in scores.failures:
        print("  " + f)
    st = facts.get("stress")
    if isinstance(st, stress.Stress):
        print(f"stress: {st.pairs} binary perturbations, verdicts {st.verdicts}")
    if args.save_mutants and not args.mutants_from:
        with open(args.save_mutants, "wb") as fh:
            pickle.dump((scores, {k: v for k, v in facts.items()}), fh)
    out = args.output if args.output is not None else (None if args.quick else str(ROOT / "docs" / "benchmarks.md"))
    if out:
        Path(out).write_text(document(args, scores, sp, facts) + "\n", encoding="utf-8")
        print(f"written: {out}")
    t = scores.total
    st = facts.get("stress")
    passed = isinstance(st, stress.Stress) and bool(st.reproducers)
    return 1 if t.false_proved or t.false_numeric or t.false_refuted or passed else 0


if __name__ == "__main__":
    sys.exit(main())
