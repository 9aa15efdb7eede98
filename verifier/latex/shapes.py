"""Vectors and matrices in a step (contract §5.1): shapes inferred for every sub-expression, and each
matrix expression built as its generic entry.

A `Mat` is a shape (rows × cols, each an inclusive index range, or unknown for 𝟏 and I until the
context sizes them) and an entry template: a scalar SymPy expression in the two placeholders ROW and
COL. `A B` is the entry Σ_k A(ROW, k) B(k, COL) with a fresh integer dummy k, `Aᵀ` swaps the
placeholders, `I` is δ(ROW, COL), and so on, so a matrix step reduces to one scalar expression in
symbolic indices that the componentwise checker already decides (verifier/check/matrix.py).

An operation that cannot be formed ((n×1)(n×n), a column plus a row) is not unreadable text: it is a
`Fault`, carried up to the step, which the checker reports as a refuted step naming the shapes. Only
notation with no reading at all (x² of a vector, an unsized 𝟏) is a ReadError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeAlias

import sympy

from verifier.latex import messages as msg
from verifier.latex.errors import ReadError
from verifier.model import Layout

# Entry placeholders: every Mat's entry is written in these two; `Mat.at` puts actual indices in.
ROW = sympy.Dummy("row", integer=True)
COL = sympy.Dummy("col", integer=True)


@dataclass(frozen=True)
class Dim:
    """One side of a shape: the inclusive index range lo..hi (θ_0..θ_p is Dim(0, p), size p + 1)."""

    lo: sympy.Expr
    hi: sympy.Expr

    @property
    def size(self) -> sympy.Expr:
        return sympy.expand(self.hi - self.lo + 1)

    @property
    def one(self) -> bool:
        return self.size == 1


ONE = Dim(sympy.Integer(1), sympy.Integer(1))


def same(a: Dim, b: Dim) -> bool:
    """Equal sizes, symbolically (m and n are different sizes even though they may be equal)."""
    return sympy.expand(a.size - b.size) == 0


@dataclass(frozen=True)
class Mat:
    """A matrix-valued sub-expression: its shape and its entry template in ROW and COL.

    `rows`/`cols` None: sized by context (𝟏, I; `square` ties both sides of I together).
    `name`: the declared spelling when this is a declared vector or matrix as written, or a defined
    one read by its name (a variable a derivative may be taken against). `kind`: "gradient" or
    "jacobian" for a derivative, so that a chain rule written in the wrong order can be diagnosed.
    """

    rows: Dim | None
    cols: Dim | None
    entry: sympy.Expr
    offset: int = 0
    name: str | None = None
    square: bool = False
    kind: str | None = None
    broadcast: bool = False  # a number was added to it entry by entry (1 - y): `--explain` says so

    def at(self, i: sympy.Expr, j: sympy.Expr) -> sympy.Expr:
        """The entry at (i, j) (simultaneous replacement: at(COL, ROW) transposes)."""
        return self.entry.xreplace({ROW: i, COL: j})

    @property
    def variable(self) -> bool:
        return self.name is not None


@dataclass(frozen=True)
class Fault:
    """An operation that cannot be formed: the step holding it is refuted with this message."""

    what: msg.Message
    offset: int = 0

    @property
    def message(self) -> str:
        return str(self.what)


Value: TypeAlias = sympy.Expr | Mat | Fault
StepValue: TypeAlias = sympy.Expr | Mat | Fault  # what a step reads as


# ---- words for shapes -------------------------------------------------------------------------
def size_text(d: Dim | None) -> str:
    if d is None:
        return "?"
    text = sympy.sstr(d.size)
    return f"({text})" if not (d.size.is_Symbol or d.size.is_Integer) else text


def shape_text(m: Mat | sympy.Expr) -> str:
    """`m×1`, `1×n`, `m×(p + 1)`; a number is 1×1."""
    if not isinstance(m, Mat):
        return "1×1"
    return f"{size_text(m.rows)}×{size_text(m.cols)}"


def describe(m: Mat | sympy.Expr) -> str:
    """`a number`, `the n×1 column`, `the 1×n row`, `the m×n matrix`."""
    if not isinstance(m, Mat):
        return "a number"
    shape = shape_text(m)
    if m.cols is not None and m.cols.one:
        return f"the {shape} column"
    if m.rows is not None and m.rows.one:
        return f"the {shape} row"
    return f"the {shape} matrix"


def negate(v: Value) -> Value:
    if isinstance(v, Fault):
        return v
    if isinstance(v, Mat):
        return scale(sympy.Integer(-1), v)
    return -v


# ---- helpers ----------------------------------------------------------------------------------
def first_fault(*values: object) -> Fault | None:
    for v in values:
        if isinstance(v, Fault):
            return v
    return None


def _resolved(m: Mat, rows: Dim | None, cols: Dim | None) -> Mat:
    """m with its unknown sides fitted (I keeps square: both sides take the size found for one)."""
    r = m.rows if m.rows is not None else rows
    c = m.cols if m.cols is not None else cols
    entry = m.entry
    if m.square:
        r = r if r is not None else c
        c = c if c is not None else r
        if r is not None and c is not None and sympy.expand(r.lo - c.lo) != 0:
            # I's δ(ROW, COL) pairs equal indices; between sides that start at different places
            # (0..p against 1..p+1) the identity pairs them in order, each counted from its own start
            entry = entry.xreplace({ROW: ROW - r.lo, COL: COL - c.lo})
    return replace(m, rows=r, cols=c, entry=entry, square=m.square and r is None)


def _index(d: Dim | None, target: Dim | None, placeholder: sympy.Expr) -> sympy.Expr:
    """The index into a side d for the placeholder of a side target of the same size."""
    if d is None or d.one:
        return d.lo if d is not None else placeholder
    shift = 0 if target is None else d.lo - target.lo
    return placeholder + shift


def aligned(m: Mat, rows: Dim | None, cols: Dim | None) -> sympy.Expr:
    """m's entry written in the placeholders of a shape (rows, cols) of the same sizes."""
    return m.at(_index(m.rows, rows, ROW), _index(m.cols, cols, COL))


