"""The symbolic patterns of a refuted step's message (diagnose.symbolic_pattern): a factor or an
additive term is named when it is short, written from exact arithmetic where it can be, by SymPy's
cancel where that finds a shorter form (it expands inside functions and logs; the indeterminates of
exact arithmetic cannot)."""

from __future__ import annotations

import pytest
import sympy

from verifier.check.diagnose import exact_shape, symbolic_pattern

x, y, z = sympy.symbols("x y z", real=True)
a, b = sympy.symbols("a b", positive=True)
f = sympy.Function("f")


def _said(prev: sympy.Expr, cur: sympy.Expr) -> str | None:
    said = symbolic_pattern(prev, cur, exact_shape(prev, cur))
    return said.text if said is not None else None


@pytest.mark.parametrize(
    ("prev", "cur", "message"),
    [
        (x + y, x + y + x**2, "differs from the previous step by an additive term: this step − previous = x^2"),
        (x + y, 2 * x * (x + y), "this step is the previous one multiplied by 2⋅x"),
        # equal arguments written differently: only SymPy's expansion sees the term is z
        (
            x + sympy.sin(x * (y + 1)),
            x + sympy.sin(x * y + x) + z,
            "differs from the previous step by an additive term: this step − previous = z",
        ),
        (
            x + sympy.exp(x * (y + 1)),
            x + sympy.exp(x * y + x) + z,
            "differs from the previous step by an additive term: this step − previous = z",
        ),
        (
            x + f((x + 1) ** 2),
            x + f(x**2 + 2 * x + 1) + z,
            "differs from the previous step by an additive term: this step − previous = z",
        ),
        (
            x + f(sympy.exp(x + y)),
            x + f(sympy.exp(x) * sympy.exp(y)) + z,
            "differs from the previous step by an additive term: this step − previous = z",
        ),
        # a previous step shorter than the polynomials' difference, and a ratio that is no monomial to
        # them: log(ab) is one indeterminate and log a + log b two, one sum to SymPy's cancel (a, b > 0)
        (
            sympy.log(a * b),
            sympy.log(a) + sympy.log(b) + z,
            "differs from the previous step by an additive term: this step − previous = z",
        ),
        (
            sympy.log(a * b),
            2 * x * (sympy.log(a) + sympy.log(b)),
            "this step is the previous one multiplied by 2⋅x",
        ),
        # SymPy's cancel takes the content out of a log's sum first (factor_terms): log(ax + ay) is
        # log a + log(x + y) to it, and log(2x + 2y) − log(x + y) is log 2
        (
            sympy.log(a * x + a * y),
            sympy.log(x + y) + sympy.log(a) + z,
            "differs from the previous step by an additive term: this step − previous = z",
        ),
        (
            sympy.log(2 * x + 2 * y),
            sympy.log(x + y) + z,
            "differs from the previous step by an additive term: this step − previous = z - log(2)",
        ),
        (x + y, x - y + z**3 * y**2 * x, None),  # a long difference names nothing
    ],
)
def test_a_short_factor_or_term_is_named(prev: sympy.Expr, cur: sympy.Expr, message: str | None) -> None:
    assert _said(prev, cur) == message
