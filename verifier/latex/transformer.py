"""Parse tree → SymPy, following the reader's contract (docs/architecture.md); vectors live only inside."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import TypeAlias

import sympy
from lark import Token, Transformer, v_args
from lark.tree import Meta

from verifier.latex import messages as m
from verifier.latex import series, shapes
from verifier.latex.builtins import BUILTIN_FUNCTIONS, MAX_MIN
from verifier.latex.errors import ReadError
from verifier.latex.scope import Scope
from verifier.notation import FunctionSpec

MAX_EXPONENT = 1000  # |n| of a numeric exponent: keeps later expansion and evaluation bounded
MAX_RESULT_DIGITS = 300
MAX_ORDER = 10  # of a derivative: \frac{d^{n}}{dx^{n}}


Value: TypeAlias = shapes.Value
Lower: TypeAlias = tuple[sympy.Symbol, sympy.Expr | None, int]  # index, start, offset


def scalar(v: Value, what: str = "here") -> sympy.Expr:
    """v itself when it is a number; a located error for a vector or matrix."""
    if isinstance(v, shapes.Mat):
        raise shapes.not_a_number(v, what)
    if isinstance(v, shapes.Fault):
        raise ReadError(v.what, v.offset)
    return v


def _start(meta: Meta) -> int:
    """The offset where a rule's text starts (0 when the parser recorded none)."""
    return int(getattr(meta, "start_pos", 0) or 0)


def finite(e: sympy.Expr) -> sympy.Expr:
    """Refuse what SymPy turned into infinity or nan (1/0, \\log 0): no step can mean that."""
    if e.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ReadError(m.NotFinite(str(e)), 0)
    return e


# Values for a zero test of a denominator: unlikely roots of anything a reader writes
_PROBE_VALUES = (sympy.Rational(7, 13), sympy.Rational(-29, 11), sympy.Rational(113, 37))


def _not_cancelled_zero(quotient: sympy.Expr, divisor: sympy.Expr, offset: int) -> None:
    """SymPy cancels A/A as it builds it; that is only right where A ≠ 0, and wrong everywhere when A
    is identically 0 ((x+1)² − x² − 2x − 1): a quotient that lost such a divisor is refused as 0/0."""
    if divisor.is_number or quotient.has(divisor):
        return
    if _identically_zero(divisor):
        raise ReadError(m.ZeroOverZero(str(divisor)), offset)


def _identically_zero(e: sympy.Expr) -> bool:
    """Whether e is 0 for every value (only asked of a denominator SymPy cancelled away): 0 after
    expanding, or (at every one of a few odd points) 0 to 60 digits. Opaque parts cannot be tested."""
    if sympy.expand(e) == 0:
        return True
    atoms = [a for a in e.atoms(sympy.Symbol, sympy.Indexed) if a.is_real is not False]
    for shift, _ in enumerate(_PROBE_VALUES):
        subs = {a: _PROBE_VALUES[(n + shift) % len(_PROBE_VALUES)] + n for n, a in enumerate(sorted(atoms, key=str))}
        try:
            v = e.xreplace(subs).evalf(60)
        except (TypeError, ValueError, ZeroDivisionError):
            return False
        if not v.is_number or abs(v) > sympy.Float("1e-40"):
            return False
    return True


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


def _free_in(values: tuple[Value, ...]) -> set[sympy.Basic]:
    """The symbols an argument may bring into a body (a vector's entry, and the bounds of its sides)."""
    free: set[sympy.Basic] = set()
    for v in values:
        if isinstance(v, shapes.Mat):
            free |= v.entry.free_symbols - {shapes.ROW, shapes.COL}
            for side in (v.rows, v.cols):
                if side is not None:
                    free |= side.lo.free_symbols | side.hi.free_symbols
        elif isinstance(v, sympy.Basic):
            free |= v.free_symbols
    return free


def _binds_any(e: sympy.Basic, names: set[sympy.Basic]) -> bool:
    """Whether a sum or product in e binds one of `names`."""
    return any(lim[0] in names for s in e.atoms(sympy.Sum, sympy.Product) for lim in s.limits)


