"""Teacher-style explanations of a refuted step: a sign error, a factor, an extra term, a sub-domain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

from verifier.check.clock import SliceExpired
from verifier.check.compare import FIGURE_TOL, close
from verifier.check.exact import Shape, Untranslatable, shape
from verifier.check.ops import count_ops
from verifier.check.probe import ProbeRun, Sample
from verifier.check.sums import Atomizer
from verifier.display import one_line
from verifier.unicode_names import unicode_name

# An expression as (LaTeX, one-line Unicode); the checker passes one that prints the author's names.
Show = Callable[[sympy.Expr], tuple[str, str]]


def plain_show(e: sympy.Expr) -> tuple[str, str]:
    return sympy.latex(e), one_line(e)


@dataclass(frozen=True)
class Said:
    """A diagnosis in the two forms reports need: `tex` with its maths as `$…$` LaTeX (for reports that
    typeset maths), `text` with the same maths in Unicode (plain-text reports never read LaTeX)."""

    tex: str
    text: str

    @staticmethod
    def words(text: str) -> Said:
        return Said(text, text)

    def __add__(self, other: Said) -> Said:
        return Said(self.tex + other.tex, self.text + other.text)


def _math(before: str, shown: tuple[str, str], after: str = "") -> Said:
    return Said(f"{before}${shown[0]}${after}", f"{before}{shown[1]}{after}")


def _number(before: str, shown: tuple[str, str], after: str = "") -> Said:
    """A constant, written in the LaTeX form without dollars (as the messages always named it)."""
    return Said(f"{before}{shown[0]}{after}", f"{before}{shown[1]}{after}")


def _real_pairs(samples: list[Sample]) -> list[tuple[float, float]]:
    out = []
    for s in samples:
        if s.lhs is not None and s.rhs is not None and close(s.lhs.imag, 0.0) and close(s.rhs.imag, 0.0):
            out.append((s.lhs.real, s.rhs.real))
    return out


def _simple_number(x: float) -> tuple[str, str] | None:
    """A constant as a reader would name it (2, 1/2, -3), or None when it is not a simple one."""
    r = sympy.nsimplify(x, rational=True, tolerance=FIGURE_TOL)
    if isinstance(r, sympy.Rational) and abs(r.q) <= 100 and abs(r.p) <= 1000:
        return plain_show(r)
    return None


def _varied(samples: list[Sample]) -> bool:
    """Every variable written in the steps (x_i as written, whichever element x_2 or x_5 holds it at a
    point) takes two values among the points. A ratio or a difference seen constant at points that
    share a variable's value says nothing about that variable: two draws of a binary y_i or of a size
    may well be equal (y_i = 1 at both points makes the difference y_i a "constant 1"). Index symbols
    are left out: what an index selects is the element, which is compared."""
    seen: dict[sympy.Basic, set[sympy.Expr | None]] = {}
    for s in samples:
        for name, atom in s.written.items():
            seen.setdefault(name, set()).add(s.values.get(atom))
    return all(len(values) > 1 for values in seen.values())


def exact_pattern(run: ProbeRun) -> Said | None:
    """The same exact difference at every exactly-compared point: an additive constant, named exactly
    (10^{-20} is not rounded away)."""
    exactly = [s for s in run.disagreed + run.agreed if s.difference is not None]
    diffs = [s.difference for s in exactly]
    if len(diffs) < 2 or any(d != diffs[0] for d in diffs) or diffs[0] == 0 or not _varied(exactly):
        return None
    return _number("differs from the previous step by an additive constant ", plain_show(diffs[0]))


def numeric_pattern(run: ProbeRun) -> Said | None:
    """What the probe values alone say: a constant ratio or a constant difference (this vs previous)."""
    exact = exact_pattern(run)
    if exact is not None:
        return exact
    pairs = _real_pairs(run.disagreed + run.agreed)
    if not _real_pairs(run.disagreed) or len(pairs) < 2:
        return None  # the disagreement is about where a side is defined, not about its value
    # any non-zero value gives a ratio: doubles keep their relative precision near 0, and a sign
    # flip of ŷ − y where ŷ ≈ y is still a ratio of −1
    samples = [s for s in run.disagreed + run.agreed if s.defined]
    if not _varied(samples):
        return None
    ratios = [s.ratio for s in samples if s.ratio is not None]
    if len(ratios) == len(samples) and all(close(r, ratios[0]) for r in ratios):
        if not close(ratios[0].imag, 0.0):
            return None
        c = ratios[0].real
        if close(c, -1.0):
            return Said.words(SIGN_ERROR)
        name = _simple_number(c)
        # a ratio of 1 in doubles is a difference too small for them; a ratio of 0 is no factor
        if name is not None and not close(c, 1.0) and not close(c, 0.0):
            return _factor(name)
    diffs = [b - a for a, b in pairs]
    if all(close(d, diffs[0]) for d in diffs) and not close(diffs[0], 0.0) and not all(close(a, b) for a, b in pairs):
        name = _simple_number(diffs[0])
        if name is not None:
            return _number("differs from the previous step by an additive constant ", name)
    return None


SIGN_ERROR = "differs from the previous step by a factor of -1 (a sign error)"


def _factor(name: tuple[str, str]) -> Said:
    factor = "differs from the previous step by a constant factor of "
    return _number(factor, name, " (this step = ") + _number("", name, " × previous)")


def exact_shape(prev: sympy.Expr, cur: sympy.Expr) -> Shape | None:
    """How cur relates to prev in exact arithmetic (exact.shape), or None without a translation."""
    try:
        return shape(prev, cur)
    except (Untranslatable, ArithmeticError, TypeError, ValueError, RecursionError):
        return None  # no message from here; the refutation stands as it is


def exact_constant(found: Shape | None) -> Said | None:
    """A constant factor or an additive constant shown by exact arithmetic (no probe values needed):
    this step / previous or this step − previous is a rational number as a rational function."""
    return _constant(found) if found is not None else None


def _constant(found: Shape) -> Said | None:
    c = found.ratio
    if c is not None and c == -1:
        return Said.words(SIGN_ERROR)
    if c is not None and c not in (0, 1) and abs(c.q) <= 100 and abs(c.p) <= 1000:
        return _factor(plain_show(c))
    if found.difference is not None and found.difference != 0:
        return _number("differs from the previous step by an additive constant ", plain_show(found.difference))
    return None


def _monomial(q: sympy.Expr) -> bool:
    """A simple factor: a product of powers of variables and numbers (2x_i, 1/N, -w^2)."""
    for f in sympy.Mul.make_args(q):
        base = f.base if isinstance(f, sympy.Pow) and f.exp.is_Integer else f
        if not (base.is_Number or isinstance(base, sympy.Symbol | sympy.Indexed)):
            return False
    return True


def symbolic_pattern(
    prev: sympy.Expr,
    cur: sympy.Expr,
    exact: Shape | None,
    atomizer: Atomizer | None = None,
    shown: Show = plain_show,
) -> Said | None:
    """A simple factor or additive term, found symbolically (callers run this under a time slice);
    `exact` is exact_shape(prev, cur)."""

    def show(e: sympy.Expr) -> tuple[str, str]:
        e = atomizer.restore(e) if atomizer is not None else e
        try:
            return shown(e)
        except Exception:  # a form in the author's names that cannot be printed: SymPy's own
            return plain_show(e)

    # Exact arithmetic first says which of SymPy's rewrites can give a message (a ratio that is no
    # single term, a difference of dozens of terms cannot): SymPy's cancel on a large refuted pair was
    # most of its time. Without a translation, SymPy tries both, as before.
    if exact is not None and (constant := _constant(exact)) is not None:
        return constant
    # The polynomials bound what SymPy's cancel writes only where its expansion sees no more than they
    # do: log(ab) − log a − log b is 0 to it (for a, b > 0), so with a log (or a root, an exp of a sum,
    # `exact.expands`) neither a ratio that is no monomial here nor the size of the difference rules
    # out a message, and SymPy's cancel decides, as it did before exact arithmetic
    least = exact.difference_ops if exact is not None and not exact.expands else 0  # of the difference
    # What exact arithmetic found is written out from its polynomials (much as SymPy's cancel writes
    # it; SymPy's cancel was most of a wrong step's message); SymPy's cancel writes the rest.
    if prev != 0 and (exact is None or exact.expands or exact.monomial_ratio):
        q = exact.quotient if exact is not None else None
        if q is None:
            q = sympy.cancel(sympy.together(cur / prev))
        if q.is_number is False and _monomial(q) and count_ops(q, 6) <= 6:
            return _math("this step is the previous one multiplied by ", show(q))
    # a short additive term only: no longer than either step (and 12 operations). The exact difference's
    # size says when SymPy's cancel cannot give one
    if least > 12 or (exact is not None and exact.constant_difference):
        return None  # (before counting the steps' operations; a number is no term, whatever writes it)
    most = min(12, count_ops(prev, 12), count_ops(cur, 12))
    if least > most:
        return None
    d = exact.written_difference() if exact is not None else None
    if d is None:
        d = sympy.cancel(sympy.together(cur - prev))
    if d.is_number is False and count_ops(d, most) <= most:
        return _math("differs from the previous step by an additive term: this step − previous = ", show(d))
    return None


def subdomain(run: ProbeRun) -> str | None:
    """Agreement at some points and not others: name a variable whose sign separates them, if any."""
    good, bad = run.agreed, run.disagreed
    if not good or not bad:
        return None
    if len(good) < 2 or len(bad) < 2:
        return "holds only on part of the domain (true at some probe points, false at others)"
    # only variables written in the steps, so a sign pattern among many sum elements is not named
    for k in sorted(bad[0].free, key=str):
        try:
            bad_neg = all(s.values[k] < 0 for s in bad if k in s.values)
            good_nonneg = all(s.values[k] >= 0 for s in good if k in s.values)
            bad_pos = all(s.values[k] > 0 for s in bad if k in s.values)
            good_nonpos = all(s.values[k] <= 0 for s in good if k in s.values)
        except TypeError:
            continue
        name = bad[0].names.get(k, str(k))
        if bad_neg and good_nonneg:
            return f"holds only on part of the domain: it fails where ${name} < 0$"  # the author's LaTeX
        if bad_pos and good_nonpos:
            return f"holds only on part of the domain: it fails where ${name} > 0$"
    return "holds only on part of the domain (true at some probe points, false at others)"


def _sub_said(sub: str) -> Said:
    """subdomain's message in both forms: its name is the author's spelling, shown in Unicode as text."""
    if "$" not in sub:
        return Said.words(sub)
    before, math, after = sub.split("$", 2)
    name, _, relation = math.partition(" ")
    return Said(sub, f"{before}{unicode_name(name)} {relation}{after}")


def symbolic_message(
    prev: sympy.Expr,
    cur: sympy.Expr,
    exact: Shape | None,
    atomizer: Atomizer | None = None,
    shown: Show = plain_show,
) -> Said | None:
    """symbolic_pattern, or None where SymPy cannot work the pair out (no message from here: whatever
    goes wrong inside SymPy, the refutation stands; the budget's end is the caller's)."""
    try:
        return symbolic_pattern(prev, cur, exact, atomizer, shown)
    except SliceExpired:
        raise
    except Exception:
        return None


def diagnose(run: ProbeRun, symbolic: Said | None = None) -> Said:
    """The message of a refuted step: the symbolic pattern (symbolic_message) when there is one, else
    the numeric pattern of the probe values; then the sub-domain. The symbolic pattern comes first
    because it is exact: a ratio or a difference seen constant at two points may be a coincidence of
    the points (two draws of a binary y, or of a size, that happen to be equal), what the algebra of
    the pair says is not."""
    msg = symbolic if symbolic is not None else numeric_pattern(run)
    sub = subdomain(run)
    if msg is None:
        return _sub_said(sub) if sub is not None else Said.words("not equal to the previous step")
    if sub is not None and "fails where" in sub:
        return msg + Said.words("; ") + _sub_said(sub)
    return msg
