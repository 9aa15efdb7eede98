"""Numeric probing: random points over the whole declared domain, both sides evaluated at 30 digits.

Unlike SymPy's `verify_numerically` (which samples only Re z in [2, 3]), points cover negatives for
`real`, 0 and 1 for `binary`, and so on, so `sqrt(x^2) = x` and `log(ab) = log a + log b` are refuted
for reals. Symbolic sum bounds get small concrete sizes so every sum becomes finite; opaque functions
get random smooth concrete bodies. Seeded by the pair's text, so runs repeat exactly.
"""

from __future__ import annotations

import cmath
import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy
from sympy import Indexed, Lambda, Product, Sum
from sympy.core.function import AppliedUndef

from verifier.check.assume import Assumptions
from verifier.check.numeval import Evaluator, Undefined, Unsupported
from verifier.notation import Notation

AGREE, DISAGREE, SKIP = "agree", "disagree", "skip"
_REL_TOL = 1e-9  # for comparing double-precision figures (ratios and differences in diagnoses)
# Probe values are computed with 30 digits (disagreements re-checked with 120 and 400): they agree
# when equal to a relative 1e-15, or both below an absolute floor that shrinks with the precision.
# 1e-9 with an absolute floor of 1e-9 let a step off by 10^{-12}, and a sign flip of a value near
# 0 (ŷ − y with ŷ → y), pass as equal.
_PROBE_REL_TOL = 1e-15


_SIZES = (-1, 0, 1, 2, 3, 4)


@dataclass
class Sample:
    """One probe point: the values used (for messages) and what each side evaluated to."""

    status: str
    display: dict[str, str]
    values: dict[sympy.Basic, sympy.Expr]
    lhs: complex | None = None
    rhs: complex | None = None
    names: dict[sympy.Basic, str] = field(default_factory=dict)
    free: frozenset[sympy.Basic] = frozenset()  # variables written in the steps (not x_2 of an expanded sum)


@dataclass
class ProbeRun:
    """Samples collected so far (filled in place, so a run cut short by the clock still counts)."""

    samples: list[Sample] = field(default_factory=list)

    @property
    def agreed(self) -> list[Sample]:
        return [s for s in self.samples if s.status == AGREE]

    @property
    def disagreed(self) -> list[Sample]:
        return [s for s in self.samples if s.status == DISAGREE]


def seed_of(*texts: str) -> int:
    """A seed from the pair's text: the same step pair always gets the same points."""
    return int.from_bytes(hashlib.sha256("\x00".join(texts).encode()).digest()[:8], "big")


def _words_from_assumptions(obj: sympy.Basic) -> frozenset[str]:
    words = set()
    for w in ("integer", "positive", "nonnegative", "negative", "nonzero"):
        if getattr(obj, f"is_{w}", None):
            words.add(w)
    return frozenset(words)


def _rat(v: float) -> sympy.Rational:
    return sympy.Rational(round(v * 1000), 1000)


def sample_value(words: frozenset[str], rng: random.Random) -> sympy.Expr:
    """A random value from the whole domain the words describe (3 decimals, so messages read well)."""
    if "binary" in words:
        return sympy.Integer(rng.choice((0, 1)))
    if "integer" in words:
        if "positive" in words:
            return sympy.Integer(rng.randint(1, 5))
        if "nonnegative" in words:
            return sympy.Integer(rng.randint(0, 5))
        if "negative" in words:
            return sympy.Integer(rng.randint(-5, -1))
        return sympy.Integer(rng.choice([v for v in range(-5, 6) if v or "nonzero" not in words]))
    if "unit" in words:
        return _rat(rng.uniform(0.02, 0.98))
    if "positive" in words or "nonnegative" in words or "negative" in words:
        # below 1/2, up to 1, and above 1 alike: sums such as p + q < 1 (where log(p + q) < 0) occur
        mag = rng.choice((rng.uniform(0.02, 0.5), rng.uniform(0.5, 1.0), rng.uniform(1.0, 4.0)))
        if "nonnegative" in words and rng.random() < 0.1:
            return sympy.S.Zero
        return -_rat(mag) if "negative" in words else _rat(mag)
    # a real: small (|v| < 1, where log v < 0 and v² < |v|), medium and large magnitudes alike, either
    # sign; uniform on [-8, 8] put only one point in nine in (0, 1), so √((log x)²) = log x passed
    mag = rng.choice((rng.uniform(0.02, 1.0), rng.uniform(1.0, 3.0), rng.uniform(3.0, 8.0)))
    v = _rat(mag if rng.random() < 0.5 else -mag)
    return v if v != 0 else sympy.Rational(1, 7)


