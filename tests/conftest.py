"""Suite-wide set-up: the verdict cache goes to a throw-away folder, never the user's ~/.cache."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from hypothesis import settings

_CACHE_HOME = tempfile.mkdtemp(prefix="verify-derivation-test-cache-")


# CI (`CI` set, as .ci/run and hosted runners do) draws the same hypothesis examples on every run: a
# pull request's result must not depend on the luck of the draw. Locally the draws stay random, so
# new cases keep being explored.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    # Set before any test (and any worker process it starts) looks up the cache location.
    os.environ["XDG_CACHE_HOME"] = _CACHE_HOME


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE_HOME, ignore_errors=True)
