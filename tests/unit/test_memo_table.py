"""memo.Table: a value is made once per key, None and False included; a full table starts over."""

from __future__ import annotations

from verifier.check.memo import Table


def test_a_value_is_made_once_per_key_and_a_full_table_starts_over() -> None:
    made: list[str] = []

    def make(key: str, value: object) -> object:
        made.append(key)
        return value

    table: Table[str, object] = Table(2)
    assert table.get("a", lambda: make("a", None)) is None
    assert table.get("a", lambda: make("a", 1)) is None  # a remembered None is an answer, not a miss
    assert table.get("b", lambda: make("b", False)) is False
    assert made == ["a", "b"]
    assert table.get("c", lambda: make("c", 3)) == 3  # full: emptied, then c
    assert table.get("a", lambda: make("a", 4)) == 4
    assert made == ["a", "b", "c", "a"] and len(table.items) == 2
