"""Fixtures shared by the tests. Helpers (scenario builders, assertions) are in tests/helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SCENARIOS


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS
