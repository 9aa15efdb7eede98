"""The probe evaluator's compiled walk (numeval.code): values of sums whose summand applies a function.

A function's parameters are bound in the evaluator's one environment, which a sum keeps writing its
index into; when applying a function replaced that environment by a copy, every term after the first
saw the first term's index: Σ_{i=1}^{3} f(i) with f(t) = t² came out 3, not 14, so `Σ f(x_i) = N f(x_1)`
passed as numeric and a true split of the sum was refuted.
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Function, Integer, Lambda, Sum, Symbol
from test_redteam_support import decide_tex

from verifier.check.numeval import Evaluator
from verifier.model import Verdict

i = Symbol("i", integer=True)
x = Symbol("x", integer=True)
t = Symbol("t")
f = Function("f")
SQUARE = {f: Lambda(t, t**2)}


def _value(e: sympy.Expr, prec: int | None) -> object:
    return Evaluator({}, lambda key: Integer(5), SQUARE, prec).value(e)


@pytest.mark.parametrize("prec", [None, 64])
@pytest.mark.parametrize(
    ("e", "expected"),
    [
        (Sum(f(i), (i, 1, 3)), 14),  # 1 + 4 + 9
        (i + Sum(f(i), (i, 1, 3)), 19),  # the free i outside the sum is drawn (5), not left at 3
        (Sum(x * f(i), (i, 1, 2), (x, 1, 2)), 15),  # (1 + 2)(1 + 4)
        (Sum(f(f(i)), (i, 1, 2)), 17),  # 1 + 16: an application inside an application
    ],
)
def test_a_sum_of_function_applications_takes_every_index(e: sympy.Expr, expected: int, prec: int | None) -> None:
    v = _value(e, prec)
    if prec is None:
        assert v == expected
    else:
        assert v.contains(expected) and v.rad() < 1e-10


SUM_SYMBOLS = """
N = "positive integer"
i = { range = ["1", "N"] }
x_i = "real"
"""
OPAQUE_F = 'f = { args = ["t"] }'


def test_a_sum_of_an_opaque_function_is_not_n_times_its_first_term() -> None:
    out = decide_tex(r"\sum_{i=1}^{N} f(x_i)", r"N f(x_1)", symbols=SUM_SYMBOLS, functions=OPAQUE_F)
    assert out.verdict is Verdict.REFUTED


def test_the_first_term_split_off_a_sum_of_an_opaque_function_holds() -> None:
    out = decide_tex(
        r"\sum_{i=1}^{N} f(x_i) x_i",
        r"x_1 f(x_1) + \sum_{i=2}^{N} f(x_i) x_i",
        symbols=SUM_SYMBOLS,
        functions=OPAQUE_F,
    )
    assert out.verdict in (Verdict.PROVED, Verdict.NUMERIC)


# ---- the compiled walk against SymPy's own evaluation, on random expressions -------------------------
j = Symbol("j", integer=True)
y = Symbol("y")
g = Function("g")
h = Function("h")
# h's parameter is named like a sum's index: bound in the same environment, it must not leak either way
BODIES = {f: Lambda(t, t**2 + 1), g: Lambda(t, 2 * t - 3), h: Lambda(i, 2 * i + 1)}
POINT = {y: Integer(5)}


def _expressions(bound: tuple[Symbol, ...] = ()) -> st.SearchStrategy[sympy.Expr]:
    leaves = st.sampled_from([y, Integer(2), Integer(-1), sympy.Rational(1, 2), *bound])

    def extend(inner: st.SearchStrategy[sympy.Expr]) -> st.SearchStrategy[sympy.Expr]:
        free = [k for k in (i, j) if k not in bound]
        sums = (
            st.sampled_from(free).flatmap(lambda k: _expressions((*bound, k)).map(lambda body: Sum(body, (k, 1, 3))))
            if free and len(bound) < 2
            else inner
        )
        return st.one_of(
            st.tuples(inner, inner).map(lambda ab: ab[0] + ab[1]),
            st.tuples(inner, inner).map(lambda ab: ab[0] * ab[1]),
            inner.map(f),
            inner.map(g),
            inner.map(h),
            sums,
        )

    return st.recursive(leaves, extend, max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(_expressions())
def test_the_compiled_walk_agrees_with_sympy_on_random_sums_of_applications(e: sympy.Expr) -> None:
    expected = e
    while expected.has(f, g, h):  # an application inside another is replaced on a later pass
        for head, body in BODIES.items():
            expected = expected.replace(head, body)
    expected = expected.doit().xreplace(POINT)
    got = Evaluator(dict(POINT), lambda key: Integer(5), BODIES, None).value(e)
    assert sympy.Rational(int(got.p), int(got.q)) == expected


k = Symbol("k", integer=True)
X = sympy.IndexedBase("X")
SUM_OF_T = {f: Lambda(t, Sum(t * k, (k, 1, 2)))}  # f(t) = 3t, its body a sum over k that mentions t


@pytest.mark.parametrize("prec", [None, 64])
@pytest.mark.parametrize(
    ("e", "functions", "expected"),
    [
        # a sum summed once per point may be kept only while the variables it mentions stay put: the
        # inner sum mentions the outer index, so each term sums it again, and the function's
        # body mentions its parameter, so each application sums it again (3·1 + 3·2)
        (Sum(i * Sum(k, (k, 1, i)), (i, 1, 3)), {}, 25),  # 1·1 + 2·3 + 3·6
        (Sum(f(i), (i, 1, 2)), SUM_OF_T, 9),
        (f(1) + f(2), SUM_OF_T, 9),
        # a sum free of the outer index is the same in every term: Σ_i X_i / Σ_k X_k = 1 (X_i = 5 each)
        (Sum(X[i] / Sum(X[k], (k, 1, 3)), (i, 1, 3)), {}, 1),
        (Sum(X[k], (k, 1, 3)) * Sum(X[k], (k, 1, 3)) + Sum(X[k], (k, 1, 2)), {}, 235),
    ],
)
def test_a_sum_is_summed_again_wherever_its_variables_may_have_moved(
    e: sympy.Expr, functions: dict[Function, Lambda], expected: int, prec: int | None
) -> None:
    v = Evaluator({}, lambda key: Integer(5), functions, prec).value(e)
    if prec is None:
        assert v == expected
    else:
        assert v.contains(expected) and v.rad() < 1e-10


def test_a_closed_sum_is_summed_once_per_point_and_an_open_one_each_time() -> None:
    ev = Evaluator({}, lambda key: Integer(5), {}, None)
    closed = Sum(X[k], (k, 1, 3))
    outer = Sum(X[i] / closed, (i, 1, 3))
    assert ev.value(outer + closed) == 16
    assert set(ev._sums) == {closed, outer}  # both free of any bound variable around them
    ev = Evaluator({}, lambda key: Integer(5), {}, None)
    assert ev.value(Sum(i * Sum(k, (k, 1, i)), (i, 1, 3))) == 25
    assert Sum(k, (k, 1, i)) not in ev._sums  # it mentions the outer index: never kept


def test_surely_inexact_names_what_exact_evaluation_cannot_finish() -> None:
    """An exp, log or constant outside any sum, piecewise or function body makes exact evaluation end
    in Inexact at every point; inside one it may never be reached (an empty sum, another branch)."""
    from verifier.check.numeval import surely_inexact

    k = Symbol("k", integer=True)
    assert surely_inexact(sympy.exp(x) + 1)
    assert surely_inexact(x / (1 + sympy.exp(-x)))
    assert surely_inexact(sympy.pi * x)
    assert surely_inexact(sympy.Abs(sympy.log(x)) ** 2)
    assert not surely_inexact(x**2 + 1)
    assert not surely_inexact(Sum(sympy.exp(k), (k, 1, x)))  # x = 0: an empty sum, exactly 0
    assert not surely_inexact(sympy.Piecewise((sympy.exp(x), x > 0), (0, True)))
    assert not surely_inexact(f(x))  # a body the point may give without a transcendental


_TRANSCENDENTAL_LEAVES = st.sampled_from(
    [x, Integer(2), Integer(0), sympy.Rational(-1, 3), sympy.exp(x), sympy.log(x + 7), sympy.pi, f(x)]
)


def _mixed(inner: st.SearchStrategy[sympy.Expr]) -> st.SearchStrategy[sympy.Expr]:
    k = Symbol("k", integer=True)
    return st.one_of(
        st.tuples(inner, inner).map(lambda ab: ab[0] + ab[1]),
        st.tuples(inner, inner).map(lambda ab: ab[0] * ab[1]),
        st.tuples(inner, st.sampled_from([-1, 2, sympy.Rational(1, 2)])).map(lambda ab: ab[0] ** ab[1]),
        inner.map(lambda e: Sum(e * k, (k, 1, x))),
        inner.map(sympy.Abs),
    )


@settings(max_examples=300, deadline=None)
@given(st.recursive(_TRANSCENDENTAL_LEAVES, _mixed, max_leaves=6), st.sampled_from([-2, 0, 1, 3]))
def test_an_expression_surely_inexact_never_gets_an_exact_value(e: sympy.Expr, at: int) -> None:
    from verifier.check.numeval import Inexact, surely_inexact

    if not surely_inexact(e):
        return
    try:
        Evaluator({x: Integer(at)}, lambda key: Integer(5), SQUARE, None).value(e)
    except Inexact:
        return
    except Exception:  # undefined there, or unsupported: not a value either
        return
    raise AssertionError(f"{e} got an exact value at x = {at}")


Y = sympy.IndexedBase("Y")


@pytest.mark.parametrize("prec", [None, 64])
@pytest.mark.parametrize(
    ("e", "body", "expected"),
    [
        (Sum(f(k + 1), (k, 1, 2)), X[k], 100 + 1000),  # X_2 + X_3, not X_1 + X_2
        (Sum(f(k + 1), (k, 1, 2)), Y[k, k], 100 + 1000),
        (Sum(X[k] * f(3), (k, 1, 2)), X[k], (10 + 100) * 1000),  # the loop's own k after the application
    ],
)
def test_an_index_named_as_a_parameter_is_the_argument_not_the_sum_variable(
    e: sympy.Expr, body: sympy.Expr, expected: int, prec: int | None
) -> None:
    """An element's index is read from the loops' integers; inside a function whose parameter is
    named as the sum variable around the application, that name is the argument."""

    def sample(key: object) -> sympy.Expr:
        return Integer(10) ** key[1][0] if isinstance(key, tuple) else Integer(5)

    v = Evaluator({}, sample, {f: Lambda(k, body)}, prec).value(e)
    if prec is None:
        assert v == expected
    else:
        assert v.contains(expected) and v.rad() < 1e-10
