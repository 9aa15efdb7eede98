"""What every output format shares: the options a reporter takes and the reporter protocol."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TextIO

from verifier import model
from verifier.report.i18n import Audience


class Engine(StrEnum):
    """The TeX engine a standalone handout is written for."""

    PDFLATEX = "pdflatex"
    XELATEX = "xelatex"


ENGINES = tuple(e.value for e in Engine)


@dataclass(frozen=True)
class ReportOptions:
    """How to write a report.

    `color`: None lets the terminal decide (a tty without NO_COLOR gets colour), True forces it,
    False turns it off. `width`: None lets the terminal decide. The teaching formats (LaTeX, Markdown,
    HTML) also take `lang` (a catalog in verifier/locale), `audience` (the student view leaves out
    methods, timings and cache details) and, for LaTeX, `engine` (None: what the text needs).
    """

    standalone: bool = False
    explain: bool = False
    color: bool | None = None
    width: int | None = None
    lang: str = "en"
    audience: Audience = Audience.AUTHOR
    engine: str | None = None


class Reporter(Protocol):
    """Writes a whole report to a stream; never prints elsewhere, never exits."""

    name: str

    def write(self, report: model.Report, stream: TextIO, options: ReportOptions) -> None: ...
