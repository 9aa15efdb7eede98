"""The wording of the teaching formats (LaTeX, Markdown, HTML) in the report's language and for its audience.

Every fixed text a handout prints comes from here, through the gettext catalog of `lang`: verdict words,
headings, the legend, the summaries, the remarks under wrong steps. The student view keeps verdicts,
justifications and plain-word explanations of wrong steps; methods, timings and cache details are the
author's (`Words.student`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from verifier import model
from verifier.model import Verdict
from verifier.report import common
from verifier.report.i18n import Audience, translation


def _(message: str) -> str:
    """Marks a message for extraction where it is defined; `Words.gettext` translates it where it is used."""
    return message


VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.GIVEN: _("given"),
    Verdict.PROVED: _("proved"),
    Verdict.NUMERIC: _("numeric"),
    Verdict.REFUTED: _("refuted"),
    Verdict.TIMEOUT: _("timeout"),
    Verdict.ERROR: _("error"),
}
MEANINGS: dict[Verdict, str] = {
    Verdict.GIVEN: _("the first expression of the chain"),
    Verdict.PROVED: _("shown equal symbolically"),
    Verdict.NUMERIC: _("equal at every probe point, but no proof found"),
    Verdict.REFUTED: _("not equal to the previous step"),
    Verdict.TIMEOUT: _("no decision within the time budget"),
    Verdict.ERROR: _("could not be checked"),
}
# What a student reads under a step that does not hold: no method names, no budgets.
PLAIN: dict[Verdict, str] = {
    Verdict.NUMERIC: _("The two sides agree at every value tried, but no proof was found: check this step by hand."),
    Verdict.REFUTED: _("This step does not follow from the one before it: the two sides are not equal."),
    Verdict.TIMEOUT: _("This step could not be decided in the time allowed: check it by hand."),
    Verdict.ERROR: _("This step could not be checked."),
}


@dataclass(frozen=True)
class Words:
    """Translated wording for one report: `lang` picks the catalog, `audience` what is shown."""

    lang: str = "en"
    audience: Audience = Audience.AUTHOR

    def gettext(self, message: str) -> str:
        return translation(self.lang).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translation(self.lang).ngettext(singular, plural, n)

    @property
    def student(self) -> bool:
        return self.audience == Audience.STUDENT

    # --- verdicts ---------------------------------------------------------------------------------
    def verdict(self, v: Verdict) -> str:
        return self.gettext(VERDICT_WORDS[v])

    def meaning(self, v: Verdict) -> str:
        return self.gettext(MEANINGS[v])

    # --- summaries --------------------------------------------------------------------------------
    def steps(self, n: int) -> str:
        return self.ngettext("{n} step", "{n} steps", n).format(n=n)

    def derivations(self, n: int) -> str:
        return self.ngettext("{n} derivation", "{n} derivations", n).format(n=n)

    def counts(self, counts: dict[str, int]) -> str:
        return ", ".join(f"{n} {self.verdict(Verdict(name))}" for name, n in counts.items() if n)

    def summary(self, report: model.Report) -> str:
        """One line: how many derivations and steps, the verdict counts, whether the run holds."""
        counts = report.counts()
        head = f"{self.derivations(len(report.derivations))}, {self.steps(common.step_count(report))}"
        failing = common.failing_count(report)
        unreadable = sum(1 for d in report.derivations if d.errors)
        if report.ok:
            tail = self.gettext("all steps hold")
        else:
            bits = []
            if failing:
                bits.append(self.ngettext("{n} step fails", "{n} steps fail", failing).format(n=failing))
            if unreadable:
                bits.append(
                    self.ngettext("{n} file cannot be read", "{n} files cannot be read", unreadable).format(
                        n=unreadable
                    )
                )
            tail = "; ".join(bits)
        counted = self.counts(counts) or self.gettext("nothing to check")
        strict = " " + self.gettext("(strict)") if report.strict else ""
        return f"{head}: {counted} — {tail}{strict}"

    def derivation_summary(self, d: model.DerivationResult) -> str:
        """`12 steps: 11 proved, 1 refuted` for one derivation."""
        if d.errors:
            n = len(d.errors)
            return self.ngettext("{n} read error", "{n} read errors", n).format(n=n)
        counts: dict[str, int] = {}
        total = 0
        for c in d.chains:
            for s in c.steps:
                if s.outcome.verdict is not Verdict.GIVEN:
                    total += 1
                    counts[s.outcome.verdict.value] = counts.get(s.outcome.verdict.value, 0) + 1
        ordered: dict[str, int] = {v.value: counts[v.value] for v in Verdict if v.value in counts}
        return f"{self.steps(total)}: " + (self.counts(ordered) or self.gettext("nothing to check"))

    def checked_by(self, report: model.Report) -> str:
        return self.gettext("Checked by verify-derivation: {summary}").format(summary=self.summary(report))

    # --- remarks under a step ---------------------------------------------------------------------
    def step_where(self, sr: model.StepResult) -> str:
        return self.gettext("Step {index} (line {line})").format(index=sr.step.index, line=sr.step.tex.loc.line)

    def diagnosis(self, sr: model.StepResult, strict: bool) -> str | None:
        """Why a step fails, in the audience's words (the checker's own diagnosis is kept for both: it
        says how the sides differ, e.g. by a factor of −1)."""
        verdict = sr.outcome.verdict
        message = sr.outcome.message
        if sr.step.expect == "refuted":
            if verdict is Verdict.REFUTED:
                head = self.gettext("a documented mistake, refuted as expected")
                return head + (f": {message}" if message and (self.lang == "en" or not self.student) else "")
            found = self.gettext("expected to be refuted (a documented mistake), but it is {verdict}")
            return found.format(verdict=self.verdict(verdict))
        if self.student:
            plain = PLAIN.get(verdict)
            if verdict is Verdict.NUMERIC and not strict:
                return None  # holds for the run; a student sees the ≈ mark and the legend
            if plain is None:
                return None
            # the checker's own diagnosis (how the sides differ) is English: kept only in an English handout
            detail = message and verdict is Verdict.REFUTED and self.lang == "en"
            return self.gettext(plain) + (f" ({message})" if detail else "")
        if verdict is Verdict.NUMERIC:
            if strict:
                return self.gettext("only numerically equal (no proof found), which fails under --strict")
            return message
        if verdict in (Verdict.GIVEN, Verdict.PROVED):
            return message
        return message or self.meaning(verdict)

    def counterexample_lead(self) -> str:
        return self.gettext("For example, the sides differ at") if self.student else self.gettext("Counterexample:")

    def method(self, sr: model.StepResult) -> str | None:
        """How a step was decided: the author's view only."""
        if self.student or sr.outcome.verdict is Verdict.GIVEN:
            return None
        return sr.outcome.method

    # --- fixed text -------------------------------------------------------------------------------
    def where(self) -> str:
        return self.gettext("where")

    def for_(self) -> str:
        return self.gettext("for")

    def assuming(self) -> str:
        return self.gettext("Assuming")

    def source(self) -> str:
        return self.gettext("Source:")

    def unreadable(self) -> str:
        return self.gettext("Could not be read:")

    def checked_derivations(self) -> str:
        return self.gettext("Checked derivations")

    def chain_label(self, index: int, chain: model.Chain) -> str:
        return chain.title.strip() or self.gettext("chain {n}").format(n=index + 1)

    def legend_entries(self) -> list[tuple[Verdict, str]]:
        return [
            (Verdict.PROVED, self.gettext("proved symbolically")),
            (Verdict.NUMERIC, self.gettext("equal at every probe point, no proof found")),
            (Verdict.REFUTED, self.gettext("refuted")),
            (Verdict.TIMEOUT, self.gettext("timeout")),
            (Verdict.ERROR, self.gettext("error")),
        ]

    def compared_with(self, sr: model.StepResult) -> str | None:
        if not sr.skips_back or sr.compared_with is None:
            return None
        return self.gettext("holds against step {k}").format(k=sr.compared_with)


class NoteWriter(Protocol):
    """What a handout writer gives `note_body`: its wording and its own escaping of text, prose and values."""

    words: Words

    def text(self, s: str, /) -> str: ...

    def prose(self, s: str, /, title: bool = False) -> str: ...

    def counterexample(self, ce: dict[str, str] | None, /) -> str | None: ...


def note_body(writer: NoteWriter, sr: model.StepResult, strict: bool) -> str:
    """The body of the numbered note under a step (HTML and LaTeX handouts): where and verdict, the
    diagnosis, the counterexample; each writer escapes it in its own markup and wraps it."""
    w = writer.words
    body = writer.text(f"{w.step_where(sr)}, {w.verdict(sr.outcome.verdict)}")
    diag = w.diagnosis(sr, strict)
    if diag:
        body += ": " + writer.prose(diag).rstrip(".")
    ce = writer.counterexample(sr.outcome.counterexample)
    if ce:
        body += ". " + writer.text(w.counterexample_lead()) + " " + ce
    return body
