"""A direct mpmath evaluator for probe points: walks the SymPy tree once, loops over finite sums.

Why not `doit()` + `evalf`: expanding a sum with SymPy builds thousands of new objects and asks the
assumptions system about each one (seconds per point for a logistic cost over m samples); walking
the tree with numbers takes milliseconds. Variables get values on first use, from `sample`, so
elements of an expanded sum (x_2, x_3) are drawn exactly when they are needed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
import sympy
from sympy import Indexed, KroneckerDelta, Piecewise, Product, Subs, Sum
from sympy.core.function import AppliedUndef
from sympy.core.relational import Relational

Key = Any  # a Symbol, or (IndexedBase, (int, ...)) for a family element
Num = Any  # mpmath mpf or mpc


class Unsupported(Exception):
    """A node this evaluator does not know; the caller falls back to SymPy's evalf."""


class Undefined(Exception):
    """The value does not exist here (division by zero, log 0, an infinity)."""


_UNARY: dict[type, Callable[[Num], Num]] = {
    sympy.exp: mpmath.exp,
    sympy.log: mpmath.log,
    sympy.sin: mpmath.sin,
    sympy.cos: mpmath.cos,
    sympy.tan: mpmath.tan,
    sympy.sinh: mpmath.sinh,
    sympy.cosh: mpmath.cosh,
    sympy.tanh: mpmath.tanh,
    sympy.asin: mpmath.asin,
    sympy.acos: mpmath.acos,
    sympy.atan: mpmath.atan,
    sympy.asinh: mpmath.asinh,
    sympy.acosh: mpmath.acosh,
    sympy.atanh: mpmath.atanh,
    sympy.Abs: abs,
    sympy.sign: mpmath.sign,  # d|x|/dx; without it the point fell back to SymPy's slower path
}


def _as_int(v: Num) -> int:
    if isinstance(v, mpmath.mpc):
        if v.imag != 0:
            raise Undefined()
        v = v.real
    n = int(mpmath.nint(v))
    if abs(v - n) > 1e-9:
        raise Undefined()  # a non-integer index
    return n


