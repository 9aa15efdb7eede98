"""LaTeX helpers shared by the LaTeX and Markdown formats: escaping prose, vetting math, the 'where' list."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from verifier import model

# Text-mode escapes. `<`, `>` and `|` are replaced too: in LaTeX's default OT1 encoding they print as
# other glyphs (¡ ¿ —).
_TEXT_SPECIAL: dict[str, str] = {
    "\\": r"\textbackslash{}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}

# Non-ASCII characters pdflatex cannot typeset without extra packages, written as math commands.
_UNICODE_MATH: dict[str, str] = {
    **dict(
        zip(
            "αβγδεζηθικλμνξπρςστυφχψω",
            (
                r"\alpha",
                r"\beta",
                r"\gamma",
                r"\delta",
                r"\epsilon",
                r"\zeta",
                r"\eta",
                r"\theta",
                r"\iota",
                r"\kappa",
                r"\lambda",
                r"\mu",
                r"\nu",
                r"\xi",
                r"\pi",
                r"\rho",
                r"\varsigma",
                r"\sigma",
                r"\tau",
                r"\upsilon",
                r"\phi",
                r"\chi",
                r"\psi",
                r"\omega",
            ),
            strict=True,
        )
    ),
    "Γ": r"\Gamma",
    "Δ": r"\Delta",
    "Θ": r"\Theta",
    "Λ": r"\Lambda",
    "Ξ": r"\Xi",
    "Π": r"\Pi",
    "Σ": r"\Sigma",
    "Φ": r"\Phi",
    "Ψ": r"\Psi",
    "Ω": r"\Omega",
    "≠": r"\neq",
    "≤": r"\leq",
    "≥": r"\geq",
    "≈": r"\approx",
    "→": r"\to",
    "←": r"\leftarrow",
    "⇒": r"\Rightarrow",
    "∂": r"\partial",
    "∑": r"\sum",
    "∏": r"\prod",
    "∞": r"\infty",
    "×": r"\times",
    "·": r"\cdot",
    "−": "-",
    "±": r"\pm",
    "∈": r"\in",
    "√": r"\surd",
    "∇": r"\nabla",
    "…": r"\dots",
    "✓": r"\checkmark",
    "✗": r"\times",
    "°": r"{}^\circ",
}
_UNICODE_TEXT: dict[str, str] = {
    "–": "--",
    "—": "---",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "\u00a0": "~",
    "ο": "o",
    "§": r"\S{}",
    "¶": r"\P{}",
    "…": r"\dots{}",
    "•": r"\textbullet{}",
    "«": "<<",
    "»": ">>",
    **{chr(0x2460 + k): r"\textcircled{\scriptsize " + str(k + 1) + "}" for k in range(9)},
}
_UNICODE_MATH.update(
    {
        "′": "'",
        "″": "''",
        "ᵀ": "{}^T",
        "⊤": r"\top",
        "ℝ": r"\mathbb{R}",
        "ℤ": r"\mathbb{Z}",
        "ℕ": r"\mathbb{N}",
        "²": "{}^2",
        "³": "{}^3",
        "¹": "{}^1",
        "⁻": "{}^-",
        "₀": "{}_0",
        "₁": "{}_1",
        "₂": "{}_2",
        "ᵢ": "{}_i",
        "ⱼ": "{}_j",
        "÷": r"\div",
        "∣": r"\mid",
        "∥": r"\parallel",
        "⟨": r"\langle",
        "⟩": r"\rangle",
        "ϵ": r"\epsilon",
        "ε": r"\varepsilon",
        "φ": r"\varphi",
        "ϕ": r"\phi",
        "∀": r"\forall",
        "∃": r"\exists",
        "≡": r"\equiv",
        "∝": r"\propto",
        "⇔": r"\Leftrightarrow",
        "↦": r"\mapsto",
        "∘": r"\circ",
        "⊂": r"\subset",
    }
)
_ACCENTS: dict[str, str] = {
    "\u0301": "'",
    "\u0300": "`",
    "\u0302": "^",
    "\u0308": '"',
    "\u0303": "~",
    "\u0304": "=",
    "\u0327": "c",
    "\u030c": "v",
    "\u0306": "u",
    "\u030a": "r",
}
# What stands for a run of characters pdflatex cannot typeset without extra packages (e.g. CJK text).
UNTYPESET = r"[\dots]"


def _unicode_to_latex(ch: str) -> str | None:
    """One non-ASCII character for pdflatex; None when it cannot be typeset (e.g. CJK)."""
    if ch in _UNICODE_TEXT:
        return _UNICODE_TEXT[ch]
    if ch in _UNICODE_MATH:
        return r"\ensuremath{" + _UNICODE_MATH[ch] + "}"
    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) == 2 and decomposed[0].isascii() and decomposed[1] in _ACCENTS:
        return "\\" + _ACCENTS[decomposed[1]] + "{" + decomposed[0] + "}"
    compat = unicodedata.normalize("NFKC", ch)
    if compat.isascii() and compat.isprintable():  # full-width punctuation, ligatures
        return "".join(_TEXT_SPECIAL.get(c, c) for c in compat)
    return None


def escape_text(text: str, ascii_only: bool = True) -> str:
    """Prose for LaTeX text mode (also inside `\\text{}`): special characters escaped, lines joined.

    `ascii_only` (pdflatex) rewrites non-ASCII characters, and a run of characters it cannot typeset
    becomes `[…]`; KaTeX takes them as they are.
    """
    out: list[str] = []
    lost = False  # inside a run of characters that cannot be typeset
    space = False  # a space seen inside such a run, written only if the run ends
    for ch in re.sub(r"\s+", " ", text):
        if ch == '"' and ascii_only:  # OT1 prints " as a closing quote: pick the opening one where it opens
            piece: str | None = "``" if not out or out[-1][-1:] in " ([{" else "''"
        elif ch in _TEXT_SPECIAL:
            piece = _TEXT_SPECIAL[ch]
        elif ascii_only and not ch.isascii():
            piece = _unicode_to_latex(ch)
        elif ch in _UNICODE_MATH:  # KaTeX refuses math-only symbols such as ≠ in text mode
            piece = "$" + _UNICODE_MATH[ch] + "$"
        else:
            piece = ch
        if piece is None:
            if not lost:
                out.append(UNTYPESET)
            lost, space = True, False
        elif lost and ch == " ":
            space = True
        else:
            if space:
                out.append(" ")
            lost = space = False
            out.append(piece)
    return "".join(out)


# Commands a title or a remark may use in its math parts. Step LaTeX was already accepted by the
# reader's grammar; titles and prose were not, so their math is vetted before it reaches pdflatex or
# KaTeX: an unknown or dangerous command (\input, \def, \write ...) makes the text print verbatim.
_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi "
    "varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi "
    "Pi Sigma Upsilon Phi Psi Omega"
)
_MATH_COMMANDS = frozenset(
    (
        _GREEK + " frac dfrac tfrac sqrt sum prod int partial nabla cdot times div pm mp log ln exp sin cos "
        "tan sinh cosh tanh max min arg argmax argmin lim left right big Big bigg Bigg bigl bigr Bigl "
        "Bigr biggl biggr Biggl Biggr hat widehat bar overline tilde widetilde vec dot ddot mathbf "
        "boldsymbol mathrm mathit mathbb mathcal mathsf operatorname text textrm prime neq ne le leq ge geq "
        "approx sim simeq equiv propto to rightarrow leftarrow Rightarrow Leftrightarrow mapsto infty quad "
        "qquad ldots cdots dots in notin subset subseteq forall exists mid top intercal lbrace rbrace "
        "langle rangle lVert rVert lvert rvert vert Vert ell cdotp land lor neg"
    ).split()
)
_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
_ALLOWED_SYMBOL_COMMANDS = frozenset({",", ";", "!", ":", "{", "}", "|", "_", " "})


def is_safe_math(tex: str) -> bool:
    """True when `tex` is ASCII math that pdflatex and KaTeX both accept as far as a quick look can tell:
    known commands only, balanced braces, none of `# % & $` and no line breaks."""
    if not tex.strip() or not tex.isascii() or any(c in tex for c in "#%&$\n\r"):
        return False
    depth = 0
    for ch in tex.replace("\\{", "").replace("\\}", ""):
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    if depth != 0:
        return False
    for m in _COMMAND.finditer(tex):
        name = m.group(1)
        if name not in _MATH_COMMANDS and name not in _ALLOWED_SYMBOL_COMMANDS:
            return False
    return True


_ATOM = r"(?:[A-Za-z]+|\\[A-Za-z]+(?:\s*\{[A-Za-z]+\}|\s+[A-Za-z])?)"
_SCRIPT = r"(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|[A-Za-z0-9]|\\[A-Za-z]+)"
_NAME = re.compile(rf"{_ATOM}(?:_{_SCRIPT})?(?:\^{_SCRIPT})?|{_ATOM}\^{_SCRIPT}_{_SCRIPT}")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?:/\d+)?")


def is_math_name(spelling: str) -> bool:
    """A symbol spelling such as `w`, `x_i`, `\\hat{y}_i`, `x^{(i)}_j` that is safe to typeset as math."""
    return bool(_NAME.fullmatch(spelling.strip())) and is_safe_math(spelling)


def is_number(value: str) -> bool:
    return bool(_NUMBER.fullmatch(value.strip()))


@dataclass(frozen=True)
class Part:
    """A run of prose or of inline math inside a title or remark."""

    math: bool
    text: str


def split_prose(text: str, whole_math_heuristic: bool = False) -> list[Part]:
    """Prose with `$…$` math parts, each math part vetted by `is_safe_math` (else kept as prose).

    With `whole_math_heuristic` (titles), a text without `$` that contains `\\`, `_` or `^` and is
    safe math is taken as one math part: the contract's own example title is `'\\partial L_i / \\partial w'`.
    """
    text = re.sub(r"\s+", " ", text).strip()
    if "$" not in text:
        if whole_math_heuristic and "\\" in text:
            # A trailing prose remark in parentheses stays prose: `\partial J / \partial \theta_j (seed 002)`.
            m = re.fullmatch(r"(.*?\S)\s+(\([^()$]*[A-Za-z]{3,}[^()$]*\))", text)
            head, tail = (m.group(1), m.group(2)) if m else (text, "")
            if is_safe_math(head):
                return [Part(True, head)] + ([Part(False, " " + tail)] if tail else [])
        return prose_math(text) if text else []
    pieces = re.split(r"(?<!\\)\$", text)
    if len(pieces) % 2 == 0:  # unbalanced dollars: all prose
        return [Part(False, text)]
    parts: list[Part] = []
    for k, piece in enumerate(pieces):
        if not piece:
            continue
        if k % 2 == 1 and is_safe_math(piece.strip()):
            parts.append(Part(True, piece.strip()))
        elif k % 2 == 1:
            parts.append(Part(False, f"${piece}$"))
        else:
            parts.extend(prose_math(piece))
    return parts


def prose_to_latex(
    text: str, whole_math_heuristic: bool = False, ascii_only: bool = True, bold_math: bool = False
) -> str:
    """Prose for LaTeX text mode (or inside `\\text{}`), keeping its vetted `$…$` math.

    `bold_math` sets the math in bold too, for headings (pdflatex only).
    """
    math = "{{\\boldmath${}$}}" if bold_math else "${}$"
    return "".join(
        math.format(p.text) if p.math else escape_text(p.text, ascii_only)
        for p in split_prose(text, whole_math_heuristic)
    )


_MD_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|`([^`]+)`")


def _text_with_math(text: str) -> str:
    return "".join(f"${p.text}$" if p.math else escape_text(p.text) for p in prose_math(text))


def markdown_to_latex(text: str) -> str:
    """A Markdown paragraph (a derivation's summary) in LaTeX: `$…$` math, **bold**, *emphasis*, `code`."""
    out = []
    for p in split_prose(text):
        if p.math:
            out.append(f"${p.text}$")
            continue
        last = 0
        for m in _MD_INLINE.finditer(p.text):
            out.append(_text_with_math(p.text[last : m.start()]))
            bold, emph, code = m.groups()
            if bold is not None:
                out.append(r"\textbf{" + escape_text(bold) + "}")
            elif emph is not None:
                out.append(r"\emph{" + escape_text(emph) + "}")
            else:
                out.append(r"\texttt{" + escape_text(code) + "}")
            last = m.end()
        out.append(_text_with_math(p.text[last:]))
    return "".join(out)


def math_key(spelling: str) -> str:
    """A declared spelling as math: a Latin word (`eta`, `lr_i`) in upright-italic `\\mathit`, else as is."""
    m = re.fullmatch(r"([A-Za-z]{2,})(.*)", spelling)
    if m:
        return r"\mathit{" + m.group(1) + "}" + m.group(2)
    return spelling


# How assumption words read in a "where" list (the symbol comes first).
_WORDS: dict[frozenset[str], str] = {
    frozenset({"positive", "integer"}): r"\in \{1, 2, \dots\}",
    frozenset({"nonnegative", "integer"}): r"\in \{0, 1, 2, \dots\}",
    frozenset({"negative", "integer"}): r"\in \{-1, -2, \dots\}",
}
_WORD: dict[str, str] = {
    "real": r"\in \mathbb{R}",
    "positive": r"> 0",
    "nonnegative": r"\geq 0",
    "negative": r"< 0",
    "integer": r"\in \mathbb{Z}",
    "nonzero": r"\neq 0",
    "unit": r"\in (0, 1)",
    "binary": r"\in \{0, 1\}",
}


def _conditions(words: tuple[str, ...]) -> list[str]:
    rest = set(words)
    out: list[str] = []
    for combo, text in _WORDS.items():
        if combo <= rest:
            out.append(text)
            rest -= combo
    if rest - {"real"}:
        rest.discard("real")  # implied by any of the other words
    order = list(_WORD)
    for w in sorted(rest, key=lambda w: order.index(w) if w in _WORD else len(order)):
        out.append(_WORD.get(w, r"\text{" + escape_text(w) + "}"))
    return out


@dataclass(frozen=True)
class WhereList:
    """What a derivation declares, as LaTeX: definitions (`lhs = rhs` pairs) and assumptions."""

    definitions: tuple[tuple[str, str], ...]
    assumptions: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.definitions or self.assumptions)