def scalar_of(m: Mat) -> sympy.Expr:
    """The entry of a 1×1 Mat."""
    assert m.rows is not None and m.cols is not None
    return m.at(m.rows.lo, m.cols.lo)


def normal(m: Mat) -> Value:
    """1×1 is a number (`x^T y`)."""
    if m.rows is not None and m.cols is not None and m.rows.one and m.cols.one:
        return scalar_of(m)
    return m


# ---- building blocks --------------------------------------------------------------------------
def ones(size: sympy.Expr | None, offset: int) -> Mat:
    """𝟏 (a column of ones), sized by `\\mathbf{1}_m` or by context."""
    rows = None if size is None else Dim(sympy.Integer(1), size)
    return Mat(rows, ONE, sympy.Integer(1), offset)


def identity(size: sympy.Expr | None, offset: int) -> Mat:
    """I: δ(ROW, COL), square, sized by `I_n` or by context."""
    d = None if size is None else Dim(sympy.Integer(1), size)
    return Mat(d, d, sympy.KroneckerDelta(ROW, COL), offset, square=d is None)


MAX_WRITTEN_OUT = 16  # rows or columns of a matrix written out in bmatrix/pmatrix


def explicit(m: Mat) -> bool:
    """Whether m holds a matrix written out cell by cell (its entry picks cells by δ(ROW, 1), …)."""
    return any(
        any(arg.is_Integer for arg in d.args) for d in m.entry.atoms(sympy.KroneckerDelta)
    )


def written(rows: list[list[sympy.Expr]], offset: int) -> Value:
    """A matrix written out entry by entry: entry (r, c) is Σ δ(ROW, r) δ(COL, c) e_rc over its cells
    (sides 1..R and 1..C), so that at concrete indices it is exactly the cell written; a 1×1 is a number."""
    entry = sympy.Add(
        *(
            cell * sympy.KroneckerDelta(ROW, r) * sympy.KroneckerDelta(COL, c)
            for r, cells in enumerate(rows, 1)
            for c, cell in enumerate(cells, 1)
            if cell != 0
        )
    )
    one = sympy.Integer(1)
    return normal(Mat(Dim(one, sympy.Integer(len(rows))), Dim(one, sympy.Integer(len(rows[0]))), entry, offset))


