"""The decision cascade for one step pair: identity, cheap normal forms, probing, symbolic methods.

Verdicts are honest: `proved` only when a symbolic method reduced the difference to 0 (its name goes
in `method`); `refuted` only with a probe point where the two sides differ; `numeric` when every
probe agreed but no proof came within the budget.
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import partial

import sympy
from sympy.polys.polyerrors import CoercionFailed, GeneratorsError, PolynomialError

from verifier import display
from verifier.check import sympy_speed, witness
from verifier.check.assume import Assumptions, Contradiction, build_assumptions
from verifier.check.clock import Clock, SliceExpired
from verifier.check.diagnose import Said, diagnose, exact_constant, exact_shape, numeric_pattern, symbolic_message
from verifier.check.exact import Untranslatable, exact_equal, exact_zero
from verifier.check.memo import APPLIED, FAST_PATHS, PREPARED, UNFOLDED
from verifier.check.probe import POINTS_PER_CYCLE, Prober, ProbeRun, leaves, seed_of
from verifier.check.sizes import SizeCheck, prove_by_sizes
from verifier.check.sums import INFINITIES, Atomizer, collapse, holds, merge_by_range, split_sums
from verifier.check.unfold import CannotDifferentiate, Unfolder
from verifier.model import Outcome, Verdict
from verifier.notation import IndexRange, Notation

sympy_speed.install()  # SymPy's measured hot spots fixed in place (see sympy_speed.py)

PROBE_POINTS = 8
# probe points drawn before the targeted methods (the first point's included): the cycle's first three,
# at the textbook scale and the first wide one. On the mutation benchmark they refute 143 of the 154
# wrong steps refuted by probing; the widest scale's point (sizes up to 1000, confirmed at 2048 bits)
# refutes 7 more, but it was most of the time of a log identity that a targeted method proves (on the
# yardstick, a quarter of a second over its eight log identities), while those 7 wrong steps pay the
# targeted methods before it (about 0.4 s over the benchmark's 192 wrong steps; their median is
# unchanged). The rest of the PROBE_POINTS come after the targeted methods, so a step one of them
# proves does not pay for them.
EARLY_POINTS = POINTS_PER_CYCLE - 1
# a step may end `numeric` on fewer points than PROBE_POINTS only when no more admissible points exist
# (a narrow constraint); a probe cut short by the budget needs all of them, else the step times out
MIN_AGREE = 3
# The probe stops at its first certified disagreement (one is a refutation). Unless exact arithmetic
# or the symbolic pattern names the step's error, the diagnosis draws up to DIAGNOSIS_POINTS in all
# (and one more to confirm a constant they show), and when some agreed, on to SUBDOMAIN_POINTS
# disagreements, to name where it fails.
DIAGNOSIS_POINTS = 2
SUBDOMAIN_POINTS = 4
# after PROBE_POINTS agreeing points, up to PROBE_POINTS * EXTRA_ROUNDS in all
EXTRA_ROUNDS = 4


@dataclass(frozen=True)
class Shares:
    """How one step's budget (`timeout`) is shared out: every share of the cascade, in one place."""

    soft: float = 0.85  # the worker answers by itself before the parent's hard kill
    cheap: float = 0.25  # the cheap normal forms, before probing starts
    first_point: float = 0.05  # the one probe point before the cheap normal forms
    extra_probes: float = 0.15  # more probe points once the first ones all agreed
    rest_of_probe: float = 0.15  # left by the targeted methods for the probe's points past EARLY_POINTS
    diagnose: float = 0.2  # explaining a refutation (a sign, a factor, a term)
    shrink: float = 0.1  # simplifying the counterexample (smallest sizes, simplest values)
    each_symbolic: float = 0.15  # each targeted symbolic method (simplify, last, gets what is left)
    repair: float = 0.4  # naming the one slip of a refuted matrix step: all its candidate edits together


SHARES = Shares()



class Method(StrEnum):
    """The names of the cascade's methods, as the reports print them (`method` in the JSON report:
    the values are the contract's strings, unchanged). A proof's full `method` may add notes to its
    name ("… (sums compared summand-wise)") or join several ("expand, cancel, summand-wise")."""

    IDENTICAL = "identical"
    IDENTICAL_UNFOLDED = "identical after unfolding"
    SUM_NORMALISATION = "sum normalisation"
    EXACT_POLYNOMIAL = "expand (exact polynomial arithmetic, FLINT)"
    EXACT_RATIONAL = "cancel (exact rational-function arithmetic, FLINT)"
    EXACT = "exact"  # the fast path's place in the tables; it reports one of the two above
    EXPAND = "expand"
    CANCEL = "cancel"
    EXPAND_LOG = "expand_log + cancel"
    LOGS_COMBINED = "logs of combined arguments + expand_log"
    EXP_AS_VARIABLES = "exponentials as positive variables + expand_log"
    FACTORED_POWERS = "factored powers and roots + cancel"
    LOGCOMBINE = "logcombine + cancel"
    POWSIMP = "powsimp + cancel"
    REWRITE_EXP = "rewrite as exp + cancel"
    SIMPLIFY = "simplify"
    NUMERIC_PROBE = "numeric probe"
    EXACT_SIZE_CHECK = "exact size check"
    EQUATIONS_IDEAL = "reduction modulo the chain's equations (Gröbner basis)"


