"""Instructions to the check: `% verify: …` at the end of a display line, or `[verify]` in a declarations
block (for formulas that cannot carry a comment, such as formula images), naming a line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from verifier.documents import messages
from verifier.documents.displays import Note, NoteKind
from verifier.documents.parts import Display
from verifier.documents.source import Lines
from verifier.model import Loc

PREFIX = re.compile(r"verify\s*:")


class Word(Enum):
    SKIP = "skip"  # the display is listed as skipped
    EXPECT_REFUTED = "expect refuted"  # the step on that line is a documented slip
    ASSUME = "assume"  # a relation the chain assumes


@dataclass(frozen=True)
class Instruction:
    word: Word
    line: int  # the document line it names
    offset: int  # where it is written (for messages)
    loc: Loc
    argument: str = ""
    arg_offset: int = -1  # the document offset of the argument, -1 when it cannot be located exactly


def parse(text: str, line: int, offset: int, lines: Lines, arg_base: int | None) -> Instruction:
    """One instruction (the text after `verify:`); an unknown word is a located error."""
    words = text.strip()
    lead = len(text) - len(text.lstrip())
    if re.fullmatch(r"skip", words):
        return Instruction(Word.SKIP, line, offset, lines.loc(offset))
    match = re.fullmatch(r"expect\s+refuted(?:\s+(\S+))?", words)
    if match:
        # `expect refuted 2`: the second step on that line that is compared with a predecessor
        nth = match[1] or ""
        if nth and not (nth.isdigit() and int(nth) >= 1):
            raise lines.error(messages.BAD_NTH, offset, written=nth)
        return Instruction(Word.EXPECT_REFUTED, line, offset, lines.loc(offset), nth)
    match = re.match(r"assume\b\s*", words)
    if match:
        relation = words[match.end() :].strip()
        if not relation:
            raise lines.error(messages.EMPTY_ASSUME, offset)
        at = arg_base + lead + match.end() if arg_base is not None else -1
        return Instruction(Word.ASSUME, line, offset, lines.loc(offset), relation, at)
    raise lines.error(messages.UNKNOWN_COMMENT, offset, word=words.split()[0] if words else "")


def from_notes(notes: list[Note], display: Display, lines: Lines) -> list[Instruction]:
    """The `% verify: …` comments of a display."""
    found = []
    for note in notes:
        if note.kind is not NoteKind.COMMENT:
            continue
        raw_end = display.body.find("\n", note.offset)
        raw = display.body[note.offset + 1 : raw_end if raw_end >= 0 else len(display.body)]
        match = PREFIX.match(raw.lstrip())
        if match is None:
            continue  # an ordinary comment
        skipped = len(raw) - len(raw.lstrip()) + match.end()
        offset = display.start + note.offset if display.exact else display.start
        arg_base = offset + 1 + skipped if display.exact else None
        found.append(parse(raw[skipped:], lines.line_of(offset), offset, lines, arg_base))
    return found


def from_table(table: Any, block_text: str, block_start: int, lines: Lines) -> dict[int, list[Instruction]]:
    """`[verify]` of a declarations block: line number → instruction or list of instructions."""
    if not isinstance(table, Mapping):
        raise lines.error(messages.BAD_VERIFY_TABLE, block_start)
    found: dict[int, list[Instruction]] = {}
    table_at = max(block_text.find("verify"), 0)
    for key, value in table.items():
        found_key = re.compile(r"(?m)^[ \t]*['\"]?" + re.escape(str(key)) + r"['\"]?[ \t]*=").search(
            block_text, table_at
        )
        offset = block_start + (found_key.end() - len(found_key[0].lstrip()) if found_key else table_at)
        if not (isinstance(key, str) and key.isdigit()):
            raise lines.error(messages.BAD_VERIFY_TABLE, offset)
        values = [value] if isinstance(value, str) else value
        if not (isinstance(values, list) and all(isinstance(v, str) for v in values)):
            raise lines.error(messages.BAD_VERIFY_TABLE, offset)
        found[int(key)] = [parse(v, int(key), offset, lines, None) for v in values]
    return found
