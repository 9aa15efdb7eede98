"""The free symbols of a sum, computed without rebuilding its summand, are SymPy's own ones."""

from __future__ import annotations

import pytest
import sympy

from verifier.check import sympy_speed

sympy_speed.install()

x, n = sympy.symbols("x n", integer=True)
k, j = sympy.symbols("k j", integer=True)
d = sympy.Dummy("d", integer=True)
X = sympy.IndexedBase("x")


@pytest.mark.parametrize(
    "e",
    [
        sympy.Sum(X[k], (k, 1, n)),
        sympy.Sum(X[k] * x, (k, 1, n)),
        sympy.Sum(X[k, j], (k, 1, j), (j, 1, n)),  # the inner bound is the outer variable
        sympy.Sum(X[k], (k, 1, k)),  # a bound's k is the outer, free k
        sympy.Product(k * x, (k, 1, n)),
        sympy.Sum(x, (k, 1, n)),
        sympy.Sum(X[d] * sympy.exp(-X[d]), (d, 1, n)),
        sympy.Sum(X[k], (k, 1, 3)),
        sympy.Sum(sympy.Sum(X[k, j], (k, 1, n)) * X[j], (j, 1, n)),
    ],
)
def test_free_symbols_are_sympys(e: sympy.Expr) -> None:
    assert e.free_symbols == sympy_speed.ORIGINAL.fget(e)
    assert k not in sympy.Sum(X[k], (k, 1, n)).free_symbols


def test_is_number() -> None:
    assert sympy.Sum(k**2, (k, 1, 3)).is_number
    assert not sympy.Sum(k * x, (k, 1, 3)).is_number
