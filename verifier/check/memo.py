"""Process-wide memos: what the checking of one step pair builds and the next pair needs again (step k
is the current step of one pair and the previous step of the next). LRUs of whole steps, and tables
(emptied when full) of subtrees, keyed by a notation where the answer depends on it.

A value is kept as it was first computed. One computed while a time slice ran out and SymPy swallowed
the alarm (its broad `except` clauses) may be less evaluated than another run's, but it is still equal
to the expression it stands for, so a later step that reuses it can lose a proof, never gain a wrong one
(the same holds for UNFOLDED since it was added)."""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from verifier.notation import Notation

# VERIFY_DERIVATION_NO_FAST_PATHS=1 turns off the exact fast path and the sharing of unfolded and split
# forms between steps (the benchmark measures every stage with and without them, side by side); verdicts
# do not change.
FAST_PATHS = os.environ.get("VERIFY_DERIVATION_NO_FAST_PATHS", "").strip().lower() not in {"1", "true", "yes", "on"}

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


class Table(Generic[K, V]):
    """A process-wide table of values made once per key, emptied when it holds `size` entries: what
    a run asks again and again (an atom per sum, a derivative per body, a condition per range) is made
    once, and the table cannot grow without bound in a long process (the pytest plugin, a pool worker)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: dict[K, V] = {}

    def get(self, key: K, make: Callable[[], V]) -> V:
        hit = self.items.get(key, MISSING)
        if hit is not MISSING:
            return hit  # type: ignore[return-value]
        if len(self.items) >= self.size:
            self.items.clear()
        value = self.items[key] = make()
        return value


MISSING = object()


class NotationMemo:
    """An LRU keyed by a notation and a key of SymPy objects. The notation is held in the entry and
    compared by identity, so a recycled id() never matches."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple[int, object], tuple[Notation, object]] = OrderedDict()

    def get(self, notation: Notation, key: object, make: Callable[[], T]) -> T:
        full = (id(notation), key)
        hit = self.items.get(full)
        if hit is not None and hit[0] is notation:
            self.items.move_to_end(full)
            return hit[1]  # type: ignore[return-value]
        value = make()
        self.items[full] = (notation, value)
        if len(self.items) > self.size:
            self.items.popitem(last=False)
        return value


class NodeTable:
    """A process-wide table keyed by a notation (by identity, held in the entry as NotationMemo does)
    and a key; emptied when it holds `size` entries. No LRU bookkeeping: it is consulted at every node
    of a walk."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: dict[tuple[int, object], tuple[Notation, object]] = {}

    def lookup(self, notation: Notation, key: object) -> object:
        """The value kept for this notation and key, or MISSING."""
        hit = self.items.get((id(notation), key))
        return hit[1] if hit is not None and hit[0] is notation else MISSING

    def store(self, notation: Notation, key: object, value: object) -> None:
        if len(self.items) >= self.size:
            self.items.clear()
        self.items[(id(notation), key)] = (notation, value)


# A step fully unfolded (no chain assumptions applied): shared by the cascade (which applies a chain's
# assumptions to it, each chain its own) and the prenex method of matrix entries.
UNFOLDED = NotationMemo(512)
# A step unfolded with a chain's assumptions applied, keyed by the chain's relations and the step.
APPLIED = NotationMemo(512)
# A step (or an equation's side) with its sums split and atomised, as the symbolic methods take it,
# with the atoms it used (sums.atom_of: the same atom for a sum in every step).
PREPARED = NotationMemo(512)
# A subtree unfolded (unfold.Unfolder._walk), keyed by the subtree, its nesting depth and the renaming of
# the bound variables around it: a step shares most of its subtrees with the step before it (and a
# mutant of the benchmark with the step it mutates), and unfolding them again was most of a step's
# unfolding.
WALKED = NodeTable(1 << 15)
# A subtree outside any sum with its sums split by linearity (sums.split_sums under the notation's own
# declared ranges): the sums a step shares with the step before it are split once.
SPLIT = NodeTable(1 << 14)
