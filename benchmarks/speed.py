"""Speed of the command line: cold start, the whole library cold and warm, time per step and to refute."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.corpus import LIBRARY, ROOT
from benchmarks.score import median, percentile

CLI = ROOT / ".venv" / "bin" / "verify-derivation"


@dataclass
class Speed:
    cold_start: list[float] = field(default_factory=list)
    cold_start_exit: int | None = None
    library_cold: float = float("nan")
    library_warm: float = float("nan")
    library_exit: int | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)  # the cold run's step records
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None

    @property
    def step_seconds(self) -> list[float]:
        return [float(s.get("seconds") or 0.0) for s in self.steps if s.get("verdict") != "given"]

    @property
    def refute_seconds(self) -> list[float]:
        return [float(s.get("seconds") or 0.0) for s in self.steps if s.get("verdict") == "refuted"]

    def summary(self) -> dict[str, float]:
        return {
            "cold start median": median(self.cold_start),
            "library cold": self.library_cold,
            "library warm": self.library_warm,
            "step median": median(self.step_seconds),
            "step p95": percentile(self.step_seconds, 0.95),
        }


def _cli() -> list[str]:
    return [str(CLI)] if CLI.exists() else ["verify-derivation"]


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=900, cwd=ROOT)
    return time.perf_counter() - start, proc


def measure(runs: int = 3, timeout: float = 5.0) -> Speed:
    """Subprocess timings; the library runs use an empty cache folder, then the same one again."""
    out = Speed()
    env = {k: v for k, v in os.environ.items() if k != "VERIFY_DERIVATION_NO_CACHE"}
    try:
        for _ in range(runs):
            secs, proc = _timed([*_cli(), "bce", "--no-cache", "--timeout", str(timeout)], env)
            out.cold_start.append(secs)
            out.cold_start_exit = proc.returncode
        with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
            env = {**env, "XDG_CACHE_HOME": cache}
            args = [*_cli(), str(LIBRARY), "--format", "json", "--timeout", str(timeout)]
            out.library_cold, proc = _timed(args, env)
            out.library_exit = proc.returncode
            # best of two warm runs: a source edit between runs changes the cache key (by design), and
            # then only the third run is warm
            out.library_warm = min(_timed(args, env)[0] for _ in range(2))
        report = json.loads(proc.stdout)
        out.counts = dict(report.get("summary", {}))
        for d in report.get("derivations", []):
            for c in d.get("chains", []):
                for s in c.get("steps", []):
                    out.steps.append({**s, "derivation": d.get("id")})
    except (OSError, subprocess.SubprocessError, json.JSONDecodeError, ValueError) as exc:
        out.error = f"{type(exc).__name__}: {exc}"[:300]
    return out


def library_path() -> Path:
    return LIBRARY
