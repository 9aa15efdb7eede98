"""One measured SymPy hot spot, fixed in place: the free symbols of a sum (or product, integral).

SymPy 1.13/1.14's `ExprWithLimits.free_symbols` masks each bound variable by `function.xreplace(reps)`
where `reps` maps a plain bound symbol to itself. `xreplace` counts an identity entry as a change, so
the whole summand is rebuilt, with SymPy's evaluation and assumption queries, on every call; and the
call comes from every `is_number`, `is_positive`, `is_zero` asked of a sum (log(Σ…), exp(Σ…), a sum in
a product). On the yardstick library that rebuilding was a third of the unfolding of a sum-heavy step.

The replacement is the same computation with the identity entries left out of the `xreplace` (only
bound variables that are not plain symbols are masked by a Dummy, exactly as before). The set it
returns is the nominal free symbols SymPy documents for this property ("don't test for any special
values"): bound variables removed, the bounds' symbols added. It can differ from the old answer only
for a summand built unevaluated whose re-evaluation drops a symbol (x − x): then the old code
answered from the rebuilt summand and this one from the summand as it stands, a superset. A superset
of free symbols can only make `is_number` False where it was True, so SymPy knows less, never
something false; no verdict rests on it (proofs come from exact zeros, refutations from probes).
"""

from __future__ import annotations

import sympy
from sympy.concrete.expr_with_limits import ExprWithLimits

# SymPy's own property, kept for the tests that compare the two
ORIGINAL = ExprWithLimits.__dict__["free_symbols"]


def _free_symbols(self: ExprWithLimits) -> set[sympy.Basic]:
    function, limits = self.function, self.limits
    reps = {xab[0]: xab[0] if xab[0].free_symbols == {xab[0]} else sympy.Dummy() for xab in limits}
    moved = {k: v for k, v in reps.items() if k is not v}
    if moved:
        function = function.xreplace(moved)
    isyms = set(function.free_symbols)
    for xab in limits:
        v = reps[xab[0]]
        if len(xab) == 1:
            isyms.add(v)
            continue
        isyms.discard(v)  # the bound variable is not free in the whole
        for bound in xab[1:]:
            isyms.update(bound.free_symbols)
    back = {v: k for k, v in reps.items()}
    return {back.get(s, s) for s in isyms}


def install() -> None:
    """Idempotent; called once when the checker is imported."""
    ExprWithLimits.free_symbols = property(_free_symbols)
