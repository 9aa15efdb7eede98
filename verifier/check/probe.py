"""Numeric probing: random points over the whole declared domain, both sides compared exactly or with balls.

Unlike SymPy's `verify_numerically` (which samples only Re z in [2, 3]), points cover negatives for
`real`, 0 and 1 for `binary`, magnitudes from 10^-3 to 10^4, sizes past the small ones, and so on, so
`sqrt(x^2) = x` and `log(ab) = log a + log b` are refuted for reals. Symbolic sum bounds get concrete
sizes so every sum becomes finite; opaque functions get random smooth concrete bodies. A rational pair
is compared exactly at rational points; anything else with ball arithmetic at rising precision
(compare.py). Seeded by the pair's text, so runs repeat exactly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import math
import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy
from flint import acb, arb, fmpq
from sympy import Indexed, Lambda, Product, Sum
from sympy.core.function import AppliedUndef
from sympy.core.relational import Relational

from verifier import words as W
from verifier.check.assume import Assumptions
from verifier.check.compare import AGREE_SHARE, PRECISIONS, Match, as_complex, close, match_balls, match_exact
from verifier.check.memo import Table
from verifier.check.numeval import (
    Evaluator,
    Inexact,
    Undefined,
    Unsupported,
    Unsure,
    interned,
    precision,
    surely_inexact,
)
from verifier.notation import Notation

__all__ = ["AGREE", "DISAGREE", "SKIP", "ProbeRun", "Prober", "Sample", "close", "in_domain", "sample_value", "seed_of"]

EVALF = "evalf"  # the precision label of a point compared by SymPy's own (uncertified) evaluation
# Every CONFIRM_EVERY-th ball agreement (and the first) is confirmed at the top precision too: a tail
# below 2^-(bits/2) of the values (e^-200 next to e^1000) is invisible at the lower one
CONFIRM_EVERY = 4
FAR_TRIES = 2  # targets moved out, one at a time, when a wide point cannot be settled (see Prober._retry)
AGREE, DISAGREE, SKIP = Match.AGREE.value, Match.DISAGREE.value, Match.SKIP.value
_SIZES = (-1, 0, 1, 2, 3, 4)  # the small edge sizes (empty sums included), always among the points
_WIDE_SIZES = ((5, 8), (9, 12))  # sizes at the wider scales
# At the widest scale, half the sizes are drawn log-uniformly from 13 up to a limit set by how deeply
# sums nest (a sum is evaluated term by term, so Σ_{i=1}^{N} Σ_{j=1}^{N} costs N² terms): an identity
# that fails only from N = 13 on (a term vanishing at every smaller size) is seen
_FAR_SIZES = {0: 1000, 1: 1000, 2: 40}
# the scale of successive points (words.SCALES): half in the textbook box, the rest further out
_SCALE_CYCLE = (0, 1, 0, 2)
# points enough for one at every scale of the cycle
POINTS_PER_CYCLE = len(_SCALE_CYCLE)

in_domain = W.contains
sample_value = W.sample


@dataclass
class Sample:
    """One probe point: the values used (for messages) and what each side evaluated to.

    Its display (each variable's name as the author spells it → its value as shown, and the concrete
    bodies of opaque functions) and names (variable → that name) are written when first asked for:
    only the points a message names are ever shown, and writing every point's was a fifth of drawing it."""

    status: str
    values: dict[sympy.Basic, sympy.Expr]
    lhs: complex | None = None
    rhs: complex | None = None
    free: frozenset[sympy.Basic] = frozenset()  # variables written in the steps (not x_2 of an expanded sum)
    precision: str = ""  # "exact", or the ball precision at which the comparison was settled
    difference: sympy.Expr | None = None  # this step − previous, exactly, when both are rational
    functions: dict[type, Lambda] = field(default_factory=dict)  # the opaque functions' concrete bodies
    scale: int = 0  # the probe box the point was drawn from (words.SCALES)
    defined: bool = True  # both sides have a value (lhs/rhs may still be None: beyond double range)
    ratio: complex | None = None  # this step / previous, computed before rounding (10^-400 / 10^-400 is 1)
    # writes (display, names); called once, on first use
    described: Callable[[], tuple[dict[str, str], dict[sympy.Basic, str]]] = field(
        default=lambda: ({}, {}), compare=False, repr=False
    )
    # each variable written in the steps, as written (x_i, not x_2 at i = 2; no index symbols) → the
    # atom holding its value here: what a pattern seen at several points is a pattern in
    written: dict[sympy.Basic, sympy.Basic] = field(default_factory=dict)

    @functools.cached_property
    def _description(self) -> tuple[dict[str, str], dict[sympy.Basic, str]]:
        return self.described()

    @property
    def display(self) -> dict[str, str]:
        return self._description[0]

    @property
    def names(self) -> dict[sympy.Basic, str]:
        return self._description[1]


@dataclass
class ProbeRun:
    """Samples collected so far (filled in place, so a run cut short by the clock still counts)."""

    samples: list[Sample] = field(default_factory=list)
    inadmissible: int = 0  # draws that found no point satisfying the chain's assumptions

    @property
    def agreed(self) -> list[Sample]:
        return [s for s in self.samples if s.status == AGREE]

    @property
    def disagreed(self) -> list[Sample]:
        return [s for s in self.samples if s.status == DISAGREE]

    def precision_summary(self) -> str:
        """How many agreeing points were compared how: `12 exactly, 20 to 128 bits (256-bit balls)`."""
        counts: dict[str, int] = {}
        for s in self.agreed:
            if s.precision:
                counts[s.precision] = counts.get(s.precision, 0) + 1
        return ", ".join(_how(kind, n) for kind, n in sorted(counts.items(), key=lambda kv: _order(kv[0])))

    def numeric_message(self) -> str:
        how = self.precision_summary()
        return (
            f"equal at {len(self.agreed)} random points{' (' + how + ')' if how else ''}; "
            "no symbolic proof found within the budget"
        )

    def shortfall_message(self) -> str:
        if not self.samples and self.inadmissible:
            return "no point satisfies the chain's assumptions (none of the probe points could be placed)"
        return f"could not evaluate the steps at enough probe points ({len(self.agreed)} agreed)"


@dataclass(frozen=True)
class Point:
    """Where a point ended: the values it used, both sides' values, and how they compare."""

    values: dict[sympy.Basic, sympy.Expr]
    lhs: Any
    rhs: Any
    status: str
    precision: str
    functions: dict[type, Lambda] = field(default_factory=dict)


def seed_of(*texts: str) -> int:
    """A seed from the pair's text: the same step pair always gets the same points."""
    return int.from_bytes(hashlib.sha256("\x00".join(texts).encode()).digest()[:8], "big")



def leaves(e: sympy.Basic, symbols: set[sympy.Basic], indexed: set[sympy.Basic]) -> None:
    """Plain symbols and family elements of e (IndexedBase labels are not variables), added to the sets."""
    found_symbols, found_indexed = _leaves(e)
    symbols |= found_symbols
    indexed |= found_indexed


Found = frozenset[sympy.Basic]


@functools.lru_cache(maxsize=1 << 14)
def _leaves(e: sympy.Basic) -> tuple[Found, Found]:
    """(plain symbols free in e, every family element of e): memoised, so a subtree a step shares with
    the step before it is not walked again."""
    if isinstance(e, sympy.Symbol):
        return frozenset((e,)), frozenset()
    symbols: set[sympy.Basic] = set()
    indexed: set[sympy.Basic] = set()
    if isinstance(e, Indexed):
        indexed.add(e)
        parts: Iterable[sympy.Basic] = e.indices
    elif isinstance(e, Sum | Product):
        # an inner limit's bound may be an outer limit's variable (Σ_{i} Σ_{j=1}^{i}): bound too
        parts = (e.function, *(x for lim in e.limits for x in lim[1:]))
    else:
        parts = e.args
    for part in parts:
        s, i = _leaves(part)
        symbols |= s
        indexed |= i
    if isinstance(e, Sum | Product):
        symbols -= {lim[0] for lim in e.limits}
    return frozenset(symbols), frozenset(indexed)


