"""Solver-free schedule checker: one registered function per rule id T01-T10, plain Python (never ortools).

It judges a schedule in the JSON of SCENARIO.md (`{cid: {"stages": [{id, start, end}]}}`)
against the scenario: the solver re-checks every plan with it, and `planner verify` uses it
on saved plans. Besides T01-T10 it reports `stages` (every stage present, durations kept)
and, when pins are in force, `pin` (each pinned stage starts on its date). Every check says
what it found in Chinese and English (`detail_zh`, `detail_en`; `detail` is both).

Each rule's checker is registered with `@rule("T04", "check")` and has one signature:
`(plan: SchedulePlan) -> RuleCheck`. This module imports planner.timeline, never planner.schedule,
so that `planner.check` imports without ortools.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from planner.legal import PUBLICITY_MIN_DAYS
from planner.plan import RuleCheck
from planner.registry import implementation, rule
from planner.rules import SCHEDULE_RULES
from planner.scenario import Community, Scenario, Stage, Subdistrict, communities
from planner.text import Text
from planner.timeline.calendar import WorkCalendar
from planner.timeline.stages import (
    Pin,
    first_bad_election_day,
    merge_pins,
    precedence_entries,
    rules_in_force,
)

Span = tuple[date, date]
Bad = list[tuple[str, Text]]  # (stage label, what is wrong)


@dataclass
class _Community:
    community: Community
    stages: dict[str, Stage]
    plan: dict[str, Span]
    calendar: WorkCalendar
    rules: set[str]


@dataclass
class SchedulePlan:
    """A schedule read against its scenario: what every registered checker takes."""

    communities: list[_Community]
    sub: bool
    capacity: int | None

    def using(self, rule_id: str) -> list[_Community]:
        """The communities with `rule_id` in force."""
        return [x for x in self.communities if rule_id in x.rules]

    def label(self, x: _Community, sid: str) -> str:
        return f"{x.community.id}/{sid}" if self.sub else sid


def resolve_pins(scenario: Scenario, pins: dict[str, date] | None = None) -> list[Pin]:
    """The pins in force: 集中选举日, each community's `schedule.pin` and the command's pins (later ones win)."""
    day = scenario.concentrated_election_day if isinstance(scenario, Subdistrict) else None
    return merge_pins(
        communities(scenario), pins, sub=isinstance(scenario, Subdistrict), concentrated_day=day
    )


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _context(scenario: Scenario, communities_json: dict[str, Any]) -> tuple[SchedulePlan, list[Text]]:
    out, problems = [], []
    for c in communities(scenario):
        stages = {s.id: s for s in c.schedule.effective_stages()}
        plan: dict[str, Span] = {}
        entry = communities_json.get(c.id)
        if entry is None:
            problems.append(Text(f"{c.id}：没有日程", f"{c.id}: no schedule"))
        else:
            for row in entry.get("stages", []):
                try:
                    plan[row["id"]] = (_day(row["start"]), _day(row["end"]))
                except (KeyError, TypeError, ValueError) as exc:
                    problems.append(
                        Text(
                            f"{c.id}：阶段条目 {row!r} 有误（{exc}）",
                            f"{c.id}: bad stage entry {row!r} ({exc})",
                        )
                    )
        out.append(_Community(c, stages, plan, c.schedule.work_calendar(), rules_in_force(c)))
    sub = isinstance(scenario, Subdistrict)
    capacity = scenario.capacity if isinstance(scenario, Subdistrict) else None
    return SchedulePlan(out, sub, capacity), problems


def _check(rule_id: str, bad: Bad, ok_detail: Text, applies: bool = True) -> RuleCheck:
    """Wrap violations [(stage label, text)] as a RuleCheck; `applies` False = switched off everywhere."""
    if not applies:
        return _rule_check(rule_id, True, Text("已关闭", "switched off"), disabled=True)
    if bad:
        return _rule_check(
            rule_id, False, Text.join(t for _, t in bad), people=list(dict.fromkeys(s for s, _ in bad))
        )
    return _rule_check(rule_id, True, ok_detail)


def _rule_check(rule_id: str, ok: bool, detail: Text, **extra: Any) -> RuleCheck:
    return RuleCheck(
        rule=rule_id, ok=ok, detail=detail.both(), detail_zh=detail.zh, detail_en=detail.en, **extra
    )


def stages(plan: SchedulePlan, problems: list[Text]) -> RuleCheck:
    """Every stage of the scenario is scheduled once, end >= start, and durations hold
    (calendar units: end = start + duration - 1; SCENARIO.md "Stages")."""
    bad: Bad = [("-", p) for p in problems]
    for x in plan.communities:
        for sid in x.stages:
            if sid not in x.plan:
                name = plan.label(x, sid)
                bad.append((name, Text(f"{name} 缺失", f"{name} is missing")))
        for sid in x.plan:
            if sid not in x.stages:
                name = plan.label(x, sid)
                bad.append((name, Text(f"{name} 不是场景中的阶段", f"{name} is not a stage of the scenario")))
        for sid, (start, end) in x.plan.items():
            s = x.stages.get(sid)
            if s is None:
                continue
            name = plan.label(x, sid)
            days = (end - start).days + 1
            if end < start:
                bad.append(
                    (
                        name,
                        Text(
                            f"{name} 结束于 {end}，早于开始日 {start}",
                            f"{name} ends {end} before it starts {start}",
                        ),
                    )
                )
            elif (s.unit == "calendar" or "T04" not in x.rules) and days != s.duration:
                bad.append(
                    (
                        name,
                        Text(
                            f"{name} 跨 {days} 天，工期为 {s.duration} 天",
                            f"{name} spans {days} days, duration is {s.duration}",
                        ),
                    )
                )
    return _check("stages", bad, Text("每个阶段都已按工期安排", "every stage scheduled with its duration"))


@rule("T01", "check")
def T01_window(plan: SchedulePlan) -> RuleCheck:
    """T01 时间窗口: every stage starts and ends inside its window (work plan 四)."""
    bad: Bad = []
    for x in plan.using("T01"):
        for sid, (start, end) in x.plan.items():
            s = x.stages.get(sid)
            if s and s.window and (start < s.window[0] or end > s.window[1]):
                name, (a, b) = plan.label(x, sid), s.window
                bad.append(
                    (
                        name,
                        Text(
                            f"{name} {start}..{end} 超出时间窗口 {a}..{b}",
                            f"{name} {start}..{end} outside its window {a}..{b}",
                        ),
                    )
                )
    return _check(
        "T01", bad, Text("每个阶段都在时间窗口内", "every stage inside its window"), bool(plan.using("T01"))
    )


def _precedence(rule_id: str, plan: SchedulePlan, what: Text) -> RuleCheck:
    """T02/T05/T09/T10: a successor starts no earlier than its predecessor's end plus the gap."""
    bad: Bad = []
    for x in plan.using(rule_id):
        for r, pred, succ, gap in precedence_entries(x.community):
            if r != rule_id or pred not in x.plan or succ not in x.plan:
                continue
            start, pred_end = x.plan[succ][0], x.plan[pred][1]
            if start < pred_end + timedelta(days=gap):
                name = plan.label(x, succ)
                bad.append(
                    (
                        name,
                        Text(
                            f"{name} 于 {start} 开始，早于 {pred_end}（{pred} 结束）+ {gap} 天",
                            f"{name} starts {start}, before {pred_end} ({pred} ends) + {gap} day(s)",
                        ),
                    )
                )
    return _check(rule_id, bad, what, bool(plan.using(rule_id)))


