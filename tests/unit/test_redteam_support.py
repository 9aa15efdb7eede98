"""Shared helper for the red-team tests: decide a step pair written as a user would write it (TOML + LaTeX)."""

from __future__ import annotations

from verifier.check.work import decide_step
from verifier.loader import loads
from verifier.model import Outcome

SYMBOLS = """
x = "real"
y = "real"
z = "real"
w = "real"
p = "positive"
q = "positive"
M = "integer"
N = "positive integer"
i = { range = ["1", "N"] }
j = { range = ["1", "N"] }
k = { range = ["1", "N"] }
l = { range = ["0", "N"] }
x_k = "real"
y_k = "positive"
b_k = "binary"
"""


def _lit(text: str) -> str:
    """A TOML literal string; a multi-line one when the text holds a quote (a prime: f'(u))."""
    if "'" not in text:
        return "'" + text + "'"
    q = "'" * 3
    assert q not in text and not text.endswith("'"), text
    return q + text + q


def decide_tex(
    prev: str,
    cur: str,
    *,
    symbols: str = SYMBOLS,
    functions: str = "",
    assume: tuple[str, ...] = (),
    timeout: float = 3.0,
) -> Outcome:
    """The outcome of the step `prev` → `cur`, read through the real reader and decided in-process."""
    text = "\n".join(
        [
            'title = "red team"',
            "[symbols]",
            symbols,
            "[functions]",
            functions,
            "[[chain]]",
            'title = "c"',
            f"assume = [{', '.join(map(_lit, assume))}]",
            f"steps = [{_lit(prev)}, {_lit(cur)}]",
        ]
    )
    return decide_step(loads(text, "redteam.toml"), 0, 1, timeout, False)
