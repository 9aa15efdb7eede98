"""Unfolding: definitions, held variables in derivatives, opaque derivatives, Kronecker-delta sums."""

from __future__ import annotations

import sympy
from sympy import KroneckerDelta, Subs, Sum, exp
from test_check_notations import bce, d, prime, softmax

from verifier.check.ranges import relation_truth
from verifier.check.sums import Atomizer, canonical, collapse
from verifier.check.unfold import Unfolder, substitute
from verifier.notation import IndexRange


def _zero(e: sympy.Expr) -> bool:
    return sympy.cancel(sympy.together(e)) == 0


def test_defined_family_element_unfolds_with_its_actual_index() -> None:
    m = bce()
    u = Unfolder(m.notation)
    k = sympy.Symbol("k", integer=True)
    assert u.unfold(m.z[k]) == m.w * m.x[k] + m.b


def test_chain_rule_product_unfolds_to_the_direct_derivative() -> None:
    m = bce()
    u = Unfolder(m.notation)
    i = m.i
    direct = u.unfold(d(m.Li[i], m.w))
    chain = u.unfold(d(m.Li[i], m.yhat[i]) * d(m.yhat[i], m.z[i]) * d(m.z[i], m.w))
    assert _zero(direct - chain)
    assert not direct.has(sympy.Derivative)


def test_derivative_with_respect_to_a_defined_element_holds_it() -> None:
    # ∂L_i/∂ŷ_i is -(y/ŷ - (1-y)/(1-ŷ)) with ŷ then unfolded to σ(z_i)
    m = bce()
    u = Unfolder(m.notation)
    i = m.i
    got = u.unfold(d(m.Li[i], m.yhat[i]))
    s = 1 / (1 + exp(-(m.w * m.x[i] + m.b)))
    assert _zero(got - (-(m.y[i] / s - (1 - m.y[i]) / (1 - s))))


def test_derivative_of_unrelated_definition_is_zero() -> None:
    m = bce()
    assert Unfolder(m.notation).unfold(d(m.z[m.i], m.yhat[m.i])) == 0


def test_opaque_function_derivative_stays_symbolic_in_reader_form() -> None:
    m = bce(opaque_sigma=True)
    u = Unfolder(m.notation)
    got = u.unfold(d(m.yhat[m.i], m.z[m.i]))
    assert got == prime(m.sigma, m.w * m.x[m.i] + m.b)
    assert isinstance(got, Subs)


def test_softmax_derivative_collapses_delta_sum_by_the_declared_range() -> None:
    s = softmax()
    got = Unfolder(s.notation).unfold(d(s.a[s.j], s.z[s.i]))
    assert not got.has(sympy.Piecewise)
    assert got.has(KroneckerDelta(s.i, s.j))


def test_substitution_does_not_capture_bound_variables() -> None:
    i, k, n = sympy.symbols("i k n", integer=True)
    w = sympy.IndexedBase("w")
    body = Sum(w[i, k], (k, 1, n))
    got = substitute(body, {i: k})
    assert not got.has(w[k, k])


def test_canonical_sums_match_whatever_their_dummy() -> None:
    k, m, n = sympy.symbols("k m n", integer=True)
    y = sympy.IndexedBase("y")
    assert canonical(Sum(y[k], (k, 1, n))) == canonical(Sum(y[m], (m, 1, n)))
    at = Atomizer()
    assert at(Sum(y[k], (k, 1, n))) == at(Sum(y[m], (m, 1, n)))
    # inside functions and powers too (rebuilt without evaluating them again)
    for f in (lambda s: sympy.log(1 + s), lambda s: sympy.exp(-s) / (1 + sympy.exp(-s)), lambda s: sympy.tanh(s - n)):
        assert canonical(f(Sum(y[k], (k, 1, n)))) == canonical(f(Sum(y[m], (m, 1, n))))
        assert canonical(f(Sum(y[k], (k, 1, n)))) != canonical(f(Sum(y[k], (k, 0, n))))


