"""benchmarks.profile's per-stage timing: every stage that ran is counted, the cascade is left as it was."""

from __future__ import annotations

from test_check_decide import _reals

from benchmarks.profile import timed_stages
from verifier.check import decide as cascade


def test_stage_times_are_counted_per_stage_and_the_cascade_is_restored() -> None:
    n, (x, y) = _reals("x", "y")
    plain_run = cascade.Cascade.run
    pairs = [((x + y) ** 2, x**2 + 2 * x * y + y**2, n, (), "a"), ((x + y) ** 2, -((x + y) ** 2), n, (), "b")]
    spent, verdicts = timed_stages(pairs)
    assert [v for v, _ in verdicts] == ["proved", "refuted"]
    # the proof comes from exact arithmetic; the wrong step is refuted by the point drawn before `cheap`
    # (both fast paths: with VERIFY_DERIVATION_NO_FAST_PATHS the cheap stage runs and proves)
    assert {"identical", "unfold", "exact", "first_point", "refute"} <= set(spent)
    assert ("cheap" not in spent) is cascade.FAST_PATHS
    assert all(t >= 0 for t in spent.values())
    assert cascade.Cascade.run is plain_run
    assert all(t >= 0 for _, t in verdicts)
