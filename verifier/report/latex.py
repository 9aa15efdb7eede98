"""`--format latex`: each chain as an `align*` of the steps as written, with justifications and verdict marks.

Without `standalone` the output is a fragment for a document that loads amsmath, amssymb and xcolor;
with it, a complete article that pdflatex compiles. A refuted (or otherwise failing) step gets a
numbered red remark under its chain with the diagnosis and the counterexample.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from verifier import model
from verifier.model import Verdict
from verifier.report import common
from verifier.report.base import ReportOptions
from verifier.report.tex import prose, safe, where, width
from verifier.report.tex.escape import escape_text
from verifier.report.tex.prose import prose_to_latex
from verifier.report.tex.safe import step_math

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{xcolor}
\usepackage[margin=2.2cm]{geometry}
\setlength{\jot}{5pt}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
\pagestyle{plain}
"""

LEGEND = (
    r"$\checkmark$ proved symbolically \quad ${\approx}$ equal at every probe point, no proof found"
    r" \quad $\textcolor{red}{\times}$ refuted \quad $\textcolor{orange}{\circlearrowright}$ timeout"
    r" \quad $\textcolor{red}{\mathbf{!}}$ error"
)
# The width of a justification: long ones wrap instead of running off the page.
BY_WIDTH = r"0.27\linewidth"


def _mark(sr: model.StepResult, strict: bool, note: int | None) -> str:
    """The verdict as a math symbol (see LEGEND), with the number of its remark as a red superscript."""
    verdict = sr.outcome.verdict
    sup = f"^{{\\textcolor{{red}}{{{note}}}}}" if note is not None else ""
    symbol = {
        Verdict.PROVED: r"\checkmark",
        Verdict.NUMERIC: r"\textcolor{red}{\approx}" if strict else r"{\approx}",
        Verdict.REFUTED: r"\textcolor{red}{\times}",
        Verdict.TIMEOUT: r"\textcolor{orange}{\circlearrowright}",
        Verdict.ERROR: r"\textcolor{red}{\mathbf{!}}",
    }.get(verdict)
    return symbol + sup if symbol else ""


def annotation(sr: model.StepResult, strict: bool, note: int | None, width: str = BY_WIDTH) -> str:
    """The mark in a column of its own, then the justification wrapped in a box of the given width."""
    out = r"\makebox[2.2em][l]{$" + _mark(sr, strict, note) + "$}"
    if sr.step.by:
        out += r"\parbox[t]{" + width + r"}{\raggedright\small " + prose_to_latex(sr.step.by) + "}"
    return r"\text{" + out + "}"


@dataclass(frozen=True)
class Layout:
    """How a chain fits the page: annotations beside or below the steps, the first step beside `=` or above,
    and a smaller font for steps too wide for the line."""

    beside: bool = True
    first_above: bool = False
    size: str = ""


# Page geometry in em of the 11pt font, and what math_width over-estimates by (measured on the library).
TEXT_EM = 44.0
ANNOTATION_EM = 16.0
_WIDTH_SCALE = 0.88
_SIZES = ((r"\small", 0.91), (r"\footnotesize", 0.82), (r"\scriptsize", 0.73))


def layout(cr: model.ChainResult) -> Layout:
    widths = [width.math_width(s.step.tex.text) * _WIDTH_SCALE for s in cr.steps]
    lhs, rest = widths[0], max(widths[1:], default=0.0) + 1.2
    if lhs + rest + ANNOTATION_EM <= TEXT_EM:
        return Layout()
    if lhs + rest <= TEXT_EM:
        return Layout(beside=False)
    need = max(lhs, rest + 2.0)
    if need <= TEXT_EM:
        return Layout(beside=False, first_above=True)
    for size, factor in _SIZES:
        if need * factor <= TEXT_EM:
            return Layout(False, True, size)
    return Layout(False, True, _SIZES[-1][0])


def _counterexample(ce: dict[str, str] | None) -> str | None:
    if not ce:
        return None
    items = []
    for name, value in ce.items():
        lhs = safe.math_key(name) if safe.is_math_name(name) else r"\texttt{" + escape_text(name) + "}"
        rhs = value.strip() if safe.is_number(value) else r"\texttt{" + escape_text(value) + "}"
        items.append(f"${lhs} = {rhs}$")
    return ", ".join(items)


