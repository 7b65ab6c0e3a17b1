"""Fixtures shared by the tests. Helpers (scenario builders, assertions) are in tests/helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SCENARIOS, started_app
from streamlit.testing.v1 import AppTest


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS


@pytest.fixture
def at() -> AppTest:
    """The app, started (AppTest)."""
    return started_app()
