"""Soundness properties: rewrites equal by construction are never refuted; a perturbation is never proved."""

from __future__ import annotations

import functools

import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.check.decide import decide
from verifier.latex import compile_notation
from verifier.loader import loads
from verifier.model import Verdict
from verifier.notation import Notation

DECLARATIONS = r"""
title = "symbols for property tests"

[symbols]
x = "real"
y = "real"
p = "positive"
q = "positive"
u = "unit"
c = "binary"

[[chain]]
title = "unused"
steps = ['x', 'x']
"""

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def notation() -> Notation:
    return compile_notation(loads(DECLARATIONS, "properties.toml"))


def sym(name: str) -> sympy.Symbol:
    return notation().symbols[name]


def factors() -> list[sympy.Expr]:
    """Building blocks: symbols, positive log arguments, bounded exponents, positive denominators."""
    x, y, p, q, u, c = (sym(n) for n in ("x", "y", "p", "q", "u", "c"))
    return [
        x,
        y,
        p,
        q,
        u,
        c,
        x**2,
        p**-1,
        sympy.log(p),
        sympy.log(1 + x**2),
        sympy.log(u),
        sympy.log(p * q),
        sympy.exp(x),
        sympy.exp(-y),
        sympy.exp(u - p),
        1 / (1 + p),
        1 / (1 + x**2),
        1 / (1 + sympy.exp(-x)),
    ]


@st.composite
def terms(draw: st.DrawFn) -> sympy.Expr:
    coeff = sympy.Rational(draw(st.integers(-3, 3).filter(bool)), draw(st.integers(1, 3)))
    parts = draw(st.lists(st.sampled_from(factors()), min_size=1, max_size=3))
    return coeff * sympy.Mul(*parts)


@st.composite
def polys(draw: st.DrawFn) -> sympy.Expr:
    return sympy.Add(*draw(st.lists(terms(), min_size=1, max_size=3)))


@st.composite
def expressions(draw: st.DrawFn) -> sympy.Expr:
    """Sums of products over the declared symbols, nested once (products of sums, quotients, logs),
    with values of moderate size: values far apart in magnitude would let a small perturbation
    drown in the relative tolerance, which is a limit of numeric probing, not a bug."""
    a, b = draw(polys()), draw(polys())
    shape = draw(st.sampled_from(["sum", "product", "quotient", "log"]))
    if shape == "sum":
        return a + b
    if shape == "product":
        return a * b + draw(polys())
    if shape == "quotient":
        return a / (1 + sym("p") * sym("q")) + b
    return sympy.log(1 + sym("u") * sym("p")) * a + b


def rewrites(e: sympy.Expr, k: int) -> sympy.Expr:
    """An expression equal to e by construction (k chooses the rewrite)."""
    x, p = sym("x"), sym("p")
    forms = [
        lambda: sympy.expand(e),
        lambda: sympy.expand(e * (1 + x**2)) / (1 + x**2),
        lambda: sympy.together(e),
        lambda: sympy.factor(e),
        lambda: e + (x + 1) ** 2 - x**2 - 2 * x - 1,
        lambda: sympy.expand_log(e),  # safe: only where SymPy's assumptions allow it
        lambda: sympy.powsimp(sympy.expand(e * p) / p),
        lambda: e.subs(1 / (1 + sympy.exp(-x)), sympy.exp(x) / (1 + sympy.exp(x))),
    ]
    return forms[k % len(forms)]()


@SETTINGS
@given(e=expressions(), k=st.integers(0, 7))
def test_equal_by_construction_is_never_refuted(e: sympy.Expr, k: int) -> None:
    r = rewrites(e, k)
    out = decide(e, r, notation(), timeout=5.0)
    assert out.verdict is not Verdict.REFUTED, (e, r, out)
    assert out.verdict is not Verdict.ERROR, (e, r, out)


@SETTINGS
@given(
    e=expressions(),
    c=st.fractions(min_value=-5, max_value=5, max_denominator=7).filter(lambda f: f != 0),
    t=st.sampled_from(["x", "y", "p", "q", "u", "c"]),
)
def test_a_nonzero_perturbation_is_never_proved(e: sympy.Expr, c: object, t: str) -> None:
    atom = sym(t)
    bumped = e + sympy.Rational(str(c)) * atom
    out = decide(e, bumped, notation(), timeout=5.0)
    assert out.verdict is not Verdict.PROVED, (e, bumped, out)
    if t != "c":
        # a binary c is 0 at about half the probe points; all of them being 0 is unlikely, not impossible
        assert out.verdict is not Verdict.NUMERIC, (e, bumped, out)


@SETTINGS
@given(e=expressions(), k=st.integers(0, 7))
def test_a_perturbed_rewrite_is_never_proved(e: sympy.Expr, k: int) -> None:
    """The rewrite plus c·x: the engine must not be fooled by a rewrite that hides the change."""
    bumped = rewrites(e, k) + sympy.Rational(1, 3) * sym("x")
    out = decide(e, bumped, notation(), timeout=5.0)
    assert out.verdict not in (Verdict.PROVED, Verdict.NUMERIC), (e, bumped, out)
