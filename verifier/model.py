"""Frozen data objects that cross layers: declarations read from a file, and verdicts about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Layout(StrEnum):
    """How derivatives with respect to a vector are shaped (contract §5.1)."""

    DENOMINATOR = "denominator"  # ∂L/∂v is a column shaped like v; (∂u/∂v)_{rc} = ∂u_c/∂v_r
    NUMERATOR = "numerator"  # ∂L/∂v is a row; (∂u/∂v)_{rc} = ∂u_r/∂v_c


@dataclass(frozen=True)
class Loc:
    """A place in a derivation file: 1-based line and column of a character."""

    file: str
    line: int
    column: int = 1


@dataclass(frozen=True)
class Tex:
    """A LaTeX string from the file, with the location of its first character.

    `exact` is true when every character of `text` sits at `loc` + its offset in the file
    (a TOML literal string on one line); otherwise positions inside it are approximate.
    """

    text: str
    loc: Loc
    exact: bool = True


# `I = "indicator"` in [symbols]: the name is the indicator of a relation, `I\{y = 1\}` (not an assumption
# word: the name is no symbol at all, and it takes no other word)
INDICATOR_WORD = "indicator"


@dataclass(frozen=True)
class SymbolDecl:
    """One key of `[symbols]`, as written: the spelling, and either assumption words, a range or a definition."""

    key: str
    loc: Loc
    assume: tuple[str, ...] = ()
    range: tuple[Tex, Tex] | None = None
    define: Tex | None = None
    components: str | None = None  # vector declaration: the family spelling whose components it has
    row: bool = False  # `row = true`: a row vector (vectors are columns otherwise)


@dataclass(frozen=True)
class FunctionDecl:
    """One key of `[functions]`: the spelling, its parameters and an optional definition."""

    key: str
    loc: Loc
    args: tuple[str, ...]
    define: Tex | None = None
    vector_args: tuple[str, ...] = ()
    # a conditional such as P(v \mid u; t): the args written after the bar, and those after the semicolon
    given: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    # args that take a whole vector or matrix: the define is read with the argument in place, so the
    # function may return a vector or matrix (`h_\theta(X) = \sigma(X\theta)`)
    matrix_args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One step of a chain."""

    index: int
    tex: Tex
    by: str | None = None
    expect: str | None = None  # "refuted" marks a documented mistake
    label: str | None = None  # a document's own name for the step: `\tag{4.59}`, `(**)`, ①
    # a document's step as its author wrote it (`x\_i`, `log`), when the reader reads a rewritten text
    written: str | None = None

    @property
    def shown(self) -> str:
        """The step as the author wrote it: what reports show beside the verdict."""
        return self.written if self.written is not None else self.tex.text


@dataclass(frozen=True)
class Chain:
    """A list of expressions, each claimed equal to the one before it."""

    title: str
    loc: Loc
    steps: tuple[Step, ...]
    assume: tuple[Tex, ...] = ()


@dataclass(frozen=True)
class Derivation:
    """A whole derivation file, as declared (nothing parsed yet)."""

    id: str
    file: str
    title: str
    symbols: tuple[SymbolDecl, ...]
    functions: tuple[FunctionDecl, ...]
    chains: tuple[Chain, ...]
    summary: str | None = None
    source: str | None = None
    unchecked: tuple[Unchecked, ...] = ()  # a document's math that is not checked, each with its reason
    layout: Layout = Layout.DENOMINATOR


class UncheckedKind(StrEnum):
    """Why a piece of a document's mathematics is not checked."""

    SKIPPED = "skipped"  # the author asked: `% verify: skip`
    NOT_A_CHAIN = "not a chain"  # a display that is not a chain of equalities (an inequality, one expression)
    INLINE = "inline"  # inline math is prose, never a claim to check
    UNDECLARED = "before declarations"  # a display before the document's first declarations block


@dataclass(frozen=True)
class Unchecked:
    """A display or inline formula of a document that is listed, not checked, with the reason."""

    loc: Loc
    text: str
    kind: UncheckedKind
    reason: str


class Verdict(StrEnum):
    """What the checker concluded about one step."""

    GIVEN = "given"
    PROVED = "proved"
    NUMERIC = "numeric"
    REFUTED = "refuted"
    TIMEOUT = "timeout"
    ERROR = "error"


