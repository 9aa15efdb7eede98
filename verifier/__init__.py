"""verify-derivation: checks hand-written derivations step by step with SymPy."""

import os

# python-flint (installed for exact and ball arithmetic, check/compare.py) would otherwise become
# SymPy's ground types: its polynomial routines run in C, where the worker's time slices (SIGALRM)
# cannot interrupt them, so one huge `factor` would overrun every soft deadline. Set before SymPy is
# imported; a caller who imported SymPy first keeps the ground types it chose.
os.environ.setdefault("SYMPY_GROUND_TYPES", "python")

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """`verifier.verify` and `verifier.Report` (the Python API), loaded on first use: importing the
    package stays cheap for the command line."""
    if name in ("verify", "Report"):
        from verifier import api

        return getattr(api, name)
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")
