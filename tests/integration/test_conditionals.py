"""Conditionals and the declared indicator, checked: the right steps prove, and a slip in a probability
line (a swapped outcome, a dropped condition, the indicator of the wrong label) is refuted."""

from __future__ import annotations

import pytest

from verifier.check import CheckOptions, check_all
from verifier.loader import loads
from verifier.model import Verdict

FILE = r"""
title = "Conditionals"

[symbols]
x = "real"
y = "binary"
a = "real"
'\theta' = "real"
I = "indicator"

[functions]
h = { args = ["s"], define = '\frac{1}{1+e^{-s}}' }
P = { args = ["v", "u", "t"], given = ["u"], parameters = ["t"], define = 'h(t u)^v (1 - h(t u))^{1-v}' }
Q = { args = ["v", "u"], given = ["u"] }

[[chain]]
title = "c"
steps = ['{left}', '{right}']
"""

CASES = [
    (r"P(y = 1 \mid x; \theta)", r"h(\theta x)", Verdict.PROVED),
    (r"P(y = 0 | x; \theta)", r"1 - h(\theta x)", Verdict.PROVED),
    (r"P(y | x; \theta)", r"h(\theta x)^y (1 - h(\theta x))^{1-y}", Verdict.PROVED),
    (
        r"I\{y = 1\} \log P(y = 1 | x; \theta) + I\{y = 0\} \log P(y = 0 | x; \theta)",
        r"\log P(y | x; \theta)",
        Verdict.PROVED,
    ),
    (r"P(y = 1 \mid x; \theta)", r"1 - h(\theta x)", Verdict.REFUTED),  # the outcomes swapped
    (r"P(y = 1 \mid x; \theta)", r"P(y = 0 \mid x; \theta)", Verdict.REFUTED),
    (r"P(y \mid x; \theta)", r"P(y \mid a; \theta)", Verdict.REFUTED),  # another condition
    (r"I\{y = 1\}", r"1 - y", Verdict.REFUTED),  # the indicator of the other label
    (r"Q(y \mid x)", r"Q(y \mid a)", Verdict.REFUTED),  # opaque: its arguments count
    (r"Q(y \mid x)", r"Q(y \mid x)", Verdict.PROVED),
]


@pytest.mark.parametrize(("left", "right", "verdict"), CASES)
def test_conditionals_are_checked(left: str, right: str, verdict: Verdict) -> None:
    derivation = loads(FILE.replace("{left}", left).replace("{right}", right), "c.toml")
    report = check_all([derivation], CheckOptions(timeout=30.0))
    (result,) = report.derivations
    assert not result.errors, result.errors
    assert result.chains[0].steps[1].outcome.verdict is verdict
