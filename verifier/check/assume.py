"""Chain assumptions (`i = j`, `i \\neq j`, `\\sum_k y_k = 1`, `x > 0`) as substitutions and facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy
from sympy.core.relational import Relational

from verifier.check.alpha import depth_variables, rename_by_depth
from verifier.check.ranges import relation_truth
from verifier.check.sums import collapse
from verifier.check.unfold import Unfolder, substitute


class Contradiction(Exception):
    """The chain's assumptions cannot all hold (`i = j` with `i \\neq j`, `x = 1` with `x = 2`)."""

    def __init__(self, texts: Sequence[str]) -> None:
        shown = ", ".join(f"${t}$" for t in texts)
        super().__init__(f"no point satisfies the chain's assumptions: {shown} contradict each other")


@dataclass(frozen=True)
class Bound:
    """An interval a chain puts on one symbol (`x > 100`, `0 < p \\leq 1`)."""

    low: sympy.Expr | None = None
    high: sympy.Expr | None = None
    strict: tuple[bool, bool] = (True, True)

    def contains(self, v: sympy.Expr) -> bool:
        try:
            if self.low is not None and not (v > self.low if self.strict[0] else v >= self.low):
                return False
            return self.high is None or bool(v < self.high if self.strict[1] else v <= self.high)
        except TypeError:
            return False

    def meet(self, other: Bound) -> Bound:
        low, high, strict = self.low, self.high, list(self.strict)
        if other.low is not None and (low is None or other.low >= low):
            strict[0] = other.strict[0] if low is None or other.low > low else strict[0] or other.strict[0]
            low = other.low
        if other.high is not None and (high is None or other.high <= high):
            strict[1] = other.strict[1] if high is None or other.high < high else strict[1] or other.strict[1]
            high = other.high
        return Bound(low, high, (strict[0], strict[1]))

    def sign_flags(self) -> dict[str, bool]:
        """What the bound says about the sign, as SymPy assumptions (x > 100 ⇒ positive)."""
        if self.low is not None and (self.low > 0 or (self.low == 0 and self.strict[0])):
            return {"positive": True}
        if self.low is not None and self.low >= 0:
            return {"nonnegative": True}
        if self.high is not None and (self.high < 0 or (self.high == 0 and self.strict[1])):
            return {"negative": True}
        if self.high is not None and self.high <= 0:
            return {"nonpositive": True}
        return {}


@dataclass(frozen=True)
class OneHot:
    """A one-hot label: binary y with Σ_{k=a}^{b} y_k = 1 and y_j = 1 for a j known to lie in a..b, so
    every y_t with t in a..b is δ_{tj} (every other class is 0). Elements outside a..b stay unknown."""

    base: sympy.IndexedBase
    hot: sympy.Expr
    lower: sympy.Expr
    upper: sympy.Expr

    def _inside(self, lo: sympy.Expr, hi: sympy.Expr, unfolder: Unfolder) -> bool:
        ranges = unfolder.ranges
        low = relation_truth(sympy.Le(self.lower, lo), ranges)
        return low is True and relation_truth(sympy.Le(hi, self.upper), ranges) is True

    def apply(self, e: sympy.Expr, unfolder: Unfolder) -> sympy.Expr:
        """y_t ↦ δ_{tj} wherever t is known to lie in a..b: a sum's variable by its sum's limits, a free
        index by its declared range (never a bound variable by its declared range)."""

        def walk(x: sympy.Basic, bound: dict[sympy.Basic, bool]) -> sympy.Basic:
            if isinstance(x, sympy.Indexed):
                if x.base != self.base or len(x.indices) != 1:
                    return x
                t = x.indices[0]
                if t in bound:
                    inside = bound[t]
                else:
                    r = unfolder.ranges.get(t) if isinstance(t, sympy.Symbol) else None
                    inside = r is not None and self._inside(r.lower, r.upper, unfolder)
                return sympy.KroneckerDelta(t, self.hot) if inside else x
            if isinstance(x, sympy.Sum) and len(x.limits) == 1:
                k, lo, hi = x.limits[0]
                inner = {**bound, k: self._inside(lo, hi, unfolder)}
                return sympy.Sum(walk(x.function, inner), x.limits[0])
            if isinstance(x, sympy.Sum | sympy.Product):
                inner = {**bound, **{lim[0]: False for lim in x.limits}}
                return x.func(walk(x.function, inner), *x.limits)
            if x.is_Atom or not x.args:
                return x
            return x.func(*[walk(a, bound) for a in x.args])

        if not e.has(self.base):
            return e
        return walk(e, {})


