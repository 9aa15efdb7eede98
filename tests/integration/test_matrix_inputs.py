"""Issue 12's "Done when", at the command line: shape errors are refuted steps whose diagnosis names the
shapes in every report format, and unreadable matrix input (an undeclared matrix, `components` naming no
family, an unknown `layout`) is a located message and exit 2, never a traceback."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest

from verifier.cli import main

SYMBOLS = r"""[symbols]
m = "positive integer"
n = "positive integer"
i = { range = ["1", "m"] }
j = { range = ["1", "n"] }
'x^{(i)}_j' = "real"
X = { components = 'x^{(i)}_j' }
'\theta_j' = "real"
'\theta' = { components = '\theta_j' }
'y^{(i)}' = "real"
y = { components = 'y^{(i)}' }
"""


def document(steps: str, symbols: str = SYMBOLS, head: str = "") -> str:
    return f'title = "t"\n{head}{symbols}[[chain]]\ntitle = "c"\nsteps = [{steps}]\n'


def run(path: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(path), "--no-cache", "--timeout", "20", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# name → (file, line and column of the message, what it says)
UNREADABLE = {
    "undeclared matrix": (document(r"'X^T y', 'Z^T y'"), (15, 20), "undeclared name 'Z^T'"),
    "components naming no family": (
        document("'y', 'y'", SYMBOLS + "W = { components = 'q_{ij}' }\n"), (13, 1), "are not a declared family"
    ),
    "unknown layout": (document("'y', 'y'", head='layout = "sideways"\n'), (2, 1), "`layout` must be"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_matrix_input_is_a_located_exit_2(name: str, tmp_path: Path) -> None:
    text, (line, column), words = UNREADABLE[name]
    path = tmp_path / "d.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(path)
    assert code == 2, out + err
    assert "Traceback" not in out + err
    assert f"{path}:{line}:{column}: " in err, err
    assert words in err


SHAPE_ERRORS = document(
    r"'X^T y', 'X y'",  # a product that cannot be formed
).replace(
    "[[chain]]",
    '[[chain]]\ntitle = "column plus row"\nsteps = [\'y\', \'y + y^T\']\n\n'
    "[[chain]]\ntitle = \"shaped unlike\"\nsteps = ['X\\theta', '\\theta^T X^T']\n\n[[chain]]",
    1,
)
DIAGNOSES = [
    "the product (m×n)(m×1) cannot be formed",
    "only a number broadcasts: a column plus a row is not formed",
    "this step is 1×m, the previous step m×1",
]


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html", "junit", "github", "latex"])
def test_shape_errors_are_refuted_with_their_shapes_in_every_report_format(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # the text table on one line per step: its wrapping is not under test
    path = tmp_path / "d.toml"
    path.write_text(SHAPE_ERRORS, encoding="utf-8")
    code, out, err = run(path, "--format", fmt)
    assert code == 1, out + err  # three undocumented wrong steps
    shown = out if fmt != "json" else json.dumps(json.loads(out), ensure_ascii=False)
    # the shapes as each format prints them: $m\times n$ (Markdown, LaTeX), MathML (HTML), m×n (the rest)
    shown = html.unescape(re.sub(r"<[^>]+>", "", shown)).replace("\\times", "×").replace("$", "")
    shown = re.sub(r"\s*×\s*", "×", " ".join(shown.split()))
    for diagnosis in DIAGNOSES:
        assert diagnosis in shown, (fmt, diagnosis)
