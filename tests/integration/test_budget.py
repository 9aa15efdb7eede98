"""Worker budgets: a stuck task is stopped at its timeout, a memory blow-up is an error, the pool goes on."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

from verifier.check.budget import GRACE, WorkerPool, outcome_of
from verifier.check.work import decide_step
from verifier.loader import loads
from verifier.model import Outcome, Verdict


def _sleep(seconds: float) -> Outcome:
    time.sleep(seconds)  # stands for a SymPy call that never returns
    return Outcome(Verdict.PROVED, method="slept")


def _hog() -> Outcome:
    blocks = []
    while True:  # grows until the worker's address-space limit stops it
        blocks.append(bytearray(64 * 1024 * 1024))


def _crash() -> Outcome:
    os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does
    return Outcome(Verdict.PROVED)


def _quick() -> Outcome:
    return Outcome(Verdict.PROVED, method="quick")


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    with WorkerPool(jobs=2, memory_mb=1024) as p:
        yield p


def test_stuck_task_is_stopped_at_its_timeout_and_the_pool_goes_on(pool: WorkerPool) -> None:
    start = time.monotonic()
    out = outcome_of(pool.submit(_sleep, 1.0, 60.0), 1.0, pool.memory_mb)
    assert out.verdict is Verdict.TIMEOUT
    assert time.monotonic() - start < 10
    assert outcome_of(pool.submit(_quick, 5.0), 5.0, pool.memory_mb).method == "quick"


def test_memory_blow_up_is_an_error_that_says_so(pool: WorkerPool) -> None:
    out = outcome_of(pool.submit(_hog, 30.0), 30.0, pool.memory_mb)
    assert out.verdict is Verdict.ERROR
    assert out.message is not None and "memory" in out.message
    assert outcome_of(pool.submit(_quick, 5.0), 5.0, pool.memory_mb).verdict is Verdict.PROVED


def test_crashed_worker_is_an_error_that_says_so(pool: WorkerPool) -> None:
    out = outcome_of(pool.submit(_crash, 10.0), 10.0, pool.memory_mb)
    assert out.verdict is Verdict.ERROR
    assert out.message is not None and "crashed" in out.message and "signal 9" in out.message
    assert outcome_of(pool.submit(_quick, 5.0), 5.0, pool.memory_mb).verdict is Verdict.PROVED


_D = r"\frac{d}{dx} " * 40
# a 40th derivative: unfolding alone would run for minutes
SLOW = f"""
title = "a derivative of order 40"
[symbols]
x = "real"
[[chain]]
title = "slow"
steps = [
  '{_D} \\frac{{e^{{x^2}}}}{{(1+x^2)^5}}',
  '{_D} \\frac{{e^{{x^2}} (x^2 + 2x + 1)}}{{(1+x^2)^5 (x+1)^2}}',
]
"""


def test_a_step_that_would_run_for_minutes_ends_as_timeout_within_its_budget(pool: WorkerPool) -> None:
    d = loads(SLOW, "slow.toml")
    budget = 1.5
    start = time.monotonic()
    out = outcome_of(pool.submit(decide_step, budget + GRACE, d, 0, 1, budget, False), budget, pool.memory_mb)
    elapsed = time.monotonic() - start
    assert out.verdict is Verdict.TIMEOUT, out
    assert elapsed < budget + GRACE + 1.0
