"""Solver-free schedule checker: one function per rule id T01-T10, plain Python (never ortools).

It judges a schedule in the JSON of SCENARIO.md (`{cid: {"stages": [{id, start, end}]}}`)
against the scenario: the solver re-checks every plan with it, and `planner verify` uses it
on saved plans. Besides T01-T10 it reports `stages` (every stage present, durations kept)
and, when pins are in force, `pin` (each pinned stage starts on its date).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from planner.legal import PUBLICITY_MIN_DAYS
from planner.plan import RuleCheck
from planner.scenario import Community, Scenario, Stage, Subdistrict, communities
from planner.schedule.calendar import WorkCalendar
from planner.schedule.stages import (
    Pin,
    first_bad_election_day,
    precedence_entries,
    resolve_pins,
    rules_in_force,
)

Span = tuple[date, date]


@dataclass
class _Community:
    community: Community
    stages: dict[str, Stage]
    plan: dict[str, Span]
    calendar: WorkCalendar
    rules: set[str]


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _context(scenario: Scenario, communities_json: dict[str, Any]) -> tuple[list[_Community], list[str]]:
    out, problems = [], []
    for c in communities(scenario):
        stages = {s.id: s for s in c.schedule.effective_stages()}
        plan: dict[str, Span] = {}
        entry = communities_json.get(c.id)
        if entry is None:
            problems.append(f"{c.id}: no schedule")
        else:
            for row in entry.get("stages", []):
                try:
                    plan[row["id"]] = (_day(row["start"]), _day(row["end"]))
                except (KeyError, TypeError, ValueError) as exc:
                    problems.append(f"{c.id}: bad stage entry {row!r} ({exc})")
        out.append(_Community(c, stages, plan, WorkCalendar(c.schedule.holidays, c.schedule.workdays),
                              rules_in_force(c)))
    return out, problems


def _check(rule: str, ctx: list[_Community], bad: list[tuple[str, str]], ok_detail: str,
           applies: bool = True) -> RuleCheck:
    """Wrap violations [(stage label, text)] as a RuleCheck; `applies` False = switched off everywhere."""
    if not applies:
        return RuleCheck(rule=rule, ok=True, detail="switched off", disabled=True)
    if bad:
        return RuleCheck(rule=rule, ok=False, detail="; ".join(t for _, t in bad),
                         people=list(dict.fromkeys(s for s, _ in bad)))
    return RuleCheck(rule=rule, ok=True, detail=ok_detail)


def _label(x: _Community, sid: str, sub: bool) -> str:
    return f"{x.community.id}/{sid}" if sub else sid


def stages(ctx: list[_Community], sub: bool, problems: list[str]) -> RuleCheck:
    """Every stage of the scenario is scheduled once, end >= start, and durations hold
    (calendar units: end = start + duration - 1; SCENARIO.md "Stages")."""
    bad = [("-", p) for p in problems]
    for x in ctx:
        for sid in x.stages:
            if sid not in x.plan:
                bad.append((_label(x, sid, sub), f"{_label(x, sid, sub)} is missing"))
        for sid in x.plan:
            if sid not in x.stages:
                bad.append((_label(x, sid, sub), f"{_label(x, sid, sub)} is not a stage of the scenario"))
        for sid, (start, end) in x.plan.items():
            s = x.stages.get(sid)
            if s is None:
                continue
            if end < start:
                bad.append((_label(x, sid, sub), f"{_label(x, sid, sub)} ends {end} before it starts {start}"))
            elif (s.unit == "calendar" or "T04" not in x.rules) and (end - start).days + 1 != s.duration:
                bad.append((_label(x, sid, sub), (f"{_label(x, sid, sub)} spans {(end - start).days + 1} days, "
                            f"duration is {s.duration}")))
    return _check("stages", ctx, bad, "every stage scheduled with its duration")


def T01_window(ctx: list[_Community], sub: bool) -> RuleCheck:
    """T01 时间窗口: every stage starts and ends inside its window (work plan 四)."""
    bad = []
    for x in ctx:
        if "T01" not in x.rules:
            continue
        for sid, (start, end) in x.plan.items():
            s = x.stages.get(sid)
            if s and s.window and (start < s.window[0] or end > s.window[1]):
                bad.append((_label(x, sid, sub), (f"{_label(x, sid, sub)} {start}..{end} outside its window "
                            f"{s.window[0]}..{s.window[1]}")))
    return _check("T01", ctx, bad, "every stage inside its window", any("T01" in x.rules for x in ctx))


def _precedence(rule: str, ctx: list[_Community], sub: bool, what: str) -> RuleCheck:
    bad = []
    for x in ctx:
        if rule not in x.rules:
            continue
        for r, pred, succ, gap in precedence_entries(x.community):
            if r != rule or pred not in x.plan or succ not in x.plan:
                continue
            if x.plan[succ][0] < x.plan[pred][1] + timedelta(days=gap):
                bad.append((_label(x, succ, sub),
                            (f"{_label(x, succ, sub)} starts {x.plan[succ][0]}, before {x.plan[pred][1]} "
                            f"({pred} ends) + {gap} day(s)")))
    return _check(rule, ctx, bad, what, any(rule in x.rules for x in ctx))


def T02_precedence(ctx: list[_Community], sub: bool) -> RuleCheck:
    """T02 程序顺序: a stage starts only after each stage it follows has ended, plus the gap (四(二))."""
    return _precedence("T02", ctx, sub, "every stage after its predecessors")


def T03_publicity(ctx: list[_Community], sub: bool) -> RuleCheck:
    """T03 公示: a publicity stage spans at least 5 calendar days (预备人选公示不少于5日, 四(二)1(3))."""
    bad = []
    for x in ctx:
        if "T03" not in x.rules:
            continue
        for sid, (start, end) in x.plan.items():
            s = x.stages.get(sid)
            if s and s.publicity and (end - start).days + 1 < PUBLICITY_MIN_DAYS:
                bad.append((_label(x, sid, sub), (f"{_label(x, sid, sub)} spans {(end - start).days + 1} days, "
                            f"fewer than {PUBLICITY_MIN_DAYS}")))
    return _check("T03", ctx, bad, "publicity stages last at least 5 days", any("T03" in x.rules for x in ctx))


def T04_calendar(ctx: list[_Community], sub: bool) -> RuleCheck:
    """T04 工作日: working stages start and end on working days and cover exactly `duration` working
    days of the official calendar; every day of an election stage is an allowed day (国务院放假安排)."""
    bad = []
    for x in ctx:
        if "T04" not in x.rules:
            continue
        cal = x.calendar
        allowed = x.community.schedule.allowed_election_days
        for sid, (start, end) in x.plan.items():
            s = x.stages.get(sid)
            if s is None or end < start:
                continue
            name = _label(x, sid, sub)
            if s.unit == "working":
                if not cal.is_workday(start) or not cal.is_workday(end):
                    bad.append((name, f"{name} {start}..{end} does not start and end on working days"))
                elif (n := cal.working_days(start, end)) != s.duration:
                    bad.append((name, f"{name} covers {n} working days, duration is {s.duration}"))
            if s.election and (day := first_bad_election_day(allowed, cal.is_workday, start, end)) is not None:
                kind = "working day" if allowed == "workdays" else "rest day"
                what = f"on {start}" if start == end else f"{start}..{end} covers {day},"
                bad.append((name, f"{name} {what} not an official {kind}"))
    return _check("T04", ctx, bad, "working days and election days as the calendar allows",
                  any("T04" in x.rules for x in ctx))


def T05_party_first(ctx: list[_Community], sub: bool) -> RuleCheck:
    """T05 先党组织后居委会: the residents' election is after the Party election (四(二)2)."""
    return _precedence("T05", ctx, sub, "residents' election after the Party election")


