"""Names spelled with primes after their scripts (`a_b'`, issue 14), and an element's index that is not an
integer (`x_{\\alpha}` with α real, `x^{\\alpha}` with a family x^i): each reading, each refusal located."""

from __future__ import annotations

import pytest
import sympy
from declare import notation, sym, tex

from verifier.errors import InputError
from verifier.latex import read_expr

P = notation(
    sym("a_b", "real"),
    sym("a_b'", "real"),
    sym("w'", "real"),
    sym("c_{k}''", "real"),
    sym("n", "positive integer"),
    sym("i", range=("1", "n")),
    sym("x_i", "real"),
    sym("x_i'", "real"),
)
ab, abp, wp, ckpp = (P.symbols[k] for k in ("a_b", "a_b'", "w'", "c_{k}''"))
i = P.symbols["i"]
x, xp = P.families["x_i"].base, P.families["x_i'"].base


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        ("a_b'", abp),
        ("a_{b}'", abp),
        ("a'_b", abp),  # TeX prints a'_b and a_b' alike
        ("a_b' - a_b", abp - ab),
        ("w'", wp),
        ("c_k''", ckpp),
        ("x_i' + x_i", xp[i] + x[i]),
        ("x_{i+1}'", xp[i + 1]),
    ],
)
def test_names_spelled_with_primes(latex: str, expected: sympy.Expr) -> None:
    assert read_expr(tex(latex), P) == expected


def test_primed_names_are_other_symbols() -> None:
    assert abp.name == "a_{b}'" and abp != ab
    assert xp.name == "x'" and xp != x


@pytest.mark.parametrize(
    ("latex", "message", "column"),
    [
        ("a_b''", "a prime ' may only follow a declared function", 5),
        ("c_k'", "undeclared name 'c_k'' (did you mean 'c_{k}'''?)", 5),
        ("n'", "a prime ' may only follow a declared function", 5),
    ],
)
def test_undeclared_primes_are_refused(latex: str, message: str, column: int) -> None:
    with pytest.raises(InputError) as info:
        read_expr(tex(latex), P)
    assert message in info.value.problem.message
    assert info.value.problem.column == column


Q = notation(
    sym("n", "positive integer"),
    sym("i", range=("1", "n")),
    sym("x^i", "real"),
    sym("z_i", "real"),
    sym("y", "real"),
    sym(r"\alpha", "real"),
    sym("m", "positive integer"),
)


@pytest.mark.parametrize(
    ("latex", "message", "column"),
    [
        (r"x^{\alpha}", "the index \\alpha of this family element is not an integer", 8),
        (r"z_{\alpha}", "the index \\alpha of this family element is not an integer", 8),
        (r"z_{i + \alpha}", "is not an integer", 8),
        (r"z_{y}", "the index y of this family element is not an integer", 8),
    ],
)
def test_an_index_that_is_not_an_integer_is_refused(latex: str, message: str, column: int) -> None:
    with pytest.raises(InputError) as info:
        read_expr(tex(latex), Q)
    assert message in info.value.problem.message
    assert info.value.problem.column == column


def test_integer_indices_still_read() -> None:
    i, m = Q.symbols["i"], Q.symbols["m"]
    z, xs = Q.families["z_i"].base, Q.families["x^i"].base
    assert read_expr(tex("z_{m} + z_{i+1} + x^{m}"), Q) == z[m] + z[i + 1] + xs[m]
    assert read_expr(tex(r"y^{\alpha}"), Q) == Q.symbols["y"] ** Q.symbols[r"\alpha"]  # a plain symbol: a power
