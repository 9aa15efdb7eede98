"""Bound variables in a canonical form: the sums of one expression renamed by their depth.

Reading matrix notation binds each product's and norm's index to a fresh Dummy, so the same entry read
twice (or the entry of one step compared against two others) is a different SymPy object each time:
nothing keyed by the expression (the unfolded-form cache, SymPy's own cache) is ever hit again, and
Σ_k x_k θ_k written with a declared i is never `identical` to the same sum bound by a Dummy. Renaming
the variable of a sum at nesting depth d to one fixed Dummy per depth is alpha-conversion, an identity:
the fixed Dummy of depth d is bound nowhere above depth d and is free nowhere (checked), so no
occurrence is captured.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable

import sympy
from sympy import Product, Sum

from verifier.check.sums import canonical, holds_sums, renamed, with_limits

# One fixed integer Dummy per nesting depth; the names are the reader's ("k"), so that diagnoses print
# them as before (the display numbers the bound variables it meets: k0, k1, ...).
_DEPTHS: list[sympy.Dummy] = []


def _bound(depth: int) -> sympy.Dummy:
    while len(_DEPTHS) <= depth:
        _DEPTHS.append(sympy.Dummy("k", integer=True))
    return _DEPTHS[depth]


# Unfolding's fixed variables, one per name and depth: a sum keeps its author's letter (explanations
# print Σ over i′, not over k0), and the same sum unfolded twice is still one object.
_NAMED: dict[tuple[str, int], sympy.Dummy] = {}


def named_bound(name: str, depth: int) -> sympy.Dummy:
    """The fixed integer variable of a sum over `name` at nesting depth `depth`."""
    v = _NAMED.get((name, depth))
    if v is None:
        v = _NAMED[(name, depth)] = sympy.Dummy(name, integer=True)
    return v


def rename_by_depth(e: sympy.Basic, depth: int = 0) -> sympy.Basic:
    """e (sitting at nesting depth `depth`) with every sum's variable renamed to the fixed one of its
    letter and depth, as unfolding names them: alpha-conversion, which also undoes a sum shadowing
    another of the same variable (a substitution can put Σ_j inside Σ_j). Capture-free: a binder at
    depth d gets a name no binder around it has (those are of smaller depths), and no fixed variable of
    depth d or more is free in e (the caller's invariant: free fixed variables are bound around e)."""
    return _walk(e, depth, {}, _by_letter)


def _by_letter(k: sympy.Basic, depth: int) -> sympy.Basic:
    return named_bound(k.name if isinstance(k, sympy.Symbol) else str(k), depth)


def _dummies_only(k: sympy.Basic, depth: int) -> sympy.Basic | None:
    return _bound(depth) if isinstance(k, sympy.Dummy) else None


def depth_variables() -> frozenset[sympy.Dummy]:
    """Every fixed variable made so far (by depth, and by name and depth)."""
    return frozenset(_DEPTHS) | frozenset(_NAMED.values())


@functools.lru_cache(maxsize=1 << 10)
def canonical_bound(e: sympy.Basic) -> sympy.Basic:
    """e with the Dummy-bound variables of its sums and products renamed by depth (a variable written
    with a declared name keeps it: diagnoses show the author's names). Unchanged when a canonical
    Dummy is free in e (it could be captured). Memoised: a step is renamed for both pairs it is in."""
    if not holds_sums(e) or e.free_symbols & set(_DEPTHS):
        return e
    return _walk(e, 0, {}, _dummies_only)


def _walk(
    e: sympy.Basic,
    depth: int,
    rename: dict[sympy.Basic, sympy.Basic],
    fixed: Callable[[sympy.Basic, int], sympy.Basic | None],
) -> sympy.Basic:
    """One pass: `rename` maps the variables of the sums around e to their new names; `fixed` names a
    variable bound at a depth (None: it keeps its name)."""
    if not e.args:  # a symbol, a number (an Indexed is an Atom to SymPy, with its indices as args)
        return rename.get(e, e)
    if not rename and not holds_sums(e):
        return e
    if isinstance(e, Sum | Product):
        # limits are listed innermost first; a limit's bounds lie in the scope of the limits outside
        # it, so walk them from the outside in
        scope = dict(rename)
        limits: list[tuple[sympy.Basic, ...]] = []
        for k, *bounds in reversed(e.limits):
            bounds = [_walk(x, depth, scope, fixed) for x in bounds]
            new = fixed(k, depth)
            if new is not None:
                scope[k] = new
                k = new
            else:
                scope.pop(k, None)  # a kept name shadows an outer renaming of the same variable
            limits.append((k, *bounds))
            depth += 1
        body = _walk(e.function, depth, scope, fixed)
        if body is e.function and all(new == old for new, old in zip(reversed(limits), e.limits, strict=True)):
            return e
        return with_limits(e, body, limits[::-1])
    return renamed(e, [_walk(a, depth, rename, fixed) for a in e.args])


def alpha_equal(a: sympy.Basic, b: sympy.Basic) -> bool:
    """Whether a and b are the same expression up to the names of their sums' bound variables (every
    bound variable renamed by its height, verifier/check/sums.py). A shortcut before the cascade: a
    pair it misses goes to the cascade, which decides it its way."""
    if a == b:
        return True
    if type(a) is not type(b) or len(a.args) != len(b.args) or not (a.has(Sum, Product) and b.has(Sum, Product)):
        return False  # cheap necessary conditions first: renaming keeps the tree's shape
    if _kinds(a) != _kinds(b):
        # renaming keeps every node's class too. (It can make two sums equal, which SymPy then merges:
        # Σ_i x_i + Σ_k x_k. Such a pair is missed here and proved by the cascade's sum normalisation.)
        # On the yardstick no pair was alpha-equal and the renaming was most of this shortcut's time.
        return False
    return bool(canonical(a) == canonical(b))


@functools.lru_cache(maxsize=1 << 10)
def _kinds(e: sympy.Basic) -> Counter[type]:
    """How many nodes of each class e has, a symbol of any kind counted as a Symbol (a written index
    and the Dummy a matrix product binds are renamed into one another); memoised: a step is in two pairs."""
    nodes = sympy.preorder_traversal(e)
    return Counter(sympy.Symbol if isinstance(node, sympy.Symbol) else type(node) for node in nodes)
