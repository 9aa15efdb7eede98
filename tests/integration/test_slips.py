# ruff: noqa: E501  (the embedded derivation files keep their LaTeX on one line each)
"""Contract §5.2 end to end: a slip followed by its correction passes; a chain that carries on from its
slip shows one red mark; the reports say which step a correction was compared with."""

from __future__ import annotations

import io
import json
from pathlib import Path

from verifier.check import CheckOptions, check_all
from verifier.check.budget import WorkerPool
from verifier.loader import loads
from verifier.model import Verdict
from verifier.report import ReportOptions, get

SLIPS = r"""
title = "Slips"

[symbols]
x = "real"
y = "real"

[[chain]]
title = "a slip, then its correction"
steps = [
  '(x + y)^2',
  'x^2 + 2 x y + y^2',
  { tex = 'x^2 + y^2', expect = "refuted" },
  { tex = 'x^2 + 2 x y + y^2', by = "correcting the slip" },
  '(y + x)^2',
]

[[chain]]
title = "carrying on from a slip"
steps = [
  '(x + y)^2',
  'x^2 + 2 x y + y^2',
  'x^2 + y^2',
  'y^2 + x^2',
  'y^2 + x \cdot x',
]

[[chain]]
title = "wrong twice"
steps = [
  '(x + y)^2',
  'x^2 + y^2',
  'x^2 - y^2',
]
"""


def _report(pool: WorkerPool, tmp_path: Path):  # type: ignore[no-untyped-def]
    return check_all([loads(SLIPS, "slips.toml", default_id="slips")], CheckOptions(cache_dir=tmp_path), pool=pool)


def test_a_slip_then_its_correction_passes(pool: WorkerPool, tmp_path: Path) -> None:
    report = _report(pool, tmp_path)
    corrected = report.derivations[0].chains[0]
    assert [s.outcome.verdict for s in corrected.steps[1:]] == [Verdict.PROVED, Verdict.REFUTED, Verdict.PROVED, Verdict.PROVED]
    assert [s.compared_with for s in corrected.steps] == [None, 0, 1, 1, 3]
    assert corrected.steps[3].skips_back and not corrected.steps[4].skips_back
    assert corrected.ok


def test_carrying_on_from_a_slip_shows_one_red_mark(pool: WorkerPool, tmp_path: Path) -> None:
    report = _report(pool, tmp_path)
    carried = report.derivations[0].chains[1]
    assert [s.ok for s in carried.steps] == [True, True, False, True, True]
    assert [s.compared_with for s in carried.steps] == [None, 0, 1, 2, 3]
    wrong = report.derivations[0].chains[2]
    # refuted against its predecessor and against the last step that held: the first comparison stands
    assert [s.outcome.verdict for s in wrong.steps[1:]] == [Verdict.REFUTED, Verdict.REFUTED]
    assert wrong.steps[2].compared_with == 1
    assert report.stats.second_comparisons == 2  # the correction, and the last step of "wrong twice"
    assert not report.ok


def test_reports_say_which_step_a_correction_was_compared_with(pool: WorkerPool, tmp_path: Path) -> None:
    report = _report(pool, tmp_path)
    buf = io.StringIO()
    get("json").write(report, buf, ReportOptions())
    steps = json.loads(buf.getvalue())["derivations"][0]["chains"][0]["steps"]
    assert [s["compared_with"] for s in steps] == [None, 0, 1, 1, 3]
    buf = io.StringIO()
    get("text").write(report, buf, ReportOptions(color=False, width=160))
    text = buf.getvalue()
    assert text.count("holds against step 1") == 1
