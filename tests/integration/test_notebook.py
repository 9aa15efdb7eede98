"""The Python API in a real notebook: `verifier.verify` executed by nbclient in an ipykernel, its Report
displayed as HTML (MathML) and Markdown."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

CELLS = [
    "import verifier\nreport = verifier.verify('sigmoid-derivative', 'softmax-jacobian', jobs=1)\nreport",
    "assert report.ok, report\nprint(sorted(d.id for d in report), len(report))",
    "wrong = verifier.verify('softmax-jacobian', strict=True, jobs=1)\n"
    "refuted = [s for d in wrong for c in d.chains for s in c.steps if s.outcome.verdict.value == 'refuted']\n"
    "print(len(refuted), sorted(refuted[0].outcome.counterexample))",
]


@pytest.fixture(scope="module")
def executed() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    return nb


def test_report_displays_itself_as_html_and_markdown(executed: nbformat.NotebookNode) -> None:
    (shown,) = [o for o in executed.cells[0].outputs if o.output_type == "execute_result"]
    html = shown.data["text/html"]
    assert '<div class="vd-report"' in html and "<math" in html and "<script" not in html
    assert "Derivative of the sigmoid" in html
    markdown = shown.data["text/markdown"]
    assert markdown.startswith("# Checked derivations") and "$$" in markdown


def test_report_is_iterable_and_has_ok(executed: nbformat.NotebookNode) -> None:
    text = "".join(o.get("text", "") for o in executed.cells[1].outputs)
    assert "['sigmoid-derivative', 'softmax-jacobian'] 2" in text


def test_counterexamples_reach_the_notebook(executed: nbformat.NotebookNode) -> None:
    text = "".join(o.get("text", "") for o in executed.cells[2].outputs)
    count, names = text.split(" ", 1)
    assert int(count) >= 1 and "'i'" in names
