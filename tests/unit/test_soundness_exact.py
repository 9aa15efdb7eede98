"""Issue 11 §1-2: differences no tolerance may hide, errors outside a small box, and true steps under
the chain's own assumptions. Each row is a step pair as a user writes it, read by the real reader."""

from __future__ import annotations

import pytest
from flint import arb, fmpq
from test_redteam_support import SYMBOLS, decide_tex

from verifier.check.compare import Match, match_balls, match_exact
from verifier.check.numeval import precision
from verifier.model import Verdict

# §1: wrong steps that passed as `numeric`
WRONG = [
    # a difference far below any floating-point tolerance: compared exactly at rational points
    ("x", r"x + 10^{-20}", ()),
    ("x", r"x + 10^{-300}", ()),
    # both sides are exact rationals: 0.3333333333333333 is 3333333333333333/10^16
    (r"\frac{1}{3}", "0.3333333333333333", ()),
    # a difference of 1 next to values of 10^600
    (r"(x^2+2)^{1000} + 1", r"(x^2+2)^{1000}", ()),
    # a term that vanishes at the sizes 1..5 only
    ("N", r"N + (N-1)(N-2)(N-3)(N-4)(N-5)", ()),
    (r"\sum_{k=1}^{N} x_k", r"\sum_{k=1}^{N} x_k + (N-1)(N-2)(N-3)(N-4)(N-5)", ()),
    # an error outside the old box |x| < 8: true for x ≤ 10 only
    (r"\sqrt{(x - 10)^2}", "10 - x", ()),
    (r"\sqrt{(p - 10)^2}", "10 - p", ()),
    # a saturated sigmoid: 1 − σ(10⁴x) is e^{-4000} at x = 0.4, not 0
    (r"\log(1 - \frac{1}{1+e^{-10000 x}})", r"-10000 x", ()),
]


@pytest.mark.parametrize(("prev", "cur", "assume"), WRONG)
def test_a_tiny_or_far_away_error_is_refuted(prev: str, cur: str, assume: tuple[str, ...]) -> None:
    out = decide_tex(prev, cur, assume=assume)
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)


def test_a_tiny_constant_is_named_exactly() -> None:
    out = decide_tex("x", r"x + 10^{-20}")
    assert out.message is not None, out
    assert "additive constant" in out.message and "100000000000000000000" in out.message, out.message


def test_the_wide_box_still_finds_the_sizes_past_five() -> None:
    out = decide_tex("N", r"N + (N-1)(N-2)(N-3)(N-4)(N-5)")
    assert out.counterexample is not None
    assert int(out.counterexample["N"]) > 5


# true steps whose values saturate, vanish or grow large at some probe points: never refuted
TRUE = [
    # log(1 − σ(u)) = −u − log(1 + e^{−u}): at u = 10⁴x the left side underflows any fixed precision
    (r"\log(1 - \frac{1}{1+e^{-10000 x}})", r"-10000 x - \log(1 + e^{-10000 x})", ()),
    (r"1 - \frac{1}{1+e^{-10000 x}}", r"\frac{e^{-10000 x}}{1+e^{-10000 x}}", ()),
    # huge exact values compared exactly
    (r"(x^2+2)^{999} (x^2 + 2)", r"(x^2+2)^{1000}", ()),
    (r"\frac{1}{3}", r"0.1 + \frac{7}{30}", ()),
]


@pytest.mark.parametrize(("prev", "cur", "assume"), TRUE)
def test_a_true_step_with_extreme_values_is_not_refuted(prev: str, cur: str, assume: tuple[str, ...]) -> None:
    out = decide_tex(prev, cur, assume=assume)
    assert out.verdict in (Verdict.PROVED, Verdict.NUMERIC), (out.verdict, out.method, out.message)


def test_numeric_says_how_the_points_were_compared() -> None:
    # no symbolic method in the cascade proves this within a tiny budget; the probe compares exactly
    out = decide_tex(r"\frac{x^3 - 1}{x - 1}", "x^2 + x + 1", timeout=3.0)
    if out.verdict is Verdict.NUMERIC:
        assert out.message is not None and "exactly" in out.message
    else:
        assert out.verdict is Verdict.PROVED


