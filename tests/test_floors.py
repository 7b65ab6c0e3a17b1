"""Statutory minimums (planner.legal) are floors: the schedule model and the solver-free checker judge
T03 (publicity >= 5 days), T09 (voter list >= 20 days before the residents' election) and T10 (final
candidates >= 5 days before their election) against max(data, floor), whatever the stage data says.

The scenario validator rejects data below a floor, so these tests load valid scenarios and then lower
the data behind its back (`unvalidated`: the stages a community reports are edited after loading), as
a Community built in Python or a plan verified against older data would.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import community

from planner import legal
from planner.check.schedule import check_schedule
from planner.scenario import Community, ScheduleSettings, Stage
from planner.schedule import plan_schedule
from planner.timeline import stages as stage_data

W = ["2021-01-04", "2021-01-29"]


def unvalidated(
    monkeypatch: pytest.MonkeyPatch,
    c: Community,
    gaps: dict[str, int] | None = None,
    **stage_updates: dict[str, Any],
) -> Community:
    """`c` whose stages, as the planner reads them, carry edited data no validator has seen.

    gaps: rule id -> gap for every precedence entry of that rule; stage_updates: stage id -> field values.
    """
    edited: list[Stage] = []
    for s in c.schedule.effective_stages():
        after = [
            a.model_copy(update={"gap": gaps[a.rule]}) if gaps and a.rule in gaps else a for a in s.after
        ]
        edited.append(s.model_copy(update={"after": after, **stage_updates.get(s.id, {})}))
    original = ScheduleSettings.effective_stages
    target = c.schedule

    def effective_stages(self: ScheduleSettings) -> list[Stage]:
        return [s.model_copy() for s in edited] if self is target else original(self)

    monkeypatch.setattr(ScheduleSettings, "effective_stages", effective_stages)
    return c


def sched(stages: list[dict[str, Any]], disabled: list[str] | None = None, **schedule: Any) -> Community:
    return community(
        [], rules={"disabled": disabled or []}, schedule={"template": "none", "stages": stages, **schedule}
    )


def moved(plan_json: dict[str, Any], cid: str, sid: str, start: date) -> dict[str, Any]:
    """The plan with stage `sid` moved to start on `start` (same length)."""
    out = {k: {"stages": [dict(r) for r in v["stages"]]} for k, v in plan_json.items()}
    for row in out[cid]["stages"]:
        if row["id"] == sid:
            length = date.fromisoformat(row["end"]) - date.fromisoformat(row["start"])
            row["start"], row["end"] = start.isoformat(), (start + length).isoformat()
    return out


def verdicts(c: Community, plan_json: dict[str, Any]) -> dict[str, bool]:
    return {ch.rule: ch.ok for ch in check_schedule(c, plan_json)}


def end_of(plan_json: dict[str, Any], cid: str, sid: str) -> date:
    return date.fromisoformat(next(r["end"] for r in plan_json[cid]["stages"] if r["id"] == sid))


# ---------------------------------------------------------------- one source


def test_floors_live_in_planner_legal_only() -> None:
    assert legal.FLOORS["T03"].days == 5 and legal.FLOORS["T09"].days == 20 and legal.FLOORS["T10"].days == 5
    assert all(f.source for f in legal.FLOORS.values())
    assert stage_data.PUBLICITY_MIN_DAYS is legal.PUBLICITY_MIN_DAYS
    root = Path(legal.__file__).parent
    defining = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*.py")
        if "PUBLICITY_MIN_DAYS =" in p.read_text(encoding="utf-8")
    ]
    assert defining == ["legal.py"]
    assert legal.gap_floor("T09", 10) == 20 and legal.gap_floor("T09", 25) == 25
    assert legal.gap_floor("T10", 4) == 5 and legal.gap_floor("T02", 0) == 0


# ---------------------------------------------------------------- the checker


@pytest.mark.parametrize("gap", [10, 3])
def test_checker_t09_voter_list_19_days_before_fails_whatever_the_data(
    monkeypatch: pytest.MonkeyPatch, gap: int
) -> None:
    valid = community([])
    plan = plan_schedule(valid, time_limit=20, slack=False).communities_json()
    c = unvalidated(monkeypatch, community([]), gaps={"T09": gap})
    rc = next(s for s in c.schedule.effective_stages() if s.id == "rc_election")
    assert {a.rule: a.gap for a in rc.after}["T09"] == gap  # the data really says less than the law
    voter_list_end = end_of(plan, "test", "rc_voter_list")
    assert not verdicts(c, moved(plan, "test", "rc_election", voter_list_end + timedelta(days=19)))["T09"]
    assert verdicts(c, moved(plan, "test", "rc_election", voter_list_end + timedelta(days=20)))["T09"]


@pytest.mark.parametrize("gap", [4, 1])
def test_checker_t10_candidates_4_days_before_fails_whatever_the_data(
    monkeypatch: pytest.MonkeyPatch, gap: int
) -> None:
    stages = [
        {"id": "rc_candidates", "window": W},
        {
            "id": "rc_election",
            "window": W,
            "election": True,
            "after": [{"stage": "rc_candidates", "gap": 5, "rule": "T10"}],
        },
    ]
    c = unvalidated(monkeypatch, sched(stages), gaps={"T10": gap})
    plan = {
        "test": {
            "stages": [
                {"id": "rc_candidates", "start": "2021-01-04", "end": "2021-01-04"},
                {"id": "rc_election", "start": "2021-01-08", "end": "2021-01-08"},
            ]
        }
    }
    assert not verdicts(c, plan)["T10"]  # 4 days after the list is posted
    assert verdicts(c, moved(plan, "test", "rc_election", date(2021, 1, 9)))["T10"]


def test_checker_t03_publicity_against_five_days(monkeypatch: pytest.MonkeyPatch) -> None:
    c = unvalidated(
        monkeypatch, sched([{"id": "p", "window": W, "duration": 5, "publicity": True}]), p={"duration": 3}
    )
    three = {"test": {"stages": [{"id": "p", "start": "2021-01-04", "end": "2021-01-06"}]}}
    got = verdicts(c, three)
    assert got["stages"] and not got["T03"]  # the data's 3 days are kept, the law's 5 are not


# ---------------------------------------------------------------- the model


def test_model_never_puts_the_voter_list_under_20_days(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = plan_schedule(community([]), time_limit=20, slack=False)
    c = unvalidated(monkeypatch, community([]), gaps={"T09": 10, "T10": 2})
    result = plan_schedule(c, time_limit=20, slack=False)
    assert result.status == "optimal"
    plan = result.plan["test"]
    assert plan["rc_election"][0] >= plan["rc_voter_list"][1] + timedelta(days=20)
    assert plan["rc_election"][0] >= plan["rc_candidates"][1] + timedelta(days=5)
    assert plan == expected.plan["test"]  # the floors, not the lowered data, decide
    assert all(ch.ok for ch in result.checks)


def test_model_t10_binds_at_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    stages = [
        {"id": "k", "window": ["2021-01-04", "2021-01-04"]},
        {"id": "e", "window": W, "election": True, "after": [{"stage": "k", "gap": 5, "rule": "T10"}]},
    ]
    c = unvalidated(monkeypatch, sched(stages, ["T02"]), gaps={"T10": 2})
    result = plan_schedule(c, time_limit=10)
    assert result.plan["test"]["e"][0] == date(2021, 1, 9)  # 4 January + 5, not + 2
    assert result.slack["test"]["e"] == 20
    pinned = plan_schedule(c, {"e": date(2021, 1, 8)}, slack=False)
    assert pinned.status == "infeasible"
    assert set(pinned.explanation["conflict"]) == {"T01", "T10", "pin:e"}  # k is fixed by its window
    assert "5" in pinned.explanation["message_en"]


def test_model_t03_publicity_shorter_than_five_days(monkeypatch: pytest.MonkeyPatch) -> None:
    base = [{"id": "p", "window": W, "duration": 5, "publicity": True}]
    four = unvalidated(monkeypatch, sched(base), p={"duration": 4})
    result = plan_schedule(four, slack=False)
    assert result.status == "infeasible"
    assert result.explanation["conflict"] == ["T03"]
    assert "T03" in result.explanation["message_zh"] and "publicity" in result.explanation["message_en"]
    assert "5" in result.explanation["message_zh"]
    monkeypatch.undo()
    off = unvalidated(monkeypatch, sched(base, ["T03"]), p={"duration": 4})
    assert plan_schedule(off, slack=False).plan["test"]["p"] == (date(2021, 1, 4), date(2021, 1, 7))
