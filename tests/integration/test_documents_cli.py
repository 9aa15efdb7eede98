"""Documents checked in place, end to end: exit codes, the document's own lines in every format."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from verifier.cli import main

NOTES = """# Sigmoid notes

```verify-derivation
[symbols]
t = "real"

[functions]
'\\sigma' = { args = ["u"], define = '\\frac{1}{1+e^{-u}}' }
```

The derivative, step by step:

$$
\\begin{aligned}
\\frac{d}{dt} \\sigma(t) &= \\frac{e^{-t}}{(1+e^{-t})^2} \\quad \\text{quotient rule} \\\\
&= \\sigma(t)(1 - \\sigma(t)) \\tag{1}
\\end{aligned}
$$

Inline $\\sigma(0) = 1/2$ is prose.
"""
SLIP_LINE = 16  # the line of `&= \sigma(t)(1 - \sigma(t))`


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([*args, "--no-cache", "--jobs", "1"], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "notes.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_document_is_checked_in_place(tmp_path: Path) -> None:
    code, out, _ = run(str(write(tmp_path, NOTES)), "--format", "json", "--strict")
    assert code == 0
    (d,) = json.loads(out)["derivations"]
    assert d["title"] == "Sigmoid notes"
    (chain,) = d["chains"]
    assert [s["line"] for s in chain["steps"]] == [15, 15, 16]
    assert chain["steps"][1]["by"] == "quotient rule"
    assert chain["steps"][2]["label"] == "1"
    assert [u["kind"] for u in d["unchecked"]] == ["inline"]


def test_a_slip_is_refuted_at_the_documents_line(tmp_path: Path) -> None:
    path = write(tmp_path, NOTES.replace("(1 - \\sigma(t))", "(1 + \\sigma(t))"))
    code, out, _ = run(str(path), "--format", "json")
    assert code == 1
    steps = json.loads(out)["derivations"][0]["chains"][0]["steps"]
    assert (steps[2]["verdict"], steps[2]["line"], steps[2]["column"]) == ("refuted", SLIP_LINE, 4)
    code, out, _ = run(str(path), "--format", "github")
    assert code == 1
    assert f"::error file={path},line={SLIP_LINE},col=4" in out
    code, out, _ = run(str(path))
    assert code == 1 and f"{SLIP_LINE}" in out and "refuted" in out


def test_an_expected_slip_passes(tmp_path: Path) -> None:
    text = NOTES.replace("(1 - \\sigma(t)) \\tag{1}", "(1 + \\sigma(t)) \\tag{1} % verify: expect refuted")
    code, _, _ = run(str(write(tmp_path, text)))
    assert code == 0


def test_skips_are_listed(tmp_path: Path) -> None:
    text = NOTES.replace("\\end{aligned}\n$$", "\\end{aligned}\n$$\n\n$$ t = 2 % verify: skip\n$$")
    code, out, _ = run(str(write(tmp_path, text)))
    assert code == 0 and "skipped" in out


def test_explain_lists_what_is_not_checked(tmp_path: Path) -> None:
    code, out, _ = run(str(write(tmp_path, NOTES)), "--explain")
    assert code == 0 and "inline math is prose" in out


def test_folders_hold_documents(tmp_path: Path) -> None:
    write(tmp_path, NOTES)
    write(tmp_path, "# README\n\n$$a = b$$\n", "README.md")
    code, out, _ = run(str(tmp_path), "--format", "json")
    assert code == 0
    assert [d["file"] for d in json.loads(out)["derivations"]] == [str(tmp_path / "notes.md")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# x\n\n```verify-derivation\n[symbols]\n```\n\n$$a = b\n", "notes.md:7:1: unclosed display math"),
        ("# x\n\n```verify-derivation\n[symbols\n```\n", "notes.md:4:"),
        ("# x\n\n```verify-derivation\n[symbols]\na = 'real'\n```\n\\begin{align}\na = a\n", "unclosed environment"),
        (
            "# x\n\n```verify-derivation\n[symbols]\na = 'real'\n```\n$$a + a = 2a % verify: maybe\n$$\n",
            "notes.md:7:14: unknown `% verify:` instruction 'maybe'",
        ),
        ("# x\n\n$$a = b$$\n", "no ```verify-derivation block"),
    ],
)
def test_bad_documents_exit_2(tmp_path: Path, text: str, message: str) -> None:
    code, _, err = run(str(write(tmp_path, text)))
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_binary_and_huge_documents_exit_2(tmp_path: Path) -> None:
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, _, err = run(str(binary))
    assert code == 2 and "binary" in err
    huge = tmp_path / "huge.md"
    huge.write_bytes(b"$$a = b$$\n" * 1_000_001)
    code, _, err = run(str(huge))
    assert code == 2 and "larger than" in err


def test_a_text_file_is_explained(tmp_path: Path) -> None:
    code, _, err = run(str(write(tmp_path, "# notes\n$$a = b$$\n", "notes.txt")))
    assert code == 2
    assert "Markdown (.md) or LaTeX (.tex)" in err


def test_only_declared_skips_plain_documents(tmp_path: Path) -> None:
    code, _, err = run(str(write(tmp_path, "# README\n", "README.md")), "--only-declared")
    assert code == 0 and "skipped" in err


def test_junit_points_at_the_documents_line(tmp_path: Path) -> None:
    path = write(tmp_path, NOTES.replace("(1 - \\sigma(t))", "(1 + \\sigma(t))"))
    code, out, _ = run(str(path), "--format", "junit")
    assert code == 1
    assert f'line="{SLIP_LINE}"' in out and f'file="{path}"' in out


SLIP_THEN_CORRECTION = """# Square

