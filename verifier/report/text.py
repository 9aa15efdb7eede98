"""`--format text`: the terminal report (rich): a panel per derivation, a table per chain, a summary line.

All text from a file goes to rich as `Text` (never as markup), so `[a,b]` or `[/]` shows as written.
Marks (✓ ≈ ✗ ⏱ !) and verdict words keep the report readable without colour (NO_COLOR, a pipe).
"""

from __future__ import annotations

from typing import TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from verifier import model
from verifier.model import UncheckedKind, Verdict
from verifier.report import common
from verifier.report.base import ReportOptions

STYLES: dict[Verdict, str] = {
    Verdict.GIVEN: "dim",
    Verdict.PROVED: "green",
    Verdict.NUMERIC: "yellow",
    Verdict.REFUTED: "bold red",
    Verdict.TIMEOUT: "magenta",
    Verdict.ERROR: "bold red",
}


def make_console(stream: TextIO, options: ReportOptions) -> Console:
    """A console on `stream` that never interprets markup, emoji codes or highlights numbers."""
    return Console(
        file=stream,
        width=options.width,
        force_terminal=True if options.color else None,
        no_color=True if options.color is False else None,
        color_system=None if options.color is False else "auto",
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )


def verdict_text(sr: model.StepResult) -> Text:
    verdict = sr.outcome.verdict
    if verdict is Verdict.GIVEN:
        return Text("given", style="dim")
    label = f"{common.MARKS[verdict]} {verdict.value}"
    if sr.step.expect == "refuted":
        # A documented mistake: its verdict is right when refuted, so it is not painted as a failure.
        return Text(
            label + (" (as expected)" if sr.ok else " (expected refuted)"),
            style="cyan" if sr.ok else "bold red",
        )
    if not sr.ok and verdict is Verdict.NUMERIC:
        return Text(label + " (strict)", style="bold red")
    return Text(label, style=STYLES[verdict])


def _how(sr: model.StepResult) -> Text:
    if sr.outcome.verdict is Verdict.GIVEN:
        return Text("")
    bits = [sr.outcome.method] if sr.outcome.method else []
    against = common.compared_text(sr)
    if against:
        bits.insert(0, against)
    secs = sr.outcome.seconds
    bits.append(f"{secs * 1000:.0f} ms" if secs < 1 else f"{secs:.1f} s")
    return Text(", ".join(bits), style="dim")


# Room the other columns, the panel and the padding leave for a pretty form in the step column.
_OTHER_COLUMNS = 42
_PRETTY_HEIGHT = 8


def _pretty(sr: model.StepResult, width: int) -> Text | None:
    """The checker's pretty form of a failing step (what it read), only when it fits the column.

    With --explain the pretty forms come in the full-width block after the table instead.
    """
    text = sr.outcome.pretty
    if text is None or sr.ok:
        return None
    lines = text.splitlines()
    if not lines or len(lines) > _PRETTY_HEIGHT or max(len(line) for line in lines) > width - _OTHER_COLUMNS:
        return None
    out = Text("read as:\n", style="dim")
    out.append(Text(text, style="dim", no_wrap=True))
    return out


def chain_table(
    index: int,
    cr: model.ChainResult,
    strict: bool,
    explain: bool,
    width: int = 80,
) -> Table:
    title = Text(common.chain_label(index, cr.chain), style="bold")
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("line", justify="right", no_wrap=True, style="dim")
    table.add_column("step (as written)", ratio=1, overflow="fold")
    table.add_column("verdict", overflow="fold", min_width=16, max_width=24)
    if cr.chain.assume:
        assumes = Text("assuming ", style="dim")
        assumes.append(Text(", ".join(a.text for a in cr.chain.assume)))
        table.caption = assumes
        table.caption_justify = "left"
    for sr in cr.steps:
        # Everything about a step sits in its own row: the justification and, for a failing step, the
        # diagnosis and counterexample right under the step as written.
        cell = Text(sr.step.shown, style="bold" if not sr.ok else "")
        if sr.step.label:
            cell.append(Text(f"  ({sr.step.label})", style="dim"))
        if sr.step.by:
            cell.append("\n")
            cell.append(Text("by " + sr.step.by, style="italic cyan"))
        pretty = _pretty(sr, width)
        if pretty is not None:
            cell.append("\n")
            cell.append(pretty)
        detail = _detail(sr, strict, explain)
        if detail is not None:
            cell.append("\n")
            cell.append(detail)
        verdict = verdict_text(sr)
        how = _how(sr)
        if how.plain:
            verdict.append("\n")
            verdict.append(how)
        table.add_row(Text(str(sr.step.index)), Text(str(sr.step.tex.loc.line)), cell, verdict)
    return table


