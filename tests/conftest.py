"""Suite-wide set-up: the verdict cache goes to a throw-away folder, never the user's ~/.cache."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_CACHE_HOME = tempfile.mkdtemp(prefix="verify-derivation-test-cache-")


def pytest_configure(config: pytest.Config) -> None:
    # Set before any test (and any worker process it starts) looks up the cache location.
    os.environ["XDG_CACHE_HOME"] = _CACHE_HOME


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE_HOME, ignore_errors=True)
