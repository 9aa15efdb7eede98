"""SymPy's `count_ops`, counted in integers and stopped once past a cap.

A refuted step's message is a short additive term only when the term has no more operations than
either step (and 12): SymPy's `count_ops` of both steps was a twentieth of a wrong step's time. Most
of that went to its `visual` bookkeeping: it builds a Symbol per kind of operation and adds them up as
a SymPy expression, even when it is asked for the number. This is the same walk (sympy/core/function.py,
SymPy 1.14) adding integers, so the count is SymPy's own for every expression; with a cap it stops as
soon as the count passes it (every operation it meets adds to the count, none takes away: SymPy's one
negative entry, `SUB - ADD`, comes with a `SUB` and nets zero), and the answer is then only "more".
Anything but a plain expression (a relation, a container) goes to SymPy's function.
"""

from __future__ import annotations

import functools

import sympy
from sympy import Derivative, Integral, S, Sum
from sympy.core.function import _coeff_isneg
from sympy.core.operations import LatticeOp
from sympy.simplify.radsimp import fraction


@functools.lru_cache(maxsize=1 << 10)
def count_ops(expr: sympy.Basic, cap: int | None = None) -> int:
    """sympy.count_ops(expr); with a cap, any number above the cap when SymPy's count is above it.
    (Memoised: the previous step of a refuted pair is counted again for every wrong step after it.)"""
    if not isinstance(expr, sympy.Expr) or expr.is_Relational:
        return int(sympy.count_ops(expr))
    total = 0
    todo = [expr]
    while todo:
        if cap is not None and total > cap:
            return total
        a = todo.pop()
        if a.is_Rational:
            if a is not S.One:
                total += (a.p < 0) + (a.q != 1)  # -1/3 is NEG + DIV
                continue
        elif a.is_Mul or a.is_MatMul:
            if _coeff_isneg(a):
                total += 1  # NEG
                a = a.as_two_terms()[1] if a.args[0] is S.NegativeOne else -a
            n, d = fraction(a)
            if n.is_Integer:
                total += 2 if n.is_negative else 1  # DIV (and NEG)
                todo.append(d)
                continue
            if d is not S.One:
                if not d.is_Integer:
                    todo.append(d)
                total += 1  # DIV
                todo.append(n)
                continue
        elif a.is_Add or a.is_MatAdd:
            terms = a.args
            negs = 0
            for i, t in enumerate(terms):
                if _coeff_isneg(t):
                    negs += 1
                    todo.append(-t)
                else:
                    todo.append(t)
                if i > 0:
                    total += 1  # ADD or SUB (a negative first term's SUB - ADD nets zero)
            if negs == len(terms):
                total += 1  # -x - y is NEG + SUB
            continue
        if a.is_Pow and a.exp is S.NegativeOne:
            total += 1  # DIV
            todo.append(a.base)
            continue
        if a == S.Exp1:
            total += 1  # EXP
            continue
        if a.is_Pow and a.base == S.Exp1:
            total += 1  # EXP
            todo.append(a.exp)
            continue
        if a.is_Mul or isinstance(a, LatticeOp):
            total += len(a.args) - 1
        elif a.args and (a.is_Pow or a.is_Function or isinstance(a, Derivative | Integral | Sum)):
            total += 1  # POW, the function (FUNC_F for an undefined f), DERIVATIVE, INTEGRAL, SUM
        if not a.is_Symbol:
            todo.extend(a.args)
    return total
