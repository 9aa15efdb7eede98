"""check_all: read every derivation first (so unreadable input is reported before any work), then
decide every step pair in the worker pool, serving unchanged pairs from the cache."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.check.budget import GRACE, WorkerPool, outcome_of, shared_pool
from verifier.check.cache import Cache, disabled_by_env, step_key
from verifier.check.decide import explain_expr
from verifier.check.work import decide_step
from verifier.errors import InputError
from verifier.model import (
    ChainResult,
    Derivation,
    DerivationResult,
    Outcome,
    Problem,
    Report,
    StepResult,
    Verdict,
    step_ok,
)


@dataclass(frozen=True)
class CheckOptions:
    """How to check: per-step budget, strictness, explanations, caching and parallelism."""

    timeout: float = 5.0
    strict: bool = False
    explain: bool = False
    cache: bool = True
    jobs: int | None = None
    cache_dir: Path | None = None


def read_problems(
    d: Derivation, explain: bool = False
) -> tuple[list[Problem], dict[tuple[int, int], tuple[str, ...]]]:
    """Compile the notation and read every step and assumption; every problem found, not just the first.

    Also returns explain lines for each chain's first step (it is `given`, so no worker sees it).
    """
    from verifier.latex import compile_notation, read_expr, read_relation

    try:
        notation = compile_notation(d)
    except InputError as exc:
        return [exc.problem], {}
    except Exception as exc:  # a reader bug must still give a one-line message, not a traceback
        return [Problem(f"internal error while reading the declarations: {type(exc).__name__}: {exc}", d.file)], {}
    problems: list[Problem] = []
    given: dict[tuple[int, int], tuple[str, ...]] = {}
    for ci, chain in enumerate(d.chains):
        for tex in chain.assume:
            try:
                read_relation(tex, notation)
            except InputError as exc:
                problems.append(exc.problem)
            except Exception as exc:
                message = f"internal error while reading this assumption: {type(exc).__name__}: {exc}"
                problems.append(Problem(message, tex.loc.file, tex.loc.line, tex.loc.column))
        for step in chain.steps:
            try:
                e = read_expr(step.tex, notation)
            except InputError as exc:
                problems.append(exc.problem)
                continue
            except Exception as exc:
                loc = step.tex.loc
                message = f"internal error while reading this step: {type(exc).__name__}: {exc}"
                problems.append(Problem(message, loc.file, loc.line, loc.column))
                continue
            if explain and step is chain.steps[0]:
                given[(ci, 0)] = tuple(explain_expr("as read", e, notation))
    return problems, given


def check_all(
    derivations: Sequence[Derivation],
    options: CheckOptions,
    progress: Callable[[int, int], None] | None = None,
    pool: WorkerPool | None = None,
) -> Report:
    """Check every step of every derivation; the pool defaults to the process-wide warm pool."""
    cache = Cache(options.cache_dir) if options.cache and not disabled_by_env() else None
    errors: dict[int, list[Problem]] = {}
    givens: dict[int, dict[tuple[int, int], tuple[str, ...]]] = {}
    outcomes: dict[tuple[int, int, int], Outcome] = {}
    keys: dict[tuple[int, int, int], str] = {}
    pending: list[tuple[int, int, int]] = []
    for di, d in enumerate(derivations):
        pairs = [(ci, si) for ci, chain in enumerate(d.chains) for si in range(1, len(chain.steps))]
        cached: dict[tuple[int, int, int], Outcome] = {}
        if cache is not None:
            for ci, si in pairs:
                chain = d.chains[ci]
                key = step_key(
                    d, chain, chain.steps[si - 1].tex.text, chain.steps[si].tex.text,
                    options.timeout, options.strict, options.explain,
                )
                keys[(di, ci, si)] = key
                hit = cache.get(key)
                if hit is not None:
                    cached[(di, ci, si)] = hit
        # Every pair cached means every step text, assumption and declaration was read before by
        # this same code (its fingerprint is in the key): reading again can be skipped. A chain of
        # one step is in no key, so its file is always read.
        every_step_keyed = bool(pairs) and all(len(c.steps) >= 2 for c in d.chains)
        if len(cached) == len(pairs) and every_step_keyed and not options.explain:
            givens[di] = {}
            outcomes.update(cached)
            continue
        problems, given = read_problems(d, options.explain)
        givens[di] = given
        if problems:
            errors[di] = problems
            continue
        outcomes.update(cached)
        pending += [(di, ci, si) for ci, si in pairs if (di, ci, si) not in cached]
    total = len(outcomes) + len(pending)
    done = len(outcomes)
    if progress is not None and total:
        progress(done, total)
    if pending:
        workers = pool if pool is not None else shared_pool(options.jobs)
        budget = options.timeout if options.timeout and options.timeout > 0 else None  # 0: no limit
        hard = budget + GRACE if budget is not None else None
        futures: dict[Future[Any], tuple[int, int, int]] = {}
        for where in pending:
            di, ci, si = where
            fut = workers.submit(decide_step, hard, derivations[di], ci, si, budget, options.explain)
            futures[fut] = where
        for fut in as_completed(futures):
            where = futures[fut]
            outcome = outcome_of(fut, budget, workers.memory_mb)
            outcomes[where] = outcome
            if cache is not None:
                cache.put(keys[where], outcome)
            done += 1
            if progress is not None:
                progress(done, total)

    results = []
    for di, d in enumerate(derivations):
        if di in errors:
            results.append(DerivationResult(d.id, d.file, d.title, errors=tuple(errors[di]), derivation=d))
            continue
        chains = []
        for ci, chain in enumerate(d.chains):
            steps = []
            for si, step in enumerate(chain.steps):
                if si == 0:
                    outcome = Outcome(Verdict.GIVEN, explain=givens[di].get((ci, 0), ()))
                else:
                    outcome = outcomes[(di, ci, si)]
                steps.append(StepResult(step, outcome, step_ok(outcome.verdict, step.expect, options.strict)))
            chains.append(ChainResult(chain, tuple(steps)))
        results.append(DerivationResult(d.id, d.file, d.title, chains=tuple(chains), derivation=d))
    stats: dict[str, object] = {
        "timeout": options.timeout,
        "strict": options.strict,
        "explain": options.explain,
        "cache": cache is not None,
        "cache_hits": len(outcomes) - len(pending),
        "cache_misses": len(pending),
    }
    return Report(tuple(results), strict=options.strict, options=stats)
