"""The registry of formats, and what every reporter promises: it writes only to the stream it is given."""

from __future__ import annotations

import io

import pytest
import sample

from verifier import model
from verifier.report import ReportOptions, get, names
from verifier.report.common import diagnosis


def test_every_format_is_registered() -> None:
    assert names() == ["text", "json", "latex", "markdown", "html", "junit", "github"]
    for name in names():
        assert get(name).name == name


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="choose one of text, json, latex"):
        get("yaml")


@pytest.mark.parametrize("name", ["text", "json", "latex", "markdown", "junit", "github"])
@pytest.mark.parametrize("standalone", [False, True])
def test_reporters_write_only_to_their_stream(
    name: str, standalone: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    buf = io.StringIO()
    get(name).write(sample.report(), buf, ReportOptions(standalone=standalone, color=False, width=100))
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert buf.getvalue().strip()


@pytest.mark.parametrize("name", ["text", "json", "latex", "markdown", "junit", "github"])
def test_reporters_accept_an_empty_report_and_a_chainless_derivation(name: str) -> None:
    empty = model.Report(())
    chainless = model.Report((model.DerivationResult("x", "x.toml", "X"),))
    for report in (empty, chainless):
        buf = io.StringIO()
        get(name).write(report, buf, ReportOptions(standalone=True, color=False, width=80))
        assert buf.getvalue().strip()


def test_options_are_frozen() -> None:
    options = ReportOptions()
    with pytest.raises(AttributeError):
        options.standalone = True  # type: ignore[misc]


def _step(
    verdict: model.Verdict, expect: str | None = None, strict: bool = False, message: str | None = None
) -> model.StepResult:
    step = model.Step(1, model.Tex("x", model.Loc("f.toml", 3)), expect=expect)
    return model.StepResult(
        step, model.Outcome(verdict, message=message), model.step_ok(verdict, expect, strict)
    )


@pytest.mark.parametrize(
    ("result", "strict", "expected"),
    [
        (_step(model.Verdict.PROVED), False, None),
        (_step(model.Verdict.REFUTED, message="off by 2"), False, "off by 2"),
        (_step(model.Verdict.REFUTED), False, "not equal to the previous step"),
        (_step(model.Verdict.TIMEOUT), False, "no decision within the time budget"),
        (
            _step(model.Verdict.NUMERIC, strict=True),
            True,
            "only numerically equal (no proof found), which fails under --strict",
        ),
        (
            _step(model.Verdict.REFUTED, "refuted", message="off"),
            False,
            "a documented mistake, refuted as expected: off",
        ),
        (
            _step(model.Verdict.PROVED, "refuted"),
            False,
            "expected to be refuted (a documented mistake), but it is proved",
        ),
    ],
)
def test_diagnosis(result: model.StepResult, strict: bool, expected: str | None) -> None:
    assert diagnosis(result, strict) == expected
