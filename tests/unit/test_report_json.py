"""The JSON report: exactly the keys of the contract (§4), and values that follow the exit-status rule."""

from __future__ import annotations

import io
import json
from typing import Any

import sample

from verifier import model
from verifier.report import ReportOptions, get

TOP = {"version", "ok", "summary", "derivations"}
SUMMARY = {"proved", "numeric", "refuted", "timeout", "error"}
DERIVATION = {"id", "file", "title", "ok", "errors", "chains", "unchecked"}
ERROR = {"line", "column", "message"}
CHAIN = {"title", "ok", "steps"}
# `column`, `label` (a document's \tag) and `unchecked` (a document's skipped displays) extend the contract.
STEP = {
    *("index", "line", "column", "tex", "by", "label", "verdict", "expected", "compared_with"),
    *("method", "seconds", "message", "counterexample"),
}


def _json(report: model.Report) -> dict[str, Any]:
    buf = io.StringIO()
    get("json").write(report, buf, ReportOptions())
    data: dict[str, Any] = json.loads(buf.getvalue())
    return data


def test_key_sets_are_exactly_the_contracts() -> None:
    data = _json(sample.report())
    assert set(data) == TOP
    assert set(data["summary"]) == SUMMARY
    for d in data["derivations"]:
        assert set(d) == DERIVATION
        for e in d["errors"]:
            assert set(e) == ERROR
        for c in d["chains"]:
            assert set(c) == CHAIN
            for s in c["steps"]:
                assert set(s) == STEP


def test_values_of_a_failing_run() -> None:
    data = _json(sample.report())
    assert data["version"] == 1
    assert data["ok"] is False
    assert data["summary"] == {"proved": 9, "numeric": 1, "refuted": 2, "timeout": 1, "error": 1}
    bce, softmax, broken = data["derivations"]
    assert (bce["id"], bce["file"], bce["ok"]) == ("bce", "derivations/bce.toml", False)
    w, b, update = bce["chains"]
    assert w["ok"] is True and b["ok"] is False and update["ok"] is True
    first = w["steps"][0]
    assert (
        first["verdict"] == "given"
        and first["index"] == 0
        and first["by"] is None
        and first["seconds"] is None
    )
    assert first["tex"] == r"\frac{\partial L_i}{\partial w}" and first["line"] == 22
    wrong = b["steps"][3]
    assert wrong["verdict"] == "refuted" and wrong["line"] == 36
    assert wrong["message"] == "differs from the previous step by a factor of -1"
    assert wrong["counterexample"] == {"w": "0.5", "x_i": "1.25", r"\hat{y}_i": "0.3", "y_i": "1"}
    assert wrong["expected"] is None and wrong["method"] == "probe"
    documented = softmax["chains"][0]["steps"][2]
    assert documented["expected"] == "refuted" and documented["verdict"] == "refuted"
    assert softmax["chains"][0]["steps"][1]["verdict"] == "timeout"
    assert broken["ok"] is False and broken["chains"] == []
    assert broken["errors"] == [
        {"line": 7, "column": 15, "message": "undeclared name 'q'; did you mean 'w'?"}
    ]


def test_a_correct_run_is_ok() -> None:
    report = sample.report(with_error=False, with_timeout=False)
    d = report.derivations[0]
    good = model.Report(
        (model.DerivationResult(d.id, d.file, d.title, d.chains[:1], derivation=d.derivation),)
    )
    data = _json(good)
    assert data["ok"] is True
    assert data["derivations"][0]["ok"] is True
    assert data["summary"] == {"proved": 7, "numeric": 0, "refuted": 0, "timeout": 0, "error": 0}


def test_strict_makes_a_numeric_step_fail() -> None:
    lenient = _json(sample.report(with_error=False, with_timeout=False))
    strict = _json(sample.report(strict=True, with_error=False, with_timeout=False))
    assert lenient["derivations"][0]["chains"][2]["ok"] is True
    assert strict["derivations"][0]["chains"][2]["ok"] is False


def test_unicode_is_kept_readable() -> None:
    report = sample.report(title="σ′(z) = σ(z)(1 − σ(z))", with_error=False, with_timeout=False)
    buf = io.StringIO()
    get("json").write(report, buf, ReportOptions())
    assert "σ′(z)" in buf.getvalue()
