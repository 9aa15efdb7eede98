"""The one exception type for unreadable input: it carries a located Problem, never a traceback."""

from __future__ import annotations

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
