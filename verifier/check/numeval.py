"""A direct evaluator for probe points: walks the SymPy tree once, loops over finite sums.

Two kinds of arithmetic (see compare.py for how values are compared):

- exact (`prec=None`): rationals (python-flint `fmpq`), for the part of mathematics that stays rational:
  +, −, ×, ÷, integer powers, |x|, sign, max, min. Anything else raises `Inexact`, and the caller evaluates again
  with balls. A rational step pair is thus compared with no tolerance at all.
- balls (`prec` bits): `arb` (real) and `acb` (complex) balls, midpoint and certified radius. A value the
  balls cannot settle at this precision (a division by a ball around 0, log of such a ball, a condition
  on its edge) raises `Unsure`, and the caller retries at a higher precision.

Why not `doit()` + `evalf`: expanding a sum with SymPy builds thousands of new objects and asks the
assumptions system about each one (seconds per point for a logistic cost over m samples); walking
the tree with numbers takes milliseconds. Variables get values on first use, from `sample`, so
elements of an expanded sum (x_2, x_3) are drawn exactly when they are needed. Every variable's value
is an exact SymPy number (a rational, or a closed form such as √91/10 solved from an equation).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sympy
from flint import acb, arb, ctx, fmpq
from sympy import Indexed, KroneckerDelta, Piecewise, Product, Subs, Sum
from sympy.core.function import AppliedUndef
from sympy.core.relational import Relational

from verifier.check.memo import Table

Key = Any  # a Symbol, or (IndexedBase, (int, ...)) for a family element
Num = Any  # fmpq (exact), arb or acb (balls)

# An exact power whose result would have more bits than this is left to the balls.
MAX_EXACT_BITS = 200_000
# A sum or product with more terms than this is not expanded at a probe point.
MAX_TERMS = 10_000


class Unsupported(Exception):
    """A node this evaluator does not know; the caller falls back to SymPy's evalf."""


class Undefined(Exception):
    """The value does not exist here (division by zero, log 0)."""


class Inexact(Exception):
    """Exact arithmetic cannot represent this value (a transcendental function, an irrational root)."""


class Unsure(Exception):
    """The balls are too wide at this precision to say whether the value exists or which branch holds."""


@contextmanager
def precision(bits: int) -> Iterator[None]:
    """python-flint's working precision is global: set it for one evaluation and put it back."""
    saved = ctx.prec
    ctx.prec = bits
    try:
        yield
    finally:
        ctx.prec = saved


# SymPy function → the arb/acb method of the same meaning (principal branches, as SymPy's)
_METHODS: dict[type, str] = {
    sympy.exp: "exp",
    sympy.log: "log",
    sympy.sin: "sin",
    sympy.cos: "cos",
    sympy.tan: "tan",
    sympy.sinh: "sinh",
    sympy.cosh: "cosh",
    sympy.tanh: "tanh",
    sympy.asin: "asin",
    sympy.acos: "acos",
    sympy.atan: "atan",
    sympy.asinh: "asinh",
    sympy.acosh: "acosh",
    sympy.atanh: "atanh",
}


# What a node is, by its class (looked up once per class: the walk is the probe's hot loop).
_SYMBOL, _ADD, _MUL, _POW, _NUMBER, _INDEXED, _CONSTANT, _LOOP, _OTHER = range(9)
_KINDS: dict[type, int] = {}


def _kind(e: sympy.Basic) -> int:
    if isinstance(e, sympy.Symbol):
        return _SYMBOL
    if isinstance(e, sympy.Add):
        return _ADD
    if isinstance(e, sympy.Mul):
        return _MUL
    if isinstance(e, sympy.Pow):
        return _POW
    if isinstance(e, sympy.Rational | sympy.Float):
        return _NUMBER
    if isinstance(e, Indexed):
        return _INDEXED
    if e is sympy.pi or e is sympy.E or e is sympy.I:
        return _CONSTANT
    if isinstance(e, Sum | Product):
        return _LOOP
    return _OTHER


def _finite(v: Num) -> bool:
    return bool(v.is_finite())


def _real(v: Num) -> Num:
    """An acb whose imaginary part is exactly 0 as an arb (so real-only methods apply)."""
    if isinstance(v, acb) and v.imag.is_zero():
        return v.real
    return v


def _contains_zero(v: Num) -> bool:
    return bool(v.contains(0))


def _exactly_zero(v: Num) -> bool:
    return bool(v.is_zero())


