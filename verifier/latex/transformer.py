"""Parse tree → SymPy, following the reader's contract (docs/architecture.md); vectors live only inside."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeAlias

import sympy
from lark import Token, Transformer, v_args
from lark.tree import Meta

from verifier.latex import messages as m
from verifier.latex.builtins import BUILTIN_FUNCTIONS, MAX_MIN
from verifier.latex.errors import ReadError
from verifier.latex.scope import Scope, VecInfo

MAX_EXPONENT = 1000  # |n| of a numeric exponent: keeps later expansion and evaluation bounded
MAX_RESULT_DIGITS = 300
MAX_ORDER = 10  # of a derivative: \frac{d^{n}}{dx^{n}}


@dataclass(frozen=True)
class VecVal:
    """A vector operand (`\\mathbf{w}`, `x^{(i)}`, `\\theta^T`): only a dot product or a vector
    parameter may consume it."""

    info: VecInfo
    fixed: tuple[sympy.Expr, ...]
    transposed: bool
    offset: int

    def component(self, k: sympy.Expr) -> sympy.Expr:
        return sympy.Indexed(self.info.base, *self.fixed, k)


Value: TypeAlias = sympy.Expr | VecVal
Lower: TypeAlias = tuple[sympy.Symbol, sympy.Expr | None, int]  # index, start, offset


def scalar(v: Value, what: str = "here") -> sympy.Expr:
    """v itself when it is a scalar; a located error for a vector."""
    if isinstance(v, VecVal):
        raise ReadError(m.VectorAsNumber(v.info.spelling, what), v.offset)
    return v


def _start(meta: Meta) -> int:
    """The offset where a rule's text starts (0 when the parser recorded none)."""
    return int(getattr(meta, "start_pos", 0) or 0)


def finite(e: sympy.Expr) -> sympy.Expr:
    """Refuse what SymPy turned into infinity or nan (1/0, \\log 0): no step can mean that."""
    if e.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ReadError(m.NotFinite(str(e)), 0)
    return e


def dot(a: VecVal, b: VecVal) -> sympy.Expr:
    """Σ_k a_k b_k over the component range, with a fresh integer dummy k."""
    ra, rb = a.info.comp, b.info.comp
    if ra is None and rb is None:
        raise ReadError(m.DotLengthUnknown(), a.offset)
    if ra is not None and rb is not None and (ra.lower, ra.upper) != (rb.lower, rb.upper):
        shown = (f"{ra.lower}..{ra.upper}", f"{rb.lower}..{rb.upper}")
        raise ReadError(m.DifferentLengths(a.info.spelling, b.info.spelling, *shown), b.offset)
    r = ra if ra is not None else rb
    assert r is not None
    k = sympy.Dummy("k", integer=True)
    return sympy.Sum(a.component(k) * b.component(k), (k, r.lower, r.upper))


def _number(text: str) -> sympy.Expr:
    """A decimal literal (digits already checked by the scanner), built without parsing strings."""
    whole, _, frac = text.partition(".")  # `.5` has no whole part
    if not frac:
        return sympy.Integer(int(whole))
    return sympy.Rational(int((whole or "0") + frac), 10 ** len(frac))


def _check_power(base: sympy.Expr, exp: sympy.Expr, offset: int) -> None:
    """Refuse numeric powers that would be huge before SymPy evaluates them."""
    if exp.is_Number and abs(exp) > MAX_EXPONENT and base != sympy.E:
        raise ReadError(m.ExponentTooLarge(str(exp), MAX_EXPONENT), offset)
    if base.is_Rational and exp.is_Integer and base not in (0, 1, -1):
        p, q = base.as_numer_denom()
        size = abs(int(exp)) * math.log10(max(abs(int(p)), abs(int(q)), 2))
        if size > MAX_RESULT_DIGITS:
            raise ReadError(m.PowerTooLarge(int(size)), offset)


def fresh_bound(e: sympy.Basic) -> sympy.Basic:
    """e with every sum's and product's bound variable renamed to a fresh Dummy (scopes kept:
    a limit's variable is renamed in the summand and in the bounds of the limits inside it)."""
    if isinstance(e, sympy.Sum | sympy.Product):
        f = fresh_bound(e.function)  # inner binders first, so the renaming below meets only ours
        limits = [[lim[0], fresh_bound(lim[1]), fresh_bound(lim[2])] for lim in e.limits]
        for n, lim in enumerate(limits):
            rename = {lim[0]: sympy.Dummy(lim[0].name, integer=True)}
            f = f.xreplace(rename)
            for inner in limits[:n]:
                inner[1], inner[2] = inner[1].xreplace(rename), inner[2].xreplace(rename)
            lim[0] = rename[lim[0]]
        return e.func(f, *[tuple(lim) for lim in limits])
    if not e.args or not e.has(sympy.Sum, sympy.Product):
        return e
    return e.func(*[fresh_bound(a) for a in e.args])


