"""Unfolding (contract §2): defined symbols and functions replaced by their bodies, derivatives evaluated.

`Derivative(A, v)` with v a defined symbol or family element unfolds A only down to v: v is held as
a fresh variable while differentiating, put back, and then the result is unfolded fully. That is
what makes the chain-rule product ∂L/∂ŷ · ∂ŷ/∂z · ∂z/∂w comparable with ∂L/∂w.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping

import sympy
from sympy import Derivative, Indexed, IndexedBase, Product, Subs, Sum
from sympy.core.function import AppliedUndef

from verifier.check.alpha import depth_variables, named_bound, rename_by_depth
from verifier.check.memo import FAST_PATHS, MISSING, WALKED, Table
from verifier.check.sums import collapse, new_sum, rebuilt, with_limits
from verifier.notation import FunctionSpec, IndexRange, Notation

# Held variables while differentiating: a defined Symbol → Dummy, a defined family base → fresh base.
Hold = Mapping[sympy.Basic, sympy.Basic]
# The bound variables of the sums around the node being walked → their fixed variables (one per depth).
Rename = Mapping[sympy.Basic, sympy.Basic]
_NO_RENAME: Rename = {}


def substitute(body: sympy.Expr, mapping: Mapping[sympy.Basic, sympy.Basic]) -> sympy.Expr:
    """Simultaneous substitution that respects binders: a sum's bound variable is never substituted
    (Σ_i x_i with i → 2 stays Σ_i x_i), and it is renamed where a substituted value mentions it
    (Σ_k w_{ik} x_k with i → k must not become Σ_k w_{kk} x_k). Only the bound occurrences are renamed:
    the free i of x_i Σ_i x_i still receives its value."""
    return _subst(body, dict(mapping))


def _subst(e: sympy.Basic, mapping: dict[sympy.Basic, sympy.Basic]) -> sympy.Expr:
    if not mapping:
        return e
    if e in mapping:
        return mapping[e]
    if not e.has(Sum, Product, Subs):
        # no binder below (an Indexed counts as an atom but has its indices as args):
        # plain replacement is exact, and fast
        return e.xreplace(mapping)
    if isinstance(e, Sum | Product):
        # limits are listed innermost first; the bounds of a limit lie in the scope of the limits
        # outside it, so walk them from the outside in
        scope = mapping
        limits: list[tuple[sympy.Basic, ...]] = []
        for k, *bounds in reversed(e.limits):
            bounds = [_subst(x, scope) for x in bounds]
            scope = {key: v for key, v in scope.items() if key != k}
            if any(v.has(k) for v in scope.values()):
                fresh = sympy.Dummy(str(k), integer=True)
                scope[k] = fresh
                k = fresh
            limits.append((k, *bounds))
        return e.func(_subst(e.function, scope), *reversed(limits))
    if isinstance(e, Subs):
        inner = {key: v for key, v in mapping.items() if key not in e.variables}
        clash = [s for s in e.variables if any(v.has(s) for v in inner.values())]
        expr, variables = e.expr, tuple(e.variables)
        if clash:
            fresh = {s: sympy.Dummy(str(s)) for s in clash}
            expr, variables = expr.xreplace(fresh), tuple(fresh.get(s, s) for s in variables)
        return Subs(_subst(expr, inner), variables, [_subst(p, mapping) for p in e.point])
    return rebuilt(e, [_subst(a, mapping) for a in e.args])


def opaque_derivatives_as_subs(e: sympy.Basic) -> sympy.Expr:
    """Derivative(f(X), X) of an opaque one-argument f becomes Subs(Derivative(f(d), d), d, X),
    the reader's spelling of f'(X), so that putting a held variable back cannot re-differentiate."""
    if e.is_Atom or isinstance(e, Subs) or not e.has(Derivative):
        return e  # a Subs already is the f'(u) form; no derivative below: nothing to rewrite
    if (
        isinstance(e, Derivative)
        and isinstance(e.expr, AppliedUndef)
        and len(e.expr.args) == 1
        and all(v == e.expr.args[0] for v in e.variables)
    ):
        d = sympy.Dummy("t")
        return Subs(Derivative(e.expr.func(d), (d, len(e.variables))), d, e.expr.args[0])
    if isinstance(e, Derivative) and isinstance(e.expr, AppliedUndef):
        # ∂f(X, x)/∂X of an opaque f of several arguments: the same Subs form, one Dummy per
        # differentiated argument slot (else putting a held X back re-differentiates forever)
        args = list(e.expr.args)
        slots = {v: args.index(v) for v in e.variables if args.count(v) == 1}
        if len(slots) == len(set(e.variables)) and not any(
            a.has(v) for v, n in slots.items() for k, a in enumerate(args) if k != n
        ):
            dummies = {v: sympy.Dummy("t") for v in slots}
            body = e.expr.func(*[dummies.get(a, a) for a in args])
            counts = [(dummies[v], c) for v, c in e.variable_count]
            return Subs(Derivative(body, *counts), tuple(dummies.values()), tuple(dummies))
    return rebuilt(e, [opaque_derivatives_as_subs(a) for a in e.args])


# The variable a defined symbol (or family base) is held as while differentiating: one per symbol for
# the process, so differentiating the same body again (the steps of a chain-rule chain) builds the same
# SymPy objects and its caches serve them. It never outlives the differentiation that holds it (put
# back before the result is walked), so it cannot meet itself, even in nested derivatives by the same
# variable: the inner one puts it back, and the outer one holds it again.
_HELD: dict[sympy.Basic, sympy.Basic] = {}


def _held(v: sympy.Basic) -> sympy.Basic:
    if v not in _HELD:
        if isinstance(v, IndexedBase):
            _HELD[v] = IndexedBase(sympy.Dummy(f"held_{v.label}"))
        else:
            _HELD[v] = sympy.Dummy(f"held_{v}")
    return _HELD[v]


def derivative(e: sympy.Basic, v: sympy.Symbol | Indexed) -> sympy.Expr:
    """∂e/∂v (v a symbol or a family element): the expression SymPy's `diff(e, v)` builds, node for
    node, without what SymPy's Derivative does around every node it differentiates. It asks whether
    each partial result is zero (a query of the assumptions system on every subexpression: most of
    the time of unfolding), and walks the result for unevaluated derivatives to sort their variables
    (there are none to sort: every node this function builds itself is +, ×, a power, exp, log or a sum).
    Only the rules of +, ×, powers, exp, log and sums are applied here, as SymPy's own methods write
    them (Add, Mul, Pow and Sum `_eval_derivative`, Mul's Leibniz rule for a symbol, Function's chain
    rule); opaque functions, family elements and every other construct are SymPy's `diff`.

    One difference, in form only: where SymPy's rules drop a partial result it can show is zero
    (exp, log) or multiply one by log(base) (a power with a constant exponent), a partial result is
    dropped when it is the number 0. The two differ only on a base or argument that is zero without
    being written 0 (a sum over an empty range), where SymPy's form holds 0·∞ = nan and this one the
    value itself. Kept by (e, v): the steps of a chain differentiate the same bodies again."""
    return _DERIVATIVES.get((e, v), lambda: _derivative(e, v))


_DERIVATIVES: Table[tuple[sympy.Basic, sympy.Basic], sympy.Expr] = Table(1 << 13)
_INFINITIES = (sympy.oo, -sympy.oo, sympy.zoo, sympy.nan)
_RULES = (sympy.Add, sympy.Mul, sympy.Pow, sympy.exp, sympy.log, Sum)


def _derivative(e: sympy.Basic, v: sympy.Basic) -> sympy.Expr:
    if not isinstance(e, _RULES):
        return sympy.diff(e, v)
    if _free_of(e, v):
        return sympy.S.Zero
    if isinstance(e, Sum):
        # Sum._eval_derivative: the summand of the outermost limit differentiated, unless v is in that
        # limit's bounds (a sum is not differentiable in its range: SymPy leaves it unevaluated)
        *inner, (k, a, b) = e.limits
        if v in a.free_symbols or v in b.free_symbols:
            return sympy.diff(e, v)
        f = new_sum(e.function, *inner) if inner else e.function
        return new_sum(derivative(f, v), (k, a, b))
    args = e.args
    if isinstance(e, sympy.Add):
        return sympy.Add(*[derivative(a, v) for a in args])
    if isinstance(e, sympy.Mul):
        parts = [derivative(a, v) for a in args]
        if isinstance(v, sympy.Symbol):
            # Mul._eval_derivative_n_times (general Leibniz rule, n = 1): each product built at once
            return sympy.Add(*[sympy.Mul(*args[:i], d, *args[i + 1 :]) for i, d in enumerate(parts) if d != 0])
        # Mul._eval_derivative: each product built left to right
        terms = []
        for i, d in enumerate(parts):
            if d != 0:
                terms.append(functools.reduce(operator.mul, (*args[:i], d, *args[i + 1 :]), sympy.S.One))
        return sympy.Add.fromiter(terms)
    if isinstance(e, sympy.Pow):
        base, ex = args
        dbase, dexp = derivative(base, v), derivative(ex, v)
        if dexp == 0:
            # SymPy builds 0·log(base) here, which is 0 unless log(base) is infinite (base zero):
            # the log and its queries only ever matter for a base SymPy knows is 0 without it being 0
            return e * (dbase * ex / base)
        return e * (dexp * sympy.log(base) + dbase * ex / base)
    # exp and log, one argument: Function._eval_derivative (which drops a zero partial that SymPy
    # can show is zero; here only a literal 0 is, which changes the form of nothing else)
    (a,) = args
    da = derivative(a, v)
    if da == 0:
        return sympy.S.Zero
    return e.fdiff(1) * da


def _free_of(e: sympy.Basic, v: sympy.Basic) -> bool:
    """Whether SymPy's Derivative returns 0 at once: v a symbol not free in e, or (a family element)
    sharing no free symbol with e."""
    free = e.free_symbols
    if isinstance(v, sympy.Symbol):
        return v not in free
    return not (free & v.free_symbols)


class CannotDifferentiate(ValueError):
    """A derivative SymPy cannot evaluate (with respect to a sum's bound, say): the step is an error."""


@functools.lru_cache(maxsize=1 << 14)
def _mentions(e: sympy.Basic, variables: frozenset[sympy.Basic]) -> bool:
    """Whether e is or holds one of the variables, free or bound (memoised per subtree)."""
    if isinstance(e, sympy.Dummy):
        return e in variables
    return any(_mentions(a, variables) for a in e.args)


class Unfolder:
    """Unfolds expressions of one notation; keeps the notation's heads and definitions at hand."""

    def __init__(self, notation: Notation) -> None:
        self.notation = notation
        self.defs = notation.definitions
        self.heads: dict[type, FunctionSpec] = {spec.head: spec for spec in notation.functions.values()}
        self.ranges: dict[sympy.Symbol, IndexRange] = dict(notation.indices)
        self._fixed = True

    def unfold(self, e: sympy.Basic) -> sympy.Expr:
        """Fully unfold e, then collapse Kronecker deltas and range conditions."""
        # A depth's fixed variable free in e (a summand taken out of its sum) would be captured by the
        # sum of that depth: such an e gets fresh variables instead, as every sum did before.
        # (a step that holds no fixed variable at all, free or bound, as read steps do, needs no look at
        # its free symbols: SymPy walks the whole tree for them)
        fixed = depth_variables()
        self._fixed = not _mentions(e, fixed) or not (e.free_symbols & fixed)
        out = self._walk(e, {})
        return collapse(out, self.ranges)

    def _bound(self, k: sympy.Basic, depth: int) -> sympy.Dummy:
        name = k.name if isinstance(k, sympy.Symbol) else str(k)
        return named_bound(name, depth) if self._fixed else sympy.Dummy(name, integer=True)

    # ---- the walk -------------------------------------------------------------------------
    # `rename` maps the bound variables of the sums being walked to their fixed variables, applied as
    # the walk goes (one rebuilding of the summand, not a substitution first and a walk after). It is
    # the capture-avoiding substitution `substitute` would make: an inner sum that binds the same
    # variable shadows the entry, a Subs's own variables are left alone, and it is not applied inside
    # a definition's body (a free i in a definition is not the i of the sum the symbol stands in),
    # nor to what differentiation returns (already walked under it).
    def _walk(self, e: sympy.Basic, hold: Hold, rename: Rename = _NO_RENAME, depth: int = 0) -> sympy.Expr:
        # A subtree is unfolded once per notation (memo.WALKED). Its unfolded form is a function of the
        # subtree, its depth (the fixed names of the sums inside it) and the renaming around it, and of
        # nothing else while no variable is held (differentiating) and the sums take their fixed names
        # (with fresh Dummies, each walk must make its own).
        if hold or not self._fixed or e.is_Atom or not FAST_PATHS:
            return self._node(e, hold, rename, depth)
        key = (e, depth, tuple(rename.items()))
        hit = WALKED.lookup(self.notation, key)
        if hit is not MISSING:
            return hit
        out = self._node(e, hold, rename, depth)
        WALKED.store(self.notation, key, out)
        return out

    def _node(self, e: sympy.Basic, hold: Hold, rename: Rename, depth: int) -> sympy.Expr:
        if isinstance(e, Derivative):
            return self._derivative(e, hold, rename, depth)
        if isinstance(e, sympy.Symbol):
            if e in rename:
                return rename[e]
            if e in hold:
                return hold[e]
            d = self.defs.get(e)
            return self._walk(d.body, hold, depth=depth) if d is not None else e
        if isinstance(e, Indexed):
            idx = [self._walk(i, hold, rename, depth) for i in e.indices]
            if e.base in hold:
                return hold[e.base][tuple(idx)]
            d = self.defs.get(e.base)
            if d is not None:
                return self._walk(substitute(d.body, dict(zip(d.params, idx, strict=False))), hold, depth=depth)
            return e.base[tuple(idx)]
        if isinstance(e, AppliedUndef):
            args = [self._walk(a, hold, rename, depth) for a in e.args]
            spec = self.heads.get(e.func)
            if spec is not None and spec.body is not None:
                return self._walk(substitute(spec.body, dict(zip(spec.params, args, strict=False))), hold, depth=depth)
            return rebuilt(e, args)
        if isinstance(e, Subs):
            points = [self._walk(p, hold, rename, depth) for p in e.point]
            if self._is_opaque_derivative(e.expr):
                # f'(u) of an opaque f: nothing to unfold inside, only the point
                return Subs(e.expr, e.variables, points)
            inner_rename = {k: v for k, v in rename.items() if k not in e.variables}
            inner = self._walk(e.expr, hold, inner_rename, depth)
            if inner.has(Derivative):
                # still an opaque derivative: keep the reader's Subs form
                return Subs(inner, e.variables, points)
            # the points were walked at this depth, and so were the body's sums: putting a point inside
            # one of them can nest two sums bound by the same fixed variable, so both are named again
            out = inner.xreplace(dict(zip(e.variables, points, strict=True)))
            return rename_by_depth(out, depth) if self._fixed else out
        if isinstance(e, Sum | Product):
            # A sum's variable is the fixed one of its nesting depth (alpha.py), counted through
            # definitions' bodies and derivatives: a sum never shares its variable with a sum around
            # it (so `has` on a sum's body still tells an outer index from its own), only with sums
            # beside it. The same expression unfolds to the same object every time, so SymPy's caches
            # (evaluation, assumptions) serve the later steps of a chain; with fresh Dummies they never did.
            # Limits are listed innermost first; a limit's variable is bound in the body and in the
            # bounds of the limits inside it (Σ_{i=1}^{N} Σ_{j=1}^{i}: the inner bound i is the outer
            # variable, not a free i), so walk them from the outside in.
            scope = dict(rename)
            walked: list[tuple[sympy.Basic, ...]] = []
            for k, *bounds in reversed(e.limits):
                bounds = [self._walk(x, hold, scope, depth) for x in bounds]
                fresh = self._bound(k, depth)
                depth += 1
                scope[k] = fresh
                walked.append((fresh, *bounds))
            return with_limits(e, self._walk(e.function, hold, scope, depth), walked[::-1])
        if e.is_Atom or not e.args:
            return e
        return rebuilt(e, [self._walk(a, hold, rename, depth) for a in e.args])

    def _is_opaque_derivative(self, e: sympy.Basic) -> bool:
        if not (isinstance(e, Derivative) and isinstance(e.expr, AppliedUndef)):
            return False
        spec = self.heads.get(e.expr.func)
        return (spec is None or spec.body is None) and set(e.expr.args) >= set(e.variables)

    def _derivative(self, e: Derivative, hold: Hold, rename: Rename, depth: int) -> sympy.Expr:
        """∂/∂v₁ … ∂/∂vₙ A: every defined variable among the vᵢ is held for the whole derivative, then put
        back and unfolded with everything else. Held only for its own differentiation, a defined t was
        unfolded away before its turn came: ∂/∂t ∂/∂x (t·x) was 0, and proved equal to 0."""
        inner_hold = dict(hold)
        back: dict[sympy.Basic, sympy.Basic] = {}
        variables = [
            (self._variable(v, hold, inner_hold, back, rename, depth), int(count), v) for v, count in e.variable_count
        ]
        result = self._walk(e.expr, inner_hold, rename, depth)
        for var, count, v in variables:
            # SymPy's rules, by SymPy where an infinity is in sight (its 0·∞ is nan, `derivative` drops a 0)
            plain = count == 1 and isinstance(var, sympy.Symbol | Indexed) and not result.has(*_INFINITIES)
            result = derivative(result, var) if plain else sympy.diff(result, (var, count))
            result = opaque_derivatives_as_subs(result)
            for node in sympy.preorder_traversal(result):
                if isinstance(node, Derivative) and not isinstance(node.expr, AppliedUndef):
                    # SymPy left it unevaluated (∂/∂N of a sum up to N): walking it again would recurse
                    raise CannotDifferentiate(
                        f"cannot differentiate {sympy.sstr(node.expr)[:80]} with respect to {v}"
                    )
        if back:
            result = result.xreplace(back)
        # the held variables (now themselves again) are unfolded with everything else
        return self._walk(result, hold, depth=depth)

    def _variable(
        self,
        v: sympy.Basic,
        hold: Hold,
        inner_hold: dict[sympy.Basic, sympy.Basic],
        back: dict[sympy.Basic, sympy.Basic],
        rename: Rename,
        depth: int,
    ) -> sympy.Basic:
        """The variable to differentiate by for v: a defined symbol or family element held as a variable
        (recorded in `inner_hold` and `back`), otherwise v unfolded."""
        if isinstance(v, sympy.Symbol) and v not in rename and v in self.defs:
            held = _held(v)
            inner_hold[v] = held
            back[held] = v
            return held
        if isinstance(v, Indexed):
            idx = tuple(self._walk(i, hold, rename, depth) for i in v.indices)
            if v.base in self.defs:
                base = _held(v.base)
                inner_hold[v.base] = base
                back[base] = v.base
                return base[idx]
            return v.base[idx]
        return self._walk(v, hold, rename, depth)
