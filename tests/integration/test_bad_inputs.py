"""The bad-input corpus: each hostile or broken file ends with exit 1 or 2, a message naming the file, no traceback.

The inputs are generated here (some are megabytes, or not UTF-8) rather than committed; each row says what a
safe outcome is. Everything runs through `cli.main`, the same path a user's command takes.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from verifier.cli import main

HEADER = 'title = "t"\n[symbols]\nx = "real"\na = "real"\nA = "real"\n'


def chain(*steps: str, extra: str = "") -> str:
    body = ", ".join(f"'{s}'" for s in steps)
    return HEADER + extra + f'[[chain]]\ntitle = "c"\nsteps = [{body}]\n'


def nested_toml(depth: int) -> str:
    return 'title = "t"\nx = ' + "[" * depth + "]" * depth + "\n"


# name → (file content, allowed exit codes, text the message must contain)
CORPUS: dict[str, tuple[str | bytes, set[int], str]] = {
    "malformed-toml": ('title = "unterminated\n', {2}, "invalid TOML"),
    "non-utf8": (b'title = "caf\xe9"\n', {2}, "not valid UTF-8"),
    "empty": ("", {2}, "missing `title`"),
    "missing-title": ('[[chain]]\ntitle = "c"\nsteps = ["x", "x"]\n', {2}, "missing `title`"),
    "duplicate-key": ('title = "a"\ntitle = "b"\n', {2}, "invalid TOML"),
    "steps-not-a-list": ('title = "t"\n[[chain]]\ntitle = "c"\nsteps = "x"\n', {2}, "steps"),
    "unknown-assumption-word": (
        'title = "t"\n[symbols]\nx = "reall"\n[[chain]]\ntitle="c"\nsteps=["x","x"]\n',
        {2},
        "did you mean `real`",
    ),
    "undeclared-name": (chain("x", "y"), {2}, "undeclared"),
    "unbalanced-brace": (chain("x", "\\frac{x}{2"), {2}, ""),
    "unbalanced-delimiter": (chain("x", "\\left( x"), {2}, ""),
    "circular-definition": (
        HEADER.replace('a = "real"\n', "a = { define = 'b + 1' }\nb = { define = 'a' }\n")
        + '[[chain]]\ntitle = "c"\nsteps = ["a", "a"]\n',
        {2},
        "",
    ),
    "python-in-step": (chain("x", '__import__("os").system("touch PWNED")'), {2}, ""),
    "python-in-definition": (
        HEADER
        + 'p = { define = \'__import__("os").system("touch PWNED")\' }\n'
        + "[[chain]]\ntitle = \"c\"\nsteps = ['p', 'p']\n",
        {2},
        "",
    ),
    "tex-input": (chain("x", "\\input{/etc/passwd}"), {2}, "\\input"),
    "tex-def": (chain("x", "\\def\\y{1} x"), {2}, "\\def"),
    "tex-csname": (chain("x", "\\csname x\\endcsname"), {2}, "\\csname"),
    "deep-brackets": (chain("x", "(" * 5000 + "x" + ")" * 5000), {2}, ""),
    "deep-braces": (chain("x", "{" * 5000 + "x" + "}" * 5000), {2}, ""),
    "exponent-tower": (chain("x", "9^{9^{9^{9^{9}}}}"), {1, 2}, ""),
    "huge-factorial": (chain("x", "100000000!"), {1, 2}, ""),
    "huge-literal": (chain("x", "1" * 100_000), {2}, ""),
    "step-100k-chars": (chain("x", "x + " * 25_000 + "x"), {2}, ""),
    "very-long-file": (HEADER + "# padding\n" * 200_000, {2}, ""),
    "toml-nested-deep": (nested_toml(600), {2}, ""),
    "forged-annotation-title": (
        'title = "ok\\n::error file=x.toml,line=1::forged"\n[[chain]]\ntitle="c"\nsteps=["1","1"]\n',
        {2},
        "one line",
    ),
    "wrong-arity": (
        HEADER + "[functions]\nf = { args = ['t'] }\n" + '[[chain]]\ntitle = "c"\nsteps = ["f(x)", "f(x, x)"]\n',
        {2},
        "",
    ),
    "control-characters": (chain("x", "x \u0000 + 1"), {2}, ""),
    "case-sensitive-names": (chain("A + a", "2 a"), {1}, "refuted"),
    "sqrt-of-square": (chain("\\sqrt{x^2}", "x"), {1}, "refuted"),
}


def run_cli(args: list[str]) -> tuple[int, str, str, float]:
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    code = main([*args, "--no-cache", "--timeout", "5"], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - start


def test_the_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 25


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_input_is_handled_safely(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content, codes, needle = CORPUS[name]
    monkeypatch.chdir(tmp_path)
    path = tmp_path / f"{name}.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code, out, err, seconds = run_cli([str(path), "--format", "json"] if 1 in codes else [str(path)])
    assert code in codes, (code, out[-2000:], err[-2000:])
    assert "Traceback" not in out + err
    assert str(path) in out + err  # the message names the file
    if needle:
        assert needle in out + err
    assert not (tmp_path / "PWNED").exists()  # nothing from the file was executed
    assert seconds < 60


def test_unknown_target_is_exit_2() -> None:
    code, _out, err, _ = run_cli(["no-such-derivation"])
    assert code == 2 and "unknown target" in err


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    (tmp_path / "undeclared-name.toml").write_text(str(CORPUS["undeclared-name"][0]))
    (tmp_path / "malformed-toml.toml").write_text(chain("x", "x") + 'oops = "unterminated\n')
    code, _out, err, _ = run_cli([str(tmp_path)])
    assert code == 2
    assert "undeclared-name.toml" in err and "malformed-toml.toml" in err
