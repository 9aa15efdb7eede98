"""The JUnit format: parses back with ElementTree; a suite per derivation, a case per step, failures."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import sample

from verifier import model
from verifier.report import ReportOptions, get


def _xml(report: model.Report) -> ET.Element:
    buf = io.StringIO()
    get("junit").write(report, buf, ReportOptions())
    return ET.fromstring(buf.getvalue().encode("utf-8"))


def test_suites_cases_failures_and_errors() -> None:
    root = _xml(sample.report())
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("14", "2", "1")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["bce", "softmax", "broken"]
    bce, softmax, broken = suites
    assert bce.get("file") == "derivations/bce.toml"
    cases = bce.findall("testcase")
    assert len(cases) == 11  # the given first step of each chain is not a test
    assert cases[0].get("classname") == r"bce.\partial L_i / \partial w"
    assert cases[0].get("name") == "step 1: " + sample.derivation().chains[0].steps[1].tex.text
    assert (cases[0].get("file"), cases[0].get("line"), cases[0].get("time")) == (
        "derivations/bce.toml",
        "23",
        "0.012",
    )
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(failed) == 1 and failed[0].get("line") == "36"
    failure = failed[0].find("failure")
    assert failure is not None
    assert failure.get("message") == "differs from the previous step by a factor of -1"
    assert failure.get("type") == "refuted"
    assert "counterexample: w = 0.5, xᵢ = 1.25" in (failure.text or "")
    timeout = softmax.findall("testcase")[0].find("failure")
    assert timeout is not None and timeout.get("type") == "timeout"
    assert softmax.findall("testcase")[1].find("failure") is None  # a documented mistake, refuted as expected
    error = broken.find("testcase/error")
    assert error is not None and "undeclared name 'q'" in (error.get("message") or "")
    assert broken.get("errors") == "1" and broken.get("tests") == "1"


def test_hostile_text_stays_well_formed() -> None:
    title = 'a <b> & "c" ]]> \x01 \n ::error::x'
    root = _xml(sample.report(title=title, chain_title=title))
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.get("classname") == 'bce.a <b> & "c" ]]> \ufffd \n ::error::x'


def test_strict_numeric_is_a_failure() -> None:
    root = _xml(sample.report(strict=True, with_error=False, with_timeout=False))
    failures = root.findall(".//failure")
    assert {f.get("type") for f in failures} == {"refuted", "numeric"}