def rational(v: sympy.Rational) -> fmpq:
    return fmpq(int(v.p), int(v.q))


# One instance per family base. A variable's key is (base, indices); equal bases read or rebuilt apart
# are distinct objects, and every dict lookup of a key holding another instance compared the two with
# SymPy's __eq__, which rebuilds both sides' hashable content (a fifth of a diagnosis's evaluation). The
# compiled walk and the prober's keys use the interned instance, so keys compare by identity.
_BASES: Table[sympy.Basic, sympy.Basic] = Table(4096)


def interned(base: sympy.Basic) -> sympy.Basic:
    """The one instance of this family base (equal bases give the same object)."""
    return _BASES.get(base, lambda: base)


class Evaluator:
    """Evaluates expressions at one point; `values` fills up as variables are first used."""

    def __init__(
        self,
        values: dict[Key, sympy.Expr],
        sample: Callable[[Key], sympy.Expr],
        functions: dict[type, sympy.Lambda],
        prec: int | None = None,
    ) -> None:
        self.prec = prec
        self.values = values
        self.sample = sample
        self.functions = functions
        self.touched: set[Key] = set()
        self._env: dict[sympy.Basic, Num] = {}  # bound sum variables
        # the sum variables bound by a loop, as the integers they run over: an element's index read
        # here skips the round trip of its ball (or rational) back to an integer at every term
        self._ints: dict[sympy.Basic | None, int] = {}
        self._derivs: dict[tuple[type, int], sympy.Lambda] = {}
        self._consts: dict[sympy.Basic, Num] = {}
        self._lits: dict[sympy.Basic, Num] = {}  # numbers written in the expressions
        self._vars: dict[Key, Num] = {}  # variables' values in this mode (the point does not move during a walk)
        self._sums: dict[sympy.Basic, Num] = {}  # sums and products free of the bound variables in scope

    @property
    def exact(self) -> bool:
        return self.prec is None

    def value(self, e: sympy.Basic) -> Num:
        """The value of e: an fmpq (exact mode) or an arb/acb ball."""
        with precision(self.prec or 64):
            try:
                v = self._ev(e)
            except ZeroDivisionError:
                raise Undefined() from None
            if not self.exact and not _finite(v):
                raise Unsure()
            return v

    def truth(self, cond: sympy.Basic) -> bool:
        """Whether a condition (a chain constraint such as x > 0) holds at this point."""
        with precision(self.prec or 64):
            return self._truth(cond)

    # ---- leaves -----------------------------------------------------------------------------
    def _number(self, v: sympy.Expr) -> Num:
        """An exact SymPy number as this mode's value (a closed form is evaluated as a ball)."""
        if isinstance(v, sympy.Rational):
            return rational(v) if self.exact else arb(rational(v))
        if isinstance(v, sympy.Float):
            return self._number(sympy.Rational(v))  # the binary value it stands for, exactly
        if self.exact:
            raise Inexact()
        if v not in self._consts:
            if v.free_symbols:
                raise Unsupported("a value with free symbols")
            self._consts[v] = self._ev(v)
        return self._consts[v]

    def _var(self, key: Key) -> Num:
        v = self._vars.get(key)
        if v is None:  # first met in this evaluation (every key of _vars was touched when it was put there)
            self.touched.add(key)
            if key not in self.values:
                self.values[key] = self.sample(key)
            v = self._vars[key] = self._number(self.values[key])
        return v

    def _as_int(self, v: Num) -> int:
        """An index value; Undefined when it is not an integer."""
        if isinstance(v, fmpq):
            if v.q != 1:
                raise Undefined()
            return int(v.p)
        v = _real(v)
        if isinstance(v, acb):
            if not v.imag.contains(0):
                raise Undefined()
            raise Unsure()
        n = v.unique_fmpz()
        if n is None:
            if v.contains_integer():
                raise Unsure()
            raise Undefined()
        return int(n)

    # ---- the walk ---------------------------------------------------------------------------
    def _ev(self, e: sympy.Basic) -> Num:
        return code(e)(self)

    def _zero(self) -> Num:
        return fmpq(0) if self.exact else arb(0)

    def _one(self) -> Num:
        return fmpq(1) if self.exact else arb(1)

    def _sign(self, x: Num) -> Num:
        if isinstance(x, fmpq):
            return fmpq((x > 0) - (x < 0))
        if isinstance(x, acb):
            if _exactly_zero(x):
                return arb(0)
            if _contains_zero(x):
                raise Unsure()
            return _real(x / abs(x))
        if _exactly_zero(x):
            return arb(0)
        if x > 0:
            return arb(1)
        if x < 0:
            return arb(-1)
        raise Unsure()

    def _extreme(self, largest: bool, args: list[Num]) -> Num:
        """max or min of real values (exactly, or as the ball holding the max or min of every point of
        the balls); a value certainly off the real line has no max, one that may be off it is Unsure."""
        if self.exact:
            return max(args) if largest else min(args)
        out: Num = None
        for v in args:
            v = _real(v)
            if isinstance(v, acb):
                if v.imag.contains(0):
                    raise Unsure()
                raise Undefined()
            out = v if out is None else (out.max(v) if largest else out.min(v))
        return out

    def _int_pow(self, base: Num, n: int) -> Num:
        if n < 0 and (base == 0 if isinstance(base, fmpq) else _contains_zero(base)):
            if isinstance(base, fmpq) or _exactly_zero(base):
                raise Undefined()
            raise Unsure()
        if isinstance(base, fmpq):
            bits = max(int(base.p).bit_length(), int(base.q).bit_length())
            if bits * abs(n) > MAX_EXACT_BITS:
                raise Inexact()
        return base**n

    def _power(self, base: Num, ex: Num) -> Num:
        if self.exact:
            return self._exact_root(base, ex)
        return self._ball_pow(base, ex)

    def _exact_root(self, base: fmpq, ex: fmpq) -> fmpq:
        """b^(p/q) for a non-negative rational b whose q-th root is rational; Inexact otherwise."""
        if ex.q == 1 or base < 0 or ex.q > 64:
            raise Inexact()
        if base == 0:
            if ex > 0:
                return fmpq(0)
            raise Undefined()
        q = int(ex.q)
        num, den = int(base.p), int(base.q)
        rn, rd = _int_root(num, q), _int_root(den, q)
        if rn is None or rd is None:
            raise Inexact()
        root = fmpq(rn, rd)
        p = int(ex.p)
        bits = max(rn.bit_length(), rd.bit_length())
        if bits * abs(p) > MAX_EXACT_BITS:
            raise Inexact()
        return root**p

    def _ball_pow(self, base: Num, ex: Num) -> Num:
        base, ex = _real(base), _real(ex)
        if _contains_zero(base):
            if not _exactly_zero(base):
                raise Unsure()
            re = ex.real if isinstance(ex, acb) else ex
            if re > 0:
                return arb(0)
            if re <= 0:
                raise Undefined()
            raise Unsure()
        if isinstance(base, arb) and isinstance(ex, arb) and base > 0:
            return base**ex
        out = acb(base) ** acb(ex)  # SymPy's principal branch off the positive reals
        if not _finite(out):
            raise Unsure()
        return _real(out)

    def _function(self, name: str, x: Num) -> Num:
        x = _real(x)
        if name == "log" and _contains_zero(x):
            if _exactly_zero(x):
                raise Undefined()
            raise Unsure()
        if isinstance(x, arb):
            out = getattr(x, name)()
            if _finite(out):
                return out
            x = acb(x)  # outside the real domain (log of a negative, asin 2): the complex value
        out = getattr(x, name)()
        if not _finite(out):
            if x.is_exact():
                raise Undefined()  # a pole at an exact point (atanh 1)
            raise Unsure()
        return _real(out)

    def _apply(self, lam: sympy.Lambda, args: list[Num]) -> Num:
        # the parameters are bound in the one environment and put back in place: a sum being looped
        # over keeps writing its index into this same dict (a sum of f(x_i) once saw its first term's
        # index in every term when this made a new dict)
        env = self._env
        saved = {p: env[p] for p in lam.variables if p in env}
        # a parameter named as a sum variable around the application is the argument inside it, not
        # that sum's integer
        ints = self._ints
        hidden = {p: ints.pop(p) for p in lam.variables if p in ints}
        try:
            for p, v in zip(lam.variables, args, strict=True):
                env[p] = v
            return self._ev(lam.expr)
        finally:
            for p in lam.variables:
                if p in saved:
                    env[p] = saved[p]
                else:
                    env.pop(p, None)
            ints.update(hidden)

    def _subs(self, e: Subs) -> Num:
        """f'(u) of an opaque f: differentiate its concrete body once, symbolically, then evaluate."""
        inner = e.expr
        if not (
            isinstance(inner, sympy.Derivative)
            and isinstance(inner.expr, AppliedUndef)
            and len(inner.expr.args) == 1
            and len(e.variables) == 1
            and inner.expr.args[0] == e.variables[0]
            and all(v == e.variables[0] for v in inner.variables)
        ):
            raise Unsupported("Subs")
        head, order = inner.expr.func, len(inner.variables)
        lam = self.functions.get(head)
        if lam is None:
            raise Unsupported(str(head))
        key = (head, order)
        if key not in self._derivs:
            t = lam.variables[0]
            self._derivs[key] = sympy.Lambda(t, sympy.diff(lam.expr, t, order))
        return self._apply(self._derivs[key], [self._ev(e.point[0])])

    # ---- conditions -------------------------------------------------------------------------
    def _truth(self, cond: sympy.Basic) -> bool:
        if cond is sympy.true:
            return True
        if cond is sympy.false:
            return False
        if isinstance(cond, sympy.And):
            return all(self._truth(c) for c in cond.args)
        if isinstance(cond, sympy.Or):
            return any(self._truth(c) for c in cond.args)
        if isinstance(cond, sympy.Not):
            return not self._truth(cond.args[0])
        if isinstance(cond, Relational):
            a, b = _real(self._ev(cond.lhs)), _real(self._ev(cond.rhs))
            if isinstance(a, acb) or isinstance(b, acb):
                raise Undefined()
            return _relation(type(cond), a - b)
        raise Unsupported(type(cond).__name__)


