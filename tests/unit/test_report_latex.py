"""The LaTeX format: align* per chain of the author's steps, escaped prose, marks, remarks, a 'where' list."""

from __future__ import annotations

import io
import re

import pytest
import sample

from verifier import model
from verifier.report import ReportOptions, get
from verifier.report.tex.escape import escape_text
from verifier.report.tex.prose import prose_to_latex, split_prose
from verifier.report.tex.safe import is_safe_math
from verifier.report.tex.width import math_width


def _latex(report: model.Report, standalone: bool = False) -> str:
    buf = io.StringIO()
    get("latex").write(report, buf, ReportOptions(standalone=standalone))
    return buf.getvalue()


def _aligns(tex: str) -> list[str]:
    return re.findall(r"\\begin\{align\*\}\n(.*?)\n\\end\{align\*\}", tex, re.S)


def test_one_align_per_chain_with_the_first_step_left_of_equals() -> None:
    report = sample.report(with_error=False, with_timeout=False)
    tex = _latex(report)
    aligns = _aligns(tex)
    assert len(aligns) == 1 + 3  # the definitions, then one per chain
    first_lines = [a.split(" \\\\\n")[0] for a in aligns[1:]]
    for chain, line in zip(report.derivations[0].chains, first_lines, strict=True):
        steps = chain.chain.steps
        assert line.startswith(f"{steps[0].tex.text} &= {steps[1].tex.text} && ")


def test_steps_appear_as_the_author_wrote_them() -> None:
    report = sample.report()
    tex = _latex(report)
    for d in report.derivations:
        for c in d.chains:
            for s in c.steps:
                assert s.step.tex.text in tex


def test_justifications_are_escaped_text_with_vetted_math() -> None:
    tex = _latex(sample.report())
    assert r"[sign slip] 100\% sure\_\{not\}" in tex
    assert r"$\hat{y}_i = \sigma(z_i)$" in tex  # `$…$` in a justification stays math


def test_marks_and_the_refuted_remark() -> None:
    tex = _latex(sample.report())
    assert r"$\checkmark$" in tex
    assert r"$\textcolor{red}{\times}^{\textcolor{red}{1}}$" in tex
    remark = next(line for line in tex.splitlines() if line.startswith(r"{\small\textcolor{red}{$^{1}$"))
    assert "Step 3 (line 36), refuted: differs from the previous step by a factor of -1" in remark
    assert r"$w = 0.5$, $x_i = 1.25$, $\hat{y}_i = 0.3$, $y_i = 1$" in remark
    assert r"\circlearrowright" in tex  # the timeout


def test_where_list_has_definitions_and_assumptions() -> None:
    tex = _latex(sample.report())
    where = _aligns(tex)[0]
    assert r"\hat{y}_i &= \sigma(z_i)" in where
    assert r"\sigma(t) &= \frac{1}{1+e^{-t}}" in where
    assert r"for $w, b, x_i \in \mathbb{R}$" in tex
    assert r"$1 \leq i \leq N$" in tex and r"$N \in \{1, 2, \dots\}$" in tex and r"$y_i \in \{0, 1\}$" in tex


def test_standalone_is_a_complete_document_and_the_fragment_is_not() -> None:
    doc = _latex(sample.report(), standalone=True)
    assert doc.startswith("% !TEX program = pdflatex\n\\documentclass")
    for package in ("amsmath", "amssymb", "xcolor"):
        assert f"\\usepackage{{{package}}}" in doc
    assert doc.rstrip().endswith(r"\end{document}")
    assert "Checked by verify-derivation: 3 derivations, 13 steps" in doc
    fragment = _latex(sample.report())
    assert r"\documentclass" not in fragment and r"\begin{document}" not in fragment


def test_hostile_title_is_escaped() -> None:
    title = r"\input{/etc/passwd} $\write18{x}$ 100% & # ~ ^ {"
    tex = _latex(sample.report(title=title, chain_title=title), standalone=True)
    assert r"\input{" not in tex and r"\write18{" not in tex
    assert r"\textbackslash{}input\{/etc/passwd\}" in tex


def test_a_read_error_is_shown_escaped() -> None:
    tex = _latex(sample.report())
    assert (
        r"Could not be read: \texttt{derivations/broken.toml:7:15: undeclared name 'q'; did you mean 'w'?}"
        in tex
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words", "plain words"),
        (
            "100% & # $ _ { } ~ ^ \\",
            r"100\% \& \# \$ \_ \{ \} \textasciitilde{} \textasciicircum{} \textbackslash{}",
        ),
        ("a < b > c | d", r"a \textless{} b \textgreater{} c \textbar{} d"),
        (
            "σ′ = σ(1 − σ)",
            r"\ensuremath{\sigma}\ensuremath{'} = \ensuremath{\sigma}(1 \ensuremath{-} \ensuremath{\sigma})",
        ),
        ("ŷ é", r"\^{y} \'{e}"),
        ("§1 问题描述 eqs.", r"\S{}1 [\dots] eqs."),
        ('say "hi"', "say ``hi''"),
        ("two\n lines", "two lines"),
    ],
)
def test_escape_text_for_pdflatex(text: str, expected: str) -> None:
    assert escape_text(text) == expected


