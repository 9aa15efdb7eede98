"""The exact fast path (FLINT): a zero is a proof only when the rational function is exactly 0; no
floats, no infinities; plain atoms let the SymPy expand/cancel stages be skipped."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.check.exact import Untranslatable, exact_equal, exact_zero, shape

x, y, z = sympy.symbols("x y z", real=True)
X = sympy.IndexedBase("x")
i, j = sympy.symbols("i j", integer=True)
f = sympy.Function("f")


@pytest.mark.parametrize(
    ("d", "zero", "rational", "plain"),
    [
        ((x + y) ** 2 - x**2 - 2 * x * y - y**2, True, False, True),
        ((x + y) ** 2 - x**2 - y**2, False, False, True),
        (1 / (x + 1) + 1 / (x - 1) - 2 * x / (x**2 - 1), True, True, True),
        (1 / (x + 1) - 1 / (x - 1), False, True, True),
        (X[i] * (X[j] + 1) - X[i] * X[j] - X[i], True, False, True),
        (sympy.exp(x) * (1 + y) - sympy.exp(x) - y * sympy.exp(x), True, False, False),
        # exp is a homomorphism: exp(a + b) = exp(a)·exp(b) for every complex a, b
        (sympy.exp(x + y) - sympy.exp(x) * sympy.exp(y), True, False, False),
        # √(xy) and √x·√y are different atoms here: not zero, and not plain (SymPy decides)
        (sympy.sqrt(x * y) - sympy.sqrt(x) * sympy.sqrt(y), False, False, False),
        (f(x) * (y + 1) - f(x) * y - f(x), True, False, False),
        (sympy.sqrt(x + 1) * (y + 1) - sympy.sqrt(x + 1) - y * sympy.sqrt(x + 1), True, False, False),
        (sympy.Rational(1, 3) * x - x / 3, True, False, True),
    ],
)
def test_exact_zero(d: sympy.Expr, zero: bool, rational: bool, plain: bool) -> None:
    found = exact_zero(d)
    assert found.zero is zero
    assert found.plain is plain
    if zero:
        assert found.rational is rational


@pytest.mark.parametrize(
    "d",
    [
        sympy.Float(0.5) * x + y,  # floats are never a proof
        x * sympy.zoo + y,
        (x + y + z + 1) ** 60 - 1,  # too many terms for C code the clock cannot interrupt
        x**1000 - y,
    ],
)
def test_untranslatable(d: sympy.Expr) -> None:
    with pytest.raises(Untranslatable):
        exact_zero(d)


def test_division_by_an_exact_zero_is_not_translated() -> None:
    d = sympy.Pow(sympy.Add(x, -x, evaluate=False), -1, evaluate=False) + y
    with pytest.raises(Untranslatable):
        exact_zero(d)


_atoms = st.sampled_from([x, y, z, X[i], X[j]])
_leaf = st.one_of(_atoms, st.integers(-3, 3).map(sympy.Integer), st.fractions(max_denominator=5).map(sympy.Rational))


def _combine(children: st.SearchStrategy[sympy.Expr]) -> st.SearchStrategy[sympy.Expr]:
    return st.one_of(
        st.tuples(children, children).map(lambda t: t[0] + t[1]),
        st.tuples(children, children).map(lambda t: t[0] * t[1]),
        st.tuples(children, st.integers(-2, 3)).map(lambda t: t[0] ** t[1] if t[0] != 0 or t[1] > 0 else t[0]),
    )


_exprs = st.recursive(_leaf, _combine, max_leaves=8)


@settings(max_examples=60, deadline=None)
@given(_exprs, _exprs)
def test_agrees_with_sympy_cancel(a: sympy.Expr, b: sympy.Expr) -> None:
    """On plain atoms, exact arithmetic says 0 exactly when SymPy's cancel(together(·)) does."""
    d = a - b
    if d.has(sympy.zoo, sympy.nan):
        return
    found = exact_zero(d)
    assert found.plain
    assert found.zero == (sympy.cancel(sympy.together(d)) == 0)


def test_exponentials_meet_as_powers_of_one_atom() -> None:
    u = x * y + z
    d = 1 / (1 + sympy.exp(-u)) - sympy.exp(u) / (sympy.exp(u) + 1)
    found = exact_zero(d)
    assert found.zero and found.rational and not found.plain
    assert exact_zero(sympy.exp(2 * x) - sympy.exp(x) ** 2).zero
    assert not exact_zero(sympy.exp(x / 2) - sympy.exp(x)).zero


# ---- exact_equal: the unfolded pair before its sums are prepared (whole sums as indeterminates) ----

n, m = sympy.symbols("n m", integer=True, positive=True)
k1, k2, k3 = (sympy.Dummy("k", integer=True) for _ in range(3))
W = sympy.IndexedBase("w")


