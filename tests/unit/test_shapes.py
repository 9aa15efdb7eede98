"""Vectors and matrices (contract §5.1): declarations, shapes of every operator, shape errors as refuted
steps, unreadable notation as located errors, derivatives in both layouts, and entry-form soundness."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.check.matrix import decide_values
from verifier.errors import InputError
from verifier.latex import compile_notation, read_expr, read_step
from verifier.latex.shapes import Fault, Mat, shape_text
from verifier.loader import loads
from verifier.model import Loc, Tex, Verdict
from verifier.notation import Notation

HEADER = r"""
title = "t"
{layout}
[symbols]
m = "positive integer"
n = "positive integer"
p = "positive integer"
i = {{ range = ["1", "m"] }}
j = {{ range = ["1", "n"] }}
k = {{ range = ["0", "p"] }}
'x^{{(i)}}_j' = "real"
X = {{ components = 'x^{{(i)}}_j' }}
'x^{{(i)}}' = {{ components = 'x^{{(i)}}_j' }}
'A_{{ij}}' = "real"
A = {{ components = 'A_{{ij}}' }}
'B_{{ji}}' = "real"
B = {{ components = 'B_{{ji}}' }}
'\theta_j' = "real"
'\theta' = {{ components = '\theta_j' }}
u_j = "real"
u = {{ components = 'u_j' }}
'y^{{(i)}}' = "real"
y = {{ components = 'y^{{(i)}}' }}
a_i = "real"
a = {{ components = 'a_i' }}
v_k = "real"
v = {{ components = 'v_k' }}
r_j = "real"
r = {{ components = 'r_j', row = true }}
'\lambda' = "real"
s = "real"
z_i = {{ define = '\sum_j x^{{(i)}}_j \theta_j' }}
zz = {{ components = 'z_i' }}
L = {{ define = '\frac{{1}}{{2}}\|X\theta - y\|^2' }}
M = {{ define = '\frac{{1}}{{2}}\|zz - y\|^2' }}
[functions]
'\sigma' = {{ args = ["t"], define = '\frac{{1}}{{1+e^{{-t}}}}' }}
f = {{ args = ["t"] }}
[[chain]]
title = "t"
steps = ["s", "s"]
"""


def notation(layout: str = "") -> Notation:
    return compile_notation(loads(HEADER.format(layout=layout), "t.toml"))


DEN = notation()
NUM = notation('layout = "numerator"')


def tex(text: str) -> Tex:
    return Tex(text, Loc("t.toml", 3, 5))


def step(text: str, n: Notation = DEN) -> sympy.Expr | Mat | Fault:
    return read_step(tex(text), n)


# ---- declarations ---------------------------------------------------------------------------------


def test_components_without_indices_declare_a_matrix_sized_by_ranges() -> None:
    x = step("X")
    assert isinstance(x, Mat) and shape_text(x) == "m×n"
    assert shape_text(step("x^{(2)}")) == "n×1"  # one vector per sample: the free index is j
    assert shape_text(step("v")) == "(p + 1)×1"  # sizes come from the ranges: k in 0..p
    assert shape_text(step("r")) == "1×n"  # row = true


def test_a_matrix_entry_is_the_family_element() -> None:
    x = step("X")
    assert isinstance(x, Mat)
    i, j = sympy.symbols("i j", integer=True)
    assert str(x.at(i, j)) == "x[i, j]"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('layout = "sideways"', '`layout` must be "denominator" or "numerator"'),
        ('layout = "numerater"', "did you mean `numerator`"),
    ],
)
def test_an_unknown_layout_is_a_located_error(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        loads(HEADER.format(layout=text), "t.toml")
    assert fragment in info.value.problem.message
    assert info.value.problem.line == 3


def test_row_is_for_vectors_and_needs_components() -> None:
    matrix = "X = { components = 'x^{(i)}_j' }"
    bad = HEADER.format(layout="").replace(matrix, matrix[:-2] + ", row = true }")
    with pytest.raises(InputError, match=r"row = true. is for vectors"):
        compile_notation(loads(bad, "t.toml"))
    with pytest.raises(InputError, match="needs `components`"):
        loads(HEADER.format(layout="").replace("s = \"real\"", "s = { row = true }"), "t.toml")


# ---- operators and their shapes ---------------------------------------------------------------------

SHAPES = [
    (r"X\theta", "m×1"),
    (r"X^T y", "n×1"),
    (r"X^\top y", "n×1"),
    (r"A B", "m×m"),
    (r"B A", "n×n"),
    (r"A^T", "n×m"),
    (r"(A B)^T", "m×m"),
    (r"\theta^T u", "1×1"),
    (r"\theta \cdot u", "1×1"),
    (r"u \theta^T", "n×n"),
    (r"s X", "m×n"),
    (r"X s", "m×n"),
    (r"\frac{1}{m} X^T(X\theta - y) + \lambda\theta", "n×1"),
    (r"1 - y", "m×1"),
    (r"1 - y^T", "1×m"),
    (r"\mathbf{1}^T y", "1×1"),
    (r"\mathbf{1}_m", "m×1"),
    (r"\mathbf{1}_m - y", "m×1"),
    (r"I_n", "n×n"),
    (r"I \theta", "n×1"),
    (r"X I", "m×n"),
    (r"y \odot a", "m×1"),
    (r"\operatorname{diag}(a)", "m×m"),
    (r"\operatorname{diag}(a) - a a^T", "m×m"),
    (r"\|y\|", "1×1"),
    (r"\|y\|_2^2", "1×1"),
    (r"\lVert y \rVert", "1×1"),
    (r"\sigma(X\theta)", "m×1"),
    (r"\sigma'(X\theta)", "m×1"),
    (r"f(u)", "n×1"),
    (r"\log a", "m×1"),
    (r"\exp(a)", "m×1"),
    (r"e^{-X\theta}", "m×1"),
    (r"e^{-\theta^T}", "1×n"),
    (r"\frac{a}{1 + a}", "m×1"),
    (r"\sum_i y^{(i)} x^{(i)}", "n×1"),
    (r"r u", "1×1"),
    (r"u r", "n×n"),
    (r"r^T", "n×1"),
    (r"zz", "m×1"),
]


@pytest.mark.parametrize(("latex", "shape"), SHAPES)
def test_operator_shapes(latex: str, shape: str) -> None:
    value = step(latex)
    assert not isinstance(value, Fault), value
    assert shape_text(value) == shape


FAULTS = [
    (r"X y", "the product (m×n)(m×1) cannot be formed"),
    (r"y + \theta", "cannot add the m×1 column and the n×1 column: the shapes differ"),
    (r"y + y^T", "a column plus a row is not formed"),
    (r"\theta^T X", "the product (1×n)(m×n) cannot be formed"),
    (r"y \odot \theta", "the entrywise product of the m×1 column and the n×1 column cannot be formed"),
    (r"\frac{y}{\theta}", "the entrywise quotient"),
    (r"A A", "the product (m×n)(m×n)"),
    (r"I_m \theta", "the product (m×m)(n×1)"),
    (r"\mathbf{1}_m^T \theta", "the product (1×m)(n×1)"),
    (r"s + (X\theta + u)", "cannot add"),
]


@pytest.mark.parametrize(("latex", "fragment"), FAULTS)
def test_operations_that_cannot_be_formed_are_faults_not_read_errors(latex: str, fragment: str) -> None:
    value = step(latex)
    assert isinstance(value, Fault)
    assert fragment in value.message


UNREADABLE = [
    (r"y^2", "a power of a vector is ambiguous: write x^T x (a number), x \\odot x (entrywise) or \\|x\\|^2", 6),
    (r"X^2", "a power of a matrix is not supported", 6),
    (r"y \times a", "cross product", 7),
    (r"\mathbf{1}", "cannot tell the size", 5),
    (r"I", "cannot tell the size", 5),
    (r"\|X\|", "the norm of a matrix is ambiguous", 5),
    (r"\|s\|", "the norm of a vector", 5),
    (r"\operatorname{diag}(X)", "takes a vector", 5),
    (r"2^{y}", "only e^{…} takes a vector", 6),
    (r"s \odot s", "use \\cdot for numbers", 7),
    (r"\nabla_s L", "takes a vector or matrix v", 5),
    (r"\frac{\partial L}{\partial \theta^T}", "^T must follow what it transposes", 38),
    (r"x_{y}", "undeclared name", 5),
]


@pytest.mark.parametrize(("latex", "fragment", "column"), UNREADABLE)
def test_notation_with_no_reading_is_a_located_error(latex: str, fragment: str, column: int) -> None:
    with pytest.raises(InputError) as info:
        step(latex)
    assert fragment in info.value.problem.message
    assert info.value.problem.column == column


def test_a_vector_where_a_number_is_needed_is_refused_in_scalar_contexts() -> None:
    with pytest.raises(InputError, match="is used where a number is needed"):
        read_expr(tex(r"X\theta"), DEN)
    with pytest.raises(InputError, match="cannot be formed"):
        read_expr(tex(r"X y"), DEN)


def test_a_declared_I_shadows_the_identity() -> None:
    text = HEADER.format(layout="").replace('s = "real"', 's = "real"\nI = "real"')
    n = compile_notation(loads(text, "t.toml"))
    assert read_step(tex("I + s"), n) == sympy.Symbol("I", real=True) + sympy.Symbol("s", real=True)


def test_transpose_of_a_number_is_the_number() -> None:
    assert step("s^T") == step("s")


# ---- comparison ----------------------------------------------------------------------------------


def decide(prev: str, cur: str, n: Notation = DEN, explain: bool = False) -> tuple[Verdict, str | None, object]:
    out = decide_values(step(prev, n), step(cur, n), n, timeout=20, explain=explain)
    return out.verdict, out.message, out.counterexample


PROVED = [
    (r"(A B)^T", r"B^T A^T"),
    (r"(A B) A", r"A (B A)"),  # associativity: the sums interchanged (prenex form)
    (r"(X\theta - y)^T(X\theta - y)", r"\theta^T X^T X \theta - 2 y^T X \theta + y^T y"),
    (r"I_m y", "y"),
    (r"X I", "X"),
    (r"\operatorname{diag}(a) \mathbf{1}", "a"),
    (r"\mathbf{1}^T y", r"\sum_i y^{(i)}"),
    (r"y^T y", r"\|y\|^2"),
    (r"X^T y", r"\sum_i y^{(i)} x^{(i)}"),
    (r"\frac{1}{m} X^T(X\theta - y)", r"\frac{1}{m}\sum_{i=1}^{m}(\theta^T x^{(i)} - y^{(i)}) x^{(i)}"),
    (r"y \odot a", r"a \odot y"),
    (r"\theta^T u", r"u^T \theta"),
    (r"1 - y", r"\mathbf{1}_m - y"),
    (r"\sigma(X\theta)", r"\frac{1}{1 + e^{-X\theta}}"),
    (r"(\operatorname{diag}(a) - a a^T)^T", r"\operatorname{diag}(a) - a a^T"),
    (r"X\theta", "zz"),
]


@pytest.mark.parametrize(("prev", "cur"), PROVED)
def test_equal_matrix_steps_are_proved(prev: str, cur: str) -> None:
    verdict, message, _ = decide(prev, cur)
    assert verdict is Verdict.PROVED, message


REFUTED_BY_VALUE = [
    (r"I_m y", r"\mathbf{1}_m"),
    (r"\operatorname{diag}(a)", r"a a^T"),  # agrees off nothing but the diagonal: δ must not vanish
    (r"\operatorname{diag}(a) \mathbf{1}", r"\mathbf{1}_m"),
    (r"X^T y", r"\sum_i y^{(i)} x^{(1)}"),
    (r"y \odot a", r"y^T a \mathbf{1}_m"),
    (r"u \theta^T", r"\theta u^T"),  # the reversed outer product
]


@pytest.mark.parametrize(("prev", "cur"), REFUTED_BY_VALUE)
def test_unequal_matrix_steps_are_refuted_at_an_entry(prev: str, cur: str) -> None:
    verdict, message, counterexample = decide(prev, cur)
    assert verdict is Verdict.REFUTED, message
    assert message is not None and "at entry (" in message
    assert counterexample


REFUTED_BY_SHAPE = [
    (r"X\theta", r"\theta^T X^T", "this step is 1×m, the previous step m×1"),
    (r"(A B)^T", r"A^T B^T", "this step is n×n, the previous step m×m"),  # the transposes kept in order
    (r"y^T y", "y", "this step is m×1, the previous step 1×1"),
    (r"X", r"X^T", "this step is n×m, the previous step m×n"),
    (r"y", r"X y", "this step cannot be formed: the product (m×n)(m×1)"),
    (r"X y", r"y", "the previous step cannot be formed"),
]


@pytest.mark.parametrize(("prev", "cur", "fragment"), REFUTED_BY_SHAPE)
def test_shape_mismatch_is_refuted_with_both_shapes_and_no_counterexample(prev: str, cur: str, fragment: str) -> None:
    verdict, message, counterexample = decide(prev, cur)
    assert verdict is Verdict.REFUTED
    assert message is not None and fragment in message
    assert counterexample is None


def test_explain_shows_shapes_and_entry_forms() -> None:
    out = decide_values(step(r"X^T y"), step(r"\sum_i y^{(i)} x^{(i)}"), DEN, timeout=20, explain=True)
    text = "\n".join(out.explain)
    assert "previous step: the n×1 column, entry (r, 1)" in text
    assert "this step: the n×1 column, entry (r, 1)" in text


@pytest.mark.parametrize(
    ("prev", "cur", "spread"),
    [
        (r"1 - y", r"\mathbf{1}_m - y", ["previous step"]),  # the number broadcast, then 𝟏 written
        (r"\frac{a}{1 + a}", r"\frac{a}{1 + a}", ["previous step", "this step"]),
        (r"X^T y", r"X^T y", []),
    ],
)
def test_explain_says_where_a_number_broadcasts(prev: str, cur: str, spread: list[str]) -> None:
    out = decide_values(step(prev), step(cur), DEN, timeout=20, explain=True)
    assert out.verdict is Verdict.PROVED
    said = [line.split(":")[0] for line in out.explain if "only a number broadcasts" in line]
    assert said == spread


# ---- derivatives in both layouts ---------------------------------------------------------------------


def test_gradient_shapes_follow_the_layout() -> None:
    assert shape_text(step(r"\frac{\partial L}{\partial \theta}")) == "n×1"
    assert shape_text(step(r"\frac{\partial L}{\partial \theta}", NUM)) == "1×n"
    assert shape_text(step(r"\nabla_\theta L", NUM)) == "n×1"
    assert shape_text(step(r"\frac{\partial L}{\partial X}")) == "m×n"
    assert shape_text(step(r"\frac{\partial L}{\partial X}", NUM)) == "m×n"
    assert shape_text(step(r"\frac{\partial L}{\partial r}")) == "1×n"  # shaped like the row r
    assert shape_text(step(r"\frac{\partial zz}{\partial \theta}")) == "n×m"  # (r, c) = ∂z_c/∂θ_r
    assert shape_text(step(r"\frac{\partial zz}{\partial \theta}", NUM)) == "m×n"
    assert step(r"\frac{\partial L}{\partial \theta_j}") == sympy.Derivative(
        step("L"), step(r"\theta_j"), evaluate=False
    )  # one component keeps its version 1 meaning


JACOBIAN_FIRST = r"\frac{\partial zz}{\partial \theta}\frac{\partial M}{\partial zz}"
GRADIENT_FIRST = r"\frac{\partial M}{\partial zz}\frac{\partial zz}{\partial \theta}"


@pytest.mark.parametrize(
    ("prev", "cur", "n"),
    [
        (r"\nabla_\theta L", r"X^T(X\theta - y)", DEN),
        (r"\frac{\partial L}{\partial \theta}", r"X^T(X\theta - y)", DEN),
        (r"\frac{\partial L}{\partial \theta}", r"(X\theta - y)^T X", NUM),
        (r"\frac{\partial zz}{\partial \theta}", r"X^T", DEN),
        (r"\frac{\partial zz}{\partial \theta}", r"X", NUM),
        (r"\frac{\partial M}{\partial \theta}", JACOBIAN_FIRST, DEN),
        (r"\frac{\partial M}{\partial \theta}", GRADIENT_FIRST, NUM),
        (r"\frac{\partial M}{\partial \theta}", r"X^T(X\theta - y)", DEN),
        (r"\frac{\partial M}{\partial zz}", r"zz - y", DEN),
        (r"\frac{\partial}{\partial \theta} \theta^T u", "u", DEN),
        (r"\frac{\partial}{\partial \theta} \frac{1}{2}\theta^T \theta", r"\theta", DEN),
        (r"\frac{\partial}{\partial X} y^T X \theta", r"y \theta^T", DEN),
    ],
)
def test_derivative_rules(prev: str, cur: str, n: Notation) -> None:
    out = decide_values(step(prev, n), step(cur, n), n, timeout=30)
    assert out.verdict is Verdict.PROVED, out.message


def test_chain_rule_in_the_wrong_order_names_the_layout() -> None:
    wrong = step(r"\frac{\partial L}{\partial zz} \frac{\partial zz}{\partial \theta}")
    assert isinstance(wrong, Fault)
    assert "in denominator layout" in wrong.message and "Jacobian first" in wrong.message
    wrong = step(r"\frac{\partial zz}{\partial \theta} \frac{\partial L}{\partial zz}", NUM)
    assert isinstance(wrong, Fault)
    assert "in numerator layout" in wrong.message and "left to right" in wrong.message


def test_a_missing_transpose_in_a_gradient_is_refuted() -> None:
    verdict, message, _ = decide(r"\nabla_\theta L", r"X(X\theta - y)")
    assert verdict is Verdict.REFUTED and message is not None and "(m×n)(m×1)" in message


# ---- soundness: random matrix expressions against their concrete values -------------------------------

SIZES = {"m": 2, "n": 3, "1": 1}
# leaf spelling, shape, name of its concrete values
LEAVES = {
    ("m", "n"): [("A", "A"), ("X", "X")],
    ("n", "m"): [("B", "B")],
    ("n", "1"): [(r"\theta", "theta"), ("u", "u")],
    ("m", "1"): [("y", "y"), ("a", "a")],
}
Values = dict[str, sympy.Matrix]
Build = tuple[str, "Callable[[Values], sympy.Matrix]"]


def _leaf(name: str) -> Callable[[Values], sympy.Matrix]:
    return lambda v: v[name]


def _expr(draw: st.DrawFn, shape: tuple[str, str], depth: int) -> tuple[str, Callable[[Values], sympy.Matrix]]:
    """A random well-formed matrix expression of a shape, with an independent evaluator (SymPy
    matrices of numbers: no entry templates, no sums, no deltas)."""
    kinds = ["leaf", "transpose"] + (["sum", "scale", "product", "hadamard", "identity"] if depth > 0 else [])
    while True:
        kind = draw(st.sampled_from(kinds))
        if kind == "leaf" and shape in LEAVES:
            spelling, name = draw(st.sampled_from(LEAVES[shape]))
            return spelling, _leaf(name)
        if kind == "transpose" and (depth > 0 or shape[::-1] in LEAVES):
            t, f = _expr(draw, (shape[1], shape[0]), depth - 1)
            return f"({t})^T", lambda v, f=f: f(v).T
        if depth <= 0:
            continue
        if kind == "sum":
            (t1, f1), (t2, f2) = _expr(draw, shape, depth - 1), _expr(draw, shape, depth - 1)
            return f"({t1} - {t2})", lambda v, f1=f1, f2=f2: f1(v) - f2(v)
        if kind == "scale":
            spelling, name = draw(st.sampled_from([("2", ""), ("s", "s"), (r"\lambda", "lam")]))
            t, f = _expr(draw, shape, depth - 1)
            return f"{spelling} ({t})", lambda v, f=f, name=name: (v[name][0, 0] if name else 2) * f(v)
        if kind == "product":
            inner = draw(st.sampled_from(["m", "n", "1"]))
            (t1, f1), (t2, f2) = _expr(draw, (shape[0], inner), depth - 1), _expr(draw, (inner, shape[1]), depth - 1)
            return f"({t1})({t2})", lambda v, f1=f1, f2=f2: f1(v) * f2(v)
        if kind == "hadamard" and shape != ("1", "1"):
            (t1, f1), (t2, f2) = _expr(draw, shape, depth - 1), _expr(draw, shape, depth - 1)
            return f"({t1} \\odot {t2})", lambda v, f1=f1, f2=f2: f1(v).multiply_elementwise(f2(v))
        if kind == "identity" and shape[0] != "1":
            t, f = _expr(draw, shape, depth - 1)
            size = SIZES[shape[0]]
            return f"I_{shape[0]} ({t})", lambda v, f=f, size=size: sympy.eye(size) * f(v)


@st.composite
def expressions(draw: st.DrawFn) -> tuple[str, Callable[[Values], sympy.Matrix]]:
    shape = draw(st.sampled_from([("m", "n"), ("n", "1"), ("m", "1"), ("1", "m"), ("n", "n"), ("1", "1")]))
    return _expr(draw, shape, 2)


_BASES = {"x": "X", "A": "A", "B": "B", r"\theta": "theta", "u": "u", "y": "y", "{y}": "y", "a": "a"}


@settings(max_examples=40, deadline=None)
@given(expressions(), st.integers(0, 10**6))
def test_random_matrix_expressions_agree_with_their_componentwise_expansion(
    case: tuple[str, Callable[[Values], sympy.Matrix]], seed: int
) -> None:
    text, evaluate = case
    value = step(text)
    assert not isinstance(value, Fault), (text, value)
    rng = random.Random(seed)

    def numbers(rows: int, cols: int) -> sympy.Matrix:
        return sympy.Matrix(rows, cols, lambda r, c: sympy.Rational(rng.randint(-9, 9), rng.randint(1, 4)))

    m, n = SIZES["m"], SIZES["n"]
    values: Values = {"A": numbers(m, n), "X": numbers(m, n), "B": numbers(n, m), "theta": numbers(n, 1)}
    values |= {"u": numbers(n, 1), "y": numbers(m, 1), "a": numbers(m, 1), "s": numbers(1, 1), "lam": numbers(1, 1)}
    expected = evaluate(values)
    sizes = {sympy.Symbol("m", integer=True, positive=True): m, sympy.Symbol("n", integer=True, positive=True): n}

    def number(e: sympy.Expr) -> sympy.Expr:
        e = e.xreplace(sizes).doit()
        leaves = {}
        for el in e.atoms(sympy.Indexed):
            at = [int(i) - 1 for i in el.indices] + [0]
            leaves[el] = values[_BASES[str(el.base.label)]][at[0], at[1]]
        named = {}
        for sym in e.free_symbols:
            if sym.name in ("s", r"\lambda"):
                named[sym] = values["lam" if sym.name == r"\lambda" else "s"][0, 0]
        exact = e.xreplace(leaves).xreplace(named)
        # nsimplify of an exact Rational can return a wrong closed form (SymPy 1.14:
        # nsimplify(Rational(-3395, 16)) gives -567*2**(18/175)*...), so only non-rationals go through it.
        return exact if exact.is_Rational else sympy.nsimplify(exact)

    if not isinstance(value, Mat):
        assert expected.shape == (1, 1), text
        assert number(value) == expected[0, 0], text
        return
    assert value.rows is not None and value.cols is not None
    shape = (int(value.rows.size.xreplace(sizes)), int(value.cols.size.xreplace(sizes)))
    assert shape == expected.shape, text
    for r in range(shape[0]):
        for c in range(shape[1]):
            assert number(value.at(value.rows.lo + r, value.cols.lo + c)) == expected[r, c], (text, r, c)


SHIFTED = compile_notation(
    loads(
        r"""