def T06_deadline(ctx: list[_Community], sub: bool) -> RuleCheck:
    """T06 完成时限: a stage with a deadline ends by it (work plan 二, 四)."""
    bad = []
    for x in ctx:
        if "T06" not in x.rules:
            continue
        for sid, day in x.community.schedule.effective_deadlines().items():
            if sid in x.plan and x.plan[sid][1] > day:
                bad.append((_label(x, sid, sub), (f"{_label(x, sid, sub)} ends {x.plan[sid][1]}, after its "
                            f"deadline {day}")))
    return _check("T06", ctx, bad, "every deadline met", any("T06" in x.rules for x in ctx))


def T07_capacity(ctx: list[_Community], sub: bool, capacity: int | None) -> RuleCheck:
    """T07 工作组: in a sub-district, at most `capacity` communities per day hold an election or a
    work-group stage (四(一)1)."""
    if not sub or capacity is None:
        return RuleCheck(rule="T07", ok=True, detail="not a sub-district plan")
    busy: dict[date, set[str]] = defaultdict(set)
    for x in ctx:
        if "T07" not in x.rules:
            continue
        for sid, (start, end) in x.plan.items():
            s = x.stages.get(sid)
            if s and (s.election or s.work_group) and end >= start:
                for d in _days(start, end):
                    busy[d].add(x.community.id)
    bad = [(",".join(sorted(ids)), f"{d}: {len(ids)} communities ({', '.join(sorted(ids))}) > capacity {capacity}")
           for d, ids in sorted(busy.items()) if len(ids) > capacity]
    return _check("T07", ctx, bad, f"at most {capacity} communities per day", any("T07" in x.rules for x in ctx))


