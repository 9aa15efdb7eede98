"""The built-in derivation library shipped with the package, and resolution of command-line targets."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from verifier.errors import InputError
from verifier.model import Problem

_CHAIN_HEADER = re.compile(rb"(?m)^[ \t]*\[\[[ \t]*chain[ \t]*\]\]")
_ID_LINE = re.compile(r"""(?m)^[ \t]*id[ \t]*=[ \t]*["']([a-z0-9-]+)["']""")
_TITLE_LINE = re.compile(r"""(?m)^[ \t]*title[ \t]*=[ \t]*(["'])(.*?)\1""")


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
    """The built-in derivations by id (read cheaply from each file's top lines, not fully loaded)."""
    entries: dict[str, Entry] = {}
    for path in sorted(library_dir().glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        top = text.split("[", 1)[0]  # keys before the first table belong to the top level
        ident = _ID_LINE.search(top)
        title = _TITLE_LINE.search(top)
        key = ident[1] if ident else path.stem
        entries[key] = Entry(key, title[2] if title else key, path)
    return entries


def looks_like_derivation(path: Path) -> bool:
    """A TOML file with at least one [[chain]] table (folders may hold other TOML files, e.g. pyproject.toml)."""
    try:
        return bool(_CHAIN_HEADER.search(path.read_bytes()))
    except OSError:
        return False


def resolve(targets: list[str]) -> list[Path]:
    """Turn targets (built-in ids, .toml files, folders) into files; an unknown target is an InputError."""
    files: list[Path] = []
    known: dict[str, Entry] | None = None
    for target in targets:
        path = Path(target)
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*.toml")) if looks_like_derivation(p))
            continue
        if path.is_file():
            files.append(path)
            continue
        known = builtins() if known is None else known
        if target in known:
            files.append(known[target].path)
            continue
        hint = ""
        if not target.endswith(".toml"):
            close = difflib.get_close_matches(target, list(known), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else " (see --list)"
        raise InputError(Problem(f"unknown target: not a file, a folder or a built-in id{hint}", target))
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
