"""`--format junit`: JUnit XML for CI systems, built with xml.etree.ElementTree.

One <testsuite> per derivation (name = id), one <testcase> per checked step (the given first step
of a chain checks nothing and is left out); a failing step is a <failure> with its diagnosis; an
unreadable file is a testsuite with one testcase holding an <error>. A numeric-only step that
passes records its verdict in <system-out>.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from verifier import model
from verifier.model import Verdict
from verifier.report import common
from verifier.report.base import ReportOptions

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _sub(parent: ET.Element, tag: str, attrs: dict[str, str]) -> ET.Element:
    return ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})


def _details(sr: model.StepResult, strict: bool) -> str:
    lines = [f"line {sr.step.tex.loc.line}: {sr.step.shown}", f"verdict: {sr.outcome.verdict.value}"]
    if sr.step.by:
        lines.append(f"by: {sr.step.by}")
    if sr.step.expect:
        lines.append(f"expected: {sr.step.expect}")
    if sr.outcome.method:
        lines.append(f"method: {sr.outcome.method}")
    lines.extend(common.notes(sr, strict))
    return "\n".join(lines)


def _suite(parent: ET.Element, d: model.DerivationResult, strict: bool) -> tuple[int, int, int, float]:
    suite = _sub(parent, "testsuite", {"name": d.id, "file": d.file})
    tests = failures = errors = 0
    seconds = 0.0
    for p in d.errors:
        tests += 1
        errors += 1
        case = _sub(
            suite,
            "testcase",
            {
                "classname": d.id,
                "name": "read " + d.file,
                "file": p.file,
                "line": str(p.line or 0),
                "time": "0",
            },
        )
        error = _sub(case, "error", {"message": p.one_line(), "type": "InputError"})
        error.text = _clean(p.with_caret())
    for k, cr in enumerate(d.chains):
        classname = f"{d.id}.{common.chain_label(k, cr.chain)}"
        for sr in cr.steps:
            if sr.outcome.verdict is Verdict.GIVEN:
                continue
            tests += 1
            seconds += sr.outcome.seconds
            case = _sub(
                suite,
                "testcase",
                {
                    "classname": classname,
                    "name": f"step {sr.step.index}: {sr.step.shown}",
                    "file": d.file,
                    "line": str(sr.step.tex.loc.line),
                    "time": f"{sr.outcome.seconds:.3f}",
                },
            )
            if not sr.ok:
                failures += 1
                message = common.diagnosis(sr, strict, plain=True) or sr.outcome.verdict.value
                failure = _sub(case, "failure", {"message": message, "type": sr.outcome.verdict.value})
                failure.text = _clean(_details(sr, strict))
            elif sr.outcome.verdict is not Verdict.PROVED:
                out = ET.SubElement(case, "system-out")
                out.text = _clean(_details(sr, strict))
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", f"{seconds:.3f}")
    return tests, failures, errors, seconds


def report_xml(report: model.Report) -> ET.Element:
    root = ET.Element("testsuites", {"name": "verify-derivation"})
    totals = [0, 0, 0, 0.0]
    for d in report.derivations:
        for i, value in enumerate(_suite(root, d, report.strict)):
            totals[i] += value
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", str(totals[2]))
    root.set("time", f"{totals[3]:.3f}")
    return root


class JunitReporter:
    name = "junit"

    def write(self, report: model.Report, stream: TextIO, options: ReportOptions) -> None:
        tree = ET.ElementTree(report_xml(report))
        ET.indent(tree)
        tree.write(stream, encoding="unicode", xml_declaration=True)
        stream.write("\n")


REPORTER = JunitReporter()
