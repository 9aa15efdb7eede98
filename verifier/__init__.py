"""verify-derivation: checks hand-written derivations step by step with SymPy."""

__version__ = "0.1.0"
