"""Conditionals (issue 14): a function declared with `given` and `parameters` is written P(y \\mid x; \\theta);
each reading is (LaTeX, the expression it must become), each refusal a located message."""

from __future__ import annotations

import pytest
import sympy
from declare import fn, notation, sym, tex

from verifier.errors import InputError
from verifier.latex import compile_notation, read_expr
from verifier.loader import loads

N = notation(
    sym("x", "real"),
    sym("y", "binary"),
    sym("a", "real"),
    sym(r"\theta", "real"),
    sym(r"\hat{y}", "binary"),
    sym("m", "positive integer"),
    sym("i", range=("1", "m")),
    sym("x_i", "real"),
    sym("y_i", "binary"),
    fn("P", ["v", "u", "t"], given=("u",), parameters=("t",)),
    fn("p", ["v", "u"], given=("u",)),
    fn("L", ["v", "t"], parameters=("t",)),
    fn(r"\pi", ["v", "u"], given=("u",)),
    fn("h", ["s"]),
    fn("Q", ["v", "u"], r"h(u)^v (1 - h(u))^{1-v}", given=("u",)),
)
x, y, a, th, yh = (N.symbols[k] for k in ("x", "y", "a", r"\theta", r"\hat{y}"))
P, p, L, pi_, Q = (N.functions[k].head for k in ("P", "p", "L", r"\pi", "Q"))
i = N.symbols["i"]
xi, yi = N.families["x_i"].base[i], N.families["y_i"].base[i]

READ: list[tuple[str, sympy.Expr]] = [
    (r"P(y \mid x; \theta)", P(y, x, th)),
    (r"P(y | x; \theta)", P(y, x, th)),  # a bare bar inside the call is the conditioning bar
    (r"P(y|x;\theta)", P(y, x, th)),
    (r"P(y \vert x; \theta)", P(y, x, th)),
    (r"P(y = 1 \mid x; \theta)", P(1, x, th)),  # an event: the outcome's value is the argument
    (r"P(\hat{y} = 0 | x; \theta)", P(0, x, th)),
    (r"p(\hat{y} \mid x)", p(yh, x)),
    (r"p(y_i \mid x_i)", p(yi, xi)),
    (r"p(1 - y \mid a x)", p(1 - y, a * x)),
    (r"L(y; \theta)", L(y, th)),
    (r"\pi(y | x)", pi_(y, x)),
    (r"\log P(y = 1 \mid x; \theta)", sympy.log(P(1, x, th))),
    (r"\prod_{i=1}^{m} p(y_i | x_i)", sympy.Product(p(yi, xi), (i, 1, N.symbols["m"]))),
    (r"P(y \mid x; \theta) P(y \mid a; \theta)", P(y, x, th) * P(y, a, th)),
    (r"Q(y = 1 | x)", Q(1, x)),  # kept folded, as any declared function; unfolded by the checker
]


@pytest.mark.parametrize(("latex", "expected"), READ)
def test_conditionals_read(latex: str, expected: sympy.Expr) -> None:
    assert read_expr(tex(latex), N) == expected


def test_a_defined_conditional_unfolds_to_its_body() -> None:
    spec = N.functions["Q"]
    assert spec.body is not None and spec.form == (1, 1, 0)
    v, u = spec.params
    h = N.functions["h"].head
    assert spec.body == h(u) ** v * (1 - h(u)) ** (1 - v)


REFUSED: list[tuple[str, str, int]] = [
    (r"P(y \mid x)", "P is declared as a conditional written P(· \\mid ·; ·); this call has P(· \\mid ·)", 5),
    (r"P(y; \theta)", "this call has P(·; ·)", 5),
    (r"P(y, a \mid x; \theta)", "this call has P(·, · \\mid ·; ·)", 5),
    (r"P(y \mid x, a; \theta)", "this call has P(· \\mid ·, ·; ·)", 5),
    (r"P(y + a = 1 \mid x; \theta)", "its left side must be one declared name", 7),
    (r"P'(y \mid x; \theta)", "P is a conditional: it takes no prime", 5),
    (r"a \mid x", "a conditioning bar (\\mid) belongs inside the call of a function declared with `given`", 7),
    (r"h(a \mid x)", "a conditioning bar (\\mid) belongs inside", 9),
    (r"a; x", "';' separates the parameters of a conditional", 6),
    (r"h(a | x)", "a bare '|' is not supported here", 9),
    (r"p(y \mid (x | a))", "a bare '|' is not supported here", 17),
    (r"P(y|x;\theta) + |a|", "a bare '|' is not supported here", 21),
    (r"P", "the expression ends too early", 6),
    (r"q(y \mid x)", "undeclared name 'q'", 5),
]


