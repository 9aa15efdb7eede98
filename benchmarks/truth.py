"""Ground truth for the mutation benchmark, independent of the engine's decision cascade and prober.

Two unfolded expressions are compared by exact substitution of random rational points and
evaluation at 50 significant digits; a difference too small for that (10^{-20}, e^{-1000}) is decided
from the exact difference (a rational, or SymPy's strict evalf of it), at every point whose gap falls
between the tolerances and at a few agreeing textbook-sized points. Where both sides' figures cannot be
trusted (1 − tanh² of 10^8), the difference as SymPy's exact arithmetic leaves it still decides.
Every fourth point has wide reals (up to 10^4 in magnitude, integers up to 60), and two in four one
symbol or family far out with the rest textbook-sized. They take turns: first each symbol and family in
10..100 (log-uniform), where a slip past 20 shows and e^{-v} still evaluates, then in 100..10^4. An
"equal" label needs a counted point in the first band for every symbol and family; a turn in the second
band is given up after three points that could not be evaluated.
Independently, every third point has wide sizes 6..8 (else 1..4), and an "equal" label needs agreement
at two of them, so a slip that vanishes at every small size is seen. Sums are expanded at those sizes;
indices take values inside their ranges (an index equality i = j by construction); opaque functions get
concrete smooth bodies; the chain's other relations (i ≠ j, y_i = 1, Σ y_k = 1) are satisfied by
rejection sampling or by solving a linear equation for one continuous variable.
Only the unfolding (the meaning of the notation, contract §2) is shared with the engine.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import sympy
from sympy import Indexed, Lambda, Product, Sum
from sympy.core.evalf import PrecisionExhausted
from sympy.core.function import AppliedUndef

from verifier.notation import Notation

DIGITS = 50
AGREE_TOL = sympy.Float("1e-25", DIGITS)
DIFFER_TOL = sympy.Float("1e-8", DIGITS)
MIN_AGREE = 8
MIN_WIDE_SIZES = 2  # agreeing points at sizes 6..8 an "equal" label needs when the pair has sizes
CERTAIN_CHECKS = 3  # agreeing textbook-sized points whose difference is checked exactly nonzero
NEAR_BAND = (1.0, 2.0)  # decades of a far value on a symbol's first turn (10..100): every one needs it
FAR_BAND = (2.0, 4.0)  # and on its later turns (100..10^4), given up where nothing evaluates
FAR_TRIES = 3  # points tried for one turn in the far band before it is given up
MAXN = 1500  # digits strict evalf may use for that check (e^{-40(1+s^2)} at |s| <= 5 needs ~470)


@dataclass(frozen=True)
class Truth:
    """The independent label of a pair: 'equal', 'wrong' or 'unknown' (dropped from the scores)."""

    label: str
    agree: int
    differ: int
    partial: int  # points where only one side was defined
    witness: str = ""


def _leaves(e: sympy.Basic, out: set[sympy.Basic]) -> None:
    """Free variables of a sum-free expression: Symbols and family elements (not IndexedBase labels)."""
    if isinstance(e, Indexed):
        out.add(e)
        return
    if isinstance(e, sympy.Symbol):
        out.add(e)
        return
    for a in e.args:
        _leaves(a, out)


def _bounds(e: sympy.Basic) -> set[sympy.Basic]:
    """Symbols in the bounds of sums and products (the symbolic sizes)."""
    out: set[sympy.Basic] = set()
    for node in sympy.preorder_traversal(e):
        if isinstance(node, Sum | Product):
            for lim in node.limits:
                for x in lim[1:]:
                    out |= x.free_symbols
    return out


def _free_outside_sums(e: sympy.Basic, bound: frozenset[sympy.Basic], out: set[sympy.Basic]) -> None:
    """Symbols free outside every sum; a family's label is not one (the integer label of a binary family
    y must not take a value: y_i would become 4_i and lose its words)."""
    if isinstance(e, sympy.Symbol):
        if e not in bound:
            out.add(e)
        return
    if isinstance(e, Indexed):
        for x in e.indices:
            _free_outside_sums(x, bound, out)
        return
    if isinstance(e, Sum | Product):
        inner = bound | {lim[0] for lim in e.limits}
        _free_outside_sums(e.function, inner, out)
        for lim in e.limits:
            for x in lim[1:]:
                _free_outside_sums(x, bound, out)
        return
    for a in e.args:
        _free_outside_sums(a, bound, out)


class Sampler:
    """Draws points from the declared domains of one notation (its own distributions, not the engine's)."""

    def __init__(self, notation: Notation, rng: random.Random) -> None:
        self.notation = notation
        self.rng = rng
        self.family_of = {f.base: f for f in notation.families.values()}
        self.wide = False  # set per point by the judge: every value drawn wide
        self.wide_bases: frozenset[sympy.Basic] = frozenset()  # or only these symbols / families far out
        self.far = False  # drawing for one of those: a magnitude log-uniform over the band's decades
        self.band = NEAR_BAND

    def value_of(self, atom: sympy.Basic) -> sympy.Expr:
        """A value for one leaf, wide when the point widens everything or the leaf's symbol/family."""
        base = atom.base if isinstance(atom, Indexed) else atom
        if self.wide or base not in self.wide_bases:
            return self.value(self.words(atom))
        self.wide = self.far = True
        try:
            return self.value(self.words(atom))
        finally:
            self.wide = self.far = False

    def words(self, atom: sympy.Basic) -> frozenset[str]:
        if isinstance(atom, Indexed):
            fam = self.family_of.get(atom.base)
            if fam is not None and fam.words:
                return fam.words
        else:
            declared = self.notation.words.get(atom)
            if declared:
                return declared
        found = set()
        for w in ("integer", "positive", "nonnegative", "negative", "nonzero"):
            if getattr(atom, f"is_{w}", None):
                found.add(w)
        return frozenset(found)

    def value(self, words: frozenset[str]) -> sympy.Expr:
        r = self.rng
        if "binary" in words:
            return sympy.Integer(r.randint(0, 1))
        if "integer" in words:
            top = 60 if self.wide else 6
            lo = 1 if "positive" in words else 0 if "nonnegative" in words else -top
            hi = -1 if "negative" in words else top
            v = r.randint(lo, hi)
            while v == 0 and "nonzero" in words:
                v = r.randint(lo, hi)
            return sympy.Integer(v)
        if "unit" in words:
            return sympy.Rational(r.randint(1, 999), 1000)
        if self.far:
            # every decade of the band alike
            v = sympy.Rational(round(10 ** r.uniform(*self.band) * 97), 97)
            if "negative" in words or (not ({"positive", "nonnegative"} & words) and r.random() < 0.5):
                v = -v
            return v
        top = 10**6 if self.wide else 5000
        if "positive" in words or "negative" in words:
            v = sympy.Rational(r.randint(1, top), 97 if self.wide else 997)
            return -v if "negative" in words else v
        if "nonnegative" in words:
            return sympy.Rational(r.randint(0, top), 97 if self.wide else 997)
        v = sympy.Rational(r.randint(-top, top), 97 if self.wide else 991)
        return v if v != 0 or "nonzero" not in words else sympy.Rational(1, 3)

    def in_domain(self, v: sympy.Expr, words: frozenset[str]) -> bool:
        if not v.is_real:
            return False
        checks = {
            "binary": lambda: v in (0, 1),
            "integer": lambda: bool(v.is_integer),
            "unit": lambda: bool(0 < v < 1),
            "positive": lambda: bool(v > 0),
            "nonnegative": lambda: bool(v >= 0),
            "negative": lambda: bool(v < 0),
            "nonzero": lambda: bool(v != 0),
        }
        return all(checks[w]() for w in words if w in checks)


def _concrete_functions(notation: Notation, exprs: Sequence[sympy.Basic], rng: random.Random) -> dict[type, Lambda]:
    heads = {s.head: s for s in notation.functions.values() if s.body is None}
    found: set[type] = set()
    for e in exprs:
        found |= {a.func for a in e.atoms(AppliedUndef)}
    out: dict[type, Lambda] = {}
    for head in sorted(found, key=str):
        spec = heads.get(head)
        params = spec.params if spec is not None and spec.params else (sympy.Dummy("t"),)
        body: sympy.Expr = sympy.S.Zero
        for p in params:
            a, b, c = (sympy.Rational(rng.randint(300, 1700), 1000) for _ in range(3))
            body += a * sympy.tanh(b * p + c) + p**2 / 5
        out[head] = Lambda(params, body)
    return out


@dataclass(frozen=True)
class Point:
    """Both sides at one concrete point, their difference as SymPy keeps it (equal terms cancelled
    exactly), and what kind of point it was."""

    a: sympy.Expr
    b: sympy.Expr
    diff: sympy.Expr
    wide_values: bool
    has_sizes: bool
    wide_sizes: bool


class Unreliable(Exception):
    """SymPy's evalf could not reach the digits asked for (huge cancelling terms at a wide point)."""


def _number(e: sympy.Expr) -> sympy.Expr | None:
    """The value to DIGITS significant digits (strict: an inaccurate figure raises Unreliable), or None."""
    try:
        v = sympy.N(e, DIGITS, strict=True, maxn=600)
    except PrecisionExhausted:
        raise Unreliable() from None
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError, RecursionError):
        return None
    if not v.is_number or v.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return None
    return v


