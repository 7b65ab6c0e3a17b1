"""The Schedule page as a planner's desk (issue 16, points 4, 5 and 10), through AppTest and the figures.

4: a sub-district's pin scope defaults to the community in view, never to every community;
5: a conflicting pin gives its true earliest and latest feasible day, with buttons applying them;
10: election days labelled with their date, public holidays and make-up days marked, the plan without
pins drawn faintly where a pin moved stages, days at capacity red in the sub-district load chart.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from planner.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
RED = "#d62728"


def visit(app: AppTest, page: str = "schedule") -> AppTest:
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def load(app: AppTest, name: str, in_view: str | None = None) -> Any:
    """Make a bundled scenario the session's, as the Scenario page does (set_scenario)."""
    scenario = load_scenario(ROOT / "scenarios" / name)
    app.session_state["common_scenario"] = scenario
    app.session_state["common_source"] = name
    app.session_state["common_original_sha"] = scenario.sha256()
    app.session_state["common_community"] = in_view
    return scenario


def figures(app: AppTest) -> dict[str, dict[str, Any]]:
    """The page's plotly figures by element key suffix (schedule_gantt_<id>, schedule_capacity)."""
    out = {}
    for chart in app.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        out[chart.proto.id] = spec
    return out


def gantt_of(app: AppTest, cid: str) -> dict[str, Any]:
    found = [f for key, f in figures(app).items() if f"schedule_gantt_{cid}" in key]
    assert found, list(figures(app))
    return found[0]


def pin(app: AppTest, stage: str, day: date) -> AppTest:
    app.checkbox(key=f"schedule_pin_on_{stage}").check().run()
    picker = next(d for d in app.date_input if d.key.startswith(f"schedule_pin_{stage}_"))
    picker.set_value(day).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def stage_start(app: AppTest, stage: str) -> str:
    frame = next(d.value for d in app.dataframe if "阶段" in d.value.columns)
    return frame[frame["阶段"] == stage].iloc[0]["开始"]


# ---------------------------------------------------------------- 4: the pin scope


def test_pin_scope_defaults_to_the_community_in_view(at: AppTest) -> None:
    scenario = load(at, "daqintala.yaml", in_view="chaoyang")
    visit(at)
    scope = next(s for s in at.selectbox if s.key.startswith("schedule_pin_scope_"))
    assert scope.value == "chaoyang"  # not "__all__": one tick pins one community
    assert "__all__" in scope.options or any("全部社区" in o for o in scope.options)
    at.checkbox(key="schedule_pin_on_rc_election").check().run()
    assert not at.exception
    pins = at.session_state["schedule_last_pins"]
    assert list(pins) == ["chaoyang/rc_election"], pins
    # Every community is still a choice, said plainly.
    scope = next(s for s in at.selectbox if s.key.startswith("schedule_pin_scope_"))
    scope.set_value("__all__").run()
    assert list(at.session_state["schedule_last_pins"]) == ["rc_election"]
    assert any(str(len(scenario.communities)) in i.value for i in at.info)


def test_pin_scope_without_a_community_in_view_is_the_first(at: AppTest) -> None:
    scenario = load(at, "daqintala.yaml")
    visit(at)
    scope = next(s for s in at.selectbox if s.key.startswith("schedule_pin_scope_"))
    assert scope.value == scenario.communities[0].id


# ---------------------------------------------------------------- 5: the true earliest day, applied


def test_conflicting_pin_offers_the_true_earliest_day(at: AppTest) -> None:
    visit(at)
    pin(at, "rc_election", date(2020, 12, 20))
    assert "没有满足规则的日程。" in [e.value for e in at.error]
    said = " ".join(m.value for m in at.markdown)
    assert "2021-01-08" in said  # the true earliest (every other rule and pin on), not 2020-12-30 alone
    assert "最早只能在 2020-12-30" not in said
    labels = [b.label for b in at.button]
    assert "改为最早可行日期 2021-01-08" in labels
    assert "改为最晚可行日期 2021-01-28" in labels
    button = next(b for b in at.button if b.label == "改为最早可行日期 2021-01-08")
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert stage_start(at, "rc_election") == "2021-01-08"
    assert at.checkbox(key="schedule_pin_on_rc_election").value is True
    assert at.session_state["schedule_last_pins"] == {"rc_election": "2021-01-08"}


def test_apply_latest_in_english(at: AppTest) -> None:
    at.radio(key="app_lang").set_value("en").run()
    visit(at)
    pin(at, "rc_election", date(2020, 12, 20))
    said = " ".join(m.value for m in at.markdown)
    assert "earliest feasible day is 2021-01-08" in said
    next(b for b in at.button if b.label == "Use the latest feasible day 2021-01-28").click().run()
    assert not at.exception
    frame = next(d.value for d in at.dataframe if "Stage" in d.value.columns)
    assert frame[frame["Stage"] == "rc_election"].iloc[0]["Start"] == "2021-01-28"


def test_subdistrict_pin_button_keeps_the_community(at: AppTest) -> None:
    load(at, "daqintala.yaml", in_view="tuanjie")
    visit(at)
    pin(at, "rc_election", date(2020, 12, 20))
    button = next(b for b in at.button if b.label.startswith("改为最早可行日期"))
    button.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    pins = at.session_state["schedule_last_pins"]
    assert list(pins) == ["tuanjie/rc_election"]
    assert button.label.endswith(pins["tuanjie/rc_election"])


# ---------------------------------------------------------------- 10: the charts


def test_gantt_labels_election_days_and_marks_holidays(at: AppTest) -> None:
    visit(at)
    fig = gantt_of(at, "nuoenjiya")
    marks = next(d for d in fig["data"] if d.get("name") == "选举日")
    assert "2021-01-08" in marks["text"] and "2020-12-31" in marks["text"]
    notes = [a.get("text") for a in fig["layout"].get("annotations", [])]
    assert "法定节假日：元旦" in notes
    assert "调休上班" in notes  # a Saturday or Sunday that the State Council made a working day
    assert not any(d.get("name") == "未固定时的计划" for d in fig["data"])  # no pin: no overlay


def test_gantt_overlays_the_unpinned_plan_when_a_pin_moves_stages(at: AppTest) -> None:
    visit(at)
    before = next(d for d in gantt_of(at, "nuoenjiya")["data"] if d.get("name") == "选举日")
    pin(at, "rc_election", date(2021, 1, 16))
    fig = gantt_of(at, "nuoenjiya")
    faint = next(d for d in fig["data"] if d.get("name") == "未固定时的计划")
    moved = [label for label, base in zip(faint["y"], faint["base"], strict=True) if base]
    assert any(label.startswith("rc_election") for label in moved)
    assert "2021-01-16" in next(d for d in fig["data"] if d.get("name") == "选举日")["text"]
    assert "2021-01-08" in before["text"]


def test_load_chart_days_at_capacity_are_red(at: AppTest) -> None:
    scenario = load(at, "daqintala.yaml")
    visit(at)
    fig = next(f for key, f in figures(at).items() if "schedule_capacity" in key)
    full = next(d for d in fig["data"] if d.get("name") == "已满")
    assert full["x"] and all(c == RED for c in full["marker"]["color"])
    assert all(y >= scenario.capacity for y in full["y"])
    below = next(d for d in fig["data"] if d.get("name") == "未满")
    assert all(c != RED for c in below["marker"]["color"])
    assert all(y < scenario.capacity for y in below["y"])
    # One day per bar: plotly would widen a trace's sparse date bars over the days between them.
    assert all(w <= 86_400_000 for trace in (full, below) for w in trace["width"])
