"""The speed yardstick: the 14 library derivations of issue 16, listed by name so that derivations
added later do not move the figures measured against it."""

from __future__ import annotations

from pathlib import Path

YARDSTICK = (
    "bce",
    "l2-logistic-regression",
    "log-identities",
    "logistic-cost",
    "logistic-gradient-one-line",
    "logistic-mle",
    "logistic-regression",
    "logistic-vector-form",
    "mse-linear-regression",
    "sigmoid-derivative",
    "softmax-cross-entropy-weights",
    "softmax-cross-entropy",
    "softmax-jacobian",
    "tanh-derivative",
)


def yardstick_files(library: Path) -> list[Path]:
    """The yardstick's files in `library` (each must exist: a renamed file is an error, not a skip)."""
    files = [library / f"{name}.toml" for name in YARDSTICK]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise FileNotFoundError("yardstick derivations missing: " + ", ".join(missing))
    return files
