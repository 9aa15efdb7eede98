"""The exact fast path: a step difference as a rational function over Q in its atoms, in FLINT.

The difference (unfolded, sums normalised into atoms) is translated node by node: rational numbers,
sums, products and integer powers become exact multivariate polynomials over Q (python-flint's
`fmpq_mpoly`), each subexpression a numerator/denominator pair. Everything else (a symbol, a family
element, exp(u), log(u), √u, π, an opaque f(x)) becomes one indeterminate per structurally distinct
subexpression up to the names of bound variables (a whole sum Σ_k f(k) too, when it is not
normalised first: the cascade tries the unfolded pair so before preparing its sums). A zero numerator
is then an exact proof that the difference is 0 as a rational function
of those indeterminates, hence 0 for every value they take: the same identity SymPy's `expand` and
`cancel` stages establish, with the same treatment of poles, found in C instead of pure Python.

Soundness: nothing here is floating point. A Float, an infinity or nan anywhere stops the translation
(`Untranslatable`) and the SymPy stages decide instead. Distinct indeterminates for subexpressions
that happen to be equal (exp(a + b) and exp(a)·exp(b)) can only make a true identity look nonzero,
never the reverse; then the SymPy stages, which know such rules, get their turn. Whatever an
indeterminate stands for (an exp, a log, an opaque f(x), a whole sum), a rational function whose
numerator is the zero polynomial is 0 at every value of its indeterminates, related or not, so the
proof does not depend on what they are, nor on any assumption about them.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy
from sympy import Indexed

from verifier.check.sums import INFINITIES, holds

try:
    import flint
    from flint import fmpq_mpoly as Poly
except ImportError:  # pragma: no cover - a declared dependency; a stale environment only loses speed
    flint = None  # type: ignore[assignment]

# Guards against blow-up in C code the step's clock cannot interrupt (the parent's hard kill still
# can): a power above MAX_EXPONENT or a polynomial above MAX_TERMS hands the step to SymPy.
MAX_EXPONENT = 64
MAX_TERMS = 20000


class Untranslatable(Exception):
    """The expression holds something with no exact translation (a Float, an infinity, a huge power)."""


@dataclass(frozen=True)
class Verdict:
    """What exact arithmetic found: whether the difference is 0, whether a denominator took part
    (then it is `cancel`'s identity, else `expand`'s), and whether every indeterminate was plain
    (a symbol or a family element with plain indices: then SymPy's expand and cancel know nothing more)."""

    zero: bool
    rational: bool
    plain: bool


def _plain(atom: sympy.Basic) -> bool:
    if isinstance(atom, sympy.Symbol):
        return True
    return isinstance(atom, Indexed) and all(isinstance(i, sympy.Symbol | sympy.Integer) for i in atom.indices)


@dataclass(frozen=True)
class _Bound:
    """A bound variable in an atom's key: the n-th binder counted from the atom's outside."""

    level: int


def _key(e: sympy.Basic, env: Mapping[sympy.Basic, _Bound] | None = None, level: int = 0) -> Hashable:
    """A key for e that is equal for two expressions only if they are equal up to the names of their
    bound variables (alpha-equivalence): a sum's bound variable becomes its binder's level, so
    Σ_{k'} θ_{k'} x_{k'} of one step and Σ_{k''} θ_{k''} x_{k''} of the next (each unfolding draws fresh
    dummies) are one indeterminate. Built by reading the tree only, never by rebuilding it (SymPy's
    rebuilding is where its time goes).

    Why sound: equal keys mean the same tree node by node, with bound variables in the same binding
    positions; such expressions have the same value. Anything not understood (an unevaluated Subs, a
    Derivative) is keyed by its literal structure, which can only miss a match, never invent one.
    Add and Mul are keyed by the multiset of their arguments' keys (their argument order follows
    SymPy's sorting, which depends on the dummies' names)."""
    env = env or {}
    if isinstance(e, sympy.Sum | sympy.Product):
        # limits are innermost first; a limit's bounds lie in the scope of the limits outside it
        scope = dict(env)
        limits: list[tuple[Hashable, ...]] = []
        for var, *bounds in reversed(e.limits):
            limits.append(tuple(_key(b, scope, level) for b in bounds))
            scope[var] = _Bound(level)
            level += 1
        return (type(e), _key(e.function, scope, level), tuple(limits))
    if isinstance(e, sympy.Symbol):
        return env.get(e, e)
    if not e.args:
        return e
    keys = [_key(a, env, level) for a in e.args]
    if isinstance(e, sympy.Add | sympy.Mul) and e.is_commutative:
        return (e.func, frozenset(Counter(keys).items()))
    return (e.func, tuple(keys))


def _exp_factors(e: sympy.Basic) -> list[tuple[Hashable, sympy.Basic, int]] | None:
    """exp(Σ c_k t_k) as Π exp(t_k)^{c_k} for integer c_k (exp is a homomorphism: exact for every
    complex argument), so that e^{-u} and 1/e^{u} meet as cancel's do; None when e is not an exp
    or is one factor already. Each factor as (its atom's key, t_k, c_k): the key of exp(t_k) is
    formed without building exp(t_k) (SymPy's exp evaluation is costly)."""
    if not isinstance(e, sympy.exp):
        return None
    factors: list[tuple[Hashable, sympy.Basic, int]] = []
    for term in sympy.Add.make_args(e.args[0]):
        c, rest = term.as_coeff_Mul()
        if isinstance(c, sympy.Integer) and c != 0 and rest != 1:
            factors.append(((sympy.exp, (_atom_key(rest),)), rest, int(c)))
        else:
            factors.append(((sympy.exp, (_atom_key(term),)), term, 1))
    if len(factors) == 1 and factors[0][2] == 1:
        return None
    if any(abs(n) > MAX_EXPONENT for _k, _t, n in factors):
        raise Untranslatable("exponent too large")
    return factors


_NO_TRANSLATION = (*INFINITIES, sympy.Float)


def _untranslatable(e: sympy.Basic) -> bool:
    return holds(e, _NO_TRANSLATION)


@functools.lru_cache(maxsize=1 << 12)
def _atom_key(e: sympy.Basic) -> Hashable:
    """_key(e) of a whole atom, memoised (the atom recurs in every step of a chain; its key is a walk)."""
    return _key(e)


class _Translator:
    def __init__(self, *exprs: sympy.Expr) -> None:
        self.atoms: dict[Hashable, int] = {}
        # what each indeterminate stands for: the expression, or for an exp factor e^{t} its exponent t
        # (the indeterminates in `exponents`), so a term's exp factors are written back as one exp
        self.forms: list[sympy.Basic] = []
        self.exponents: set[int] = set()
        self.unplain: set[int] = set()  # the indeterminates that are not plain (see _plain)
        self.plain = True
        # id(node) -> its key / its exp factors, for nodes of the translated trees (alive meanwhile)
        self._keys: dict[int, Hashable] = {}
        self._factors: dict[int, list[tuple[Hashable, sympy.Basic, int]]] = {}
        for e in exprs:
            self._collect(e)
        names = tuple(f"v{n}" for n in range(max(1, len(self.atoms))))
        self.ctx = flint.fmpq_mpoly_ctx.get(names, "lex")
        self.gens = self.ctx.gens()
        self.one = self.ctx.from_dict({(0,) * len(names): 1})
        self.rational = False

    def _leaf(self, key: Hashable, e: sympy.Basic, exponent: bool = False) -> None:
        if key not in self.atoms:
            if _untranslatable(e):
                raise Untranslatable(type(e).__name__)
            self.atoms[key] = len(self.atoms)
            self.forms.append(e)
            if exponent:
                self.exponents.add(self.atoms[key])
            if not _plain(e):
                self.plain = False
                self.unplain.add(self.atoms[key])

    def _collect(self, e: sympy.Basic) -> None:
        if isinstance(e, sympy.Add | sympy.Mul):
            for a in e.args:
                self._collect(a)
        elif isinstance(e, sympy.Pow) and isinstance(e.exp, sympy.Integer):
            self._collect(e.base)
        elif isinstance(e, sympy.Rational):
            return
        elif isinstance(e, sympy.Float):
            raise Untranslatable(type(e).__name__)
        elif (factors := _exp_factors(e)) is not None:
            self.plain = False
            self._factors[id(e)] = factors
            for key, term, _n in factors:
                self._leaf(key, term, exponent=True)
                self.unplain.add(self.atoms[key])  # exp(term), whatever term is
        else:
            key = self._keys[id(e)] = _atom_key(e)
            self._leaf(key, e)

    def constant(self, q: sympy.Rational) -> Poly:
        return self.one * flint.fmpq(int(q.p), int(q.q))

    def __call__(self, e: sympy.Basic) -> tuple[Poly, Poly]:
        """(numerator, denominator), both fmpq_mpoly; the denominator is never the zero polynomial."""
        if isinstance(e, sympy.Rational):
            return self.constant(e), self.one
        if isinstance(e, sympy.Add):
            num, den = self(e.args[0])
            for a in e.args[1:]:
                n2, d2 = self(a)
                if d2 == den:
                    num = num + n2
                else:
                    self._check_product(num, d2)
                    self._check_product(n2, den)
                    self._check_product(den, d2)
                    num, den = num * d2 + n2 * den, den * d2
                    num, den = self._reduce(num, den)
                self._check(num)
            return num, den
        if isinstance(e, sympy.Mul):
            num, den = self.one, self.one
            for a in e.args:
                n2, d2 = self(a)
                self._check_product(num, n2)
                self._check_product(den, d2)
                num, den = num * n2, den * d2
            return self._reduce(num, den)
        if isinstance(e, sympy.Pow) and isinstance(e.exp, sympy.Integer):
            n = int(e.exp)
            if abs(n) > MAX_EXPONENT:
                raise Untranslatable("exponent too large")
            num, den = self(e.base)
            self._check_power(num, abs(n))
            self._check_power(den, abs(n))
            if n < 0:
                if num.is_zero():
                    raise Untranslatable("division by zero")
                num, den, n = den, num, -n
                self.rational = True
            num, den = num**n, den**n
            self._check(num)
            return num, den
        factors = self._factors.get(id(e))
        if factors is not None:
            num, den = self.one, self.one
            for key, _term, n in factors:
                if n > 0:
                    num = num * self.gens[self.atoms[key]] ** n
                else:
                    den = den * self.gens[self.atoms[key]] ** -n
                    self.rational = True
                self._check(num)
                self._check(den)
            return num, den
        return self.gens[self.atoms[self._keys[id(e)]]], self.one

    def _reduce(self, num: Poly, den: Poly) -> tuple[Poly, Poly]:
        if den.is_constant():
            return num, den
        self.rational = True
        g = num.gcd(den)
        if not g.is_constant():
            num, den = num / g, den / g
        return num, den

    def as_expr(self, p: Poly) -> sympy.Expr:
        """A polynomial written back in SymPy: the sum of its terms, each a rational coefficient times
        powers of what its indeterminates stand for, a term's exp factors joined into one exp (as SymPy
        writes e^{u}·e^{-v}: e^{u - v}). SymPy's canonical sum and product order the parts."""
        terms = []
        for exps, c in zip(p.monoms(), p.coeffs(), strict=True):
            factors: list[sympy.Basic] = [sympy.Rational(int(c.p), int(c.q))]
            exponent: list[sympy.Basic] = []
            for n, x in enumerate(exps):
                if x:
                    f = self.forms[n]
                    if n in self.exponents:
                        exponent.append(int(x) * f)
                    elif isinstance(f, sympy.exp):
                        exponent.append(int(x) * f.args[0])
                    else:
                        factors.append(f ** int(x))
            if exponent:
                factors.append(sympy.exp(sympy.Add(*exponent)))
            terms.append(sympy.Mul(*factors))
        return sympy.Add(*terms)

    @staticmethod
    def _check(p: Poly) -> None:
        if len(p) > MAX_TERMS:
            raise Untranslatable("too many terms")

    @staticmethod
    def _check_product(p: Poly, q: Poly) -> None:
        if len(p) * len(q) > MAX_TERMS:  # a bound on the product's terms before it is formed
            raise Untranslatable("too many terms")

    @staticmethod
    def _check_power(p: Poly, n: int) -> None:
        # p**n has at most C(len(p) + n - 1, n) terms (the monomials of degree n in len(p) terms)
        if len(p) > 1 and math.comb(len(p) + n - 1, n) > MAX_TERMS:
            raise Untranslatable("too many terms")


def exact_zero(d: sympy.Expr) -> Verdict:
    """Whether d is 0 as a rational function of its atoms, decided exactly (raises Untranslatable)."""
    if flint is None:
        raise Untranslatable("python-flint is not installed")
    t = _Translator(d)
    num, _den = t(d)
    return Verdict(zero=bool(num.is_zero()), rational=t.rational, plain=t.plain)


# The last pair translated, held with its translation (or the reason it has none): a refuted pair is
# translated for the exact stage and again for its diagnosis's shape, the same two objects both times.
_LAST: list[tuple[sympy.Expr, sympy.Expr, Any]] = []


def _translated(a: sympy.Expr, b: sympy.Expr) -> tuple[_Translator, Poly, Poly, Poly, Poly]:
    """a and b translated by one _Translator (raises Untranslatable); the last pair's answer is kept,
    keyed by the two objects themselves (held, so their ids cannot be reused)."""
    if _LAST and _LAST[0][0] is a and _LAST[0][1] is b:
        found = _LAST[0][2]
        if isinstance(found, Untranslatable):
            raise Untranslatable(*found.args)  # a fresh one: raising the kept one grows its traceback
        t, rational = found[0], found[-1]
        t.rational = rational  # as translated (a reduction since may have set it)
        return found[:-1]
    if flint is None:
        raise Untranslatable("python-flint is not installed")
    _LAST.clear()
    try:
        t = _Translator(a, b)
        na, da = t(a)
        nb, db = t(b)
    except Untranslatable as e:
        _LAST.append((a, b, e))
        raise
    _LAST.append((a, b, (t, na, da, nb, db, t.rational)))
    return t, na, da, nb, db


def exact_equal(a: sympy.Expr, b: sympy.Expr) -> Verdict:
    """Whether a − b is 0 as a rational function of the atoms of a and b, decided exactly, without
    forming a − b in SymPy (raises Untranslatable). `zero` when a's numerator times b's denominator
    equals b's numerator times a's denominator: the same identity as exact_zero(a − b)."""
    t, na, da, nb, db = _translated(a, b)
    if da == db:
        zero = na == nb
    else:
        t._check_product(na, db)
        t._check_product(nb, da)
        t.rational = True
        zero = na * db == nb * da
    return Verdict(zero=bool(zero), rational=t.rational, plain=t.plain)


@dataclass(frozen=True)
class Shape:
    """How a refuted step relates to the previous one, in exact arithmetic (for the diagnosis only:
    it decides which of SymPy's costly rewrites are worth running and writes out the ones it can,
    never a verdict).

    `monomial_ratio`: this step / previous reduces to one term over one term in plain atoms (2x_i,
    −w²/N); `difference_ops`: a lower bound on the operations of the reduced difference written out
    (`_ops_below`), where SymPy's cancel sees what the polynomials see (not `expands`);
    `constant_difference`: the difference is a number."""

    monomial_ratio: bool
    difference_ops: int
    constant_difference: bool
    # SymPy's cancel may see more than the polynomials (`_expands`): log(ab) and log a + log b are two
    # indeterminates here and one sum to it, so `difference_ops` and a ratio that is no monomial here
    # bound nothing of what it writes
    expands: bool = False
    ratio: sympy.Rational | None = None  # this step / previous, when it is a number
    difference: sympy.Rational | None = None  # this step − previous, when it is a number
    # this step / previous written out, when it is a monomial ratio
    quotient: sympy.Expr | None = None
    # this step − previous written out on demand (see `written_difference`)
    _written: Callable[[], sympy.Expr | None] | None = field(default=None, compare=False, repr=False)

    def written_difference(self) -> sympy.Expr | None:
        """this step − previous written out much as SymPy's cancel(together(…)) writes it: the expanded
        sum of terms, or a fraction of two such sums with integer coefficients (the signs may sit
        elsewhere than SymPy's, which orders its generators its own way). None where SymPy's cancel
        may find a shorter form (`_expands`)."""
        return self._written() if self._written is not None else None


def shape(prev: sympy.Expr, cur: sympy.Expr) -> Shape:
    """The Shape of cur against prev (raises Untranslatable, as exact_equal does)."""
    t, na, da, nb, db = _translated(prev, cur)
    for p, q in ((na, db), (nb, da), (da, db)):
        t._check_product(p, q)
    dn, dd = t._reduce(nb * da - na * db, da * db)
    monomial, ratio, quotient = False, None, None
    if not na.is_zero():
        qn, qd = t._reduce(nb * da, na * db)
        if len(qn) == 1 and len(qd) == 1:
            monomial = not any(
                x and n in t.unplain for poly in (qn, qd) for exps in poly.monoms() for n, x in enumerate(exps)
            )
            if monomial:
                quotient = t.as_expr(qn) / t.as_expr(qd)
        ratio = _number(qn, qd)
    difference = _number(dn, dd)

    expands = any(_expands(f) for f in t.forms)

    def written() -> sympy.Expr | None:
        if expands:
            return None
        if dd.is_constant():
            return t.as_expr(dn) / t.as_expr(dd)
        # a fraction as SymPy's cancel writes one: integer coefficients without a common factor, the
        # constant multiplied into both (−x/(2y + 2)), and a positive-looking denominator
        top, bottom = (t.as_expr(x) for x in _integral(dn, dd))
        if bottom.could_extract_minus_sign():
            top, bottom = -top, -bottom
        return top / bottom

    return Shape(
        monomial, _ops_below(dn, dd, t.unplain), difference is not None, expands, ratio, difference, quotient, written
    )


def _ops_below(num: Poly, den: Poly, unplain: set[int]) -> int:
    """A lower bound on the operations (SymPy's count_ops) of num / den written out: the additions
    between terms, and for the plain atoms (symbols, family elements) of each term the products
    between them and a power for each exponent past 1. An exp is no plain atom: e^{−40u − 40} is one
    exp to SymPy and e^{u} and e raised to −40 here, so its factors count for nothing."""
    ops = 0
    for poly in (num, den):
        monoms = poly.monoms()
        ops += max(len(monoms) - 1, 0)
        for exps in monoms:
            plain = [x for n, x in enumerate(exps) if x and n not in unplain]
            ops += max(len(plain) - 1, 0) + sum(1 for x in plain if x > 1)
    return ops


def _expands(e: sympy.Basic) -> bool:
    """Whether SymPy's cancel may write the difference shorter than its polynomials say. It takes the
    content out of sums (factor_terms) and expands (its hints mul, multinomial, power_exp, power_base,
    log) first, inside function arguments too, so where an indeterminate holds something these
    rewrite, two of them may be one to SymPy: any log (log(2πσ²) = log 2π + 2 log σ for σ > 0, and
    log(2x + 2y) = log 2 + log(x + y)), a root (√(4x²)), a product with a sum (sin(x(y + 1)) against
    sin(xy + x)), a power of a sum, an exp of a sum."""
    for node in sympy.preorder_traversal(e):
        if isinstance(node, sympy.log):
            return True
        if isinstance(node, sympy.Pow) and (not node.exp.is_Integer or isinstance(node.base, sympy.Add)):
            return True
        if isinstance(node, sympy.Mul) and any(isinstance(a, sympy.Add) for a in node.args):
            return True
        if isinstance(node, sympy.exp) and isinstance(node.args[0], sympy.Add):
            return True
    return False


def _integral(num: Poly, den: Poly) -> tuple[Poly, Poly]:
    """num / den as p / q with integer coefficients and no common integer factor (as SymPy's cancel
    writes a fraction: (x + 1)/(2y), not (x/2 + 1/2)/y)."""
    scale = math.lcm(*(int(x.q) for x in (*num.coeffs(), *den.coeffs())))
    p, q = num * scale, den * scale
    g = math.gcd(*(int(x.p) for x in (*p.coeffs(), *q.coeffs())))
    return p * flint.fmpq(1, g), q * flint.fmpq(1, g)


def _number(num: Poly, den: Poly) -> sympy.Rational | None:
    """num / den as a SymPy rational when both are constants (a zero numerator is the number 0)."""
    if not (num.is_constant() and den.is_constant()):
        return None
    n = num.coeffs()[0] if len(num) else flint.fmpq(0)
    d = den.coeffs()[0]
    q = flint.fmpq(n) / flint.fmpq(d)
    return sympy.Rational(int(q.p), int(q.q))