@functools.lru_cache(maxsize=1 << 12)
def _spell_family(spelling: str, formal: tuple[sympy.Symbol, ...], actual: tuple[sympy.Basic, ...]) -> str:
    """`x_i` with i ↦ 2 spelled `x_2` (braced when the index is longer than one character)."""
    out = spelling
    for f, a in zip(formal, actual, strict=False):
        text = str(int(a)) if isinstance(a, sympy.Integer) else sympy.latex(a)
        if len(text) > 1 and not text.startswith("{"):
            text = "{" + text + "}"
        pattern = rf"(?<![A-Za-z\\]){re.escape(str(f))}(?![A-Za-z])"
        out = re.sub(pattern, text.replace("\\", "\\\\"), out)  # replacement taken literally
    return out


def _show(v: sympy.Expr) -> str:
    """A value as a short string: an integer or a simple fraction as itself, else a decimal. (Written
    from the integers: SymPy's printer and float() are most of the time of a point's display.)"""
    if isinstance(v, sympy.Integer):
        return str(int(v))
    if isinstance(v, sympy.Rational):
        if v.q <= 1000 and abs(v.p) < 10**6 and (1000 % v.q == 0 or v.q < 20) and 1000 % v.q:
            return f"{v.p}/{v.q}"
        with contextlib.suppress(OverflowError):
            return f"{v.p / v.q:.6g}"  # p / q is the double nearest the fraction, as float(v) is
    return f"{float(v):.6g}"


def _empty(e: Sum | Product) -> bool:
    """Whether some limit of e has concrete bounds with upper < lower (an empty range)."""
    return any(((b - a) < 0) is sympy.true for _k, a, b in e.limits)


def _empty_value(e: Sum | Product) -> sympy.Expr:
    return sympy.S.Zero if isinstance(e, Sum) else sympy.S.One


def _to_sympy(v: Any) -> sympy.Expr:
    """An exact evaluator value (fmpq) as a SymPy rational."""
    return sympy.Rational(int(v.p), int(v.q))


def _key_of(atom: sympy.Basic) -> Any:
    """The evaluator's key of a symbol or a concrete family element."""
    if isinstance(atom, Indexed):
        return (interned(atom.base), tuple(int(i) for i in atom.indices))
    return atom


_ATOMS: Table[Any, sympy.Basic] = Table(100_000)  # (base, indices) → its Indexed (building one is slow)


def _atom_of(key: Any) -> sympy.Basic:
    if not isinstance(key, tuple):
        return key
    return _ATOMS.get(key, lambda: sympy.Indexed(key[0], *key[1]))


class _Inventory:
    """What a walk over some expressions finds: their sums and products (each once, outermost
    first), the bases of their family elements, and the heads of their opaque applications. Every
    node is visited, limits and indices too, as SymPy's `preorder_traversal` and `atoms` would; a
    subtree met twice (SymPy shares them) is walked once."""

    def __init__(self, exprs: Iterable[sympy.Basic]) -> None:
        self.loops: list[Sum | Product] = []
        self.bases: set[sympy.Basic] = set()
        self.heads: set[type] = set()
        seen: set[int] = set()
        todo = list(exprs)[::-1]
        while todo:
            e = todo.pop()
            if id(e) in seen:
                continue
            seen.add(id(e))
            if isinstance(e, Sum | Product):
                self.loops.append(e)
            elif isinstance(e, Indexed):
                # the interned instance, the one the evaluator's keys carry: the bases key the prober's
                # per-family tables, and a lookup with another instance of an equal base compared the
                # two with SymPy's == (which rebuilds both sides' contents) at every draw
                self.bases.add(interned(e.base))
            elif isinstance(e, AppliedUndef):
                self.heads.add(e.func)
            todo.extend(e.args[::-1])


