"""Runs every case through the ground truth, the engine and the baselines, each method in a pebble
pool of its own (`phases` gives the order).

Every method gets the same hard per-pair limit, enforced the same way: the task runs in a worker
process that the parent stops when the limit passes. The cases are a module global set before the
pool forks, so workers inherit the SymPy objects (Dummies and undefined functions do not pickle
faithfully) and only an index crosses the process boundary.
"""

from __future__ import annotations

import importlib.util
import itertools
import multiprocessing
import resource
import time
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import sympy
from pebble import ProcessExpired, ProcessPool

from benchmarks.cases import Case, baseline_substitution, seed_text
from benchmarks.truth import Judge, Truth
from verifier.check.decide import decide
from verifier.check.probe import seed_of
from verifier.check.sympy_speed import plain_sympy

CASES: list[Case] = []
CORE = ("truth", "engine")  # run on every case (the baselines skip the library's own steps)
SLICES = 8  # the timed methods take turns over this many slices of the cases (`phases`)
NOT_RUN = "not run"  # a baseline's answer on a case the deadline left it no time for
GRACE = 0.75  # past the per-pair limit before the worker is stopped (the engine's own grace)
MEMORY_MB = 2048


@dataclass(frozen=True)
class Result:
    """What one method said about one case, and how long it took (the limit, when it was stopped)."""

    answer: str  # engine: a verdict; baselines: "equal" / "not equal" / "unparsed"; "timeout" / "error" for all
    seconds: float
    method: str | None = None


def math_verify_available() -> bool:
    return importlib.util.find_spec("math_verify") is not None


def _init(memory_mb: int) -> None:
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024, hard))
    except (ValueError, OSError):
        pass


# ---- tasks (run in the workers) ---------------------------------------------------------------
def task_truth(i: int) -> Truth:
    c = CASES[i]
    seed = seed_of("truth", c.pair.name, c.mutant.kind, c.mutant.note)
    return Judge(c.pair.notation, c.relations, seed).judge(c.a, c.b)


def task_engine(i: int, timeout: float) -> Result:
    c = CASES[i]
    start = time.perf_counter()
    out = decide(
        c.pair.prev, c.mutant.expr, c.pair.notation, c.pair.relations, timeout=timeout, seed_text=seed_text(c)
    )
    return Result(out.verdict.value, time.perf_counter() - start, out.method)


def _baseline_forms(c: Case) -> tuple[sympy.Expr, sympy.Expr]:
    subs = baseline_substitution(c.relations)
    return (c.a.subs(subs), c.b.subs(subs)) if subs else (c.a, c.b)


def task_sympy(i: int) -> Result:
    """The plain SymPy baseline: simplify((a − b).doit()) == 0 on the unfolded expressions, with SymPy
    as installed (the checker's fixes to SymPy's hot spots, sympy_speed.py, are the engine's)."""
    a, b = _baseline_forms(CASES[i])
    with plain_sympy():
        start = time.perf_counter()
        equal = sympy.simplify((a - b).doit()) == 0
        return Result("equal" if equal else "not equal", time.perf_counter() - start)


def _plain_names(e: sympy.Expr) -> sympy.Expr:
    """Bound variables (Dummies, printed `_k`) renamed to plain unused letters, so LaTeX reads back."""
    dummies = sorted(e.atoms(sympy.Dummy), key=str)
    taken = {str(s) for s in e.free_symbols}
    names = (n for n in "klmpqrstuvabcdfgh" if n not in taken)
    return e.xreplace({d: sympy.Symbol(next(names, f"k{n}"), integer=True) for n, d in enumerate(dummies)})


def _as_written(e: sympy.Expr) -> sympy.Expr:
    """Family elements printed `x_{i}` as a user writes them (SymPy prints `{x}_{i}`, which Math-Verify
    does not read back)."""
    elements = {
        x: sympy.Symbol(f"{x.base.label}_{{{','.join(sympy.latex(k) for k in x.indices)}}}", real=True)
        for x in e.atoms(sympy.Indexed)
    }
    return e.xreplace(elements)


def latex_pair(i: int) -> tuple[str, str]:
    a, b = _baseline_forms(CASES[i])
    return sympy.latex(_as_written(_plain_names(a))), sympy.latex(_as_written(_plain_names(b)))


def task_math_verify(i: int, timeout: float) -> Result:
    """The Math-Verify baseline: verify(parse(a), parse(b)) on LaTeX of the unfolded expressions."""
    import math_verify

    la, lb = latex_pair(i)
    with plain_sympy():  # Math-Verify on SymPy as installed, as plain simplify
        start = time.perf_counter()
        secs = max(1, int(timeout))
        # LaTeX extraction only: the default fallback would pick a stray number out of a failed parse
        config = [math_verify.LatexExtractionConfig(try_extract_without_anchor=True)]
        gold = math_verify.parse(f"${la}$", extraction_config=config, parsing_timeout=secs)
        target = math_verify.parse(f"${lb}$", extraction_config=config, parsing_timeout=secs)
        if not any(isinstance(x, sympy.Basic) for x in gold) or not any(isinstance(x, sympy.Basic) for x in target):
            # nothing read as mathematics (only the raw string came back): no answer, not a "not equal"
            return Result("unparsed", time.perf_counter() - start)
        equal = math_verify.verify(gold, target, timeout_seconds=secs)
        return Result("equal" if equal else "not equal", time.perf_counter() - start)


# ---- the parent ---------------------------------------------------------------------------
METHODS: dict[str, Callable[..., Any]] = {
    "truth": task_truth,
    "engine": task_engine,
    "sympy": task_sympy,
    "math-verify": task_math_verify,
}


