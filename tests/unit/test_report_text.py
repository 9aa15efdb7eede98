"""The terminal report: verdicts with marks, diagnoses under refuted steps, carets, and no markup eaten."""

from __future__ import annotations

import io
import re

import pytest
import sample

from verifier import model
from verifier.report import ReportOptions, get
from verifier.unicode_names import unicode_name

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _text(report: model.Report, **options: object) -> str:
    buf = io.StringIO()
    get("text").write(report, buf, ReportOptions(**options))  # type: ignore[arg-type]
    return buf.getvalue()


def test_verdicts_marks_and_summary_without_colour() -> None:
    out = _text(sample.report(), color=False, width=120)
    assert not ANSI.search(out)
    for label in ("✓ proved", "≈ numeric", "✗ refuted", "⏱ timeout", "given"):
        assert label in out
    assert "refuted (as expected)" in out
    last = out.rstrip().splitlines()[-1]
    assert last.startswith("✗ 3 derivations, 13 steps: 9 proved, 1 numeric, 2 refuted, 1 timeout, 1 error")


def test_diagnosis_and_counterexample_right_under_the_refuted_step() -> None:
    lines = _text(sample.report(), color=False, width=160).splitlines()
    at = next(i for i, line in enumerate(lines) if "(y_i - \\hat{y}_i)" in line and "refuted" in line)
    below = "\n".join(lines[at + 1 : at + 8])
    assert "differs from the previous step by a factor of -1" in below
    assert "counterexample: w = 0.5, xᵢ = 1.25" in below


def test_read_error_has_its_caret_under_the_column() -> None:
    lines = _text(sample.report(), color=False, width=120).splitlines()
    at = next(i for i, line in enumerate(lines) if "steps = ['w + q x_i']" in line)
    source, caret = lines[at], lines[at + 1]
    assert caret.index("^") == source.index("q")
    assert any("derivations/broken.toml:7:15: undeclared name 'q'" in line for line in lines)


@pytest.mark.parametrize("title", ["[a,b] and [/] and [bold]x[/bold]", "[red]not red[/red]", ":smile: 100%"])
def test_titles_are_never_read_as_markup(title: str) -> None:
    out = _text(sample.report(title=title, chain_title=title, with_error=False), color=False, width=200)
    assert out.count(title) == 2  # the panel title and the chain title, verbatim


def test_colour_follows_the_option_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert ANSI.search(_text(sample.report(), color=True))
    assert not ANSI.search(_text(sample.report()))  # a StringIO is not a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "")
    assert not ANSI.search(_text(sample.report(), color=None))


def test_width_is_respected() -> None:
    out = _text(sample.report(), color=False, width=72)
    assert max(len(line) for line in out.splitlines()) <= 72


def test_explain_lines_only_when_asked() -> None:
    assert "read: (folded expression)" not in _text(sample.report(), color=False, width=120)
    assert "read: (folded expression)" in _text(sample.report(), color=False, width=120, explain=True)


def test_strict_numeric_step_is_marked_failing() -> None:
    out = _text(sample.report(strict=True), color=False, width=220)
    assert "≈ numeric (strict)" in out
    assert "fails under --strict" in out


def test_pretty_form_under_a_failing_step_only() -> None:
    report = sample.report(with_error=False, with_timeout=False)
    plain = _text(report, color=False, width=120)
    assert plain.count("read as:") == 1
    lines = plain.splitlines()
    at = next(i for i, line in enumerate(lines) if "read as:" in line)
    assert "yᵢ - ŷᵢ" in lines[at + 1]
    # with --explain the checker's own lines (as read, unfolded, decided) come in a block after the table
    assert _text(report, color=False, width=120, explain=True).count("read as:") == 1


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("w", "w"),
        (r"\hat{y}_i", "ŷᵢ"),
        (r"\hat y", "ŷ"),
        (r"\sigma", "σ"),
        (r"\Sigma", "Σ"),
        (r"\mathbf{w}", "w"),
        ("x^{(i)}_j", "x⁽ⁱ⁾ⱼ"),
        ("x^{(3)}_2", "x⁽³⁾₂"),
        ("w_{1,2}", "w₁,₂"),
        ("y^T", "yᵀ"),
        (r"\sigma'", "σ′"),
        (r"h_\theta", "h_θ"),
        (r"\varepsilon", "ε"),
    ],
)
def test_unicode_names(spelling: str, name: str) -> None:
    assert unicode_name(spelling) == name


def test_as_written_column_shows_the_authors_text() -> None:
    step = model.Step(1, model.Tex("x _i", model.Loc("n.md", 3, 1), False), written="x\\_i")
    chain = model.Chain("c", model.Loc("n.md", 3, 1), (step,))
    result = model.ChainResult(chain, (model.StepResult(step, model.Outcome(model.Verdict.PROVED), True),))
    report = model.Report((model.DerivationResult("n", "n.md", "Notes", (result,)),))
    out = _text(report, color=False, width=120)
    assert "x\\_i" in out and "x _i" not in out
