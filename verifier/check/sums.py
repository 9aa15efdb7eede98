"""Sums over symbolic ranges: Kronecker-delta collapse, linearity, canonical dummies, and opaque sum atoms."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping

import sympy
from sympy import KroneckerDelta, Piecewise, Product, Sum
from sympy.core.function import AppliedUndef

from verifier.check.memo import FAST_PATHS, MISSING, SPLIT, Table
from verifier.check.ranges import relation_truth, resolve_condition
from verifier.notation import IndexRange, Notation

# Canonical bound variables by nesting height: two sums that differ only in the name of their
# dummy become the same object, so they compare (and hash) equal.
_CANON = tuple(sympy.Dummy(f"k{h}", integer=True) for h in range(12))

Distinct = frozenset[frozenset[sympy.Basic]]


_SUMS = (Sum, Product)
# what collapse changes: a tree holding neither comes back as it stands (a sum is built again only
# around a summand that changed)
_COLLAPSED = (KroneckerDelta, Piecewise)


@functools.lru_cache(maxsize=1 << 14)
def _holds(e: sympy.Basic, kinds: tuple[type, ...]) -> bool:
    """Whether e is or holds a node of `kinds` (the walks below skip what holds none): memoised, so that
    asking at every node of a walk costs one pass over the tree, not one per node (as `has` would)."""
    return isinstance(e, kinds) or any(_holds(a, kinds) for a in e.args)


def new_sum(function: sympy.Basic, *limits: tuple[sympy.Basic, ...]) -> sympy.Expr:
    """Sum(function, *limits), the same object SymPy's constructor builds, without its two walks of the
    summand (for Piecewise nodes to fold) and its processing of limits: a sum built here again and again
    (rebuilding a walked tree, collapsing, splitting) paid them each time, a tenth of the checking.
    Only for limits already in SymPy's form (variable, lower, upper) and a summand that is an
    expression, neither a sum (SymPy merges the limits) nor holding a Piecewise (SymPy folds it):
    anything else is SymPy's `Sum`."""
    if (
        not isinstance(function, sympy.Expr)
        or isinstance(function, Sum)
        or function is sympy.S.NaN
        or _holds(function, (Piecewise,))
        or not all(_plain_limit(lim) for lim in limits)
    ):
        return Sum(function, *limits)
    obj = sympy.Expr.__new__(Sum)
    obj._args = (function, *(lim if isinstance(lim, sympy.Tuple) else sympy.Tuple(*lim) for lim in limits))
    obj.is_commutative = function.is_commutative
    return obj


def with_limits(e: Sum | Product, function: sympy.Basic, limits: list[tuple[sympy.Basic, ...]]) -> sympy.Expr:
    """A sum or product like e, of `function` over `limits` (a sum through `new_sum`)."""
    return new_sum(function, *limits) if isinstance(e, Sum) else e.func(function, *limits)


def _plain_limit(lim: tuple[sympy.Basic, ...]) -> bool:
    return (
        len(lim) == 3
        and isinstance(lim[0], sympy.Symbol)
        and not isinstance(lim[0], sympy.Idx)
        and isinstance(lim[1], sympy.Expr)
        and isinstance(lim[2], sympy.Expr)
    )


# What a renaming of bound variables rebuilds without evaluating it again (its value cannot change, and
# evaluating asked the assumptions system about every argument): exp, log and opaque functions, whose
# evaluation neither reorders their arguments nor takes out a sign (a Kronecker delta, a power, tanh do).
_AS_BUILT = (sympy.exp, sympy.log, AppliedUndef)


def renamed(e: sympy.Basic, args: list[sympy.Basic]) -> sympy.Basic:
    """e with its arguments replaced by `args`, the same arguments with bound variables renamed: e itself
    when none changed, an exp, log or opaque function as it stands, anything else evaluated again (a sum
    or product then puts its terms in the order of the new names)."""
    if isinstance(e, _AS_BUILT) and any(a is not b for a, b in zip(args, e.args, strict=True)):
        return e.func(*args, evaluate=False)
    return rebuilt(e, args)


