"""Infinite series, `\\sum_{k=0}^{\\infty} r^k`: summed in closed form when read, under the convergence
condition SymPy gives, which must follow from the declared domain of its symbols.

A series is never approximated: SymPy's `summation` either gives a closed form, valid where a condition
holds (`Piecewise((1/(1 - r), r < 1), (Sum(...), True))` for r^k with r > 0), or it leaves the sum. The
closed form is used only when the condition holds on the whole declared domain (r "unit": 0 < r < 1 ⊆
r < 1); otherwise, when no closed form is found, or when the sum is infinite, the step is refused with a
located message. A step then compares closed forms, which are exact.
"""

from __future__ import annotations

import sympy

from verifier.latex import messages as m
from verifier.latex.errors import ReadError

# the domain each assumption word gives a symbol (verifier/words.py holds their meaning; here their sets)
_DOMAINS: dict[str, sympy.Set] = {
    "real": sympy.S.Reals,
    "positive": sympy.Interval.open(0, sympy.oo),
    "nonnegative": sympy.Interval(0, sympy.oo),
    "negative": sympy.Interval.open(-sympy.oo, 0),
    "nonzero": sympy.Union(sympy.Interval.open(-sympy.oo, 0), sympy.Interval.open(0, sympy.oo)),
    "unit": sympy.Interval.open(0, 1),
    "binary": sympy.FiniteSet(0, 1),
    "integer": sympy.S.Integers,
}


# Reading runs in the main process (docs/architecture.md): SymPy's summation is given only a modest body,
# so that a series never holds up reading; a larger one is refused with the reason.
MAX_SERIES_OPS = 40


def _domain(sym: sympy.Symbol, words: dict[sympy.Symbol, frozenset[str]]) -> sympy.Set:
    out: sympy.Set = sympy.S.Reals
    for w in words.get(sym, frozenset()):
        out = sympy.Intersection(out, _DOMAINS.get(w, sympy.S.Reals))
    return out


def _holds(cond: sympy.Basic, words: dict[sympy.Symbol, frozenset[str]]) -> bool:
    """Whether a condition on one symbol holds on that symbol's whole declared domain (False when unsure)."""
    if cond is sympy.true:
        return True
    free = cond.free_symbols
    if len(free) != 1:
        return False
    (sym,) = free
    try:
        allowed = cond.as_set()
    except (NotImplementedError, TypeError, ValueError):
        return False
    return bool(_domain(sym, words).is_subset(allowed))


def closed_form(
    body: sympy.Expr, k: sympy.Symbol, start: sympy.Expr, words: dict[sympy.Symbol, frozenset[str]], at: int
) -> sympy.Expr:
    """Σ_{k=start}^{∞} body in closed form, or a ReadError at `at` (never a truncation)."""
    if sympy.count_ops(body) > MAX_SERIES_OPS or body.has(sympy.Sum, sympy.Product, sympy.Derivative):
        raise ReadError(m.SeriesTooLarge(MAX_SERIES_OPS), at)
    value = sympy.summation(body, (k, start, sympy.oo))
    if isinstance(value, sympy.Piecewise):
        for piece, cond in value.args:
            if piece.has(sympy.Sum):
                continue
            if _holds(cond, words):
                value = piece
                break
        else:
            conds = [c for p, c in value.args if not p.has(sympy.Sum) and c is not sympy.true]
            if conds:
                hint = " (it is a condition on several symbols)" if len(conds[0].free_symbols) > 1 else ""
                raise ReadError(m.SeriesConvergenceUnknown(sympy.sstr(conds[0]), hint), at)
            raise ReadError(m.SeriesNoClosedForm(), at)
    if value.has(sympy.Sum) or value.has(sympy.Piecewise):
        raise ReadError(m.SeriesNoClosedForm(), at)
    if value.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
        raise ReadError(m.SeriesDiverges(sympy.sstr(value)), at)
    return value
