"""Sums in prenex form (verifier/check/prenex.py): interchanging sums proves what must be proved, and
never what is false."""

from __future__ import annotations

import random

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import IndexedBase, Sum

from verifier.check.prenex import prenex_equal
from verifier.notation import IndexRange

n = sympy.Symbol("n", integer=True, positive=True)
a, b, c = IndexedBase("a", real=True), IndexedBase("b", real=True), IndexedBase("c", real=True)
k, l, q = (sympy.Dummy(s, integer=True) for s in "klq")  # noqa: E741
RANGES: dict[sympy.Symbol, IndexRange] = {}


def s(body: sympy.Expr, var: sympy.Symbol, lo: sympy.Expr = sympy.S.One, hi: sympy.Expr = n) -> Sum:
    return Sum(body, (var, lo, hi))


def test_sums_are_interchanged_and_products_of_sums_merged() -> None:
    assert prenex_equal(s(a[k], k) * s(b[l], l), s(s(a[k] * b[l], l), k), RANGES)
    assert prenex_equal(s(s(a[k] * b[l], l), k), s(s(a[k] * b[l], k), l), RANGES)
    assert prenex_equal(s(a[k], k) ** 2, s(s(a[k] * a[l], l), k), RANGES)
    assert prenex_equal(s(a[k] + 2, k), s(a[l], l) + 2 * n, RANGES)


def test_false_reorderings_are_not_proved() -> None:
    assert not prenex_equal(s(a[k], k) ** 2, s(a[k] ** 2, k), RANGES)
    assert not prenex_equal(s(a[k], k) * s(b[k], k), s(a[k] * b[k], k), RANGES)  # one name, two sums
    assert not prenex_equal(s(a[k], k), s(a[k], k, 0, n), RANGES)
    i, j = sympy.Dummy("i", integer=True), sympy.Dummy("j", integer=True)
    dependent = Sum(a[i] * b[j], (j, 1, i), (i, 1, n))
    swapped = Sum(a[i] * b[j], (i, 1, j), (j, 1, n))  # not the same region: must not be proved
    assert not prenex_equal(dependent, swapped, RANGES)


def test_sums_inside_an_opaque_factor_stay_its_own() -> None:
    g = sympy.Function("g")
    inner = sympy.exp(s(b[k], k))
    assert prenex_equal(s(a[k] * inner, k) * s(c[k], k), s(s(c[l] * a[k] * sympy.exp(s(b[q], q)), l), k), RANGES)
    outer_inside = g(s(b[l] * a[k], l))  # the outer k inside the opaque factor: renamed with its sum
    assert prenex_equal(s(a[k] * outer_inside, k) * s(c[k], k), s(s(c[q] * a[k] * outer_inside, k), q), RANGES)
    # the inner sum is not the outer one: Σ_k a_k e^{Σ_k b_k} is not Σ_k a_k e^{b_k}
    assert not prenex_equal(s(a[k] * inner, k) * s(c[k], k), s(s(c[l] * a[k] * sympy.exp(b[k]), l), k), RANGES)
    assert not prenex_equal(s(a[k] * g(s(b[l] * a[k], l)), k), s(a[k] * g(s(b[l] * a[l], l)), k), RANGES)


LEAVES = [a, b, c]


@st.composite
def polys(draw: st.DrawFn, depth: int = 2) -> sympy.Expr:
    kind = draw(st.sampled_from(["leaf", "sum", "add", "mul", "pow", "opaque"] if depth > 0 else ["leaf", "const"]))
    if kind == "leaf":
        return draw(st.sampled_from(LEAVES))[draw(st.sampled_from([1, 2]))]
    if kind == "const":
        return sympy.Integer(draw(st.integers(-2, 3)))
    if kind == "sum":
        var = sympy.Dummy("v", integer=True)
        base = draw(st.sampled_from(LEAVES))
        return Sum(base[var] * draw(polys(depth - 1)), (var, 1, n))
    if kind == "add":
        return draw(polys(depth - 1)) + draw(polys(depth - 1))
    if kind == "mul":
        return draw(polys(depth - 1)) * draw(polys(depth - 1))
    if kind == "opaque":
        # a factor the prenex form does not take apart, holding a sum over the variable the sums
        # around it use too (k): its sum must stay its own, and a renaming around it must reach it
        return sympy.exp(Sum(draw(st.sampled_from(LEAVES))[k] * draw(polys(depth - 1)), (k, 1, n)))
    return draw(polys(depth - 1)) ** 2


def _value(e: sympy.Expr, size: int, seed: int) -> sympy.Expr:
    e = e.xreplace({n: size}).doit()
    # one value per element, whatever side it is met on
    values = {el: sympy.Integer(random.Random(f"{seed}:{el}").randint(-5, 5)) for el in e.atoms(sympy.Indexed)}
    return sympy.expand(e.xreplace(values))


@settings(max_examples=60, deadline=None)
@given(polys(), polys(), st.integers(0, 10**6))
def test_prenex_never_proves_a_false_identity(e1: sympy.Expr, e2: sympy.Expr, seed: int) -> None:
    if prenex_equal(e1, e2, RANGES):
        for size in (1, 2, 3):
            assert _value(e1, size, seed) == _value(e2, size, seed)


@settings(max_examples=40, deadline=None)
@given(polys(), polys())
def test_prenex_proves_products_expanded(e1: sympy.Expr, e2: sympy.Expr) -> None:
    assert prenex_equal(e1 * e2, e2 * e1, RANGES)
    assert prenex_equal((e1 + e2) ** 2, e1**2 + 2 * e1 * e2 + e2**2, RANGES)
