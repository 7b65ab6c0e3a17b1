"""Long runs in the app (issue 15, point 4): the Export page of a sub-district solves part by part under a
progress bar with a stop button, and so does a long slate run on any page, slate by slate ("4 of 10
found"); a stop request ends the run between parts and the page says so."""

from __future__ import annotations

from typing import Any

from helpers import clear_solver_caches, texts, visit
from streamlit.testing.v1 import AppTest

from app_pages import common
from app_pages.common import STOP_KEY


def test_export_of_a_subdistrict_stops_between_parts_when_asked(at: AppTest) -> None:
    at.selectbox(key="scenario_bundled").set_value("daqintala.yaml").run()
    at.session_state[STOP_KEY] = True  # as the stop button's callback leaves it
    visit(at, "export")
    assert any("已停止求解" in s or "Solving stopped" in s for s in texts(at.info)), texts(at.info)
    assert not at.download_button  # nothing half-built is offered
    assert STOP_KEY not in at.session_state  # the request is used up: the next run solves
    at.run()
    assert not at.exception
    assert at.button(key="progress_stop_button")  # the stop button is offered while it solves
    assert len([b for b in at.download_button if b.key and b.key.startswith("export_")]) == 4


def test_a_long_slate_run_shows_how_many_slates_it_has_found(at: AppTest, monkeypatch: Any) -> None:
    clear_solver_caches()
    monkeypatch.setattr(common, "PROGRESS_AFTER", 0.0)  # every run counts as long
    monkeypatch.setattr(common.SlateProgress, "close", lambda self: None)  # keep the bar to look at it
    visit(at, "slates")
    bars = at.get("progress")
    assert bars, "no progress bar"
    assert "已得到 3/3 个" in bars[-1].proto.text, bars[-1].proto.text  # the default top 3, all found
    assert at.button(key="progress_stop_slates")


def test_a_short_slate_run_shows_no_progress_bar(at: AppTest) -> None:
    clear_solver_caches()
    visit(at, "slates")  # the bundled community's top 3: well under PROGRESS_AFTER
    assert not at.get("progress")


def test_a_stopped_slate_run_says_so_and_the_next_run_solves(at: AppTest) -> None:
    visit(at, "slates")
    at.session_state[STOP_KEY] = True  # as the stop button's callback leaves it
    at.run()
    assert any("已停止求解" in s or "Solving stopped" in s for s in texts(at.info)), texts(at.info)
    assert not any(c.startswith("求解状态") for c in texts(at.caption))  # no result shown
    assert STOP_KEY not in at.session_state  # the request is used up
    at.run()
    assert not at.exception
    assert any(c.startswith("求解状态") for c in texts(at.caption))
