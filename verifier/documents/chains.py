"""A scanned document → model.Derivation objects: one per declarations block (its scope), whose chains
are the displays after the block, each step located at the document's own line and column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from verifier.documents import comments, messages
from verifier.documents.declarations import Scope, merge_blocks
from verifier.documents.displays import DEFINES, EQUALS, Masked, NoteKind, Row, mask, rows
from verifier.documents.parts import Display, Scan
from verifier.documents.source import Lines
from verifier.model import Chain, Derivation, Loc, Step, Tex, Unchecked, UncheckedKind

TITLE_WIDTH = 60


class ChainKind(Enum):
    CLAIM = "claim"
    UPDATE = "update"  # w = w - η ∂L/∂w = …: the right-hand sides
    DEFINITION = "definition"  # z := … or z \leftarrow …: the right-hand sides


@dataclass
class Piece:
    """One step as found in a display: the masked slice and where it is."""

    offset: int  # in the document
    text: str
    exact: bool
    line: int
    label: str | None = None
    by: str | None = None
    expect: str | None = None
    row: int = 0  # where its row and the step itself start in the display's masked text
    start: int = 0
    written: str | None = None  # the author's text, when the reader's differs (escapes, bare words)


@dataclass
class Draft:
    """A chain being assembled (it may continue over several displays)."""

    pieces: list[Piece]
    kind: ChainKind = ChainKind.CLAIM
    subject: str | None = None
    assume: list[Tex] = field(default_factory=list)


class _NotAChain(Exception):
    """This display is listed as not checked, with the reason."""


def build(found: Scan, lines: Lines, default_id: str) -> tuple[Derivation, ...]:
    """The document's derivations, one per declarations block that has chains after it."""
    scopes = merge_blocks(found.blocks, lines, default_id, found.title, found.headings)
    derivations: list[Derivation] = []
    early: list[Unchecked] = []
    for display in found.displays:
        if display.start < scopes[0].start:
            early.append(_unchecked(lines, display, UncheckedKind.UNDECLARED, "before the first declarations block"))
    inline = [
        Unchecked(lines.loc(i.start), _short(i.text), UncheckedKind.INLINE, "inline math is prose, not a claim")
        for i in found.inlines
    ]
    for k, scope in enumerate(scopes):
        end = scopes[k + 1].start if k + 1 < len(scopes) else len(lines.text) + 1
        displays = [d for d in found.displays if scope.start <= d.start < end]
        builder = _Builder(scope, lines)
        for display in displays:
            builder.display(display)
        builder.check_instructions_used()
        chains, unchecked = builder.result()
        notes = [u for u in inline if scope.start <= _offset(lines, u) < end or (k == 0 and _offset(lines, u) < end)]
        if k == 0:
            unchecked = early + unchecked
        unchecked = sorted([*unchecked, *notes], key=lambda u: (u.loc.line, u.loc.column))
        if not chains:
            continue
        ident = scope.ident if k == 0 or not derivations else f"{scope.ident}-{len(derivations) + 1}"
        derivations.append(
            Derivation(
                id=ident,
                file=lines.file,
                title=scope.title,
                symbols=scope.symbols,
                functions=scope.functions,
                chains=tuple(chains),
                summary=scope.summary,
                source=scope.source,
                unchecked=tuple(unchecked),
            )
        )
    if not derivations:
        raise messages.NO_CHAINS.at(lines.loc(scopes[-1].start), lines.file)
    return tuple(derivations)


def _offset(lines: Lines, u: Unchecked) -> int:
    return lines.starts[u.loc.line - 1] + u.loc.column - 1


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_WIDTH else text[: TITLE_WIDTH - 1] + "…"


def _unchecked(lines: Lines, display: Display, kind: UncheckedKind, reason: str) -> Unchecked:
    return Unchecked(lines.loc(display.start), _short(display.body), kind, reason)


_TOKEN_END = r"(?![A-Za-z])"


_GROUP = re.compile(r"\{[^{}]*\}|\([^()]*\)|\[[^\[\]]*\]")


def _mentions(text: str, key: str) -> bool:
    """Whether `key` is a term of `text` itself: not inside a group, a function's argument or an exponent.

    `w - \\eta \\frac{…}{…}` mentions w; `\\log e^a` does not mention a (`a = \\log e^a` is a claim).
    """
    top = text
    while True:
        flat = _GROUP.sub(lambda m: " " * len(m[0]), top)
        if flat == top:
            break
        top = flat
    before = r"(?<![A-Za-z\\^_])" if key[:1].isalpha() else r"(?<![\^_])"
    return re.search(before + re.escape(key) + _TOKEN_END, top) is not None


