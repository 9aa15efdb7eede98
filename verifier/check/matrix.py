"""Matrix steps (contract §5.1): shapes compared first, then the generic entry, by the scalar cascade.

Two steps are equal when their shapes agree and every entry agrees. The entry (row, col) of each side
is built with the same two fresh integer indices, declared for this comparison with the ranges of the
shape's sides (so that probing draws concrete sizes and indices, and Kronecker deltas from I and diag
collapse only where the ranges say so), and the scalar cascade decides the pair: a proof holds for
every entry, and a refutation names one entry where the steps differ. A shape that differs, or an
operation that cannot be formed, is refuted with the shapes as the diagnosis and no counterexample.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import partial

import sympy

from verifier.check.alpha import alpha_equal, canonical_bound
from verifier.check.decide import SHARES, decide, explain_expr
from verifier.check.memo import UNFOLDED, NotationMemo
from verifier.check.prenex import prenex_equal
from verifier.check.sums import canonical
from verifier.check.unfold import CannotDifferentiate, Unfolder
from verifier.latex import messages as msg
from verifier.latex.repairs import Repair
from verifier.latex.shapes import ONE, Dim, Fault, Mat, StepValue, aligned, describe, explicit, same, shape_text
from verifier.model import Outcome, Verdict
from verifier.notation import IndexRange, Notation


class MatrixMethod(StrEnum):
    """The proof methods this module adds to the cascade's (as the reports print them)."""

    PRENEX = "sums in prenex form"
    RENAMED = "identical up to the names of the summation indices"


# The entry indices: one fixed pair, not fresh per comparison, so that an entry built twice is the same
# SymPy object (the unfolded-form caches and SymPy's own cache are keyed by the expression). Each
# comparison declares their ranges in its own notation (`_entry_notation`).
ENTRY_ROW = sympy.Dummy("r", integer=True)
ENTRY_COL = sympy.Dummy("c", integer=True)


_NOTATIONS = NotationMemo(64)  # a notation with the entry indices declared, per shape


@dataclass(frozen=True)
class Budget:
    """The options every scalar comparison of one step pair shares."""

    timeout: float | None
    explain: bool
    seed_text: str | None

    def decide(
        self, a: sympy.Expr, b: sympy.Expr, notation: Notation, relations: Sequence[sympy.Basic]
    ) -> Outcome:
        """The scalar cascade, and sums in prenex form (a matrix product's entry needs its sums
        interchanged: (AB)C and A(BC)). Chain assumptions are not used there: an identity of the entries
        without them holds with them too.

        Where an entry holds nested sums or a product of sums made by matrix products, the prenex
        form is tried first, like the cascade's cheap normal forms before its probes: a proof there is a
        proof, and it spares probing multiple sums at concrete sizes, which is where the time of such a
        step went (quadratic expanded: 41x its componentwise form; docs/benchmarks.md). Except where the
        two sides apply different functions (`_same_applications`): then the cascade goes first, and the
        prenex form after it wherever the cascade neither proved nor refuted the pair. Otherwise, and
        when it proves nothing, it is tried after the cascade found no proof, as before."""
        start = time.monotonic()
        if a != b:
            a, b = canonical_bound(a), canonical_bound(b)
        if a != b and alpha_equal(a, b):
            # the same sums with differently named indices (Σ_i written, Σ_k read from a product):
            # alpha-conversion is an identity, no cascade needed
            lines = (f"decided: proved, {MatrixMethod.RENAMED}",) if self.explain else ()
            return Outcome(Verdict.PROVED, method=MatrixMethod.RENAMED, seconds=time.monotonic() - start,
                           explain=lines)  # fmt: skip
        nested = any(_nested_sums(e) and _matrix_made(e) for e in (a, b))
        if nested and _same_applications(a, b, notation):
            proved = self._prenex(a, b, notation)
            if proved is not None:
                return proved
            after: frozenset[Verdict] = frozenset()  # tried already
        else:
            after = _OPEN if nested else frozenset({Verdict.NUMERIC})
        options = {"timeout": self.timeout, "explain": self.explain, "seed_text": self.seed_text}
        outcome = decide(a, b, notation, relations, **options)  # type: ignore[arg-type]
        if outcome.verdict not in after:
            return outcome
        proved = self._prenex(a, b, notation)
        if proved is None:
            return outcome
        return replace(outcome, verdict=Verdict.PROVED, method=proved.method, message=None,
                       seconds=outcome.seconds + proved.seconds, explain=outcome.explain + proved.explain)  # fmt: skip

    def _prenex(self, a: sympy.Expr, b: sympy.Expr, notation: Notation) -> Outcome | None:
        """PROVED by the sums' prenex normal forms, or None (which proves nothing either way)."""
        start = time.monotonic()
        try:
            ua, ub, ranges = _unfolded_pair(a, b, notation)
            equal = prenex_equal(ua, ub, ranges)
        except (CannotDifferentiate, RecursionError, MemoryError):
            equal = False
        if not equal:
            return None
        seconds = time.monotonic() - start
        lines = (f"decided: proved by the {MatrixMethod.PRENEX}",) if self.explain else ()
        return Outcome(Verdict.PROVED, method=MatrixMethod.PRENEX, seconds=seconds, explain=lines)


