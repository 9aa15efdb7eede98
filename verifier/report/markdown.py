"""`--format markdown`: GitHub/KaTeX Markdown: title, summary, definitions, an `aligned` block per chain,
and a verdict table per chain."""

from __future__ import annotations

import re
from typing import TextIO

from verifier import model
from verifier.model import Verdict
from verifier.report import common
from verifier.report.base import ReportOptions
from verifier.report.teaching import Words
from verifier.report.tex import safe, scan, where
from verifier.report.tex.escape import escape_text
from verifier.report.tex.prose import split_prose
from verifier.report.tex.safe import step_math

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$~!])")


def md_escape(text: str) -> str:
    """Prose as Markdown that shows literally (also safe inside a table cell)."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text)).replace("&", "&amp;")


def md_prose(text: str, whole_math_heuristic: bool = False, cell: bool = False) -> str:
    """Prose with vetted `$…$` math kept as inline math; `|` escaped when it goes in a table cell."""
    out = []
    for p in split_prose(text, whole_math_heuristic):
        if p.math:
            math = p.text.replace("|", r"\|") if cell else p.text
            out.append(f"${math}$")
        else:
            out.append(md_escape(p.text))
    return "".join(out)


def md_summary(text: str) -> str:
    """The summary, a Markdown paragraph by contract, with the math-like spans of its plain prose as
    `$…$` (code spans and the author's own `$…$` are left alone)."""
    out = []
    for k, piece in enumerate(re.split(r"(`[^`]*`|(?<!\\)\$[^$]*(?<!\\)\$)", " ".join(text.split()))):
        if k % 2:
            out.append(piece)
        else:
            out.append("".join(f"${p.text}$" if p.math else p.text for p in scan.prose_math(piece)))
    return "".join(out)


_MARK_TEX: dict[Verdict, str] = {
    Verdict.GIVEN: "",
    Verdict.PROVED: r"\checkmark",
    Verdict.NUMERIC: r"{\approx}",
    Verdict.REFUTED: r"\textcolor{red}{\times}",
    Verdict.TIMEOUT: r"\textcolor{orange}{\text{timeout}}",
    Verdict.ERROR: r"\textcolor{red}{\text{error}}",
}


def aligned_block(cr: model.ChainResult, notes: dict[int, int] | None = None) -> str:
    """The chain as one display block: the first step left of `&=`, a justification and mark per line
    (with the number of its note, when the step has one), and the document's own labels as tags."""
    notes = notes or {}
    lines: list[str] = []
    for k, sr in enumerate(cr.steps):
        tex = step_math(sr.step.tex.text, ascii_only=False)
        tag = r" \tag*{" + escape_text(sr.step.label, ascii_only=False) + "}" if sr.step.label else ""
        if k == 0:
            lines.append(tex + (tag if len(cr.steps) == 1 else ""))
            continue
        parts = []
        if sr.step.by:
            by = "".join(
                f"${p.text}$" if p.math else escape_text(p.text, ascii_only=False)
                for p in split_prose(sr.step.by)
            )
            parts.append(r"\text{" + by + "}")
        mark = _MARK_TEX[sr.outcome.verdict]
        if sr.step.index in notes:
            mark += "^{" + str(notes[sr.step.index]) + "}"
        parts.append(mark)
        prefix = lines.pop() + " " if k == 1 else ""
        lines.append(f"{prefix}&= {tex} && " + r"\quad ".join(n for n in parts if n) + tag)
    body = " \\\\\n".join(lines)
    return "$$\n\\begin{aligned}\n" + body + "\n\\end{aligned}\n$$"


def _counterexample(ce: dict[str, str] | None, lead: str = "counterexample") -> str:
    if not ce:
        return ""
    items = []
    for name, value in ce.items():
        if safe.is_math_name(name) and safe.is_number(value):
            items.append(f"${safe.math_key(name)} = {value.strip()}$")
        else:
            items.append("`" + f"{name} = {value}".replace("`", "'").replace("|", r"\|") + "`")
    return md_escape(lead) + " " + ", ".join(items)


def verdict_table(cr: model.ChainResult, strict: bool, w: Words | None = None) -> str:
    """The author's table after a chain: verdict, how it was decided, diagnosis and counterexample."""
    w = w or Words()
    head = [w.gettext("step"), w.gettext("line"), w.gettext("justification"), w.gettext("verdict")]
    rows = [
        "| " + " | ".join(map(md_escape, head)) + " | " + md_escape(w.gettext("how it was decided")) + " |",
        "| ---: | ---: | --- | --- | --- |",
    ]
    for sr in cr.steps[1:]:
        verdict = sr.outcome.verdict
        mark = common.MARKS[verdict]
        word = md_escape(w.verdict(verdict))
        label = f"{mark} {word}" if sr.ok else f"**{mark} {word}**"
        how = [md_prose(sr.outcome.method or "", cell=True)] if sr.outcome.method else []
        against = w.compared_with(sr)
        if against:
            how.insert(0, md_escape(against))
        diag = w.diagnosis(sr, strict)
        if diag:
            how.append(md_prose(diag, cell=True))
        ce = _counterexample(sr.outcome.counterexample, w.gettext("counterexample"))
        if ce:
            how.append(ce)
        by = md_prose(sr.step.by, cell=True) if sr.step.by else ""
        rows.append(f"| {sr.step.index} | {sr.step.tex.loc.line} | {by} | {label} | {'; '.join(how)} |")
    return "\n".join(rows)


def _needs_note(sr: model.StepResult) -> bool:
    return sr.outcome.verdict is not Verdict.GIVEN and (not sr.ok or sr.outcome.verdict is Verdict.REFUTED)


def student_notes(cr: model.ChainResult, strict: bool, w: Words, numbers: dict[int, int]) -> str:
    """The student's notes after a chain: only the steps that do not hold, in plain words."""
    out = []
    for sr in cr.steps[1:]:
        if sr.step.index not in numbers:
            continue
        text = f"{w.step_where(sr)}, {w.verdict(sr.outcome.verdict)}"
        diag = w.diagnosis(sr, strict)
        body = md_escape(text) + (": " + md_prose(diag).rstrip(".") if diag else "")
        ce = _counterexample(sr.outcome.counterexample, w.counterexample_lead())
        if ce:
            body += ". " + ce
        out.append(f"{numbers[sr.step.index]}. {body}.")
    return "\n".join(out)


def where_markdown(d: model.Derivation | None, w: Words | None = None) -> str:
    w = w or Words()
    return where.where_parts(
        d,
        "\n\n$$\n\\begin{{aligned}}\n{rows}\n\\end{{aligned}}\n$$",
        "\n\n",
        ascii_only=False,
        lead=(md_escape(w.where()), md_escape(w.for_())),
    )


def derivation_markdown(d: model.DerivationResult, strict: bool, level: int, w: Words | None = None) -> str:
    w = w or Words()
    h = "#" * level
    out = []
    if level > 1:
        out.append(f"{h} {md_prose(d.title or d.file, True)}")
    if w.student:
        out.append(md_escape(w.derivation_summary(d)))
    else:
        out.append(f"`{d.file}`: {md_escape(w.derivation_summary(d))}")
    der = d.derivation
    if der is not None and der.summary:
        out.append(md_summary(der.summary))
    if der is not None and der.source and not w.student:
        out.append(f"*{md_escape(w.source())}* {md_prose(der.source)}")
    for p in d.errors:
        out.append(f"**{md_escape(w.unreadable())}**\n\n```text\n" + p.with_caret().replace("```", "'''") + "\n```")
    if not d.errors:
        where_text = where_markdown(der, w)
        if where_text:
            out.append(where_text)
    for k, cr in enumerate(d.chains):
        out.append(f"{h}# {md_prose(w.chain_label(k, cr.chain), True)}")
        if cr.chain.assume:
            assumed = ", ".join(f"${step_math(a.text, ascii_only=False)}$" for a in cr.chain.assume)
            out.append(f"{md_escape(w.assuming())} {assumed}.")
        numbers: dict[int, int] = {}
        if w.student:
            for sr in cr.steps[1:]:
                if _needs_note(sr):
                    numbers[sr.step.index] = len(numbers) + 1
        out.append(aligned_block(cr, numbers))
        if len(cr.steps) > 1 and not w.student:
            out.append(verdict_table(cr, strict, w))
        elif numbers:
            out.append(student_notes(cr, strict, w, numbers))
    return "\n\n".join(out)


class MarkdownReporter:
    name = "markdown"

    def write(self, report: model.Report, stream: TextIO, options: ReportOptions) -> None:
        w = Words(options.lang, options.audience)
        single = len(report.derivations) == 1
        title = (report.derivations[0].title or report.derivations[0].file) if single else w.checked_derivations()
        parts = [f"# {md_prose(title, True)}", md_escape(w.checked_by(report))]
        parts.extend(derivation_markdown(d, report.strict, 1 if single else 2, w) for d in report.derivations)
        stream.write("\n\n".join(parts) + "\n")


REPORTER = MarkdownReporter()
