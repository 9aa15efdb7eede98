"""Chain assumptions (`i = j`, `i \\neq j`, `\\sum_k y_k = 1`, `x > 0`) as substitutions and facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy

from verifier.check.sums import collapse
from verifier.check.unfold import Unfolder


@dataclass
class Assumptions:
    """What a chain's `assume` list lets the checker use.

    `subs`: symbol substitutions from equalities (`i = j` ⇒ j ↦ i);
    `distinct`: pairs known unequal (δ_ij = 0, and probe points keep them apart);
    `equations`: other equalities lhs = rhs (unfolded), used to eliminate and to place probe points;
    `constraints`: inequalities probe points must satisfy.
    """

    subs: dict[sympy.Basic, sympy.Expr] = field(default_factory=dict)
    distinct: frozenset[frozenset[sympy.Basic]] = frozenset()
    equations: list[tuple[sympy.Expr, sympy.Expr]] = field(default_factory=list)
    constraints: list[sympy.Basic] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def apply(self, e: sympy.Expr, unfolder: Unfolder) -> sympy.Expr:
        """Substitute equalities, then let the i ≠ j facts and ranges collapse deltas and cases."""
        if self.subs:
            e = e.subs(self.subs)  # subs (not xreplace) respects bound sum variables
        if self.subs or self.distinct:
            e = collapse(e, unfolder.ranges, self.distinct)
        return e


def build_assumptions(relations: Sequence[sympy.Basic], unfolder: Unfolder) -> Assumptions:
    """Sort the chain's relations into substitutions, distinct pairs, equations and constraints."""
    out = Assumptions()
    distinct: set[frozenset[sympy.Basic]] = set()
    for rel in relations:
        out.texts.append(sympy.latex(rel))
        if isinstance(rel, sympy.Eq):
            lhs, rhs = unfolder.unfold(rel.lhs), unfolder.unfold(rel.rhs)
            named = (sympy.Symbol, sympy.Indexed)
            if isinstance(rhs, named) and not isinstance(lhs, named):
                lhs, rhs = rhs, lhs
            if isinstance(lhs, named) and lhs not in out.subs and not rhs.has(lhs):
                # `i = j`: every j becomes i (the replaced symbol is the right-hand one when both are
                # symbols, so the chain's first-named index survives in messages)
                if isinstance(rhs, named) and type(rhs) is type(lhs):
                    out.subs[rhs] = lhs
                else:
                    out.subs[lhs] = rhs
            else:
                out.equations.append((lhs, rhs))
        elif isinstance(rel, sympy.Ne):
            lhs, rhs = unfolder.unfold(rel.lhs), unfolder.unfold(rel.rhs)
            distinct.add(frozenset((lhs, rhs)))
        elif isinstance(rel, sympy.core.relational.Relational):
            out.constraints.append(rel.func(unfolder.unfold(rel.lhs), unfolder.unfold(rel.rhs)))
        else:
            out.constraints.append(rel)
    if out.subs:
        distinct = {frozenset(x.subs(out.subs) for x in p) for p in distinct}
        out.equations = [(lhs.subs(out.subs), rhs.subs(out.subs)) for lhs, rhs in out.equations]
    out.distinct = frozenset(distinct)
    return out
