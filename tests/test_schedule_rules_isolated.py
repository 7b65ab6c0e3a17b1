"""Each schedule rule alone (CP-SAT Primer style): build the model of a small scenario with only that rule on,
fix a stage start or two, assert feasible or infeasible; the solver-free checker gives the same verdict on
the same dates.

January 2021: Monday 4, Friday 8, Saturday 9, Sunday 10, Monday 11 (no public holiday in between).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from ortools.sat.python import cp_model

from planner.check.schedule import check_schedule
from planner.registry import LAYERS, implementation
from planner.rules import SCHEDULE_RULES
from planner.scenario import Community, Scenario, Subdistrict, communities, parse_scenario
from planner.schedule.model import ScheduleModel
from planner.text import Text
from planner.timeline.calendar import WorkCalendar
from planner.timeline.stages import rules_in_force

W = ["2021-01-04", "2021-01-29"]
D = date.fromisoformat


def community_data(
    rule_id: str, stages: list[dict[str, Any]], cid: str = "test", **schedule: Any
) -> dict[str, Any]:
    """A community with `stages` (no template) and every schedule rule but `rule_id` switched off."""
    return {
        "kind": "community",
        "id": cid,
        "name": "测试社区",
        "reference_date": "2020-12-10",
        "people": [],
        "rules": {"disabled": [r for r in SCHEDULE_RULES if r != rule_id]},
        "schedule": {"template": "none", "stages": stages, **schedule},
    }


def only(rule_id: str, stages: list[dict[str, Any]], **schedule: Any) -> Community:
    c = parse_scenario(community_data(rule_id, stages, **schedule), source="<test>")
    assert isinstance(c, Community)
    return c


def end_of(c: Community, sid: str, start: date) -> date:
    """The stage's last day when begun on `start`: working days under T04, calendar days otherwise."""
    s = next(s for s in c.schedule.effective_stages() if s.id == sid)
    if s.unit == "working" and "T04" in rules_in_force(c):
        return WorkCalendar(c.schedule.holidays, c.schedule.workdays).working_end(start, s.duration)
    return start + timedelta(days=s.duration - 1)


def model_feasible(scenario: Scenario, fixed: dict[tuple[str, str], date]) -> bool:
    """The hard model (only the scenario's rules on) with the given stage starts fixed."""
    sm = ScheduleModel(scenario, [])
    for key, day in fixed.items():
        sm.model.add(sm.vars[key].start == sm.index(day))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    status = solver.solve(sm.model)
    assert status != cp_model.UNKNOWN
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def checker_ok(scenario: Scenario, rule_id: str, fixed: dict[tuple[str, str], date]) -> bool:
    """The checker's verdict on `rule_id` for a plan of the fixed stages (start, end by the stage's unit)."""
    by_id = {c.id: c for c in communities(scenario)}
    plan: dict[str, Any] = {cid: {"stages": []} for cid in by_id}
    for (cid, sid), start in fixed.items():
        plan[cid]["stages"].append(
            {"id": sid, "start": start.isoformat(), "end": end_of(by_id[cid], sid, start).isoformat()}
        )
    check = next(ch for ch in check_schedule(scenario, plan) if ch.rule == rule_id)
    assert not check.disabled
    assert (
        check.detail_zh and check.detail_en and check.detail == Text(check.detail_zh, check.detail_en).both()
    )
    return check.ok


def verdict(scenario: Scenario, rule_id: str, **starts: str) -> bool:
    """Model and checker agree on the fixed starts (`stage=day`, or `community__stage=day`); their verdict."""
    fixed = {}
    for key, day in starts.items():
        cid, sid = key.split("__") if "__" in key else (communities(scenario)[0].id, key)
        fixed[(cid, sid)] = D(day)
    model = model_feasible(scenario, fixed)
    checker = checker_ok(scenario, rule_id, fixed)
    assert model == checker, f"{rule_id}: model says {model}, checker says {checker} on {starts}"
    return model


# ---------------------------------------------------------------- the registry


def test_every_schedule_rule_has_one_function_per_layer() -> None:
    import planner.schedule.explain  # noqa: F401 - registers the describers

    for rule_id in SCHEDULE_RULES:
        for layer in LAYERS:
            fn = implementation(rule_id, layer)
            assert fn is not None and fn.__name__.startswith(f"{rule_id}_"), (rule_id, layer)


# ---------------------------------------------------------------- one rule at a time


def test_t01_window_alone() -> None:
    c = only("T01", [{"id": "a", "window": W, "duration": 3}])
    assert verdict(c, "T01", a="2021-01-04")
    assert verdict(c, "T01", a="2021-01-27")
    assert not verdict(c, "T01", a="2021-01-28")  # ends 2021-01-30, after the window


