"""Issue 11 §2: right steps under the chain's own assumptions are never refuted (and wrong ones still are):
elements fixed by an assumption inside sums, one-hot labels, ranges bounded by a defined symbol."""

from __future__ import annotations

import pytest
from test_redteam_support import decide_tex

from verifier.model import Verdict

VECTORS = """
m = "positive integer"
p = "positive integer"
i = { range = ["1", "m"] }
j = { range = ["0", "p"] }
'x^{(i)}_j' = "real"
'\\theta_j' = "real"
'x^{(i)}' = { components = 'x^{(i)}_j' }
'\\theta' = { components = '\\theta_j' }
"""

ONE_HOT = """
K = "positive integer"
i = { range = ["1", "K"] }
j = { range = ["1", "K"] }
k = { range = ["1", "K"] }
y_k = "binary"
p_k = "unit"
"""
LABEL = ("y_j = 1", r"\sum_{k=1}^{K} y_k = 1")

DEFINED_BOUND = """
n = "positive integer"
K = { define = 'n + 1' }
k = { range = ["1", "K"] }
x_k = "real"
"""

TRUE = [
    # x^{(i)}_0 = 1 reaches the j = 0 term of θᵀx^{(i)}: it is θ₀
    (r"\theta^T x^{(i)}", r"\theta_0 + \sum_{j=1}^{p} \theta_j x^{(i)}_j", ("x^{(i)}_0 = 1",), VECTORS),
    # one-hot: every other class is 0
    ("y_i", "0", (*LABEL, r"i \neq j"), ONE_HOT),
    (r"\sum_{k=1}^{K} y_k \log p_k", r"\log p_j", LABEL, ONE_HOT),
    # a range bound that is a defined symbol
    (r"\sum_{k=1}^{K} 1", "n + 1", (), DEFINED_BOUND),
    (r"x_k^2", r"\left| x_k \right|^2", (), DEFINED_BOUND),
]


@pytest.mark.parametrize(("prev", "cur", "assume", "symbols"), TRUE)
def test_true_step_under_assumptions_is_not_refuted(prev: str, cur: str, assume: tuple[str, ...], symbols: str) -> None:
    out = decide_tex(prev, cur, assume=assume, symbols=symbols)
    assert out.verdict in (Verdict.PROVED, Verdict.NUMERIC), (out.verdict, out.method, out.message)


WRONG = [
    (r"\theta^T x^{(i)}", r"\theta_0 + \sum_{j=1}^{p} \theta_j x^{(i)}_j + 1", ("x^{(i)}_0 = 1",), VECTORS),
    (r"\theta^T x^{(i)}", r"\sum_{j=1}^{p} \theta_j x^{(i)}_j", ("x^{(i)}_0 = 1",), VECTORS),
    ("y_i", "1", (*LABEL, r"i \neq j"), ONE_HOT),
    (r"\sum_{k=1}^{K} y_k \log p_k", r"\log p_i", LABEL, ONE_HOT),
    # without a value for k (its range ends at the defined K) no point existed, so this ended `error`
    (r"\log(x_k^2)", r"2 \log x_k", (), DEFINED_BOUND),
]


@pytest.mark.parametrize(("prev", "cur", "assume", "symbols"), WRONG)
def test_wrong_step_under_assumptions_is_refuted(prev: str, cur: str, assume: tuple[str, ...], symbols: str) -> None:
    out = decide_tex(prev, cur, assume=assume, symbols=symbols)
    assert out.verdict is Verdict.REFUTED, (out.verdict, out.method, out.message)


def test_the_counterexample_keeps_the_fixed_element() -> None:
    prev, cur, assume, symbols = WRONG[0]
    out = decide_tex(prev, cur, assume=assume, symbols=symbols)
    assert out.counterexample is not None
    fixed = [v for k, v in out.counterexample.items() if k.startswith("x^{(") and k.endswith("_0")]
    assert fixed and all(v == "1" for v in fixed), out.counterexample


def test_the_one_hot_counterexample_is_a_one_hot_label() -> None:
    out = decide_tex("y_i", "1", assume=(*LABEL, r"i \neq j"), symbols=ONE_HOT)
    assert out.counterexample is not None
    ys = [int(v) for k, v in out.counterexample.items() if k.startswith("y_")]
    assert sum(ys) <= 1


@pytest.mark.parametrize(
    ("prev", "cur"),
    [("y_i", "0"), (r"\sum_{k=1}^{K} y_k \log p_k", r"\log p_j"), (r"\sum_{k=1}^{K} k y_k", "j")],
)
def test_the_one_hot_label_is_used_exactly(prev: str, cur: str) -> None:
    # found by review: the implied values (y_t = δ_tj on the label's range) were only sampled, so these ended numeric
    out = decide_tex(prev, cur, assume=(*LABEL, r"i \neq j"), symbols=ONE_HOT)
    assert out.verdict is Verdict.PROVED, (out.verdict, out.method, out.message)


@pytest.mark.parametrize(
    ("prev", "cur"),
    [
        # l ranges over 0..K, and y_0 lies outside the label's range: nothing is known about it
        ("y_l", "0"),
        # a sum past the label's range keeps its unknown term y_{K+1}
        (r"\sum_{k=1}^{K+1} y_k", "1"),
    ],
)
def test_the_one_hot_label_says_nothing_outside_its_range(prev: str, cur: str) -> None:
    # never proved (the probe refutes it when it meets l = 0 with y_0 = 1, which is left to chance)
    symbols = ONE_HOT + 'l = { range = ["0", "K"] }\n'
    out = decide_tex(prev, cur, assume=(*LABEL, r"l \neq j"), symbols=symbols)
    assert out.verdict is not Verdict.PROVED, (out.verdict, out.method, out.message)
