"""Matrix entries with nested sums or products of sums are tried in prenex form before the cascade (a
proof there is a proof; it spares probing multiple sums at concrete sizes), unless the two sides apply
different functions (then after it); anything else goes through the cascade first, and a wrong step is
still refuted by it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy
from test_matrix_functions import N, step  # the same declarations

from verifier.check import matrix
from verifier.check.matrix import _nested_sums, decide_values
from verifier.check.work import decide_step
from verifier.loader import load
from verifier.model import Outcome, Verdict

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


# ---- a pair applying different functions: the cascade first, the prenex form after it ---------------
COST = load(Path(__file__).parents[2] / "derivations" / "logistic-cost.toml")


def _spied(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    plain = matrix.prenex_equal

    def spy(*args: object) -> bool:
        calls.append(args)
        return plain(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(matrix, "prenex_equal", spy)
    return calls


def test_a_pair_applying_different_functions_goes_to_the_cascade_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """J(θ) unfolds to logs of h_θ, the next step has log(1 + e^{−θᵀx}): the prenex form keeps logs as
    they are and cannot prove it, the cascade's log identities do, and the prenex form is not tried."""
    calls = _spied(monkeypatch)
    out = decide_step(COST, 0, 1, 20.0, False)
    assert out.verdict is Verdict.PROVED and out.method is not None and "log" in out.method
    assert calls == []


def test_a_pair_applying_the_same_functions_is_still_tried_in_prenex_form_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _spied(monkeypatch)
    out = decide_step(COST, 0, 2, 20.0, False)
    assert out.verdict is Verdict.PROVED and out.method == "sums in prenex form"
    assert len(calls) == 1


@pytest.mark.parametrize("left", [Verdict.NUMERIC, Verdict.TIMEOUT, Verdict.ERROR])
def test_a_deferred_pair_the_cascade_leaves_open_is_tried_in_prenex_form(
    monkeypatch: pytest.MonkeyPatch, left: Verdict
) -> None:
    """The order changes, never what can be proved: where the cascade ends numeric, out of time or in an
    error, the prenex form still gets the pair (here made to prove it, to see that it is asked)."""
    monkeypatch.setattr(matrix, "decide", lambda *a, **k: Outcome(left, message="left open"))
    monkeypatch.setattr(matrix, "prenex_equal", lambda *a: True)
    out = decide_step(COST, 0, 1, 20.0, False)
    assert out.verdict is Verdict.PROVED and out.method == "sums in prenex form" and out.message is None


def test_a_deferred_pair_the_cascade_refutes_stays_refuted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matrix, "decide", lambda *a, **k: Outcome(Verdict.REFUTED, message="no"))
    calls = _spied(monkeypatch)
    assert decide_step(COST, 0, 1, 20.0, False).verdict is Verdict.REFUTED
    assert calls == []


def test_a_proof_in_prenex_form_after_the_cascade_explains_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """--explain: the cascade's lines, then the line of the method that proved the step (not a last line
    saying timeout above a proved verdict)."""
    monkeypatch.setattr(matrix, "decide", lambda *a, **k: Outcome(Verdict.TIMEOUT, explain=("decided: timeout",)))
    monkeypatch.setattr(matrix, "prenex_equal", lambda *a: True)
    out = decide_step(COST, 0, 1, 20.0, True)
    assert out.verdict is Verdict.PROVED
    assert out.explain[-1] == "decided: proved by the sums in prenex form"
    assert "decided: timeout" in out.explain
