"""Hand-built notations in the reader's exact output shape (docs/architecture.md), for checker tests."""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Derivative, Dummy, IndexedBase, Subs, Sum, exp, log

from verifier.notation import Definition, Family, FunctionSpec, IndexRange, Notation


def d(a: sympy.Basic, v: sympy.Basic) -> Derivative:
    """The reader's `\\frac{\\partial a}{\\partial v}`."""
    return Derivative(a, v, evaluate=False)


def prime(head: type[sympy.Function], u: sympy.Expr) -> sympy.Expr:
    """The reader's `f'(u)`."""
    t = Dummy("d")
    return Subs(Derivative(head(t), t), t, u)


@dataclass
class BCE:
    """Seed 000: one sigmoid neuron with binary cross-entropy."""

    notation: Notation
    w: sympy.Symbol
    b: sympy.Symbol
    N: sympy.Symbol
    i: sympy.Symbol
    x: sympy.IndexedBase
    y: sympy.IndexedBase
    z: sympy.IndexedBase
    yhat: sympy.IndexedBase
    Li: sympy.IndexedBase
    L: sympy.Symbol
    sigma: type[sympy.Function]


def bce(opaque_sigma: bool = False) -> BCE:
    w = sympy.Symbol("w", real=True)
    b = sympy.Symbol("b", real=True)
    N = sympy.Symbol("N", positive=True, integer=True)
    i = sympy.Symbol("i", integer=True)
    x = IndexedBase("x", real=True)
    y = IndexedBase("y", integer=True, nonnegative=True)
    z = IndexedBase("z")
    yhat = IndexedBase("yhat")
    Li = IndexedBase("L")
    L = sympy.Symbol("L")
    sigma = sympy.Function("sigma")
    t = sympy.Symbol("t")
    sig_body = None if opaque_sigma else 1 / (1 + exp(-t))
    notation = Notation(
        symbols={"w": w, "b": b, "N": N, "i": i, "L": L},
        families={
            "x_i": Family("x_i", x, (i,), frozenset({"real"})),
            "y_i": Family("y_i", y, (i,), frozenset({"binary"})),
            "z_i": Family("z_i", z, (i,)),
            "\\hat{y}_i": Family("\\hat{y}_i", yhat, (i,)),
            "L_i": Family("L_i", Li, (i,)),
        },
        functions={"\\sigma": FunctionSpec("\\sigma", sigma, (t,), sig_body)},
        indices={i: IndexRange(i, sympy.S.One, N)},
        definitions={
            z: Definition(w * x[i] + b, (i,)),
            yhat: Definition(sigma(z[i]), (i,)),
            Li: Definition(-(y[i] * log(yhat[i]) + (1 - y[i]) * log(1 - yhat[i])), (i,)),
            L: Definition(Sum(Li[i], (i, 1, N)) / N),
        },
        words={w: frozenset({"real"}), b: frozenset({"real"}), N: frozenset({"positive", "integer"})},
    )
    return BCE(notation, w, b, N, i, x, y, z, yhat, Li, L, sigma)


@dataclass
class Softmax:
    """Seed 004: softmax a_j = e^{z_j} / Σ_k e^{z_k} and its cross-entropy loss."""

    notation: Notation
    n: sympy.Symbol
    i: sympy.Symbol
    j: sympy.Symbol
    k: sympy.Symbol
    z: sympy.IndexedBase
    a: sympy.IndexedBase
    y: sympy.IndexedBase
    loss: sympy.Symbol


def softmax(y_words: str = "unit") -> Softmax:
    n = sympy.Symbol("n", positive=True, integer=True)
    i, j, k = (sympy.Symbol(s, integer=True) for s in "ijk")
    z = IndexedBase("z", real=True)
    a = IndexedBase("a")
    y_assume = {"positive": True} if y_words == "unit" else {"integer": True, "nonnegative": True}
    y = IndexedBase("y", **y_assume)
    loss = sympy.Symbol("Loss")
    rng = IndexRange(i, sympy.S.One, n)
    notation = Notation(
        symbols={"n": n, "i": i, "j": j, "k": k, "Loss": loss},
        families={
            "z_i": Family("z_i", z, (i,), frozenset({"real"})),
            "a_i": Family("a_i", a, (i,)),
            "y_i": Family("y_i", y, (i,), frozenset({y_words})),
        },
        indices={
            i: rng,
            j: IndexRange(j, sympy.S.One, n),
            k: IndexRange(k, sympy.S.One, n),
        },
        definitions={
            a: Definition(exp(z[i]) / Sum(exp(z[k]), (k, 1, n)), (i,)),
            loss: Definition(-Sum(y[k] * log(a[k]), (k, 1, n))),
        },
        words={n: frozenset({"positive", "integer"})},
    )
    return Softmax(notation, n, i, j, k, z, a, y, loss)


def test_bce_notation_is_consistent() -> None:
    m = bce()
    assert m.notation.spelling_of(m.x) == "x_i"
    assert m.notation.spelling_of(m.w) == "w"
