"""A new 换届 cycle: the bundled 2025-26 examples (template generic on a county plan's phase dates) and the
Schedule page's "新周期 New cycle" form that moves a scenario to new phase dates without writing YAML.
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

import planner.slate
from planner.cli import main
from planner.scenario import Community, Subdistrict, communities, load_scenario
from planner.schedule import plan_schedule

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
APP = str(ROOT / "app.py")
EXAMPLES = ["hongqi-2025.yaml", "xinhua-2025.yaml"]

# The phase of each template stage (SCENARIO.md "Cycles: phase dates"); representatives spans two.
STAGE_PHASE = {
    **dict.fromkeys(["rectify", "audit", "training_publicity", "opinion_survey"], "mobilise"),
    **dict.fromkeys(
        [
            "pc_recommend",
            "pc_shortlist",
            "pc_joint_review",
            "pc_inspection",
            "pc_publicity",
            "pc_approval",
            "pc_election",
        ],
        "party",
    ),
    **dict.fromkeys(
        [
            "rc_committee",
            "rc_rules",
            "rc_registration",
            "rc_voter_list",
            "rc_nomination",
            "rc_joint_review",
            "rc_candidates",
            "rc_election",
        ],
        "residents",
    ),
    "sc_election": "supporting",
    **dict.fromkeys(["training", "five_year_plan"], "follow_up"),
}

# The 2025-26 phases of the bundled examples (a county plan's dates).
PHASES_2025 = {
    "mobilise": (date(2025, 10, 15), date(2025, 11, 10)),
    "party": (date(2025, 11, 11), date(2025, 12, 10)),
    "residents": (date(2025, 11, 11), date(2026, 1, 31)),
    "supporting": (date(2026, 2, 1), date(2026, 2, 28)),
    "follow_up": (date(2026, 2, 1), date(2026, 4, 30)),
}


def phase_window(phases: dict[str, tuple[date, date]], stage: str) -> tuple[date, date]:
    if stage == "representatives":
        return phases["residents"][0], phases["supporting"][1]
    return phases[STAGE_PHASE[stage]]


def raw_phases(path: Path) -> dict[str, tuple[date, date]]:
    """The `schedule.phases` written in a community file, read as plain YAML (not through the planner)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        k: (date.fromisoformat(str(a)), date.fromisoformat(str(b)))
        for k, (a, b) in data["schedule"]["phases"].items()
    }


def community_files(name: str) -> dict[str, Path]:
    """Community id -> its file, for a bundled community or sub-district file."""
    path = SCENARIOS / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    files = [path.parent / f for f in data["communities"]] if data["kind"] == "subdistrict" else [path]
    return {yaml.safe_load(f.read_text(encoding="utf-8"))["id"]: f for f in files}


def assert_inside(
    plan: list[tuple[Any, date, date, int | None]], phases: dict[str, tuple[date, date]]
) -> None:
    assert plan, "no stage planned"
    for stage, start, end, _ in plan:
        first, last = phase_window(phases, stage.id)
        assert first <= start <= end <= last, (stage.id, start, end, first, last)


# ---------------------------------------------------------------- the bundled 2025-26 examples


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_2025_examples_load_on_the_generic_template(name: str) -> None:
    scenario = load_scenario(SCENARIOS / name)
    assert isinstance(scenario, Community if name.startswith("hongqi") else Subdistrict)
    items = communities(scenario)
    assert len(items) >= (1 if isinstance(scenario, Community) else 2)
    for c in items:
        assert c.reference_date == date(2026, 1, 1)
        assert c.schedule.template == "generic"
        assert c.people


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_2025_examples_schedule_every_stage_inside_its_phase(name: str) -> None:
    scenario = load_scenario(SCENARIOS / name)
    result = plan_schedule(scenario)
    assert result.status in ("optimal", "feasible"), result.explanation
    files = community_files(name)
    for c in communities(scenario):
        phases = raw_phases(files[c.id])
        assert phases == PHASES_2025, c.id
        plan = result.stages(c.id)
        assert {s.id for s, *_ in plan} == {*STAGE_PHASE, "representatives"}
        assert_inside(plan, phases)
        starts = {s.id: start for s, start, *_ in plan}
        assert starts["pc_election"] < starts["rc_election"]  # T05: the Party organization first


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_2025_examples_have_slates(name: str) -> None:
    scenario = load_scenario(SCENARIOS / name)
    for c in communities(scenario):
        result = planner.slate.solve_slates(c, planner.slate.SlateOptions())
        assert result.status in ("optimal", "feasible"), (c.id, result.explanation)
        assert result.slates, c.id


