"""Low-level LaTeX scanning: raw tokens with offsets, TeX argument rules, bracket balance and size guards."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from verifier.latex import messages as m
from verifier.latex.builtins import BUILTIN_FUNCTIONS, MAX_MIN
from verifier.latex.errors import ReadError

MAX_CHARS = 20_000
MAX_DEPTH = 100
MAX_DIGITS = 100

# Commands that take brace arguments; an unbraced argument is one token, as in TeX (`\frac12`, `\hat y`).
ARITY: dict[str, int] = {
    "\\frac": 2,
    "\\cfrac": 2,
    "\\dfrac": 2,
    "\\tfrac": 2,
    "\\sqrt": 1,
    "\\boxed": 1,
    "\\hat": 1,
    "\\bar": 1,
    "\\tilde": 1,
    "\\mathbf": 1,
    "\\boldsymbol": 1,
    "\\bm": 1,
    "\\vec": 1,
    "\\widehat": 1,
    "\\widetilde": 1,
    "\\overline": 1,
    "\\dot": 1,
    "\\ddot": 1,
    "\\check": 1,
    "\\breve": 1,
    "\\mathcal": 1,
    "\\mathbb": 1,
    "\\mathrm": 1,
    "\\mathit": 1,
}
DECORATORS = frozenset(ARITY) - {"\\frac", "\\cfrac", "\\dfrac", "\\tfrac", "\\sqrt", "\\boxed"}

# Layout-only commands: spacing and delimiter sizing carry no meaning.
_DROP = frozenset(
    {"\\,", "\\;", "\\!", "\\:", "\\>", "\\ ", "\\quad", "\\qquad", "\\displaystyle", "\\limits", "\\nolimits"}
    | {"\\textstyle", "\\enspace", "\\enskip", "\\thinspace", "\\medspace", "\\thickspace"}
    | {"\\negthinspace", "\\negmedspace", "\\negthickspace"}
    | {f"\\{size}{side}" for size in ("big", "Big", "bigg", "Bggg", "Bigg") for side in ("", "l", "r", "m")}
)
_SYNONYM = {
    "\\dfrac": "\\frac",
    "\\cfrac": "\\frac",
    "\\div": "/",
    "\\tfrac": "\\frac",
    "\\lbrack": "[",
    "\\rbrack": "]",
    "\\lbrace": "\\{",
    "\\rbrace": "\\}",
    "\\ne": "\\neq",
    "\\le": "\\leq",
    "\\ge": "\\geq",
    "\\_": "_",
    "\\lparen": "(",
    "\\rparen": ")",
}

_TOKEN = re.compile(
    r"(?P<ws>\s+)|(?P<cmd>\\[A-Za-z]+)|(?P<sym>\\.)|(?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)|(?P<letter>[A-Za-z])"
    r"|(?P<char>[{}_^'()\[\]+\-*/=<>,|!;:.~&])",
    re.DOTALL,
)
# SymPy's names of the inverse functions, as it prints them under \operatorname
_OPERATOR_NAMES = {"asin": "\\arcsin", "acos": "\\arccos", "atan": "\\arctan"}
_ENV = re.compile(r"\s*\{\s*([A-Za-z*]+)\s*\}")
_WORD = re.compile(r"\s*\{\s*([A-Za-z]+)\s*\}")
_SCIENTIFIC = re.compile(r"[eE][+-]?[0-9]+")
# Every pair of brackets, opening → closing (the scanner checks their balance; the resolver counts depth).
OPEN = {"(": ")", "[": "]", "\\{": "\\}", "{": "}", "\\lvert": "\\rvert"}
# Small explicit vectors and matrices (contract §5.1): rows by `\\`, cells by `&`. `matrix` prints no
# brackets (it stands inside \left( … \right)); vmatrix is a determinant, not read.
MATRIX_ENVIRONMENTS = ("bmatrix", "pmatrix", "matrix", "Bmatrix")
OPEN.update({f"\\begin{{{e}}}": f"\\end{{{e}}}" for e in MATRIX_ENVIRONMENTS})
CLOSE = {v: k for k, v in OPEN.items()}


@dataclass(frozen=True)
class Tok:
    """A raw token: kind (cmd, letter, num, char), its text and its span in the source string.

    `arg` marks a `{` that opens a command or script argument (as opposed to a bare group).
    """

    kind: str
    value: str
    start: int
    end: int
    arg: bool = False
    word: int = 0  # on the first letter of \operatorname{…}: how many letters the one name has


def scan(text: str) -> list[Tok]:
    """Split LaTeX into raw tokens, dropping layout; refuse oversized input and unbalanced brackets."""
    if len(text) > MAX_CHARS:
        raise ReadError(m.TooLong(len(text), MAX_CHARS), 0)
    toks: list[Tok] = []
    pos = 0
    skip_dot = False
    side = ""  # "\\left" or "\\right" just seen: a following `|` is an absolute-value bar
    matrices = 0  # explicit matrices open here: `\\` and `&` separate their rows and cells
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if found is None:
            raise ReadError(m.UnexpectedCharacter(text[pos], _hint(text[pos])), pos)
        kind = found.lastgroup or ""
        value = found.group()
        start, pos = found.start(), found.end()
        if kind == "ws" or value == "~":
            continue
        if kind == "sym" and value == "\\\\":
            if not matrices:
                raise ReadError(m.LineBreak(), start)
            toks.append(Tok("cmd", value, start, pos))
            continue
        if kind in ("cmd", "sym"):
            if value in ("\\left", "\\right"):
                skip_dot = True  # `\left.` is an invisible delimiter
                side = value
                continue
            if value in _DROP:
                continue
            value = _SYNONYM.get(value, value)
            kind = "char" if value in ("_", "[", "]", "(", ")", "/") else "cmd"
            if value in ("\\begin", "\\end"):
                env = _ENV.match(text, pos)
                if env is None or env.group(1) not in MATRIX_ENVIRONMENTS:
                    raise ReadError(m.Environment(env.group(1) if env else "…"), start)
                pos = env.end()
                matrices += 1 if value == "\\begin" else -1
                toks.append(Tok("cmd", f"{value}{{{env.group(1)}}}", start, pos))
                continue
            if value == "\\operatorname":
                # \operatorname{softmax} is the name softmax: its letters, matched as one declared word
                word = _WORD.match(text, pos)
                if word is None:
                    raise ReadError(m.OperatorName(), start)
                pos = word.end()
                letters = word.group(1)
                builtin = _OPERATOR_NAMES.get(letters, "\\" + letters)
                if builtin in BUILTIN_FUNCTIONS or builtin in MAX_MIN:  # SymPy prints \operatorname{atan}
                    toks.append(Tok("cmd", builtin, start, pos))
                    continue
                for n, ch in enumerate(letters):
                    toks.append(Tok("letter", ch, start if n == 0 else pos, pos, word=len(letters) if n == 0 else 0))
                continue
        if skip_dot:
            skip_dot = False
            if value == ".":
                continue
            if value == "|":
                kind, value = "cmd", "\\lvert" if side == "\\left" else "\\rvert"
        if kind == "num":
            sci = _SCIENTIFIC.match(text, pos)
            if sci:
                # 1e-5 would read as 1·e − 5 (Euler's number): refuse, and say how to write it
                power = sci.group()[1:].lstrip("+")
                raise ReadError(m.ScientificNotation(value, power, value + sci.group()), start)
            digits = len(value.split(".")[0])
            if digits > MAX_DIGITS:
                raise ReadError(m.NumberTooLong(digits, MAX_DIGITS), start)
        toks.append(Tok(kind, value, start, pos))
    _check_labels(toks, text)
    _pair_bars(toks)
    _check_balance(toks)
    return _normalize(toks)


def _pair_bars(toks: list[Tok]) -> None:
    """`|x - 2|`: exactly two bare bars inside one group are an absolute value. Any other count
    (`|a|b|c|`, a conditioning bar) is left alone and refused by the resolver: print gives no pairing."""
    bars = [n for n, t in enumerate(toks) if t.kind == "char" and t.value == "|"]
    if len(bars) != 2:
        return
    first, second = bars
    depth = 0
    for t in toks[first + 1 : second]:
        depth += 1 if t.value in OPEN else -1 if t.value in CLOSE else 0
        if depth < 0:
            return  # `(a | b) c |`: the bars are in different groups
    if depth != 0 or second == first + 1:
        return
    toks[first] = Tok("cmd", "\\lvert", toks[first].start, toks[first].end)
    toks[second] = Tok("cmd", "\\rvert", toks[second].start, toks[second].end)


def _check_labels(toks: list[Tok], text: str) -> None:
    """`(**)`, `(*)`: a seed's equation label copied into a step (otherwise "empty brackets at '*'")."""
    for n, t in enumerate(toks):
        if t.value != "(":
            continue
        k = n + 1
        while k < len(toks) and toks[k].value == "*":
            k += 1
        if k > n + 1 and k < len(toks) and toks[k].value == ")":
            raise ReadError(m.EquationLabel(text[t.start : toks[k].end]), t.start)