@rule("T02", "check")
def T02_precedence(plan: SchedulePlan) -> RuleCheck:
    """T02 程序顺序: a stage starts only after each stage it follows has ended, plus the gap (四(二))."""
    return _precedence("T02", plan, Text("每个阶段都在前序阶段之后", "every stage after its predecessors"))


@rule("T03", "check")
def T03_publicity(plan: SchedulePlan) -> RuleCheck:
    """T03 公示: a publicity stage spans at least PUBLICITY_MIN_DAYS (5) calendar days (planner.legal)."""
    bad: Bad = []
    for x in plan.using("T03"):
        for sid, (start, end) in x.plan.items():
            s = x.stages.get(sid)
            days = (end - start).days + 1
            if s and s.publicity and days < PUBLICITY_MIN_DAYS:
                name = plan.label(x, sid)
                bad.append(
                    (
                        name,
                        Text(
                            f"{name} 只有 {days} 天，少于 {PUBLICITY_MIN_DAYS} 日",
                            f"{name} spans {days} days, fewer than {PUBLICITY_MIN_DAYS}",
                        ),
                    )
                )
    return _check(
        "T03",
        bad,
        Text(
            f"公示期均不少于 {PUBLICITY_MIN_DAYS} 日",
            f"publicity stages last at least {PUBLICITY_MIN_DAYS} days",
        ),
        bool(plan.using("T03")),
    )


