"""The correct step pairs of the built-in library, read and unfolded once, for mutation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sympy

from verifier.check.unfold import Unfolder
from verifier.errors import InputError
from verifier.latex import compile_notation, read_expr, read_relation
from verifier.loader import load
from verifier.notation import Notation

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "derivations"


@dataclass
class Pair:
    """One correct step pair (prev, cur) of a chain, as the checker sees it."""

    name: str  # "bce#0.3": derivation id, chain index, step index
    notation: Notation
    unfolder: Unfolder
    prev: sympy.Expr
    cur: sympy.Expr
    relations: tuple[sympy.Basic, ...]
    prev_text: str
    cur_text: str
    unfolded: dict[str, sympy.Expr] = field(default_factory=dict)

    def unfold(self, e: sympy.Expr) -> sympy.Expr:
        return self.unfolder.unfold(e)


@dataclass
class Corpus:
    """Every correct pair that could be read, and what could not be read (counted, not hidden)."""

    pairs: list[Pair]
    files: int
    unreadable: list[str]
    documented_mistakes: int


def load_pairs(folder: Path = LIBRARY) -> Corpus:
    """Read every derivation file; pairs whose steps do not read are listed in `unreadable`."""
    pairs: list[Pair] = []
    unreadable: list[str] = []
    mistakes = 0
    files = sorted(folder.glob("*.toml"))
    for path in files:
        try:
            d = load(path)
            notation = compile_notation(d)
        except InputError as exc:
            unreadable.append(exc.problem.one_line())
            continue
        unfolder = Unfolder(notation)
        for ci, chain in enumerate(d.chains):
            try:
                relations = tuple(read_relation(t, notation) for t in chain.assume)
            except InputError as exc:
                unreadable.append(exc.problem.one_line())
                continue
            exprs: list[sympy.Expr | None] = []
            for step in chain.steps:
                try:
                    exprs.append(read_expr(step.tex, notation))
                except InputError as exc:
                    unreadable.append(exc.problem.one_line())
                    exprs.append(None)
            for si in range(1, len(chain.steps)):
                if chain.steps[si].expect == "refuted":
                    mistakes += 1
                    continue
                prev, cur = exprs[si - 1], exprs[si]
                if prev is None or cur is None:
                    continue
                pairs.append(
                    Pair(
                        f"{d.id}#{ci}.{si}",
                        notation,
                        unfolder,
                        prev,
                        cur,
                        relations,
                        chain.steps[si - 1].tex.text,
                        chain.steps[si].tex.text,
                    )
                )
    return Corpus(pairs, len(files), unreadable, mistakes)