_UNICODE_HINTS = {
    "−": "-",
    "·": "\\cdot",
    "×": "\\times",
    "≠": "\\neq",
    "≤": "\\leq",
    "≥": "\\geq",
    "∑": "\\sum",
    "∏": "\\prod",
    "∂": "\\partial",
    "√": "\\sqrt",
    "ŷ": "\\hat{y}",
}


def _hint(char: str) -> str:
    """' (write \\theta)' for a Unicode character that has a LaTeX spelling."""
    if char in _UNICODE_HINTS:
        return f" (write {_UNICODE_HINTS[char]})"
    name = unicodedata.name(char, "")
    if name.startswith("GREEK SMALL LETTER ") or name.startswith("GREEK CAPITAL LETTER "):
        letter = name.rsplit(" ", 1)[1].lower()
        if "CAPITAL" in name:
            letter = letter.capitalize()
        return f" (write \\{letter})"
    return ""


def _check_balance(toks: list[Tok]) -> None:
    """Every bracket closes the innermost open one; nesting stays below MAX_DEPTH."""
    stack: list[Tok] = []
    for t in toks:
        if t.value in OPEN:
            stack.append(t)
            if len(stack) > MAX_DEPTH:
                raise ReadError(m.BracketsTooDeep(MAX_DEPTH), t.start)
        elif t.value in CLOSE:
            if not stack:
                raise ReadError(m.NothingToClose(t.value), t.start)
            opener = stack.pop()
            if OPEN[opener.value] != t.value:
                raise ReadError(m.ClosedByWrong(opener.value, t.value, OPEN[opener.value]), opener.start)
    if stack:
        raise ReadError(m.NeverClosed(stack[-1].value), stack[-1].start)