def test_exact_comparison_has_no_tolerance() -> None:
    assert match_exact(fmpq(1, 3), fmpq(3333333333333333, 10**16)) is Match.DISAGREE
    assert match_exact(fmpq(1, 3), fmpq(2, 6)) is Match.AGREE
    assert match_exact(None, fmpq(0)) is Match.DISAGREE
    assert match_exact(None, None) is Match.SKIP


def test_ball_comparison_is_certified_both_ways() -> None:
    # a ball around 0 is not 0: a saturated value and an exact 0 are unsure, never equal
    assert match_balls(arb("0 +/- 1e-20"), arb(0), 64) is Match.UNSURE
    # a certified difference, however small
    with precision(2048):
        one_and_a_bit = arb(1) + arb(10) ** -300
    assert match_balls(one_and_a_bit, arb(1), 2048) is Match.DISAGREE
    # agreement means a tiny ball next to a value known to be nonzero
    with precision(256):
        third, two_sixths = arb(1) / 3, arb(2) / 6
    assert match_balls(third, two_sixths, 256) is Match.AGREE
    # …and not when the balls are only as narrow as a lower precision gives
    assert match_balls(arb(1) / 3, arb(2) / 6, 256) is Match.UNSURE
    assert match_balls(arb(0), arb(0), 64) is Match.AGREE


# §2: right steps under the chain's own assumptions
ASSUMED_TRUE = [
    # equalities accumulate: the second no longer replaces the first
    ("z", "x + 1", ("y = x + 1", "z = y")),
    ("y + z", "2 x + 2", ("y = x + 1", "z = y")),
    # a nonlinear equality: points are placed on the circle
    ("x^2 + y^2", "1", ("x^2 + y^2 = 1",)),
    (r"(x^2 + y^2)^{3}", "1", ("x^2 + y^2 = 1",)),
    # an inequality: points inside the region, and the sign it implies used symbolically
    (r"\sqrt{x^2}", "x", ("x > 100",)),
    (r"\left| x - 50 \right|", "x - 50", ("x > 100",)),
    # an odd root of a real is the real root
    (r"\sqrt[3]{-8}", "-2", ()),
    (r"\sqrt[3]{x^3}", "x", ()),
]


@pytest.mark.parametrize(("prev", "cur", "assume"), ASSUMED_TRUE)
def test_a_true_step_under_the_chains_assumptions_holds(prev: str, cur: str, assume: tuple[str, ...]) -> None:
    out = decide_tex(prev, cur, assume=assume)
    assert out.verdict in (Verdict.PROVED, Verdict.NUMERIC), (out.verdict, out.method, out.message)


ASSUMED_WRONG = [
    ("z", "x + 2", ("y = x + 1", "z = y")),
    ("x^2 + y^2", "2", ("x^2 + y^2 = 1",)),
    (r"\sqrt{x^2}", "-x", ("x > 100",)),
    (r"\sqrt[3]{-8}", "2", ()),
    # x > 100 says nothing about y
    (r"\sqrt{y^2}", "y", ("x > 100",)),
]


@pytest.mark.parametrize(("prev", "cur", "assume"), ASSUMED_WRONG)
def test_a_wrong_step_under_the_chains_assumptions_is_refuted(prev: str, cur: str, assume: tuple[str, ...]) -> None:
    out = decide_tex(prev, cur, assume=assume)
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)


def test_counterexample_satisfies_the_bound() -> None:
    out = decide_tex(r"\sqrt{x^2}", "-x", assume=("x > 100",))
    assert out.counterexample is not None and float(out.counterexample["x"]) > 100


@pytest.mark.parametrize("words", ["integer", "real"])
def test_a_removable_singularity_is_skipped_for_integer_and_real_variables(words: str) -> None:
    symbols = SYMBOLS + f'\nB = "{words}"\n'
    out = decide_tex(r"\frac{B^N - 1}{B - 1}", r"\sum_{k=0}^{N-1} B^k", symbols=symbols)
    assert out.verdict in (Verdict.PROVED, Verdict.NUMERIC), (out.verdict, out.method, out.message)


