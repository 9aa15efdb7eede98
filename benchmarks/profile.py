"""`python -m benchmarks.profile [FILE…]`: decide every step pair of the yardstick library in this
process under cProfile and print where the time went (cumulative and own time, top functions).

No worker pool, no cache: the figures are the checker's own work (reading, unfolding, the cascade).
With --startup, instead: where the command line's import time goes (`python -X importtime -c "import
verifier.cli"`, own time summed per package, the package's modules one by one), next to `import sympy`.

With --mutants N, instead: the engine alone on the mutation benchmark's first N cases (benchmarks/cases.py,
seed 8; `--wrong` or `--equal` keeps the mutants meant to be wrong or equal), one at a time in this
process, without the profiler: the CPU time of each stage of the cascade summed over the cases, and
the median and p95 CPU time per case by verdict. CPU time, not wall time, so that a machine shared with
other work (the load is printed) still gives comparable figures; a before/after comparison runs both
trees one after the other, twice.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import os
import pstats
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.corpus import LIBRARY


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    p.add_argument("files", nargs="*", help="derivation files (default: the yardstick library)")
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    p.add_argument("--startup", action="store_true", help="the import-time breakdown of the command line instead")
    p.add_argument("--mutants", type=int, default=0, help="per-stage CPU times over N benchmark mutants instead")
    kept = p.add_mutually_exclusive_group()
    kept.add_argument("--wrong", action="store_true", help="with --mutants: only the mutants meant to be wrong")
    kept.add_argument("--equal", action="store_true", help="with --mutants: only the equal rewrites")
    args = p.parse_args(argv)
    if args.startup:
        return startup(args.top)
    if args.mutants:
        return stages(args.mutants, "wrong" if args.wrong else "equal" if args.equal else None)
    from benchmarks.yardstick import yardstick_files
    from verifier.check.work import decide_step
    from verifier.loader import load

    files = [Path(f) for f in args.files] or yardstick_files(LIBRARY)
    derivations = [load(f) for f in files]
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    steps = 0
    for d in derivations:
        for ci, chain in enumerate(d.chains):
            for si in range(1, len(chain.steps)):
                decide_step(d, ci, si, 5.0, False)
                steps += 1
    prof.disable()
    print(f"{steps} steps in {time.perf_counter() - start:.2f} s (under the profiler)", file=sys.stderr)
    pstats.Stats(prof, stream=sys.stdout).sort_stats(args.sort).print_stats(args.top)
    return 0


def timed_stages(pairs: list[tuple[Any, ...]]) -> tuple[dict[str, float], list[tuple[str, float]]]:
    """Decide each (prev, cur, notation, relations, seed text) pair; the CPU seconds of each stage of the cascade
    summed over the pairs, and each pair's verdict with its CPU seconds."""
    from verifier.check import decide as cascade

    spent: collections.Counter[str] = collections.Counter()
    plain_run = cascade.Cascade.run

    def run(self: cascade.Cascade) -> Any:
        for stage in self.stages:
            start = time.process_time()
            try:
                outcome = stage()
            finally:
                spent[stage.__name__] += time.process_time() - start
            if outcome is not None:
                return outcome
        return self.undecided()

    verdicts: list[tuple[str, float]] = []
    cascade.Cascade.run = run  # type: ignore[method-assign]
    try:
        for prev, cur, notation, relations, seed in pairs:
            start = time.process_time()
            out = cascade.decide(prev, cur, notation, relations, timeout=5.0, seed_text=seed)
            verdicts.append((out.verdict.value, time.process_time() - start))
    finally:
        cascade.Cascade.run = plain_run  # type: ignore[method-assign]
    return dict(spent), verdicts


def stages(total: int, intended: str | None) -> int:
    from benchmarks.cases import generate, seed_text
    from benchmarks.corpus import load_pairs
    from benchmarks.score import median, percentile

    cases, _ = generate(load_pairs(), total, seed=8)
    cases = [c for c in cases if c.mutant.kind != "original" and intended in (None, c.mutant.intended)]
    print(f"load average {os.getloadavg()[0]:.1f}; {len(cases)} mutants", file=sys.stderr)
    spent, verdicts = timed_stages(
        [(c.pair.prev, c.mutant.expr, c.pair.notation, c.pair.relations, seed_text(c)) for c in cases]
    )
    print(f"CPU seconds over the {len(cases)} cases: {sum(spent.values()):.2f}")
    for name, secs in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {name:14s} {secs:7.2f} s")
    for verdict in sorted({v for v, _ in verdicts}):
        times = [t for v, t in verdicts if v == verdict]
        print(
            f"{verdict:8s} {len(times):4d} cases: median {1000 * median(times):.0f} ms, "
            f"p95 {1000 * percentile(times, 0.95):.0f} ms (CPU)"
        )
    return 0


_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)")


def _import_times(module: str) -> dict[str, int]:
    """Own import time in microseconds per package (per module for verifier's own), one fresh process."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True, check=True
    )
    own: collections.Counter[str] = collections.Counter()
    for line in proc.stderr.splitlines():
        found = _IMPORT_LINE.match(line)
        if found:
            name = found.group(3)
            own[name if name.startswith("verifier") else name.split(".")[0]] += int(found.group(1))
    return dict(own)


def startup(top: int) -> int:
    """Print the median (of 3 runs) own import time per package of `import verifier.cli` (from the
    package's bytecode, written first as the speed benchmark does: benchmarks/speed.py)."""
    from benchmarks.speed import byte_compile

    byte_compile()
    runs = [_import_times("verifier.cli") for _ in range(3)]
    sympy = sorted(sum(_import_times("sympy").values()) for _ in range(3))[1]
    names = {n for r in runs for n in r}
    median = {n: sorted(r.get(n, 0) for r in runs)[1] for n in names}
    total = sorted(sum(r.values()) for r in runs)[1]
    print(f"import verifier.cli: {total / 1000:.0f} ms; import sympy alone: {sympy / 1000:.0f} ms (medians of 3)")
    for name, micros in sorted(median.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{micros / 1000:8.1f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
