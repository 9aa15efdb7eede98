"""The library's slips inside same-shaped matrix steps (derivations/backprop-square-layers.toml): each
is refuted, and its diagnosis names the one edit that repairs it, or, for the step with two slips, gives
the entry values only (issue 12)."""

from __future__ import annotations

from pathlib import Path

from verifier.check import CheckOptions, check_all
from verifier.loader import load
from verifier.model import Verdict

FILE = Path(__file__).resolve().parents[2] / "derivations" / "backprop-square-layers.toml"
NAMED = "one edit makes this step equal to the previous step, proved: "
WANTED = {
    "δ¹ with the transpose of a square W² missing": "the factor W^{(2)} is missing its transpose",
    "∂z²/∂z¹ with ⊙ for the matrix product": "⊙ where the matrix product was meant",
    "a gradient step on W² with the outer product reversed": "the outer product a^{(1)} (\\delta^{(2)})^T is reversed",
    "∂z²/∂z¹ with two slips": None,
}


def test_each_slip_of_the_square_network_is_named() -> None:
    # a generous budget: the names are under test, not the speed (a loaded machine may cut the search)
    report = check_all([load(FILE)], CheckOptions(strict=True, timeout=60.0))
    seen = {}
    for chain in report.derivations[0].chains:
        for result in chain.steps:
            if result.step.expect == "refuted":
                assert result.outcome.verdict is Verdict.REFUTED
                seen[chain.chain.title] = result.outcome.message or ""
    assert set(seen) == set(WANTED)
    for title, named in WANTED.items():
        if named is None:
            assert "one edit" not in seen[title] and "at the counterexample, entry (" in seen[title]
        else:
            assert NAMED + named in seen[title], seen[title]
