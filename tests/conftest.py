"""Fixtures shared by the tests. Helpers (scenario builders, assertions) are in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import SCENARIOS, started_app
from streamlit.testing.v1 import AppTest


@pytest.fixture(scope="session", autouse=True)
def session_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Before any module's fixtures (the browser test's app server among them): the default workspace is a
    file of this test run, never the user's data folder."""
    folder = tmp_path_factory.mktemp("session-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANNER_WORKSPACE", str(folder / "workspace.db"))
        patch.setenv("XDG_DATA_HOME", str(folder))
        yield folder / "workspace.db"


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
