"""The language of the teaching formats: gettext catalogs (`verifier/locale/<lang>/LC_MESSAGES/*.po`).

Messages are marked with `_()` / `ngettext()` and extracted with Babel (see README, Development). The
compiled `.mo` is made at build time (hatch_build.py) next to its `.po`; a checkout that was never built
compiles the `.po` in memory instead, so a catalog is never silently missing.
"""

from __future__ import annotations

import ast
import gettext
import io
import struct
from enum import StrEnum
from functools import cache
from pathlib import Path

DOMAIN = "verify_derivation"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "zh")  # English is the source language: its catalog is the messages themselves


class Audience(StrEnum):
    """Who a teaching report is for: the author sees methods and timings, a student does not."""

    AUTHOR = "author"
    STUDENT = "student"


def _unquote(line: str) -> str:
    return str(ast.literal_eval(line.strip()))  # a PO string is a C string literal; these are Python-compatible


def parse_po(text: str) -> dict[str, str]:
    """msgid → msgstr of a PO file (plural forms keyed `singular\\x00plural`, values joined by `\\x00`)."""
    entries: dict[str, str] = {}
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None

    def flush() -> None:
        if "msgid" in fields:
            key = "".join(fields["msgid"])
            if "msgid_plural" in fields:
                key += "\x00" + "".join(fields["msgid_plural"])
                forms = sorted(k for k in fields if k.startswith("msgstr["))
                value = "\x00".join("".join(fields[k]) for k in forms)
            else:
                value = "".join(fields.get("msgstr", []))
            if value.replace("\x00", ""):
                entries[key] = value
        fields.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line:
                flush()
            continue
        if line.startswith('"'):
            if current is not None:
                current.append(_unquote(line))
            continue
        name, _, rest = line.partition(" ")
        if name == "msgid" and "msgid" in fields:
            flush()
        current = fields.setdefault(name, [])
        current.append(_unquote(rest))
    flush()
    return entries


def compile_mo(entries: dict[str, str]) -> bytes:
    """The GNU .mo form of a catalog (what `msgfmt` writes): header, two offset tables, the strings."""
    keys = sorted(entries)
    ids = [k.encode("utf-8") for k in keys]
    strs = [entries[k].encode("utf-8") for k in keys]
    n = len(keys)
    pos = 7 * 4 + 16 * n  # strings start after the header and the two tables
    tables: list[tuple[int, int]] = []
    for s in ids + strs:
        tables.append((len(s), pos))
        pos += len(s) + 1
    out = io.BytesIO()
    out.write(struct.pack("<7I", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, 0))
    for length, offset in tables:
        out.write(struct.pack("<2I", length, offset))
    for s in ids + strs:
        out.write(s + b"\0")
    return out.getvalue()


@cache
def translation(lang: str) -> gettext.NullTranslations:
    """The catalog of a language: the built `.mo`, else the `.po` compiled now; English needs none."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.is_file():
        return gettext.GNUTranslations(io.BytesIO(compile_mo(parse_po(po.read_text(encoding="utf-8")))))
    return gettext.NullTranslations()
