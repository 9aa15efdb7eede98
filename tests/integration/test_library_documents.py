"""The seed documents checked in place (derivations/notes-*.md): each passes under --strict, each is the seed's
text with only declarations blocks and `% verify:` comments added, and a slip planted in one of its steps is
refuted at that step's own line and column of the .md, in text, JSON and GitHub formats."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest

from verifier.cli import main
from verifier.documents import load_document
from verifier.library import builtins, library_dir

DOCUMENTS = sorted(library_dir().glob("*.md"))
# The seed each document was made from, and the SHA-256 of the seed's bytes (shared/seeds/ is not shipped).
SEEDS = {
    "notes-000-bce.md": (
        "000_b0cc049e3023e793.txt",
        "5c8bcaaac1738485b2169577cee58e3cab2bd8eebd4f391b36e1e81201f572f6",
    ),
    "notes-001-logistic-regression.md": (
        "001_0e5579cb0453a99c.txt",
        "d256347ebc23c6f1e567ebfee27621b21f931b65787eae06f929785bc4cbccb6",
    ),
    "notes-002-cross-entropy.md": (
        "002_5ed9c20b8bc84702.txt",
        "8c9b60d85f728ab5918bb8d2b54dfd3df14c07ebf2f0e46704f6a633aac1708b",
    ),
    "notes-003-logistic-mle.md": (
        "003_1578d3334b79a39c.txt",
        "43114dcf81770751bb0f1b7143d815cc7a6091a2db5868f7ef4bc45b32b6f660",
    ),
    "notes-004-softmax.md": (
        "004_2a4613b859264713.txt",
        "c4835f6f18ffe2d2f5af1d05f37290d20cca3f21df0b7c0f22db6328da4ad456",
    ),
}


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    # a generous budget: the machine may be busy, and a timeout would hide the verdict
    code = main([*args, "--jobs", "1", "--timeout", "30"], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_every_seed_has_its_document() -> None:
    assert sorted(p.name for p in DOCUMENTS) == sorted(SEEDS)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_only_blocks_and_comments_were_added(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n```verify-derivation\n.*?\n```\n\n", "", text, flags=re.S)
    text = re.sub(r" % verify: [^\n]*", "", text)
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == SEEDS[path.name][1]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_seed_document_passes_strict(path: Path) -> None:
    code, out, err = run(str(path), "--strict", "--format", "json")
    assert code == 0, out + err
    report = json.loads(out)
    steps = [s for d in report["derivations"] for c in d["chains"] for s in c["steps"]]
    for step in steps:
        if step["expected"] == "refuted":
            assert step["verdict"] == "refuted"
        elif step["index"] > 0:
            assert step["verdict"] == "proved", step


def test_ids_are_unique_and_listed() -> None:
    entries = builtins()
    stems = {p.stem for p in library_dir().glob("*.toml")}
    documents = {e.id for e in entries.values() if e.path.suffix == ".md"}
    assert len(documents) == len(DOCUMENTS)
    assert not documents & stems


def _plant(path: Path, tmp_path: Path) -> tuple[Path, int, int]:
    """A copy of the document with `+ 1` added to the last step of its longest chain; that step's line, column."""
    derivations = load_document(path)
    chain = max((c for d in derivations for c in d.chains), key=lambda c: len(c.steps))
    step = chain.steps[-1]
    assert step.expect is None and step.tex.exact
    lines = path.read_text(encoding="utf-8").split("\n")
    line = lines[step.tex.loc.line - 1]
    start = step.tex.loc.column - 1
    end = start + len(step.tex.text.split("\n")[0])
    assert "\n" not in step.tex.text
    lines[step.tex.loc.line - 1] = line[:end] + " + 1" + line[end:]
    planted = tmp_path / path.name
    planted.write_text("\n".join(lines), encoding="utf-8")
    return planted, step.tex.loc.line, step.tex.loc.column


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_a_planted_slip_is_refuted_at_its_line(path: Path, tmp_path: Path) -> None:
    planted, line, column = _plant(path, tmp_path)
    code, out, _ = run(str(planted), "--format", "json")
    assert code == 1
    failing = [
        s for d in json.loads(out)["derivations"] for c in d["chains"] for s in c["steps"] if s["verdict"] == "refuted"
        and s["expected"] is None
    ]  # fmt: skip
    assert [(s["line"], s["column"]) for s in failing] == [(line, column)]
    code, out, _ = run(str(planted), "--format", "github")
    assert code == 1
    errors = [row for row in out.splitlines() if row.startswith("::error")]
    assert len(errors) == 1 and f"file={planted},line={line},col={column}," in errors[0]
    code, out, _ = run(str(planted), "--format", "text")
    assert code == 1
    assert re.search(rf"\b{line}\b.*refuted", out)
