"""compile_notation: what each declaration becomes, and the located errors of bad declarations."""

from __future__ import annotations

from typing import Any

import declare
import pytest
import sympy

from verifier.errors import InputError
from verifier.model import FunctionDecl, Loc, SymbolDecl
from verifier.notation import Notation

_line = iter(range(10, 10_000))


def loc() -> Loc:
    return Loc("n.toml", next(_line), 1)


def sym(key: str, words: str = "", **kw: Any) -> SymbolDecl:
    return declare.sym(key, words, loc=loc(), text_column=20, **kw)


def fn(key: str, args: tuple[str, ...], define: str | None = None, vector_args: tuple[str, ...] = ()) -> FunctionDecl:
    return declare.fn(key, args, define, vector_args, loc=loc(), text_column=20)


def compile_(*decls: SymbolDecl | FunctionDecl) -> Notation:
    return declare.notation(*decls, file="n.toml")


@pytest.mark.parametrize(
    ("words", "facts"),
    [
        ("real", {"real": True}),
        ("positive", {"positive": True}),
        ("nonnegative", {"nonnegative": True}),
        ("negative", {"negative": True}),
        ("integer", {"integer": True}),
        ("nonzero", {"nonzero": True}),
        ("unit", {"positive": True}),
        ("binary", {"integer": True, "nonnegative": True}),
        ("positive integer", {"positive": True, "integer": True}),
        ("", {"real": None}),
    ],
)
def test_words_become_assumptions(words: str, facts: dict[str, bool | None]) -> None:
    n = compile_(sym("w", words))
    s = n.symbols["w"]
    for fact, value in facts.items():
        assert getattr(s, f"is_{fact}") is value
    assert n.words[s] == frozenset(words.split())


def test_index_family_vector_function() -> None:
    n = compile_(
        sym("m", "positive integer"),
        sym("p", "positive integer"),
        sym("i", range=("1", "m")),
        sym("j", range=("0", "p")),
        sym("x^{(i)}_j", "real"),
        sym("x^{(i)}", components="x^{(i)}_j"),
        sym(r"\hat{y}_i", define=r"\sigma(x^{(i)}_0)"),
        sym("w_0", "real"),
        fn(r"\sigma", ("t",), r"\frac{1}{1+e^{-t}}"),
        fn("f", ("u",)),
        fn("g", ("s", "t")),
    )
    i, j, m, p = (n.symbols[k] for k in "ijmp")
    assert i.is_integer and n.indices[i].lower == 1 and n.indices[i].upper == m
    assert n.indices[j].lower == 0 and n.indices[j].upper == p
    fam = n.families["x^{(i)}_j"]
    assert fam.indices == (i, j) and fam.base.is_real and fam.words == frozenset({"real"})
    vec = n.vectors["x^{(i)}"]
    assert vec.family is fam and vec.fixed == (i,)
    yhat = n.families[r"\hat{y}_i"]
    definition = n.definitions[yhat.base]
    sigma = n.functions[r"\sigma"]
    assert definition.params == (i,) and definition.body == sigma.head(fam.base[i, 0])
    (t,) = sigma.params
    assert t.is_real and sigma.body == 1 / (1 + sympy.exp(-t))
    assert n.functions["f"].body is None
    assert n.symbols["w_0"].name == "w_{0}"


def test_vector_function_body_uses_an_indexed_parameter() -> None:
    n = compile_(
        sym("p", "positive integer"),
        sym("j", range=("0", "p")),
        sym(r"\theta_j", "real"),
        sym(r"\theta", components=r"\theta_j"),
        fn(r"h_\theta", ("u",), r"\frac{1}{1+e^{-\theta^T u}}", ("u",)),
    )
    spec = n.functions[r"h_\theta"]
    (u,) = spec.params
    assert spec.vector_params == frozenset({"u"})
    assert spec.body is not None and spec.body.has(sympy.IndexedBase(u))