@v_args(inline=True)
class Builder(Transformer[Token, object]):
    """Builds SymPy expressions from the parse tree in one scope."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    # -- start symbols and relations
    def start_expr(self, e: Value) -> shapes.StepValue:
        value = shapes.finish(e)
        if isinstance(value, shapes.Mat):
            finite(value.entry)
            return value
        return value if isinstance(value, shapes.Fault) else finite(value)

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

    # -- arithmetic (numbers, vectors and matrices: verifier/latex/shapes.py)
    def plus_term(self, _plus: Token, term: Value) -> Value:
        return term

    def minus_term(self, _minus: Token, term: Value) -> Value:
        return shapes.negate(term)

    @v_args(inline=True, meta=True)
    def terms(self, meta: Meta, first: Value, *more: Value) -> Value:
        """first ± term ± …, each later term already carrying its sign."""
        return shapes.add([first, *more], _start(meta))

    def neg(self, _minus: Token, a: Value) -> Value:
        return shapes.negate(a)

    def pos(self, _plus: Token, a: Value) -> Value:
        return a

    def times(self, op: Token, factor: Value) -> tuple[Token, Value]:
        return op, factor

    def over(self, op: Token, factor: Value) -> tuple[Token, Value]:
        return op, factor

    def factors(self, first: Value, *more: tuple[Token, Value]) -> Value:
        """first · f / g ⊙ h …: `\\cdot` between two vectors is their dot product, `\\times` never is."""
        values = [first, *(f for _, f in more)]
        if not any(isinstance(v, shapes.Mat | shapes.Fault) for v in values) and all(
            op.type != "ODOT" for op, _ in more
        ):
            # numbers only: collected into one Mul at the end; multiplying one factor at a time
            # re-flattens the growing product each time, which is quadratic (a 1 400-factor chain took 15 s)
            out = [scalar(first)]
            out += [1 / scalar(f) if op.type == "SLASH" else scalar(f) for op, f in more]
            product = sympy.Mul(*out)
            for op, f in more:
                if op.type == "SLASH":
                    _not_cancelled_zero(product, scalar(f), op.start_pos or 0)
            return product
        acc = first
        for op, factor in more:
            at = op.start_pos or 0
            if op.type == "SLASH":
                acc = shapes.divide(acc, factor, at)
            elif op.type == "ODOT":
                acc = shapes.hadamard(acc, factor, at)
            elif str(op) == "\\times" and isinstance(acc, shapes.Mat) and isinstance(factor, shapes.Mat):
                raise ReadError(m.CrossProduct(factor.name or "this vector"), at)
            elif str(op) == "\\cdot":
                acc = shapes.dot(acc, factor, at, self.scope.layout)
            else:
                acc = shapes.matmul(acc, factor, at, self.scope.layout)
        return acc

    def implicit(self, *factors: Value) -> Value:
        """Juxtaposition: products of numbers, and matrix products (θ^T x is a number). Numbers
        commute, so they stay outside the matrix product (y θ^T x is y·Σ_k θ_k x_k)."""
        numbers = [f for f in factors if not isinstance(f, shapes.Mat | shapes.Fault)]
        mats = [f for f in factors if isinstance(f, shapes.Mat | shapes.Fault)]
        if not mats:
            return sympy.Mul(*numbers)
        acc: Value = mats[0]
        for f in mats[1:]:
            acc = shapes.matmul(acc, f, f.offset, self.scope.layout)
        return shapes.matmul(sympy.Mul(*numbers), acc, 0) if numbers else acc

    def power(self, base: Value, caret: Token, exp: Value) -> Value:
        at = caret.start_pos or 0
        if not isinstance(base, shapes.Mat | shapes.Fault) and not isinstance(exp, shapes.Mat | shapes.Fault):
            _check_power(base, exp, at)
        return shapes.power(base, exp, at)

    def transpose(self, atom: Value, _tok: Token) -> Value:
        return shapes.transpose(atom)

    def brace(self, x: Value) -> Value:
        return x

    def abs(self, x: Value) -> sympy.Expr:
        return sympy.Abs(scalar(x))

    @v_args(inline=True, meta=True)
    def frac(self, meta: Meta, a: Value, b: Value) -> Value:
        out = shapes.divide(a, b, _start(meta))
        if isinstance(out, sympy.Expr) and isinstance(b, sympy.Expr):
            _not_cancelled_zero(out, b, _start(meta))
        return out

    def sqrt(self, n: Value | None, x: Value) -> sympy.Expr:
        if n is None:
            return sympy.sqrt(scalar(x))
        index, radicand = scalar(n), scalar(x)
        if index.is_Integer and index % 2 == 1 and radicand.is_real is not False:
            # an odd root of a real is the real root, as on paper (∛−8 = −2), not SymPy's principal one
            return sympy.real_root(radicand, index)
        return sympy.root(radicand, index)

    @v_args(inline=True, meta=True)
    def log(self, meta: Meta, base: Value | None, x: Value) -> Value:
        if base is None:
            return _entrywise(sympy.log, x)
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

    def ln(self, x: Value) -> Value:
        return _entrywise(sympy.log, x)

    def exp(self, x: Value) -> Value:
        return _entrywise(sympy.exp, x)

    # -- names
    def symbol(self, tok: Token) -> Value:
        sym = self.scope.symbols[str(tok)]
        shaped = self.scope.shaped.get(str(tok))
        if shaped is not None and shaped[0] is sym:
            # a defined vector or matrix: read like a declared one, its entries h[r, c] a defined family
            # (declarations._shaped_definition), unfolded to the define's entries by the checker
            return replace(shaped[1], offset=tok.start_pos or 0)
        return sym

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
            if (not v.is_number and v.is_integer is False) or (v.free_symbols and _real_not_integer(v)):
                # x_{\\alpha} with α declared real, or x^{\\alpha} with a family x^i: no element has a real
                # index, and a power is not what the family's spelling says; refuse rather than pick one
                raise ReadError(m.IndexNotIntegerName(str(v)), _start(meta))
        return out

    def args(self, *items: Value) -> tuple[Value, ...]:
        return items

    def family(self, tok: Token, idx: tuple[sympy.Expr, ...]) -> sympy.Expr:
        fam = self.scope.families[str(tok)]
        return sympy.Indexed(fam.base, *idx)

    def vector(self, tok: Token, idx: tuple[sympy.Expr, ...] | None) -> shapes.Mat:
        """A declared vector or matrix: its entry template in the placeholders ROW, COL."""
        bound = self.scope.bound.get(str(tok))
        if bound is not None:  # a matrix_args parameter, in the define being applied
            return replace(bound, offset=tok.start_pos or 0)
        info = self.scope.vectors[str(tok)]
        dims = [None if r is None else shapes.Dim(r.lower, r.upper) for r in info.ranges] or [None]
        fixed = idx or ()
        if len(info.free_at) == 2:
            rows, cols = dims
            entry = info.element(fixed, (shapes.ROW, shapes.COL))
        elif info.row:
            rows, cols = shapes.ONE, dims[0]
            entry = info.element(fixed, (shapes.COL,))
        else:
            rows, cols = dims[0], shapes.ONE
            entry = info.element(fixed, (shapes.ROW,))
        return shapes.Mat(rows, cols, entry, tok.start_pos or 0, name=info.spelling)

    @v_args(inline=True, meta=True)
    def matrow(self, meta: Meta, *cells: Value) -> tuple[int, list[sympy.Expr]]:
        return _start(meta), [scalar(c, "as an entry of an explicit matrix") for c in cells]

    def matrix(self, begin: Token, *rows: tuple[int, list[sympy.Expr]] | None) -> Value:
        """`\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}`: rows by `\\\\`, cells by `&`; every row as
        long as the first (a ragged row is an error at that row)."""
        filled = [r for r in rows if r is not None]  # the optional trailing \\\\ gives None
        width = len(filled[0][1])
        for at, cells in filled[1:]:
            if len(cells) != width:
                raise ReadError(m.RaggedMatrix(len(cells), width), at)
        if len(filled) > shapes.MAX_WRITTEN_OUT or width > shapes.MAX_WRITTEN_OUT:
            raise ReadError(m.MatrixTooLarge(shapes.MAX_WRITTEN_OUT), begin.start_pos or 0)
        return shapes.written([cells for _, cells in filled], begin.start_pos or 0)

    def ones(self, tok: Token, size: Value | None) -> shapes.Mat:
        return shapes.ones(None if size is None else scalar(size, "as a size"), tok.start_pos or 0)

    def identity(self, tok: Token, size: Value | None) -> shapes.Mat:
        return shapes.identity(None if size is None else scalar(size, "as a size"), tok.start_pos or 0)

    def diag(self, tok: Token, v: Value) -> Value:
        return shapes.diag(v, tok.start_pos or 0)

    @v_args(inline=True, meta=True)
    def norm(self, meta: Meta, v: Value, sub: Value | None) -> Value:
        return shapes.norm(v, None if sub is None else scalar(sub), _start(meta))

    def outcomes(self, *items: Value) -> tuple[Value, ...]:
        return items

    @v_args(inline=True, meta=True)
    def outcome(self, meta: Meta, left: Value, value: Value | None) -> Value | tuple[Value, int]:
        """`y` is the outcome's value; in the event `\\hat{y} = 1` the value is 1, and the left side names the
        outcome (it must be one declared name: it is read, but it is not an argument)."""
        if value is None:
            return left
        return (value, _start(meta)) if _is_name(left) else (value, -1 - _start(meta))

    def conditional(
        self,
        tok: Token,
        outcomes: tuple[Value | tuple[Value, int], ...],
        given: tuple[Value, ...] | None,
        params: tuple[Value, ...] | None,
    ) -> Value:
        """P(y \\mid x; \\theta): the declared function of its arguments in written order (outcomes, given,
        parameters), checked against the declared form so that no argument is silently moved."""
        name = str(tok)
        spec = self.scope.functions[name]
        at = tok.start_pos or 0
        got = (len(outcomes), len(given or ()), len(params or ()))
        assert spec.form is not None
        if got != spec.form:
            raise ReadError(m.ConditionalForm(name, _form(name, spec.form), _form(name, got)), at)
        values: list[Value] = []
        for o in outcomes:
            if isinstance(o, tuple):
                value, where = o
                if where < 0:
                    raise ReadError(m.EventNotAName(name), -1 - where)
                values.append(value)
            else:
                values.append(o)
        return self.apply(tok, None, (*values, *(given or ()), *(params or ())))

    @v_args(inline=True, meta=True)
    def frobenius(self, meta: Meta, v: Value, _mark: Token) -> Value:
        return shapes.norm(v, None, _start(meta), frobenius=True)

    def apply(self, tok: Token, prime: Token | None, args: tuple[Value, ...]) -> Value:
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
        if spec.matrix_params:
            if prime is not None:
                raise ReadError(m.MatrixFunctionPrime(name), at)
            return self._apply_shaped(name, args, at)
        if len(args) == 1 and isinstance(args[0], shapes.Mat | shapes.Fault):
            # a scalar function of a vector or matrix acts entry by entry (σ(Xθ), σ'(z))
            return _entrywise(lambda e: self._apply_scalar(spec, prime, [e]), args[0])
        values = [scalar(a, f"as an argument of {name}") for a in args]
        return self._apply_scalar(spec, prime, values, at)

    def _apply_scalar(
        self, spec: FunctionSpec, prime: Token | None, values: list[sympy.Expr], at: int = 0
    ) -> sympy.Expr:
        if prime is not None:
            if len(values) != 1:
                raise ReadError(m.PrimeNeedsOneArgument(spec.spelling), at)
            d = sympy.Dummy("d")
            return sympy.Subs(sympy.Derivative(spec.head(d), (d, len(str(prime)))), d, values[0])
        return spec.head(*values)

    def _expand(self, name: str, args: tuple[Value, ...], at: int) -> Value:
        """A function of a vector: its body with the arguments substituted (vectors have no SymPy value).

        A vector argument must have the length the body sums its parameter over (θᵀu sums u over θ's
        range); its components are paired in order, each counted from its own start. A matrix, a vector
        of another length, or an argument that cannot be formed makes the application a Fault (a refuted
        step with the shapes), never a silent reading of components that do not exist."""
        spec = self.scope.functions[name]
        if spec.body is None:
            raise ReadError(m.VectorFunctionOrder(name), at)
        # the arguments may mention an index the body sums over (S(x^{(i)}) with Σ_i in S's body):
        # then the body's bound variables get fresh names first, so nothing is captured. Otherwise
        # the body is used as it is, so that the same application reads to the same object every
        # time (SymPy's caches then serve its evaluation and its assumptions again).
        body = fresh_bound(spec.body) if _binds_any(spec.body, _free_in(args)) else spec.body
        scalars: dict[sympy.Basic, sympy.Basic] = {}
        for p, a in zip(spec.params, args, strict=True):
            if p.name in spec.vector_params:
                if isinstance(a, shapes.Fault):
                    return a
                if not isinstance(a, shapes.Mat) or a.rows is None or a.cols is None:
                    raise ReadError(m.VectorArgumentExpected(name, p.name), getattr(a, "offset", at))
                if not (a.cols.one or a.rows.one):
                    return shapes.Fault(m.ShapeFunctionArgument(name, p.name, shapes.describe(a)), a.offset)
                label = sympy.IndexedBase(p)
                length = a.rows if a.cols.one else a.cols
                assert length is not None
                ranges = _summed_ranges(body, label)
                if any(not shapes.same(shapes.Dim(lo, hi), length) for lo, hi in ranges.values()):
                    lo, hi = next(iter(ranges.values()))
                    wanted = shapes.size_text(shapes.Dim(lo, hi))
                    return shapes.Fault(
                        m.ShapeFunctionArgumentLength(name, p.name, wanted, shapes.describe(a)), a.offset
                    )

                # the body uses the parameter only through its components: a row (seed 004's
                # sample x in xθ) gives them as well as a column
                def component(
                    e: sympy.Indexed,
                    vec: shapes.Mat = a,
                    side: shapes.Dim = length,
                    ranges: dict[sympy.Symbol, tuple[sympy.Expr, sympy.Expr]] = ranges,
                ) -> sympy.Expr:
                    k = e.indices[0]
                    starts = [lo for var, (lo, _) in ranges.items() if var in k.free_symbols]
                    return _component(vec, k + side.lo - starts[0] if starts else k)

                body = body.replace(
                    lambda e, label=label: isinstance(e, sympy.Indexed) and e.base == label,
                    component,
                )
            else:
                scalars[p] = scalar(a, f"as an argument of {name}")
        return body.xreplace(scalars)

    def _apply_shaped(self, name: str, args: tuple[Value, ...], at: int) -> Value:
        """A function declared with matrix_args: its define read with the arguments in place, so its value
        (a number, a vector or a matrix) and its shape follow from the define and the arguments' shapes.

        Each vector or matrix argument is read into the define as a placeholder of its own shape, whose
        entries are put in afterwards (after the define's own sums got fresh bound variables, so that an
        index in an argument is never captured by a sum of the define). What the arguments make
        impossible is a located error at the application (unreadable) or a Fault (a refuted step)."""
        from verifier.latex.reader import read_in_scope  # the reader builds with this class

        spec = self.scope.functions[name]
        local = self.scope.bodies.get(name)
        if spec.shaped is None or local is None:
            raise ReadError(m.VectorFunctionOrder(name), at)
        bound: dict[str, shapes.Mat] = {}
        whole: dict[sympy.IndexedBase, shapes.Mat] = {}
        scalars: dict[sympy.Basic, sympy.Basic] = {}
        for p, a in zip(spec.params, args, strict=True):
            if p.name not in spec.matrix_params:
                scalars[p] = scalar(a, f"as an argument of {name}")
                continue
            if isinstance(a, shapes.Fault):
                return a
            if not isinstance(a, shapes.Mat):
                raise ReadError(m.MatrixArgumentExpected(name, p.name, "a number"), at)
            if a.rows is None or a.cols is None:
                raise ReadError(m.UnknownSize("\\mathbf{1} or I"), a.offset)
            label = sympy.IndexedBase(p)
            bound[p.name] = shapes.Mat(a.rows, a.cols, sympy.Indexed(label, shapes.ROW, shapes.COL))
            whole[label] = a
        try:
            value = read_in_scope(spec.shaped, replace(local, bound=bound), shaped=True)
        except ReadError as err:
            raise ReadError(m.InDefinition(name, err.message), at) from None
        if isinstance(value, shapes.Fault):
            written = ", ".join(shapes.describe(a) if isinstance(a, shapes.Mat) else "·" for a in args)
            return shapes.Fault(m.ShapeInDefinition(name, written, value.message), at)

        def put(e: sympy.Basic) -> sympy.Basic:
            e = fresh_bound(e).replace(
                lambda x: isinstance(x, sympy.Indexed) and x.base in whole,
                lambda x: whole[x.base].at(*x.indices),
            )
            return e.xreplace(scalars)

        if isinstance(value, shapes.Mat):
            return shapes.normal(shapes.Mat(value.rows, value.cols, put(value.entry), at))
        return put(value)

    # -- sums, products, derivatives
    def lower(self, tok: Token, start: Value | None) -> Lower:
        sym = self.scope.symbols[str(tok)]
        if sym not in self.scope.indices:
            raise ReadError(m.NotAnIndex(str(tok)), tok.start_pos or 0)
        assert isinstance(sym, sympy.Symbol)
        return sym, None if start is None else scalar(start), tok.start_pos or 0

    def upper(self, _caret: Token, e: Value) -> sympy.Expr:
        return scalar(e)

    def upper_infinite(self, _caret: Token, tok: Token) -> tuple[sympy.Expr, int]:
        return sympy.oo, tok.start_pos or 0

    def bigop(
        self, op: Token, lower: Lower, upper: sympy.Expr | tuple[sympy.Expr, int] | None, body: Value
    ) -> Value:
        sym, start, _ = lower
        if isinstance(upper, tuple):  # \\sum_{k=0}^{\\infty}
            if str(op) != "\\sum" or start is None or isinstance(body, shapes.Mat | shapes.Fault):
                raise ReadError(m.InfiniteSeriesKind(), upper[1])
            return series.closed_form(body, sym, start, self.scope.words, upper[1])
        r = self.scope.indices[sym]
        limits = (sym, r.lower if start is None else start, r.upper if upper is None else upper)
        if isinstance(body, shapes.Fault):
            return body
        if isinstance(body, shapes.Mat):
            return shapes.summed(body, limits, str(op) != "\\sum")
        cls = sympy.Sum if str(op) == "\\sum" else sympy.Product
        return cls(body, limits)

    def bigop_upper_first(self, op: Token, upper: sympy.Expr, lower: Lower, body: Value) -> Value:
        return self.bigop(op, lower, upper, body)

    def dmark(self, tok: Token) -> Token:
        return tok

    def _variable(self, v: Value, at: int) -> Value:
        if isinstance(v, shapes.Mat):
            return v
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
    def dpart(self, meta: Meta, _mark: Token, var: Value, order: tuple[int, int] | None) -> tuple[Value, int]:
        return self._variable(var, _start(meta)), 1 if order is None else order[0]

    @v_args(inline=True, meta=True)
    def dpart_transposed(self, meta: Meta, _mark: Token, var: Value, mark: Token) -> tuple[Value, int]:
        """∂θ^T: read only as one half of the Hessian ∂²J/∂θ∂θ^T (kind "transposed" says so to _derive)."""
        at = mark.start_pos or 0
        if not isinstance(var, shapes.Mat):
            raise ReadError(m.TransposeWithoutVector(), at)
        flipped = shapes.transpose(self._variable(var, _start(meta)))
        assert isinstance(flipped, shapes.Mat)
        return replace(flipped, kind="transposed", offset=at), 1

    @v_args(inline=True, meta=True)
    def dden(self, meta: Meta, *parts: tuple[Value, int]) -> tuple[tuple[Value, int], ...]:
        return (*parts, (sympy.Integer(0), _start(meta)))  # the last pair carries the position

    def _derive(self, e: Value, top: int, den: tuple[tuple[Value, int], ...]) -> Value:
        *parts, (_, at) = den
        bottom = sum(n for _, n in parts)
        if bottom != top:
            raise ReadError(m.DerivativeOrders(top, bottom), at)
        shaped = [v for v, _ in parts if isinstance(v, shapes.Mat)]
        if isinstance(e, shapes.Mat | shapes.Fault) or shaped:
            if len(parts) == 2 and top == 2 and len(shaped) == 2:
                # ∂²J/∂θ∂θ^T: the Hessian, when both are the one vector (one of them transposed)
                return shapes.hessian(e, shaped[0], shaped[1], at)
            flipped = next((v for v in shaped if v.kind == "transposed"), None)
            if flipped is not None:
                raise ReadError(m.TransposeWithoutVector(), flipped.offset)
            if len(parts) != 1 or top != 1:
                raise ReadError(m.UnsupportedDerivative("a higher order", "a vector or matrix"), at)
            return shapes.derivative(e, parts[0][0], self.scope.layout, False, at)
        # ∂²L/∂w∂b is ∂/∂w (∂L/∂b): the variable written last is taken first
        return sympy.Derivative(e, *reversed(parts), evaluate=False)

    def derivative(self, top: int, num: Value, den: tuple[tuple[Value, int], ...]) -> Value:
        return self._derive(num, top, den)

    def diffop(self, top: int, den: tuple[tuple[Value, int], ...], body: Value) -> Value:
        return self._derive(body, top, den)
    def hessian(self, tok: Token, order: tuple[int, int], var: Value, body: Value) -> Value:
        """∇²_θ J: the square matrix of second derivatives ∂²J/∂θ_r∂θ_c."""
        if order[0] != 2:
            raise ReadError(m.UnsupportedDerivative(f"order {order[0]}", "a vector"), order[1])
        v = self._variable(var, tok.start_pos or 0)
        if not isinstance(v, shapes.Mat):
            raise ReadError(m.NablaOfNumber(), tok.start_pos or 0)
        return shapes.hessian(body, v, shapes.transpose(v), tok.start_pos or 0)

    def hessian_sub_first(self, tok: Token, var: Value, order: tuple[int, int], body: Value) -> Value:
        return self.hessian(tok, order, var, body)

    def nabla(self, tok: Token, var: Value, body: Value) -> Value:
        v = self._variable(var, tok.start_pos or 0)
        return shapes.derivative(body, v, self.scope.layout, True, tok.start_pos or 0)


def _summed_ranges(body: sympy.Basic, label: sympy.IndexedBase) -> dict[sympy.Symbol, tuple[sympy.Expr, sympy.Expr]]:
    """The sums' variables that index the parameter `label` in a function body, with their ranges."""
    out: dict[sympy.Symbol, tuple[sympy.Expr, sympy.Expr]] = {}
    for total in body.atoms(sympy.Sum):
        used = {s for e in total.function.atoms(sympy.Indexed) if e.base == label for s in e.indices[0].free_symbols}
        for var, lo, hi in total.limits:
            if var in used:
                out[var] = (lo, hi)
    return out


