"""The task a worker runs for one step pair: re-read both steps from the Derivation, then decide.

Only the frozen Derivation crosses the process boundary (SymPy objects with Dummies and undefined
function classes do not pickle faithfully); each worker memoises the compiled notation and the read
expressions per derivation, so re-reading costs once per worker and file. The parent reads through
the same memo (runner.read_problems), so a worker forked after the reading inherits it and reads
nothing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

import sympy

from verifier import display
from verifier.check.matrix import decide_values
from verifier.errors import InputError
from verifier.latex.repairs import repairs
from verifier.latex.shapes import Fault, Mat, StepValue
from verifier.model import Derivation, Outcome, Verdict
from verifier.notation import Notation

_MEMO: OrderedDict[Derivation, tuple[Notation, dict[object, object]]] = OrderedDict()
_MEMO_SIZE = 64


def memo(d: Derivation) -> tuple[Notation, dict[object, object]]:
    from verifier.latex import compile_notation

    hit = _MEMO.get(d)
    if hit is not None:
        _MEMO.move_to_end(d)
        return hit
    entry: tuple[Notation, dict[object, object]] = (compile_notation(d), {})
    _MEMO[d] = entry
    if len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)
    return entry


def read_pair(
    d: Derivation, chain: int, step: int, against: int | None = None
) -> tuple[Notation, StepValue, StepValue, list[sympy.Basic]]:
    """Notation, the step compared with (default: the one before), this step, and the chain's
    relations (memoised per worker)."""
    from verifier.latex import read_relation

    notation, exprs = memo(d)
    c = d.chains[chain]
    relations: list[sympy.Basic] = []
    for n, tex in enumerate(c.assume):
        key = ("assume", chain, n)
        if key not in exprs:
            exprs[key] = read_relation(tex, notation)
        relation = exprs[key]
        assert isinstance(relation, sympy.Basic)
        relations.append(relation)
    before = step - 1 if against is None else against
    return notation, read_value(d, chain, before), read_value(d, chain, step), relations


def read_value(d: Derivation, chain: int, k: int) -> StepValue:
    """Step k of a chain as read (memoised per worker)."""
    from verifier.latex import read_step

    notation, exprs = memo(d)
    key = ("step", chain, k)
    if key not in exprs:
        exprs[key] = read_step(d.chains[chain].steps[k].tex, notation)
    value = exprs[key]
    assert isinstance(value, sympy.Expr | Mat | Fault)
    return value


def decide_ref(
    derivations: Sequence[Derivation], di: int, chain: int, step: int, timeout: float | None, explain: bool,
    against: int,
) -> Outcome:
    """decide_step for derivation `di` of a run's list (a forked child holds the list: nothing to pickle)."""
    return decide_step(derivations[di], chain, step, timeout, explain, against)


def decide_step(
    d: Derivation, chain: int, step: int, timeout: float | None, explain: bool, against: int | None = None
) -> Outcome:
    """Decide step `step` of chain `chain` against step `against` (default: the step before it)."""
    before = step - 1 if against is None else against
    try:
        notation, prev, cur, relations = read_pair(d, chain, step, before)
    except InputError as exc:
        return Outcome(Verdict.ERROR, message=exc.problem.one_line())
    c = d.chains[chain]
    seed_text = "\x00".join([c.steps[before].tex.text, c.steps[step].tex.text, *(t.text for t in c.assume)])
    # a refuted step of vectors and matrices may name its one slip: its single edits, read only when asked for
    edits = None if isinstance(cur, Fault) else partial(repairs, c.steps[step].tex, notation)
    return decide_values(
        prev, cur, notation, relations, timeout=timeout, explain=explain, seed_text=seed_text, repairs=edits
    )


def with_pretty(d: Derivation, chain: int, step: int, outcome: Outcome) -> Outcome:
    """A step that may fail, as read, in the author's names: the reports show it (they never read LaTeX).

    The run's parent prints it as each outcome arrives, from the steps it read, while the child or the
    workers decide the next comparisons: SymPy's pretty printer was a twentieth of the children's work."""
    if outcome.verdict is Verdict.PROVED or outcome.pretty is not None:
        return outcome
    try:
        # read again if the memo let the derivation go (a run of more derivations than it keeps)
        cur = read_value(d, chain, step)
        if not isinstance(cur, sympy.Expr):
            return outcome
        return replace(outcome, pretty=display.pretty(cur, memo(d)[0]))
    except Exception:  # a step that cannot be printed only has no pretty form
        return outcome
