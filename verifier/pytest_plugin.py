"""pytest plugin: derivation files (`*.toml` with a `[[chain]]` table) and documents (`*.md`, `*.tex` with a
verify-derivation block; docs/documents.md) collected as tests, one per chain.

Collection is off unless enabled, so a project's pyproject.toml or other TOML is never touched:

    [pytest]                       # or [tool.pytest.ini_options] in pyproject.toml
    verify_derivation = true
    verify_derivation_timeout = 5  # seconds per step (optional)
    verify_derivation_strict = false

or on the command line: `pytest --verify-derivation [--verify-derivation-timeout S]
[--verify-derivation-strict]`. A file is a derivation when it ends in `.toml` and has a `[[chain]]`
table (the same rule as the command line's folder search). Each chain is one item: it passes when
every step holds by the contract's exit-status rule; its failure report names the file, the failing
step's line, the step as written, the verdict, the diagnosis and the counterexample, not a
traceback. A file that cannot be read is one item that fails with the located message.

Each file is checked once per process, on its first item; with pytest-xdist prefer
`--dist loadfile`, which keeps a file's chains on one worker (any mode gives the same verdicts).
The heavy modules (SymPy, the checker) are imported only when a derivation item runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from verifier.errors import with_source

if TYPE_CHECKING:
    from verifier import model
    from verifier.check import CheckOptions


class DerivationFailure(Exception):
    """A chain that does not hold, or a file that cannot be read: the message is the whole report."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("verify-derivation", "checking derivation files (verify-derivation)")
    group.addoption(
        "--verify-derivation",
        action="store_true",
        default=False,
        dest="verify_derivation",
        help="collect *.toml files with a [[chain]] table as tests, one per chain",
    )
    group.addoption(
        "--verify-derivation-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        dest="verify_derivation_timeout",
        help="time budget of one step (default: the ini value, else 5)",
    )
    group.addoption(
        "--verify-derivation-strict",
        action="store_true",
        default=None,
        dest="verify_derivation_strict",
        help="a step that is only numerically equal fails",
    )
    parser.addini("verify_derivation", "collect derivation files as tests", type="bool", default=False)
    parser.addini("verify_derivation_timeout", "time budget of one step in seconds", default="5")
    parser.addini("verify_derivation_strict", "a numeric-only step fails", type="bool", default=False)


def pytest_configure(config: pytest.Config) -> None:
    if _enabled(config):
        _timeout(config)  # a bad timeout is a usage error before anything runs, not a failure per item


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("verify_derivation") or config.getini("verify_derivation"))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> DerivationFile | None:
    if file_path.suffix.lower() not in (".toml", ".md", ".markdown", ".tex") or not _enabled(parent.config):
        return None
    from verifier.library import in_folder

    # the folder rule of the command line: TOML with [[chain]], documents with a verify-derivation block
    if not in_folder(file_path):
        return None
    file: DerivationFile = DerivationFile.from_parent(parent, path=file_path)
    return file


def check_options(config: pytest.Config) -> CheckOptions:
    """The checker's options from the command line, else the ini file."""
    from verifier.check import CheckOptions

    # Under pytest-xdist every worker is already a process of its own: one checker process each.
    jobs = 1 if hasattr(config, "workerinput") else None
    # Verdicts are cached beside pytest's own cache (.pytest_cache), not in the user's home.
    cache = getattr(config, "cache", None)
    cache_dir = cache.mkdir("verify-derivation") if cache is not None else None
    return CheckOptions(timeout=_timeout(config), strict=_strict(config), jobs=jobs, cache_dir=cache_dir)


def _timeout(config: pytest.Config) -> float:
    timeout = config.getoption("verify_derivation_timeout")
    if timeout is None:
        raw = str(config.getini("verify_derivation_timeout")).strip()
        try:
            timeout = float(raw)
        except ValueError:
            raise pytest.UsageError(f"verify_derivation_timeout: not a number of seconds: {raw!r}") from None
    if not timeout > 0:
        raise pytest.UsageError("the verify-derivation timeout must be greater than 0 seconds")
    return float(timeout)