def step_math(tex: str, ascii_only: bool = True) -> str:
    """A step as the author wrote it; text the quick check does not trust is shown verbatim instead.

    `ascii_only`: pdflatex needs non-ASCII mapped; KaTeX (Markdown) takes it as it is.
    """
    flat = " ".join(tex.split())
    if is_safe_math(flat):
        return flat
    return r"\text{\texttt{" + escape_text(flat, ascii_only=ascii_only) + "}}"


def where_parts(d: model.Derivation | None, display: str, joiner: str, ascii_only: bool = True) -> str:
    """The "where" paragraph: definitions aligned at `=` in `display` (a format string with `{rows}`: the
    LaTeX `align*` or the Markdown `$$ aligned $$`), then the assumptions inline; parts joined by `joiner`."""
    wl = where_list(d)
    out = []
    if wl.definitions:
        rows = " \\\\\n".join(
            f"{step_math(lhs, ascii_only)} &= {step_math(rhs, ascii_only)}" for lhs, rhs in wl.definitions
        )
        out.append("where" + display.format(rows=rows))
    if wl.assumptions:
        lead = "for " if wl.definitions else "where "
        out.append(lead + ", ".join(f"${step_math(a, ascii_only)}$" for a in wl.assumptions) + ".")
    return joiner.join(out)