def _detail(sr: model.StepResult, strict: bool, explain: bool) -> Text | None:
    """The lines right under a step: its diagnosis and counterexample, and with --explain how it was read."""
    lines: list[Text] = []
    diag = common.diagnosis(sr, strict, plain=True)
    style = "red" if not sr.ok else "dim"
    if diag and sr.outcome.verdict is not Verdict.GIVEN:
        lines.append(Text("↳ " + diag, style=style))
    ce = common.counterexample_text(sr.outcome.counterexample)
    if ce:
        lines.append(Text("↳ counterexample: " + ce, style=style))
    if not lines:
        return None
    return Text("\n").join(lines)


def explain_block(cr: model.ChainResult, width: int) -> RenderableType:
    """--explain, at full width under a chain's table: for each step, how it was read, unfolded and decided.

    Multi-line entries are SymPy's pretty forms: shown only when they fit, since a wrapped pretty form is
    unreadable; the LaTeX line above each of them says the same thing.
    """
    parts: list[RenderableType] = [Text("how each step was read and decided", style="bold dim")]
    room = width - 8
    for sr in cr.steps:
        if not sr.outcome.explain:
            continue
        parts.append(Text(f"step {sr.step.index} (line {sr.step.tex.loc.line})", style="bold"))
        for line in sr.outcome.explain:
            if "\n" not in line:
                parts.append(Text("  " + line, style="dim"))
            elif max(len(row) for row in line.splitlines()) <= room:
                parts.append(Text("\n".join("    " + row for row in line.splitlines()), no_wrap=True))
    return Group(*parts)


def _problem(p: model.Problem) -> RenderableType:
    head = Text(p.one_line(), style="bold red")
    caret = p.with_caret()[len(p.one_line()) :].lstrip("\n")
    if not caret:
        return head
    # The caret must stay under its column: no wrapping for the quoted source line.
    return Group(head, Text(caret, no_wrap=True, overflow="ellipsis"))


def derivation_panel(d: model.DerivationResult, strict: bool, explain: bool, width: int = 80) -> Panel:
    parts: list[RenderableType] = []
    head = Text(d.file, style="dim")
    head.append(Text("  " + common.derivation_summary(d)))
    parts.append(head)
    parts.extend(_problem(p) for p in d.errors)
    for k, cr in enumerate(d.chains):
        parts.append(Text(""))
        parts.append(chain_table(k, cr, strict, explain, width))
        if explain:
            parts.append(explain_block(cr, width))
    unchecked = _unchecked(d, explain)
    if unchecked is not None:
        parts.extend([Text(""), unchecked])
    mark = "✓" if d.ok else "✗"
    title = Text(f"{mark} ", style="green" if d.ok else "bold red")
    title.append(Text(d.title or d.id, style="bold"))
    return Panel(
        Group(*parts),
        title=title,
        title_align="left",
        border_style="green" if d.ok else "red",
        box=box.ROUNDED,
    )


def _unchecked(d: model.DerivationResult, explain: bool) -> Text | None:
    """A document's math that was not checked: skips always (a skip is never silent), the rest with --explain."""
    listed = [u for u in (d.derivation.unchecked if d.derivation else ()) if explain or u.kind is UncheckedKind.SKIPPED]
    if not listed:
        return None
    text = Text("not checked", style="bold")
    for u in listed:
        text.append(f"\n  line {u.loc.line}: {u.kind.value}, {u.reason}: ", style="dim")
        text.append(u.text)
    return text


class TextReporter:
    name = "text"

    def write(self, report: model.Report, stream: TextIO, options: ReportOptions) -> None:
        console = make_console(stream, options)
        for d in report.derivations:
            console.print(derivation_panel(d, report.strict, options.explain, console.width))
        mark = "✓" if report.ok else "✗"
        console.print(
            Text(f"{mark} {common.summary_text(report)}", style="bold green" if report.ok else "bold red")
        )


REPORTER = TextReporter()
