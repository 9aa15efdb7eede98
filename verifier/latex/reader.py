"""read_expr / read_relation: scan, resolve names, parse (LALR), build SymPy; failures are InputErrors."""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Iterator

import sympy
from lark import Lark, Token, Tree
from lark.common import LexerConf
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError
from lark.lexer import Lexer

from verifier.errors import InputError
from verifier.latex import messages as m
from verifier.latex import tables
from verifier.latex.errors import ReadError, located
from verifier.latex.names import GREEK, Entry, Resolver
from verifier.latex.scan import Tok, group_end, scan
from verifier.latex.scope import Scope, scope_for
from verifier.latex.shapes import Fault, Mat, StepValue, not_a_number
from verifier.latex.transformer import Builder
from verifier.model import Tex
from verifier.notation import IndexRange, Notation


class _Given(Lexer):
    """Lark's lexer slot: the tokens were already produced by the name resolver."""

    def __init__(self, conf: LexerConf) -> None:
        pass

    def lex(self, data: list[Token]) -> Iterator[Token]:  # type: ignore[override]
        yield from data


@functools.cache
def parser() -> Lark:
    """The LALR parser, once per process (its tables are saved on disk: tables.py)."""
    return tables.build(_Given)


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
_EXAMPLES: dict[type[m.ParseSlip], list[str]] = {
    m.EmptyBrackets: ["()", "a()", "[]", "a[]", "{}", "a{}", "a + ()", r"\frac{}{a}", r"\sqrt{}", r"\{\}"],
    m.NoLeftOperand: [r"\cdot a", "/ a", "* a", r"a + \cdot b", "a - / b", r"(\cdot a)"],
    m.NoRightOperand: [
        "(a +)",
        r"(a \cdot)",
        "[a -]",
        "{a /}",
        "(a + )b",
        r"a \cdot + b",
    ],
    m.StrayComma: ["a, b", "(a, b)", "[a, b]"],
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
            return ReadError(m.ExpectedRelation(), len(text))
        return ReadError(m.EndsTooEarly(), len(text))
    if isinstance(err, UnexpectedToken):
        tok = err.token
        at = tok.start_pos or 0
        expected = set(err.expected)
        if expected == {"_LPAR", "_LBRACE"} or expected == {"_LPAR", "_LBRACE", "PRIME"}:
            return ReadError(m.FunctionNeedsParentheses(_describe(tok, text)), at)
        if tok.type == "D":
            return ReadError(m.StrayD(), at)
        if tok.type in ("_EQ", "_NE", "_LT", "_LE", "_GT", "_GE") and start == "start_expr":
            return ReadError(m.RelationInStep(), at)
        if tok.type == "TRANSPOSE":
            return ReadError(m.TransposeWithoutVector(), at)
        if tok.type == "INFTY":
            return ReadError(m.InfinityOnlyAsUpperLimit(), at)
        label = err.match_examples(_parse_example, _EXAMPLES, use_accepts=True)
        if label is not None:
            return ReadError(label(_describe(tok, text)), at)
        wanted = sorted(_WANTED[e] for e in expected if e in _WANTED)
        hint = f" (expected {' or '.join(wanted)})" if wanted and len(wanted) <= 3 else ""
        return ReadError(m.UnexpectedToken(_describe(tok, text), hint), at)
    if isinstance(err, UnexpectedCharacters):  # pragma: no cover - our lexer yields tokens only
        return ReadError(m.UnexpectedCharacter("?"), err.pos_in_stream or 0)
    return ReadError(m.UnexpectedToken(str(err).splitlines()[0]), 0)  # pragma: no cover


# Tokens after which a bare number is not a coefficient but a misreading waiting to happen
# (`x 2`, the `e 5` of `1e5`); a closing brace is not among them: `\sum_{k=1}^{N} 2 x_k` is fine.
_ENDS_OPERAND = frozenset({"SYM", "E_CONST", "NUMBER", "_IDX_CLOSE", "_RPAR", "_RBRACK", "_RCURLY", "_RVERT"})
_GROUP_OPEN = frozenset({"_LPAR", "_LBRACK", "_LCURLY", "_LVERT", "_LBRACE"})
_GROUP_CLOSE = frozenset({"_RPAR", "_RBRACK", "_RCURLY", "_RVERT", "_RBRACE"})
_BARE_FUNCTIONS = {"log": "\\log", "ln": "\\ln", "exp": "\\exp", "builtin": "", "builtin_power": ""}


def _check_tokens(tokens: list[Token]) -> None:
    """Juxtapositions that print one way and would silently be read another."""
    for prev, tok in itertools.pairwise(tokens):
        if tok.type == "NUMBER" and prev.type in _ENDS_OPERAND:
            raise ReadError(m.NumberAfterFactor(str(tok)), tok.start_pos or 0)
    for n, tok in enumerate(tokens[:-1]):
        if tok.type == "_FRAC" and _is_symbol_d(tokens, n + 2):
            close = _matching(tokens, n + 1)
            if close + 2 < len(tokens) and _is_symbol_d(tokens, close + 2):
                raise ReadError(m.DeclaredD(), tok.start_pos or 0)


_NAME_TOKENS = frozenset({"SYM", "VEC", "FAM"})


def _check_defined_calls(tokens: list[Token], scope: Scope, text: str) -> None:
    """`J(\\theta)` with J a defined symbol whose definition uses θ: product or application? Refuse.
    Only a bracket of bare names (an argument list) counts: `\\eta (\\frac{1}{N} …)` stays a product."""
    for n, tok in enumerate(tokens[:-1]):
        if tok.type != "SYM" or str(tok) not in scope.uses or tokens[n + 1].type != "_LPAR":
            continue
        close = _matching(tokens, n + 1)
        names = _bare_names(tokens[n + 2 : close], scope)
        if names and all(name in scope.uses[str(tok)] for name, _ in names):
            written = text[tok.start_pos or 0 : tokens[close].end_pos or len(text)]
            shown = ", ".join(spelled for _, spelled in names)
            raise ReadError(m.DefinedSymbolCall(written, str(tok), shown), tok.start_pos or 0)


def _bare_names(toks: list[Token], scope: Scope) -> list[tuple[sympy.Basic, str]] | None:
    """The names of `a, b, x_i` (each with its spelling), or None when toks is anything else."""
    out: list[tuple[sympy.Basic, str]] = []
    k = 0
    while k < len(toks):
        tok = toks[k]
        if tok.type not in _NAME_TOKENS:
            return None
        key = str(tok)
        if tok.type == "SYM":
            out.append((scope.symbols[key], key))
        elif tok.type == "VEC":
            out.append((scope.vectors[key].base, key))
        else:
            out.append((scope.families[key].base, key))
        k += 1
        if k < len(toks) and toks[k].type == "_IDX_OPEN":
            k = _matching_index(toks, k) + 1
        if k < len(toks) and toks[k].type == "TRANSPOSE":
            k += 1
        if k < len(toks):
            if toks[k].type != "_COMMA":
                return None
            k += 1
    return out


def _matching_index(toks: list[Token], n: int) -> int:
    depth = 0
    for k in range(n, len(toks)):
        depth += {"_IDX_OPEN": 1, "_IDX_CLOSE": -1}.get(toks[k].type, 0)
        if depth == 0:
            return k
    return len(toks) - 1


def _is_symbol_d(tokens: list[Token], n: int) -> bool:
    return n < len(tokens) and tokens[n].type == "SYM" and str(tokens[n]) == "d"


def _matching(tokens: list[Token], n: int) -> int:
    """The index of the bracket closing the group that opens at tokens[n] (or the last index)."""
    depth = 0
    for k in range(n, len(tokens)):
        if tokens[k].type in _GROUP_OPEN:
            depth += 1
        elif tokens[k].type in _GROUP_CLOSE:
            depth -= 1
            if depth == 0:
                return k
    return len(tokens) - 1


def _bare_argument(tree: Tree[Token], tokens: list[Token]) -> bool:
    """Whether a \\log / \\ln / \\exp node took its argument without brackets (`\\log x`)."""
    start = getattr(tree.meta, "start_pos", None)
    heads = ("_LOG", "_LN", "_EXP", "FNAME")
    n = next((k for k, t in enumerate(tokens) if t.start_pos == start and t.type in heads), None)
    if n is None:
        return False
    n += 1
    if n < len(tokens) and tokens[n].type == "_UNDERSCORE":  # the base of \log_{b}
        n = _matching(tokens, n + 1) + 1
    if n < len(tokens) and tokens[n].type == "CARET":  # the power of \sin^2
        n = _matching(tokens, n + 1) + 1
    return n < len(tokens) and tokens[n].type not in _GROUP_OPEN


def _follows(node: Tree[Token], slash: Token, tokens: list[Token]) -> bool:
    """Whether node starts right after the slash (`a/b c`), not inside a bracket (`a/(b c)`)."""
    start = getattr(node.meta, "start_pos", None)
    n = next((k for k, t in enumerate(tokens) if t.start_pos == start), None)
    return n is not None and n > 0 and tokens[n - 1].start_pos == slash.start_pos


# Where a bare brace group holding a sum is read differently from its print: next to a factor
# (`{a+b}c` prints a+bc), as a base, after a minus, as a function's bare argument or an operator's body.
# The positions are the children that may hold such an operand (None: every child).
_BRACE_SENSITIVE: dict[str, tuple[int, ...] | None] = {
    "implicit": None,
    "factors": (0,),
    "times": (-1,),
    "over": (-1,),
    "power": (0,),
    "neg": (-1,),
    "minus_term": (-1,),
    "log": (-1,),
    "ln": (-1,),
    "exp": (-1,),
    "bigop": (-1,),
    "bigop_upper_first": (-1,),
    "diffop": (-1,),
}


def _check_braces(node: Tree[Token], tokens: list[Token], text: str) -> None:
    """Refuse `{a+b}c`: braces are invisible in print, so the sum would be read as nobody sees it."""
    where = _BRACE_SENSITIVE.get(str(node.data), ())
    kids = node.children
    chosen = kids if where is None else [kids[k] for k in where if -len(kids) <= k < len(kids)]
    for kid in chosen:
        if not (isinstance(kid, Tree) and kid.data == "brace"):
            continue
        inner = kid.children[0]
        if not (isinstance(inner, Tree) and inner.data == "terms"):
            continue
        start = getattr(kid.meta, "start_pos", None)
        n = next((k for k, t in enumerate(tokens) if t.start_pos == start and t.type == "_LBRACE"), None)
        if n is None:  # pragma: no cover - a brace node starts at its brace
            continue
        close = _matching(tokens, n)
        if tokens[n + 1].type in _GROUP_OPEN and _matching(tokens, n + 1) == close - 1:
            continue  # {(a+b)}: the brackets inside are seen
        end = tokens[close].end_pos or len(text)
        first, last = tokens[n + 1].start_pos or 0, tokens[close - 1].end_pos or 0
        raise ReadError(m.InvisibleBraces(text[start or 0 : end], text[first:last]), start or 0)


def _check_tree(tree: Tree[Token], tokens: list[Token], text: str = "") -> None:
    """Ambiguous products: `a/b c` and `\\log x y` (print gives no single reading; refuse both)."""
    for node in tree.iter_subtrees():
        _check_braces(node, tokens, text)
        if node.data == "over":
            operand = node.children[-1]
            slash = node.children[0]
            if (
                isinstance(operand, Tree)
                and operand.data == "implicit"
                and isinstance(slash, Token)
                and _follows(operand, slash, tokens)
            ):
                raise ReadError(m.AmbiguousSlash(), getattr(slash, "start_pos", None) or 0)
        if node.data == "indices":
            for index in node.children:
                names = [k for k in getattr(index, "children", ()) if isinstance(k, Tree) and k.data == "symbol"]
                if isinstance(index, Tree) and index.data == "implicit" and len(names) > 1:
                    # x_{ij} for a family of ONE index: the product i·j is nobody's meaning
                    raise ReadError(m.ProductInIndex(), getattr(index.meta, "start_pos", None) or 0)
        if node.data == "implicit":
            kids = node.children
            for here, after in itertools.pairwise(kids):
                if not (isinstance(here, Tree) and here.data in _BARE_FUNCTIONS):
                    continue
                if isinstance(after, Tree) and after.data in _BARE_FUNCTIONS:
                    continue  # \log x \log y: a product of logarithms, as printed
                if _bare_argument(here, tokens):
                    name = _BARE_FUNCTIONS[str(here.data)] or str(here.children[0])
                    raise ReadError(m.AmbiguousBareArgument(name), getattr(here.meta, "start_pos", None) or 0)


@dataclasses.dataclass(frozen=True)
class Parsed:
    """A string parsed and checked, not yet built: its tree, the scope it is built in (with the indices
    bound in it) and those indices (name → symbol, offset)."""

    tree: Tree[Token]
    scope: Scope
    bound: dict[str, tuple[sympy.Symbol, int]]


def parse_in_scope(tex: Tex, scope: Scope, start: str = "start_expr") -> Parsed:
    """Scan, resolve, parse and check tex in scope (raises ReadError located in tex.text)."""
    raw = scan(tex.text)
    bound = bound_indices(raw, scope)
    if bound:
        scope = _with_bound(scope, bound)
    tokens = Resolver(scope.entries, tex.text).run(raw)
    if not tokens:
        raise ReadError(m.EmptyExpression(), 0)
    _check_tokens(tokens)
    _check_defined_calls(tokens, scope, tex.text)
    try:
        tree = parser().parse(tokens, start=start)
    except UnexpectedInput as err:
        raise _parse_error(err, tex.text, start) from None
    _check_tree(tree, tokens, tex.text)
    return Parsed(tree, scope, bound)


def read_in_scope(
    tex: Tex, scope: Scope, start: str = "start_expr", shaped: bool = False
) -> sympy.Basic | StepValue:
    """Read tex in scope (raises ReadError located in tex.text). Only with `shaped` may the result be a
    vector or matrix (a step); elsewhere (definitions, bounds, relations) a number is needed."""
    parsed = parse_in_scope(tex, scope, start)
    return build(parsed, parsed.tree, shaped)


def build(parsed: Parsed, tree: Tree[Token], shaped: bool = False) -> sympy.Basic | StepValue:
    """The value of a parsed tree (or of an edited copy of it: verifier/latex/repairs.py), in its scope
    (raises ReadError)."""
    scope, bound = parsed.scope, parsed.bound
    try:
        result: sympy.Basic = Builder(scope).transform(tree)
    except VisitError as err:
        if isinstance(err.orig_exc, ReadError):
            raise err.orig_exc from None
        if isinstance(err.orig_exc, RecursionError):
            raise ReadError(m.NestedTooDeeply(), 0) from None
        raise
    free = result.entry.free_symbols if isinstance(result, Mat) else getattr(result, "free_symbols", set())
    for name, (sym, at) in bound.items():
        if sym in free:
            raise ReadError(m.BoundIndexOutside(name), at)
    if not shaped and isinstance(result, Mat):
        raise not_a_number(result, "here")
    if not shaped and isinstance(result, Fault):
        raise ReadError(result.what, result.offset)
    return result


def bound_indices(toks: list[Tok], scope: Scope) -> dict[str, tuple[sympy.Symbol, int]]:
    """Indices bound where they are written (contract §5): the undeclared `k` of `\\sum_{k=1}^{N}`.
    Each is an integer Symbol for this string only; its limits must both be written."""
    declared = {e.base for e in scope.entries}
    out: dict[str, tuple[sympy.Symbol, int]] = {}
    for n, t in enumerate(toks):
        if t.value not in ("\\sum", "\\prod"):
            continue
        k, upper = n + 1, False
        while k < len(toks) and toks[k].value in ("_", "^"):
            if toks[k].value == "^":
                upper = True
            elif toks[k + 2].kind == "letter" or toks[k + 2].value in GREEK:
                name = toks[k + 2]
                if (name.value,) not in declared:
                    has_start = k + 3 < len(toks) and toks[k + 3].value == "="
                    end = group_end(toks, k + 1)
                    upper = upper or (end < len(toks) and toks[end].value == "^")
                    if not (has_start and upper):
                        raise ReadError(m.BoundIndexNeedsLimits(name.value), name.start)
                    if name.value not in out:
                        out[name.value] = (sympy.Symbol(name.value, integer=True), name.start)
            k = group_end(toks, k + 1)
    return out


def _with_bound(scope: Scope, bound: dict[str, tuple[sympy.Symbol, int]]) -> Scope:
    """scope plus the indices bound in this string (the cached scope itself is never changed)."""
    entries = [*scope.entries, *(Entry("symbol", name, (name,)) for name in bound)]
    symbols = {**scope.symbols, **{name: sym for name, (sym, _) in bound.items()}}
    # the limits are always written for a bound index; nan makes any other use fail loudly
    indices = {**scope.indices, **{sym: IndexRange(sym, sympy.nan, sympy.nan) for sym, _ in bound.values()}}
    return dataclasses.replace(scope, entries=entries, symbols=symbols, indices=indices)


def _guarded(tex: Tex, notation: Notation, start: str, shaped: bool = False) -> sympy.Basic | StepValue:
    try:
        return read_in_scope(tex, scope_for(notation), start, shaped)
    except ReadError as err:
        raise located(tex, err) from None
    except RecursionError:
        raise located(tex, ReadError(m.NestedTooDeeply(), 0)) from None


def read_expr(tex: Tex, notation: Notation) -> sympy.Expr:
    """One step's expression, with defined symbols kept folded (raises InputError)."""
    result = _guarded(tex, notation, "start_expr")
    assert isinstance(result, sympy.Expr)
    return result


def read_step(tex: Tex, notation: Notation) -> StepValue:
    """One step: a number, a vector or matrix (`Mat`), or an operation that cannot be formed (`Fault`,
    a refuted step, not unreadable text) (raises InputError)."""
    result = _guarded(tex, notation, "start_expr", shaped=True)
    assert isinstance(result, sympy.Expr | Mat | Fault)
    return result


def read_relation(tex: Tex, notation: Notation) -> sympy.Basic:
    """A chain assumption: Eq / Ne / Lt / Le / Gt / Ge (raises InputError)."""
    result = _guarded(tex, notation, "start_relation")
    assert isinstance(result, sympy.Basic)
    return result


__all__ = ["InputError", "read_expr", "read_relation", "read_step"]