def where_list(d: model.Derivation | None) -> WhereList:
    """The 'where ŷ_i = σ(z_i), σ(t) = 1/(1+e^{-t}), w ∈ ℝ …' list of a derivation."""
    if d is None:
        return WhereList((), ())
    defs: list[tuple[str, str]] = []
    groups: dict[str, list[str]] = {}
    ranges: list[str] = []
    for s in d.symbols:
        key = math_key(s.key)
        if s.define is not None:
            defs.append((key, s.define.text.strip()))
        elif s.range is not None:
            ranges.append(f"{s.range[0].text.strip()} \\leq {key} \\leq {s.range[1].text.strip()}")
        elif s.components is not None:
            defs.append((key, f"({math_key(s.components)})"))
        for cond in _conditions(s.assume):
            groups.setdefault(cond, []).append(key)
    for f in d.functions:
        head = f"{math_key(f.key)}({', '.join(math_key(a) for a in f.args)})"
        if f.define is not None:
            defs.append((head, f.define.text.strip()))
    assumptions = [f"{', '.join(keys)} {cond}" for cond, keys in groups.items()] + ranges
    return WhereList(tuple(defs), tuple(assumptions))


# --- a rough width estimate of math, in em, to choose a layout that fits the page ---------------------

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}]|[_^]|\s+|.", re.DOTALL)
_WIDE_OPS = frozenset({"sum", "prod", "int"})
_WORD_OPS = frozenset({"log", "ln", "exp", "sin", "cos", "tan", "max", "min", "lim", "arg"})
_SIZERS = frozenset(
    {
        "left",
        "right",
        "big",
        "Big",
        "bigg",
        "Bigg",
        "bigl",
        "bigr",
        "Bigl",
        "Bigr",
        "biggl",
        "biggr",
        "Biggl",
        "Biggr",
    }
)
_SPACES = {",": 0.17, ";": 0.28, ":": 0.22, "!": -0.17, " ": 0.33, "quad": 1.0, "qquad": 2.0}
_ONE_ARG = frozenset(
    {
        "hat",
        "widehat",
        "bar",
        "overline",
        "tilde",
        "widetilde",
        "vec",
        "dot",
        "ddot",
        "mathbf",
        "boldsymbol",
        "mathrm",
        "mathit",
        "mathbb",
        "mathcal",
        "mathsf",
        "operatorname",
        "sqrt",
        "boxed",
    }
)