def test_plain_symbol_and_family_with_the_same_letter_do_not_collide() -> None:
    n = compile_(
        sym("N", "positive integer"), sym("i", range=("1", "N")), sym("L_i", "real"), sym("L", "real")
    )
    base, plain = n.families["L_i"].base, n.symbols["L"]
    assert base.label != plain
    assert (base[n.symbols["i"]] + plain).xreplace({plain: 0}) == base[n.symbols["i"]]


@pytest.mark.parametrize(
    ("decls", "message", "line_of"),
    [
        (lambda: [sym("w", "reel")], "unknown assumption word 'reel' for 'w' (did you mean 'real'?)", 0),
        (lambda: [sym("w", "real"), sym("z", "real", define="w")], "takes no assumption words", 1),
        (lambda: [sym("w", "positive negative")], "contradictory assumption words for 'w'", 0),
        (lambda: [sym("L", define="L + 1")], "the definition of 'L' refers to itself (L → L)", 0),
        (lambda: [sym("a", define="b"), sym("b", define="a")], "refers to itself (a → b → a)", 0),
        (lambda: [fn("f", ("t",), "f(t)")], "the definition of 'f' refers to itself", 0),
        (lambda: [sym(r"\hat y", "real"), sym(r"\hat{y}", "real")], "declared twice", 1),
        (lambda: [sym("N", "positive integer"), sym("i", "real", range=("1", "N"))], "takes no words", 1),
        (lambda: [sym("x_i", range=("1", "N"))], "an index must be one letter", 0),
        (lambda: [sym("w_j", "real"), sym(r"\mathbf{w}", components="v_j")], "not a declared family", 1),
        (lambda: [fn("h", ("u",), None, ("u",))], "needs a define", 0),
        (lambda: [fn("h", ("u", "u"))], "lists a parameter twice", 0),
        (lambda: [fn("h", ("u",), "u", ("v",))], "not in args", 0),
        (
            lambda: [sym("N", "positive integer"), sym("i", range=("1", "N")), sym("x_{ii}", "real")],
            "same index twice",
            2,
        ),
        (
            lambda: [sym("N", "positive integer"), sym("i", range=("1", "N")), sym("x_{i+1}", "real")],
            "only declared indices",
            2,
        ),
        (
            lambda: [
                sym("N", "positive integer"),
                sym("i", range=("1", "N")),
                sym("x_i", "real"),
                sym("z", define="x_i"),
            ],
            "uses the index i freely",
            3,
        ),
    ],
)
def test_bad_declarations_are_located(decls, message: str, line_of: int) -> None:  # type: ignore[no-untyped-def]
    built = decls()
    with pytest.raises(InputError) as info:
        compile_(*built)
    problem = info.value.problem
    assert message in problem.message and "\n" not in problem.message
    assert problem.file == "n.toml" and problem.line == built[line_of].loc.line


def test_undeclared_name_in_a_define_points_into_the_define() -> None:
    with pytest.raises(InputError) as info:
        compile_(sym("wx", "real"), sym("z", define="w_x + 1"))
    problem = info.value.problem
    assert "undeclared name 'w_x'" in problem.message and "did you mean" in problem.message
    assert problem.column == 20


def test_vector_key_must_leave_one_or_two_indices_free() -> None:
    with pytest.raises(InputError, match="leave one free"):
        compile_(
            sym("m", "positive integer"),
            sym("i", range=("1", "m")),
            sym("j", range=("1", "m")),
            sym("x^{(i)}_j", "real"),
            sym("z^{(i)}_j", components="x^{(i)}_j"),
        )


def test_families_sharing_a_base_letter_get_distinct_labels() -> None:
    n = compile_(
        sym("m", "positive integer"),
        sym("i", range=("1", "m")),
        sym("j", range=("1", "m")),
        sym("x", "real"),
        sym("x_i", "real"),
        sym("x^{(i)}_j", "real"),
    )
    labels = {n.symbols["x"].name, n.families["x_i"].base.name, n.families["x^{(i)}_j"].base.name}
    assert len(labels) == 3
