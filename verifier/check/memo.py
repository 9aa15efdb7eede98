"""Small LRU memos keyed by a notation: what the checking of one step pair builds and the next pair
needs again (step k is the current step of one pair and the previous step of the next)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from verifier.notation import Notation

T = TypeVar("T")


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


# A step fully unfolded (no chain assumptions applied): shared by the cascade (which applies a chain's
# assumptions to it, each chain its own) and the prenex method of matrix entries.
UNFOLDED = NotationMemo(512)
# A step unfolded with a chain's assumptions applied, keyed by the chain's relations and the step.
APPLIED = NotationMemo(512)
# A step (or an equation's side) with its sums split and atomised, as the symbolic methods take it,
# with the atoms it used (sums.atom_of: the same atom for a sum in every step).
PREPARED = NotationMemo(512)