def transpose(v: Value) -> Value:
    if not isinstance(v, Mat):
        return v  # a number is its own transpose; a Fault stays
    entry = v.entry.xreplace({ROW: COL, COL: ROW})
    return Mat(v.cols, v.rows, entry, v.offset, square=v.square, broadcast=v.broadcast)


def scale(s: sympy.Expr, m: Mat) -> Mat:
    return replace(m, entry=s * m.entry, name=None, kind=None)


def elementwise(fn: Callable[[sympy.Expr], sympy.Expr], m: Mat) -> Mat:
    """A scalar function applied entry by entry (`\\sigma(X\\theta)`, `\\log a`, `e^{z}`)."""
    if m.square and m.rows is None:
        raise ReadError(msg.UnknownSize("I"), m.offset)
    return replace(m, entry=fn(m.entry), name=None, kind=None, square=False)


def add(values: list[Value], offset: int) -> Value:
    """A sum of terms (each already signed): numbers broadcast, vectors and matrices must agree."""
    fault = first_fault(*values)
    if fault is not None:
        return fault
    scalars = [v for v in values if not isinstance(v, Mat)]
    mats = [v for v in values if isinstance(v, Mat)]
    if not mats:
        return sympy.Add(*scalars)
    rows = next((m.rows for m in mats if m.rows is not None), None)
    cols = next((m.cols for m in mats if m.cols is not None), None)
    if rows is None and cols is None and any(m.square for m in mats):
        cols = None
    fitted = [_resolved(m, rows, cols) for m in mats]
    base = fitted[0]
    for m in fitted[1:]:
        if not _fits(base.rows, m.rows) or not _fits(base.cols, m.cols):
            why = "the shapes differ"
            if _vector(base) and _vector(m) and _column(base) != _column(m):
                why = "only a number broadcasts: a column plus a row is not formed"
            return Fault(msg.ShapeSum(describe(base), describe(m), why), m.offset)
    rows, cols = base.rows, base.cols
    entry = sympy.Add(*scalars, *(aligned(m, rows, cols) for m in fitted))
    spread = bool(scalars) or any(m.broadcast for m in fitted)
    return Mat(rows, cols, entry, base.offset, square=base.square, broadcast=spread)


def _fits(a: Dim | None, b: Dim | None) -> bool:
    return a is None or b is None or same(a, b)


def _chain_hint(a: Mat, b: Mat, layout: Layout) -> str:
    if a.kind == "gradient" and b.kind == "jacobian" and layout is Layout.DENOMINATOR:
        return str(msg.ShapeChainRuleDenominator())
    if a.kind == "jacobian" and b.kind == "gradient" and layout is Layout.NUMERATOR:
        return str(msg.ShapeChainRuleNumerator())
    return ""


def _product_hint(a: Mat, b: Mat) -> str:
    """The classic slip a product that cannot be formed points to, when one fits (a transpose missing,
    the factors reversed); none when several readings would fit equally (a square factor) or none does."""
    assert a.rows is not None and a.cols is not None and b.rows is not None and b.cols is not None
    fits = [
        (same(a.rows, b.rows), msg.HintTransposeLeft()),
        (same(a.cols, b.cols), msg.HintTransposeRight()),
        (same(b.cols, a.rows), msg.HintReversed()),
    ]
    found = [str(hint) for ok, hint in fits if ok]
    return found[0] if len(found) == 1 else ""