def _strict(config: pytest.Config) -> bool:
    strict = config.getoption("verify_derivation_strict")
    return bool(config.getini("verify_derivation_strict")) if strict is None else bool(strict)


def _display_path(path: Path) -> Path:
    """The path as the user would write it: relative to the current folder when it is below it."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return path


class DerivationFile(pytest.File):
    """A derivation file: one item per chain, or one failing item when the file cannot be read."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._reports: dict[str, model.DerivationResult] = {}
        self._derivations: tuple[model.Derivation, ...] = ()

    def collect(self) -> Iterator[pytest.Item]:
        from verifier.errors import InputError
        from verifier.library import Target, load_target

        path = _display_path(self.path)
        try:
            # a document gives one derivation per declarations block that has chains after it
            self._derivations = load_target(Target(path, str(path)))
        except InputError as exc:
            yield ReadErrorItem.from_parent(self, name="read", problem=exc.problem)
            return
        seen: set[str] = set()
        for derivation in self._derivations:
            for index, chain in enumerate(derivation.chains):
                yield ChainItem.from_parent(
                    self, name=_item_name(index, chain.title, seen), derivation=derivation, index=index
                )

    def result(self, derivation: model.Derivation) -> model.DerivationResult:
        """The checked derivation, computed on the first item that asks (all of the file's at once) and kept."""
        if derivation.id not in self._reports:
            from verifier.check import check_all

            report = check_all(list(self._derivations or (derivation,)), check_options(self.config))
            self._reports.update({d.id: d for d in report.derivations})
        return self._reports[derivation.id]


def _item_name(index: int, title: str, seen: set[str]) -> str:
    """A stable, unique, one-line item name from the chain title (`::` would split the node id)."""
    name = " ".join(title.split()).replace("::", ": :") or f"chain {index + 1}"
    base, n = name, 2
    while name in seen:
        name = f"{base} #{n}"
        n += 1
    seen.add(name)
    return name


class ChainItem(pytest.Item):
    """One chain of a derivation: passes when every step holds."""

    def __init__(self, *, derivation: model.Derivation, index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.derivation = derivation
        self.index = index
        self.chain = derivation.chains[index]

    def runtest(self) -> None:
        assert isinstance(self.parent, DerivationFile)
        result = self.parent.result(self.derivation)
        if result.errors:
            raise DerivationFailure("\n".join(with_source(p).with_caret() for p in result.errors))
        chain = result.chains[self.index]
        verdicts = ", ".join(s.outcome.verdict.value for s in chain.steps[1:])
        self.user_properties.append(("verdicts", verdicts))
        if not chain.ok:
            raise DerivationFailure(failure_message(result, chain, strict=_strict(self.config)))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, DerivationFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.chain.loc.line - 1, f"chain: {self.chain.title}"


class ReadErrorItem(pytest.Item):
    """A derivation file that cannot be read: fails with the located message and its caret."""

    def __init__(self, *, problem: model.Problem, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problem = problem

    def runtest(self) -> None:
        raise DerivationFailure(with_source(self.problem).with_caret())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, DerivationFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, (self.problem.line or 1) - 1, "cannot be read"


def failure_message(result: model.DerivationResult, chain: model.ChainResult, strict: bool) -> str:
    """Each failing step: `file:line: step N verdict`, the step as written, diagnosis, counterexample."""
    from verifier.report import common

    lines = [f"chain {chain.chain.title!r} of {result.file} does not hold:"]
    for sr in chain.steps:
        if sr.ok:
            continue
        by = f" (by: {sr.step.by})" if sr.step.by else ""
        lines.append(
            f"{result.file}:{sr.step.tex.loc.line}: step {sr.step.index} {sr.outcome.verdict.value}{by}"
        )
        lines.append(f"    {sr.step.shown}")
        lines.extend(f"    {note}" for note in common.notes(sr, strict))
    return "\n".join(lines)

