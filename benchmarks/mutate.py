"""Mutation operators on SymPy expressions: typical slips (wrong steps) and equal rewrites.

Each operator works on the step as read (folded: defined symbols kept) or on its unfolding, and
returns (note, expression) candidates. Whether a candidate is really wrong is decided later by the
independent ground truth (benchmarks.truth), never by the engine or by the operator's intent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sympy
from sympy import Derivative, Indexed, Subs, Sum
from sympy.core.function import AppliedUndef

from verifier.notation import Notation

Path = tuple[int, ...]
Candidate = tuple[str, sympy.Expr]

WRONG_KINDS = (
    "flip sign",
    "swap symbols",
    "drop factor",
    "drop term",
    "change exponent",
    "swap index",
    "log → argument",
    "term out of sum",
    # the hard kinds (issue 11 §1): invisible to a 1e-15 tolerance, to a probe box of |x| < 8 and sizes
    # up to 5, or to 30-digit values
    "tiny constant",
    "error outside the box",
    "vanishes at small sizes",
    "saturated tail",
)
EQUAL_KINDS = ("expand", "factor", "together", "multiply and divide", "add and subtract", "reorder")


@dataclass
class Mutant:
    """One generated step: it replaces the current step of a pair."""

    pair: int  # index into the corpus' pairs
    kind: str
    level: str  # "folded" (the step as read) or "unfolded"
    note: str
    expr: sympy.Expr
    intended: str  # "wrong" or "equal": what the operator aims at (the ground truth may disagree)


def _value_children(e: sympy.Basic) -> list[int]:
    """Argument positions that hold values one may mutate (not derivative variables, sum limits, indices)."""
    if isinstance(e, Indexed) or e.is_Atom:
        return []
    if isinstance(e, Derivative | Sum | sympy.Product):
        return [0]
    if isinstance(e, Subs):
        return [0, 2] if not isinstance(e.expr, Derivative) else [2]
    if isinstance(e, sympy.Tuple):
        return list(range(len(e.args)))
    if isinstance(e, sympy.Piecewise | sympy.KroneckerDelta):
        return []
    return list(range(len(e.args)))


def nodes(e: sympy.Basic, path: Path = ()) -> Iterator[tuple[Path, sympy.Basic]]:
    """Every mutable node with its path (pre-order)."""
    yield path, e
    for n in _value_children(e):
        yield from nodes(e.args[n], (*path, n))


def replace_at(e: sympy.Basic, path: Path, new: sympy.Basic) -> sympy.Basic:
    if not path:
        return new
    args = list(e.args)
    args[path[0]] = replace_at(args[path[0]], path[1:], new)
    return e.func(*args)


def _parent(e: sympy.Basic, path: Path) -> sympy.Basic | None:
    if not path:
        return None
    node = e
    for n in path[:-1]:
        node = node.args[n]
    return node


def _leaves(e: sympy.Basic, notation: Notation) -> list[sympy.Basic]:
    """Variables a slip can confuse: plain non-index symbols and family elements."""
    out: set[sympy.Basic] = set()
    for _, node in nodes(e):
        if isinstance(node, Indexed) or (
            isinstance(node, sympy.Symbol)
            and node not in notation.indices
            and not isinstance(node, sympy.Dummy)
            and not node.is_integer  # sizes and integers are not what a slip swaps for y or ŷ
        ):
            out.add(node)
    return sorted(out, key=sympy.default_sort_key)


def flip_sign(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    out = []
    for path, node in nodes(e):
        parent = _parent(e, path)
        if isinstance(parent, sympy.Add):
            out.append((f"negate the term {node}", replace_at(e, path, -node)))
        elif isinstance(node, Indexed | sympy.Symbol) and not node.is_integer and isinstance(parent, sympy.Mul):
            out.append((f"negate the factor {node}", replace_at(e, path, -node)))
    return out


def swap_symbols(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    leaves = _leaves(e, notation)
    family = {x: (x.indices if isinstance(x, Indexed) else None) for x in leaves}
    out = []
    for n, a in enumerate(leaves):
        for b in leaves[n + 1 :]:
            if family[a] != family[b]:
                continue  # y_i ↔ ŷ_i, w ↔ b: like for like
            out.append((f"swap {a} ↔ {b}", e.xreplace({a: b, b: a})))
        for b in leaves:
            if b != a and family[a] == family[b]:
                out.append((f"write {b} for {a}", e.xreplace({a: b})))
    return out


def drop_factor(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    out = []
    for path, node in nodes(e):
        if isinstance(node, sympy.Mul):
            for n, f in enumerate(node.args):
                if f.is_number and f != -1:
                    continue
                rest = sympy.Mul(*(node.args[:n] + node.args[n + 1 :]))
                out.append((f"drop the factor {f}", replace_at(e, path, rest)))
    return out


def drop_term(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    out = []
    for path, node in nodes(e):
        if isinstance(node, sympy.Add):
            for n, t in enumerate(node.args):
                rest = sympy.Add(*(node.args[:n] + node.args[n + 1 :]))
                out.append((f"drop the term {t}", replace_at(e, path, rest)))
    return out


def change_exponent(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    out = []
    for path, node in nodes(e):
        if isinstance(node, sympy.Pow):
            base, p = node.args
            if p.is_Integer:
                q = p + 1 if p > 0 else p - 1
            elif p.is_Rational:
                q = 2 * p
            else:
                q = p + 1
            out.append((f"exponent {p} → {q}", replace_at(e, path, sympy.Pow(base, q))))
        elif isinstance(node, sympy.exp):
            out.append(
                (f"e^{{{node.args[0]}}} → e^{{-({node.args[0]})}}", replace_at(e, path, sympy.exp(-node.args[0])))
            )
        elif (
            isinstance(node, Indexed | sympy.Symbol) and not node.is_integer and isinstance(_parent(e, path), sympy.Mul)
        ):
            out.append((f"{node} → {node}^2", replace_at(e, path, node**2)))
    return out


def _same_range(
    notation: Notation, k: sympy.Basic, lo: sympy.Expr | None = None, hi: sympy.Expr | None = None
) -> list[sympy.Symbol]:
    r = notation.indices.get(k)
    if r is not None:
        lo, hi = r.lower, r.upper
    return [s for s, q in notation.indices.items() if s != k and (q.lower, q.upper) == (lo, hi)]


def swap_index(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    out = []
    free = {s for s in e.free_symbols if s in notation.indices}
    for i in sorted(free, key=str):
        for j in _same_range(notation, i):
            if j in free and str(i) < str(j):
                out.append((f"swap the indices {i} ↔ {j}", e.xreplace({i: j, j: i})))
            elif j not in free:
                out.append((f"index {i} → {j}", e.xreplace({i: j})))
    # a summand that uses a free index where the bound one was meant (Σ_k a_k → Σ_k a_i)
    for path, node in nodes(e):
        if isinstance(node, Sum):
            k, lo, hi = node.limits[0]
            for j in _same_range(notation, k, lo, hi):
                if node.function.has(k):
                    new = Sum(node.function.xreplace({k: j}), *node.limits)
                    out.append((f"summand index {k} → {j}", replace_at(e, path, new)))
    return out


def log_to_argument(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    return [
        (f"log({n.args[0]}) → {n.args[0]}", replace_at(e, p, n.args[0]))
        for p, n in nodes(e)
        if isinstance(n, sympy.log)
    ]


def term_out_of_sum(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    out = []
    for path, node in nodes(e):
        if not isinstance(node, Sum):
            continue
        k, lo, hi = node.limits[0]
        terms = sympy.Add.make_args(sympy.expand_mul(node.function))
        if len(terms) < 2:
            continue
        # outside the sum, a bound index becomes the declared index of the same range (if any)
        same = [k] if k in notation.indices else _same_range(notation, k, lo, hi)[:1]
        outside = {k: same[0]} if same else {}
        for n, t in enumerate(terms):
            if t.has(k) and k not in outside:
                continue
            rest = sympy.Add(*(terms[:n] + terms[n + 1 :]))
            moved = t.xreplace(outside) if t.has(k) else t
            out.append((f"move {t} out of the sum", replace_at(e, path, Sum(rest, *node.limits) + moved)))
    return out


# ---- hard slips (issue 11 §1) ------------------------------------------------------------------
def tiny_constant(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    """A constant far below any floating-point tolerance: only an exact comparison sees it."""
    return [("add 10^{-20}", e + sympy.Rational(1, 10**20))]


def _continuous(e: sympy.Expr, notation: Notation) -> sympy.Basic | None:
    """A free real variable of e that is not an integer, an index or binary (x, w, θ_j, x_i)."""
    words = {f.base: f.words for f in notation.families.values()}
    # a family's own name (θ in θ_k) is among SymPy's free symbols, but no file can use it as a number
    labels = {b.label for b in e.atoms(sympy.IndexedBase)}
    free = e.free_symbols - labels
    for x in sorted(free, key=sympy.default_sort_key):
        if isinstance(x, Indexed):
            if any(isinstance(k, sympy.Dummy) for k in x.indices):
                continue  # θ_k with k bound by a sum inside a folded definition: not a free variable
            w = words.get(x.base, frozenset())
            if w and not ({"integer", "binary"} & w):
                return x
        elif isinstance(x, sympy.Symbol) and x.is_real and not x.is_integer and x not in notation.indices:
            return x
    return None


def error_outside_the_box(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    """A term that is 0 while |s| ≤ 20 (the old probe box never left |s| < 8): max(0, |s| − 20)."""
    s = _continuous(e, notation)
    if s is None:
        return []
    gap = sympy.Abs(s) - 20
    return [(f"add max(0, |{s}| − 20)", e + (gap + sympy.Abs(gap)) / 2)]


def vanishes_at_small_sizes(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    """A term that is 0 at the sizes 1..5 only: (n − 1)(n − 2)(n − 3)(n − 4)(n − 5) for a size n."""
    sizes = _sizes(e, notation)
    return [(f"add (n−1)…(n−5) with n = {n}", e + sympy.Mul(*(n - k for k in range(1, 6)))) for n in sizes[:1]]


def saturated_tail(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    """A term below 10^{-17} everywhere (e^{-40(1+s²)}): 30-digit values with a 1e-15 tolerance miss it."""
    s = _continuous(e, notation)
    if s is None:
        return []
    return [(f"add e^(-40(1+{s}^2))", e + sympy.exp(-40 * (1 + s**2)))]


def _sizes(e: sympy.Expr, notation: Notation) -> list[sympy.Basic]:
    """Integer symbols that bound a sum of e or the range of an index e uses (N, m, n)."""
    found: set[sympy.Basic] = set()
    for node in sympy.preorder_traversal(e):
        if isinstance(node, Sum | sympy.Product):
            for lim in node.limits:
                found |= lim[1].free_symbols | lim[2].free_symbols
    for sym in e.free_symbols:
        r = notation.indices.get(sym)
        if r is not None:
            found |= r.lower.free_symbols | r.upper.free_symbols
    return sorted((x for x in found if x.is_integer and x not in notation.indices), key=str)


# ---- equal rewrites -------------------------------------------------------------------------
def _real_symbol(e: sympy.Expr, notation: Notation) -> sympy.Basic | None:
    leaves = [x for x in _leaves(e, notation) if x.is_real or x in notation.words]
    return leaves[0] if leaves else None


def _small(e: sympy.Expr) -> bool:
    return sympy.count_ops(e) < 80


def rewrite_expand(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    return [("expand", sympy.expand(e))] if _small(e) else []


def rewrite_factor(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    return [("factor", sympy.factor(e))] if _small(e) else []


def rewrite_together(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    return [("together", sympy.together(e))] if _small(e) else []


def multiply_divide(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    s = _real_symbol(e, notation)
    if s is None or not _small(e):
        return []
    k = 1 + s**2  # never 0 for a real s
    return [(f"multiply and divide by {k}", sympy.expand(e * k) / k)]


def add_subtract(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    s = _real_symbol(e, notation)
    if s is None:
        return []
    return [(f"add (({s}+1)^2 − {s}^2 − 2{s} − 1)", e + ((s + 1) ** 2 - s**2 - 2 * s - 1))]


def reorder(e: sympy.Expr, notation: Notation) -> list[Candidate]:
    """a − b written −(b − a), and the factors of a product in reverse order (unevaluated)."""
    out = []
    for path, node in nodes(e):
        if isinstance(node, sympy.Add) and len(node.args) == 2:
            flipped = sympy.Mul(-1, sympy.Add(*(-a for a in node.args), evaluate=False), evaluate=False)
            out.append((f"({node}) written −(…)", replace_at(e, path, flipped)))
        elif isinstance(node, sympy.Mul) and len(node.args) >= 2:
            out.append(("reverse a product", replace_at(e, path, sympy.Mul(*reversed(node.args), evaluate=False))))
    return out


OPERATORS: dict[str, Callable[[sympy.Expr, Notation], list[Candidate]]] = {
    "flip sign": flip_sign,
    "swap symbols": swap_symbols,
    "drop factor": drop_factor,
    "drop term": drop_term,
    "change exponent": change_exponent,
    "swap index": swap_index,
    "log → argument": log_to_argument,
    "term out of sum": term_out_of_sum,
    "tiny constant": tiny_constant,
    "error outside the box": error_outside_the_box,
    "vanishes at small sizes": vanishes_at_small_sizes,
    "saturated tail": saturated_tail,
    "expand": rewrite_expand,
    "factor": rewrite_factor,
    "together": rewrite_together,
    "multiply and divide": multiply_divide,
    "add and subtract": add_subtract,
    "reorder": reorder,
}


def candidates(e: sympy.Expr, notation: Notation, only: str | None = None) -> Iterator[tuple[str, str, sympy.Expr]]:
    """(kind, note, expression) for every operator (or only one) and site; no-ops are left out."""
    for kind, op in OPERATORS.items():
        if only is not None and kind != only:
            continue
        try:
            found = op(e, notation)
        except (TypeError, ValueError, AttributeError, NotImplementedError, sympy.PolynomialError):
            continue
        for note, new in found:
            if new != e:
                yield kind, note, new


def has_opaque(e: sympy.Basic) -> bool:
    return bool(e.atoms(AppliedUndef))
