# ruff: noqa: E501  (the embedded derivation files keep their LaTeX on one line each)
"""check_all end to end: read first, decide in the pool, cache the verdicts, report every step."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from verifier.check import CheckOptions, check_all, work
from verifier.check.budget import WorkerPool
from verifier.loader import loads
from verifier.model import Derivation, Verdict

BCE = r"""
title = "Binary cross-entropy gradient of one sigmoid neuron"
source = "seed 000"

[symbols]
w = "real"
b = "real"
N = "positive integer"
i = { range = ["1", "N"] }
x_i = "real"
y_i = "binary"
z_i = { define = 'w x_i + b' }
'\hat{y}_i' = { define = '\sigma(z_i)' }
L_i = { define = '-\Big[ y_i \log \hat{y}_i + (1-y_i)\log (1-\hat{y}_i) \Big]' }
L = { define = '\frac{1}{N} \sum_{i=1}^{N} L_i' }

[functions]
'\sigma' = { args = ["t"], define = '\frac{1}{1+e^{-t}}' }

[[chain]]
title = '\partial L_i / \partial w'
steps = [
  '\frac{\partial L_i}{\partial w}',
  { tex = '\frac{\partial L_i}{\partial \hat{y}_i} \frac{\partial \hat{y}_i}{\partial z_i} \frac{\partial z_i}{\partial w}', by = "chain rule" },
  { tex = '-(\frac{y_i}{\hat{y}_i} - \frac{1-y_i}{1-\hat{y}_i}) \sigma^{\prime}(z_i) x_i', by = "derivative of the logarithm" },
  { tex = '-(\frac{y_i}{\hat{y}_i} - \frac{1-y_i}{1-\hat{y}_i}) \sigma(z_i)(1-\sigma(z_i)) x_i', by = "sigmoid derivative" },
  { tex = '-(\frac{y_i}{\hat{y}_i} - \frac{1-y_i}{1-\hat{y}_i}) \hat{y}_i(1-\hat{y}_i) x_i' },
  { tex = '-[y_i(1-\hat{y}_i) - \hat{y}_i(1-y_i)]x_i' },
  { tex = '- (y_i - y_i \hat{y}_i - \hat{y}_i + y_i \hat{y}_i) x_i' },
  { tex = '(\hat{y}_i - y_i) x_i', by = "algebra" },
]

[[chain]]
title = '\partial L_i / \partial b'
steps = [
  '\frac{\partial L_i}{\partial b}',
  { tex = '\frac{\partial L_i}{\partial \hat{y}_i} \frac{\partial \hat{y}_i}{\partial z_i} \frac{\partial z_i}{\partial b}', by = "chain rule" },
  '-(\frac{y_i}{\hat{y}_i} - \frac{1-y_i}{1-\hat{y}_i}) \sigma^{\prime}(z_i)',
  '-(\frac{y_i}{\hat{y}_i} - \frac{1-y_i}{1-\hat{y}_i}) \sigma(z_i)(1-\sigma(z_i))',
  '-(\frac{y_i}{\hat{y}_i} - \frac{1-y_i}{1-\hat{y}_i}) \hat{y}_i(1-\hat{y}_i)',
  '-[y_i(1-\hat{y}_i) - \hat{y}_i(1-y_i)]',
  '- (y_i - y_i \hat{y}_i - \hat{y}_i + y_i \hat{y}_i)',
  '(\hat{y}_i - y_i)',
]

[[chain]]
title = "gradient descent"
steps = [
  '\frac{\partial L}{\partial w}',
  '\frac{1}{N} \sum_{i=1}^{N} \frac{\partial L_i}{\partial w}',
  '\frac{1}{N} \sum_{i=1}^{N} (\hat{y}_i - y_i) x_i',
]
"""

SOFTMAX = r"""
title = "Softmax Jacobian and cross-entropy gradient"
source = "seed 004"

[symbols]
n = "positive integer"
i = { range = ["1", "n"] }
j = { range = ["1", "n"] }
k = { range = ["1", "n"] }
z_i = "real"
y_i = "unit"
a_i = { define = '\frac{e^{z_i}}{\sum_{k=1}^{n} e^{z_k}}' }
Loss = { define = '-\sum_{k=1}^{n} y_k \log a_k' }

