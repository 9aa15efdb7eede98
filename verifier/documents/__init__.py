"""Markdown and LaTeX documents checked in place: a document → model.Derivation objects.

The declarations come from ```verify-derivation blocks (the same TOML as a derivation file, read by
the loader); the chains from the display math, each step located at the document's own line and
column, so the reader, the checker and the reports work on documents unchanged. See docs/documents.md.
"""

from __future__ import annotations

from pathlib import Path

from verifier.documents import chains, markdown, messages, tex
from verifier.documents.parts import Scan
from verifier.documents.source import SUFFIXES, Lines, read_text
from verifier.model import Derivation

__all__ = ["declares", "is_document", "load_document", "scan_document"]


def is_document(path: Path) -> bool:
    """A Markdown or LaTeX file, by its suffix."""
    return path.suffix.lower() in SUFFIXES


def scan_document(path: Path, name: str) -> tuple[Scan, Lines]:
    """The document's blocks, displays and inline math (an InputError for a bad document)."""
    text = read_text(path, name)
    lines = Lines(text, name)
    if SUFFIXES[path.suffix.lower()] == "tex":
        return tex.scan(text, lines), lines
    return markdown.scan(text, lines), lines


def declares(path: Path) -> bool:
    """Whether the document holds a verify-derivation block (a cheap test for folder searches and plugins)."""
    try:
        head = path.read_bytes()[:8_000_001]
    except OSError:
        return False
    if SUFFIXES.get(path.suffix.lower()) == "tex":
        return b"verifyderivation" in head or b"```verify-derivation" in head
    return b"```verify-derivation" in head or b"~~~verify-derivation" in head


def load_document(path: str | Path, name: str | None = None) -> tuple[Derivation, ...]:
    """Read a document into its derivations; raise InputError naming file, line and column."""
    path = Path(path)
    name = str(path) if name is None else name
    found, lines = scan_document(path, name)
    if not found.blocks:
        template = messages.TEX_NO_BLOCK if SUFFIXES[path.suffix.lower()] == "tex" else messages.NO_BLOCK
        raise template.at(None, name, path=name)
    return chains.build(found, lines, default_id=path.stem)
