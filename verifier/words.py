"""The assumption words (`real`, `positive`, `unit`, `binary`, …): one place for what each one means.

Each word has its SymPy flags (what the symbol is created with), its LaTeX condition (how a report
reads it), a membership test (is a value, e.g. one solved from an equation, in the domain) and a
sampler (a random value from the whole domain, for probe points).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import sympy


@dataclass(frozen=True)
class Word:
    name: str
    flags: tuple[tuple[str, bool], ...]  # SymPy assumptions the symbol is created with
    latex: str  # the condition in a "where" list, after the symbol


WORDS: dict[str, Word] = {
    w.name: w
    for w in (
        Word("real", (("real", True),), r"\in \mathbb{R}"),
        Word("positive", (("positive", True),), r"> 0"),
        Word("nonnegative", (("nonnegative", True),), r"\geq 0"),
        Word("negative", (("negative", True),), r"< 0"),
        Word("integer", (("integer", True),), r"\in \mathbb{Z}"),
        Word("nonzero", (("nonzero", True),), r"\neq 0"),
        # strictly between 0 and 1; SymPy only knows `positive`, the upper bound is the checker's to use
        Word("unit", (("positive", True),), r"\in (0, 1)"),
        Word("binary", (("integer", True), ("nonnegative", True)), r"\in \{0, 1\}"),
    )
}
NAMES = frozenset(WORDS)

# Pairs whose domains do not meet although SymPy sees no conflict (unit is only `positive` to SymPy):
# an empty domain would make every step about the symbol vacuously true.
DISJOINT: tuple[frozenset[str], ...] = (frozenset({"unit", "integer"}), frozenset({"unit", "binary"}))

# Word combinations a report reads as one condition.
COMBINED_LATEX: dict[frozenset[str], str] = {
    frozenset({"positive", "integer"}): r"\in \{1, 2, \dots\}",
    frozenset({"nonnegative", "integer"}): r"\in \{0, 1, 2, \dots\}",
    frozenset({"negative", "integer"}): r"\in \{-1, -2, \dots\}",
}


def flags(words: frozenset[str] | tuple[str, ...]) -> dict[str, bool]:
    """The SymPy assumptions of a symbol declared with these words."""
    out: dict[str, bool] = {}
    for w in words:
        out.update(WORDS[w].flags)
    return out


def from_assumptions(obj: sympy.Basic) -> frozenset[str]:
    """The words a SymPy object's own assumptions imply (for symbols the notation does not list)."""
    known = ("integer", "positive", "nonnegative", "negative", "nonzero")
    return frozenset(w for w in known if getattr(obj, f"is_{w}", None))


def contains(v: sympy.Expr, words: frozenset[str]) -> bool:
    """Whether a value (e.g. one solved from an equation) lies in the declared domain."""
    if v.is_real is not True:
        return False
    checks = (
        ("binary", lambda: v in (0, 1)),
        ("integer", lambda: v.is_integer is True),
        ("unit", lambda: bool(0 < v < 1)),
        ("positive", lambda: bool(v > 0)),
        ("nonnegative", lambda: bool(v >= 0)),
        ("negative", lambda: bool(v < 0)),
        ("nonzero", lambda: v != 0),
    )
    try:
        return all(test() for w, test in checks if w in words)
    except TypeError:  # a comparison SymPy cannot decide
        return False


# ---- sampling --------------------------------------------------------------------------------
# A probe point has a scale: 0 keeps to the textbook box (|v| up to 8, integers up to 5), 1 reaches
# the hundreds, 2 the thousands (log-uniform magnitudes, both signs), so an error outside a small box is
# seen while most points stay where sigmoids do not saturate. Values have three significant digits, so
# counterexamples read well. Every scale keeps a share of small values (|v| < 1, where log v < 0).
SCALES = 3
_LOG_RANGE = ((-3.0, 0.9), (0.5, 2.5), (2.5, 4.0))  # log10 of the magnitudes at each scale
_INT_RANGE = ((0, 5), (5, 40), (40, 1000))  # integers drawn (offset from the domain's least value)
# log10 of a `far` value's magnitude at each scale: just past the textbook box (which ends at 8) up to 100,
# where its products with textbook values can still be settled, then 100 to 10^4
_FAR_LOG_RANGE = ((0.0, 0.0), (1.0, 2.0), (2.0, 4.0))


# SymPy's own constructor for a rational of coprime integers (1.14); a draw makes thousands of values,
# and Rational(p, q) passes each through SymPy's cache and its gcd
_COPRIME: Callable[[int, int], sympy.Rational] = getattr(sympy.Rational, "from_coprime_ints", sympy.Rational)