class Prober:
    """Draws points for one step pair and evaluates both sides there."""

    def __init__(
        self,
        notation: Notation,
        lhs: sympy.Expr,
        rhs: sympy.Expr,
        assumptions: Assumptions,
        seed: int,
    ) -> None:
        self.notation = notation
        self.lhs, self.rhs = lhs, rhs
        self.assumptions = assumptions
        self.rng = random.Random(seed)
        self.seed = seed
        self.draws = 0  # counts points and resamplings, so each gets fresh but repeatable values
        self.points = 0
        self.attempt = 0  # which draw of the current point this is (the first takes the edge sizes in turn)
        self.small_points = 0  # points drawn at the small scale so far
        self.textbook = False  # the point being drawn is a textbook point outside the cycle (see one)
        self.ball_agreements = 0  # points whose agreement came from balls (every few is confirmed higher)
        self.scale = 0
        self.size_scale = 0  # the scale of the sizes and integers: the point's own, or 0 on a far retry
        self.value_scale = 0  # the scale of the real values: the point's own, or 0 on a retry (see run)
        self.far: sympy.Basic | None = None  # on a retry, the one real variable drawn at the wide scale
        self.far_key: Any = None  # that variable's evaluator key at this point (x_j with j ↦ 2: (x, (2,)))
        # which target the next retry at each scale moves out: they take turns at every scale (one
        # counter for all would, with an even number of targets, keep each target at one scale)
        self.far_turn: dict[int, int] = {}
        self._labels: dict[object, str] = {}  # each variable's printed name, for its generator's seed
        self._base_labels: dict[sympy.Basic, str] = {}  # a family's printed base, once
        self._base_words: dict[sympy.Basic, frozenset[str]] = {}  # a family element's words, per base
        # each element's display name as met at a point (x_2, or x_i where i ↦ 2): the same elements
        # recur at every point, and printing them (SymPy's LaTeX printer) was a fifth of probing
        self._names: dict[tuple[sympy.Basic, sympy.Basic], str] = {}
        # the trial points a shrinking found still refuting (by the id of their values), with their comparison
        self._refuting: dict[int, tuple[dict[Any, sympy.Expr], tuple[Match, Any, Any, str]]] = {}
        # keyed by the interned bases the evaluator's keys and the points' elements carry, so a lookup
        # finds its key by identity (SymPy's == between two equal bases rebuilds both sides' contents)
        self.family_of = {interned(f.base): f for f in notation.families.values()}
        # a matrix_args function has no SymPy body, but it is never opaque: the reader expands each application
        self.opaque = {s.head: s for s in notation.functions.values() if s.body is None and not s.matrix_params}
        exprs = (lhs, rhs, *(x for eq in assumptions.equations for x in eq), *assumptions.fixed.values())
        syms: set[sympy.Basic] = set()
        idx: set[sympy.Basic] = set()
        for e in exprs:
            leaves(e, syms, idx)
        for el in assumptions.fixed:
            leaves(el, syms, idx)
        # one walk over the sides (and one over the assumptions' expressions) finds the sums, the
        # family elements and the opaque applications the rest of this set-up and every point use
        # (each had walked the trees again: most of the set-up's time)
        sides, extra = _Inventory((lhs, rhs)), _Inventory(exprs[2:])
        self.loops = sides.loops  # the sums and products of the two sides
        self.heads = sides.heads  # the opaque functions applied in the two sides
        self.bases = sides.bases  # the families whose elements the two sides write
        bound = {lim[0] for node in (*sides.loops, *extra.loops) for lim in node.limits}
        # elements under a sum (x_k of Σ_k) are not free; their values come after the sum is expanded
        idx = {i for i in idx if not (i.free_symbols & bound)}
        for i in idx:
            for k in i.indices:
                syms |= k.free_symbols
        self.symbolic_elements = idx
        # index symbols bring the symbols of their bounds (N of 1..N) along, transitively
        # (j in 1..a with a in 1..N brings a and N; a bound that is a defined symbol brings its definition's)
        todo = list(syms)
        while todo:
            r = notation.indices.get(todo.pop())
            if r is not None:
                lo, hi = self._range(r.symbol)
                new = (lo.free_symbols | hi.free_symbols) - syms
                syms |= new
                todo += new
        self.symbols = syms
        self.sizes = {s for s in syms if self._is_size(s)}
        self.far_targets = self._far_targets(sides.bases | extra.bases)
        self.far_size = _FAR_SIZES.get(max(_depth(lhs), _depth(rhs)), 12)

    # ---- domains ----------------------------------------------------------------------
    def words(self, atom: sympy.Basic) -> frozenset[str]:
        if isinstance(atom, Indexed):
            fam = self.family_of.get(atom.base)
            if fam is not None and fam.words:
                return fam.words
            return W.from_assumptions(atom)
        w = self.notation.words.get(atom)
        return w if w else W.from_assumptions(atom)

    def _continuous(self, words: frozenset[str]) -> bool:
        return not ({"integer", "binary"} & words)

    def _far_targets(self, bases: set[sympy.Basic]) -> list[sympy.Basic]:
        """The real variables a retry may move out one at a time (see run): the symbols and family
        elements written in the steps (α, θ_j), then whole families (every x^{(i)}_k of a sum; `bases`
        are the families written in the steps and the assumptions)."""
        plain = [
            s
            for s in self.symbols
            if isinstance(s, sympy.Symbol)
            and s not in self.notation.indices
            and not getattr(s, "is_integer", False)
            and self._continuous(self.words(s))
        ]
        elements = [el for el in self.symbolic_elements if self._continuous(self.words(el))]
        families = [b for b in bases if self._continuous(self._key_words((b, ())))]
        return sorted(plain, key=str) + sorted(elements, key=str) + sorted(families, key=str)

    def _is_far(self, key: Any) -> bool:
        """Whether the variable with this evaluator key is the one a retry moves out."""
        far = self.far
        if far is None:
            return False
        # hashes first (SymPy keeps them): comparing a family's base with SymPy's == builds both
        # sides' contents, at every draw of a retried point
        if isinstance(key, tuple):
            base = key[0]
            return (hash(base) == hash(far) and base == far) or key == self.far_key
        return hash(key) == hash(far) and bool(key == far)

    def _unfold_defined(self, e: sympy.Expr) -> sympy.Expr:
        """A range bound with its defined symbols replaced by their definitions (K = n + 1)."""
        for _ in range(8):
            defs = {
                s: d.body
                for s, d in self.notation.definitions.items()
                if isinstance(s, sympy.Symbol) and not d.params and s in e.free_symbols
            }
            if not defs:
                break
            e = e.xreplace(defs)
        return e

    def _range(self, s: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr]:
        r = self.notation.indices[s]
        return self._unfold_defined(r.lower), self._unfold_defined(r.upper)

    def size_variables(self, e: sympy.Expr) -> list[sympy.Symbol]:
        """The integer variables of e an exact size check may take as sizes: sums' bounds and other
        integers, not indices (their values depend on a range) and not binary ones (two values only)."""
        out = []
        for s in e.free_symbols:
            if not isinstance(s, sympy.Symbol) or not s.is_integer or s in self.notation.indices:
                continue
            if "binary" in self.words(s):
                continue
            out.append(s)
        return sorted(out, key=str)

    def in_domain(self, s: sympy.Symbol, v: int) -> bool:
        return W.contains(sympy.Integer(v), self.words(s))

    def _is_size(self, s: sympy.Basic) -> bool:
        """A symbol used as a bound of a sum or of an index range gets a concrete size."""
        if not getattr(s, "is_integer", False) or s in self.notation.indices:
            return False
        for r in self.notation.indices:
            lo, hi = self._range(r)
            if s in lo.free_symbols | hi.free_symbols:
                return True
        for node in self.loops:
            for lim in node.limits:
                if s in lim[1].free_symbols | lim[2].free_symbols:
                    return True
        return False

    def _size(self, words: frozenset[str], turn: int | None = None) -> sympy.Integer:
        """A size: the small edge sizes at scale 0, larger ones further out (sums stay cheap to expand)."""
        if self.size_scale > 0:
            lo, hi = _WIDE_SIZES[self.size_scale - 1]
            if self.size_scale == len(_WIDE_SIZES) and self.far_size > hi and self.rng.random() < 0.5:
                lo = hi = round(math.exp(self.rng.uniform(math.log(hi + 1), math.log(self.far_size))))
            v = sympy.Integer(self.rng.randint(lo, hi))
            # a size whose domain reaches below −1 (a plain integer) goes there half the time: Σ_{k=1}^{M} k
            # = M(M+1)/2 fails at M = −2 (the empty sum is 0) and ended numeric when no draw went below −1
            if W.contains(-v, words) and self.rng.random() < 0.5:
                v = -v
            if W.contains(v, words):
                return v
        allowed = [v for v in _SIZES if W.contains(sympy.Integer(v), words)] or [1]
        if turn is not None:  # the edge sizes in turn, so −1, 0 and 1 are never left to chance
            return sympy.Integer(allowed[turn % len(allowed)])
        return sympy.Integer(self.rng.choice(allowed))

    # ---- points -----------------------------------------------------------------------
    def _integers(self) -> dict[sympy.Basic, sympy.Expr] | None:
        """Sizes first, then indices inside their ranges, then other integer symbols."""
        vals: dict[sympy.Basic, sympy.Expr] = {}
        for n, s in enumerate(sorted(self.sizes, key=str)):
            # a point's first draw at the small scale takes the edge sizes in turn (the first size
            # cycling fastest); a redraw (no admissible point) is random
            turn = None
            if self.scale == 0 and self.attempt == 0:
                # a textbook point outside the cycle (the diagnosis's) moves every size on, so that
                # each takes another value than at the point before (a pattern in N and in p)
                turn = self.small_points + n if self.textbook else self.small_points // len(_SIZES) ** n + n
            vals[s] = self._size(self.words(s), turn)
        pending = sorted((s for s in self.symbols if s in self.notation.indices and s not in vals), key=str)
        while pending:  # an index whose range uses another index (j in 1..a) waits for it
            ready = []
            for s in pending:
                lo, hi = (x.xreplace(vals) for x in self._range(s))
                if lo.is_Integer and hi.is_Integer:
                    if lo > hi:
                        return None
                    vals[s] = sympy.Integer(self.rng.randint(int(lo), int(hi)))
                    ready.append(s)
            if not ready:
                return None
            pending = [s for s in pending if s not in ready]
        for pair in self.assumptions.distinct:
            a, b = (x.xreplace(vals) for x in pair)
            if a.is_Integer and b.is_Integer and a == b:
                return None
        for s in sorted(self.symbols, key=str):
            if s not in vals and getattr(s, "is_integer", False) and "binary" not in self.words(s):
                vals[s] = self._value(s, self.rng)
        return vals

    def _value(self, atom: sympy.Basic, rng: random.Random) -> sympy.Expr:
        """A random value of the atom's domain, inside the chain's bounds on it (x > 100) if any."""
        words = self.words(atom)
        integer = getattr(atom, "is_integer", False)
        far = not integer and self._is_far(_loose_key(atom))
        scale = self.size_scale if integer else self.scale if far else self.value_scale
        bound = self.assumptions.bounds.get(atom)
        if bound is not None:
            return W.sample(words, rng, scale, bound.low, bound.high, bound.strict, far=far)
        return W.sample(words, rng, scale, far=far)

    def _concrete_functions(self) -> tuple[dict[type, Lambda], dict[str, str]]:
        funcs: dict[type, Lambda] = {}
        shown: dict[str, str] = {}
        heads = set(self.opaque) | self.heads
        for head in sorted(heads, key=str):
            spec = self.opaque.get(head)
            n = len(spec.params) if spec is not None else 1
            params = spec.params if spec is not None else (sympy.Symbol("t"),)
            if len(params) != n or n == 0:
                continue
            body: sympy.Expr = sympy.S.Zero
            for p in params:
                c1, a1, b1, c2 = (_rat(self.rng.uniform(0.4, 1.6)) for _ in range(4))
                body += c1 * sympy.sin(a1 * p + b1) + c2 * p / 3
            if n > 1:
                # a coupling term: a sum of one-argument parts would satisfy identities such as
                # f(x, y) + f(0, 0) = f(x, 0) + f(0, y) that a general f does not
                coupling = sympy.Add(*(_rat(self.rng.uniform(0.4, 1.6)) * p for p in params))
                body += _rat(self.rng.uniform(0.4, 1.6)) * sympy.sin(coupling * params[0])
            funcs[head] = Lambda(params, body)
            name = spec.spelling if spec is not None else str(head)
            shown[f"{name}({', '.join(map(str, params))})"] = sympy.latex(body)
        return funcs, shown

    def display_name(self, atom: sympy.Basic, origin: dict[sympy.Basic, sympy.Basic] | None = None) -> str:
        """How the user spells a symbol or element (`x_i`, or `x_2` for an element of an expanded sum)."""
        origin = origin or {}
        if isinstance(atom, Indexed):
            shown = origin.get(atom, atom)
            fam = self.family_of.get(atom.base)
            if fam is not None:
                return _spell_family(fam.spelling, fam.indices, shown.indices)
            return sympy.latex(shown)
        return self.notation.spelling_of(atom)

    def one(self, retry: bool = False, far: sympy.Basic | None = None, textbook: bool = False) -> Sample | None:
        """Draw one admissible point and evaluate both sides there (None when none could be drawn).

        A retry draws the real values in the textbook box, except `far` (a symbol, a family element or
        a whole family), which keeps the wide scale; the sizes and integers are drawn at the textbook
        scale with a `far` variable, at the current (wide) scale again without one: see `run`."""
        self.textbook = textbook
        if textbook:
            self.scale = 0  # the cycle is not advanced: the probe's own points keep their scales
        elif not retry:
            self.scale = _SCALE_CYCLE[self.points % len(_SCALE_CYCLE)]
            self.points += 1
        self.value_scale = 0 if retry else self.scale
        self.size_scale = 0 if retry and far is not None else self.scale
        self.far, self.far_key = (far if retry else None), None
        ints = None
        for self.attempt in range(30):
            ints = self._integers()
            if ints is not None:
                break
        if self.scale == 0:
            self.small_points += 1
        if ints is None:
            return None
        if isinstance(self.far, Indexed):
            self.far_key = _loose_key(self.far.xreplace(ints))
        funcs, shown = self._concrete_functions()
        try:
            point = self._fast(ints, funcs)
        except Unsupported:
            point = self._slow(ints, funcs)
        if point is None:
            return None
        return self._sample(point, ints, shown)

    def _sample(self, point: Point, ints: dict[sympy.Basic, sympy.Expr], shown: dict[str, str]) -> Sample:
        # display names: an element written x_i (i ↦ 2) is shown as x_i, not x_2
        origin = {el.xreplace(ints): el for el in self.symbolic_elements}

        def described() -> tuple[dict[str, str], dict[sympy.Basic, str]]:
            display: dict[str, str] = {}
            names: dict[sympy.Basic, str] = {}
            for atom, v in point.values.items():
                key = (atom, origin.get(atom, atom))
                name = self._names.get(key)
                if name is None:
                    name = self._names[key] = self.display_name(atom, origin)
                names[atom] = name
                display[names[atom]] = _show(v)
            display.update(shown)
            return display, names

        free = frozenset(k for k in point.values if k in origin or k in self.symbols)
        indices = self.notation.indices
        written = {origin.get(k, k): k for k in free if k not in indices}
        difference = None
        if isinstance(point.lhs, fmpq) and isinstance(point.rhs, fmpq):
            difference = _to_sympy(point.rhs - point.lhs)
        return Sample(
            point.status,
            point.values,
            as_complex(point.lhs),
            as_complex(point.rhs),
            free,
            point.precision,
            difference,
            point.functions,
            self.scale,
            point.lhs is not None and point.rhs is not None,
            _ratio(point.lhs, point.rhs),
            described,
            written,
        )

    # ---- evaluation --------------------------------------------------------------------------
    def _key_words(self, key: object) -> frozenset[str]:
        if isinstance(key, tuple):
            # per base, once: the family's base read in the notation is another object than the key's
            # (interned) one, and SymPy compares the two at every lookup
            words = self._base_words.get(key[0])
            if words is None:
                fam = self.family_of.get(key[0])
                words = fam.words if fam is not None and fam.words else W.from_assumptions(key[0])
                self._base_words[key[0]] = words
            return words
        return self.words(key)

    def _draw(self, key: object) -> sympy.Expr:
        """A value for one variable from its own generator: the same pair, point and variable
        always get the same value, whatever order the evaluator meets the variables in."""
        label = self._labels.get(key)
        if label is None:  # SymPy's printer is slow: a variable's name is printed once per pair, not per draw
            if isinstance(key, tuple):
                base = self._base_labels.get(key[0])
                if base is None:
                    base = self._base_labels[key[0]] = str(key[0])
                label = self._labels[key] = f"{base}{list(key[1])}"
            else:
                label = self._labels[key] = str(key)
        rng = random.Random(f"{self.seed}:{self.draws}:{label}")
        if isinstance(key, tuple):
            far = self._is_far(key)
            return W.sample(self._key_words(key), rng, self.scale if far else self.value_scale, far=far)
        return self._value(key, rng)

    def compare(
        self,
        values: dict[Any, sympy.Expr],
        funcs: dict[type, Lambda],
        lhs: sympy.Expr,
        rhs: sympy.Expr,
        confirm: bool = False,
    ) -> tuple[Match, Any, Any, str]:
        """Both sides at one point: exactly when both are rational there, else with balls at rising
        precision (an agreement is confirmed above the first precision, and with `confirm` at the top
        one; a value no precision can settle makes the point a skip)."""
        # balls straight away where exact evaluation cannot give both values (a transcendental function
        # or constant on each side, outside any sum): it stopped there, having only spent the time to get
        # there (a variable it drew is drawn the same later). Where the balls settle nothing, it is run
        # after all, as it ran before: it may still have met something the balls did not reach
        # (an unsupported node past a value the balls cannot place), which the caller handles its way
        exact_first = not (surely_inexact(lhs) and surely_inexact(rhs))

        def exactly() -> tuple[Match, Any, Any, str] | None:  # None where a value is not rational
            try:
                ev = Evaluator(values, self._draw, funcs)
                lv, rv = _try_value(ev, lhs), _try_value(ev, rhs)
                return match_exact(lv, rv), lv, rv, "exact"
            except Inexact:
                return None

        found = exactly() if exact_first else None
        if found is not None:
            return found
        out = self._balls(values, funcs, lhs, rhs, confirm)
        if out[0] is Match.SKIP and not exact_first:
            found = exactly()
        return found if found is not None else out

    def _balls(
        self, values: dict[Any, sympy.Expr], funcs: dict[type, Lambda], lhs: sympy.Expr, rhs: sympy.Expr, confirm: bool
    ) -> tuple[Match, Any, Any, str]:
        """Both sides with balls at rising precision (see compare)."""
        agreed: tuple[Match, Any, Any, str] | None = None  # an agreement waiting for its confirmation
        for prec in PRECISIONS:
            ev = Evaluator(values, self._draw, funcs, prec)
            try:
                lv, rv = _try_value(ev, lhs), _try_value(ev, rhs)
            except Unsure:
                continue
            m = match_balls(lv, rv, prec)
            if m is Match.AGREE and confirm and prec != PRECISIONS[-1] and prec != PRECISIONS[0]:
                agreed = (m, lv, rv, f"{prec}-bit")
                continue
            if m in (Match.DISAGREE, Match.SKIP) or (m is Match.AGREE and prec != PRECISIONS[0]):
                return m, lv, rv, f"{prec}-bit"
        # the top precision could not settle what a lower one agreed on: the lower agreement stands
        return agreed if agreed is not None else (Match.SKIP, None, None, "")

    def _fast(self, ints: dict[sympy.Basic, sympy.Expr], funcs: dict[type, Lambda]) -> Point | None:
        values: dict[Any, sympy.Expr] = dict(ints)
        self.draws += 1
        fixed = self._fix_elements(values, ints, funcs)
        if fixed is None:
            return None
        for lhs, rhs in self.assumptions.equations:
            if not self._satisfy(values, funcs, lhs, rhs, fixed):
                return None
        if not self._constraints_hold(values, funcs) and not self._place_inside(values, funcs, fixed):
            return None
        m, lv, rv, how = self.compare(values, funcs, self.lhs, self.rhs, self.ball_agreements % CONFIRM_EVERY == 0)
        if m is Match.AGREE and how != "exact":
            self.ball_agreements += 1
        if m is Match.DISAGREE and (lv is None or rv is None) and self._removable(values, ints, funcs, fixed):
            m = Match.SKIP
        out = {_atom_of(k): v for k, v in values.items()}
        return Point(out, lv, rv, m.value, how, funcs)

    def _fix_elements(
        self, values: dict[Any, sympy.Expr], ints: dict[sympy.Basic, sympy.Expr], funcs: dict[type, Lambda]
    ) -> set[Any] | None:
        """Elements an assumption fixes (x^{(i)}_0 = 1, y_j = 1) get their value before anything else
        draws them, so the same element met inside a sum (the j = 0 term of θᵀx^{(i)}) has it too."""
        fixed: set[Any] = set()
        for el, value in self.assumptions.fixed.items():
            concrete = el.xreplace(ints)
            if not all(i.is_Integer for i in concrete.indices):
                continue
            key = _key_of(concrete)
            try:
                v = Evaluator(values, self._draw, funcs).value(value.xreplace(ints))
            except (Inexact, Undefined):
                return None
            values[key] = _to_sympy(v)
            fixed.add(key)
        return fixed

    def _constraints_hold(self, values: dict[Any, sympy.Expr], funcs: dict[type, Lambda]) -> bool:
        for c in self.assumptions.constraints:
            try:
                if not Evaluator(values, self._draw, funcs).truth(c):
                    return False
                continue
            except Inexact:
                pass
            except Undefined:
                return False
            try:
                if not Evaluator(values, self._draw, funcs, PRECISIONS[1]).truth(c):
                    return False
            except (Undefined, Unsure):
                return False
        return True

    # ---- moving a point inside the chain's inequalities ---------------------------------------
    def _place_inside(self, values: dict[Any, sympy.Expr], funcs: dict[type, Lambda], fixed: set[Any]) -> bool:
        """Move the point inside every inequality it misses (x + y > 100, x^2 + y^2 < 1, x^3 > 10^9): one
        plain real variable of the inequality is solved for, the others kept, and a rational value is
        drawn inside the solution set (and the variable's domain and bound). Rejection alone rarely
        lands in a small or far region, and a wrong step that fails only there ended `numeric` or
        `error`. The point must still meet the chain's equations; else it is dropped, as before."""
        for _ in range(2):
            for c in self.assumptions.constraints:
                try:
                    holds = Evaluator(values, self._draw, funcs).truth(c)
                except (Inexact, Undefined, Unsure, Unsupported):
                    holds = False
                if not holds and not self._move_into(c, values):
                    return False
            if self._constraints_hold(values, funcs):
                return all(self._holds(values, funcs, a, b)[0] for a, b in self.assumptions.equations)
        return False

    def _move_into(self, c: sympy.Basic, values: dict[Any, sympy.Expr]) -> bool:
        if not isinstance(c, Relational) or c.has(Sum, Product, AppliedUndef, Indexed):
            return False
        keep = self.sizes | set(self.notation.indices)
        names = [
            x
            for x in sorted(c.free_symbols, key=str)
            if x not in keep and not getattr(x, "is_integer", False) and self._continuous(self.words(x))
        ]
        for target in self.rng.sample(names, len(names)):
            others = {x: values[x] for x in c.free_symbols if x != target and x in values}
            t = sympy.Dummy("t", real=True)
            cond = c.xreplace(others).xreplace({target: t})
            if not isinstance(cond, Relational) or cond.free_symbols != {t}:
                continue
            try:
                region = sympy.solveset(cond, t, sympy.S.Reals)
            except (NotImplementedError, ValueError, TypeError):
                continue
            v = self._inside(region, target)
            if v is not None:
                values[target] = v
                return True
        return False

    def _inside(self, region: sympy.Set, target: sympy.Basic) -> sympy.Rational | None:
        """A rational value of `region` that the target's domain and bound admit (None if none is found)."""
        parts = list(region.args) if isinstance(region, sympy.Union) else [region]
        parts = [p for p in parts if isinstance(p, sympy.Interval)]
        for _ in range(12):
            if not parts:
                return None
            a, b = (x for x in self.rng.choice(parts).args[:2])
            offset = W.sample(frozenset({"positive"}), self.rng, self.value_scale)
            if a.is_finite and b.is_finite:
                u = sympy.Rational(self.rng.randint(1, 999), 1000)
                guess = a + (b - a) * u
            elif a.is_finite:
                guess = a + offset
            elif b.is_finite:
                guess = b - offset
            else:
                guess = W.sample(self.words(target), self.rng, self.value_scale)
            try:
                v = sympy.Rational(round(float(guess) * 10**6), 10**6)
            except (TypeError, ValueError, OverflowError):
                continue
            if region.contains(v) is sympy.true and self._admissible(target, v):
                return v
        return None

    def _removable(
        self,
        values: dict[Any, sympy.Expr],
        ints: dict[sympy.Basic, sympy.Expr],
        funcs: dict[type, Lambda],
        fixed: set[Any],
    ) -> bool:
        """Defined on one side only: a removable singularity (x/x at x = 0, (b^N − 1)/(b − 1) at b = 1)
        disappears when the point moves a little, whether the variable is real or integer; a real
        difference of domain (log of a negative) does not. Sizes and indices stay, since they shape sums."""
        nudged = dict(values)
        shape = self.sizes | set(self.notation.indices)
        for key in sorted(values, key=str):
            if key in shape or key in fixed:
                continue
            step = sympy.Rational(self.rng.randint(1, 9), 10_000) * self.rng.choice((1, -1))
            nudged[key] = values[key] + step
        m, _, _, _ = self.compare(nudged, funcs, self.lhs, self.rhs)
        return m is not Match.DISAGREE

    # ---- moving a point onto the chain's equations -------------------------------------------
    def _holds(
        self, values: dict[Any, sympy.Expr], funcs: dict[type, Lambda], lhs: sympy.Expr, rhs: sympy.Expr
    ) -> tuple[bool, Any, Any, set[Any]]:
        """Whether lhs = rhs holds at the point (exactly, or to a confirmed ball agreement), with the
        exact values when both are rational, and the variables the equation uses."""
        ev = Evaluator(values, self._draw, funcs)
        try:
            lv, rv = _try_value(ev, lhs), _try_value(ev, rhs)
            return (lv is not None and lv == rv), lv, rv, ev.touched
        except Inexact:
            pass
        m, _, _, _ = self.compare(values, funcs, lhs, rhs)
        return m is Match.AGREE, None, None, ev.touched

    def _satisfy(
        self,
        values: dict[Any, sympy.Expr],
        funcs: dict[type, Lambda],
        lhs: sympy.Expr,
        rhs: sympy.Expr,
        fixed: set[Any],
    ) -> bool:
        """Move the point onto lhs = rhs: scale the continuous variables, solve for one of them,
        or try simple discrete patterns; else resample and try again."""
        keep = self.sizes | set(self.notation.indices) | fixed
        for _ in range(40):
            ok, lv, rv, touched = self._holds(values, funcs, lhs, rhs)
            if ok:
                return True
            keys = sorted((k for k in touched if k not in keep), key=str)
            cont = [k for k in keys if not ({"integer", "binary"} & self._key_words(k))]
            disc = [k for k in keys if k not in cont]
            moves = self._moves(values, cont, disc, lv, rv, lhs, rhs)
            for trial in moves:
                if not all(self._admissible(k, v) for k, v in trial.items()):
                    continue
                saved = {k: values[k] for k in trial}
                values.update(trial)
                if self._holds(values, funcs, lhs, rhs)[0]:
                    return True
                values.update(saved)
            if not keys:
                return False
            self.draws += 1
            for k in keys:
                values[k] = self._draw(k)
        return False

    def _admissible(self, key: Any, v: sympy.Expr) -> bool:
        if not W.contains(v, self._key_words(key)):
            return False
        bound = self.assumptions.bounds.get(key)
        return bound is None or bound.contains(v)

    def _moves(
        self,
        values: dict[Any, sympy.Expr],
        cont: list[Any],
        disc: list[Any],
        lv: Any,
        rv: Any,
        lhs: sympy.Expr,
        rhs: sympy.Expr,
    ) -> list[dict[Any, sympy.Expr]]:
        """Candidate moves, in a random order. Variety matters: if every point of x·y = z·y had x = z
        (the only scaling that works), the wrong step x = z would look true; a point with y = 0 refutes it."""
        moves: list[dict[Any, sympy.Expr]] = []
        if cont and isinstance(lv, fmpq) and isinstance(rv, fmpq) and lv != 0:
            lam = _to_sympy(rv / lv)  # an exact ratio, so a homogeneous equation holds exactly after it
            groups = [[self.rng.choice(cont)], cont] if len(cont) > 1 else [cont]
            moves += [{k: values[k] * lam for k in group} for group in groups]
        other: list[dict[Any, sympy.Expr]] = [{k: sympy.S.Zero} for k in self.rng.sample(cont, len(cont))]
        if len(cont) > 1:  # a factor y − z vanishes where y takes z's value
            other += [{a: values[b]} for a, b in (self.rng.sample(cont, 2) for _ in range(3))]
        self.rng.shuffle(other)
        moves = other + moves if self.rng.random() < 0.5 else moves + other
        moves += self._solved(values, cont, lhs, rhs)
        if disc:
            # binary and integer patterns: all 0, and one-hot (Σ_k y_k = 1 with y_j = 1 fixed)
            moves.append({k: sympy.S.Zero for k in disc})
            for k in self.rng.sample(disc, min(len(disc), 12)):
                moves.append({d: sympy.S.One if d == k else sympy.S.Zero for d in disc})
        return moves

    def _solved(
        self, values: dict[Any, sympy.Expr], cont: list[Any], lhs: sympy.Expr, rhs: sympy.Expr
    ) -> list[dict[Any, sympy.Expr]]:
        """Solve the equation exactly for one continuous variable (x² + y² = 1 gives y = ±√(1 − x²)),
        when it has no sums left to expand; the solutions are exact closed forms."""
        g = lhs - rhs
        if g.has(Sum, Product, AppliedUndef) or not cont:
            return []
        ints = {k: v for k, v in values.items() if isinstance(k, sympy.Symbol) and k in self.notation.indices}
        g = g.xreplace(ints)
        out: list[dict[Any, sympy.Expr]] = []
        for target in self.rng.sample(cont, min(len(cont), 3)):
            atom = _atom_of(target)
            subs = {_atom_of(k): v for k, v in values.items() if (k != target and not isinstance(k, tuple)) or (
                isinstance(k, tuple) and k != target)}
            t = sympy.Dummy("t", real=True)
            expr = g.xreplace({atom: t}).xreplace(subs)
            if expr.free_symbols - {t}:
                continue
            try:
                sols = sympy.solve(expr, t)
            except (NotImplementedError, ValueError, TypeError):
                continue
            for s in sols:
                if s.is_real:
                    out.append({target: s})
        return out

    def _slow(self, ints: dict[sympy.Basic, sympy.Expr], funcs: dict[type, Lambda]) -> Point | None:
        """SymPy's own path, for nodes the fast evaluator does not know (Heaviside): expand sums and
        substitute, then compare with evalf at rising precision (not certified: SymPy's own error control)."""

        def concrete(e: sympy.Expr) -> sympy.Expr:
            e = e.xreplace(ints)
            for head, lam in funcs.items():
                e = e.replace(head, lam)
            # SymPy's doit follows Karr (Σ_{k=1}^{-1} = −Σ_{k=0}^{0}); an empty range sums to 0 here,
            # as in the fast evaluator
            e = e.replace(lambda x: isinstance(x, Sum | Product) and _empty(x), _empty_value)
            return e.doit()

        lhs, rhs = concrete(self.lhs), concrete(self.rhs)
        eqs = [concrete(a - b) for a, b in self.assumptions.equations]
        syms: set[sympy.Basic] = set()
        idx: set[sympy.Basic] = set()
        for e in (lhs, rhs, *eqs):
            leaves(e, syms, idx)
        values: dict[sympy.Basic, sympy.Expr] = {}
        for atom in sorted(syms | idx, key=str):
            values[atom] = self._value(atom, self.rng)
        for g in eqs:
            if sympy.simplify(g.xreplace(values)) != 0:
                return None  # the slow path does not move points onto equations
        for c in self.assumptions.constraints:
            truth = c.xreplace(ints).doit().xreplace(values)
            if truth is not sympy.true:
                return None
        rep = {el: sympy.Dummy() for el in idx}
        subs = {rep.get(k, k): v for k, v in values.items()}
        status, lv, rv, how = Match.SKIP, None, None, ""
        disagreed = 0
        for dps in (30, 120, 400):
            lv, rv = _sympy_value(lhs.xreplace(rep), subs, dps), _sympy_value(rhs.xreplace(rep), subs, dps)
            bits = int(dps * 3.32)
            status = match_balls(lv, rv, bits)
            how = f"{bits}-bit {EVALF}"
            if status is Match.DISAGREE:
                # evalf's radius is a guess, not a bound: a disagreement counts only when every
                # precision sees it (a cancellation that evalf got wrong at 30 digits does not last)
                disagreed += 1
                continue
            if status is Match.SKIP or (status is Match.AGREE and dps > 30):
                break
        if disagreed and disagreed < 3:
            status = Match.SKIP
        if status is Match.UNSURE:
            status = Match.SKIP
        return Point({**ints, **values}, lv, rv, status.value, how, funcs)

    # ---- a readable counterexample ---------------------------------------------------------------
    def shrink(self, samples: list[Sample], seconds: float = 0.5) -> Sample:
        """The simplest refuting point: the one with the smallest sizes and box, then each variable
        written in the steps moved to the simplest value (0, 1, −1, 2, 1/2, …) that still satisfies the
        chain's assumptions and still refutes, certified as before. A time-bounded search; the point
        it starts from is kept when nothing simpler refutes."""
        deadline = time.monotonic() + seconds
        shape = self.sizes | set(self.notation.indices)
        self._refuting = {}

        def rank(s: Sample) -> tuple[int, int, int]:
            sizes = sum(abs(int(v)) for k, v in s.values.items() if k in shape and v.is_Integer)
            return (s.scale, sizes, sum(_complexity(v) for k, v in s.values.items() if k in s.free))

        best = min(samples, key=rank)
        if not best.defined:
            return best  # a difference of domain, or the slow path: shown as found
        values = {_key_of(a): v for a, v in best.values.items()}
        concrete = {k: v for k, v in best.values.items() if k in shape}
        fixed = {_key_of(el.xreplace(concrete)) for el in self.assumptions.fixed}
        changed = False
        # sizes first, then the variables written in the steps, then elements of expanded sums
        order = sorted(best.values, key=lambda a: (a not in self.sizes, a not in best.free, str(a)))
        for atom in order:
            key = _key_of(atom)
            current = values.get(key)
            if key in self.sizes and isinstance(current, sympy.Integer):
                values, moved = self._smaller_size(key, current, values, best.functions, deadline)
                changed |= moved
                continue
            if key in shape or key in fixed or not isinstance(current, sympy.Rational):
                continue
            candidates: Sequence[sympy.Expr] = _SIMPLE
            if current.is_Integer:  # the smallest integer that still refutes (N = 6, not 7 or 40)
                below = abs(int(current))
                candidates = [v for v in _INTEGER_TRIALS if not v.is_Integer or abs(int(v)) < below]
            found = False
            for cand in candidates:
                if time.monotonic() > deadline:
                    break
                simpler = abs(cand) < abs(current) if current.is_Integer and cand.is_Integer else (
                    _complexity(cand) < _complexity(current)
                )
                if not simpler or not self._admissible(key, cand):
                    continue
                trial = {**values, key: cand}
                if not self._still_refutes(trial, best.functions):
                    continue
                values, changed, found = trial, True, True
                break
            if not found and abs(current) > 10:
                values, moved = self._rounder(key, current, values, best.functions, deadline)
                changed |= moved
        if not changed:
            return best
        # the point taken is one a trial found still refuting: its comparison is that trial's (the
        # evaluation is a function of the values, and the trial's drawn variables are in them now)
        kept = self._refuting.get(id(values))
        _, lv, rv, how = kept[1] if kept is not None else self.compare(values, best.functions, self.lhs, self.rhs)
        used = self._used_keys(values, best.functions)
        values = {k: v for k, v in values.items() if k in used or k in shape or k in fixed}
        display = {best.names.get(a, str(a)): _show(v) for a, v in ((_atom_of(k), v) for k, v in values.items())}
        display.update({k: v for k, v in best.display.items() if k not in display})
        difference = _to_sympy(rv - lv) if isinstance(lv, fmpq) and isinstance(rv, fmpq) else None
        names = best.names
        return dataclasses.replace(
            best,
            values={_atom_of(k): v for k, v in values.items()},
            described=lambda: (display, names),
            lhs=as_complex(lv),
            rhs=as_complex(rv),
            precision=how,
            difference=difference,
        )

    def _smaller_size(
        self,
        key: sympy.Symbol,
        current: sympy.Integer,
        values: dict[Any, sympy.Expr],
        funcs: dict[type, Lambda],
        deadline: float,
    ) -> tuple[dict[Any, sympy.Expr], bool]:
        """The smallest size that keeps every index inside its range and still refutes."""
        for v in range(min(_SIZES), int(current)):
            if time.monotonic() > deadline:
                break
            size = sympy.Integer(v)
            if not W.contains(size, self.words(key)):
                continue
            trial = {**values, key: size}
            if not self._indices_in_range(trial) or not self._still_refutes(trial, funcs):
                continue
            return trial, True
        return values, False

    def _rounder(
        self,
        key: Any,
        current: sympy.Rational,
        values: dict[Any, sympy.Expr],
        funcs: dict[type, Lambda],
        deadline: float,
    ) -> tuple[dict[Any, sympy.Expr], bool]:
        """A value past 30 (past 10 if not an integer) moved to the first round number below it that
        still refutes (20, …, 100, 200, …, same sign), or else to the integer just past it, then to the least
        integer between the last round number that did not refute and that one that still refutes, by
        halving (each trial certified as before): p + max(0, p − 50) is shown at p = 51, not at 215, and
        x + max(0, x − 20) at x = 21, not at 25.67."""
        sign = 1 if current > 0 else -1
        # the largest magnitude known (or taken) not to refute: the integers up to 30 were tried for an
        # integer value, only the simple values up to 10 for another one
        low = 30 if current.is_Integer else 10
        ladder = sorted({d * 10**k for k in range(1, 6) for d in range(1, 10) if low < d * 10**k < abs(current)})
        # then the integer just past the value itself (25.67 → 26), when no round number below it refuted
        for m in [*ladder, math.ceil(abs(current))]:
            if time.monotonic() > deadline:
                return values, False
            trial = {**values, key: sympy.Integer(sign * m)}
            if m > low and self._admissible(key, trial[key]) and self._still_refutes(trial, funcs):
                high, best = m, trial
                while high - low > 1 and time.monotonic() <= deadline:
                    mid = (low + high) // 2
                    probe = {**values, key: sympy.Integer(sign * mid)}
                    if self._admissible(key, probe[key]) and self._still_refutes(probe, funcs):
                        high, best = mid, probe
                    else:
                        low = mid
                return best, True
            low = max(low, m)
        return values, False

    def _used_keys(self, values: dict[Any, sympy.Expr], funcs: dict[type, Lambda]) -> set[Any]:
        """The variables the steps and the chain's equations use at this point (a smaller size
        leaves elements such as θ_3 behind, which a counterexample must not show)."""
        ev = Evaluator(dict(values), self._draw, funcs, PRECISIONS[0])
        for e in (self.lhs, self.rhs, *(x for eq in self.assumptions.equations for x in eq)):
            with contextlib.suppress(Undefined, Unsure, Unsupported, Inexact, ZeroDivisionError):
                ev.value(e)
        return ev.touched

    def _indices_in_range(self, values: dict[Any, sympy.Expr]) -> bool:
        shape = {k: v for k, v in values.items() if isinstance(k, sympy.Symbol)}
        for s in self.symbols:
            if s not in self.notation.indices or s not in values:
                continue
            lo, hi = (x.xreplace(shape) for x in self._range(s))
            v = values[s]
            if not (lo.is_Integer and hi.is_Integer and v.is_Integer and int(lo) <= int(v) <= int(hi)):
                return False
        for pair in self.assumptions.distinct:
            a, b = (x.xreplace(shape) for x in pair)
            if a.is_Integer and b.is_Integer and a == b:
                return False
        return True

    def _still_refutes(self, values: dict[Any, sympy.Expr], funcs: dict[type, Lambda]) -> bool:
        """The trial point satisfies every equation and constraint, and both sides are defined and differ."""
        try:
            for lhs, rhs in self.assumptions.equations:
                if not self._holds(values, funcs, lhs, rhs)[0]:
                    return False
            if not self._constraints_hold(values, funcs):
                return False
            compared = self.compare(values, funcs, self.lhs, self.rhs)
        except (Unsupported, Undefined, Unsure):
            return False
        m, lv, rv, _ = compared
        if m is Match.DISAGREE and lv is not None and rv is not None:
            self._refuting[id(values)] = (values, compared)  # the dict is kept, so its id stays its own
            return True
        return False

    def run(self, points: int, into: ProbeRun, stop_on_disagree: int = 4, textbook: bool = False) -> ProbeRun:
        """Append up to `points` samples to `into` (stops early after a few disagreements); with
        `textbook`, all in the textbook box (scale 0), outside the cycle of scales."""
        tries = 0
        while len(into.samples) < points and tries < points * 3:
            tries += 1
            s = self.one(textbook=textbook)
            if s is not None and s.status == SKIP and self.scale > 0:
                s = self._retry(s)
            if s is None:
                into.inadmissible += 1
                continue
            into.samples.append(s)
            if len(into.disagreed) >= stop_on_disagree:
                break
        return into


    def _retry(self, skipped: Sample) -> Sample:
        """A wide point no precision could settle, drawn again: first with one real variable moved out
        to the point's scale (FAR_TRIES targets in turn; at the first wide scale it is 10 to 100, where its
        products with textbook values can still be settled, at the second 100 to 10^4) and everything
        else, sizes too, in the textbook box; then, if that cannot be settled either, with the wide sizes
        and every real value in the textbook box.

        Large real values often cannot be settled (1 − σ(θᵀx) for θᵀx in the thousands is below every
        precision), and skipping every wide point hid two classes of wrong steps, both found by the
        mutation benchmark: a term (m−1)…(m−5) that vanishes for m ≤ 5 (only the small sizes were
        tested), and an error that shows only when one variable is far out while the rest stay
        moderate (θ_j − α∂J/∂θ_j + max(0, |α| − 20): α never passed 20 at a point that settled)."""
        turn = self.far_turn.get(self.scale, 0)
        tries = min(FAR_TRIES, len(self.far_targets))
        self.far_turn[self.scale] = turn + tries
        out, agreed = skipped, None
        for n in range(tries):
            # a far point is cheap (textbook sizes): a second target is tried even after an agreement,
            # and a disagreement is kept first (it is certified, whichever target found it)
            retry = self.one(retry=True, far=self.far_targets[(turn + n) % len(self.far_targets)])
            if retry is not None and retry.status == DISAGREE:
                return retry
            if retry is not None and retry.status == AGREE and agreed is None:
                agreed = retry
            out = retry if retry is not None else out
        if agreed is not None:
            return agreed
        retry = self.one(retry=True)
        return retry if retry is not None else out


