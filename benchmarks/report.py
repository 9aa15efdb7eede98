"""The benchmark's figures as Markdown (docs/benchmarks.md) and as a short plain-text summary."""

from __future__ import annotations

import math
import os
import platform
from collections import Counter
from importlib import metadata

from benchmarks.score import BASELINES, Scores, median, percentile, stage_of
from benchmarks.speed import Speed

NAMES = {"engine": "verify-derivation", "sympy": "plain SymPy", "math-verify": "Math-Verify"}


def _ms(x: float) -> str:
    return "–" if math.isnan(x) else f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s"


def _s(x: float) -> str:
    return "–" if math.isnan(x) else f"{x:.2f} s"


def _ratio(x: float, y: float) -> str:
    return "–" if math.isnan(x) or math.isnan(y) or y == 0 else f"{x / y:.1f}×"


def _pct(n: int, d: int) -> str:
    return "–" if d == 0 else f"{100 * n / d:.1f} %"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SymPy {_version('sympy')}, math-verify {_version('math-verify')}"
    )


def mutation_table(s: Scores) -> list[str]:
    base = [m for m in BASELINES if m in s.methods]
    head = (
        "| kind | mutants | dropped | scored | wrong | equal (relabelled) | refuted | proved | numeric | undecided "
        "| **false proved** | **false numeric** | **false refuted** | engine acc. |"
        + "".join(f" {NAMES[m]} acc. |" for m in base)
    )
    lines = [head, "|" + " --- |" * (head.count("|") - 1)]
    for kind, r in [*s.rows.items(), ("**all**", s.total)]:
        cells = [
            kind,
            r.generated,
            r.dropped,
            r.scored,
            r.truth["wrong"],
            f"{r.truth['equal']} ({r.relabelled})",
            r.engine["refuted"],
            r.engine["proved"],
            r.engine["numeric"],
            r.undecided,
            r.false_proved,
            r.false_numeric,
            r.false_refuted,
            _pct(r.correct["engine"], r.ran["engine"]),
            *(_pct(r.correct[m], r.ran[m]) for m in base),
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return lines


def baseline_table(s: Scores) -> list[str]:
    lines = [
        "| method | accurate | on wrong steps | on equal steps | median / pair | p95 / pair | median vs engine |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in s.methods:
        r = s.total
        eng = median(s.engine_where.get(m, s.times.get("engine", [])))  # on the same pairs
        lines.append(
            f"| {NAMES[m]} | {_pct(r.correct[m], r.ran[m])} | {_wrong_acc(s, m)} | {_equal_acc(s, m)} | "
            f"{_ms(median(s.times[m]))} | {_ms(percentile(s.times[m], 0.95))} | "
            f"{'1×' if m == 'engine' else _ratio(median(s.times[m]), eng)} |"
        )
    return lines


def answers_table(s: Scores) -> list[str]:
    """What each method answered, split by the ground truth (a baseline's "equal" on a wrong step is a false proof)."""
    lines = ["| method | truth | answers |", "| --- | --- | --- |"]
    for m in s.methods:
        for lab in ("wrong", "equal"):
            lines.append(f"| {NAMES[m]} | {lab} | {counts_line(s.answers.get((m, lab), Counter()))} |")
    return lines


def _wrong_acc(s: Scores, m: str) -> str:
    hit, tot = s.by_label.get((m, "wrong"), (0, 0))
    return f"{hit}/{tot}"


def _equal_acc(s: Scores, m: str) -> str:
    hit, tot = s.by_label.get((m, "equal"), (0, 0))
    return f"{hit}/{tot}"


def cascade_table(stages: dict[str, list[float]], title: str) -> list[str]:
    total = sum(len(v) for v in stages.values())
    lines = [f"| stage ({title}) | steps | share | median time | p95 time |", "| --- | --- | --- | --- | --- |"]
    for name, xs in sorted(stages.items(), key=lambda kv: -len(kv[1])):
        lines.append(
            f"| {name} | {len(xs)} | {_pct(len(xs), total)} | {_ms(median(xs))} | {_ms(percentile(xs, 0.95))} |"
        )
    return lines


def library_stages(sp: Speed, slow: bool = False) -> dict[str, list[float]]:
    from benchmarks.run import Result

    out: dict[str, list[float]] = {}
    for st in sp.slow_steps if slow else sp.steps:
        if st.get("verdict") == "given":
            continue
        r = Result(str(st.get("verdict")), float(st.get("seconds") or 0.0), st.get("method"))
        out.setdefault(stage_of(r), []).append(r.seconds)
    return out


# Issue 16's targets, as ratios to `import sympy` measured in the same run, and absolute limits.
TARGET_LIBRARY_RATIO = 8.0
TARGET_BCE_RATIO = 3.0
TARGET_STEP_MEDIAN = 0.008
TARGET_SIMPLIFY_RATIO = 20.0


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def speed_section(sp: Speed, mutant_refute: list[float]) -> list[str]:
    if sp.error:
        return [f"Speed measurement failed: {sp.error}"]
    steps = sp.step_seconds
    imp = median(sp.import_sympy)
    lib_ratio = sp.library_cold / imp if imp else float("nan")
    bce_ratio = median(sp.cold_start) / imp if imp else float("nan")
    step_median = median(steps)
    rss = f"{sp.peak_rss_kb / 1024:.0f} MB" if sp.peak_rss_kb else "–"
    n = len(sp.import_sympy)
    lines = [
        "| figure | value | target |",
        "| --- | --- | --- |",
        f'| `python -c "import sympy"` (median of {n}, interleaved with the runs below) | {_s(imp)} | yardstick |',
        f"| yardstick library ({sp.files} files) cold, one worker: `verify-derivation FILES -j 1` with an empty "
        f"cache folder (median of {len(sp.library_cold_runs)}; exit {sp.library_exit}) | {_s(sp.library_cold)} "
        f"= {lib_ratio:.1f}× import sympy | ≤ {TARGET_LIBRARY_RATIO:g}×: {_met(lib_ratio <= TARGET_LIBRARY_RATIO)} |",
        f"| median step (JSON `seconds`, worker-side, that cold run) / p95 | {_ms(step_median)} / "
        f"{_ms(percentile(steps, 0.95))} | median ≤ {TARGET_STEP_MEDIAN * 1000:g} ms: "
        f"{_met(step_median <= TARGET_STEP_MEDIAN)} |",
        f"| `verify-derivation bce --no-cache -j 1` (median of {len(sp.cold_start)}, exit {sp.cold_start_exit}) "
        f"| {_s(median(sp.cold_start))} = {bce_ratio:.1f}× import sympy | ≤ {TARGET_BCE_RATIO:g}×: "
        f"{_met(bce_ratio <= TARGET_BCE_RATIO)} |",
        f"| peak resident size of the largest process of a yardstick run (CLI or worker) | {rss} | recorded |",
        f"| the package's modules byte-compiled before the runs (as pip does at install; SymPy's are) "
        f"| {'yes' if sp.byte_compiled else 'no'} | |",
        f"| yardstick library, warm (same cache folder; best of two runs) | {_s(sp.library_warm)} | |",
        f"| yardstick library cold, fast paths off (`VERIFY_DERIVATION_NO_FAST_PATHS=1`) | {_s(sp.library_slow)} | |",
        f"| steps checked in the yardstick run | {len(steps)} ({counts_line(Counter(sp.counts))}) | |",
        f"| time to refute a wrong step, library's documented mistakes: median / max ({len(sp.refute_seconds)} steps) "
        f"| {_ms(median(sp.refute_seconds))} / {_ms(max(sp.refute_seconds, default=float('nan')))} | |",
        f"| time to refute a wrong step, mutants: median / p95 ({len(mutant_refute)} steps) "
        f"| {_ms(median(mutant_refute))} / {_ms(percentile(mutant_refute, 0.95))} | |",
    ]
    return lines


def simplify_ratio_lines(s: Scores) -> list[str]:
    """The engine against plain `simplify` on the pairs plain simplify decided within its limit."""
    pairs = s.decided_by_sympy
    if not pairs:
        return ["Plain SymPy was not run (or decided no pair within its limit): no ratio measured."]
    eng = median([e for e, _ in pairs])
    sym = median([p for _, p in pairs])
    per_pair = median([p / e for e, p in pairs if e > 0])
    ratio = sym / eng if eng else float("nan")
    t = s.total
    bad = t.false_proved + t.false_numeric + t.false_refuted
    return [
        f"On the {len(pairs)} scored pairs that plain `simplify` decided within its limit (answered equal or "
        "not equal, so the limit does not set the ratio): median time per pair plain SymPy "
        f"{_ms(sym)}, engine {_ms(eng)}: **{ratio:.1f}×** (target ≥ {TARGET_SIMPLIFY_RATIO:g}×: "
        f"{_met(ratio >= TARGET_SIMPLIFY_RATIO)}); median of the per-pair ratios {per_pair:.1f}×. "
        f"False verdicts of the engine over all scored mutants: {bad}.",
    ]


def _step_key(st: dict[str, object]) -> tuple[object, ...]:
    return (st.get("derivation"), st.get("line"), st.get("index"), st.get("tex"))


def stage_comparison(sp: Speed) -> list[str]:
    """Per-stage times, the same steps with the fast paths off (before) and on (after): each step is
    put under the stage that decided it with the fast paths off, and timed in both runs."""
    from benchmarks.run import Result

    after = {_step_key(st): float(st.get("seconds") or 0.0) for st in sp.steps if st.get("verdict") != "given"}
    rows: dict[str, list[tuple[float, float]]] = {}
    for st in sp.slow_steps:
        key = _step_key(st)
        if st.get("verdict") == "given" or key not in after:
            continue
        r = Result(str(st.get("verdict")), float(st.get("seconds") or 0.0), st.get("method"))  # type: ignore[arg-type]
        rows.setdefault(stage_of(r), []).append((r.seconds, after[key]))
    lines = [
        "| stage that decided the step with the fast paths off | steps | median off | median on | p95 off "
        "| p95 on | total off | total on |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for k, xs in sorted(rows.items(), key=lambda kv: -len(kv[1])):
        b, a = [x for x, _ in xs], [y for _, y in xs]
        lines.append(
            f"| {k} | {len(xs)} | {_ms(median(b))} | {_ms(median(a))} | {_ms(percentile(b, 0.95))} | "
            f"{_ms(percentile(a, 0.95))} | {_ms(sum(b))} | {_ms(sum(a))} |"
        )
    allb = [x for xs in rows.values() for x, _ in xs]
    alla = [y for xs in rows.values() for _, y in xs]
    lines.append(
        f"| **all steps** | {len(allb)} | {_ms(median(allb))} | {_ms(median(alla))} | "
        f"{_ms(percentile(allb, 0.95))} | {_ms(percentile(alla, 0.95))} | {_ms(sum(allb))} | {_ms(sum(alla))} |"
    )
    return lines


def counts_line(c: Counter[str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(c.items())) or "none"
