"""A run on one job without a pool: the tasks run one after another in a forked child.

A one-job run (`-j 1`) gains nothing from pebble's pool but pays for it: importing it (asyncio,
multiprocessing), its threads, and pickling the whole Derivation into the worker for every task. A
child forked after the reading already holds the derivations and everything read from them
(work.memo), so it is handed positions in a list, and only Outcomes travel back, through a pipe.

The budget guarantee is the pool's, kept the same way:
- memory: the child caps its own address space first (budget._init_worker, the pool workers' own
  initializer), so a blow-up is a MemoryError there, reported as an error, or kills only the child;
- time: the parent waits for each answer at most the task's hard budget (soft budget + GRACE),
  counted from the previous answer, which is when the child starts the task; past it the parent kills
  the child (SIGKILL cannot be caught or delayed by C code), records a timeout, and forks a fresh
  child for the tasks after it. A child that dies under a task (a signal, the kernel's OOM killer)
  costs that task an error and the rest go on in a fresh child, as a crashed pool worker does.
The child never returns into the caller's code: it leaves with os._exit, so it neither flushes the
parent's buffered output nor runs its exit handlers.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from verifier.check.budget import _init_worker, checked, crashed, failed, memory_limit_mb, timed_out
from verifier.model import Outcome

# before each pickled Outcome: its length, and the moment the child decided it (a task's deadline counts
# from the answer before it; `busy` reads the moments without unpickling the answers)
_HEADER = struct.Struct("!Id")


def available() -> bool:
    """Whether this platform can fork (not Windows): otherwise runs use the pool."""
    return hasattr(os, "fork")


@dataclass(frozen=True)
class Task:
    """One call to make in the child, and its hard budget in seconds (None: no limit)."""

    fn: Callable[..., Outcome]
    hard: float | None
    args: tuple[Any, ...] = ()


class ForkedRun:
    """Runs tasks in order in forked children, under the same time and memory budgets as the pool."""

    def __init__(self, memory_mb: int | None = None) -> None:
        self.memory_mb = memory_limit_mb() if memory_mb is None else memory_mb

    def run(self, tasks: Sequence[Task], timeout: float | None) -> Iterator[tuple[int, Outcome]]:
        """(position, Outcome) of every task, in order; `timeout` is the soft budget the messages name."""
        return iter(self.start(tasks, timeout))

    def start(self, tasks: Sequence[Task], timeout: float | None) -> Running:
        """Fork the first child now (so it works while the caller does something else); iterate the
        result for the outcomes, which forks a fresh child after a timeout or a crash."""
        return Running(self, tasks, timeout)


class Running:
    """The tasks of one ForkedRun.start: a child already at work, and the outcomes still to collect."""

    def __init__(self, owner: ForkedRun, tasks: Sequence[Task], timeout: float | None) -> None:
        self.memory_mb = owner.memory_mb
        self.tasks = tasks
        self.timeout = timeout
        self._first = self._fork(0) if tasks else None
        # what `busy` read of the first child's answers, handed to the collection (it reads on from there)
        self._read = b""
        self._ended = False

    def busy(self) -> bool:
        """Whether the first child is still at work on a task within its hard budget, without waiting:
        reads what the pipe already holds (kept for the collection, and so the child never blocks on a
        full pipe). False once every task has its answer, the child has ended, or a task is past its
        deadline, answered late or still at work (then collecting ends that child at once, as the pool
        would)."""
        if self._first is None or self._ended:
            return False
        _pid, fd, began = self._first
        while select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                self._ended = True
                return False
            self._read += chunk
        stamps = [stamp for stamp, _frame in _frames(self._read)]
        for task, stamp in zip(self.tasks, stamps, strict=False):
            if task.hard is not None and stamp > began + task.hard:
                return False  # answered past its deadline: a timeout, and the child is stopped
            began = stamp
        if len(stamps) >= len(self.tasks):
            return False
        hard = self.tasks[len(stamps)].hard
        return hard is None or time.monotonic() <= began + hard

    def _fork(self, start: int) -> tuple[int, int, float]:
        """A child for tasks[start:]: its pid, the read end of its pipe, and when it started."""
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read_end)
            _serve(self.tasks, start, write_end, self.memory_mb)
        os.close(write_end)
        return pid, read_end, time.monotonic()

    def close(self) -> None:
        """Stop a first child whose outcomes will not be collected (the run ended early)."""
        if self._first is not None:
            pid, fd, _ = self._first
            self._first = None
            os.close(fd)
            _stop(pid)

    def __iter__(self) -> Iterator[tuple[int, Outcome]]:
        return self.answers()

    def answers(self, again: bool = True) -> Iterator[tuple[int, Outcome]]:
        """(position, Outcome) of the tasks in order. After a timeout or a crash a fresh child takes the
        tasks left; with `again` false the answers end there instead (the caller hands them on)."""
        start = 0
        child = self._first
        self._first = None
        while child is not None:
            for i, outcome in self._collect(child, start):
                yield i, outcome
                start = i + 1
            child = self._fork(start) if again and start < len(self.tasks) else None

    def _collect(self, child: tuple[int, int, float], start: int) -> Iterator[tuple[int, Outcome]]:
        """The child's outcomes until it finishes, is killed, or dies.

        A task's hard deadline counts from the moment the child finished the task before (stamped in
        its answer) or was forked: the child starts the next task at once, whether or not the parent
        is reading its answers yet. A parent busy elsewhere (reading the next derivation) may notice
        an overrun late, by that much; an answer stamped past its deadline is a timeout all the same,
        as the pool would have killed that worker."""
        pid, fd, began = child
        reaped = False
        try:
            # what `busy` already read of this child (the first one); a later child starts empty
            buffer, self._read = self._read, b""
            for i in range(start, len(self.tasks)):
                hard = self.tasks[i].hard
                deadline = None if hard is None else began + hard
                frame, buffer, ended = _next_frame(fd, buffer, deadline)
                if frame is not None:
                    began, data = frame
                    outcome = pickle.loads(data)
                    if deadline is None or began <= deadline:
                        yield i, outcome
                        continue
                if frame is None and ended:  # the child died under this task
                    reaped = True
                    yield i, crashed(_exit_code(pid), self.memory_mb)
                else:
                    yield i, timed_out(self.timeout)
                return  # a fresh child for the tasks after i
        finally:
            os.close(fd)
            if not reaped:
                _stop(pid)


def _serve(tasks: Sequence[Task], start: int, fd: int, memory_mb: int) -> None:
    """The child's whole life: cap its memory, run the tasks, write each Outcome (stamped with the
    moment it was decided), then leave."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports it, the child just ends
        _init_worker(memory_mb)
        with os.fdopen(fd, "wb", buffering=0) as out:
            for task in tasks[start:]:
                try:
                    outcome = checked(task.fn(*task.args))
                except Exception as exc:  # MemoryError included: the child stays usable afterwards
                    outcome = failed(exc, memory_mb)
                data = pickle.dumps(outcome)
                out.write(_HEADER.pack(len(data), time.monotonic()) + data)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _next_frame(
    fd: int, buffer: bytes, deadline: float | None
) -> tuple[tuple[float, bytes] | None, bytes, bool]:
    """The next answer from the child as (when it was decided, its pickle), or None when the deadline
    passed or the pipe ended; what is left of the buffer; whether the pipe ended. Whatever the pipe
    already holds is read before a passed deadline is declared: a late reader still gets the answers
    written in time."""
    while True:
        first = next(_frames(buffer), None)
        if first is not None:
            return first, buffer[_HEADER.size + len(first[1]) :], False
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            if wait is not None and deadline is not None and time.monotonic() >= deadline:
                return None, buffer, False
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return None, buffer, True
        buffer += chunk


def _frames(buffer: bytes) -> Iterator[tuple[float, bytes]]:
    """The whole answers at the start of `buffer`, in order: when each was decided, and its pickle."""
    at = 0
    while len(buffer) - at >= _HEADER.size:
        size, stamp = _HEADER.unpack_from(buffer, at)
        end = at + _HEADER.size + size
        if len(buffer) < end:
            return
        yield stamp, buffer[at + _HEADER.size : end]
        at = end


def _exit_code(pid: int) -> int | None:
    """The child's exit status as pebble reports it: minus the signal number when a signal ended it."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _stop(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
