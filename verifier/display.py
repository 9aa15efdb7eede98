"""Display forms: expressions and names written as the author wrote them, for the checker to hand to reports.

The checker reads LaTeX into SymPy objects whose names are internal (`IndexedBase('x')[i, j]` for
`x^{(i)}_j`, Dummies for bound indices, `Subs(Derivative(σ(d), d), d, u)` for `σ'(u)`). `renamed`
replaces each of them by a `Shown` symbol (or function) that prints as the author's LaTeX in
`sympy.latex` and as Unicode (`x⁽³⁾₂`, `ŷᵢ`) in `sympy.pretty`, so no internal name reaches a report.
Reports receive only strings made here (in the `Outcome`); they never read LaTeX themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import sympy
from sympy.core.function import AppliedUndef, UndefinedFunction
from sympy.printing.pretty.stringpict import prettyForm
from sympy.printing.str import StrPrinter

from verifier.notation import Notation
from verifier.unicode_names import unicode_name

# The head of a spelling, before its scripts: `x` of `x^{(i)}_j`, `\\hat{y}` of `\\hat{y}_i`.
_HEAD = re.compile(r"\\[A-Za-z]+\s*\{[^{}]*\}|\\[A-Za-z]+|\{[^{}]*\}|[A-Za-z]+")


class Shown(sympy.Symbol):
    """A name as the author spelled it: its `name` is the LaTeX spelling, printed as is by `sympy.latex`
    and as Unicode by `sympy.pretty` and `str`."""

    def _latex(self, printer: Any) -> str:
        return "{" + self.name + "}" if re.search(r"[_^']", self.name) else self.name

    def _pretty(self, printer: Any) -> prettyForm:
        return prettyForm(unicode_name(self.name))

    def _sympystr(self, printer: Any) -> str:
        return unicode_name(self.name)


def _shown_function(spelling: str) -> UndefinedFunction:
    """A function head printed as the author spelled it (`\\sigma'`, `h_\\theta`)."""

    def latex(self: AppliedUndef, printer: Any) -> str:
        args = ", ".join(printer._print(a) for a in self.args)
        return spelling + r"\left(" + args + r"\right)"

    def pretty(self: AppliedUndef, printer: Any) -> prettyForm:
        args = printer._print_seq(self.args, "(", ")")
        return prettyForm(*args.left(unicode_name(spelling)))

    def text(self: AppliedUndef, printer: Any) -> str:
        return unicode_name(spelling) + "(" + ", ".join(printer._print(a) for a in self.args) + ")"

    name = "shown_" + re.sub(r"\W", "_", spelling)
    return UndefinedFunction(name, __dict__={"_latex": latex, "_pretty": pretty, "_sympystr": text})


def index_latex(index: sympy.Basic, names: dict[sympy.Basic, sympy.Basic] | None = None) -> str:
    """An index as LaTeX (`3`, `k`, `k+1`): bound indices under their shown names."""
    plain = index.xreplace(names or {}).xreplace({d: Shown(d.name) for d in index.atoms(sympy.Dummy)})
    if isinstance(plain, Shown):
        return plain.name
    return sympy.latex(plain)


def element_spelling(spelling: str, formal: Iterable[sympy.Symbol], actual: Iterable[sympy.Basic]) -> str:
    """A family element in the author's spelling: `x^{(i)}_j` with (i, j) ↦ (3, 2) is `x^{(3)}_2`,
    `w_{ij}` with (i, j) ↦ (k, k) is `w_{kk}`, and with (1, 2) it is `w_{1,2}`.

    A script made only of formal indices (`{ij}`, `{i,j}`) gets the actual ones, comma-separated when
    one is longer than a character; elsewhere a formal index is replaced where it stands as a name of
    its own (the `i` of `\\sin` is not one), braced when longer than one character.
    """
    head = _HEAD.match(spelling)
    cut = head.end() if head else 0
    names = {
        str(f): index_latex(a) if isinstance(a, sympy.Basic) else str(a)
        for f, a in zip(formal, actual, strict=False)
    }
    if not names:
        return spelling
    alternatives = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    only_indices = re.compile(rf"\s*(?:(?:{alternatives})\s*,?\s*)+")
    alone = re.compile(rf"(?<![A-Za-z\\])({alternatives})(?![A-Za-z])")

    def group(m: re.Match[str]) -> str:
        body = m.group(2)
        if not only_indices.fullmatch(body):
            return m.group(1) + "{" + alone.sub(single, body) + "}"
        parts = [names[n] for n in re.findall(alternatives, body)]
        # `w_{kk}` as written; `w_{1,1}`, not `w_{11}` (eleven): commas unless every index is one letter
        sep = "," if "," in body or not all(len(p) == 1 and p.isalpha() for p in parts) else ""
        return m.group(1) + "{" + sep.join(parts) + "}"

    def single(m: re.Match[str]) -> str:
        s = m.string
        if s[m.start() - 1 : m.start()] in "(," and s[m.end() : m.end() + 1] in "),":
            return names[m.group(1)]  # already delimited: x^{(12)}
        return bare(m.group(1))

    def bare(name: str) -> str:
        text = names.get(name, name)
        return text if len(text) == 1 else "{" + text + "}"

    rest = re.sub(r"([_^])\{([^{}]*)\}", group, spelling[cut:])
    # bare scripts (`x_i`, `x^i`) and names inside nested groups (`x^{(i)}`)
    rest = re.sub(r"([_^])([A-Za-z])", lambda m: m.group(1) + bare(m.group(2)), rest)
    return spelling[:cut] + rest


def _label(base: sympy.IndexedBase) -> str:
    """A base's name as written: a defined vector's entries (declarations._shaped_definition) have a
    Dummy label, shown by its name (h, not _h)."""
    label = base.label
    return label.name if isinstance(label, sympy.Dummy) else str(label)


def spelling(atom: sympy.Basic, notation: Notation) -> str:
    """The LaTeX spelling of a symbol or a family element (with its actual indices) as the author writes it."""
    if isinstance(atom, sympy.Indexed):
        for name, fam in notation.families.items():
            if fam.base == atom.base:
                return element_spelling(name, fam.indices, atom.indices)
        return _label(atom.base) + "_{" + ",".join(index_latex(i) for i in atom.indices) + "}"
    if isinstance(atom, sympy.Dummy):
        return atom.name
    return notation.spelling_of(atom)


def _bound_names(expr: sympy.Basic, free: set[str]) -> dict[sympy.Basic, sympy.Basic]:
    """Bound variables (Dummies) under shown names. One whose name a free name or an enclosing sum's
    variable already uses gets primes, so a bound index never prints like a free one (Σ_{k′} w_{k k′}
    beside a free k); sibling sums may share a name."""
    out: dict[sympy.Basic, sympy.Basic] = {}

    def walk(e: sympy.Basic, scope: frozenset[str]) -> None:
        if isinstance(e, sympy.Sum | sympy.Product):
            inner = set(scope)
            for lim in e.limits:
                var = lim[0]
                for bound in lim[1:]:
                    walk(bound, frozenset(inner))
                if isinstance(var, sympy.Dummy) and var not in out:
                    name = var.name.lstrip("_") or "k"
                    while name in inner or name in free:
                        name += "'"
                    out[var] = Shown(name)
                if var in out:
                    inner.add(str(out[var].name))
            walk(e.function, frozenset(inner))
            return
        for a in e.args:
            walk(a, scope)

    walk(expr, frozenset())
    for d in expr.atoms(sympy.Dummy):  # a Dummy outside any sum (the variable of a derivative's Subs)
        if d not in out:
            out[d] = Shown(d.name.lstrip("_") or "t")
    return out


def renamed(expr: sympy.Basic, notation: Notation) -> sympy.Basic:
    """The expression with every name printed as the author spelled it (see the module docstring)."""
    free = {notation.spelling_of(s) for s in expr.free_symbols if not isinstance(s, sympy.Dummy)}
    free |= {s.name for s in expr.free_symbols if isinstance(s, sympy.Symbol) and not isinstance(s, sympy.Dummy)}
    bound = _bound_names(expr, set(free))
    mapping: dict[sympy.Basic, sympy.Basic] = dict(bound)
    for sym in expr.free_symbols:
        if isinstance(sym, sympy.Symbol) and not isinstance(sym, sympy.Dummy):
            mapping[sym] = Shown(spelling(sym, notation))
    families = {fam.base: (name, fam.indices) for name, fam in notation.families.items()}
    for element in expr.atoms(sympy.Indexed):
        name, formal = families.get(element.base, (_label(element.base), ()))
        actual = tuple(i.xreplace(bound) for i in element.indices)
        if formal:
            mapping[element] = Shown(element_spelling(name, formal, actual))
        else:
            mapping[element] = Shown(name + "_{" + ",".join(sympy.latex(i) for i in actual) + "}")
    heads = {spec.head: name for name, spec in notation.functions.items()}

    def prime(e: sympy.Subs) -> sympy.Basic:
        """`Subs(Derivative(f(d), d, …), d, u)` is how `f'(u)`, `f''(u)` are read: print them so."""
        (inner,) = e.args[:1]
        if (
            isinstance(inner, sympy.Derivative)
            and isinstance(inner.expr, AppliedUndef)
            and inner.expr.func in heads
            and len(set(inner.variables)) == 1
            and len(e.variables) == 1
            and inner.expr.args == e.variables
        ):
            return _shown_function(heads[inner.expr.func] + "'" * len(inner.variables))(*e.point)
        return e

    # SymPy's replace rebuilds the whole tree even where nothing matches: only run where something does
    out = expr.replace(lambda e: isinstance(e, sympy.Subs), prime) if expr.has(sympy.Subs) else expr
    out = out.xreplace(mapping)
    if not any(f.func in heads for f in out.atoms(AppliedUndef)):
        return out
    return out.replace(
        lambda e: isinstance(e, AppliedUndef) and e.func in heads,
        lambda e: _shown_function(heads[e.func])(*e.args),
    )


def latex(expr: sympy.Basic, notation: Notation) -> str:
    """SymPy's LaTeX of an expression, in the author's names."""
    return sympy.latex(renamed(expr, notation))


class _OneLine(StrPrinter):
    """SymPy's text form with sums and products as Σ and ∏ (`Σ_{k=1…m}(x_k)`), not `Sum(x_k, (k, 1, m))`."""

    def _big(self, mark: str, e: sympy.Sum | sympy.Product) -> str:
        limits = ", ".join(f"{self._print(v)}={self._print(lo)}…{self._print(hi)}" for v, lo, hi in e.limits)
        return f"{mark}_{{{limits}}}({self._print(e.function)})"

    def _print_Sum(self, e: sympy.Sum) -> str:
        return self._big("Σ", e)

    def _print_Product(self, e: sympy.Product) -> str:
        return self._big("∏", e)


