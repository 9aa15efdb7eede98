"""What a scanner finds in a document: declarations blocks, displays and inline math, by offset."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """A ```verify-derivation block: its TOML, which starts at document line `line`, column 1.

    `text` has the same lines and columns as the document (a LaTeX comment's `%` is blanked, not cut).
    """

    start: int
    line: int
    text: str


@dataclass(frozen=True)
class Display:
    """One display's mathematics: `body` is the document's own text at `start` when `exact`."""

    start: int
    body: str
    exact: bool
    opening: str  # how it opened, for messages: `$$`, `\\[`, `\\begin{align}`, `<img>`
    tag: tuple[int, int] | None = None  # a formula image: the whole `<img …>`, whose lines [verify] may name


@dataclass(frozen=True)
class Inline:
    start: int
    text: str


@dataclass
class Scan:
    """Everything a scanner found, in document order within each list."""

    title: str | None = None
    blocks: list[Block] = field(default_factory=list)
    displays: list[Display] = field(default_factory=list)
    inlines: list[Inline] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (offset, text): a later scope's title
