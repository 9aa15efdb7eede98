"""A wrong step that differs only at sizes past the small box, where large real values cannot be
settled at any precision (found by the mutation benchmark: it ended `numeric`)."""

from __future__ import annotations

from pathlib import Path

import verifier
from verifier.model import Verdict

LIBRARY = Path(__file__).resolve().parents[2] / "derivations" / "logistic-cost.toml"

# J(θ) against its first rewriting plus (m−1)…(m−5): zero for every m ≤ 5, 120 at m = 6. At the wide
# scales the probe draws θᵀx in the hundreds, where log(1 − h_θ) is below every ball precision, so
# every wide point was skipped and only m ≤ 4 was ever compared.
MUTANT = r"""
[[chain]]
title = "a term vanishing for m <= 5"
steps = [
  'J(\theta)',
  '''(m-1)(m-2)(m-3)(m-4)(m-5) - \frac{1}{m}\sum_{i=1}^m \left[-y^{(i)}(\log ( 1+e^{-\theta^T x^{(i)}}))
    + (1-y^{(i)})(-\theta^T x^{(i)}-\log ( 1+e^{-\theta^T x^{(i)}} ))\right]''',
]
"""


def test_a_term_vanishing_at_small_sizes_is_refuted_when_large_values_cannot_be_settled(tmp_path: Path) -> None:
    text = LIBRARY.read_text(encoding="utf-8")
    path = tmp_path / "mutant.toml"
    path.write_text(text[: text.index("[[chain]]")] + MUTANT, encoding="utf-8")
    report = verifier.verify(str(path), jobs=1, cache=False, timeout=10.0)
    (step,) = [s for c in report.derivations[0].chains for s in c.steps if s.compared_with is not None]
    assert step.outcome.verdict is Verdict.REFUTED, (step.outcome.verdict, step.outcome.message)
    assert int(step.outcome.counterexample["m"]) >= 6
