"""The mutation benchmark's order of work (benchmarks/run.py `phases`): the timed methods take turns."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from benchmarks import run
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
    assert slices[:3] == [[0, 1, 2]] * 3 and slices[3:6] == [[3, 4, 5]] * 3 and slices[6:] == [[6, 7, 8, 9]] * 3
    assert len(phases(9, ["engine"], slices=8)) == 8 and len(phases(3, ["engine"], slices=8)) == 3
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


class _Done:
    """A finished task, as pebble's future gives it (a cancellation is logged in `_Pool.log`)."""

    def __init__(self, method: str, value: Any) -> None:
        self.method, self.value = method, value

    def result(self) -> Any:
        return self.value

    def cancel(self) -> None:
        _Pool.log.append(("cancel", self.method))


class _Pool:
    """pebble's ProcessPool, synchronous: every call is logged in `log`."""

    log: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, **_kwargs: Any) -> None:
        self.method: str | None = None

    def schedule(self, fn: Any, args: tuple[Any, ...], timeout: float) -> _Done:
        self.method = self.method or fn.__name__
        _Pool.log.append(("task", fn.__name__))
        return _Done(fn.__name__, fn(*args))

    def close(self) -> None:
        _Pool.log.append(("close", str(self.method)))

    def stop(self) -> None:
        _Pool.log.append(("stop", str(self.method)))

    def join(self) -> None:
        pass


class _Clock:
    now = 0.0

    def time(self) -> float:
        return self.now


def _fake_run(monkeypatch: pytest.MonkeyPatch, clock: _Clock, late_after: int | None) -> dict[str, list[Any]]:
    calls = {"n": 0}

    def method(name: str) -> Any:
        def task(i: int, *_timeout: float) -> run.Result:
            calls["n"] += 1
            if late_after is not None and name == "sympy" and calls["n"] >= late_after:
                clock.now = 100.0  # the deadline passes during plain SymPy's work
            return run.Result("equal", 0.0)

        task.__name__ = name
        return task

    monkeypatch.setattr(run, "ProcessPool", _Pool)
    monkeypatch.setattr(run, "time", clock)
    monkeypatch.setattr(run, "METHODS", {m: method(m) for m in ("truth", "engine", "sympy", "math-verify")})
    monkeypatch.setattr(run, "_collect", lambda _m, fut, _limit: fut.result())
    _Pool.log = []
    return run.run(
        [None] * 8, ["truth", "engine", "sympy", "math-verify"], 1.0, core_only=frozenset({0}),  # type: ignore[list-item]
        deadline=None if late_after is None else 50.0,
    )


def test_each_method_keeps_one_pool_closed_after_its_last_slice(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _fake_run(monkeypatch, _Clock(), None)
    ends = [entry for entry in _Pool.log if entry[0] != "task"]  # nothing cancelled, nothing stopped
    assert ends == [("close", "truth"), ("close", "engine"), ("close", "sympy"), ("close", "math-verify")]
    assert all(x is not None for m in ("truth", "engine") for x in out[m])
    assert out["sympy"][0] is None and all(x is not None for x in out["sympy"][1:])
    # the timed methods took turns: the engine's tasks are not all before plain SymPy's
    tasks = [name for kind, name in _Pool.log if kind == "task"]
    assert tasks.index("sympy") < len(tasks) - 1 - tasks[::-1].index("engine")


def test_past_the_deadline_the_baselines_stop_at_once_and_the_engine_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    # slices of one case: the truth (8 calls), the engine on case 0 (core only), then on case 1, and
    # plain SymPy's first task there
    out = _fake_run(monkeypatch, _Clock(), late_after=8 + 2 + 1)
    ends = [entry for entry in _Pool.log if entry[0] in ("close", "stop")]
    assert ends == [("close", "truth"), ("stop", "sympy"), ("close", "engine")]  # Math-Verify never started
    assert ("cancel", "sympy") in _Pool.log and ("cancel", "engine") not in _Pool.log
    assert all(x is not None for x in out["engine"])  # every case the truth reached is scored
    assert all(x is None for x in out["math-verify"])
    assert all(x is None for x in out["sympy"])  # cut before its first answer was collected
