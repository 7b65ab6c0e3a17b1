"""Fixtures shared by the tests. Helpers (scenario builders, assertions) are in tests/helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SCENARIOS, started_app
from streamlit.testing.v1 import AppTest


@pytest.fixture(autouse=True)
def private_workspace(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the user's data folder: the default workspace (the app's, the command line's) is a
    file of the test's own, created only when something opens it."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("PLANNER_WORKSPACE", str(folder / "workspace.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder / "workspace.db"


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS


@pytest.fixture
def at() -> AppTest:
    """The app, started (AppTest)."""
    return started_app()
