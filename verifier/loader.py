"""Reads a derivation file (TOML) into a model.Derivation, keeping the line and column of every piece."""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.errors import InputError
from verifier.model import (
    INDICATOR_WORD,
    Chain,
    Derivation,
    FunctionDecl,
    Layout,
    Loc,
    Problem,
    Step,
    SymbolDecl,
    Tex,
)
from verifier.words import NAMES as WORD_NAMES

MAX_FILE_BYTES = 1_000_000
ASSUMPTION_WORDS = WORD_NAMES  # defined once, with their meaning, in verifier/words.py
TOP_KEYS = ("title", "id", "summary", "source", "layout", "symbols", "functions", "chain")
SYMBOL_KEYS = ("assume", "range", "define", "components", "row")
FUNCTION_KEYS = ("args", "define", "vector_args", "matrix_args", "given", "parameters")
CHAIN_KEYS = ("title", "assume", "steps")
STEP_KEYS = ("tex", "by", "expect")
ID_PATTERN = re.compile(r"[a-z0-9-]+")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def load(path: str | Path, name: str | None = None) -> Derivation:
    """Read and validate one derivation file; raise InputError naming file, line and column.

    `name` is how messages and reports call the file (default: the path as given).
    """
    path = Path(path)
    name = str(path) if name is None else name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(f"cannot read the file: {exc.strerror or exc}", name)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(Problem(f"file is larger than {MAX_FILE_BYTES} bytes", name))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Problem("the file is not valid UTF-8", name, line)) from None
    try:
        return loads(text, name, default_id=path.stem)
    except InputError as exc:
        if path.suffix != ".toml" and exc.problem.message.startswith("invalid TOML"):
            # Notes in a .txt: say what was expected, and that documents are checked in place.
            from verifier.documents.messages import NOT_A_DERIVATION

            raise NOT_A_DERIVATION.at(None, name) from None
        if exc.problem.message.startswith("invalid TOML") and "[[chain]]" not in text:
            from verifier.documents.messages import TOML_HINT

            hinted = dataclasses.replace(exc.problem, message=exc.problem.message + TOML_HINT.text())
            raise InputError(hinted) from None
        raise


def loads(text: str, file: str, default_id: str = "derivation") -> Derivation:
    """Read a derivation from TOML text; `file` is the name used in messages."""
    data = _parse_toml(text, file)
    return _Builder(text, file).derivation(data, default_id)


@dataclass(frozen=True)
class Declarations:
    """The declarations of a TOML block (a document's ```verify-derivation block): parsed keys and decls."""

    data: Mapping[str, Any]
    symbols: tuple[SymbolDecl, ...]
    functions: tuple[FunctionDecl, ...]


def load_declarations(text: str, file: str, first_line: int, extra_keys: tuple[str, ...] = ()) -> Declarations:
    """Read TOML declarations that stand at `first_line` of a larger file (every location is the file's own).

    The same rules as a derivation file's top level, without `[[chain]]` (a document's chains are its
    displays); `extra_keys` are the keys the caller reads itself.
    """
    # Blank lines in front put every line and column TOML and the builder report where it is in the file.
    padded = "\n" * (first_line - 1) + text
    data = _parse_toml(padded, file)
    allowed = tuple(k for k in TOP_KEYS if k != "chain") + extra_keys
    builder = _Builder(padded, file)
    symbols, functions = builder.declarations(data, allowed)
    return Declarations(data, symbols, functions)