Attempt = tuple[Method, Callable[[sympy.Expr], sympy.Expr]]


def _fix(x: sympy.Expr) -> sympy.Expr:
    return sympy.factor(sympy.together(x))


def _fix_bases(x: sympy.Expr) -> sympy.Expr:
    """Every power's base as one factored fraction (so 1 − 1/(1+e^{-u}) shows it is positive)."""
    return x.replace(lambda p: isinstance(p, sympy.Pow), lambda p: sympy.Pow(_fix(p.base), p.exp))


def _logs_combined(d: sympy.Expr) -> sympy.Expr:
    """Each log's argument as one factored fraction, then split by expand_log (only where the
    assumptions make it valid: positive factors, real exponents); twice, for the logs it creates."""
    for _ in range(2):
        d = d.replace(sympy.log, lambda x: sympy.log(_fix(_fix_bases(x))))
        d = sympy.expand_log(d)
    return sympy.cancel(sympy.expand(d))


def products_as_sums(e: sympy.Expr) -> sympy.Expr:
    """Products that are sums in disguise, as sums: log Π f = Σ log f, when every factor is positive
    (shown after combining it into one fraction); and Π e^{f} = e^{Σ f} (exp_of_sums)."""
    if not holds(e, (sympy.Product,)):
        return e  # both rewrite products only (SymPy's replace walked the whole tree to find none)

    def rewrite(x: sympy.Basic) -> sympy.Basic:
        arg = x.args[0]
        if _positive_factors(arg):
            return sympy.Sum(sympy.log(arg.function), *arg.limits)
        return x

    if _holds_where(e, _log_of_product):
        e = e.replace(_log_of_product, rewrite)
    return exp_of_sums(e)


@functools.lru_cache(maxsize=1 << 10)
def _positive_factors(p: sympy.Product) -> bool:
    """Whether every factor of the product is positive (shown after combining it into one fraction);
    memoised: the same product is met in every step of a chain that logs it, and factoring was the cost."""
    return bool(p.function.is_positive or _fix(_fix_bases(p.function)).is_positive)


def _log_of_product(x: sympy.Basic) -> bool:
    return isinstance(x, sympy.log) and isinstance(x.args[0], sympy.Product)


def _product_of_exp(x: sympy.Basic) -> bool:
    return isinstance(x, sympy.Product) and isinstance(x.function, sympy.exp)


@functools.lru_cache(maxsize=1 << 12)
def _holds_where(e: sympy.Basic, test: Callable[[sympy.Basic], bool]) -> bool:
    """Whether e or a node inside it passes the test (memoised per subtree, like sums.holds): SymPy's
    replace walks the whole tree, rebuilding it, even where no node matches its query."""
    return test(e) or any(_holds_where(a, test) for a in e.args)


def exp_of_sums(e: sympy.Expr) -> sympy.Expr:
    """Π_k e^{f_k} = e^{Σ_k f_k}: true for any complex f_k over a finite range (an empty one too, 1 = e^0),
    and what SymPy's own expand makes of e^{Σ_k f_k}, which the sums' atoms could not meet otherwise."""
    if not _holds_where(e, _product_of_exp):
        return e
    return e.replace(_product_of_exp, lambda p: sympy.exp(sympy.Sum(p.function.args[0], *p.limits)))


def _exp_as_variables(d: sympy.Expr) -> sympy.Expr:
    """e^{c·u} ↦ T_u^c with T_u > 0 for real u, so sums of exponentials become rational functions and
    log(1 + e^{-u}) and log(e^{u} + 1) − u meet; log T_u is put back as u (true for real u only)."""
    positive: dict[sympy.Expr, sympy.Symbol] = {}
    mapping: dict[sympy.Basic, sympy.Expr] = {}
    for e in d.atoms(sympy.exp):
        value: sympy.Expr = sympy.S.One
        for term in sympy.Add.make_args(sympy.expand(e.args[0])):
            c, rest = term.as_coeff_Mul()
            if rest.is_real is not True:
                break
            if rest not in positive:
                positive[rest] = sympy.Dummy("T", positive=True)
            value *= positive[rest] ** c
        else:
            mapping[e] = value
    if not mapping:
        return d
    d = _logs_combined(d.xreplace(mapping))
    return sympy.cancel(sympy.expand(d.xreplace({sympy.log(t): u for u, t in positive.items()})))


def _exact(d: sympy.Expr) -> sympy.Expr:
    """Placeholder in the method tables: `_try` runs the exact fast path (exact.py) in its place."""
    raise NotImplementedError("the exact fast path is run by _try")


