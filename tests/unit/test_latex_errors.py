"""Unreadable steps: one located message each, pointing into the TOML file (line 3, column 5 + offset)."""

from __future__ import annotations

import pytest
from declare import LOC, sym, tex

from verifier.errors import InputError
from verifier.latex import compile_notation, read_expr, read_relation
from verifier.model import Derivation, FunctionDecl, Tex

NOTATION = compile_notation(
    Derivation(
        "t",
        "t.toml",
        "t",
        (
            sym("w", "real"),
            sym("b", "real"),
            sym("N", "positive integer"),
            sym("i", range=("1", "N")),
            sym("j", range=("1", "N")),
            sym("x_i", "real"),
            sym("u_j", "real"),
            sym(r"\mathbf{u}", components="u_j"),
            sym(r"\hat{y}", "real"),
            sym("l", "real"),
            sym("o", "real"),
            sym("g", "real"),
        ),
        (
            FunctionDecl(r"\sigma", LOC, ("t",), tex(r"\frac{1}{1+e^{-t}}")),
            FunctionDecl("f", LOC, ("s", "t")),
        ),
        (),
    )
)

# (latex, a fragment of the message, column in the file)
CASES: list[tuple[str, str, int]] = [
    ("w + q", "undeclared name 'q'", 9),
    ("x_k", "undeclared name 'k'", 7),
    (r"\hat{z}", "undeclared name '\\hat{z}'", 5),
    (r"\eta w", "undeclared name '\\eta'", 5),
    ("w_1", "undeclared name 'w_1' (did you mean 'w'?)", 5),
    ("log w", "undeclared name 'log' (did you mean \\log?)", 5),
    ("w exp(b)", "undeclared name 'exp' (did you mean \\exp?)", 7),
    ("ln(w)", "undeclared name 'ln' (did you mean \\ln?)", 5),
    (r"\input{x}", "unsupported command \\input", 5),
    (r"\def\x{1}", "unsupported command \\def", 5),
    (r"\csname w\endcsname", "unsupported command \\csname", 5),
    ("(w + b", "unbalanced '('", 5),
    ("w + b)", "unbalanced ')'", 10),
    (r"\frac{w}{b", "unbalanced '{'", 13),
    ("[w + b)", "closed by ')'", 5),
    (r"\frac{w}", "missing argument after '\\frac'", 13),
    ("w^", "missing argument after '^'", 7),
    (r"\sigma(w, b)", "\\sigma takes 1 argument, got 2", 5),
    ("f(w)", "f takes 2 arguments, got 1", 5),
    (r"\sigma w", "a function needs its argument in parentheses", 12),
    ("w^{(i)}", "never a power", 6),
    ("w^{(2)}", "never a power", 6),
    (r"\mathbf{u} + w", "column is used where a number is needed", 5),
    (r"w \mathbf{u}", "used where a number is needed", 7),
    (r"\mathbf{u}^2", "a power of a vector is ambiguous: write x^T x", 15),
    ("w!", "factorials are not supported", 6),
    ("w'", "a prime ' may only follow a declared function", 5),
    ("|w| |b|", "a bare '|' is not supported", 5),
    ("w = b", "one expression, not a relation", 7),
    ("1 2", "two numbers side by side", 7),
    ("w_1_2", "double subscript", 8),
    (r"\sum_{w=1}^{N} w", "'w' is not a declared index", 11),
    (r"\frac{\partial^2 w}{\partial w}", "the orders do not add up: 2 on top, 1 below", 25),
    (r"\frac{d^{1.5}}{dw^{1.5}} w", "the order of a derivative is a whole number", 12),
    ("f''''(w, b)", "at most 3 primes", 5),
    (r"\sigma^2(w)", "a power of a function is ambiguous", 11),
    ("", "empty expression", 5),
    ("w +", "ends too early", 8),
    ("d", "undeclared name 'd'", 5),
    ("9^{9^{9}}", "too large", 6),
    ("1" * 101, "number too long", 5),
    ("(" * 101 + "w" + ")" * 101, "nested too deeply", 105),
    ("w" * 20_001, "too long", 5),
    ("w \\\\ b", "line break", 7),
    ("w ¤", "unexpected character", 7),
    (r"\frac0.5", "put braces around the decimal argument", 10),
    ("w^0.5", "put braces around the decimal argument", 7),
    ("w^23", "'^23' takes only the digit 2 in TeX: write ^{23} or ^{2} 3", 7),
    ("x_12", "write _{12}", 7),
    ("w()", "empty brackets (at ')')", 7),
    (r"\frac{}{w}", "empty brackets", 11),
    (r"\cdot w", "an operator without a left operand (at '\\cdot')", 5),
    ("(w +)", "an operator without a right operand", 9),
    ("w, b", "a comma outside an argument list", 6),
    (r"\mathbf{u}^T", "the 1×N row is used where a number is needed", 5),
    ("w + θ", "unexpected character 'θ' (write \\theta)", 9),
    ("w − b", "unexpected character '−' (write -)", 7),
    (r"\frac{w}{0}", "divides by zero", 5),
    (r"\log 0 + w", "divides by zero", 5),
    (r"\log_{0} w", "base must be positive and not 1", 5),
    (r"w + \log_{0} w", "base must be positive and not 1", 9),
    (r"\log_{1} w", "base must be positive and not 1", 5),
    ("x_{1/2}", "an index must be an integer", 8),
]