def holds_sums(e: sympy.Basic) -> bool:
    """Whether e is or holds a sum or a product (memoised)."""
    return _holds(e, _SUMS)


# zoo, nan, oo and −oo by their classes (each is its class's one instance): what `holds` looks for where
# an expression must be finite (SymPy's `has` walked the whole tree every time)
INFINITIES: tuple[type, ...] = tuple(type(x) for x in (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo))


def holds(e: sympy.Basic, kinds: tuple[type, ...]) -> bool:
    """Whether e is or holds a node of one of these classes (memoised per subtree)."""
    return _holds(e, kinds)


def rebuilt(e: sympy.Basic, args: list[sympy.Basic]) -> sympy.Basic:
    """e.func(*args), or e itself when no argument changed: rebuilding re-runs SymPy's evaluation and
    its assumption queries (most of a walk's time) to arrive at e again."""
    if len(args) == len(e.args) and all(a is b for a, b in zip(args, e.args, strict=True)):
        return e
    return e.func(*args)


# SymPy flattens Sum(Sum(f, l1), l2) into Sum(f, l1, l2), so every function here handles a list of
# limits, innermost first, instead of re-nesting (which SymPy would undo).


def collapse(
    e: sympy.Basic, ranges: Mapping[sympy.Symbol, IndexRange], distinct: Distinct = frozenset()
) -> sympy.Expr:
    """Collapse Σ_k δ(i,k) g(k) to g(i), resolve Piecewise/δ conditions from ranges and i≠j facts."""
    if e.is_Atom or not _holds(e, _COLLAPSED):
        return e
    if isinstance(e, Sum | Product):
        inner = dict(ranges)
        for k, a, b in e.limits:
            inner[k] = IndexRange(k, a, b)
        f = collapse(e.function, inner, distinct)
        if f is e.function and not _holds(f, (KroneckerDelta, Piecewise)):
            # nothing collapsed inside and no δ for this sum to collapse: building it again over the
            # same summand and limits gives e (SymPy merges the nested sums back into e's limits), and
            # a new object made every ancestor evaluate itself again
            return e
        for n, (k, a, b) in enumerate(e.limits):
            # the sum over limit n may still mention the variables of the limits outside it
            outer = {**ranges, **{lim[0]: IndexRange(*lim) for lim in e.limits[n + 1 :]}}
            f = _collapse_sum(f, k, a, b, outer, distinct) if isinstance(e, Sum) else Product(f, (k, a, b))
        return f
    if isinstance(e, Piecewise):
        pairs = []
        for expr, cond in e.args:
            pairs.append((collapse(expr, ranges, distinct), resolve_condition(cond, ranges, distinct)))
        return Piecewise(*pairs)
    new = rebuilt(e, [collapse(a, ranges, distinct) for a in e.args])
    if isinstance(new, KroneckerDelta):
        if frozenset(new.args) in distinct:
            return sympy.S.Zero
        truth = resolve_condition(sympy.Eq(new.args[0], new.args[1]), ranges, distinct)
        if truth is sympy.false:
            return sympy.S.Zero
    return new


def _collapse_sum(
    f: sympy.Expr,
    k: sympy.Symbol,
    a: sympy.Expr,
    b: sympy.Expr,
    ranges: Mapping[sympy.Symbol, IndexRange],
    distinct: Distinct,
) -> sympy.Expr:
    if not f.has(KroneckerDelta):
        return new_sum(f, (k, a, b))
    rest: list[sympy.Expr] = []
    out: sympy.Expr = sympy.S.Zero
    for term in sympy.Add.make_args(sympy.expand_mul(f)):
        factors = list(sympy.Mul.make_args(term))
        hit = None
        for n, fac in enumerate(factors):
            if isinstance(fac, KroneckerDelta) and k in fac.args:
                other = fac.args[1] if fac.args[0] == k else fac.args[0]
                if not other.has(k):
                    hit = (n, other)
                    break
        if hit is None:
            rest.append(term)
            continue
        n, other = hit
        body = sympy.Mul(*(factors[:n] + factors[n + 1 :]))
        value = body.subs(k, other)  # subs, not xreplace: leaves inner bound variables alone
        cond = resolve_condition(sympy.And(sympy.Le(a, other), sympy.Le(other, b)), ranges, distinct)
        if cond is sympy.true:
            out += value
        elif cond is not sympy.false:
            out += Piecewise((value, cond), (0, True))
    if rest:
        out += new_sum(sympy.Add(*rest), (k, a, b))
    return out


