"""The LaTeX reader: declarations → Notation, step strings → folded SymPy expressions."""

from verifier.latex.declarations import compile_notation
from verifier.latex.reader import read_expr, read_relation, read_step

__all__ = ["compile_notation", "read_expr", "read_relation", "read_step"]
