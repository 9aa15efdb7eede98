"""Issue 14: the notation real ML write-ups use, each construct as (LaTeX, the expression it must become),
and the refusals around it as located, helpful messages."""

from __future__ import annotations

import pytest
import sympy
from declare import fn, notation, sym, tex
from sympy import E, Max, Min, Rational, acos, asin, atan, cos, cosh, cot, coth, csc, exp, pi, sec, sin, sinh, tan, tanh

from verifier.errors import InputError
from verifier.latex import read_expr

N = notation(
    sym("a", "real"),
    sym("b", "real"),
    sym("c", "real"),
    sym("x", "real"),
    sym(r"\mu", "real"),
    sym(r"\sigma", "positive"),
    fn("softmax", ["t"]),
    fn("g", ["t"]),
)
a, b, c, x, mu, s = (N.symbols[k] for k in ("a", "b", "c", "x", r"\mu", r"\sigma"))
softmax, g = N.functions["softmax"].head, N.functions["g"].head

CASES: list[tuple[str, sympy.Expr]] = [
    # trigonometric, hyperbolic and inverse functions take their argument as \log does
    (r"\sin x", sin(x)),
    (r"\cos(x)", cos(x)),
    (r"\tan x", tan(x)),
    (r"\sec x + \csc x + \cot x", sec(x) + csc(x) + cot(x)),
    (r"\arcsin x + \arccos x + \arctan x", asin(x) + acos(x) + atan(x)),
    (r"\sinh x \cosh x", sinh(x) * cosh(x)),
    (r"\tanh(a x + b)", tanh(a * x + b)),
    (r"\coth x", coth(x)),
    (r"\sin^2 x + \cos^2 x", sin(x) ** 2 + cos(x) ** 2),
    (r"\sin^{2}{\left(x \right)}", sin(x) ** 2),  # SymPy's own print
    (r"1 - \tanh^2(x)", 1 - tanh(x) ** 2),
    (r"\sin x^2", sin(x**2)),  # a bare argument takes its power along, as \log x^2
    (r"\sin(x)^2", sin(x) ** 2),
    (r"\log \cos x", sympy.log(cos(x))),
    # constants
    (r"\pi", pi),
    (r"2\pi \sigma^2", 2 * pi * s**2),
    (r"\mathrm{e}^{x}", exp(x)),
    (r"\mathrm{e}", E),
    (
        r"-\frac{1}{2}\log(2\pi\sigma^2) - \frac{(x-\mu)^2}{2\sigma^2}",
        -sympy.log(2 * pi * s**2) / 2 - (x - mu) ** 2 / (2 * s**2),
    ),
    # \max, \min
    (r"\max(a, b)", Max(a, b)),
    (r"\min(a, b, c)", Min(a, b, c)),
    (r"\max(0, x)", Max(0, x)),
    # declared functions under \operatorname
    (r"\operatorname{softmax}(x)", softmax(x)),
    (r"\operatorname{g}(x) + g(a)", g(x) + g(a)),
    # arithmetic spellings
    (r"a \div b", a / b),
    (r"\cfrac{a}{b}", a / b),
    (r".5 x", Rational(1, 2) * x),
    (r"x + .25", x + Rational(1, 4)),
    (r"a \thinspace b \medspace c \thickspace x", a * b * c * x),
    (r"a \negthinspace b \negmedspace c \negthickspace x \enspace", a * b * c * x),
]


@pytest.mark.parametrize(("latex", "expected"), CASES)
def test_reads(latex: str, expected: sympy.Expr) -> None:
    assert read_expr(tex(latex), N) == expected


def test_a_declared_function_shadows_the_built_in() -> None:
    n = notation(sym("x", "real"), fn(r"\tanh", ["t"], r"\frac{e^{t}-e^{-t}}{e^{t}+e^{-t}}"), sym(r"\pi", "positive"))
    got = read_expr(tex(r"\tanh(x)"), n)
    assert isinstance(got, sympy.core.function.AppliedUndef)
    assert read_expr(tex(r"\pi"), n) == n.symbols[r"\pi"]