class Evaluator:
    """Evaluates expressions at one point; `values` fills up as variables are first used."""

    def __init__(
        self,
        values: dict[Key, sympy.Expr],
        sample: Callable[[Key], sympy.Expr],
        functions: dict[type, sympy.Lambda],
        dps: int = 30,
    ) -> None:
        self.dps = dps
        self.values = values
        self.sample = sample
        self.functions = functions
        self.touched: set[Key] = set()
        self._env: dict[sympy.Basic, Num] = {}  # bound sum variables
        self._derivs: dict[tuple[type, int], sympy.Lambda] = {}

    def value(self, e: sympy.Basic) -> Num:
        with mpmath.workdps(self.dps):
            try:
                v = self._ev(e)
            except (ZeroDivisionError, OverflowError):
                raise Undefined() from None
            if not mpmath.isfinite(v):
                raise Undefined()
            return v

    def _var(self, key: Key) -> Num:
        self.touched.add(key)
        if key not in self.values:
            self.values[key] = self.sample(key)
        v = self.values[key]
        if isinstance(v, sympy.Rational):
            return mpmath.mpf(v.p) / v.q
        if isinstance(v, sympy.Float):
            return mpmath.mpf(v._mpf_)
        return mpmath.mpmathify(str(sympy.N(v, 35)))

    def _ev(self, e: sympy.Basic) -> Num:
        if isinstance(e, sympy.Rational):
            return mpmath.mpf(e.p) / e.q
        if isinstance(e, sympy.Float):
            return mpmath.mpf(e._mpf_)
        if e is sympy.pi:
            return mpmath.pi
        if e is sympy.E:
            return mpmath.e
        if e is sympy.I:
            return mpmath.mpc(0, 1)
        if isinstance(e, sympy.Symbol):
            if e in self._env:
                return self._env[e]
            return self._var(e)
        if isinstance(e, Indexed):
            idx = tuple(_as_int(self._ev(i)) for i in e.indices)
            return self._var((e.base, idx))
        if isinstance(e, sympy.Add):
            total = mpmath.mpf(0)
            for a in e.args:
                total += self._ev(a)
            return total
        if isinstance(e, sympy.Mul):
            prod = mpmath.mpf(1)
            for a in e.args:
                prod *= self._ev(a)
            return prod
        if isinstance(e, sympy.Pow):
            base, ex = self._ev(e.base), self._ev(e.exp)
            if base == 0 and (ex.real if isinstance(ex, mpmath.mpc) else ex) < 0:
                raise Undefined()
            if e.exp.is_Integer:
                return base ** int(e.exp)
            return mpmath.power(base, ex)
        func = type(e)
        if func in _UNARY and len(e.args) == 1:
            x = self._ev(e.args[0])
            if func is sympy.log and x == 0:
                raise Undefined()
            return _UNARY[func](x)
        if isinstance(e, Sum | Product):
            return self._loop(e)
        if isinstance(e, KroneckerDelta):
            a, b = (_as_int(self._ev(x)) for x in e.args[:2])
            return mpmath.mpf(1 if a == b else 0)
        if isinstance(e, Piecewise):
            for expr, cond in e.args:
                if self._truth(cond):
                    return self._ev(expr)
            raise Undefined()
        if isinstance(e, AppliedUndef):
            lam = self.functions.get(e.func)
            if lam is None:
                raise Unsupported(str(e.func))
            return self._apply(lam, [self._ev(a) for a in e.args])
        if isinstance(e, Subs):
            return self._subs(e)
        raise Unsupported(type(e).__name__)

    def _apply(self, lam: sympy.Lambda, args: list[Num]) -> Num:
        saved = dict(self._env)
        try:
            for p, v in zip(lam.variables, args, strict=True):
                self._env[p] = v
            return self._ev(lam.expr)
        finally:
            self._env = saved

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

    def _loop(self, e: Sum | Product) -> Num:
        # SymPy lists limits innermost first; loop from the outermost in, so that an inner bound
        # may use an outer variable (Σ_{i=1}^{N} Σ_{j=1}^{i})
        limits = e.limits[::-1]

        def run(n: int) -> Num:
            if n == len(limits):
                return self._ev(e.function)
            k, a, b = limits[n]
            lo, hi = _as_int(self._ev(a)), _as_int(self._ev(b))
            if hi - lo > 10_000:
                raise Unsupported("a sum with too many terms")
            acc = mpmath.mpf(0) if isinstance(e, Sum) else mpmath.mpf(1)
            saved = self._env.get(k)
            try:
                for v in range(lo, hi + 1):
                    self._env[k] = mpmath.mpf(v)
                    if isinstance(e, Sum):
                        acc += run(n + 1)
                    else:
                        acc *= run(n + 1)
            finally:
                if saved is None:
                    self._env.pop(k, None)
                else:
                    self._env[k] = saved
            return acc

        return run(0)

    def truth(self, cond: sympy.Basic) -> bool:
        """Whether a condition (a chain constraint such as x > 0) holds at this point."""
        with mpmath.workdps(self.dps):
            return self._truth(cond)

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
            a, b = self._ev(cond.lhs), self._ev(cond.rhs)
            if isinstance(a, mpmath.mpc) or isinstance(b, mpmath.mpc):
                raise Undefined()
            ops: dict[type, Callable[[Num, Num], bool]] = {
                sympy.Eq: lambda x, y: x == y,
                sympy.Ne: lambda x, y: x != y,
                sympy.Lt: lambda x, y: x < y,
                sympy.Le: lambda x, y: x <= y,
                sympy.Gt: lambda x, y: x > y,
                sympy.Ge: lambda x, y: x >= y,
            }
            op = ops.get(type(cond))
            if op is None:
                raise Unsupported(type(cond).__name__)
            return bool(op(a, b))
        raise Unsupported(type(cond).__name__)
