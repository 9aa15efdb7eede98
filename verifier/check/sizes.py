"""An identity in a size n proved by checking finitely many sizes exactly.

When the difference of the two steps is, provably, a polynomial of degree at most d in one size n
(the bound of its sums), it is zero for every n once it is zero at d + 1 sizes; each of those checks
expands the sums of that size and reduces the difference to 0 symbolically (the other variables stay
symbols), so the result is a proof, not a sample.

The degree bound is established from the expression's shape, never guessed: every sum has one limit
Σ_{k=a}^{n+c} with integer a and c, and a summand that is a polynomial in k and n (its other symbols
plain, no family elements, no functions); outside the sums the difference is a polynomial in n and the
sums. Σ_{k=a}^{n+c} p(k, n) is then (Faulhaber) a polynomial in n of degree at most deg p + 1 for every
n with n + c ≥ a − 1. Below that (where a sum is empty and the checker's empty-sum convention departs
from the polynomial), every size of the domain is checked one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Indexed, Sum
from sympy.core.function import AppliedUndef

MAX_DEGREE = 12  # a larger bound means too many expansions to be worth it here


def _one_size(d: sympy.Expr) -> sympy.Symbol | None:
    bounds: set[sympy.Basic] = set()
    for s in d.atoms(Sum):
        for lim in s.limits:
            bounds |= lim[2].free_symbols | lim[1].free_symbols
    sizes = [b for b in bounds if isinstance(b, sympy.Symbol) and b.is_integer]
    return sizes[0] if len(sizes) == 1 else None


def _sum_degree(s: Sum, n: sympy.Symbol) -> tuple[int, int] | None:
    """(degree in n of Σ, the least n where its range is not shorter than empty), or None."""
    if len(s.limits) != 1:
        return None
    k, a, b = s.limits[0]
    c = sympy.expand(b - n)
    if not (a.is_Integer and c.is_Integer):
        return None
    f = s.function
    if f.atoms(Indexed, AppliedUndef, Sum, sympy.Product) or not f.is_polynomial(k, n):
        return None
    degree = sympy.Poly(f, k, n).total_degree() if f.has(k) or f.has(n) else 0
    return degree + 1, int(a - c - 1)


def degree_bound(d: sympy.Expr, n: sympy.Symbol) -> tuple[int, int] | None:
    """(a bound on the degree of d in n, the size from which d is that polynomial), or None."""
    if d.atoms(Indexed, AppliedUndef, sympy.Product):
        return None
    start = -(10**9)
    atoms: dict[sympy.Basic, sympy.Symbol] = {}
    degrees: dict[sympy.Symbol, int] = {}
    for s in d.atoms(Sum):
        found = _sum_degree(s, n)
        if found is None:
            return None
        atoms[s] = sympy.Dummy("S")
        degrees[atoms[s]] = found[0]
        start = max(start, found[1])
    rest = d.xreplace(atoms)
    gens = [n, *degrees]
    if rest.has(Sum) or not rest.is_polynomial(*gens):
        return None
    poly = sympy.Poly(rest, *gens)
    bound = 0
    for monomial in poly.monoms():
        bound = max(bound, monomial[0] + sum(e * degrees[g] for e, g in zip(monomial[1:], gens[1:], strict=True)))
    return bound, start


def _least(n: sympy.Symbol) -> int | None:
    if n.is_positive:
        return 1
    if n.is_nonnegative:
        return 0
    return None  # unbounded below: infinitely many sizes with empty sums


def _value_at(d: sympy.Expr, n: sympy.Symbol, v: int) -> sympy.Expr:
    e = d.xreplace({n: sympy.Integer(v)})
    # the checker's convention: a sum over an empty range is 0 (SymPy's doit would follow Karr's)
    e = e.replace(
        lambda x: isinstance(x, Sum) and bool((x.limits[0][2] - x.limits[0][1]) < 0),
        lambda x: sympy.S.Zero,
    )
    return sympy.cancel(sympy.expand(e.doit()))


@dataclass(frozen=True)
class SizeCheck:
    """What checking d + 1 sizes exactly found: a proof for every size, or one size where the
    difference is an exact nonzero number (a certified counterexample: no other variable is left)."""

    size: sympy.Symbol
    proof: str | None = None
    refuting: int | None = None
    difference: sympy.Expr | None = None


def prove_by_sizes(d: sympy.Expr) -> SizeCheck | None:
    """A proof when d is 0 at every size it must be checked at; a refuting size when d is an exact
    nonzero number there; None when the shape gives no degree bound or a check leaves other variables
    (a nonzero polynomial in them may still vanish on their domain: binary y makes y² − y zero)."""
    n = _one_size(d)
    if n is None:
        return None
    found = degree_bound(d, n)
    least = _least(n)
    if found is None or least is None or found[0] > MAX_DEGREE:
        return None
    degree, start = found
    start = max(start, least)
    sizes = [*range(least, start), *range(start, start + degree + 1)]
    for v in sizes:
        value = _value_at(d, n, v)
        if value == 0:
            continue
        if value.is_Rational:
            return SizeCheck(n, refuting=v, difference=value)
        return None
    return SizeCheck(
        n,
        proof=(
            f"checked exactly at {n} = {sizes[0]}, …, {sizes[-1]}: the difference is a polynomial of degree at "
            f"most {degree} in {n}"
        ),
    )
