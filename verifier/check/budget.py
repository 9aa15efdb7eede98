"""Warm worker processes with hard time and memory budgets, so one stuck SymPy call cannot stall a run.

Workers are pebble processes: SymPy is imported once (they fork from a parent that already has it)
and they are reused across steps and files. The parent enforces each task's timeout and kills a
stuck worker (pebble starts a fresh one); a memory limit set in the worker turns runaway growth into
a MemoryError instead of swapping the machine. Every failure becomes an Outcome, never an exception.
"""

from __future__ import annotations

import atexit
import os
import resource
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from verifier.model import Outcome, Verdict

DEFAULT_MEMORY_MB = 2048
GRACE = 0.75  # seconds the worker gets past its soft budget before the parent kills it


def memory_limit_mb() -> int:
    """Per-worker memory headroom in MB; VERIFY_DERIVATION_MEMORY_MB overrides the default (0: none)."""
    try:
        return int(os.environ.get("VERIFY_DERIVATION_MEMORY_MB", DEFAULT_MEMORY_MB))
    except ValueError:
        return DEFAULT_MEMORY_MB


def _address_space_bytes() -> int:
    """This process's current virtual size (a forked worker starts with its parent's)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _init_worker(memory_mb: int) -> None:
    """Runs once in each worker: cap its memory so a blow-up raises MemoryError in that worker only.

    The cap is `memory_mb` on top of what the worker already maps when it starts, so a large parent
    (whose address space a forked worker inherits) does not leave the worker without any room.
    """
    if memory_mb > 0:
        limit = _address_space_bytes() + memory_mb * 1024 * 1024
        try:
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ValueError, OSError):
            pass  # a platform without RLIMIT_AS still gets the time budget
    import sympy  # noqa: F401  (warm: already imported when forked, imported once when spawned)


class WorkerPool:
    """A pool of warm workers; `submit` runs a picklable function under a hard timeout."""

    def __init__(self, jobs: int | None = None, memory_mb: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.memory_mb = memory_limit_mb() if memory_mb is None else memory_mb
        from pebble import ProcessPool  # imported here: a run on one forked child (forked.py) never needs it

        self._pool = ProcessPool(max_workers=self.jobs, initializer=_init_worker, initargs=(self.memory_mb,))
        self.closed = False

    def submit(self, fn: Callable[..., Any], timeout: float | None, *args: Any) -> Future[Any]:
        return self._pool.submit(fn, timeout, *args)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._pool.stop()
            self._pool.join()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def timed_out(timeout: float | None) -> Outcome:
    """A task stopped at its hard deadline (its worker killed)."""
    return Outcome(
        Verdict.TIMEOUT,
        message=f"no verdict within the {timeout or 0:g} s budget (the worker was stopped)",
        seconds=float(timeout or 0),
    )


def crashed(exitcode: int | None, memory_mb: int) -> Outcome:
    """A worker that died under a task (a signal, or an exit without an answer)."""
    how = f"killed by signal {-exitcode}" if exitcode and exitcode < 0 else f"exit code {exitcode}"
    return Outcome(
        Verdict.ERROR,
        message=f"the worker process crashed ({how}); it may have run out of memory (limit {memory_mb} MB)",
    )


def failed(exc: BaseException, memory_mb: int) -> Outcome:
    """A task that raised instead of returning an Outcome."""
    if isinstance(exc, MemoryError):
        return Outcome(Verdict.ERROR, message=f"ran out of memory (limit {memory_mb} MB per worker)")
    return Outcome(Verdict.ERROR, message=f"internal error: {type(exc).__name__}: {exc}"[:300])


def checked(result: object) -> Outcome:
    """What a task returned, if it is an Outcome."""
    if not isinstance(result, Outcome):
        return Outcome(Verdict.ERROR, message="internal error: the worker returned no outcome")
    return result


def outcome_of(future: Future[Any], timeout: float | None, memory_mb: int) -> Outcome:
    """The task's Outcome, or the Outcome that says how the worker failed."""
    from pebble import ProcessExpired

    try:
        result = future.result()
    except FutureTimeout:
        return timed_out(timeout)
    except ProcessExpired as exc:
        return crashed(exc.exitcode, memory_mb)
    except Exception as exc:
        return failed(exc, memory_mb)
    return checked(result)


_SHARED: WorkerPool | None = None


def shared_pool(jobs: int | None = None) -> WorkerPool:
    """One process-wide pool, created on first use and reused (pytest items, repeated CLI calls)."""
    global _SHARED
    wanted = max(1, jobs or os.cpu_count() or 1)
    if _SHARED is None or _SHARED.closed or _SHARED.jobs != wanted:
        if _SHARED is not None:
            _SHARED.close()
        _SHARED = WorkerPool(wanted)
    return _SHARED


@atexit.register
def _close_shared() -> None:
    if _SHARED is not None:
        _SHARED.close()
