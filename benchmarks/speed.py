"""Speed of the command line, measured side by side with `python -c "import sympy"` in one run.

Every figure of issue 16's targets comes from here: the yardstick library (the 14 derivations listed
in yardstick.py) cold on one worker and its median step, `verify-derivation bce` cold, the library
warm, the per-stage times with the fast paths on and off, and the peak resident size. The command
runs are interleaved with the `import sympy` runs, so a machine that is busy for a while slows both.

"Cold" means an empty verdict cache, not uncompiled Python: the package's modules are byte-compiled
first (`byte_compile`), as pip does at a regular install and as Python does on the first run
anywhere its bytecode may be written. SymPy, installed by pip, is timed from its bytecode too. An
editable install under PYTHONDONTWRITEBYTECODE=1 (this project's sandboxes set it) otherwise
compiles every one of the package's modules from source on every run: about a tenth of
`verify-derivation bce` (cProfile of `import verifier.cli`: 62 calls to compile, half its time).
"""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.corpus import LIBRARY, ROOT
from benchmarks.score import median, percentile
from benchmarks.yardstick import yardstick_files

CLI = ROOT / ".venv" / "bin" / "verify-derivation"
NO_FAST_PATHS = "VERIFY_DERIVATION_NO_FAST_PATHS"

# Runs a command and prints, on its last line of stderr, the peak resident size (KB) of the largest
# process among its descendants (the CLI and its workers: each level waits for its children).
# The wrapper times the command itself, so its own start-up is not in the figure.
_PEAK = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)\n"
    "t = time.perf_counter() - t\n"
    "sys.stdout.buffer.write(p.stdout)\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "sys.stderr.write(f'\\npeak-rss-kb {rss}\\nseconds {t}\\n')\n"
    "sys.exit(p.returncode)\n"
)


@dataclass
class Speed:
    import_sympy: list[float] = field(default_factory=list)
    cold_start: list[float] = field(default_factory=list)  # `bce --no-cache -j 1`
    cold_start_exit: int | None = None
    library_cold_runs: list[float] = field(default_factory=list)  # yardstick, empty cache, -j 1
    library_warm: float = float("nan")
    library_exit: int | None = None
    library_slow: float = float("nan")  # yardstick, empty cache, -j 1, fast paths off
    peak_rss_kb: int | None = None
    files: int = 0
    steps: list[dict[str, Any]] = field(default_factory=list)  # the cold run's step records
    slow_steps: list[dict[str, Any]] = field(default_factory=list)  # the fast-paths-off run's
    counts: dict[str, int] = field(default_factory=dict)
    byte_compiled: bool = False  # the package's bytecode was written before the runs (byte_compile)
    error: str | None = None

    @property
    def library_cold(self) -> float:
        return median(self.library_cold_runs)

    @property
    def step_seconds(self) -> list[float]:
        return [float(s.get("seconds") or 0.0) for s in self.steps if s.get("verdict") != "given"]

    @property
    def refute_seconds(self) -> list[float]:
        return [float(s.get("seconds") or 0.0) for s in self.steps if s.get("verdict") == "refuted"]

    def summary(self) -> dict[str, float]:
        return {
            "import sympy median": median(self.import_sympy),
            "cold start median": median(self.cold_start),
            "library cold": self.library_cold,
            "library warm": self.library_warm,
            "step median": median(self.step_seconds),
            "step p95": percentile(self.step_seconds, 0.95),
        }


def _cli() -> list[str]:
    return [str(CLI)] if CLI.exists() else ["verify-derivation"]


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=1800, cwd=ROOT)
    return time.perf_counter() - start, proc


def _steps(stdout: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
    report = json.loads(stdout)
    steps = [
        {**s, "derivation": d.get("id")}
        for d in report.get("derivations", [])
        for c in d.get("chains", [])
        for s in c.get("steps", [])
    ]
    return steps, dict(report.get("summary", {}))


def byte_compile() -> bool:
    """Write the bytecode of the package's modules (left alone where it is up to date); whether every
    module compiled. PYTHONDONTWRITEBYTECODE only stops Python writing it while importing: the runs
    read it (see the module's docstring)."""
    return bool(compileall.compile_dir(str(ROOT / "verifier"), quiet=1))


def measure(runs: int = 3, timeout: float = 5.0) -> Speed:
    """Subprocess timings; every library run uses an empty cache folder, the warm run the same one again."""
    out = Speed()
    out.byte_compiled = byte_compile()
    base = {k: v for k, v in os.environ.items() if k not in ("VERIFY_DERIVATION_NO_CACHE", NO_FAST_PATHS)}
    try:
        files = [str(f) for f in yardstick_files(LIBRARY)]
        out.files = len(files)
        library = [*_cli(), *files, "--format", "json", "--timeout", str(timeout), "-j", "1"]
        for n in range(runs):
            out.import_sympy.append(_timed([_python(), "-c", "import sympy"], base)[0])
            secs, proc = _timed([*_cli(), "bce", "--no-cache", "-j", "1", "--timeout", str(timeout)], base)
            out.cold_start.append(secs)
            out.cold_start_exit = proc.returncode
            with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
                env = {**base, "XDG_CACHE_HOME": cache}
                _secs, proc = _timed([_python(), "-c", _PEAK, *library], env)
                facts = dict(line.split(" ", 1) for line in proc.stderr.splitlines() if line.count(" ") == 1)
                out.library_cold_runs.append(float(facts["seconds"]))
                out.library_exit = proc.returncode
                out.peak_rss_kb = max(out.peak_rss_kb or 0, int(facts["peak-rss-kb"]))
                if n == 0:
                    out.steps, out.counts = _steps(proc.stdout)
                    # best of two warm runs: a source edit between runs changes the cache key (by
                    # design), and then only the second run is warm
                    out.library_warm = min(_timed(library, env)[0] for _ in range(2))
        with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
            env = {**base, "XDG_CACHE_HOME": cache, NO_FAST_PATHS: "1"}
            out.library_slow, proc = _timed(library, env)
            out.slow_steps, _counts = _steps(proc.stdout)
    except (OSError, subprocess.SubprocessError, json.JSONDecodeError, ValueError, KeyError) as exc:
        out.error = f"{type(exc).__name__}: {exc}"[:300]
    return out


def library_path() -> Path:
    return LIBRARY
