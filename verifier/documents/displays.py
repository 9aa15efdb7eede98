"""One display's mathematics → rows of steps.

What is not mathematics (`\\tag{…}`, `\\text{…}`, `\\quad`, `\\therefore`, `(**)`, ①, `% comments`,
alignment `&`, environment wrappers) is blanked out character for character, never deleted, so every
step is a slice of the document with the document's own line and column; what was blanked is kept
as a Note (a label, a justification, a comment) at its offset. Blog-engine escapes (`\\_`, `\\\\\\\\`)
are rewritten in place to the same length (` _`, `\\\\  `).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

# Environments that only arrange equations: their \begin/\end are blanked, their rows are read.
WRAPPERS = frozenset(
    {
        "equation", "equation*", "align", "align*", "aligned", "alignedat", "split", "gather", "gather*",
        "gathered", "eqnarray", "eqnarray*", "multline", "multline*", "displaymath", "flalign",
        "flalign*", "alignat", "alignat*", "math",
    }
)  # fmt: skip
DISPLAY_ENVIRONMENTS = WRAPPERS - {"aligned", "alignedat", "split", "gathered", "math"} | {"cases"}
# Relations between the members of a row. Only `=` makes a chain; `:=`, `\leftarrow` make a definition.
EQUALS = "="
DEFINES = frozenset({":=", "\\leftarrow", "\\gets", "\\coloneqq"})
OTHER_RELATIONS = frozenset(
    {
        "<", ">", "\\le", "\\leq", "\\ge", "\\geq", "\\neq", "\\ne", "\\approx", "\\sim", "\\simeq", "\\propto",
        "\\equiv", "\\to", "\\rightarrow", "\\Rightarrow", "\\implies", "\\iff", "\\Leftrightarrow", "\\mapsto",
        "\\in", "\\leqslant", "\\geqslant", "\\ll", "\\gg", "\\cong", "\\Longrightarrow", "\\impliedby",
        "\\Leftarrow", "\\subset", "\\subseteq", "\\notin",
    }
)  # fmt: skip
TEXT_COMMANDS = frozenset({"text", "textrm", "textit", "textbf", "mbox", "hbox", "textnormal"})
BLANKED_COMMANDS = frozenset({"quad", "qquad", "displaystyle", "nonumber", "notag", "textstyle"})
LEAD_COMMANDS = frozenset({"therefore", "because", "hence"})
CIRCLED = "".join(chr(c) for c in [*range(0x2460, 0x2474), *range(0x2776, 0x2794), *range(0x24EB, 0x24F5)])
_COMMAND = re.compile(r"\\([A-Za-z]+\*?|.|$)", re.S)  # `|$`: a backslash that ends the text
_MARK_LABEL = re.compile(r"\(\*+\)|[" + CIRCLED + r"]+")
_MARK_SUBSCRIPT = re.compile(r"_\s*(\{[\s," + CIRCLED + r"]+\}|[" + CIRCLED + r"])")


class NoteKind(Enum):
    """What a blanked piece of a display was."""

    LABEL = "label"  # \tag{…}, (**), ①: the step's own name
    BY = "by"  # \text{…} beside a step, or _{①③}: its justification
    COMMENT = "comment"  # % …: an instruction when it starts with `verify:`
    LEAD = "lead"  # \therefore, \because at the start of a row


@dataclass(frozen=True)
class Note:
    offset: int
    kind: NoteKind
    value: str


@dataclass
class Masked:
    """A display body with everything that is not mathematics blanked, and what was blanked."""

    text: str
    notes: list[Note] = field(default_factory=list)
    cases: tuple[int, int, int, int] | None = None  # \begin{cases} start/end, \end{cases} start/end


def _group(text: str, at: int) -> int:
    """The end (exclusive) of the brace group that opens at `at` (after spaces), or -1."""
    while at < len(text) and text[at] in " \t":
        at += 1
    if at >= len(text) or text[at] != "{":
        return -1
    depth = 0
    i = at
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _group_text(text: str, start: int, end: int) -> str:
    inner = text[start:end]
    return inner[inner.index("{") + 1 : -1]


def mask(body: str) -> Masked:
    """Blank what is not mathematics (same length), rewriting blog escapes, and keep it as notes."""
    out = list(body)
    notes: list[Note] = []

    def blank(start: int, end: int) -> None:
        for k in range(start, end):
            if out[k] != "\n":
                out[k] = " "

    cases: list[int] = []
    depth = 0  # braces: `\\text` inside a group (`\\theta_{\\text{new}}`) is the reader's, not a justification
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch in "{}":
            depth += 1 if ch == "{" else -1
            i += 1
            continue
        if ch == "%":
            end = body.find("\n", i)
            end = n if end < 0 else end
            notes.append(Note(i, NoteKind.COMMENT, body[i + 1 : end].strip()))
            blank(i, end)
            i = end
            continue
        if ch != "\\":
            i += 1
            continue
        if body.startswith("\\\\\\\\", i):  # a blog engine's escaped line break `\\\\` is `\\`
            out[i + 2] = out[i + 3] = " "
            i += 4
            continue
        if body.startswith("\\\\", i):
            i += 2
            continue
        if body.startswith("\\_", i) or body.startswith("\\*", i):  # a blog engine's escaped `_` / `*`
            out[i] = " "
            i += 2
            continue
        match = _COMMAND.match(body, i)
        assert match is not None
        name = match[1]
        end = match.end()
        if name in ("tag", "tag*"):
            close = _group(body, end)
            if close > 0:
                notes.append(Note(i, NoteKind.LABEL, _group_text(body, i, close).strip()))
                blank(i, close)
                i = close
                continue
        elif name == "label":
            close = _group(body, end)
            if close > 0:
                blank(i, close)
                i = close
                continue
        elif name in TEXT_COMMANDS and depth <= 0:
            close = _group(body, end)
            if close > 0:
                words = _group_text(body, i, close).strip()
                kind = NoteKind.LABEL if words and _MARK_LABEL.fullmatch(words.replace(" ", "")) else NoteKind.BY
                notes.append(Note(i, kind, words))
                blank(i, close)
                i = close
                continue
        elif name in BLANKED_COMMANDS:
            blank(i, end)
        elif name in LEAD_COMMANDS:
            notes.append(Note(i, NoteKind.LEAD, name))
            blank(i, end)
        elif name in ("begin", "end"):
            close = _group(body, end)
            if close > 0:
                env = _group_text(body, i, close).strip()
                if env in WRAPPERS:
                    if name == "begin" and env.startswith("alignat"):
                        close = max(close, _group(body, close))  # \begin{alignat}{2}
                    blank(i, close)
                    i = close
                    continue
                if env == "cases":
                    cases += [i, close]
                i = close
                continue
        i = end
    text = "".join(out)
    # (**) and ① marks; a subscript of marks (`_{①③}`) names the rules used: the step's justification.
    for match in _MARK_SUBSCRIPT.finditer(text):
        notes.append(Note(match.start(), NoteKind.BY, re.sub(r"[\s{},]", "", match[1])))
        blank(match.start(), match.end())
    text = "".join(out)
    for match in _MARK_LABEL.finditer(text):
        notes.append(Note(match.start(), NoteKind.LABEL, match[0]))
        blank(match.start(), match.end())
    text = "".join(out)
    notes.sort(key=lambda note: note.offset)
    span = (cases[0], cases[1], cases[-2], cases[-1]) if len(cases) == 4 else None
    return Masked(text, notes, span)


@dataclass
class Row:
    """One row of a display (between `\\\\`): its members and the relations between them."""

    start: int
    end: int
    members: list[tuple[int, int]]  # spans in the masked text, stripped; a blank first member: `= …`
    relations: list[str]
    ampersands: list[int] = field(default_factory=list)  # offsets of the alignment marks `&` at depth 0

    def inner_ampersands(self) -> list[int]:
        """`&` inside a member (not at its edges): align columns, or a cases condition."""
        return [a for a in self.ampersands if any(s < a < e for s, e in self.members)]


_TRAILING = re.compile(r"(?:\s|\\[ ,;!]|[,.;])+$")


def _strip(text: str, start: int, end: int, last: bool) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] == "&"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == "&"):
        end -= 1
    if last:
        match = _TRAILING.search(text, start, end)
        if match is not None:
            end = match.start()
    while end > start and (text[end - 1].isspace() or text[end - 1] == "&"):
        end -= 1
    return start, end


def rows(text: str, start: int = 0, end: int | None = None, count_parens: bool = True) -> list[Row] | None:
    """Split masked text into rows and members at depth 0; None when the brackets do not balance."""
    end = len(text) if end is None else end
    found: list[Row] = []
    members: list[tuple[int, int]] = []
    relations: list[str] = []
    row_start = member_start = start
    amps: list[int] = []
    depth = 0  # braces and environments
    parens = 0  # ( [ \{ \left … \right
    i = start
    while i < end:
        ch = text[i]
        if ch == "\\":
            match = _COMMAND.match(text, i)
            assert match is not None
            name = match[1]
            nxt = match.end()
            if name == "\\" and depth == 0 and parens == 0:
                members.append((member_start, i))
                found.append(Row(row_start, i, members, relations, amps))
                members, relations, amps = [], [], []
                # an optional spacing argument: \\[2pt]
                extra = re.match(r"\s*\[[^\]\n]*\]", text[nxt:end])
                if extra and re.fullmatch(r"\s*\[\s*-?[\d.]+\s*[a-z]{2}\s*\]", extra[0]):
                    nxt += extra.end()
                row_start = member_start = nxt
                i = nxt
                continue
            if name in ("left", "bigl", "Bigl", "biggl", "Biggl"):
                parens += 1
                i = _after_delimiter(text, nxt)
                continue
            if name in ("right", "bigr", "Bigr", "biggr", "Biggr"):
                parens -= 1
                i = _after_delimiter(text, nxt)
                continue
            if name == "{":
                parens += 1
            elif name == "}":
                parens -= 1
            elif name in ("begin", "end"):
                depth += 1 if name == "begin" else -1
            elif depth == 0 and parens == 0 and ("\\" + name in DEFINES or "\\" + name in OTHER_RELATIONS):
                members.append((member_start, i))
                relations.append("\\" + name)
                member_start = nxt
            i = nxt
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch in "([" and count_parens:
            parens += 1
        elif ch in ")]" and count_parens:
            parens -= 1
        elif depth == 0 and parens == 0:
            if ch == "&":
                amps.append(i)
            elif ch == ":" and text.startswith(":=", i):
                members.append((member_start, i))
                relations.append(":=")
                member_start = i + 2
                i += 2
                continue
            elif ch in "=<>":
                members.append((member_start, i))
                relations.append(ch)
                member_start = i + 1
        if depth < 0:
            return None
        if parens < 0:  # `[0, 1)` or a lone `)`: split at brace depth only
            return rows(text, start, end, count_parens=False) if count_parens else None
        i += 1
    if depth != 0:
        return None
    if parens != 0:
        return rows(text, start, end, count_parens=False) if count_parens else None
    members.append((member_start, end))
    found.append(Row(row_start, end, members, relations, amps))
    for row in found:
        last = len(row.members) - 1
        row.members = [_strip(text, s, e, k == last) for k, (s, e) in enumerate(row.members)]
    return [row for row in found if row.relations or row.members[0][0] < row.members[0][1]]


def _after_delimiter(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t":
        at += 1
    if at < len(text) and text[at] == "\\":
        match = _COMMAND.match(text, at)
        return match.end() if match else at + 1
    return at + 1
