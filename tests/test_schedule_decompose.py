"""Decomposition parity (planner/schedule/lattice.py): small sub-districts solved by the per-community
lattices and the capacity master give the same status and lexicographic optimum as the monolithic
CP-SAT model, and every plan passes the solver-free checker (plan_schedule re-checks it)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from test_schedule_parity import random_scenario

from planner.check.schedule import check_schedule
from planner.plan import ScheduleResult
from planner.scenario import Subdistrict, parse_scenario
from planner.schedule import plan_schedule
from planner.schedule import solve as schedule_solve
from planner.schedule.model import ScheduleModel


def random_subdistrict(rng: random.Random) -> Subdistrict:
    """2-4 small communities, some sharing one shape (a class of the master), capacity 1-2."""
    comms: list[dict[str, Any]] = []
    shapes = [random_scenario(rng) for _ in range(rng.choice([1, 2, 3]))]
    for i in range(rng.choice([2, 3, 4])):
        data = rng.choice(shapes).model_dump(mode="json")
        data["id"] = f"c{i}"
        stages = data["schedule"]["stages"]
        if rng.random() < 0.4:  # a multi-day work-group stage besides the elections
            rng.choice(stages)["work_group"] = True
        comms.append(data)
    data = {"kind": "subdistrict", "id": "sd", "capacity": rng.choice([1, 1, 2]), "communities": comms}
    scenario = parse_scenario(data, source="<test>")
    assert isinstance(scenario, Subdistrict)
    return scenario


def solve(sub: Subdistrict) -> tuple[str, dict, bool]:
    return schedule_solve._solve_plan(ScheduleModel(sub, []), schedule_solve._Clock(20), 0, 1)


@pytest.mark.parametrize("seed", range(40))
def test_decomposition_matches_monolithic(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    sub = random_subdistrict(random.Random(1000 + seed))
    status, plan, decomposed = solve(sub)
    assert decomposed
    if plan:
        result = ScheduleResult(scenario=sub, status=status, plan=plan)
        assert all(ch.ok for ch in check_schedule(sub, result.communities_json())), plan
    monkeypatch.setattr(schedule_solve, "solve_decomposed", lambda *a, **k: None)
    slow_status, slow_plan, decomposed = solve(sub)
    assert not decomposed
    assert (status, slow_status) in (("optimal", "optimal"), ("infeasible", "infeasible"))
    if plan:
        assert schedule_solve._objective(plan) == schedule_solve._objective(slow_plan)


def template_subdistrict(n: int, capacity: int, **extra: Any) -> Subdistrict:
    comms = [
        {
            "kind": "community",
            "id": f"c{i}",
            "reference_date": "2020-12-10",
            "schedule": {"blackout": ["2021-01-05"]} if i % 3 == 0 else {},
        }
        for i in range(n)
    ]
    data = {"kind": "subdistrict", "id": "sd", "capacity": capacity, "communities": comms, **extra}
    scenario = parse_scenario(data, source="<test>")
    assert isinstance(scenario, Subdistrict)
    return scenario


def test_template_subdistrict_matches_monolithic(monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed's 23-stage template, 5 communities, capacity 2: the same optimum both ways."""
    sub = template_subdistrict(5, 2)
    status, plan, decomposed = solve(sub)
    assert decomposed and status == "optimal"
    monkeypatch.setattr(schedule_solve, "solve_decomposed", lambda *a, **k: None)
    slow_status, slow_plan, _ = solve(sub)
    assert slow_status == "optimal"
    assert schedule_solve._objective(plan) == schedule_solve._objective(slow_plan)


@pytest.mark.parametrize("seed", range(24))
def test_latest_starts_match_monolithic(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """start + slack is each stage's latest feasible start over every schedule (T07 included): a
    property of the scenario, not of the plan, so both ways must agree stage by stage."""
    sub = random_subdistrict(random.Random(1000 + seed))
    if solve(sub)[0] != "optimal":
        return
    fast = plan_schedule(sub, time_limit=20)
    monkeypatch.setattr(schedule_solve, "solve_decomposed", lambda *a, **k: None)
    slow = plan_schedule(sub, time_limit=20)
    assert not any("lower bound" in w.en for w in fast.warnings + slow.warnings)
    for cid, stages in fast.plan.items():
        for sid, (start, _end) in stages.items():
            latest = start.toordinal() + fast.slack[cid][sid]
            assert latest == slow.plan[cid][sid][0].toordinal() + slow.slack[cid][sid], (cid, sid)
