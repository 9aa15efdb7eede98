"""A fabricated report on seed 000 (and friends) for the format tests and for previewing the output."""

from __future__ import annotations

from verifier import model
from verifier.model import Verdict

FILE = "derivations/bce.toml"

_W = [
    r"\frac{\partial L_i}{\partial w}",
    r"\frac{\partial L_i}{\partial \hat{y}_i} \frac{\partial \hat{y}_i}{\partial z_i} "
    r"\frac{\partial z_i}{\partial w}",
    r"-(\frac{y_i}{\hat{y}_i} - \frac{1-y_i}{1-\hat{y}_i}) \sigma^{\prime}(z_i) x_i",
    r"-(\frac{y_i}{\hat{y}_i} - \frac{1-y_i}{1-\hat{y}_i}) \sigma(z_i)(1-\sigma(z_i)) x_i",
    r"-(\frac{y_i}{\hat{y}_i} - \frac{1-y_i}{1-\hat{y}_i}) \hat{y}_i(1-\hat{y}_i) x_i",
    r"-[y_i(1-\hat{y}_i) - \hat{y}_i(1-y_i)]x_i",
    r"- (y_i - y_i \hat{y}_i - \hat{y}_i + y_i \hat{y}_i) x_i",
    r"(\hat{y}_i - y_i) x_i",
]
_W_BY = [
    None,
    "chain rule",
    "derivative of the logarithm",
    "sigmoid derivative",
    r"$\hat{y}_i = \sigma(z_i)$",
    "algebra",
    "expand",
    "collect terms",
]
_B = [
    r"\frac{\partial L_i}{\partial b}",
    r"\frac{\partial L_i}{\partial \hat{y}_i} \frac{\partial \hat{y}_i}{\partial z_i} "
    r"\frac{\partial z_i}{\partial b}",
    r"-(\frac{y_i}{\hat{y}_i} - \frac{1-y_i}{1-\hat{y}_i}) \sigma^{\prime}(z_i)",
    r"(y_i - \hat{y}_i)",
]
_UPDATE = [
    r"w - \eta \frac{\partial L}{\partial w}",
    r"w - \eta (\frac{1}{N} \sum_{i=1}^N \frac{\partial L_i}{\partial w})",
]


def _chain(
    title: str,
    line: int,
    texs: list[str],
    bys: list[str | None],
    expect: dict[int, str] | None = None,
    assume: tuple[str, ...] = (),
) -> model.Chain:
    expect = expect or {}
    steps = tuple(
        model.Step(
            k, model.Tex(t, model.Loc(FILE, line + 1 + k, 3)), bys[k] if k < len(bys) else None, expect.get(k)
        )
        for k, t in enumerate(texs)
    )
    return model.Chain(
        title,
        model.Loc(FILE, line),
        steps,
        tuple(model.Tex(a, model.Loc(FILE, line - 1, 10)) for a in assume),
    )


def _sym(
    key: str, line: int, assume: str = "", define: str | None = None, range_: tuple[str, str] | None = None
) -> model.SymbolDecl:
    loc = model.Loc(FILE, line)
    return model.SymbolDecl(
        key,
        loc,
        tuple(assume.split()),
        (model.Tex(range_[0], loc), model.Tex(range_[1], loc)) if range_ else None,
        model.Tex(define, loc) if define else None,
    )


def derivation(
    title: str = "Binary cross-entropy gradient of one sigmoid neuron",
    chain_title: str = r"\partial L_i / \partial w",
) -> model.Derivation:
    symbols = (
        _sym("w", 6, "real"),
        _sym("b", 7, "real"),
        _sym("N", 8, "positive integer"),
        _sym("i", 9, range_=("1", "N")),
        _sym("x_i", 10, "real"),
        _sym("y_i", 11, "binary"),
        _sym(r"\eta", 12, "positive"),
        _sym("z_i", 13, define="w x_i + b"),
        _sym(r"\hat{y}_i", 14, define=r"\sigma(z_i)"),
        _sym("L_i", 15, define=r"-\Big[ y_i \log \hat{y}_i + (1-y_i)\log (1-\hat{y}_i) \Big]"),
        _sym("L", 16, define=r"\frac{1}{N} \sum_{i=1}^{N} L_i"),
    )
    functions = (
        model.FunctionDecl(
            r"\sigma", model.Loc(FILE, 19), ("t",), model.Tex(r"\frac{1}{1+e^{-t}}", model.Loc(FILE, 19, 30))
        ),
    )
    chains = (
        _chain(chain_title, 21, _W, _W_BY),
        _chain(
            r"\partial L_i / \partial b",
            32,
            _B,
            [None, "chain rule", "derivative of the logarithm", "[sign slip] 100% sure_{not}"],
        ),
        _chain(
            "gradient-descent update, case $i = j$",
            40,
            _UPDATE,
            [None, "mean over the N samples"],
            assume=("i = j",),
        ),
    )
    return model.Derivation(
        "bce",
        FILE,
        title,
        symbols,
        functions,
        chains,
        summary=r"The gradient of the cross-entropy loss $L_i$ with respect to $w$ and $b$.",
        source="seed 000",
    )


