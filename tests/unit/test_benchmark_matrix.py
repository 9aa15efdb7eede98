"""benchmarks/matrix.py: both forms of every pair are the same identity (each proved), and the section
renders one row per pair. Timings are not asserted (they are measured in docs/benchmarks.md)."""

from __future__ import annotations

from benchmarks import matrix


def test_every_pair_is_proved_in_both_forms_and_rendered() -> None:
    rows = matrix.measure(runs=1, timeout=30.0)
    assert [r.name for r in rows] == [name for name, _, _ in matrix.PAIRS]
    for r in rows:
        assert (r.matrix[0], r.components[0]) == ("proved", "proved"), r
    lines = matrix.section(rows)
    assert sum(line.startswith(f"| {r.name} |") for r in rows for line in lines) == len(rows)