class _Builder:
    def __init__(self, scope: Scope, lines: Lines) -> None:
        self.scope = scope
        self.lines = lines
        self.drafts: list[Draft] = []
        self.last: Draft | None = None
        self.unchecked: list[Unchecked] = []
        self.used_lines: set[int] = set()

    # -- one display ------------------------------------------------------------------------------

    def display(self, display: Display) -> None:
        masked = mask(display.body)
        first_line = self.lines.line_of(display.start)
        last_line = first_line + display.body.count("\n")
        if display.tag is not None:  # an image: any line of its tag names it
            first_line = min(first_line, self.lines.line_of(display.tag[0]))
            last_line = max(last_line, self.lines.line_of(display.tag[1]))
        instructions = comments.from_notes(masked.notes, display, self.lines)
        for line in range(first_line, last_line + 1):
            if line in self.scope.verify:
                self.used_lines.add(line)
                instructions.extend(self.scope.verify[line])
        skip = next((i for i in instructions if i.word is comments.Word.SKIP), None)
        if skip is not None:
            reason = f"`% verify: skip` (line {skip.line})"
            self.unchecked.append(_unchecked(self.lines, display, UncheckedKind.SKIPPED, reason))
            return
        # a display only adds drafts and extends the last one: enough to undo it in constant time
        count, last = len(self.drafts), self.last
        last_length = len(last.pieces) if last is not None else 0
        try:
            new_pieces = self._rows(display, masked)
        except _NotAChain as exc:
            del self.drafts[count:]
            self.last = last
            if last is not None:
                del last.pieces[last_length:]
            self.unchecked.append(_unchecked(self.lines, display, UncheckedKind.NOT_A_CHAIN, str(exc)))
            return
        self._apply(instructions, new_pieces, display, masked)

    def _rows(self, display: Display, masked: Masked) -> list[tuple[Piece, Draft]]:
        if masked.cases is not None:
            return self._cases(display, masked)
        found = rows(masked.text)
        if found is None:
            raise self.lines.error(messages.UNBALANCED, display.start)
        return self._chain_rows(display, masked, found, continues=True)

    def _chain_rows(
        self, display: Display, masked: Masked, found: list[Row], continues: bool, assume: Tex | None = None
    ) -> list[tuple[Piece, Draft]]:
        made: list[tuple[Piece, Draft]] = []
        current: Draft | None = None
        for number, row in enumerate(found):
            if row.inner_ampersands() and not display.opening.startswith("\\begin{eqnarray"):
                raise _NotAChain("several `&` columns on one row: more than one equation per row")
            for k, rel in enumerate(row.relations):
                if rel != EQUALS and not (k == 0 and rel in DEFINES):
                    raise _NotAChain(f"the relation `{rel}` is not `=`: only chains of equalities are checked")
            members = row.members
            blank_first = members[0][0] >= members[0][1]
            lead = any(n.kind is NoteKind.LEAD and row.start <= n.offset < members[0][0] for n in masked.notes)
            target = current if current is not None else (self.last if number == 0 and continues else None)
            if blank_first:
                if row.relations[0] != EQUALS:
                    raise _NotAChain(f"a row that starts with `{row.relations[0]}` continues nothing")
                if target is None:
                    raise _NotAChain("it starts with `=`, but no chain comes before it to continue")
                draft, start_at = target, 1
            elif (
                lead
                and target is not None
                and row.relations
                and _same(masked.text[slice(*members[0])], target.pieces[0].text)
            ):
                draft, start_at = target, 1  # \therefore and the same left side: the chain goes on
            elif row.relations and row.relations[0] in DEFINES:
                draft = Draft([], ChainKind.DEFINITION, _collapse(masked.text[slice(*members[0])]))
                self.drafts.append(draft)
                start_at = 1
            elif len(members) > 1 and self._is_update(masked.text[slice(*members[0])], masked.text[slice(*members[1])]):
                draft = Draft([], ChainKind.UPDATE, _collapse(masked.text[slice(*members[0])]))
                self.drafts.append(draft)
                start_at = 1
            else:
                draft = Draft([])
                self.drafts.append(draft)
                start_at = 0
            if assume is not None:
                draft.assume.append(assume)
            for s, e in members[start_at:]:
                if s >= e:
                    raise _NotAChain("an empty member between two relations")
                piece = self._piece(display, masked, row, s, e)
                draft.pieces.append(piece)
                made.append((piece, draft))
            current = draft
            self.last = draft
        return made

    def _cases(self, display: Display, masked: Masked) -> list[tuple[Piece, Draft]]:
        """`\\begin{cases}` lines are separate claims; `LHS = \\begin{cases} v & c \\\\ …` makes LHS = v under c."""
        assert masked.cases is not None
        begin, inner_start, inner_end, end = masked.cases
        if masked.text[end:].strip():
            raise _NotAChain("`cases` inside a larger expression")
        head = rows(masked.text, 0, begin)
        if head is None:
            raise self.lines.error(messages.UNBALANCED, display.start)
        subject: tuple[int, int] | None = None
        if head:
            row = head[0]
            if len(head) > 1 or row.relations != [EQUALS] or row.members[1][0] < row.members[1][1]:
                raise _NotAChain("`cases` after something other than `left side =`")
            subject = row.members[0]
        case_rows = rows(masked.text, inner_start, inner_end)
        if case_rows is None:
            raise self.lines.error(messages.UNBALANCED, display.start)
        made: list[tuple[Piece, Draft]] = []
        for row in case_rows:
            value_end = row.ampersands[0] if row.ampersands else row.end
            assume = None
            if row.ampersands:
                condition = masked.text[row.ampersands[0] + 1 : row.end]
                words = [n for n in masked.notes if row.ampersands[0] < n.offset < row.end and n.kind is NoteKind.BY]
                cond = re.sub(r"^[\s,;]*|[\s,;.]*$", "", condition)
                if not cond and words:
                    raise _NotAChain(f"the condition `{words[0].value}` is in words, not a relation")
                if cond:
                    start = row.ampersands[0] + 1 + condition.index(cond)
                    assume = Tex(cond, self._loc(display, start), display.exact)
            value = rows(masked.text, row.start, value_end)
            if not value:
                continue
            if subject is not None:
                value_row = value[0]
                s, e = value_row.members[0][0], value_row.members[-1][1]
                if value_row.relations:
                    raise _NotAChain("a `cases` line that is itself a relation after `left side =`")
                draft = Draft([self._piece(display, masked, row, *subject), self._piece(display, masked, row, s, e)])
                if assume is not None:
                    draft.assume.append(assume)
                self.drafts.append(draft)
                made += [(p, draft) for p in draft.pieces]
                self.last = draft
            else:
                made += self._chain_rows(display, masked, value, continues=False, assume=assume)
        return made

    def _is_update(self, left: str, right: str) -> bool:
        key = _collapse(left)
        return key in self.scope.plain and _mentions(right, key)

    def _loc(self, display: Display, offset: int) -> Loc:
        return self.lines.loc(display.start + offset if display.exact else display.start)

    def _piece(self, display: Display, masked: Masked, row: Row, start: int, end: int) -> Piece:
        chars = list(masked.text[start:end])
        for amp in row.ampersands:
            if start <= amp < end:
                chars[amp - start] = " "
        text = "".join(chars)
        exact = display.exact
        replaced = self.scope.bare(text)
        if replaced != text:
            text, exact = replaced, False
        offset = display.start + start if display.exact else display.start
        piece = Piece(offset, text, exact, self.lines.line_of(offset), row=row.start, start=start)
        original = list(display.body[start:end])
        for amp in row.ampersands:
            if start <= amp < end:
                original[amp - start] = " "
        written = "".join(original)
        if written != text:
            piece.written = " ".join(written.split())
        for note in masked.notes:  # members are stripped: a note inside one has mathematics after it
            if note.kind is NoteKind.BY and start < note.offset < end:
                raise _NotAChain(f"text inside a step: `{note.value}`")
        return piece

    # -- notes and instructions -------------------------------------------------------------------

    def _apply(
        self,
        instructions: list[comments.Instruction],
        made: list[tuple[Piece, Draft]],
        display: Display,
        masked: Masked,
    ) -> None:
        # labels and justifications: each belongs to the last step that starts before it on its row; one
        # before the row's first step (`\\text{有 } a = b`) is prose
        for note in masked.notes:
            if note.kind not in (NoteKind.LABEL, NoteKind.BY):
                continue
            rows_before = [p.row for p, _ in made if p.row <= note.offset]
            if not rows_before:
                continue
            before = [p for p, _ in made if p.row == max(rows_before) and p.start <= note.offset]
            if not before:
                continue
            piece = max(before, key=lambda p: p.start)
            if note.kind is NoteKind.LABEL:
                piece.label = note.value if piece.label is None else f"{piece.label} {note.value}"
            elif note.value:
                piece.by = note.value if piece.by is None else f"{piece.by}; {note.value}"
        for instruction in instructions:
            on_line = [(p, d) for p, d in made if p.line == instruction.line]
            if not on_line and display.tag is not None:
                on_line = made  # a line of an image's tag that holds no step: the image as a whole
            if instruction.word is comments.Word.EXPECT_REFUTED:
                compared = [(p, d) for p, d in on_line if d.pieces[0] is not p]
                if instruction.argument:  # `expect refuted 2`: the place among the compared steps, from the left
                    nth = int(instruction.argument)
                    compared.sort(key=lambda pd: pd[0].offset)
                    if nth > len(compared):
                        raise messages.NTH_OUT_OF_RANGE.at(
                            self.lines.loc(instruction.offset), self.lines.file,
                            self.lines.source_line(instruction.line), nth=nth, line=instruction.line,
                            count=len(compared),
                        )  # fmt: skip
                    compared = [compared[nth - 1]]
                if len(compared) != 1:
                    if not compared:
                        raise messages.NO_STEP_ON_LINE.at(
                            self.lines.loc(instruction.offset), self.lines.file,
                            self.lines.source_line(instruction.line), instruction="expect refuted",
                            line=instruction.line,
                        )  # fmt: skip
                    raise messages.AMBIGUOUS_EXPECT.at(
                        self.lines.loc(instruction.offset), self.lines.file,
                        self.lines.source_line(instruction.line), count=len(compared),
                    )  # fmt: skip
                compared[0][0].expect = "refuted"
            elif instruction.word is comments.Word.ASSUME:
                drafts = {id(d): d for _, d in on_line} or {id(d): d for _, d in made}
                if not drafts:
                    raise messages.NO_STEP_ON_LINE.at(
                        self.lines.loc(instruction.offset), self.lines.file, None, instruction="assume",
                        line=instruction.line,
                    )  # fmt: skip
                loc = self.lines.loc(instruction.arg_offset) if instruction.arg_offset >= 0 else self.lines.loc(0)
                for draft in drafts.values():
                    draft.assume.append(Tex(instruction.argument, loc, instruction.arg_offset >= 0))

    def check_instructions_used(self) -> None:
        for line, instructions in self.scope.verify.items():
            if line not in self.used_lines:
                raise messages.NO_STEP_ON_LINE.at(
                    instructions[0].loc, self.lines.file, None, instruction="[verify]", line=line
                )

    # -- the model ---------------------------------------------------------------------------------

    def result(self) -> tuple[list[Chain], list[Unchecked]]:
        chains = []
        unchecked = list(self.unchecked)
        for draft in self.drafts:
            if len(draft.pieces) < 2:
                first = draft.pieces[0] if draft.pieces else None
                if first is None:
                    continue
                reason = (
                    f"a definition of {draft.subject}: nothing to check"
                    if draft.kind is ChainKind.DEFINITION
                    else "a single expression: no `=` to check"
                )
                loc = self.lines.loc(first.offset)
                unchecked.append(Unchecked(loc, _short(first.text), UncheckedKind.NOT_A_CHAIN, reason))
                continue
            steps = tuple(
                Step(k, Tex(p.text, self.lines.loc(p.offset), p.exact), p.by, p.expect, p.label, p.written)
                for k, p in enumerate(draft.pieces)
            )
            chains.append(Chain(_title(draft), steps[0].tex.loc, steps, tuple(draft.assume)))
        return chains, unchecked


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def _title(draft: Draft) -> str:
    if draft.kind is ChainKind.UPDATE:
        return f"update of {draft.subject}"
    if draft.kind is ChainKind.DEFINITION:
        return f"definition of {draft.subject}"
    labels = [p.label for p in draft.pieces if p.label]
    title = _short(draft.pieces[0].text)
    return f"{title} ({labels[0]})" if labels else title
