"""Probe points cover the whole declared domain and respect the chain's facts."""

from __future__ import annotations

import random

import pytest
import sympy
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
