"""Functions of whole vectors and matrices (`matrix_args`, docs/notation.md "Functions of a vector or
matrix"): the define is read at each application with the arguments in place, so the value (a number, a
vector or a matrix) and its shape follow from the define; misuse is a located error or a refuted step;
and a vector-valued define agrees with its componentwise expansion."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.check.matrix import decide_values
from verifier.errors import InputError
from verifier.latex import compile_notation, read_step
from verifier.latex.shapes import Fault, Mat, shape_text
from verifier.loader import loads
from verifier.model import Loc, Tex, Verdict
from verifier.notation import Notation

HEADER = r"""title = "t"
[symbols]
m = "positive integer"
n = "positive integer"
i = {{ range = ["1", "m"] }}
j = {{ range = ["1", "n"] }}
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
'\lambda' = "real"
s = "real"
L = {{ define = '\frac{{1}}{{2}}\|X\theta - y\|^2' }}
[functions]
'\sigma' = {{ args = ["t"], define = '\frac{{1}}{{1+e^{{-t}}}}' }}
{functions}
[[chain]]
title = "t"
steps = ["s", "s"]
"""

FUNCTIONS = r"""
h = { args = ["Q"], matrix_args = ["Q"], define = '\sigma(Q\theta)' }
res = { args = ["Q", "w", "b"], matrix_args = ["Q", "w", "b"], define = 'Q w - b' }
cost = { args = ["Q"], matrix_args = ["Q"], define = '\frac{1}{2}\|res(Q, \theta, y)\|^2' }
lin = { args = ["Q", "t"], matrix_args = ["Q"], define = 't Q^T' }
quad = { args = ["Q", "w"], matrix_args = ["Q", "w"], define = 'w^T Q^T Q w' }
total = { args = ["Q"], matrix_args = ["Q"], define = '\sum_{i=1}^{m} y^{(i)} Q' }
"""


def compiled(functions: str) -> Notation:
    return compile_notation(loads(HEADER.format(functions=functions), "t.toml"))


N = compiled(FUNCTIONS)


def tex(text: str) -> Tex:
    return Tex(text, Loc("t.toml", 3, 5))


def step(text: str, n: Notation = N) -> sympy.Expr | Mat | Fault:
    return read_step(tex(text), n)


# ---- the value's shape follows from the define and the arguments ------------------------------------


@pytest.mark.parametrize(
    ("latex", "shape"),
    [
        (r"h(X)", "m×1"),  # σ(Xθ), entry by entry
        (r"h((x^{(i)})^T)", "1×1"),  # one sample, as a row: σ(x^{(i)T}θ) is a number
        (r"res(X, \theta, y)", "m×1"),
        (r"res(B, y, u)", "n×1"),  # the same define at other shapes
        (r"lin(X, s)", "n×m"),
        (r"lin(y, 2)", "1×m"),
        (r"quad(A, u)", "1×1"),
        (r"cost(X)", "1×1"),  # a define that applies another
        (r"X^T (h(X) - y)", "n×1"),
        (r"total(x^{(i)})", "n×1"),
    ],
)
def test_the_shape_follows_from_the_define(latex: str, shape: str) -> None:
    value = step(latex)
    assert not isinstance(value, Fault), value
    assert shape_text(value) == shape


def test_a_number_valued_define_is_a_number_and_a_vector_valued_one_unfolds_to_its_generic_entry() -> None:
    value = step(r"h(X)")
    assert isinstance(value, Mat)
    entry = value.at(sympy.Integer(2), sympy.Integer(1))
    assert not entry.atoms(sympy.core.function.AppliedUndef) - entry.atoms(sympy.Function("\\sigma"))
    assert "x" in str(entry) and "theta" in str(entry)
    assert not isinstance(step(r"quad(A, u)"), Mat | Fault)


def test_an_index_of_an_argument_is_not_captured_by_a_sum_of_the_define() -> None:
    """total(x^{(i)}) = Σ_{i'} y^{(i')} x^{(i)}: the sample's i stays free."""
    value = step(r"total(x^{(i)})")
    assert isinstance(value, Mat)
    i = sympy.Symbol("i", integer=True)
    assert i in value.entry.free_symbols


# ---- decided as written --------------------------------------------------------------------------------

PROVED = [
    (r"h(X)", r"\sigma(X\theta)"),
    (r"h(X)", r"\frac{1}{\mathbf{1} + e^{-X\theta}}"),
    (r"cost(X)", "L"),
    (r"res(X, \theta, y)", r"X\theta - y"),
    (r"lin(X, s)", r"s X^T"),
    (r"quad(A, u)", r"\|A u\|^2"),
    (r"h((x^{(i)})^T)", r"\sigma(\sum_{j=1}^{n} x^{(i)}_j \theta_j)"),
    (r"y^T \log h(X)", r"\sum_{i=1}^{m} y^{(i)} \log \sigma(\sum_{j=1}^{n} x^{(i)}_j \theta_j)"),
]


