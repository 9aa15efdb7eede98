"""Single edits of a step that holds vectors or matrices: the candidates of the repair search (issue 12).

When a matrix step is refuted though it has the shape of the previous step, the slip is often one
operation inside it: a factor missing its transpose (W δ for Wᵀ δ, W square), a transpose too many, ⊙
written for the matrix product or the reverse, the two factors of a product in the wrong order, an
outer product reversed (x δᵀ for δ xᵀ). Each edit here is made on a copy of the step's parse tree,
which is then built by the same Builder as the step itself, so an edited step means exactly what
the edited text would mean. The checker (verifier/check/matrix.py) decides each candidate against the
previous step and names the slip only when exactly one edit is proved to repair it; the edits only
shape that message, never a verdict.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sympy
from lark import Token, Tree

from verifier.errors import InputError
from verifier.latex import messages as m
from verifier.latex.errors import ReadError
from verifier.latex.reader import Parsed, build, parse_in_scope
from verifier.latex.scope import scope_for
from verifier.latex.shapes import Mat
from verifier.model import Tex
from verifier.notation import Notation

MAX_EDITS = 24  # candidates at most: a step with more places to edit is not searched (no slip named)

# leaves that are numbers whatever the step: transposing one or swapping it with a neighbour changes
# nothing, so no candidate is built for them
_NUMBERS = frozenset({"number", "symbol", "euler", "pi", "family"})


@dataclass(frozen=True)
class Repair:
    """One edit of the step (what it says, from the catalogue) and the step's value with it made."""

    what: m.Message
    value: Mat | sympy.Expr


Path = tuple[int, ...]


def repairs(tex: Tex, notation: Notation) -> list[Repair] | None:
    """The step's single edits that can be formed (a vector, a matrix or a number), in a fixed order; None
    when the step has more than MAX_EDITS places to edit or cannot be read (nothing is searched)."""
    try:
        parsed = parse_in_scope(tex, scope_for(notation))
    except (ReadError, InputError, RecursionError):
        return None
    edits = list(_edits(parsed.tree, tex.text))
    if len(edits) > MAX_EDITS:
        return None
    out: list[Repair] = []
    for path, node, what in edits:
        value = _built(parsed, _replaced(parsed.tree, path, node))
        if value is not None:
            out.append(Repair(what, value))
    return out


def _built(parsed: Parsed, tree: Tree[Token]) -> Mat | sympy.Expr | None:
    """The edited step's value, or None when the edit makes it unreadable or unformable."""
    try:
        value = build(parsed, tree, shaped=True)
    except (ReadError, RecursionError, ArithmeticError, TypeError, ValueError):
        return None
    return value if isinstance(value, Mat | sympy.Expr) else None


def _replaced(tree: Tree[Token], path: Path, node: Tree[Token]) -> Tree[Token]:
    """A copy of tree with the subtree at path replaced (only the nodes along the path are copied)."""
    if not path:
        return node
    children = list(tree.children)
    child = children[path[0]]
    assert isinstance(child, Tree)
    children[path[0]] = _replaced(child, path[1:], node)
    return Tree(tree.data, children, tree.meta)


def _text(node: Tree[Token] | Token, text: str) -> str | None:
    """How the author wrote a subtree (None when the parser recorded no position for it); a transpose
    is shown `^T` whatever its mark (its token's position is the mark's, not the closing brace's)."""
    if isinstance(node, Tree) and node.data == "transpose":
        inner = node.children[0]
        shown = _text(inner, text) if isinstance(inner, Tree | Token) else None
        return None if shown is None else _transpose_text(inner, shown)
    if isinstance(node, Token):
        start, end = node.start_pos, node.end_pos
        last: Token | None = node
    else:
        meta = node.meta
        start, end = getattr(meta, "start_pos", None), getattr(meta, "end_pos", None)
        tokens = [t for t in node.scan_values(lambda v: isinstance(v, Token)) if t.start_pos is not None]
        last = max(tokens, key=lambda t: t.start_pos or 0, default=None)
    if start is None or end is None or end <= start:
        return None
    if last is not None and last.type in _NAMES and text.startswith(str(last), last.start_pos or 0):
        # a name's token spans its first character only (`W` of `W^{(2)}`): it ends where its
        # declared spelling, written there, ends
        end = max(end, (last.start_pos or 0) + len(str(last)))
    return text[start:end].strip()


_NAMES = frozenset({"VEC", "SYM", "FAM"})

# subtrees shown in brackets when quoted as a factor (a bracket group's position excludes its brackets)
_COMPOUND = frozenset({"implicit", "factors", "terms", "neg", "pos"})


def _operand(node: object, shown: str) -> str:
    """A factor's text as it is quoted next to another factor: bracketed when it is compound."""
    return f"({shown})" if isinstance(node, Tree) and node.data in _COMPOUND else shown


def _transpose_text(node: object, shown: str) -> str:
    """`W^T`, `(W^{(2)})^T`, `(X \theta - y)^T`."""
    plain = isinstance(node, Tree) and node.data == "vector" and "^" not in shown and "_" not in shown
    return f"{shown}^T" if plain else f"({shown})^T"


def _transposed(node: Tree[Token]) -> Tree[Token]:
    """node with a transpose put on it (as if `^T` were written after it, in brackets)."""
    mark = Token("TRANSPOSE", "^T")
    return Tree("transpose", [node, mark], node.meta)


def _is_transpose(node: object) -> bool:
    return isinstance(node, Tree) and node.data == "transpose"


def _shaped(node: object) -> bool:
    """Whether node may be a vector or matrix (a tree that is not a number's leaf)."""
    return isinstance(node, Tree) and node.data not in _NUMBERS


