"""Comparing the two sides' values at one probe point: exactly when both are rational, else with balls.

One place for what "equal" means. Exact values (python-flint `fmpq`) are equal only when they are the
same rational: there is no tolerance at all, so `x` and `x + 10^{-20}` differ. Ball values (`arb`/`acb`,
a midpoint and a certified radius) *differ* only when the ball around the difference excludes 0 (a
certified disagreement), and *agree* at a precision only when that ball is tiny next to a magnitude
known to be nonzero (or both values are exactly 0). Anything else is UNSURE: the caller retries at a
higher precision and, at the last one, skips the point. A saturated value such as 1 − σ(10⁴u) is
therefore never read as 0: its ball contains 0 but its magnitude is not known to be nonzero.
"""

from __future__ import annotations

import enum
from typing import Any

from flint import acb, arb, fmpq

# Working precisions in bits, cheapest first. A point's agreement is confirmed at the second one at
# least (rising precision); the third is only for values a lower one could not separate from 0.
PRECISIONS: tuple[int, ...] = (64, 256, 2048)
# THE tolerance: two ball values agree at `prec` bits when the ball around their difference lies
# within 2^(-prec · AGREE_SHARE) of their size, i.e. they agree to the first half of the working bits.
AGREE_SHARE = 0.5
# Double-precision figures derived from probe values (ratios in diagnoses) are close at this relative gap.
FIGURE_TOL = 1e-9


class Match(enum.Enum):
    AGREE = "agree"
    DISAGREE = "disagree"
    SKIP = "skip"  # both undefined, or both complex and different (branch choices), or undecidable
    UNSURE = "unsure"  # the balls are too wide at this precision: try a higher one


Num = Any  # fmpq (exact), arb or acb (balls)


def is_exact(v: Num) -> bool:
    return isinstance(v, fmpq)


def _imag(v: Num) -> arb:
    return v.imag if isinstance(v, acb) else arb(0)


def certainly_real(v: Num) -> bool:
    """The value is real for sure (a rational, a real ball, or a complex ball with an exactly-0 imaginary part)."""
    if isinstance(v, fmpq | arb):
        return True
    return bool(v.imag.is_zero())


def certainly_complex(v: Num) -> bool:
    """The value has an imaginary part certified nonzero."""
    return isinstance(v, acb) and not v.imag.contains(0)


def _zero(v: Num) -> bool:
    """Exactly zero (a rational 0, or a ball of radius 0 at 0)."""
    if isinstance(v, fmpq):
        return v == 0
    return bool(v.is_zero())


def _magnitude(v: Num) -> arb:
    """A certified lower bound of |v| (0 when the ball contains 0)."""
    if isinstance(v, fmpq):
        return arb(abs(v))
    return abs(v).lower() if isinstance(v, acb) else v.abs_lower()


def match_exact(lhs: fmpq | None, rhs: fmpq | None) -> Match:
    """Exact rationals: equal or not, nothing in between (None: undefined there)."""
    if lhs is None and rhs is None:
        return Match.SKIP
    if lhs is None or rhs is None:
        return Match.DISAGREE  # defined on one side only (the caller checks for a removable singularity)
    return Match.AGREE if lhs == rhs else Match.DISAGREE


def match_balls(lhs: Num | None, rhs: Num | None, prec: int) -> Match:
    """Balls (or rationals) at `prec` bits; see the module docstring for what each answer means."""
    if lhs is None and rhs is None:
        return Match.SKIP
    if lhs is None or rhs is None:
        one = lhs if lhs is not None else rhs
        # defined (and real) on one side only; a complex value where the other side is undefined is a
        # branch question (log of a negative on both readings), not a refutation
        if certainly_complex(one):
            return Match.SKIP
        return Match.DISAGREE if certainly_real(one) or not _imag(one).contains(0) else Match.UNSURE
    diff = _ball(lhs) - _ball(rhs)
    if not diff.contains(0):
        if certainly_complex(lhs) and certainly_complex(rhs):
            return Match.SKIP  # both off the real line, on different branches
        return Match.DISAGREE
    if _zero(lhs) and _zero(rhs):
        return Match.AGREE
    size = max(_magnitude(lhs), _magnitude(rhs))
    if size > 0:
        bound = arb(2) ** int(-prec * AGREE_SHARE) * size
        rad = abs(diff).upper() if isinstance(diff, acb) else diff.abs_upper()
        if rad <= bound:
            return Match.AGREE
    return Match.UNSURE


def _ball(v: Num) -> Num:
    return arb(v) if isinstance(v, fmpq) else v


def as_complex(v: Num | None) -> complex | None:
    """A double-precision figure of a value, for messages and diagnoses (None when out of range)."""
    if v is None:
        return None
    try:
        if isinstance(v, fmpq):
            return complex(float(v.p) / float(v.q)) if abs(v.p) < 2**1000 and v.q < 2**1000 else complex(_float(arb(v)))
        if isinstance(v, acb):
            return complex(_float(v.real), _float(v.imag))
        return complex(_float(v))
    except (OverflowError, ValueError, ZeroDivisionError):
        return None


def _float(v: arb) -> float:
    f = float(v.mid())
    if f != f or f in (float("inf"), float("-inf")):
        raise OverflowError("out of double range")
    return f


def close(x: Any, y: Any) -> bool:
    """Double-precision figures equal up to FIGURE_TOL (for diagnoses, never for a verdict)."""
    return bool(abs(x - y) <= FIGURE_TOL * (1 + max(abs(x), abs(y))))
