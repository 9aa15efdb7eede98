"""A refutation's diagnosis comes in two forms made by the checker: LaTeX between dollars in the author's
names (for reports that typeset maths) and Unicode (for the text report, GitHub annotations and JUnit,
which never show or re-read LaTeX). Matrix steps keep both through their "(at entry …)" notes."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from verifier.check.matrix import decide_values
from verifier.cli import main
from verifier.model import Verdict

sys.path.insert(0, str(Path(__file__).parent))
from test_matrix_functions import N, step  # the same declarations


@pytest.mark.parametrize(
    ("prev", "cur", "tex", "text"),
    [
        (
            r"X\theta - y",
            r"X\theta - 2y",
            "this step − previous = $- {y^{(r)}}$ (at entry (r, 1) of the m×1 column)",
            "this step − previous = -y⁽ʳ⁾ (at entry (r, 1) of the m×1 column)",
        ),
        ("L", "L + s", "this step − previous = $s$", "this step − previous = s"),
        (
            r"X^T(X\theta - y)",
            r"2X^T(X\theta - y)",
            "a constant factor of 2 (this step = 2 × previous) (at entry (r, 1) of the n×1 column)",
            "a constant factor of 2 (this step = 2 × previous) (at entry (r, 1) of the n×1 column)",
        ),
    ],
)
def test_a_refutation_has_its_maths_as_latex_and_as_unicode(prev: str, cur: str, tex: str, text: str) -> None:
    out = decide_values(step(prev), step(cur), N, timeout=20)
    assert out.verdict is Verdict.REFUTED
    assert out.message is not None
    plain = out.message_text or out.message  # None: the message holds no LaTeX
    if "(at entry" in tex:  # a matrix step also names the entry at the counterexample, with both values
        assert "; at the counterexample, entry (" in out.message and "; at the counterexample, entry (" in plain
    assert _without_values(out.message).endswith(tex), out.message
    assert _without_values(plain).endswith(text), plain


def _without_values(message: str) -> str:
    """The message less the matrix checker's note of the entry's values (they depend on the point)."""
    return re.sub(r"; at the counterexample, entry \([^)]*\) is .*? in this step", "", message)


def test_a_message_without_maths_has_no_second_form() -> None:
    out = decide_values(step(r"h(X)"), step(r"h(X^T)"), N, timeout=20)
    assert out.verdict is Verdict.REFUTED and out.message_text is None


SLIP = r"""title = "t"
[symbols]
m = "positive integer"
p = "positive integer"
i = { range = ["1", "m"] }
j = { range = ["0", "p"] }
'x^{(i)}_j' = "real"
X = { components = 'x^{(i)}_j' }
'y^{(i)}' = "real"
y = { components = 'y^{(i)}' }
'\theta_j' = "real"
'\theta' = { components = '\theta_j' }
[[chain]]
title = "a term too many"
steps = ['X\theta - y', 'X\theta - 2y']
"""


@pytest.mark.parametrize("fmt", ["text", "github", "junit"])
def test_plain_text_reports_show_the_unicode_form(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "slip.toml"
    path.write_text(SLIP, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main([str(path), "--format", fmt, "--no-cache", "--jobs", "1", "--timeout", "30"], stdout=out, stderr=err)
    assert code == 1, out.getvalue() + err.getvalue()  # an unexpected refutation: every report shows it
    report = re.sub(r"\s+", " ", out.getvalue().replace("│", " "))
    assert "this step − previous = " in report, report
    diagnosis = report[report.index("this step − previous = ") :][:80]
    assert "$" not in diagnosis and "\\" not in diagnosis, diagnosis
    assert "y⁽" in diagnosis, diagnosis
