"""`--format github`: GitHub Actions workflow commands that annotate the derivation files in a pull request.

- a failing step (refuted, timeout, error, a documented mistake that is not refuted, a numeric step
  under --strict) → `::error file=F,line=L,col=C,title=T::message` at the step's line;
- an unreadable file → `::error` at the problem's line and column;
- a step that is only numerically equal (not strict) → `::warning`: it passes, but a reader should
  know that no proof was found;
- a display of a document skipped with `% verify: skip` → `::notice` at its line;
- always a final `::notice title=verify-derivation::<summary line>`, so the run's outcome shows in
  the job summary even when nothing failed.

Everything taken from a file is escaped as GitHub's runner expects (data: `%` `\\r` `\\n`; properties
also `:` and `,`), so a title or step cannot end the command early or forge another annotation.
"""

from __future__ import annotations

from typing import TextIO

from verifier import model
from verifier.model import UncheckedKind, Verdict
from verifier.report import common
from verifier.report.base import ReportOptions


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: str | int | None) -> str:
    """One workflow command line; properties that are None are left out."""
    given = [f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None]
    head = f"::{kind}" + (" " + ",".join(given) if given else "")
    return f"{head}::{escape_data(message)}"


def _step_message(sr: model.StepResult, strict: bool) -> str:
    parts = [f"step {sr.step.index} ({sr.outcome.verdict.value}): {sr.step.shown}"]
    diag = common.diagnosis(sr, strict, plain=True)
    if diag:
        parts.append(diag)
    ce = common.counterexample_text(sr.outcome.counterexample)
    if ce:
        parts.append(f"counterexample: {ce}")
    return "\n".join(parts)


def workflow_commands(report: model.Report) -> list[str]:
    out: list[str] = []
    for d in report.derivations:
        for p in d.errors:
            out.append(
                command(
                    "error",
                    p.message,
                    file=p.file,
                    line=p.line,
                    col=p.column,
                    title=f"{d.id}: cannot be read",
                )
            )
    for loc in common.all_steps(report):
        sr = loc.step
        if sr.outcome.verdict is Verdict.GIVEN:
            continue
        label = common.chain_label(loc.chain_index, loc.chain.chain)
        if not sr.ok:
            kind = "error"
            title = f"{loc.derivation.id}: {label}: step {sr.step.index} {sr.outcome.verdict.value}"
        elif sr.outcome.verdict is Verdict.NUMERIC:
            kind = "warning"
            title = f"{loc.derivation.id}: {label}: step {sr.step.index} only numerically checked"
        else:
            continue
        tex = sr.step.tex
        out.append(
            command(
                kind,
                _step_message(sr, report.strict),
                file=loc.derivation.file,
                line=tex.loc.line,
                col=tex.loc.column,
                title=title,
            )
        )
    # a document's skipped displays: a skip is never silent, so it shows where the display is
    for d in report.derivations:
        for u in d.derivation.unchecked if d.derivation else ():
            if u.kind is UncheckedKind.SKIPPED:
                title = f"{d.id}: display skipped"
                out.append(
                    command("notice", f"{u.reason}: {u.text}", file=u.loc.file, line=u.loc.line, title=title)
                )
    out.append(command("notice", common.summary_text(report), title="verify-derivation"))
    return out


class GithubReporter:
    name = "github"

    def write(self, report: model.Report, stream: TextIO, options: ReportOptions) -> None:
        for line in workflow_commands(report):
            stream.write(line + "\n")


REPORTER = GithubReporter()