def matmul(a: Value, b: Value, offset: int, layout: Layout = Layout.DENOMINATOR) -> Value:
    """The product a b: scalar × anything, or the matrix product (1×1 is a number)."""
    fault = first_fault(a, b)
    if fault is not None:
        return fault
    if not isinstance(a, Mat) and not isinstance(b, Mat):
        return a * b  # type: ignore[operator]
    if not isinstance(a, Mat):
        assert isinstance(b, Mat)
        return scale(a, b)
    if not isinstance(b, Mat):
        return scale(b, a)
    inner = a.cols if a.cols is not None else b.rows
    if inner is None:
        raise ReadError(msg.UnknownSize("this product"), b.offset)
    a, b = _resolved(a, None, inner), _resolved(b, inner, None)
    assert a.cols is not None and b.rows is not None
    if not same(a.cols, b.rows):
        hint = _chain_hint(a, b, layout) or _product_hint(a, b)
        return Fault(msg.ShapeProduct(shape_text(a), shape_text(b), describe(a), describe(b), hint), b.offset)
    if a.cols.one:
        entry = a.at(ROW, a.cols.lo) * b.at(b.rows.lo, COL)
    elif (explicit(a) or explicit(b)) and a.cols.size.is_Integer and int(a.cols.size) <= MAX_WRITTEN_OUT:
        # a written-out matrix: the few terms of the product written out too (its cells are
        # picked by δ(ROW, 1)…, which collapse at concrete indices)
        terms = [a.at(ROW, a.cols.lo + t) * b.at(b.rows.lo + t, COL) for t in range(int(a.cols.size))]
        entry = sympy.Add(*terms)
    else:
        k = sympy.Dummy("k", integer=True)
        shift = b.rows.lo - a.cols.lo
        entry = sympy.Sum(a.at(ROW, k) * b.at(k + shift, COL), (k, a.cols.lo, a.cols.hi))
    rows = a.rows if a.rows is not None else (b.cols if a.square else None)
    cols = b.cols if b.cols is not None else (a.rows if b.square else None)
    return normal(Mat(rows, cols, entry, a.offset, broadcast=a.broadcast or b.broadcast))


def dot(a: Value, b: Value, offset: int, layout: Layout = Layout.DENOMINATOR) -> Value:
    """`a \\cdot b`: the dot product of two vectors of one orientation, else the product a b."""
    if isinstance(a, Mat) and isinstance(b, Mat) and _vector(a) and _vector(b) and _column(a) == _column(b):
        return matmul(transpose(a) if _column(a) else a, b if _column(b) else transpose(b), offset, layout)
    return matmul(a, b, offset, layout)


def _vector(m: Mat) -> bool:
    return (m.cols is not None and m.cols.one) or (m.rows is not None and m.rows.one)


def _column(m: Mat) -> bool:
    return m.cols is not None and m.cols.one


def hadamard(a: Value, b: Value, offset: int) -> Value:
    """a ⊙ b, entry by entry: both the same shape."""
    fault = first_fault(a, b)
    if fault is not None:
        return fault
    if not isinstance(a, Mat) or not isinstance(b, Mat):
        raise ReadError(msg.HadamardOfNumbers(), offset)
    rows = a.rows if a.rows is not None else b.rows
    cols = a.cols if a.cols is not None else b.cols
    a, b = _resolved(a, rows, cols), _resolved(b, rows, cols)
    if not _fits(a.rows, b.rows) or not _fits(a.cols, b.cols):
        product = a.cols is not None and b.rows is not None and same(a.cols, b.rows)
        hint = str(msg.HintMatrixProduct()) if product else ""
        return Fault(msg.ShapeEntrywise("product", describe(a), describe(b), hint), b.offset)
    entry = aligned(a, a.rows, a.cols) * aligned(b, a.rows, a.cols)
    return Mat(a.rows, a.cols, entry, a.offset, broadcast=a.broadcast or b.broadcast)


def divide(a: Value, b: Value, offset: int) -> Value:
    """a / b: by a number, or entry by entry for two vectors of one shape (a number broadcasts)."""
    fault = first_fault(a, b)
    if fault is not None:
        return fault
    if not isinstance(b, Mat):
        return scale(1 / b, a) if isinstance(a, Mat) else a / b  # type: ignore[operator]
    if not isinstance(a, Mat):
        return elementwise(lambda e: a / e, b)
    quotient = add([a, scale(sympy.Integer(0), b)], offset)  # checks the shapes agree
    if isinstance(quotient, Fault):
        return Fault(msg.ShapeEntrywise("quotient", describe(a), describe(b)), b.offset)
    assert isinstance(quotient, Mat)
    rows, cols = quotient.rows, quotient.cols
    top, bottom = _resolved(a, rows, cols), _resolved(b, rows, cols)
    entry = aligned(top, rows, cols) / aligned(bottom, rows, cols)
    return Mat(rows, cols, entry, a.offset, broadcast=a.broadcast or b.broadcast)


