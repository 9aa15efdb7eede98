"""Documents checked in place: extraction of chains from Markdown and LaTeX (no checking here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.documents import load_document
from verifier.errors import InputError
from verifier.model import Derivation, UncheckedKind

BLOCK = """```verify-derivation
[symbols]
w = "real"
b = "real"
a = "real"
c = "real"
x = "real"
'\\eta' = "positive"
N = "positive integer"
i = { range = ["1", "N"] }
j = { range = ["1", "N"] }
x_i = "real"
z = { define = 'w x + b' }
```
"""


def doc(tmp_path: Path, body: str, name: str = "notes.md", block: str = BLOCK) -> tuple[Derivation, ...]:
    path = tmp_path / name
    path.write_text("# Notes\n\n" + block + "\n" + body, encoding="utf-8")
    return load_document(path, name)


def first_line(tmp_path: Path) -> int:
    """The document line where `body` starts."""
    return 2 + BLOCK.count("\n") + 2


def steps(d: Derivation, chain: int = 0) -> list[str]:
    return [s.tex.text for s in d.chains[chain].steps]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("$$a = b$$\n", [["a", "b"]]),
        ("$$a = b = c$$\n", [["a", "b", "c"]]),
        ("\\[ a = b \\]\n", [["a", "b"]]),
        ("\\begin{equation} a = b \\end{equation}\n", [["a", "b"]]),
        ("\\begin{equation*} a = b \\end{equation*}\n", [["a", "b"]]),
        ("\\begin{align} a &= b \\\\ &= c \\end{align}\n", [["a", "b", "c"]]),
        ("\\begin{align*}\na &= b \\\\\n&= c\n\\end{align*}\n", [["a", "b", "c"]]),
        ("$$\\begin{aligned} a &= b \\\\ &= c \\end{aligned}$$\n", [["a", "b", "c"]]),
        ("$$\\begin{equation}\\begin{split}\na &= b \\\\\n&= c\n\\end{split}\\end{equation}$$\n", [["a", "b", "c"]]),
        ("\\begin{gather} a = b \\\\ c = w \\end{gather}\n", [["a", "b"], ["c", "w"]]),
        ("\\begin{gather*} a = b \\end{gather*}\n", [["a", "b"]]),
        ("\\begin{eqnarray} a &=& b \\\\ &=& c \\end{eqnarray}\n", [["a", "b", "c"]]),
        ("\\begin{eqnarray*} a &=& b \\end{eqnarray*}\n", [["a", "b"]]),
        ("$$\\begin{cases} a = b \\\\ c = w \\end{cases}$$\n", [["a", "b"], ["c", "w"]]),
        # a display starting with `=` continues the previous one's chain
        ("$$a = b$$\n\ntext\n\n$$= c$$\n", [["a", "b", "c"]]),
        ("$$a = b$$\n\n$$\\therefore a = c$$\n", [["a", "b", "c"]]),
        ("$$a = b$$\n\n$$\\therefore c = w$$\n", [["a", "b"], ["c", "w"]]),
        # rows with their own left side are separate claims; a row starting with = continues
        ("$$a = b \\\\ c = w \\\\ = x$$\n", [["a", "b"], ["c", "w", "x"]]),
        # blog engine escapes
        ("$$ x\\_i = w \\\\\\\\\n= b $$\n", [["x _i", "w", "b"]]),
        # trailing punctuation
        ("$$a = b,$$\n", [["a", "b"]]),
        ("$$a = b\\ .$$\n", [["a", "b"]]),
        # marks and labels
        ("$$a = b \\quad (**)$$\n", [["a", "b"]]),
        ("$$a = b \\text{ ②}$$\n", [["a", "b"]]),
        ("$$a = b _{①③}$$\n", [["a", "b"]]),
        ("$$\\boxed{a} = b$$\n", [["\\boxed{a}", "b"]]),
        ("$$a = b \\qquad \\text{by} \\nonumber \\label{eq:x}$$\n", [["a", "b"]]),
        ("$$\\displaystyle a = b \\tag*{A}$$\n", [["a", "b"]]),
        ("$$a = b$$\n\n$$\\because a = c$$\n", [["a", "b", "c"]]),
        ("\\begin{multline} a = b \\end{multline}\n", [["a", "b"]]),
        ("\\begin{align}\na &= b \\\\[2pt]\n&= c\n\\end{align}\n", [["a", "b", "c"]]),
        # code, HTML comments and inline math are not displays
        ("```\n$$c = w$$\n```\n\n<!-- $$c = w$$ -->\n\n$$a = b$$ and \\(c = w\\) and `$$x = a$$`\n", [["a", "b"]]),
        # a cases block after a left side: one claim per line, its condition assumed
        ("$$a = \\begin{cases} b & i = j \\\\ c & i \\neq j \\end{cases}$$\n", [["a", "b"], ["a", "c"]]),
    ],
)
def test_environments_and_forms(tmp_path: Path, body: str, expected: list[list[str]]) -> None:
    (d,) = doc(tmp_path, body)
    assert [steps(d, k) for k in range(len(d.chains))] == expected


def test_locations_are_the_documents(tmp_path: Path) -> None:
    (d,) = doc(tmp_path, "Some text.\n\n$$\\begin{aligned}\na &= b \\\\\n  &= c\n\\end{aligned}$$\n")
    start = first_line(tmp_path) + 2
    chain = d.chains[0]
    assert [(s.tex.loc.line, s.tex.loc.column) for s in chain.steps] == [(start + 1, 1), (start + 1, 6), (start + 2, 6)]
    assert all(s.tex.exact for s in chain.steps)
    assert chain.steps[0].tex.loc.file == "notes.md"


def test_tag_text_and_marks(tmp_path: Path) -> None:
    body = (
        "\\begin{align}\n"
        "a &= b \\tag{4.59} \\\\\n"
        "&= c \\quad \\text{by algebra} \\\\\n"
        "&= w _{①③} \\\\\n"
        "&= x \\quad (**)\n"
        "\\end{align}\n"
    )
    (d,) = doc(tmp_path, body)
    s = d.chains[0].steps
    assert (s[1].label, s[2].by, s[3].by, s[4].label) == ("4.59", "by algebra", "①③", "(**)")
    assert d.chains[0].title.endswith("(4.59)")


def test_text_at_the_start_is_prose(tmp_path: Path) -> None:
    (d,) = doc(tmp_path, "$$\\text{有 } a = b$$\n")
    assert steps(d) == ["a", "b"]
    assert d.chains[0].steps[1].by is None


def test_text_inside_a_step_is_not_a_chain(tmp_path: Path) -> None:
    (d,) = doc(tmp_path, "$$a = b$$\n\n$$a = b \\text{ and } c$$\n")
    assert len(d.chains) == 1
    assert any("text inside a step" in u.reason for u in d.unchecked)


def test_update_and_definition(tmp_path: Path) -> None:
    body = (
        "$$w = w - \\eta a = w - \\eta b$$\n\n"
        "$$c := a + b = b + a$$\n\n"
        "$$c \\leftarrow a = a$$\n\n"
        "$$a = b + c = c + b$$\n"
    )
    (d,) = doc(tmp_path, body)
    assert [c.title for c in d.chains[:3]] == ["update of w", "definition of c", "definition of c"]
    assert steps(d, 0) == ["w - \\eta a", "w - \\eta b"]
    assert steps(d, 1) == ["a + b", "b + a"]
    assert steps(d, 3) == ["a", "b + c", "c + b"]  # `a` does not reappear on the right: a claim


def test_a_derivative_equation_stays_a_claim(tmp_path: Path) -> None:
    (d,) = doc(tmp_path, "$$\\frac{\\partial z}{\\partial w} = x$$\n")
    assert steps(d) == ["\\frac{\\partial z}{\\partial w}", "x"]


def test_non_chains_and_inline_are_listed(tmp_path: Path) -> None:
    body = "Inline $a = b$ here.\n\n$$a \\le b$$\n\n$$a + b$$\n\n$$w = c$$\n"
    (d,) = doc(tmp_path, body)
    kinds = [(u.kind, u.reason) for u in d.unchecked]
    assert (UncheckedKind.INLINE, "inline math is prose, not a claim") in kinds
    assert any(k is UncheckedKind.NOT_A_CHAIN and "\\le" in r for k, r in kinds)
    assert any(k is UncheckedKind.NOT_A_CHAIN and "single expression" in r for k, r in kinds)
    assert len(d.chains) == 1


def test_comments_steer_the_check(tmp_path: Path) -> None:
    body = (
        "\\begin{align}\n"
        "a &= b \\\\ % verify: assume i = j\n"
        "&= c % verify: expect refuted\n"
        "\\end{align}\n\n"
        "$$a = w % verify: skip\n$$\n"
    )
    (d,) = doc(tmp_path, body)
    chain = d.chains[0]
    assert chain.steps[2].expect == "refuted"
    assert [a.text for a in chain.assume] == ["i = j"]
    assert chain.assume[0].exact
    line = first_line(tmp_path) + 1
    assert (chain.assume[0].loc.line, chain.assume[0].loc.column) == (line, 28)
    skipped = [u for u in d.unchecked if u.kind is UncheckedKind.SKIPPED]
    assert len(skipped) == 1 and len(d.chains) == 1


@pytest.mark.parametrize(
    ("body", "refuted"),
    [
        ("$$a = b = c % verify: expect refuted 1\n$$\n", [1]),
        ("$$a = b = c % verify: expect refuted 2\n$$\n", [2]),
        ("$$a = b = c % verify: expect refuted  2 \n$$\n", [2]),
        ("\\begin{align}\na &= b \\\\\n&= c = w % verify: expect refuted 2\n\\end{align}\n", [3]),
        ("\\begin{align}\na &= b \\\\\n&= c = w % verify: expect refuted 1\n\\end{align}\n", [2]),
    ],
)
def test_expect_refuted_names_the_nth_step_on_its_line(tmp_path: Path, body: str, refuted: list[int]) -> None:
    (d,) = doc(tmp_path, body)
    assert [s.index for s in d.chains[0].steps if s.expect == "refuted"] == refuted


def test_verify_table_names_the_nth_step_of_an_image(tmp_path: Path) -> None:
    block = BLOCK.replace("[symbols]", '[verify]\n20 = "expect refuted 2"\n\n[symbols]')
    body = '<img src="https://www.zhihu.com/equation?tex=a=b=c" alt="a=b=c" class="ee_img">\n'
    line = 2 + block.count("\n") + 2
    block = block.replace("20 =", f"{line} =")
    (d,) = doc(tmp_path, body, block=block)
    assert [s.expect for s in d.chains[0].steps] == [None, None, "refuted"]


def test_verify_table_for_images(tmp_path: Path) -> None:
    block = BLOCK.replace("[symbols]", "[verify]\n20 = \"expect refuted\"\n\n[symbols]")
    body = '<img src="https://www.zhihu.com/equation?tex=a=b" alt="a=b" class="ee_img">\n'
    line = 2 + block.count("\n") + 2
    block = block.replace("20 =", f"{line} =")
    (d,) = doc(tmp_path, body, block=block)
    assert steps(d) == ["a", "b"]
    assert d.chains[0].steps[1].expect == "refuted"
    assert d.chains[0].steps[1].tex.loc.line == line


def test_zhihu_images(tmp_path: Path) -> None:
    body = (
        'As <img src="https://www.zhihu.com/equation?tex=a" alt="a" class="ee_img"> says:\n\n'
        '<img src="https://www.zhihu.com/equation?tex=a=b%20\\\\" alt="a=b \\\\\n=c\n" eeimg="1">\n\n'
        '①  <img src="https://www.zhihu.com/equation?tex=c=w" alt="c=w" eeimg="1">\n\n'
        '<img src="https://www.zhihu.com/equation?tex=a%2B1=1%2Ba" eeimg="1">\n'
    )
    (d,) = doc(tmp_path, body)
    assert [steps(d, k) for k in range(len(d.chains))] == [["a", "b", "c"], ["c", "w"], ["a+1", "1+a"]]
    assert any(u.kind is UncheckedKind.INLINE and u.text == "a" for u in d.unchecked)
    assert d.chains[0].steps[2].tex.loc.line == first_line(tmp_path) + 3


def test_bare_functions(tmp_path: Path) -> None:
    block = BLOCK.replace("[symbols]", 'bare_functions = ["log", "exp"]\n\n[symbols]')
    (d,) = doc(tmp_path, "$$ log\\, exp(a) = a $$\n", block=block)
    assert steps(d)[0] == "\\log\\, \\exp(a)"
    assert not d.chains[0].steps[0].tex.exact


def test_later_blocks_add_and_override(tmp_path: Path) -> None:
    second = '```verify-derivation\n[symbols]\nc = { define = "a" }\n```\n'
    ds = doc(tmp_path, "$$a = b$$\n\n" + second + "\n$$c = a$$\n")
    assert [d.id for d in ds] == ["notes", "notes-2"]
    keys = {s.key: s for s in ds[1].symbols}
    assert keys["c"].define is not None and "a" in keys
    assert steps(ds[1]) == ["c", "a"]


def test_title_defaults_to_first_heading(tmp_path: Path) -> None:
    (d,) = doc(tmp_path, "$$a = b$$\n")
    assert d.title == "Notes"


LATEX_BLOCK = """% ```verify-derivation
% title = "TeX notes"
% [symbols]
% a = "real"
% b = "real"
% ```
"""


def test_latex_comment_block_and_environments(tmp_path: Path) -> None:
    text = (
        "\\documentclass{article}\n\\begin{document}\n"
        + LATEX_BLOCK
        + "% $$ not math $$\n"
        + "\\begin{align*}\n a &= b \\\\\n &= a % verify: expect refuted\n\\end{align*}\n"
        + "\\[ 2 a = a + a \\]\n\\end{document}\n"
    )
    path = tmp_path / "notes.tex"
    path.write_text(text, encoding="utf-8")
    (d,) = load_document(path, "notes.tex")
    assert d.title == "TeX notes"
    assert [steps(d, k) for k in range(2)] == [["a", "b", "a"], ["2 a", "a + a"]]
    assert d.chains[0].steps[2].expect == "refuted"
    assert (d.chains[0].steps[0].tex.loc.line, d.chains[0].steps[0].tex.loc.column) == (11, 2)


def test_latex_environment_block(tmp_path: Path) -> None:
    text = (
        "\\usepackage{comment}\n\\excludecomment{verifyderivation}\n"
        "\\begin{verifyderivation}\n[symbols]\na = \"real\"\n\\end{verifyderivation}\n"
        "\\section{Sums}\n\\begin{equation}\n2 a = a + a\n\\end{equation}\n"
    )
    path = tmp_path / "n.tex"
    path.write_text(text, encoding="utf-8")
    (d,) = load_document(path, "n.tex")
    assert d.title == "Sums"
    assert [s.key for s in d.symbols] == ["a"]
    assert d.symbols[0].loc.line == 5


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("$$a = b\n\nmore\n", "unclosed display math", 0),
        ("\\begin{align}\na = b\n", "unclosed environment", 0),
        ("$$a = b % verify: frobnicate\n$$\n", "unknown `% verify:` instruction 'frobnicate'", 0),
        ("$$a = b = c % verify: expect refuted\n$$\n", "2 steps start on it", 0),
        ("$$a = {b$$\n", "braces of this display do not balance", 0),
        ("$$a = b = c % verify: expect refuted 3\n$$\n", "names step 3 on line", 0),
        ("$$a = b = c % verify: expect refuted 0\n$$\n", "`expect refuted 0`", 0),
        ("$$a = b = c % verify: expect refuted two\n$$\n", "`expect refuted two`", 0),
        ("$$a = b = c % verify: expect refuted 1 2\n$$\n", "unknown `% verify:` instruction 'expect'", 0),
    ],
)
def test_bad_documents(tmp_path: Path, body: str, message: str, line: int) -> None:
    with pytest.raises(InputError) as info:
        doc(tmp_path, body)
    assert message in info.value.problem.message
    assert info.value.problem.line == first_line(tmp_path) + line


def test_bad_declarations(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        doc(tmp_path, "$$a = b$$\n", block="```verify-derivation\n[symbols\n```\n")
    assert info.value.problem.line == 4 and "invalid TOML" in info.value.problem.message
    with pytest.raises(InputError) as info:
        doc(tmp_path, "$$a = b$$\n", block="```verify-derivation\n[symbols]\na = 'real'\n")
    assert "unclosed ```verify-derivation block" in info.value.problem.message


def test_binary_large_and_undeclared(tmp_path: Path) -> None:
    binary = tmp_path / "b.md"
    binary.write_bytes(b"# x\n\x00\x01")
    with pytest.raises(InputError, match="binary"):
        load_document(binary)
    big = tmp_path / "big.md"
    big.write_bytes(b"a" * 10_000_001)
    with pytest.raises(InputError, match="larger than"):
        load_document(big)
    plain = tmp_path / "plain.md"
    plain.write_text("# x\n$$a = b$$\n", encoding="utf-8")
    with pytest.raises(InputError, match="verify-derivation init"):
        load_document(plain)


def test_cases_conditions_are_assumptions(tmp_path: Path) -> None:
    (d,) = doc(tmp_path, "$$a = \\begin{cases} b & i = j \\\\ c & i \\neq j \\end{cases}$$\n")
    assert [[t.text for t in c.assume] for c in d.chains] == [["i = j"], ["i \\neq j"]]
    (d,) = doc(tmp_path, "$$a = b$$\n\n$$a = \\begin{cases} b & i = j \\\\ c & \\text{otherwise} \\end{cases}$$\n")
    assert len(d.chains) == 1 and any("in words" in u.reason for u in d.unchecked)


def test_text_inside_a_group_is_left_to_the_reader(tmp_path: Path) -> None:
    (d,) = doc(tmp_path, "$$a_{\\text{new}} = b \\quad \\text{update}$$\n")
    assert steps(d) == ["a_{\\text{new}}", "b"] and d.chains[0].steps[1].by == "update"


def test_text_before_a_rows_first_step_is_prose(tmp_path: Path) -> None:
    body = "\\begin{align}\na &= b \\quad \\text{first} \\\\\n\\text{hence } c &= w\n\\end{align}\n"
    (d,) = doc(tmp_path, body)
    assert [[s.by for s in c.steps] for c in d.chains] == [[None, "first"], [None, None]]


def test_a_display_in_a_block_quote(tmp_path: Path) -> None:
    (d,) = doc(tmp_path, "> Note:\n> $$\n> a = b\n> = c\n> $$\n")
    assert steps(d) == ["a", "b", "c"]
    assert d.chains[0].steps[0].tex.loc.column == 3


@pytest.mark.parametrize(
    ("body", "written", "read"),
    [
        ("$$x\\_i = x\\_i$$\n", "x\\_i", "x _i"),  # a blog engine's escape: the reader reads x_i
        ("\\begin{align} a &= b \\end{align}\n", None, "b"),  # nothing rewritten: no second text
    ],
)
def test_steps_keep_the_authors_text(tmp_path: Path, body: str, written: str | None, read: str) -> None:
    (d,) = doc(tmp_path, body)
    step = d.chains[0].steps[1]
    assert (step.written, step.tex.text) == (written, read)
    assert step.shown == (written or read)


def test_bare_words_are_shown_as_written(tmp_path: Path) -> None:
    block = BLOCK.replace("[symbols]", 'bare_functions = ["log", "exp"]\n\n[symbols]')
    (d,) = doc(tmp_path, "$$ log\\, exp(a) = a $$\n", block=block)
    assert d.chains[0].steps[0].shown == "log\\, exp(a)"