def phases(
    n: int, methods: list[str], core_only: frozenset[int] = frozenset(), slices: int = SLICES
) -> list[list[tuple[int, str]]]:
    """The order of work: (case, method) lists, each run to its end before the next begins.

    The ground truth first, on every case. Then the cases in `slices` slices: on each, the engine, then
    each baseline (on the cases not in `core_only`). The timed methods take turns through the run, so
    a change in the host's speed over it (a full run takes most of an hour) lands on each of them
    alike, instead of on whichever had that part of the run to itself.

    Each method has a worker pool of its own, kept from slice to slice (`run`): no method is timed in
    a worker holding what another method's work left there (SymPy's caches filled with its
    expressions, a larger heap), nor beside another method's work on the other core, and none starts
    each slice cold (a fresh pool per slice made the engine's median 40 % slower, as its workers lost
    what SymPy cached for the pairs' shared steps; the baselines' pools are kept alike)."""
    order: list[list[tuple[int, str]]] = []  # never an empty phase
    if "truth" in methods and n:
        order.append([(i, "truth") for i in range(n)])
    timed = sorted((m for m in methods if m != "truth"), key=lambda m: m != "engine")
    cuts = sorted({k * n // slices for k in range(slices + 1)})  # min(n, slices) slices, sizes within 1
    for lo, hi in itertools.pairwise(cuts):
        for m in timed:
            phase = [(i, m) for i in range(lo, hi) if m in CORE or i not in core_only]
            if phase:
                order.append(phase)
    return order


def run(
    cases: list[Case],
    methods: list[str],
    timeout: float,
    jobs: int = 2,
    truth_timeout: float = 60.0,
    progress: Callable[[int, int], None] | None = None,
    core_only: frozenset[int] = frozenset(),
    deadline: float | None = None,
) -> dict[str, list[Any]]:
    """Every method on every case (only truth and engine on `core_only` cases), in the order `phases`
    gives; results in case order.

    With a `deadline` (a time.time() value) the ground truth and the baselines stop collecting there:
    their tasks not collected are cancelled and their results stay None. The engine's phases still
    run (the engine is quick; past the deadline, on the cases the truth reached), so the caller scores
    every case whose truth finished, and each baseline on the cases it reached."""
    CASES[:] = cases
    out: dict[str, list[Any]] = {m: [None] * len(cases) for m in methods}
    ctx = multiprocessing.get_context("fork")
    ordered = phases(len(cases), methods, core_only)
    total, done = sum(map(len, ordered)), 0
    last = {phase[0][1]: n for n, phase in enumerate(ordered)}
    pools: dict[str, ProcessPool] = {}  # each method keeps its workers from slice to slice (`phases`)

    def end(method: str, stop: bool) -> None:
        """The method's workers go: after its last phase (close), or at once when the deadline cuts or
        skips its work (stop: its cancelled tasks would otherwise keep the cores busy beside the
        engine's next slices)."""
        if method in pools:
            if stop:
                pools[method].stop()
            else:
                pools[method].close()
            pools[method].join()
            del pools[method]

    try:
        for n, phase in enumerate(ordered):
            method = phase[0][1]
            late = deadline is not None and time.time() > deadline
            if late and method != "engine":
                end(method, stop=True)  # past the deadline only the engine goes on (it is quick)
                continue
            if late and "truth" in out:  # ... on the cases that will be scored: those the truth reached
                phase = [(i, m) for i, m in phase if out["truth"][i] is not None]
            if method not in pools:
                pools[method] = ProcessPool(max_workers=jobs, initializer=_init, initargs=(MEMORY_MB,), context=ctx)
            done, cut = _phase(pools[method], phase, out, timeout, truth_timeout, deadline, done, total, progress)
            if cut or last[method] == n:
                end(method, stop=cut)
    finally:
        for method in list(pools):
            end(method, stop=True)
        CASES.clear()
    return out


def _phase(
    pool: ProcessPool, phase: list[tuple[int, str]], out: dict[str, list[Any]], timeout: float,
    truth_timeout: float, deadline: float | None, done: int, total: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[int, bool]:
    """Run one phase to its end in `pool` (the ground truth and the baselines stop collecting at the
    deadline); its results land in `out`. Returns the count of tasks done so far in the run, and
    whether the deadline cut the phase."""
    futures = []
    for i, m in phase:
        args: tuple[Any, ...] = (i,)
        if m in ("engine", "math-verify"):
            args = (i, timeout)
        limit = truth_timeout if m == "truth" else timeout + GRACE
        futures.append((m, i, limit, pool.schedule(METHODS[m], args=args, timeout=limit)))
    for n, (m, i, limit, fut) in enumerate(futures):
        if m != "engine" and deadline is not None and time.time() > deadline:
            for *_rest, cancelled in futures[n:]:
                cancelled.cancel()
            return done, True
        out[m][i] = _collect(m, fut, limit)
        done += 1
        if progress is not None:
            progress(done, total)
    return done, False


def _collect(method: str, fut: Any, limit: float) -> Any:
    try:
        return fut.result()
    except FutureTimeout:
        if method == "truth":
            return Truth("unknown", 0, 0, 0, "ground truth timed out")
        return Result("timeout", limit)
    except (ProcessExpired, MemoryError, RecursionError) as exc:
        if method == "truth":
            return Truth("unknown", 0, 0, 0, f"ground truth failed: {type(exc).__name__}")
        return Result("error", 0.0, f"{type(exc).__name__}")
    except Exception as exc:  # a baseline that raises has simply not answered
        if method == "truth":
            return Truth("unknown", 0, 0, 0, f"ground truth failed: {type(exc).__name__}: {exc}"[:200])
        return Result("error", 0.0, f"{type(exc).__name__}: {exc}"[:200])