# what the cascade leaves open: a deferred pair (nested sums, different applications) still gets the
# prenex form after these; any other pair after a numeric verdict only
_OPEN = frozenset({Verdict.NUMERIC, Verdict.TIMEOUT, Verdict.ERROR})


def _same_applications(a: sympy.Expr, b: sympy.Expr, notation: Notation) -> bool:
    """Whether the unfolded a and b apply the same functions to the same arguments (log, exp, σ, also
    δ_ij, Max, Piecewise, …; bound variables inside an application renamed canonically). The prenex
    form keeps an application as an atom, bar what SymPy's expand rewrites in it (e^{a+b}, the log of
    a positive product), so a pair that differs there is rarely proved by it; it is proved by a log or
    exp identity of the cascade instead (J(θ) = −1/m Σ[y log h + …] against its form with
    log(1 + e^{−θᵀx})). Such a pair goes to the cascade first, and to the prenex form after it wherever
    the cascade proved and refuted nothing (_OPEN): the order changes, never what is proved (a failed
    prenex form was a fifth of the time of such a step on the yardstick). Anything that goes wrong here
    keeps the order as it was (True)."""
    try:
        ua, ub, _ranges = _unfolded_pair(a, b, notation)
        return _applications(ua) == _applications(ub)
    except Exception:  # the prenex form, tried first as before, meets it again and says so its way
        return True


def _unfolded_pair(
    a: sympy.Expr, b: sympy.Expr, notation: Notation
) -> tuple[sympy.Expr, sympy.Expr, Mapping[sympy.Symbol, IndexRange]]:
    """a and b unfolded through the memo the cascade shares (so unfolding them again is a lookup), and
    the index ranges the unfolding knows."""
    unfolder = Unfolder(notation)
    ua, ub = (UNFOLDED.get(notation, e, partial(unfolder.unfold, e)) for e in (a, b))
    assert isinstance(ua, sympy.Expr) and isinstance(ub, sympy.Expr)
    return ua, ub, unfolder.ranges


def _applications(e: sympy.Basic) -> frozenset[sympy.Basic]:
    return frozenset(canonical(f) for f in e.atoms(sympy.Function))


def _nested_sums(e: sympy.Expr, inside: bool = False) -> bool:
    """Whether e holds, outside any function's argument, a sum inside a sum or a product or power of sums
    (what matrix products make, and what the prenex form reorders; a sum inside σ(…) is an atom to it)."""
    if isinstance(e, sympy.Sum):
        return inside or _nested_sums(e.function, True)
    if isinstance(e, sympy.Mul):
        if sum(1 for f in e.args if _polynomial_sum(f)) > 1:
            return True
        return any(_nested_sums(f, inside) for f in e.args)
    if isinstance(e, sympy.Pow):
        if e.exp.is_Integer and e.exp > 1 and _polynomial_sum(e.base):
            return True
        return _nested_sums(e.base, inside)
    if isinstance(e, sympy.Add):
        return any(_nested_sums(t, inside) for t in e.args)
    return False