def _loose_key(atom: sympy.Basic) -> Any:
    """The evaluator key of a symbol or of a family element with integer indices (else the atom)."""
    if isinstance(atom, Indexed) and all(i.is_Integer for i in atom.indices):
        return _key_of(atom)
    return atom


def _order(kind: str) -> tuple[int, int]:
    if kind == "exact":
        return (0, 0)
    bits = int(kind.split("-")[0]) if kind[:1].isdigit() else 0
    return (2 if EVALF in kind else 1, bits)


def _how(kind: str, n: int) -> str:
    """One precision's share of a `numeric` verdict, saying what agreement meant there."""
    if kind == "exact":
        return f"{n} exactly"
    if EVALF in kind:
        return f"{n} with SymPy's evalf at {kind.split('-')[0]} bits (not certified)"
    bits = int(kind.split("-")[0])
    return f"{n} to {int(bits * AGREE_SHARE)} bits ({bits}-bit balls)"


# Values a reader takes in at a glance, simplest first.
_SIMPLE: tuple[sympy.Rational, ...] = tuple(
    sympy.Rational(v) for v in ("0", "1", "-1", "2", "-2", "1/2", "-1/2", "3", "-3", "1/3", "-1/3", "1/10", "10", "-10")
)
# For an integer value: those and the integers up to 30, smallest first (built and sorted once, not for
# every variable of every counterexample; each value once)
_INTEGER_TRIALS: tuple[sympy.Rational, ...] = tuple(
    sorted(dict.fromkeys([*_SIMPLE, *(sympy.Integer(v) for v in range(-30, 31))]), key=lambda v: (abs(v), bool(v < 0)))
)