# The method names of the exact fast path: what it established is expand's (or cancel's) identity.
EXACT_POLYNOMIAL = Method.EXACT_POLYNOMIAL
EXACT_RATIONAL = Method.EXACT_RATIONAL
EXACT: Attempt = (Method.EXACT, _exact)
# SymPy's expand and cancel: on a difference whose atoms are all plain (symbols, family elements) they
# can prove nothing exact arithmetic did not, so `_try` skips them after a nonzero exact answer.
SYMPY_CHEAP: tuple[Attempt, ...] = (
    (Method.EXPAND, sympy.expand),
    (Method.CANCEL, lambda d: sympy.cancel(sympy.together(d))),
)
CHEAP: tuple[Attempt, ...] = (EXACT, *SYMPY_CHEAP)
TARGETED: tuple[Attempt, ...] = (
    (Method.EXPAND_LOG, lambda d: sympy.cancel(sympy.expand(sympy.expand_log(d)))),
    (Method.LOGS_COMBINED, _logs_combined),
    (Method.EXP_AS_VARIABLES, _exp_as_variables),
    (Method.FACTORED_POWERS, lambda d: sympy.cancel(sympy.expand(_fix_bases(d)))),
    (Method.LOGCOMBINE, lambda d: sympy.cancel(sympy.expand(sympy.logcombine(d)))),
    (Method.POWSIMP, lambda d: sympy.cancel(sympy.powsimp(sympy.expand(d)))),
    (Method.REWRITE_EXP, lambda d: sympy.cancel(sympy.expand(d.rewrite(sympy.exp)))),
)
LAST_RESORT: tuple[Attempt, ...] = ((Method.SIMPLIFY, sympy.simplify),)


def _is_zero(e: sympy.Expr) -> bool:
    return e == 0


def undefined(e: sympy.Basic) -> bool:
    """Whether e holds a division by zero or an infinity (zoo == zoo must never count as equal)."""
    return holds(e, INFINITIES)


class Prover:
    """Both sides prepared for symbolic comparison: sums split by linearity and replaced by atoms,
    chain equations (e.g. Σ y_k = 1) used to eliminate an atom or symbol."""

    def __init__(self, a: sympy.Expr, b: sympy.Expr, assumptions: Assumptions, unfolder: Unfolder) -> None:
        self.atomizer = Atomizer()
        self.unfolder = unfolder
        self.a = self.prepare(assumptions.refine(a))
        self.b = self.prepare(assumptions.refine(b))
        self.used_equations = False
        subs: dict[sympy.Basic, sympy.Expr] = {}
        # each equation as g = 0, prepared once: for eliminations here and the ideal (in_equations_ideal)
        self.equations = [self.prepare(lhs) - self.prepare(rhs) for lhs, rhs in assumptions.equations]
        for g in self.equations:
            found = self._linear_target(g)
            if found is not None:
                subs[found[0]] = found[1]
        if subs:
            a2, b2 = self.a.xreplace(subs), self.b.xreplace(subs)
            if not (undefined(a2) or undefined(b2)):  # an elimination must not divide by zero
                self.used_equations = (a2, b2) != (self.a, self.b)
                self.a, self.b = a2, b2
        self.has_sums = bool(self.atomizer.atoms)

    def prepare(self, e: sympy.Expr) -> sympy.Expr:
        """e with its sums split by linearity and atomised. Kept per step (PREPARED): a step is the
        current step of one pair and the previous step of the next, and the equations are the same in
        every pair of a chain."""
        out, used = PREPARED.get(self.unfolder.notation, e, partial(self._atomised, e, Atomizer()))
        if any(self.atomizer.atoms.get(k, v) is not v for k, v in used.items()):
            # the process's atom table was cleared since: this pair's own atoms, so a sum has one atom
            return self._atomised(e, self.atomizer)[0]
        self.atomizer.atoms.update(used)
        return out

    def _atomised(self, e: sympy.Expr, atomizer: Atomizer) -> tuple[sympy.Expr, dict[sympy.Basic, sympy.Symbol]]:
        ranges = self.unfolder.ranges
        split = split_sums(products_as_sums(e), notation=self.unfolder.notation)  # its ranges are the notation's
        return atomizer(collapse(split, ranges)), dict(atomizer.atoms)

    def _linear_target(self, g: sympy.Expr) -> tuple[sympy.Basic, sympy.Expr] | None:
        """A variable (sum atoms first) that g = 0 determines linearly, with its value."""
        atoms = set(self.atomizer.atoms.values())
        syms: set[sympy.Basic] = set()
        idx: set[sympy.Basic] = set()
        leaves(g, syms, idx)
        for s in sorted(syms | idx, key=lambda s: (s not in atoms, str(s))):
            dg = sympy.diff(g, s)
            if dg == 0 or dg.has(s):
                continue
            rest = g.xreplace({s: sympy.S.Zero})
            # g = dg·s + rest determines s only where dg ≠ 0: x·y = 0 says nothing about x when
            # y = 0. Sound when dg cannot vanish, or when rest cannot (then g = 0 forces dg ≠ 0).
            if sympy.cancel(dg).is_nonzero is True or sympy.cancel(rest).is_nonzero is True:
                return s, sympy.cancel(-rest / dg)
        return None

    def diff(self) -> sympy.Expr:
        return self.a - self.b

    def in_equations_ideal(self) -> bool:
        """Whether the difference's numerator reduces to 0 modulo a Gröbner basis of the chain's
        polynomial equations: then it is a combination Σ qₖ gₖ of them and vanishes wherever they hold
        ((x² + y²)³ = 1 on x² + y² = 1, which no substitution of one variable shows). Exact arithmetic
        over ℚ; a non-polynomial side or equation passes."""
        gs = self.equations
        if not gs:
            return False
        num = sympy.numer(sympy.together(self.diff()))
        gens = sorted(set().union(*(e.free_symbols | e.atoms(sympy.Indexed) for e in (num, *gs))), key=str)
        inside = set().union(*(x.free_symbols - {x} for x in gens))  # i and the label inside x_i
        gens = [g for g in gens if g not in inside]
        if not gens:
            return False
        try:
            polys = [sympy.Poly(g, *gens, domain="QQ") for g in gs]
            target = sympy.Poly(num, *gens, domain="QQ")
        except (PolynomialError, CoercionFailed, GeneratorsError):
            return False
        if any(p.is_zero or p.total_degree() == 0 for p in polys):
            return False  # 0 = 0 says nothing; a nonzero constant = 0 is a contradiction handled elsewhere
        basis = sympy.groebner(polys, *gens, order="grevlex", domain="QQ")
        return bool(basis.reduce(target.as_expr())[1] == 0)

    def binary_atoms(self, words: Callable[[sympy.Basic], frozenset[str]]) -> list[sympy.Basic]:
        syms: set[sympy.Basic] = set()
        idx: set[sympy.Basic] = set()
        leaves(self.diff(), syms, idx)
        return sorted((x for x in syms | idx if "binary" in words(x)), key=str)


