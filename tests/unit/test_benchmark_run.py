"""The mutation benchmark's order of work (benchmarks/run.py `phases`): the timed methods take turns."""

from __future__ import annotations

from benchmarks.run import phases


def test_the_ground_truth_runs_first_on_every_case() -> None:
    order = phases(10, ["truth", "engine", "sympy"], slices=3)
    assert order[0] == [(i, "truth") for i in range(10)]
    assert all(m != "truth" for phase in order[1:] for _i, m in phase)


def test_the_timed_methods_take_turns_slice_by_slice_engine_first() -> None:
    order = phases(10, ["sympy", "truth", "engine", "math-verify"], slices=3)
    methods = [phase[0][1] for phase in order[1:]]
    assert methods == ["engine", "sympy", "math-verify"] * 3
    slices = [sorted({i for i, _m in phase}) for phase in order[1:]]
    assert slices[:3] == [[0, 1, 2, 3]] * 3 and slices[3:6] == [[4, 5, 6, 7]] * 3 and slices[6:] == [[8, 9]] * 3
    assert all(len({m for _i, m in phase}) == 1 for phase in order)  # one method per pool


def test_every_method_meets_every_case_once_and_the_baselines_skip_the_core_only_cases() -> None:
    core_only = frozenset({0, 5})
    order = phases(11, ["truth", "engine", "sympy"], core_only, slices=4)
    seen = [(i, m) for phase in order for i, m in phase]
    assert len(seen) == len(set(seen))
    assert {i for i, m in seen if m == "engine"} == set(range(11)) == {i for i, m in seen if m == "truth"}
    assert {i for i, m in seen if m == "sympy"} == set(range(11)) - core_only


def test_a_slice_of_only_core_cases_has_no_empty_baseline_phase() -> None:
    order = phases(4, ["engine", "sympy"], frozenset({0, 1}), slices=2)
    assert [phase[0][1] for phase in order] == ["engine", "engine", "sympy"]
    assert phases(0, ["truth", "engine", "sympy"]) == []
