"""The built-in derivation library: every file checks under --strict, and every file is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from verifier.check import CheckOptions, check_all
from verifier.loader import load, loads
from verifier.model import Derivation, Verdict

LIBRARY = Path(__file__).resolve().parents[2] / "derivations"
FILES = sorted(LIBRARY.glob("*.toml"))
IDS = [path.stem for path in FILES]

# The ids issue 5 asks for; a file may be renamed only together with this list.
REQUIRED_IDS = {
    "bce", "sigmoid-derivative", "log-identities", "logistic-regression", "logistic-cost",
    "logistic-vector-form", "logistic-mle", "softmax-jacobian", "softmax-cross-entropy",
    "logistic-gradient-one-line", "mse-linear-regression", "tanh-derivative",
    "l2-logistic-regression", "softmax-cross-entropy-weights",
}
# The slips of the seeds named in issue 5 live in these files, as `expect = "refuted"` steps.
FILES_WITH_SEED_SLIPS = {
    "logistic-cost", "logistic-vector-form", "logistic-gradient-one-line", "softmax-jacobian",
}
# a seed's slip names the seed; a slip students make with matrix notation says so (issue 12)
MISTAKE_COMMENT = re.compile(r"\s*# MISTAKE \((seed \d{3}|common slip)")


def _failures(derivation: Derivation) -> list[str]:
    """Every step whose verdict is not acceptable under --strict, one line each (empty when all hold)."""
    # the verdicts are under test here, not the speed (docs/benchmarks.md measures that, with the default
    # 5 s budget): a generous budget keeps a loaded test machine from turning a proof into a timeout
    report = check_all([derivation], CheckOptions(strict=True, timeout=30.0))
    problems: list[str] = []
    for result in report.derivations:
        problems += [problem.one_line() for problem in result.errors]
        for chain in result.chains:
            for result_step in chain.steps:
                if result_step.ok:
                    continue
                step, outcome = result_step.step, result_step.outcome
                where = f"{derivation.file}:{step.tex.loc.line} [{chain.chain.title}] step {step.index}"
                wanted = step.expect or "proved"
                problems.append(f"{where}: {outcome.verdict.value}, wanted {wanted}: {outcome.message}")
    return problems


def _has_refuted_step(derivation: Derivation) -> bool:
    return any(step.expect == "refuted" for chain in derivation.chains for step in chain.steps)


def test_library_has_every_required_derivation() -> None:
    ids = {load(path).id for path in FILES}
    assert not REQUIRED_IDS - ids, f"missing: {sorted(REQUIRED_IDS - ids)}"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_derivation_checks_under_strict(path: Path) -> None:
    assert _failures(load(path)) == []


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_derivation_is_documented(path: Path) -> None:
    derivation = load(path)
    assert derivation.title.strip()
    assert derivation.summary and derivation.summary.strip(), "missing `summary`"
    assert derivation.source and derivation.source.strip(), "missing `source`"
    for chain in derivation.chains:
        assert chain.title.strip()
        for step in chain.steps[1:]:
            assert step.by and step.by.strip(), f"{path.name}:{step.tex.loc.line}: step without `by`"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_documented_mistake_has_a_comment(path: Path) -> None:
    """A chain holding an expected mistake is preceded by a `# MISTAKE (seed NNN …)` comment."""
    derivation = load(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    for chain in derivation.chains:
        if not any(step.expect == "refuted" for step in chain.steps):
            continue
        above: list[str] = []
        for line in reversed(lines[: chain.loc.line - 1]):
            if not line.lstrip().startswith("#"):
                break
            above.append(line)
        assert any(MISTAKE_COMMENT.match(line) for line in above), (
            f"{path.name}:{chain.loc.line}: chain {chain.title!r} has an expected mistake "
            "but no `# MISTAKE (seed NNN …)` comment above it"
        )


def test_the_seed_slips_of_issue_5_are_in_the_gallery() -> None:
    with_slips = {derivation.id for derivation in map(load, FILES) if _has_refuted_step(derivation)}
    missing = FILES_WITH_SEED_SLIPS - with_slips
    assert not missing, f"no documented mistake in {sorted(missing)}"


# Each documented mistake, corrected in place: (file, text as printed in the seed, text corrected).
# With the correction its chain must be proved, so the step is refuted because of the slip and not
# for some other reason (a typo in the encoding, say).
CORRECTED_SLIPS = [
    ("logistic-cost",
     r"'-\frac{1}{m}\sum_{i=1}^{m}y^{(i)}\log(h_\theta(x^{(i)}))+(1-y^{(i)})\log(1-h_\theta(x^{(i)}))'",
     r"'-\frac{1}{m}\sum_{i=1}^{m}[y^{(i)}\log(h_\theta(x^{(i)}))+(1-y^{(i)})\log(1-h_\theta(x^{(i)}))]'"),
    ("logistic-vector-form", r"e^{-\sum_{k=0}^{p} \theta_k}", r"e^{-\theta^T x}"),
    ("logistic-gradient-one-line",
     r"'\frac{\partial}{\partial\theta_{j}}\left(\frac{1}{m}",
     r"'\frac{\partial}{\partial\theta_{j}}\left(-\frac{1}{m}"),
    ("softmax-jacobian",
     r"'\frac{\exp(x_i)}{\sum_{j=1}^{n} \exp(x_j)}'",
     r"'\frac{\exp(z_i)}{\sum_{j=1}^{n} \exp(z_j)}'"),
    ("softmax-cross-entropy-weights",
     r"{ tex = '\frac{\partial Loss}{\partial z_j}'",
     r"{ tex = '\frac{\partial Loss}{\partial z_j} x_i'"),
    ("logistic-mle",
     r"{ tex = '\sum_{i=1}^n y^{(i)} \log h_\theta(x^{(i)}) + (1 - y^{(i)}) \log (1 - h_\theta(x^{(i)}))'",
     r"{ tex = '\sum_{i=1}^n [y^{(i)} \log h_\theta(x^{(i)}) + (1 - y^{(i)}) \log (1 - h_\theta(x^{(i)}))]'"),
    ("logistic-mle",
     r"{ tex = '-\frac{1}{n} \sum_{i=1}^n y^{(i)} \log h_\theta(x^{(i)}) + (1 - y^{(i)}) \log (1 - h_\theta(x^{(i)}))'",
     r"{ tex = '-\frac{1}{n} \sum_{i=1}^n [y^{(i)} \log h_\theta(x^{(i)}) "
     r"+ (1 - y^{(i)}) \log (1 - h_\theta(x^{(i)}))]'"),
    ("logistic-mle", r"{ tex = '-\sum_{i=1}^n \left[y^{(i)}", r"{ tex = '-\frac{1}{n}\sum_{i=1}^n \left[y^{(i)}"),
    # issue 12: shape slips in matrix notation
    ("linear-layer", r"{ tex = 'x (z - t)^T'", r"{ tex = '(z - t) x^T'"),
    ("linear-layer", r"{ tex = 'W (z - t)'", r"{ tex = 'W^T (z - t)'"),
    ("linear-layer",
     r"{ tex = '\frac{\partial L}{\partial z}\frac{\partial z}{\partial x}'",
     r"{ tex = '\frac{\partial z}{\partial x}\frac{\partial L}{\partial z}'"),
    ("softmax-matrix-form", r"'\operatorname{diag}(a) - a^T a'", r"'\operatorname{diag}(a) - a a^T'"),
    ("softmax-matrix-form", r"'\operatorname{diag}(a) - a \odot a'", r"'\operatorname{diag}(a) - a a^T'"),
    ("softmax-matrix-form",
     r"{ tex = '\frac{\partial L}{\partial a}\frac{\partial a}{\partial z}'",
     r"{ tex = '\frac{\partial a}{\partial z}\frac{\partial L}{\partial a}'"),
    ("logistic-matrix-form",
     r"{ tex = '\frac{1}{m}X(\sigma(X\theta) - y)'", r"{ tex = '\frac{1}{m}X^T(\sigma(X\theta) - y)'"),
    ("logistic-matrix-form",
     r"{ tex = '\frac{1}{m}(\sigma(X\theta) - y)^T X'", r"{ tex = '\frac{1}{m}X^T(\sigma(X\theta) - y)'"),
    ("logistic-matrix-form",
     r"{ tex = '\frac{1}{m}X^T \odot (\sigma(X\theta) - y)'", r"{ tex = '\frac{1}{m}X^T(\sigma(X\theta) - y)'"),
    ("logistic-matrix-form",
     r"{ tex = '\frac{1}{m}X^T(h_\theta(X^T) - y)'", r"{ tex = '\frac{1}{m}X^T(h_\theta(X) - y)'"),
    ("logistic-matrix-form",
     r"{ tex = '\frac{1}{m}X^T(\hat{y} - y^T)'", r"{ tex = '\frac{1}{m}X^T(\hat{y} - y)'"),
    ("logistic-matrix-form",
     r"{ tex = '\frac{\partial L}{\partial \hat{y}}\frac{\partial \hat{y}}{\partial \theta}'",
     r"{ tex = '\frac{\partial \hat{y}}{\partial \theta}\frac{\partial L}{\partial \hat{y}}'"),
    ("logistic-vector-form-matrices",
     r"{ tex = '-\left[(1-y^T) \log e^{-x\theta} - \log (1+e^{-x\theta}) \right]'",
     r"{ tex = '-\left[(1-y^T) \log e^{-x\theta} - \mathbf{1}^T\log (1+e^{-x\theta}) \right]'"),
    ("logistic-vector-form-matrices",
     r"{ tex = '(1-y^T)x- \frac{e^{-\theta^T }}{1+e^{-x\theta} }x'",
     r"{ tex = '(1-y^T)x- \left(\frac{e^{-x\theta}}{1+e^{-x\theta} }\right)^T x'"),
    ("logistic-vector-form-matrices",
     r"{ tex = '(\frac{1}{1+e^{-x\theta} } - y^T)x'", r"{ tex = '(\frac{1}{1+e^{-x\theta} } - y)^T x'"),
    ("logistic-vector-form-matrices",
     r"""{ tex = '(h_\theta(x) - y)^T x', by = "as printed""",
     r"""{ tex = '\sum_{i=1}^{m}(\sigma(\theta^T x^{(i)}) - y^{(i)}) x^{(i)}_j', by = "as printed"""),
    ("least-squares",
     r"{ tex = '\frac{1}{m}X(X\theta - y) + \lambda\theta'", r"{ tex = '\frac{1}{m}X^T(X\theta - y) + \lambda\theta'"),
    ("least-squares",
     r"{ tex = '\frac{1}{2m}X^T X\theta - \frac{1}{m}X^T y'", r"{ tex = '\frac{1}{m}X^T X\theta - \frac{1}{m}X^T y'"),
    ("two-layer-backprop",
     r"{ tex = 'W^{(2)} \delta^{(2)} \odot", r"{ tex = '(W^{(2)})^T \delta^{(2)} \odot"),
    ("two-layer-backprop",
     r"{ tex = '((W^{(2)})^T \odot \delta^{(2)}) \odot", r"{ tex = '((W^{(2)})^T \delta^{(2)}) \odot"),
    ("two-layer-backprop", r"{ tex = 'a^{(1)} (\delta^{(2)})^T'", r"{ tex = '\delta^{(2)} (a^{(1)})^T'"),
    ("least-squares", r"{ tex = '\frac{1}{m}X X^T + \lambda I'", r"{ tex = '\frac{1}{m}X^T X + \lambda I'"),
    # issue 12: slips inside a step of the right shape (a square W²), named by the repair search
    ("backprop-square-layers",
     r"{ tex = 'W^{(2)} \delta^{(2)} \odot", r"{ tex = '(W^{(2)})^T \delta^{(2)} \odot"),
    ("backprop-square-layers",
     r"\odot (W^{(2)})^T', by", r"(W^{(2)})^T', by"),
    ("backprop-square-layers",
     r"{ tex = 'W^{(2)} - \eta a^{(1)} (\delta^{(2)})^T'", r"{ tex = 'W^{(2)} - \eta \delta^{(2)} (a^{(1)})^T'"),
    ("backprop-square-layers",
     r"\odot W^{(2)}', by", r"(W^{(2)})^T', by"),
    ("quadratic-form-2x2",
     r"{ tex = '\frac{1}{2}\begin{bmatrix} 2 & 1 \\ 1 & 3 \end{bmatrix} w'",
     r"{ tex = '\begin{bmatrix} 2 & 1 \\ 1 & 3 \end{bmatrix} w'"),
    ("quadratic-form-2x2",
     r"{ tex = '\begin{bmatrix} 2 w_1 + w_2 & w_1 + 3 w_2 \end{bmatrix}'",
     r"{ tex = '\begin{bmatrix} 2 w_1 + w_2 \\ w_1 + 3 w_2 \end{bmatrix}'"),
    ("quadratic-form-2x2",
     r"{ tex = '\begin{bmatrix} 2 w_1 + w_2 \\ w_1 + 2 w_2 \end{bmatrix}'",
     r"{ tex = '\begin{bmatrix} 2 w_1 + w_2 \\ w_1 + 3 w_2 \end{bmatrix}'"),
]