def _one_hot(out: Assumptions, unfolder: Unfolder) -> list[OneHot]:
    """The one-hot labels the equations and fixed elements imply (binary families only)."""
    binary = {f.base for f in unfolder.notation.families.values() if "binary" in f.words}
    found = []
    for lhs, rhs in out.equations:
        s, one = (lhs, rhs) if isinstance(lhs, sympy.Sum) else (rhs, lhs)
        if not (isinstance(s, sympy.Sum) and one == 1 and len(s.limits) == 1):
            continue
        k, a, b = s.limits[0]
        f = s.function
        if not (isinstance(f, sympy.Indexed) and f.base in binary and f.indices == (k,)):
            continue
        for el, value in out.fixed.items():
            if el.base != f.base or value != 1 or len(el.indices) != 1:
                continue
            label = OneHot(f.base, el.indices[0], a, b)
            if label._inside(el.indices[0], el.indices[0], unfolder):
                found.append(label)
                break
    return found


@dataclass
class Assumptions:
    """What a chain's `assume` list lets the checker use.

    `subs`: substitutions from equalities, solved as one system (`y = x + 1`, `z = y` ⇒ y ↦ x + 1,
    z ↦ x + 1; `i = j` ⇒ j ↦ i);
    `fixed`: the family elements among them (x^{(i)}_0 ↦ 1): probe points give the same element met
    inside a sum the same value;
    `distinct`: pairs known unequal (δ_ij = 0, and probe points keep them apart);
    `equations`: other equalities lhs = rhs (unfolded), used to eliminate and to place probe points;
    `constraints`: inequalities probe points must satisfy;
    `bounds`: the constraints that bound one symbol by a number, to draw inside them and to know signs.
    """

    subs: dict[sympy.Basic, sympy.Expr] = field(default_factory=dict)
    distinct: frozenset[frozenset[sympy.Basic]] = frozenset()
    equations: list[tuple[sympy.Expr, sympy.Expr]] = field(default_factory=list)
    constraints: list[sympy.Basic] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    bounds: dict[sympy.Basic, Bound] = field(default_factory=dict)
    one_hot: list[OneHot] = field(default_factory=list)
    _signed: dict[sympy.Basic, sympy.Basic] | None = None

    def plain(self) -> bool:
        """No equation, inequality or i ≠ j fact restricts the points (substitutions are already applied)."""
        return not (self.equations or self.constraints or self.distinct)

    @property
    def fixed(self) -> dict[sympy.Indexed, sympy.Expr]:
        return {k: v for k, v in self.subs.items() if isinstance(k, sympy.Indexed)}

    def apply(self, e: sympy.Expr, unfolder: Unfolder) -> sympy.Expr:
        """Substitute equalities (also the term of a sum that meets a fixed element), then let the
        i ≠ j facts and ranges collapse deltas and cases."""
        if self.subs:
            e = peel_fixed(e, self.fixed, unfolder)
            e = e.subs(self.subs)  # subs (not xreplace) respects bound sum variables
            if not (e.free_symbols & depth_variables()):
                # an equality's unfolded value put inside a sum may nest two sums bound by the same
                # variable (Σ_j inside Σ_j): named again, no sum shadows another (unfold.py's invariant)
                e = rename_by_depth(e)
        for label in self.one_hot:
            e = label.apply(e, unfolder)
        if self.subs or self.distinct:
            e = collapse(e, unfolder.ranges, self.distinct)
        return e

    def refine(self, e: sympy.Expr) -> sympy.Expr:
        """e with each bounded symbol replaced by one that knows its sign (x > 0 ⇒ x positive), or, for a
        bound at a nonzero number, by that number plus or minus a positive one (x > 100 ⇒ x = 100 + t,
        t > 0), so symbolic methods can use the inequality (√(x²) = x, |x − 50| = x − 50); for proofs
        only, never for probe points."""
        if self._signed is None:
            self._signed = {}
            for s, b in self.bounds.items():
                if not isinstance(s, sympy.Symbol):
                    continue
                flags = {k: v for k, v in s.assumptions0.items() if k in ("integer", "real")}
                # a lower bound is used when there is one (proving for every t > 0 covers 100 < x < 200 too)
                below = b.low is not None
                edge = b.low if below else b.high
                if edge is not None and edge.is_Rational and edge != 0 and not flags.get("integer"):
                    strict = b.strict[0] if below else b.strict[1]
                    t = sympy.Dummy(s.name, real=True, **({"positive": True} if strict else {"nonnegative": True}))
                    self._signed[s] = edge + t if below else edge - t
                    continue
                extra = b.sign_flags()
                if extra:
                    self._signed[s] = sympy.Dummy(s.name, **{**flags, **extra})
        return e.xreplace(self._signed) if self._signed else e


