"""The numeric patterns of a refuted step's message (diagnose.numeric_pattern): what the probe values
alone say, and when they say nothing."""

from __future__ import annotations

import pytest
import sympy

from verifier.check.diagnose import SIGN_ERROR, diagnose, numeric_pattern
from verifier.check.probe import DISAGREE, ProbeRun, Sample

x = sympy.Symbol("x", real=True)
b = sympy.Symbol("b", integer=True)
i = sympy.Symbol("i", integer=True)
y = sympy.IndexedBase("y")


def _point(xv: sympy.Rational, at: int, yv: int, lhs: float, rhs: float, exact: bool = False) -> Sample:
    """A point of a step in x, a binary b (1 where x > 1) and y_i, with y_i held by y[at] (i = at)."""
    bv = sympy.Integer(1 if xv > 1 else 0)
    values: dict[sympy.Basic, sympy.Expr] = {x: xv, b: bv, i: sympy.Integer(at), y[at]: sympy.Integer(yv)}
    written: dict[sympy.Basic, sympy.Basic] = {x: x, b: b, y[i]: y[at]}
    difference = sympy.nsimplify(rhs - lhs) if exact else None
    return Sample(
        DISAGREE, values, complex(lhs), complex(rhs), frozenset(values), difference=difference,
        ratio=complex(rhs / lhs), written=written,
    )


R, S = sympy.Rational(1, 3), sympy.Rational(7, 4)


@pytest.mark.parametrize(
    ("points", "said"),
    [
        ([(R, 1, 0, 1.5, 3.0), (S, 1, 1, -2.0, -4.0)], "constant factor of 2"),
        ([(R, 1, 0, 1.5, -1.5), (S, 2, 1, -2.0, 2.0)], SIGN_ERROR),
        ([(R, 2, 0, 1.5, 2.5), (S, 1, 1, -2.0, -1.0)], "additive constant 1"),
    ],
)
def test_a_constant_seen_where_every_variable_varies_is_named(points: list[tuple], said: str) -> None:
    # the index i itself may keep its value: the element it selects is what varies
    out = numeric_pattern(ProbeRun([_point(*p) for p in points]))
    assert out is not None and said in out.text


@pytest.mark.parametrize("exact", [False, True])
def test_a_constant_seen_where_a_variable_kept_its_value_is_not_named(exact: bool) -> None:
    # y_i = 1 at both points (held by y[1] at one, y[2] at the other): the difference y_i (or a factor
    # 1 + y_i) looks constant there and is not
    run = ProbeRun([_point(R, 1, 1, 1.5, 2.5, exact), _point(S, 2, 1, -2.0, -1.0, exact)])
    assert numeric_pattern(run) is None
    assert diagnose(run).text == "not equal to the previous step"
    run = ProbeRun([_point(R, 1, 1, 1.5, 3.0), _point(S, 2, 1, -2.0, -4.0)])
    assert numeric_pattern(run) is None