@pytest.mark.parametrize(("prev", "cur"), PROVED)
def test_a_function_of_a_matrix_is_proved_equal_to_its_expansion(prev: str, cur: str) -> None:
    out = decide_values(step(prev), step(cur), N, timeout=20)
    assert out.verdict is Verdict.PROVED, out.message


REFUTED = [
    (r"h(X)", r"\sigma(X\theta) - a", "at entry"),
    (r"\frac{1}{m} X^T (h(X) - y)", r"X^T (h(X) - y)", "at entry"),
    (r"h(X)", r"h(X)^T", "this step is 1×m, the previous step m×1"),
    # the argument makes the define impossible: a refuted step that names the function and the shapes
    (r"h(X)", r"h(X^T)", "h(the n×m matrix): in its definition, the product (n×m)(n×1) cannot be formed"),
    (r"res(X, \theta, y)", r"res(X, y, y)", "the product (m×n)(m×1) cannot be formed"),
]


@pytest.mark.parametrize(("prev", "cur", "fragment"), REFUTED)
def test_a_wrong_step_with_a_function_of_a_matrix_is_refuted(prev: str, cur: str, fragment: str) -> None:
    out = decide_values(step(prev), step(cur), N, timeout=20)
    assert out.verdict is Verdict.REFUTED
    assert out.message is not None and fragment in out.message, out.message


# ---- misuse: a located error (exit 2), at the declaration or at the application ------------------------

DECLARATION_ERRORS = [
    (r"""h = { args = ["Q"], matrix_args = ["P"], define = 'Q' }""", "`matrix_args` must list some of its `args`", 1),
    (r"""h = { args = ["Q"], matrix_args = ["Q"] }""", "needs a define", 1),
    (
        r"""h = { args = ["Q", "w"], matrix_args = ["Q"], vector_args = ["w"], define = 'Q' }""",
        "list every vector or matrix parameter in matrix_args",
        1,
    ),
    (r"""h = { args = ["Q"], matrix_args = ["Q"], define = '\sigma(Q\theta) + q' }""", "undeclared name 'q'", 70),
    (r"""h = { args = ["Q"], matrix_args = ["Q"], define = 'Q^2' }""", "a power of a matrix", 53),
    (
        r"""h = { args = ["Q"], matrix_args = ["Q"], define = 'Q + \theta + \theta^T' }""",
        "the definition of 'h' cannot be formed: cannot add the n×1 column and the 1×n row",
        65,
    ),
    (r"""h = { args = ["Q"], vector_args = ["Q"], define = '2 Q' }""", "list the parameters that stand for", 1),
    (r"""h = { args = ["Q"], matrix_args = ["Q"], define = 'h(Q)' }""", "h must be declared before it is used", 52),
    (
        r"""h = { args = ["Q"], matrix_args = ["Q"], define = 'g(Q)' }
g = { args = ["Q"], matrix_args = ["Q"], define = 'Q' }""",
        "g must be declared before it is used",
        52,
    ),
]


@pytest.mark.parametrize(("decl", "fragment", "column"), DECLARATION_ERRORS)
def test_a_bad_declaration_is_a_located_error(decl: str, fragment: str, column: int) -> None:
    with pytest.raises(InputError) as info:
        compiled(decl)
    problem = info.value.problem
    assert fragment in problem.message
    line = HEADER.splitlines().index("{functions}") + 1
    assert (problem.file, problem.line, problem.column) == ("t.toml", line, column)


APPLICATION_ERRORS = [
    (r"s + h(2)", "h takes a vector or matrix for Q (it is in matrix_args), not a number", 9),
    (r"h'(X)", "the derivative h' of a function declared with matrix_args is not supported", 5),
    (r"lin(X, y)", "is used where a number is needed", 12),
    (r"h(X) + h(\mathbf{1})", "cannot tell the size", 14),
    (r"h(X, X)", "takes 1 argument", 5),
]


@pytest.mark.parametrize(("latex", "fragment", "column"), APPLICATION_ERRORS)
def test_a_bad_application_is_a_located_error(latex: str, fragment: str, column: int) -> None:
    with pytest.raises(InputError) as info:
        step(latex)
    problem = info.value.problem
    assert fragment in problem.message, problem.message
    assert (problem.file, problem.line, problem.column) == ("t.toml", 3, column)


def test_an_error_that_only_the_arguments_cause_is_located_at_the_application() -> None:
    """‖Q‖ reads for a vector, not for a matrix: the message says it arose in the define."""
    n = compiled(r"""nrm = { args = ["Q"], matrix_args = ["Q"], define = '\|Q\|' }""")
    assert not isinstance(read_step(tex(r"nrm(y)"), n), Mat | Fault)
    with pytest.raises(InputError) as info:
        read_step(tex(r"s + nrm(X)"), n)
    problem = info.value.problem
    assert problem.message.startswith("in the definition of nrm, applied here: the norm of a matrix")
    assert (problem.line, problem.column) == (3, 9)


