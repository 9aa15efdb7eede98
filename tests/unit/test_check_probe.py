"""Probe points cover the whole declared domain and respect the chain's facts."""

from __future__ import annotations

import random
import re

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Eq, Ne, Sum
from test_check_notations import softmax

from verifier.check.assume import build_assumptions
from verifier.check.probe import Prober, ProbeRun, in_domain, sample_value, seed_of
from verifier.check.unfold import Unfolder
from verifier.notation import Notation


@pytest.mark.parametrize(
    ("words", "check"),
    [
        ("real", lambda vs: min(vs) < 0 < max(vs)),
        ("positive", lambda vs: min(vs) > 0),
        ("negative", lambda vs: max(vs) < 0),
        ("unit", lambda vs: min(vs) > 0 and max(vs) < 1),
        ("binary", lambda vs: set(vs) == {0, 1}),
        ("positive integer", lambda vs: all(v.is_Integer and v > 0 for v in vs)),
        ("nonnegative", lambda vs: min(vs) >= 0),
    ],
)
def test_samples_cover_the_declared_domain(words: str, check: object) -> None:
    rng = random.Random(1)
    w = frozenset(words.split())
    values = [sample_value(w, rng) for _ in range(200)]
    assert check(values)  # type: ignore[operator]
    assert all(in_domain(v, w) for v in values)


def test_seed_depends_only_on_the_text() -> None:
    assert seed_of("a", "b") == seed_of("a", "b")
    assert seed_of("a", "b") != seed_of("b", "a")


def _prober(relations: list[sympy.Basic], words: str = "unit") -> tuple[Prober, object]:
    s = softmax(words)
    u = Unfolder(s.notation)
    assumptions = build_assumptions(relations, u)
    lhs = u.unfold(s.a[s.i] * s.y[s.j])
    return Prober(s.notation, lhs, lhs, assumptions, seed_of("t")), s


def test_distinct_indices_get_distinct_values() -> None:
    s = softmax()
    prober, _ = _prober([Ne(s.i, s.j)])
    run = prober.run(10, ProbeRun())
    assert len(run.samples) >= 5
    assert all(x.display["i"] != x.display["j"] for x in run.samples)


@pytest.mark.parametrize("words", ["unit", "binary"])
def test_points_satisfy_a_sum_relation(words: str) -> None:
    s = softmax(words)
    prober, _ = _prober([Eq(Sum(s.y[s.k], (s.k, 1, s.n)), 1)], words)
    run = prober.run(6, ProbeRun())
    assert run.samples
    for sample in run.samples:
        n = int(sample.display["n"])
        total = sum(v for k, v in sample.values.items() if isinstance(k, sympy.Indexed) and k.base == s.y)
        ys = [k for k in sample.values if isinstance(k, sympy.Indexed) and k.base == s.y]
        assert len(ys) == n
        assert abs(float(total) - 1) < 1e-6


def test_cancellation_at_extreme_points_does_not_refute_a_true_step() -> None:
    # 1 − 1/(1 + e^{−60x}) is 0 at 30 digits for x ≈ 5: ball arithmetic at rising precision never reads
    # it as 0 (or its log as undefined); a point no precision settles (x in the thousands) is skipped
    x = sympy.Symbol("x", real=True)
    n = Notation(symbols={"x": x}, words={x: frozenset({"real"})})
    prev = sympy.log(1 - 1 / (1 + sympy.exp(-60 * x)))
    cur = -60 * x - sympy.log(1 + sympy.exp(-60 * x))
    run = Prober(n, prev, cur, build_assumptions([], Unfolder(n)), seed_of("extreme")).run(16, ProbeRun())
    assert len(run.agreed) >= 8
    assert not run.disagreed


def _run(prev: sympy.Expr, cur: sympy.Expr, x: sympy.Symbol, points: int = 16) -> ProbeRun:
    n = Notation(symbols={"x": x}, words={x: frozenset({"real"})})
    return Prober(n, prev, cur, build_assumptions([], Unfolder(n)), seed_of("tail")).run(points, ProbeRun())


def test_a_tail_below_the_lower_precision_is_seen_at_the_top_one() -> None:
    # found by review: e^{-200} next to e^{1000} is below 2^-128 of the values, so 256-bit balls agreed at
    # every point; some agreements are confirmed at 2048 bits, where the tail is certified nonzero
    x = sympy.Symbol("x", real=True)
    big = sympy.exp(1000 * x**2 + 1000)
    run = _run(big + sympy.exp(-200), big, x)
    assert run.disagreed


def test_numeric_says_how_many_points_agreed_at_which_precision() -> None:
    x = sympy.Symbol("x", real=True)
    run = _run(sympy.sin(x) ** 2, 1 - sympy.cos(x) ** 2, x)
    message = run.numeric_message()
    assert f"equal at {len(run.agreed)} random points" in message
    assert "to 128 bits (256-bit balls)" in message and "to 1024 bits (2048-bit balls)" in message, message
    counts = [int(c) for c in re.findall(r"(\d+) (?:exactly|to|with)", message)]
    assert sum(counts) == len(run.agreed), message


def test_sympy_evaluation_is_never_a_certified_agreement_nor_a_lone_disagreement() -> None:
    # Heaviside is not in the ball evaluator: SymPy's evalf decides those points, and says so
    x = sympy.Symbol("x", real=True)
    h = sympy.Heaviside(x)
    run = _run(h * x, x * h, x, points=6)
    assert run.agreed and all("evalf" in s.precision for s in run.agreed)
    assert "not certified" in run.numeric_message()
    wrong = _run(h * x, h * x + sympy.Rational(1, 10**20), x, points=6)
    assert wrong.disagreed and not wrong.agreed