def _matrix_made(e: sympy.Expr) -> bool:
    """Whether e holds a sum made by reading matrix notation (a product's, a norm's: its variable is a
    Dummy), not only sums written out with their indices, which the cascade's cheap forms decide fast."""
    return any(isinstance(limit[0], sympy.Dummy) for total in e.atoms(sympy.Sum) for limit in total.limits)


def _polynomial_sum(e: sympy.Expr) -> bool:
    """Whether e holds a sum outside any function's argument."""
    if isinstance(e, sympy.Sum):
        return True
    if isinstance(e, sympy.Add | sympy.Mul):
        return any(_polynomial_sum(t) for t in e.args)
    return isinstance(e, sympy.Pow) and _polynomial_sum(e.base)


def _mismatch(prev: StepValue, cur: StepValue) -> str | None:
    """Why two well-formed step values cannot be equal by shape, or None when the shapes agree."""
    if not isinstance(prev, Mat) and not isinstance(cur, Mat):
        return None
    p_rows, p_cols = (prev.rows, prev.cols) if isinstance(prev, Mat) else (ONE, ONE)
    c_rows, c_cols = (cur.rows, cur.cols) if isinstance(cur, Mat) else (ONE, ONE)
    assert p_rows is not None and p_cols is not None and c_rows is not None and c_cols is not None
    if same(p_rows, c_rows) and same(p_cols, c_cols):
        return None
    swapped = same(p_rows, c_cols) and same(p_cols, c_rows)
    hint = str(msg.HintTransposedStep()) if swapped else ""
    return str(msg.ShapeStepDiffers(shape_text(cur), shape_text(prev), describe(cur), describe(prev), hint))


def shape_lines(label: str, v: StepValue, notation: Notation) -> list[str]:
    """--explain lines for one step's shape and entry form."""
    if isinstance(v, Fault):
        return [f"{label}: cannot be formed: {v.message}"]
    if not isinstance(v, Mat):
        return explain_expr(label, v, notation)
    row, col = _indices(v)
    entry = explain_expr("entry", _entry(v, v, row, col), notation)
    where = f"entry ({_name(row, notation)}, {_name(col, notation)})"
    spread = [str(msg.ExplainBroadcast(label))] if v.broadcast else []
    return [f"{label}: {describe(v)}, {where}: {entry[0][len('entry: ') :]}", *entry[1:], *spread]


def _indices(shape: Mat) -> tuple[sympy.Expr, sympy.Expr]:
    """The two entry indices for a shape: a fresh integer per side of size > 1, else the side's lo."""
    assert shape.rows is not None and shape.cols is not None
    row = shape.rows.lo if shape.rows.one else ENTRY_ROW
    col = shape.cols.lo if shape.cols.one else ENTRY_COL
    return row, col


def _name(index: sympy.Expr, notation: Notation) -> str:
    """How an entry index is shown: r and c (primed when the derivation declares those names)."""
    if not isinstance(index, sympy.Dummy):
        return str(index)
    name = index.name
    while name in notation.symbols:
        name += "'"
    return name


def _entry(v: Mat, shape: Mat, row: sympy.Expr, col: sympy.Expr) -> sympy.Expr:
    """v's entry at (row, col) of `shape` (same sizes; v's own index ranges may be shifted)."""
    return aligned(v, shape.rows, shape.cols).xreplace(_placeholders(row, col))


def _placeholders(row: sympy.Expr, col: sympy.Expr) -> dict[sympy.Basic, sympy.Expr]:
    from verifier.latex.shapes import COL, ROW

    return {ROW: row, COL: col}