# ---- the walk, compiled ------------------------------------------------------------------------
# A probe evaluates the same expressions at many points and precisions (a refuted step: about sixty
# evaluations, for the diagnosis points and the shrinking of its counterexample), and walking the SymPy
# tree paid for the dispatch on every node every time: the class lookup, a chain of tests, SymPy's
# `args`. Each expression is now turned once into a tree of closures, one per node, each knowing its
# kind and holding its children's closures; evaluating is calling the root with the Evaluator. Every
# node does exactly what the walk did, in the same order, so the values, and the exceptions (Undefined,
# Unsure, Inexact, Unsupported, raised when the node is reached, as before), are the walk's.
Code = Callable[[Evaluator], Num]


@functools.lru_cache(maxsize=1 << 12)
def surely_inexact(e: sympy.Basic) -> bool:
    """Whether exact evaluation of e can never give a value: a transcendental function or π, e, i is
    met whatever the point, outside any sum, product, piecewise branch or function body (which a point
    may never enter), so it ends in Inexact there, or in whatever stopped it before (Undefined,
    Unsupported). The caller may go to balls first (see Prober.compare). Memoised per subtree."""
    kind = _kind_of(e)
    if kind == _CONSTANT:
        return True
    if kind in (_ADD, _MUL, _POW):
        return any(surely_inexact(a) for a in e.args)  # every argument is evaluated
    func = type(e)
    if func in _METHODS and len(e.args) == 1:
        return True
    if func is sympy.Abs or func is sympy.sign or func is sympy.Max or func is sympy.Min:
        return any(surely_inexact(a) for a in e.args)
    return False


