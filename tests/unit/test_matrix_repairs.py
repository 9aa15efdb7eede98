"""The repair search for refuted matrix steps (issue 12): when a step has the shape of the previous one
and differs by one slip inside (a transpose missing or one too many, ⊙ for the matrix product or the
reverse, two factors swapped, an outer product reversed), the single edit that is proved to make it
equal is named in the diagnosis. The search shapes the message only: the verdict and the counterexample
are the ones the step gets without it."""

from __future__ import annotations

from functools import partial

import pytest

from verifier.check.matrix import decide_values
from verifier.latex import compile_notation, read_step
from verifier.latex import messages as msg
from verifier.latex.repairs import MAX_EDITS, Repair, repairs
from verifier.latex.shapes import Mat
from verifier.loader import loads
from verifier.model import Loc, Tex, Verdict

DECLARATIONS = r"""title = "t"
[symbols]
n = "positive integer"
k = { range = ["1", "n"] }
j = { range = ["1", "n"] }
a_k = "real"
a = { components = 'a_k' }
b_k = "real"
b = { components = 'b_k' }
'W_{kj}' = "real"
W = { components = 'W_{kj}' }
'V_{kj}' = "real"
V = { components = 'V_{kj}' }
'U_{kj}' = "real"
'W^{(2)}' = { components = 'U_{kj}' }
"""
N = compile_notation(loads(DECLARATIONS + '[[chain]]\ntitle = "t"\nsteps = ["n", "n"]\n', "t.toml"))
NAMED = "one edit makes this step equal to the previous step, proved: "


def tex(text: str) -> Tex:
    return Tex(text, Loc("t.toml", 1, 1))


def decided(prev: str, cur: str, search: bool = True, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    edits = partial(repairs, tex(cur), N) if search else None
    return decide_values(read_step(tex(prev), N), read_step(tex(cur), N), N, timeout=timeout, repairs=edits)  # type: ignore[arg-type]


SLIPS = [
    (r"W^T a", r"W a", "the factor W is missing its transpose (W^T was meant)"),
    (r"W^{(2)} a", r"(W^{(2)})^T a", "the transpose on W^{(2)} is one too many (W^{(2)} was meant)"),
    (r"(W^{(2)})^T a", r"W^{(2)} a", "the factor W^{(2)} is missing its transpose ((W^{(2)})^T was meant)"),
    (r"W V", r"W \odot V", "⊙ where the matrix product was meant (W V)"),
    (r"W \odot V", r"W V", r"the matrix product where ⊙ was meant (W \odot V)"),
    (r"W V a", r"V W a", "the factors V and W are in the wrong order (W V was meant)"),
    (r"W + a b^T", r"W + b a^T", "the outer product b a^T is reversed (a b^T was meant)"),
    (r"W^T a \odot b", r"W a \odot b", "the factor W is missing its transpose"),  # δ¹ = W²δ² ⊙ σ'(z¹)
    (r"W^T W", r"W W", "the factor W (the first W in this step) is missing its transpose"),
    # a number made of vectors and matrices
    (r"a^T W^T b", r"a^T W b", "the factor W is missing its transpose (W^T was meant)"),
    (r"\|W a\|^2", r"\|W^T a\|^2", "the transpose on W is one too many (W was meant)"),
]


@pytest.mark.parametrize(("prev", "cur", "named"), SLIPS)
def test_each_slip_is_named_and_the_verdict_is_unchanged(prev: str, cur: str, named: str) -> None:
    out = decided(prev, cur)
    assert out.verdict is Verdict.REFUTED and out.message is not None
    assert NAMED + named in out.message
    bare = decided(prev, cur, search=False)
    assert (bare.verdict, bare.counterexample) == (out.verdict, out.counterexample)
    assert out.message.startswith(bare.message or "")  # the search only appends its note


def test_a_step_with_two_slips_falls_back_to_the_entry_values() -> None:
    out = decided(r"W^T V^T a", r"W V a")  # both transposes missing: no single edit repairs it
    assert out.verdict is Verdict.REFUTED and out.message is not None
    assert "one edit" not in out.message
    assert "at the counterexample, entry (" in out.message


def test_a_correct_step_is_not_searched() -> None:
    asked: list[bool] = []

    def edits() -> list[Repair]:
        asked.append(True)
        return []

    out = decide_values(read_step(tex("W^T a"), N), read_step(tex("W^T a"), N), N, repairs=edits)  # type: ignore[arg-type]
    assert out.verdict is Verdict.PROVED and not asked


def test_two_edits_that_both_repair_name_nothing() -> None:
    """Exactly one edit is named: two different edits proved to repair the step leave it unnamed."""
    right = read_step(tex(r"W^T a"), N)
    assert isinstance(right, Mat)
    both = [Repair(msg.RepairTransposeMissing("W", "W^T"), right), Repair(msg.RepairSwapped("a", "W"), right)]
    out = decide_values(read_step(tex(r"W^T a"), N), read_step(tex(r"W a"), N), N, timeout=30, repairs=lambda: both)  # type: ignore[arg-type]
    assert out.verdict is Verdict.REFUTED and out.message is not None and "one edit" not in out.message
    one = decide_values(read_step(tex(r"W^T a"), N), read_step(tex(r"W a"), N), N, timeout=30, repairs=lambda: both[:1])  # type: ignore[arg-type]
    assert one.message is not None and NAMED + "the factor W is missing its transpose" in one.message


def test_no_budget_left_names_nothing() -> None:
    out = decided(r"W^T a", r"W a", timeout=1e-6)
    assert out.message is None or "one edit" not in out.message


def test_the_candidates_are_the_single_edits_that_can_be_formed() -> None:
    found = repairs(tex(r"W a"), N)
    assert found is not None
    assert [str(r.what) for r in found] == ["the factor W is missing its transpose (W^T was meant)"]
    # a \odot between a matrix and a column, a row times a matrix: not formed, so not candidates
    assert repairs(tex(r"a"), N) == []


def test_a_step_with_too_many_places_to_edit_is_not_searched() -> None:
    long = " + ".join(["W V a"] * (MAX_EDITS // 3 + 1))
    assert repairs(tex(long), N) is None


def test_an_unreadable_step_has_no_candidates() -> None:
    assert repairs(tex(r"W \nosuchcommand a"), N) is None


def test_a_failing_search_leaves_the_refutation_as_it_is() -> None:
    def broken() -> list[Repair]:
        raise RuntimeError("a bug in the search")

    prev, cur = read_step(tex(r"W^T a"), N), read_step(tex(r"W a"), N)
    out = decide_values(prev, cur, N, timeout=30, repairs=broken)  # type: ignore[arg-type]
    bare = decide_values(prev, cur, N, timeout=30)  # type: ignore[arg-type]
    assert out.verdict is Verdict.REFUTED and (out.message, out.counterexample) == (bare.message, bare.counterexample)
