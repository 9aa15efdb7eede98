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
            _pct(r.correct["engine"], r.scored),
            *(_pct(r.correct[m], r.scored) for m in base),
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return lines


def baseline_table(s: Scores) -> list[str]:
    lines = [
        "| method | accurate | on wrong steps | on equal steps | median / pair | p95 / pair | median vs engine |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    eng = median(s.times.get("engine", []))
    for m in s.methods:
        r = s.total
        lines.append(
            f"| {NAMES[m]} | {_pct(r.correct[m], r.scored)} | {_wrong_acc(s, m)} | {_equal_acc(s, m)} | "
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


def library_stages(sp: Speed) -> dict[str, list[float]]:
    from benchmarks.run import Result

    out: dict[str, list[float]] = {}
    for st in sp.steps:
        if st.get("verdict") == "given":
            continue
        r = Result(str(st.get("verdict")), float(st.get("seconds") or 0.0), st.get("method"))
        out.setdefault(stage_of(r), []).append(r.seconds)
    return out


def speed_section(sp: Speed, mutant_refute: list[float]) -> list[str]:
    if sp.error:
        return [f"Speed measurement failed: {sp.error}"]
    steps = sp.step_seconds
    lines = [
        "| figure | value |",
        "| --- | --- |",
        f"| cold start, `verify-derivation bce --no-cache` (median of {len(sp.cold_start)}, exit {sp.cold_start_exit}) "
        f"| {_s(median(sp.cold_start))} |",
        f"| whole library, cold (empty cache folder; exit {sp.library_exit}) | {_s(sp.library_cold)} |",
        f"| whole library, warm (same cache folder; best of the 2nd and 3rd run) | {_s(sp.library_warm)} |",
        f"| cold / warm | {_ratio(sp.library_cold, sp.library_warm)} |",
        f"| steps checked in the library run | {len(steps)} ({counts_line(Counter(sp.counts))}) |",
        f"| time per step (worker-side, cold run): median / p95 "
        f"| {_ms(median(steps))} / {_ms(percentile(steps, 0.95))} |",
        f"| time to refute a wrong step, library's documented mistakes: median / max ({len(sp.refute_seconds)} steps) "
        f"| {_ms(median(sp.refute_seconds))} / {_ms(max(sp.refute_seconds, default=float('nan')))} |",
        f"| time to refute a wrong step, mutants: median / p95 ({len(mutant_refute)} steps) "
        f"| {_ms(median(mutant_refute))} / {_ms(percentile(mutant_refute, 0.95))} |",
    ]
    return lines


def counts_line(c: Counter[str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(c.items())) or "none"
