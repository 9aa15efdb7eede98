"""Output formats: a registry of reporters, each writing a `model.Report` to a stream it is given.

The registry names each reporter's module; `get` imports only the module of the format chosen, so a
run that writes text never loads the teaching formats (and one that writes JSON never loads rich).
"""

from __future__ import annotations

import importlib

from verifier.report.base import ENGINES, Reporter, ReportOptions
from verifier.report.i18n import LANGUAGES, Audience

# The one list of formats (in the order `--help` lists them, text first: it is the default): `--format
# NAME` picks the REPORTER of the module registered under NAME.
REGISTRY: dict[str, str] = {
    "text": "verifier.report.text",
    "json": "verifier.report.json_report",
    "latex": "verifier.report.latex",
    "markdown": "verifier.report.markdown",
    "html": "verifier.report.html",
    "junit": "verifier.report.junit",
    "github": "verifier.report.github",
}


def get(name: str) -> Reporter:
    """The reporter for a format name (its module imported now); KeyError names the known formats."""
    try:
        module = REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r}; choose one of {', '.join(names())}") from None
    reporter: Reporter = importlib.import_module(module).REPORTER
    return reporter


def names() -> list[str]:
    """The format names, in the order `--help` should list them (text first: it is the default)."""
    return list(REGISTRY)


__all__ = ["ENGINES", "LANGUAGES", "REGISTRY", "Audience", "ReportOptions", "Reporter", "get", "names"]
