"""Display names: expressions written with the author's spellings (ŷᵢ, σ, x⁽ⁱ⁾ₖ), for checker and reports."""

from __future__ import annotations

import re
import unicodedata

import sympy
from sympy.core.function import AppliedUndef

from verifier import model
from verifier.notation import Notation

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
_ACCENTED = re.compile(r"\\(" + "|".join(_ACCENTS) + r")\s*(?:\{([^{}]*)\}|([A-Za-z]))")
_FONT = re.compile(r"\\(?:mathbf|boldsymbol|mathrm|mathit|mathsf|operatorname)\s*\{([^{}]*)\}")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_HEAD = re.compile(r"\\[A-Za-z]+\s*\{[^{}]*\}|\\[A-Za-z]+|\{[^{}]*\}|[A-Za-z]+")


def _greek(name: str) -> str:
    if name in _VARIANTS:
        return _VARIANTS[name]
    case = "CAPITAL" if name[:1].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return name


def unicode_name(spelling: str) -> str:
    """`\\hat{y}_i` → `ŷ_i`, `\\sigma` → `σ`, `x^{(i)}_j` → `x^(i)_j` (SymPy then sets the scripts)."""
    text = _ACCENTED.sub(lambda m: unicode_name(m.group(2) or m.group(3)) + _ACCENTS[m.group(1)], spelling)
    text = _FONT.sub(r"\1", text)
    text = _COMMAND.sub(lambda m: _greek(m.group(1)), text)
    # Precomposed where Unicode has it (ŷ, not y + ◌̂): one character per column in a terminal.
    return unicodedata.normalize("NFC", text.replace("{", "").replace("}", "").replace(" ", ""))


def _index_text(index: sympy.Basic) -> str:
    """An index as written: a Dummy prints as `_k` by default, which SymPy would take for a script."""
    plain = index.xreplace({d: sympy.Symbol(d.name) for d in index.atoms(sympy.Dummy)})
    return str(plain).replace(" ", "")


def _element_name(spelling: str, formal: tuple[sympy.Symbol, ...], actual: tuple[sympy.Basic, ...]) -> str:
    """The spelling of a family element: the family's formal indices replaced by the actual ones."""
    head = _HEAD.match(spelling)
    cut = head.end() if head else 0
    names = {str(f): _index_text(a) for f, a in zip(formal, actual, strict=False)}
    if not names:
        return unicode_name(spelling)
    pattern = re.compile(r"(?<![A-Za-z\\])(" + "|".join(map(re.escape, names)) + r")(?![A-Za-z])")
    scripts = pattern.sub(lambda m: names[m.group(1)], spelling[cut:])
    return unicode_name(spelling[:cut]) + unicode_name(scripts)


def renamed(expr: sympy.Basic, notation: Notation) -> sympy.Basic:
    """The expression with every declared name printed as the author spelled it."""
    mapping: dict[sympy.Basic, sympy.Basic] = {
        sym: sympy.Symbol(unicode_name(spelling)) for spelling, sym in notation.symbols.items()
    }
    families = {fam.base: (spelling, fam.indices) for spelling, fam in notation.families.items()}
    for element in expr.atoms(sympy.Indexed):
        spelling, formal = families.get(element.base, (str(element.base.label), ()))
        mapping[element] = sympy.Symbol(_element_name(spelling, formal, element.indices))
    heads = {spec.head: unicode_name(spelling) for spelling, spec in notation.functions.items()}
    out = expr.xreplace(mapping)
    return out.replace(
        lambda e: isinstance(e, AppliedUndef) and e.func in heads,
        lambda e: sympy.Function(heads[e.func])(*e.args),
    )


def pretty_step(tex: model.Tex, notation: Notation, width: int, height: int = 8) -> str | None:
    """The step's pretty form when it fits in `width` × `height`; None when it does not or cannot be read."""
    from verifier.latex import read_expr

    try:
        expr = renamed(read_expr(tex, notation), notation)
        text = sympy.pretty(expr, use_unicode=True, wrap_line=False)
    except Exception:  # a report never fails because a step cannot be pretty-printed
        return None
    lines = text.splitlines()
    if not lines or len(lines) > height or max(len(line) for line in lines) > width:
        return None
    return text


def notation_of(d: model.Derivation | None) -> Notation | None:
    """The compiled notation of a derivation, or None when there is none or it cannot be compiled."""
    if d is None:
        return None
    from verifier.latex import compile_notation

    try:
        return compile_notation(d)
    except Exception:  # unreadable declarations are reported elsewhere; here they only mean no pretty form
        return None