@pytest.mark.parametrize(
    ("tex", "safe"),
    [
        (r"\frac{\partial L_i}{\partial w}", True),
        (r"\sigma(z_i)(1-\sigma(z_i))", True),
        (r"-\Big[ y_i \log \hat{y}_i \Big]", True),
        (r"\input{/etc/passwd}", False),
        (r"\def\x{1}", False),
        (r"x \write18{ls}", False),
        (r"\frac{1}{", False),
        (r"a } b {", False),
        (r"50% off", False),
        (r"a & b", False),
        (r"θ_j", False),
        ("", False),
    ],
)
def test_is_safe_math(tex: str, safe: bool) -> None:
    assert is_safe_math(tex) is safe


@pytest.mark.parametrize(
    ("title", "parts"),
    [
        (r"\partial L_i / \partial w", [(True, r"\partial L_i / \partial w")]),
        ("gradient-descent update of w", [(False, "gradient-descent update of "), (True, "w")]),
        ("case $i = j$", [(False, "case "), (True, "i = j")]),
        (
            r"\partial J / \partial \theta_j (seed 002)",
            [(True, r"\partial J / \partial \theta_j"), (False, " (seed 002)")],
        ),
        (r"costs $5 and $\input{x}$", [(False, r"costs $5 and $\input{x}$")]),
        (r"case $\input{x}$", [(False, "case "), (False, r"$\input{x}$")]),
    ],
)
def test_split_prose(title: str, parts: list[tuple[bool, str]]) -> None:
    assert [(p.math, p.text) for p in split_prose(title, True)] == parts


def test_width_estimate_orders_steps_sensibly() -> None:
    short = math_width(r"(\hat{y}_i - y_i) x_i")
    long = math_width(
        r"-(\frac{y_i}{\hat{y}_i} - \frac{1-y_i}{1-\hat{y}_i}) \sigma(z_i)(1-\sigma(z_i)) x_i"
    )
    assert 3 < short < long < 40


@pytest.mark.parametrize(
    ("prose", "expected"),
    [
        (
            "Softmax Jacobian: ∂a_j/∂z_i = a_j(1 − a_j) if i = j",
            r"Softmax Jacobian: $\partial a_{j}/\partial z_{i} = a_{j}(1 - a_{j})$ if $i = j$",
        ),
        ("∂z_i/∂w = x_i", r"$\partial z_{i}/\partial w = x_{i}$"),
        ("so e^{θᵀx} grows", r"so $e^{\theta^{T}x}$ grows"),
        ("sigmoid σ'(z) here", r"sigmoid $\sigma'(z)$ here"),
        ("the entry z_{ij} and x^{(i)}_j.", r"the entry $z_{ij}$ and $x^{(i)}_{j}$."),
        ("weights w_ij, L_CE", r"weights $w_{ij}$, $L_{CE}$"),
        ("∂Loss/∂z_i = a_i − y_i", r"$\partial\mathit{Loss}/\partial z_{i} = a_{i} - y_{i}$"),
        ("log a + log b = log(ab)", r"$\log a + \log b = \log(ab)$"),
        ("a quotient (a, b > 0)", r"a quotient $(a, b > 0)$"),
        ("as printed (x where z was meant)", r"as printed ($x$ where $z$ was meant)"),
        ("tanh x = (eˣ − e⁻ˣ); done", r"$\tanh x = (e^{x} - e^{-x})$; done"),
        ("ŷ_i = σ(z_i)", r"$\hat{y}_{i} = \sigma(z_{i})$"),
        ("seed 004 (004_2a46b8.txt) §2.1", r"seed 004 (004\_2a46b8.txt) \S{}2.1"),
        ("a sample of the layer's inputs", "a sample of the layer's inputs"),
        ("plain words, no math.", "plain words, no math."),
        ("x^{(i)}ᵀ twice", r"x\textasciicircum{}\{(i)\}\ensuremath{{}^T} twice"),
        (r"\input{/etc/passwd} a_{\def}", r"\textbackslash{}input\{/etc/passwd\} a\_\{\textbackslash{}def\}"),
        ("100% & _ # ~ ^ {x}", r"100\% \& \_ \# \textasciitilde{} \textasciicircum{} \{x\}"),
    ],
)
def test_prose_math_rule(prose: str, expected: str) -> None:
    """Math-like spans of plain prose become inline math; words, file names and hostile text stay text."""
    assert prose_to_latex(prose) == expected


@pytest.mark.parametrize(
    ("char", "command"),
    [("ε", r"\varepsilon"), ("ϵ", r"\epsilon"), ("φ", r"\varphi"), ("ϕ", r"\phi"), ("Σ", r"\Sigma")],
)
def test_each_greek_letter_has_one_command(char: str, command: str) -> None:
    from verifier.report.tex.symbols import UNICODE_MATH

    assert UNICODE_MATH[char] == command
    assert escape_text(char) == r"\ensuremath{" + command + "}"
