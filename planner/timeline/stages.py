"""Stage data shared by the CP-SAT model and the solver-free checker (no ortools, no planner.scenario).

Pins, the rules in force per community, the binding precedence entries and the T04 election-day
test (SCENARIO.md "Stages" and "Precise meanings"). This module sits below planner/scenario.py:
it reads communities and stages by their attributes and imports their classes for type hints only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from planner.issues import Issue, ScenarioError
from planner.legal import PUBLICITY_MIN_DAYS, gap_floor
from planner.rules import SCHEDULE_RULES
from planner.text import Text

if TYPE_CHECKING:
    from planner.scenario import Community, Stage
    from planner.timeline.calendar import WorkCalendar

CommunityId = str
StageId = str

__all__ = [
    "PUBLICITY_MIN_DAYS",
    "CommunityId",
    "Pin",
    "StageId",
    "election_days_ok",
    "first_bad_election_day",
    "holiday_election_warnings",
    "merge_pins",
    "precedence_entries",
    "rules_in_force",
    "span_estimate",
]


@dataclass(frozen=True)
class Pin:
    """A fixed start date; `key` is the name blamed in explanations (`pin:STAGE` or `pin:COMMUNITY/STAGE`)."""

    key: str
    community: CommunityId
    stage: StageId
    day: date
    source: str  # "command" | "scenario" | "concentrated"


def merge_pins(
    comms: Sequence[Community],
    pins: dict[str, date] | None = None,
    *,
    sub: bool = False,
    concentrated_day: date | None = None,
) -> list[Pin]:
    """Merge 集中选举日, each community's `schedule.pin` and the command's pins (later ones win).

    `comms` are the scenario's communities, `sub` whether it is a sub-district and `concentrated_day`
    its 集中选举日 (planner.check.schedule.resolve_pins reads them off a scenario).
    A command pin "STAGE" applies to every community with that stage, "COMMUNITY/STAGE" to one.
    Unknown stages or communities are bad input (ScenarioError).
    """
    stage_ids = {c.id: {s.id for s in c.schedule.effective_stages()} for c in comms}
    merged: dict[tuple[str, str], Pin] = {}
    if sub and concentrated_day is not None:
        for c in comms:
            if "rc_election" in stage_ids[c.id]:
                merged[(c.id, "rc_election")] = Pin(
                    "pin:rc_election", c.id, "rc_election", concentrated_day, "concentrated"
                )
    for c in comms:
        for sid, day in c.schedule.pin.items():
            key = f"pin:{c.id}/{sid}" if sub else f"pin:{sid}"
            merged[(c.id, sid)] = Pin(key, c.id, sid, day, "scenario")
    issues: list[Issue] = []
    for raw, day in sorted((pins or {}).items(), key=lambda kv: ("/" in kv[0], kv[0])):
        if "/" in raw:
            cid, sid = raw.split("/", 1)
            targets = [cid]
            if cid not in stage_ids:
                issues.append(
                    Issue(
                        file="--pin",
                        field=raw,
                        message=f"unknown community '{cid}'",
                        hint=f"use one of {', '.join(stage_ids)}",
                    )
                )
                continue
        else:
            sid, targets = raw, [c.id for c in comms]
        hit = False
        for cid in targets:
            if sid in stage_ids[cid]:
                key = f"pin:{cid}/{sid}" if sub and "/" in raw else f"pin:{sid}"
                merged[(cid, sid)] = Pin(key, cid, sid, day, "command")
                hit = True
        if not hit:
            issues.append(
                Issue(
                    file="--pin",
                    field=raw,
                    message=f"unknown stage '{sid}'",
                    hint="use a stage id such as rc_election",
                )
            )
    if issues:
        raise ScenarioError(issues)
    return list(merged.values())


def rules_in_force(c: Community) -> set[str]:
    """Schedule rules (T01-T10) switched on in a community."""
    return {r for r in SCHEDULE_RULES if c.rules.on(r)}


def span_estimate(s: Stage) -> int:
    """A generous bound on a stage's calendar span (working stages across the longest holiday)."""
    return s.duration if s.unit == "calendar" else 2 * s.duration + 9


def precedence_entries(c: Community) -> list[tuple[str, StageId, StageId, int]]:
    """(rule, predecessor, successor, gap) for every binding precedence (T02/T05/T09/T10).

    The gap of a T09/T10 entry is its data raised to the statutory floor (planner.legal.gap_floor),
    so the model and the checker judge against the law even when lower data slips past validation.
    T05 also holds between pc_election and rc_election whenever both exist, listed or not
    (SCENARIO.md "Precise meanings"), with gap 1: the residents' election is on a later day.
    """
    stages = {s.id: s for s in c.schedule.effective_stages()}
    out = [
        (a.rule, a.stage, s.id, gap_floor(a.rule, a.gap))
        for s in stages.values()
        for a in s.after
        if a.stage in stages
    ]
    if "pc_election" in stages and "rc_election" in stages:
        out.append(("T05", "pc_election", "rc_election", 1))
    return out


def first_bad_election_day(
    allowed: str, is_workday: Callable[[date], bool], start: date, end: date
) -> date | None:
    """T04: the first day of an election stage, start to end, that is not an allowed day (None: all allowed).

    `allowed_election_days`: `weekends` = official rest days only, `workdays` = official working days
    only, `any` = every day (SCENARIO.md "Precise meanings": every day of an election stage counts).
    """
    if allowed == "any":
        return None
    want_work = allowed == "workdays"
    for k in range((end - start).days + 1):
        d = start + timedelta(days=k)
        if is_workday(d) != want_work:
            return d
    return None


def election_days_ok(allowed: str, is_workday: Callable[[date], bool], start: date, end: date) -> bool:
    """T04: every day of an election stage, start to end, is an allowed day."""
    return first_bad_election_day(allowed, is_workday, start, end) is None


def holiday_election_warnings(
    c: Community, spans: dict[StageId, tuple[date, date]], calendar: WorkCalendar, *, sub: bool = False
) -> list[Text]:
    """A warning for every election stage planned on an official public holiday (元旦, 春节, ... or a
    holiday of the calendar file), whatever `allowed_election_days` says: the law allows it, but a
    planner should know. `sub`: name the community too."""
    out: list[Text] = []
    for s in c.schedule.effective_stages():
        if not s.election or s.id not in spans:
            continue
        start, end = spans[s.id]
        for k in range((end - start).days + 1):
            d = start + timedelta(days=k)
            name = calendar.public_holiday(d)
            if name is None:
                continue
            who = f"{c.id}: " if sub else ""
            who_zh = f"{c.id}：" if sub else ""
            label = f"{s.id} {s.name}".strip()
            en_name = name.zh if name.zh == name.en else f"{name.zh}, {name.en}"
            out.append(
                Text(
                    f"{who_zh}{label} 安排在 {d}，为法定节假日（{name.zh}）",
                    f"{who}{label} on {d}, an official public holiday ({en_name})",
                )
            )
    return out