def peel_fixed(e: sympy.Expr, fixed: dict[sympy.Indexed, sympy.Expr], unfolder: Unfolder) -> sympy.Expr:
    """Σ_{j=a}^{b} f(j) as f(a) + Σ_{j=a+1}^{b} f(j) when f mentions an element fixed at index a (and
    likewise at b), so `x^{(i)}_0 = 1` reaches the j = 0 term of θᵀx^{(i)}. Only for a range known to be
    non-empty (a ≤ b from the declared ranges): peeling an empty sum would invent a term."""
    if not fixed:
        return e

    def peel(s: sympy.Sum) -> sympy.Expr:
        if len(s.limits) != 1:
            return s
        k, a, b = s.limits[0]
        f = s.function
        for el in fixed:
            for node in f.atoms(sympy.Indexed):
                if node.base != el.base or len(node.indices) != len(el.indices):
                    continue
                pos = [n for n, i in enumerate(node.indices) if i == k]
                if len(pos) != 1:
                    continue
                n = pos[0]
                others = all(x == y for m, (x, y) in enumerate(zip(node.indices, el.indices, strict=True)) if m != n)
                if not others or relation_truth(sympy.Le(a, b), unfolder.ranges) is not True:
                    continue
                # `substitute`, not xreplace: a sum inside f that binds k again keeps its own k
                if el.indices[n] == a:
                    return substitute(f, {k: a}) + peel(sympy.Sum(f, (k, a + 1, b)))
                if el.indices[n] == b:
                    return substitute(f, {k: b}) + peel(sympy.Sum(f, (k, a, b - 1)))
        return s

    return e.replace(lambda x: isinstance(x, sympy.Sum), peel)


def _bound_of(rel: Relational) -> tuple[sympy.Basic, Bound] | None:
    """`x > 100`, `100 < x`, `x \\leq -1` as a bound on x (a plain symbol against a number)."""
    lhs, rhs = rel.lhs, rel.rhs
    flipped = False
    if lhs.is_number and isinstance(rhs, sympy.Symbol):
        lhs, rhs, flipped = rhs, lhs, True
    if not (isinstance(lhs, sympy.Symbol) and rhs.is_number and rhs.is_real):
        return None
    op = type(rel)
    strict = op in (sympy.Lt, sympy.Gt)
    greater = op in (sympy.Gt, sympy.Ge)
    if flipped:
        greater = not greater
    if op not in (sympy.Lt, sympy.Gt, sympy.Le, sympy.Ge):
        return None
    return lhs, (Bound(low=rhs, strict=(strict, True)) if greater else Bound(high=rhs, strict=(True, strict)))