# (latex, a fragment of the message, column in the file: the string starts at column 5)
REFUSED: list[tuple[str, str, int]] = [
    (r"\sin x y", "'\\sin x y' is ambiguous", 5),
    (r"\tanh^2 x y", "ambiguous", 5),
    (r"\sin^{-1} x", "the inverse function, or 1 over \\sin", 9),
    (r"\max(a)", "\\max takes at least two arguments", 5),
    ("sin x", "did you mean \\sin?", 5),
    ("tanh(x)", "did you mean \\tanh?", 5),
    (r"\operatorname{relu}(x)", "undeclared name '\\operatorname{relu}'", 5),
    (r"\operatorname{1}", "\\operatorname takes a name of letters", 5),
    (r"\theta_0 + \theta_1 x + \dots + a", "write the pattern as a sum, e.g. \\sum_{j=0}^{n}", 29),
    (r"a + \cdots", "'\\cdots' is not read", 9),
    (r"a (**)", "'(**)' looks like an equation label", 7),
    (r"\begin{vmatrix} a \\ b \end{vmatrix}", "the environment \\begin{vmatrix} is not read", 5),
    (r"P(a|b)", "a conditioning bar belongs inside the call of a function declared with", 8),
]


@pytest.mark.parametrize(("latex", "message", "column"), REFUSED)
def test_refused_with_a_located_message(latex: str, message: str, column: int) -> None:
    n = notation(
        *[sym(k, "real") for k in ("a", "b", "x", "y", "P")], sym("j", range=("0", "2")), sym(r"\theta_j", "real")
    )
    with pytest.raises(InputError) as info:
        read_expr(tex(latex), n)
    assert message in info.value.problem.message
    assert info.value.problem.column == column


D = notation(
    sym("w", "real"),
    sym("b", "real"),
    sym("x", "real"),
    sym("L", define="w^2 b"),
    fn("f", ["t"]),
    fn(r"\sigma", ["t"], r"\frac{1}{1+e^{-t}}"),
)
w, b2, x2, L = (D.symbols[k] for k in ("w", "b", "x", "L"))
f, sigma = D.functions["f"].head, D.functions[r"\sigma"].head
d = sympy.Symbol("d")

DERIVATIVES: list[tuple[str, sympy.Expr]] = [
    (r"\frac{d^2}{dx^2} f(x)", sympy.Derivative(f(x2), (x2, 2), evaluate=False)),
    (r"\frac{d^{2}}{dx^{2}} f(x)", sympy.Derivative(f(x2), (x2, 2), evaluate=False)),
    (r"\frac{\mathrm{d}^2 f(x)}{\mathrm{d} x^2}", sympy.Derivative(f(x2), (x2, 2), evaluate=False)),
    (r"\frac{\partial^2 L}{\partial w^2}", sympy.Derivative(L, (w, 2), evaluate=False)),
    # ∂²L/∂w∂b = ∂/∂w (∂L/∂b): the variable written last is taken first
    (r"\frac{\partial^2 L}{\partial w \partial b}", sympy.Derivative(L, b2, w, evaluate=False)),
    (r"\frac{\partial^2}{\partial w^2} L + b", sympy.Derivative(L, (w, 2), evaluate=False) + b2),
    ("f''(x)", sympy.Subs(sympy.Derivative(f(d), (d, 2)), d, x2)),
    (r"\sigma^{\prime\prime}(x)", sympy.Subs(sympy.Derivative(sigma(d), (d, 2)), d, x2)),
    ("f'''(x)", sympy.Subs(sympy.Derivative(f(d), (d, 3)), d, x2)),
]


def _undummy(e: sympy.Basic) -> sympy.Basic:
    return e.xreplace({v: sympy.Symbol(v.name, **v.assumptions0) for v in e.atoms(sympy.Dummy)})


@pytest.mark.parametrize(("latex", "expected"), DERIVATIVES)
def test_reads_higher_derivatives(latex: str, expected: sympy.Expr) -> None:
    assert _undummy(read_expr(tex(latex), D)) == _undummy(expected)


B = notation(
    sym("a", "real"),
    sym("b", "real"),
    sym("N", "positive integer"),
    sym("i", range=("1", "N")),
    sym("x_i", "real"),
    sym("y_i", "binary"),
)
a3, b3, N3, i3 = (B.symbols[k] for k in ("a", "b", "N", "i"))
x3, y3 = B.families["x_i"].base, B.families["y_i"].base