def _kind_of(e: sympy.Basic) -> int:
    """_kind(e), looked up once per class."""
    kind = _KINDS.get(type(e))
    if kind is None:
        kind = _KINDS[type(e)] = _kind(e)
    return kind


# Every node compiled, as it was compiled (a node's code depends on the node alone; all else comes from
# the Evaluator it is called with): a step shares most of its subtrees with the step before it.
_NODES: Table[sympy.Basic, Code] = Table(1 << 15)


def code(e: sympy.Basic) -> Code:
    """The compiled form of e: every node is compiled once and kept (`_NODES`), the sides of a step pair
    with the rest."""
    return _NODES.get(e, lambda: _compile_node(e))


def _compile_node(e: sympy.Basic) -> Code:
    kind = _kind_of(e)
    if kind == _SYMBOL:
        return _symbol(e)
    if kind in (_MUL, _ADD):
        return _fold(kind, [code(a) for a in e.args])
    if kind == _NUMBER:
        return _literal(e)
    if kind == _INDEXED:
        return _element(interned(e.base), e.indices)
    if kind == _POW:
        return _power(e)
    if kind == _CONSTANT:
        return _constant(e)
    func = type(e)
    if func is sympy.Abs:
        arg = code(e.args[0])
        return lambda ev: abs(arg(ev))
    if func is sympy.sign:
        arg = code(e.args[0])
        return lambda ev: ev._sign(arg(ev))
    if func is sympy.Max or func is sympy.Min:
        largest, args = func is sympy.Max, [code(x) for x in e.args]
        return lambda ev: ev._extreme(largest, [a(ev) for a in args])
    if func in _METHODS and len(e.args) == 1:
        return _method(_METHODS[func], code(e.args[0]))
    if kind == _LOOP:
        return _loop(e)
    if isinstance(e, KroneckerDelta):
        return _delta([code(x) for x in e.args[:2]])
    if isinstance(e, Piecewise):
        return _piecewise(e)
    if isinstance(e, AppliedUndef):
        return _application(e.func, [code(a) for a in e.args])
    if isinstance(e, Subs):
        return lambda ev: ev._subs(e)
    return _unsupported(type(e).__name__)


