"""The Python API (contract §5.4): `verifier.verify(*targets) -> Report`, for scripts and notebooks.

The Report is the checker's, plus what a notebook needs to show it: iterating gives the derivation
results, `_repr_html_` is the HTML report (MathML, no scripts) and `_repr_markdown_` the Markdown one.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator

from verifier import library, model
from verifier.check import CheckOptions


@dataclasses.dataclass(frozen=True)
class Report(model.Report):
    """A checked run: `ok`, the derivation results (iterable), and its own display in a notebook."""

    def __iter__(self) -> Iterator[model.DerivationResult]:
        return iter(self.derivations)

    def __len__(self) -> int:
        return len(self.derivations)

    def _repr_html_(self) -> str:
        from verifier.report.html import html_fragment

        return html_fragment(self)

    def _repr_markdown_(self) -> str:
        from verifier.report import ReportOptions, get

        buf = io.StringIO()
        get("markdown").write(self, buf, ReportOptions())
        return buf.getvalue()


def verify(
    *targets: str, timeout: float = 5.0, strict: bool = False, jobs: int | None = None, cache: bool = True
) -> Report:
    """Check the targets (built-in ids, files, folders, documents, as on the command line).

    A target that does not exist raises `verifier.errors.InputError`; a file that cannot be read is in
    the report with its located problem (as the command line reports it).
    """
    from verifier.pipeline import check_loaded, load_targets

    files, _notes = library.resolve(list(targets))
    loaded, sources = load_targets(files)
    options = CheckOptions(timeout=timeout, strict=strict, cache=cache, jobs=jobs)
    report = check_loaded(loaded, sources, options)
    return Report(**{f.name: getattr(report, f.name) for f in dataclasses.fields(report)})
