"""The parser's saved tables (verifier/latex/tables.py): a loaded parser reads exactly as a built one,
damaged or foreign files are rebuilt, and another grammar never meets them."""

from __future__ import annotations

from pathlib import Path

import pytest
from lark import Lark, Token, Tree

from verifier.latex import tables
from verifier.latex.names import Entry, Resolver
from verifier.latex.reader import _Given
from verifier.latex.scan import scan

ENTRIES = [Entry("symbol", "a", ("a",)), Entry("symbol", "b", ("b",)), Entry("function", "f", ("f",))]
TEXTS = [r"\frac{a}{b} + f(a)^{2}", r"\sqrt{a b} - (a + b)", r"a \cdot b = b", r"\log(a) \le a - 1"]


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    spots = [tmp_path / "pkg" / "t.tables", tmp_path / "user" / "t.tables"]
    monkeypatch.setattr(tables, "_places", lambda key: spots)
    return spots


def _tree(parser: Lark, text: str) -> Tree[Token]:
    start = "start_relation" if any(r in text for r in ("=", r"\le")) else "start_expr"
    return parser.parse(Resolver(list(ENTRIES), text).run(scan(text)), start=start)


def test_saved_tables_read_as_the_built_parser(places: list[Path]) -> None:
    built = tables.build(_Given)
    assert places[0].is_file()  # saved on the first build
    loaded = tables.build(_Given)
    assert loaded is not built and loaded.source_path == "<deserialized>"
    for text in TEXTS:
        assert _tree(loaded, text) == _tree(built, text)


def test_damaged_tables_are_rebuilt(places: list[Path]) -> None:
    places[0].parent.mkdir(parents=True)
    places[0].write_bytes(b"\x00not marshal data")
    parser = tables.build(_Given)
    assert parser.source_path != "<deserialized>"  # built, not loaded
    assert _tree(parser, TEXTS[0]) == _tree(tables.build(_Given), TEXTS[0])


def test_unwritable_package_folder_falls_back_to_the_user_cache(places: list[Path]) -> None:
    places[0].parent.write_text("a file where the folder should be")
    tables.build(_Given)
    assert places[1].is_file()


def test_the_key_covers_the_grammar_and_the_lexer() -> None:
    grammar = tables.GRAMMAR.read_text(encoding="utf-8")
    key = tables._key(grammar, _Given)
    assert tables._key(grammar + "\n// edited\n", _Given) != key
    assert tables._key(grammar, type("Other", (_Given,), {})) != key
    assert tables._key(grammar, _Given) == key