def terms(e: sympy.Expr, limit: int = 400) -> list[sympy.Expr]:
    """Additive terms of e with numerator products distributed ((1−y)·u → u, −y·u), denominators
    left alone: enough for linearity without the blow-up of a full `expand`."""
    if isinstance(e, sympy.Add):
        out: list[sympy.Expr] = []
        for a in e.args:
            out += terms(a, limit)
        return out
    if isinstance(e, sympy.Mul):
        factors = list(e.args)
        for n, f in enumerate(factors):
            if isinstance(f, sympy.Add):
                rest = sympy.Mul(*(factors[:n] + factors[n + 1 :]))
                parts = [t for a in f.args for t in terms(rest * a, limit)]
                return parts if len(parts) <= limit else [e]
    return [e]


def count(a: sympy.Expr, b: sympy.Expr, ranges: Mapping[sympy.Symbol, IndexRange]) -> sympy.Expr | None:
    """How many integers k have a ≤ k ≤ b: b − a + 1 when that is provably ≥ 0, else max(0, b − a + 1);
    None when a bound may be non-integer (then the count is not a polynomial in the bounds).

    Why not b − a + 1 always: that is Karr's convention (Σ_{k=3}^{1} 1 = −1); a sum over an empty
    range is 0 here, as in print and in the numeric evaluator.
    """
    if a.is_integer is not True or b.is_integer is not True:
        return None
    n = b - a + 1
    if n.is_nonnegative is True:
        return n
    rel = sympy.Ge(n, 0)
    if rel is sympy.true or relation_truth(rel, ranges) is True:
        return n
    return sympy.Max(0, n)


def split_sums(
    e: sympy.Basic, ranges: Mapping[sympy.Symbol, IndexRange] | None = None, notation: Notation | None = None
) -> sympy.Expr:
    """Linearity: Σ(f+g) → Σf + Σg, constants pulled out, Σ c → c·(number of terms); summands expanded.

    Why: after this, two sums are equal summand-wise exactly when their canonical atoms match.
    `ranges` (the declared indices) show when a range is non-empty, so that Σ_{k=1}^{i} 1 = i.
    With `notation` instead, the ranges are its declared indices, and each subtree outside the sums is
    split once per notation (memo.SPLIT): a step shares most of its sums with the step before it.
    """
    if notation is not None:
        if ranges is not None:
            raise ValueError("split_sums takes the ranges or the notation whose declared ranges they are")
        ranges = notation.indices
    ranges = ranges or {}
    if e.is_Atom or not _holds(e, _SUMS):
        return e
    if notation is None or not FAST_PATHS:
        return _split(e, ranges)
    hit = SPLIT.lookup(notation, e)
    if hit is not MISSING:
        return hit
    out = _split(e, ranges, notation)
    SPLIT.store(notation, e, out)
    return out


