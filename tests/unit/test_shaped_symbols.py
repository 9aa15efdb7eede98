"""Defined symbols whose define is a vector or matrix (h = σ(Xθ), docs/notation.md "Defined vectors and
matrices"): the value is read in place of the name with its shape, so steps written with h are checked
entry by entry like any matrix step; every shape error is a refuted step naming both shapes; what cannot
be read (an order that would leave a bare h, an unsized define, a family element) is a located error."""

from __future__ import annotations

import pytest

from verifier.check.matrix import decide_values
from verifier.errors import InputError
from verifier.latex import compile_notation, read_step
from verifier.latex.shapes import Fault, Mat, shape_text
from verifier.loader import loads
from verifier.model import Loc, Tex, Verdict
from verifier.notation import Notation

HEAD = r"""title = "t"
[symbols]
m = "positive integer"
n = "positive integer"
i = { range = ["1", "m"] }
j = { range = ["1", "n"] }
'x^{(i)}_j' = "real"
X = { components = 'x^{(i)}_j' }
'x^{(i)}' = { components = 'x^{(i)}_j' }
'\theta_j' = "real"
'\theta' = { components = '\theta_j' }
'y^{(i)}' = "real"
y = { components = 'y^{(i)}' }
"""
DEFINES = r"""h = { define = '\sigma(X\theta)' }
d = { define = 'h - y' }
G = { define = 'X^T X' }
J = { define = '\frac{1}{2m}\|h - y\|^2' }
"""
TAIL = r"""[functions]
'\sigma' = { args = ["t"], define = '\frac{1}{1+e^{-t}}' }
{functions}
[[chain]]
title = "t"
steps = [{steps}]
"""


def source(defines: str = DEFINES, functions: str = "", steps: str = "'X^T y', 'X^T y'") -> str:
    return HEAD + defines + TAIL.replace("{functions}", functions).replace("{steps}", steps)


N: Notation = compile_notation(loads(source(), "t.toml"))


def step(text: str) -> Mat | Fault | object:
    return read_step(Tex(text, Loc("t.toml", 1, 1)), N)


@pytest.mark.parametrize(
    ("name", "shape"), [("h", "m×1"), ("d", "m×1"), ("h^T", "1×m"), ("G", "n×n"), ("X^T d", "n×1")]
)
def test_a_defined_vector_has_its_shape(name: str, shape: str) -> None:
    value = step(name)
    assert isinstance(value, Mat) and shape_text(value) == shape


@pytest.mark.parametrize(
    ("prev", "cur"),
    [
        (r"X^T(h - y)", r"X^T(\sigma(X\theta) - y)"),
        (r"X^T(h - y)", r"\sum_{i=1}^{m}(\sigma(\theta^T x^{(i)}) - y^{(i)}) x^{(i)}"),
        (r"X^T d", r"X^T h - X^T y"),
        (r"h^T h", r"\sum_{i=1}^{m} \sigma(\theta^T x^{(i)})^2"),  # two uses, two bound variables
        (r"G\theta", r"X^T(X\theta)"),
        (r"J", r"\frac{1}{2m}(h - y)^T(h - y)"),
    ],
)
def test_steps_written_with_a_defined_vector_are_proved(prev: str, cur: str) -> None:
    out = decide_values(step(prev), step(cur), N, timeout=20)  # type: ignore[arg-type]
    assert out.verdict is Verdict.PROVED, out


def test_a_wrong_entry_is_refuted() -> None:
    out = decide_values(step(r"X^T(h - y)"), step(r"X^T(h + y)"), N, timeout=20)  # type: ignore[arg-type]
    assert out.verdict is Verdict.REFUTED


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (r"X(h - y)", ["(m×n)(m×1)", "the m×n matrix", "the m×1 column"]),  # a product that cannot be formed
        (r"X^T(h - y^T)", ["the m×1 column", "the 1×m row", "only a number broadcasts"]),  # column minus row
        (r"X^T \odot d", ["entrywise product", "the n×m matrix", "the m×1 column"]),
        (r"G h", ["(n×n)(m×1)"]),
    ],
)
def test_an_operation_that_cannot_be_formed_is_refuted_with_both_shapes(text: str, words: list[str]) -> None:
    value = step(text)
    assert isinstance(value, Fault)
    out = decide_values(step(r"X^T d"), value, N)  # type: ignore[arg-type]
    assert out.verdict is Verdict.REFUTED and out.message is not None
    for w in words:
        assert w in out.message


def test_a_step_shaped_unlike_the_previous_one_is_refuted_with_both_shapes() -> None:
    out = decide_values(step(r"X^T d"), step(r"d^T X"), N)  # type: ignore[arg-type]
    assert out.verdict is Verdict.REFUTED and out.message is not None
    assert "this step is 1×n, the previous step n×1" in out.message


