"""Measured SymPy hot spots, fixed in place. Each replacement computes what SymPy's own code computes,
but for the one edge case of 1 below, where SymPy is left knowing less, never something false
(tests/unit/test_sympy_speed.py compares the two); only work that cannot change the answer goes.

1. The free symbols of a sum (or product, integral). SymPy 1.13/1.14's `ExprWithLimits.free_symbols`
   masks each bound variable by `function.xreplace(reps)` where `reps` maps a plain bound symbol to
   itself. `xreplace` counts an identity entry as a change, so the whole summand is rebuilt, with
   SymPy's evaluation and assumption queries, on every call; and the call comes from every
   `is_number`, `is_positive`, `is_zero` asked of a sum (log(Σ…), exp(Σ…), a sum in a product). On the
   yardstick library that rebuilding was a third of the unfolding of a sum-heavy step.

   The replacement is the same computation with the identity entries left out of the `xreplace` (only
   bound variables that are not plain symbols are masked by a Dummy, exactly as before). The set it
   returns is the nominal free symbols SymPy documents for this property ("don't test for any special
   values"): bound variables removed, the bounds' symbols added. It can differ from the old answer only
   for a summand built unevaluated whose re-evaluation drops a symbol (x − x): then the old code
   answered from the rebuilt summand and this one from the summand as it stands, a superset. A superset
   of free symbols can only make `is_number` False where it was True, so SymPy knows less, never
   something false; no verdict rests on it (proofs come from exact zeros, refutations from probes).

2. The facts of a family element. Every `Indexed` (x[3], built by the probe for each drawn element and
   by every substitution of an index) derives its base's assumptions again through the inference
   rules (`StdFactKB(...)`, then `deduce_all_facts`). The facts derived depend on nothing but the base's
   assumptions, so they are derived once per set of assumptions and each new element gets a copy of its
   own: the same facts, the same generator, a separate object (a fact SymPy learns later about one
   element is never seen by another). 5 % of the yardstick's checking.

3. Factors of a dict. `Factors.__init__` first asks `factors in (None, S.One)`, and for a dict that is
   `S.One == dict`, which SymPy answers by converting the whole dict into a SymPy `Dict` (every key and
   value sympified into Tuples), only to find the two unequal. `Factors` are built from dicts all
   through `gcd_terms`, `factor_terms` and `together`: the conversion was 7 % of a median wrong step
   under the profiler. The dict is handed over as a dict SymPy refuses to convert (`CantSympify`), so
   the comparison is False at once, as it was after the conversion; the rest of `__init__` runs as it
   is (it copies the dict first: the copy is of the type SymPy's would be, a dict or a defaultdict).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import sympy
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.core.assumptions import StdFactKB, _assume_rules
from sympy.core.exprtools import Factors
from sympy.core.logic import fuzzy_bool
from sympy.core.sympify import CantSympify
from sympy.tensor.indexed import IndexedBase

# SymPy's own code, kept for the tests that compare the two
ORIGINAL = ExprWithLimits.__dict__["free_symbols"]
ORIGINAL_SET_ASSUMPTIONS = IndexedBase.__dict__["_set_assumptions"].__func__
ORIGINAL_FACTORS_INIT = Factors.__init__


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


# a base's assumptions → the facts SymPy derives from them (bounded: past the bound it starts afresh;
# a run meets a handful of distinct sets)
_FACTS: dict[frozenset[tuple[str, Any]], dict[str, Any]] = {}
_FACTS_BOUND = 4096


def _set_assumptions(obj: sympy.Basic, assumptions: dict[str, Any]) -> None:
    """IndexedBase._set_assumptions (SymPy's: the generator is the assumptions as given, the facts are
    derived with `commutative` made a bool), from the facts derived the first time."""
    key = frozenset(assumptions.items())
    generator = assumptions.copy()
    assumptions["commutative"] = fuzzy_bool(assumptions.get("commutative", True))  # as SymPy does
    derived = _FACTS.get(key)
    if derived is None:
        derived = dict(StdFactKB(assumptions))  # raises on inconsistent assumptions, as SymPy's does
        if len(_FACTS) >= _FACTS_BOUND:
            _FACTS.clear()
        _FACTS[key] = derived
    kb = StdFactKB.__new__(StdFactKB)  # no deduction: the facts are the ones derived above
    kb.rules = _assume_rules
    dict.update(kb, derived)
    kb._generator = generator
    obj._assumptions = kb


class _Unconverted(dict, CantSympify):
    """A dict SymPy declines to sympify (CantSympify): compared with a SymPy object, it is unequal at once."""


class _UnconvertedDefault(defaultdict, CantSympify):
    """The same for a defaultdict (`as_powers_dict` returns one)."""


def _factors_init(self: Factors, factors: Any = None) -> None:
    kind = type(factors)
    if kind is dict:
        ORIGINAL_FACTORS_INIT(self, _Unconverted(factors))  # SymPy's copy of it is a plain dict
    elif kind is defaultdict:
        ORIGINAL_FACTORS_INIT(self, _UnconvertedDefault(factors.default_factory, factors))
        # SymPy's copy of a defaultdict keeps its type, here the subclass: a plain one, as SymPy's
        self.factors = defaultdict(factors.default_factory, self.factors)
    else:
        ORIGINAL_FACTORS_INIT(self, factors)


def install() -> None:
    """Idempotent; called once when the checker is imported."""
    ExprWithLimits.free_symbols = property(_free_symbols)
    IndexedBase._set_assumptions = staticmethod(_set_assumptions)
    Factors.__init__ = _factors_init


def uninstall() -> None:
    """SymPy's own code back (idempotent)."""
    ExprWithLimits.free_symbols = ORIGINAL
    IndexedBase._set_assumptions = staticmethod(ORIGINAL_SET_ASSUMPTIONS)
    Factors.__init__ = ORIGINAL_FACTORS_INIT


@contextlib.contextmanager
def plain_sympy() -> Iterator[None]:
    """SymPy as installed for the duration (the benchmark's baselines: plain `simplify` is SymPy's,
    not SymPy with the checker's fixes); the fixes are back afterwards, whatever happened inside."""
    uninstall()
    try:
        yield
    finally:
        install()
