"""Scores: the engine's and the baselines' answers against the independent ground truth."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from benchmarks.cases import Case
from benchmarks.mutate import EQUAL_KINDS, WRONG_KINDS
from benchmarks.run import NOT_RUN, Result
from benchmarks.truth import Truth

BASELINES = ("sympy", "math-verify")


@dataclass
class KindRow:
    """Counts for one mutation kind (or the total)."""

    generated: int = 0
    relabelled: int = 0  # aimed at a wrong step, numerically equal: scored as an equal rewrite
    dropped: int = 0  # ground truth could not decide
    scored: int = 0
    truth: Counter[str] = field(default_factory=Counter)
    engine: Counter[str] = field(default_factory=Counter)
    false_proved: int = 0
    false_numeric: int = 0
    false_refuted: int = 0
    undecided: int = 0
    correct: Counter[str] = field(default_factory=Counter)  # per method
    ran: Counter[str] = field(default_factory=Counter)  # per method: scored cases it answered (or timed out on)
    engine_correct_where: Counter[str] = field(default_factory=Counter)  # engine right, where the method ran


@dataclass
class Scores:
    rows: dict[str, KindRow]
    total: KindRow
    times: dict[str, list[float]]
    originals: Counter[str]
    unconfirmed_pairs: list[str]
    failures: list[str]  # one line per false proved / numeric / refuted (the reproducers)
    stages: dict[str, list[float]]
    methods: list[str]
    by_label: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)  # (hits, total)
    answers: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)  # (method, truth) → answers
    surprises: list[str] = field(default_factory=list)  # equal rewrites the ground truth found not equal
    # (engine seconds, plain SymPy seconds) on the scored pairs plain SymPy decided within its limit
    decided_by_sympy: list[tuple[float, float]] = field(default_factory=list)
    # the engine's times on the scored pairs each method ran on (a baseline may have reached fewer)
    engine_where: dict[str, list[float]] = field(default_factory=dict)


def percentile(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = max(0, min(len(s) - 1, round(q * (len(s) - 1))))
    return s[k]


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def stage_of(r: Result) -> str:
    """The cascade stage that decided a step, from Outcome.verdict and Outcome.method."""
    m = (r.method or "").lower()
    if r.answer in ("timeout", "error"):
        return r.answer
    if r.answer == "refuted":
        return "numeric probe: refuted"
    if r.answer == "numeric":
        return "numeric probe: numeric only"
    if m.startswith("identical"):
        return "identical"
    if m.startswith("sum normalisation"):
        return "sum normalisation"
    if "exact" in m and "flint" in m:
        return "exact fast path (FLINT)"
    if m.startswith(("expand", "cancel")) and not m.startswith("expand_log"):
        return "cheap normal form (expand, cancel)"
    if m.startswith("simplify"):
        return "simplify"
    if m.startswith("case split"):
        return "case split on binary variables"
    return "targeted symbolic (log, powsimp, exp)"


def _correct(method: str, label: str, r: Any) -> bool:
    if method == "engine":
        return (label == "wrong" and r.answer == "refuted") or (label == "equal" and r.answer in ("proved", "numeric"))
    return (label == "wrong" and r.answer == "not equal") or (label == "equal" and r.answer == "equal")


def score(cases: list[Case], results: dict[str, list[Any]]) -> Scores:
    methods = [m for m in ("engine", *BASELINES) if m in results]
    truths: list[Truth] = results["truth"]
    originals: Counter[str] = Counter()
    unconfirmed: set[str] = set()
    for c, t, r in zip(cases, truths, results["engine"], strict=True):
        if c.mutant.kind == "original":
            originals[r.answer] += 1
            if t.label != "equal":
                unconfirmed.add(c.pair.name)
    rows: dict[str, KindRow] = defaultdict(KindRow)
    total = KindRow()
    times: dict[str, list[float]] = {m: [] for m in methods}
    engine_where: dict[str, list[float]] = {m: [] for m in methods}  # the engine's times where m ran
    stages: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    by_label: Counter[tuple[str, str, bool]] = Counter()
    answers: dict[tuple[str, str], Counter[str]] = {}
    surprises: list[str] = []
    decided_by_sympy: list[tuple[float, float]] = []
    for n, (c, t) in enumerate(zip(cases, truths, strict=True)):
        e: Result = results["engine"][n]
        stages[stage_of(e)].append(e.seconds)
        if c.mutant.kind == "original":
            continue
        for row in (rows[c.mutant.kind], total):
            row.generated += 1
        if t.label == "unknown" or c.pair.name in unconfirmed:
            for row in (rows[c.mutant.kind], total):
                row.dropped += 1
            continue
        for row in (rows[c.mutant.kind], total):
            row.scored += 1
            row.truth[t.label] += 1
            row.engine[e.answer] += 1
            if c.mutant.intended == "wrong" and t.label == "equal":
                row.relabelled += 1
            for m in methods:
                if results[m][n].answer == NOT_RUN:
                    continue
                row.ran[m] += 1
                row.engine_correct_where[m] += _correct("engine", t.label, e)
                if _correct(m, t.label, results[m][n]):
                    row.correct[m] += 1
        if "sympy" in methods and results["sympy"][n].answer in ("equal", "not equal"):
            decided_by_sympy.append((e.seconds, results["sympy"][n].seconds))
        for m in methods:
            if results[m][n].answer == NOT_RUN:
                continue
            times[m].append(results[m][n].seconds)
            engine_where[m].append(e.seconds)
            by_label[(m, t.label, _correct(m, t.label, results[m][n]))] += 1
            answers.setdefault((m, t.label), Counter())[results[m][n].answer] += 1
        if c.mutant.intended == "equal" and t.label == "wrong":
            surprises.append(
                f"{c.pair.name} [{c.mutant.kind}, {c.mutant.level}] engine {e.answer}; step `{c.pair.cur_text}`; "
                f"rewritten (SymPy) `{c.mutant.expr}`; truth {t.witness}"
            )
        bad = None
        if t.label == "wrong" and e.answer == "proved":
            bad = "FALSE PROVED"
        elif t.label == "wrong" and e.answer == "numeric":
            bad = "FALSE NUMERIC"
        elif t.label == "equal" and e.answer == "refuted":
            bad = "FALSE REFUTATION"
        elif e.answer in ("timeout", "error"):
            for row in (rows[c.mutant.kind], total):
                row.undecided += 1
        if bad is not None:
            for row in (rows[c.mutant.kind], total):
                if bad == "FALSE PROVED":
                    row.false_proved += 1
                elif bad == "FALSE NUMERIC":
                    row.false_numeric += 1
                else:
                    row.false_refuted += 1
            failures.append(
                f"{bad}: {c.pair.name} [{c.mutant.kind}, {c.mutant.level}: {c.mutant.note}] "
                f"previous step `{c.pair.prev_text}`; mutant (SymPy) `{c.mutant.expr}`; truth {t.witness or t.label}"
            )
    order = [k for k in (*WRONG_KINDS, *EQUAL_KINDS) if k in rows]
    labels = {
        (m, lab): (by_label[(m, lab, True)], by_label[(m, lab, True)] + by_label[(m, lab, False)])
        for m in methods
        for lab in ("wrong", "equal")
    }
    return Scores(
        {k: rows[k] for k in order},
        total,
        times,
        originals,
        sorted(unconfirmed),
        failures,
        dict(stages),
        methods,
        labels,
        answers,
        surprises,
        decided_by_sympy,
        engine_where,
    )
