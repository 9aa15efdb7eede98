"""Derivatives by several variables, some of them defined (contract §2): every defined variable is held
for the whole derivative. Held only for its own differentiation, a defined t was unfolded away before
its turn came, and ∂/∂t ∂/∂x (t·x) = 0 was proved."""

from __future__ import annotations

import pytest
from test_redteam_support import SYMBOLS, decide_tex

from verifier.model import Verdict

T = SYMBOLS + "\nt = { define = 'y^2' }\ns = { define = 'x^2 + y' }\n"
MIXED = r"\frac{\partial}{\partial t} \frac{\partial}{\partial x} (t x)"
NESTED = r"\frac{\partial}{\partial s} \left( s \frac{\partial}{\partial s} \frac{\partial}{\partial x} (s^2 x) \right)"


@pytest.mark.parametrize(
    ("prev", "cur"),
    [
        (MIXED, "1"),
        (r"\frac{\partial}{\partial x} \frac{\partial}{\partial t} (t x)", "1"),
        (r"\frac{\partial}{\partial t} \frac{\partial}{\partial x} (t x^2)", "2 x"),
        (r"\frac{\partial}{\partial t} \frac{\partial}{\partial t} (t^3 x)", "6 t x"),
        # nested derivatives by one defined variable: held as the same variable inside and outside
        (NESTED, "4 s"),
        # one defined variable and one plain: x is not held, so s's own x does not count
        (r"\frac{\partial}{\partial s} \frac{\partial}{\partial x} (s x)", "1"),
    ],
)
def test_a_derivative_by_several_variables_holds_each_defined_one(prev: str, cur: str) -> None:
    out = decide_tex(prev, cur, symbols=T)
    assert out.verdict is Verdict.PROVED, (out.verdict, out.method, out.message)


@pytest.mark.parametrize(
    ("prev", "cur"),
    [
        (MIXED, "0"),
        (r"\frac{\partial}{\partial t} \frac{\partial}{\partial x} (t x^2)", "0"),
        (NESTED, "0"),
    ],
)
def test_a_derivative_by_several_variables_is_not_lost(prev: str, cur: str) -> None:
    out = decide_tex(prev, cur, symbols=T)
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)