def power(base: Value, exp: Value, offset: int) -> Value:
    """A power: of numbers, or e^{vector} entrywise. A power of a vector or matrix has no one reading."""
    fault = first_fault(base, exp)
    if fault is not None:
        return fault
    if isinstance(base, Mat):
        if _vector(base):
                raise ReadError(msg.PowerOfVector(), offset)
        raise ReadError(msg.PowerOfMatrix(), offset)
    if isinstance(exp, Mat):
        if base == sympy.E:
            return elementwise(sympy.exp, exp)
        raise ReadError(msg.ShapedExponent(), offset)
    return sympy.Pow(base, exp)


def norm(m: Value, sub: sympy.Expr | None, offset: int, frobenius: bool = False) -> Value:
    """‖x‖ = ‖x‖₂ = √(Σ x_k²) for a vector; ‖A‖_F = √(Σ A_rc²) for a matrix (or a vector, where the
    two agree)."""
    if isinstance(m, Fault):
        return m
    if not isinstance(m, Mat):
        raise ReadError(msg.NormOfNumber(), offset)
    if m.rows is None or m.cols is None:
        raise ReadError(msg.UnknownSize("this vector"), offset)
    if frobenius:
        return sympy.sqrt(_frobenius_squared(m))
    if not _vector(m):
        raise ReadError(msg.MatrixNorm(), offset)
    if _vector(m) and sub is not None and sub != 2:
        raise ReadError(msg.OtherNorm(), offset)
    squares = matmul(transpose(m), m, offset) if _vector(m) else _frobenius_squared(m)
    assert not isinstance(squares, Mat | Fault)
    return sympy.sqrt(squares)


def _frobenius_squared(m: Mat) -> sympy.Expr:
    assert m.rows is not None and m.cols is not None
    r, c = sympy.Dummy("k", integer=True), sympy.Dummy("l", integer=True)
    return sympy.Sum(m.at(r, c) ** 2, (c, m.cols.lo, m.cols.hi), (r, m.rows.lo, m.rows.hi))


def diag(v: Value, offset: int) -> Value:
    """diag(a): the square matrix with a on its diagonal (a column or a row)."""
    if isinstance(v, Fault):
        return v
    if not isinstance(v, Mat) or not _vector(v) or v.rows is None or v.cols is None:
        raise ReadError(msg.DiagOfNonVector(), offset)
    d = v.rows if _column(v) else v.cols
    assert d is not None
    component = v.at(ROW, v.cols.lo) if _column(v) else v.at(v.rows.lo, ROW)
    return Mat(d, d, component * sympy.KroneckerDelta(ROW, COL), offset)


def summed(body: Mat, limits: tuple[sympy.Expr, sympy.Expr, sympy.Expr], product: bool) -> Mat:
    """Σ_i of a vector or matrix, entry by entry."""
    if product:
        raise ReadError(msg.ProductOfMatrices(), body.offset)
    k = limits[0]
    for d in (body.rows, body.cols):
        if d is not None and (d.lo.has(k) or d.hi.has(k)):
            raise ReadError(msg.SizeDependsOnIndex(), body.offset)
    return replace(body, entry=sympy.Sum(body.entry, limits), name=None, kind=None)


