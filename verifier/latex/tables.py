"""The LALR parser of latex.lark, its tables kept on disk like a .pyc: building them takes a few
tenths of a second (more than reading a whole derivation), loading them about a hundredth.

The tables are written next to the grammar, in `__pycache__` (or, where the package is read-only, in
the user's cache folder) under a name that hashes everything they are computed from: the grammar
text, the parser options, lark's version and Python's (marshal's format). A changed grammar therefore
never meets stale tables: it has another name. The file is `marshal` data (plain dicts, lists,
strings and numbers; unlike pickle, loading it runs no code); a file that does not load, or a folder
that cannot be written, only costs the build. Writes are atomic (a temporary file renamed), so two
runs starting together never read half a file.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from lark import Lark
from lark import __version__ as lark_version
from lark.grammar import Rule
from lark.lexer import Lexer, TerminalDef

GRAMMAR = Path(__file__).with_name("latex.lark")

# The options the parser is built with (the lexer class is given separately: it is code, not data).
OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "start": ["start_expr", "start_relation"],
    "maybe_placeholders": True,
    "propagate_positions": True,  # rule positions, for messages about a whole construct
}


def _key(grammar: str, lexer: type[Lexer]) -> str:
    parts = [grammar, repr(sorted(OPTIONS.items())), lexer.__qualname__, lark_version, sys.version]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def _places(key: str) -> list[Path]:
    name = f"latex.lark.{key}.tables"
    user = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "verify-derivation" / "tables"
    return [GRAMMAR.parent / "__pycache__" / name, user / name]


def _load(path: Path, lexer: type[Lexer]) -> Lark | None:
    try:
        saved = marshal.loads(path.read_bytes())
        saved["data"]["options"]["lexer"] = lexer
        saved["data"]["parser"]["lexer_conf"]["lexer_type"] = lexer
        return Lark.load(saved)
    except Exception:  # missing, damaged or from another lark: build instead
        return None


def _save(parser: Lark, path: Path) -> bool:
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["options"]["lexer"] = None  # restored on load
    data["parser"]["lexer_conf"]["lexer_type"] = None
    try:
        blob = marshal.dumps({"data": data, "memo": memo})
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".tables")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):  # read-only folder, full disk, or data marshal cannot write
        return False
    return True


def build(lexer: type[Lexer]) -> Lark:
    """The parser: from saved tables when they match the grammar, otherwise built (and saved)."""
    grammar = GRAMMAR.read_text(encoding="utf-8")
    places = _places(_key(grammar, lexer))
    for path in places:
        loaded = _load(path, lexer)
        if loaded is not None:
            return loaded
    parser = Lark(grammar, lexer=lexer, **OPTIONS)
    for path in places:
        if _save(parser, path):
            break
    return parser
