"""Built-in ids: `builtin(id)` (which reads only the id's own file when it can) finds what the whole
library's listing finds, for every id, and ids are unique."""

from __future__ import annotations

from verifier.library import builtin, builtins, library_dir


def test_every_id_resolves_to_the_listed_entry() -> None:
    entries = builtins()
    for ident, entry in entries.items():
        assert builtin(ident) == entry
    assert builtin("no-such-derivation") is None


def test_toml_ids_are_unique() -> None:
    paths = sorted(library_dir().glob("*.toml"))
    toml_ids = [e.id for e in builtins().values() if e.path.suffix == ".toml"]
    assert len(toml_ids) == len(paths)  # no file's id was taken by another file
