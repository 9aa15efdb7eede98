"""The declared notation of a derivation, compiled into SymPy objects (what the reader and checker share)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sympy

from verifier.model import Layout, Tex

if TYPE_CHECKING:  # the reader's module imports this one
    from verifier.latex.shapes import Mat


@dataclass(frozen=True)
class IndexRange:
    """An integer index symbol with its inclusive bounds: `i = { range = ["1", "N"] }`."""

    symbol: sympy.Symbol
    lower: sympy.Expr
    upper: sympy.Expr


@dataclass(frozen=True)
class Family:
    """An indexed family such as `x_i` or `x^{(i)}_j`: an IndexedBase over declared indices.

    `words` are the assumption words of its elements (empty for a defined family).
    """

    spelling: str
    base: sympy.IndexedBase
    indices: tuple[sympy.Symbol, ...]
    words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Vector:
    """A vector or matrix name (`\\mathbf{w}`, `x^{(i)}`, `X`): its entries are `family` over the `free`
    indices (contract §5.1).

    `fixed` are the family's indices written in the name's own spelling (the i of x^{(i)}).
    """

    spelling: str
    family: Family
    fixed: tuple[sympy.Symbol, ...] = ()
    # the family's indices the key does not show (formal order): one for a vector, two for a matrix
    free: tuple[sympy.Symbol, ...] = ()
    row: bool = False  # `row = true`: a 1×n row vector


@dataclass(frozen=True)
class FunctionSpec:
    """A declared function: its SymPy head, parameters and optional body (None when opaque)."""

    spelling: str
    head: type[sympy.Function]
    params: tuple[sympy.Symbol, ...]
    body: sympy.Expr | None = None
    vector_params: frozenset[str] = frozenset()
    # a conditional P(v \mid u; t): how many arguments come before the bar, after it, after the semicolon
    form: tuple[int, int, int] | None = None
    # parameters that take a whole vector or matrix (`matrix_args`): such a function has no SymPy body;
    # `shaped` is its define, read at each application with the arguments in place (its value, a number,
    # a vector or a matrix, and its shape follow from the define and the arguments' shapes)
    matrix_params: frozenset[str] = frozenset()
    shaped: Tex | None = None


@dataclass(frozen=True)
class Definition:
    """What a defined symbol stands for. For a family, `params` are its formal indices."""

    body: sympy.Expr
    params: tuple[sympy.Symbol, ...] = ()


@dataclass(frozen=True)
class Notation:
    """All declarations of one derivation, keyed by spelling, with definitions and domains."""

    symbols: dict[str, sympy.Symbol] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)
    vectors: dict[str, Vector] = field(default_factory=dict)
    functions: dict[str, FunctionSpec] = field(default_factory=dict)
    indices: dict[sympy.Symbol, IndexRange] = field(default_factory=dict)
    # key: a Symbol (plain defined symbol) or an IndexedBase (defined family)
    definitions: dict[sympy.Basic, Definition] = field(default_factory=dict)
    # assumption words of each plain symbol (families carry their own)
    words: dict[sympy.Symbol, frozenset[str]] = field(default_factory=dict)
    layout: Layout = Layout.DENOMINATOR
    # names declared `"indicator"`: `I\\{y = 1\\}` is 1 where the relation holds, else 0
    indicators: frozenset[str] = frozenset()
    # defined symbols whose define is a vector or matrix (h = σ(Xθ)): key → the value its name reads as,
    # entries h[r, c] of a defined family in `definitions` (the checker unfolds them to the define's entries)
    shaped: dict[str, Mat] = field(default_factory=dict)

    def spelling_of(self, obj: sympy.Basic) -> str:
        """The spelling a user wrote for a symbol or family base (for counterexamples and messages)."""
        for name, sym in self.symbols.items():
            if sym == obj:
                return name
        for name, fam in self.families.items():
            if fam.base == obj:
                return name
        return str(obj)