def decide_values(
    prev: StepValue,
    cur: StepValue,
    notation: Notation,
    relations: Sequence[sympy.Basic] = (),
    *,
    timeout: float | None = 5.0,
    explain: bool = False,
    seed_text: str | None = None,
    repairs: Callable[[], Sequence[Repair] | None] | None = None,
) -> Outcome:
    """Decide whether step value `cur` equals `prev`: numbers by the cascade, vectors and matrices by
    shape and then entry by entry. `repairs` gives this step's single edits (verifier/latex/repairs.py),
    asked for only when the step is refuted entry by entry: the one that makes it equal names the slip."""
    began = time.monotonic()
    if isinstance(prev, sympy.Expr) and isinstance(cur, sympy.Expr):
        budget = Budget(timeout, explain, seed_text)
        outcome = budget.decide(prev, cur, notation, relations)
        if outcome.verdict is Verdict.REFUTED and repairs is not None and _matrix_made(cur):
            # a number made of vectors and matrices (xᵀW y): its one slip named as for a matrix step
            said: list[str] = []
            search = partial(_repaired_number, prev, cur, notation, relations, repairs=repairs)
            outcome = _named(outcome, said, explain, search, budget, timeout, began)
            outcome = replace(outcome, explain=outcome.explain + tuple(said))
        return outcome
    lines: list[str] = []
    if explain:
        lines += shape_lines("previous step", prev, notation)
        lines += shape_lines("this step", cur, notation)
    if isinstance(cur, Fault):
        return _refuted(str(msg.ShapeNotFormed(cur.message)), lines)
    if isinstance(prev, Fault):
        return _refuted(str(msg.ShapePreviousNotFormed(prev.message)), lines)
    why = _mismatch(prev, cur)
    if why is not None:
        return _refuted(why, lines)
    assert isinstance(prev, Mat) and isinstance(cur, Mat)
    if _written_out(prev, cur):
        return _cell_by_cell(prev, cur, notation, relations, Budget(timeout, explain, seed_text), lines)
    row, col = _indices(prev)
    entries = _entry_notation(notation, prev, row, col)
    a, b = _entry(prev, prev, row, col), _entry(cur, prev, row, col)
    where = f"entry ({_name(row, notation)}, {_name(col, notation)}) of {describe(prev)}"
    budget = Budget(timeout, explain, seed_text)
    if _split_diagonal(prev, a, b, row, col):
        outcome = _by_cases(a, b, row, col, entries, relations, budget)
        where += ", on and off the diagonal"
    else:
        outcome = budget.decide(a, b, entries, relations)
    method = outcome.method
    if method and outcome.verdict is not Verdict.REFUTED:
        method = f"{method}, {where}"
    if outcome.verdict is Verdict.REFUTED:
        outcome = _noted(outcome, f" (at {where}{_entry_values(outcome, row, col, notation)})")
        if _transposed(prev, a, b, row, col, entries, relations, budget):
            outcome = _noted(outcome, str(msg.TransposedStep()))
        elif repairs is not None:
            search = partial(_repaired, prev, b, row, col, entries, relations, repairs=repairs)
            outcome = _named(outcome, lines, explain, search, budget, timeout, began)
    return replace(outcome, method=method, explain=tuple(lines) + outcome.explain)


def _entry_values(outcome: Outcome, row: sympy.Expr, col: sympy.Expr, notation: Notation) -> str:
    """Where a refuted entry differs, concretely: the entry's indices at the counterexample and the two
    steps' values of it there; empty when the counterexample does not give them."""
    found = outcome.counterexample or {}
    indices = []
    for index in (row, col):
        if isinstance(index, sympy.Dummy):
            value = found.get(_name(index, notation))
            if value is None:
                return ""
            indices.append(value)
        else:
            indices.append(str(index))
    if outcome.sides is None:
        return ""
    return str(msg.EntryValues(indices[0], indices[1], *outcome.sides))


TRANSPOSE_SHARE = 0.25  # of the step's budget, for asking whether a refuted square step is the transpose