def _parse_toml(text: str, file: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        detail = _TOML_POSITION.sub("", message).strip()
        if match is None and "end of document" in message:
            lines = text.splitlines() or [""]
            detail = detail.replace("(at end of document)", "").strip() + " at the end of the file"
            raise InputError(
                Problem(f"invalid TOML: {detail}", file, len(lines), len(lines[-1]) + 1, lines[-1])
            ) from None
        if match is None:
            raise InputError(Problem(f"invalid TOML: {detail}", file)) from None
        line, column = int(match[1]), int(match[2])
        raise InputError(Problem(f"invalid TOML: {detail}", file, line, column, _line(text, line))) from None
    except RecursionError:
        raise InputError(Problem("invalid TOML: nested too deeply", file)) from None


def _line(text: str, line: int) -> str | None:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else None


class _Builder:
    """Turns the parsed TOML into model objects, locating each piece in the raw text as it goes."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    # -- locations -------------------------------------------------------------------------------

    def loc_at(self, offset: int) -> Loc:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Loc(self.file, line + 1, offset - self._line_starts[line] + 1)

    def error(self, message: str, offset: int | None = None) -> InputError:
        if offset is None:
            return InputError(Problem(message, self.file))
        loc = self.loc_at(offset)
        return InputError(Problem(message, self.file, loc.line, loc.column, _line(self.text, loc.line)))

    def find_key(self, key: str, start: int, end: int) -> int:
        """Offset of `key =` (bare, 'literal' or "basic" spelling) between start and end, else start."""
        spellings = [re.escape(key)] if re.fullmatch(r"[A-Za-z0-9_-]+", key) else []
        spellings += [re.escape(f"'{key}'"), re.escape('"' + key.replace("\\", "\\\\") + '"')]
        pattern = re.compile(r"(?m)^[ \t]*(?:" + "|".join(spellings) + r")[ \t]*=")
        match = pattern.search(self.text, start, end)
        if match is None:
            return start
        return match.start() + len(match[0]) - len(match[0].lstrip())

    def find_string(self, value: str, start: int, end: int) -> tuple[int, bool] | None:
        """Where a string value stands in the raw text (offset of its first character, exact or not).

        Quoted forms are tried first, so that a short step such as 'a' is not found inside a `by`.
        """
        basic = value.replace("\\", "\\\\").replace('"', '\\"')
        one_line = "\n" not in value
        quoted = (
            ("'''" + value + "'''", 3, False),
            ("'" + value + "'", 1, one_line),
            ('"' + basic + '"', 1, one_line and basic == value),
        )
        found = [(pos + skip, exact) for text, skip, exact in quoted if (pos := self.text.find(text, start, end)) >= 0]
        if found:
            return min(found, key=lambda item: item[0])
        pos = self.text.find(value, start, end)
        return (pos, False) if pos >= 0 else None

    def tex(self, value: str, start: int, end: int, fallback: int) -> tuple[Tex, int]:
        """A Tex for `value`, searched after `start`; returns it and the offset to search on from."""
        found = self.find_string(value, start, end)
        if found is None:
            return Tex(value, self.loc_at(fallback), exact=False), start
        pos, exact = found
        return Tex(value, self.loc_at(pos), exact), pos + len(value)

    def section(self, header: str) -> tuple[int, int]:
        """The span of a `[header]` table in the raw text (0, 0 when absent)."""
        match = re.search(r"(?m)^[ \t]*\[[ \t]*" + re.escape(header) + r"[ \t]*\]", self.text)
        if match is None:
            return 0, 0
        following = re.compile(r"(?m)^[ \t]*\[").search(self.text, match.end())
        return match.end(), following.start() if following else len(self.text)

    def chain_spans(self) -> list[tuple[int, int]]:
        heads = [m.start() for m in re.finditer(r"(?m)^[ \t]*\[\[[ \t]*chain[ \t]*\]\]", self.text)]
        ends = [*heads[1:], len(self.text)]
        # a chain block ends at the next table header of any kind
        spans = []
        for head, nxt in zip(heads, ends, strict=True):
            other = re.compile(r"(?m)^[ \t]*\[(?!\[[ \t]*chain)").search(self.text, head + 1, nxt)
            spans.append((head, other.start() if other else nxt))
        return spans

    # -- building --------------------------------------------------------------------------------

    def declarations(
        self, data: Mapping[str, Any], allowed: tuple[str, ...]
    ) -> tuple[tuple[SymbolDecl, ...], tuple[FunctionDecl, ...]]:
        """Check the top-level keys and read `[symbols]` and `[functions]`."""
        self.check_keys(data, allowed, "top level", 0, len(self.text))
        for key in ("title", "summary", "source"):
            if key in data and not isinstance(data[key], str):
                raise self.error(f"`{key}` must be a string", self.find_key(key, 0, len(self.text)))
        if "id" in data and not (isinstance(data["id"], str) and ID_PATTERN.fullmatch(data["id"])):
            raise self.error(f"`id` must match [a-z0-9-]+, got {data['id']!r}", self.find_key("id", 0, len(self.text)))
        return self.symbols(self.table(data, "symbols")), self.functions(self.table(data, "functions"))

    def derivation(self, data: Mapping[str, Any], default_id: str) -> Derivation:
        self.check_keys(data, TOP_KEYS, "top level", 0, len(self.text))
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            raise self.error("missing `title`: every derivation needs a one-line title", None)
        if "\n" in title.strip():
            raise self.error("`title` must be one line", self.find_key("title", 0, len(self.text)))
        ident = data.get("id", re.sub(r"[^a-z0-9-]+", "-", default_id.lower()).strip("-") or "derivation")
        if not isinstance(ident, str) or not ID_PATTERN.fullmatch(ident):
            raise self.error(f"`id` must match [a-z0-9-]+, got {ident!r}", self.find_key("id", 0, len(self.text)))
        for key in ("summary", "source"):
            if key in data and not isinstance(data[key], str):
                raise self.error(f"`{key}` must be a string", self.find_key(key, 0, len(self.text)))
        layout = self.layout(data)
        symbols = self.symbols(self.table(data, "symbols"))
        functions = self.functions(self.table(data, "functions"))
        chains_data = data.get("chain")
        if chains_data is None:
            raise self.error("no [[chain]]: a derivation needs at least one chain of steps", None)
        if not isinstance(chains_data, list):
            raise self.error(
                "`chain` must be an array of tables: write [[chain]]", self.find_key("chain", 0, len(self.text))
            )
        spans = self.chain_spans()
        if len(spans) != len(chains_data):  # e.g. chain = [ {...} ] written inline
            spans = [(0, len(self.text))] * len(chains_data)
        chains = tuple(self.chain(c, span) for c, span in zip(chains_data, spans, strict=True))
        return Derivation(
            id=ident,
            file=self.file,
            title=title.strip(),
            symbols=symbols,
            functions=functions,
            chains=chains,
            summary=data.get("summary"),
            source=data.get("source"),
            layout=layout,
        )

    def layout(self, data: Mapping[str, Any]) -> Layout:
        value = data.get("layout", Layout.DENOMINATOR.value)
        known = [v.value for v in Layout]
        if value not in known:
            hint = difflib.get_close_matches(str(value), known, n=1)
            suggestion = f" (did you mean `{hint[0]}`?)" if hint else ""
            raise self.error(
                f"`layout` must be \"denominator\" or \"numerator\", got {value!r}{suggestion}",
                self.find_key("layout", 0, len(self.text)),
            )
        return Layout(value)

    def table(self, data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise self.error(f"`{name}` must be a table: write [{name}]", self.find_key(name, 0, len(self.text)))
        return value

    def check_keys(self, data: Mapping[str, Any], allowed: tuple[str, ...], where: str, start: int, end: int) -> None:
        for key in data:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                suggestion = f" (did you mean `{hint[0]}`?)" if hint else f" (allowed: {', '.join(allowed)})"
                raise self.error(f"unknown key `{key}` in {where}{suggestion}", self.find_key(key, start, end))

    def words(self, value: Any, offset: int, what: str) -> tuple[str, ...]:
        if not isinstance(value, str):
            raise self.error(f'{what}: assumption words must be a string such as "positive integer"', offset)
        words = tuple(value.split())
        if INDICATOR_WORD in words and len(words) > 1:
            raise self.error(
                f"{what}: `{INDICATOR_WORD}` declares the indicator I\\{{y = 1\\}}: it takes no other word", offset
            )
        for word in words:
            if word not in ASSUMPTION_WORDS and word != INDICATOR_WORD:
                hint = difflib.get_close_matches(word, sorted(ASSUMPTION_WORDS), n=1)
                suggestion = f" (did you mean `{hint[0]}`?)" if hint else ""
                raise self.error(
                    f"unknown assumption word `{word}` for {what}{suggestion}; "
                    f"known words: {', '.join(sorted(ASSUMPTION_WORDS))}",
                    offset,
                )
        return words

    def symbols(self, table: Mapping[str, Any]) -> tuple[SymbolDecl, ...]:
        start, end = self.section("symbols")
        decls = []
        for key, value in table.items():
            at = self.find_key(key, start, end) if end else 0
            loc = self.loc_at(at)
            line_end = self.text.find("\n", at)
            stop = len(self.text) if line_end < 0 else line_end
            if isinstance(value, str):
                decls.append(SymbolDecl(key, loc, assume=self.words(value, at, f"symbol `{key}`")))
                continue
            if not isinstance(value, dict):
                raise self.error(f"symbol `{key}`: the value must be assumption words or a table", at)
            self.check_keys(value, SYMBOL_KEYS, f"symbol `{key}`", at, stop)
            assume = self.words(value.get("assume", ""), at, f"symbol `{key}`")
            define = rng = components = None
            cursor = at
            if "define" in value:
                if assume:
                    raise self.error(f"symbol `{key}`: a defined symbol takes no assumption words", at)
                if not isinstance(value["define"], str):
                    raise self.error(f"symbol `{key}`: `define` must be a LaTeX string", at)
                define, cursor = self.tex(value["define"], at + len(key), len(self.text), at)
            if "range" in value:
                bounds = value["range"]
                if not (isinstance(bounds, list) and len(bounds) == 2 and all(isinstance(b, str) for b in bounds)):
                    raise self.error(f'symbol `{key}`: `range` must be two LaTeX strings, e.g. ["1", "N"]', at)
                lower, cursor = self.tex(bounds[0], at + len(key), len(self.text), at)
                upper, cursor = self.tex(bounds[1], cursor, len(self.text), at)
                rng = (lower, upper)
            if "components" in value:
                if not isinstance(value["components"], str):
                    raise self.error(f"symbol `{key}`: `components` must name a family, e.g. 'w_j'", at)
                components = value["components"]
            row = value.get("row", False)
            if not isinstance(row, bool):
                raise self.error(f"symbol `{key}`: `row` must be true or false", at)
            if row and components is None:
                raise self.error(f"symbol `{key}`: `row = true` declares a row vector: it needs `components`", at)
            if sum(x is not None for x in (define, rng, components)) > 1:
                raise self.error(f"symbol `{key}`: use only one of `define`, `range`, `components`", at)
            decls.append(
                SymbolDecl(key, loc, assume=assume, range=rng, define=define, components=components, row=row)
            )
        return tuple(decls)

    def functions(self, table: Mapping[str, Any]) -> tuple[FunctionDecl, ...]:
        start, end = self.section("functions")
        decls = []
        for key, value in table.items():
            at = self.find_key(key, start, end) if end else 0
            if not isinstance(value, dict):
                raise self.error(f'function `{key}`: the value must be a table such as {{ args = ["t"] }}', at)
            line_end = self.text.find("\n", at)
            self.check_keys(value, FUNCTION_KEYS, f"function `{key}`", at, len(self.text) if line_end < 0 else line_end)
            args = value.get("args")
            if not (isinstance(args, list) and args and all(isinstance(a, str) and a for a in args)):
                raise self.error(f'function `{key}`: `args` must be a non-empty list of names, e.g. ["t"]', at)
            vector_args = value.get("vector_args", [])
            if not (isinstance(vector_args, list) and all(a in args for a in vector_args)):
                raise self.error(f"function `{key}`: `vector_args` must list some of its `args`", at)
            matrix_args = value.get("matrix_args", [])
            if not (isinstance(matrix_args, list) and all(a in args for a in matrix_args)):
                raise self.error(f"function `{key}`: `matrix_args` must list some of its `args`", at)
            given, parameters = (value.get(k, []) for k in ("given", "parameters"))
            for word, names in (("given", given), ("parameters", parameters)):
                if not (isinstance(names, list) and all(isinstance(a, str) and a in args for a in names)):
                    raise self.error(f"function `{key}`: `{word}` must list some of its `args`", at)
            before = len(args) - len(given) - len(parameters)
            if (given or parameters) and (before < 1 or list(args[before:]) != [*given, *parameters]):
                raise self.error(
                    f"function `{key}`: a conditional is written P(v \\mid u; t): its `args` list first what "
                    "comes before the bar (at least one), then `given` (after the bar), then `parameters` "
                    "(after the semicolon), in that order",
                    at,
                )
            define = None
            if "define" in value:
                if not isinstance(value["define"], str):
                    raise self.error(f"function `{key}`: `define` must be a LaTeX string", at)
                define, _ = self.tex(value["define"], at + len(key), len(self.text), at)
            decls.append(
                FunctionDecl(
                    key,
                    self.loc_at(at),
                    tuple(args),
                    define,
                    tuple(vector_args),
                    tuple(given),
                    tuple(parameters),
                    tuple(matrix_args),
                )
            )
        return tuple(decls)

    def chain(self, data: Any, span: tuple[int, int]) -> Chain:
        start, end = span
        if not isinstance(data, dict):
            raise self.error("each [[chain]] must be a table", start)
        self.check_keys(data, CHAIN_KEYS, "[[chain]]", start, end)
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            raise self.error("[[chain]] needs a `title`", start)
        cursor = start
        assume = []
        raw_assume = data.get("assume", [])
        if not (isinstance(raw_assume, list) and all(isinstance(a, str) for a in raw_assume)):
            raise self.error(
                "`assume` must be a list of LaTeX relations, e.g. ['i = j']", self.find_key("assume", start, end)
            )
        for relation in raw_assume:
            tex, cursor = self.tex(relation, self.find_key("assume", start, end), end, start)
            assume.append(tex)
        raw_steps = data.get("steps")
        steps_at = self.find_key("steps", start, end)
        if not isinstance(raw_steps, list) or len(raw_steps) < 2:
            raise self.error("`steps` must list at least two expressions (the first is the given one)", steps_at)
        steps = []
        cursor = steps_at
        for index, item in enumerate(raw_steps):
            by = expect = None
            if isinstance(item, dict):
                self.check_keys(item, STEP_KEYS, f"step {index}", cursor, end)
                text, by, expect = item.get("tex"), item.get("by"), item.get("expect")
                if by is not None and not isinstance(by, str):
                    raise self.error(f"step {index}: `by` must be a string", cursor)
                if expect is not None and expect != "refuted":
                    raise self.error(f'step {index}: `expect` can only be "refuted", got {expect!r}', cursor)
            else:
                text = item
            if not isinstance(text, str) or not text.strip():
                raise self.error(f"step {index}: a step must be a non-empty LaTeX string or {{ tex = '…' }}", cursor)
            tex, cursor = self.tex(text, cursor, end, steps_at)
            steps.append(Step(index, tex, by, expect))
        return Chain(title.strip(), self.loc_at(start), tuple(steps), tuple(assume))