def _try(methods: Sequence[Attempt], d: sympy.Expr, clock: Clock, each: float | None) -> str | None:
    """The name of the first method that reduces d to 0, each method limited to `each` seconds."""
    skip: tuple[Attempt, ...] = ()
    for method in methods:
        name, fn = method
        if method in skip:
            continue
        if method is EXACT:
            if not FAST_PATHS:
                continue
            try:
                found = exact_zero(d)
            except Untranslatable:
                continue
            if found.zero:
                return EXACT_RATIONAL if found.rational else EXACT_POLYNOMIAL
            if found.plain:
                skip = SYMPY_CHEAP
            continue
        try:
            with clock.limit(each, swallow=True):
                if _is_zero(fn(d)):
                    return name
        except (sympy.PolynomialError, TypeError, ValueError, NotImplementedError, ZeroDivisionError):
            continue
    return None


def _describe(name: str, prover: Prover | None, assumptions: Assumptions, whole_sums: bool = False) -> str:
    notes = []
    if prover is not None and prover.has_sums and "summand-wise" not in name:
        notes.append("sums compared summand-wise")
    if whole_sums:
        notes.append("sums compared as wholes")
    if assumptions.texts:
        notes.append("assuming " + ", ".join(f"${t}$" for t in assumptions.texts))
    return name + (f" ({'; '.join(notes)})" if notes else "")


def explain_expr(label: str, e: sympy.Basic, notation: Notation) -> list[str]:
    """SymPy's LaTeX of an expression, then its pretty form written with the author's names (ŷᵢ, not \\hat{y}[i])."""
    try:
        return [f"{label}: ${display.latex(e, notation)}$", display.pretty(e, notation)]
    except Exception:  # printing must never break a verdict
        return [f"{label}: {e}"]


def decide(
    prev: sympy.Expr,
    cur: sympy.Expr,
    notation: Notation,
    relations: Sequence[sympy.Basic] = (),
    *,
    timeout: float | None = 5.0,
    explain: bool = False,
    seed_text: str | None = None,
) -> Outcome:
    """Decide whether `cur` equals `prev` under the notation and the chain's relations."""
    start = time.monotonic()
    clock = Clock(None if timeout is None else timeout * SHARES.soft)
    lines: list[str] = []
    if explain:
        lines += explain_expr("previous step, as read", prev, notation)
        lines += explain_expr("this step, as read", cur, notation)
    try:
        outcome = Cascade(prev, cur, notation, relations, clock, timeout, lines if explain else None, seed_text).run()
    except SliceExpired:
        outcome = Outcome(Verdict.TIMEOUT, message=f"no verdict within the {timeout:g} s budget")
    except MemoryError:
        outcome = Outcome(Verdict.ERROR, message="ran out of memory while deciding this step")
    except RecursionError:
        outcome = Outcome(Verdict.ERROR, message="expression too deeply nested to decide")
    except (CannotDifferentiate, Contradiction) as exc:
        outcome = Outcome(Verdict.ERROR, message=str(exc))
    except Exception as exc:  # a SymPy failure on one step must not stop the run
        outcome = Outcome(Verdict.ERROR, message=f"internal error: {type(exc).__name__}: {exc}"[:300])
    if explain:
        how = f" by {outcome.method}" if outcome.method else ""
        lines.append(f"decided: {outcome.verdict.value}{how}")
    return replace(outcome, seconds=round(time.monotonic() - start, 4), explain=tuple(lines))


def _unfolded(
    e: sympy.Expr, notation: Notation, relations: tuple[sympy.Basic, ...], assumptions: Assumptions, u: Unfolder
) -> sympy.Expr:
    """e unfolded, with the chain's assumptions applied; both forms shared by the pairs of a chain
    (memo.py), unless the fast paths are off."""
    if not FAST_PATHS:
        return assumptions.apply(u.unfold(e), u)
    raw = UNFOLDED.get(notation, e, lambda: u.unfold(e))
    return APPLIED.get(notation, (relations, e), lambda: assumptions.apply(raw, u))