@dataclass(frozen=True)
class Outcome:
    """How one step compared with the step before it."""

    verdict: Verdict
    method: str | None = None
    message: str | None = None
    counterexample: dict[str, str] | None = None  # author's spellings (`x^{(3)}_2`) → values, in step order
    seconds: float = 0.0
    explain: tuple[str, ...] = ()
    pretty: str | None = None  # a failing step as the checker read it (Unicode, the author's names)
    # the message with its maths in Unicode (`θᵣ⋅m`), for plain-text reports; None when it is the message
    message_text: str | None = None
    # a numeric refutation's two values at the counterexample (previous step, this step), as shown; the
    # matrix checker names them with the entry (not stored in the cache: the message already holds them)
    sides: tuple[str, str] | None = None


# Verdicts under which a step "holds" (contract §5.2): a later step may be compared with it.
HOLDING = frozenset({Verdict.GIVEN, Verdict.PROVED, Verdict.NUMERIC})


@dataclass(frozen=True)
class StepResult:
    """A step together with its outcome and whether that outcome is acceptable.

    `compared_with` is the index of the step the outcome compares this one with: the step before it,
    or (contract §5.2) the last step that held, when the step before was a slip. None for the given step.
    """

    step: Step
    outcome: Outcome
    ok: bool
    compared_with: int | None = None

    @property
    def holds(self) -> bool:
        return self.outcome.verdict in HOLDING

    @property
    def skips_back(self) -> bool:
        """Compared with an earlier step than the one before it (it corrects a slip)."""
        return self.compared_with is not None and self.compared_with != self.step.index - 1


@dataclass(frozen=True)
class ChainResult:
    """The results of every step of one chain."""

    chain: Chain
    steps: tuple[StepResult, ...]

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)


@dataclass(frozen=True)
class Problem:
    """An input that could not be read: a located, one-line message."""

    message: str
    file: str
    line: int | None = None
    column: int | None = None
    source_line: str | None = None

    def one_line(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"

    def with_caret(self) -> str:
        """The one-line message, then the offending source line with a caret under the column."""
        text = self.one_line()
        if self.source_line is not None and self.column is not None:
            line = self.source_line.rstrip("\n")
            text += f"\n  {line}\n  {' ' * (self.column - 1)}^"
        return text


@dataclass(frozen=True)
class DerivationResult:
    """Everything found about one derivation file: read problems, or chain results."""

    id: str
    file: str
    title: str
    chains: tuple[ChainResult, ...] = ()
    errors: tuple[Problem, ...] = ()
    derivation: Derivation | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and all(c.ok for c in self.chains)


@dataclass(frozen=True)
class RunStats:
    """How a run was made and what it cost: its options, cache use and comparisons decided."""

    timeout: float | None = 5.0
    strict: bool = False
    explain: bool = False
    cache: bool = False
    cache_hits: int = 0
    cache_misses: int = 0
    comparisons: int = 0  # step pairs decided or served from the cache
    second_comparisons: int = 0  # of which against the last step that held (contract §5.2)
    seconds: float = 0.0  # wall time of the check


@dataclass(frozen=True)
class Report:
    """The results of one run over all targets."""

    derivations: tuple[DerivationResult, ...]
    strict: bool = False
    stats: RunStats = field(default_factory=RunStats)

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.derivations)

    @property
    def unreadable(self) -> bool:
        return any(d.errors for d in self.derivations)

    def counts(self) -> dict[str, int]:
        """Steps per verdict (the first step of a chain, `given`, is not counted)."""
        counts = {v.value: 0 for v in Verdict if v is not Verdict.GIVEN}
        for d in self.derivations:
            for c in d.chains:
                for s in c.steps:
                    if s.outcome.verdict is not Verdict.GIVEN:
                        counts[s.outcome.verdict.value] += 1
            counts[Verdict.ERROR.value] += len(d.errors)
        return counts


def step_ok(verdict: Verdict, expect: str | None, strict: bool) -> bool:
    """The exit-status rule of the contract, for one step."""
    if expect == "refuted":
        return verdict is Verdict.REFUTED
    if verdict in (Verdict.GIVEN, Verdict.PROVED):
        return True
    return verdict is Verdict.NUMERIC and not strict
