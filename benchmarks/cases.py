"""Benchmark cases: mutants of the library's correct pairs, chosen evenly over kinds and pairs."""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass

import sympy

from benchmarks.corpus import Corpus, Pair
from benchmarks.mutate import EQUAL_KINDS, WRONG_KINDS, Mutant, candidates


@dataclass
class Case:
    """A mutant paired with the PREVIOUS step, as the checker would see it."""

    pair: Pair
    mutant: Mutant
    a: sympy.Expr  # the previous step, unfolded
    b: sympy.Expr  # the mutant, unfolded
    relations: tuple[sympy.Basic, ...]  # the chain's relations, unfolded


def seed_text(c: Case) -> str:
    """The engine's seed for a case: the pair and its mutation. The command line seeds a step's probe
    points with the step's text; a mutant has no text, and without one the engine would print both
    expressions with SymPy's printer to make a seed (milliseconds the command line never spends)."""
    return "\x00".join(("engine", c.pair.name, c.mutant.kind, c.mutant.level, c.mutant.note))


def unfolded_relations(pair: Pair) -> tuple[sympy.Basic, ...]:
    out = []
    for rel in pair.relations:
        if isinstance(rel, sympy.core.relational.Relational):
            out.append(rel.func(pair.unfold(rel.lhs), pair.unfold(rel.rhs)))
        else:
            out.append(rel)
    return tuple(out)


def baseline_substitution(relations: tuple[sympy.Basic, ...]) -> dict[sympy.Basic, sympy.Expr]:
    """What a baseline may fairly use from the chain: `i = j`, `y_i = 1` as substitutions."""
    subs: dict[sympy.Basic, sympy.Expr] = {}
    for rel in relations:
        if isinstance(rel, sympy.Eq):
            lhs, rhs = rel.lhs, rel.rhs
            if isinstance(rhs, sympy.Symbol | sympy.Indexed) and not isinstance(lhs, sympy.Symbol | sympy.Indexed):
                lhs, rhs = rhs, lhs
            if isinstance(lhs, sympy.Symbol | sympy.Indexed) and (rhs.is_number or isinstance(rhs, sympy.Symbol)):
                subs[rhs if isinstance(rhs, sympy.Symbol) else lhs] = lhs if isinstance(rhs, sympy.Symbol) else rhs
    return subs


def quotas(total: int) -> dict[str, int]:
    """Two thirds of the mutants aim at wrong steps, one third are equal rewrites."""
    wrong = (2 * total) // 3
    out = {k: wrong // len(WRONG_KINDS) for k in WRONG_KINDS}
    out.update({k: (total - wrong) // len(EQUAL_KINDS) for k in EQUAL_KINDS})
    return out


def _forms(pair: Pair) -> dict[str, sympy.Expr]:
    forms = {"folded": pair.cur}
    with contextlib.suppress(Exception):  # an unfoldable step still gives folded mutants
        forms["unfolded"] = pair.unfold(pair.cur)
    return forms


def generate(
    corpus: Corpus, total: int, seed: int = 8, only: frozenset[str] | None = None
) -> tuple[list[Case], dict[str, int]]:
    """The library's own pairs (kind "original", for the sanity check), then mutants spread over kinds
    (a quota each) and, within a kind, round-robin over pairs and levels, computed lazily.

    `only` restricts the pairs to some derivation ids (the quick mode)."""
    rng = random.Random(seed)
    stats = {"candidates tried": 0, "not unfoldable": 0}
    chosen = [pi for pi, p in enumerate(corpus.pairs) if only is None or p.name.split("#")[0] in only]
    forms = {pi: _forms(corpus.pairs[pi]) for pi in chosen}
    rels_of = {pi: unfolded_relations(corpus.pairs[pi]) for pi in chosen}
    used: dict[int, set[sympy.Basic]] = {pi: {corpus.pairs[pi].cur, *forms[pi].values()} for pi in chosen}
    cases: list[Case] = []

    def add(pi: int, kind: str, level: str, note: str, new: sympy.Expr, intended: str) -> bool:
        pair = corpus.pairs[pi]
        try:
            a, b = pair.unfold(pair.prev), pair.unfold(new)
        except Exception:
            stats["not unfoldable"] += 1
            return False
        cases.append(Case(pair, Mutant(pi, kind, level, note, new, intended), a, b, rels_of[pi]))
        return True

    for pi in chosen:
        add(pi, "original", "folded", "the library's own step", corpus.pairs[pi].cur, "equal")
    for kind, quota in quotas(total).items():
        keys = [(pi, level) for pi in chosen for level in forms[pi]]
        rng.shuffle(keys)
        found: dict[tuple[int, str], list[tuple[str, sympy.Expr]]] = {}
        picked = 0
        while picked < quota and keys:
            for key in list(keys):
                if picked >= quota:
                    break
                pi, level = key
                if key not in found:
                    found[key] = [(n, e) for k, n, e in candidates(forms[pi][level], corpus.pairs[pi].notation, kind)]
                    rng.shuffle(found[key])
                    stats["candidates tried"] += len(found[key])
                options = found[key]
                while options and options[-1][1] in used[pi]:
                    options.pop()
                if not options:
                    keys.remove(key)
                    continue
                note, new = options.pop()
                used[pi].add(new)
                if add(pi, kind, level, note, new, "equal" if kind in EQUAL_KINDS else "wrong"):
                    picked += 1
    return cases, stats
