"""The functions and constants the reader knows without a declaration (a declaration of the same
spelling shadows them, as a declared `e` shadows Euler's number)."""

from __future__ import annotations

from collections.abc import Callable

import sympy

# \sin x, \sin(x), \sin^2 x (= (sin x)^2); each takes its argument as \log does.
BUILTIN_FUNCTIONS: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "\\sin": sympy.sin,
    "\\cos": sympy.cos,
    "\\tan": sympy.tan,
    "\\sec": sympy.sec,
    "\\csc": sympy.csc,
    "\\cot": sympy.cot,
    "\\arcsin": sympy.asin,
    "\\arccos": sympy.acos,
    "\\arctan": sympy.atan,
    "\\sinh": sympy.sinh,
    "\\cosh": sympy.cosh,
    "\\tanh": sympy.tanh,
    "\\coth": sympy.coth,
}

# \max(a, b, …) and \min(…): at least two arguments
MAX_MIN: dict[str, Callable[..., sympy.Expr]] = {"\\max": sympy.Max, "\\min": sympy.Min}
