"""Builders of declarations for reader and notation tests: `sym`, `fn`, `notation` instead of a TOML file."""

from __future__ import annotations

from collections.abc import Sequence

from verifier.latex import compile_notation
from verifier.model import Derivation, FunctionDecl, Loc, SymbolDecl, Tex
from verifier.notation import Notation

LOC = Loc("t.toml", 3, 5)


def tex(s: str, loc: Loc = LOC) -> Tex:
    return Tex(s, loc)


def sym(
    key: str,
    words: str = "",
    *,
    range: tuple[str, str] | None = None,
    define: str | None = None,
    components: str | None = None,
    loc: Loc = LOC,
    text_column: int | None = None,
) -> SymbolDecl:
    """A [symbols] entry declared at `loc`; its LaTeX values start at `text_column` of the same line."""
    at = Loc(loc.file, loc.line, text_column or loc.column)
    return SymbolDecl(
        key,
        loc,
        tuple(words.split()),
        (tex(range[0], at), tex(range[1], at)) if range else None,
        tex(define, at) if define else None,
        components,
    )


def fn(
    key: str,
    args: Sequence[str],
    define: str | None = None,
    vector_args: tuple[str, ...] = (),
    *,
    loc: Loc = LOC,
    text_column: int | None = None,
    given: tuple[str, ...] = (),
    parameters: tuple[str, ...] = (),
) -> FunctionDecl:
    """A [functions] entry declared at `loc` (`given`, `parameters`: a conditional P(v \\mid u; t))."""
    at = Loc(loc.file, loc.line, text_column or loc.column)
    return FunctionDecl(key, loc, tuple(args), tex(define, at) if define else None, vector_args, given, parameters)


def derivation(*decls: SymbolDecl | FunctionDecl, file: str = "t.toml") -> Derivation:
    symbols = tuple(d for d in decls if isinstance(d, SymbolDecl))
    functions = tuple(d for d in decls if isinstance(d, FunctionDecl))
    return Derivation("t", file, "t", symbols, functions, ())


def notation(*decls: SymbolDecl | FunctionDecl, file: str = "t.toml") -> Notation:
    return compile_notation(derivation(*decls, file=file))