def test_range_facts_decide_conditions() -> None:
    j = sympy.Symbol("j", integer=True)
    n = sympy.Symbol("n", integer=True, positive=True)
    ranges = {j: IndexRange(j, sympy.S.One, n)}
    assert relation_truth(sympy.Le(j, n), ranges) is True
    assert relation_truth(sympy.Ge(j, 1), ranges) is True
    assert relation_truth(sympy.Le(j, n - 1), ranges) is None
    k = sympy.Symbol("k", integer=True)
    e = Sum(KroneckerDelta(j, k) * k**2, (k, 1, n))
    assert collapse(e, ranges) == j**2


def test_relation_truth_answers_for_the_ranges_asked_about() -> None:
    """Answers are kept by relation and ranges: the same relation under other ranges is decided again."""
    j = sympy.Symbol("j", integer=True)
    n = sympy.Symbol("n", integer=True, positive=True)
    rel = sympy.Le(j, n - 1)
    assert relation_truth(rel, {j: IndexRange(j, sympy.S.One, n)}) is None
    assert relation_truth(rel, {j: IndexRange(j, sympy.S.One, n - 1)}) is True
    assert relation_truth(rel, {j: IndexRange(j, sympy.S.One, n)}) is None
    assert relation_truth(sympy.Le(j + 1, n), {j: IndexRange(j, sympy.S.One, n - 2)}) is True
    # three indices get three distinct offsets: i + k ≤ 2n holds, i + k ≤ n does not follow
    i, k = sympy.symbols("i k", integer=True)
    three = {s: IndexRange(s, sympy.S.One, n) for s in (i, j, k)}
    assert relation_truth(sympy.Le(i + k, 2 * n), three) is True
    assert relation_truth(sympy.Le(i + k, n), three) is None
    assert relation_truth(sympy.Le(i + j + k, 3 * n), three) is True


def test_a_sums_bound_variable_is_renamed_in_its_summand_only() -> None:
    """The walk renames a sum's bound variable as it goes: not inside a definition's body (a free i
    there is not the sum's i), shadowed by an inner sum over the same variable, seen by the bounds
    of the limits inside it."""
    from verifier.notation import Definition, Notation

    i, k, n = sympy.symbols("i k n", integer=True)
    x = sympy.IndexedBase("x")
    s = sympy.Symbol("s")
    notation = Notation(symbols={"s": s}, definitions={s: Definition(x[i] ** 2)})
    u = Unfolder(notation)
    got = u.unfold(Sum(s * x[i], (i, 1, n)))
    assert isinstance(got, Sum)
    bound = got.limits[0][0]
    assert bound != i and got.function.has(x[i] ** 2) and got.function.has(x[bound])
    nested = u.unfold(Sum(x[i] * Sum(x[i], (i, 1, n)), (i, 1, n)))
    assert i not in nested.free_symbols
    assert _zero(nested.subs(n, 2).doit() - (x[1] + x[2]) ** 2)
    inner_bound = u.unfold(Sum(x[k], (k, 1, i), (i, 1, n)))
    (kk, _low, top), (ii, _one, _n) = inner_bound.limits
    assert top == ii and kk != k and ii != i


