"""The loader: TOML → model.Derivation with locations, and located errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.errors import InputError
from verifier.loader import load, loads

DATA = Path(__file__).parent.parent / "data"

MINIMAL = """title = "t"
[symbols]
x = "real"
[[chain]]
title = "c"
steps = ['x', 'x + 0']
"""


def test_example_file_loads_with_locations() -> None:
    d = load(DATA / "bce_example.toml")
    assert d.id == "bce-example"
    assert d.title.startswith("Binary cross-entropy")
    keys = [s.key for s in d.symbols]
    assert keys[:3] == ["w", "b", "N"] and "\\hat{y}_i" in keys
    i = next(s for s in d.symbols if s.key == "i")
    assert i.range is not None and (i.range[0].text, i.range[1].text) == ("1", "N")
    yhat = next(s for s in d.symbols if s.key == "\\hat{y}_i")
    assert yhat.define is not None and yhat.define.text == "\\sigma(z_i)"
    assert (yhat.loc.line, yhat.define.loc.line, yhat.define.loc.column) == (12, 12, 27)
    (sigma,) = d.functions
    assert sigma.args == ("t",) and sigma.define is not None
    chain = d.chains[0]
    assert [s.index for s in chain.steps] == [0, 1, 2, 3, 4]
    assert [s.tex.loc.line for s in chain.steps] == [22, 23, 24, 25, 26]
    assert chain.steps[1].by == "chain rule" and chain.steps[0].by is None
    # the column points at the first character of the LaTeX, inside the quotes
    line = (DATA / "bce_example.toml").read_text().splitlines()[22]
    assert line[chain.steps[1].tex.loc.column - 1 :].startswith("\\frac{\\partial L_i}")


def test_short_step_is_not_found_inside_a_justification() -> None:
    text = 'title = "t"\n[[chain]]\ntitle = "c"\nsteps = [{ tex = "a", by = "chain" }, \'a\']\n'
    d = loads(text, "f.toml")
    assert d.chains[0].steps[1].tex.loc.column == text.splitlines()[3].index("'a'") + 2


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "missing `title`", None),
        ('title = "t"\n', "no [[chain]]", None),
        ('title = "t"\ntitel = "x"\n', "did you mean `title`", 2),
        ('title = "t"\n[symbols]\nx = "reel"\n', "unknown assumption word `reel`", 3),
        ('title = "t"\n[symbols]\nx = { define = "1", assume = "real" }\n', "takes no assumption words", 3),
        ('title = "t"\n[[chain]]\ntitle = "c"\nsteps = ["x"]\n', "at least two", 4),
        ('title = "t"\n[[chain]]\ntitle = "c"\nsteps = ["x", {tex = "x", expect = "proved"}]\n', "can only be", None),
        ('title = "t"\nid = "Bad_Id"\n', "[a-z0-9-]+", 2),
        ('title = "t"\nx = [1,\n', "at the end of the file", 2),
        ('title = "t"\nx = = 1\n', "invalid TOML", 2),
        ("title = " + "[" * 2000 + "]" * 2000 + "\n", "invalid TOML", None),
    ],
)
def test_bad_files_give_located_messages(text: str, message: str, line: int | None) -> None:
    with pytest.raises(InputError) as info:
        loads(text, "bad.toml")
    problem = info.value.problem
    assert message in problem.message
    assert problem.file == "bad.toml"
    if line is not None:
        assert problem.line == line


def test_non_utf8_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'title = "caf\xe9"\n')
    with pytest.raises(InputError, match="not valid UTF-8"):
        load(bad)
    with pytest.raises(InputError, match="cannot read"):
        load(tmp_path / "absent.toml")


def test_minimal_file_and_default_id(tmp_path: Path) -> None:
    path = tmp_path / "My_Notes.toml"
    path.write_text(MINIMAL)
    d = load(path)
    assert d.id == "my-notes"
    assert d.symbols[0].assume == ("real",)