def _edits(tree: Tree[Token], text: str, path: Path = ()) -> Iterator[tuple[Path, Tree[Token], m.Message]]:
    """Every single edit of the tree, depth first: (where, the subtree put there, what it says)."""
    if tree.data == "transpose":
        inner = tree.children[0]
        shown = _text(inner, text) if isinstance(inner, Tree) else None
        if isinstance(inner, Tree) and shown is not None:
            yield path, inner, m.RepairTransposeExtra(shown)
    elif tree.data == "implicit":
        yield from _implicit_edits(tree, text, path)
    elif tree.data == "factors":
        yield from _factors_edits(tree, text, path)
    for n, child in enumerate(tree.children):
        if isinstance(child, Tree):
            yield from _edits(child, text, (*path, n))


def _transpose_edit(node: Tree[Token], text: str) -> tuple[Tree[Token], m.Message] | None:
    """node transposed, when it may be a vector or matrix that is not transposed already."""
    shown = _text(node, text)
    if not _shaped(node) or _is_transpose(node) or shown is None:
        return None
    return _transposed(node), m.RepairTransposeMissing(shown + _which(node, shown, text), _transpose_text(node, shown))


_ORDINALS = ("first", "second", "third", "fourth", "fifth")


def _which(node: Tree[Token], shown: str, text: str) -> str:
    """` (the second W in this step)` when the factor's text is written more than once, else empty."""
    starts = [n for n in range(len(text)) if text.startswith(shown, n)]
    at = getattr(node.meta, "start_pos", None)
    if len(starts) < 2 or at not in starts or starts.index(at) >= len(_ORDINALS):
        return ""
    return f" (the {_ORDINALS[starts.index(at)]} {shown} in this step)"


def _implicit_edits(tree: Tree[Token], text: str, path: Path) -> Iterator[tuple[Path, Tree[Token], m.Message]]:
    """Juxtaposed factors: one transposed, two neighbours swapped, ⊙ put between two neighbours, an
    outer product u vᵀ reversed."""
    kids = tree.children
    for n, kid in enumerate(kids):
        edit = _transpose_edit(kid, text) if isinstance(kid, Tree) else None
        if edit is not None:
            yield path, _with(tree, {n: edit[0]}), edit[1]
    for n in range(len(kids) - 1):
        left, right = kids[n], kids[n + 1]
        if not (isinstance(left, Tree) and isinstance(right, Tree) and _shaped(left) and _shaped(right)):
            continue
        a, b = _text(left, text), _text(right, text)
        if a is None or b is None:
            continue
        a, b = _operand(left, a), _operand(right, b)
        yield path, _with(tree, {n: right, n + 1: left}), m.RepairSwapped(a, b)
        times: Tree[Token] = Tree("times", [Token("ODOT", "\\odot"), right])
        pair: Tree[Token] = Tree("factors", [left, times], left.meta)
        yield path, Tree(tree.data, [*kids[:n], pair, *kids[n + 2 :]], tree.meta), m.RepairProductForHadamard(a, b)
        inner = right.children[0] if _is_transpose(right) else None
        if isinstance(inner, Tree) and not _is_transpose(left):
            shown = _text(inner, text)
            if shown is not None:
                meant = f"{_operand(inner, shown)} {_transpose_text(left, _text(left, text) or a)}"
                reversed_ = _with(tree, {n: inner, n + 1: _transposed(left)})
                yield path, reversed_, m.RepairOuterReversed(f"{a} {b}", meant)


def _factors_edits(tree: Tree[Token], text: str, path: Path) -> Iterator[tuple[Path, Tree[Token], m.Message]]:
    """Factors joined by operators (first, then `op operand` nodes): one operand transposed, ⊙ and the
    matrix product exchanged, the two operands of a first product swapped."""
    kids = tree.children
    first = kids[0]
    edit = _transpose_edit(first, text) if isinstance(first, Tree) else None
    if edit is not None:
        yield path, _with(tree, {0: edit[0]}), edit[1]
    before: Tree[Token] | Token = first
    for n, more in enumerate(kids[1:], 1):
        if not (isinstance(more, Tree) and len(more.children) == 2):
            break
        op, operand = more.children
        if not (isinstance(op, Token) and isinstance(operand, Tree)):
            break
        if op.type != "SLASH":
            edit = _transpose_edit(operand, text)
            if edit is not None:
                yield path, _with(tree, {n: Tree(more.data, [op, edit[0]], more.meta)}), edit[1]
        a = _text(before, text) if isinstance(before, Tree) else None
        b = _text(operand, text)
        if a is not None and b is not None and _shaped(before) and _shaped(operand):
            a, b = _operand(before, a), _operand(operand, b)
            if op.type == "ODOT":
                product = Token.new_borrow_pos("STAR", "*", op)
                changed = _with(tree, {n: Tree(more.data, [product, operand], more.meta)})
                yield path, changed, m.RepairHadamardForProduct(a, b)
            elif op.type == "STAR" and n == 1:  # later operands follow a product, not one factor
                odot = Token.new_borrow_pos("ODOT", "\\odot", op)
                changed = _with(tree, {n: Tree(more.data, [odot, operand], more.meta)})
                yield path, changed, m.RepairProductForHadamard(a, b)
                swapped = _with(tree, {0: operand, 1: Tree(more.data, [op, before], more.meta)})
                yield path, swapped, m.RepairSwapped(a, b)
        before = operand


def _with(tree: Tree[Token], changes: dict[int, Tree[Token]]) -> Tree[Token]:
    """A copy of tree with some children replaced."""
    return Tree(tree.data, [changes.get(n, kid) for n, kid in enumerate(tree.children)], tree.meta)


__all__ = ["MAX_EDITS", "Repair", "repairs"]