class _Notes:
    """Numbered remarks (diagnoses) collected while writing a chain, printed under it."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> int:
        self.count += 1
        return self.count


def _needs_note(sr: model.StepResult, strict: bool) -> bool:
    verdict = sr.outcome.verdict
    if verdict is Verdict.GIVEN:
        return False
    return not sr.ok or verdict is Verdict.REFUTED or (verdict is Verdict.NUMERIC and strict)


def chain_latex(index: int, cr: model.ChainResult, strict: bool, notes: _Notes) -> str:
    """One chain: its title, its own assumptions, the `align*`, then the remarks on failing steps."""
    out = [r"\subsection*{" + prose_to_latex(common.chain_label(index, cr.chain), True, bold_math=True) + "}"]
    assumes = [f"${step_math(a.text)}$" for a in cr.chain.assume]
    if assumes:
        out.append("Assuming " + ", ".join(assumes) + ".")
    shape = layout(cr)
    lines: list[str] = []
    remarks: list[str] = []
    for k, sr in enumerate(cr.steps):
        tex = step_math(sr.step.tex.text)
        if k == 0:
            lines.append(f"& {tex}" if shape.first_above else tex)
            continue
        note = notes.next() if _needs_note(sr, strict) else None
        eq = r"&\quad = " if shape.first_above else "&= "
        prefix = lines.pop() + " " if k == 1 and not shape.first_above else ""
        if shape.beside:
            lines.append(f"{prefix}{eq}{tex} && {annotation(sr, strict, note)}")
        else:
            lines.append(f"{prefix}{eq}{tex}")
            lines.append(r"&\qquad " + annotation(sr, strict, note, r"0.6\linewidth"))
        if note is not None:
            remarks.append(_remark(note, sr, strict))
    if len(cr.steps) == 1 and not shape.first_above:
        lines[0] = lines[0] + " &"
    body = "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}"
    out.append("{" + shape.size + "\n" + body + "}" if shape.size else body)
    out.extend(remarks)
    return "\n".join(out)


def _remark(note: int, sr: model.StepResult, strict: bool) -> str:
    where = f"Step {sr.step.index} (line {sr.step.tex.loc.line})"
    text = f"{where}, {sr.outcome.verdict.value}"
    diag = common.diagnosis(sr, strict)
    body = escape_text(text)
    if diag:
        body += ": " + prose_to_latex(diag).rstrip(".")
    ce = _counterexample(sr.outcome.counterexample)
    if ce:
        body += r". Counterexample: " + ce
    body += "."
    colour = "black" if sr.ok else "red"
    return f"{{\\small\\textcolor{{{colour}}}{{$^{{{note}}}$ {body}}}}}\\par"


def where_latex(d: model.Derivation | None) -> str:
    """The definitions (aligned at `=`) and the assumptions of a derivation."""
    return where.where_parts(d, "\n\\begin{{align*}}\n{rows}\n\\end{{align*}}", "\n")


def derivation_latex(d: model.DerivationResult, strict: bool, notes: _Notes, heading: bool) -> str:
    out = []
    if heading:
        out.append(r"\section*{" + prose_to_latex(d.title or d.file, True, bold_math=True) + "}")
    out.append(
        r"{\small\texttt{" + escape_text(d.file) + "} --- " + escape_text(common.derivation_summary(d)) + "}"
    )
    der = d.derivation
    if der is not None and der.summary:
        out.append(prose.markdown_to_latex(der.summary))
    if der is not None and der.source:
        out.append(r"\textit{Source:} " + prose_to_latex(der.source))
    for p in d.errors:
        out.append(r"\textcolor{red}{Could not be read: \texttt{" + escape_text(p.one_line()) + "}}")
    if not d.errors:
        where = where_latex(der)
        if where:
            out.append(where)
    out.extend(chain_latex(k, c, strict, notes) for k, c in enumerate(d.chains))
    return "\n\n".join(out)


def body_latex(report: model.Report, headings: bool = True) -> str:
    notes = _Notes()
    return "\n\n".join(derivation_latex(d, report.strict, notes, headings) for d in report.derivations)


class LatexReporter:
    name = "latex"

    def write(self, report: model.Report, stream: TextIO, options: ReportOptions) -> None:
        summary = escape_text(common.summary_text(report))
        if not options.standalone:
            stream.write("% verify-derivation: needs \\usepackage{amsmath,amssymb,xcolor}\n")
            stream.write(f"% {common.summary_text(report)}\n\n")
            stream.write(body_latex(report) + "\n")
            return
        single = len(report.derivations) == 1
        title = report.derivations[0].title or report.derivations[0].file if single else "Checked derivations"
        stream.write(PREAMBLE)
        stream.write("\\begin{document}\n\\raggedright\n")
        stream.write(
            "\\begin{center}\n{\\Large\\bfseries " + prose_to_latex(title, True, bold_math=True) + "\\par}\n"
        )
        stream.write("\\smallskip\n{\\small Checked by verify-derivation: " + summary + "\\par}\n")
        stream.write("{\\small " + LEGEND + "\\par}\n\\end{center}\n\n")
        stream.write(body_latex(report, headings=not single) + "\n")
        stream.write("\\end{document}\n")


REPORTER = LatexReporter()