def test_sympy_values_are_balls_at_their_own_precision() -> None:
    # the evalf path's balls were read at python-flint's default 53 bits: a radius of 10^-16 at every
    # precision, so a value such as 5.329 never agreed past 30 digits and every such point was skipped
    from flint import arb

    from verifier.check.probe import _sympy_value

    x = sympy.Symbol("x", real=True)
    for dps in (120, 400):
        v = _sympy_value(sympy.Heaviside(x) * x, {x: sympy.Rational(5329, 1000)}, dps)
        assert v is not None and v.rad() < arb(10) ** (10 - dps)


def test_leaves_are_the_free_symbols_and_every_element_whatever_was_asked_before() -> None:
    """probe.leaves (memoised per subtree): the plain symbols free in an expression and every family
    element in it, bound or not; the same subtree met inside a sum that binds its index gives its
    symbols less that index, and outside one all of them."""
    from verifier.check.probe import leaves

    i, j, n = sympy.symbols("i j N", integer=True)
    x, y = sympy.IndexedBase("x"), sympy.IndexedBase("y")
    term = x[i] * y[j]

    def found(e: sympy.Basic) -> tuple[set[sympy.Basic], set[sympy.Basic]]:
        syms: set[sympy.Basic] = set()
        idx: set[sympy.Basic] = set()
        leaves(e, syms, idx)
        return syms, idx

    assert found(term) == ({i, j}, {x[i], y[j]})
    assert found(sympy.Sum(term, (i, 1, n))) == ({j, n}, {x[i], y[j]})
    assert found(sympy.Sum(term, (j, 1, i), (i, 1, n))) == ({n}, {x[i], y[j]})  # the inner bound i is bound
    assert found(term + sympy.Sum(term, (i, 1, n))) == ({i, j, n}, {x[i], y[j]})
    syms, idx = {sympy.Symbol("a")}, set()
    leaves(term, syms, idx)  # added to what the sets hold
    assert syms == {sympy.Symbol("a"), i, j}


def test_the_families_found_are_the_interned_bases_the_evaluator_keys_carry() -> None:
    """A base read twice is two equal objects; the prober's per-family tables are keyed by the one the
    evaluator's keys carry, so a lookup compares by identity (not by SymPy's ==, at every draw)."""
    from verifier.check.numeval import interned
    from verifier.check.probe import _Inventory

    i = sympy.Symbol("i", integer=True)
    first, again = sympy.IndexedBase("w_fam"), sympy.IndexedBase("w_fam")
    assert first == again and first is not again
    kept = interned(first)
    (found,) = _Inventory([again[i] + 1]).bases
    assert found is kept


_X = sympy.Symbol("x", real=True)


@pytest.mark.parametrize(
    "prev, cur, at",
    [
        (sympy.exp(_X), sympy.exp(_X) + 1, "1/2"),
        # balls cannot place sign(x − 1/3) at x = 1/3; exact arithmetic meets the unsupported ζ after
        # it, as it always did first
        (sympy.exp(_X) + sympy.sign(_X - sympy.Rational(1, 3)) * sympy.zeta(_X), sympy.exp(_X), "1/3"),
        (sympy.sign(_X - sympy.Rational(1, 3)) * sympy.exp(_X), sympy.exp(_X), "1/3"),
    ],
)
def test_a_comparison_is_the_same_with_or_without_exact_arithmetic_tried_first(
    prev: sympy.Expr, cur: sympy.Expr, at: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """compare goes to balls first where exact arithmetic surely cannot give both values, and runs
    exact arithmetic after all where the balls settle nothing: the answer (or the exception) is the one
    exact-first gives."""
    from verifier.check import probe
    from verifier.check.numeval import Unsupported

    x = sympy.Symbol("x", real=True)
    n = Notation(symbols={"x": x}, words={x: frozenset({"real"})})

    def outcome() -> object:
        prober = Prober(n, prev, cur, build_assumptions([], Unfolder(n)), seed_of("same"))
        try:
            m, lv, rv, how = prober.compare({x: sympy.Rational(at)}, {}, prev, cur)
        except Unsupported as e:
            return ("unsupported", str(e))
        return (m, str(lv), str(rv), how)

    balls_first = outcome()
    monkeypatch.setattr(probe, "surely_inexact", lambda e: False)
    assert outcome() == balls_first


@settings(max_examples=300, deadline=None)
@given(st.integers(-(10**9), 10**9), st.integers(0, 9))
def test_a_drawn_rational_is_sympys_own(p: int, e: int) -> None:
    """The samplers build their rationals without SymPy's cached constructor: the same value, of the
    same class (Integer, Half), with the same numerator and denominator."""
    from verifier.words import _rational

    got, want = _rational(p, 10**e), sympy.Rational(p, 10**e)
    assert (type(got), got.p, got.q) == (type(want), want.p, want.q)


def test_textbook_points_are_drawn_in_the_textbook_box_outside_the_cycle_of_scales() -> None:
    # the diagnosis's second point: in the box a reader checks by hand (wide points are the costly
    # ones), and the probe's own points keep their scales
    x = sympy.Symbol("x", real=True)
    n = Notation(symbols={"x": x}, words={x: frozenset({"real"})})
    prober = Prober(n, x**2, x, build_assumptions([], Unfolder(n)), seed_of("box"))
    run = prober.run(1, ProbeRun(), stop_on_disagree=2)
    assert [s.scale for s in run.samples] == [0]
    prober.run(4, run, stop_on_disagree=9, textbook=True)
    assert [s.scale for s in run.samples] == [0, 0, 0, 0]
    assert all(abs(float(s.values[x])) < 10 for s in run.samples)
    prober.run(6, run, stop_on_disagree=9)  # the cycle goes on where the probe left it: 1, then 0
    assert [s.scale for s in run.samples[4:]] == [1, 0]
