"""`--format html`: one self-contained page a teacher can publish: the chains as tables of steps with
their marks and justifications, math as MathML (converted from the author's TeX by latex2mathml), no
scripts, no network (a Content-Security-Policy forbids both), in the report's language and audience.

Untrusted text: every piece of prose is HTML-escaped; converted math is parsed back and kept only when
it is well-formed MathML made of allowed elements and attributes (then re-serialised, so text in it is
escaped too); anything else is shown as escaped TeX source in `<code>`.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from typing import TextIO

from verifier import model
from verifier.model import Verdict
from verifier.report.base import ReportOptions
from verifier.report.teaching import Words, note_body
from verifier.report.tex import safe, where
from verifier.report.tex.prose import split_prose

MATHML = "http://www.w3.org/1998/Math/MathML"
_TAGS = frozenset(
    [
        "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac", "msqrt",
        "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom",
        "menclose", "semantics", "annotation",
    ]
)
_ATTRS = frozenset(
    [
        "display", "mathvariant", "stretchy", "fence", "form", "minsize", "maxsize", "accent", "accentunder",
        "separator", "lspace", "rspace", "width", "height", "depth", "linebreak", "mathcolor", "mathsize",
        "columnalign", "rowspacing", "columnspacing", "displaystyle", "scriptlevel", "notation", "largeop",
        "movablelimits", "symmetric", "linethickness",
    ]
)
_COLOURS = frozenset({"red", "orange", "green", "blue", "black", "gray"})

CLASSES: dict[Verdict, str] = {
    Verdict.GIVEN: "given",
    Verdict.PROVED: "proved",
    Verdict.NUMERIC: "numeric",
    Verdict.REFUTED: "refuted",
    Verdict.TIMEOUT: "timeout",
    Verdict.ERROR: "error",
}
MARKS: dict[Verdict, str] = {
    Verdict.GIVEN: "",
    Verdict.PROVED: "✓",
    Verdict.NUMERIC: "≈",
    Verdict.REFUTED: "✗",
    Verdict.TIMEOUT: "…",  # ⏱ is missing from common fonts
    Verdict.ERROR: "!",
}

STYLE = """
.vd-report { font-family: "Noto Serif", "Noto Serif CJK SC", Georgia, serif; line-height: 1.5;
  max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; color: #111; }
.vd-report h1 { font-size: 1.6rem; text-align: center; margin-bottom: .2rem; }
.vd-report .checked, .vd-report .legend { text-align: center; font-size: .9rem; color: #444; margin: .2rem 0; }
.vd-report .legend span { margin: 0 .6rem; }
.vd-report h2 { font-size: 1.3rem; border-bottom: 1px solid #ccc; margin-top: 2rem; }
.vd-report h3 { font-size: 1.1rem; margin-top: 1.6rem; }
.vd-report .file { font-family: monospace; font-size: .85rem; color: #555; }
.vd-report table.chain { border-collapse: collapse; margin: .6rem 0 .6rem 1rem; }
.vd-report table.chain td { padding: .35rem .4rem; vertical-align: middle; }
.vd-report td.lhs { text-align: right; }
.vd-report td.eq { text-align: center; }
.vd-report td.mark { font-size: 1.15rem; text-align: center; min-width: 2rem; }
.vd-report td.by { font-size: .9rem; color: #333; max-width: 18rem; }
.vd-report td.how { font-size: .8rem; color: #777; min-width: 9rem; max-width: 16rem; }
.vd-report table.chain math { math-style: normal; font-size: 1.08em; }
.vd-report td.tag { color: #555; padding-left: 1.2rem; }
.vd-report .proved { color: #1a7f37; } .vd-report .numeric { color: #9a6700; }
.vd-report .refuted, .vd-report .error { color: #cf222e; } .vd-report .timeout { color: #8250df; }
.vd-report tr.fails td.rhs { background: #fff0f0; }
.vd-report .note { font-size: .92rem; margin: .3rem 0 .3rem 1rem; }
.vd-report .note.fails { color: #a40e26; }
.vd-report code { font-size: .85rem; background: #f4f4f4; padding: 0 .2rem; }
.vd-report math[display="block"] { margin: .4rem 0; }
"""
# No script, no fetch: the page must render offline and cannot run anything it carries.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _clean(element: ET.Element) -> bool:
    """Whether a parsed MathML tree uses only allowed elements and attributes (colours from a short list)."""
    for node in element.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag not in _TAGS:
            return False
        for name, value in node.attrib.items():
            if name not in _ATTRS and name != "xmlns":
                return False
            if name == "mathcolor" and value not in _COLOURS:
                return False
    return True


def mathml(tex: str, display: bool = False) -> str:
    """The author's TeX as vetted MathML, or the TeX itself escaped in `<code>` when it cannot be converted."""
    from latex2mathml.converter import convert  # loaded only when an HTML report is written

    flat = " ".join(tex.split())
    try:
        raw = convert(flat.replace("<", r"\lt ").replace(">", r"\gt "), display="block" if display else "inline")
        root = ET.fromstring(raw.replace("&", "&amp;").replace("&amp;#x", "&#x"))
    except Exception:  # any converter failure: show the source, never a broken page
        return "<code>" + html.escape(flat) + "</code>"
    if not _clean(root):
        return "<code>" + html.escape(flat) + "</code>"
    ET.register_namespace("", MATHML)
    text = ET.tostring(root, encoding="unicode")
    return text.replace("ns0:", "").replace(":ns0", "")


class Page:
    """Writes one report as HTML in one language, for one audience."""

    def __init__(self, report: model.Report, words: Words) -> None:
        self.report = report
        self.words = words
        self.notes = 0

    def prose(self, text: str, title: bool = False) -> str:
        return "".join(mathml(p.text) if p.math else html.escape(p.text) for p in split_prose(text, title))

    def text(self, text: str) -> str:
        return html.escape(text)

    def mark(self, sr: model.StepResult, note: int | None) -> str:
        verdict = sr.outcome.verdict
        cls = CLASSES[verdict]
        if verdict is Verdict.NUMERIC and self.report.strict:
            cls = "refuted"
        sup = f"<sup>{note}</sup>" if note is not None else ""
        title = self.text(self.words.verdict(verdict))
        return f'<span class="{cls}" title="{title}">{MARKS[verdict]}{sup}</span>'

    def counterexample(self, ce: dict[str, str] | None) -> str:
        if not ce:
            return ""
        items = []
        for name, value in ce.items():
            if safe.is_math_name(name) and safe.is_number(value):
                items.append(mathml(f"{safe.math_key(name)} = {value.strip()}"))
            else:
                items.append("<code>" + self.text(f"{name} = {value}") + "</code>")
        return ", ".join(items)

    def chain(self, index: int, cr: model.ChainResult, level: int) -> str:
        w = self.words
        out = [f"<h{level}>{self.prose(w.chain_label(index, cr.chain), True)}</h{level}>"]
        if cr.chain.assume:
            assumed = ", ".join(mathml(a.text) for a in cr.chain.assume)
            out.append(f"<p>{self.text(w.assuming())} {assumed}.</p>")
        rows = []
        notes: list[str] = []
        first = cr.steps[0]
        for k, sr in enumerate(cr.steps):
            if k == 0 and len(cr.steps) > 1:
                continue
            note = None
            if k > 0 and (not sr.ok or sr.outcome.verdict is Verdict.REFUTED):
                self.notes += 1
                note = self.notes
                notes.append(self.note(note, sr))
            # inline MathML set in display style (CSS): left-aligned in its cell, full-size fractions
            lhs = mathml(first.step.tex.text) if k <= 1 else ""
            eq = "=" if k > 0 else ""
            rhs = mathml(sr.step.tex.text) if k > 0 else ""
            cells = [
                f'<td class="lhs">{lhs}</td>',
                f'<td class="eq">{eq}</td>',
                f'<td class="rhs">{rhs}</td>',
                f'<td class="mark">{self.mark(sr, note) if k > 0 else ""}</td>',
                f'<td class="by">{self.prose(sr.step.by) if sr.step.by else ""}</td>',
            ]
            if not w.student:
                how = [x for x in (w.compared_with(sr), w.method(sr)) if x]
                cells.append(f'<td class="how">{self.prose("; ".join(how)) if how else ""}</td>')
            label = sr.step.label or (first.step.label if k == 1 else None)
            cells.append(f'<td class="tag">{self.text(label) if label else ""}</td>')
            fails = ' class="fails"' if not sr.ok else ""
            rows.append(f"<tr{fails}>" + "".join(cells) + "</tr>")
        out.append('<table class="chain">\n' + "\n".join(rows) + "\n</table>")
        out.extend(notes)
        return "\n".join(out)

    def note(self, number: int, sr: model.StepResult) -> str:
        body = note_body(self, sr, self.report.strict)
        cls = "note fails" if not sr.ok else "note"
        return f'<p class="{cls}"><sup>{number}</sup> {body}.</p>'

    def where(self, d: model.Derivation | None) -> str:
        wl = where.where_list(d)
        out = []
        if wl.definitions:
            defs = "".join(mathml(f"{lhs} = {rhs}", True) for lhs, rhs in wl.definitions)
            out.append(f"<div class=\"where\"><p>{self.text(self.words.where())}</p>{defs}</div>")
        if wl.assumptions:
            lead = self.words.for_() if wl.definitions else self.words.where()
            out.append(f"<p>{self.text(lead)} " + ", ".join(mathml(a) for a in wl.assumptions) + ".</p>")
        return "\n".join(out)

    def derivation(self, d: model.DerivationResult, level: int) -> str:
        w = self.words
        out = []
        if level > 1:
            out.append(f"<h{level}>{self.prose(d.title or d.file, True)}</h{level}>")
        summary = self.text(w.derivation_summary(d))
        if w.student:
            out.append(f'<p class="summary">{summary}</p>')
        else:
            out.append(f'<p class="summary"><span class="file">{self.text(d.file)}</span> — {summary}</p>')
        der = d.derivation
        if der is not None and der.summary:
            out.append(f"<p>{self.prose(der.summary)}</p>")
        if der is not None and der.source and not w.student:
            out.append(f"<p><em>{self.text(w.source())}</em> {self.prose(der.source)}</p>")
        for p in d.errors:
            out.append(f'<p class="error">{self.text(w.unreadable())} <code>{self.text(p.one_line())}</code></p>')
        if not d.errors:
            out.append(self.where(der))
        out.extend(self.chain(k, c, level + 1) for k, c in enumerate(d.chains))
        return "\n".join(x for x in out if x)

    def body(self) -> str:
        """The report as one `<div class="vd-report">` with its own style (what a notebook displays)."""
        report, w = self.report, self.words
        single = len(report.derivations) == 1
        title = (report.derivations[0].title or report.derivations[0].file) if single else w.checked_derivations()
        legend = "".join(
            f'<span><span class="{CLASSES[v]}">{MARKS[v]}</span> {self.text(t)}</span>' for v, t in w.legend_entries()
        )
        parts = [
            f'<div class="vd-report" lang="{self.text(w.lang)}">',
            f"<style>{STYLE}</style>",
            f"<h1>{self.prose(title, True)}</h1>",
            f'<p class="checked">{self.text(w.checked_by(report))}</p>',
            f'<p class="legend">{legend}</p>',
        ]
        parts.extend(self.derivation(d, 1 if single else 2) for d in report.derivations)
        parts.append("</div>")
        return "\n".join(parts)

    def document(self) -> str:
        report = self.report
        single = len(report.derivations) == 1
        title = (report.derivations[0].title or report.derivations[0].file) if single else "verify-derivation"
        return (
            f'<!DOCTYPE html>\n<html lang="{self.text(self.words.lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{self.text(re.sub(r'[$]', '', title))}</title>\n</head>\n<body>\n"
            + self.body()
            + "\n</body>\n</html>\n"
        )


def html_fragment(report: model.Report, lang: str = "en", audience: str = "author") -> str:
    """The report as a self-styled `<div>` (for a notebook's `_repr_html_`)."""
    from verifier.report.i18n import Audience

    return Page(report, Words(lang, Audience(audience))).body()


class HtmlReporter:
    name = "html"

    def write(self, report: model.Report, stream: TextIO, options: ReportOptions) -> None:
        stream.write(Page(report, Words(options.lang, options.audience)).document())


REPORTER = HtmlReporter()
