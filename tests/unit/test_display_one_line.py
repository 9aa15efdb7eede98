"""display.one_line: SymPy's pretty form when it is one line, else the text form with Σ, ^ and ⋅.
It skips laying out the pretty form of what surely stacks (a sum, a product, a quotient): that
shortcut must never be taken for something the pretty printer would have written on one line."""

from __future__ import annotations

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.display import _stacked, one_line

x, y = sympy.symbols("x y", real=True)
k, m = sympy.symbols("k m", integer=True)
X = sympy.IndexedBase("x")

_leaf = st.sampled_from([x, y, X[k], sympy.Integer(2), sympy.Rational(1, 3), sympy.exp(x), sympy.log(y)])


def _combine(children: st.SearchStrategy[sympy.Expr]) -> st.SearchStrategy[sympy.Expr]:
    return st.one_of(
        st.tuples(children, children).map(lambda t: t[0] + t[1]),
        st.tuples(children, children).map(lambda t: t[0] * t[1]),
        st.tuples(children, st.sampled_from([-2, -1, 2, 3, sympy.Rational(-1, 2)])).map(lambda t: t[0] ** t[1]),
        children.map(sympy.exp),
        children.map(lambda e: sympy.Sum(e, (k, 1, m))),
    )


@settings(max_examples=200, deadline=None)
@given(st.recursive(_leaf, _combine, max_leaves=6))
def test_what_is_taken_as_stacked_is_never_one_line_in_the_pretty_form(e: sympy.Expr) -> None:
    if _stacked(e):
        assert "\n" in sympy.pretty(e, use_unicode=True, wrap_line=False)


def test_one_line_forms() -> None:
    assert one_line(x + 2 * y) == "x + 2⋅y"
    assert one_line(x**2 + y) == "x^2 + y"  # a power stacks in the pretty form
    assert one_line(x / 2) == "x/2"
    assert one_line(sympy.Sum(X[k], (k, 1, m))) == "Σ_{k=1…m}(x[k])"
    assert one_line(sympy.Rational(1, 2)) == "1/2"  # a bare number is one line, not a stacked quotient