def test_sums_equal_up_to_their_bound_variables_are_one_indeterminate() -> None:
    a = 1 / (1 + sympy.exp(-sympy.Sum(W[k1] * X[k1], (k1, 1, n))))
    b = sympy.exp(sympy.Sum(W[k2] * X[k2], (k2, 1, n))) / (sympy.exp(sympy.Sum(W[k2] * X[k2], (k2, 1, n))) + 1)
    found = exact_equal(a, b)
    assert found.zero and found.rational and not found.plain


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # different ranges, different summands, a bound variable against a free one
        (sympy.Sum(X[k1], (k1, 1, n)), sympy.Sum(X[k2], (k2, 1, m))),
        (sympy.Sum(X[k1], (k1, 1, n)), sympy.Sum(W[k2], (k2, 1, n))),
        (sympy.Sum(X[k1] * X[i], (k1, 1, n)), sympy.Sum(X[k2] * X[k2], (k2, 1, n))),
        # the nesting matters: Σ_a Σ_b w_ab against Σ_a Σ_b w_ba (equal, but not as structure)
        (
            sympy.Sum(sympy.IndexedBase("A")[k1, k2], (k1, 1, n), (k2, 1, m)),
            sympy.Sum(sympy.IndexedBase("A")[k2, k1], (k1, 1, n), (k2, 1, m)),
        ),
        # an inner bound that is the outer variable, against a free bound
        (sympy.Sum(X[k1], (k1, 1, k2), (k2, 1, n)), sympy.Sum(X[k1], (k1, 1, i), (k2, 1, n))),
    ],
)
def test_sums_that_differ_are_not_one_indeterminate(a: sympy.Expr, b: sympy.Expr) -> None:
    assert not exact_equal(a, b).zero
    assert not exact_equal(a + x, b + x).zero


def test_nested_sums_with_renamed_bounds_meet() -> None:
    a = sympy.Sum(X[k1] * W[k2], (k1, 1, k2), (k2, 1, n))
    b = sympy.Sum(X[k3] * W[k1], (k3, 1, k1), (k1, 1, n))
    assert exact_equal(2 * a + y, a + y + b).zero


@settings(max_examples=40, deadline=None)
@given(_exprs, _exprs)
def test_exact_equal_is_exact_zero_of_the_difference(a: sympy.Expr, b: sympy.Expr) -> None:
    d = a - b
    if d.has(sympy.zoo, sympy.nan) or a.has(sympy.zoo, sympy.nan) or b.has(sympy.zoo, sympy.nan):
        return
    try:
        same = exact_equal(a, b).zero
    except Untranslatable:
        return
    assert same == exact_zero(d).zero


@pytest.mark.parametrize(
    ("prev", "cur", "monomial", "constant"),
    [
        (x + y, 2 * x + 2 * y, True, False),  # a factor 2
        (x + y, -(x + y) / z**2, True, False),  # a factor −1/z²
        (x + y, x + y + 3, False, True),  # an additive constant
        (x + y, x - y, False, False),
        (x + y, sympy.exp(z) * (x + y), False, False),  # e^z is no plain factor
        (x * sympy.exp(z), -x * sympy.exp(z), True, False),  # the exponential cancels out of the ratio
        (sympy.S.Zero, x, False, False),  # no ratio to a zero previous step
    ],
)
def test_shape_of_a_refuted_pair(prev: sympy.Expr, cur: sympy.Expr, monomial: bool, constant: bool) -> None:
    found = shape(prev, cur)
    assert (found.monomial_ratio, found.constant_difference) == (monomial, constant)


def test_shape_counts_the_terms_of_the_reduced_difference() -> None:
    many = sympy.Add(*(x**k for k in range(20)))
    assert shape(x, x + many).difference_ops >= 19
    assert shape(x + many, 2 * x + many).difference_ops == 0  # the difference is the one term x


# ---- the diagnosis's forms, written back from the polynomials ----------------------------------
_with_exp = st.one_of(
    _exprs,
    _exprs.map(lambda e: e * sympy.exp(x - 2 * y)),
    _exprs.map(lambda e: e / (1 + sympy.exp(z))),
    _exprs.map(lambda e: e / (1 - y)),  # a denominator whose sign is turned to look positive
    _exprs.map(lambda e: -e / (2 * x - 3 * z)),
)


@settings(max_examples=60, deadline=None)
@given(_with_exp, _with_exp)
def test_the_written_difference_and_ratio_are_the_pairs(prev: sympy.Expr, cur: sympy.Expr) -> None:
    """What the message shows is this step − previous (and this step / previous) itself: SymPy's
    cancel of the written form minus the true one is 0."""
    try:
        found = shape(prev, cur)
    except (Untranslatable, ZeroDivisionError):
        return
    written = found.written_difference()
    if written is not None:
        assert sympy.cancel(sympy.expand(written - (cur - prev))) == 0
    if found.quotient is not None:
        assert sympy.cancel(sympy.expand(found.quotient * prev - cur)) == 0