def _transposed(
    shape: Mat, a: sympy.Expr, b: sympy.Expr, row: sympy.Expr, col: sympy.Expr, notation: Notation,
    relations: Sequence[sympy.Basic], budget: Budget,
) -> bool:
    """Whether a refuted square step is the previous step transposed (entry (r, c) of this step is
    entry (c, r) of the previous one), proved: the classic slip named in the diagnosis."""
    assert shape.rows is not None and shape.cols is not None
    if not (isinstance(row, sympy.Dummy) and isinstance(col, sympy.Dummy)):
        return False
    if (shape.rows.lo, shape.rows.hi) != (shape.cols.lo, shape.cols.hi):
        return False
    swap = {row: col, col: row}
    quick = replace(budget, timeout=None if budget.timeout is None else budget.timeout * TRANSPOSE_SHARE,
                    explain=False)  # fmt: skip
    if _split_diagonal(shape, a, b, row, col):
        outcome = _by_cases(a.xreplace(swap), b, row, col, notation, relations, quick)
    else:
        outcome = quick.decide(a.xreplace(swap), b, notation, relations)
    return outcome.verdict is Verdict.PROVED


def _named(
    outcome: Outcome, lines: list[str], explain: bool, search: Callable[..., Repair | None], budget: Budget,
    timeout: float | None, began: float,
) -> Outcome:
    """A refutation with the one slip the repair search finds named in its message (and, explaining, a
    line appended to `lines`)."""
    # the search ends within the step's soft budget, wherever the decision above left it
    spent = time.monotonic() - began
    left = None if timeout is None else min(timeout * SHARES.repair, timeout * SHARES.soft - spent)
    try:
        named = search(budget=replace(budget, timeout=left))
    except Exception:  # the search only words the message: no failure in it may touch the verdict
        named = None
    if named is None:
        return outcome
    if explain:
        lines.append(f"repair search: one edit makes the steps equal, proved: {named.what}")
    return _noted(outcome, str(msg.RepairNamed(str(named.what))))



def _repaired(
    shape: Mat, b: sympy.Expr, row: sympy.Expr, col: sympy.Expr, notation: Notation,
    relations: Sequence[sympy.Basic], budget: Budget, repairs: Callable[[], Sequence[Repair] | None],
) -> Repair | None:
    """The one single edit of a refuted matrix step that is proved, within `budget`, to make it equal
    to the previous step (`shape`, whose entry this step's entry `b` is not): see `_one_repair`."""
    a = _entry(shape, shape, row, col)

    def entry(value: StepValue) -> sympy.Expr | None:
        if _mismatch(shape, value) is not None or not isinstance(value, Mat):
            return None  # an edit that changes the step's shape cannot make it equal
        return _entry(value, shape, row, col)

    def decided(e: sympy.Expr, quick: Budget) -> Outcome:
        if _split_diagonal(shape, a, e, row, col):
            return _by_cases(a, e, row, col, notation, relations, quick)
        return quick.decide(a, e, notation, relations)

    return _one_repair(b, entry, decided, budget, repairs)


def _repaired_number(
    a: sympy.Expr, b: sympy.Expr, notation: Notation, relations: Sequence[sympy.Basic], budget: Budget,
    repairs: Callable[[], Sequence[Repair] | None],
) -> Repair | None:
    """The same for a refuted step that is a number made of vectors and matrices (xᵀW y, ‖Xθ − y‖²)."""

    def entry(value: StepValue) -> sympy.Expr | None:
        return value if isinstance(value, sympy.Expr) else None

    return _one_repair(b, entry, lambda e, quick: quick.decide(a, e, notation, relations), budget, repairs)