@pytest.mark.parametrize("name", EXAMPLES)
def test_planner_schedule_json_of_the_2025_examples(name: str) -> None:
    """`planner schedule --json`: done, no calendar warning (2025-26 is in the official data), stages in phase."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        rc = main(["schedule", str(SCENARIOS / name), "--json", "--time-limit", "30"])
    assert rc == 0
    data = json.loads(out.getvalue())
    assert data["status"] in ("optimal", "feasible")
    assert data["warnings"] == []
    assert set(data["communities"]) == set(community_files(name))
    for cid, planned in data["communities"].items():
        for stage in planned["stages"]:
            first, last = phase_window(PHASES_2025, stage["id"])
            start, end = date.fromisoformat(stage["start"]), date.fromisoformat(stage["end"])
            assert first <= start <= end <= last, (cid, stage["id"])


# ---------------------------------------------------------------- the Schedule page's new-cycle form


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    app.run()
    assert not app.exception
    return app


def run(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def visit(app: AppTest, page: str) -> AppTest:
    app.switch_page(f"app_pages/{page}.py")
    return run(app)


def schedule_rows(app: AppTest) -> dict[str, tuple[date, date]]:
    frame = next(d.value for d in app.dataframe if "阶段" in d.value.columns)
    return {
        row["阶段"]: (date.fromisoformat(row["开始"]), date.fromisoformat(row["结束"]))
        for _, row in frame.iterrows()
    }


def cycle_widget(app: AppTest, kind: str, name: str) -> Any:
    return next(w for w in getattr(app, kind) if str(w.key).startswith(f"schedule_cycle_{name}_"))


def set_cycle(app: AppTest, phases: dict[str, tuple[date, date]], **days: str) -> AppTest:
    for phase, (first, last) in phases.items():
        cycle_widget(app, "date_input", phase).set_value((first, last))
    for name, text in days.items():
        cycle_widget(app, "text_area", name).input(text)
    cycle_widget(app, "button", "apply").click()
    return run(app)


def test_new_phase_dates_move_the_whole_schedule(at: AppTest) -> None:
    """Last cycle's community (template 2020) set up for 2025-26 on the page: every stage moves into its phase."""
    visit(at, "schedule")
    before = schedule_rows(at)
    assert date(2020, 12, 10) <= before["pc_election"][0] <= date(2021, 1, 13)  # the seed's cycle
    set_cycle(at, PHASES_2025)
    assert "已按新周期重新排出日程。" in [str(s.value) for s in at.success]
    scenario = at.session_state["common_scenario"]
    assert scenario.id == "nuoenjiya" and scenario.schedule.template == "generic"
    after = schedule_rows(at)
    assert set(after) == set(before)
    for stage, (start, end) in after.items():
        first, last = phase_window(PHASES_2025, stage)
        assert first <= start <= end <= last, (stage, start, end)
    assert after["pc_election"][0] < date(2025, 12, 11)
    assert not [e.value for e in at.error]


