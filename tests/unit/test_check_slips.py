"""Contract §5.2 in `settle`: which comparison stands for each step of a chain, and which second
comparison (against the last step that held) is needed next."""

from __future__ import annotations

import pytest

from verifier.check.runner import StepRef, settle
from verifier.model import Outcome, Verdict

P, N, R, T = Verdict.PROVED, Verdict.NUMERIC, Verdict.REFUTED, Verdict.TIMEOUT


def _firsts(n: int) -> list[StepRef]:
    return [StepRef(0, 0, s, s - 1) for s in range(1, n)]


def _settle_all(firsts: list[Verdict], seconds: dict[tuple[int, int], Verdict]) -> tuple[list[tuple[int, int]], int]:
    """Settle a chain whose first comparisons give `firsts` and whose second comparisons give
    `seconds[(step, against)]`, dispatching the needed ones round by round as the runner does."""
    refs = _firsts(len(firsts) + 1)
    outcomes = {r: Outcome(v) for r, v in zip(refs, firsts, strict=True)}
    rounds = 0
    while True:
        chosen, missing = settle(refs, outcomes)
        if missing is None:
            return [(r.step, r.against) for r in chosen], rounds
        rounds += 1
        outcomes[missing] = Outcome(seconds[(missing.step, missing.against)])


@pytest.mark.parametrize(
    ("firsts", "seconds", "expected", "rounds"),
    [
        # every step holds: each against the one before, nothing more asked
        ([P, P, N], {}, [(1, 0), (2, 1), (3, 2)], 0),
        # a slip at 2, corrected at 3 (equal to step 1, the last that held)
        ([P, R, R, P], {(3, 1): P}, [(1, 0), (2, 1), (3, 1), (4, 3)], 1),
        # a slip at 2, the chain carries on from it: one red mark, no second comparison
        ([P, R, P, P], {}, [(1, 0), (2, 1), (3, 2), (4, 3)], 0),
        # a step refuted by both: the comparison with its predecessor stands
        ([P, R, R], {(3, 1): R}, [(1, 0), (2, 1), (3, 2)], 1),
        # a correction that is numerically equal to the last step that held also holds
        ([R, R], {(2, 0): N}, [(1, 0), (2, 0)], 1),
        # a timeout does not hold and does not refute: the next step compared back past it
        ([P, T, R], {(3, 1): P}, [(1, 0), (2, 1), (3, 1)], 1),
        # two slips in a row, then the correction: compared with the last that held (step 1)
        ([P, R, R, R], {(3, 1): R, (4, 1): P}, [(1, 0), (2, 1), (3, 2), (4, 1)], 2),
        # a correction whose comparison with the last step that held timed out: that timeout stands,
        # not the refutation against the slip it corrects
        ([P, R, R], {(3, 1): T}, [(1, 0), (2, 1), (3, 1)], 1),
        # a slip refuted against its predecessor, the predecessor held: no second comparison
        ([R], {}, [(1, 0)], 0),
    ],
)
def test_settle(
    firsts: list[Verdict], seconds: dict[tuple[int, int], Verdict], expected: list[tuple[int, int]], rounds: int
) -> None:
    assert _settle_all(firsts, seconds) == (expected, rounds)


def test_a_held_correction_moves_the_last_held_step() -> None:
    # 1 slips, 2 corrects it (against 0), 3 is refuted against 2 and so compared with 2, not with 0
    refs = _firsts(4)
    outcomes = {refs[0]: Outcome(R), refs[1]: Outcome(R), refs[2]: Outcome(R), StepRef(0, 0, 2, 0): Outcome(P)}
    chosen, missing = settle(refs, outcomes)
    assert [(r.step, r.against) for r in chosen] == [(1, 0), (2, 0), (3, 2)]
    assert missing is None