@pytest.mark.parametrize(
    "assume",
    [("i = j", r"i \neq j"), ("x = 1", "x = 2"), ("x > 1", "x < 0")],
)
def test_contradictory_assumptions_are_a_clear_error(assume: tuple[str, ...]) -> None:
    out = decide_tex("x_i", "x_j + 1", assume=assume)
    assert out.verdict is Verdict.ERROR, (out.verdict, out.message)
    assert out.message is not None and "no point satisfies the chain's assumptions" in out.message
    assert "internal error" not in out.message


@pytest.mark.parametrize(
    ("prev", "cur", "expected"),
    [
        # the wide box found the error at some large x; the counterexample is the simplest point
        ("x", r"x + 10^{-20}", {"x": "0"}),
        (r"(x^2+2)^{1000} + 1", r"(x^2+2)^{1000}", {"x": "0"}),
        # the smallest size at which the extra term does not vanish
        ("N", r"N + (N-1)(N-2)(N-3)(N-4)(N-5)", {"N": "6"}),
    ],
)
def test_counterexamples_are_shrunk(prev: str, cur: str, expected: dict[str, str]) -> None:
    out = decide_tex(prev, cur)
    assert out.verdict is Verdict.REFUTED
    assert out.counterexample == expected, out.counterexample


def test_a_shrunk_counterexample_still_satisfies_the_bound() -> None:
    out = decide_tex(r"\sqrt{(x - 10)^2}", "10 - x", assume=("x > 0",))
    assert out.verdict is Verdict.REFUTED
    assert out.counterexample is not None
    x = float(out.counterexample["x"])
    assert x > 10  # where the step fails; 0 or 1 would not refute


@pytest.mark.parametrize(
    ("prev", "cur"),
    [
        (r"\sum_{k=1}^{N} k", r"\frac{N(N+1)}{2}"),
        (r"\sum_{k=1}^{N} k^3", r"\frac{N^2(N+1)^2}{4}"),
        (r"\sum_{k=1}^{N} (k x + 1)", r"\frac{N(N+1)}{2} x + N"),
    ],
)
def test_a_polynomial_identity_in_a_size_is_proved_by_enough_sizes(prev: str, cur: str) -> None:
    out = decide_tex(prev, cur)
    assert out.verdict is Verdict.PROVED, (out.verdict, out.method, out.message)


def test_the_size_proof_needs_an_established_degree_and_every_small_size() -> None:
    import sympy

    from verifier.check.sizes import degree_bound, prove_by_sizes

    n = sympy.Symbol("N", integer=True, positive=True)
    k = sympy.Dummy("k", integer=True)
    x = sympy.IndexedBase("x")
    # Σ_{k=3}^{N} k = N(N+1)/2 − 3 holds for N ≥ 2 only: at N = 1 the sum is empty (0), not −2
    short = prove_by_sizes(sympy.Sum(k, (k, 3, n)) - (n * (n + 1) / 2 - 3))
    assert short is not None and short.proof is None and short.refuting == 1 and short.difference == 2
    gauss = prove_by_sizes(sympy.Sum(k, (k, 1, n)) - n * (n + 1) / 2)
    assert gauss is not None and gauss.proof is not None and gauss.refuting is None
    # no degree bound for a summand with family elements or non-polynomial terms
    assert degree_bound(sympy.Sum(x[k], (k, 1, n)), n) is None
    assert degree_bound(sympy.Sum(2**k, (k, 1, n)), n) is None
    # a wrong step is never proved, whatever the degree
    wrong = sympy.Sum(k, (k, 1, n)) - n * (n + 1) / 2 - sympy.Mul(*(n - j for j in range(1, 6)))
    found = prove_by_sizes(wrong)
    assert found is not None and found.proof is None and found.refuting == 6
    # a check that leaves another variable proves and refutes nothing (y² − y vanishes for binary y)
    y = sympy.Symbol("y", integer=True, nonnegative=True)
    assert prove_by_sizes(sympy.Sum(k, (k, 1, n)) - n * (n + 1) / 2 + y**2 - y) is None


def test_a_wrong_identity_in_a_size_past_the_probe_sizes_is_refuted_at_that_size() -> None:
    # found by review: wrong only from n = 13 on, past every size the probe draws
    spurious = "".join(f"(N-{j})" for j in range(1, 13))
    out = decide_tex(r"\sum_{k=1}^{N} k", r"\frac{N(N+1)}{2} + " + spurious)
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)
    assert out.counterexample == {"N": "13"}