@v_args(inline=True)
class Builder(Transformer[Token, object]):
    """Builds SymPy expressions from the parse tree in one scope."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    # -- start symbols and relations
    def start_expr(self, e: Value) -> sympy.Expr:
        return finite(scalar(e))

    def eq(self, a: Value, b: Value) -> sympy.Basic:
        return sympy.Eq(finite(scalar(a)), finite(scalar(b)), evaluate=False)

    def ne(self, a: Value, b: Value) -> sympy.Basic:
        return sympy.Ne(finite(scalar(a)), finite(scalar(b)), evaluate=False)

    def lt(self, a: Value, b: Value) -> sympy.Basic:
        return sympy.Lt(finite(scalar(a)), finite(scalar(b)), evaluate=False)

    def le(self, a: Value, b: Value) -> sympy.Basic:
        return sympy.Le(finite(scalar(a)), finite(scalar(b)), evaluate=False)

    def gt(self, a: Value, b: Value) -> sympy.Basic:
        return sympy.Gt(finite(scalar(a)), finite(scalar(b)), evaluate=False)

    def ge(self, a: Value, b: Value) -> sympy.Basic:
        return sympy.Ge(finite(scalar(a)), finite(scalar(b)), evaluate=False)

    def start_relation(self, rel: sympy.Basic) -> sympy.Basic:
        return rel

    def indicator(self, _one: Token, rel: sympy.Basic) -> sympy.Expr:
        """`\\mathbb{1}\\{y = 1\\}`: 1 where the relation holds, else 0."""
        return sympy.Piecewise((1, rel), (0, True))

    # -- arithmetic
    def plus_term(self, _plus: Token, term: Value) -> sympy.Expr:
        return scalar(term)

    def minus_term(self, _minus: Token, term: Value) -> sympy.Expr:
        return -scalar(term)

    def terms(self, first: Value, *more: sympy.Expr) -> sympy.Expr:
        """first ± term ± …, each later term already carrying its sign."""
        return sympy.Add(scalar(first), *more)

    def neg(self, _minus: Token, a: Value) -> sympy.Expr:
        return -scalar(a)

    def pos(self, _plus: Token, a: Value) -> sympy.Expr:
        return scalar(a)

    def times(self, star: Token, factor: Value) -> Value:
        if str(star) == "\\times" and isinstance(factor, VecVal):
            # w × u is a cross product, never the dot product a `\cdot` would be
            raise ReadError(m.CrossProduct(factor.info.spelling), star.start_pos or 0)
        return factor

    def over(self, _slash: Token, factor: Value) -> sympy.Expr:
        return 1 / scalar(factor)

    def factors(self, first: Value, *more: Value) -> Value:
        """first · f / g …: `\\cdot` between two vectors is their dot product."""
        # Collected into one Mul at the end: multiplying one factor at a time re-flattens the growing
        # product each time, which is quadratic (a 1 400-factor chain took 15 s).
        if isinstance(first, VecVal) and more and isinstance(more[0], VecVal):
            out = [dot(first, more[0])]
            more = more[1:]
        else:
            out = [scalar(first)]
        out += [scalar(f) for f in more]
        return sympy.Mul(*out)

    def implicit(self, *factors: Value) -> sympy.Expr:
        """Juxtaposition; a transposed vector next to a vector is their dot product (θ^T x)."""
        out: list[sympy.Expr] = []
        k = 0
        while k < len(factors):
            f = factors[k]
            if isinstance(f, VecVal) and f.transposed and k + 1 < len(factors):
                g = factors[k + 1]
                if isinstance(g, VecVal) and not g.transposed:
                    out.append(dot(f, g))
                    k += 2
                    continue
            out.append(scalar(f))
            k += 1
        return sympy.Mul(*out)

    def power(self, base: Value, caret: Token, exp: Value) -> sympy.Expr:
        b, e = scalar(base, "as a base"), scalar(exp, "as an exponent")
        _check_power(b, e, caret.start_pos or 0)
        return sympy.Pow(b, e)

    def brace(self, x: Value) -> Value:
        return x

    def abs(self, x: Value) -> sympy.Expr:
        return sympy.Abs(scalar(x))

    def frac(self, a: Value, b: Value) -> sympy.Expr:
        return scalar(a) / scalar(b)

    def sqrt(self, n: Value | None, x: Value) -> sympy.Expr:
        if n is None:
            return sympy.sqrt(scalar(x))
        index, radicand = scalar(n), scalar(x)
        if index.is_Integer and index % 2 == 1 and radicand.is_real is not False:
            # an odd root of a real is the real root, as on paper (∛−8 = −2), not SymPy's principal one
            return sympy.real_root(radicand, index)
        return sympy.root(radicand, index)

    @v_args(inline=True, meta=True)
    def log(self, meta: Meta, base: Value | None, x: Value) -> sympy.Expr:
        if base is None:
            return sympy.log(scalar(x))
        b = scalar(base)
        if b.is_number and (b.is_positive is False or b == 1):
            raise ReadError(m.LogBase(str(b)), _start(meta))
        return sympy.log(scalar(x), b)

    def builtin(self, name: Token, x: Value) -> sympy.Expr:
        return BUILTIN_FUNCTIONS[str(name)](scalar(x))

    def builtin_power(self, name: Token, caret: Token, exp: Value, x: Value) -> sympy.Expr:
        e = scalar(exp, "as an exponent")
        if e.is_number and e.is_negative:
            # \sin^{-1} x: the inverse function in some books, 1/sin x in others
            raise ReadError(m.NegativeFunctionPower(str(name)), caret.start_pos or 0)
        value = BUILTIN_FUNCTIONS[str(name)](scalar(x))
        _check_power(value, e, caret.start_pos or 0)
        return sympy.Pow(value, e)

    def maxmin(self, name: Token, args: tuple[Value, ...]) -> sympy.Expr:
        if len(args) < 2:
            raise ReadError(m.MaxMinArguments(str(name)), name.start_pos or 0)
        return MAX_MIN[str(name)](*(scalar(a, f"as an argument of {name}") for a in args))

    def ln(self, x: Value) -> sympy.Expr:
        return sympy.log(scalar(x))

    def exp(self, x: Value) -> sympy.Expr:
        return sympy.exp(scalar(x))

    # -- names
    def symbol(self, tok: Token) -> sympy.Expr:
        return self.scope.symbols[str(tok)]

    def number(self, tok: Token) -> sympy.Expr:
        return _number(str(tok))

    def euler(self, _tok: Token) -> sympy.Expr:
        return sympy.E

    def pi(self, _tok: Token) -> sympy.Expr:
        return sympy.pi

    @v_args(inline=True, meta=True)
    def indices(self, meta: Meta, *items: Value) -> tuple[sympy.Expr, ...]:
        out = tuple(scalar(v, "as an index") for v in items)
        for v in out:
            if v.is_number and not v.is_integer:
                raise ReadError(m.IndexNotInteger(str(v)), _start(meta))
        return out

    def args(self, *items: Value) -> tuple[Value, ...]:
        return items

    def family(self, tok: Token, idx: tuple[sympy.Expr, ...]) -> sympy.Expr:
        fam = self.scope.families[str(tok)]
        return sympy.Indexed(fam.base, *idx)

    def vector(self, tok: Token, idx: tuple[sympy.Expr, ...] | None, transpose: Token | None) -> VecVal:
        info = self.scope.vectors[str(tok)]
        return VecVal(info, idx or (), transpose is not None, tok.start_pos or 0)

    def apply(self, tok: Token, prime: Token | None, args: tuple[Value, ...]) -> sympy.Expr:
        name = str(tok)
        spec = self.scope.functions[name]
        at = tok.start_pos or 0
        if len(args) != len(spec.params):
            plural = "s" if len(spec.params) != 1 else ""
            raise ReadError(m.ArgumentCount(name, len(spec.params), len(args), plural), at)
        if spec.vector_params:
            if prime is not None:
                raise ReadError(m.VectorFunctionPrime(name), at)
            return self._expand(name, args, at)
        values = [scalar(a, f"as an argument of {name}") for a in args]
        if prime is not None:
            if len(values) != 1:
                raise ReadError(m.PrimeNeedsOneArgument(name), at)
            d = sympy.Dummy("d")
            return sympy.Subs(sympy.Derivative(spec.head(d), (d, len(str(prime)))), d, values[0])
        return spec.head(*values)

    def _expand(self, name: str, args: tuple[Value, ...], at: int) -> sympy.Expr:
        """A function of a vector: its body with the arguments substituted (vectors have no SymPy value)."""
        spec = self.scope.functions[name]
        if spec.body is None:
            raise ReadError(m.VectorFunctionOrder(name), at)
        # the arguments may mention an index the body sums over (S(x^{(i)}) with Σ_i in S's body):
        # give the body's bound variables fresh names first, so nothing is captured
        body = fresh_bound(spec.body)
        scalars: dict[sympy.Basic, sympy.Basic] = {}
        for p, a in zip(spec.params, args, strict=True):
            if p.name in spec.vector_params:
                if not isinstance(a, VecVal) or a.transposed:
                    raise ReadError(m.VectorArgumentExpected(name, p.name), getattr(a, "offset", at))
                vec = a
                label = sympy.IndexedBase(p)
                body = body.replace(
                    lambda e, label=label: isinstance(e, sympy.Indexed) and e.base == label,
                    lambda e, vec=vec: vec.component(*e.indices),
                )
            else:
                scalars[p] = scalar(a, f"as an argument of {name}")
        return body.xreplace(scalars)

    # -- sums, products, derivatives
    def lower(self, tok: Token, start: Value | None) -> Lower:
        sym = self.scope.symbols[str(tok)]
        if sym not in self.scope.indices:
            raise ReadError(m.NotAnIndex(str(tok)), tok.start_pos or 0)
        assert isinstance(sym, sympy.Symbol)
        return sym, None if start is None else scalar(start), tok.start_pos or 0

    def upper(self, _caret: Token, e: Value) -> sympy.Expr:
        return scalar(e)

    def bigop(self, op: Token, lower: Lower, upper: sympy.Expr | None, body: Value) -> sympy.Expr:
        sym, start, _ = lower
        r = self.scope.indices[sym]
        limits = (sym, r.lower if start is None else start, r.upper if upper is None else upper)
        cls = sympy.Sum if str(op) == "\\sum" else sympy.Product
        return cls(scalar(body, "in a sum"), limits)

    def bigop_upper_first(self, op: Token, upper: sympy.Expr, lower: Lower, body: Value) -> sympy.Expr:
        return self.bigop(op, lower, upper, body)

    def dmark(self, tok: Token) -> Token:
        return tok

    def _variable(self, v: Value, at: int) -> sympy.Expr:
        if isinstance(v, VecVal):
            raise ReadError(m.DerivativeByVector(), v.offset)
        if v in self.scope.indices:
            # an index is an integer label, not a variable: ∂x_i/∂i has no meaning
            raise ReadError(m.DerivativeByIndex(str(v)), at)
        return v

    def dorder(self, caret: Token, n: Token) -> tuple[int, int]:
        order = _number(str(n))
        if not (order.is_Integer and 1 <= int(order) <= MAX_ORDER):
            raise ReadError(m.DerivativeOrder(str(n), MAX_ORDER), caret.start_pos or 0)
        return int(order), caret.start_pos or 0

    def dnum(self, _mark: Token, order: tuple[int, int] | None) -> int:
        return 1 if order is None else order[0]

    @v_args(inline=True, meta=True)
    def dpart(self, meta: Meta, _mark: Token, var: Value, order: tuple[int, int] | None) -> tuple[sympy.Expr, int]:
        return self._variable(var, _start(meta)), 1 if order is None else order[0]

    @v_args(inline=True, meta=True)
    def dden(self, meta: Meta, *parts: tuple[sympy.Expr, int]) -> tuple[tuple[sympy.Expr, int], ...]:
        return (*parts, (sympy.Integer(0), _start(meta)))  # the last pair carries the position

    def _derive(self, e: sympy.Expr, top: int, den: tuple[tuple[sympy.Expr, int], ...]) -> sympy.Expr:
        *parts, (_, at) = den
        bottom = sum(n for _, n in parts)
        if bottom != top:
            raise ReadError(m.DerivativeOrders(top, bottom), at)
        # ∂²L/∂w∂b is ∂/∂w (∂L/∂b): the variable written last is taken first
        return sympy.Derivative(e, *reversed(parts), evaluate=False)

    def derivative(self, top: int, num: Value, den: tuple[tuple[sympy.Expr, int], ...]) -> sympy.Expr:
        return self._derive(scalar(num, "in a derivative"), top, den)

    def diffop(self, top: int, den: tuple[tuple[sympy.Expr, int], ...], body: Value) -> sympy.Expr:
        return self._derive(scalar(body, "in a derivative"), top, den)
