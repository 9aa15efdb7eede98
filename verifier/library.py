"""The built-in derivation library shipped with the package, and resolution of command-line targets."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from verifier.errors import InputError
from verifier.model import Derivation, Problem

_CHAIN_HEADER = re.compile(rb"(?m)^[ \t]*\[\[[ \t]*chain[ \t]*\]\]")


def library_dir() -> Path:
    """Where the built-in derivations live: inside the installed package, or the source tree's derivations/."""
    packaged = Path(str(resources.files("verifier"))) / "derivations"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "derivations"


@dataclass(frozen=True)
class Entry:
    """One built-in derivation: its id, title and file."""

    id: str
    title: str
    path: Path


def builtins() -> dict[str, Entry]:
    """The built-in derivations by id, with their titles (each file's top-level keys only)."""
    entries: dict[str, Entry] = {}
    for path in sorted(library_dir().glob("*.toml")):
        entry = _toml_entry(path)
        entries[entry.id] = entry
    for path in sorted(library_dir().glob("*.md")):
        ident, title = _document_entry(path)
        entries[ident] = Entry(ident, title, path)
    return entries


def builtin(ident: str) -> Entry | None:
    """The built-in derivation `ident`. Its own file (`ident`.toml) is read alone when its id is `ident`:
    ids are unique and no document's id is a TOML file's name (tests/integration/test_library_documents.py),
    so the whole library, documents included, is read only for other ids."""
    own = library_dir() / f"{ident}.toml"
    if own.is_file():
        entry = _toml_entry(own)
        if entry.id == ident:
            return entry
    return builtins().get(ident)


def _toml_entry(path: Path) -> Entry:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        data = {}  # reported with its location when it is checked; listed under its file name here
    ident, title = data.get("id"), data.get("title")
    ident = ident if isinstance(ident, str) else path.stem
    title = title.strip() if isinstance(title, str) else ident
    return Entry(ident, title, path)


def _document_entry(path: Path) -> tuple[str, str]:
    """A built-in document's id and title (its first derivation's); its file name when it cannot be read."""
    from verifier.documents import load_document

    try:
        first = load_document(path)[0]
    except InputError:
        return path.stem, path.stem  # reported with its location when it is checked
    return first.id, first.title


def looks_like_derivation(path: Path) -> bool:
    """A TOML file with at least one [[chain]] table (folders may hold other TOML files, e.g. pyproject.toml)."""
    try:
        return bool(_CHAIN_HEADER.search(path.read_bytes()))
    except OSError:
        return False


@dataclass(frozen=True)
class Target:
    """A derivation file to check, with the name reports give it (built-ins as `derivations/<file>`)."""

    path: Path
    name: str


def is_other_toml(path: Path) -> bool:
    """A valid, non-empty TOML file that is plainly not a derivation (no `title`, no [[chain]]): pyproject.toml.

    Anything else named explicitly is checked, so a broken derivation file is reported, never skipped.
    """
    if looks_like_derivation(path):
        return False
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False
    return bool(data) and "title" not in data and "chain" not in data


# The documents package is imported only for a target that is not a TOML file (a derivation file
# never is a document): checking derivation files alone does not pay for the document readers.


def in_folder(path: Path) -> bool:
    """A folder's file to check: a TOML file with [[chain]], or a document with a verify-derivation block."""
    if path.suffix == ".toml":
        return looks_like_derivation(path)
    from verifier.documents import declares, is_document

    return is_document(path) and declares(path)


def _undeclared_document(path: Path) -> bool:
    from verifier.documents import declares, is_document

    return is_document(path) and not declares(path)


def load_target(target: Target) -> tuple[Derivation, ...]:
    """A target's derivations: one for a TOML file; one per declarations block with chains for a document."""
    from verifier.loader import load

    if target.path.suffix.lower() != ".toml":
        from verifier.documents import is_document, load_document

        if is_document(target.path):
            return load_document(target.path, target.name)
    return (load(target.path, target.name),)


def resolve(targets: list[str], only_declared: bool = False) -> tuple[list[Target], list[str]]:
    """Turn targets (built-in ids, .toml files, documents, folders) into files, and notes about skipped files.

    A TOML file that is plainly something else (pyproject.toml passed by pre-commit, say) is skipped with a note;
    with `only_declared`, so is a document without a verify-derivation block (README.md passed by pre-commit);
    an unknown target is an InputError.
    """
    found: list[Target] = []
    notes: list[str] = []
    known: dict[str, Entry] | None = None
    for target in targets:
        path = Path(target)
        if path.is_dir():
            found.extend(Target(p, str(p)) for p in sorted(path.rglob("*")) if p.is_file() and in_folder(p))
            continue
        if path.is_file():
            if path.suffix == ".toml":
                if is_other_toml(path):
                    notes.append(f"{path}: skipped, not a derivation file (it has no [[chain]] table)")
                    continue
            elif only_declared and _undeclared_document(path):
                notes.append(f"{path}: skipped, a document without a verify-derivation block")
                continue
            found.append(Target(path, str(path)))
            continue
        entry = builtin(target)
        if entry is not None:
            found.append(Target(entry.path, f"derivations/{entry.path.name}"))
            continue
        known = builtins() if known is None else known
        close = difflib.get_close_matches(target, list(known), n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else " (see --list)"
        raise InputError(Problem(f"unknown target: not a file, a folder or a built-in id{hint}", target))
    seen: set[Path] = set()
    unique = []
    for t in found:
        key = t.path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(t)
    return unique, notes
