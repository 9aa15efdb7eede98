"""unfold.derivative: the expression SymPy's own diff builds, node for node (a property test over
random expressions of symbols, family elements, sums, opaque functions, powers, exp and log; the
two differ only where a partial result is zero without being written 0, which these never hold)."""

from __future__ import annotations

import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.check.unfold import derivative

x, y = sympy.symbols("x y", real=True)
z = sympy.Symbol("z", positive=True)
held = sympy.Dummy("held_u")
i, j, k = sympy.symbols("i j k", integer=True)
n = sympy.Symbol("n", integer=True, positive=True)
w = sympy.IndexedBase("w")
f = sympy.Function("f")

LEAVES = [x, y, z, held, w[i], w[j], w[1], sympy.S(2), sympy.Rational(1, 3), sympy.S.Half * x, sympy.pi]
VARIABLES = [x, y, z, held, w[i], w[j], w[1], n]  # n: a sum's bound (SymPy leaves that unevaluated)


def _sum(body: sympy.Expr) -> sympy.Expr:
    return sympy.Sum(body.xreplace({w[i]: w[k]}) * w[k], (k, 1, n))


def _double_sum(body: sympy.Expr) -> sympy.Expr:
    m = sympy.Symbol("m", integer=True)
    return sympy.Sum(body.xreplace({w[i]: w[k], w[j]: w[m]}) * w[k] + x * m, (k, 1, m), (m, 1, n))


def _trees() -> st.SearchStrategy[sympy.Expr]:
    leaves = st.sampled_from(LEAVES)

    def grow(children: st.SearchStrategy[sympy.Expr]) -> st.SearchStrategy[sympy.Expr]:
        return st.one_of(
            st.lists(children, min_size=2, max_size=3).map(lambda a: sympy.Add(*a)),
            st.lists(children, min_size=2, max_size=3).map(lambda a: sympy.Mul(*a)),
            st.tuples(children, st.sampled_from([2, -1, sympy.S.Half, -2])).map(lambda p: p[0] ** p[1]),
            st.tuples(children, children).map(lambda p: (1 + p[0] ** 2) ** p[1]),
            children.map(sympy.exp),
            children.map(lambda a: sympy.log(1 + a**2)),
            children.map(lambda a: sympy.log(a)),
            children.map(f),
            children.map(_sum),
            children.map(_double_sum),
            children.map(sympy.tanh),
        )

    return st.recursive(leaves, grow, max_leaves=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_trees(), st.sampled_from(VARIABLES))
def test_derivative_is_sympys_diff(e: sympy.Expr, v: sympy.Basic) -> None:
    assert derivative(e, v) == sympy.diff(e, v)


def test_derivative_examples() -> None:
    assert derivative(sympy.log(1 + sympy.exp(-x * y)), x) == sympy.diff(sympy.log(1 + sympy.exp(-x * y)), x)
    assert derivative(w[i] * w[j] ** 2, w[j]) == sympy.diff(w[i] * w[j] ** 2, w[j])
    assert derivative(2 * (x + y) * z, held) == 0
    assert derivative(x**x, x) == x**x * (sympy.log(x) + 1)
    s = sympy.Sum(w[k] * x, (k, 1, n))
    assert derivative(s * sympy.exp(x), w[j]) == sympy.diff(s * sympy.exp(x), w[j])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_trees(), st.sampled_from([(k, 1, n), (k, 0, n - 1), (i, 1, j)]))
def test_new_sum_is_sympys_sum(e: sympy.Expr, limit: tuple[sympy.Basic, ...]) -> None:
    """sums.new_sum builds the object SymPy's Sum does (args, hash, equality), skipping its walks only
    where they change nothing."""
    from verifier.check.sums import new_sum

    ours, theirs = new_sum(e, limit), sympy.Sum(e, limit)
    assert ours == theirs and hash(ours) == hash(theirs) and ours.args == theirs.args
    assert ours.is_commutative == theirs.is_commutative


def test_new_sum_leaves_what_sympy_rewrites_to_sympy() -> None:
    from verifier.check.sums import new_sum

    pw = sympy.Piecewise((w[k], sympy.Eq(k, j)), (0, True))
    cases = [
        (pw * x, (k, 1, n)),  # a Piecewise of the sum's variable: SymPy folds it
        (sympy.Sum(w[k], (k, 1, n)), (j, 1, n)),  # a sum of a sum: SymPy merges the limits
        (sympy.S.NaN, (k, 1, n)),
        (w[k], (k, 1, 3)),  # Python numbers as bounds: SymPy converts them
    ]
    for e, limit in cases:
        assert new_sum(e, limit) == sympy.Sum(e, limit)
    merged = new_sum(sympy.Sum(w[k] * w[j], (k, 1, n)), (j, 1, n))
    assert len(merged.limits) == 2 and not isinstance(merged.function, sympy.Sum)


def test_a_base_zero_without_being_written_0_keeps_its_value() -> None:
    """The one documented difference: SymPy's power rule multiplies by log(base), and a sum over an
    empty range is known to be 0, so SymPy's derivative of its square is nan; this one is 2·B·B′ = 0."""
    empty = sympy.Sum(x * w[k], (k, 1, 0))
    assert sympy.diff(empty**2, x) is sympy.nan
    got = derivative(empty**2, x)
    assert got == 2 * empty * sympy.Sum(w[k], (k, 1, 0)) and got.doit() == 0


def test_an_infinity_in_sight_is_left_to_sympy() -> None:
    """`derivative` drops a partial result that is 0, SymPy multiplies by it (0·∞ is nan): unfolding
    differentiates an expression holding an infinity by SymPy's own diff."""
    from sympy import Derivative

    from verifier.check.unfold import Unfolder
    from verifier.notation import Notation

    u = Unfolder(Notation(symbols={"x": x, "y": y}))
    assert u.unfold(Derivative(sympy.oo * x * y, x)) == sympy.diff(sympy.oo * x * y, x)
    assert u.unfold(Derivative(sympy.zoo * x * y + x**2, x)) == sympy.diff(sympy.zoo * x * y + x**2, x)
