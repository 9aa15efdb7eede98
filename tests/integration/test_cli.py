"""The command line end to end: the built-in `bce`, a wrong copy of it, JSON as in the contract, exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.cli import main

DATA = Path(__file__).parent.parent / "data"
EXAMPLE = DATA / "bce_example.toml"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([*args, "--no-cache"], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def wrong_copy(tmp_path: Path) -> Path:
    """The example with the sign of the last step flipped: (y_i - ŷ_i) x_i instead of (ŷ_i - y_i) x_i."""
    text = EXAMPLE.read_text()
    flipped = text.replace("'(\\hat{y}_i - y_i) x_i'", "'(y_i - \\hat{y}_i) x_i'")
    assert flipped != text
    path = tmp_path / "wrong.toml"
    path.write_text(flipped)
    return path


def test_builtin_bce_is_all_proved() -> None:
    code, out, _ = run("bce", "--format", "json", "--strict")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True
    (derivation,) = report["derivations"]
    assert derivation["id"] == "bce" and len(derivation["chains"]) >= 2
    verdicts = [s["verdict"] for c in derivation["chains"] for s in c["steps"]]
    assert verdicts.count("given") == len(derivation["chains"])
    for chain in derivation["chains"]:
        for step in chain["steps"][1:]:
            assert step["verdict"] == ("refuted" if step["expected"] == "refuted" else "proved"), step


def test_example_json_matches_the_contract() -> None:
    code, out, _ = run(str(EXAMPLE), "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert set(report) == {"version", "ok", "summary", "derivations"}
    assert report["version"] == 1
    assert set(report["summary"]) == {"proved", "numeric", "refuted", "timeout", "error"}
    assert report["summary"]["proved"] == 4
    (d,) = report["derivations"]
    assert {"id", "file", "title", "ok", "errors", "chains"} <= set(d)
    first, *rest = d["chains"][0]["steps"]
    assert (
        first == {"index": 0, "line": 22, "tex": "\\frac{\\partial L_i}{\\partial w}", "by": None, "verdict": "given"}
        or first["verdict"] == "given"
    )
    for step in rest:
        assert {"index", "line", "tex", "by", "verdict", "method", "seconds"} <= set(step)
        assert step["verdict"] == "proved" and step["method"]
    assert [s["line"] for s in d["chains"][0]["steps"]] == [22, 23, 24, 25, 26]


def test_flipped_sign_is_refuted_with_counterexample(tmp_path: Path) -> None:
    code, out, _ = run(str(wrong_copy(tmp_path)), "--format", "json")
    assert code == 1
    steps = json.loads(out)["derivations"][0]["chains"][0]["steps"]
    last = steps[-1]
    assert last["verdict"] == "refuted"
    assert last["counterexample"]
    assert "-1" in last["message"]  # "differs ... by a factor of -1"
    assert all(s["verdict"] in ("given", "proved") for s in steps[:-1])


def test_text_report_shows_every_step(tmp_path: Path) -> None:
    code, out, _ = run(str(wrong_copy(tmp_path)))
    assert code == 1
    assert "refuted" in out and "chain rule" in out


def test_console_script_runs_from_another_directory(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("verify-derivation")
    if not exe.exists():
        pytest.skip("the console script is not installed next to this interpreter")
    done = subprocess.run([str(exe), "--list"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "bce" in done.stdout


@pytest.mark.parametrize(("target", "want"), [("bce", 0), ("wrong", 1)])
def test_the_entry_point_exits_with_its_code_after_the_exit_handlers_and_the_whole_output(
    tmp_path: Path, target: str, want: int
) -> None:
    """run() leaves without tearing the interpreter down: the exit handlers still run, every byte of
    the report is written, and the exit code is the run's."""
    path = "bce" if target == "bce" else str(wrong_copy(tmp_path))
    script = (
        "import atexit, sys\n"
        "from verifier import cli\n"
        "atexit.register(lambda: sys.stderr.write('exit handler ran\\n'))\n"
        f"sys.argv = ['verify-derivation', {path!r}, '--format', 'json', '--no-cache', '-j', '1']\n"
        "cli.run()\n"
        "sys.stderr.write('not reached\\n')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == want, done.stderr
    assert "exit handler ran" in done.stderr and "not reached" not in done.stderr
    report = json.loads(done.stdout)  # all of it: a cut report does not parse
    assert report["ok"] is (want == 0)


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "nope", "bce"],
        [],
        ["--timeout", "-1", "bce"],
        # a budget no timer can hold: an input error, not "internal error: OverflowError" on every step
        ["--timeout", "inf", "bce"],
        ["--timeout", "1e300", "bce"],
        ["--timeout", "nan", "bce"],
    ],
)
def test_usage_errors_are_exit_2(args: list[str]) -> None:
    code, _, err = run(*args)
    assert code == 2 and err
    assert "internal error" not in err


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run(str(EXAMPLE), "--format", "json", "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["ok"] is True