def in_domain(v: sympy.Expr, words: frozenset[str]) -> bool:
    """Whether a value (e.g. one solved from an equation) lies in the declared domain."""
    if not v.is_real:
        return False
    if "binary" in words and v not in (0, 1):
        return False
    if "integer" in words and not v.is_integer:
        return False
    if "unit" in words and not (0 < v < 1):
        return False
    if "positive" in words and not v > 0:
        return False
    if "nonnegative" in words and not v >= 0:
        return False
    if "negative" in words and not v < 0:
        return False
    return not ("nonzero" in words and v == 0)


def leaves(e: sympy.Basic, symbols: set[sympy.Basic], indexed: set[sympy.Basic]) -> None:
    """Plain symbols and family elements of e (IndexedBase labels are not variables)."""
    if isinstance(e, Indexed):
        indexed.add(e)
        for i in e.indices:
            leaves(i, symbols, indexed)
        return
    if isinstance(e, sympy.Symbol):
        symbols.add(e)
        return
    if isinstance(e, Sum | Product):
        bound = {lim[0] for lim in e.limits}
        inner: set[sympy.Basic] = set()
        leaves(e.function, inner, indexed)
        # an inner limit's bound may be an outer limit's variable (Σ_{i} Σ_{j=1}^{i}): bound too
        for lim in e.limits:
            for x in lim[1:]:
                leaves(x, inner, indexed)
        symbols |= inner - bound
        return
    for a in e.args:
        leaves(a, symbols, indexed)


def _spell_family(spelling: str, formal: tuple[sympy.Symbol, ...], actual: Iterable[sympy.Basic]) -> str:
    """`x_i` with i ↦ 2 spelled `x_2` (braced when the index is longer than one character)."""
    out = spelling
    for f, a in zip(formal, actual, strict=False):
        text = sympy.latex(a)
        if len(text) > 1 and not text.startswith("{"):
            text = "{" + text + "}"
        pattern = rf"(?<![A-Za-z\\]){re.escape(str(f))}(?![A-Za-z])"
        out = re.sub(pattern, text.replace("\\", "\\\\"), out)  # replacement taken literally
    return out


def _number(e: sympy.Expr, subs: dict[sympy.Basic, sympy.Expr]) -> complex | None:
    """The value at 30 digits, or None when undefined (division by zero, infinities, unassigned symbols)."""
    try:
        v = e.evalf(30, subs=subs)
        if v.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or not v.is_number:
            return None
        c = complex(v)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError):
        return None
    if cmath.isnan(c) or cmath.isinf(c):
        return None
    return c


def _show(v: sympy.Expr) -> str:
    """A value as a short decimal string (values are drawn with 3 decimals; solved ones may be longer)."""
    if isinstance(v, sympy.Integer):
        return str(v)
    text = f"{float(v):.6g}"
    return text


def _empty(e: Sum | Product) -> bool:
    """Whether some limit of e has concrete bounds with upper < lower (an empty range)."""
    return any(((b - a) < 0) is sympy.true for _k, a, b in e.limits)


def _empty_value(e: Sum | Product) -> sympy.Expr:
    return sympy.S.Zero if isinstance(e, Sum) else sympy.S.One


def _is_real(c: Any) -> bool:
    return bool(abs(c.imag) <= 1e-12 * (1 + abs(c.real)))


def close(x: Any, y: Any) -> bool:
    """Equal up to a relative 1e-9 (for double-precision figures derived from probe values)."""
    return bool(abs(x - y) <= _REL_TOL * (1 + max(abs(x), abs(y))))


