"""Reading a document's bytes as text, under a size limit, refusing binary data with a located message."""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from verifier.documents import messages
from verifier.errors import InputError
from verifier.model import Loc, Problem

MAX_DOCUMENT_BYTES = 8_000_000
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".tex": "tex"}


def read_text(path: Path, name: str) -> str:
    """The document's text; an InputError for an unreadable, too large, binary or non-UTF-8 file."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise InputError(Problem(f"cannot read the file: {exc.strerror or exc}", name)) from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise messages.TOO_LARGE.at(None, name, limit=MAX_DOCUMENT_BYTES)
    nul = raw.find(b"\0")
    if nul >= 0:
        line = raw[:nul].count(b"\n") + 1
        raise messages.BINARY.at(Loc(name, line, 1), name, offset=nul)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise messages.NOT_UTF8.at(Loc(name, line, 1), name) from None
    return text.removeprefix("\ufeff")  # a byte-order mark is not a column an editor counts


class Lines:
    """Offsets of a text to (line, column), by binary search over line starts (linear to build)."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def loc(self, offset: int) -> Loc:
        line = bisect.bisect_right(self.starts, offset) - 1
        return Loc(self.file, line + 1, offset - self.starts[line] + 1)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def source_line(self, line: int) -> str | None:
        if not 0 < line <= len(self.starts):
            return None
        end = self.text.find("\n", self.starts[line - 1])
        return self.text[self.starts[line - 1] : end if end >= 0 else len(self.text)]

    def error(self, message: messages.Message, offset: int, **values: object) -> InputError:
        loc = self.loc(offset)
        return message.at(loc, self.file, self.source_line(loc.line), **values)
