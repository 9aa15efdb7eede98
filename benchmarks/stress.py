"""A targeted stress test of numeric probing: a wrong step whose error vanishes when a binary variable is 0.

`x^2 + (k/7) x` → `x^2 + (k/7) x + c x` with c binary is wrong (at c = 1), but every probe point
that draws c = 0 agrees. The engine is seeded by the step texts exactly as the runner seeds it, so
every step reported here reproduces with `verify-derivation` on the same two strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from verifier.check.decide import decide
from verifier.latex import compile_notation, read_expr
from verifier.loader import loads
from verifier.model import Tex

DECLARATIONS = """title = "binary perturbation"
[symbols]
x = "real"
c = "binary"
[[chain]]
title = "wrong step"
steps = ['x', 'x']
"""


@dataclass
class Stress:
    """How often the engine let the binary perturbation through."""

    pairs: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    reproducers: list[tuple[str, str]] = field(default_factory=list)  # (previous, wrong step) LaTeX


def binary_perturbations(n: int = 400, timeout: float = 5.0) -> Stress:
    d = loads(DECLARATIONS, "stress.toml")
    notation = compile_notation(d)
    loc = d.chains[0].steps[0].tex.loc
    out = Stress()
    for k in range(1, n + 1):
        prev = rf"x^2 + \frac{{{k}}}{{7}} x"
        cur = prev + " + c x"
        a, b = (read_expr(Tex(t, loc, exact=False), notation) for t in (prev, cur))
        verdict = decide(a, b, notation, timeout=timeout, seed_text="\x00".join([prev, cur])).verdict.value
        out.pairs += 1
        out.verdicts[verdict] = out.verdicts.get(verdict, 0) + 1
        if verdict in ("proved", "numeric"):
            out.reproducers.append((prev, cur))
    return out


def probe_points() -> int:
    """How many points the engine draws at most before `numeric` (its first round, then extra rounds)."""
    from verifier.check import decide as cascade

    return int(cascade.PROBE_POINTS * getattr(cascade, "EXTRA_ROUNDS", 1))


def expected_misses(n: int, points: int | None = None) -> float:
    """If every probe point drew c uniformly from {0, 1}, all points miss c = 1 with probability 2^-points."""
    return float(n * sympy.Rational(1, 2 ** (points or probe_points())))