def group_end(toks: list[Tok], i: int) -> int:
    """Index just past the brace group opening at toks[i] (also used by the name resolver)."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].value == "{":
            depth += 1
        elif toks[j].value == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    raise ReadError(m.NeverClosed("{"), toks[i].start)  # pragma: no cover - balance checked


def _normalize(toks: list[Tok]) -> list[Tok]:
    """Give every command and script argument explicit braces (TeX reads an unbraced one as one token),
    then unwrap bare braces around a single name (`{x}_{i}` is `x_{i}`)."""
    out: list[Tok] = []
    i = 0
    bigop = False  # the scripts being read belong to \sum or \prod
    while i < len(toks):
        t = toks[i]
        unbraced = i + 2 < len(toks) and toks[i + 1].value != "{"
        if t.value == "^" and bigop and unbraced and toks[i + 2].value in ("+", "-"):
            # `\sum_{i=1}^N-1 x_i` prints as Σ^N (−1·x_i) in TeX; the writer meant N−1 or a sign
            bound, sign = toks[i + 1].value, toks[i + 2].value
            raise ReadError(m.LimitTakesOneToken(bound, sign), toks[i + 2].start)
        if t.value not in ("_", "^"):
            bigop = t.kind == "cmd" and t.value in ("\\sum", "\\prod")
        if (t.kind == "cmd" and t.value in ARITY) or t.value in ("_", "^"):
            out.append(t)
            i += 1
            if t.value == "\\sqrt" and i < len(toks) and toks[i].value == "[":
                depth = 0
                while i < len(toks):  # copy the optional [n] through
                    out.append(toks[i])
                    depth += {"[": 1, "]": -1}.get(toks[i].value, 0)
                    i += 1
                    if depth == 0:
                        break
            for _ in range(1 if t.value in ("_", "^") else ARITY[t.value]):
                i = _take_argument(toks, i, out, t)
            continue
        out.append(t)
        i += 1
    return _unwrap(out)


def _take_argument(toks: list[Tok], i: int, out: list[Tok], owner: Tok) -> int:
    """Append one argument starting at toks[i] to out, braced; return the index after it."""
    if i >= len(toks) or toks[i].value in ("}", "_", "^") or toks[i].value in CLOSE:
        at = toks[i].start if i < len(toks) else max(owner.end, toks[-1].end)
        raise ReadError(m.MissingArgument(owner.value), at)
    t = toks[i]
    if t.value == "{":
        end = group_end(toks, i)
        inner = _normalize(toks[i + 1 : end - 1])
        out.append(Tok("char", "{", t.start, t.end, arg=True))
        out.extend(inner)
        out.append(toks[end - 1])
        return end
    if t.kind == "num" and "." in t.value[:2]:
        raise ReadError(m.DecimalArgument(owner.value), t.start)
    if t.kind == "num" and len(t.value) > 1 and owner.value in ("_", "^"):
        # TeX prints x^23 as x²3; the writer almost surely meant x^{23}: refuse rather than guess
        mark, digits = owner.value, t.value
        raise ReadError(m.ScriptTakesOneDigit(mark, digits, digits[0], digits[1:]), t.start)
    if t.kind == "num" and len(t.value) > 1:
        # TeX takes one digit: `x^23` is x^{2} 3
        first = Tok("num", t.value[0], t.start, t.start + 1)
        rest = Tok("num", t.value[1:], t.start + 1, t.end)
        close = Tok("char", "}", t.start + 1, t.start + 1)
        out.extend([Tok("char", "{", t.start, t.start, arg=True), first, close])
        toks[i] = rest  # the other digits are read next, as their own number
        return i
    out.append(Tok("char", "{", t.start, t.start, arg=True))
    if t.kind == "cmd" and t.value in ARITY:
        # `\hat\mathbf{w}`: the argument is itself a command with arguments
        sub: list[Tok] = []
        j = _normalize_one(toks, i, sub)
        out.extend(sub)
        out.append(Tok("char", "}", toks[j - 1].end, toks[j - 1].end))
        return j
    if t.value in OPEN or t.value in CLOSE:
        raise ReadError(m.BracketArgument(owner.value), t.start)
    out.append(t)
    out.append(Tok("char", "}", t.end, t.end))
    return i + 1


def _normalize_one(toks: list[Tok], i: int, out: list[Tok]) -> int:
    """Normalize the single argument-taking command at toks[i] with its arguments into out."""
    t = toks[i]
    out.append(t)
    j = i + 1
    for _ in range(ARITY[t.value]):
        j = _take_argument(toks, j, out, t)
    return j


def _is_name_unit(toks: list[Tok]) -> bool:
    """One letter, number or command, or a decorator with its braced argument (`\\hat{y}`)."""
    if len(toks) == 1:
        return toks[0].kind in ("letter", "cmd", "num") and toks[0].value not in ARITY
    if len(toks) >= 3 and toks[0].value in DECORATORS and toks[1].arg:
        return group_end(toks, 1) == len(toks)
    return False


def _unwrap(toks: list[Tok]) -> list[Tok]:
    """Drop bare braces around one name unit, innermost first, so that `{{L}}_{i}` reads as `L_{i}`."""
    changed = True
    while changed:
        changed = False
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.value == "{" and not t.arg:
                end = group_end(toks, i)
                if _is_name_unit(toks[i + 1 : end - 1]):
                    toks = toks[:i] + toks[i + 1 : end - 1] + toks[end:]
                    changed = True
                    continue
            i += 1
    return toks
