"""read_expr / read_relation: scan, resolve names, parse (LALR), build SymPy; failures are InputErrors."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from importlib import resources

import sympy
from lark import Lark, Token, Tree
from lark.common import LexerConf
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError
from lark.lexer import Lexer

from verifier.errors import InputError
from verifier.latex.errors import ReadError, located
from verifier.latex.names import Entry, Resolver
from verifier.latex.scan import scan
from verifier.latex.scope import Scope, scope_for
from verifier.latex.transformer import Builder
from verifier.model import Tex
from verifier.notation import Notation


class _Given(Lexer):
    """Lark's lexer slot: the tokens were already produced by the name resolver."""

    def __init__(self, conf: LexerConf) -> None:
        pass

    def lex(self, data: list[Token]) -> Iterator[Token]:  # type: ignore[override]
        yield from data


@functools.cache
def parser() -> Lark:
    """The LALR parser, built on first use."""
    grammar = resources.files("verifier.latex").joinpath("latex.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer=_Given,
        start=["start_expr", "start_relation"],
        maybe_placeholders=True,
        propagate_positions=True,  # rule positions, for messages about a whole construct
    )


# What the parser was waiting for, in words a reader of the file understands.
_WANTED = {
    "_RPAR": "')'",
    "_RBRACK": "']'",
    "_RBRACE": "'}'",
    "_RCURLY": "'\\}'",
    "_LPAR": "'('",
    "_LBRACE": "'{'",
    "_IDX_CLOSE": "end of index",
    "_EQ": "'='",
    "SYM": "a name",
    "_COMMA": "','",
}
_SHOWN = {"_IDX_OPEN": "index", "_IDX_SEP": "','", "_IDX_CLOSE": "end of index"}


def _describe(tok: Token, text: str) -> str:
    if tok.type in _SHOWN:
        return _SHOWN[tok.type]
    if tok.start_pos is not None and tok.end_pos is not None:
        return f"'{text[tok.start_pos : tok.end_pos]}'"
    return f"'{tok}'"


# Common mistakes, labelled by the parser state they leave (lark's match_examples), in a tiny scope.
_EXAMPLES: dict[str, list[str]] = {
    "empty brackets": ["()", "a()", "[]", "a[]", "{}", "a{}", "a + ()", r"\frac{}{a}", r"\sqrt{}", r"\{\}"],
    "an operator without a left operand": [r"\cdot a", "/ a", "* a", r"a + \cdot b", "a - / b", r"(\cdot a)"],
    "an operator without a right operand": [
        "(a +)",
        r"(a \cdot)",
        "[a -]",
        "{a /}",
        "(a + )b",
        r"a \cdot + b",
    ],
    "a comma outside an argument list": ["a, b", "(a, b)", "[a, b]"],
}


@functools.cache
def _example_entries() -> tuple[Entry, ...]:
    return (Entry("symbol", "a", ("a",)), Entry("symbol", "b", ("b",)), Entry("function", "f", ("f",)))


def _parse_example(text: str) -> Tree[Token]:
    tokens = Resolver(list(_example_entries()), text).run(scan(text))
    return parser().parse(tokens, start="start_expr")


def _parse_error(err: UnexpectedInput, text: str, start: str) -> ReadError:
    """One-line messages for the usual mistakes."""
    if isinstance(err, UnexpectedEOF) or (isinstance(err, UnexpectedToken) and err.token.type == "$END"):
        if start == "start_relation":
            return ReadError("expected a relation such as 'i = j' or 'i \\neq j'", len(text))
        return ReadError("the expression ends too early", len(text))
    if isinstance(err, UnexpectedToken):
        tok = err.token
        at = tok.start_pos or 0
        expected = set(err.expected)
        if expected == {"_LPAR", "_LBRACE"} or expected == {"_LPAR", "_LBRACE", "PRIME"}:
            return ReadError(
                f"a function needs its argument in parentheses, before {_describe(tok, text)}", at
            )
        if tok.type == "D":
            return ReadError("undeclared name 'd' (a differential d appears only in \\frac{d}{dx})", at)
        if tok.type in ("_EQ", "_NE", "_LT", "_LE", "_GT", "_GE") and start == "start_expr":
            return ReadError("a step is one expression, not a relation: write each side as its own step", at)
        if tok.type == "TRANSPOSE":
            return ReadError("^T must follow a vector", at)
        label = err.match_examples(_parse_example, _EXAMPLES, use_accepts=True)
        if label is not None:
            return ReadError(f"{label} (at {_describe(tok, text)})", at)
        wanted = sorted(_WANTED[e] for e in expected if e in _WANTED)
        hint = f" (expected {' or '.join(wanted)})" if wanted and len(wanted) <= 3 else ""
        return ReadError(f"unexpected {_describe(tok, text)}{hint}", at)
    if isinstance(err, UnexpectedCharacters):  # pragma: no cover - our lexer yields tokens only
        return ReadError("unexpected character", err.pos_in_stream or 0)
    return ReadError(str(err).splitlines()[0], 0)  # pragma: no cover


def read_in_scope(tex: Tex, scope: Scope, start: str = "start_expr") -> sympy.Basic:
    """Read tex in scope (raises ReadError located in tex.text)."""
    tokens = Resolver(scope.entries, tex.text).run(scan(tex.text))
    if not tokens:
        raise ReadError("empty expression", 0)
    try:
        tree = parser().parse(tokens, start=start)
    except UnexpectedInput as err:
        raise _parse_error(err, tex.text, start) from None
    try:
        result: sympy.Basic = Builder(scope).transform(tree)
    except VisitError as err:
        if isinstance(err.orig_exc, ReadError):
            raise err.orig_exc from None
        if isinstance(err.orig_exc, RecursionError):
            raise ReadError("expression nested too deeply", 0) from None
        raise
    return result


def _guarded(tex: Tex, notation: Notation, start: str) -> sympy.Basic:
    try:
        return read_in_scope(tex, scope_for(notation), start)
    except ReadError as err:
        raise located(tex, err) from None
    except RecursionError:
        raise located(tex, ReadError("expression nested too deeply", 0)) from None


def read_expr(tex: Tex, notation: Notation) -> sympy.Expr:
    """One step's expression, with defined symbols kept folded (raises InputError)."""
    result = _guarded(tex, notation, "start_expr")
    assert isinstance(result, sympy.Expr)
    return result


def read_relation(tex: Tex, notation: Notation) -> sympy.Basic:
    """A chain assumption: Eq / Ne / Lt / Le / Gt / Ge (raises InputError)."""
    return _guarded(tex, notation, "start_relation")


__all__ = ["InputError", "read_expr", "read_relation"]