def _is_named(e: sympy.Basic) -> bool:
    return isinstance(e, sympy.Symbol | sympy.Indexed)


def build_assumptions(relations: Sequence[sympy.Basic], unfolder: Unfolder) -> Assumptions:
    """Sort the chain's relations into substitutions, distinct pairs, equations and constraints.

    Raises Contradiction when they cannot all hold together.
    """
    out = Assumptions()
    distinct: set[frozenset[sympy.Basic]] = set()
    equalities: list[tuple[sympy.Expr, sympy.Expr, str]] = []
    for rel in relations:
        text = sympy.latex(rel)
        out.texts.append(text)
        if isinstance(rel, sympy.Eq):
            equalities.append((unfolder.unfold(rel.lhs), unfolder.unfold(rel.rhs), text))
        elif isinstance(rel, sympy.Ne):
            lhs, rhs = unfolder.unfold(rel.lhs), unfolder.unfold(rel.rhs)
            distinct.add(frozenset((lhs, rhs)))
        elif isinstance(rel, Relational):
            c = rel.func(unfolder.unfold(rel.lhs), unfolder.unfold(rel.rhs))
            out.constraints.append(c)
            if c is sympy.false:
                raise Contradiction([text])
            if isinstance(c, Relational):
                found = _bound_of(c)
                if found is not None:
                    s, b = found
                    out.bounds[s] = out.bounds[s].meet(b) if s in out.bounds else b
        else:
            out.constraints.append(rel)
    for lhs, rhs, text in equalities:
        _add_equality(out, lhs, rhs, text)
    for s, b in out.bounds.items():
        if b.low is not None and b.high is not None and (b.low > b.high or (b.low == b.high and any(b.strict))):
            raise Contradiction([t for t in out.texts if str(s) in t] or out.texts)
    if out.subs:
        distinct = {frozenset(x.subs(out.subs) for x in p) for p in distinct}
        out.equations = [(lhs.subs(out.subs), rhs.subs(out.subs)) for lhs, rhs in out.equations]
        out.constraints = [c.subs(out.subs) if isinstance(c, sympy.Basic) else c for c in out.constraints]
    for pair in distinct:
        if len(pair) == 1:  # i ≠ j where an equality made them one
            raise Contradiction(out.texts)
    if any(c is sympy.false for c in out.constraints):
        raise Contradiction(out.texts)
    out.distinct = frozenset(distinct)
    out.one_hot = _one_hot(out, unfolder)
    return out


def _add_equality(out: Assumptions, lhs: sympy.Expr, rhs: sympy.Expr, text: str) -> None:
    """One more equality of the system: substitute what is known, then either solve it for a named
    variable (every earlier substitution updated with it) or keep it as an equation."""
    if out.subs:
        lhs, rhs = lhs.subs(out.subs), rhs.subs(out.subs)
    if lhs == rhs:
        return  # implied by the others
    diff = sympy.expand(lhs - rhs)
    if diff.is_number:
        if diff != 0:
            raise Contradiction([*out.texts[: out.texts.index(text) + 1]] if text in out.texts else out.texts)
        return
    if _is_named(rhs) and not _is_named(lhs):
        lhs, rhs = rhs, lhs
    if _is_named(lhs) and not rhs.has(lhs):
        # `i = j`: every j becomes i (the replaced symbol is the right-hand one when both are
        # symbols, so the chain's first-named index survives in messages)
        if _is_named(rhs) and type(rhs) is type(lhs):
            target, value = rhs, lhs
        else:
            target, value = lhs, rhs
        out.subs = {k: v.subs({target: value}) for k, v in out.subs.items()}
        out.subs[target] = value
        out.equations = [(a.subs({target: value}), b.subs({target: value})) for a, b in out.equations]
        return
    out.equations.append((lhs, rhs))