@pytest.mark.parametrize(
    ("defines", "functions", "steps", "line", "column", "words"),
    [
        # used before its define: the earlier define would hold a bare, meaningless h
        ("d = { define = 'h - y' }\nh = { define = '\\sigma(X\\theta)' }\n", "", "'y', 'y'", 14, 17,
         "'h' is a defined vector or matrix, read in place where its name is used, so it must be defined "
         "before 'd' uses it"),
        ("h = { define = '\\sigma(X\\theta) + h' }\n", "", "'y', 'y'", 14, 17, "its define cannot use 'h' itself"),
        ("h = { define = '\\sigma(X\\theta)' }\n", "f = { args = [\"t\"], define = 't h' }", "'y', 'y'", 17, 31,
         "a function's define cannot use it"),
        ("h = { define = '\\mathbf{1}' }\n", "", "'y', 'y'", 14, 17, "cannot tell the size of"),
        ("h = { define = 'X\\theta + y^T' }\n", "", "'y', 'y'", 14, 27, "the definition of 'h' cannot be formed"),
        ("'g^{(i)}' = { define = 'X\\theta' }\n", "", "'y', 'y'", 14, 25,
         "an element of a defined family is a number"),
    ],
)
def test_unreadable_declarations_are_located(
    defines: str, functions: str, steps: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(InputError) as info:
        compile_notation(loads(source(defines, functions, steps), "t.toml"))
    problem = info.value.problem
    assert (problem.line, problem.column) == (line, column), problem.message
    assert words in problem.message


@pytest.mark.parametrize(
    ("prev", "cur"),
    [
        (r"\frac{\partial J}{\partial h}", r"\frac{1}{m}(h - y)"),
        (r"\nabla_{h} J", r"\frac{1}{m}(h - y)"),
        (r"\nabla_{\theta} J", r"\frac{\partial h}{\partial \theta}\frac{\partial J}{\partial h}"),  # the chain rule
        (
            r"\frac{\partial h}{\partial \theta}\frac{\partial J}{\partial h}",
            r"\frac{1}{m} X^T ((h - y) \odot h \odot (1 - h))",
        ),
        (r"\frac{\partial^2 J}{\partial h \partial h^T}", r"\frac{1}{m} I_m"),
        (r"\frac{\partial}{\partial G} \theta^T G \theta", r"\theta \theta^T"),  # by a defined matrix
    ],
)
def test_a_derivative_with_respect_to_a_defined_vector_unfolds_through_its_entries(prev: str, cur: str) -> None:
    """h = σ(Xθ) defined: its entries are a defined family, so ∂J/∂h holds them while differentiating J
    (the same unfolding as a defined scalar), and the chain rule through h is checked as written."""
    assert decide_values(step(prev), step(cur), N, timeout=30).verdict is Verdict.PROVED  # type: ignore[arg-type]


def test_a_wrong_derivative_by_a_defined_vector_is_refuted() -> None:
    out = decide_values(step(r"\frac{\partial J}{\partial h}"), step(r"\frac{1}{m}(y - h)"), N, timeout=30)  # type: ignore[arg-type]
    assert out.verdict is Verdict.REFUTED and out.counterexample


def test_a_defined_vector_in_the_numerator_is_read() -> None:
    value = step(r"\frac{\partial h}{\partial \theta}")
    assert isinstance(value, Mat) and shape_text(value) == "n×m"


WITH_ENTRIES = r"""'h_i' = { define = '\sigma(\sum_{j} x^{(i)}_j \theta_j)' }
h = { components = 'h_i' }
J = { define = '\frac{1}{2}\|h - y\|^2' }
"""


@pytest.mark.parametrize(
    ("prev", "cur"),
    [
        (r"\frac{\partial J}{\partial h}", r"h - y"),
        (r"\nabla_{\theta} J", r"\frac{\partial h}{\partial \theta}\frac{\partial J}{\partial h}"),
        (r"\frac{\partial h}{\partial \theta}\frac{\partial J}{\partial h}", r"X^T ((h - y) \odot h \odot (1 - h))"),
    ],
)
def test_a_defined_vector_is_differentiated_through(prev: str, cur: str) -> None:
    notation = compile_notation(loads(source(WITH_ENTRIES), "t.toml"))
    read = [read_step(Tex(t, Loc("t.toml", 1, 1)), notation) for t in (prev, cur)]
    out = decide_values(read[0], read[1], notation, timeout=30)  # type: ignore[arg-type]
    assert out.verdict is Verdict.PROVED, out.message