@pytest.mark.parametrize(("latex", "message", "column"), CASES)
def test_error_is_located(latex: str, message: str, column: int) -> None:
    with pytest.raises(InputError) as info:
        read_expr(tex(latex), NOTATION)
    problem = info.value.problem
    assert message in problem.message
    assert (problem.file, problem.line, problem.column) == ("t.toml", 3, column)
    assert "\n" not in problem.one_line()


def test_error_in_a_multiline_string_points_at_its_line() -> None:
    with pytest.raises(InputError) as info:
        read_expr(Tex("w +\n  q", LOC, exact=False), NOTATION)
    assert (info.value.problem.line, info.value.problem.column) == (4, 3)


def test_relation_needs_a_relation() -> None:
    with pytest.raises(InputError, match="expected a relation"):
        read_relation(tex("i"), NOTATION)


def test_numeric_superscript_on_a_superscript_family_is_ambiguous() -> None:
    n = compile_notation(
        Derivation(
            "t",
            "t.toml",
            "t",
            (sym("m", "positive integer"), sym("i", range=("1", "m")), sym("x^i", "real")),
            (),
            (),
        )
    )
    assert str(read_expr(tex("x^{i+1}"), n)) == "x[i + 1]"
    with pytest.raises(InputError, match="ambiguous"):
        read_expr(tex("x^2"), n)
    assert str(read_expr(tex("(x^i)^2"), n)) == "x[i]**2"


VECTORS = compile_notation(
    Derivation(
        "t",
        "t.toml",
        "t",
        (
            sym("p", "positive integer"),
            sym("q", "positive integer"),
            sym("j", range=("0", "p")),
            sym("k", range=("1", "q")),
            sym(r"\theta_j", "real"),
            sym(r"\theta", components=r"\theta_j"),
            sym("v_k", "real"),
            sym("v", components="v_k"),
            sym("b", "real"),
        ),
        (FunctionDecl(r"h_\theta", LOC, ("u",), tex(r"\frac{1}{1+e^{-\theta^T u}}"), ("u",)),),
        (),
    )
)


@pytest.mark.parametrize(
    ("latex", "message"),
    [
        (r"h_\theta(b)", "h_\\theta takes a vector for u"),
        (r"h_\theta'(\theta)", "derivative h_\\theta' of a function of a vector"),
        (r"\theta^T v", "the product (1×(p + 1))(q×1) cannot be formed"),
        (r"\sum_j \theta", "column is used where a number is needed"),
        (r"\frac{\partial b}{\partial \theta}", "column is used where a number is needed"),
        (r"\theta^T", "the 1×(p + 1) row is used where a number is needed"),
        (r"\theta \cdot b", "used where a number is needed"),
    ],
)
def test_vector_misuse_is_refused(latex: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        read_expr(tex(latex), VECTORS)
    assert message in info.value.problem.message
