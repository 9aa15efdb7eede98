"""Titles, remarks and summaries: prose with its `$…$` math (vetted) for LaTeX text mode."""

from __future__ import annotations

import re

from verifier.report.tex.escape import escape_text
from verifier.report.tex.safe import is_safe_math
from verifier.report.tex.scan import Part, prose_math


def split_prose(text: str, whole_math_heuristic: bool = False) -> list[Part]:
    """Prose with `$…$` math parts, each math part vetted by `is_safe_math` (else kept as prose).

    With `whole_math_heuristic` (titles), a text without `$` that contains `\\`, `_` or `^` and is
    safe math is taken as one math part: the contract's own example title is `'\\partial L_i / \\partial w'`.
    """
    text = re.sub(r"\s+", " ", text).strip()
    if "$" not in text:
        if whole_math_heuristic and "\\" in text:
            # A trailing prose remark in parentheses stays prose: `\partial J / \partial \theta_j (seed 002)`.
            m = re.fullmatch(r"(.*?\S)\s+(\([^()$]*[A-Za-z]{3,}[^()$]*\))", text)
            head, tail = (m.group(1), m.group(2)) if m else (text, "")
            words = re.findall(r"[A-Za-z]{3,}", re.sub(r"\\[A-Za-z]+|\\text\{[^{}]*\}", " ", head))
            if is_safe_math(head) and not words:  # prose words around the TeX: scanned below instead
                return [Part(True, head)] + ([Part(False, " " + tail)] if tail else [])
        return prose_math(text) if text else []
    pieces = re.split(r"(?<!\\)\$", text)
    if len(pieces) % 2 == 0:  # unbalanced dollars: all prose
        return [Part(False, text)]
    parts: list[Part] = []
    for k, piece in enumerate(pieces):
        if not piece:
            continue
        if k % 2 == 1 and is_safe_math(piece.strip()):
            parts.append(Part(True, piece.strip()))
        elif k % 2 == 1:
            parts.append(Part(False, f"${piece}$"))
        else:
            parts.extend(prose_math(piece))
    return parts


def prose_to_latex(
    text: str, whole_math_heuristic: bool = False, ascii_only: bool = True, bold_math: bool = False
) -> str:
    """Prose for LaTeX text mode (or inside `\\text{}`), keeping its vetted `$…$` math.

    `bold_math` sets the math in bold too, for headings (pdflatex only).
    """
    math = "{{\\boldmath${}$}}" if bold_math else "${}$"
    return "".join(
        math.format(p.text) if p.math else escape_text(p.text, ascii_only)
        for p in split_prose(text, whole_math_heuristic)
    )


_MD_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|`([^`]+)`")


def _text_with_math(text: str, ascii_only: bool) -> str:
    return "".join(f"${p.text}$" if p.math else escape_text(p.text, ascii_only) for p in prose_math(text))


def markdown_to_latex(text: str, ascii_only: bool = True) -> str:
    """A Markdown paragraph (a derivation's summary) in LaTeX: `$…$` math, **bold**, *emphasis*, `code`."""
    out = []
    for p in split_prose(text):
        if p.math:
            out.append(f"${p.text}$")
            continue
        last = 0
        for m in _MD_INLINE.finditer(p.text):
            out.append(_text_with_math(p.text[last : m.start()], ascii_only))
            bold, emph, code = m.groups()
            if bold is not None:
                out.append(r"\textbf{" + escape_text(bold, ascii_only) + "}")
            elif emph is not None:
                out.append(r"\emph{" + escape_text(emph, ascii_only) + "}")
            else:
                out.append(r"\texttt{" + escape_text(code, ascii_only) + "}")
            last = m.end()
        out.append(_text_with_math(p.text[last:], ascii_only))
    return "".join(out)

