"""A document's declarations blocks, read with the loader (same TOML as a derivation file), merged in
order: a later block adds to and overrides the earlier ones for the displays after it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from verifier.documents import comments, messages
from verifier.documents.parts import Block
from verifier.documents.source import Lines
from verifier.loader import load_declarations
from verifier.model import FunctionDecl, SymbolDecl

EXTRA_KEYS = ("bare_functions", "verify", "inherit")
# Words a document may write without a backslash, and the command each stands for.
CONFIRM = re.compile(r"#[ \t]*confirm\b")
BARE_WORDS = ("log", "ln", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "max", "min")


@dataclass
class Scope:
    """The declarations in force from one block on."""

    start: int
    ident: str
    title: str
    symbols: tuple[SymbolDecl, ...]
    functions: tuple[FunctionDecl, ...]
    summary: str | None = None
    source: str | None = None
    bare_functions: tuple[str, ...] = ()
    verify: dict[int, list[comments.Instruction]] = field(default_factory=dict)

    @property
    def plain(self) -> frozenset[str]:
        """Declared plain symbols (not defined, not an index or a vector): what an update may assign."""
        return frozenset(
            " ".join(s.key.split())
            for s in self.symbols
            if s.define is None and s.range is None and s.components is None
        )

    def bare(self, text: str) -> str:
        """`log` → `\\log` for the words the document declares as bare functions."""
        if not self.bare_functions:
            return text
        pattern = r"(?<![A-Za-z\\])(" + "|".join(self.bare_functions) + r")(?![A-Za-z])"
        return re.sub(pattern, r"\\\1", text)


def merge_blocks(
    blocks: list[Block], lines: Lines, default_id: str, title: str | None, headings: list[tuple[int, str]]
) -> list[Scope]:
    scopes: list[Scope] = []
    symbols: dict[str, SymbolDecl] = {}
    functions: dict[str, FunctionDecl] = {}
    ident = re.sub(r"[^a-z0-9-]+", "-", default_id.lower()).strip("-") or "document"
    name = title or default_id
    summary = source = None
    bare: tuple[str, ...] = ()
    verify: dict[int, list[comments.Instruction]] = {}
    for block in blocks:
        unconfirmed = CONFIRM.search(block.text)
        if unconfirmed is not None:  # `verify-derivation init` wrote it: the author has not confirmed it yet
            raise lines.error(messages.UNCONFIRMED, block.start + unconfirmed.start())
        decl = load_declarations(block.text, lines.file, block.line, EXTRA_KEYS)
        data = decl.data
        inherit = data.get("inherit", True)
        if not isinstance(inherit, bool):
            raise lines.error(messages.BAD_INHERIT, block.start + max(block.text.find("inherit"), 0))
        if not inherit:  # a new section with notation of its own: the earlier symbols and functions end here
            symbols.clear()
            functions.clear()
        symbols.update({s.key: s for s in decl.symbols})
        functions.update({f.key: f for f in decl.functions})
        ident = data.get("id", ident)
        if "title" in data:
            name = " ".join(data["title"].split())
        elif scopes:  # a later section without a title of its own: the document's title and the section's
            section = [h for at, h in headings if at < block.start]
            name = f"{scopes[0].title}: {section[-1]}" if section else scopes[0].title
        summary = data.get("summary", summary)
        source = data.get("source", source)
        if "bare_functions" in data:
            words = data["bare_functions"]
            if not (isinstance(words, list) and all(w in BARE_WORDS for w in words)):
                at = block.text.find("bare_functions")
                raise lines.error(messages.BAD_BARE, block.start + max(at, 0), allowed=", ".join(BARE_WORDS))
            bare = tuple(dict.fromkeys([*bare, *words]))
        if "verify" in data:
            verify = {**verify, **comments.from_table(data["verify"], block.text, block.start, lines)}
        scopes.append(
            Scope(block.start, ident, name, tuple(symbols.values()), tuple(functions.values()), summary, source, bare)
        )
    # a [verify] line belongs to the scope that holds that line
    for k, scope in enumerate(scopes):
        first = lines.line_of(scope.start)
        last = lines.line_of(scopes[k + 1].start) if k + 1 < len(scopes) else len(lines.starts) + 1
        scope.verify = {line: found for line, found in verify.items() if first <= line < last}
    before = [line for line in verify if scopes and line < lines.line_of(scopes[0].start)]
    if before:
        instruction = verify[before[0]][0]
        raise messages.NO_STEP_ON_LINE.at(instruction.loc, lines.file, None, instruction="[verify]", line=before[0])
    return scopes