def _fresh_bounds(e: sympy.Basic) -> sympy.Basic:
    """Every sum's and product's bound variable renamed to a fresh Dummy, so that substituting a free
    index (i ↦ 3 in x_i + Σ_i x_i, where the same letter is also bound) never reaches inside a sum."""
    if not e.has(Sum, Product):
        return e
    if isinstance(e, Sum | Product):
        body, limits = e.function, []
        for limit in e.limits:
            fresh = sympy.Dummy(str(limit[0]), integer=True)
            ends = [_fresh_bounds(x) for x in limit[1:]]
            body = body.xreplace({limit[0]: fresh})
            limits.append((fresh, *ends))
        return e.func(_fresh_bounds(body), *limits)
    return e.func(*(_fresh_bounds(x) for x in e.args))


def _certainly_differ(d: sympy.Expr) -> bool:
    """Whether a concrete difference is nonzero although the 50-digit figures of both sides are close:
    exactly, when it is a rational; else by SymPy's strict evalf (adaptive precision, up to MAXN digits;
    a zero difference exhausts them, which is why this runs at a few points only)."""
    if d.is_Rational:
        return d != 0
    try:
        v = d.evalf(15, strict=True, maxn=MAXN)
    except (PrecisionExhausted, TypeError, ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return False
    return bool(v.is_number and v != 0 and not v.has(sympy.nan, sympy.zoo))


def _exactly_nonzero(d: sympy.Expr) -> bool:
    """A difference that SymPy's exact arithmetic already reduced to a nonzero rational, or whose strict
    evalf is certainly nonzero (used where both sides' own figures are unreliable)."""
    return d != 0 and _certainly_differ(d)


def _short(d: sympy.Expr) -> str:
    return str(d) if d.is_Rational and len(str(d)) < 40 else str(sympy.N(d, 8))


class Judge:
    """Labels (a, b) pairs of unfolded expressions under a notation and the chain's relations."""

    def __init__(self, notation: Notation, relations: Sequence[sympy.Basic], seed: int) -> None:
        self.notation = notation
        self.relations = list(relations)
        self.rng = random.Random(seed)
        self.sampler = Sampler(notation, self.rng)
        self.wide_sizes = False
        self.far_turn = 0
        self.far_tries = 0
        self.last_one_far = False
        self.far_bases: list[sympy.Basic] = []  # the symbols and families that take far turns
        self._concrete: dict[tuple[sympy.Basic, tuple[tuple[sympy.Basic, sympy.Expr], ...]], sympy.Basic] = {}

    def _ties(self) -> dict[sympy.Basic, sympy.Basic]:
        """Index equalities of the chain (i = j): the second index takes the first one's value, so a
        point satisfies them by construction instead of by luck (1 draw in n at size n)."""
        out: dict[sympy.Basic, sympy.Basic] = {}
        for rel in self.relations:
            if isinstance(rel, sympy.Eq) and all(x in self.notation.indices for x in (rel.lhs, rel.rhs)):
                a, b = sorted((rel.lhs, rel.rhs), key=str)
                out[b] = out.get(a, a)
        return out

    def _integers(self, exprs: Sequence[sympy.Basic]) -> tuple[dict[sympy.Basic, sympy.Expr], bool] | None:
        """Values of the sizes and free integers (and whether the point has sizes at all), or None."""
        free: set[sympy.Basic] = set()
        for e in exprs:
            _free_outside_sums(e, frozenset(), free)
        indices = self.notation.indices
        sizes: set[sympy.Basic] = set()
        for e in exprs:
            sizes |= _bounds(e)
        for s in free:
            if s in indices:
                sizes |= indices[s].lower.free_symbols | indices[s].upper.free_symbols
        sizes = {s for s in sizes if s not in indices}
        vals: dict[sympy.Basic, sympy.Expr] = {}
        for s in sorted(sizes, key=str):
            vals[s] = sympy.Integer(self.rng.randint(6, 8) if self.wide_sizes else self.rng.randint(1, 4))
        ties = self._ties()
        order = sorted(free, key=lambda x: (x in ties, str(x)))  # tied indices after their partner
        for s in order:
            if s in indices:
                r = indices[s]
                lo, hi = r.lower.xreplace(vals), r.upper.xreplace(vals)
                if not (lo.is_Integer and hi.is_Integer) or lo > hi:
                    return None
                partner = vals.get(ties.get(s, s))
                if partner is not None and s in ties:
                    if not lo <= partner <= hi:
                        return None
                    vals[s] = partner
                else:
                    vals[s] = sympy.Integer(self.rng.randint(int(lo), int(hi)))
            elif s not in vals and s.is_integer and "binary" not in self.sampler.words(s):
                vals[s] = self.sampler.value(self.sampler.words(s))
        return vals, bool(sizes)

    def _holds(self, rel: sympy.Basic) -> bool | None:
        if rel is sympy.true:
            return True
        if rel is sympy.false:
            return False
        try:
            if isinstance(rel, sympy.Eq):
                d = _number(rel.lhs - rel.rhs)
                return None if d is None else abs(d) < AGREE_TOL
            if isinstance(rel, sympy.Ne):
                d = _number(rel.lhs - rel.rhs)
                return None if d is None else abs(d) >= AGREE_TOL
        except Unreliable:
            return None
        try:
            return bool(rel)
        except TypeError:
            return None

    def point(self, a: sympy.Expr, b: sympy.Expr, rels: Sequence[sympy.Basic], k: int) -> Point | None:
        """Both sides (and their difference) at the k-th admissible random point (None when none was found).

        Every third point has wide sizes (6..8, past every size at which a slip can vanish). Independently,
        every fourth point has every real wide (up to 10^4), and two in four one symbol or family far out
        (the symbols and families take turns; 10..10^4, log-uniform) and the rest
        textbook-sized: an error that shows only when one variable is far out (max(0, |α| − 20)) is then
        not hidden by the others saturating the point."""
        exprs = [a, b, *rels]
        self.wide_sizes = k % 3 == 2
        one_far = self.last_one_far = k % 4 in (1, 2)
        self.sampler.wide = k % 4 == 3
        got = self._integers(exprs)
        if got is None:
            return None
        ints, has_sizes = got
        funcs = _concrete_functions(self.notation, exprs, self.rng)

        def concrete(e: sympy.Basic) -> sympy.Basic:
            key = (e, tuple(sorted(ints.items(), key=str)))
            if not funcs and key in self._concrete:
                return self._concrete[key]
            out = e.xreplace(ints)
            for head, lam in funcs.items():
                out = out.replace(head, lam)
            out = out.doit()
            if not funcs:
                self._concrete[key] = out
            return out

        ca, cb = concrete(a), concrete(b)
        crels = [concrete(r) for r in rels]
        leaves: set[sympy.Basic] = set()
        for e in (ca, cb, *crels):
            _leaves(e, leaves)
        ordered = sorted(leaves, key=str)
        bases = self.far_bases = self._far_bases(ordered)
        # the turn moves on only once a far point of this base was counted (see judge): a far value that
        # saturates the point is drawn again for the same base, not given up in the near band
        self.sampler.wide_bases = frozenset()
        if one_far and bases:
            self.sampler.wide_bases = frozenset({bases[self.far_turn % len(bases)]})
            self.sampler.band = NEAR_BAND if self.far_turn < len(bases) else FAR_BAND
        for _ in range(200):
            values = {x: self.sampler.value_of(x) for x in ordered}
            if self._satisfy(crels, values):
                break
        else:
            return None
        diff = (ca - cb).xreplace(values)
        wide = self.sampler.wide or one_far
        return Point(ca.xreplace(values), cb.xreplace(values), diff, wide, has_sizes, self.wide_sizes)

    def _far_bases(self, leaves: Sequence[sympy.Basic]) -> list[sympy.Basic]:
        """The symbols and families a far value changes (not binary or unit ones, not numbers)."""
        out = set()
        for x in leaves:
            base = x.base if isinstance(x, Indexed) else x
            if isinstance(base, sympy.Symbol | sympy.IndexedBase) and not ({"binary", "unit"} & self.sampler.words(x)):
                out.add(base)
        return sorted(out, key=str)

    def _near_covered(self) -> bool:
        """Whether every symbol and family had a counted point in the near far band."""
        return self.far_turn >= len(self.far_bases)

    def _satisfy(self, rels: list[sympy.Basic], values: dict[sympy.Basic, sympy.Expr]) -> bool:
        for rel in rels:
            if isinstance(rel, sympy.Eq):
                g = rel.lhs - rel.rhs
                cont = [
                    x
                    for x in sorted(g.free_symbols | g.atoms(Indexed), key=str)
                    if x in values and not ({"binary", "integer"} & self.sampler.words(x))
                ]
                for x in reversed(cont):
                    dg = sympy.diff(g, x)
                    if dg != 0 and not dg.has(x):
                        rest = {k: v for k, v in values.items() if k != x}
                        sol = sympy.solve(g.xreplace(rest), x)
                        if sol and self.sampler.in_domain(sol[0], self.sampler.words(x)):
                            values[x] = sol[0]
                        break
            truth = self._holds(rel.xreplace(values))
            if truth is not True:
                return False
        return True

    def judge(self, a: sympy.Expr, b: sympy.Expr, points: int = 16) -> Truth:
        """'wrong' when a point differs clearly or certainly (the search stops at the second); 'equal'
        after MIN_AGREE agreeing points, of which at least MIN_WIDE_SIZES at wide sizes when the pair
        has sizes (a slip can vanish at every small size), and a counted point in the near far band for every
        symbol and family (see point); 'unknown' otherwise."""
        self.far_turn = self.far_tries = 0
        a, b = _fresh_bounds(a), _fresh_bounds(b)
        rels = [_fresh_bounds(r) for r in self.relations]
        agree = differ = partial = wide_agree = checked = 0
        far_pending: int | None = None
        has_sizes = False
        witness = ""
        k = 0
        while k < points * 3 + 8 * len(self.far_bases):
            if agree + differ + partial >= points and (differ or self._near_covered()):
                break
            if far_pending is not None:
                if agree + differ > far_pending:
                    self.far_turn += 1  # the last far point was counted: the next base's turn
                    self.far_tries = 0
                elif self._near_covered():  # the near band is never given up: "equal" needs it for every base
                    self.far_tries += 1
                    if self.far_tries >= FAR_TRIES:
                        self.far_turn += 1
                        self.far_tries = 0
            far_pending = None
            p = self.point(a, b, rels, k)
            k += 1
            if p is None:
                continue
            if self.last_one_far:
                far_pending = agree + differ
            has_sizes |= p.has_sizes
            try:
                va, vb = _number(p.a), _number(p.b)
            except Unreliable:
                # the figures cannot be trusted, but the exact difference may still decide
                if _exactly_nonzero(p.diff):
                    differ += 1
                    witness = witness or f"difference {_short(p.diff)} at a point where both sides saturate"
                    if differ >= 2:
                        break
                elif p.diff == 0:
                    agree += 1
                    wide_agree += p.wide_sizes
                continue
            if va is None and vb is None:
                continue
            if va is None or vb is None:
                partial += 1
                continue
            gap = abs(va - vb)
            scale = 1 + max(abs(va), abs(vb))
            if gap > DIFFER_TOL * scale:
                differ += 1
                witness = witness or f"{sympy.N(va, 8)} vs {sympy.N(vb, 8)}"
                if differ >= 2:
                    break
                continue
            # agreeing figures, or a gap between the two tolerances: is the difference exactly nonzero
            # (10^{-20}, e^{-1000})? At up to CERTAIN_CHECKS textbook-sized points (a tiny slip shows
            # there; at a wide point it may sit past any precision), and at every in-between gap.
            tiny = False
            if gap > AGREE_TOL * scale or (checked < CERTAIN_CHECKS and not p.wide_values):
                checked += bool(gap <= AGREE_TOL * scale)
                tiny = _certainly_differ(p.diff)
            if tiny:
                differ += 1
                witness = witness or f"difference {sympy.N(p.diff, 3)} (below the tolerances)"
                if differ >= 2:
                    break
            elif gap <= AGREE_TOL * scale:
                agree += 1
                wide_agree += p.wide_sizes
        if differ:
            return Truth("wrong", agree, differ, partial, witness)
        if (
            agree >= MIN_AGREE
            and not partial
            and (wide_agree >= MIN_WIDE_SIZES or not has_sizes)
            and self._near_covered()
        ):
            return Truth("equal", agree, differ, partial)
        return Truth("unknown", agree, differ, partial)
