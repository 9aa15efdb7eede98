"""Sums in prenex form: a proof method for matrix entries, where products of sums must be reordered.

The entry of (AB)C is Σ_l (Σ_k A_rk B_kl) C_lc and the entry of A(BC) is Σ_k A_rk Σ_l B_kl C_lc; the
entry of (Xθ − y)ᵀ(Xθ − y) is Σ_i (Σ_k θ_k x_ik − y_i)² and that of θᵀXᵀXθ is Σ_a θ_a Σ_i x_ia Σ_b x_ib θ_b.
Equal, but only after the sums are interchanged, which the scalar cascade never does (it compares sums
summand-wise, as atoms). Here every term is written as one multiple sum of a monomial:

    Σ_k f · Σ_l g = Σ_k Σ_l f g          (distinct bound variables; finite sums)
    (Σ_k f)^n     = Σ_k1 … Σ_kn f(k1)…f(kn)  (n a small positive integer)
    Σ_k (f + g)   = Σ_k f + Σ_k g,  Σ_k c = c · #k   (c free of k)

and the order of summation is irrelevant when no bound depends on another bound variable (checked;
otherwise the method gives up). Each monomial is then keyed by its canonical form over every renaming of
its bound variables, and two sides are equal when their keys carry equal coefficients. Every rewriting is
an identity of finite sums, so equal keys prove the entries equal; unequal keys prove nothing.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping

import sympy
from sympy import Sum

from verifier.check.sums import canonical, count
from verifier.notation import IndexRange

MAX_TERMS = 3000  # multiple sums built before giving up (expansion can grow fast)
MAX_BOUND = 5  # bound variables of one monomial whose renamings are tried (5! = 120)
MAX_POWER = 4

Limit = tuple[sympy.Symbol, sympy.Expr, sympy.Expr]
Term = tuple[tuple[Limit, ...], sympy.Expr]  # Σ over the limits of the body


class GiveUp(Exception):
    """The expression is outside what the prenex form handles (the method proves nothing)."""


def _terms(e: sympy.Expr, apart: _Apart) -> list[Term]:
    if isinstance(e, sympy.Add):
        out: list[Term] = []
        for a in e.args:
            out += _terms(a, apart)
            if len(out) > MAX_TERMS:
                raise GiveUp
        return out
    if isinstance(e, sympy.Mul):
        acc: list[Term] = [((), sympy.S.One)]
        for a in e.args:
            parts = _terms(a, apart)
            acc = [(l1 + l2, b1 * b2) for l1, b1 in acc for l2, b2 in parts]
            if len(acc) > MAX_TERMS:
                raise GiveUp
        return acc
    if isinstance(e, sympy.Pow) and e.base.has(Sum):
        n = e.exp
        if not (n.is_Integer and 0 < n <= MAX_POWER):
            return [((), e)]
        acc = [((), sympy.S.One)]
        for _ in range(int(n)):
            parts = _terms(_fresh(e.base, apart), apart)
            acc = [(l1 + l2, b1 * b2) for l1, b1 in acc for l2, b2 in parts]
            if len(acc) > MAX_TERMS:
                raise GiveUp
        return acc
    if isinstance(e, Sum):
        limits = tuple((lim[0], lim[1], lim[2]) for lim in e.limits)
        return [(inner + limits, body) for inner, body in _terms(e.function, apart)]
    return [((), e)]


def _shared(e: sympy.Expr) -> bool:
    """Whether a variable is bound by two sums of e, or one sum occurs twice (two factors Σ_k f · Σ_k g
    must not merge into one sum over k): only then does `normal_form` need `_fresh` (the unfolding names
    a sum's variable by its depth and letter, so two sums side by side often share one)."""
    seen: set[sympy.Basic] = set()
    for node in sympy.preorder_traversal(e):
        if isinstance(node, Sum):
            for lim in node.limits:
                if lim[0] in seen:
                    return True
                seen.add(lim[0])
    return False


# Variables to rename sums apart with: the n-th renamed in one normal form gets the n-th of these, so
# the same entry renamed twice is the same object (SymPy's caches, the memos) where fresh Dummies never
# were. One normal form never hands out one twice, and none occurs in its input (checked).
_APART: list[sympy.Dummy] = []


class _Apart:
    """The supply of distinct variables for one normal form."""

    def __init__(self, e: sympy.Expr) -> None:
        self.used = 0
        self.fixed = not (e.atoms(sympy.Dummy) & set(_APART))

    def next(self, like: sympy.Basic) -> sympy.Dummy:
        if not self.fixed:
            return sympy.Dummy(str(like), integer=True)
        while len(_APART) <= self.used:
            _APART.append(sympy.Dummy("a", integer=True))
        self.used += 1
        return _APART[self.used - 1]


def _expanded(e: sympy.Expr) -> bool:
    """Whether `_terms` takes e apart (a sum, a product, a small power of sums); anything else is one
    opaque factor to it (σ(Σ_k θ_k x_k), log(1 + e^{…})), whose own sums are never taken out."""
    if isinstance(e, sympy.Add | sympy.Mul | Sum):
        return True
    return isinstance(e, sympy.Pow) and e.exp.is_Integer and 0 < e.exp <= MAX_POWER and e.base.has(Sum)


def _fresh(e: sympy.Expr, apart: _Apart) -> sympy.Expr:
    """e with the bound variables of the sums `_terms` takes out renamed to variables not used before in
    this normal form (a second copy of (Σ_k f)²). The sums inside an opaque factor stay as they are:
    they are never merged with another, and rebuilding the factor (log, exp: SymPy evaluates it again,
    with its assumption queries) was most of a normal form's time. Renaming an enclosing sum's variable
    still reaches inside them (xreplace), and the new variables occur nowhere else."""
    if not e.has(Sum) or not _expanded(e):
        return e
    if isinstance(e, Sum):
        rename = {lim[0]: apart.next(lim[0]) for lim in e.limits}
        limits = [(rename[k], a.xreplace(rename), b.xreplace(rename)) for k, a, b in e.limits]
        return Sum(_fresh(e.function, apart).xreplace(rename), *limits)
    return e.func(*[_fresh(a, apart) for a in e.args])


_CANON = tuple(sympy.Dummy(f"p{n}", integer=True) for n in range(MAX_BOUND))


def _key(limits: tuple[Limit, ...], monomial: sympy.Expr) -> tuple[str, ...]:
    """The monomial's canonical form over every renaming (and so every order) of its bound variables."""
    names = [k for k, _a, _b in limits]
    best: tuple[str, ...] | None = None
    for perm in itertools.permutations(range(len(names))):
        rename = {names[p]: _CANON[n] for n, p in enumerate(perm)}
        ranges = tuple(sorted(f"{rename[k]}:{sympy.srepr(a)}:{sympy.srepr(b)}" for k, a, b in limits))
        candidate = (*ranges, sympy.srepr(monomial.xreplace(rename)))
        if best is None or candidate < best:
            best = candidate
    assert best is not None
    return best


def normal_form(e: sympy.Expr, ranges: Mapping[sympy.Symbol, IndexRange]) -> dict[tuple[str, ...], sympy.Expr]:
    """Canonical monomial → numeric coefficient (raises GiveUp)."""
    out: dict[tuple[str, ...], sympy.Expr] = defaultdict(lambda: sympy.S.Zero)
    # every sum gets its own bound variables first: two sums sharing a name must never merge into one
    apart = _Apart(e)
    for limits, body in _terms(_fresh(e, apart) if _shared(e) else e, apart):
        bound = {k for k, _a, _b in limits}
        if any((a.free_symbols | b.free_symbols) & bound for _k, a, b in limits):
            raise GiveUp  # a bound depends on another bound variable: the order matters
        for monomial in sympy.Add.make_args(sympy.expand(body)):
            kept: list[Limit] = []
            factor: sympy.Expr = sympy.S.One
            for k, a, b in limits:
                if monomial.has(k):
                    kept.append((k, a, b))
                    continue
                n = count(a, b, ranges)
                if n is None:
                    raise GiveUp
                factor *= n  # Σ_k c = c·#k
            if len(kept) > MAX_BOUND:
                raise GiveUp
            for part in sympy.Add.make_args(sympy.expand(monomial * factor)):
                coeff, rest = part.as_coeff_Mul()
                out[_key(tuple(kept), canonical(rest))] += coeff
    return {k: v for k, v in out.items() if v != 0}


def prenex_equal(a: sympy.Expr, b: sympy.Expr, ranges: Mapping[sympy.Symbol, IndexRange]) -> bool:
    """Whether a and b (unfolded) are shown equal by their prenex normal forms."""
    try:
        return normal_form(a - b, ranges) == {}
    except (GiveUp, RecursionError, TypeError, ValueError):
        return False
