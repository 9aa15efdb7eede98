"""check_all: plan (read every derivation; an unreadable one is reported and none of its steps is
decided), dispatch (decide the step pairs in the worker pool, serving unchanged pairs from the cache),
assemble. A one-job run decides each derivation's first comparisons in a forked child as soon as the
derivation is read, while the parent reads the next one.

Contract §5.2, slips inside a chain: every step is compared with the step before it; a step refuted
by that comparison is compared again with the last step that held (verdict given, proved or numeric),
and holds if it equals either. The second comparisons depend on earlier verdicts, so they are decided
in rounds: each round walks every chain as far as its decided comparisons reach and dispatches the
second comparisons it meets there, all chains together.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier import display
from verifier.check import forked
from verifier.check.budget import GRACE, WorkerPool, outcome_of, shared_pool
from verifier.check.cache import Cache, disabled_by_env, step_key
from verifier.check.matrix import shape_lines
from verifier.check.work import decide_ref, decide_step, memo, with_pretty
from verifier.errors import InputError
from verifier.model import (
    HOLDING,
    ChainResult,
    Derivation,
    DerivationResult,
    Outcome,
    Problem,
    Report,
    RunStats,
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
    d: Derivation, explain: bool = False, poll: Callable[[], None] | None = None
) -> tuple[list[Problem], dict[tuple[int, int], tuple[str, ...]]]:
    """Compile the notation and read every step and assumption; every problem found, not just the first.

    Also returns explain lines for each chain's first step (it is `given`, so no worker sees it).
    `poll` is called after each step read (a one-job run starts its next child there, `Dispatcher.poll`).
    """
    from verifier.latex import read_relation, read_step

    try:
        # through the workers' memo: a worker forked after this reading inherits it and reads nothing again
        notation, exprs = memo(d)
    except InputError as exc:
        return [exc.problem], {}
    except Exception as exc:  # a reader bug must still give a one-line message, not a traceback
        return [Problem(f"internal error while reading the declarations: {type(exc).__name__}: {exc}", d.file)], {}
    problems: list[Problem] = []
    given: dict[tuple[int, int], tuple[str, ...]] = {}
    for ci, chain in enumerate(d.chains):
        for n, tex in enumerate(chain.assume):
            try:
                exprs[("assume", ci, n)] = read_relation(tex, notation)
            except InputError as exc:
                problems.append(exc.problem)
            except Exception as exc:
                message = f"internal error while reading this assumption: {type(exc).__name__}: {exc}"
                problems.append(Problem(message, tex.loc.file, tex.loc.line, tex.loc.column))
        for k, step in enumerate(chain.steps):
            try:
                e = exprs[("step", ci, k)] = read_step(step.tex, notation)
            except InputError as exc:
                problems.append(exc.problem)
                continue
            except Exception as exc:
                loc = step.tex.loc
                message = f"internal error while reading this step: {type(exc).__name__}: {exc}"
                problems.append(Problem(message, loc.file, loc.line, loc.column))
                continue
            if explain and step is chain.steps[0]:
                given[(ci, 0)] = tuple(shape_lines("as read", e, notation))
            if poll is not None:
                poll()
    return problems, given


@dataclass(frozen=True, order=True)
class StepRef:
    """One comparison: step `step` of chain `chain` of derivation `derivation` against step `against`
    (positions in the run's list, the derivation's chains and the chain's steps)."""

    derivation: int
    chain: int
    step: int
    against: int

    @property
    def first(self) -> bool:
        """The comparison with the step before (every step has one; a second one only after a slip)."""
        return self.against == self.step - 1


@dataclass
class Plan:
    """What reading found: per derivation, its problems or the explain lines of its given steps."""

    errors: dict[int, list[Problem]] = field(default_factory=dict)
    givens: dict[int, dict[tuple[int, int], tuple[str, ...]]] = field(default_factory=dict)

    def readable(self, derivations: Sequence[Derivation]) -> Iterator[int]:
        return (di for di in range(len(derivations)) if di not in self.errors)


def _first_refs(di: int, d: Derivation) -> list[StepRef]:
    return [StepRef(di, ci, si, si - 1) for ci, chain in enumerate(d.chains) for si in range(1, len(chain.steps))]


class Dispatcher:
    """Decides comparisons: from the cache when it has them, otherwise in the worker pool."""

    def __init__(
        self,
        derivations: Sequence[Derivation],
        options: CheckOptions,
        progress: Callable[[int, int], None] | None,
        pool: WorkerPool | None,
    ) -> None:
        self.derivations = derivations
        self.options = options
        self.progress = progress
        self.pool = pool
        self.cache = Cache(options.cache_dir) if options.cache and not disabled_by_env() else None
        self.outcomes: dict[StepRef, Outcome] = {}
        self.hits = 0
        self.misses = 0
        self.total = 0
        self._started: tuple[list[StepRef], forked.Running] | None = None
        self._queued: list[StepRef] = []  # read, for the next forked child (`start`)

    def key(self, ref: StepRef) -> str:
        d = self.derivations[ref.derivation]
        chain = d.chains[ref.chain]
        o = self.options
        prev, cur = chain.steps[ref.against].tex.text, chain.steps[ref.step].tex.text
        return step_key(d, chain, prev, cur, o.timeout, o.strict, o.explain)

    def _same_text(self, ref: StepRef) -> bool:
        steps = self.derivations[ref.derivation].chains[ref.chain].steps
        return steps[ref.against].tex.text == steps[ref.step].tex.text

    def cached(self, ref: StepRef) -> Outcome | None:
        """The cached outcome of `ref` (remembered for dispatch), or None."""
        if ref in self.outcomes:
            return self.outcomes[ref]
        hit = self.cache.get(self.key(ref)) if self.cache is not None else None
        if hit is not None:
            self.outcomes[ref] = hit
            self.hits += 1
        return hit

    @property
    def forks(self) -> bool:
        """One job and no pool given: comparisons run in a forked child (forked.py: the pool's budgets
        without the pool's costs), which can start while the reading goes on (`start`)."""
        return self.pool is None and self.options.jobs == 1 and forked.available()

    def _pending(self, refs: Sequence[StepRef]) -> list[StepRef]:
        """The refs still to decide: not identical texts, not cached, not decided already."""
        if not self.options.explain:
            for ref in refs:
                if ref not in self.outcomes and self._same_text(ref):
                    # the same text reads as the same expression: no worker needed (explain runs still
                    # go to the worker, which shows how the step was read)
                    self.outcomes[ref] = Outcome(Verdict.PROVED, method="identical")
        return [r for r in refs if self.cached(r) is None]

    def _record(self, ref: StepRef, outcome: Outcome) -> None:
        outcome = with_pretty(self.derivations[ref.derivation], ref.chain, ref.step, outcome)
        self.outcomes[ref] = outcome
        if self.cache is not None:
            self.cache.put(self.key(ref), outcome)

    @property
    def budget(self) -> float | None:
        """The soft budget of one step (None: no limit; a timeout of 0 means none)."""
        return self.options.timeout if self.options.timeout and self.options.timeout > 0 else None

    def _tasks(self, pending: Sequence[StepRef]) -> list[forked.Task]:
        budget, explain, ds = self.budget, self.options.explain, self.derivations
        hard = budget + GRACE if budget is not None else None
        return [
            forked.Task(decide_ref, hard, (ds, r.derivation, r.chain, r.step, budget, explain, r.against))
            for r in pending
        ]

    def start(self, refs: Sequence[StepRef]) -> None:
        """Forked runs: have `refs` decided in a child while the caller reads on (the child, forked after
        the reading, reads nothing again). One child at a time, as one job asks. A child still at work
        on a task within its budget keeps going: `refs` wait with those read after them, and the next
        child takes them all. So the reading gets ahead during a long derivation, and a short one
        never leaves the child waiting for the reading of the next (on the yardstick, a sixth of the
        run was spent so)."""
        self._queued += refs
        self.poll()

    def poll(self) -> None:
        """Start the next child on what is waiting, unless the child at work is busy (`start`). Asking
        reads the answers written so far, so a child never waits on a full pipe while the parent reads."""
        busy = self._started is not None and self._started[1].busy()
        if busy or not self._queued:
            return
        self._collect()
        self._launch()

    def _launch(self) -> None:
        pending = self._pending(self._queued)
        self._queued = []
        if pending:
            self.misses += len(pending)
            self._started = (pending, forked.ForkedRun().start(self._tasks(pending), self.budget))
            # after the first fork, while that child works (it imports the module itself if it diagnoses
            # a refuted step): every later child inherits it, and the parent prints failing steps with it
            display.preload()

    def _collect(self) -> None:
        """The outcomes of the child at work. After a timeout or a crash the comparisons it had not
        reached go back to the front of the queue, for the next child: the reading goes on meanwhile."""
        if self._started is not None:
            pending, running = self._started
            self._started = None
            done = 0
            for i, outcome in running.answers(again=False):
                self._record(pending[i], outcome)
                done = i + 1
            self._queued[:0] = pending[done:]

    def finish(self) -> None:
        """Collect the outcomes of everything `start` began or left waiting."""
        self._collect()
        while self._queued:
            self._launch()
            self._collect()

    def close(self) -> None:
        """Stop a started child whose outcomes will not be collected (the run was interrupted)."""
        self._queued = []
        if self._started is not None:
            self._started[1].close()
            self._started = None

    def dispatch(self, refs: Sequence[StepRef]) -> None:
        """Decide every ref not yet decided; outcomes land in `self.outcomes`."""
        self.finish()
        self.total += len(refs)
        pending = self._pending(refs)
        done = self.total - len(pending)
        if self.progress is not None and self.total:
            self.progress(done, self.total)
        if not pending:
            return
        self.misses += len(pending)
        for ref, outcome in self._decide(pending, self.budget):
            self._record(ref, outcome)
            done += 1
            if self.progress is not None:
                self.progress(done, self.total)

    def _decide(self, pending: Sequence[StepRef], budget: float | None) -> Iterator[tuple[StepRef, Outcome]]:
        """Every pending comparison's outcome, as each is decided: in a forked child (`forks`),
        otherwise in the worker pool."""
        display.preload()  # before a child or the pool's workers are forked: each would import it again
        if self.forks:
            for i, outcome in forked.ForkedRun().run(self._tasks(pending), budget):
                yield pending[i], outcome
            return
        hard = budget + GRACE if budget is not None else None
        explain = self.options.explain
        workers = self.pool if self.pool is not None else shared_pool(self.options.jobs)
        futures: dict[Future[Any], StepRef] = {}
        for ref in pending:
            d = self.derivations[ref.derivation]
            fut = workers.submit(decide_step, hard, d, ref.chain, ref.step, budget, explain, ref.against)
            futures[fut] = ref
        for fut in as_completed(futures):
            yield futures[fut], outcome_of(fut, budget, workers.memory_mb)


def plan(derivations: Sequence[Derivation], dispatcher: Dispatcher, explain: bool) -> tuple[Plan, list[StepRef]]:
    """Read every derivation (unless every comparison of it is cached) and list the first comparisons."""
    found = Plan()
    refs: list[StepRef] = []
    for di, d in enumerate(derivations):
        firsts = _first_refs(di, d)
        # Every pair cached means every step text, assumption and declaration was read before by
        # this same code (its fingerprint is in the key): reading again can be skipped. A chain of
        # one step is in no key, so its file is always read.
        every_step_keyed = bool(firsts) and all(len(c.steps) >= 2 for c in d.chains)
        if every_step_keyed and not explain and all(dispatcher.cached(r) is not None for r in firsts):
            found.givens[di] = {}
            refs += firsts
            continue
        # a child that ends while this derivation is read takes the ones read before it at once
        problems, given = read_problems(d, explain, dispatcher.poll if dispatcher.forks else None)
        found.givens[di] = given
        if problems:
            found.errors[di] = problems
            continue
        refs += firsts
        if dispatcher.forks:
            dispatcher.start(firsts)  # decided in a child while the next derivation is read
    return found, refs


def settle(chain_refs: Sequence[StepRef], outcomes: dict[StepRef, Outcome]) -> tuple[list[StepRef], StepRef | None]:
    """Walk one chain's first comparisons in order: the comparison that stands for each step, as far as
    the decided outcomes reach, and the second comparison needed next (None when the chain is settled)."""
    chosen: list[StepRef] = []
    last_held = 0  # the given step holds
    for ref in chain_refs:
        first = outcomes[ref]
        pick = ref
        if first.verdict is Verdict.REFUTED and last_held < ref.against:
            second = StepRef(ref.derivation, ref.chain, ref.step, last_held)
            if second not in outcomes:
                return chosen, second
            if outcomes[second].verdict is not Verdict.REFUTED:
                # it holds, or the comparison that decides it timed out: against a slip a refutation
                # says nothing about a correction, so an undecided second comparison stands (under
                # load a correction was reported refuted against the slip it corrects)
                pick = second
        chosen.append(pick)
        if outcomes[pick].verdict in HOLDING:
            last_held = ref.step
    return chosen, None


def resolve(refs: Sequence[StepRef], dispatcher: Dispatcher) -> tuple[dict[tuple[int, int], list[StepRef]], int]:
    """Dispatch the first comparisons, then the second ones round by round; the comparison that stands
    for each step, per (derivation, chain), and how many second comparisons were needed."""
    chains: dict[tuple[int, int], list[StepRef]] = {}
    for ref in refs:
        chains.setdefault((ref.derivation, ref.chain), []).append(ref)
    dispatcher.dispatch(refs)
    seconds = 0
    while True:
        needed: list[StepRef] = []
        settled: dict[tuple[int, int], list[StepRef]] = {}
        for where, chain_refs in chains.items():
            settled[where], missing = settle(chain_refs, dispatcher.outcomes)
            if missing is not None:
                needed.append(missing)
        if not needed:
            return settled, seconds
        seconds += len(needed)
        dispatcher.dispatch(needed)


def assemble(
    derivations: Sequence[Derivation], found: Plan, settled: dict[tuple[int, int], list[StepRef]],
    outcomes: dict[StepRef, Outcome], strict: bool,
) -> tuple[DerivationResult, ...]:
    results = []
    for di, d in enumerate(derivations):
        if di in found.errors:
            results.append(DerivationResult(d.id, d.file, d.title, errors=tuple(found.errors[di]), derivation=d))
            continue
        chains = []
        for ci, chain in enumerate(d.chains):
            given = Outcome(Verdict.GIVEN, explain=found.givens[di].get((ci, 0), ()))
            steps = [StepResult(chain.steps[0], given, True)]
            for ref in settled.get((di, ci), []):
                step, outcome = chain.steps[ref.step], outcomes[ref]
                ok = step_ok(outcome.verdict, step.expect, strict)
                steps.append(StepResult(step, outcome, ok, compared_with=chain.steps[ref.against].index))
            chains.append(ChainResult(chain, tuple(steps)))
        results.append(DerivationResult(d.id, d.file, d.title, chains=tuple(chains), derivation=d))
    return tuple(results)


def check_all(
    derivations: Sequence[Derivation],
    options: CheckOptions,
    progress: Callable[[int, int], None] | None = None,
    pool: WorkerPool | None = None,
) -> Report:
    """Check every step of every derivation; the pool defaults to the process-wide warm pool."""
    start = time.monotonic()
    dispatcher = Dispatcher(derivations, options, progress, pool)
    try:
        found, refs = plan(derivations, dispatcher, options.explain)
        settled, seconds = resolve(refs, dispatcher)
    finally:
        dispatcher.close()
    results = assemble(derivations, found, settled, dispatcher.outcomes, options.strict)
    stats = RunStats(
        timeout=options.timeout,
        strict=options.strict,
        explain=options.explain,
        cache=dispatcher.cache is not None,
        cache_hits=dispatcher.hits,
        cache_misses=dispatcher.misses,
        comparisons=dispatcher.total,
        second_comparisons=seconds,
        seconds=round(time.monotonic() - start, 4),
    )
    return Report(results, strict=options.strict, stats=stats)