@pytest.mark.parametrize(("stem", "printed", "corrected"), CORRECTED_SLIPS)
def test_a_documented_mistake_is_proved_once_corrected(stem: str, printed: str, corrected: str) -> None:
    path = LIBRARY / f"{stem}.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(printed) == 1, f"{path.name}: the printed form is not found exactly once"
    line = text[: text.index(printed)].count("\n") + 1
    derivation = loads(text.replace(printed, corrected), str(path), default_id=stem)
    # the verdicts are under test here, not the speed (docs/benchmarks.md measures that, with the default
    # 5 s budget): a generous budget keeps a loaded test machine from turning a proof into a timeout
    report = check_all([derivation], CheckOptions(strict=True, timeout=30.0))
    chains = [c for c in report.derivations[0].chains if any(s.step.tex.loc.line == line for s in c.steps)]
    assert len(chains) == 1
    verdicts = [s.outcome.verdict for s in chains[0].steps[1:]]
    assert verdicts == [Verdict.PROVED] * len(verdicts), f"{path.name}:{line}: {verdicts}"


def test_every_documented_mistake_has_a_correction_above() -> None:
    refuted = sum(
        step.expect == "refuted" for d in map(load, FILES) for chain in d.chains for step in chain.steps
    )
    assert refuted == len(CORRECTED_SLIPS), "add the corrected form of each new mistake to CORRECTED_SLIPS"