def _one_repair(
    b: sympy.Expr, entry: Callable[[StepValue], sympy.Expr | None], decided: Callable[[sympy.Expr, Budget], Outcome],
    budget: Budget, repairs: Callable[[], Sequence[Repair] | None],
) -> Repair | None:
    """The one single edit of a refuted step that is proved, within `budget`, to make it equal to the
    previous step (this step's entry `b` is not; `entry` gives an edited step's, or None when it cannot
    be compared), or None: when no edit does, when two different edits do (the slip is not one thing),
    or when any candidate is left undecided (numeric, a timeout, the share spent: then "exactly one" is
    not known). It names the slip in the message only; the step stays refuted by its own counterexample."""
    start = time.monotonic()
    share = budget.timeout  # the search's whole share (already cut to what the step has left)
    if share is not None and share <= 0:
        return None
    candidates = repairs()
    if not candidates:
        return None
    seen: dict[sympy.Basic, bool] = {canonical_bound(b): False}
    proved: list[Repair] = []
    for candidate in candidates:
        e = entry(candidate.value)
        if e is None:
            continue
        key = canonical_bound(e)
        if key not in seen:
            left = None if share is None else share - (time.monotonic() - start)
            if left is not None and left <= 0:
                return None
            outcome = decided(e, replace(budget, timeout=left, explain=False))
            if outcome.verdict not in (Verdict.PROVED, Verdict.REFUTED):
                return None
            seen[key] = outcome.verdict is Verdict.PROVED
        if seen[key]:
            proved.append(candidate)
            if len(proved) > 1:
                return None
    return proved[0] if proved else None


def _entry_notation(notation: Notation, shape: Mat, row: sympy.Expr, col: sympy.Expr) -> Notation:
    """The notation with the entry indices declared over the shape's sides (made once per shape, so
    that the caches keyed by the notation are hit again by the next step of that shape)."""
    assert shape.rows is not None and shape.cols is not None
    sides = ((row, shape.rows), (col, shape.cols))

    def make() -> Notation:
        indices = dict(notation.indices)
        symbols = dict(notation.symbols)
        for index, side in sides:
            if isinstance(index, sympy.Dummy):
                indices[index] = IndexRange(index, side.lo, side.hi)
                symbols[_name(index, notation)] = index  # counterexamples name the entry: r = 2
        return replace(notation, indices=indices, symbols=symbols)

    key = tuple((index, side.lo, side.hi) for index, side in sides)
    made = _NOTATIONS.get(notation, key, make)
    assert isinstance(made, Notation)
    return made


def _written_out(prev: Mat, cur: Mat) -> bool:
    """A step pair holding a matrix written out cell by cell, of a concrete size: decided cell by cell."""
    assert prev.rows is not None and prev.cols is not None
    sized = prev.rows.size.is_Integer and prev.cols.size.is_Integer
    return sized and (explicit(prev) or explicit(cur))


def _cell_by_cell(
    prev: Mat, cur: Mat, notation: Notation, relations: Sequence[sympy.Basic], budget: Budget, lines: list[str]
) -> Outcome:
    """Each cell (i, j) at its concrete indices (the δ(ROW, 1)… of a written-out matrix collapse there):
    all proved is proved, any refuted is refuted at that cell, else the weakest verdict met."""
    assert prev.rows is not None and prev.cols is not None
    cells = [
        (prev.rows.lo + r, prev.cols.lo + c)
        for r in range(int(prev.rows.size))
        for c in range(int(prev.cols.size))
    ]
    if budget.timeout is not None:
        budget = replace(budget, timeout=budget.timeout / len(cells))
    outcomes = []
    for i, j in cells:
        a, b = _entry(prev, prev, i, j), _entry(cur, prev, i, j)
        outcome = budget.decide(a, b, notation, relations)
        if outcome.verdict is Verdict.REFUTED:
            values = _entry_values(outcome, i, j, notation)
            noted = _noted(outcome, f" (at entry ({i}, {j}) of {describe(prev)}{values})")
            return replace(noted, explain=tuple(lines) + outcome.explain)
        outcomes.append(outcome)
    worst = next((o for o in outcomes if o.verdict is not Verdict.PROVED), outcomes[0])
    methods = dict.fromkeys(o.method for o in outcomes if o.method)
    method = "; ".join(methods) if worst.verdict is Verdict.PROVED else worst.method
    return replace(
        worst,
        method=f"{method}, cell by cell ({len(cells)} entries of {describe(prev)})",
        seconds=sum(o.seconds for o in outcomes),
        explain=tuple(lines) + tuple(line for o in outcomes for line in o.explain),
    )


