"""Unfolding names every sum's bound variable by its nesting depth (verifier/check/unfold.py), so the
same expression unfolded twice is one SymPy object and SymPy's caches serve the second time. The
renaming must stay alpha-conversion: a definition's sum unfolded inside another sum, a derivative taken
under a sum, and an index passed into a definition are never captured. Each capture would turn a
correct step into a refuted one or a wrong step into a proved one, so both directions are checked."""

from __future__ import annotations

import pytest
import sympy
from test_redteam_support import _lit, decide_tex

from verifier.check.alpha import depth_variables
from verifier.check.unfold import Unfolder
from verifier.latex import compile_notation, read_step
from verifier.loader import loads
from verifier.model import Loc, Outcome, Tex, Verdict

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


# f'(u) of a defined f: the point u, a sum, is put inside the body's sum of the same letter and depth.
# Found by a second reader: the nested sums shared their variable, and peeling the fixed element
# x^{(1)}_l out of the outer one rewrote the inner one's binder too (a wrong step proved).
PRIME_SYMBOLS = r"""
m = "positive integer"
p = "positive integer"
i = { range = ["1", "m"] }
j = { range = ["0", "p"] }
k = { range = ["0", "p"] }
l = { range = ["0", "p"] }
'x^{(i)}_j' = "real"
'\theta_j' = "real"
"""


def _decide_primed(prev: str, cur: str, body: str, assume: tuple[str, ...]) -> Outcome:
    functions = "f = { args = ['t'], define = " + _lit(body) + " }"
    return decide_tex(prev, cur, symbols=PRIME_SYMBOLS, functions=functions, assume=assume, timeout=20.0)


@pytest.mark.parametrize(
    ("cur", "verdict"),
    [
        (
            r"2 (\theta_l + \sum_{j=l+1}^{p} \theta_j x^{(1)}_j) \theta_l (1 + \sum_{k=l+1}^{p} x^{(1)}_k)",
            Verdict.PROVED,
        ),
        (
            r"2 \theta_l (\theta_l + \sum_{k=l+1}^{p} x^{(1)}_k \theta_k)"
            r" + \sum_{j=l+1}^{p} 2 \theta_j x^{(1)}_j (\theta_l + \theta_l \sum_{k=l+1}^{p} x^{(1)}_k)",
            Verdict.REFUTED,
        ),
    ],
)
def test_a_point_put_inside_a_sum_of_the_same_letter_is_not_captured(cur: str, verdict: Verdict) -> None:
    outcome = _decide_primed(
        r"f'(\sum_{j=l}^{p} x^{(1)}_j \theta_l)",
        cur,
        r"\sum_{j=l}^{p} \theta_j x^{(1)}_j t^2",
        (r"x^{(1)}_l = 1", r"l \le p"),
    )
    assert outcome.verdict is verdict, outcome


def test_a_fixed_element_peeled_out_of_a_sum_inside_a_sum_of_the_same_letter() -> None:
    outcome = _decide_primed(
        r"f'(\sum_{j=0}^{p} x^{(1)}_j)",
        r"2 (\sum_{j=0}^{p} \theta_j x^{(1)}_j) (\sum_{k=0}^{p} x^{(1)}_k)",
        r"\sum_{j=0}^{p} \theta_j x^{(1)}_j t^2",
        (r"x^{(1)}_0 = 1",),
    )
    assert outcome.verdict is Verdict.PROVED, outcome


def test_an_expression_with_a_free_fixed_variable_gets_fresh_variables() -> None:
    """A summand taken out of its sum holds its variable free: unfolding it with the fixed variables
    would let a sum of the same depth capture it."""
    text_of_file = f'title = "t"\n[symbols]\n{SYMBOLS}\n[[chain]]\ntitle = "c"\nsteps = ["J", "J"]\n'
    notation = compile_notation(loads(text_of_file, "t.toml"))
    outer = _unfolded(r"\sum_{k=1}^{m} z_k")
    assert isinstance(outer, sympy.Sum)
    k0 = outer.limits[-1][0]  # the fixed variable of depth 0
    summand = outer.function if len(outer.limits) == 1 else sympy.Sum(outer.function, *outer.limits[:-1])
    assert k0 in summand.free_symbols
    again = Unfolder(notation).unfold(summand)
    assert k0 in again.free_symbols
    inner_bound = {lim[0] for s in again.atoms(sympy.Sum) for lim in s.limits}
    assert inner_bound and k0 not in inner_bound and not (inner_bound & depth_variables())
