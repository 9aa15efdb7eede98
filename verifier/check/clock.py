"""Soft deadlines inside a worker: a stage that overruns its slice is abandoned, not the whole step.

The parent process still enforces the hard budget (it kills a stuck worker); these slices only let
the worker give the best honest verdict it has (e.g. `numeric` after probing) before that happens.
SIGALRM works only in the main thread, so off the main thread slices simply do not interrupt.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class SliceExpired(Exception):
    """A time slice (or the whole soft budget) ran out."""


# The alarm repeats this often after a slice runs out, until the limited block has ended. One raise
# is not enough: an exception raised while Python runs a weakref callback or a __del__ is printed and
# dropped ("Exception ignored in ..."), and SymPy has broad `except Exception` clauses; a one-shot
# alarm lost that way let a 1 s step run for two minutes.
RETRY = 0.05


# Where every import runs (`_find_and_load`, from any `import` statement or importlib call)
_IMPORTING = "<frozen importlib._bootstrap>"


def _raise(signum: int, frame: FrameType | None) -> None:
    # Never inside an import: raised there, the import system is left half done (a module half run, a
    # path hook half made), and a reporter that imports while it reports an exception dropped by a
    # finalizer (pytest's hook for those) fails itself. The alarm repeats every RETRY seconds, so the
    # slice ends just after the import instead
    while frame is not None:
        if frame.f_code.co_filename == _IMPORTING:
            return
        frame = frame.f_back
    raise SliceExpired()


class Attempt:
    """What a limited block learned: whether its own slice ran out (and was swallowed)."""

    expired: bool = False


class Clock:
    """The soft budget of one step, measured from construction, and nested time slices within it."""

    def __init__(self, seconds: float | None) -> None:
        self.start = time.monotonic()
        self.deadline = None if seconds is None else self.start + seconds
        self._stack: list[float] = [] if self.deadline is None else [self.deadline]
        self._base = len(self._stack)  # limits below this depth are not ours to re-arm
        self._signals = threading.current_thread() is threading.main_thread()

    def remaining(self) -> float | None:
        if self.deadline is None:
            return None
        return self.deadline - time.monotonic()

    def expired(self) -> bool:
        r = self.remaining()
        return r is not None and r <= 0

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def _arm(self) -> None:
        if not self._signals:
            return
        if not self._stack:
            signal.setitimer(signal.ITIMER_REAL, 0)
            return
        left = min(self._stack) - time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, max(left, 0.0005), RETRY)

    @contextmanager
    def limit(self, seconds: float | None = None, swallow: bool = False) -> Iterator[Attempt]:
        """Run a block for at most `seconds` (never past an enclosing limit or the deadline).

        With swallow=True, running out of this block's own slice ends the block quietly
        (`Attempt.expired` is set); running out of an enclosing one always propagates.
        """
        own = float("inf") if seconds is None else time.monotonic() + seconds
        if self.expired():
            raise SliceExpired()
        previous = signal.signal(signal.SIGALRM, _raise) if self._signals else None
        self._stack.append(own)
        self._arm()
        attempt = Attempt()
        try:
            yield attempt
        except SliceExpired:
            if self._signals:
                signal.setitimer(signal.ITIMER_REAL, 0)  # no repeat while deciding where it goes
            now = time.monotonic()
            outer = min(self._stack[:-1], default=float("inf"))
            if swallow and now >= own - 0.005 and now < outer:
                attempt.expired = True
            else:
                raise
        finally:
            self._stack.pop()
            if self._signals:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                if len(self._stack) > self._base:
                    self._arm()  # an enclosing limit is still running: give it its timer back
