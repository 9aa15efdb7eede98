"""LaTeX spellings of names as Unicode text (`x^{(3)}_2` → `x⁽³⁾₂`): for terminals and plain-text reports.

Pure string work (no SymPy), so the text reporters can use it without loading the checker.
"""

from __future__ import annotations

import re
import unicodedata

_ACCENTS = {
    "hat": "\u0302",
    "widehat": "\u0302",
    "bar": "\u0304",
    "overline": "\u0304",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "vec": "\u20d7",
    "dot": "\u0307",
    "ddot": "\u0308",
}
_VARIANTS = {"varepsilon": "ε", "vartheta": "ϑ", "varphi": "φ", "varrho": "ϱ", "varpi": "ϖ", "varsigma": "ς"}
_OTHER = {"ell": "ℓ", "prime": "′", "infty": "∞", "top": "ᵀ", "intercal": "ᵀ", "partial": "∂", "nabla": "∇"}
_ACCENTED = re.compile(r"\\(" + "|".join(_ACCENTS) + r")\s*(?:\{([^{}]*)\}|([A-Za-z]))")
_FONT = re.compile(r"\\(?:mathbf|boldsymbol|mathrm|mathit|mathsf|operatorname|text|textrm|bm)\s*\{([^{}]*)\}")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_SCRIPT = re.compile(r"([_^])(\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+|.)")

# Unicode sub- and superscripts: a script is set with them only when every character has one.
_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True))
_SUP = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθφχ′'",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᵠᵡ′′",
        strict=True,
    )
)


def _greek(name: str) -> str:
    if name in _VARIANTS:
        return _VARIANTS[name]
    if name in _OTHER:
        return _OTHER[name]
    case = "CAPITAL" if name[:1].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return name


def _plain(spelling: str) -> str:
    """Accents, fonts and commands as Unicode characters; braces and scripts left in place."""
    text = _ACCENTED.sub(lambda m: _plain(m.group(2) or m.group(3)) + _ACCENTS[m.group(1)], spelling)
    text = _FONT.sub(r"\1", text)
    text = _COMMAND.sub(lambda m: _greek(m.group(1)), text)
    return unicodedata.normalize("NFC", text.replace(" ", ""))


def _script(mark: str, body: str) -> str:
    body = body.replace("{", "").replace("}", "")
    table = _SUB if mark == "_" else _SUP
    if body and all(c in table or c == "," for c in body) and body.strip(","):
        return "".join(table.get(c, c) for c in body)  # w₁,₂: no Unicode script comma exists
    if len(body.rstrip("'′")) == 1:  # one letter with primes: k′
        return mark + body.replace("'", "′")
    return mark + "(" + body + ")" if not (body.startswith("(") and body.endswith(")")) else mark + body


def unicode_name(spelling: str) -> str:
    """`\\hat{y}_i` → `ŷᵢ`, `\\sigma` → `σ`, `x^{(i)}_j` → `x⁽ⁱ⁾ⱼ`, `h_\\theta` → `h_θ` (no Unicode subscript θ).

    Precomposed where Unicode has it (ŷ, not y + ◌̂): one character per column in a terminal.
    """
    text = _plain(spelling)
    text = _SCRIPT.sub(lambda m: _script(m.group(1), _plain(m.group(2))), text)
    return text.replace("{", "").replace("}", "").replace("'", "′")


