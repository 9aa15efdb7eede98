"""The "where" paragraph of a derivation: its definitions and the assumptions its words make, as LaTeX."""

from __future__ import annotations

from dataclasses import dataclass

from verifier import model
from verifier.report.tex.escape import escape_text
from verifier.report.tex.safe import math_key, step_math
from verifier.words import latex_conditions


def _conditions(words: tuple[str, ...]) -> list[str]:
    """How assumption words read in a "where" list (the symbol comes first): verifier/words.py."""
    return latex_conditions(words, escape_text)


@dataclass(frozen=True)
class WhereList:
    """What a derivation declares, as LaTeX: definitions (`lhs = rhs` pairs) and assumptions."""

    definitions: tuple[tuple[str, str], ...]
    assumptions: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.definitions or self.assumptions)


def where_parts(
    d: model.Derivation | None,
    display: str,
    joiner: str,
    ascii_only: bool = True,
    lead: tuple[str, str] = ("where", "for"),
) -> str:
    """The "where" paragraph: definitions aligned at `=` in `display` (a format string with `{rows}`: the
    LaTeX `align*` or the Markdown `$$ aligned $$`), then the assumptions inline; parts joined by `joiner`."""
    wl = where_list(d)
    out = []
    if wl.definitions:
        rows = " \\\\\n".join(
            f"{step_math(lhs, ascii_only)} &= {step_math(rhs, ascii_only)}" for lhs, rhs in wl.definitions
        )
        out.append(lead[0] + display.format(rows=rows))
    if wl.assumptions:
        first = (lead[1] if wl.definitions else lead[0]) + " "
        out.append(first + ", ".join(f"${step_math(a, ascii_only)}$" for a in wl.assumptions) + ".")
    return joiner.join(out)


def where_list(d: model.Derivation | None) -> WhereList:
    """The 'where ŷ_i = σ(z_i), σ(t) = 1/(1+e^{-t}), w ∈ ℝ …' list of a derivation."""
    if d is None:
        return WhereList((), ())
    defs: list[tuple[str, str]] = []
    groups: dict[str, list[str]] = {}
    ranges: list[str] = []
    for s in d.symbols:
        key = math_key(s.key)
        if s.define is not None:
            defs.append((key, s.define.text.strip()))
        elif s.range is not None:
            ranges.append(f"{s.range[0].text.strip()} \\leq {key} \\leq {s.range[1].text.strip()}")
        elif s.components is not None:
            defs.append((key, f"({math_key(s.components)})"))
        for cond in _conditions(s.assume):
            groups.setdefault(cond, []).append(key)
    for f in d.functions:
        head = f"{math_key(f.key)}({', '.join(math_key(a) for a in f.args)})"
        if f.define is not None:
            defs.append((head, f.define.text.strip()))
    assumptions = [f"{', '.join(keys)} {cond}" for cond, keys in groups.items()] + ranges
    return WhereList(tuple(defs), tuple(assumptions))