def _group(tokens: list[str], i: int) -> tuple[list[str], int]:
    """The tokens of the argument starting at i (a braced group or one token) and the index after it."""
    while i < len(tokens) and tokens[i].isspace():
        i += 1
    if i >= len(tokens):
        return [], i
    if tokens[i] != "{":
        return [tokens[i]], i + 1
    depth, j = 0, i
    while j < len(tokens):
        depth += (tokens[j] == "{") - (tokens[j] == "}")
        if depth == 0:
            return tokens[i + 1 : j], j + 1
        j += 1
    return tokens[i + 1 :], len(tokens)


def _width(tokens: list[str]) -> float:
    w = 0.0
    i = 0
    while i < len(tokens):
        t = tokens[i]
        i += 1
        if t.isspace() or t in "{}":
            continue
        if t in "^_":
            arg, i = _group(tokens, i)
            w += 0.7 * _width(arg)
        elif t.startswith("\\") and len(t) > 1:
            name = t[1:]
            if name in ("frac", "dfrac", "tfrac"):
                num, i = _group(tokens, i)
                den, i = _group(tokens, i)
                w += max(_width(num), _width(den)) + 0.3
            elif name in ("text", "textrm"):
                arg, i = _group(tokens, i)
                w += 0.45 * len("".join(arg))
            elif name in _ONE_ARG:
                arg, i = _group(tokens, i)
                w += _width(arg) + (0.8 if name == "sqrt" else 0.0)
            elif name in _SIZERS:
                w += 0.1
            elif name in _SPACES:
                w += _SPACES[name]
            elif name in _WIDE_OPS:
                w += 1.4
            elif name in _WORD_OPS:
                w += 0.5 * len(name) + 0.2
            elif name in ("cdot", "times", "neq", "leq", "geq", "approx", "to", "in"):
                w += 1.3
            else:
                w += 0.6
        elif t in "+-=<>":
            w += 1.3
        elif t in "()[]|,;.'":
            w += 0.4
        else:
            w += 0.55
    return w


def math_width(tex: str) -> float:
    """An estimate of how wide `tex` typesets in display style, in em (good to ±20% on typical steps)."""
    return _width(_TOKEN.findall(tex))


# --- math inside plain prose ----------------------------------------------------------------------
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
_MATH_SYMBOLS = {**_UNICODE_MATH, "Σ": r"\sum", "∑": r"\sum", "ᵀ": "^T", "…": r"\dots"}


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
    try:
        latex, _ = _scan(core)
    except _NotMath:
        return [Part(False, text)]
    latex = " ".join(latex.split())
    if not is_safe_math(latex):
        return [Part(False, text)]
    return [p for p in (Part(False, before), Part(True, latex), Part(False, after)) if p.text]


def prose_math(text: str) -> list[Part]:
    """Plain prose with its math-like spans (see the rule above) as math parts, the rest as text."""
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
