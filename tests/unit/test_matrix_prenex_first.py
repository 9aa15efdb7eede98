"""Matrix entries with nested sums or products of sums are tried in prenex form before the cascade (a
proof there is a proof; it spares probing multiple sums at concrete sizes); anything else goes through the
cascade first, and a wrong step is still refuted by it."""

from __future__ import annotations

import pytest
import sympy
from test_matrix_functions import N, step  # the same declarations

from verifier.check.matrix import _nested_sums, decide_values
from verifier.model import Verdict

k, l_ = sympy.symbols("k l", integer=True)
a, b = sympy.IndexedBase("a"), sympy.IndexedBase("b")
f = sympy.Function("f")


@pytest.mark.parametrize(
    ("expr", "nested"),
    [
        (sympy.Sum(a[k] * sympy.Sum(b[k, l_], (l_, 1, 3)), (k, 1, 3)), True),  # a sum inside a sum
        (sympy.Sum(a[k], (k, 1, 3)) * sympy.Sum(b[l_], (l_, 1, 3)), True),  # a product of sums
        (sympy.Sum(a[k], (k, 1, 3)) ** 2, True),  # a power of a sum
        (sympy.Sum(a[k], (k, 1, 3)) + sympy.Sum(b[k], (k, 1, 3)), False),
        (sympy.Sum(a[k] * f(sympy.Sum(b[k, l_], (l_, 1, 3))), (k, 1, 3)), False),  # inside σ(…): an atom
        (2 * sympy.Sum(a[k], (k, 1, 3)), False),
    ],
)
def test_nested_sums_are_what_matrix_products_make(expr: sympy.Expr, nested: bool) -> None:
    assert _nested_sums(expr) is nested


def test_a_product_of_matrices_is_proved_in_prenex_form_and_explains_it() -> None:
    out = decide_values(
        step(r"(X\theta - y)^T(X\theta - y)"), step(r"\theta^T X^T X \theta - 2 y^T X \theta + y^T y"), N,
        timeout=20, explain=True,
    )  # fmt: skip
    assert out.verdict is Verdict.PROVED and out.method == "sums in prenex form"
    assert "decided: proved by the sums in prenex form" in out.explain


@pytest.mark.parametrize(
    ("prev", "cur"),
    [
        (r"(X\theta - y)^T(X\theta - y)", r"\theta^T X^T X \theta - y^T X \theta + y^T y"),
        (r"X^T(X\theta - y)", r"X^T X\theta - 2X^T y"),
    ],
)
def test_a_wrong_step_with_nested_sums_is_still_refuted(prev: str, cur: str) -> None:
    assert decide_values(step(prev), step(cur), N, timeout=20).verdict is Verdict.REFUTED