def _rational(p: int, q: int) -> sympy.Rational:
    """p/q (q > 0) as SymPy's rational, the same value Rational(p, q) is."""
    g = math.gcd(p, q)
    return _COPRIME(p // g, q // g)


def _three_digits(v: float) -> sympy.Rational:
    """v rounded to three significant digits, as an exact rational."""
    if v == 0:
        return sympy.Rational(1, 7)
    e = math.floor(math.log10(abs(v))) - 2
    m = round(v / 10.0**e)
    return sympy.Integer(m * 10**e) if e >= 0 else _rational(m, 10**-e)  # m·10^e, in integers


def _magnitude(rng: random.Random, scale: int, far: bool = False) -> sympy.Rational:
    if scale == 0:
        # |v| in (0.02, 8): below 1/2, up to 1, and above 1 alike (p + q < 1, where log(p + q) < 0)
        v = rng.choice((rng.uniform(0.02, 0.5), rng.uniform(0.5, 1.0), rng.uniform(1.0, 3.0), rng.uniform(3.0, 8.0)))
        return _rational(round(v * 1000), 1000)
    if far:  # the one variable a point moves out (probe.py): no share of small values
        low, high = _FAR_LOG_RANGE[scale]
        return _three_digits(10.0 ** rng.uniform(low, high))
    # a wide point keeps a share of small values (down to 10^-3), so not every variable is large at once
    low, high = _LOG_RANGE[0] if rng.random() < 0.2 else _LOG_RANGE[scale]
    return _three_digits(10.0 ** rng.uniform(low, high))


def _integer(rng: random.Random, low: int, scale: int) -> int:
    """An integer ≥ low: the edge values at scale 0, then log-uniform further out."""
    a, b = _INT_RANGE[scale]
    if scale == 0:
        return low + rng.randint(0, 5 - max(low, 0))
    return low + round(10.0 ** rng.uniform(math.log10(a), math.log10(b)))


def sample(
    words: frozenset[str],
    rng: random.Random,
    scale: int = 0,
    low: sympy.Expr | None = None,
    high: sympy.Expr | None = None,
    strict: tuple[bool, bool] = (True, True),
    far: bool = False,
) -> sympy.Expr:
    """A random value from the whole domain the words describe, inside (low, high) when given. With
    `far` (and a scale above 0), a real value is drawn among the scale's magnitudes past the textbook box only."""
    if "binary" in words:
        return sympy.Integer(rng.choice((0, 1)))
    if low is not None or high is not None:
        return _in_interval(words, rng, scale, low, high, strict, far)
    if "integer" in words:
        if "positive" in words:
            return sympy.Integer(_integer(rng, 1, scale))
        if "nonnegative" in words:
            return sympy.Integer(_integer(rng, 0, scale))
        if "negative" in words:
            return sympy.Integer(-_integer(rng, 1, scale))
        v = _integer(rng, 0, scale) * rng.choice((1, -1))
        return sympy.Integer(v if v or "nonzero" not in words else 1)
    if "unit" in words:
        if scale == 0 or (not far and rng.random() < 0.5):
            return _rational(round(rng.uniform(0.02, 0.98) * 1000), 1000)
        near = _three_digits(10.0 ** rng.uniform(-4, -1))  # near an edge, where log u and log(1 − u) grow
        return near if rng.random() < 0.5 else 1 - near
    if "positive" in words or "nonnegative" in words or "negative" in words:
        if "nonnegative" in words and not far and rng.random() < 0.1:
            return sympy.S.Zero
        mag = _magnitude(rng, scale, far)
        return -mag if "negative" in words else mag
    mag = _magnitude(rng, scale, far)
    return mag if rng.random() < 0.5 else -mag


def _in_interval(
    words: frozenset[str],
    rng: random.Random,
    scale: int,
    low: sympy.Expr | None,
    high: sympy.Expr | None,
    strict: tuple[bool, bool],
    far: bool = False,
) -> sympy.Expr:
    """A value of the domain inside a chain's bound (x > 100), drawn the same way from the offset."""
    integer = "integer" in words
    if low is not None and high is not None:
        if integer:
            lo = math.floor(low) + 1 if strict[0] or not low.is_integer else int(low)
            hi = math.ceil(high) - 1 if strict[1] or not high.is_integer else int(high)
            return sympy.Integer(rng.randint(lo, max(lo, hi)))
        u = _rational(rng.randint(1, 999), 1000)
        return low + (high - low) * u
    if integer:
        if low is not None:
            start = math.floor(low) + 1 if strict[0] or not low.is_integer else int(low)
            return sympy.Integer(start + _integer(rng, 0, scale))
        assert high is not None
        end = math.ceil(high) - 1 if strict[1] or not high.is_integer else int(high)
        return sympy.Integer(end - _integer(rng, 0, scale))
    offset = _magnitude(rng, scale, far)
    return low + offset if low is not None else high - offset


def latex_conditions(words: tuple[str, ...], escape: Callable[[str], str] = str) -> list[str]:
    """The words as LaTeX conditions on the symbol (`> 0`, `\\in \\{0, 1\\}`), combined where they read as one;
    an unknown word is shown as text, passed through `escape`."""
    rest = set(words)
    out: list[str] = []
    for combo, text in COMBINED_LATEX.items():
        if combo <= rest:
            out.append(text)
            rest -= combo
    if rest - {"real"}:
        rest.discard("real")  # implied by any of the other words
    order = list(WORDS)
    for w in sorted(rest, key=lambda w: order.index(w) if w in WORDS else len(order)):
        out.append(WORDS[w].latex if w in WORDS else r"\text{" + escape(w) + "}")
    return out
