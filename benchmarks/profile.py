"""`python -m benchmarks.profile [FILE…]`: decide every step pair of the yardstick library in this
process under cProfile and print where the time went (cumulative and own time, top functions).

No worker pool, no cache: the figures are the checker's own work (reading, unfolding, the cascade).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

from benchmarks.corpus import LIBRARY


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    p.add_argument("files", nargs="*", help="derivation files (default: the yardstick library)")
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    args = p.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