Stage = Callable[[], Outcome | None]


class Cascade:
    """The decision for one step pair, as stages tried in order; each returns an Outcome or passes
    (None) to the next. Shares of the budget come from SHARES; the state the stages build up (the
    unfolded pair, the prover, the probe run) lives on the object."""

    def __init__(
        self,
        prev: sympy.Expr,
        cur: sympy.Expr,
        notation: Notation,
        relations: Sequence[sympy.Basic],
        clock: Clock,
        timeout: float | None,
        lines: list[str] | None,
        seed_text: str | None,
    ) -> None:
        self.prev, self.cur, self.notation, self.relations = prev, cur, notation, tuple(relations)
        self.clock, self.timeout, self.lines, self.seed_text = clock, timeout, lines, seed_text
        self.unfolder = Unfolder(notation)
        self.prover: Prover | None = None
        self.prober: Prober | None = None
        self.run_: ProbeRun = ProbeRun()
        self.probe_cut_short = False  # the budget ended the first probe round: see undecided
        self._summand_wise: SummandWise | None = None

    def share(self, fraction: float) -> float | None:
        """A slice of the step's budget (None: no budget, no slice)."""
        return None if self.timeout is None else self.timeout * fraction

    @property
    def stages(self) -> tuple[Stage, ...]:
        # The extra probe points come after the targeted methods: they are drawn only so that a step
        # does not end `numeric` on a few points, and a step a targeted method proves never does (on
        # the yardstick they were most of the time of the steps proved by a targeted method). They
        # keep their slice of the budget (`targeted` leaves it), so a step no method proves is probed
        # as much as before, and a disagreement among them refutes as before.
        # `first_point` comes before `cheap`: a wrong step is refuted by one certified point without
        # preparing its sums or running SymPy's cancel (most of a wrong step's time before); the point
        # counts towards the probe's PROBE_POINTS, so a step `cheap` cannot prove loses nothing.
        # The same holds for the probe itself: EARLY_POINTS of its points come before the targeted
        # methods (they refute almost every wrong step the first point missed), the rest after. A step
        # a targeted method proves (a log identity) no longer pays for eight points, which were most of
        # its time; a step no method proves is probed as before (the same points, from the same
        # prober; split in two runs, a point hard to place gets a few more tries), since `targeted`
        # leaves the rest of the probe its slice of the budget.
        return (
            self.identical, self.unfold, self.exact, self.first_point, self.refute, self.cheap,
            self.early_probe, self.refute, self.targeted, self.probe, self.refute, self.more_probes,
            self.refute, self.last_resort,
        )

    def run(self) -> Outcome:
        for stage in self.stages:
            outcome = stage()
            if outcome is not None:
                return outcome
        return self.undecided()

    def explain(self, *more: str) -> None:
        if self.lines is not None:
            self.lines.extend(more)

    def proved(self, name: str) -> Outcome:
        assert self.prover is not None
        return Outcome(Verdict.PROVED, method=_describe(name, self.prover, self.assumptions))

    # ---- the stages ---------------------------------------------------------------------------
    def identical(self) -> Outcome | None:
        return Outcome(Verdict.PROVED, method=Method.IDENTICAL) if self.prev == self.cur else None

    def unfold(self) -> Outcome | None:
        u, rel = self.unfolder, self.relations
        with self.clock.limit():
            self.assumptions = build_assumptions(rel, u)
            self.a = _unfolded(self.prev, self.notation, rel, self.assumptions, u)
            self.b = _unfolded(self.cur, self.notation, rel, self.assumptions, u)
        a, b = self.a, self.b
        if self.lines is not None:
            self.explain(*explain_expr("previous step, unfolded", a, self.notation))
            self.explain(*explain_expr("this step, unfolded", b, self.notation))
            if self.assumptions.texts:
                self.explain("assuming: " + ", ".join(f"${t}$" for t in self.assumptions.texts))
        if undefined(a) or undefined(b):
            # 1/x under `x = 0`, or a definition that is 0 in a denominator: zoo on both sides is not
            # an identity, and no probe point can evaluate it
            where = "this step" if undefined(b) else "the previous step"
            return Outcome(
                Verdict.ERROR,
                message=f"{where} is undefined (a division by zero or a log of 0) after unfolding "
                "and the chain's assumptions",
            )
        if a == b:
            return Outcome(Verdict.PROVED, method=Method.IDENTICAL_UNFOLDED)
        return None

    def exact(self) -> Outcome | None:
        """Exact arithmetic on the unfolded pair as it stands, before any sum is prepared (preparing
        rebuilds both sides in SymPy, the cheap stage's main cost): whole sums, exponentials, logs and
        opaque applications are indeterminates (exact.py), so an identity that needs no linearity of
        sums is proved here. Only an exact zero proves; anything else passes to `cheap`, which
        prepares the sums and tries again."""
        if not FAST_PATHS:
            return None
        try:
            found = exact_equal(self.a, self.b)
        except Untranslatable:
            return None
        if not found.zero:
            return None
        name = EXACT_RATIONAL if found.rational else EXACT_POLYNOMIAL
        whole_sums = self.a.has(sympy.Sum, sympy.Product) or self.b.has(sympy.Sum, sympy.Product)
        return Outcome(Verdict.PROVED, method=_describe(name, None, self.assumptions, whole_sums))

    def cheap(self) -> Outcome | None:
        """Cheap normal forms (exact arithmetic first), on sums split by linearity and replaced by atoms."""
        with self.clock.limit(self.share(SHARES.cheap), swallow=True):
            self.prover = prover = Prover(self.a, self.b, self.assumptions, self.unfolder)
            if prover.a == prover.b and not undefined(prover.a):
                return self.proved(Method.SUM_NORMALISATION)
            name = _try(CHEAP, prover.diff(), self.clock, None)
            if name is None:
                name = self.summand_wise.prove(self.clock)
            if name is None and prover.in_equations_ideal():
                name = Method.EQUATIONS_IDEAL  # before probing: points on a curve are slow to draw
            if name is not None:
                return self.proved(name)
        return None

    @property
    def summand_wise(self) -> SummandWise:
        if self._summand_wise is None:
            self._summand_wise = SummandWise(self.a - self.b, self.unfolder.ranges)
        return self._summand_wise

    def started_prober(self) -> Prober:
        if self.prober is None:
            seed = seed_of(self.seed_text if self.seed_text is not None else f"{self.prev}\x00{self.cur}")
            with self.clock.limit():
                self.prober = Prober(self.notation, self.a, self.b, self.assumptions, seed)
        return self.prober

    def first_point(self) -> Outcome | None:
        """One probe point before the cheap stage (the verdict, if it disagrees, comes in `refute`).
        A point that cannot be placed or evaluated in time passes quietly: `probe` draws again."""
        if not FAST_PATHS:
            return None
        try:
            with self.clock.limit(self.share(SHARES.first_point), swallow=True) as attempt:
                self.started_prober().run(1, self.run_, stop_on_disagree=1)
            if not attempt.expired:
                return None
        except Exception:  # whatever went wrong here, `probe` meets again in its place
            pass
        # cut short or failed: `probe` starts afresh, exactly as without this stage (the same points,
        # and the same error, if any, after `cheap` had its chance to prove the step)
        self.prober, self.run_ = None, ProbeRun()
        return None

    def early_probe(self) -> Outcome | None:
        """The probe's first EARLY_POINTS points, before the targeted methods (see `stages`)."""
        return self.probe_to(EARLY_POINTS, "first probes")

    def probe(self) -> Outcome | None:
        """The probe's points up to PROBE_POINTS."""
        return self.probe_to(PROBE_POINTS, "probes")

    def probe_to(self, points: int, label: str) -> Outcome | None:
        """Numeric probing up to `points` points in all: refutes wrong steps in milliseconds (the
        verdict comes in `refute`); it stops at the first certified disagreement."""
        run = self.run_
        try:
            prober = self.started_prober()
            with self.clock.limit():
                prober.run(points, run, stop_on_disagree=1)
            self.probe_cut_short = False
        except SliceExpired:
            if not run.samples:
                raise
            self.probe_cut_short = True
        self.explain_probes(label)
        return None

    @property
    def all_agreed(self) -> bool:
        """Every probe point so far agreed (or was skipped): more points are drawn before `numeric`."""
        return bool(self.run_.agreed) and not self.run_.disagreed

    def explain_probes(self, label: str = "probes") -> None:
        if self.lines is not None:
            run = self.run_
            skipped = len(run.samples) - len(run.agreed) - len(run.disagreed)
            self.explain(f"{label}: {len(run.agreed)} agreed, {len(run.disagreed)} disagreed, {skipped} skipped")

    def more_probes(self) -> Outcome | None:
        """Every point agreed and no targeted method proved the step: draw more before anything can
        end `numeric` (a wrong step may fail on a small part of the domain only, √((log x)²) = log x
        for 0 < x < 1); a bounded slice, so the last resort keeps its time."""
        if not self.all_agreed:
            return None
        try:
            with self.clock.limit(self.share(SHARES.extra_probes), swallow=True):
                self.started_prober().run(PROBE_POINTS * EXTRA_ROUNDS, self.run_, stop_on_disagree=1)
        except SliceExpired:
            pass
        self.explain_probes("probes, with the extra points")
        return None

    def refute(self) -> Outcome | None:
        run = self.run_
        if not run.disagreed:
            return None
        said = Said.words("not equal to the previous step")

        def shown(e: sympy.Expr) -> tuple[str, str]:  # the maths of a diagnosis, in the author's names
            named = display.renamed(e, self.notation)
            return sympy.latex(named), display.one_line(named)

        symbolic = None  # kept when the slice ends after it: it needs no more time
        try:
            with self.clock.limit(self.share(SHARES.diagnose), swallow=True) as attempt:
                # a constant factor or difference of the unfolded pair is one of the prepared pair too:
                # found here, neither the sums are prepared nor more points drawn
                exact = exact_shape(self.a, self.b)
                constant = exact_constant(exact)
                if constant is None:
                    prover = self.diagnosis_prover()
                    ap, bp = (prover.a, prover.b) if prover is not None else (self.a, self.b)
                    if (ap, bp) != (self.a, self.b):  # sums prepared: the shape of the prepared pair
                        exact = exact_shape(ap, bp)
                        constant = exact_constant(exact)
                    if constant is None:
                        atomizer = prover.atomizer if prover is not None else None
                        symbolic = symbolic_message(ap, bp, exact, atomizer, shown)
                        self.diagnosis_points(second=symbolic is None)
                        said = diagnose(run, symbolic)
                said = constant or said
            if attempt.expired:
                said = diagnose(run, symbolic)
        except SliceExpired:
            said = diagnose(run, symbolic)  # the numeric patterns need no more time
        bad = run.disagreed[0]
        if self.prober is not None:
            try:  # the simplest refuting point (small sizes, simple values), in a slice of its own
                with self.clock.limit(self.share(SHARES.shrink), swallow=True):
                    bad = self.prober.shrink(run.disagreed, seconds=self.share(SHARES.shrink) or 0.5)
            except SliceExpired:
                pass
        found = witness.counterexample(bad, self.started_prober(), self.seed_text or "")
        text = said.text if said.text != said.tex else None
        return Outcome(
            Verdict.REFUTED, method=Method.NUMERIC_PROBE, message=said.tex, counterexample=found, message_text=text,
            sides=witness.sides(bad),
        )

    def diagnosis_prover(self) -> Prover | None:
        """The prepared pair for the symbolic patterns. Refuted by `first_point`, the sums are prepared
        now (not cancelled: that was the cost), so a missing summand shows as a small difference of
        summands; a pair that cannot be prepared is diagnosed unprepared, never an error of the step."""
        if self.prover is None:
            try:
                self.prepared()
            except SliceExpired:
                raise
            except Exception:
                return None
        return self.prover

    def diagnosis_points(self, second: bool) -> None:
        """More points for the numeric patterns and the sub-domain. They only shape the message: the
        refutation stands on the first disagreement, so a point that fails to evaluate is dropped.

        Every point so far disagreeing, a second point (a ratio, or an agreement) is drawn in the
        textbook box, unless a symbolic pattern already names the error (`second` false): a wide point,
        with its larger sizes and values, was most of a wrong step's message. A constant the two
        points show is confirmed at the probe's next point (a wide one) before it is named: two
        textbook points share more values than a wide one does (diagnose._varied). Some agreeing (then
        or after it): the points the probe drew before it stopped at the first disagreement (up to
        PROBE_POINTS, and SUBDOMAIN_POINTS disagreements), so a sub-domain is named from as many points
        as ever (it fails where x < 0)."""
        run, prober = self.run_, self.prober
        if prober is None:
            return
        try:
            if second and len(run.samples) < DIAGNOSIS_POINTS and len(run.disagreed) < DIAGNOSIS_POINTS:
                prober.run(DIAGNOSIS_POINTS, run, stop_on_disagree=DIAGNOSIS_POINTS, textbook=True)
                if numeric_pattern(run) is not None:
                    prober.run(len(run.samples) + 1, run, stop_on_disagree=len(run.disagreed) + 2)
            if run.agreed and len(run.samples) < PROBE_POINTS and len(run.disagreed) < SUBDOMAIN_POINTS:
                prober.run(PROBE_POINTS, run, stop_on_disagree=SUBDOMAIN_POINTS)
        except SliceExpired:
            raise
        except Exception:  # the message falls back to what the points so far say
            return

    def targeted(self) -> Outcome | None:
        """Targeted symbolic methods, summand-wise, case splits. The rest of the probe's points come
        after them, and the extra points (`more_probes`) when every point so far agreed: their slices
        of the budget are left for them."""
        remaining = self.clock.remaining()
        reserve = self.share(SHARES.rest_of_probe)
        if reserve is not None and self.all_agreed:
            reserve += self.share(SHARES.extra_probes) or 0.0
        seconds = None if remaining is None or reserve is None else remaining - reserve
        if seconds is not None and seconds <= 0:
            return None
        try:
            with self.clock.limit(seconds, swallow=True):
                return self.symbolic()
        except SliceExpired:
            return None

    def prepared(self) -> Prover:
        """The prover `cheap` built, or built now (the cheap stage's slice ran out while building it)."""
        if self.prover is None:
            with self.clock.limit():
                self.prover = Prover(self.a, self.b, self.assumptions, self.unfolder)
        return self.prover

    def symbolic(self) -> Outcome | None:
        """The targeted methods' work (see `targeted`); None when none proved the step."""
        prover, clock, each = self.prepared(), self.clock, self.share(SHARES.each_symbolic)
        name: str | None = None
        if self.assumptions.plain():
            # first: cheap when it applies, and the only stage that sees a wrong step whose error
            # starts past every size the probe drew
            sized: SizeCheck | None = None
            with clock.limit(each, swallow=True):  # rational in the sizes: a grid of exact sizes decides
                d = self.a - self.b
                found = self.prober.size_variables(d) if self.prober is not None else None
                sized = prove_by_sizes(d, found, self.prober.in_domain if self.prober is not None else None)
            if sized is not None and sized.refuting is not None:
                return self.refuted_at_size(sized)
            name = sized.proof if sized is not None else None
        if name is None:
            name = _try(TARGETED, prover.diff(), clock, each)
        if name is None:
            name = self.summand_wise.prove(clock, CHEAP + TARGETED, each)
        if name is None:
            name = _case_split(prover, self.started_prober(), clock, each)
        if name is not None:
            return self.proved(name)
        return None

    def last_resort(self) -> Outcome | None:
        """simplify, with whatever is left of the budget."""
        try:
            name = _try(LAST_RESORT, self.prepared().diff(), self.clock, None)
        except SliceExpired:
            return None
        return self.proved(name) if name is not None else None

    def refuted_at_size(self, found: SizeCheck) -> Outcome:
        """An exact nonzero difference at one size (the probe draws sizes up to 12 only; the size check
        may go further): a certified counterexample."""
        point = found.point or {found.size: int(found.refuting or 0)}
        shown = {display.spelling(n, self.notation): str(v) for n, v in point.items()}
        where = ", ".join(f"{k} = {v}" for k, v in shown.items())
        return Outcome(
            Verdict.REFUTED,
            method=Method.EXACT_SIZE_CHECK,
            message=f"not equal to the previous step: at {where} the two sides differ by exactly {found.difference}",
            counterexample=shown,
        )

    def undecided(self) -> Outcome:
        run = self.run_
        # under load a budget may end the probe after a few points: that is no evidence to call numeric
        if len(run.agreed) >= (PROBE_POINTS if self.probe_cut_short else MIN_AGREE):
            return Outcome(
                Verdict.NUMERIC,
                method=Method.NUMERIC_PROBE,
                message=run.numeric_message(),
            )
        if self.clock.expired() or self.probe_cut_short:
            return Outcome(Verdict.TIMEOUT, message=f"no verdict within the {self.timeout:g} s budget")
        return Outcome(Verdict.ERROR, message=run.shortfall_message())


