"""The mutation benchmark's ground truth on the kinds it used to mislabel: an error that shows only when
one variable is far out while the rest saturate, and a term that vanishes at every size up to 5 in a
chain with an index equality (i = j)."""

from __future__ import annotations

import functools

import sympy

from benchmarks.cases import unfolded_relations
from benchmarks.corpus import Pair, load_pairs
from benchmarks.mutate import error_outside_the_box, vanishes_at_small_sizes
from benchmarks.truth import Judge, _fresh_bounds
from verifier.check.probe import seed_of


@functools.cache
def _pair(name: str) -> Pair:
    return next(p for p in load_pairs().pairs if p.name == name)


def _label(pair: Pair, new: sympy.Expr, seed: int) -> str:
    judge = Judge(pair.notation, unfolded_relations(pair), seed)
    return judge.judge(pair.unfold(pair.prev), pair.unfold(new)).label


def test_an_error_past_twenty_is_wrong_even_where_tanh_saturates() -> None:
    # x(1 − tanh²(wx + b)) + max(0, |s| − 20): wherever every real is wide, both sides' figures are
    # unreliable (1 − tanh² of 10^8); the exact difference and the one-variable-wide points decide
    pair = _pair("tanh-neuron#0.1")
    ((_, mutant),) = error_outside_the_box(pair.unfold(pair.cur), pair.notation)
    assert {_label(pair, mutant, seed) for seed in range(4)} == {"wrong"}
    assert _label(pair, pair.cur, 0) == "equal"


def test_a_term_vanishing_up_to_size_five_is_wrong_under_an_index_equality() -> None:
    # softmax's i = j case: with i and j drawn independently, the points at sizes past 5 were rarely
    # admissible, and the label came from sizes 1..4 only
    pair = _pair("softmax-jacobian#1.3")
    assert any(isinstance(r, sympy.Eq) for r in unfolded_relations(pair))
    ((_, mutant),) = vanishes_at_small_sizes(pair.unfold(pair.cur), pair.notation)
    assert {_label(pair, mutant, seed) for seed in range(4)} == {"wrong"}
    assert _label(pair, pair.cur, 0) == "equal"


def test_an_equal_rewrite_needs_agreement_at_wide_sizes() -> None:
    pair = _pair("softmax-jacobian#1.3")
    judge = Judge(pair.notation, unfolded_relations(pair), 3)
    a = pair.unfold(pair.prev)
    truth = judge.judge(a, sympy.expand(a))
    assert truth.label == "equal" and truth.agree >= 8


def test_a_free_index_that_is_also_bound_by_a_sum_is_substituted_outside_the_sum_only() -> None:
    # bce#2.2 folded: (1/N) Σ_i ∂L_i/∂w + max(0, |x_i| − 20), with i free outside the sum and bound
    # inside; substituting i ↦ 3 everywhere made the sum meaningless and the mutant was labelled equal
    i, n = sympy.Symbol("i", integer=True), sympy.Symbol("N", integer=True)
    x = sympy.IndexedBase("x")
    e = _fresh_bounds(x[i] + sympy.Sum(x[i], (i, 1, n)))
    assert e.xreplace({i: 3, n: 4}).doit() == x[3] + x[1] + x[2] + x[3] + x[4]
    pair = _pair("bce#2.2")
    ((note, mutant),) = error_outside_the_box(pair.cur, pair.notation)
    seed = seed_of("truth", pair.name, "error outside the box", note)  # the benchmark's own draw
    assert _label(pair, mutant, seed) == "wrong"