def test_nested_derivatives_by_one_defined_variable_hold_it_each_time() -> None:
    """A defined variable is held as the same variable in every differentiation by it (so SymPy's
    caches serve a chain's steps): nested derivatives by it, and the same derivative again, still
    differentiate by it and unfold it afterwards."""
    from sympy import Derivative

    from verifier.notation import Definition, Notation

    x, y = sympy.symbols("x y", real=True)
    s, t = sympy.symbols("s t")
    w = sympy.IndexedBase("w")
    i = sympy.Symbol("i", integer=True)
    notation = Notation(
        symbols={"s": s, "t": t},
        definitions={s: Definition(x**2 + y), t: Definition(s**2)},
    )
    u = Unfolder(notation)
    # ∂/∂s (∂/∂s s³) = 6s; ∂t/∂s = 2s; ∂/∂s (s · ∂t/∂s) = 4s
    for _ in range(2):
        assert u.unfold(Derivative(Derivative(s**3, s), s)) == 6 * (x**2 + y)
        assert u.unfold(Derivative(t, s)) == 2 * (x**2 + y)
        assert u.unfold(Derivative(s * Derivative(t, s), s)) == 4 * (x**2 + y)
        assert u.unfold(Derivative(t, s, 2)) == 2
    family = Notation(symbols={"s": s}, definitions={w: Definition(x * i, params=(i,))})
    fu = Unfolder(family)
    assert fu.unfold(Derivative(Derivative(w[1] ** 3, w[1]), w[1])) == 6 * x


def test_a_sum_has_one_atom_in_every_pair_even_after_the_atom_table_is_cleared(monkeypatch) -> None:
    """Atoms come from one table for the process (a step prepared once serves both pairs it is in). A
    pair whose previous step was prepared before the table was cleared still gives the sum one atom."""
    from verifier.check import sums
    from verifier.check.assume import Assumptions
    from verifier.check.decide import Prover
    from verifier.check.memo import Table
    from verifier.notation import Notation

    k, m, n = sympy.symbols("k m n", integer=True)
    y = sympy.IndexedBase("y")
    c = sympy.Symbol("c", real=True)
    u = Unfolder(Notation(symbols={"c": c}))
    s_k, s_m = Sum(y[k], (k, 1, n)), Sum(y[m], (m, 1, n))
    first = Prover(c * s_k, s_m * c, Assumptions(), u)
    assert first.a == first.b and first.has_sums
    second = Prover(s_m * c, 2 * s_k, Assumptions(), u)
    assert second.a == first.b and second.b == 2 * first.a / c
    monkeypatch.setattr(sums, "_ATOMS", Table(1 << 14))  # as when the table filled up and was cleared
    # the previous step a memo hit (its old atom), this one prepared now (a new atom): one atom still
    third = Prover(s_m * c, (c + 1) * s_k - s_k, Assumptions(), u)
    assert sympy.expand(third.a - third.b) == 0 and len(set(third.atomizer.atoms.values())) == 1
    # and the other way round: this step prepared now, the previous one from the memo
    fourth = Prover(3 * s_k + c, s_m * c, Assumptions(), u)
    assert fourth.b.free_symbols <= fourth.a.free_symbols and len(set(fourth.atomizer.atoms.values())) == 1


def test_merged_summands_use_the_same_variables_unless_the_expression_has_them() -> None:
    """Σ_k f − Σ_m g merges to one summand in a fixed variable (the same in every pair, for SymPy's
    caches); an expression that already holds that variable gets a fresh one instead."""
    from verifier.check import sums

    k, m, n = sympy.symbols("k m n", integer=True)
    x, y = sympy.IndexedBase("x"), sympy.IndexedBase("y")
    e = Sum(x[k] ** 2, (k, 1, n)) - Sum(y[m], (m, 1, n))
    (first,), rest = sums.merge_by_range(e)
    (again,), _ = sums.merge_by_range(e)
    assert rest == 0 and first == again
    ((v,),) = {a.indices for a in first.atoms(sympy.Indexed)}  # x_v² − y_v
    taken = v  # the fixed variable, now free in the expression: it must not be bound again
    (other,), rest = sums.merge_by_range(e + taken)
    assert rest == taken and taken not in {i for a in other.atoms(sympy.Indexed) for i in a.indices}


