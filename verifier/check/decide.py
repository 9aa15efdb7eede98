"""The decision cascade for one step pair: identity, cheap normal forms, probing, symbolic methods.

Verdicts are honest: `proved` only when a symbolic method reduced the difference to 0 (its name goes
in `method`); `refuted` only with a probe point where the two sides differ; `numeric` when every
probe agreed but no proof came within the budget.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import sympy

from verifier.check.assume import Assumptions, build_assumptions
from verifier.check.clock import Clock, SliceExpired
from verifier.check.diagnose import diagnose
from verifier.check.probe import Prober, ProbeRun, leaves, seed_of
from verifier.check.sums import Atomizer, collapse, merge_by_range, split_sums
from verifier.check.unfold import CannotDifferentiate, Unfolder
from verifier.display import renamed
from verifier.model import Outcome, Verdict
from verifier.notation import IndexRange, Notation

PROBE_POINTS = 8
MIN_AGREE = 3
# after PROBE_POINTS agreeing points, up to PROBE_POINTS * EXTRA_ROUNDS in all, within this share
EXTRA_ROUNDS = 4
EXTRA_SHARE = 0.15
# share of the soft budget the cheap normalisations may use before probing starts
CHEAP_SHARE = 0.25
SOFT_SHARE = 0.85  # the worker answers by itself before the parent's hard kill

Method = tuple[str, Callable[[sympy.Expr], sympy.Expr]]


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


def log_of_products(e: sympy.Expr) -> sympy.Expr:
    """log Π f = Σ log f, when every factor is positive (shown after combining it into one fraction)."""

    def rewrite(x: sympy.Basic) -> sympy.Basic:
        arg = x.args[0]
        if isinstance(arg, sympy.Product) and (
            arg.function.is_positive or _fix(_fix_bases(arg.function)).is_positive
        ):
            return sympy.Sum(sympy.log(arg.function), *arg.limits)
        return x

    return e.replace(lambda x: isinstance(x, sympy.log) and isinstance(x.args[0], sympy.Product), rewrite)


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

CHEAP: tuple[Method, ...] = (
    ("expand", sympy.expand),
    ("cancel", lambda d: sympy.cancel(sympy.together(d))),
)
SYMBOLIC: tuple[Method, ...] = (
    ("expand_log + cancel", lambda d: sympy.cancel(sympy.expand(sympy.expand_log(d)))),
    ("logs of combined arguments + expand_log", _logs_combined),
    ("exponentials as positive variables + expand_log", _exp_as_variables),
    ("factored powers and roots + cancel", lambda d: sympy.cancel(sympy.expand(_fix_bases(d)))),
    ("logcombine + cancel", lambda d: sympy.cancel(sympy.expand(sympy.logcombine(d)))),
    ("powsimp + cancel", lambda d: sympy.cancel(sympy.powsimp(sympy.expand(d)))),
    ("rewrite as exp + cancel", lambda d: sympy.cancel(sympy.expand(d.rewrite(sympy.exp)))),
    ("simplify", sympy.simplify),
)


def _is_zero(e: sympy.Expr) -> bool:
    return e == 0


def undefined(e: sympy.Basic) -> bool:
    """Whether e holds a division by zero or an infinity (zoo == zoo must never count as equal)."""
    return e.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)


class Prover:
    """Both sides prepared for symbolic comparison: sums split by linearity and replaced by atoms,
    chain equations (e.g. Σ y_k = 1) used to eliminate an atom or symbol."""

    def __init__(self, a: sympy.Expr, b: sympy.Expr, assumptions: Assumptions, unfolder: Unfolder) -> None:
        self.atomizer = Atomizer()
        self.unfolder = unfolder
        self.a = self.prepare(a)
        self.b = self.prepare(b)
        self.used_equations = False
        subs: dict[sympy.Basic, sympy.Expr] = {}
        for lhs, rhs in assumptions.equations:
            g = self.prepare(lhs) - self.prepare(rhs)
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
        ranges = self.unfolder.ranges
        return self.atomizer(collapse(split_sums(log_of_products(e), ranges), ranges))

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

    def binary_atoms(self, words: Callable[[sympy.Basic], frozenset[str]]) -> list[sympy.Basic]:
        syms: set[sympy.Basic] = set()
        idx: set[sympy.Basic] = set()
        leaves(self.diff(), syms, idx)
        return sorted((x for x in syms | idx if "binary" in words(x)), key=str)


def _try(methods: Sequence[Method], d: sympy.Expr, clock: Clock, each: float | None) -> str | None:
    """The name of the first method that reduces d to 0, each method limited to `each` seconds."""
    for name, fn in methods:
        try:
            with clock.limit(each, swallow=True):
                if _is_zero(fn(d)):
                    return name
        except (sympy.PolynomialError, TypeError, ValueError, NotImplementedError, ZeroDivisionError):
            continue
    return None


def _describe(name: str, prover: Prover, assumptions: Assumptions) -> str:
    notes = []
    if prover.has_sums and "summand-wise" not in name:
        notes.append("sums compared summand-wise")
    if assumptions.texts:
        notes.append("assuming " + ", ".join(f"${t}$" for t in assumptions.texts))
    return name + (f" ({'; '.join(notes)})" if notes else "")


def explain_expr(label: str, e: sympy.Basic, notation: Notation) -> list[str]:
    """SymPy's LaTeX of an expression, then its pretty form written with the author's names (ŷᵢ, not \\hat{y}[i])."""
    try:
        return [f"{label}: ${sympy.latex(e)}$", sympy.pretty(renamed(e, notation), use_unicode=True, wrap_line=False)]
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
    clock = Clock(None if timeout is None else timeout * SOFT_SHARE)
    lines: list[str] = []
    if explain:
        lines += explain_expr("previous step, as read", prev, notation)
        lines += explain_expr("this step, as read", cur, notation)
    try:
        outcome = _cascade(prev, cur, notation, relations, clock, timeout, lines, seed_text)
    except SliceExpired:
        outcome = Outcome(Verdict.TIMEOUT, message=f"no verdict within the {timeout:g} s budget")
    except MemoryError:
        outcome = Outcome(Verdict.ERROR, message="ran out of memory while deciding this step")
    except RecursionError:
        outcome = Outcome(Verdict.ERROR, message="expression too deeply nested to decide")
    except CannotDifferentiate as exc:
        outcome = Outcome(Verdict.ERROR, message=str(exc))
    except Exception as exc:  # a SymPy failure on one step must not stop the run
        outcome = Outcome(Verdict.ERROR, message=f"internal error: {type(exc).__name__}: {exc}"[:300])
    if explain:
        how = f" by {outcome.method}" if outcome.method else ""
        lines.append(f"decided: {outcome.verdict.value}{how}")
    return replace(outcome, seconds=round(time.monotonic() - start, 4), explain=tuple(lines))


def _cascade(
    prev: sympy.Expr,
    cur: sympy.Expr,
    notation: Notation,
    relations: Sequence[sympy.Basic],
    clock: Clock,
    timeout: float | None,
    lines: list[str],
    seed_text: str | None,
) -> Outcome:
    explain = bool(lines)
    if prev == cur:
        return Outcome(Verdict.PROVED, method="identical")
    unfolder = Unfolder(notation)
    with clock.limit():
        assumptions = build_assumptions(relations, unfolder)
        a = assumptions.apply(unfolder.unfold(prev), unfolder)
        b = assumptions.apply(unfolder.unfold(cur), unfolder)
    if explain:
        lines += explain_expr("previous step, unfolded", a, notation)
        lines += explain_expr("this step, unfolded", b, notation)
        if assumptions.texts:
            lines.append("assuming: " + ", ".join(f"${t}$" for t in assumptions.texts))
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
        return Outcome(Verdict.PROVED, method="identical after unfolding")

    # cheap normal forms, on sums split by linearity and replaced by atoms
    prover: Prover | None = None
    cheap_budget = None if timeout is None else timeout * CHEAP_SHARE
    with clock.limit(cheap_budget, swallow=True):
        prover = Prover(a, b, assumptions, unfolder)
        if prover.a == prover.b and not undefined(prover.a):
            return Outcome(Verdict.PROVED, method=_describe("sum normalisation", prover, assumptions))
        name = _try(CHEAP, prover.diff(), clock, None)
        if name is None:
            name = _summand_wise(a - b, clock, ranges=unfolder.ranges)
        if name is not None:
            return Outcome(Verdict.PROVED, method=_describe(name, prover, assumptions))
    # numeric probing: refutes wrong steps in milliseconds
    seed = seed_of(seed_text if seed_text is not None else f"{prev}\x00{cur}")
    prober = Prober(notation, a, b, assumptions, seed)
    run = ProbeRun()
    try:
        with clock.limit():
            prober.run(PROBE_POINTS, run)
    except SliceExpired:
        if not run.samples:
            raise
    if run.agreed and not run.disagreed:
        # every point agreed: draw more before anything can end `numeric` (a wrong step may fail on
        # a small part of the domain only, √((log x)²) = log x for 0 < x < 1); a bounded slice, so
        # the symbolic stage keeps its time
        try:
            with clock.limit(None if timeout is None else timeout * EXTRA_SHARE, swallow=True):
                prober.run(PROBE_POINTS * EXTRA_ROUNDS, run)
        except SliceExpired:
            pass
    if explain:
        skipped = len(run.samples) - len(run.agreed) - len(run.disagreed)
        lines.append(f"probes: {len(run.agreed)} agreed, {len(run.disagreed)} disagreed, {skipped} skipped")
    if run.disagreed:
        message = "not equal to the previous step"
        try:
            with clock.limit(None if timeout is None else timeout * 0.2, swallow=True) as attempt:
                ap, bp = (prover.a, prover.b) if prover is not None else (a, b)
                message = diagnose(run, ap, bp, prover.atomizer if prover is not None else None)
            if attempt.expired:
                message = diagnose(run)
        except SliceExpired:
            message = diagnose(run)  # the numeric patterns need no more time
        bad = run.disagreed[0]
        return Outcome(Verdict.REFUTED, method="numeric probe", message=message, counterexample=bad.display)

    # targeted symbolic methods, then simplify, with what is left of the budget
    try:
        if prover is None:
            with clock.limit():
                prover = Prover(a, b, assumptions, unfolder)
        each = None if timeout is None else timeout * 0.15
        name = _try(SYMBOLIC[:-1], prover.diff(), clock, each)
        if name is None:
            name = _summand_wise(a - b, clock, CHEAP + SYMBOLIC[:-1], each, unfolder.ranges)
        if name is None:
            name = _case_split(prover, prober, clock, each)
        if name is None:
            name = _try(SYMBOLIC[-1:], prover.diff(), clock, None)
        if name is not None:
            return Outcome(Verdict.PROVED, method=_describe(name, prover, assumptions))
    except SliceExpired:
        pass
    if len(run.agreed) >= MIN_AGREE:
        return Outcome(
            Verdict.NUMERIC,
            method="numeric probe",
            message=f"equal at {len(run.agreed)} random points; no symbolic proof found within the budget",
        )
    if clock.expired():
        return Outcome(Verdict.TIMEOUT, message=f"no verdict within the {timeout:g} s budget")
    return Outcome(
        Verdict.ERROR,
        message=f"could not evaluate the steps at enough probe points ({len(run.agreed)} agreed)",
    )


def _summand_wise(
    d: sympy.Expr,
    clock: Clock,
    methods: Sequence[Method] = CHEAP,
    each: float | None = None,
    ranges: Mapping[sympy.Symbol, IndexRange] | None = None,
) -> str | None:
    """Merge sums over the same range and show every merged summand (and the rest) is 0.

    Inside a summand, the inner sums (a dot product θᵀx^{(i)}) become atoms of their own: an
    identity in the atom's value holds for whatever value the inner sum takes at each index.
    """
    d = log_of_products(d)
    if not d.has(sympy.Sum):
        return None
    summands, rest = merge_by_range(d, ranges)
    if not summands:
        return None
    used: list[str] = []
    for part in [*summands, rest]:
        if part == 0:
            continue
        name = _try(methods, Atomizer()(part), clock, each)
        if name is None:
            return None
        used.append(name)
    return f"{', '.join(dict.fromkeys(used))}, summand-wise"


def _case_split(prover: Prover, prober: Prober, clock: Clock, each: float | None) -> str | None:
    """`binary` variables take only 0 and 1: prove every case (sound, and often easy)."""
    atoms = prover.binary_atoms(prober.words)
    if not atoms or len(atoms) > 4:
        return None
    d = prover.diff()
    for values in itertools.product((0, 1), repeat=len(atoms)):
        case = d.xreplace(dict(zip(atoms, map(sympy.Integer, values), strict=True)))
        if _try(CHEAP + SYMBOLIC[:-1], case, clock, each) is None:
            return None
    names = ", ".join(prober.display_name(a) for a in atoms)
    return f"case split on binary {names} ∈ {{0, 1}}"
