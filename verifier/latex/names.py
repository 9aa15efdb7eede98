"""Declared spellings as token patterns, and the notation-aware pass that turns raw tokens into parser tokens.

Names cannot be told apart by a context-free grammar (`x_i` is an element of a family, `w_0` a plain
name, `x^{(i)}` an index and never a power, `Loss` one word, `\\sigma(z)` an application), so this pass
matches the declared spellings against the raw tokens, longest spelling first, and hands the grammar
one token per name.
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token

from verifier.latex import messages as m
from verifier.latex.builtins import BUILTIN_FUNCTIONS, MAX_MIN
from verifier.latex.errors import ReadError, suggest
from verifier.latex.scan import CLOSE, DECORATORS, MATRIX_ENVIRONMENTS, OPEN, Tok, group_end, scan

Item = tuple[str, str]  # ("lit", token text) or ("slot", index spelling)
Pattern = tuple[Item, ...]

# fmt: off
GREEK = frozenset("\\" + g for g in (
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
    "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma", "varsigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi",
    "Sigma", "Upsilon", "Phi", "Psi", "Omega", "ell",
))
# fmt: on
# Function names written without a backslash are a common slip; they are never read as products.
FUNCTION_WORDS = {
    "tanh": "\\tanh",
    "sinh": "\\sinh",
    "cosh": "\\cosh",
    "log": "\\log",
    "ln": "\\ln",
    "exp": "\\exp",
    "sin": "\\sin",
    "cos": "\\cos",
    "tan": "\\tan",
    "sqrt": "\\sqrt",
}

MAX_PRIMES = 3  # f'(x) to the third derivative: beyond that, nobody counts primes
_LONGEST_WORD = max(len(w) for w in FUNCTION_WORDS)

_COMMANDS = {
    "\\frac": "_FRAC",
    "\\sqrt": "_SQRT",
    "\\boxed": "_BOXED",
    "\\log": "_LOG",
    "\\ln": "_LN",
    "\\exp": "_EXP",
    "\\sum": "BIGOP",
    "\\prod": "BIGOP",
    "\\partial": "PARTIAL",
    "\\cdot": "STAR",
    "\\times": "STAR",
    "\\neq": "_NE",
    "\\leq": "_LE",
    "\\geq": "_GE",
    "\\{": "_LCURLY",
    "\\}": "_RCURLY",
    "\\lvert": "_LVERT",
    "\\rvert": "_RVERT",
    **{f: "FNAME" for f in BUILTIN_FUNCTIONS},
    **{f: "MAXMIN" for f in MAX_MIN},
    "\\odot": "ODOT",
    "\\nabla": "NABLA",
    "\\lVert": "_LNORM",
    "\\rVert": "_RNORM",
    **{f"\\begin{{{e}}}": "MATBEGIN" for e in MATRIX_ENVIRONMENTS},
    **{f"\\end{{{e}}}": "_MATEND" for e in MATRIX_ENVIRONMENTS},
    "\\\\": "_ROWSEP",
}
# Built-ins a declaration of the same spelling shadows (as a declared `e` shadows Euler's number).
_SHADOWABLE = frozenset(BUILTIN_FUNCTIONS) | frozenset(MAX_MIN)
DOTS = frozenset({"\\dots", "\\cdots", "\\ldots", "\\dotsb", "\\dotsc", "\\dotsm"})
# `x^T`, `A^\top`: a transpose (unless T is a declared name; then `x^T` is a power of a number)
_TRANSPOSE_MARKS = ("T", "\\top", "\\intercal")
# `\mathbf{1}`: the all-ones vector (unless declared)
_ONES = ("{", "1", "}")
_ONES_DECORATORS = frozenset({"\\mathbf", "\\boldsymbol", "\\bm", "\\mathbb"})
_DIAG = ("{", "d", "i", "a", "g", "}")
_CHARS = {
    "+": "PLUS",
    "-": "MINUS",
    "*": "STAR",
    "/": "SLASH",
    "=": "_EQ",
    "<": "_LT",
    ">": "_GT",
    "(": "_LPAR",
    ")": "_RPAR",
    "[": "_LBRACK",
    "]": "_RBRACK",
    "{": "_LBRACE",
    "}": "_RBRACE",
    ",": "_COMMA",
    "_": "_UNDERSCORE",
    "^": "CARET",
    "&": "_AMP",
}


@dataclass(frozen=True)
class Spelling:
    """A declared key split as TeX sees it: the base tokens and the sub/superscript contents."""

    base: tuple[str, ...]
    sub: tuple[str, ...] | None
    sup: tuple[str, ...] | None
    primes: int = 0  # `w'`, `a_b'` (= `a'_b`, as TeX prints both): part of the name

    def text(self) -> str:
        """A canonical rendering (`\\hat{y}_{i}`, `a_{b}'`), used as the SymPy name."""
        out = render(self.base)
        if self.sup is not None:
            out += "^{" + render(self.sup) + "}"
        if self.sub is not None:
            out += "_{" + render(self.sub) + "}"
        return out + "'" * self.primes


@dataclass(frozen=True)
class Entry:
    """One declared name as the resolver matches it. kind: symbol, family, vector or function."""

    kind: str
    key: str
    base: tuple[str, ...]
    sub: Pattern | None = None
    sup: Pattern | None = None
    form: tuple[int, int, int] | None = None  # a conditional P(v \\mid u; t): its call has a bar and a semicolon
    primes: int = 0  # a name spelled with primes (`w'`, `a_b'`): a step must write as many

    @property
    def slots(self) -> int:
        return sum(1 for p in (self.sup, self.sub) if p for k, _ in p if k == "slot")

    def slot_names(self) -> tuple[str, ...]:
        """Index spellings in formal order: superscript slots first, then subscript slots."""
        return tuple(v for p in (self.sup, self.sub) if p for k, v in p if k == "slot")


def render(values: tuple[str, ...] | list[str]) -> str:
    """Join token texts back into LaTeX, with a space only where a command would swallow a letter."""
    out = ""
    for v in values:
        if out and out[-1].isalpha() and v[:1].isalpha() and _ends_with_command(out):
            out += " "
        out += v
    return out


def _ends_with_command(text: str) -> bool:
    i = len(text)
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    return i > 0 and text[i - 1] == "\\"


def parse_spelling(key: str) -> Spelling:
    """Split a declared key into base and scripts (raises ReadError)."""
    toks = scan(key)
    if not toks:
        raise ReadError(m.EmptyName(), 0)
    i = 0
    while i < len(toks) and toks[i].value not in ("_", "^"):
        if toks[i].value == "{":
            i = group_end(toks, i)
        else:
            i += 1
    base = tuple(t.value for t in toks[:i])
    primes = 0
    while len(base) > 1 and base[-1] == "'":  # `w'`, `a'_b`: the primes are counted, wherever they stand
        base, primes = base[:-1], primes + 1
    if not base or base[0] == "'":
        raise ReadError(m.NoBaseLetter(key), 0)
    sub = sup = None
    while i < len(toks):
        mark = toks[i].value
        if mark == "'":  # `a_b'`
            primes += 1
            i += 1
            continue
        if mark not in ("_", "^") or i + 1 >= len(toks):
            raise ReadError(m.TextAfterScripts(key), toks[i].start)
        end = group_end(toks, i + 1)
        content = tuple(t.value for t in toks[i + 2 : end - 1])
        if mark == "_":
            if sub is not None:
                raise ReadError(m.KeyTwoScripts(key, "subscript"), toks[i].start)
            sub = content
        else:
            if sup is not None:
                raise ReadError(m.KeyTwoScripts(key, "superscript"), toks[i].start)
            sup = content
        i = end
    return Spelling(base, sub, sup, primes)


@dataclass
class _Scripts:
    """The scripts written after a base in a step: contents (token lists) and where they end."""

    sub: list[Tok] | None
    sup: list[Tok] | None
    sup_toks: list[Tok]  # the whole `^{...}` run, to re-read as a power when no name consumes it
    primes: int
    end: int


def _read_scripts(toks: list[Tok], j: int) -> _Scripts:
    primes = 0
    sub: list[Tok] | None = None
    sup: list[Tok] | None = None
    sup_toks: list[Tok] = []
    while j < len(toks) and toks[j].value in ("_", "^", "'"):  # TeX takes f'_1 and f_1' alike
        if toks[j].value == "'":
            primes += 1
            j += 1
            continue
        end = group_end(toks, j + 1)
        content = toks[j + 2 : end - 1]
        if toks[j].value == "_":
            if sub is not None:
                raise ReadError(m.DoubleSubscript(), toks[j].start)
            sub = content
        else:
            if sup is not None:
                raise ReadError(m.DoubleSuperscript(), toks[j].start)
            sup = content
            sup_toks = toks[j:end]
        j = end
    return _Scripts(sub, sup, sup_toks, primes, j)


def _units(toks: list[Tok]) -> list[list[Tok]] | None:
    """Split a script into name units (`ij` → i, j); None when some part is not a unit."""
    out: list[list[Tok]] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.value in DECORATORS and i + 1 < len(toks) and toks[i + 1].arg:
            end = group_end(toks, i + 1)
            out.append(toks[i:end])
            i = end
        elif t.kind in ("letter", "cmd") or (t.kind == "num" and len(t.value) == 1):
            out.append([t])
            i += 1
        else:
            return None
    return out


def _split_commas(toks: list[Tok]) -> list[list[Tok]]:
    parts: list[list[Tok]] = [[]]
    depth = 0
    for t in toks:
        if t.value in OPEN:
            depth += 1
        elif t.value in CLOSE:
            depth -= 1
        if t.value == "," and depth == 0:
            parts.append([])
        else:
            parts[-1].append(t)
    return parts


def _match(pattern: Pattern, content: list[Tok]) -> list[list[Tok]] | None:
    """Slot contents when content fits pattern (an all-literal pattern must be equal), else None."""
    values = [t.value for t in content]
    if all(k == "lit" for k, _ in pattern):
        return [] if values == [v for _, v in pattern] else None
    lead = 0
    while pattern[lead][0] == "lit":
        lead += 1
    trail = 0
    while pattern[len(pattern) - 1 - trail][0] == "lit":
        trail += 1
    if len(content) <= lead + trail:
        return None
    if values[:lead] != [v for _, v in pattern[:lead]]:
        return None
    if trail and values[len(values) - trail :] != [v for _, v in pattern[len(pattern) - trail :]]:
        return None
    middle = content[lead : len(content) - trail]
    depth = 0
    for t in middle:  # `(i)+(j)` must not pass for `(slot)`
        depth += 1 if t.value in OPEN else -1 if t.value in CLOSE else 0
        if depth < 0:
            return None
    n = sum(1 for k, _ in pattern if k == "slot")
    if n == 1:
        return [middle]
    parts = _split_commas(middle)
    if len(parts) == n and all(parts):
        return parts
    units = _units(middle) if len(parts) == 1 else None
    if units is not None and len(units) == n:
        return units
    return None


@dataclass
class _Candidate:
    entry: Entry
    slots: list[list[Tok]]  # in formal order (sup slots, then sub slots)
    consumed: int
    leftover_sup: bool


def _try(entry: Entry, s: _Scripts) -> _Candidate | None:
    if entry.primes and s.primes != entry.primes:
        return None  # `a_b'` is declared: `a_b` and `a_b''` are other names
    slots: list[list[Tok]] = []
    consumed = 0
    leftover_sup = False
    if entry.sup is not None:
        if s.sup is None:
            return None
        got = _match(entry.sup, s.sup)
        if got is None:
            return None
        slots += got
        consumed += 1
    elif s.sup is not None:
        leftover_sup = True
    if entry.sub is not None:
        if s.sub is None:
            return None
        got = _match(entry.sub, s.sub)
        if got is None:
            return None
        slots += got
        consumed += 1
    elif s.sub is not None:
        return None
    return _Candidate(entry, slots, consumed, leftover_sup)


def numeric_element(family: Entry, symbol: Entry) -> bool:
    """Whether a plain symbol's spelling (`w_0`) is also an element of a family (`w_j` at j = 0)
    at numeric indices: the two would name one thing, and the resolver would silently pick one."""
    if family.base != symbol.base:
        return False
    toks = scan(symbol.key)
    s = _read_scripts(toks, len(symbol.base))
    if s.end != len(toks):
        return False
    c = _try(family, s)
    return c is not None and all(t.kind == "num" or t.value in "+-" for slot in c.slots for t in slot)


class Resolver:
    """Turns the raw tokens of one LaTeX string into parser tokens, using the declared entries."""

    def __init__(self, entries: list[Entry], text: str) -> None:
        self.by_base: dict[tuple[str, ...], list[Entry]] = {}
        for e in entries:
            self.by_base.setdefault(e.base, []).append(e)
        self.lengths = sorted({len(b) for b in self.by_base}, reverse=True)
        self.keys = [e.key for e in entries]
        self.text = text
        self.open_norms = 0  # `\|x\|`: the same bar opens and closes a norm

    def run(self, toks: list[Tok]) -> list[Token]:
        out: list[Token] = []
        i = 0
        while i < len(toks):
            i = self._one(toks, i, out)
        return out

    def _one(self, toks: list[Tok], i: int, out: list[Token]) -> int:
        t = toks[i]
        if t.value in ("\\|", "\\Vert"):
            kind = "_RNORM" if self.open_norms else "_LNORM"
            self.open_norms = 1 - self.open_norms
            out.append(_tok(kind, t.value, t))
            return i + 1 + (self._frobenius(toks, i + 1, out) if kind == "_RNORM" else 0)
        if t.value == "\\rVert":
            out.append(_tok("_RNORM", t.value, t))
            return i + 1 + self._frobenius(toks, i + 1, out)
        if t.value == "^" and self._transpose_at(toks, i + 1):
            out.append(_tok("TRANSPOSE", "T", toks[i + 2]))
            return i + 4
        if t.kind == "letter" or (t.kind == "cmd" and t.value not in _COMMANDS):
            return self._name(toks, i, out)
        if t.value in _SHADOWABLE and (t.value,) in self.by_base:
            return self._name(toks, i, out)
        if t.kind == "num":
            if out and out[-1].type == "NUMBER":
                raise ReadError(m.NumbersSideBySide(), t.start)
            out.append(_tok("NUMBER", t.value, t))
            return i + 1
        if t.kind == "cmd":
            out.append(_tok(_COMMANDS[t.value], t.value, t))
            return i + 1
        if t.value in _CHARS:
            out.append(_tok(_CHARS[t.value], t.value, t))
            return i + 1
        if t.value == "!":
            raise ReadError(m.Factorial(), t.start)
        if t.value == "'":
            raise ReadError(m.PrimeNotAfterFunction(), t.start)
        if t.kind == "cond":  # marked inside a conditional's call by _mark_conditional
            out.append(_tok("_MID" if t.value == "|" else "_SEMI", t.value, t))
            return i + 1
        if t.value == "|":
            raise ReadError(m.BareBar(), t.start)
        if t.value == ";":
            raise ReadError(m.SemicolonOutsideConditional(), t.start)
        raise ReadError(m.Unexpected(t.value), t.start)

    def _transpose_mark(self, sup: list[Tok]) -> bool:
        """Whether a superscript's content is the transpose mark (`T` undeclared, `\\top`, `\\intercal`)."""
        if len(sup) != 1 or sup[0].value not in _TRANSPOSE_MARKS:
            return False
        return sup[0].value != "T" or ("T",) not in self.by_base

    def _frobenius(self, toks: list[Tok], j: int, out: list[Token]) -> int:
        """After a closing norm bar: `_{F}` (F undeclared) is the Frobenius norm's mark, not a name.
        Returns how many tokens it took (0 or 4)."""
        if ("F",) in self.by_base:
            return 0
        if j < len(toks) and toks[j].value == "^" and j + 1 < len(toks) and toks[j + 1].value == "{":
            # `\|A\|^2_F`: the mark after the power is taken out, and the power read as usual
            end = group_end(toks, j + 1)
            if [t.value for t in toks[end : end + 4]] == ["_", "{", "F", "}"]:
                out.append(_tok("FROBENIUS", "F", toks[end + 2]))
                del toks[end : end + 4]
            return 0
        if [t.value for t in toks[j : j + 4]] != ["_", "{", "F", "}"]:
            return 0
        out.append(_tok("FROBENIUS", "F", toks[j + 2]))
        return 4

    def _transpose_at(self, toks: list[Tok], j: int) -> bool:
        """Whether toks[j:] starts with the argument {T} (T undeclared), {\\top} or {\\intercal}."""
        values = [t.value for t in toks[j : j + 3]]
        if len(values) < 3 or values[0] != "{" or values[2] != "}" or values[1] not in _TRANSPOSE_MARKS:
            return False
        return values[1] != "T" or ("T",) not in self.by_base

    def _name(self, toks: list[Tok], i: int, out: list[Token]) -> int:
        best: _Candidate | None = None
        best_len = 0
        op_word = toks[i].word  # \operatorname{softmax}: exactly these letters make the name
        for n in [op_word] if op_word else self.lengths:
            group = self.by_base.get(tuple(t.value for t in toks[i : i + n]))
            if not group:
                continue
            s = _read_scripts(toks, i + n)
            found = [c for e in group if (c := _try(e, s)) is not None]
            if s.sup is not None and self._transpose_mark(s.sup) and any(c.entry.sup is None for c in found):
                # `y^T` with a vector y and a family y^i both declared (seed 003): y at the index T
                # would be an undeclared index, so the one reading is the vector y transposed
                found = [c for c in found if c.entry.sup is None]
            if found:
                # a literal name (w_0, L_{CE}) first; among families, the one with more index
                # slots: with x_i and x_{ij} both declared, x_{ij} is the two-index element, not
                # x_i at the index i·j
                # a name spelled with its primes first (`a_b'` next to `a_b`)
                best = max(found, key=lambda c: (c.entry.primes > 0, c.consumed, c.entry.slots == 0, c.entry.slots))
                best_len = n
                break
        t = toks[i]
        if op_word and best is None:
            letters = "".join(u.value for u in toks[i : i + op_word])
            if letters == "diag":  # \operatorname{diag}(a), unless a function diag is declared
                out.append(_tok("DIAG", "diag", t))
                return i + op_word
            raise ReadError(m.Undeclared(f"\\operatorname{{{letters}}}", suggest(letters, self.keys)), t.start)
        if t.kind == "letter" and not op_word:
            run = ""
            for k in range(i, min(len(toks), i + _LONGEST_WORD)):
                if toks[k].kind != "letter":
                    break
                run += toks[k].value
            for word, command in FUNCTION_WORDS.items():
                if run.startswith(word) and best_len < len(word):
                    raise ReadError(m.FunctionWord(word, command), t.start)
        if best is None:
            hoisted = _hoist_scripts(toks, i)
            if hoisted is not None:
                # `\hat{y_i}` (seed 000) is read as `\hat{y}_i` when that is declared
                probe: list[Token] = []
                try:
                    end = self._name(hoisted, 0, probe)
                except ReadError:
                    return self._undeclared(toks, i, out)
                if end == len(hoisted):
                    out.extend(probe)
                    return group_end(toks, i + 1)
            return self._undeclared(toks, i, out)
        s = _read_scripts(toks, i + best_len)
        if best.entry.kind == "indicator":  # I\\{y = 1\\}, with I declared "indicator"
            if s.end != i + best_len or s.end >= len(toks) or toks[s.end].value != "\\{":
                raise ReadError(m.IndicatorNeedsRelation(best.entry.key), toks[i].start)
            out.append(_tok("INDICATOR", best.entry.key, toks[i]))
            return s.end
        self._emit(best, s, toks[i], out)
        if best.entry.form is not None:
            _mark_conditional(toks, s.end)
        return s.end

    def _emit(self, c: _Candidate, s: _Scripts, first: Tok, out: list[Token]) -> None:
        e = c.entry
        bare_sup = e.sup is not None and any(k == "slot" for k, _ in e.sup) and e.sup[0] != ("lit", "(")
        if bare_sup and s.sup is not None and not any(_is_name_token(t) for t in s.sup):
            # with a family `x^i`, `x^2` (and `x^{-1}`, `x^{1/2}`: any superscript without a name in
            # it) could be a sample or a power: refuse rather than pick one
            written = self.text[first.start : s.sup_toks[-1].end]
            raise ReadError(m.SuperscriptFamilyPower(written, e.key), s.sup_toks[0].start)
        kind = {"symbol": "SYM", "family": "FAM", "vector": "VEC", "function": "FUNC"}[e.kind]
        if e.form is not None:
            kind = "CFUNC"  # P(y \\mid x; \\theta): its call holds a bar and a semicolon
            if s.primes:
                raise ReadError(m.ConditionalPrime(e.key), first.start)
        out.append(_tok(kind, e.key, first))
        if c.slots:
            out.append(_tok("_IDX_OPEN", "", first))
            for k, slot in enumerate(c.slots):
                if k:
                    out.append(_tok("_IDX_SEP", ",", slot[0]))
                out.extend(self.run(slot))
            out.append(_tok("_IDX_CLOSE", "", first))
        primes = s.primes - e.primes  # those of a name spelled with primes are part of the name
        if primes and e.kind != "function":
            raise ReadError(m.PrimeNotAfterFunction(), first.start)
        if primes > MAX_PRIMES:
            raise ReadError(m.TooManyPrimes(MAX_PRIMES), first.start)
        if primes:
            out.append(_tok("PRIME", "'" * primes, first))
        if not c.leftover_sup or s.sup is None:
            return
        sup = s.sup
        here = s.sup_toks[0]
        if e.kind == "function":
            primes = len(sup)
            if sup and all(t.value == "\\prime" for t in sup) and not s.primes and primes <= MAX_PRIMES:
                out.append(_tok("PRIME", "'" * primes, here))  # \sigma^{\prime\prime}(z)
                return
            raise ReadError(m.PowerOfFunction(), here.start)
        if e.kind == "vector":
            if [t.value for t in sup] in (["T"], ["\\top"], ["\\intercal"]):  # θ^T, θ^\top
                out.append(_tok("TRANSPOSE", "T", here))
                return
            out.extend(self.run(s.sup_toks))  # a power: the shape rules say why it has no reading
            return
        if sup and sup[0].value == "(" and group_balanced(sup):
            written = self.text[first.start : max(s.sup_toks[-1].end, first.end)]
            raise ReadError(m.ParenthesisedPower(written), here.start)
        out.extend(self.run(s.sup_toks))

    def _undeclared(self, toks: list[Tok], i: int, out: list[Token]) -> int:
        t = toks[i]
        if t.value in DOTS:
            raise ReadError(m.Dots(t.value), t.start)
        if t.value == "\\infty":
            out.append(_tok("INFTY", t.value, t))  # only a sum's upper limit: the grammar says where
            return i + 1
        if t.value == "\\pi" and (i + 1 >= len(toks) or toks[i + 1].value not in ("_", "'")):
            out.append(_tok("PI_CONST", t.value, t))  # π, unless declared as a name
            return i + 1
        if t.value in ("\\mathbb", "\\mathbf") and [u.value for u in toks[i + 1 : i + 5]] == ["{", "1", "}", "\\{"]:
            out.append(_tok("INDICATOR", "1", t))  # the indicator \mathbb{1}\{y = 1\}
            return i + 4
        if t.value == "\\mathrm" and [u.value for u in toks[i + 1 : i + 4]] == ["{", "e", "}"]:
            out.append(_tok("E_CONST", "e", t))  # the upright e is always Euler's number
            return i + 4
        following = tuple(u.value for u in toks[i + 1 : i + 7])
        if t.value in _ONES_DECORATORS and following[:3] == _ONES:
            out.append(_tok("ONES", "1", t))  # \mathbf{1}, the all-ones vector; `_m` follows as a script
            return i + 4
        if t.value in ("\\operatorname", "\\mathrm") and following == _DIAG:
            out.append(_tok("DIAG", "diag", t))
            return i + 7
        if t.kind == "letter" and t.value == "I" and ("I",) not in self.by_base:
            out.append(_tok("IDENTITY", "I", t))  # the identity matrix (a declared I shadows it)
            return i + 1
        if t.value == "\\mathrm" and [u.value for u in toks[i + 1 : i + 4]] == ["{", "d", "}"]:
            if i + 4 < len(toks) and toks[i + 4].value in ("_", "'"):
                raise ReadError(m.DifferentialScripts(), toks[i + 4].start)
            out.append(_tok("D", "d", t))  # upright d: the differential, as in \frac{\mathrm{d}L}{\mathrm{d}w}
            if i + 4 < len(toks) and toks[i + 4].value == "^":  # \mathrm{d}^2: the order
                end = group_end(toks, i + 5)
                out.extend(self.run(toks[i + 4 : end]))
                return end
            return i + 4
        s = _read_scripts(toks, i + 1) if t.kind == "letter" else None
        if t.kind == "letter" and t.value in ("e", "d") and s is not None and s.sub is None and not s.primes:
            # Euler's number and the differential d, unless declared as names
            out.append(_tok("E_CONST" if t.value == "e" else "D", t.value, t))
            if s.sup is not None:
                out.extend(self.run(s.sup_toks))  # e^{u}, or the order of d^2
            return s.end
        if t.value in _CONDITIONING_BARS:
            raise ReadError(m.MidOutsideConditional(t.value), t.start)
        if t.kind == "cmd" and t.value not in GREEK and t.value not in DECORATORS:
            raise ReadError(m.UnsupportedCommand(t.value), t.start)
        end = i + 1
        if t.value in DECORATORS and end < len(toks) and toks[end].arg:
            end = group_end(toks, end)
        end = _read_scripts(toks, end).end
        name = self.text[t.start : toks[end - 1].end].strip() if end > i else t.value
        raise ReadError(m.Undeclared(name, suggest(name, self.keys)), t.start)


