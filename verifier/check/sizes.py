"""An identity in sizes (n, N, m, integer variables) proved by checking finitely many sizes exactly.

When the difference of the two steps is, provably, a polynomial of degree at most d_i in each size n_i
(a bound of its sums, or any other integer variable), it is zero for every size once it is zero on a
grid of (d_1 + 1) × (d_2 + 1) × … sizes (a polynomial of degree ≤ d_i in each variable that vanishes on
such a grid is the zero polynomial); each check expands the sums of those sizes and reduces the
difference to 0 symbolically (the other variables stay symbols), so the result is a proof, not a sample.
A difference that is rational in the sizes is checked through its numerator (a polynomial).

The degree bound is established from the expression's shape, never guessed: every sum has one limit
Σ_{k=a}^{n+c} with integer a and c (or two integer limits), and a summand that is a polynomial in k and
the sizes (its other symbols plain: family elements and functions of k or a size are refused); outside
the sums the difference is a rational function of the sizes and the sums. Σ_{k=a}^{n+c} p(k, n, m) is
then (Faulhaber) a polynomial of degree at most deg p + 1 in n and deg_m p in m, for every n with
n + c ≥ a − 1. Below that (where a sum is empty and the checker's empty-sum convention departs from the
polynomial), every size of the domain is checked one by one, crossed with the other sizes' grids. A
size unbounded below (a plain integer) has infinitely many such sizes, but at and below the least
start every sum it bounds is empty, so there the difference is again a polynomial of the same degree
bound, decided by as many sizes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy
from sympy import Indexed, Sum
from sympy.core.function import AppliedUndef

MAX_DEGREE = 40  # a larger bound in one size means too many expansions to be worth it here
MAX_POINTS = 400  # the grid's size over all sizes
_NO_START = -(10**9)


@dataclass(frozen=True)
class _Shape:
    """Per size: the degree bound, and the least size from which the difference is that polynomial."""

    degree: dict[sympy.Symbol, int]
    start: dict[sympy.Symbol, int]
    # the least such start over the sums the size bounds: at and below it every one of them is empty
    first: dict[sympy.Symbol, int]


def _opaque_in(e: sympy.Expr, names: set[sympy.Symbol]) -> bool:
    """Whether e has a family element, a function or a product that depends on one of `names`
    (x_k in Σ_k, x_N, f(n)): the difference is then not a polynomial in them."""
    return any(node.free_symbols & names for node in e.atoms(Indexed, AppliedUndef, sympy.Product))


def _sum_shape(s: Sum, sizes: set[sympy.Symbol]) -> tuple[dict[sympy.Symbol, int], sympy.Symbol | None, int] | None:
    """(degree in each size, the size bounding the sum, the least value of that size from which the
    sum's range is not shorter than empty), or None when the sum gives no degree bound."""
    if len(s.limits) != 1:
        return None
    k, a, b = s.limits[0]
    f = s.function
    if not a.is_Integer or f.has(Sum) or _opaque_in(f, sizes | {k}):
        return None
    bound: sympy.Symbol | None = None
    if not b.is_Integer:
        found = [n for n in sizes if b.has(n)]
        if len(found) != 1:
            return None
        bound = found[0]
        c = sympy.expand(b - bound)
        if not c.is_Integer:
            return None
    gens = [k, *sorted(sizes, key=str)]
    if not f.is_polynomial(*gens):
        return None
    poly = sympy.Poly(f, *gens) if f.free_symbols & set(gens) else None
    degree: dict[sympy.Symbol, int] = {}
    for n in sizes:
        degree[n] = poly.degree(n) if poly is not None else 0
    if bound is None:
        return degree, None, _NO_START
    degree[bound] += (poly.degree(k) if poly is not None else 0) + 1
    return degree, bound, int(a - c - 1)


def shape(d: sympy.Expr, sizes: Sequence[sympy.Symbol]) -> tuple[_Shape, sympy.Expr] | None:
    """The degree bounds of d's numerator in each size, and that numerator (sums kept), or None."""
    names = set(sizes)
    atoms: dict[sympy.Basic, sympy.Symbol] = {}
    sum_degree: dict[sympy.Symbol, dict[sympy.Symbol, int]] = {}
    start = dict.fromkeys(sizes, _NO_START)
    first: dict[sympy.Symbol, int] = {}
    for s in d.atoms(Sum):
        found = _sum_shape(s, names)
        if found is None:
            return None
        degree, bound, least = found
        atoms[s] = sympy.Dummy("S")
        sum_degree[atoms[s]] = degree
        if bound is not None:
            start[bound] = max(start[bound], least)
            first[bound] = min(first.get(bound, least), least)
    rest = d.xreplace(atoms)
    if rest.has(Sum) or _opaque_in(rest, names):
        return None
    numerator = sympy.together(rest).as_numer_denom()[0]
    gens = [*sizes, *sum_degree]
    if not numerator.is_polynomial(*gens):
        return None
    poly = sympy.Poly(numerator, *gens)
    bound_of = dict.fromkeys(sizes, 0)
    for monomial in poly.monoms():
        for i, n in enumerate(sizes):
            powers = zip(monomial[len(sizes) :], gens[len(sizes) :], strict=True)
            here = monomial[i] + sum(e * sum_degree[g][n] for e, g in powers)
            bound_of[n] = max(bound_of[n], here)
    back = {v: k for k, v in atoms.items()}
    return _Shape(bound_of, start, first), numerator.xreplace(back)


def _least(n: sympy.Symbol) -> int | None:
    if n.is_positive:
        return 1
    if n.is_nonnegative:
        return 0
    return None  # unbounded below


def _concrete(e: sympy.Expr, point: dict[sympy.Symbol, sympy.Integer]) -> sympy.Expr:
    e = e.xreplace(point)
    # the checker's convention: a sum over an empty range is 0 (SymPy's doit would follow Karr's)
    e = e.replace(
        lambda x: isinstance(x, Sum) and bool((x.limits[0][2] - x.limits[0][1]) < 0),
        lambda x: sympy.S.Zero,
    )
    return sympy.cancel(sympy.expand(e.doit()))


@dataclass(frozen=True)
class SizeCheck:
    """What checking a grid of sizes exactly found: a proof for every size, or one point where the
    difference is an exact nonzero number (a certified counterexample: no other variable is left)."""

    size: sympy.Symbol
    proof: str | None = None
    refuting: int | None = None
    difference: sympy.Expr | None = None
    point: dict[sympy.Symbol, int] | None = None  # every size's value at the refuting point


def _grid(n: sympy.Symbol, shape_: _Shape) -> list[int] | None:
    """The sizes of n to check: every size of the domain below the polynomial's start, then
    degree + 1 consecutive sizes from there."""
    least, start, degree = _least(n), shape_.start[n], shape_.degree[n]
    if degree > MAX_DEGREE:
        return None
    if start == _NO_START:  # no sum ends at n: a polynomial for every n of the domain
        base = least if least is not None else 0
        return list(range(base, base + degree + 1))
    if least is None:
        # unbounded below (a plain integer): at and below `first` every sum n bounds is empty (0, the
        # checker's convention), so there the difference is another polynomial of degree at most
        # `degree` (the sums' terms vanish): degree + 1 sizes up to `first` decide it; between `first`
        # and `start` some sums are empty and some not: each size is checked
        low = shape_.first[n]
        return [*range(low - degree, low), *range(low, start), *range(start, start + degree + 1)]
    start = max(start, least)
    return [*range(least, start), *range(start, start + degree + 1)]


def prove_by_sizes(
    d: sympy.Expr,
    sizes: Sequence[sympy.Symbol] | None = None,
    member: Callable[[sympy.Symbol, int], bool] | None = None,
) -> SizeCheck | None:
    """A proof when d is 0 at every point of the grid; a refuting point when d is an exact nonzero
    number there; None when the shape gives no degree bound or a check leaves other variables
    (a nonzero polynomial in them may still vanish on their domain: binary y makes y² − y zero).

    `sizes`: the integer variables to treat as sizes (default: the integer bounds of d's sums);
    `member`: whether a value is in a size's declared domain (a refuting point must be)."""
    if sizes is None:
        bounds: set[sympy.Basic] = set()
        for s in d.atoms(Sum):
            for lim in s.limits:
                bounds |= lim[2].free_symbols | lim[1].free_symbols
        sizes = [b for b in bounds if isinstance(b, sympy.Symbol) and b.is_integer]
    sizes = sorted((n for n in sizes if n in d.free_symbols), key=str)
    if not sizes:
        return None
    found = shape(d, sizes)
    if found is None:
        return None
    shape_, numerator = found
    grids = [_grid(n, shape_) for n in sizes]
    if any(g is None for g in grids) or math.prod(len(g) for g in grids if g is not None) > MAX_POINTS:
        return None
    for values in itertools.product(*(g for g in grids if g is not None)):
        point = {n: sympy.Integer(v) for n, v in zip(sizes, values, strict=True)}
        if _concrete(numerator, point) == 0:
            continue
        value = _concrete(d, point)
        inside = member is None or all(member(n, v) for n, v in zip(sizes, values, strict=True))
        if value.is_Rational and value != 0 and inside:
            first, at = sizes[0], {n: int(v) for n, v in point.items()}
            return SizeCheck(first, refuting=at[first], difference=value, point=at)
        return None
    degrees = ", ".join(f"{shape_.degree[n]} in {n}" for n in sizes)
    where = "; ".join(f"{n} = {g[0]}, …, {g[-1]}" for n, g in zip(sizes, grids, strict=True) if g)
    return SizeCheck(
        sizes[0],
        proof=f"checked exactly at {where}: the difference is a polynomial of degree at most {degrees}",
    )


def degree_bound(d: sympy.Expr, n: sympy.Symbol) -> tuple[int, int] | None:
    """(a bound on the degree of d in the one size n, the size from which d is that polynomial), or None."""
    found = shape(d, [n])
    return None if found is None else (found[0].degree[n], found[0].start[n])
