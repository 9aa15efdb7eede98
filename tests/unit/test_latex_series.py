"""Infinite series (issue 14): `\\sum_{k=0}^{\\infty}` is summed in closed form when read, under a
convergence condition that must follow from the declared domain; otherwise a located refusal, never a
truncation."""

from __future__ import annotations

import pytest
import sympy
from declare import notation, sym, tex

from verifier.errors import InputError
from verifier.latex import read_expr

N = notation(
    sym("r", "unit"),
    sym("q", "positive"),
    sym("s", "real"),
    sym("x", "real"),
    sym("n", "positive integer"),
    sym("i", range=("1", "n")),
    sym("a_i", "real"),
)
r, q, s, x = (N.symbols[k] for k in ("r", "q", "s", "x"))

READ: list[tuple[str, sympy.Expr]] = [
    (r"\sum_{k=0}^{\infty} r^k", 1 / (1 - r)),
    (r"\sum_{k=1}^{\infty} r^k", r / (1 - r)),
    (r"\sum_{k=0}^{\infty} k r^k", r / (1 - r) ** 2),
    (r"\sum_{k=1}^{\infty} \frac{1}{k^2}", sympy.pi**2 / 6),
    (r"2 \sum_{k=0}^{\infty} r^{k} + 1", 2 / (1 - r) + 1),
    (r"\sum^{\infty}_{k=0} r^k", 1 / (1 - r)),
]


@pytest.mark.parametrize(("latex", "expected"), READ)
def test_a_convergent_series_is_summed_when_read(latex: str, expected: sympy.Expr) -> None:
    assert sympy.simplify(read_expr(tex(latex), N) - expected) == 0


def test_no_infinite_sum_survives_reading() -> None:
    value = read_expr(tex(r"\sum_{k=0}^{\infty} r^k"), N)
    assert not value.has(sympy.Sum) and not value.has(sympy.oo)


REFUSED: list[tuple[str, str, int]] = [
    # q > 0 does not give q < 1: the sum may diverge, so it has no value
    (r"\sum_{k=0}^{\infty} q^k", "this series converges only where q < 1, and the declared domain does not", 17),
    (r"\sum_{k=0}^{\infty} s^k", "converges only where", 17),
    (r"\sum_{k=1}^{\infty} \frac{1}{k}", "this series diverges (its sum is oo)", 17),
    (r"\sum_{k=0}^{\infty} \frac{r^k}{1 + k^k}", "no closed form that SymPy finds", 17),
    (r"\prod_{k=1}^{\infty} r", "not an infinite product", 18),
    (r"\sum_{i}^{\infty} a_i", "with its lower limit written", 15),
    (r"\sum_{k=0}^{\infty} \prod_{j=1}^{3} r^{k}", "only a modest summand", 17),
    (r"\sum_{k=0}^{\infty} (" + " + ".join(f"r^{{k+{n}}}" for n in range(1, 30)) + ")", "at most 40 operations", 17),
    (r"r + \infty", "\\infty is read only as the upper limit of a sum", 9),
    (r"\sum_{k=\infty}^{3} r^k", "\\infty is read only as the upper limit of a sum", 13),
]


@pytest.mark.parametrize(("latex", "message", "column"), REFUSED)
def test_a_series_that_cannot_be_summed_is_refused(latex: str, message: str, column: int) -> None:
    with pytest.raises(InputError) as info:
        read_expr(tex(latex), N)
    assert message in info.value.problem.message
    assert info.value.problem.column == column
