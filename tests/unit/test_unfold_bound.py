"""Unfolding names every sum's bound variable by its nesting depth (verifier/check/unfold.py), so the
same expression unfolded twice is one SymPy object and SymPy's caches serve the second time. The
renaming must stay alpha-conversion: a definition's sum unfolded inside another sum, a derivative taken
under a sum, and an index passed into a definition are never captured. Each capture would turn a
correct step into a refuted one or a wrong step into a proved one, so both directions are checked."""

from __future__ import annotations

import pytest
import sympy
from test_redteam_support import decide_tex

from verifier.check.alpha import depth_variables
from verifier.check.unfold import Unfolder
from verifier.latex import compile_notation, read_step
from verifier.loader import loads
from verifier.model import Loc, Tex, Verdict

SYMBOLS = r"""
m = "positive integer"
n = "positive integer"
i = { range = ["1", "m"] }
j = { range = ["1", "n"] }
k = { range = ["1", "n"] }
l = { range = ["1", "n"] }
'w_{ik}' = "real"
x_k = "real"
'\theta_k' = "real"
z_i = { define = '\sum_{k=1}^{n} w_{ik} x_k' }
u_i = { define = '\sum_{k=1}^{n} \theta_k w_{ik}' }
J = { define = '\sum_{i=1}^{m} u_i^2' }
"""


@pytest.mark.parametrize(
    ("prev", "cur", "verdict"),
    [
        # z_k inside a sum over k: the definition's own k is another variable (depth 1, not 0)
        (r"\sum_{i=1}^{m} z_i", r"\sum_{i=1}^{m} \sum_{k=1}^{n} w_{ik} x_k", Verdict.PROVED),
        (r"\sum_{i=1}^{m} z_i", r"\sum_{i=1}^{m} \sum_{k=1}^{n} w_{kk} x_k", Verdict.REFUTED),
        # the index passed in is the same letter as the definition's bound one
        (r"\sum_{k=1}^{m} z_k", r"\sum_{i=1}^{m} \sum_{j=1}^{n} w_{ij} x_j", Verdict.PROVED),
        (r"\sum_{k=1}^{m} z_k", r"\sum_{i=1}^{n} w_{ii} x_i", Verdict.REFUTED),
        # a product of two definitions' sums: siblings at one depth, each its own sum
        (r"z_i u_i", r"\sum_{k=1}^{n} \sum_{l=1}^{n} w_{ik} x_k \theta_l w_{il}", Verdict.PROVED),
        (r"z_i u_i", r"\sum_{k=1}^{n} w_{ik}^2 x_k \theta_k", Verdict.REFUTED),
        # a derivative taken under a sum: the definition's sum sits one level deeper than the derivative
        (r"\frac{\partial J}{\partial \theta_j}", r"\sum_{i=1}^{m} 2 u_i w_{ij}", Verdict.PROVED),
        (r"\sum_{i=1}^{m} \frac{\partial u_i^2}{\partial \theta_j}", r"\sum_{i=1}^{m} 2 u_i w_{ij}", Verdict.PROVED),
        (r"\frac{\partial J}{\partial \theta_j}", r"\sum_{i=1}^{m} 2 u_i w_{ii}", Verdict.REFUTED),
        (
            r"\sum_{k=1}^{n} \frac{\partial J}{\partial \theta_k}",
            r"\sum_{k=1}^{n} \sum_{i=1}^{m} 2 u_i w_{ik}",
            Verdict.PROVED,
        ),
    ],
)
def test_definitions_and_derivatives_under_sums_are_never_captured(prev: str, cur: str, verdict: Verdict) -> None:
    outcome = decide_tex(prev, cur, symbols=SYMBOLS, timeout=20.0)
    assert outcome.verdict is verdict, outcome


def _unfolded(text: str) -> sympy.Expr:
    text_of_file = f'title = "t"\n[symbols]\n{SYMBOLS}\n[[chain]]\ntitle = "c"\nsteps = ["J", "J"]\n'
    notation = compile_notation(loads(text_of_file, "t.toml"))
    return Unfolder(notation).unfold(read_step(Tex(text, Loc("t.toml", 1, 1)), notation))


def test_the_same_expression_unfolds_to_one_object_with_its_sums_named_by_depth() -> None:
    first = _unfolded(r"\sum_{k=1}^{m} z_k + \frac{\partial J}{\partial \theta_j}")
    again = _unfolded(r"\sum_{k=1}^{m} z_k + \frac{\partial J}{\partial \theta_j}")
    assert first == again  # read twice (fresh Dummies each time), unfolded to the same object
    bound = {lim[0] for s in first.atoms(sympy.Sum) for lim in s.limits}
    assert bound <= depth_variables()
    assert {v.name for v in bound} == {"k", "i"}  # the author's letters, kept for the explanations
    for s in first.atoms(sympy.Sum):  # an inner sum never reuses the variable of a sum around it
        (outer,) = [lim[0] for lim in s.limits][-1:]
        assert all(outer not in {lim[0] for lim in t.limits} for t in s.function.atoms(sympy.Sum))
