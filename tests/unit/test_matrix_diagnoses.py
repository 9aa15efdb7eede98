"""Diagnoses of wrong matrix steps (issue 12): a shape fault names the classic slip it points to when
exactly one reading would fit (a transpose missing, the factors reversed, ⊙ for a matrix product, a step
shaped like the previous one transposed); a numerically refuted entry is named at the counterexample with
both steps' values there; a square step that is the previous one transposed says so, proved, not guessed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

from verifier.check.matrix import decide_values
from verifier.latex import compile_notation, read_step
from verifier.latex.shapes import Fault
from verifier.loader import loads
from verifier.model import Loc, Tex, Verdict

DECLARATIONS = r"""title = "t"
[symbols]
n = "positive integer"
m = "positive integer"
k = { range = ["1", "n"] }
a_k = "real"
a = { components = 'a_k' }
b_k = "real"
b = { components = 'b_k' }
i = { range = ["1", "m"] }
j = { range = ["1", "n"] }
'x^{(i)}_j' = "real"
X = { components = 'x^{(i)}_j' }
'W_{kj}' = "real"
W = { components = 'W_{kj}' }
'\theta_j' = "real"
'\theta' = { components = '\theta_j' }
'y^{(i)}' = "real"
y = { components = 'y^{(i)}' }
"""
N = compile_notation(loads(DECLARATIONS + '[[chain]]\ntitle = "t"\nsteps = ["n", "n"]\n', "t.toml"))


def step(text: str) -> object:
    return read_step(Tex(text, Loc("t.toml", 1, 1)), N)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        (r"X y", "the left factor transposed would fit (a transpose missing?)"),  # X for Xᵀ
        (r"X \theta^T", "the right factor transposed would fit"),
        (r"y X^T", "the two factors in the other order would fit (the product reversed?)"),
        (r"W \odot a", "the matrix product would fit (⊙ where a matrix product was meant?)"),
    ],
)
def test_a_shape_fault_names_the_slip_it_points_to(text: str, hint: str) -> None:
    value = step(text)
    assert isinstance(value, Fault)
    assert value.message.endswith(hint) or hint in value.message


@pytest.mark.parametrize("text", [r"W y", r"X \odot y"])
def test_no_slip_is_named_when_no_single_reading_fits(text: str) -> None:
    value = step(text)
    assert isinstance(value, Fault)
    assert "would fit" not in value.message


def test_a_step_shaped_like_the_previous_one_transposed_says_so() -> None:
    out = decide_values(step(r"X^T y"), step(r"y^T X"), N)  # type: ignore[arg-type]
    assert out.verdict is Verdict.REFUTED and out.message is not None
    assert "this step is 1×n, the previous step n×1" in out.message
    assert "shaped like the previous step transposed" in out.message
    other = decide_values(step(r"X^T y"), step(r"y^T y"), N)  # type: ignore[arg-type]
    assert other.message is not None and "transposed" not in other.message


def test_a_refuted_entry_is_named_at_the_counterexample_with_both_values() -> None:
    out = decide_values(step(r"a + b"), step(r"a - b"), N, timeout=20)  # type: ignore[arg-type]
    assert out.verdict is Verdict.REFUTED and out.message is not None and out.counterexample is not None
    r = out.counterexample["r"]
    a_r, b_r = (sympy.Rational(out.counterexample[f"{v}_{{{r}}}" if len(r) > 1 else f"{v}_{r}"]) for v in "ab")
    note = f"at the counterexample, entry ({r}, 1) is {float(a_r + b_r):.6g} in the previous step and "
    assert note + f"{float(a_r - b_r):.6g} in this step" in out.message
    assert out.message_text is None or note in out.message_text  # None: the same text


def test_an_entry_refuted_on_the_diagonal_names_its_column_and_both_values() -> None:
    # the diagonal case replaces c by r, so the counterexample had no c and the values note was left out
    out = decide_values(
        step(r"\operatorname{diag}(a) - a a^T"), step(r"\operatorname{diag}(a) + a a^T"), N, timeout=20  # type: ignore[arg-type]
    )
    assert out.verdict is Verdict.REFUTED and out.message is not None and out.counterexample is not None
    assert "on the diagonal, r = c" in out.message
    r = out.counterexample["r"]
    assert out.counterexample["c"] == r
    assert f"at the counterexample, entry ({r}, {r}) is " in out.message


def test_a_square_step_that_is_the_previous_one_transposed_is_named() -> None:
    out = decide_values(step(r"a b^T"), step(r"b a^T"), N, timeout=20)  # type: ignore[arg-type]
    assert out.verdict is Verdict.REFUTED and out.message is not None
    assert "this step is the previous step transposed" in out.message
    other = decide_values(step(r"a b^T"), step(r"2 a b^T"), N, timeout=20)  # type: ignore[arg-type]
    assert other.verdict is Verdict.REFUTED and other.message is not None
    assert "transposed" not in other.message


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html", "junit", "github", "latex"])
def test_every_report_format_carries_the_entry_and_the_slip(tmp_path: Path, fmt: str) -> None:
    """An undocumented wrong step (exit 1), so that every format reports it, annotations included."""
    path = tmp_path / "d.toml"
    path.write_text(DECLARATIONS + '[[chain]]\ntitle = "outer"\nsteps = [\'a b^T\', \'b a^T\']\n', encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "verifier", str(path), "--no-cache", "--format", fmt],
        capture_output=True, text=True, timeout=120, check=False, env={**os.environ, "COLUMNS": "1000"},
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    out = run.stdout if fmt != "json" else json.dumps(json.loads(run.stdout), ensure_ascii=False)
    assert "at the counterexample, entry (" in out
    assert "previous step transposed" in out
