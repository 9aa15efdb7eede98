"""The mutation benchmark's quick mode in CI: ~60 mutants of library steps, no wrong verdict allowed."""

from __future__ import annotations

from typing import Any

import sympy

from benchmarks.__main__ import benchmark, parse_args
from benchmarks.cases import Case
from benchmarks.corpus import load_pairs
from benchmarks.mutate import Mutant
from benchmarks.run import Result
from benchmarks.score import score
from benchmarks.truth import Judge, Truth


def test_quick_mutation_benchmark_has_no_wrong_verdicts() -> None:
    scores, _, _ = benchmark(parse_args(["--quick"]), log=False)
    t = scores.total
    assert t.scored >= 50, t
    # both classes are exercised: slips the ground truth confirms wrong, and equal rewrites
    assert t.truth["wrong"] >= 30 and t.truth["equal"] >= 10, t.truth
    assert t.dropped <= 5, t
    assert (t.false_proved, t.false_numeric, t.false_refuted) == (0, 0, 0), "\n".join(scores.failures)


def _bce_pair_and_cases() -> tuple[list[Case], Judge]:
    corpus = load_pairs()
    pair = next(p for p in corpus.pairs if p.name.startswith("bce#0.") and p.cur_text.startswith("(\\hat{y}_i"))
    a = pair.unfold(pair.prev)
    yh = next(x for x in pair.cur.atoms(sympy.Indexed) if "hat" in str(x.base))
    y = next(x for x in pair.cur.atoms(sympy.Indexed) if str(x.base) == "y")
    swapped = pair.cur.xreplace({yh: y, y: yh})
    cases = [
        Case(pair, Mutant(0, "swap symbols", "folded", "ŷ ↔ y", swapped, "wrong"), a, pair.unfold(swapped), ()),
        Case(
            pair, Mutant(0, "expand", "folded", "expand", sympy.expand(pair.cur), "equal"), a, pair.unfold(pair.cur), ()
        ),
    ]
    return cases, Judge(pair.notation, (), seed=1)


def test_ground_truth_tells_a_slip_from_an_equal_rewrite() -> None:
    cases, judge = _bce_pair_and_cases()
    assert judge.judge(cases[0].a, cases[0].b).label == "wrong"
    assert judge.judge(cases[1].a, cases[1].b).label == "equal"


def test_the_score_counts_a_false_proof_and_a_false_refutation() -> None:
    """The scorer is what the CI assertion relies on: it must see a wrong verdict when there is one."""
    cases, _ = _bce_pair_and_cases()
    results: dict[str, list[Any]] = {
        "truth": [Truth("wrong", 0, 2, 0), Truth("equal", 16, 0, 0)],
        "engine": [Result("proved", 0.1, "expand"), Result("refuted", 0.1, "numeric probe")],
    }
    s = score(cases, results)
    assert (s.total.false_proved, s.total.false_refuted, s.total.false_numeric) == (1, 1, 0)
    assert len(s.failures) == 2 and s.failures[0].startswith("FALSE PROVED")