# ---- a vector-valued define agrees with its componentwise expansion (hypothesis) -----------------------

SIZES = {"m": 3, "n": 2}
# leaves by shape: (spelling, value name); Q is the function's parameter, given A at the application
LEAVES: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("m", "n"): [("Q", "A"), ("X", "X")],
    ("n", "m"): [("B", "B")],
    ("n", "1"): [(r"\theta", "theta"), ("u", "u")],
    ("m", "1"): [("y", "y"), ("a", "a")],
}
Values = dict[str, sympy.Matrix]
Build = Callable[[Values], sympy.Matrix]


def _expr(draw: st.DrawFn, shape: tuple[str, str], depth: int) -> tuple[str, Build]:
    """A random well-formed matrix expression of a shape, with an independent evaluator (SymPy matrices of
    numbers); its leaves include the parameter Q."""
    kinds = ["leaf", "transpose"] + (["sum", "scale", "product", "hadamard", "exp"] if depth > 0 else [])
    while True:
        kind = draw(st.sampled_from(kinds))
        if kind == "leaf" and shape in LEAVES:
            spelling, name = draw(st.sampled_from(LEAVES[shape]))
            return spelling, lambda v, name=name: v[name]
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
        if kind == "exp" and shape != ("1", "1"):
            t, f = _expr(draw, shape, depth - 1)
            return f"e^{{{t}}}", lambda v, f=f: f(v).applyfunc(sympy.exp)


@st.composite
def defines(draw: st.DrawFn) -> tuple[str, Build]:
    shape = draw(st.sampled_from([("m", "n"), ("n", "1"), ("m", "1"), ("1", "m"), ("n", "n"), ("1", "1")]))
    return _expr(draw, shape, 2)


_BASES = {"x": "X", "A": "A", "B": "B", r"\theta": "theta", "u": "u", "y": "y", "a": "a"}


@settings(max_examples=25, deadline=None)
@given(defines(), st.integers(0, 10**6))
def test_a_vector_valued_define_agrees_with_its_componentwise_expansion(case: tuple[str, Build], seed: int) -> None:
    """g(Q) := a random matrix expression in Q; g(A) is read through the define, and each entry equals
    the same expression evaluated with SymPy matrices of numbers (A in place of Q)."""
    define, evaluate = case
    n = compiled(f"g = {{ args = [\"Q\"], matrix_args = [\"Q\"], define = '{define}' }}")
    value = read_step(tex("g(A)"), n)
    assert not isinstance(value, Fault), (define, value)
    rng = random.Random(seed)

    def numbers(rows: int, cols: int) -> sympy.Matrix:
        return sympy.Matrix(rows, cols, lambda r, c: sympy.Rational(rng.randint(-9, 9), rng.randint(1, 4)))

    m, k = SIZES["m"], SIZES["n"]
    values: Values = {"A": numbers(m, k), "X": numbers(m, k), "B": numbers(k, m), "theta": numbers(k, 1)}
    values |= {"u": numbers(k, 1), "y": numbers(m, 1), "a": numbers(m, 1), "s": numbers(1, 1), "lam": numbers(1, 1)}
    expected = evaluate(values)
    sizes = {sympy.Symbol("m", integer=True, positive=True): m, sympy.Symbol("n", integer=True, positive=True): k}

    def number(e: sympy.Expr) -> sympy.Expr:
        e = e.xreplace(sizes).doit()
        leaves = {}
        for el in e.atoms(sympy.Indexed):
            at = [int(i) - 1 for i in el.indices] + [0]
            leaves[el] = values[_BASES[str(el.base.label)]][at[0], at[1]]
        named = {sym: values["lam" if sym.name == r"\lambda" else "s"][0, 0] for sym in e.free_symbols}
        return sympy.simplify(e.xreplace(leaves).xreplace(named))

    if not isinstance(value, Mat):
        assert expected.shape == (1, 1), define
        assert sympy.simplify(number(value) - expected[0, 0]) == 0, define
        return
    assert value.rows is not None and value.cols is not None
    shape = (int(value.rows.size.xreplace(sizes)), int(value.cols.size.xreplace(sizes)))
    assert shape == expected.shape, define
    for r in range(shape[0]):
        for c in range(shape[1]):
            got = number(value.at(value.rows.lo + r, value.cols.lo + c))
            assert sympy.simplify(got - expected[r, c]) == 0, (define, r, c)


def test_a_defined_symbol_whose_define_is_a_vector_reads_as_that_vector() -> None:
    """A defined vector (h = σ(Xθ)) is read in place of its name (tests/unit/test_shaped_symbols.py has
    the rest); only a defined family's element must stay a number."""
    text = HEADER.format(functions="").replace("[functions]", "hv = { define = '\\sigma(X\\theta)' }\n[functions]")
    notation = compile_notation(loads(text, "t.toml"))
    value = step("hv", notation)
    assert isinstance(value, Mat) and shape_text(value) == "m×1"
