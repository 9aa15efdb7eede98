"""Bound variables in a canonical form (verifier/check/alpha.py) and what the matrix path builds on it:
renaming is alpha-conversion only (never a capture, never a free variable touched), so that the same
entry read twice is one SymPy object and a sum written with a declared index meets the same sum read
from a product."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from test_matrix_functions import N, step  # the same declarations

from verifier.check.alpha import alpha_equal, canonical_bound
from verifier.check.matrix import ENTRY_ROW, MatrixMethod, _entry_notation, decide_values
from verifier.check.prenex import _shared
from verifier.latex.shapes import Mat
from verifier.model import Verdict

i, j, m, n = sympy.symbols("i j m n", integer=True)
x, w = sympy.IndexedBase("x"), sympy.IndexedBase("w")


def _dummies() -> tuple[sympy.Dummy, sympy.Dummy]:
    return sympy.Dummy("k", integer=True), sympy.Dummy("k", integer=True)


def test_the_same_sum_read_twice_becomes_one_object() -> None:
    k1, k2 = _dummies()
    a = sympy.Sum(x[k1] * w[k1], (k1, 1, n))
    b = sympy.Sum(x[k2] * w[k2], (k2, 1, n))
    assert a != b
    assert canonical_bound(a) == canonical_bound(b)


def test_a_declared_bound_name_is_kept_for_the_diagnoses() -> None:
    e = sympy.Sum(x[i], (i, 1, m))
    assert canonical_bound(e) is e


def test_nested_sums_get_one_variable_per_depth_and_bounds_see_the_outer_one() -> None:
    k1, k2 = _dummies()
    e = sympy.Sum(w[k1, k2], (k2, 1, k1), (k1, 1, n))  # the inner bound is the outer variable
    c = canonical_bound(e)
    (inner, lo, hi), (outer, olo, ohi) = c.limits
    assert (lo, hi, olo, ohi) == (1, outer, 1, n)  # the bound renamed with its variable
    assert inner != outer and {inner, outer}.isdisjoint({k1, k2})
    assert c.function == w[outer, inner]


def test_a_free_index_is_never_touched() -> None:
    k1, _ = _dummies()
    e = x[k1] * sympy.Sum(w[k1], (k1, 1, n))  # k1 free outside, bound inside
    c = canonical_bound(e)
    (total,) = c.atoms(sympy.Sum)
    assert x[k1] in c.args  # the free one stays
    assert total.limits[0][0] != k1 and total.function == w[total.limits[0][0]]


def test_sibling_sums_may_share_a_variable_and_prenex_renames_them_apart() -> None:
    k1, k2 = _dummies()
    e = canonical_bound(sympy.Sum(x[k1], (k1, 1, n)) * sympy.Sum(w[k2], (k2, 1, n)))
    assert _shared(e)  # both are now bound by the depth-0 variable: the prenex form makes them fresh
    assert not _shared(sympy.Sum(x[k1], (k1, 1, n)) * sympy.Sum(w[k2], (k2, 1, n)))


def test_alpha_equal_names_no_wrong_identity() -> None:
    k1, k2 = _dummies()
    assert alpha_equal(sympy.Sum(x[i] * w[i], (i, 1, n)), sympy.Sum(x[k1] * w[k1], (k1, 1, n)))
    assert not alpha_equal(sympy.Sum(x[i] * w[i], (i, 1, n)), sympy.Sum(x[k1] * w[k1], (k1, 1, m)))  # limits
    assert not alpha_equal(sympy.Sum(x[k1] * w[j], (k1, 1, n)), sympy.Sum(x[k2] * w[k2], (k2, 1, n)))  # free j
    outer = sympy.Sum(sympy.Sum(w[k1, k2], (k2, 1, n)), (k1, 1, n))
    swapped = sympy.Sum(sympy.Sum(w[k2, k1], (k2, 1, n)), (k1, 1, n))  # the transpose's sum, not the same
    assert alpha_equal(outer, sympy.Sum(sympy.Sum(w[k2, k1], (k1, 1, n)), (k2, 1, n)))
    assert not alpha_equal(outer, swapped)  # equal in value, but not by renaming: no claim made


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["x", "w", "xw", "const"]), min_size=1, max_size=4), st.booleans())
def test_renaming_keeps_the_value(parts: list[str], nest: bool) -> None:
    """Property: at concrete sizes the canonical form has the same value as the expression."""
    k1, k2 = _dummies()
    terms = {"x": x[k1], "w": w[k1], "xw": x[k1] * w[k2], "const": sympy.Integer(3)}
    body = sympy.Add(*(terms[p] for p in parts))
    inner = sympy.Sum(body, (k2, 1, 2)) if nest else body.xreplace({k2: k1})
    e = sympy.Sum(inner, (k1, 1, 3)) * sympy.Sum(x[k1], (k1, 1, 2))
    values = {x[t]: t + 1 for t in range(1, 4)} | {w[t]: 2 * t - 1 for t in range(1, 4)}
    assert e.doit().xreplace(values) == canonical_bound(e).doit().xreplace(values)


def test_a_matrix_step_read_twice_hits_the_same_entry_and_notation() -> None:
    prev, cur = step(r"X^T(\sigma(X\theta) - y)"), step(r"\sum_{i=1}^{m}(\sigma(\theta^T x^{(i)}) - y^{(i)}) x^{(i)}")
    assert isinstance(prev, Mat)
    out = decide_values(prev, cur, N, timeout=20)
    assert out.verdict is Verdict.PROVED
    assert out.method is not None and out.method.startswith(MatrixMethod.RENAMED)
    assert _entry_notation(N, prev, ENTRY_ROW, 1) is _entry_notation(N, prev, ENTRY_ROW, 1)
    again = decide_values(step(r"X^T(\sigma(X\theta) - y)"), cur, N, timeout=20)
    assert again.verdict is Verdict.PROVED


def test_renamed_sums_that_differ_are_still_refuted() -> None:
    out = decide_values(
        step(r"X^T(\sigma(X\theta) - y)"), step(r"\sum_{i=1}^{m}(\sigma(\theta^T x^{(i)}) + y^{(i)}) x^{(i)}"), N,
        timeout=20,
    )  # fmt: skip
    assert out.verdict is Verdict.REFUTED


def test_a_pair_whose_nodes_differ_is_not_renamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Renaming keeps every node's class: where the classes counted differ, the pair is not alpha-equal
    and the renaming (most of the shortcut's time) is skipped."""
    from verifier.check import alpha

    def refuse(e: sympy.Basic) -> sympy.Basic:
        raise AssertionError("renamed")

    monkeypatch.setattr(alpha, "canonical", refuse)
    k1, _k2 = _dummies()
    assert not alpha_equal(sympy.Sum(x[i] * w[i], (i, 1, n)), sympy.Sum(x[k1] + w[k1], (k1, 1, n)))
    assert not alpha_equal(sympy.Sum(x[i] ** 2, (i, 1, n)), sympy.Sum(sympy.exp(x[k1]), (k1, 1, n)))