def one_line(expr: sympy.Basic) -> str:
    """A one-line Unicode form, for maths inside a plain-text message: SymPy's pretty form when it is one
    line, else its text form with Σ for sums, ^ for powers and ⋅ for products."""
    if not _stacked(expr):
        form = sympy.pretty(expr, use_unicode=True, wrap_line=False)
        if "\n" not in form:
            return form
    return _OneLine().doprint(expr).replace("**", "^").replace("*", "⋅")


def _stacked(expr: sympy.Basic) -> bool:
    """Whether SymPy's pretty form is surely more than one line: a sum or product (its limits above and
    below) or a quotient (a fraction bar) is, and laying it out only to find so was most of a message."""
    return expr.has(sympy.Sum, sympy.Product) or any(
        p.exp.is_negative for p in expr.atoms(sympy.Pow) if p.exp.is_Number
    )


def preload() -> None:
    """Import now what SymPy's pretty printer imports on its first product: `sympy.physics.units`, for
    its Quantity check, about 0.1 s. A refuted step's diagnosis writes its maths with that printer
    (`one_line`) in the child or worker that decided it, so a child or worker forked after this inherits
    the module instead of importing it again (on the 14-file yardstick, one import per child was a
    tenth of the children's work)."""
    import sympy.physics.units  # noqa: F401


def pretty(expr: sympy.Basic, notation: Notation) -> str:
    """SymPy's Unicode pretty form of an expression, in the author's names (never wrapped)."""
    return sympy.pretty(renamed(expr, notation), use_unicode=True, wrap_line=False)