def derivative(num: Value, var: Value, layout: Layout, nabla: bool, offset: int) -> Value:
    """∂num/∂var (or ∇_var num), shaped by the layout (contract §5.1); each entry an unevaluated
    scalar Derivative, so unfolding gives it exactly the meaning of a componentwise derivative."""
    if isinstance(num, Fault):
        return num
    if not isinstance(var, Mat):
        if nabla:
            raise ReadError(msg.NablaOfNumber(), offset)
        if isinstance(num, Mat):
            return replace(num, entry=sympy.Derivative(num.entry, var, evaluate=False), name=None, kind=None)
        return sympy.Derivative(num, var, evaluate=False)
    if not var.variable or var.rows is None or var.cols is None:
        raise ReadError(msg.DerivativeByExpression(), var.offset)
    if not _vector(var):
        if isinstance(num, Mat):
            raise ReadError(msg.UnsupportedDerivative("a vector or matrix", "a matrix"), offset)
        return Mat(var.rows, var.cols, sympy.Derivative(num, var.entry, evaluate=False), offset, kind="gradient")
    column = _column(var)
    n = var.rows if column else var.cols
    assert n is not None

    def v_at(i: sympy.Expr) -> sympy.Expr:
        assert var.rows is not None and var.cols is not None
        return var.at(i, var.cols.lo) if column else var.at(var.rows.lo, i)

    if not isinstance(num, Mat):
        as_column = nabla or (layout is Layout.DENOMINATOR) == column
        if as_column:
            return Mat(n, ONE, sympy.Derivative(num, v_at(ROW), evaluate=False), offset, kind="gradient")
        return Mat(ONE, n, sympy.Derivative(num, v_at(COL), evaluate=False), offset, kind="gradient")
    if nabla:
        raise ReadError(msg.NablaOfVector(), offset)
    if not _vector(num) or num.rows is None or num.cols is None:
        raise ReadError(msg.UnsupportedDerivative("a matrix", "a vector"), offset)
    u_col = _column(num)
    m = num.rows if u_col else num.cols
    assert m is not None

    def u_at(i: sympy.Expr) -> sympy.Expr:
        assert num.rows is not None and num.cols is not None
        return num.at(i, num.cols.lo) if u_col else num.at(num.rows.lo, i)

    if layout is Layout.DENOMINATOR:  # entry (r, c) = ∂u_c/∂v_r
        return Mat(n, m, sympy.Derivative(u_at(COL), v_at(ROW), evaluate=False), offset, kind="jacobian")
    return Mat(m, n, sympy.Derivative(u_at(ROW), v_at(COL), evaluate=False), offset, kind="jacobian")


def hessian(num: Value, first: Value, second: Value, offset: int) -> Value:
    """∂²J/∂θ∂θᵀ (and ∇²_θ J): for a number J and one vector θ written once as a column and once as a
    row, the square matrix with entry (r, c) = ∂/∂θ_r (∂J/∂θ_c), each an unevaluated scalar
    derivative (the same unfolding as a componentwise second derivative). Anything else (a vector
    numerator, two different vectors, θ twice in one orientation) has no reading here."""
    if isinstance(num, Fault):
        return num
    if isinstance(num, Mat):
        raise ReadError(msg.UnsupportedDerivative("a second", "a vector or matrix"), offset)
    if not isinstance(first, Mat) or not isinstance(second, Mat):
        raise ReadError(msg.UnsupportedDerivative("a mixed second", "a vector and a number"), offset)
    column, row = (first, second) if _column(first) else (second, first)
    back = transpose(row)
    if not (
        _column(column)
        and isinstance(back, Mat)
        and column.variable
        and back.rows is not None
        and column.rows is not None
        and _column(back)
        and same(column.rows, back.rows)
        and column.entry == back.entry
    ):
        raise ReadError(msg.HessianForm(), offset)
    assert column.rows is not None and column.cols is not None
    lo = column.cols.lo
    inner = sympy.Derivative(num, column.at(COL, lo), evaluate=False)
    return Mat(column.rows, column.rows, sympy.Derivative(inner, column.at(ROW, lo), evaluate=False), offset)


def finish(v: Value, offset: int = 0) -> StepValue:
    """A whole step: sizes must be known (an unsized 𝟏 or I is unreadable)."""
    if isinstance(v, Mat):
        if v.rows is None or v.cols is None:
            raise ReadError(msg.UnknownSize("\\mathbf{1} or I"), v.offset)
        return normal(v)
    return v


def not_a_number(v: Mat, what: str) -> ReadError:
    label = f"the vector '{v.name}' ({shape_text(v)})" if v.name is not None else describe(v)
    return ReadError(msg.ShapedAsNumber(label, what), v.offset)
