"""Wording shared by all formats: verdict marks, diagnoses of failing steps, counterexamples, the summary."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from verifier import model
from verifier.model import Verdict
from verifier.unicode_names import unicode_name

# Marks readable without colour: a person can tell verdicts apart in piped output.
MARKS: dict[Verdict, str] = {
    Verdict.GIVEN: "",
    Verdict.PROVED: "✓",
    Verdict.NUMERIC: "≈",
    Verdict.REFUTED: "✗",
    Verdict.TIMEOUT: "⏱",
    Verdict.ERROR: "!",
}

# What each verdict means, in words a reader of the report understands.
MEANINGS: dict[Verdict, str] = {
    Verdict.GIVEN: "the first expression of the chain",
    Verdict.PROVED: "shown equal symbolically",
    Verdict.NUMERIC: "equal at every probe point, but no proof found",
    Verdict.REFUTED: "not equal to the previous step",
    Verdict.TIMEOUT: "no decision within the time budget",
    Verdict.ERROR: "could not be checked",
}


def diagnosis(sr: model.StepResult, strict: bool, plain: bool = False) -> str | None:
    """Why a step fails (or, for a documented mistake, why it holds); None for an unremarkable step.

    `plain`: for a report that shows no typeset maths (text, GitHub annotations, JUnit): the message's
    maths in the Unicode form the checker made (`message_text`), never LaTeX between dollars."""
    verdict = sr.outcome.verdict
    message = sr.outcome.message
    if plain and sr.outcome.message_text is not None:
        message = sr.outcome.message_text
    if sr.step.expect == "refuted":
        if verdict is Verdict.REFUTED:
            return "a documented mistake, refuted as expected" + (f": {message}" if message else "")
        found = f"expected to be refuted (a documented mistake), but it is {verdict.value}"
        return found + (f": {message}" if message else "")
    if verdict is Verdict.NUMERIC:
        if strict:
            return "only numerically equal (no proof found), which fails under --strict"
        return message
    if verdict in (Verdict.GIVEN, Verdict.PROVED):
        return message
    return message or MEANINGS[verdict]


def counterexample_text(ce: dict[str, str] | None) -> str | None:
    """`w = 0.5, x⁽³⁾₂ = 1.25` (the author's names in Unicode), or None when there is no counterexample."""
    if not ce:
        return None
    return ", ".join(f"{unicode_name(name)} = {value}" for name, value in ce.items())


def notes(sr: model.StepResult, strict: bool) -> list[str]:
    """What a failure report says under a step: its diagnosis, then `counterexample: …` (each when present)."""
    out = []
    diag = diagnosis(sr, strict)
    if diag:
        out.append(diag)
    ce = counterexample_text(sr.outcome.counterexample)
    if ce:
        out.append(f"counterexample: {ce}")
    return out


def step_count(report: model.Report) -> int:
    """Steps that were checked (the given first step of each chain is not a check)."""
    return sum(
        1
        for d in report.derivations
        for c in d.chains
        for s in c.steps
        if s.outcome.verdict is not Verdict.GIVEN
    )


def failing_count(report: model.Report) -> int:
    return sum(1 for d in report.derivations for c in d.chains for s in c.steps if not s.ok)


def summary_text(report: model.Report) -> str:
    """One line: how many derivations and steps, the verdict counts, and whether the run holds."""
    counts = report.counts()
    n_der = len(report.derivations)
    n_steps = step_count(report)
    parts = [f"{n} {name}" for name, n in counts.items() if n or name == Verdict.PROVED.value]
    head = f"{n_der} derivation{'s' if n_der != 1 else ''}, {n_steps} step{'s' if n_steps != 1 else ''}"
    unreadable = sum(1 for d in report.derivations if d.errors)
    failing = failing_count(report)
    if report.ok:
        tail = "all steps hold"
    else:
        bits = []
        if failing:
            bits.append(f"{failing} step{'s' if failing != 1 else ''} fail{'s' if failing == 1 else ''}")
        if unreadable:
            bits.append(f"{unreadable} file{'s' if unreadable != 1 else ''} cannot be read")
        tail = "; ".join(bits)
    strict = " (strict)" if report.strict else ""
    return f"{head}: {', '.join(parts)} — {tail}{strict}"


def derivation_summary(d: model.DerivationResult) -> str:
    """`12 steps: 11 proved, 1 refuted` for one derivation."""
    counts: dict[str, int] = {}
    total = 0
    for c in d.chains:
        for s in c.steps:
            if s.outcome.verdict is Verdict.GIVEN:
                continue
            total += 1
            counts[s.outcome.verdict.value] = counts.get(s.outcome.verdict.value, 0) + 1
    if d.errors:
        return f"{len(d.errors)} read error{'s' if len(d.errors) != 1 else ''}"
    parts = [f"{counts[v.value]} {v.value}" for v in Verdict if v.value in counts]
    return f"{total} step{'s' if total != 1 else ''}: " + (", ".join(parts) if parts else "nothing to check")


@dataclass(frozen=True)
class Located:
    """A step result with the derivation and chain it belongs to."""

    derivation: model.DerivationResult
    chain_index: int
    chain: model.ChainResult
    step: model.StepResult


def all_steps(report: model.Report) -> Iterator[Located]:
    for d in report.derivations:
        for ci, c in enumerate(d.chains):
            for s in c.steps:
                yield Located(d, ci, c, s)


def chain_label(index: int, chain: model.Chain) -> str:
    """The chain's title, or `chain N` when it has none."""
    return chain.title.strip() or f"chain {index + 1}"


def compared_text(sr: model.StepResult) -> str | None:
    """"holds against step k" for a step that corrects a slip (contract §5.2); None for every other step."""
    return f"holds against step {sr.compared_with}" if sr.skips_back else None