def test_renaming_evaluates_what_reorders_its_arguments() -> None:
    """Renaming rebuilds exp, log and opaque functions as they stand, but evaluates a Kronecker delta
    (or a power) again: its arguments' order follows the new names, as when built with them."""
    from verifier.check.alpha import named_bound, rename_by_depth

    j, k, n = sympy.symbols("j k n", integer=True)
    w = sympy.IndexedBase("w")
    kk = named_bound("k", 0)
    delta = rename_by_depth(Sum(KroneckerDelta(j, k) * w[k], (k, 1, n)))
    assert delta == Sum(KroneckerDelta(j, kk) * w[kk], (kk, 1, n))
    assert rename_by_depth(Sum((k - j) ** 2 * w[k], (k, 1, n))) == Sum((kk - j) ** 2 * w[kk], (kk, 1, n))


def test_an_atoms_name_comes_from_its_sum() -> None:
    """The same sum gets the same atom name in any process, whatever was atomised before it (names
    order symbols where SymPy and the methods sort them)."""
    from verifier.check.sums import _atom_name

    k, n = sympy.symbols("k n", integer=True)
    y = sympy.IndexedBase("y")
    name = _atom_name(canonical(Sum(y[k], (k, 1, n))))
    assert name == _atom_name(canonical(Sum(y[k], (k, 1, n)))) and name.startswith("Sigma_")
    assert name != _atom_name(canonical(Sum(y[k] ** 2, (k, 1, n))))


def test_a_subtree_unfolded_once_is_reused_only_in_the_same_context() -> None:
    """memo.WALKED keeps a subtree's unfolded form per notation, depth and renaming around it: the same
    subtree at the top, inside a sum that binds its index, nested one sum deeper, or under another
    notation must each unfold as if met for the first time."""
    from verifier.check.memo import WALKED
    from verifier.notation import Definition, Notation

    i, j, n = sympy.symbols("i j n", integer=True)
    x, y = sympy.IndexedBase("x"), sympy.IndexedBase("y")
    s, t = sympy.Symbol("s"), sympy.Symbol("t")
    total = Definition(Sum(x[j], (j, 1, n)))
    squares = Notation(symbols={"s": s, "t": t}, definitions={s: Definition(x[i] ** 2), t: total})
    cubes = Notation(symbols={"s": s}, definitions={s: Definition(x[i] ** 3)})
    inner = Sum(x[j], (j, 1, n))
    cases = [
        (squares, s * x[i]),
        (squares, Sum(s * x[i], (i, 1, n))),  # the summand's x_i is bound, the body's is not
        (squares, inner),
        (squares, Sum(inner * y[j], (j, 1, n))),  # the same sum one deeper: its own variable
        (cubes, s * x[i]),
        (cubes, Sum(s * x[i], (i, 1, n))),
        (squares, Sum(x[i] * y[j], (i, 1, n))),  # one summand, two renamings at the same depth
        (squares, Sum(x[i] * y[j], (j, 1, n))),
        (squares, t),  # a body with a sum: walked afresh (no renaming) at the depth of its use
        (squares, Sum(t * y[i], (i, 1, n))),
    ]
    fresh = []
    for notation, e in cases:
        WALKED.items.clear()
        fresh.append(Unfolder(notation).unfold(e))
    WALKED.items.clear()
    for _ in range(2):  # the second round answers from the table
        for (notation, e), want in zip(cases, fresh, strict=True):
            assert Unfolder(notation).unfold(e) == want
    assert fresh[0] == x[i] ** 3 and fresh[4] == x[i] ** 4
    point = {n: 2, i: 1}
    assert _zero(fresh[1].subs(point).doit() - (x[1] ** 2) * (x[1] + x[2]))
    assert _zero(fresh[3].subs(point).doit() - (x[1] + x[2]) * (y[1] + y[2]))
    assert _zero(fresh[5].subs(point).doit() - (x[1] ** 3) * (x[1] + x[2]))
    point = {n: 2, i: 1, j: 2}
    assert _zero(fresh[6].subs(point).doit() - (x[1] + x[2]) * y[2])
    assert _zero(fresh[7].subs(point).doit() - x[1] * (y[1] + y[2]))
    assert _zero(fresh[9].subs(point).doit() - (x[1] + x[2]) * (y[1] + y[2]))


