"""Counterexamples over the library's mistakes gallery: concrete names in the author's spelling, in every
format, satisfying the chain's assumptions; pretty forms without internal names."""

from __future__ import annotations

import io
import re

import pytest
import sympy

from verifier import loader, model
from verifier.check import CheckOptions, check_all
from verifier.latex import compile_notation, read_expr, read_relation
from verifier.library import Target, builtins, load_target
from verifier.report import ReportOptions, get

GALLERY = sorted(
    ident for ident, entry in builtins().items() if 'expect = "refuted"' in entry.path.read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def report() -> model.Report:
    derivations = [d for ident in GALLERY for d in load_target(Target(builtins()[ident].path, ident))]
    # a generous budget: the refutations come in milliseconds, but a loaded CI machine must not turn them into timeouts
    return check_all(derivations, CheckOptions(cache=False, jobs=2, timeout=30.0))


def _refuted(report: model.Report) -> list[tuple[model.DerivationResult, model.ChainResult, model.StepResult]]:
    return [
        (d, c, s)
        for d in report.derivations
        for c in d.chains
        for s in c.steps
        if s.outcome.verdict is model.Verdict.REFUTED and s.outcome.counterexample
    ]


def test_every_refuted_step_shows_a_counterexample_or_its_shapes(report: model.Report) -> None:
    assert len(GALLERY) >= 4
    refuted = [
        s for d in report.derivations for c in d.chains for s in c.steps if s.outcome.verdict is model.Verdict.REFUTED
    ]
    assert len(refuted) >= len(GALLERY)
    for s in refuted:
        # a shape fault (contract §5.1) is refuted by its shapes alone, with no counterexample
        assert s.outcome.counterexample or s.outcome.method == "shapes", (s.step.tex.text, s.outcome)
    assert len(_refuted(report)) >= len(GALLERY) // 2


def _entry_indices(outcome: model.Outcome) -> set[str]:
    """The names a matrix step's refutation gives its entry: `r` and `c` in "(at entry (r, c) of …)"."""
    m = re.search(r"at entry \(([^,()]+), ([^()]+)\)", outcome.message or "")
    return {m.group(1).strip(), m.group(2).strip()} if m else set()


def _value(text: str) -> sympy.Expr:
    return sympy.Rational(text) if re.fullmatch(r"-?\d+(\.\d+)?(/\d+)?", text) else sympy.Float(text)


def test_names_are_concrete_author_spellings_that_satisfy_the_assumptions(report: model.Report) -> None:
    for d, c, s in _refuted(report):
        assert d.derivation is not None
        notation = compile_notation(d.derivation)
        values: dict[sympy.Basic, sympy.Expr] = {}
        ce = s.outcome.counterexample or {}
        entry = _entry_indices(s.outcome)
        for name, value in ce.items():
            if name in entry:
                assert re.fullmatch(r"\d+", value), (d.id, name, ce)  # the entry where the steps differ
                continue
            if "(" in name and ")" in name and "=" not in name and name.endswith(")") and "\\" not in name[:1]:
                continue  # a concrete body given to an opaque function, `f(t)`
            atom = read_expr(model.Tex(name, s.step.tex.loc), notation)  # the author's spelling reads back
            assert isinstance(atom, sympy.Symbol | sympy.Indexed), (d.id, name)
            if isinstance(atom, sympy.Indexed):
                # a concrete element: x^{(3)}_2, never x^{(i)}_j beside i = 3
                assert all(i.is_Integer for i in atom.indices), (d.id, name, ce)
            values[atom] = _value(value)
        # the point satisfies the chain's own assumptions
        for tex in c.chain.assume:
            rel = read_relation(tex, notation)
            if rel.free_symbols - set(values) or any(
                el not in values for el in rel.atoms(sympy.Indexed) if el.xreplace(values) == el
            ):
                continue
            holds = rel.xreplace(values)
            if isinstance(holds, sympy.Equality | sympy.Unequality):
                lhs, rhs = (sympy.N(x, 30) for x in holds.args)
                diff = abs(lhs - rhs)
                ok = diff < 1e-9 if isinstance(holds, sympy.Equality) else diff > 1e-9
                assert ok, (d.id, tex.text, ce)
            else:
                assert bool(holds), (d.id, tex.text, ce)


def test_sizes_and_indices_come_first(report: model.Report) -> None:
    for d, _c, s in _refuted(report):
        assert d.derivation is not None
        notation = compile_notation(d.derivation)
        names = list(s.outcome.counterexample or {})
        integer = [n for n in names if n in notation.symbols and notation.symbols[n].is_integer]
        assert names[: len(integer)] == integer, (d.id, names)


def _render(fmt: str, report: model.Report) -> str:
    buf = io.StringIO()
    get(fmt).write(report, buf, ReportOptions(width=200, color=False))
    return buf.getvalue()


# How internal names used to leak: `y__T`, `x_j__(i)`, Dummies, σ′ as `\frac{d}{d d}`, `x[i, j]`.
INTERNAL = re.compile(r"[A-Za-z0-9]__[A-Za-z(]|Dummy|\\frac\{d\}\{d d\}|\[i, |IndexedBase|Subs\(")


@pytest.mark.parametrize("fmt", ["text", "markdown", "latex", "html", "json", "junit", "github"])
def test_every_format_shows_the_concrete_names(report: model.Report, fmt: str) -> None:
    out = _render(fmt, report)
    assert not INTERNAL.search(out), INTERNAL.search(out)
    shown = " ".join(re.findall(r"(?i)counterexample:?(.*)", out))
    if fmt == "json":
        shown = " ".join(" ".join(s.outcome.counterexample or {}) for _d, _c, s in _refuted(report))
        assert all(name in out for name in shown.split())
    # a concrete element of x^{(i)}_j (the shrunk sizes decide which): x^{(1)}_0, never x^{(i)}_j
    if fmt == "html":  # as MathML: <msubsup><mi>x</mi><mn>0</mn>…<mn>1</mn>…
        shown = out
        assert re.search(r"<msubsup><mi>x</mi><mn>\d+</mn>", out)
    if fmt in ("markdown", "latex", "json"):
        assert re.search(r"x\^\{\(\d+\)\}_\d", shown), shown[:300]
        assert "x^{(i)}_j" not in shown and "y^{(i)}" not in shown
    if fmt in ("text", "junit"):  # GitHub annotates failing steps only; these mistakes are expected
        assert re.search("x⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾[₀₁₂₃₄₅₆₇₈₉]+ = ", out)
        assert "x⁽ⁱ⁾ⱼ" not in shown and "y⁽ⁱ⁾" not in shown


def test_higher_derivatives_print_with_primes() -> None:
    from verifier import display

    d = load_target(Target(builtins()["sigmoid-second-derivative"].path, "s"))[0]
    notation = compile_notation(d)
    e = read_expr(model.Tex(r"\sigma''(z)", d.chains[0].loc), notation)
    assert display.latex(e, notation) == r"\sigma''\left(z\right)"
    assert display.pretty(e, notation) == "σ′′(z)"


def test_pretty_forms_and_explanations_use_the_authors_names() -> None:
    d = loader.load(builtins()["softmax-cross-entropy-weights"].path)
    out = check_all([d], CheckOptions(cache=False, explain=True, jobs=1))
    text = "\n".join(line for c in out.derivations[0].chains for s in c.steps for line in s.outcome.explain)
    assert not INTERNAL.search(text), INTERNAL.search(text)
    # a bound index never prints like a free one: the sum over i inside ∂Loss/∂w_{ij} is over i′
    assert "i'" in text
    pretty = [s.outcome.pretty for c in out.derivations[0].chains for s in c.steps if s.outcome.pretty]
    assert pretty and not any(INTERNAL.search(p) for p in pretty)
