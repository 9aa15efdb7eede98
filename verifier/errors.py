"""The one exception type for unreadable input: it carries a located Problem, never a traceback."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from verifier.model import Loc, Problem


class InputError(Exception):
    """Input that cannot be read (bad TOML, a parse error, an undeclared name, an unknown target)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.one_line())
        self.problem = problem

    @classmethod
    def at(cls, loc: Loc | None, message: str, file: str = "<input>", source_line: str | None = None) -> InputError:
        """An error at a location (or naming only the file when there is none)."""
        if loc is None:
            return cls(Problem(message, file))
        return cls(Problem(message, loc.file, loc.line, loc.column, source_line))


def with_source(problem: Problem, path: Path | None = None) -> Problem:
    """The problem with its offending source line attached (for the caret), when the file can be read.

    `path` is where the file is when `problem.file` is only its display name (built-ins).
    """
    if problem.source_line is not None or problem.line is None:
        return problem
    try:
        lines = (path or Path(problem.file)).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return problem
    if not 0 < problem.line <= len(lines):
        return problem
    return dataclasses.replace(problem, source_line=lines[problem.line - 1])
