"""The pytest plugin, run by pytester on folders of derivation files."""

from __future__ import annotations

import textwrap

import pytest

pytest_plugins = ["pytester"]

GOOD = textwrap.dedent(
    """\
    title = "Square of a sum"

    [symbols]
    a = "real"
    b = "real"

    [[chain]]
    title = "expand (a + b)^2"
    steps = [
      '(a + b)^2',
      { tex = 'a^2 + 2 a b + b^2', by = "expand" },
    ]
    """
)

BAD = textwrap.dedent(
    """\
    title = "The freshman's dream"

    [symbols]
    a = "real"
    b = "real"

    [[chain]]
    title = "a correct first step"
    steps = ['(a + b)^2', { tex = '(a + b)(a + b)', by = "a square is a product" }]

    [[chain]]
    title = "expand wrongly"
    steps = [
      '(a + b)^2',
      { tex = 'a^2 + b^2', by = "freshman's dream" },
    ]
    """
)
BAD_LINE = 15  # the line of 'a^2 + b^2' above

NOT_A_DERIVATION = '[tool.something]\nname = "x"\n'
UNREADABLE = 'title = "broken"\n[[chain]]\nsteps = [ "a + \n'


def _folder(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", good=GOOD, bad=BAD, other=NOT_A_DERIVATION)


def test_mixed_folder_reports_passes_and_the_wrong_steps_line(pytester: pytest.Pytester) -> None:
    _folder(pytester)
    # A generous budget: the machine may be busy, and a timeout would hide the refutation.
    pytester.makeini("[pytest]\nverify_derivation = true\nverify_derivation_timeout = 30\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*_ chain: expand wrongly _*",
            f"bad.toml:{BAD_LINE}: step 1 refuted (by: freshman's dream)",
            "    a^2 + b^2",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    assert "other.toml" not in result.stdout.str()


def test_one_item_per_chain_named_by_its_title(pytester: pytest.Pytester) -> None:
    _folder(pytester)
    result = pytester.runpytest("--verify-derivation", "--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "bad.toml::a correct first step",
            "bad.toml::expand wrongly",
            "good.toml::expand (a + b)^2",
            "3 tests collected*",
        ]
    )


def test_nothing_is_collected_unless_enabled(pytester: pytest.Pytester) -> None:
    _folder(pytester)
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_an_unreadable_file_is_one_failing_item_with_its_location(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", broken=UNREADABLE)
    result = pytester.runpytest("--verify-derivation")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["broken.toml:3*invalid TOML*"])
    assert "Traceback" not in result.stdout.str()


def test_a_bad_timeout_is_a_usage_error(pytester: pytest.Pytester) -> None:
    _folder(pytester)
    result = pytester.runpytest("--verify-derivation", "--verify-derivation-timeout", "0")
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_works_with_xdist(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    _folder(pytester)
    result = pytester.runpytest_subprocess(
        "--verify-derivation", "--verify-derivation-timeout", "30", "-n", "2", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([f"*bad.toml:{BAD_LINE}: step 1 refuted*"])


def test_reportinfo_names_the_file_and_the_chains_line(pytester: pytest.Pytester) -> None:
    _folder(pytester)
    items, _ = pytester.inline_genitems("--verify-derivation")
    locations = {item.name: item.location for item in items}
    path, line, label = locations["expand wrongly"]
    first = locations["a correct first step"][1]
    assert path == "bad.toml" and label == "chain: expand wrongly"
    assert line is not None and first is not None
    text = BAD.splitlines()
    assert "[[chain]]" in text[line] or "expand wrongly" in text[line]
    assert first < line


def test_an_undeclared_name_fails_with_its_location(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", typo=GOOD.replace("'a^2 + 2 a b + b^2'", "'a^2 + 2 a c + b^2'"))
    result = pytester.runpytest("--verify-derivation")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["typo.toml:11:*c*"])
    assert "Traceback" not in result.stdout.str()


DOCUMENT = """# Notes

```verify-derivation
[symbols]
a = "real"
```

$$ (a + 1)^2 = a^2 + 2a + 1 $$

$$ a (a - 1) = a^2 + a $$
"""


def test_documents_with_a_block_are_collected_others_ignored(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", notes=DOCUMENT, README="# Readme\n\n$$ a = b $$\n")
    collected = pytester.runpytest("--verify-derivation", "--collect-only", "-q")
    assert "notes.md::(a + 1)^2" in collected.stdout.str()
    assert "README" not in collected.stdout.str()
    result = pytester.runpytest("--verify-derivation", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*notes.md:10: step 1 refuted*"])