def _split_diagonal(shape: Mat, a: sympy.Expr, b: sympy.Expr, row: sympy.Expr, col: sympy.Expr) -> bool:
    """Whether to decide the diagonal and the rest apart: a square shape over one range whose entries
    hold a Kronecker delta (I, diag) or a derivative (which may make one when unfolded)."""
    if not (isinstance(row, sympy.Dummy) and isinstance(col, sympy.Dummy)):
        return False
    assert shape.rows is not None and shape.cols is not None
    if (shape.rows.lo, shape.rows.hi) != (shape.cols.lo, shape.cols.hi):
        return False
    return any(e.has(sympy.KroneckerDelta, sympy.Derivative) for e in (a, b))


def _by_cases(
    a: sympy.Expr,
    b: sympy.Expr,
    row: sympy.Expr,
    col: sympy.Expr,
    notation: Notation,
    relations: Sequence[sympy.Basic],
    budget: Budget,
) -> Outcome:
    """Entry (r, c) decided for r = c (c replaced by r) and for r ≠ c (δ(r, c) = 0, and r ≠ c known to
    the checker): both proved is proved, either refuted is refuted, else the weaker verdict.

    Why: δ(r, c)·a_c and δ(r, c)·a_r are equal but no normal form of the cascade sees it; each case is
    an ordinary scalar comparison, and together they cover every entry."""
    budget = replace(budget, timeout=None if budget.timeout is None else budget.timeout / 2)
    on = {col: row}
    diagonal = replace(notation, indices={k: v for k, v in notation.indices.items() if k != col})
    first = budget.decide(a.xreplace(on), b.xreplace(on), diagonal, relations)
    if first.verdict is Verdict.REFUTED:
        return _noted(_with_column(first, row, col), " (on the diagonal, r = c)")
    off = {sympy.KroneckerDelta(row, col): sympy.S.Zero, sympy.KroneckerDelta(col, row): sympy.S.Zero}
    second = budget.decide(a.xreplace(off), b.xreplace(off), notation, [*relations, sympy.Ne(row, col)])
    if second.verdict is Verdict.REFUTED:
        return _noted(second, " (off the diagonal, r ≠ c)")
    worse = second if second.verdict is not Verdict.PROVED else first
    methods = dict.fromkeys(m for m in (first.method, second.method) if m)
    return replace(
        worse,
        method="; ".join(methods) if worse.verdict is Verdict.PROVED else worse.method,
        seconds=first.seconds + second.seconds,
        explain=first.explain + second.explain,
    )


def _with_column(outcome: Outcome, row: sympy.Expr, col: sympy.Expr) -> Outcome:
    """A refutation on the diagonal, where c was replaced by r: the counterexample names c too (c = r,
    right after r), so the entry and its two values can be shown. (The names are the entry notation's,
    where r and c are declared, as the counterexample spells them.)"""
    found, r, c = outcome.counterexample, str(getattr(row, "name", row)), str(getattr(col, "name", col))
    if not found or r not in found or c in found:
        return outcome
    shown: dict[str, str] = {}
    for name, value in found.items():
        shown[name] = value
        if name == r:
            shown[c] = value
    return replace(outcome, counterexample=shown)


def _noted(outcome: Outcome, note: str) -> Outcome:
    """A refutation's message (both forms) with where it was found appended: ` (at entry (r, 1) of …)`."""
    if outcome.message is None:
        return outcome
    text = None if outcome.message_text is None else outcome.message_text + note
    return replace(outcome, message=outcome.message + note, message_text=text)


def _refuted(message: str, lines: list[str]) -> Outcome:
    if lines:
        lines.append("decided: refuted by shape")
    return Outcome(Verdict.REFUTED, method="shapes", message=message, explain=tuple(lines))


__all__ = ["Dim", "decide_values", "shape_lines"]
