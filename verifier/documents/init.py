"""`verify-derivation init notes.md`: the declarations block a document needs, every entry a guess to confirm.

The names come from the display math (blanked of labels, text and comments as the check reads it):
subscripted letters are likely indices, a letter with an index is a family, a name followed by `( … )`
is likely a function, a lone `name = expression` display offers `define`, and `log`/`exp` written
without a backslash go to `bare_functions`. Nothing here is used by the check: it reads only the block
the author confirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from verifier.documents import scan_document
from verifier.documents.declarations import BARE_WORDS
from verifier.documents.displays import mask, rows

_GREEK_NAMES = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho sigma "
    "tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega"
)
GREEK = frozenset(_GREEK_NAMES.split())
DECORATIONS = frozenset({"hat", "bar", "tilde", "vec", "mathbf", "boldsymbol", "dot", "widehat", "overline"})
_NAME = re.compile(
    r"\\(?P<deco>" + "|".join(sorted(DECORATIONS)) + r")\s*\{\s*(?P<inner>\\?[A-Za-z]+)\s*\}"
    r"|\\(?P<command>[A-Za-z]+)"
    r"|(?P<word>[A-Za-z]+)"
)
_INDEX = re.compile(
    r"\s*(?:_\s*(?:\{\s*\(?([a-z](?:\s*,?\s*[a-z])?)\)?\s*\}|([a-z])))?"  # x_i, x_{ij}, x_{i,j}
    r"\s*(?:\^\s*\{\s*\(([a-z])\)\s*\})?"  # x^{(i)}
)
_SUM = re.compile(r"\\(?:sum|prod)\s*_\s*\{\s*([a-z])\s*=\s*([^{}]+?)\s*\}\s*\^\s*(?:\{\s*([^{}]+?)\s*\}|(\w))")
_AFTER_ARGS = re.compile(r"(?:\s*(?:'|\^\s*\{?\s*\\prime\s*\}?))?\s*(?:\\left)?\s*\(")  # f(, f'(, f^{\prime}(


@dataclass
class Guess:
    """What the display math suggests about one name."""

    indices: dict[str, tuple[str, str] | None] = field(default_factory=dict)  # index → (lower, upper)
    families: dict[str, int] = field(default_factory=dict)  # spelling (x_i) → first line
    plain: dict[str, int] = field(default_factory=dict)
    functions: dict[str, int] = field(default_factory=dict)
    defined: dict[str, tuple[str, int]] = field(default_factory=dict)  # spelling → (definition, line)
    bare: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # several letters without `( … )`: a name or a product
    counts: set[str] = field(default_factory=set)  # upper bounds of sums: likely positive integers


def guess(path: Path, name: str) -> Guess:
    """Read a document's displays and guess its notation."""
    found, lines = scan_document(path, name)
    out = Guess()
    for display in found.displays:
        masked = re.sub(r"\\(?:begin|end)\s*\{[^{}]*\}", lambda m: " " * len(m[0]), mask(display.body).text)
        line = lines.line_of(display.start)
        for match in _SUM.finditer(masked):
            out.indices.setdefault(match[1], (match[2], match[3] or match[4]))
            out.counts.add((match[3] or match[4]).strip())
        _names(masked, line, out)
        found_rows = rows(masked) or []
        if len(found_rows) == 1 and found_rows[0].relations == ["="]:
            left, right = (masked[s:e] for s, e in found_rows[0].members)
            spelled = " ".join(left.split())
            if spelled in out.plain or spelled in out.families:
                out.defined.setdefault(spelled, (" ".join(right.split()), line))
    for family in out.families:
        for index in re.findall(r"[a-z]", family.split("_", 1)[-1].split("^", 1)[-1]):
            out.indices.setdefault(index, None)
    for index in out.indices:
        out.plain.pop(index, None)
    for spelled in out.defined:
        out.plain.pop(spelled, None)
        out.families.pop(spelled, None)
    # a name also written without `( … )` is multiplied there, not applied: not a function
    used = set(out.plain) | set(out.families) | set(out.defined) | set(out.indices)
    out.functions = {k: v for k, v in out.functions.items() if k not in used}
    out.plain.pop("e", None)  # Euler's number unless declared
    return out