_CONDITIONING_BARS = ("\\mid", "\\vert")


def _mark_conditional(toks: list[Tok], j: int) -> None:
    """In the call of a conditional that opens at toks[j] (`P(y | x; \\theta)`), the bar and the semicolon
    written directly inside it (not inside a group of an argument) are its separators: mark them so the
    resolver hands the grammar _MID and _SEMI. Anywhere else a bare `|` stays refused as ambiguous."""
    if j >= len(toks) or toks[j].value != "(":
        return  # no argument list: the grammar says what is missing
    depth = 0
    for k in range(j, len(toks)):
        t = toks[k]
        if t.value in OPEN:
            depth += 1
        elif t.value in CLOSE:
            depth -= 1
            if depth == 0:
                return
        elif depth == 1 and ((t.kind == "char" and t.value in "|;") or t.value in _CONDITIONING_BARS):
            toks[k] = Tok("cond", ";" if t.value == ";" else "|", t.start, t.end)


def _is_name_token(t: Tok) -> bool:
    """A letter or a Greek command: what makes `x^{i+1}` an element rather than a power `x^{-1}`."""
    return t.kind == "letter" or t.value in GREEK


def _hoist_scripts(toks: list[Tok], i: int) -> list[Tok] | None:
    """`\\hat{y_i}` as the tokens of `\\hat{y}_i`, or None when toks[i] is not a decorated scripted name."""
    if toks[i].value not in DECORATORS or i + 1 >= len(toks) or not toks[i + 1].arg:
        return None
    end = group_end(toks, i + 1)
    inner = toks[i + 2 : end - 1]
    k = next((n for n, t in enumerate(inner) if t.value in ("_", "^")), None)
    if not k:
        return None
    close = toks[end - 1]
    return [toks[i], toks[i + 1], *inner[:k], close, *inner[k:]]


def group_balanced(toks: list[Tok]) -> bool:
    """True when toks is one parenthesised group `( ... )`."""
    depth = 0
    for k, t in enumerate(toks):
        depth += 1 if t.value in OPEN else -1 if t.value in CLOSE else 0
        if depth == 0 and k < len(toks) - 1:
            return False
    return depth == 0


def _tok(kind: str, value: str, at: Tok) -> Token:
    return Token(kind, value, start_pos=at.start, end_pos=at.end, line=1, column=at.start + 1)