def test_a_wrong_polynomial_in_a_size_with_no_sum_is_refuted_past_the_probe_sizes() -> None:
    # found by review: no sum, so the one-size check never ran and the step ended `numeric`
    spurious = "".join(f"(N-{j})" for j in range(1, 13))
    out = decide_tex("N", "N + " + spurious, timeout=5.0)
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)
    assert out.counterexample == {"N": "13"}
    # an integer unbounded below: the grid starts at 0, and the refuting point is in the domain
    out = decide_tex("M", "M + " + spurious.replace("N", "M"), timeout=5.0)
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)


def test_the_size_check_covers_several_sizes_and_rational_differences() -> None:
    import sympy

    from verifier.check.sizes import prove_by_sizes

    n = sympy.Symbol("N", integer=True, positive=True)
    m = sympy.Symbol("M", integer=True, positive=True)
    k = sympy.Dummy("k", integer=True)
    # a grid of (d_N + 1) × (d_M + 1) sizes proves an identity in two sizes
    both = sympy.Sum(k * m, (k, 1, n)) + sympy.Sum(k, (k, 0, m)) - m * n * (n + 1) / 2 - m * (m + 1) / 2
    found = prove_by_sizes(both, [n, m])
    assert found is not None and found.proof is not None and "M" in found.proof and "N" in found.proof
    # wrong only where both N ≥ 13 and M ≥ 4: refuted at the first such grid point
    spurious = sympy.Mul(*(n - j for j in range(1, 13))) * sympy.Mul(*(m - j for j in range(1, 4)))
    found = prove_by_sizes(both + spurious, [n, m])
    assert found is not None and found.proof is None and found.point == {n: 13, m: 4}
    # a rational difference is decided through its numerator: (N² − 1)/(N − 1) = N + 1 except where undefined
    assert (found := prove_by_sizes((n**2 - 1) / (n - 1) - n - 1, [n])) is not None and found.proof is not None
    wrong = (n**2 - 1) / (n - 1) - n - 1 - sympy.Mul(*(n - j for j in range(2, 15)))
    found = prove_by_sizes(wrong, [n])
    assert found is not None and found.refuting == 15
    # a value outside the declared domain is never a counterexample
    assert prove_by_sizes(n * (n - 1) - 1 + 1 - n + n, [n], lambda s, v: v > 100) is None


def test_a_term_vanishing_below_thirteen_outside_any_polynomial_is_refuted_by_far_sizes() -> None:
    # not a polynomial in N (2^N), so no size proof applies: the probe must draw sizes past 12
    spurious = "".join(f"(N-{j})" for j in range(1, 13))
    out = decide_tex("N", r"N + \frac{" + spurious + "}{2^{N}}")
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)
    assert out.counterexample == {"N": "13"}


@pytest.mark.parametrize(
    ("prev", "cur", "assume"),
    [
        # x > 100 is used as x = 100 + t with t > 0, not only as "x is positive"
        (r"\left| x - 50 \right|", "x - 50", ("x > 100",)),
        (r"\left| x + 50 \right|", "-x - 50", ("x < -100",)),
        (r"\left| x - 50 \right|", "x - 50", ("x > 100", "x < 200")),
        (r"\sqrt{(x - 100)^2}", "x - 100", (r"x \geq 100",)),
    ],
)
def test_an_inequality_decides_the_step_symbolically(prev: str, cur: str, assume: tuple[str, ...]) -> None:
    out = decide_tex(prev, cur, assume=assume)
    assert out.verdict is Verdict.PROVED, (out.verdict, out.method, out.message)


def test_an_inequality_proves_nothing_beyond_its_region() -> None:
    out = decide_tex(r"\left| x - 150 \right|", "x - 150", assume=("x > 100",))
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)
    assert out.counterexample is not None and 100 < float(out.counterexample["x"]) < 150