BARS_AND_OPERATORS: list[tuple[str, sympy.Expr]] = [
    ("|a - 2|", sympy.Abs(a3 - 2)),
    ("b|a + 2|", b3 * sympy.Abs(a3 + 2)),
    (r"\lvert a \rvert", sympy.Abs(a3)),
    (r"\left| a \right|", sympy.Abs(a3)),
    (r"\log \sum_{i=1}^{N} x_i", sympy.log(sympy.Sum(x3[i3], (i3, 1, N3)))),
    (r"\log \sum_i x_i + 1", sympy.log(sympy.Sum(x3[i3], (i3, 1, N3))) + 1),
    (r"\log \prod_i x_i a", sympy.log(sympy.Product(x3[i3] * a3, (i3, 1, N3)))),
    (r"b \ln \prod_i x_i", b3 * sympy.log(sympy.Product(x3[i3], (i3, 1, N3)))),
    (r"\mathbb{1}\{a = 1\}", sympy.Piecewise((1, sympy.Eq(a3, 1)), (0, True))),
    (
        r"\sum_i \mathbb{1}\{y_i = 1\}",
        sympy.Sum(sympy.Piecewise((1, sympy.Eq(y3[i3], 1)), (0, True)), (i3, 1, N3)),
    ),
]


@pytest.mark.parametrize(("latex", "expected"), BARS_AND_OPERATORS)
def test_reads_bars_log_of_big_operators_and_indicators(latex: str, expected: sympy.Expr) -> None:
    assert read_expr(tex(latex), B) == expected


@pytest.mark.parametrize(
    ("latex", "message", "column"),
    [
        ("|a|b|a|", "a bare '|' is not supported here", 5),
        ("|a| + |b|", "a bare '|' is not supported here", 5),
        ("(a | b)", "conditioning bar", 8),
        (r"\mathbb{1}\{a\}", "expected '='", 18),
    ],
)
def test_bars_that_do_not_pair_are_refused(latex: str, message: str, column: int) -> None:
    with pytest.raises(InputError) as info:
        read_expr(tex(latex), B)
    assert message in info.value.problem.message
    assert info.value.problem.column == column


G = notation(
    sym("r", "unit"),
    sym("N", "positive integer"),
    sym("p", "positive integer"),
    sym("j", range=("0", "p")),
    sym("x_j", "real"),
)
r, NG = G.symbols["r"], G.symbols["N"]
k, ell = sympy.Symbol("k", integer=True), sympy.Symbol(r"\ell", integer=True)

BOUND: list[tuple[str, sympy.Expr]] = [
    (r"\sum_{k=1}^{N} r^k", sympy.Sum(r**k, (k, 1, NG))),
    (r"\sum^{N}_{k=0} r^k", sympy.Sum(r**k, (k, 0, NG))),
    (r"\prod_{k=1}^{N} (1 + r^k)", sympy.Product(1 + r**k, (k, 1, NG))),
    (r"\sum_{\ell=1}^{N} \ell r", sympy.Sum(ell * r, (ell, 1, NG))),
    (r"\sum_{k=0}^{p} x_k", sympy.Sum(G.families["x_j"].base[k], (k, 0, G.symbols["p"]))),
]


@pytest.mark.parametrize(("latex", "expected"), BOUND)
def test_an_undeclared_summation_index_is_bound_where_it_is_written(latex: str, expected: sympy.Expr) -> None:
    assert read_expr(tex(latex), G) == expected


@pytest.mark.parametrize(
    ("latex", "message", "column"),
    [
        (r"\sum_{k} r^k", "needs both limits written", 11),
        (r"\sum_{k=1} r^k", "needs both limits written", 11),
        (r"k + \sum_{k=1}^{N} r^k", "'k' is bound by this sum (it is not declared) but is also used outside it", 15),
        (r"\sum_{k=0}^{\infty} k", "this series diverges", 17),  # summed when read: tests/unit/test_latex_series.py
    ],
)
def test_bound_index_misuse_is_refused(latex: str, message: str, column: int) -> None:
    with pytest.raises(InputError) as info:
        read_expr(tex(latex), G)
    assert message in info.value.problem.message
    assert info.value.problem.column == column
