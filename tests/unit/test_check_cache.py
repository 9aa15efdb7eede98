"""The verdict cache: content keys, atomic entries, damaged entries ignored, env switch."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.check import cache
from verifier.check.cache import Cache, default_dir, disabled_by_env, step_key
from verifier.model import Chain, Derivation, Loc, Outcome, Step, SymbolDecl, Tex, Verdict


def _derivation(word: str = "real") -> Derivation:
    loc = Loc("f.toml", 1)
    steps = (Step(0, Tex("x", loc)), Step(1, Tex("x + 0", loc)))
    chain = Chain("c", loc, steps)
    return Derivation("d", "f.toml", "t", (SymbolDecl("x", loc, (word,)),), (), (chain,))


def test_roundtrip_and_hit_counting(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    d = _derivation()
    key = step_key(d, d.chains[0], "x", "x + 0", 5.0, False, False)
    assert cache.get(key) is None
    out = Outcome(Verdict.REFUTED, "numeric probe", "sign", {"x": "-1.5"}, 0.25, ("a", "b"))
    cache.put(key, out)
    assert cache.get(key) == out
    assert (cache.hits, cache.misses) == (1, 1)
    assert not list(tmp_path.rglob(".tmp-*"))


def test_key_changes_with_everything_a_verdict_depends_on() -> None:
    d = _derivation()
    base = step_key(d, d.chains[0], "x", "x + 0", 5.0, False, False)
    assert base == step_key(d, d.chains[0], "x", "x + 0", 5.0, False, False)
    assert base != step_key(_derivation("positive"), d.chains[0], "x", "x + 0", 5.0, False, False)
    assert base != step_key(d, d.chains[0], "x", "x + 1", 5.0, False, False)
    assert base != step_key(d, d.chains[0], "x", "x + 0", 2.0, False, False)
    assert base != step_key(d, d.chains[0], "x", "x + 0", 5.0, True, False)


def test_errors_are_not_cached_and_damaged_entries_are_ignored(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("ab" * 32, Outcome(Verdict.ERROR, message="worker crashed"))
    assert cache.get("ab" * 32) is None
    path = tmp_path / "cd" / ("cd" * 32 + ".json")
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert cache.get("cd" * 32) is None


def test_location_and_env_switch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_dir() == tmp_path / "verify-derivation"
    monkeypatch.setenv("VERIFY_DERIVATION_NO_CACHE", "1")
    assert disabled_by_env()
    monkeypatch.setenv("VERIFY_DERIVATION_NO_CACHE", "")
    assert not disabled_by_env()


def test_key_changes_with_the_engines_and_their_switches(monkeypatch: pytest.MonkeyPatch) -> None:
    d = _derivation("real")
    base = step_key(d, d.chains[0], "x", "x + 0", 5.0, False, False)
    monkeypatch.setenv("VERIFY_DERIVATION_MEMORY_MB", "64")
    assert step_key(d, d.chains[0], "x", "x + 0", 5.0, False, False) != base
    monkeypatch.delenv("VERIFY_DERIVATION_MEMORY_MB")
    monkeypatch.setattr("verifier.check.decide.FAST_PATHS", not cache.engines()["fast paths"])
    assert step_key(d, d.chains[0], "x", "x + 0", 5.0, False, False) != base
    monkeypatch.undo()
    monkeypatch.setattr("sympy.__version__", "0.0.1")
    assert step_key(d, d.chains[0], "x", "x + 0", 5.0, False, False) != base
    monkeypatch.undo()
    assert step_key(d, d.chains[0], "x", "x + 0", 5.0, False, False) == base
