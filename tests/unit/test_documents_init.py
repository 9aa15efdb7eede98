"""`verify-derivation init`: a starter block from the display math, printed unless --write; never used unconfirmed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from verifier.cli import main
from verifier.documents import load_document
from verifier.documents.init import block, guess
from verifier.errors import InputError

NOTES = """# Neuron

$$ z_i = w x_i + b $$

$$ L = \\frac{1}{N} \\sum_{i=1}^{N} \\sigma(z_i) $$

$$ \\frac{\\partial L}{\\partial w} = \\frac{1}{N} \\sum_{i=1}^{N} \\sigma'(z_i) x_i \\quad \\text{chain rule} $$

$$ Loss = -log\\, a $$
"""


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(args), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_guesses_are_grouped(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_text(NOTES, encoding="utf-8")
    g = guess(path, "n.md")
    assert g.indices == {"i": ("1", "N")}
    assert set(g.families) == {"x_i"}
    assert g.defined["z_i"][0] == "w x_i + b" and "L" in g.defined and "Loss" in g.defined
    assert set(g.plain) == {"w", "b", "N", "a"}
    assert set(g.functions) == {"\\sigma"}
    assert g.bare == {"log"}
    text = block(g)
    assert "z_i = { define = 'w x_i + b' }  # confirm" in text
    assert 'N = "positive integer"' in text
    assert all("# confirm" in row for row in text.splitlines() if " = " in row and not row.startswith("#"))


def test_init_prints_and_writes_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_text(NOTES, encoding="utf-8")
    code, out, _ = run("init", str(path))
    assert code == 0 and out.startswith("```verify-derivation")
    assert path.read_text(encoding="utf-8") == NOTES
    code, _, err = run("init", str(path), "--write")
    assert code == 0 and "confirm" in err
    written = path.read_text(encoding="utf-8")
    assert written.startswith("# Neuron\n\n```verify-derivation") and written.endswith(NOTES.split("\n", 1)[1])
    code, _, err = run("init", str(path), "--write")
    assert code == 2 and "already has" in err


def test_an_unconfirmed_block_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_text(NOTES, encoding="utf-8")
    run("init", str(path), "--write")
    with pytest.raises(InputError, match="marked `# confirm`"):
        load_document(path)
    code, _, err = run(str(path))
    assert code == 2 and "# confirm" in err


def test_init_refuses_other_files(tmp_path: Path) -> None:
    path = tmp_path / "n.txt"
    path.write_text(NOTES, encoding="utf-8")
    code, _, err = run("init", str(path))
    assert code == 2 and "not a Markdown (.md) or LaTeX (.tex) document" in err


def test_init_for_latex_writes_a_comment_block(tmp_path: Path) -> None:
    path = tmp_path / "n.tex"
    path.write_text("\\documentclass{article}\n\\begin{document}\n\\[ z = w x + b \\]\n\\end{document}\n")
    code, out, _ = run("init", str(path))
    assert code == 0 and out.startswith("% ```verify-derivation\n") and "% z = { define = 'w x + b' }" in out
    code, _, _ = run("init", str(path), "--write")
    assert code == 0
    text = path.read_text(encoding="utf-8")
    assert text.index("% ```verify-derivation") > text.index("\\begin{document}")
    with pytest.raises(InputError, match="marked `# confirm`"):
        load_document(path)