[[chain]]
title = "Jacobian, case i = j"
assume = ['i = j']
steps = [
  '\frac{\partial a_j}{\partial z_i}',
  '\frac{e^{z_j} \sum_{k=1}^{n} e^{z_k} - e^{z_j} e^{z_j}}{(\sum_{k=1}^{n} e^{z_k})^2}',
  '\frac{e^{z_j}}{\sum_{k=1}^{n} e^{z_k}} - \frac{e^{z_j}}{\sum_{k=1}^{n} e^{z_k}} \frac{e^{z_j}}{\sum_{k=1}^{n} e^{z_k}}',
  'a_j (1 - a_j)',
]

[[chain]]
title = "Jacobian, case i != j"
assume = ['i \neq j']
steps = [
  '\frac{\partial a_j}{\partial z_i}',
  '\frac{- e^{z_i} e^{z_j}}{(\sum_{k=1}^{n} e^{z_k})^2}',
  '- a_i a_j',
  { tex = 'a_j (1 - a_j)', expect = "refuted" },
]

[[chain]]
title = "Cross-entropy gradient"
assume = ['\sum_{k=1}^{n} y_k = 1']
steps = [
  '\frac{\partial Loss}{\partial z_i}',
  '-\sum_{k=1}^{n} y_k \frac{\partial \log a_k}{\partial z_i}',
  'a_i - y_i',
]
"""


def _load(text: str, name: str) -> Derivation:
    return loads(text, name, default_id=name.removesuffix(".toml"))


def _verdicts(report_chain: object) -> list[str]:
    return [s.outcome.verdict.value for s in report_chain.steps]  # type: ignore[attr-defined]


def test_bce_of_seed_000_every_step_proved(pool: WorkerPool, tmp_path: Path) -> None:
    report = check_all([_load(BCE, "bce.toml")], CheckOptions(cache_dir=tmp_path), pool=pool)
    (d,) = report.derivations
    assert not d.errors
    for chain in d.chains:
        assert _verdicts(chain)[0] == "given"
        assert set(_verdicts(chain)[1:]) == {"proved"}, chain.chain.title
    assert report.ok


def test_flipped_sign_is_refuted_with_a_sign_diagnosis(pool: WorkerPool, tmp_path: Path) -> None:
    wrong = BCE.replace(r"'(\hat{y}_i - y_i) x_i', by = " + '"algebra"', r"'(y_i - \hat{y}_i) x_i', by = " + '"algebra"')
    assert wrong != BCE
    report = check_all([_load(wrong, "wrong.toml")], CheckOptions(cache_dir=tmp_path), pool=pool)
    last = report.derivations[0].chains[0].steps[-1]
    assert last.outcome.verdict is Verdict.REFUTED and not last.ok
    assert last.outcome.message is not None and "sign" in last.outcome.message
    ce = last.outcome.counterexample
    assert ce and f"x_{ce['i']}" in ce  # the concrete element, in the author's spelling
    assert not report.ok


def test_softmax_of_seed_004(pool: WorkerPool, tmp_path: Path) -> None:
    report = check_all([_load(SOFTMAX, "softmax.toml")], CheckOptions(cache_dir=tmp_path), pool=pool)
    (d,) = report.derivations
    assert not d.errors, d.errors
    diag, off, ce = d.chains
    assert set(_verdicts(diag)[1:]) == {"proved"}
    assert _verdicts(off)[1:] == ["proved", "proved", "refuted"]
    assert off.steps[-1].ok  # expected to be refuted
    assert set(_verdicts(ce)[1:]) == {"proved"}
    assert report.ok


def test_unreadable_derivation_carries_errors_while_others_go_on(pool: WorkerPool, tmp_path: Path) -> None:
    bad = BCE.replace(r"'(\hat{y}_i - y_i) x_i', by", r"'(\hat{y}_i - q_i) x_i', by")
    report = check_all(
        [_load(bad, "bad.toml"), _load(SOFTMAX, "softmax.toml")], CheckOptions(cache_dir=tmp_path), pool=pool
    )
    broken, fine = report.derivations
    assert broken.errors and not broken.chains
    assert broken.errors[0].line is not None
    assert fine.chains and not fine.errors
    assert report.unreadable


def test_second_run_is_served_from_the_cache(pool: WorkerPool, tmp_path: Path) -> None:
    derivations = [_load(BCE, "bce.toml"), _load(SOFTMAX, "softmax.toml")]
    seen: list[tuple[int, int]] = []
    start = time.perf_counter()
    first = check_all(derivations, CheckOptions(cache_dir=tmp_path), progress=lambda a, b: seen.append((a, b)), pool=pool)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    second = check_all(derivations, CheckOptions(cache_dir=tmp_path), pool=pool)
    warm = time.perf_counter() - start
    steps = sum(len(c.steps) - 1 for d in first.derivations for c in d.chains)
    assert first.stats.cache_misses == steps
    assert second.stats.cache_hits == steps and second.stats.cache_misses == 0
    assert [s.outcome.verdict for d in second.derivations for c in d.chains for s in c.steps] == [
        s.outcome.verdict for d in first.derivations for c in d.chains for s in c.steps
    ]
    assert seen[-1] == (steps, steps)
    print(f"cold {cold:.3f}s, cached {warm:.3f}s")  # measured, not asserted: machines differ


def test_a_changed_file_is_read_again_despite_the_cache(pool: WorkerPool, tmp_path: Path) -> None:
    check_all([_load(SOFTMAX, "softmax.toml")], CheckOptions(cache_dir=tmp_path), pool=pool)
    broken = SOFTMAX.replace("'- a_i a_j',", "'- a_i q_j',")
    assert broken != SOFTMAX
    report = check_all([_load(broken, "softmax.toml")], CheckOptions(cache_dir=tmp_path), pool=pool)
    assert report.derivations[0].errors and report.unreadable


def test_cache_off_decides_again(pool: WorkerPool, tmp_path: Path) -> None:
    d = [_load(SOFTMAX, "softmax.toml")]
    check_all(d, CheckOptions(cache_dir=tmp_path), pool=pool)
    again = check_all(d, CheckOptions(cache_dir=tmp_path, cache=False), pool=pool)
    assert again.stats.cache_hits == 0


def test_explain_and_strict(pool: WorkerPool, tmp_path: Path) -> None:
    report = check_all(
        [_load(SOFTMAX, "softmax.toml")], CheckOptions(cache_dir=tmp_path, explain=True, strict=True), pool=pool
    )
    step = report.derivations[0].chains[0].steps[1]
    assert any("unfolded" in line for line in step.outcome.explain)
    assert report.derivations[0].chains[0].steps[0].outcome.explain
    assert report.strict


def _wrong(n: int) -> Derivation:
    text = f"""
