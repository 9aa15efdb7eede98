"""The pre-commit hook definition works with the real `pre-commit` tool (`pre-commit try-repo`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "data" / "bce_example.toml"


def _tool() -> str:
    found = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(found).exists():
        if os.environ.get("CI"):
            pytest.fail("pre-commit is not installed (it is in the `test` extra)")
        pytest.skip("pre-commit is not installed")
    if not (ROOT / ".git").exists():
        pytest.skip("the project is not a git checkout; try-repo needs one")
    return found


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def test_try_repo_passes_a_good_file_and_fails_a_wrong_one(tmp_path: Path) -> None:
    tool = _tool()
    repo = tmp_path / "notes"
    (repo / "derivations").mkdir(parents=True)
    good = EXAMPLE.read_text()
    (repo / "derivations" / "good.toml").write_text(good)
    (repo / "derivations" / "wrong.toml").write_text(
        good.replace("'(\\hat{y}_i - y_i) x_i'", "'(y_i - \\hat{y}_i) x_i'")
    )
    (repo / "pyproject.toml").write_text('[project]\nname = "notes"\n')  # not a derivation: skipped
    (repo / "README.md").write_text("# Notes\n\n$$ a = b $$\n")  # a document without a block: skipped
    (repo / "sq.md").write_text(
        "# Square\n\n```verify-derivation\n[symbols]\na = 'real'\n```\n\n$$ (a+1)^2 = a^2 + 2a + 1 $$\n"
    )
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "SKIP": ""}

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [tool, "try-repo", str(ROOT), "verify-derivation", "--verbose", "--files", *files],
            cwd=repo, env=env, capture_output=True, text=True, timeout=900,
        )

    ok = try_repo("derivations/good.toml", "pyproject.toml", "README.md", "sq.md")
    assert ok.returncode == 0, ok.stdout[-3000:] + ok.stderr[-3000:]
    bad = try_repo("derivations/wrong.toml")
    assert bad.returncode == 1, bad.stdout[-3000:] + bad.stderr[-3000:]
    assert "refuted" in bad.stdout