def _names(math: str, line: int, out: Guess) -> None:
    position = 0
    while True:
        match = _NAME.search(math, position)
        if match is None:
            return
        position = match.end()
        if match["command"] is not None and match["command"] not in GREEK:
            continue  # \frac, \partial, \log, …: notation, not a name
        if match["word"] is not None:
            word = match["word"]
            if word in BARE_WORDS:
                out.bare.add(word)
                continue
            if len(word) > 1 and not _AFTER_ARGS.match(math, position):
                # a word such as `Loss`: a name (declare it) or a product of letters (write it with spaces)
                out.words.add(word)
                out.plain.setdefault(word, line)
                continue
        base = match[0] if match["deco"] is None else f"\\{match['deco']}{{{match['inner']}}}"
        index = _INDEX.match(math, position)
        assert index is not None
        position = index.end()
        if _AFTER_ARGS.match(math, position):
            spelled = base + ("_" + (index[1] or index[2]) if (index[1] or index[2]) else "")
            out.functions.setdefault(spelled, line)
            continue
        subscript = index[1] or index[2]
        superscript = index[3]
        if subscript and len(subscript.replace(",", "").replace(" ", "")) <= 2:
            out.families.setdefault(f"{base}_{{{subscript}}}" if len(subscript) > 1 else f"{base}_{subscript}", line)
        elif superscript:
            out.families.setdefault(f"{base}^{{({superscript})}}", line)
        else:
            out.plain.setdefault(base, line)


def _key(spelling: str) -> str:
    return f"'{spelling}'" if not re.fullmatch(r"[A-Za-z0-9_-]+", spelling) else spelling


def block(g: Guess) -> str:
    """The declarations block, every entry marked for the author to confirm."""
    out = [
        "```verify-derivation",
        "# Written by `verify-derivation init`: every entry below is a guess from the display math.",
        "# Confirm each one (fix the words, ranges and definitions; delete what is wrong), then delete the",
        "# `# confirm` marks. The check reads only what is written here and never guesses.",
    ]
    if g.bare:
        words = ", ".join(f'"{w}"' for w in sorted(g.bare))
        out.append(f"bare_functions = [{words}]  # confirm: written without a backslash")
    out += ["", "[symbols]"]
    if g.indices:
        out.append("# likely indices (subscripts, or the variable of a sum)")
        for index, bounds in sorted(g.indices.items()):
            lower, upper = bounds or ("1", "N")
            out.append(f'{index} = {{ range = ["{lower}", "{upper}"] }}  # confirm: the range')
    if g.families:
        out.append("# families (a letter with an index)")
        out += [f'{_key(k)} = "real"  # confirm (first used on line {line})' for k, line in sorted(g.families.items())]
    if g.defined:
        out.append("# defined symbols (a display reads `name = expression`)")
        for k, (definition, line) in sorted(g.defined.items()):
            out.append(f"{_key(k)} = {{ define = '{definition}' }}  # confirm: from line {line}")
    if g.plain:
        out.append("# plain symbols")
        for k, line in sorted(g.plain.items()):
            words = "positive integer" if k in g.counts else "real"
            what = "one name, or the product of its letters?" if k in g.words else f"first used on line {line}"
            out.append(f'{_key(k)} = "{words}"  # confirm: {what}')
    if g.functions:
        out += ["", "[functions]", "# likely functions (a name followed by `( … )`; add define = '…' to unfold one)"]
        for k, line in sorted(g.functions.items()):
            out.append(f'{_key(k)} = {{ args = ["t"] }}  # confirm: applied on line {line}, or a product?')
    if not (g.indices or g.families or g.defined or g.plain or g.functions):
        out.append("# (no names found in the display math)")
    out.append("```")
    return "\n".join(out) + "\n"


def as_tex(starter: str) -> str:
    """The block as LaTeX comments (the `%`-fenced form: the document compiles unchanged)."""
    return "".join(f"% {row}\n" for row in starter.splitlines())


def insert(text: str, starter: str, tex: bool = False) -> str:
    """The document with the block inserted after its first heading or `\\begin{document}` (else at the top)."""
    if tex:
        begin = re.search(r"\\begin\{document\}[^\n]*\n", text)
        at = begin.end() if begin else 0
        return text[:at] + as_tex(starter) + text[at:]
    heading = re.search(r"(?m)^ {0,3}#{1,6}[ \t]+.*\n", text)
    at = heading.end() if heading else 0
    return text[:at] + "\n" + starter + "\n" + text[at:]