def _symbol(e: sympy.Basic) -> Code:
    def symbol(ev: Evaluator) -> Num:
        v = ev._env.get(e)
        return v if v is not None else ev._var(e)

    return symbol


def _fold(kind: int, parts: list[Code]) -> Code:
    if len(parts) == 2:  # most products and sums: without the loop
        left, right = parts
        if kind == _MUL:

            def product2(ev: Evaluator) -> Num:
                prod = left(ev) * right(ev)
                return prod if ev.prec is None else _real(prod)

            return product2

        def total2(ev: Evaluator) -> Num:
            out = left(ev) + right(ev)
            return out if ev.prec is None else _real(out)

        return total2
    first, rest = parts[0], parts[1:]
    if kind == _MUL:

        def product(ev: Evaluator) -> Num:
            prod = first(ev)
            for f in rest:
                prod = prod * f(ev)
            return prod if ev.prec is None else _real(prod)

        return product

    def total(ev: Evaluator) -> Num:
        out = first(ev)
        for f in rest:
            out = out + f(ev)
        return out if ev.prec is None else _real(out)

    return total


def _literal(e: sympy.Expr) -> Code:
    def literal(ev: Evaluator) -> Num:
        v = ev._lits.get(e)
        if v is None:
            v = ev._lits[e] = ev._number(e)
        return v

    return literal


def _element(base: sympy.Basic, exprs: tuple[sympy.Basic, ...]) -> Code:
    # one and two indices spelled out: an element is the innermost work of a sum's every term. An index
    # that is a plain symbol is first looked up among the loops' integers (None otherwise, and for an
    # index that is no symbol: then it is evaluated)
    indices = [code(i) for i in exprs]
    names: list[sympy.Basic | None] = [i if isinstance(i, sympy.Symbol) else None for i in exprs]
    if len(indices) == 1:
        (first,), (name,) = indices, names

        def element1(ev: Evaluator) -> Num:
            i = ev._ints.get(name)
            return ev._var((base, (ev._as_int(first(ev)) if i is None else i,)))

        return element1
    if len(indices) == 2:
        (first, second), (name1, name2) = indices, names

        def element2(ev: Evaluator) -> Num:
            ints = ev._ints
            i, j = ints.get(name1), ints.get(name2)
            if i is None:
                i = ev._as_int(first(ev))
            if j is None:
                j = ev._as_int(second(ev))
            return ev._var((base, (i, j)))

        return element2

    def element(ev: Evaluator) -> Num:
        idx = tuple(ev._as_int(i(ev)) for i in indices)
        return ev._var((base, idx))

    return element


def _power(e: sympy.Pow) -> Code:
    base = code(e.base)
    if e.exp.is_Integer:
        n = int(e.exp)
        return lambda ev: ev._int_pow(base(ev), n)
    ex = code(e.exp)

    def power(ev: Evaluator) -> Num:
        b = base(ev)
        return ev._power(b, ex(ev))

    return power


def _constant(e: sympy.Basic) -> Code:
    def constant(ev: Evaluator) -> Num:
        if ev.prec is None:
            raise Inexact()
        return arb.pi() if e is sympy.pi else arb.const_e() if e is sympy.E else acb(0, 1)

    return constant


def _method(name: str, arg: Code) -> Code:
    def method(ev: Evaluator) -> Num:
        if ev.prec is None:
            raise Inexact()
        return ev._function(name, arg(ev))

    return method