def _component(v: shapes.Mat, k: sympy.Expr) -> sympy.Expr:
    """Component k of a column or a row."""
    assert v.rows is not None and v.cols is not None
    return v.at(k, v.cols.lo) if v.cols.one else v.at(v.rows.lo, k)


def _real_not_integer(v: sympy.Expr) -> bool:
    """Whether an index expression holds a symbol declared as a number that need not be an integer."""
    return any(s.is_integer is not True and s.is_real is True for s in v.free_symbols)


def _form(name: str, form: tuple[int, int, int]) -> str:
    """`P(v \\mid u; t)` for a form (1, 1, 1): how a conditional's call is written."""
    before, given, params = (", ".join(["·"] * n) for n in form)
    return f"{name}({before}" + (f" \\mid {given}" if given else "") + (f"; {params}" if params else "") + ")"


def _is_name(v: Value) -> bool:
    """One declared name: a symbol, a family element or a vector (an event's outcome)."""
    if isinstance(v, sympy.Symbol | sympy.Indexed):
        return True
    return isinstance(v, shapes.Mat) and v.name is not None


def _entrywise(fn: Callable[[sympy.Expr], sympy.Expr], x: Value) -> Value:
    """fn of a number, or of every entry of a vector or matrix."""
    if isinstance(x, shapes.Fault):
        return x
    if isinstance(x, shapes.Mat):
        return shapes.elementwise(fn, x)
    return fn(x)
