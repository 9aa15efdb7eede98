"""Issue 11 §3: spellings that were silently read as something their print does not show."""

from __future__ import annotations

import pytest
import sympy
from declare import notation, sym, tex

from verifier.errors import InputError
from verifier.latex import read_expr

N = notation(
    sym("a", "real"),
    sym("b", "real"),
    sym("c", "real"),
    sym("w", "real"),
    sym(r"\eta", "positive"),
    sym("N", "positive integer"),
    sym("i", range=("1", "N")),
    sym("x_i", "real"),
    sym("u_i", "real"),
    sym("v_i", "real"),
    sym(r"\mathbf{u}", components="u_i"),
    sym(r"\mathbf{v}", components="v_i"),
    sym("z_i", define="w x_i + b"),
    sym("L", define=r"\frac{1}{N} \sum_{i=1}^{N} z_i^2"),
    sym("M", define="a + 1"),
)
a, b, c, w, eta = (N.symbols[k] for k in ("a", "b", "c", "w", r"\eta"))
L, M = N.symbols["L"], N.symbols["M"]


def read(s: str) -> sympy.Expr:
    return read_expr(tex(s), N)


@pytest.mark.parametrize(
    ("latex", "column"),
    [
        ("{a+b}c", 5),  # prints a + bc
        ("c{a+b}", 6),  # prints ca + b
        ("{a-b} \\cdot c", 5),
        ("c/{a+b}", 7),
        ("c-{a+b}", 7),  # prints c − a + b
        ("-{a+b}", 6),
        ("{a+b}^2", 5),  # prints a + b²
        (r"\log {a+b}", 10),
        (r"\sum_i {x_i + a}", 12),
    ],
)
def test_braces_around_a_sum_next_to_an_operand_are_ambiguous(latex: str, column: int) -> None:
    with pytest.raises(InputError) as info:
        read(latex)
    assert "braces group in TeX but print nothing" in info.value.problem.message
    assert info.value.problem.column == column


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        ("{a+b}", a + b),
        ("{a+b} + c", a + b + c),
        ("c + {a+b}", a + b + c),
        ("{(a+b)} c", (a + b) * c),
        ("{2a} b", 2 * a * b),
        ("{-a} b", -a * b),
        (r"\frac{a+b}{c}", (a + b) / c),
        ("c^{a+b}", c ** (a + b)),
    ],
)
def test_braces_that_print_the_same_reading_are_kept(latex: str, expected: sympy.Expr) -> None:
    assert read(latex) == expected


def test_times_between_vectors_is_a_cross_product_and_refused() -> None:
    with pytest.raises(InputError) as info:
        read(r"\mathbf{u} \times \mathbf{v}")
    assert "cross product" in info.value.problem.message
    assert info.value.problem.column == 16
    assert read(r"a \times b") == a * b


@pytest.mark.parametrize("latex", ["L(w)", "L (w)", "L(w, b)", "L(x_i)", "M(a)"])
def test_defined_symbol_before_a_bracket_of_its_names_is_ambiguous(latex: str) -> None:
    with pytest.raises(InputError) as info:
        read(latex)
    assert "declare" in info.value.problem.message and "[functions]" in info.value.problem.message


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        ("L(1-w)", L * (1 - w)),  # not a list of names: a product
        ("M(b)", M * b),  # M's definition does not use b
        (r"\eta (\frac{1}{N} w)", eta * w / N.symbols["N"]),  # η is not defined
        ("L \\cdot (w)", L * w),
    ],
)
def test_ordinary_juxtaposition_keeps_its_meaning(latex: str, expected: sympy.Expr) -> None:
    assert read(latex) == expected


@pytest.mark.parametrize("order", [0, 1])
def test_plain_symbol_shadowing_a_family_element_is_refused(order: int) -> None:
    pair = [sym("w_j", "real"), sym("w_0", "positive")]
    with pytest.raises(InputError) as info:
        notation(sym("p", "positive integer"), sym("j", range=("0", "p")), *pair[order:], *pair[:order])
    assert "'w_0' names the same thing as the element w_0 of the family 'w_j'" in info.value.problem.message


def test_a_symbol_with_a_word_subscript_is_not_an_element() -> None:
    n = notation(sym("p", "positive integer"), sym("j", range=("0", "p")), sym("L_j", "real"), sym("L_{CE}", "real"))
    assert read_expr(tex("L_{CE}"), n) == n.symbols["L_{CE}"]


SAMPLES = notation(sym("m", "positive integer"), sym("i", range=("1", "m")), sym("x^i", "real"))


@pytest.mark.parametrize("latex", ["x^2", "x^{-1}", "x^{1/2}", r"x^{\frac{1}{2}}", "x^{2+1}", "x^{0.5}"])
def test_every_numeric_superscript_of_a_superscript_family_is_ambiguous(latex: str) -> None:
    with pytest.raises(InputError) as info:
        read_expr(tex(latex), SAMPLES)
    assert "ambiguous" in info.value.problem.message


def test_superscript_family_elements_and_powers_of_elements() -> None:
    x, i = SAMPLES.families["x^i"].base, SAMPLES.symbols["i"]
    assert read_expr(tex("x^{i+1}"), SAMPLES) == x[i + 1]
    assert read_expr(tex("(x^i)^{-1}"), SAMPLES) == 1 / x[i]


@pytest.mark.parametrize(
    "latex",
    [
        r"\frac{(a+1)^2 - a^2 - 2a - 1}{(a+1)^2 - a^2 - 2a - 1}",
        r"\frac{b ((a+1)^2 - a^2 - 2a - 1)}{(a+1)^2 - a^2 - 2a - 1}",
        r"((a+1)^2 - a^2 - 2a - 1) / ((a+1)^2 - a^2 - 2a - 1)",
        r"\frac{\sin^2 a + \cos^2 a - 1}{\sin^2 a + \cos^2 a - 1}",
    ],
)
def test_a_fraction_over_an_identically_zero_denominator_is_refused(latex: str) -> None:
    # found by review: SymPy cancels A/A to 1 as it builds it, so 0/0 was proved equal to 1
    with pytest.raises(InputError, match="identically 0"):
        read(latex)


@pytest.mark.parametrize(("latex", "value"), [(r"\frac{a}{a}", 1), (r"\frac{a b}{b}", "a"), ("a b / b", "a")])
def test_a_fraction_that_cancels_a_nonzero_denominator_is_read(latex: str, value: object) -> None:
    assert read(latex) == (a if value == "a" else sympy.Integer(1))