def test_max_and_min_are_evaluated_exactly_and_with_balls() -> None:
    # evaluated by the probe's own evaluator (SymPy's slow path expanded the sums and timed out)
    import sympy

    from verifier.check.numeval import Evaluator

    x, y = sympy.symbols("x y", real=True)
    values = {x: sympy.Rational(-3, 2), y: sympy.Rational(1, 3)}
    exact = Evaluator(dict(values), lambda k: sympy.S.Zero, {})
    assert exact.value(sympy.Max(x, y, 0)) == fmpq(1, 3)
    assert exact.value(sympy.Min(x, y)) == fmpq(-3, 2)
    balls = Evaluator(dict(values), lambda k: sympy.S.Zero, {}, 256)
    with precision(256):
        assert balls.value(sympy.Max(sympy.exp(x), y)).contains(arb(1) / 3)
        assert balls.value(sympy.Min(sympy.exp(x), y)).contains(arb(fmpq(-3, 2)).exp())


@pytest.mark.parametrize(
    ("cur", "verdicts"),
    [
        (r"\frac{x + y + |x - y|}{2}", (Verdict.PROVED, Verdict.NUMERIC)),
        (r"\frac{x + y - |x - y|}{2}", (Verdict.REFUTED,)),
        (r"\max(0, x) + \max(0, |y| - 20)", (Verdict.REFUTED,)),
    ],
)
def test_a_step_with_max_is_decided(cur: str, verdicts: tuple[Verdict, ...]) -> None:
    prev = r"\max(x, y)" if "|x - y|" in cur else r"\max(0, x)"
    out = decide_tex(prev, cur)
    assert out.verdict in verdicts, (out.verdict, out.method, out.message)


def test_the_size_check_covers_an_integer_unbounded_below() -> None:
    # below the least start every sum the size bounds is empty (0): the difference is another polynomial
    import sympy

    from verifier.check.sizes import prove_by_sizes

    k, m = sympy.Symbol("k", integer=True), sympy.Symbol("M", integer=True)
    twice = sympy.Sum(k, (k, 1, m)) + sympy.Sum(k, (k, 1, m)) - sympy.Sum(2 * k, (k, 1, m))
    found = prove_by_sizes(twice, [m])
    assert found is not None and found.proof is not None and found.refuting is None
    # Σ_{k=1}^{M} k = M(M+1)/2 holds for M ≥ −1 only
    found = prove_by_sizes(sympy.Sum(k, (k, 1, m)) - m * (m + 1) / 2, [m])
    assert found is not None and found.refuting is not None and found.refuting <= -2
    # sums starting at different places: Σ_{k=1}^{M} k − Σ_{k=3}^{M} k is 3 from M = 2 on only
    found = prove_by_sizes(sympy.Sum(k, (k, 1, m)) - sympy.Sum(k, (k, 3, m)) - 3, [m])
    assert found is not None and found.refuting is not None and found.refuting <= 1


@pytest.mark.parametrize(
    ("prev", "cur"),
    [(r"\sum_{k=1}^{M} k", r"\frac{M(M+1)}{2}"), (r"\sum_{k=1}^{M} k^2", r"\frac{M(M+1)(2M+1)}{6}")],
)
def test_a_sum_formula_is_refuted_below_zero_for_a_plain_integer(prev: str, cur: str) -> None:
    # M is declared `integer`: the empty sums at M ≤ −2 are 0, the closed forms are not
    out = decide_tex(prev, cur, timeout=5.0)
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)
    assert out.counterexample is not None and int(out.counterexample["M"]) <= -2


def test_a_sum_formula_is_refuted_below_zero_by_the_probe_too() -> None:
    # a family element keeps the size check out: the probe's sizes must go below −1 themselves
    out = decide_tex(r"\sum_{k=1}^{M} (x_k + k)", r"\sum_{k=1}^{M} x_k + \frac{M(M+1)}{2}", timeout=5.0)
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)


# a wrong step that fails only in a small or far part of a nonlinear inequality's region: the probe
# moves a point inside the region (one variable solved for) instead of waiting for a random draw to
# land there (|xy − 1000| ended numeric under xy > 900, the small disk ended in `error`)
INSIDE_WRONG = [
    (r"\left|x y - 1000\right|", "x y - 1000", ("x y > 900",)),
    (r"\left|x^2 + y^2 - \frac{1}{100}\right|", r"x^2 + y^2 - \frac{1}{100}", (r"x^2 + y^2 < \frac{1}{50}",)),
    (r"\left|x - 2000\right|", "x - 2000", ("x^3 > 10^9",)),
]
INSIDE_TRUE = [
    (r"\left|x y - 800\right|", "x y - 800", ("x y > 900",)),
    (r"\left|x^2 + y^2 - 1\right|", r"1 - x^2 - y^2", (r"x^2 + y^2 < \frac{1}{50}",)),
]


