"""The numeric patterns of a refuted step's message (diagnose.numeric_pattern): what the probe values
alone say, and when they say nothing."""

from __future__ import annotations

import pytest
import sympy

from verifier.check.diagnose import SIGN_ERROR, diagnose, numeric_pattern
from verifier.check.probe import DISAGREE, ProbeRun, Sample

x = sympy.Symbol("x", real=True)
y = sympy.Symbol("y", integer=True)


def _point(xv: sympy.Rational, yv: int, lhs: float, rhs: float, exact: bool = False) -> Sample:
    values: dict[sympy.Basic, sympy.Expr] = {x: xv, y: sympy.Integer(yv)}
    difference = sympy.nsimplify(rhs - lhs) if exact else None
    return Sample(
        DISAGREE, values, complex(lhs), complex(rhs), frozenset(values), difference=difference, ratio=complex(rhs / lhs)
    )


@pytest.mark.parametrize(
    ("points", "said"),
    [
        ([(sympy.Rational(1, 3), 0, 1.5, 3.0), (sympy.Rational(7, 4), 1, -2.0, -4.0)], "constant factor of 2"),
        ([(sympy.Rational(1, 3), 0, 1.5, -1.5), (sympy.Rational(7, 4), 1, -2.0, 2.0)], SIGN_ERROR),
        ([(sympy.Rational(1, 3), 0, 1.5, 2.5), (sympy.Rational(7, 4), 1, -2.0, -1.0)], "additive constant 1"),
    ],
)
def test_a_constant_seen_where_every_variable_varies_is_named(points: list[tuple], said: str) -> None:
    out = numeric_pattern(ProbeRun([_point(*p) for p in points]))
    assert out is not None and said in out.text


@pytest.mark.parametrize("exact", [False, True])
def test_a_constant_seen_where_a_variable_kept_its_value_is_not_named(exact: bool) -> None:
    # y = 1 at both points: the difference y (or a factor 1 + y) looks constant there and is not
    run = ProbeRun(
        [_point(sympy.Rational(1, 3), 1, 1.5, 2.5, exact), _point(sympy.Rational(7, 4), 1, -2.0, -1.0, exact)]
    )
    assert numeric_pattern(run) is None
    assert diagnose(run).text == "not equal to the previous step"
    run = ProbeRun([_point(sympy.Rational(1, 3), 1, 1.5, 3.0), _point(sympy.Rational(7, 4), 1, -2.0, -4.0)])
    assert numeric_pattern(run) is None
