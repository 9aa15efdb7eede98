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


def test_sums_written_out_go_through_the_cascade_first() -> None:
    """Only sums the reading made (over Dummy indices) send an entry to the prenex form first: written
    sums are decided by the cascade's cheap forms, which are faster there."""
    out = decide_values(
        step(r"\sum_{i=1}^{m}(\sum_{j=1}^{n} x^{(i)}_j \theta_j - y^{(i)})^2"),
        step(
            r"\sum_{i=1}^{m}(\sum_{j=1}^{n} x^{(i)}_j \theta_j)^2"
            r" - 2\sum_{i=1}^{m} y^{(i)}\sum_{j=1}^{n} x^{(i)}_j \theta_j + \sum_{i=1}^{m} (y^{(i)})^2"
        ),
        N,
        timeout=20,
    )
    assert out.verdict is Verdict.PROVED and out.method is not None and "prenex" not in out.method