def test_a_later_residents_phase_moves_the_residents_election(at: AppTest) -> None:
    at.selectbox(key="scenario_bundled").set_value("hongqi-2025.yaml")
    run(at)
    visit(at, "schedule")
    before = schedule_rows(at)
    later = {**PHASES_2025, "residents": (date(2025, 12, 20), date(2026, 1, 31))}
    set_cycle(at, later, holidays="2026-01-09, 2026-01-12\n2026-01-13", workdays="2026-02-14")
    after = schedule_rows(at)
    assert after["rc_election"][0] >= date(2025, 12, 20) > before["rc_election"][0]
    assert after["rc_committee"][0] >= date(2025, 12, 20)
    assert after["pc_election"] == before["pc_election"]  # the Party phase did not change
    c = at.session_state["common_scenario"]
    assert {date(2026, 1, 9), date(2026, 1, 12), date(2026, 1, 13)} <= set(c.schedule.holidays)
    assert date(2026, 2, 14) in c.schedule.workdays
    for stage, (start, end) in after.items():
        first, last = phase_window(later, stage)
        assert first <= start <= end <= last, (stage, start, end)


def test_a_sub_district_moves_every_community(at: AppTest) -> None:
    at.selectbox(key="scenario_bundled").set_value("daqintala.yaml")
    run(at)
    visit(at, "schedule")
    set_cycle(at, PHASES_2025)
    scenario = at.session_state["common_scenario"]
    assert all(c.schedule.template == "generic" for c in scenario.communities)
    assert "没有满足规则的日程。" not in [str(e.value) for e in at.error]
    for c in scenario.communities:
        assert c.schedule.effective_stages()  # every community on the new phases
    frames = [d.value for d in at.dataframe if "阶段" in d.value.columns]
    assert len(frames) == len(scenario.communities)
    for frame in frames:
        for _, row in frame.iterrows():
            first, last = phase_window(PHASES_2025, row["阶段"])
            assert first <= date.fromisoformat(row["开始"]) <= date.fromisoformat(row["结束"]) <= last


def test_a_bad_extra_day_is_refused_and_nothing_changes(at: AppTest) -> None:
    visit(at, "schedule")
    before = at.session_state["common_scenario"].sha256()
    set_cycle(at, PHASES_2025, holidays="2026-02-30")
    assert "“2026-02-30”不是日期（YYYY-MM-DD）" in [str(e.value) for e in at.error]
    assert at.session_state["common_scenario"].sha256() == before


def test_a_phase_too_short_for_its_stages_is_refused_with_the_phase_named(at: AppTest) -> None:
    at.selectbox(key="scenario_bundled").set_value("hongqi-2025.yaml")
    run(at)
    visit(at, "schedule")
    before = at.session_state["common_scenario"].sha256()
    set_cycle(at, {**PHASES_2025, "residents": (date(2026, 1, 5), date(2026, 1, 31))})
    frame = next(d.value for d in at.dataframe if "字段" in d.value.columns)
    assert "phases.residents" in list(frame["字段"])
    assert at.session_state["common_scenario"].sha256() == before


def test_a_new_profile_keeps_the_scenarios_own_rules(at: AppTest) -> None:
    """Choosing the current law's profile: the scenario's own rules (min_women 2) still override it."""
    data = yaml.safe_load((SCENARIOS / "nuoenjiya.yaml").read_text(encoding="utf-8"))
    data["rules"] = {"min_women": 2}
    content = yaml.safe_dump(data, allow_unicode=True).encode()
    at.file_uploader(key="scenario_upload").set_value(("mine.yaml", content, "application/x-yaml"))
    run(at)
    visit(at, "schedule")
    assert at.session_state["common_scenario"].profile == "naiman-2020"
    cycle_widget(at, "selectbox", "profile").set_value("urban-2026")
    cycle_widget(at, "date_input", "reference").set_value(date(2025, 11, 1))
    set_cycle(at, PHASES_2025)
    c = at.session_state["common_scenario"]
    assert c.profile == "urban-2026"
    assert c.reference_date == date(2025, 11, 1)
    assert c.rules.min_women == 2  # the scenario's own
    assert c.rules.seats.residents_committee == 5  # the profile's
