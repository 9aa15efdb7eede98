"""Math inside plain prose: the library's Unicode prose with TeX-like bits, cut into text and inline math."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from verifier.report.tex.safe import is_safe_math
from verifier.report.tex.symbols import UNICODE_MATH


@dataclass(frozen=True)
class Part:
    """A run of prose or of inline math inside a title or remark."""

    math: bool
    text: str


# The library's prose is Unicode with TeX-like bits ("∂a_j/∂z_i = a_j(1 − a_j) if i = j"). The rule,
# kept conservative on purpose: prose is cut into words at spaces; a word is *math-like* when the whole
# word scans as math (single letters, digits, brackets, operators, Greek and other mapped symbols, known
# function names, `_`/`^` scripts, Unicode super/subscripts, a prime after a symbol) and *triggered* when
# it has a script, a Greek or math symbol or a prime. Consecutive math-like words and operator words
# (`=`, `−`, …) form a span; a span becomes inline math when it has a triggered word, or an operator
# between operands ("i = j"); a lone single letter other than a/A/I is math too. Anything with a
# backslash, `$`, `%`, `#`, `&`, `~`, quotes, or a word of two or more letters (outside scripts and after
# ∂) stays text, and every produced math is vetted by `is_safe_math`, so hostile text prints literally.

_FUNCS = frozenset(["log", "ln", "exp", "tanh", "sinh", "cosh", "sin", "cos", "tan", "max", "min"])
_SUPERS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ˣⁱⁿᵀ", "0123456789+-xinT", strict=True))
_SUBS = dict(zip("₀₁₂₃ᵢⱼₖ", "0123ijk", strict=True))
_OPERATORS = frozenset({"=", "−", "-", "+", "·", "×", "/", "≠", "≤", "≥", "≈", "→", "<", ">", "∈", "|"})
_PLAIN_MATH = frozenset("0123456789()[]+-=/<>|,;:")
# The scanner reads Σ as a sum sign and ᵀ as a transpose script; otherwise the shared math table.
_MATH_SYMBOLS = {**UNICODE_MATH, "Σ": r"\sum", "∑": r"\sum", "ᵀ": "^T", "…": r"\dots"}


class _NotMath(Exception):
    """Raised by the scanner when a word is not math."""


def _scan(s: str, relaxed: bool = False) -> tuple[str, bool]:
    """`s` as LaTeX math and whether it has a trigger; raises _NotMath. `relaxed` (inside a script group)
    lets letter runs of any length through."""
    out: list[str] = []
    trigger = False
    atom = False  # a symbol that may take a script or a prime just ended
    scripts: set[str] = set()  # scripts the current atom already has (a double one breaks TeX)
    depth = 0
    i = 0

    def put(piece: str) -> None:
        if out and re.search(r"\\[A-Za-z]+$", out[-1]) and piece[:1].isalpha():
            out.append(" ")
        out.append(piece)

    def new_atom(piece: str) -> None:
        nonlocal atom
        put(piece)
        atom = True
        scripts.clear()

    def group(j: int) -> tuple[str, int]:
        """A braced script group at s[j] == '{', scanned relaxed; its LaTeX and the index after it."""
        level = 0
        for k in range(j, len(s)):
            level += (s[k] == "{") - (s[k] == "}")
            if level == 0:
                return _scan(s[j + 1 : k], True)[0], k + 1
        raise _NotMath

    while i < len(s):
        ch = s[i]
        if ch.isascii() and ch.isalpha():
            m = re.match(r"[A-Za-z]+", s[i:])
            assert m
            run = m.group(0)
            if run in _FUNCS:
                new_atom("\\" + run)
            elif len(run) == 1 or relaxed:
                new_atom(run)
            elif s[i - 1 : i] == "∂":
                new_atom(r"\mathit{" + run + "}")
            elif len(run) == 2 and (depth > 0 or s[i - 1 : i] == "/") and run.islower():
                new_atom(run)  # log(ab), dt in d/dt
            else:
                raise _NotMath
            i += len(run)
            continue
        if ch in "_^":
            if not atom or ch in scripts or (ch == "^" and "'" in scripts):
                raise _NotMath
            j = i + 1
            if s[j : j + 1] == "{":
                body, i = group(j)
            elif ch == "_" and (m := re.match(r"[A-Za-z0-9]+", s[j:])):
                body, i = m.group(0), j + len(m.group(0))  # w_ij means w_{ij} in prose
            elif j < len(s) and (s[j].isascii() and s[j].isalnum()):
                body, i = s[j], j + 1
            elif j < len(s) and s[j] in _MATH_SYMBOLS and s[j].isalpha():
                body, i = _MATH_SYMBOLS[s[j]], j + 1
            else:
                raise _NotMath
            out.append(ch + "{" + body + "}")
            scripts.add(ch)
            trigger = True
            continue
        if ch in _SUPERS or ch in _SUBS:
            table, mark = (_SUPERS, "^") if ch in _SUPERS else (_SUBS, "_")
            j = i
            while j < len(s) and s[j] in table:
                j += 1
            if not atom or mark in scripts or (mark == "^" and "'" in scripts):
                raise _NotMath
            out.append(mark + "{" + "".join(table[c] for c in s[i:j]) + "}")
            scripts.add(mark)
            trigger, i = True, j
            continue
        if ch in "'′":
            if not atom or "^" in scripts:
                raise _NotMath
            out.append("'")
            scripts.add("'")
            trigger, i = True, i + 1
            continue
        i += 1
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) == 2 and decomposed[0].isascii() and decomposed[0].isalpha():
            accent = {"\u0302": r"\hat", "\u0304": r"\bar", "\u0303": r"\tilde"}.get(decomposed[1])
            if accent is None:
                raise _NotMath
            new_atom(accent + "{" + decomposed[0] + "}")
            trigger = True
        elif ch in _MATH_SYMBOLS:
            piece = _MATH_SYMBOLS[ch]
            if ch.isalpha():  # Greek letters (and Σ as a sum) take scripts
                new_atom(piece)
            else:
                put(piece)
                atom = False
            trigger = trigger or ch not in "−…"
        elif ch == "{" or ch == "}":
            put("\\" + ch)
            atom = ch == "}"
        elif ch == "." and s[i - 2 : i - 1].isdigit() and s[i : i + 1].isdigit():
            out.append(".")
        elif ch == " " or ch in _PLAIN_MATH:
            depth += (ch in "([") - (ch in ")]")
            put(ch)
            atom = ch in ")]" or ch.isdigit()
            if ch.isdigit():
                scripts.clear()
        else:
            raise _NotMath
    return "".join(out), trigger


def _word_kind(word: str) -> str:
    """'O' an operator word, 'M' math with a trigger, 'S' a math-like operand, 'W' a prose word."""
    if word in _OPERATORS:
        return "O"
    if "\\" in word:  # the author's own TeX in prose (`\log h_\theta(x^{(i)})`): math when vetted safe
        return "M" if _tex_word(word) else "W"
    try:
        _, trigger = _scan(word)
    except _NotMath:
        return "W"
    return "M" if trigger else "S"


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += (ch in "([{") - (ch in ")]}")
        if depth < 0:
            return False
    return depth == 0


_ARTICLES = frozenset({"a", "A", "I"})


def _span_parts(words: list[str], kinds: list[str]) -> list[Part]:
    """A run of math-like words (with the spaces between them) as text and math parts."""
    text = " ".join(words)
    # Operators at the ends stay text (a leading minus belongs to the math), and so does an article.
    while kinds and (kinds[-1] == "O" or words[-1] in _ARTICLES):
        words, kinds = words[:-1], kinds[:-1]
    lead = 0
    while lead < len(kinds) and (
        (kinds[lead] == "O" and words[lead] not in ("−", "-", "+")) or words[lead] in _ARTICLES
    ):
        lead += 1
    core = " ".join(words[lead:])
    if not core:
        return [Part(False, text)]
    start = text.index(core)
    before, after = text[:start], text[start + len(core) :]
    # Unbalanced outer brackets stay text: "(x" of "(x where z was meant)".
    while core[:1] in "([" and core and not _balanced(core) and core.count(core[0]) > core.count(
        ")" if core[0] == "(" else "]"
    ):
        before, core = before + core[0], core[1:]
    while core[-1:] in ")]" and core and not _balanced(core):
        after, core = core[-1] + after, core[:-1]
    inner = kinds[lead:]
    qualifies = "M" in inner or ("O" in inner and "S" in inner)
    if not qualifies and len(inner) == 1 and re.fullmatch(r"[B-HJ-Zb-z]", core):
        qualifies = True
    if not qualifies or not _balanced(core):
        if len(words) > 1:  # try the words one by one
            out: list[Part] = []
            for k, (w, kind) in enumerate(zip(words, kinds, strict=True)):
                out.extend(_span_parts([w], [kind]) if kind in "MS" else [Part(False, w)])
                if k < len(words) - 1:
                    out.append(Part(False, " "))
            return out
        return [Part(False, text)]
    if "\\" in core:
        if not is_safe_math(core):
            return [Part(False, text)]
        latex = core  # the author's TeX, typeset as written
    else:
        try:
            latex, _ = _scan(core)
        except _NotMath:
            return [Part(False, text)]
    latex = " ".join(latex.split())
    if not is_safe_math(latex):
        return [Part(False, text)]
    return [p for p in (Part(False, before), Part(True, latex), Part(False, after)) if p.text]


def _tex_word(word: str) -> bool:
    """A prose word written in TeX (`\\log`, `h_\\theta(x^{(i)})`): ASCII, safe, with a backslash command."""
    return word.isascii() and "$" not in word and is_safe_math(word) and bool(re.search(r"\\[A-Za-z]", word))


# Runs of CJK characters and full-width punctuation: prose of their own, even with no space around
# them (Chinese text puts none between words and inline math: 对\log h_\theta(x^{(i)})求导).
_CJK = re.compile(r"([\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+)")


def prose_math(text: str) -> list[Part]:
    """Plain prose with its math-like spans (see the rule above) as math parts, the rest as text."""
    if _CJK.search(text):
        out: list[Part] = []
        for k, piece in enumerate(_CJK.split(text)):
            if piece:
                out.extend([Part(False, piece)] if k % 2 else _prose_math(piece))
        merged: list[Part] = []
        for p in out:
            if merged and not p.math and not merged[-1].math:
                merged[-1] = Part(False, merged[-1].text + p.text)
            else:
                merged.append(p)
        return merged
    return _prose_math(text)


def _prose_math(text: str) -> list[Part]:
    parts: list[Part] = []
    words = text.split(" ")
    run: list[str] = []
    kinds: list[str] = []

    def flush() -> bool:
        if not run:
            return False
        parts.extend(_span_parts(run, kinds))
        run.clear()
        kinds.clear()
        return True

    for k, word in enumerate(words):
        core = word.rstrip(",;:.!?")
        punct = word[len(core) :]
        kind = _word_kind(core) if core else "W"
        if kind == "W":
            if flush():
                parts.append(Part(False, " "))
            parts.append(Part(False, word))
        else:
            run.append(core)
            kinds.append(kind)
            depth = sum((c in "([{") - (c in ")]}") for c in " ".join(run))
            if punct and depth > 0 and punct in ",;":
                run[-1] = word  # a comma inside brackets belongs to the math: (x_0, …, x_p)
            elif punct:
                flush()
                parts.append(Part(False, punct))
        if k < len(words) - 1:
            if run:
                continue
            parts.append(Part(False, " "))
    flush()
    # Merge neighbours of the same kind; spaces between a run's words were eaten by the join.
    merged: list[Part] = []
    for p in parts:
        if merged and merged[-1].math == p.math and not p.math:
            merged[-1] = Part(False, merged[-1].text + p.text)
        else:
            merged.append(p)
    return merged