```verify-derivation
[symbols]
a = "real"
b = "real"
```

$$
\\begin{aligned}
(a + b)^2 &= (a + b)(a + b) \\\\
&= a^2 + b^2 % verify: expect refuted
\\\\
&= a^2 + 2ab + b^2
\\end{aligned}
$$
"""


def test_a_slip_then_its_correction_passes(tmp_path: Path) -> None:
    code, out, err = run(str(write(tmp_path, SLIP_THEN_CORRECTION)), "--format", "json")
    assert code == 0, out + err
    steps = json.loads(out)["derivations"][0]["chains"][0]["steps"]
    assert [(s["line"], s["verdict"]) for s in steps[1:]] == [(11, "proved"), (12, "refuted"), (14, "proved")]
    assert steps[3]["compared_with"] == 1  # the last step that held, not the slip


def test_a_derivation_carrying_on_from_its_slip_shows_one_red_mark(tmp_path: Path) -> None:
    text = SLIP_THEN_CORRECTION.replace(" % verify: expect refuted", "").replace(
        "&= a^2 + 2ab + b^2", "&= b^2 + a^2"
    )
    code, out, _ = run(str(write(tmp_path, text)), "--format", "json")
    assert code == 1
    steps = json.loads(out)["derivations"][0]["chains"][0]["steps"]
    assert [s["verdict"] for s in steps[1:]] == ["proved", "refuted", "proved"]
    assert steps[3]["compared_with"] == 2


def test_invalid_toml_points_to_documents(tmp_path: Path) -> None:
    code, _, err = run(str(write(tmp_path, "# notes\n\n$$a = b$$\n", "notes.toml")))
    assert code == 2
    assert "invalid TOML" in err and "checked in place" in err


def test_github_lists_skipped_displays(tmp_path: Path) -> None:
    text = NOTES.replace("\\end{aligned}\n$$", "\\end{aligned}\n$$\n\n$$ t = 2 % verify: skip\n$$")
    code, out, _ = run(str(write(tmp_path, text)), "--format", "github")
    assert code == 0
    assert any(row.startswith("::notice file=") and "skip" in row and "line=20" in row for row in out.splitlines())
