"""Prose for LaTeX text mode: special characters escaped, non-ASCII characters written for the engine."""

from __future__ import annotations

import re

from verifier.report.tex.symbols import TEXT_SPECIAL, UNICODE_MATH, unicode_to_pdflatex

# What stands for a run of characters pdflatex cannot typeset without extra packages (e.g. CJK text).
UNTYPESET = r"[\dots]"


def escape_text(text: str, ascii_only: bool = True) -> str:
    """Prose for LaTeX text mode (also inside `\\text{}`): special characters escaped, lines joined.

    `ascii_only` (pdflatex) rewrites non-ASCII characters, and a run of characters it cannot typeset
    becomes `[…]`; KaTeX takes them as they are.
    """
    out: list[str] = []
    lost = False  # inside a run of characters that cannot be typeset
    space = False  # a space seen inside such a run, written only if the run ends
    for ch in re.sub(r"\s+", " ", text):
        if ch == '"' and ascii_only:  # OT1 prints " as a closing quote: pick the opening one where it opens
            piece: str | None = "``" if not out or out[-1][-1:] in " ([{" else "''"
        elif ch in TEXT_SPECIAL:
            piece = TEXT_SPECIAL[ch]
        elif ascii_only and not ch.isascii():
            piece = unicode_to_pdflatex(ch)
        elif ch in UNICODE_MATH:  # KaTeX refuses math-only symbols such as ≠ in text mode
            piece = "$" + UNICODE_MATH[ch] + "$"
        else:
            piece = ch
        if piece is None:
            if not lost:
                out.append(UNTYPESET)
            lost, space = True, False
        elif lost and ch == " ":
            space = True
        else:
            if space:
                out.append(" ")
            lost = space = False
            out.append(piece)
    return "".join(out)


# Commands a title or a remark may use in its math parts. Step LaTeX was already accepted by the