def _split(e: sympy.Basic, ranges: Mapping[sympy.Symbol, IndexRange], notation: Notation | None = None) -> sympy.Expr:
    if isinstance(e, Sum | Product):
        # each limit sees the ranges of the limits outside it (Σ_{j=1}^{i} inside Σ_{i=1}^{N})
        scopes = []
        for n in range(len(e.limits)):
            scopes.append({**ranges, **{lim[0]: IndexRange(*lim) for lim in e.limits[n + 1 :]}})
        inner_ranges = {**ranges, **{lim[0]: IndexRange(*lim) for lim in e.limits}}
        f = split_sums(e.function, inner_ranges)
        for (k, a, b), scope in zip(e.limits, scopes, strict=True):
            n_terms = count(a, b, scope)
            if isinstance(e, Sum):
                out: sympy.Expr = sympy.S.Zero
                for term in terms(f):
                    coeff, dep = term.as_independent(k, as_Add=False)
                    if dep == 1 and n_terms is not None:
                        out += coeff * n_terms
                    else:
                        out += coeff * new_sum(dep, (k, a, b))
                f = out
            else:
                prod: sympy.Expr = sympy.S.One
                for fac in sympy.Mul.make_args(f):
                    if not fac.has(k) and n_terms is not None:
                        prod *= fac**n_terms
                    else:
                        prod *= Product(fac, (k, a, b))
                f = prod
        return f
    return rebuilt(e, [split_sums(a, None if notation is not None else ranges, notation) for a in e.args])


def _height(e: sympy.Basic) -> int:
    """1 + the canonical index of the deepest sum inside e (0 when there is none)."""
    best = 0
    for node in sympy.preorder_traversal(e):
        if isinstance(node, Sum | Product):
            for lim in node.limits:
                if lim[0] in _CANON:
                    best = max(best, _CANON.index(lim[0]) + 1)
    return best


@functools.lru_cache(maxsize=1 << 12)
def canonical(e: sympy.Basic) -> sympy.Expr:
    """Rename every bound variable to the canonical dummy of its nesting height (memoised: the same
    sums are keyed again and again, by both sides, the equations, the summand-wise comparison, and the
    two pairs a step belongs to).

    A limit's variable is renamed in the summand and in the bounds of the limits inside it
    (Σ_{i=1}^{N} Σ_{j=1}^{i}: the inner bound is the outer variable), never in its own bounds.
    """
    if e.is_Atom or not _holds(e, _SUMS):
        return e
    if isinstance(e, Sum | Product):
        f = canonical(e.function)
        h = _height(f)
        if h + len(e.limits) > len(_CANON):
            return with_limits(e, f, list(e.limits))
        limits = [[lim[0], canonical(lim[1]), canonical(lim[2])] for lim in e.limits]
        for n, lim in enumerate(limits):
            rename = {lim[0]: _CANON[h + n]}
            f = f.xreplace(rename)
            for inner in limits[:n]:
                inner[1], inner[2] = inner[1].xreplace(rename), inner[2].xreplace(rename)
            lim[0] = _CANON[h + n]
        return with_limits(e, f, [tuple(lim) for lim in limits])
    return renamed(e, [canonical(a) for a in e.args])


class Atomizer:
    """Replaces each sum/product that does not depend on an enclosing bound variable by a symbol.

    Sound as a proof technique: if the two sides agree as functions of the atoms, they agree for
    every value the sums can take. Atoms carry only assumptions the sum provably has.
    """

    def __init__(self) -> None:
        self.atoms: dict[sympy.Basic, sympy.Symbol] = {}  # the atoms this atomizer used

    def atom_for(self, e: sympy.Basic) -> sympy.Symbol:
        key = canonical(e)
        if key not in self.atoms:
            self.atoms[key] = atom_of(key)
        return self.atoms[key]

    def __call__(self, e: sympy.Basic, bound: frozenset[sympy.Symbol] = frozenset()) -> sympy.Expr:
        if e.is_Atom or not _holds(e, _SUMS):
            return e
        if isinstance(e, Sum | Product):
            if not any(e.has(v) for v in bound):
                return self.atom_for(e)
            inner = bound | {lim[0] for lim in e.limits}
            return e.func(self(e.function, inner), *e.limits)
        return rebuilt(e, [self(a, bound) for a in e.args])

    def restore(self, e: sympy.Basic) -> sympy.Expr:
        """Put the sums back in place of their atoms (for messages)."""
        return e.xreplace({v: k for k, v in self.atoms.items()})