@rule("T04", "check")
def T04_calendar(plan: SchedulePlan) -> RuleCheck:
    """T04 工作日: working stages start and end on working days and cover exactly `duration` working
    days of the official calendar; every day of an election stage is an allowed day (国务院放假安排)."""
    bad: Bad = []
    for x in plan.using("T04"):
        cal = x.calendar
        allowed = x.community.schedule.allowed_election_days
        for sid, (start, end) in x.plan.items():
            s = x.stages.get(sid)
            if s is None or end < start:
                continue
            name = plan.label(x, sid)
            if s.unit == "working":
                if not cal.is_workday(start) or not cal.is_workday(end):
                    bad.append(
                        (
                            name,
                            Text(
                                f"{name} {start}..{end} 未在工作日开始和结束",
                                f"{name} {start}..{end} does not start and end on working days",
                            ),
                        )
                    )
                elif (n := cal.working_days(start, end)) != s.duration:
                    bad.append(
                        (
                            name,
                            Text(
                                f"{name} 含 {n} 个工作日，工期为 {s.duration} 个工作日",
                                f"{name} covers {n} working days, duration is {s.duration}",
                            ),
                        )
                    )
            if (
                s.election
                and (day := first_bad_election_day(allowed, cal.is_workday, start, end)) is not None
            ):
                kind_zh, kind_en = (
                    ("工作日", "working day") if allowed == "workdays" else ("休息日", "rest day")
                )
                where_zh = f"{start}" if start == end else f"{start}..{end} 中的 {day}"
                where_en = f"on {start}" if start == end else f"{start}..{end} covers {day},"
                bad.append(
                    (
                        name,
                        Text(
                            f"{name} {where_zh} 不是法定{kind_zh}",
                            f"{name} {where_en} not an official {kind_en}",
                        ),
                    )
                )
    return _check(
        "T04",
        bad,
        Text("工作日与选举日均符合日历", "working days and election days as the calendar allows"),
        bool(plan.using("T04")),
    )


@rule("T05", "check")
def T05_party_first(plan: SchedulePlan) -> RuleCheck:
    """T05 先党组织后居委会: the residents' election is after the Party election (四(二)2)."""
    return _precedence(
        "T05", plan, Text("居委会选举在党组织选举之后", "residents' election after the Party election")
    )


@rule("T06", "check")
def T06_deadline(plan: SchedulePlan) -> RuleCheck:
    """T06 完成时限: a stage with a deadline ends by it (work plan 二, 四)."""
    bad: Bad = []
    for x in plan.using("T06"):
        for sid, day in x.community.schedule.effective_deadlines().items():
            if sid in x.plan and x.plan[sid][1] > day:
                name, end = plan.label(x, sid), x.plan[sid][1]
                bad.append(
                    (
                        name,
                        Text(
                            f"{name} 于 {end} 结束，晚于完成时限 {day}",
                            f"{name} ends {end}, after its deadline {day}",
                        ),
                    )
                )
    return _check("T06", bad, Text("均在完成时限内", "every deadline met"), bool(plan.using("T06")))


