"""SymPy's hot spots fixed in place (sympy_speed.py) answer as SymPy's own code does."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
import sympy

from verifier.check import sympy_speed

sympy_speed.install()

x, n = sympy.symbols("x n", integer=True)
k, j = sympy.symbols("k j", integer=True)
d = sympy.Dummy("d", integer=True)
X = sympy.IndexedBase("x")


@pytest.mark.parametrize(
    "e",
    [
        sympy.Sum(X[k], (k, 1, n)),
        sympy.Sum(X[k] * x, (k, 1, n)),
        sympy.Sum(X[k, j], (k, 1, j), (j, 1, n)),  # the inner bound is the outer variable
        sympy.Sum(X[k], (k, 1, k)),  # a bound's k is the outer, free k
        sympy.Product(k * x, (k, 1, n)),
        sympy.Sum(x, (k, 1, n)),
        sympy.Sum(X[d] * sympy.exp(-X[d]), (d, 1, n)),
        sympy.Sum(X[k], (k, 1, 3)),
        sympy.Sum(sympy.Sum(X[k, j], (k, 1, n)) * X[j], (j, 1, n)),
    ],
)
def test_free_symbols_are_sympys(e: sympy.Expr) -> None:
    assert e.free_symbols == sympy_speed.ORIGINAL.fget(e)
    assert k not in sympy.Sum(X[k], (k, 1, n)).free_symbols


def test_is_number() -> None:
    assert sympy.Sum(k**2, (k, 1, 3)).is_number
    assert not sympy.Sum(k * x, (k, 1, 3)).is_number


# ---- the facts of a family element (derived once per set of assumptions) ------------------------
ASSUMPTIONS = [{}, {"real": True}, {"positive": True}, {"integer": True, "nonnegative": True},
               {"commutative": False}, {"real": True, "zero": False}, {"extended_real": True}]


@pytest.mark.parametrize("assumed", ASSUMPTIONS, ids=str)
def test_an_elements_facts_are_the_ones_sympy_derives(assumed: dict[str, bool]) -> None:
    base = sympy.IndexedBase("w", **assumed)
    for element in (base[1], base[k], base[1, 2]):  # the second of each is built from the remembered facts
        again = sympy.Indexed(base, *element.indices)
        reference = sympy.Expr.__new__(sympy.Indexed, base, *element.indices)
        sympy_speed.ORIGINAL_SET_ASSUMPTIONS(reference, base.assumptions0)
        for e in (element, again):
            assert dict(e._assumptions) == dict(reference._assumptions)
            assert e._assumptions._generator == reference._assumptions._generator
            assert e.assumptions0 == reference.assumptions0


@pytest.mark.parametrize("assumed", ASSUMPTIONS, ids=str)
def test_a_bases_own_facts_are_the_ones_sympy_derives(assumed: dict[str, bool]) -> None:
    for _ in range(2):  # the second from the remembered facts
        base = sympy.IndexedBase("t", **assumed)
        reference = sympy.Expr.__new__(sympy.IndexedBase, sympy.Symbol("t", **assumed))
        sympy_speed.ORIGINAL_SET_ASSUMPTIONS(reference, dict(assumed))
        assert dict(base._assumptions) == dict(reference._assumptions)
        assert base._assumptions._generator == reference._assumptions._generator


def test_a_fact_learned_about_one_element_is_not_seen_by_another() -> None:
    base = sympy.IndexedBase("v", real=True)
    one, two = base[1], base[2]
    assert one._assumptions is not two._assumptions
    one._assumptions._tell("positive", True)  # what SymPy records when it learns a fact
    assert base[3].is_positive is None and two.is_positive is None


# ---- Factors of a dict (no conversion into a SymPy Dict first) --------------------------------
y = sympy.Symbol("y", positive=True)
FACTOR_DICTS = [
    {},
    {x: 2},
    {x: 2, y: sympy.Rational(-1, 2)},
    {sympy.S.NegativeOne: 1, x: 1},
    {sympy.S.NegativeOne: sympy.Rational(1, 2), x: 3},
    {sympy.I: 3, y: 1},
    {sympy.S.One: 5, x: -1},
    {sympy.S(2): 3, sympy.S(3): -1, x + 1: 2},
    {sympy.S.NegativeOne: x},  # a symbolic exponent of −1 stays as it is
]


@pytest.mark.parametrize("kind", [dict, lambda d: defaultdict(int, d)], ids=["dict", "defaultdict"])
@pytest.mark.parametrize("factors", FACTOR_DICTS, ids=str)
def test_factors_of_a_dict_are_sympys(factors: dict[sympy.Expr, sympy.Expr], kind: Callable[..., Any]) -> None:
    new = sympy.core.exprtools.Factors(kind(factors))
    old = sympy.core.exprtools.Factors.__new__(sympy.core.exprtools.Factors)
    sympy_speed.ORIGINAL_FACTORS_INIT(old, kind(factors))
    assert new.factors == old.factors and type(new.factors) is type(old.factors)
    assert new.gens == old.gens
    assert new == old


def test_factors_of_a_dict_do_not_convert_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from sympy.core.sympify import _sympy_converter

    def refuse(d: dict[object, object]) -> None:
        raise AssertionError("the dict was converted into a SymPy Dict")

    monkeypatch.setitem(_sympy_converter, dict, refuse)
    f = sympy.core.exprtools.Factors({x: 2, y: 1})
    assert f.factors == {x: 2, y: 1}
    assert sympy.gcd_terms(x * y + x**2) == x * (x + y)
    assert sympy.factor_terms(2 * x * y + 4 * x) == 2 * x * (y + 2)


def test_a_second_element_derives_no_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    base = sympy.IndexedBase("u", nonnegative=True)
    assert base[1].is_nonnegative
    derived: list[object] = []
    plain = sympy.core.facts.FactKB.deduce_all_facts
    monkeypatch.setattr(sympy.core.facts.FactKB, "deduce_all_facts", lambda kb, f: derived.append(f) or plain(kb, f))
    element = base[2]
    assert derived == []
    assert element.is_nonnegative and element.is_real and element.is_negative is False


def test_plain_sympy_is_sympy_as_installed_for_its_duration() -> None:
    from sympy.concrete.expr_with_limits import ExprWithLimits
    from sympy.core.exprtools import Factors
    from sympy.tensor.indexed import IndexedBase

    def fixed() -> tuple[bool, bool, bool]:
        return (
            ExprWithLimits.__dict__["free_symbols"] is not sympy_speed.ORIGINAL,
            IndexedBase.__dict__["_set_assumptions"].__func__ is not sympy_speed.ORIGINAL_SET_ASSUMPTIONS,
            Factors.__init__ is not sympy_speed.ORIGINAL_FACTORS_INIT,
        )

    assert fixed() == (True, True, True)
    with pytest.raises(ZeroDivisionError), sympy_speed.plain_sympy():
        assert fixed() == (False, False, False)
        assert sympy.simplify(sympy.Sum(X[k] * (x + 1), (k, 1, n)) - sympy.Sum(X[k] * x + X[k], (k, 1, n))) == 0
        raise ZeroDivisionError  # whatever ends the call, the fixes are back
    assert fixed() == (True, True, True)
