"""Long runs in the app (issue 15, point 4): the Export page of a sub-district solves part by part under a
progress bar with a stop button; a stop request ends the run between parts and the page says so."""

from __future__ import annotations

from helpers import texts, visit
from streamlit.testing.v1 import AppTest

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