# One atom per canonical sum for the process: every step of a chain atomises its sums into the same
# symbols, so the prepared forms of a step are the same objects in both pairs it belongs to (and
# SymPy's caches serve them), and a sum's assumptions are worked out once. The map is one-to-one and
# an atom's assumptions come from its sum alone, so sharing it proves nothing a fresh one would not.
# A Dummy, never a Symbol: a user's own symbol spelled Sigma0 must not become an atom. Cleared when
# full (Atomizers keep the atoms they used, so a clearing never mixes two atoms up within one pair).
_ATOMS: Table[sympy.Basic, sympy.Symbol] = Table(1 << 14)


def atom_of(key: sympy.Basic) -> sympy.Symbol:
    """The atom of a canonical sum (`canonical`)."""
    return _ATOMS.get(key, lambda: sympy.Dummy(_atom_name(key), **_assumptions_of(key)))


def _atom_name(key: sympy.Basic) -> str:
    """An atom's name, from the sum it stands for: the same in every process, whatever was atomised
    before. Names order the atoms where SymPy and the methods sort symbols (the terms of a sum, a
    polynomial's generators, the variable an equation eliminates), so a name counted in order of
    creation made a step's proof depend on the steps checked before it in the same process."""
    return "Sigma_" + hashlib.blake2b(str(key).encode(), digest_size=5).hexdigest()


def _assumptions_of(e: sympy.Basic) -> dict[str, bool]:
    """What the atom of a sum may assume: only facts SymPy (or a non-empty positive summand) shows."""
    out: dict[str, bool] = {}
    if isinstance(e, Sum):
        f = e.function
        nonempty = all((b - a).is_nonnegative is True for _k, a, b in e.limits)
        if f.is_positive and nonempty:
            out["positive"] = True
        elif f.is_nonnegative:
            out["nonnegative"] = True
        if f.is_real:
            out["real"] = True
    elif isinstance(e, Product):
        f = e.function
        if f.is_positive:
            out["positive"] = True
        if f.is_real:
            out["real"] = True
    return out


# The variable of the n-th merged summand: the same ones every time, so the summands of a chain's pairs
# share their pieces and SymPy's caches serve them (fresh Dummies made every piece new).
_MERGED = tuple(sympy.Dummy(f"m{n}", integer=True) for n in range(8))


def _merged_variable(n: int, e: sympy.Expr) -> sympy.Symbol:
    if n < len(_MERGED) and not e.has(_MERGED[n]):
        return _MERGED[n]
    return sympy.Dummy("m", integer=True)  # a merged summand put back into a comparison: stay fresh


def merge_by_range(
    e: sympy.Expr, ranges: Mapping[sympy.Symbol, IndexRange] | None = None
) -> tuple[list[sympy.Expr], sympy.Expr]:
    """Σ_k f − Σ_k g + c·Σ_k h → one summand f − g + c·h per range, plus the terms outside sums.

    Why: two sides that agree term by term under the sum (but not in their expanded, atomised
    pieces) are proved by showing each merged summand is 0 — the summand-wise comparison.
    """
    groups: dict[tuple[sympy.Expr, sympy.Expr], tuple[sympy.Symbol, sympy.Expr]] = {}
    rest: sympy.Expr = sympy.S.Zero
    for term in terms(canonical(split_sums(e, ranges))):
        sums = [f for f in sympy.Mul.make_args(term) if isinstance(f, Sum)]
        if len(sums) != 1 or any(isinstance(f, Sum) for f in sympy.Mul.make_args(term / sums[0])):
            rest += term
            continue
        s = sums[0]
        # group by the outermost limit only: Σ_i Σ_k f is Sum(f, (k..), (i..)) once SymPy flattens it
        k, a, b = s.limits[-1]
        body = Sum(s.function, *s.limits[:-1]) if len(s.limits) > 1 else s.function
        var, acc = groups.get((a, b), (_merged_variable(len(groups), e), sympy.S.Zero))
        groups[(a, b)] = (var, acc + (term / s) * body.xreplace({k: var}))
    return [acc for _, acc in groups.values()], rest
