"""Unfolding (contract §2): defined symbols and functions replaced by their bodies, derivatives evaluated.

`Derivative(A, v)` with v a defined symbol or family element unfolds A only down to v: v is held as
a fresh variable while differentiating, put back, and then the result is unfolded fully. That is
what makes the chain-rule product ∂L/∂ŷ · ∂ŷ/∂z · ∂z/∂w comparable with ∂L/∂w.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy
from sympy import Derivative, Indexed, IndexedBase, Product, Subs, Sum
from sympy.core.function import AppliedUndef

from verifier.check.sums import collapse
from verifier.notation import FunctionSpec, IndexRange, Notation

# Held variables while differentiating: a defined Symbol → Dummy, a defined family base → fresh base.
Hold = Mapping[sympy.Basic, sympy.Basic]


def substitute(body: sympy.Expr, mapping: Mapping[sympy.Basic, sympy.Basic]) -> sympy.Expr:
    """Simultaneous substitution that cannot capture: bound variables of sums in the body are renamed
    first when a substituted value mentions them (Σ_k w_{ik} x_k with i → k must not become w_{kk})."""
    incoming: set[sympy.Basic] = set()
    for v in mapping.values():
        incoming |= v.free_symbols
    if incoming:
        renames: dict[sympy.Basic, sympy.Basic] = {}
        for node in sympy.preorder_traversal(body):
            if isinstance(node, Sum | Product):
                for lim in node.limits:
                    if lim[0] in incoming:
                        renames[lim[0]] = sympy.Dummy(str(lim[0]), integer=True)
        if renames:
            body = body.xreplace(renames)
    return body.xreplace(dict(mapping))


def opaque_derivatives_as_subs(e: sympy.Basic) -> sympy.Expr:
    """Derivative(f(X), X) of an opaque one-argument f becomes Subs(Derivative(f(d), d), d, X),
    the reader's spelling of f'(X), so that putting a held variable back cannot re-differentiate."""
    if e.is_Atom or isinstance(e, Subs):
        return e  # a Subs already is the f'(u) form
    if (
        isinstance(e, Derivative)
        and isinstance(e.expr, AppliedUndef)
        and len(e.expr.args) == 1
        and all(v == e.expr.args[0] for v in e.variables)
    ):
        d = sympy.Dummy("t")
        return Subs(Derivative(e.expr.func(d), (d, len(e.variables))), d, e.expr.args[0])
    return e.func(*[opaque_derivatives_as_subs(a) for a in e.args])


class Unfolder:
    """Unfolds expressions of one notation; keeps the notation's heads and definitions at hand."""

    def __init__(self, notation: Notation) -> None:
        self.notation = notation
        self.defs = notation.definitions
        self.heads: dict[type, FunctionSpec] = {spec.head: spec for spec in notation.functions.values()}
        self.ranges: dict[sympy.Symbol, IndexRange] = dict(notation.indices)

    def unfold(self, e: sympy.Basic) -> sympy.Expr:
        """Fully unfold e, then collapse Kronecker deltas and range conditions."""
        out = self._walk(e, {})
        return collapse(out, self.ranges)

    # ---- the walk -------------------------------------------------------------------------
    def _walk(self, e: sympy.Basic, hold: Hold) -> sympy.Expr:
        if isinstance(e, Derivative):
            return self._derivative(e, hold)
        if isinstance(e, sympy.Symbol):
            if e in hold:
                return hold[e]
            d = self.defs.get(e)
            return self._walk(d.body, hold) if d is not None else e
        if isinstance(e, Indexed):
            idx = [self._walk(i, hold) for i in e.indices]
            if e.base in hold:
                return hold[e.base][tuple(idx)]
            d = self.defs.get(e.base)
            if d is not None:
                return self._walk(substitute(d.body, dict(zip(d.params, idx, strict=False))), hold)
            return e.base[tuple(idx)]
        if isinstance(e, AppliedUndef):
            args = [self._walk(a, hold) for a in e.args]
            spec = self.heads.get(e.func)
            if spec is not None and spec.body is not None:
                return self._walk(substitute(spec.body, dict(zip(spec.params, args, strict=False))), hold)
            return e.func(*args)
        if isinstance(e, Subs):
            points = [self._walk(p, hold) for p in e.point]
            if self._is_opaque_derivative(e.expr):
                # f'(u) of an opaque f: nothing to unfold inside, only the point
                return Subs(e.expr, e.variables, points)
            inner = self._walk(e.expr, hold)
            if inner.has(Derivative):
                # still an opaque derivative: keep the reader's Subs form
                return Subs(inner, e.variables, points)
            return inner.xreplace(dict(zip(e.variables, points, strict=True)))
        if isinstance(e, Sum | Product):
            # Fresh dummies for bound variables: no two sums share one, so later steps can use
            # plain `has` and substitution without worrying about shadowing.
            f = e.function
            limits = []
            for lim in e.limits:
                k = lim[0]
                fresh = sympy.Dummy(str(k), integer=True)
                f = f.xreplace({k: fresh})
                limits.append((fresh, *(self._walk(x, hold) for x in lim[1:])))
            return e.func(self._walk(f, hold), *limits)
        if e.is_Atom or not e.args:
            return e
        return e.func(*[self._walk(a, hold) for a in e.args])

    def _is_opaque_derivative(self, e: sympy.Basic) -> bool:
        if not (isinstance(e, Derivative) and isinstance(e.expr, AppliedUndef)):
            return False
        spec = self.heads.get(e.expr.func)
        return (spec is None or spec.body is None) and set(e.expr.args) >= set(e.variables)

    def _derivative(self, e: Derivative, hold: Hold) -> sympy.Expr:
        current: sympy.Basic = e.expr
        for v, count in e.variable_count:
            current = self._diff_one(current, v, int(count), hold)
        return current

    def _diff_one(self, a: sympy.Basic, v: sympy.Basic, count: int, hold: Hold) -> sympy.Expr:
        inner_hold = dict(hold)
        back: dict[sympy.Basic, sympy.Basic] = {}
        if isinstance(v, sympy.Symbol) and v in self.defs:
            held = sympy.Dummy(f"held_{v}")
            inner_hold[v] = held
            back[held] = v
            var: sympy.Basic = held
        elif isinstance(v, Indexed):
            idx = tuple(self._walk(i, hold) for i in v.indices)
            if v.base in self.defs:
                base = IndexedBase(sympy.Dummy(f"held_{v.base.label}"))
                inner_hold[v.base] = base
                back[base] = v.base
                var = base[idx]
            else:
                var = v.base[idx]
        else:
            var = self._walk(v, hold)
        body = self._walk(a, inner_hold)
        result = sympy.diff(body, (var, count))
        result = opaque_derivatives_as_subs(result)
        if back:
            result = result.xreplace(back)
        # the held variable (now v again) is unfolded with everything else
        return self._walk(result, hold)