def test_t02_precedence_alone() -> None:
    c = only("T02", [{"id": "a", "window": W}, {"id": "b", "window": W, "after": [{"stage": "a", "gap": 2}]}])
    assert verdict(c, "T02", a="2021-01-05", b="2021-01-07")
    assert not verdict(c, "T02", a="2021-01-05", b="2021-01-06")


def test_t03_publicity_alone() -> None:
    # T04 off: a working stage counts calendar days, so 3 "working" days span 3 days, fewer than 5.
    short = only("T03", [{"id": "p", "window": W, "duration": 3, "unit": "working", "publicity": True}])
    assert not verdict(short, "T03", p="2021-01-04")
    five = only("T03", [{"id": "p", "window": W, "duration": 5, "unit": "working", "publicity": True}])
    assert verdict(five, "T03", p="2021-01-04")


def test_t04_election_days_alone() -> None:
    c = only("T04", [{"id": "e", "window": W, "election": True}], allowed_election_days="weekends")
    assert verdict(c, "T04", e="2021-01-09")  # Saturday
    assert not verdict(c, "T04", e="2021-01-11")  # Monday
    two = only(
        "T04", [{"id": "e", "window": W, "duration": 2, "election": True}], allowed_election_days="weekends"
    )
    assert verdict(two, "T04", e="2021-01-09")  # Saturday + Sunday
    assert not verdict(two, "T04", e="2021-01-10")  # Sunday + Monday


def test_t04_working_days_alone() -> None:
    c = only("T04", [{"id": "w", "window": W, "duration": 3, "unit": "working"}])
    assert verdict(c, "T04", w="2021-01-07")  # Thursday, Friday, Monday
    assert not verdict(c, "T04", w="2021-01-09")  # a Saturday start


def test_t05_party_first_alone() -> None:
    c = only(
        "T05",
        [
            {"id": "pc_election", "window": W, "election": True},
            {"id": "rc_election", "window": W, "election": True},
        ],
    )
    assert verdict(c, "T05", pc_election="2021-01-06", rc_election="2021-01-07")
    assert not verdict(c, "T05", pc_election="2021-01-06", rc_election="2021-01-06")


def test_t06_deadline_alone() -> None:
    c = only("T06", [{"id": "a", "window": W, "duration": 2}], deadlines={"a": "2021-01-10"})
    assert verdict(c, "T06", a="2021-01-09")
    assert not verdict(c, "T06", a="2021-01-10")  # ends 2021-01-11


def test_t07_capacity_alone() -> None:
    stages = [{"id": "e", "window": W, "election": True}]
    sub = parse_scenario(
        {
            "kind": "subdistrict",
            "id": "sub",
            "name": "街道",
            "capacity": 1,
            "communities": [community_data("T07", stages, cid=cid) for cid in ("c0", "c1")],
        },
        source="<test>",
    )
    assert isinstance(sub, Subdistrict)
    assert verdict(sub, "T07", c0__e="2021-01-09", c1__e="2021-01-10")
    assert not verdict(sub, "T07", c0__e="2021-01-09", c1__e="2021-01-09")


def test_t08_blackout_alone() -> None:
    c = only("T08", [{"id": "a", "window": W, "duration": 3}], blackout=["2021-01-08"])
    assert verdict(c, "T08", a="2021-01-09")
    assert verdict(c, "T08", a="2021-01-05")  # 5..7, the day before
    assert not verdict(c, "T08", a="2021-01-06")  # 6..8 covers it


def test_t09_voter_list_notice_alone() -> None:
    c = only(
        "T09",
        [
            {"id": "v", "window": W},
            {"id": "e", "window": W, "election": True, "after": [{"stage": "v", "gap": 20, "rule": "T09"}]},
        ],
    )
    assert verdict(c, "T09", v="2021-01-04", e="2021-01-24")
    assert not verdict(c, "T09", v="2021-01-04", e="2021-01-23")  # 19 days


def test_t10_candidate_notice_alone() -> None:
    c = only(
        "T10",
        [
            {"id": "k", "window": W},
            {"id": "e", "window": W, "election": True, "after": [{"stage": "k", "gap": 5, "rule": "T10"}]},
        ],
    )
    assert verdict(c, "T10", k="2021-01-04", e="2021-01-09")
    assert not verdict(c, "T10", k="2021-01-04", e="2021-01-08")


@pytest.mark.parametrize("rule_id", SCHEDULE_RULES)
def test_a_rule_switched_off_adds_nothing(rule_id: str) -> None:
    """With every rule off the model is the bare variables: any start in the horizon is feasible."""
    c = parse_scenario(
        {
            **community_data(rule_id, [{"id": "a", "window": W, "duration": 3}]),
            "rules": {"disabled": list(SCHEDULE_RULES)},
        },
        source="<test>",
    )
    assert model_feasible(c, {("test", "a"): D("2021-01-28")})
    check = next(ch for ch in check_schedule(c, {"test": {"stages": []}}) if ch.rule == rule_id)
    assert check.ok and (check.disabled or rule_id == "T07")
