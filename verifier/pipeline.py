"""Targets to a Report: load every target (collecting problems, not stopping at the first), check the
readable derivations, and put the results back in the targets' order. Shared by the command line and
the Python API (`verifier.verify`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from verifier import library
from verifier.check import CheckOptions, check_all
from verifier.errors import InputError, with_source
from verifier.model import Derivation, DerivationResult, Report

Loaded = Derivation | DerivationResult


def load_targets(files: Sequence[library.Target]) -> tuple[list[Loaded], dict[str, Path]]:
    """Every target loaded: a Derivation, or a DerivationResult carrying why it cannot be read."""
    loaded: list[Loaded] = []
    sources = {t.name: t.path for t in files}
    for target in files:
        try:
            loaded.extend(library.load_target(target))
        except InputError as exc:
            loaded.append(
                DerivationResult(
                    id=target.path.stem,
                    file=target.name,
                    title=target.path.name,
                    errors=(with_source(exc.problem, sources.get(target.name)),),
                )
            )
    return loaded, sources


def check_loaded(
    loaded: Sequence[Loaded],
    sources: dict[str, Path],
    options: CheckOptions,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Check the readable derivations; the report lists every target in order, unreadable ones included."""
    derivations = [d for d in loaded if isinstance(d, Derivation)]
    report = check_all(derivations, options, progress=progress)
    checked = iter(report.derivations)
    results = tuple(_fill_sources(next(checked), sources) if isinstance(d, Derivation) else d for d in loaded)
    return dataclasses.replace(report, derivations=results)


def _fill_sources(result: DerivationResult, sources: dict[str, Path]) -> DerivationResult:
    if not result.errors:
        return result
    errors = tuple(with_source(p, sources.get(p.file)) for p in result.errors)
    return dataclasses.replace(result, errors=errors)