def _results(chain: model.Chain, outcomes: list[model.Outcome], strict: bool) -> model.ChainResult:
    steps = tuple(
        model.StepResult(
            s, o, model.step_ok(o.verdict, s.expect, strict), None if o.verdict is Verdict.GIVEN else s.index - 1
        )
        for s, o in zip(chain.steps, outcomes, strict=True)
    )
    return model.ChainResult(chain, steps)


GIVEN = model.Outcome(Verdict.GIVEN)


def proved(method: str = "simplify") -> model.Outcome:
    return model.Outcome(
        Verdict.PROVED,
        method=method,
        seconds=0.012,
        explain=("read: (folded expression)", "decided by " + method),
    )


REFUTED = model.Outcome(
    Verdict.REFUTED,
    method="probe",
    seconds=0.05,
    message="differs from the previous step by a factor of -1",
    counterexample={"w": "0.5", "x_i": "1.25", r"\hat{y}_i": "0.3", "y_i": "1"},
    pretty="yᵢ - ŷᵢ",  # as the checker hands it over: the step as read, in the author's names
)


def report(
    strict: bool = False,
    title: str | None = None,
    chain_title: str | None = None,
    with_error: bool = True,
    with_timeout: bool = True,
) -> model.Report:
    """Seed 000 with a sign slip in the ∂L_i/∂b chain, a numeric update chain, a read error and a timeout."""
    d = derivation(**{k: v for k, v in (("title", title), ("chain_title", chain_title)) if v is not None})
    w, b, u = d.chains
    chains = (
        _results(w, [GIVEN] + [proved() for _ in w.steps[1:]], strict),
        _results(b, [GIVEN, proved("chain rule unfolding"), proved(), REFUTED], strict),
        _results(
            u,
            [
                GIVEN,
                model.Outcome(
                    Verdict.NUMERIC, method="probe", seconds=0.3, message="equal at 40 probe points"
                ),
            ],
            strict,
        ),
    )
    results = [model.DerivationResult(d.id, d.file, d.title, chains, derivation=d)]
    if with_timeout:
        results.append(timeout_derivation(strict))
    if with_error:
        results.append(unreadable())
    return model.Report(tuple(results), strict=strict)


def timeout_derivation(strict: bool = False) -> model.DerivationResult:
    chain = model.Chain(
        "softmax Jacobian, case i = j",
        model.Loc("derivations/softmax.toml", 12),
        (
            model.Step(
                0,
                model.Tex(r"\frac{\partial a_i}{\partial z_j}", model.Loc("derivations/softmax.toml", 13, 5)),
            ),
            model.Step(
                1, model.Tex(r"a_j(1 - a_j)", model.Loc("derivations/softmax.toml", 14, 5)), "quotient rule"
            ),
            model.Step(
                2,
                model.Tex(r"a_i a_j", model.Loc("derivations/softmax.toml", 15, 5)),
                "a documented slip",
                "refuted",
            ),
        ),
    )
    d = model.Derivation("softmax", "derivations/softmax.toml", "Softmax Jacobian", (), (), (chain,))
    outcomes = [
        GIVEN,
        model.Outcome(Verdict.TIMEOUT, seconds=5.0),
        model.Outcome(Verdict.REFUTED, method="probe", message="differs", counterexample={"a_j": "0.25"}),
    ]
    return model.DerivationResult(d.id, d.file, d.title, (_results(chain, outcomes, strict),), derivation=d)


def unreadable() -> model.DerivationResult:
    problem = model.Problem(
        "undeclared name 'q'; did you mean 'w'?", "derivations/broken.toml", 7, 15, "steps = ['w + q x_i']"
    )
    return model.DerivationResult("broken", "derivations/broken.toml", "", errors=(problem,))


_CYCLE = (Verdict.PROVED, Verdict.NUMERIC, Verdict.PROVED, Verdict.REFUTED, Verdict.TIMEOUT, Verdict.ERROR)


def fabricated(d: model.Derivation, strict: bool = False) -> model.DerivationResult:
    """Made-up verdicts cycling through every kind, for the real steps of `d`: a rendering fixture only.

    It lets the renderer tests typeset every built-in derivation with every kind of mark and remark
    without running the checker; it says nothing about whether a step holds.
    """
    names = [s.key for s in d.symbols if s.define is None and s.range is None][:2] or ["t"]
    chains = []
    n = 0
    for c in d.chains:
        outcomes = [GIVEN]
        for _ in c.steps[1:]:
            verdict = _CYCLE[n % len(_CYCLE)]
            n += 1
            ce = (
                {name: str(0.25 * (k + 1)) for k, name in enumerate(names)}
                if verdict is Verdict.REFUTED
                else None
            )
            message = {
                Verdict.REFUTED: "differs from the previous step by a factor of -1",
                Verdict.ERROR: "could not be compared: <division by zero> at x = 0",
            }.get(verdict)
            outcomes.append(
                model.Outcome(verdict, method="fabricated", message=message, counterexample=ce, seconds=0.01)
            )
        chains.append(_results(c, outcomes, strict))
    return model.DerivationResult(d.id, d.file, d.title, tuple(chains), derivation=d)