title = "t"
[symbols]
p = "positive integer"
j = { range = ["0", "p"] }
k = { range = ["1", "p+1"] }
x_j = "real"
x = { components = 'x_j' }
y_k = "real"
y = { components = 'y_k' }
'A_{jk}' = "real"
A = { components = 'A_{jk}' }
[[chain]]
title = "t"
steps = ["p", "p"]
""",
        "t.toml",
    )
)
HOLDS = {Verdict.PROVED, Verdict.NUMERIC}


@pytest.mark.parametrize(
    ("prev", "cur", "verdicts"),
    [
        (r"x^T (A + I) y", r"x^T A y + x^T y", HOLDS),
        (r"(A + I) y", r"A y + y", HOLDS),
        (r"x^T (A \odot I) y", r"\sum_{j=0}^{p} x_j A_{j,j+1} y_{j+1}", HOLDS),
        # δ(j, k) over 0..p × 1..p+1 would be a shifted diagonal: these must not pass
        (r"x^T (A + I) y", r"x^T A y + \sum_{j=1}^{p} x_j y_j", {Verdict.REFUTED}),
        (r"x^T (A \odot I) y", r"\sum_{j=1}^{p} x_j A_{j,j} y_j", {Verdict.REFUTED}),
    ],
)
def test_a_context_sized_identity_pairs_sides_that_start_at_different_places_in_order(
    prev: str, cur: str, verdicts: set[Verdict]
) -> None:
    verdict, message, _ = decide(prev, cur, SHIFTED)
    assert verdict in verdicts, message


# ---- matrices written out, the Frobenius norm, the Hessian -----------------------------------------

WRITTEN_SHAPES = [
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", "2×2"),
    (r"\begin{pmatrix} s \\ \lambda \end{pmatrix}", "2×1"),
    (r"\left(\begin{matrix} 1 & s & 0 \end{matrix}\right)", "1×3"),
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \\ \end{bmatrix}", "2×2"),  # a trailing \\ ends the last row
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}^T \begin{bmatrix} s \\ 1 \end{bmatrix}", "2×1"),
    (r"\nabla^2_\theta L", "n×n"),
    (r"\nabla_\theta^2 L", "n×n"),
    (r"\frac{\partial^2 L}{\partial \theta \partial \theta^T}", "n×n"),
    (r"\frac{\partial^2 L}{\partial \theta^T \partial \theta}", "n×n"),
]


@pytest.mark.parametrize(("latex", "shape"), WRITTEN_SHAPES)
def test_written_out_matrices_and_hessians_have_their_shapes(latex: str, shape: str) -> None:
    value = step(latex)
    assert isinstance(value, Mat), value
    assert shape_text(value) == shape


def test_a_one_by_one_written_matrix_is_a_number_and_the_frobenius_norm_reads() -> None:
    assert step(r"\begin{bmatrix} s \end{bmatrix}") == step("s")
    for latex in (r"\|A\|_F", r"\lVert A\rVert_F", r"\|A\|_F^2", r"\|A\|^2_F"):
        assert not isinstance(step(latex), Mat | Fault), latex


WRITTEN_UNREADABLE = [
    (r"\begin{bmatrix} 1 & 2 \\ 3 \end{bmatrix}", "this row of the matrix has 1 cell(s), its first row 2", 30),
    (r"\begin{vmatrix} 1 \end{vmatrix}", "the environment \\begin{vmatrix} is not read", 5),
    (r"\begin{bmatrix} 1 & 2 \end{pmatrix}", "closed by '\\end{pmatrix}'", 5),
    (r"\begin{bmatrix} u & 2 \end{bmatrix}", "is used where a number is needed as an entry of an explicit matrix", 21),
    (r"s \\ s", "line break", 7),
    (r"\frac{\partial^2 L}{\partial \theta \partial \theta}", "read as the Hessian only when written", 25),
    (r"\frac{\partial^2 L}{\partial \theta \partial u^T}", "read as the Hessian only when written", 25),
    (r"\nabla^3_\theta L", "the derivative of order 3 with respect to a vector is not supported", 11),
    (r"\frac{\partial^2 L}{\partial \theta^2}", "higher order", 25),
    (r"\nabla^2_\theta X\theta", "second with respect to a vector or matrix", 5),
]


@pytest.mark.parametrize(("latex", "fragment", "column"), WRITTEN_UNREADABLE)
def test_written_matrices_and_hessians_with_no_reading_are_located_errors(
    latex: str, fragment: str, column: int
) -> None:
    with pytest.raises(InputError) as info:
        step(latex)
    assert fragment in info.value.problem.message
    assert info.value.problem.column == column


def test_a_written_out_matrix_larger_than_the_limit_is_refused() -> None:
    row = " & ".join(["1"] * 17)
    with pytest.raises(InputError, match="at most 16 rows and 16 columns"):
        step(rf"\begin{{bmatrix}} {row} \end{{bmatrix}}")


WRITTEN_PROVED = [
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}^T", r"\begin{bmatrix} 1 & 3 \\ 2 & 4 \end{bmatrix}"),
    (
        r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}\begin{pmatrix} s \\ 1 \end{pmatrix}",
        r"\begin{bmatrix} s + 2 \\ 3 s + 4 \end{bmatrix}",
    ),
    (r"\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}", "I_2"),
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", r"2 I + \begin{bmatrix} -1 & 2 \\ 3 & 2 \end{bmatrix}"),
    (r"\begin{bmatrix} s & 2 \end{bmatrix}\begin{bmatrix} s \\ 1 \end{bmatrix}", "s^2 + 2"),
    (r"\|A\|_F^2", r"\sum_i \sum_j A_{ij}^2"),
    (r"\|A\|_F^2", r"\sum_j \sum_i A_{ij}^2"),
    (r"\nabla^2_\theta L", "X^T X"),
    (r"\frac{\partial^2 L}{\partial \theta \partial \theta^T}", "X^T X"),
    (r"\nabla^2_\theta (\lambda \theta^T \theta)", r"2 \lambda I_n"),
]


@pytest.mark.parametrize(("prev", "cur"), WRITTEN_PROVED)
def test_written_matrices_frobenius_norms_and_hessians_are_proved(prev: str, cur: str) -> None:
    verdict, message, _ = decide(prev, cur)
    assert verdict is Verdict.PROVED, message


WRITTEN_REFUTED = [
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}^T", r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", "(1, 2)"),
    (r"\begin{bmatrix} 1 & 2 \end{bmatrix}", r"\begin{bmatrix} 1 \\ 2 \end{bmatrix}", "the 2×1 column cannot equal"),
    (r"\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}", "I_3", "the 3×3 matrix cannot equal the 2×2 matrix"),
    (r"\nabla^2_\theta L", "2 X^T X", "factor of 2"),
    (r"\nabla^2_\theta L", "X X^T", "this step is m×m, the previous step n×n"),
    (r"\|A\|_F^2", r"\sum_i \sum_j A_{ij}", "multiplied by"),
]


@pytest.mark.parametrize(("prev", "cur", "fragment"), WRITTEN_REFUTED)
def test_written_matrices_frobenius_norms_and_hessians_are_refuted(prev: str, cur: str, fragment: str) -> None:
    verdict, message, _ = decide(prev, cur)
    assert verdict is Verdict.REFUTED
    assert message is not None and fragment in message


# ---- functions of a vector given the wrong shape; a vector beside a family of its letter -------------

FUNCTIONS = HEADER.format(layout="").replace(
    "f = { args",
    "'h_\\theta' = { args = [\"u\"], vector_args = [\"u\"], define = '\\frac{1}{1+e^{-\\theta^T u}}' }\nf = { args",
)
FN = compile_notation(loads(FUNCTIONS, "t.toml"))

FUNCTION_FAULTS = [
    (r"h_\theta(X)", "h_\\theta takes a vector for u, not the m×n matrix"),
    (r"h_\theta(y)", "h_\\theta takes a vector of length n for u (its definition sums over that many), not the m×1"),
    (r"h_\theta(X y)", "the product (m×n)(m×1) cannot be formed"),
    (r"\log h_\theta(X)", "h_\\theta takes a vector for u"),
]


@pytest.mark.parametrize(("latex", "fragment"), FUNCTION_FAULTS)
def test_a_function_of_a_vector_given_another_shape_is_a_fault(latex: str, fragment: str) -> None:
    value = step(latex, FN)
    assert isinstance(value, Fault), value
    assert fragment in value.message


def test_a_function_of_a_vector_pairs_components_from_each_start() -> None:
    """θ runs 1..n here; a row or a column of the same length gives the same number."""
    assert decide_values(step(r"h_\theta(u)", FN), step(r"h_\theta(u^T)", FN), FN).verdict is Verdict.PROVED
    body = step(r"h_\theta(x^{(i)})", FN)
    assert not isinstance(body, Mat | Fault) and "x" in str(body)


def test_a_vector_beside_a_family_of_its_letter_is_transposed_by_T() -> None:
    """Seed 003: y^i (the i-th label) and y (the label column) both declared: y^T is y transposed."""
    text = HEADER.format(layout="").replace("'y^{(i)}' = \"real\"\ny = { components = 'y^{(i)}' }", "")
    text = text.replace('s = "real"', "s = \"real\"\n'y^i' = \"real\"\ny = { components = 'y^i' }")
    n = compile_notation(loads(text, "t.toml"))
    value = read_step(tex("y^T"), n)
    assert isinstance(value, Mat) and shape_text(value) == "1×m"
    assert not isinstance(read_step(tex("y^i"), n), Mat | Fault)


# n-vectors built from θ and the other leaves (spelling, evaluator), for random scalar functions of θ
N_VECTORS: list[tuple[str, Callable[[Values], sympy.Matrix]]] = [
    (r"\theta", lambda v: v["theta"]),
    ("u", lambda v: v["u"]),
    (r"A^T (A \theta)", lambda v: v["A"].T * (v["A"] * v["theta"])),
    ("B a", lambda v: v["B"] * v["a"]),
    (r"(\theta \odot u)", lambda v: v["theta"].multiply_elementwise(v["u"])),
    (r"(\theta \odot \theta)", lambda v: v["theta"].multiply_elementwise(v["theta"])),
    (r"I_n \theta", lambda v: v["theta"]),
    (r"s \theta", lambda v: v["s"][0, 0] * v["theta"]),
    (r"(u^T \theta) \theta", lambda v: (v["u"].T * v["theta"])[0, 0] * v["theta"]),
    (r"(B y - \theta)", lambda v: v["B"] * v["y"] - v["theta"]),
    (r"X^T (X \theta - y)", lambda v: v["X"].T * (v["X"] * v["theta"] - v["y"])),
]


@st.composite
def scalar_functions_of_theta(draw: st.DrawFn) -> tuple[str, Callable[[Values], sympy.Matrix]]:
    """A random number-valued expression in θ: θᵀg + λ (hᵀk) with g, h, k drawn from N_VECTORS (products,
    transposes, ⊙, I and scalings of θ and of the other leaves)."""
    (tg, fg), (th, fh), (tk, fk) = (draw(st.sampled_from(N_VECTORS)) for _ in range(3))
    text = f"\\theta^T ({tg}) + \\lambda ({th})^T ({tk})"
    return text, lambda v: v["theta"].T * fg(v) + v["lam"][0, 0] * (fh(v).T * fk(v))


@settings(max_examples=20, deadline=None)
@given(scalar_functions_of_theta(), st.integers(0, 10**6))
def test_random_gradients_agree_with_their_componentwise_derivatives(
    case: tuple[str, Callable[[Values], sympy.Matrix]], seed: int
) -> None:
    """∇_θ of a random matrix expression, read as its generic entry and unfolded like any scalar
    derivative, equals the derivative of the componentwise expansion (SymPy matrices with θ symbolic)."""
    from verifier.check.unfold import Unfolder

    text, evaluate = case
    value = step(f"\\nabla_{{\\theta}} ({text})")
    assert isinstance(value, Mat) and shape_text(value) == "n×1", text
    rng = random.Random(seed)

    def numbers(rows: int, cols: int) -> sympy.Matrix:
        return sympy.Matrix(rows, cols, lambda r, c: sympy.Rational(rng.randint(-9, 9), rng.randint(1, 4)))

    m, n = SIZES["m"], SIZES["n"]
    theta = sympy.Matrix(sympy.symbols(f"t0:{n}"))
    values: Values = {"A": numbers(m, n), "X": numbers(m, n), "B": numbers(n, m), "theta": theta}
    values |= {"u": numbers(n, 1), "y": numbers(m, 1), "a": numbers(m, 1), "s": numbers(1, 1), "lam": numbers(1, 1)}
    at = numbers(n, 1)
    point = dict(zip(theta, at, strict=True))
    expected = [sympy.diff(evaluate(values)[0, 0], t).xreplace(point) for t in theta]
    values["theta"] = at
    sizes = {sympy.Symbol("m", integer=True, positive=True): m, sympy.Symbol("n", integer=True, positive=True): n}
    unfolder = Unfolder(DEN)
    for r in range(n):
        entry = unfolder.unfold(value.at(r + 1, 1)).xreplace(sizes).doit()
        leaves = {}
        for el in entry.atoms(sympy.Indexed):
            where = [int(i) - 1 for i in el.indices] + [0]
            leaves[el] = values[_BASES[str(el.base.label)]][where[0], where[1]]
        named = {s: values["lam" if s.name == r"\lambda" else "s"][0, 0] for s in entry.free_symbols
                 if s.name in ("s", r"\lambda")}  # fmt: skip
        got = entry.xreplace(leaves).xreplace(named)  # exact: every leaf is a rational number
        assert got.is_Rational and got == expected[r], (text, r, got, expected[r])