def test_collapse_returns_a_sum_with_nothing_to_collapse_as_it_stands() -> None:
    """A sum with no δ or condition inside comes back as the same object (rebuilding it made every
    ancestor evaluate itself again); one with a δ inside, at any depth, still collapses."""
    j, k, m = sympy.symbols("j k m", integer=True)
    n = sympy.Symbol("n", integer=True, positive=True)
    x = sympy.IndexedBase("x")
    ranges = {j: IndexRange(j, sympy.S.One, n)}
    plain = Sum(x[k] * Sum(x[m] ** 2, (m, 1, n)), (k, 1, n))
    assert collapse(plain, ranges) is plain
    outer = exp(plain) + 1
    assert collapse(outer, ranges) is outer
    nested = Sum(x[k] * Sum(KroneckerDelta(j, m) * x[m], (m, 1, n)), (k, 1, n))
    assert collapse(nested, ranges) == Sum(x[k] * x[j], (k, 1, n))


def test_a_split_kept_for_one_notation_is_not_used_for_another() -> None:
    """memo.SPLIT keeps a subtree's split per notation: Σ_{k=1}^{i} 1 is i where i ranges over 1..N, and
    max(0, i) where nothing is declared about i; each notation gets its own, warm or cold."""
    from verifier.check.memo import SPLIT
    from verifier.check.sums import split_sums
    from verifier.notation import Notation

    i, k, big_n = sympy.symbols("i k N", integer=True)
    x = sympy.IndexedBase("x")
    declared = Notation(indices={i: IndexRange(i, sympy.S.One, big_n)})
    bare = Notation()
    e = exp(Sum(sympy.S.One, (k, 1, i)) + Sum(2 * x[k], (k, 1, i)))
    cold = {}
    for notation in (declared, bare):
        SPLIT.items.clear()
        cold[id(notation)] = split_sums(e, notation=notation)
    assert cold[id(declared)] == exp(i + 2 * Sum(x[k], (k, 1, i)))
    assert cold[id(bare)] == exp(sympy.Max(0, i) + 2 * Sum(x[k], (k, 1, i)))
    SPLIT.items.clear()
    for _ in range(2):
        for notation in (declared, bare):
            assert split_sums(e, notation=notation) == cold[id(notation)]
            assert split_sums(e, dict(notation.indices)) == cold[id(notation)]  # and as without the memo


def test_no_subtree_is_kept_while_a_variable_is_held_or_a_step_needs_fresh_bound_names() -> None:
    """memo.WALKED keeps nothing walked while a defined variable is held for a derivative (the hold is
    no part of the key), nor for a step holding a fixed bound variable free (it takes fresh names)."""
    from verifier.check.alpha import named_bound
    from verifier.check.memo import WALKED
    from verifier.notation import Definition, Notation

    w, t = sympy.symbols("w t", real=True)
    i, n = sympy.symbols("i n", integer=True)
    x = sympy.IndexedBase("x")
    notation = Notation(symbols={"w": w, "t": t}, definitions={t: Definition(w**2)})
    u = Unfolder(notation)
    WALKED.items.clear()
    got = u.unfold(d(t * w, t))  # ∂/∂t (t·w) = w, with t held while differentiating
    assert got == w
    assert all(key[0] != w * t or key[1] != 0 for _, key in WALKED.items)  # t·w was walked held only
    WALKED.items.clear()
    k0 = named_bound("i", 0)
    free_fixed = Sum(x[i] * x[k0], (i, 1, n))  # k0 free: the sum must take a fresh variable
    out = u.unfold(free_fixed)
    assert not WALKED.items
    assert out.limits[0][0] != k0 and k0 in out.free_symbols
