"""A refuting probe point as the author would write it: the counterexample an Outcome carries.

Every entry names a concrete variable in the author's spelling (`x^{(3)}_2`, `y^{(3)}`: the element
itself, never `x^{(i)}_j` beside `i = 3`), only variables the step pair uses, in a stable order that
follows the steps: sizes first (m, n), then indices (i, j), then the other variables in the order the
steps' LaTeX first names them (elements of one family by their indices), then the concrete bodies
given to opaque functions.
"""

from __future__ import annotations

import re

import sympy

from verifier import display
from verifier.check.compare import close
from verifier.check.probe import Prober, Sample
from verifier.check.probe import _show as value_text


def _base(atom: sympy.Basic) -> sympy.Basic:
    return atom.base if isinstance(atom, sympy.Indexed) else atom


def _head(spelling: str) -> str:
    """The part of a spelling that names it in a step: `x` of `x^{(i)}_j`, `\\hat{y}` of `\\hat{y}_i`."""
    m = re.match(r"\\[A-Za-z]+\s*\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z]+", spelling)
    return m.group(0) if m else spelling


def _position(spelling: str, text: str) -> int | None:
    head = _head(spelling)
    m = re.search(r"(?<![A-Za-z\\])" + re.escape(head) + r"(?![A-Za-z])", text)
    return m.start() if m else None


def _used(prober: Prober) -> set[sympy.Basic]:
    """What the two sides mention: the prober's symbols (the sides' free symbols, those of the chain's
    equations and every symbol of an index range's bounds) and the families the sides write. SymPy's
    free_symbols of the sides, once added here too, walked both trees again for what unfolded steps
    never hold beyond these (a bound variable an inner limit's bound still names, SymPy counting it
    free; a family base standing alone)."""
    return set(prober.symbols) | prober.bases


def sides(sample: Sample) -> tuple[str, str] | None:
    """The two steps' values at a refuting point (previous, this), short; None when either is missing."""
    if sample.lhs is None or sample.rhs is None:
        return None
    return _complex_text(sample.lhs), _complex_text(sample.rhs)


def _complex_text(z: complex) -> str:
    if close(z, z.real):  # an imaginary part within the figures' tolerance is not shown
        return f"{z.real:.6g}"
    return f"{z.real:.6g} {'+' if z.imag >= 0 else '−'} {abs(z.imag):.6g}i"


def counterexample(sample: Sample, prober: Prober, text: str) -> dict[str, str]:
    """The sample's values under concrete author spellings, ordered as described in the module docstring.

    `text` is the LaTeX of the two steps (and of the chain's assumptions): positions in it give the order.
    """
    notation = prober.notation
    used = _used(prober)
    declared = {sym: k for k, sym in enumerate(notation.symbols.values())}
    declared |= {fam.base: len(declared) + k for k, fam in enumerate(notation.families.values())}
    rows: list[tuple[tuple[int, int, tuple[int, ...], str], str, str]] = []
    for atom, value in sample.values.items():
        base = _base(atom)
        if base not in used:
            continue  # only in an assumption: not something this step depends on
        name = display.spelling(atom, notation)
        rank = 0 if atom in prober.sizes else 1 if atom in notation.indices else 2
        where = _position(notation.spelling_of(base), text)
        place = where if where is not None else len(text) + declared.get(base, len(declared))
        indices = tuple(int(i) if i.is_Integer else 0 for i in getattr(atom, "indices", ()))
        rows.append(((rank, place, indices, name), name, value_text(value)))
    out = {name: value for _, name, value in sorted(rows, key=lambda r: r[0])}
    shown_names = set(sample.names.values())
    for name, value in sample.display.items():  # concrete bodies of opaque functions
        if name not in shown_names and name not in out:
            out[name] = value
    return out