class SummandWise:
    """The summand-wise comparison of one step pair: merge sums over the same range and show every
    merged summand (and the rest) is 0.

    Inside a summand, the inner sums (a dot product θᵀx^{(i)}) become atoms of their own: an identity in
    the atom's value holds for whatever value the inner sum takes at each index.

    The cheap stage tries the cheap methods on each part, the targeted stage the cheap and the targeted
    ones. The parts are merged once, for both (merging was half the comparison's time, and a log
    identity paid it twice), and each part's answer from the cheap methods is kept: the targeted pass
    takes a cheap proof as it stands and tries only the targeted methods where the cheap ones failed,
    which is what it found before, by running them again."""

    def __init__(self, d: sympy.Expr, ranges: Mapping[sympy.Symbol, IndexRange] | None) -> None:
        self.d, self.ranges = d, ranges
        self._parts: list[sympy.Expr] | None = None
        # part → the cheap methods' answer, once they ran to the end: the cheap pass gives them no slice
        # of their own (`each` is None there), so a None here means each one finished without a proof
        # (an expired stage slice raises out of the pass before anything is stored)
        self._cheap: dict[int, str | None] = {}

    def parts(self) -> list[sympy.Expr]:
        """The atomised merged summands and the rest (none: no sums to merge)."""
        if self._parts is None:
            d = products_as_sums(self.d)
            summands, rest = merge_by_range(d, self.ranges) if d.has(sympy.Sum) else ([], d)
            self._parts = [Atomizer()(p) for p in (*summands, rest) if p != 0] if summands else []
        return self._parts

    def prove(self, clock: Clock, methods: Sequence[Attempt] = CHEAP, each: float | None = None) -> str | None:
        assert tuple(methods[: len(CHEAP)]) == CHEAP, "the cheap methods come first in both passes"
        parts = self.parts()
        if not parts:
            return None
        used: list[str] = []
        for n, part in enumerate(parts):
            name = self._attempt(n, part, methods, clock, each)
            if name is None:
                return None
            used.append(name)
        return f"{', '.join(dict.fromkeys(used))}, summand-wise"

    def _attempt(
        self, n: int, part: sympy.Expr, methods: Sequence[Attempt], clock: Clock, each: float | None
    ) -> str | None:
        """Part n's proof by `methods`: the cheap methods, then (in the targeted pass) the targeted ones."""
        if n not in self._cheap:
            name = _try(methods, part, clock, each)
            if len(methods) == len(CHEAP):
                self._cheap[n] = name
            return name
        known = self._cheap[n]
        if known is not None or len(methods) == len(CHEAP):
            return known
        return _try(methods[len(CHEAP) :], part, clock, each)


def _case_split(prover: Prover, prober: Prober, clock: Clock, each: float | None) -> str | None:
    """`binary` variables take only 0 and 1: prove every case (sound, and often easy)."""
    atoms = prover.binary_atoms(prober.words)
    if not atoms or len(atoms) > 4:
        return None
    d = prover.diff()
    for values in itertools.product((0, 1), repeat=len(atoms)):
        case = d.xreplace(dict(zip(atoms, map(sympy.Integer, values), strict=True)))
        if _try(CHEAP + TARGETED, case, clock, each) is None:
            return None
    names = ", ".join(prober.display_name(a) for a in atoms)
    return f"case split on binary {names} ∈ {{0, 1}}"
