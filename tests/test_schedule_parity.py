"""Brute-force parity: tiny schedules (2-3 stages, small windows) enumerated in plain Python and
judged by the solver-free checker, against the CP-SAT model's feasibility, lexicographic
objective and slack."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from typing import Any

import pytest
from helpers import community

from planner.check.schedule import check_schedule
from planner.legal import FLOORS, PUBLICITY_MIN_DAYS
from planner.scenario import Community
from planner.schedule import plan_schedule
from planner.timeline.calendar import WorkCalendar

BASE = date(2020, 12, 28)  # around New Year 2021: holidays and a weekend in every window


def random_scenario(rng: random.Random) -> Community:
    n = rng.choice([2, 3])
    ids = ["pc_election", "rc_election", "x"][:n] if rng.random() < 0.5 else ["a", "b", "c"][:n]
    stages: list[dict[str, Any]] = []
    shift = 0  # a T09/T10 entry needs 20/5 days: its stage and the later ones move that far
    for i, sid in enumerate(ids):
        rule = rng.choice(["T02", "T02", "T09", "T10"]) if i and rng.random() < 0.7 else None
        # at or a little above the statutory floors of T09/T10 (planner.legal); T02 gaps 0-3
        gap = FLOORS[rule].days + rng.randint(0, 2) if rule in FLOORS else rng.randint(0, 3)
        shift += FLOORS[rule].days if rule in FLOORS else 0
        lo = BASE + timedelta(days=rng.randint(0, 4) + shift)
        stage: dict[str, Any] = {
            "id": sid,
            "window": [lo.isoformat(), (lo + timedelta(days=rng.randint(5, 10))).isoformat()],
            "duration": rng.randint(1, 4),
            "unit": rng.choice(["calendar", "working"]),
        }
        if sid.endswith("election"):
            # every day of an election stage must be an allowed day: sometimes two of them
            stage.update(duration=rng.choice([1, 1, 2]), unit="calendar", election=True)
        if rng.random() < 0.3:  # no shorter than the statutory 5 days (T03, planner.legal)
            stage.update(publicity=True, duration=max(stage["duration"], PUBLICITY_MIN_DAYS))
        if rule is not None:
            stage["after"] = [{"stage": ids[rng.randrange(i)], "gap": gap, "rule": rule}]
        stages.append(stage)
    schedule: dict[str, Any] = {
        "template": "none",
        "stages": stages,
        "allowed_election_days": rng.choice(["any", "any", "weekends", "workdays"]),
    }
    if rng.random() < 0.4:
        schedule["blackout"] = [(BASE + timedelta(days=rng.randint(0, 10))).isoformat()]
    if rng.random() < 0.3:
        schedule["deadlines"] = {ids[-1]: (BASE + timedelta(days=rng.randint(6, 14) + shift)).isoformat()}
    disabled = sorted(rng.sample(["T01", "T02", "T03", "T04", "T05", "T08"], rng.randint(0, 1)))
    if "T01" in disabled:
        disabled.remove("T01")  # keep the enumeration finite: starts range over the windows
    return community([], schedule=schedule, rules={"disabled": disabled})


def brute_force(c: Community) -> tuple[tuple[int, int, int] | None, dict[str, int]]:
    """Best (rc, pc, starts) over every start combination the checker accepts, and latest starts."""
    cal = WorkCalendar(c.schedule.holidays, c.schedule.workdays)
    stages = c.schedule.effective_stages()
    t04 = c.rules.on("T04")
    options = []
    for s in stages:
        assert s.window is not None
        days = [s.window[0] + timedelta(days=k) for k in range((s.window[1] - s.window[0]).days + 1)]
        rows = []
        for d in days:
            end = (
                cal.working_end(d, s.duration)
                if s.unit == "working" and t04
                else d + timedelta(days=s.duration - 1)
            )
            rows.append((d, end))
        options.append(rows)
    best = None
    latest: dict[str, int] = {}
    for combo in itertools.product(*options):
        plan = {
            "test": {
                "stages": [
                    {"id": s.id, "start": a, "end": b} for s, (a, b) in zip(stages, combo, strict=False)
                ]
            }
        }
        if not all(ch.ok for ch in check_schedule(c, plan)):
            continue
        by_id = {s.id: a for s, (a, _) in zip(stages, combo, strict=False)}
        key = (
            by_id["rc_election"].toordinal() if "rc_election" in by_id else 0,
            by_id["pc_election"].toordinal() if "pc_election" in by_id else 0,
            sum(a.toordinal() for a in by_id.values()),
        )
        best = key if best is None or key < best else best
        for sid, a in by_id.items():
            latest[sid] = max(latest.get(sid, 0), a.toordinal())
    return best, latest


@pytest.mark.parametrize("seed", range(60))
def test_parity(seed: int) -> None:
    c = random_scenario(random.Random(seed))
    expected, latest = brute_force(c)
    result = plan_schedule(c, time_limit=10)
    if expected is None:
        assert result.status == "infeasible", result.plan
        assert result.explanation and result.explanation["conflict"]
        return
    assert result.status == "optimal"
    got = result.objective
    assert got is not None
    assert (
        got[0] if "rc_election" in result.plan["test"] else 0,
        got[1] if "pc_election" in result.plan["test"] else 0,
        got[2],
    ) == expected
    for sid, (start, _end) in result.plan["test"].items():
        assert start.toordinal() + result.slack["test"][sid] == latest[sid], sid
