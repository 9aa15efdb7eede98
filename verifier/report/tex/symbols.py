"""Unicode characters as LaTeX: one table per mode, each character once (escaping and the prose scanner share them)."""

from __future__ import annotations

import unicodedata

# Text-mode escapes. `<`, `>` and `|` are replaced too: in LaTeX's default OT1 encoding they print as
# other glyphs (¡ ¿ —).
TEXT_SPECIAL: dict[str, str] = {
    "\\": r"\textbackslash{}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}


# Greek letters as math commands. U+03B5 ε and U+03C6 φ are the forms TeX calls \varepsilon and \varphi;
# the lunate ϵ (U+03F5) and the stroked ϕ (U+03D5) are \epsilon and \phi.
_GREEK_SMALL = dict(
    zip(
        "αβγδεϵζηθϑικλμνξπϖρϱςστυφϕχψω",
        (
            r"\alpha",
            r"\beta",
            r"\gamma",
            r"\delta",
            r"\varepsilon",
            r"\epsilon",
            r"\zeta",
            r"\eta",
            r"\theta",
            r"\vartheta",
            r"\iota",
            r"\kappa",
            r"\lambda",
            r"\mu",
            r"\nu",
            r"\xi",
            r"\pi",
            r"\varpi",
            r"\rho",
            r"\varrho",
            r"\varsigma",
            r"\sigma",
            r"\tau",
            r"\upsilon",
            r"\varphi",
            r"\phi",
            r"\chi",
            r"\psi",
            r"\omega",
        ),
        strict=True,
    )
)
_GREEK_CAPITAL = {
    "Γ": r"\Gamma",
    "Δ": r"\Delta",
    "Θ": r"\Theta",
    "Λ": r"\Lambda",
    "Ξ": r"\Xi",
    "Π": r"\Pi",
    "Σ": r"\Sigma",
    "Υ": r"\Upsilon",
    "Φ": r"\Phi",
    "Ψ": r"\Psi",
    "Ω": r"\Omega",
}
# Non-ASCII characters that are math symbols, as math commands (pdflatex cannot typeset them in text,
# KaTeX refuses some of them in text mode).
UNICODE_MATH: dict[str, str] = {
    **_GREEK_SMALL,
    **_GREEK_CAPITAL,
    "≠": r"\neq",
    "≤": r"\leq",
    "≥": r"\geq",
    "≈": r"\approx",
    "→": r"\to",
    "←": r"\leftarrow",
    "⇒": r"\Rightarrow",
    "⇔": r"\Leftrightarrow",
    "↦": r"\mapsto",
    "∂": r"\partial",
    "∑": r"\sum",
    "∏": r"\prod",
    "∞": r"\infty",
    "×": r"\times",
    "·": r"\cdot",
    "÷": r"\div",
    "−": "-",
    "±": r"\pm",
    "∈": r"\in",
    "√": r"\surd",
    "∇": r"\nabla",
    "✓": r"\checkmark",
    "✗": r"\times",
    "°": r"{}^\circ",
    "′": "'",
    "″": "''",
    "ᵀ": "{}^T",
    "⊤": r"\top",
    "ℝ": r"\mathbb{R}",
    "ℤ": r"\mathbb{Z}",
    "ℕ": r"\mathbb{N}",
    "²": "{}^2",
    "³": "{}^3",
    "¹": "{}^1",
    "⁻": "{}^-",
    "₀": "{}_0",
    "₁": "{}_1",
    "₂": "{}_2",
    "ᵢ": "{}_i",
    "ⱼ": "{}_j",
    "∣": r"\mid",
    "∥": r"\parallel",
    "⟨": r"\langle",
    "⟩": r"\rangle",
    "∀": r"\forall",
    "∃": r"\exists",
    "≡": r"\equiv",
    "∝": r"\propto",
    "∘": r"\circ",
    "⊂": r"\subset",
}
# Non-ASCII characters that are punctuation, for pdflatex's text mode.
UNICODE_TEXT: dict[str, str] = {
    "–": "--",
    "—": "---",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "\u00a0": "~",
    "ο": "o",  # Greek omicron: looks like o, and has no math command
    "§": r"\S{}",
    "¶": r"\P{}",
    "…": r"\dots{}",
    "•": r"\textbullet{}",
    "«": "<<",
    "»": ">>",
    **{chr(0x2460 + k): r"\textcircled{\scriptsize " + str(k + 1) + "}" for k in range(9)},
}
_ACCENTS: dict[str, str] = {
    "\u0301": "'",
    "\u0300": "`",
    "\u0302": "^",
    "\u0308": '"',
    "\u0303": "~",
    "\u0304": "=",
    "\u0327": "c",
    "\u030c": "v",
    "\u0306": "u",
    "\u030a": "r",
}


def unicode_to_pdflatex(ch: str) -> str | None:
    """One non-ASCII character for pdflatex; None when it cannot be typeset (e.g. CJK)."""
    if ch in UNICODE_TEXT:
        return UNICODE_TEXT[ch]
    if ch in UNICODE_MATH:
        return r"\ensuremath{" + UNICODE_MATH[ch] + "}"
    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) == 2 and decomposed[0].isascii() and decomposed[1] in _ACCENTS:
        return "\\" + _ACCENTS[decomposed[1]] + "{" + decomposed[0] + "}"
    compat = unicodedata.normalize("NFKC", ch)
    if compat.isascii() and compat.isprintable():  # full-width punctuation, ligatures
        return "".join(TEXT_SPECIAL.get(c, c) for c in compat)
    return None
