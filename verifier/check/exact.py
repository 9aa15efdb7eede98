"""The exact fast path: a step difference as a rational function over Q in its atoms, in FLINT.

The difference (unfolded, sums normalised into atoms) is translated node by node: rational numbers,
sums, products and integer powers become exact multivariate polynomials over Q (python-flint's
`fmpq_mpoly`), each subexpression a numerator/denominator pair. Everything else (a symbol, a family
element, exp(u), log(u), √u, π, an opaque f(x)) becomes one indeterminate per structurally distinct
subexpression. A zero numerator is then an exact proof that the difference is 0 as a rational function
of those indeterminates, hence 0 for every value they take: the same identity SymPy's `expand` and
`cancel` stages establish, with the same treatment of poles, found in C instead of pure Python.

Soundness: nothing here is floating point. A Float, an infinity or nan anywhere stops the translation
(`Untranslatable`) and the SymPy stages decide instead. Distinct indeterminates for subexpressions
that happen to be equal (exp(a + b) and exp(a)·exp(b)) can only make a true identity look nonzero,
never the reverse; then the SymPy stages, which know such rules, get their turn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy
from sympy import Indexed

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


def _exp_factors(e: sympy.Basic) -> list[tuple[sympy.Expr, int]] | None:
    """exp(Σ c_k t_k) as Π exp(t_k)^{c_k} for integer c_k (exp is a homomorphism: exact for every
    complex argument), so that e^{-u} and 1/e^{u} meet as cancel's do; None when e is not an exp
    or is one factor already."""
    if not isinstance(e, sympy.exp):
        return None
    factors: list[tuple[sympy.Expr, int]] = []
    for term in sympy.Add.make_args(e.args[0]):
        c, rest = term.as_coeff_Mul()
        if isinstance(c, sympy.Integer) and c != 0 and rest != 1:
            factors.append((sympy.exp(rest), int(c)))
        else:
            factors.append((sympy.exp(term), 1))
    if len(factors) == 1 and factors[0][1] == 1:
        return None
    if any(abs(n) > MAX_EXPONENT for _b, n in factors):
        raise Untranslatable("exponent too large")
    return factors


class _Translator:
    def __init__(self, e: sympy.Expr) -> None:
        self.atoms: dict[sympy.Basic, int] = {}
        self._collect(e)
        names = tuple(f"v{n}" for n in range(max(1, len(self.atoms))))
        self.ctx = flint.fmpq_mpoly_ctx.get(names, "lex")
        self.gens = self.ctx.gens()
        self.one = self.ctx.from_dict({(0,) * len(names): 1})
        self.rational = False

    def _collect(self, e: sympy.Basic) -> None:
        if isinstance(e, sympy.Add | sympy.Mul):
            for a in e.args:
                self._collect(a)
        elif isinstance(e, sympy.Pow) and isinstance(e.exp, sympy.Integer):
            self._collect(e.base)
        elif isinstance(e, sympy.Rational):
            return
        elif (factors := _exp_factors(e)) is not None:
            for base, _n in factors:
                self._collect(base)
        elif isinstance(e, sympy.Float) or e.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.Float):
            raise Untranslatable(type(e).__name__)
        elif e not in self.atoms:
            self.atoms[e] = len(self.atoms)

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
        factors = _exp_factors(e)
        if factors is not None:
            return self(sympy.Mul(*(sympy.Pow(b, n, evaluate=False) for b, n in factors), evaluate=False))
        return self.gens[self.atoms[e]], self.one

    def _reduce(self, num: Poly, den: Poly) -> tuple[Poly, Poly]:
        if den.is_constant():
            return num, den
        self.rational = True
        g = num.gcd(den)
        if not g.is_constant():
            num, den = num / g, den / g
        return num, den

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
    return Verdict(zero=bool(num.is_zero()), rational=t.rational, plain=all(_plain(a) for a in t.atoms))