def T08_blackout(ctx: list[_Community], sub: bool) -> RuleCheck:
    """T08 禁选日: no stage covers a blackout date (五(三))."""
    bad = []
    for x in ctx:
        if "T08" not in x.rules:
            continue
        for day in sorted(set(x.community.schedule.blackout)):
            for sid, (start, end) in x.plan.items():
                if start <= day <= end:
                    bad.append((_label(x, sid, sub), f"{_label(x, sid, sub)} {start}..{end} covers blackout {day}"))
    return _check("T08", ctx, bad, "no stage on a blackout date", any("T08" in x.rules for x in ctx))


def T09_voter_list_notice(ctx: list[_Community], sub: bool) -> RuleCheck:
    """T09 选民名单公布: the voter list >= 20 days before election day (村委会组织法 第十四条)."""
    return _precedence("T09", ctx, sub, "voter list published in time")


def T10_candidate_notice(ctx: list[_Community], sub: bool) -> RuleCheck:
    """T10 候选人公布: final candidates >= 5 days before election day (provincial measures)."""
    return _precedence("T10", ctx, sub, "candidates published in time")


def pins_held(ctx: list[_Community], sub: bool, pins: list[Pin]) -> RuleCheck:
    """Every pin (what-if fixed start, 集中选举日 included) holds."""
    plans = {x.community.id: x.plan for x in ctx}
    bad = []
    for p in pins:
        got = plans.get(p.community, {}).get(p.stage)
        if got is not None and got[0] != p.day:
            bad.append((p.key, f"{p.key} starts {got[0]}, pinned to {p.day}"))
    return _check("pin", ctx, bad, f"{len(pins)} pin(s) held")


def check_schedule(scenario: Scenario, communities_json: dict[str, Any],
                   pins: dict[str, date] | None = None) -> list[RuleCheck]:
    """Judge a schedule: `stages`, then T01-T10 in id order, then `pin` when any pin is in force.

    `pins` are the command's pins ("STAGE" or "COMMUNITY/STAGE"); the scenario's own pins and a
    sub-district's 集中选举日 are always included. Switched-off rules come back ok and disabled.
    """
    sub = isinstance(scenario, Subdistrict)
    ctx, problems = _context(scenario, communities_json)
    capacity = scenario.capacity if isinstance(scenario, Subdistrict) else None
    checks = [
        stages(ctx, sub, problems),
        T01_window(ctx, sub),
        T02_precedence(ctx, sub),
        T03_publicity(ctx, sub),
        T04_calendar(ctx, sub),
        T05_party_first(ctx, sub),
        T06_deadline(ctx, sub),
        T07_capacity(ctx, sub, capacity),
        T08_blackout(ctx, sub),
        T09_voter_list_notice(ctx, sub),
        T10_candidate_notice(ctx, sub),
    ]
    resolved = resolve_pins(scenario, pins)
    if resolved:
        checks.append(pins_held(ctx, sub, resolved))
    return checks
