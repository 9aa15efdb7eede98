"""The soft time slices of a step (verifier/check/clock.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from verifier.check.clock import Clock, SliceExpired


def _busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_slice_that_runs_out_interrupts_its_block() -> None:
    start = time.monotonic()
    with pytest.raises(SliceExpired), Clock(None).limit(0.05):
        _busy(5)
    assert time.monotonic() - start < 1


def test_an_expiry_swallowed_inside_the_block_is_raised_again() -> None:
    # What a weakref callback, a __del__ or a broad `except Exception` in SymPy does to the first
    # raise: before the alarm repeated, the block then ran to its natural end (two minutes in CI).
    swallowed = 0
    start = time.monotonic()
    with pytest.raises(SliceExpired), Clock(None).limit(0.05):
        while time.monotonic() - start < 5:
            try:
                _busy(5)
            except SliceExpired:
                swallowed += 1
                if swallowed > 2:
                    raise
    assert swallowed == 3
    assert time.monotonic() - start < 1


def test_a_swallowing_slice_ends_quietly_and_the_enclosing_budget_still_holds() -> None:
    clock = Clock(0.4)
    start = time.monotonic()
    with clock.limit(0.05, swallow=True) as attempt:
        _busy(5)
    assert attempt.expired
    assert time.monotonic() - start < 0.3
    with pytest.raises(SliceExpired), clock.limit():
        _busy(5)
    assert time.monotonic() - start < 1


def test_no_alarm_is_left_behind_after_a_block() -> None:
    clock = Clock(None)
    with clock.limit(0.05, swallow=True):
        pass
    _busy(0.3)  # a repeating alarm left armed would raise here


def test_an_import_is_never_interrupted_and_the_slice_ends_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module whose import outlasts the slice is imported whole (raised inside the import system, the
    alarm left it half done); the slice still ends, just after the import."""
    import importlib
    import sys

    (tmp_path / "slow_module_for_the_clock.py").write_text(
        "import time\n_end = time.monotonic() + 0.3\nwhile time.monotonic() < _end:\n    pass\nDONE = True\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    start = time.monotonic()
    try:
        with Clock(None).limit(0.05, swallow=True) as attempt:
            module = importlib.import_module("slow_module_for_the_clock")
            _busy(5)
    finally:
        sys.modules.pop("slow_module_for_the_clock", None)
    assert module.DONE and attempt.expired
    assert 0.3 <= time.monotonic() - start < 1
