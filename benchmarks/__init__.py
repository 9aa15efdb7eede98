"""Soundness and speed benchmarks of verify-derivation (run with `python -m benchmarks`)."""
