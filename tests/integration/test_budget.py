"""Worker budgets: a stuck task is stopped at its timeout, a memory blow-up is an error, the pool goes on."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from verifier.check import CheckOptions, check_all
from verifier.check.budget import GRACE, WorkerPool, outcome_of
from verifier.check.forked import ForkedRun, Running, Task
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


# The same guarantees for a one-job run, whose tasks run in a forked child instead of the pool.


def _forked(*calls: tuple[object, float | None]) -> list[Outcome]:
    run = ForkedRun(memory_mb=1024)
    tasks = [Task(fn, hard) for fn, hard in calls]  # type: ignore[arg-type]
    outcomes = list(run.run(tasks, 1.0))
    assert [i for i, _ in outcomes] == list(range(len(calls)))  # every task answered, in order
    return [o for _, o in outcomes]


def test_forked_run_stops_a_stuck_task_at_its_timeout_and_goes_on() -> None:
    start = time.monotonic()
    quick, stuck, after = _forked((_quick, 5.0), (lambda: _sleep(60.0), 1.0), (_quick, 5.0))
    assert time.monotonic() - start < 10
    assert quick.method == "quick" and after.method == "quick"
    assert stuck.verdict is Verdict.TIMEOUT and stuck.message is not None and "1 s budget" in stuck.message


def test_forked_run_reports_a_memory_blow_up_and_goes_on() -> None:
    hog, after = _forked((_hog, 30.0), (_quick, 5.0))
    assert hog.verdict is Verdict.ERROR and hog.message is not None and "memory" in hog.message
    assert after.verdict is Verdict.PROVED


def test_forked_run_reports_a_crashed_child_and_goes_on() -> None:
    crash, after = _forked((_crash, 10.0), (_quick, 5.0))
    assert crash.verdict is Verdict.ERROR
    assert crash.message is not None and "crashed" in crash.message and "signal 9" in crash.message
    assert after.verdict is Verdict.PROVED


def _started(*calls: tuple[Callable[[], Outcome], float | None]) -> Running:
    return ForkedRun(memory_mb=1024).start([Task(fn, hard) for fn, hard in calls], 1.0)


def _busy_until(running: Running, limit: float) -> float:
    start = time.monotonic()
    while running.busy() and time.monotonic() - start < limit:
        time.sleep(0.05)
    return time.monotonic() - start


def test_a_forked_child_is_busy_until_every_task_has_its_answer_and_the_answers_all_arrive() -> None:
    """`busy` reads the answers already written without waiting; collecting goes on from them."""
    running = _started((lambda: _sleep(0.6), 5.0), (_quick, 5.0), (lambda: _sleep(0.3), 5.0))
    assert running.busy()
    waited = _busy_until(running, 10.0)
    assert 0.8 <= waited < 8.0 and not running.busy()
    outcomes = list(running)
    assert [i for i, _ in outcomes] == [0, 1, 2]
    assert [o.method for _, o in outcomes] == ["slept", "quick", "slept"]


def test_a_forked_child_past_its_tasks_deadline_is_not_busy_and_is_stopped_when_collected() -> None:
    running = _started((_quick, 5.0), (lambda: _sleep(60.0), 0.4), (_quick, 5.0))
    waited = _busy_until(running, 10.0)
    assert waited < 3.0  # the hard deadline of the stuck task, not the 60 s it would take
    start = time.monotonic()
    quick, stuck, after = (o for _, o in running)
    assert time.monotonic() - start < 3.0
    assert quick.method == "quick" and stuck.verdict is Verdict.TIMEOUT and after.method == "quick"


def test_a_forked_child_whose_answer_came_past_its_deadline_is_not_busy() -> None:
    # the first task answers late (a timeout all the same); the second is still within its budget
    running = _started((lambda: _sleep(0.8), 0.3), (lambda: _sleep(30.0), 60.0))
    time.sleep(1.5)  # the late answer is in the pipe before the parent first asks
    assert not running.busy()
    start = time.monotonic()
    # answers that stop at the first failure (the dispatcher hands the tasks left to its next child)
    ((i, late),) = list(running.answers(again=False))
    assert time.monotonic() - start < 3.0  # the second task is not waited for: the child is stopped
    assert i == 0 and late.verdict is Verdict.TIMEOUT


def test_a_crashed_forked_child_is_not_busy_and_its_task_is_an_error() -> None:
    running = _started((_crash, 10.0), (_quick, 5.0))
    assert _busy_until(running, 10.0) < 3.0
    crash, after = (o for _, o in running)
    assert crash.verdict is Verdict.ERROR and crash.message is not None and "crashed" in crash.message
    assert after.verdict is Verdict.PROVED


def _children() -> set[str]:
    """This process's child processes, alive or waiting to be reaped (Linux /proc)."""
    tasks = Path(f"/proc/{os.getpid()}/task")
    return {pid for t in tasks.iterdir() for pid in (t / "children").read_text().split()}


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_forked_run_leaves_no_child_behind() -> None:
    before = _children()  # the module's pool workers
    _forked((_quick, 5.0), (lambda: _sleep(60.0), 0.5), (_quick, 5.0))
    assert _children() <= before  # every child stopped and reaped, the killed one included


def test_a_one_job_run_stops_a_step_that_would_run_for_minutes() -> None:
    # check_all with jobs=1 and no pool runs in a forked child: the budget still holds end to end
    d = loads(SLOW, "slow.toml")
    budget = 1.5
    start = time.monotonic()
    report = check_all([d], CheckOptions(timeout=budget, jobs=1, cache=False))
    elapsed = time.monotonic() - start
    assert report.derivations[0].chains[0].steps[1].outcome.verdict is Verdict.TIMEOUT
    assert elapsed < budget + GRACE + 5.0


def test_a_one_job_run_of_several_files_stops_a_runaway_step_started_while_reading() -> None:
    # the slow file's steps start in a child right after it is read, while the next file is read
    slow, quick = loads(SLOW, "slow.toml"), loads(QUICK, "quick.toml")
    budget = 1.5
    start = time.monotonic()
    report = check_all([slow, quick, slow], CheckOptions(timeout=budget, jobs=1, cache=False))
    elapsed = time.monotonic() - start
    verdicts = [[s.outcome.verdict for s in r.chains[0].steps[1:]] for r in report.derivations]
    assert verdicts == [[Verdict.TIMEOUT], [Verdict.PROVED, Verdict.REFUTED], [Verdict.TIMEOUT]]
    assert elapsed < 2 * (budget + GRACE) + 10.0


QUICK = """
title = "quick"
[symbols]
x = "real"
[[chain]]
title = "quick"
steps = ['(x+1)^2', 'x^2 + 2x + 1', 'x^2 + 2x']
"""
