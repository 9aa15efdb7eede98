"""The GitHub Actions format: a workflow command per failing step, escaped so no annotation can be forged."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
import sample

from verifier import model
from verifier.report import ReportOptions, get
from verifier.report.github import escape_data, escape_property

COMMAND = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def _lines(report: model.Report) -> list[str]:
    buf = io.StringIO()
    get("github").write(report, buf, ReportOptions())
    return buf.getvalue().splitlines()


def _props(raw: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in raw.split(","))


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("x: y, z", "x: y, z", "x%3A y%2C z"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_escaping(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_annotations_of_the_sample() -> None:
    lines = _lines(sample.report())
    assert all(COMMAND.match(line) for line in lines)
    kinds = [COMMAND.match(line).group(1) for line in lines]  # type: ignore[union-attr]
    assert kinds == ["error", "error", "warning", "error", "notice"]
    read, refuted, numeric, timeout, notice = lines
    assert read.startswith(
        "::error file=derivations/broken.toml,line=7,col=15,title=broken%3A cannot be read::"
    )
    m = COMMAND.match(refuted)
    assert m is not None
    assert _props(m.group(2)) == {
        "file": "derivations/bce.toml",
        "line": "36",
        "col": "3",
        "title": r"bce%3A \partial L_i / \partial b%3A step 3 refuted",
    }
    assert "differs from the previous step by a factor of -1%0Acounterexample: w = 0.5" in m.group(3)
    assert "only numerically checked" in numeric and "line=42" in numeric
    assert "line=14" in timeout and "timeout" in timeout
    assert notice.startswith("::notice title=verify-derivation::3 derivations, 13 steps")


def test_strict_turns_the_numeric_warning_into_an_error() -> None:
    lines = _lines(sample.report(strict=True, with_error=False, with_timeout=False))
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::error", "::notice"]


def test_a_hostile_chain_title_cannot_forge_an_annotation() -> None:
    hostile = "t\n::error file=/etc/passwd::forged, title=z: w"
    report = sample.report(with_error=False, with_timeout=False)
    d = report.derivations[0]
    bad = d.chains[1]
    chains = (
        d.chains[0],
        dataclasses.replace(bad, chain=dataclasses.replace(bad.chain, title=hostile)),
        d.chains[2],
    )
    lines = _lines(model.Report((dataclasses.replace(d, chains=chains),)))
    error = next(line for line in lines if line.startswith("::error"))
    m = COMMAND.match(error)
    assert m is not None
    props = _props(m.group(2))
    assert set(props) == {"file", "line", "col", "title"}
    assert props["file"] == "derivations/bce.toml"
    assert (
        props["title"]
        == "bce%3A t%0A%3A%3Aerror file=/etc/passwd%3A%3Aforged%2C title=z%3A w%3A step 3 refuted"
    )
    assert len(lines) == 3  # the error, the numeric warning, the notice: nothing forged
    assert all(COMMAND.match(line) for line in lines)
