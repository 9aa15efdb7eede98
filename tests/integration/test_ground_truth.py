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


def test_every_symbol_gets_a_counted_point_just_past_the_box_before_an_equal_label() -> None:
    # l2-logistic-regression#2.1 folded + max(0, |α| − 20): the benchmark's own draw gave α its one far
    # turn at α ≤ 20, and the points with every real wide saturate the sigmoid and count nowhere, so the
    # mutant was labelled equal; the far turns now visit 10..100 first, then 100..10^4
    pair = _pair("l2-logistic-regression#2.1")
    ((note, mutant),) = error_outside_the_box(pair.cur, pair.notation)
    seed = seed_of("truth", pair.name, "error outside the box", note)
    assert _label(pair, mutant, seed) == "wrong"
    judge = Judge(pair.notation, unfolded_relations(pair), seed)
    assert judge.judge(pair.unfold(pair.prev), pair.unfold(pair.cur)).label == "equal"
    assert judge.far_turn >= len(judge.far_bases) == 5  # α, λ, θ, b, x: no number, not the binary y


def test_a_binary_family_keeps_its_values_when_its_label_is_an_integer_symbol() -> None:
    # the label of a binary family is an integer Symbol; it was taken for a free integer and given a
    # value, so y_i became 4_i and was drawn as a real: y_i^2 = y_i was labelled wrong
    pair = _pair("l2-logistic-regression#2.1")
    y = next(f.base for f in pair.notation.families.values() if "binary" in f.words)
    judge = Judge(pair.notation, unfolded_relations(pair), 1)
    assert judge.judge(y[1] ** 2, y[1]).label == "equal"
