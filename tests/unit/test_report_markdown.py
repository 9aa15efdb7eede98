"""The Markdown format: title, summary, definitions, one aligned block per chain and a verdict table."""

from __future__ import annotations

import dataclasses
import io
import re

import sample

from verifier import model
from verifier.report import ReportOptions, get
from verifier.report.markdown import md_escape


def _md(report: model.Report) -> str:
    buf = io.StringIO()
    get("markdown").write(report, buf, ReportOptions())
    return buf.getvalue()


def _blocks(md: str) -> list[str]:
    return re.findall(r"^\$\$\n(.*?)\n\$\$$", md, re.M | re.S)


def test_structure_of_one_derivation() -> None:
    report = sample.report(with_error=False, with_timeout=False)
    md = _md(report)
    assert md.startswith("# Binary cross-entropy gradient of one sigmoid neuron\n")
    assert "Checked by verify-derivation: 1 derivation, 11 steps: 9 proved, 1 numeric, 1 refuted" in md
    assert "The gradient of the cross-entropy loss $L_i$ with respect to $w$ and $b$." in md
    blocks = _blocks(md)
    assert len(blocks) == 1 + 3  # definitions, then one per chain
    assert all(b.startswith("\\begin{aligned}\n") and b.endswith("\n\\end{aligned}") for b in blocks)
    assert r"\hat{y}_i &= \sigma(z_i)" in blocks[0]
    assert "## $\\partial L_i / \\partial w$" in md
    assert blocks[1].split("\n")[1].startswith(r"\frac{\partial L_i}{\partial w} &= \frac{\partial L_i}")


def test_verdict_table_rows() -> None:
    md = _md(sample.report(with_error=False, with_timeout=False))
    rows = [line for line in md.splitlines() if line.startswith("| 3 | 36 |")]
    assert len(rows) == 1
    row = rows[0]
    assert "**✗ refuted**" in row
    assert "differs from the previous step by a factor of -1" in row
    assert "$w = 0.5$" in row and "$\\hat{y}_i = 0.3$" in row
    assert r"\[sign slip\] 100% sure\_{not}" in row
    assert sum(1 for line in md.splitlines() if line.startswith("| step | line |")) == 3


def test_pipes_are_escaped_in_cells() -> None:
    report = sample.report(with_error=False, with_timeout=False)
    d = report.derivations[0]
    chain = d.chains[0]
    step = chain.steps[1]
    odd = dataclasses.replace(step, step=dataclasses.replace(step.step, by="norm |x| and $|y|$"))
    chains = (dataclasses.replace(chain, steps=(chain.steps[0], odd, *chain.steps[2:])), *d.chains[1:])
    md = _md(model.Report((dataclasses.replace(d, chains=chains),)))
    row = next(line for line in md.splitlines() if line.startswith("| 1 | 23 |"))
    cells = re.split(r"(?<!\\)\|", row)
    assert len(cells) == 7  # five cells between six unescaped bars
    assert r"norm \|x\| and $\|y\|$" in row


def test_several_derivations_and_a_read_error() -> None:
    md = _md(sample.report())
    assert md.startswith("# Checked derivations\n")
    assert "## Softmax Jacobian" in md and "### softmax Jacobian, case $i = j$" in md
    assert "**Could not be read:**" in md and "                ^" in md


def test_md_escape() -> None:
    assert (
        md_escape("a*b_c [x](y) <b> #1 | `c` $5 & ~") == r"a\*b\_c \[x\](y) \<b\> \#1 \| \`c\` \$5 &amp; \~"
    )


def test_student_view_has_no_jargon_table_methods_or_paths() -> None:
    from verifier.report import Audience

    buf = io.StringIO()
    get("markdown").write(sample.report(), buf, ReportOptions(audience=Audience.STUDENT))
    md = buf.getvalue()
    assert "how it was decided" not in md and "| ---: |" not in md  # no table after the chains
    assert "probe" not in md and "chain rule unfolding" not in md  # no methods
    assert "derivations/bce.toml" not in md
    # the refuted step gets a plain-word note, with its counterexample
    assert "does not follow from the one before it" in md
    assert "$w = 0.5$" in md
    # the author view keeps the table
    author = io.StringIO()
    get("markdown").write(sample.report(), author, ReportOptions())
    assert "how it was decided" in author.getvalue()
