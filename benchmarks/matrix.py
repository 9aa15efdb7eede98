"""Matrix steps against their componentwise versions (issue 12): the same identity written in matrix
notation and written with indices and sums, each decided by the checker, best of a few runs.

The matrix form is decided through its generic entry (verifier/check/matrix.py), which hands the scalar
cascade one entry in symbolic indices; the componentwise form is what a derivation had to write before
matrix notation read. The figure says whether the matrix route costs more than the route it reuses.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from verifier.check.matrix import decide_values
from verifier.latex import compile_notation, read_step
from verifier.loader import loads
from verifier.model import Loc, Tex

_DECLARATIONS = r"""
title = "matrix against componentwise"
[symbols]
m = "positive integer"
n = "positive integer"
K = "positive integer"
i = { range = ["1", "m"] }
j = { range = ["1", "n"] }
k = { range = ["1", "K"] }
'x^{(i)}_j' = "real"
X = { components = 'x^{(i)}_j' }
'x^{(i)}' = { components = 'x^{(i)}_j' }
'\theta_j' = "real"
'\theta' = { components = '\theta_j' }
'y^{(i)}' = "real"
y = { components = 'y^{(i)}' }
'W_{kj}' = "real"
W = { components = 'W_{kj}' }
d_k = "real"
d = { components = 'd_k' }
'\lambda' = "nonnegative"
J = { define = '\frac{1}{2m}\|X\theta - y\|^2' }
[functions]
'\sigma' = { args = ["t"], define = '\frac{1}{1+e^{-t}}' }
[[chain]]
title = "t"
steps = ["J", "J"]
"""

# (name, matrix form: previous, this step; componentwise form: previous, this step)
PAIRS: list[tuple[str, tuple[str, str], tuple[str, str]]] = [
    (
        "least-squares gradient",
        (r"\nabla_\theta J", r"\frac{1}{m}X^T(X\theta - y)"),
        (
            r"\frac{\partial J}{\partial \theta_j}",
            r"\frac{1}{m}\sum_{i=1}^{m}(\sum_{l=1}^{n} x^{(i)}_l \theta_l - y^{(i)}) x^{(i)}_j",
        ),
    ),
    (
        "quadratic expanded",
        (r"(X\theta - y)^T(X\theta - y)", r"\theta^T X^T X \theta - 2 y^T X \theta + y^T y"),
        (
            r"\sum_{i=1}^{m}(\sum_{j=1}^{n} x^{(i)}_j \theta_j - y^{(i)})^2",
            r"\sum_{i=1}^{m}(\sum_{j=1}^{n} x^{(i)}_j \theta_j)^2"
            r" - 2\sum_{i=1}^{m} y^{(i)}\sum_{j=1}^{n} x^{(i)}_j \theta_j + \sum_{i=1}^{m} (y^{(i)})^2",
        ),
    ),
    (
        "logistic gradient",
        (r"X^T(\sigma(X\theta) - y)", r"\sum_{i=1}^{m}(\sigma(\theta^T x^{(i)}) - y^{(i)}) x^{(i)}"),
        (
            r"\sum_{i=1}^{m} x^{(i)}_j (\sigma(\sum_{l=1}^{n} x^{(i)}_l \theta_l) - y^{(i)})",
            r"\sum_{i=1}^{m}(\sigma(\sum_{l=1}^{n} \theta_l x^{(i)}_l) - y^{(i)}) x^{(i)}_j",
        ),
    ),
    (
        "backpropagated error Wᵀd",
        (r"W^T d", r"(d^T W)^T"),
        (r"\sum_{k=1}^{K} W_{kj} d_k", r"\sum_{k=1}^{K} d_k W_{kj}"),
    ),
]


@dataclass(frozen=True)
class Row:
    name: str
    matrix: tuple[str, float]  # verdict, best seconds
    components: tuple[str, float]


def _best(prev: str, cur: str, runs: int, timeout: float) -> tuple[str, float]:
    notation = compile_notation(loads(_DECLARATIONS, "matrix.toml"))
    verdict, best = "", float("inf")
    for _ in range(runs):
        a = read_step(Tex(prev, Loc("matrix.toml", 1, 1)), notation)
        b = read_step(Tex(cur, Loc("matrix.toml", 1, 1)), notation)
        start = time.perf_counter()
        outcome = decide_values(a, b, notation, timeout=timeout)
        best = min(best, time.perf_counter() - start)
        verdict = outcome.verdict.value
    return verdict, best


def measure(runs: int = 3, timeout: float = 10.0) -> list[Row]:
    """Each pair in both forms, in this process (reading is not timed: the decision is)."""
    rows = []
    for name, matrix, components in PAIRS:
        rows.append(Row(name, _best(*matrix, runs, timeout), _best(*components, runs, timeout)))
    return rows


def section(rows: list[Row]) -> list[str]:
    """The Markdown table for docs/benchmarks.md."""
    lines = [
        "The same identity in matrix notation and with indices and sums, each decided by the checker in "
        "one process (best of 3; reading not timed). Source: `benchmarks/matrix.py`.",
        "",
        "| identity | matrix form | componentwise form | matrix / componentwise |",
        "| --- | --- | --- | --- |",
    ]
    for r in rows:
        ratio = f"{r.matrix[1] / r.components[1]:.1f}×" if r.components[1] >= 0.001 else "— (under 1 ms)"
        lines.append(
            f"| {r.name} | {r.matrix[0]}, {r.matrix[1] * 1000:.1f} ms | "
            f"{r.components[0]}, {r.components[1] * 1000:.1f} ms | {ratio} |"
        )
    return lines


if __name__ == "__main__":  # `python -m benchmarks.matrix`: the table alone
    print("\n".join(section(measure())))