@functools.lru_cache(maxsize=1 << 14)
def _depth(e: sympy.Basic) -> int:
    """How deeply sums and products nest in e (each limit counts: Σ_{i,j} is 2)."""
    if isinstance(e, Sum | Product):
        parts = (e.function, *(x for lim in e.limits for x in lim[1:]))
        return len(e.limits) + max((_depth(a) for a in parts), default=0)
    return max((_depth(a) for a in e.args), default=0)


def _complexity(v: sympy.Expr) -> int:
    """How hard a value is to read: the digits of its numerator and denominator."""
    if isinstance(v, sympy.Rational):
        return len(str(abs(v.p))) + len(str(v.q)) + (v.p < 0) + (v.q != 1)
    return 100


def _rat(v: float) -> sympy.Rational:
    return sympy.Rational(round(v * 1000), 1000)


def _ratio(lhs: Any, rhs: Any) -> complex | None:
    """rhs / lhs as a double figure, from the exact or ball values (None where lhs may be 0)."""
    if lhs is None or rhs is None:
        return None
    try:
        if isinstance(lhs, fmpq) and isinstance(rhs, fmpq):
            return None if lhs == 0 else as_complex(rhs / lhs)
        a = arb(lhs) if isinstance(lhs, fmpq) else lhs
        b = arb(rhs) if isinstance(rhs, fmpq) else rhs
        if a.contains(0):
            return None
        return as_complex(b / a)
    except (ZeroDivisionError, ValueError, TypeError):
        return None