def _loop(e: Sum | Product) -> Code:
    # SymPy lists limits innermost first; loop from the outermost in, so that an inner bound may use an
    # outer variable (Σ_{i=1}^{N} Σ_{j=1}^{i})
    limits = [(k, code(a), code(b)) for k, a, b in e.limits[::-1]]
    body = code(e.function)
    is_sum = isinstance(e, Sum)

    def run(ev: Evaluator, n: int) -> Num:
        if n == len(limits):
            return body(ev)
        k, a, b = limits[n]
        lo, hi = ev._as_int(a(ev)), ev._as_int(b(ev))
        if hi - lo > MAX_TERMS:
            raise Unsupported("a sum with too many terms")
        acc = ev._zero() if is_sum else ev._one()
        env, ints = ev._env, ev._ints
        saved, saved_int = env.get(k), ints.get(k)
        exact = ev.prec is None
        try:
            for v in range(lo, hi + 1):  # an empty range gives 0 (or 1), not Karr's convention
                env[k] = fmpq(v) if exact else arb(v)
                ints[k] = v
                acc = acc + run(ev, n + 1) if is_sum else acc * run(ev, n + 1)
        finally:
            if saved is None:
                env.pop(k, None)
            else:
                env[k] = saved
            if saved_int is None:
                ints.pop(k, None)
            else:
                ints[k] = saved_int
        return acc

    # A sum written several times at one point (Σ_k e^{z_k} in every term of a softmax Jacobian, Σθ_k x_k
    # in σ(z) and 1 − σ(z), on both sides of a step) is summed once: its value depends only on the
    # point, and on the bound variables of the sums around it that it mentions (then it is summed again).
    # Sound as long as a function's body mentions only its parameters (the probe's concrete bodies do):
    # a body reading another variable bound around its application would hide it from `free`
    free = tuple(e.free_symbols)

    def loop(ev: Evaluator) -> Num:
        env = ev._env
        if env and any(s in env for s in free):
            return run(ev, 0)
        v = ev._sums.get(e)
        if v is None:
            v = ev._sums[e] = run(ev, 0)
        return v

    return loop


def _delta(args: list[Code]) -> Code:
    def delta(ev: Evaluator) -> Num:
        a, b = (ev._as_int(x(ev)) for x in args)
        return ev._one() if a == b else ev._zero()

    return delta


def _piecewise(e: Piecewise) -> Code:
    pieces = [(code(expr), cond) for expr, cond in e.args]

    def piecewise(ev: Evaluator) -> Num:
        for expr, cond in pieces:
            if ev._truth(cond):
                return expr(ev)
        raise Undefined()

    return piecewise


def _application(head: type, args: list[Code]) -> Code:
    def application(ev: Evaluator) -> Num:
        lam = ev.functions.get(head)
        if lam is None:
            raise Unsupported(str(head))
        return ev._apply(lam, [a(ev) for a in args])

    return application


def _unsupported(name: str) -> Code:
    def unsupported(ev: Evaluator) -> Num:
        raise Unsupported(name)

    return unsupported


def _relation(op: type, d: Num) -> bool:
    """Whether `d op 0` holds; Unsure when a ball straddles the edge."""
    if isinstance(d, fmpq):
        sign = (d > 0) - (d < 0)
    elif d.is_zero():
        sign = 0
    elif d > 0:
        sign = 1
    elif d < 0:
        sign = -1
    else:
        raise Unsure()
    table: dict[type, bool] = {
        sympy.Eq: sign == 0,
        sympy.Ne: sign != 0,
        sympy.Lt: sign < 0,
        sympy.Le: sign <= 0,
        sympy.Gt: sign > 0,
        sympy.Ge: sign >= 0,
    }
    if op not in table:
        raise Unsupported(op.__name__)
    return table[op]


def _int_root(n: int, q: int) -> int | None:
    """The exact q-th root of a non-negative integer, or None."""
    if n < 2:
        return n
    r = round(n ** (1.0 / q)) if n.bit_length() < 1000 else _newton_root(n, q)
    for c in (r - 1, r, r + 1):
        if c >= 0 and c**q == n:
            return c
    return None


def _newton_root(n: int, q: int) -> int:
    x = 1 << ((n.bit_length() + q - 1) // q)
    while True:
        y = ((q - 1) * x + n // x ** (q - 1)) // q
        if y >= x:
            return x
        x = y