@rule("T07", "check")
def T07_capacity(plan: SchedulePlan) -> RuleCheck:
    """T07 工作组: in a sub-district, at most `capacity` communities per day hold an election or a
    work-group stage (四(一)1)."""
    capacity = plan.capacity
    if not plan.sub or capacity is None:
        return _rule_check("T07", True, Text("不是街道日程", "not a sub-district plan"))
    busy: dict[date, set[str]] = defaultdict(set)
    for x in plan.using("T07"):
        for sid, (start, end) in x.plan.items():
            s = x.stages.get(sid)
            if s and (s.election or s.work_group) and end >= start:
                for d in _days(start, end):
                    busy[d].add(x.community.id)
    bad: Bad = []
    for d, ids in sorted(busy.items()):
        if len(ids) > capacity:
            names = sorted(ids)
            bad.append(
                (
                    ",".join(names),
                    Text(
                        f"{d}：{len(ids)} 个社区（{'、'.join(names)}）超过容量 {capacity}",
                        f"{d}: {len(ids)} communities ({', '.join(names)}) > capacity {capacity}",
                    ),
                )
            )
    return _check(
        "T07",
        bad,
        Text(f"每天最多 {capacity} 个社区", f"at most {capacity} communities per day"),
        bool(plan.using("T07")),
    )


@rule("T08", "check")
def T08_blackout(plan: SchedulePlan) -> RuleCheck:
    """T08 禁选日: no stage covers a blackout date (五(三))."""
    bad: Bad = []
    for x in plan.using("T08"):
        for day in sorted(set(x.community.schedule.blackout)):
            for sid, (start, end) in x.plan.items():
                if start <= day <= end:
                    name = plan.label(x, sid)
                    bad.append(
                        (
                            name,
                            Text(
                                f"{name} {start}..{end} 覆盖禁选日 {day}",
                                f"{name} {start}..{end} covers blackout {day}",
                            ),
                        )
                    )
    return _check(
        "T08", bad, Text("没有阶段落在禁选日", "no stage on a blackout date"), bool(plan.using("T08"))
    )


@rule("T09", "check")
def T09_voter_list_notice(plan: SchedulePlan) -> RuleCheck:
    """T09 选民名单公布: the voter list >= 20 days before election day (planner.legal, 村委会组织法 第十四条)."""
    return _precedence("T09", plan, Text("选民名单按时公布", "voter list published in time"))


@rule("T10", "check")
def T10_candidate_notice(plan: SchedulePlan) -> RuleCheck:
    """T10 候选人公布: final candidates >= 5 days before election day (planner.legal, provincial measures)."""
    return _precedence("T10", plan, Text("正式候选人按时公布", "candidates published in time"))


def pins_held(plan: SchedulePlan, pins: list[Pin]) -> RuleCheck:
    """Every pin (what-if fixed start, 集中选举日 included) holds."""
    plans = {x.community.id: x.plan for x in plan.communities}
    bad: Bad = []
    for p in pins:
        got = plans.get(p.community, {}).get(p.stage)
        if got is not None and got[0] != p.day:
            bad.append(
                (
                    p.key,
                    Text(
                        f"{p.key} 于 {got[0]} 开始，钉住日期为 {p.day}",
                        f"{p.key} starts {got[0]}, pinned to {p.day}",
                    ),
                )
            )
    return _check("pin", bad, Text(f"{len(pins)} 个钉住日期均满足", f"{len(pins)} pin(s) held"))


def check_schedule(
    scenario: Scenario, communities_json: dict[str, Any], pins: dict[str, date] | None = None
) -> list[RuleCheck]:
    """Judge a schedule: `stages`, then T01-T10 in id order, then `pin` when any pin is in force.

    `pins` are the command's pins ("STAGE" or "COMMUNITY/STAGE"); the scenario's own pins and a
    sub-district's 集中选举日 are always included. Switched-off rules come back ok and disabled.
    """
    plan, problems = _context(scenario, communities_json)
    checks = [stages(plan, problems)]
    for rule_id in SCHEDULE_RULES:
        checker = implementation(rule_id, "check")
        if checker is not None:
            checks.append(checker(plan))
    resolved = resolve_pins(scenario, pins)
    if resolved:
        checks.append(pins_held(plan, resolved))
    return checks
