"""`--format latex`: each chain as an `align*` of the steps as written, with justifications and verdict marks.

Without `standalone` the output is a fragment for a document that loads amsmath, amssymb and xcolor
(and, for text pdflatex cannot typeset such as Chinese, xeCJK under xelatex); with it, a complete
article. Its first line names the engine it needs (`% !TEX program = xelatex`): pdflatex when every
character of the text can be written for it, xelatex with xeCJK and the Noto CJK fonts otherwise, or
what `--engine` asks for. A failing step gets a numbered red remark under its chain with the
diagnosis and the counterexample; the student view words it plainly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TextIO

from verifier import model
from verifier.model import Verdict
from verifier.report.base import Engine, ReportOptions
from verifier.report.teaching import Words, note_body
from verifier.report.tex import prose, safe, where, width
from verifier.report.tex.escape import escape_text
from verifier.report.tex.symbols import unicode_to_pdflatex

_COMMON = r"""\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{xcolor}
\usepackage[margin=2.2cm]{geometry}
\setlength{\jot}{5pt}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
\pagestyle{plain}
"""
PREAMBLES: dict[Engine, str] = {
    Engine.PDFLATEX: "% !TEX program = pdflatex\n\\documentclass[11pt]{article}\n" + _COMMON,
    # xeCJK sets CJK characters in the Noto CJK fonts (Debian: fonts-noto-cjk); Latin text and math
    # stay in Latin Modern.
    Engine.XELATEX: (
        "% !TEX program = xelatex\n\\documentclass[11pt]{article}\n"
        + _COMMON
        + "\\usepackage{fontspec}\n\\usepackage{xeCJK}\n"
        + "\\setCJKmainfont{Noto Serif CJK SC}\n\\setCJKsansfont{Noto Sans CJK SC}\n"
        + "\\setCJKmonofont{Noto Sans Mono CJK SC}\n"
        # circled digits (①②③, the seeds' equation marks) are in the CJK fonts, not in Latin Modern
        + '\\xeCJKsetcharclass{"2460}{"24FF}{1}\n'
    ),
}
PREAMBLE = PREAMBLES[Engine.PDFLATEX]

_SYMBOLS: dict[Verdict, str] = {
    Verdict.PROVED: r"\checkmark",
    Verdict.NUMERIC: r"{\approx}",
    Verdict.REFUTED: r"\textcolor{red}{\times}",
    Verdict.TIMEOUT: r"\textcolor{orange}{\circlearrowright}",
    Verdict.ERROR: r"\textcolor{red}{\mathbf{!}}",
}
# The width of a justification: long ones wrap instead of running off the page.
BY_WIDTH = r"0.27\linewidth"


def _texts(report: model.Report) -> list[str]:
    """Every piece of prose a handout prints (what decides the engine)."""
    out: list[str] = []
    for d in report.derivations:
        out.append(d.title or d.file)
        out.append(d.file)
        der = d.derivation
        if der is not None:
            out += [der.summary or "", der.source or ""]
        for c in d.chains:
            out.append(c.chain.title)
            for s in c.steps:
                out += [s.step.by or "", s.step.label or "", s.outcome.message or "", s.step.tex.text]
                out += list(s.outcome.counterexample or {})
        out += [p.message for p in d.errors]
    return out


def needs_unicode_engine(report: model.Report, words: Words) -> bool:
    """Whether some text has characters pdflatex cannot typeset (CJK, …), or the language needs them."""
    if words.lang != "en":
        return True
    return any(
        not ch.isascii() and unicode_to_pdflatex(ch) is None for text in _texts(report) for ch in text
    )


def choose_engine(report: model.Report, words: Words, asked: str | None) -> Engine:
    if asked:
        return Engine(asked)
    return Engine.XELATEX if needs_unicode_engine(report, words) else Engine.PDFLATEX


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


def _needs_note(sr: model.StepResult, strict: bool) -> bool:
    verdict = sr.outcome.verdict
    if verdict is Verdict.GIVEN:
        return False
    return not sr.ok or verdict is Verdict.REFUTED or (verdict is Verdict.NUMERIC and strict)


class Writer:
    """Writes one report as LaTeX for one engine, in one language, for one audience."""

    def __init__(self, report: model.Report, words: Words, engine: Engine) -> None:
        self.report = report
        self.words = words
        self.engine = engine
        self.ascii = engine is Engine.PDFLATEX
        self.notes = 0

    # --- text pieces ------------------------------------------------------------------------------
    def text(self, s: str) -> str:
        # xeCJK takes a Unicode em dash for CJK punctuation and drops the spaces around it: TeX's own
        return escape_text(s, self.ascii).replace("—", "---")

    def prose(self, s: str, title: bool = False) -> str:
        return prose.prose_to_latex(s, title, ascii_only=self.ascii, bold_math=title)

    def math(self, tex: str) -> str:
        return safe.step_math(tex, self.ascii)

    def mark(self, sr: model.StepResult, note: int | None) -> str:
        """The verdict as a math symbol (see the legend), with the number of its remark as a red superscript."""
        symbol = _SYMBOLS.get(sr.outcome.verdict, "")
        if sr.outcome.verdict is Verdict.NUMERIC and self.report.strict:
            symbol = r"\textcolor{red}{\approx}"
        sup = f"^{{\\textcolor{{red}}{{{note}}}}}" if note is not None else ""
        return symbol + sup if symbol else ""

    def tag(self, sr: model.StepResult) -> str:
        """The document's own label of a step (`\\tag{4.59}`), shown at the right margin as the document does."""
        label = sr.step.label
        if not label:
            return ""
        shown = label if re.fullmatch(r"\(.*\)", label) or not re.fullmatch(r"[\w.\-*' ]+", label) else f"({label})"
        return r" \tag*{" + self.text(shown) + "}"

    def annotation(self, sr: model.StepResult, note: int | None, box: str = BY_WIDTH, mark: bool = True) -> str:
        """The mark in a column of its own, then the justification wrapped in a box of the given width."""
        out = r"\makebox[2.2em][l]{$" + self.mark(sr, note) + "$}" if mark else ""
        if sr.step.by:
            out += r"\parbox[t]{" + box + r"}{\raggedright\small " + self.prose(sr.step.by) + "}"
        return r"\text{" + out + "}" if out else ""

    def counterexample(self, ce: dict[str, str] | None) -> str | None:
        if not ce:
            return None
        items = []
        for name, value in ce.items():
            lhs = safe.math_key(name) if safe.is_math_name(name) else r"\texttt{" + self.text(name) + "}"
            rhs = value.strip() if safe.is_number(value) else r"\texttt{" + self.text(value) + "}"
            items.append(f"${lhs} = {rhs}$")
        return ", ".join(items)

    # --- a chain ----------------------------------------------------------------------------------
    def chain(self, index: int, cr: model.ChainResult) -> str:
        """One chain: its title, its own assumptions, the `align*`, then the remarks on failing steps."""
        title = self.prose(self.words.chain_label(index, cr.chain), True)
        out = [r"\subsection*{" + title + "}"]
        assumes = [f"${self.math(a.text)}$" for a in cr.chain.assume]
        if assumes:
            out.append(self.text(self.words.assuming()) + " " + ", ".join(assumes) + ".")
        shape = layout(cr)
        lines: list[str] = []
        remarks: list[str] = []
        for k, sr in enumerate(cr.steps):
            tex = self.math(sr.step.tex.text)
            if k == 0:
                lines.append((f"& {tex}" if shape.first_above else tex) + self.tag(sr))
                continue
            note = self._next() if _needs_note(sr, self.report.strict) else None
            eq = r"&\quad = " if shape.first_above else "&= "
            prefix = ""
            if k == 1 and not shape.first_above:
                prefix = lines.pop() + " "
                prefix = prefix.replace(self.tag(cr.steps[0]), "") if cr.steps[0].step.label else prefix
            if shape.beside:
                lines.append(f"{prefix}{eq}{tex} && {self.annotation(sr, note)}{self.tag(sr)}")
            else:
                # a long step keeps its mark on its own line, at the right margin; the justification goes below
                label = f" {self.text(sr.step.label)}" if sr.step.label else ""
                lines.append(f"{prefix}{eq}{tex}" + r" \tag*{$" + self.mark(sr, note) + "$" + label + "}")
                below = self.annotation(sr, note, r"0.6\linewidth", mark=False)
                if below:
                    lines.append(r"&\qquad " + below + r" \notag")
            if note is not None:
                remarks.append(self.remark(note, sr))
        if len(cr.steps) == 1 and not shape.first_above:
            lines[0] = lines[0] + " &"
        body = "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}"
        out.append("{" + shape.size + "\n" + body + "}" if shape.size else body)
        out.extend(remarks)
        return "\n".join(out)

    def _next(self) -> int:
        self.notes += 1
        return self.notes

    def remark(self, note: int, sr: model.StepResult) -> str:
        body = note_body(self, sr, self.report.strict) + "."
        colour = "black" if sr.ok else "red"
        return f"{{\\small\\textcolor{{{colour}}}{{$^{{{note}}}$ {body}}}}}\\par"

    # --- a derivation, the document ---------------------------------------------------------------
    def where(self, d: model.Derivation | None) -> str:
        """The definitions (aligned at `=`) and the assumptions of a derivation."""
        return where.where_parts(
            d,
            "\n\\begin{{align*}}\n{rows}\n\\end{{align*}}",
            "\n",
            ascii_only=self.ascii,
            lead=(self.text(self.words.where()), self.text(self.words.for_())),
        )

    def derivation(self, d: model.DerivationResult, heading: bool) -> str:
        w = self.words
        out = []
        if heading:
            out.append(r"\section*{" + self.prose(d.title or d.file, True) + "}")
        summary = self.text(w.derivation_summary(d))
        if w.student:
            out.append(r"{\small " + summary + "}")
        else:
            out.append(r"{\small\texttt{" + self.text(d.file) + "} --- " + summary + "}")
        der = d.derivation
        if der is not None and der.summary:
            out.append(prose.markdown_to_latex(der.summary, self.ascii))
        if der is not None and der.source and not w.student:
            out.append(r"\textit{" + self.text(w.source()) + "} " + self.prose(der.source))
        for p in d.errors:
            out.append(r"\textcolor{red}{" + self.text(w.unreadable()) + r" \texttt{" + self.text(p.one_line()) + "}}")
        if not d.errors:
            where_text = self.where(der)
            if where_text:
                out.append(where_text)
        out.extend(self.chain(k, c) for k, c in enumerate(d.chains))
        return "\n\n".join(out)

    def body(self, headings: bool = True) -> str:
        return "\n\n".join(self.derivation(d, headings) for d in self.report.derivations)

    def legend(self) -> str:
        parts = []
        for verdict, text in self.words.legend_entries():
            symbol = _SYMBOLS[verdict]
            parts.append(f"${symbol}$ " + self.text(text))
        return r" \quad ".join(parts)

    def document(self) -> str:
        report, w = self.report, self.words
        single = len(report.derivations) == 1
        title = (report.derivations[0].title or report.derivations[0].file) if single else w.checked_derivations()
        out = [PREAMBLES[self.engine], "\\begin{document}\n\\raggedright\n"]
        out.append("\\begin{center}\n{\\Large\\bfseries " + self.prose(title, True) + "\\par}\n")
        out.append("\\smallskip\n{\\small " + self.text(w.checked_by(report)) + "\\par}\n")
        out.append("{\\small " + self.legend() + "\\par}\n\\end{center}\n\n")
        out.append(self.body(headings=not single) + "\n")
        out.append("\\end{document}\n")
        return "".join(out)

    def fragment(self) -> str:
        head = f"% !TEX program = {self.engine.value}\n"
        head += "% verify-derivation: needs \\usepackage{amsmath,amssymb,xcolor}\n"
        if self.engine is Engine.XELATEX:
            head += "% and, for its CJK text, \\usepackage{xeCJK} with a CJK font (xelatex)\n"
        summary = self.words.summary(self.report).replace("\n", " ")
        return head + f"% {summary}\n\n" + self.body() + "\n"


def body_latex(report: model.Report, headings: bool = True) -> str:
    """The report's derivations as LaTeX (English, author view, the engine the text needs)."""
    words = Words()
    return Writer(report, words, choose_engine(report, words, None)).body(headings)


class LatexReporter:
    name = "latex"

    def write(self, report: model.Report, stream: TextIO, options: ReportOptions) -> None:
        words = Words(options.lang, options.audience)
        writer = Writer(report, words, choose_engine(report, words, options.engine))
        stream.write(writer.document() if options.standalone else writer.fragment())


REPORTER = LatexReporter()
