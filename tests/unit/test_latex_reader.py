"""The reader on every construct of issue 3 and seeds 000-004: (latex, expected SymPy) tables."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sympy
from declare import fn, notation, sym, tex
from sympy import Derivative, Dummy, E, Indexed, Product, Rational, Subs, Sum, Symbol, exp, log, sqrt

from verifier.latex import read_expr, read_relation


def undummy(e: sympy.Basic) -> sympy.Basic:
    """Dummies become Symbols of the same name and assumptions, so that expected trees can be written."""
    return e.xreplace({d: Symbol(d.name, **d.assumptions0) for d in e.atoms(Dummy)})


# Seed 000: one sigmoid neuron, N samples.
BCE = notation(
    sym("w", "real"),
    sym("b", "real"),
    sym("N", "positive integer"),
    sym("i", range=("1", "N")),
    sym("x_i", "real"),
    sym("y_i", "binary"),
    sym("z_i", define="w x_i + b"),
    sym(r"\hat{y}_i", define=r"\sigma(z_i)"),
    sym("L_i", define=r"-\Big[ y_i \log \hat{y}_i + (1-y_i)\log (1-\hat{y}_i) \Big]"),
    sym("L", define=r"\frac{1}{N} \sum_{i=1}^{N} L_i"),
    sym(r"\eta", "positive"),
    sym("A", "real"),
    sym("a", "real"),
    sym("w_0", "real"),
    sym("Loss", "real"),
    fn(r"\sigma", ["t"], r"\frac{1}{1+e^{-t}}"),
    fn("f", ["u"]),
    fn("g", ["u", "v"]),
)
w, b, N, eta, A, a = (BCE.symbols[k] for k in ("w", "b", "N", r"\eta", "A", "a"))
w0, Loss, L = BCE.symbols["w_0"], BCE.symbols["Loss"], BCE.symbols["L"]
i = BCE.symbols["i"]
x, y, z, yh, Li = (BCE.families[k].base for k in ("x_i", "y_i", "z_i", r"\hat{y}_i", "L_i"))
sigma, f, g = (BCE.functions[k].head for k in (r"\sigma", "f", "g"))
d = Symbol("d")


def sig_prime(u: sympy.Expr) -> sympy.Expr:
    return Subs(Derivative(sigma(d), d), d, u)


BCE_CASES: list[tuple[str, sympy.Basic]] = [
    # names, families, decorations
    ("w", w),
    (r"\eta", eta),
    ("x_i", x[i]),
    ("x_{i}", x[i]),
    ("x_{i+1}", x[i + 1]),
    ("x_{N}", x[N]),
    ("{x}_{i}", x[i]),
    (r"\hat{y}_i", yh[i]),
    (r"\hat y_i", yh[i]),
    (r"{\hat{y}}_{i}", yh[i]),
    (r"\hat{y_i}", yh[i]),
    (r"\hat{y_i}^2", yh[i] ** 2),
    ("w_0", w0),
    ("w_{0}", w0),
    (r"w\_0", w0),
    ("Loss", Loss),
    ("Loss w", Loss * w),
    ("L + L_i", L + Li[i]),
    ("A + a", A + a),
    # arithmetic and implicit multiplication
    ("w x_i + b", w * x[i] + b),
    ("2w", 2 * w),
    ("w - b - a", w - b - a),
    ("-w^2", -(w**2)),
    ("x_i^2", x[i] ** 2),
    ("(x_i)^2", x[i] ** 2),
    ("w^{b+1}", w ** (b + 1)),
    (r"w \cdot b", w * b),
    (r"w \times b", w * b),
    ("w / b", w / b),
    ("w * b", w * b),
    ("0.25 w", Rational(1, 4) * w),
    # fractions, roots, logs, exponentials
    (r"\frac{w}{b}", w / b),
    (r"\dfrac{w}{b}", w / b),
    (r"\tfrac{w}{b}", w / b),
    (r"\frac12", Rational(1, 2)),
    (r"\frac1b", 1 / b),
    (r"\sqrt{w}", sqrt(w)),
    (r"\sqrt[3]{w}", sympy.real_root(w, 3)),  # the real root: ∛−8 = −2
    (r"\log w", log(w)),
    (r"\ln w", log(w)),
    (r"\log_{2} w", log(w, 2)),
    (r"\log_2 w", log(w, 2)),
    (r"\log (1-w)", log(1 - w)),
    (r"\log \hat{y}_i", log(yh[i])),
    (r"\log e^{w}", log(exp(w))),
    (r"\log{\left(w \right)}", log(w)),
    ("e^{-w}", exp(-w)),
    ("e", E),
    (r"\exp(w)", exp(w)),
    # delimiters and spacing
    (r"\left( w + b \right) a", (w + b) * a),
    (r"\Big[ w \Big]", w),
    (r"\bigl( w \bigr)", w),
    (r"\Bigg[ w \Biggr]", w),
    (r"\{ w + b \} a", (w + b) * a),
    (r"w \, b \; a \! \quad", w * b * a),
    (r"\boxed{w}", w),
    # functions
    (r"\sigma(z_i)", sigma(z[i])),
    (r"\sigma(2z_i)", sigma(2 * z[i])),
    (r"\sigma(z_i)(1-\sigma(z_i))", sigma(z[i]) * (1 - sigma(z[i]))),
    ("g(w, b)", g(w, b)),
    (r"\sigma^{\prime}(z_i)", sig_prime(z[i])),
    (r"\sigma'(z_i)", sig_prime(z[i])),
    ("f'(w)", Subs(Derivative(f(d), d), d, w)),
    # sums and products, with printed precedence
    (r"\sum_{i=1}^{N} L_i", Sum(Li[i], (i, 1, N))),
    (r"\sum_{i=1}^N L_i", Sum(Li[i], (i, 1, N))),
    (r"\sum^{N}_{i=1} L_i", Sum(Li[i], (i, 1, N))),
    (r"\sum_i x_i", Sum(x[i], (i, 1, N))),
    (r"\sum_{i} x_i", Sum(x[i], (i, 1, N))),
    (r"\sum_{i}^{3} x_i", Sum(x[i], (i, 1, 3))),
    (r"\sum_i x_i + b", Sum(x[i], (i, 1, N)) + b),
    (r"\sum_i x_i y_i - b", Sum(x[i] * y[i], (i, 1, N)) - b),
    (r"\sum_i x_i \cdot w + b", Sum(x[i] * w, (i, 1, N)) + b),
    (r"a / \sum_i x_i + b", a / Sum(x[i], (i, 1, N)) + b),
    ("w / b / a", w / b / a),
    (r"\frac{1}{N} \sum_{i=1}^N x_i", Sum(x[i], (i, 1, N)) / N),
    (r"\prod_{i=1}^{N} x_i", Product(x[i], (i, 1, N))),
    # derivatives stay unevaluated
    (r"\frac{\partial L_i}{\partial w}", Derivative(Li[i], w, evaluate=False)),
    (r"\frac{\partial L}{\partial w}", Derivative(L, w, evaluate=False)),
    (r"\frac{\partial L_i}{\partial \hat{y}_i}", Derivative(Li[i], yh[i], evaluate=False)),
    (r"\frac{\partial}{\partial w} L_i", Derivative(Li[i], w, evaluate=False)),
    (r"\frac{\partial}{\partial w} x_i w + b", Derivative(x[i] * w, w, evaluate=False) + b),
    (r"\frac{dL}{dw}", Derivative(L, w, evaluate=False)),
    (r"\frac{\mathrm{d}L}{\mathrm{d}w}", Derivative(L, w, evaluate=False)),
    (r"\frac{\mathrm{d}}{\mathrm{d}w} L", Derivative(L, w, evaluate=False)),
    (r"\frac{d}{dw} \ln(w)", Derivative(log(w), w, evaluate=False)),
    (r"\frac{d\sigma(w)}{dw}", Derivative(sigma(w), w, evaluate=False)),
    (r"\frac{\partial z_i}{\partial x_i}", Derivative(z[i], x[i], evaluate=False)),
    # seed 000, whole steps
    (
        r"\frac{\partial L_i}{\partial \hat{y}_i} \frac{\partial \hat{y}_i}{\partial z_i} "
        r"\frac{\partial z_i}{\partial w}",
        Derivative(Li[i], yh[i], evaluate=False)
        * Derivative(yh[i], z[i], evaluate=False)
        * Derivative(z[i], w, evaluate=False),
    ),
    (
        r"-(\frac{y_i}{\hat{y}_i} - \frac{1-y_i}{1-\hat{y}_i}) \sigma^{\prime}(z_i) x_i",
        -((y[i] / yh[i] - (1 - y[i]) / (1 - yh[i])) * sig_prime(z[i]) * x[i]),
    ),
    (r"-[y_i(1-\hat{y}_i) - \hat{y}_i(1-y_i)]x_i", -((y[i] * (1 - yh[i]) - yh[i] * (1 - y[i])) * x[i])),
    (r"(\hat{y}_i - y_i) x_i", (yh[i] - y[i]) * x[i]),
    (
        r"w - \eta (\frac{1}{N} \sum_{i=1}^N \frac{\partial L_i}{\partial w})",
        w - eta * (Sum(Derivative(Li[i], w, evaluate=False), (i, 1, N)) / N),
    ),
]


@pytest.mark.parametrize(("latex", "expected"), BCE_CASES)
def test_reads_seed_000_notation(latex: str, expected: sympy.Basic) -> None:
    assert undummy(read_expr(tex(latex), BCE)) == undummy(expected)


# Seeds 001-003: vectors, samples as superscripts, a function of a vector.
LR = notation(
    sym("m", "positive integer"),
    sym("p", "positive integer"),
    sym("n", "positive integer"),
    sym("i", range=("1", "m")),
    sym("j", range=("0", "p")),
    sym(r"\theta_j", "real"),
    sym(r"\theta", components=r"\theta_j"),
    sym("x^{(i)}_j", "real"),
    sym("x^{(i)}", components="x^{(i)}_j"),
    sym("y^{(i)}", "binary"),
    sym("w_j", "real"),
    sym(r"\mathbf{w}", components="w_j"),
    sym("x_j", "real"),
    sym(r"\mathbf{x}", components="x_j"),
    sym("b", "real"),
    sym("y", "binary"),
    sym(
        r"J(\theta)",
        define=r"-\frac{1}{m}\sum_{i=1}^{m}\left[y^{(i)}\log(h_\theta(x^{(i)}))"
        r"+(1-y^{(i)})\log(1-h_\theta(x^{(i)}))\right]",
    ),
    sym(
        "L_{CE}",
        define=r"-[y \log \sigma(\mathbf{w} \cdot \mathbf{x} + b)"
        r" + (1 - y)\log(1 - \sigma(\mathbf{w} \cdot \mathbf{x} + b))]",
    ),
    fn(r"\sigma", ["t"], r"\frac{1}{1+e^{-t}}"),
    fn(r"h_\theta", ["u"], r"\frac{1}{1+e^{-\theta^T u}}", ("u",)),
)
m, p = LR.symbols["m"], LR.symbols["p"]
ii, j = LR.symbols["i"], LR.symbols["j"]
th, X, Y = (LR.families[k].base for k in (r"\theta_j", "x^{(i)}_j", "y^{(i)}"))
W, XV = LR.families["w_j"].base, LR.families["x_j"].base
bb, yy, J, LCE = (LR.symbols[k] for k in ("b", "y", r"J(\theta)", "L_{CE}"))
sig = LR.functions[r"\sigma"].head
k = Symbol("k", integer=True)
TX = Sum(th[k] * X[ii, k], (k, 0, p))  # θ^T x^{(i)}
WX = Sum(W[k] * XV[k], (k, 0, p))  # w · x


def h(u: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + exp(-u))


LR_CASES: list[tuple[str, sympy.Basic]] = [
    ("x^{(i)}_j", X[ii, j]),
    ("x_j^{(i)}", X[ii, j]),
    ("x^{(i+1)}_{j}", X[ii + 1, j]),
    (r"\theta_j", th[j]),
    (r"\theta_{0}", th[0]),
    (r"\theta^T x^{(i)}", TX),
    (r"\theta^{T} x^{(i)}", TX),
    (r"\theta^Tx^{(i)}", TX),
    (r"\theta^\top x^{(i)}", TX),
    (r"\theta^{\top} x^{(i)}", TX),
    (r"y^{(i)}\theta^T x^{(i)}", Y[ii] * TX),
    (r"\mathbf{w} \cdot \mathbf{x}", WX),
    (r"\sigma(\mathbf{w} \cdot \mathbf{x} + b)", sig(WX + bb)),
    (r"h_\theta(x^{(i)})", h(TX)),
    (r"h_{\theta}(x^{(i)})", h(TX)),
    (r"(h_\theta(x^{(i)})-y^{(i)})x_j^{(i)}", (h(TX) - Y[ii]) * X[ii, j]),
    (r"\log(1+e^{\theta^T x^{(i)}})", log(1 + exp(TX))),
    (r"-\theta^T x^{(i)}", -TX),
    (r"J(\theta)", J),
    (r"L_{CE}", LCE),
    (r"\frac{\partial}{\partial\theta_{j}}J(\theta)", Derivative(J, th[j], evaluate=False)),
    (r"\frac{\partial J(\theta)}{\partial \theta_j}", Derivative(J, th[j], evaluate=False)),
    (r"\frac{\partial L_{CE}}{\partial w_j}", Derivative(LCE, W[j], evaluate=False)),
    (
        r"\frac{\partial (\mathbf{w} \cdot \mathbf{x} + b)}{\partial w_j}",
        Derivative(WX + bb, W[j], evaluate=False),
    ),
    (
        r"\frac{1}{m}\sum_{i=1}^{m}(h_\theta(x^{(i)})-y^{(i)})x_j^{(i)}",
        Sum((h(TX) - Y[ii]) * X[ii, j], (ii, 1, m)) / m,
    ),
    (
        r"\frac{x^{(i)}_je^{\theta^T x^{(i)}}}{1+e^{\theta^T x^{(i)}}}",
        X[ii, j] * exp(TX) / (1 + exp(TX)),
    ),
]


@pytest.mark.parametrize(("latex", "expected"), LR_CASES)
def test_reads_vector_notation(latex: str, expected: sympy.Basic) -> None:
    assert undummy(read_expr(tex(latex), LR)) == undummy(expected)


# Seed 004 (blog escapes, softmax), with the library's \ln/\exp in place of the blog's bare words.
SM = notation(
    sym("n", "positive integer"),
    sym("i", range=("1", "n")),
    sym("j", range=("1", "n")),
    sym("k", range=("1", "n")),
    sym("x_i", "real"),
    sym("z_j", "real"),
    sym("y_i", "binary"),
    sym("w_{ij}", "real"),
    sym("a_i", define=r"\frac{e^{z_i}}{\sum_{k=1}^{n} e^{z_k}}"),
    sym("Loss", define=r"-\sum_{i}^{n} y_i \ln a_i"),
    fn("softmax", ["t"]),
)
n4 = SM.symbols["n"]
i4, j4, k4 = (SM.symbols[s] for s in "ijk")
x4, z4, y4, w4, a4 = (SM.families[s].base for s in ("x_i", "z_j", "y_i", "w_{ij}", "a_i"))
Loss4 = SM.symbols["Loss"]

SM_EXPR_CASES: list[tuple[str, sympy.Basic]] = [
    (r"\sum\_{i=1}^{n}\,x\_i\,w\_{ij}", Sum(x4[i4] * w4[i4, j4], (i4, 1, n4))),
    (r"w_{i,j}", w4[i4, j4]),
    (r"w_{ji}", w4[j4, i4]),
    (r"w_{i+1,j}", w4[i4 + 1, j4]),
    (r"\frac{\partial\,Loss}{\partial\,z\_{j}}", Derivative(Loss4, z4[j4], evaluate=False)),
    (r"-\,a\_i\,a\_j", -a4[i4] * a4[j4]),
    (r"a\_j\,(1\,-\,a\_j)", a4[j4] * (1 - a4[j4])),
    (r"\frac{e^{z\_j}}{\sum\_{k=1}^{n}\,e^{z\_k}}", exp(z4[j4]) / Sum(exp(z4[k4]), (k4, 1, n4))),
    (r"(\sum\_{k=1}^{n}\,e^{z\_k})^2", Sum(exp(z4[k4]), (k4, 1, n4)) ** 2),
    (r"-\sum\_{i}^{n}\,y\_{i}\,\ln\,a\_{i}", -Sum(y4[i4] * log(a4[i4]), (i4, 1, n4))),
    (r"softmax(x\_i)", SM.functions["softmax"].head(x4[i4])),
]


@pytest.mark.parametrize(("latex", "expected"), SM_EXPR_CASES)
def test_reads_seed_004_escapes(latex: str, expected: sympy.Basic) -> None:
    assert read_expr(tex(latex), SM) == expected


RELATIONS: list[tuple[str, Callable[[], sympy.Basic]]] = [
    ("i = j", lambda: sympy.Eq(i4, j4, evaluate=False)),
    (r"i \neq j", lambda: sympy.Ne(i4, j4, evaluate=False)),
    (r"i \ne j", lambda: sympy.Ne(i4, j4, evaluate=False)),
    (r"i \leq n", lambda: sympy.Le(i4, n4, evaluate=False)),
    ("i < n", lambda: sympy.Lt(i4, n4, evaluate=False)),
    (r"\sum_{k=1}^{n} y_k = 1", lambda: sympy.Eq(Sum(y4[k4], (k4, 1, n4)), 1, evaluate=False)),
]


@pytest.mark.parametrize(("latex", "expected"), RELATIONS)
def test_reads_relations(latex: str, expected: Callable[[], sympy.Basic]) -> None:
    assert read_relation(tex(latex), SM) == expected()


# The misreadings other converters make: each must not happen here.
def test_sample_superscript_is_never_a_power() -> None:
    e = read_expr(tex("x^{(i)}_j"), LR)
    assert isinstance(e, Indexed) and not e.atoms(sympy.Pow)


def test_log_is_natural() -> None:
    e = read_expr(tex(r"\log w"), BCE)
    assert e.subs(w, E) == 1


def test_transpose_is_not_dropped() -> None:
    e = read_expr(tex(r"\theta^T x^{(i)}"), LR)
    assert e.has(th) and e.has(X)


def test_function_application_is_not_a_product() -> None:
    e = read_expr(tex(r"\sigma(2z_i)"), BCE)
    assert isinstance(e, sympy.core.function.AppliedUndef) and e.args == (2 * z[i],)


def test_partial_derivative_is_not_evaluated_to_zero() -> None:
    e = read_expr(tex(r"\frac{\partial L}{\partial w}"), BCE)
    assert isinstance(e, Derivative) and e != 0


def test_case_is_kept() -> None:
    assert read_expr(tex("A + a"), BCE) != 2 * a


def test_sum_takes_only_its_product() -> None:
    assert read_expr(tex(r"\sum_i x_i + b"), BCE) == Sum(x[i], (i, 1, N)) + b


def test_declared_e_is_a_name_not_euler() -> None:
    n = notation(sym("e", "real"), sym("w", "real"))
    assert read_expr(tex("e^{w}"), n) == n.symbols["e"] ** n.symbols["w"]


def test_family_and_plain_symbol_sharing_a_letter_stay_apart() -> None:
    e = read_expr(tex("L + L_i"), BCE)
    assert e.xreplace({L: 0}) == Li[i]


def test_longest_declared_word_wins() -> None:
    n = notation(sym("L", "real"), sym("o", "real"), sym("s", "real"), sym("Loss", "real"))
    assert read_expr(tex("Loss"), n) == n.symbols["Loss"]
    assert read_expr(tex("Los"), n) == n.symbols["L"] * n.symbols["o"] * n.symbols["s"]