@pytest.mark.parametrize(("prev", "cur", "assume"), INSIDE_WRONG)
def test_a_wrong_step_inside_a_nonlinear_inequality_is_refuted(prev: str, cur: str, assume: tuple[str, ...]) -> None:
    out = decide_tex(prev, cur, assume=assume, timeout=5.0)
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)


@pytest.mark.parametrize(("prev", "cur", "assume"), INSIDE_TRUE)
def test_a_true_step_inside_a_nonlinear_inequality_holds(prev: str, cur: str, assume: tuple[str, ...]) -> None:
    out = decide_tex(prev, cur, assume=assume, timeout=5.0)
    # (before, no random draw landed in the small disk: "no point satisfies the chain's assumptions")
    assert out.verdict in (Verdict.PROVED, Verdict.NUMERIC), (out.verdict, out.method, out.message)


def test_a_far_counterexample_is_moved_to_a_round_value_then_to_the_least_one() -> None:
    # a wide point (p = 215) was shown as drawn: values past 30 were never shrunk
    out = decide_tex("p", r"p + \max(0, p - 50)", timeout=10.0)
    assert out.verdict is Verdict.REFUTED and out.counterexample is not None, out
    assert 50 < float(out.counterexample["p"]) <= 60, out.counterexample



def test_a_far_value_that_is_not_an_integer_is_rounded_from_past_ten(monkeypatch: pytest.MonkeyPatch) -> None:
    # x = 25.67 refutes x → x + max(0, x − 20); only values past 30 were rounded, and the simple values
    # stop at 10, so it was shown as drawn: now the least integer that still refutes, x = 21
    from dataclasses import replace

    import sympy

    from verifier.check.probe import Prober

    real_shrink = Prober.shrink

    def from_25_67(self: Prober, samples: list, seconds: float = 0.5):  # type: ignore[no-untyped-def]
        drawn = {k: sympy.Rational(2567, 100) if str(k) == "x" else v for k, v in samples[0].values.items()}
        return real_shrink(self, [replace(samples[0], values=drawn)], seconds)

    monkeypatch.setattr(Prober, "shrink", from_25_67)
    out = decide_tex("x", r"x + \max(0, x - 20)", timeout=10.0)
    assert out.verdict is Verdict.REFUTED and out.counterexample is not None, out
    assert out.counterexample["x"] == "21", out.counterexample


@pytest.mark.parametrize(
    ("prev", "cur", "assume"),
    [
        (r"(x^2 + y^2)^{3}", "1", ("x^2 + y^2 = 1",)),
        (r"(x + y)^2", "1 + 2 x y", ("x^2 + y^2 = 1",)),
        ("x^2 y", "0", ("x y = 0",)),
        (r"\frac{x^3 - x}{y^2 + 1}", "0", ("x^2 = 1",)),
    ],
)
def test_a_step_in_the_ideal_of_the_chains_equations_is_proved_before_probing(
    prev: str, cur: str, assume: tuple[str, ...]
) -> None:
    # no substitution of one variable shows these; points on the curve are slow to draw (a timeout
    # under load), and the reduction modulo a Gröbner basis is exact
    out = decide_tex(prev, cur, assume=assume)
    assert out.verdict is Verdict.PROVED and "Gröbner" in (out.method or ""), (out.verdict, out.method, out.message)


@pytest.mark.parametrize(
    ("prev", "cur", "assume"),
    [
        ("x", "1", ("x^2 = 1",)),  # x = −1 also satisfies it: x − 1 is not in the ideal
        (r"(x^2 + y^2)^{3}", "2", ("x^2 + y^2 = 1",)),
        ("x^2", "0", ("x y = 0",)),
    ],
)
def test_a_step_outside_the_ideal_of_the_chains_equations_is_not_proved(
    prev: str, cur: str, assume: tuple[str, ...]
) -> None:
    out = decide_tex(prev, cur, assume=assume, timeout=10.0)
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)
