"""Properties of document reading: blanking keeps every column, and no text makes the reader crash."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.documents import load_document
from verifier.documents.displays import mask, rows
from verifier.errors import InputError

PIECES = st.sampled_from(
    [
        "a", "b", " ", "\n", "=", "&", "\\\\", "\\\\\\\\", "\\_", "{", "}", "(", ")", "[", "]", "%", "% verify: skip\n",
        "\\text{by}", "\\tag{1}", "\\quad", "\\therefore", "(**)", "①", "_{①③}", "\\frac{a}{b}", "\\left(", "\\right)",
        "\\begin{cases}", "\\end{cases}", "\\", "\\left", "\\tag{", "\\text{",
        "\\begin{aligned}", "\\end{aligned}", ":=", "\\le", ",", ".",
    ]
)  # fmt: skip
MATH = st.lists(PIECES, max_size=40).map("".join)
BLOCK = '# T\n\n```verify-derivation\n[symbols]\na = "real"\nb = "real"\n```\n\n'
DOCUMENT_PIECES = st.sampled_from(
    ["$$", "$", "\\[", "\\]", "\\begin{align}", "\\end{align}", "`", "<img ", ">", "\n\n"]
)


@settings(max_examples=200, deadline=None)
@given(MATH)
def test_blanking_keeps_lengths_and_lines(body: str) -> None:
    masked = mask(body).text
    assert len(masked) == len(body)
    assert [i for i, c in enumerate(masked) if c == "\n"] == [i for i, c in enumerate(body) if c == "\n"]
    found = rows(masked)
    if found is not None:
        for row in found:
            for start, end in row.members:
                assert 0 <= start <= end <= len(masked)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(PIECES, DOCUMENT_PIECES), max_size=30).map("".join))
def test_any_document_is_read_or_refused_with_a_location(tmp_path_factory: pytest.TempPathFactory, body: str) -> None:
    path = tmp_path_factory.mktemp("doc") / "n.md"
    path.write_text(BLOCK + body, encoding="utf-8")
    try:
        derivations = load_document(path, "n.md")
    except InputError as exc:
        assert exc.problem.file == "n.md"
        return
    for d in derivations:
        for chain in d.chains:
            assert len(chain.steps) >= 2
            for step in chain.steps:
                assert step.tex.text.strip() and step.tex.loc.line >= 8
