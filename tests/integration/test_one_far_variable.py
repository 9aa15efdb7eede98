"""A wrong step that differs only when ONE variable is far out while the others stay moderate (found by
the mutation benchmark: θ_j − α∂J/∂θ_j + max(0, |α| − 20) ended `numeric`). At the wide scales every real
is drawn large, so the logistic terms cannot be settled at any precision and the point is skipped; at the
textbook scale α never exceeds 20."""

from __future__ import annotations

from pathlib import Path

import pytest

import verifier
from verifier.model import StepResult, Verdict

LIBRARY = Path(__file__).resolve().parents[2] / "derivations" / "l2-logistic-regression.toml"

UPDATE = (
    r"\theta_j - \alpha\left(\frac{1}{m}\sum_{i=1}^{m}(h_\theta(x^{(i)})-y^{(i)})x^{(i)}_j"
    r" + \frac{\lambda}{m}\theta_j\right)"
)
SLIPS = {
    "abs": UPDATE + r" + \frac{\alpha}{2} + \frac{|\alpha - 20|}{2} - 10",
    "max": UPDATE + r" + \max(0, |\alpha| - 20)",
}


def _step(tmp_path: Path, cur: str) -> StepResult:
    text = LIBRARY.read_text(encoding="utf-8")
    chain = (
        "[[chain]]\ntitle = \"one step\"\nsteps = [\n"
        "  '\\theta_j - \\alpha \\frac{\\partial}{\\partial\\theta_j}J(\\theta)',\n"
        f"  '{cur}',\n]\n"
    )
    path = tmp_path / "step.toml"
    path.write_text(text[: text.index("[[chain]]")] + chain, encoding="utf-8")
    report = verifier.verify(str(path), jobs=1, cache=False, timeout=10.0)
    (step,) = [s for c in report.derivations[0].chains for s in c.steps if s.compared_with is not None]
    return step


@pytest.mark.parametrize("spelling", sorted(SLIPS))
def test_an_error_past_twenty_in_one_variable_is_refuted(tmp_path: Path, spelling: str) -> None:
    step = _step(tmp_path, SLIPS[spelling])
    assert step.outcome.verdict is Verdict.REFUTED, (step.outcome.verdict, step.outcome.message)
    alpha = next(v for k, v in step.outcome.counterexample.items() if "alpha" in k)
    assert float(alpha) > 20


def test_the_correct_update_still_holds(tmp_path: Path) -> None:
    step = _step(tmp_path, UPDATE)
    assert step.outcome.verdict in (Verdict.PROVED, Verdict.NUMERIC), (step.outcome.verdict, step.outcome.message)