@pytest.mark.parametrize(("latex", "message", "column"), REFUSED)
def test_conditional_misuse_is_refused_where_it_is(latex: str, message: str, column: int) -> None:
    with pytest.raises(InputError) as info:
        read_expr(tex(latex), N)
    assert message in info.value.problem.message
    assert (info.value.problem.file, info.value.problem.line, info.value.problem.column) == ("t.toml", 3, column)


FILE = """title = "t"
[symbols]
y = "binary"
x = "real"
[functions]
{decl}
[[chain]]
steps = ['y', 'y']
"""


@pytest.mark.parametrize(
    ("decl", "message"),
    [
        ('P = { args = ["v", "u"], given = ["w"] }', "`given` must list some of its `args`"),
        ('P = { args = ["v", "u"], parameters = "u" }', "`parameters` must list some of its `args`"),
        ('P = { args = ["u", "v"], given = ["u"] }', "its `args` list first what comes before the bar"),
        ('P = { args = ["u"], given = ["u"] }', "its `args` list first what comes before the bar"),
        ('P = { args = ["v", "u", "t"], given = ["t"], parameters = ["u"] }', "then `given` (after the bar)"),
    ],
)
def test_bad_conditional_declarations(decl: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        compile_notation(loads(FILE.format(decl=decl), "t.toml"))
    assert message in info.value.problem.message
    assert info.value.problem.line == 6


# The indicator declared by name: `I = "indicator"` (seed 002 writes I\{y^{(i)}=1\}); it shadows the identity.
J = notation(
    sym("y", "binary"),
    sym("I", "indicator"),
    sym("m", "positive integer"),
    sym("i", range=("1", "m")),
    sym("y^{(i)}", "binary"),
)
yJ, iJ = J.symbols["y"], J.symbols["i"]
yiJ = J.families["y^{(i)}"].base[iJ]


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"I\{y = 1\}", sympy.Piecewise((1, sympy.Eq(yJ, 1)), (0, True))),
        (r"I\{y^{(i)}=0\}", sympy.Piecewise((1, sympy.Eq(yiJ, 0)), (0, True))),
        (r"2 I\{y = 1\} y", 2 * sympy.Piecewise((1, sympy.Eq(yJ, 1)), (0, True)) * yJ),
        (r"\mathbb{1}\{y = 1\}", sympy.Piecewise((1, sympy.Eq(yJ, 1)), (0, True))),  # the built-in one stays
    ],
)
def test_a_declared_indicator_reads(latex: str, expected: sympy.Expr) -> None:
    assert read_expr(tex(latex), J) == expected


@pytest.mark.parametrize(
    ("latex", "message", "column"),
    [
        ("I", "I is the indicator: write it before a relation in braces", 5),
        ("I y", "I is the indicator", 5),
        ("y + I(y = 1)", "I is the indicator", 9),
        (r"I^2\{y = 1\}", "I is the indicator", 5),
        ("I_m", "undeclared name 'I_m'", 5),  # not the identity: the declaration shadows it
        (r"I\{y\}", "expected '='", 9),
    ],
)
def test_a_declared_indicator_is_refused_elsewhere(latex: str, message: str, column: int) -> None:
    with pytest.raises(InputError) as info:
        read_expr(tex(latex), J)
    assert message in info.value.problem.message
    assert info.value.problem.column == column


INDICATOR_FILE = """title = "t"
[symbols]
y = "binary"
{decl}
[[chain]]
title = "c"
steps = ['y', 'y']
"""


@pytest.mark.parametrize(
    ("decl", "message"),
    [
        ('I = "indicator binary"', "`indicator` declares the indicator I\\{y = 1\\}: it takes no other word"),
        ('I_y = "indicator"', "an indicator is one plain name (I), with no script"),
        ("I = { assume = 'indicator', define = 'y' }", "a defined symbol takes no assumption words"),
        ("I = { assume = 'indicator', range = ['1', '2'] }", "it takes no words"),
        ("I = { assume = 'indicator', components = 'y_j' }", "an indicator is one plain name"),
    ],
)
def test_bad_indicator_declarations(decl: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        compile_notation(loads(INDICATOR_FILE.format(decl=decl), "t.toml"))
    assert message in info.value.problem.message
    assert info.value.problem.line == 4
