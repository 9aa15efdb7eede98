"""`--format json`: the report of the contract (§4, version 1).

Every step carries the same keys (`index line column tex by label verdict expected compared_with method seconds
message counterexample`), null where a key does not apply (the given first step has no method or time), so a
consumer never has to test whether a key exists.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from verifier import model
from verifier.model import Verdict
from verifier.report.base import ReportOptions

VERSION = 1


def step_dict(sr: model.StepResult) -> dict[str, Any]:
    out = sr.outcome
    given = out.verdict is Verdict.GIVEN
    return {
        "index": sr.step.index,
        "line": sr.step.tex.loc.line,
        "column": sr.step.tex.loc.column,
        "tex": sr.step.tex.text,
        "by": sr.step.by,
        "label": sr.step.label,
        "verdict": out.verdict.value,
        "expected": sr.step.expect,
        "compared_with": sr.compared_with,  # the step before, or the last that held after a slip (§5.2)
        "method": out.method,
        "seconds": None if given else round(out.seconds, 6),
        "message": out.message,
        "counterexample": dict(out.counterexample) if out.counterexample else None,
    }


def chain_dict(cr: model.ChainResult) -> dict[str, Any]:
    return {"title": cr.chain.title, "ok": cr.ok, "steps": [step_dict(s) for s in cr.steps]}


def error_dict(p: model.Problem) -> dict[str, Any]:
    return {"line": p.line, "column": p.column, "message": p.message}


def derivation_dict(d: model.DerivationResult) -> dict[str, Any]:
    return {
        "id": d.id,
        "file": d.file,
        "title": d.title,
        "ok": d.ok,
        "errors": [error_dict(p) for p in d.errors],
        "chains": [chain_dict(c) for c in d.chains],
        "unchecked": [unchecked_dict(u) for u in (d.derivation.unchecked if d.derivation else ())],
    }


def unchecked_dict(u: model.Unchecked) -> dict[str, Any]:
    """A document's display or inline formula that was listed, not checked (empty for TOML files)."""
    return {"line": u.loc.line, "column": u.loc.column, "kind": u.kind.value, "reason": u.reason, "tex": u.text}


def report_dict(report: model.Report) -> dict[str, Any]:
    return {
        "version": VERSION,
        "ok": report.ok,
        "summary": report.counts(),
        "derivations": [derivation_dict(d) for d in report.derivations],
    }


class JsonReporter:
    name = "json"

    def write(self, report: model.Report, stream: TextIO, options: ReportOptions) -> None:
        # ensure_ascii=False keeps LaTeX and non-Latin titles readable; the stream decides the encoding.
        json.dump(report_dict(report), stream, indent=2, ensure_ascii=False)
        stream.write("\n")


REPORTER = JsonReporter()
