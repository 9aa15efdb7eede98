"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from verifier.check.budget import WorkerPool


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    """A warm two-worker pool per test module (test_budget keeps its own, with a memory limit)."""
    with WorkerPool(jobs=2) as p:
        yield p