def agree(x: Any, y: Any, dps: int = 30) -> bool:
    """Two probe values computed with `dps` digits are equal (see _PROBE_REL_TOL)."""
    floor = mpmath.mpf(10) ** (-(dps * 4 // 5))
    return bool(abs(x - y) <= _PROBE_REL_TOL * max(abs(x), abs(y)) + floor)


def _status(lv: Any, rv: Any, dps: int = 30) -> str:
    """Agree, disagree, or skip (both undefined, or both complex and different: branch choices)."""
    if lv is not None and rv is not None:
        if _is_real(lv) and _is_real(rv):
            return AGREE if agree(lv.real, rv.real, dps) else DISAGREE
        if _is_real(lv) != _is_real(rv):
            return DISAGREE  # real on one side, complex on the other: the step changed the value
        return AGREE if agree(lv, rv, dps) else SKIP
    one = lv if lv is not None else rv
    if (lv is None) != (rv is None) and one is not None and _is_real(one):
        return DISAGREE  # defined (and real) on one side only
    return SKIP


def _try_value(ev: Evaluator, e: sympy.Expr) -> Any:
    """The mpmath value (kept at full precision and range: e^{800} must not become inf), or None."""
    try:
        return ev.value(e)
    except Undefined:
        return None


def _as_complex(v: Any) -> complex | None:
    if v is None:
        return None
    try:
        return complex(v)
    except (OverflowError, ValueError):
        return None


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
        self.family_of = {f.base: f for f in notation.families.values()}
        self.opaque = {s.head: s for s in notation.functions.values() if s.body is None}
        syms: set[sympy.Basic] = set()
        idx: set[sympy.Basic] = set()
        for e in (lhs, rhs, *(x for eq in assumptions.equations for x in eq)):
            leaves(e, syms, idx)
        bound = {
            lim[0]
            for e in (lhs, rhs, *(x for eq in assumptions.equations for x in eq))
            for node in sympy.preorder_traversal(e)
            if isinstance(node, Sum | Product)
            for lim in node.limits
        }
        # elements under a sum (x_k of Σ_k) are not free; their values come after the sum is expanded
        idx = {i for i in idx if not (i.free_symbols & bound)}
        for i in idx:
            for k in i.indices:
                syms |= k.free_symbols
        self.symbolic_elements = idx
        # index symbols bring the symbols of their bounds (N of 1..N) along, transitively
        # (j in 1..a with a in 1..N brings a and N)
        todo = list(syms)
        while todo:
            r = notation.indices.get(todo.pop())
            if r is not None:
                new = (r.lower.free_symbols | r.upper.free_symbols) - syms
                syms |= new
                todo += new
        self.symbols = syms
        self.sizes = {s for s in syms if self._is_size(s)}

    # ---- domains ----------------------------------------------------------------------
    def words(self, atom: sympy.Basic) -> frozenset[str]:
        if isinstance(atom, Indexed):
            fam = self.family_of.get(atom.base)
            if fam is not None and fam.words:
                return fam.words
            return _words_from_assumptions(atom)
        w = self.notation.words.get(atom)
        return w if w else _words_from_assumptions(atom)

    def _is_size(self, s: sympy.Basic) -> bool:
        """A symbol used as a bound of a sum or of an index range gets a small positive size."""
        if not getattr(s, "is_integer", False) or s in self.notation.indices:
            return False
        for r in self.notation.indices.values():
            if s in r.lower.free_symbols | r.upper.free_symbols:
                return True
        for e in (self.lhs, self.rhs):
            for node in sympy.preorder_traversal(e):
                if isinstance(node, Sum | Product):
                    for lim in node.limits:
                        if s in lim[1].free_symbols | lim[2].free_symbols:
                            return True
        return False

    # ---- points -----------------------------------------------------------------------
    def _integers(self) -> dict[sympy.Basic, sympy.Expr] | None:
        """Sizes first, then indices inside their ranges, then other integer symbols."""
        vals: dict[sympy.Basic, sympy.Expr] = {}
        for s in sorted(self.sizes, key=str):
            w = self.words(s)
            allowed = [v for v in _SIZES if in_domain(sympy.Integer(v), w)] or [1]
            vals[s] = sympy.Integer(self.rng.choice(allowed))
        pending = sorted((s for s in self.symbols if s in self.notation.indices and s not in vals), key=str)
        while pending:  # an index whose range uses another index (j in 1..a) waits for it
            ready = []
            for s in pending:
                r = self.notation.indices[s]
                lo, hi = r.lower.xreplace(vals), r.upper.xreplace(vals)
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
                vals[s] = sample_value(self.words(s), self.rng)
        return vals

    def _concrete_functions(self) -> tuple[dict[type, Lambda], dict[str, str]]:
        funcs: dict[type, Lambda] = {}
        shown: dict[str, str] = {}
        heads = set(self.opaque)
        for e in (self.lhs, self.rhs):
            heads |= {a.func for a in e.atoms(AppliedUndef)}
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

    def _satisfy(self, eqs: list[sympy.Expr], values: dict[sympy.Basic, sympy.Expr]) -> bool:
        """Move the point onto `lhs = rhs` equations: scale or solve continuous variables,
        resample discrete ones; False when no admissible point was found."""
        for g in eqs:
            syms: set[sympy.Basic] = set()
            idx: set[sympy.Basic] = set()
            leaves(g, syms, idx)
            free = [v for v in sorted(syms | idx, key=str) if v in values]
            cont = [v for v in free if "binary" not in self.words(v) and "integer" not in self.words(v)]
            disc = [v for v in free if v not in cont]
            ok = False
            for _ in range(60):
                if cont:
                    lam = sympy.Dummy("lam")
                    scaled = g.xreplace({**values, **{v: lam * values[v] for v in cont}})
                    sols = [s for s in sympy.solve(scaled, lam) if s.is_real and s > 0]
                    if sols:
                        trial = {v: _rat(float(sols[0] * values[v])) for v in cont}
                        if all(in_domain(trial[v], self.words(v)) for v in cont):
                            values.update(trial)
                            ok = abs(complex(g.xreplace(values).evalf(30))) < 1e-6
                            if ok:
                                break
                    last = cont[-1]
                    sols = sympy.solve(g.xreplace({k: v for k, v in values.items() if k != last}), last)
                    for s in sols:
                        if s.is_real and in_domain(s, self.words(last)):
                            values[last] = s
                            ok = True
                            break
                    if ok:
                        break
                elif _number(g.xreplace(values), {}) == 0:
                    ok = True
                    break
                for v in disc + cont:
                    values[v] = sample_value(self.words(v), self.rng)
                if not disc and not cont:
                    break
            if not ok:
                return False
        return True

    def one(self) -> Sample | None:
        """Draw one admissible point and evaluate both sides there (None when none could be drawn)."""
        ints = None
        for _ in range(30):
            ints = self._integers()
            if ints is not None:
                break
        if ints is None:
            return None
        funcs, shown = self._concrete_functions()
        try:
            found = self._fast(ints, funcs)
        except Unsupported:
            found = self._slow(ints, funcs)
        if found is None:
            return None
        values, lv, rv, status = found
        # display names: an element written x_i (i ↦ 2) is shown as x_i, not x_2
        origin = {el.xreplace(ints): el for el in self.symbolic_elements}
        display: dict[str, str] = {}
        names: dict[sympy.Basic, str] = {}
        for atom, v in values.items():
            names[atom] = self.display_name(atom, origin)
            display[names[atom]] = _show(v)
        display.update(shown)
        free = frozenset(k for k in values if k in origin or k in self.symbols)
        return Sample(status, display, values, lv, rv, names, free)

    # ---- evaluation: fast (mpmath walk) and slow (SymPy doit + evalf) ------------------------
    def _key_words(self, key: object) -> frozenset[str]:
        if isinstance(key, tuple):
            fam = self.family_of.get(key[0])
            if fam is not None and fam.words:
                return fam.words
            return _words_from_assumptions(key[0])
        return self.words(key)

    def _draw(self, key: object) -> sympy.Expr:
        """A value for one variable from its own generator: the same pair, point and variable
        always get the same value, whatever order the evaluator meets the variables in."""
        label = f"{key[0]}{list(key[1])}" if isinstance(key, tuple) else str(key)
        return sample_value(self._key_words(key), random.Random(f"{self.seed}:{self.draws}:{label}"))

    def _fast(
        self, ints: dict[sympy.Basic, sympy.Expr], funcs: dict[type, Lambda]
    ) -> tuple[dict[sympy.Basic, sympy.Expr], complex | None, complex | None, str] | None:
        values: dict[object, sympy.Expr] = dict(ints)
        self.draws += 1
        ev = Evaluator(values, self._draw, funcs)
        for lhs, rhs in self.assumptions.equations:
            if not self._satisfy_fast(ev, lhs, rhs):
                return None
        for c in self.assumptions.constraints:
            try:
                if not ev.truth(c):
                    return None
            except Undefined:
                return None
        lv, rv = _try_value(ev, self.lhs), _try_value(ev, self.rhs)
        status = _status(lv, rv)
        if status == DISAGREE:
            # confirm at much higher precision: 1 − 1/(1 + e^{-300}) is 0 at 30 digits, and a
            # cancellation like that must not refute a true step
            for dps in (120, 400):
                precise = Evaluator(values, self._draw, funcs, dps=dps)
                lv, rv = _try_value(precise, self.lhs), _try_value(precise, self.rhs)
                status = _status(lv, rv, dps)
                if status != DISAGREE:
                    break
        if status == DISAGREE and (lv is None or rv is None):
            # defined on one side only: a removable singularity (x/x at x = 0) disappears when the
            # point moves a little, a real difference of domain (log of a negative) does not
            nudged = dict(values)
            for key in sorted(values, key=str):
                if key not in ints and not ({"integer", "binary"} & self._key_words(key)):
                    nudged[key] = values[key] + _rat(self.rng.uniform(-0.01, 0.01)) / 10
            ev2 = Evaluator(nudged, self._draw, funcs)
            if _status(_try_value(ev2, self.lhs), _try_value(ev2, self.rhs)) != DISAGREE:
                status = SKIP
        out: dict[sympy.Basic, sympy.Expr] = {}
        for key, v in values.items():
            out[sympy.Indexed(key[0], *key[1]) if isinstance(key, tuple) else key] = v
        return out, _as_complex(lv), _as_complex(rv), status

    def _satisfy_fast(self, ev: Evaluator, lhs: sympy.Expr, rhs: sympy.Expr) -> bool:
        """Move the point onto lhs = rhs: scale the continuous variables, else solve for one,
        else resample; discrete variables are resampled until the equation holds."""
        values = ev.values
        for _ in range(60):
            ev.touched = set()
            try:
                lv, rv = ev.value(lhs), ev.value(rhs)
            except Undefined:
                lv = rv = None
            keys = sorted(ev.touched, key=str)
            cont = [k for k in keys if not ({"integer", "binary"} & self._key_words(k))]
            cont = [k for k in cont if k not in self.sizes]
            disc = [k for k in keys if k not in cont and k not in self.sizes]
            if lv is not None and rv is not None and abs(lv - rv) < 1e-12:
                return True
            if cont and lv is not None and rv is not None and self._move_onto(ev, lhs, rhs, cont, lv, rv):
                return True
            self.draws += 1
            for k in disc + cont:
                if not isinstance(k, sympy.Symbol) or k not in self.notation.indices:
                    values[k] = self._draw(k)
            if not disc and not cont:
                return False
        return False

    def _move_onto(
        self, ev: Evaluator, lhs: sympy.Expr, rhs: sympy.Expr, cont: list[Any], lv: Any, rv: Any
    ) -> bool:
        """Try simple moves of continuous variables onto lhs = rhs; keep the first that works.

        Moves: scale one variable picked at random, scale all of them, set one to 0 or to another's value.
        Variety matters: if every point of x·y = z·y had x = z (the only scaling that works), the
        wrong step x = z would look true; a point with y = 0 refutes it.
        """
        values = ev.values
        moves: list[dict[Any, sympy.Expr]] = []
        if lv != 0 and not isinstance(rv / lv, mpmath.mpc):
            lam = sympy.Float(rv / lv, 30)
            groups = [[self.rng.choice(cont)], cont] if len(cont) > 1 else [cont]
            moves += [{k: sympy.Float(values[k] * lam, 30) for k in group} for group in groups]
        other = [{k: sympy.S.Zero} for k in self.rng.sample(cont, len(cont))]
        if len(cont) > 1:  # a factor y − z vanishes where y takes z's value
            other += [{a: values[b]} for a, b in (self.rng.sample(cont, 2) for _ in range(3))]
        self.rng.shuffle(other)
        moves = other + moves if self.rng.random() < 0.5 else moves + other
        for trial in moves:
            if not all(in_domain(v, self._key_words(k)) for k, v in trial.items()):
                continue
            saved = {k: values[k] for k in trial}
            values.update(trial)
            try:
                if abs(ev.value(lhs) - ev.value(rhs)) < 1e-12:
                    return True
            except Undefined:
                pass
            values.update(saved)
        return False

    def _slow(
        self, ints: dict[sympy.Basic, sympy.Expr], funcs: dict[type, Lambda]
    ) -> tuple[dict[sympy.Basic, sympy.Expr], complex | None, complex | None, str] | None:
        """SymPy's own path, for nodes the fast evaluator does not know."""

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
            values[atom] = sample_value(self.words(atom), self.rng)
        if eqs and not self._satisfy(eqs, values):
            return None
        for c in self.assumptions.constraints:
            truth = c.xreplace(ints).doit().xreplace(values)
            if truth is sympy.false:
                return None
        rep = {el: sympy.Dummy() for el in idx}
        subs = {rep.get(k, k): v for k, v in values.items()}
        lv = _number(lhs.xreplace(rep), subs)
        rv = _number(rhs.xreplace(rep), subs)
        return {**ints, **values}, lv, rv, _status(lv, rv)

    def run(self, points: int, into: ProbeRun, stop_on_disagree: int = 4) -> ProbeRun:
        """Append up to `points` samples to `into` (stops early after a few disagreements)."""
        tries = 0
        while len(into.samples) < points and tries < points * 3:
            tries += 1
            s = self.one()
            if s is None:
                continue
            into.samples.append(s)
            if len(into.disagreed) >= stop_on_disagree:
                break
        return into
