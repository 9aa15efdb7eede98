"""check.ops.count_ops: SymPy's count_ops in integers, with a cap. Below the cap it must be SymPy's
count exactly (a message's term is shown or not by it), above it any number above the cap."""

from __future__ import annotations

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.check.ops import count_ops

x, y = sympy.symbols("x y", real=True)
k, m = sympy.symbols("k m", integer=True)
X = sympy.IndexedBase("x")
f = sympy.Function("f")

_leaf = st.sampled_from(
    [x, y, X[k], sympy.Integer(2), sympy.Integer(-3), sympy.Rational(1, 3), sympy.Rational(-5, 2), sympy.E, f(x)]
)


def _largest(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    try:
        return sympy.Max(a, b)
    except ValueError:  # SymPy refuses a max of two numbers it cannot order (log(-3) and 2)
        return a + b


def _combine(children: st.SearchStrategy[sympy.Expr]) -> st.SearchStrategy[sympy.Expr]:
    return st.one_of(
        st.tuples(children, children).map(lambda t: t[0] + t[1]),
        st.tuples(children, children).map(lambda t: t[0] - t[1]),
        st.tuples(children, children).map(lambda t: t[0] * t[1]),
        st.tuples(children, children).map(lambda t: t[0] / t[1]),
        st.tuples(children, st.sampled_from([-2, -1, 2, 3, sympy.Rational(-1, 2), y])).map(lambda t: t[0] ** t[1]),
        children.map(lambda e: -e),
        children.map(sympy.exp),
        children.map(sympy.log),
        st.tuples(children, children).map(lambda t: _largest(*t)),
        children.map(lambda e: sympy.Sum(e, (k, 1, m))),
        children.map(lambda e: sympy.Derivative(f(e), x) if e.has(x) else e),
    )


@settings(max_examples=400, deadline=None)
@given(st.recursive(_leaf, _combine, max_leaves=10), st.integers(min_value=0, max_value=14))
def test_the_count_is_sympys_below_the_cap_and_above_it_past_the_cap(e: sympy.Expr, cap: int) -> None:
    want = sympy.count_ops(e)
    assert count_ops(e) == want
    capped = count_ops(e, cap)
    if want <= cap:
        assert capped == want
    else:
        assert capped > cap


def test_counts() -> None:
    assert count_ops(x) == 0
    assert count_ops(-x - y) == 2  # NEG + SUB
    assert count_ops(x - y) == 1
    assert count_ops(-sympy.Rational(1, 3)) == 2  # NEG + DIV
    assert count_ops(1 / (x + y)) == 2  # DIV + ADD
    assert count_ops(sympy.exp(x) * sympy.sin(y) + 1) == 4  # EXP, SIN, MUL, ADD
    assert count_ops(sympy.Sum(X[k] ** 2, (k, 1, m))) == 2  # SUM + POW
    assert count_ops(sympy.Eq(x, y + 1)) == sympy.count_ops(sympy.Eq(x, y + 1))  # a relation: SymPy's


def test_a_large_expression_stops_past_the_cap() -> None:
    e = sympy.Add(*(sympy.Symbol(f"a{i}") * sympy.Symbol(f"b{i}") for i in range(40)))
    assert sympy.count_ops(e) == 79
    assert 12 < count_ops(e, 12) < 79
