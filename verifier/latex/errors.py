"""Reader errors: an offset inside one LaTeX string, turned into a located InputError in the TOML file."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from verifier.errors import InputError
from verifier.latex.messages import Message
from verifier.model import Loc, Problem, Tex


class ReadError(Exception):
    """A catalogued message at a character offset of the LaTeX string being read (internal to the reader)."""

    def __init__(self, what: Message, offset: int) -> None:
        super().__init__(str(what))
        self.what = what
        self.offset = offset

    @property
    def message(self) -> str:
        return str(self.what)


def loc_at(tex: Tex, offset: int) -> Loc:
    """The file location of character `offset` of tex (approximate when the string spans lines)."""
    offset = max(0, min(offset, len(tex.text)))
    before = tex.text[:offset]
    newlines = before.count("\n")
    if newlines == 0:
        return Loc(tex.loc.file, tex.loc.line, tex.loc.column + offset)
    return Loc(tex.loc.file, tex.loc.line + newlines, offset - before.rfind("\n"))


def located(tex: Tex, err: ReadError) -> InputError:
    """The InputError for a ReadError inside tex."""
    loc = loc_at(tex, err.offset)
    return InputError(Problem(err.message, loc.file, loc.line, loc.column))


def at_decl(loc: Loc, what: Message) -> InputError:
    """An InputError at a declaration's key."""
    return InputError(Problem(str(what), loc.file, loc.line, loc.column))


def suggest(name: str, known: Iterable[str]) -> str:
    """' (did you mean X?)' for the nearest known spelling, or ''."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""