@pytest.mark.parametrize(
    ("prev", "cur", "difference"),
    [
        (x + y, x + y + x**2, x**2),  # a sum of terms, as written
        (x / 2 + y, y, -x / 2),
        # a fraction as SymPy's cancel writes it: integer contents out, a positive-looking denominator
        (1 / (2 * y), (x + 2) / (2 * y), (x + 1) / (2 * y)),
        (x / (1 - y), sympy.S.Zero, x / (y - 1)),
        # exp factors joined into one exp, integer exponents kept
        (sympy.exp(x) * sympy.exp(y) * z, sympy.S.Zero, -z * sympy.exp(x + y)),
        (x * y**3, sympy.S.Zero, -x * y**3),
    ],
)
def test_the_written_difference_reads_as_sympy_writes_it(
    prev: sympy.Expr, cur: sympy.Expr, difference: sympy.Expr
) -> None:
    assert shape(prev, cur).written_difference() == difference


def test_a_difference_with_a_log_or_a_root_is_left_to_sympy() -> None:
    """SymPy's cancel expands first (log 2πσ² = log 2π + 2 log σ for σ > 0): the polynomials of
    independent indeterminates could only write a longer form."""
    s = sympy.Symbol("sigma", positive=True)
    assert shape(s, s + sympy.log(2 * sympy.pi * s**2) / 2 - sympy.log(2 * sympy.pi) / 2).written_difference() is None
    assert shape(x, x + sympy.sqrt(x * y + 1)).written_difference() is None
    assert shape(x, 3 * x).written_difference() == 2 * x


_a, _b = sympy.symbols("a b", positive=True)
_k, _n = sympy.symbols("k n", integer=True, positive=True)
_A, _B = sympy.IndexedBase("A"), sympy.IndexedBase("B")


@pytest.mark.parametrize(
    "log",
    [
        sympy.log(_a * _b),  # log a + log b
        sympy.log(_a**2),  # 2 log a
        sympy.log(4),  # 2 log 2
        sympy.log(2 * sympy.pi),  # log 2 + log π
        sympy.log(1 + x * (y + 1)),  # the argument itself expands: log(xy + x + 1)
        # cancel's factor_terms first takes the content out of a sum inside a function: log 2(x + y)
        sympy.log(2 * x + 2 * y),
        sympy.log(_a * x + _a * y),
        sympy.log(sympy.Sum(_A[_k] + _B[_k], (_k, 1, _n))),  # expand splits the sum: log(ΣA + ΣB)
        sympy.log(1 + sympy.exp(-x)),  # and any log, even one no rewrite is known for
    ],
)
def test_a_log_is_left_to_sympy(log: sympy.Expr) -> None:
    """SymPy's cancel rewrites inside a log (factor_terms, then expand's log hint): the polynomials of
    independent indeterminates neither write its difference nor bound it."""
    found = shape(x, x + log + z)
    assert found.expands and found.written_difference() is None


def test_a_monomial_ratio_is_written_out() -> None:
    assert shape(x + y, -2 * x * (x + y) / z**2).quotient == -2 * x / z**2
    assert shape(x + y, x - y).quotient is None


_monomials = st.tuples(
    st.sampled_from([1, -1, 2, sympy.Rational(-1, 3)]), st.sampled_from([x, y, z, X[i]]), st.integers(-2, 2)
)


@settings(max_examples=40, deadline=None)
@given(_with_exp, _monomials)
def test_a_monomial_ratio_is_the_ratio(prev: sympy.Expr, factor: tuple[sympy.Expr, sympy.Expr, int]) -> None:
    c, v, n = factor
    cur = c * v**n * prev
    try:
        found = shape(prev, cur)
    except (Untranslatable, ZeroDivisionError):
        return
    if found.quotient is not None:
        assert sympy.cancel(found.quotient - c * v**n) == 0


def test_a_pair_translated_for_the_exact_stage_is_shaped_from_the_same_translation() -> None:
    """exact_equal and shape on the same two objects share one translation (exact._translated): the
    answers are those of a fresh translation, in either order (a reduction inside shape must not make
    exact_equal call a polynomial pair rational)."""
    from verifier.check import exact

    pairs = [(x**2 + y, x**2 + 2 * y), (x / (y + 1), 2 * x / (y + 1)), (sympy.exp(x) + x, sympy.exp(x) + x)]
    for a, b in pairs:
        exact._LAST.clear()
        fresh_equal = exact_equal(a, b)
        exact._LAST.clear()
        fresh_shape = shape(a, b)
        exact._LAST.clear()
        assert (exact_equal(a, b), shape(a, b)) == (fresh_equal, fresh_shape)
        exact._LAST.clear()
        assert (shape(a, b), exact_equal(a, b)) == (fresh_shape, fresh_equal)
    big = sympy.Add(*(sympy.Symbol(f"t{n}") for n in range(40))) ** 40
    for _ in range(2):  # an untranslatable pair raises every time it is asked
        with pytest.raises(Untranslatable):
            exact_equal(big, x)