def _try_value(ev: Evaluator, e: sympy.Expr) -> Any:
    """The value, or None where it is undefined (Inexact, Unsure, Unsupported propagate)."""
    try:
        return ev.value(e)
    except Undefined:
        return None


def _sympy_value(e: sympy.Expr, subs: dict[sympy.Basic, sympy.Expr], dps: int) -> Any:
    """SymPy's evalf at `dps` digits as a ball whose radius is the last few digits (None when undefined)."""
    try:
        v = e.evalf(dps, subs=subs)
        if v.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or not v.is_number:
            return None
        with mpmath.workdps(dps):
            c = mpmath.mpmathify(v)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError):
        return None
    if not mpmath.isfinite(c):
        return None
    rad = f" +/- {mpmath.nstr(abs(c) * mpmath.mpf(10) ** (5 - dps) + mpmath.mpf(10) ** (-dps), 5)}"
    # the ball is read at the digits' own precision: at python-flint's default 53 bits its radius was
    # 10^-16 whatever `dps`, so no point past 30 digits could ever agree (and every one was skipped)
    with mpmath.workdps(dps), precision(int(dps * 3.33) + 16):
        re_ = arb(mpmath.nstr(mpmath.re(c), dps) + rad)
        if mpmath.im(c) == 0:
            return re_
        return acb(re_, arb(mpmath.nstr(mpmath.im(c), dps) + rad))
