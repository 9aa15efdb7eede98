"""Verdicts cached by content, so a second run over unchanged files is near-instant.

The key hashes everything a verdict depends on: the package version and a fingerprint of its own
source (a changed checker never serves stale verdicts), the engines' versions and switches (engines()),
the derivation's declarations, the chain's
assumptions, the two step texts, and the options that change the answer. Entries are small JSON
files under $XDG_CACHE_HOME/verify-derivation (default ~/.cache/verify-derivation), written
atomically; deleting the folder is always safe. VERIFY_DERIVATION_NO_CACHE=1 turns caching off.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import verifier
from verifier.model import Chain, Derivation, Outcome, Verdict

# Verdicts worth keeping: errors (crashes, memory) may be transient, so they are always re-checked.
CACHEABLE = frozenset({Verdict.PROVED, Verdict.NUMERIC, Verdict.REFUTED, Verdict.TIMEOUT})


def default_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "verify-derivation"


def disabled_by_env() -> bool:
    return os.environ.get("VERIFY_DERIVATION_NO_CACHE", "").strip().lower() in {"1", "true", "yes", "on"}


@functools.cache
def code_fingerprint() -> str:
    """A hash of the package's own source files (the checker and the reader decide verdicts)."""
    root = Path(verifier.__file__).parent
    h = hashlib.sha256(verifier.__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".lark"} and path.is_file():
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def engines() -> dict[str, object]:
    """What outside the package's own source can change a verdict: the versions of the engines it
    calls (a SymPy upgrade may simplify differently), SymPy's ground types, the fast paths switch
    (benchmarks turn them off) and the workers' memory limit (a stage that runs out of memory passes)."""
    import flint
    import lark
    import mpmath
    import sympy
    from sympy.external.gmpy import GROUND_TYPES

    from verifier.check.budget import memory_limit_mb
    from verifier.check.decide import FAST_PATHS

    return {
        "python": sys.version,
        "sympy": sympy.__version__,
        "ground types": GROUND_TYPES,
        "mpmath": mpmath.__version__,
        "flint": flint.__version__,
        "lark": lark.__version__,
        "fast paths": FAST_PATHS,
        "memory MB": memory_limit_mb(),
    }


def _declarations(d: Derivation) -> list[object]:
    symbols = [
        [
            s.key,
            list(s.assume),
            [t.text for t in s.range] if s.range else None,
            s.define.text if s.define else None,
            s.components,
            s.row,
        ]
        for s in d.symbols
    ]
    functions = [
        [f.key, list(f.args), f.define.text if f.define else None, list(f.vector_args), list(f.matrix_args)]
        for f in d.functions
    ]
    return [symbols, functions, d.layout.value]


def step_key(
    d: Derivation, chain: Chain, prev: str, cur: str, timeout: float | None, strict: bool, explain: bool
) -> str:
    payload = {
        "code": code_fingerprint(),
        "engines": engines(),
        "declarations": _declarations(d),
        "assume": [t.text for t in chain.assume],
        "prev": prev,
        "cur": cur,
        "timeout": timeout,
        "strict": strict,
        "explain": explain,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class Cache:
    """A folder of verdicts keyed by `step_key`."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_dir()
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Outcome | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            outcome = Outcome(
                verdict=Verdict(data["verdict"]),
                method=data.get("method"),
                message=data.get("message"),
                counterexample=data.get("counterexample"),
                seconds=float(data.get("seconds", 0.0)),
                explain=tuple(data.get("explain", ())),
                pretty=data.get("pretty"),
                message_text=data.get("message_text"),
            )
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None  # missing or damaged entry: decide again
        self.hits += 1
        return outcome

    def put(self, key: str, outcome: Outcome) -> None:
        if outcome.verdict not in CACHEABLE:
            return
        data = {
            "verdict": outcome.verdict.value,
            "method": outcome.method,
            "message": outcome.message,
            "counterexample": outcome.counterexample,
            "seconds": outcome.seconds,
            "explain": list(outcome.explain),
            "pretty": outcome.pretty,
            "message_text": outcome.message_text,
        }
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False)
            os.replace(tmp, path)  # atomic: a reader sees the old entry or the new one, never half
        except OSError:
            pass  # a read-only or full disk only costs speed
