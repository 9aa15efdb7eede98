"""Output formats: a registry of reporters, each writing a `model.Report` to a stream it is given."""

from __future__ import annotations

from verifier.report import github, html, json_report, junit, latex, markdown, text
from verifier.report.base import Reporter, ReportOptions
from verifier.report.i18n import LANGUAGES, Audience
from verifier.report.latex import ENGINES

# The one list of formats: `--format NAME` picks the reporter registered under NAME.
REGISTRY: dict[str, Reporter] = {
    r.name: r
    for r in (
        text.REPORTER,
        json_report.REPORTER,
        latex.REPORTER,
        markdown.REPORTER,
        html.REPORTER,
        junit.REPORTER,
        github.REPORTER,
    )
}


def get(name: str) -> Reporter:
    """The reporter for a format name; KeyError names the known formats."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r}; choose one of {', '.join(names())}") from None


def names() -> list[str]:
    """The format names, in the order `--help` should list them (text first: it is the default)."""
    return list(REGISTRY)


__all__ = ["ENGINES", "LANGUAGES", "REGISTRY", "Audience", "ReportOptions", "Reporter", "get", "names"]
