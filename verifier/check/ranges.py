"""Deciding integer conditions (`1 <= j`, `j <= n`, `Eq(i, j)`) from index ranges and chain facts."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import sympy
from sympy.core.relational import Relational

from verifier.check.memo import Table
from verifier.notation import IndexRange


def _nonneg_gap(rel: Relational) -> tuple[sympy.Expr, bool] | None:
    """Rewrite `lhs <= rhs` style relations as (gap, strict) meaning gap >= 0 (or > 0 when strict)."""
    if isinstance(rel, sympy.Le):
        return rel.rhs - rel.lhs, False
    if isinstance(rel, sympy.Lt):
        return rel.rhs - rel.lhs, True
    if isinstance(rel, sympy.Ge):
        return rel.lhs - rel.rhs, False
    if isinstance(rel, sympy.Gt):
        return rel.lhs - rel.rhs, True
    return None


def relation_truth(
    rel: sympy.Basic,
    ranges: Mapping[sympy.Symbol, IndexRange],
    distinct: frozenset[frozenset[sympy.Basic]] = frozenset(),
) -> bool | None:
    """True/False when the relation follows from the ranges (and known i != j pairs), else None.

    Why substitution works: an index i in [lo, hi] can be written lo + p and hi - q with integers
    p, q >= 0; if the gap is non-negative under either rewriting for every index it holds for all i.
    """
    if rel is sympy.true or rel is sympy.false:
        return bool(rel)
    if isinstance(rel, sympy.Eq | sympy.Ne):
        pair = frozenset((rel.lhs, rel.rhs))
        if rel.lhs == rel.rhs:
            return isinstance(rel, sympy.Eq)
        if pair in distinct:
            return isinstance(rel, sympy.Ne)
        return None
    if not isinstance(rel, Relational):
        return None
    gapped = _nonneg_gap(rel)
    if gapped is None:
        return None
    gap, strict = gapped
    idx = sorted((s for s in gap.free_symbols if s in ranges), key=sympy.default_sort_key)
    if len(idx) > len(_OFFSETS):
        return None
    key = (gap, strict, tuple((s, ranges[s].lower, ranges[s].upper) for s in idx))
    return _GAP_TRUTH.get(key, lambda: _gap_truth(gap, strict, idx, ranges))


# The offsets p ≥ 0 of `lo + p` and `hi − p`, one per index of a relation: the same variables every
# time, so the rewritten gaps of a chain's steps are the same SymPy objects and its caches (expand,
# the sign queries) serve them; they never leave relation_truth, so they cannot meet a user's symbol.
_OFFSETS = tuple(sympy.Dummy(f"p{n}", integer=True, nonnegative=True) for n in range(3))
# Answers by (gap, strictness, the ranges of its indices): the same conditions come back at every
# unfolding of a chain's sums.
_GAP_TRUTH: Table[tuple[object, ...], bool | None] = Table(4096)


def _gap_truth(
    gap: sympy.Expr, strict: bool, idx: list[sympy.Basic], ranges: Mapping[sympy.Symbol, IndexRange]
) -> bool | None:
    for choice in itertools.product((0, 1), repeat=len(idx)):
        sub: dict[sympy.Basic, sympy.Expr] = {}
        for s, c, extra in zip(idx, choice, _OFFSETS, strict=False):
            r = ranges[s]
            sub[s] = r.lower + extra if c == 0 else r.upper - extra
        g = sympy.expand(gap.xreplace(sub))
        if (g.is_positive if strict else g.is_nonnegative) is True:
            return True
        if (g.is_nonpositive if strict else g.is_negative) is True and not idx:
            return False
    return None


def resolve_condition(
    cond: sympy.Basic,
    ranges: Mapping[sympy.Symbol, IndexRange],
    distinct: frozenset[frozenset[sympy.Basic]] = frozenset(),
) -> sympy.Basic:
    """Replace every decidable atomic relation inside a boolean condition by true/false."""
    if isinstance(cond, sympy.And | sympy.Or | sympy.Not):
        return cond.func(*[resolve_condition(a, ranges, distinct) for a in cond.args])
    truth = relation_truth(cond, ranges, distinct)
    if truth is None:
        return cond
    return sympy.true if truth else sympy.false
