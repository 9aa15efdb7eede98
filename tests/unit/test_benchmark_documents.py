"""The reading benchmark's section of docs/benchmarks.md: generated notes grow with the size asked for,
and every measured size is a row of the table (no timing is asserted: speed is measured, not tested)."""

from __future__ import annotations

from benchmarks import documents


def test_generated_notes_have_the_lines_asked_for() -> None:
    small, large = documents.notes(100), documents.notes(1_000)
    assert 100 <= small.count("\n") < 130
    assert 1_000 <= large.count("\n") < 1_030
    assert large.count("## Section") > 9 * small.count("## Section")


def test_section_has_one_row_per_size() -> None:
    rows = [(1_010, 19_000, 385, 0.02), (5_001, 96_000, 1_920, 0.1)]
    section = documents.section(rows, 3)
    assert "| lines | characters | steps | reading (best of 3) | per 1 000 lines |" in section
    assert "| 5001 | 96000 | 1920 | 100 ms | 20 ms |" in section
    assert section[-1].startswith("| 5001 ")


def test_measure_reads_every_step() -> None:
    ((lines, chars, steps, seconds),) = documents.measure((60,), 1)
    assert lines >= 60 and chars > 0 and seconds > 0
    assert steps == 5 * documents.notes(60).count("## Section")  # 3 steps and an update of 2 per section