title = "wrong {n}"
[symbols]
x = "real"
[[chain]]
title = "c"
steps = ['(x + {n})^2', 'x^2 + {n * n}']
"""
    return loads(text, f"wrong{n}.toml")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_step_keeps_its_pretty_form_when_the_memo_let_its_derivation_go(
    monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    # the parent prints a failing step from the steps it read; past the memo's size it reads it again
    monkeypatch.setattr(work, "_MEMO_SIZE", 2)
    report = check_all([_wrong(n) for n in range(1, 6)], CheckOptions(cache=False, jobs=jobs, timeout=10.0))
    steps = [s for d in report.derivations for c in d.chains for s in c.steps[1:]]
    assert [s.outcome.verdict for s in steps] == [Verdict.REFUTED] * 5
    assert all(s.outcome.pretty for s in steps), [s.outcome.pretty for s in steps]


def test_a_one_job_run_reads_ahead_while_a_child_works_and_every_outcome_lands_on_its_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One job: while the first child is busy the parent reads on, and the next child takes every
    derivation read meanwhile (fewer children than derivations); each outcome is its own step's."""
    from verifier.check import forked, runner
    from verifier.model import Outcome

    def named(ds: object, di: int, ci: int, si: int, budget: object, explain: object, against: int) -> Outcome:
        if di == 0:
            time.sleep(1.0)  # the first derivation's child is at work while the others are read
        return Outcome(Verdict.PROVED, method=f"{di}:{ci}:{si}:{against}")

    forks: list[int] = []
    plain_fork = forked.Running._fork

    def counted(self: forked.Running, start: int) -> tuple[int, int, float]:
        forks.append(start)
        return plain_fork(self, start)

    monkeypatch.setattr(runner, "decide_ref", named)
    monkeypatch.setattr(forked.Running, "_fork", counted)
    derivations = [_wrong(n) for n in range(1, 6)]
    report = check_all(derivations, CheckOptions(cache=False, jobs=1, timeout=10.0))
    for di, d in enumerate(report.derivations):
        for ci, chain in enumerate(d.chains):
            for step in chain.steps[1:]:
                assert step.outcome.method == f"{di}:{ci}:{step.step.index}:{step.step.index - 1}"
    assert 2 <= len(forks) < len(derivations)
