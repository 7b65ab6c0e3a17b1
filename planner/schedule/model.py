"""CP-SAT schedule model: one start day per community stage, rules T01-T10 each in its own function.

Glossary: a *day index* counts calendar days from the horizon origin (`ScheduleModel.origin`);
a stage's *end* is its last day (inclusive). Calendar stages end on start + duration - 1;
working stages (T04) start and end on working days and cover exactly `duration` working days
(SCENARIO.md "Stages"). Every rule function takes an enabling literal (None = hard) so the
same model serves planning (hard rules) and explanations (rules as assumptions).

Each rule's builder is registered with `@rule("T04", "model")` and has one signature,
`(sm: ScheduleModel, lit) -> None`; `ScheduleModel` calls them in catalogue order through
`planner.registry.implementation`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from ortools.sat.python import cp_model

from planner.legal import PUBLICITY_MIN_DAYS
from planner.registry import implementation, rule
from planner.rules import SCHEDULE_RULES
from planner.scenario import Community, Scenario, Stage, Subdistrict, communities
from planner.timeline.calendar import WorkCalendar
from planner.timeline.stages import (
    CommunityId,
    Pin,
    StageId,
    election_days_ok,
    precedence_entries,
    rules_in_force,
    span_estimate,
)


@dataclass
class StageVars:
    community: CommunityId
    stage: Stage
    start: cp_model.IntVar
    end: cp_model.LinearExprT
    lo: int  # bounds of the start variable's domain
    hi: int


@dataclass
class ScheduleModel:
    """The CP-SAT model of a community or sub-district schedule.

    `relaxable=True` gives each rule id in force and each pin key an enabling literal
    (`literals`), used as assumptions by explanations; otherwise rules in force are hard.
    `skip` leaves rule ids or pin keys out entirely (used by slack bounds).
    """

    scenario: Scenario
    pins: list[Pin]
    relaxable: bool = False
    skip: frozenset[str] = frozenset()
    used: dict[date, int] = field(default_factory=dict)
    """Work-group places already taken per day by communities outside the model (slack witnesses)."""
    domains_only: bool = False
    """Only the start variables' domains, no constraints (planner/schedule/lattice.py reads the rest)."""
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    literals: dict[str, cp_model.IntVar] = field(default_factory=dict)
    vars: dict[tuple[CommunityId, StageId], StageVars] = field(default_factory=dict)
    calendars: dict[CommunityId, WorkCalendar] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.comms = communities(self.scenario)
        self.is_subdistrict = isinstance(self.scenario, Subdistrict)
        self.stages = {c.id: effective_stages(c) for c in self.comms}
        self.force = {c.id: rules_in_force(c) - self.skip for c in self.comms}
        self.pins = [p for p in self.pins if p.key not in self.skip]
        self._horizon()
        self._calendars()
        self._variables()
        if self.domains_only:
            return
        active = used_rules(self.scenario, skip=self.skip)
        for rule_id in SCHEDULE_RULES:
            build = implementation(rule_id, "model")
            if build is not None:
                build(self, self.literal(rule_id) if rule_id in active else None)
        self.add_pins()

    # ------------------------------------------------------------ set-up

    def _horizon(self) -> None:
        """Origin and length: every window, pin and deadline, padded by the longest chain of stages."""
        days: list[date] = []
        pad = 10
        group = 0
        for c in self.comms:
            pad = max(pad, _longest_chain(c, self.stages[c.id]) + 31)
            for s in self.stages[c.id]:
                if s.window:
                    days.extend(s.window)
                group += s.election or s.work_group
            days.extend(c.schedule.effective_deadlines().values())
            days.extend(c.schedule.blackout)
        if self.is_subdistrict:  # room to spread the work group's days when windows are off
            assert isinstance(self.scenario, Subdistrict)
            pad += -(-group * 3 // self.scenario.capacity)
        days.extend(p.day for p in self.pins)
        if not days:  # no window, deadline, blackout or pin: start from the reference dates
            days = [c.reference_date for c in self.comms]
        self.first_day, self.last_day = min(days), max(days)
        self.origin = self.first_day - timedelta(days=pad)
        self.horizon = (self.last_day - self.origin).days + pad  # last start index
        self.tail = max([span_estimate(s) for st in self.stages.values() for s in st] + [1]) + 31

    def _calendars(self) -> None:
        cache: dict[tuple, WorkCalendar] = {}
        self.workday_index: dict[CommunityId, list[int]] = {}
        self.rest_index: dict[CommunityId, set[int]] = {}
        for c in self.comms:
            key = c.schedule.calendar_key()
            if key not in cache:
                cal = c.schedule.work_calendar()
                cal.check_years(self.first_day, self.last_day)
                cache[key] = cal
            cal = cache[key]
            self.calendars[c.id] = cal
            work = [
                i for i in range(self.horizon + self.tail + 1) if cal.is_workday(self.date(i), warn=False)
            ]
            self.workday_index[c.id] = work
            self.rest_index[c.id] = set(range(self.horizon + self.tail + 1)) - set(work)

    def date(self, index: int) -> date:
        return self.origin + timedelta(days=index)

    def index(self, d: date) -> int:
        return (d - self.origin).days

    def literal(self, key: str) -> cp_model.IntVar | None:
        """The enabling literal of a rule id or pin key (None when hard)."""
        if not self.relaxable:
            return None
        if key not in self.literals:
            self.literals[key] = self.model.new_bool_var(key)
        return self.literals[key]

    def on(self, c: Community, rule: str) -> bool:
        return rule in self.force[c.id]

    def working_end(self, cid: CommunityId, start: int, duration: int) -> int:
        """End index of `duration` working days counted from the first working day >= start."""
        work = self.workday_index[cid]
        k = bisect.bisect_left(work, start)
        return work[min(k + duration - 1, len(work) - 1)]

    def _variables(self) -> None:
        """Start variables; ends by unit. Hard T01 narrows domains to the window, hard T04 to working days."""
        m = self.model
        for c in self.comms:
            for s in self.stages[c.id]:
                lo, hi = 0, self.horizon
                if not self.relaxable and self.on(c, "T01") and s.window:
                    lo = max(lo, self.index(s.window[0]))
                    hi = min(hi, self.index(s.window[1]))
                    hi = max(hi, lo)
                name = f"{c.id}/{s.id}"
                working = s.unit == "working"
                hard_t04 = working and not self.relaxable and self.on(c, "T04")
                if hard_t04:
                    values = [i for i in self.workday_index[c.id] if lo <= i <= hi] or [lo]
                    start = m.new_int_var_from_domain(cp_model.Domain.from_values(values), f"start[{name}]")
                else:
                    start = m.new_int_var(lo, hi, f"start[{name}]")
                if not working or not self.on(c, "T04") or self.domains_only:
                    end: cp_model.LinearExprT = start + (s.duration - 1)
                else:
                    end = start + self._working_span(c.id, s, start, lo, hi, name)
                self.vars[(c.id, s.id)] = StageVars(c.id, s, start, end, lo, hi)

    def _working_span(
        self, cid: CommunityId, s: Stage, start: cp_model.IntVar, lo: int, hi: int, name: str
    ) -> cp_model.IntVar:
        """end - start of a working stage (T04): one boolean per distinct span value.

        For every working start day the span to the end of `duration` working days is known; the
        starts sharing a span form a domain, so `span == v` holds exactly when start lies in it.
        This avoids an element constraint over the whole horizon (slow to presolve). Under a
        relaxable T04 that is off, the stage counts calendar days (span = duration - 1).
        """
        m = self.model
        by_span: dict[int, list[int]] = {}
        for i in self.workday_index[cid]:
            if lo <= i <= hi:
                by_span.setdefault(self.working_end(cid, i, s.duration) - i, []).append(i)
        lit = self.literal("T04")
        values = set(by_span) | ({s.duration - 1} if lit is not None else set())
        if not values:
            values = {s.duration - 1}
        span = m.new_int_var_from_domain(cp_model.Domain.from_values(sorted(values)), f"span[{name}]")
        choices = []
        for v, starts in sorted(by_span.items()):
            b = m.new_bool_var(f"span[{name}]={v}")
            m.add(span == v).only_enforce_if(b)
            m.add_linear_expression_in_domain(start, cp_model.Domain.from_values(starts)).only_enforce_if(b)
            choices.append(b)
        if lit is None:
            m.add_exactly_one(choices)  # an empty list: no working start in the domain, infeasible
        else:
            m.add(sum(choices) == 1).only_enforce_if(lit)
            m.add(span == s.duration - 1).only_enforce_if(~lit)
        return span

    def enforce(self, ct: cp_model.Constraint, lit: cp_model.IntVar | None) -> None:
        if lit is not None:
            ct.only_enforce_if(lit)

    def precedence(self, rule_id: str, lit: cp_model.IntVar | None) -> None:
        """T02/T05/T09/T10: start(successor) >= end(predecessor) + gap for the entries of `rule_id`."""
        for c in self.comms:
            if not self.on(c, rule_id):
                continue
            for r, pred, succ, gap in precedence_entries(c):
                if r == rule_id:
                    a, b = self.vars[(c.id, pred)], self.vars[(c.id, succ)]
                    self.enforce(self.model.add(b.start >= a.end + gap), lit)

    def restrict(self, var: cp_model.IntVar, values: list[int], lit: cp_model.IntVar | None) -> None:
        """var takes one of `values` (none: infeasible, or `lit` false)."""
        if not values:
            if lit is None:
                self.model.add_bool_or([])
            else:
                self.model.add_bool_or([~lit])
            return
        ct = self.model.add_linear_expression_in_domain(var, cp_model.Domain.from_values(values))
        self.enforce(ct, lit)

    def group_stages(self) -> list[StageVars]:
        """Stages that need the sub-district work group (election or work_group), communities with T07 on."""
        if not self.is_subdistrict:
            return []
        return [
            self.vars[(c.id, s.id)]
            for c in self.comms
            if self.on(c, "T07")
            for s in self.stages[c.id]
            if s.election or s.work_group
        ]

    def community(self, cid: CommunityId) -> Community:
        return next(c for c in self.comms if c.id == cid)

    def one_hot(self, var: cp_model.IntVar, lo: int, hi: int, name: str) -> dict[int, cp_model.IntVar]:
        """Booleans x[i] <=> var == i over var's domain in [lo, hi] (exactly one true)."""
        m = self.model
        xs = {i: m.new_bool_var(f"{name}={i}") for i in range(lo, hi + 1)}
        m.add_exactly_one(list(xs.values()))
        m.add(var == sum(i * x for i, x in xs.items()))
        return xs

    def add_pins(self) -> None:
        """Pins fix a stage's start (what-if); each is blamable under its key."""
        for p in self.pins:
            v = self.vars[(p.community, p.stage)]
            self.enforce(self.model.add(v.start == self.index(p.day)), self.literal(p.key))

    # ------------------------------------------------------------ reading a solution

    def candidates(self) -> list[str]:
        """Blamable names: rule ids in force somewhere (T01-T10 order) and pin keys."""
        rules = [r for r in SCHEDULE_RULES if r in self.literals]
        pins = list(dict.fromkeys(p.key for p in self.pins))
        return rules + pins

    def starts(self) -> list[cp_model.IntVar]:
        return [v.start for v in self.vars.values()]

    def election_starts(self, sid: StageId) -> list[cp_model.IntVar]:
        return [v.start for (cid, s), v in self.vars.items() if s == sid]

    def extract(self, solver: cp_model.CpSolver) -> dict[CommunityId, dict[StageId, tuple[date, date]]]:
        out: dict[CommunityId, dict[StageId, tuple[date, date]]] = {c.id: {} for c in self.comms}
        for (cid, sid), v in self.vars.items():
            out[cid][sid] = (self.date(solver.value(v.start)), self.date(solver.value(v.end)))
        return out

    def hint(self, plan: dict[CommunityId, dict[StageId, tuple[date, date]]]) -> None:
        self.model.clear_hints()
        for (cid, sid), v in self.vars.items():
            if cid in plan and sid in plan[cid]:
                self.model.add_hint(v.start, self.index(plan[cid][sid][0]))


_STAGES: dict[int, tuple[object, tuple, list[Stage]]] = {}


def effective_stages(c: Community) -> list[Stage]:
    """`c.schedule.effective_stages()`, remembered per schedule object while its template, phases and
    stage entries stay the same (models are built many times over by explanations and slack)."""
    sched = c.schedule
    key = (id(sched.template), repr(sched.phases), repr(sched.stages))
    hit = _STAGES.get(id(sched))
    if hit is not None and hit[0] is sched and hit[1] == key:
        return hit[2]
    if len(_STAGES) > 4096:
        _STAGES.clear()
    stages = sched.effective_stages()
    _STAGES[id(sched)] = (sched, key, stages)
    return stages


def used_rules(scenario: Scenario, skip: Iterable[str] = ()) -> list[str]:
    """Rule ids in force in at least one community (T07 only in a sub-district), minus `skip`."""
    comms = communities(scenario)
    out = []
    for r in SCHEDULE_RULES:
        if r in skip:
            continue
        if r == "T07" and not isinstance(scenario, Subdistrict):
            continue
        if any(r in rules_in_force(c) for c in comms):
            out.append(r)
    return out


# ---------------------------------------------------------------- rules (RULES.md "Schedule rules")


@rule("T01", "model")
def T01_window(sm: ScheduleModel, lit: cp_model.IntVar | None) -> None:
    """T01 时间窗口: every stage starts and ends inside its window (work plan 四)."""
    for c in sm.comms:
        if not sm.on(c, "T01"):
            continue
        for s in sm.stages[c.id]:
            if s.window:
                v = sm.vars[(c.id, s.id)]
                sm.enforce(sm.model.add(v.start >= sm.index(s.window[0])), lit)
                sm.enforce(sm.model.add(v.end <= sm.index(s.window[1])), lit)


@rule("T02", "model")
def T02_precedence(sm: ScheduleModel, lit: cp_model.IntVar | None) -> None:
    """T02 程序顺序: start >= end(predecessor) + gap for entries whose rule is T02 (四(二))."""
    sm.precedence("T02", lit)


@rule("T03", "model")
def T03_publicity(sm: ScheduleModel, lit: cp_model.IntVar | None) -> None:
    """T03 公示: a publicity stage spans at least 5 calendar days (预备人选公示不少于5日, 四(二)1(3))."""
    for c in sm.comms:
        if not sm.on(c, "T03"):
            continue
        for s in sm.stages[c.id]:
            if s.publicity:
                v = sm.vars[(c.id, s.id)]
                sm.enforce(sm.model.add(v.end - v.start + 1 >= PUBLICITY_MIN_DAYS), lit)


@rule("T04", "model")
def T04_calendar(sm: ScheduleModel, lit: cp_model.IntVar | None) -> None:
    """T04 工作日: working stages start on working days (their ends are set up in `_variables`);
    every day of an election stage, start to end, is an allowed day (国务院放假安排;
    `allowed_election_days`), so a start is allowed only when the whole stage from it is."""
    for c in sm.comms:
        if not sm.on(c, "T04"):
            continue
        work = sm.workday_index[c.id]
        for s in sm.stages[c.id]:
            v = sm.vars[(c.id, s.id)]
            if s.unit == "working" and sm.relaxable:
                values = [i for i in work if v.lo <= i <= v.hi]
                sm.restrict(v.start, values, lit)
            if s.election and c.schedule.allowed_election_days != "any":
                values = [i for i in range(v.lo, v.hi + 1) if _election_start_ok(sm, c, s, i)]
                sm.restrict(v.start, values, lit)


def _election_start_ok(sm: ScheduleModel, c: Community, s: Stage, start: int) -> bool:
    """Whether every day of election stage `s` begun on day index `start` is an allowed day (T04 on:
    a working stage ends after `duration` working days, a calendar one after `duration` days)."""
    end = sm.working_end(c.id, start, s.duration) if s.unit == "working" else start + s.duration - 1
    cal = sm.calendars[c.id]
    return election_days_ok(
        c.schedule.allowed_election_days,
        lambda d: cal.is_workday(d, warn=False),
        sm.date(start),
        sm.date(end),
    )


@rule("T05", "model")
def T05_party_first(sm: ScheduleModel, lit: cp_model.IntVar | None) -> None:
    """T05 先党组织后居委会: the residents' election is after the Party election (四(二)2)."""
    sm.precedence("T05", lit)


@rule("T06", "model")
def T06_deadline(sm: ScheduleModel, lit: cp_model.IntVar | None) -> None:
    """T06 完成时限: each stage with a deadline ends by it (work plan 二, 四)."""
    for c in sm.comms:
        if not sm.on(c, "T06"):
            continue
        for sid, day in c.schedule.effective_deadlines().items():
            if (c.id, sid) in sm.vars:
                sm.enforce(sm.model.add(sm.vars[(c.id, sid)].end <= sm.index(day)), lit)


@rule("T07", "model")
def T07_capacity(sm: ScheduleModel, lit: cp_model.IntVar | None) -> None:
    """T07 工作组: at most `capacity` communities per day hold an election or a work-group stage (四(一)1).

    Time-indexed: each group stage's start (and, when its span varies, its end) is one-hot
    encoded over its domain, so "stage covers day t" is a linear sum; a community counts once
    per day (a `busy` boolean where several of its group stages could cover t). The
    assignment structure keeps the LP bound tight, which lets CP-SAT prove optimality fast.
    """
    group = sm.group_stages()
    if len({v.community for v in group}) <= 1 and not sm.used:
        return  # one community never exceeds a capacity >= 1
    assert isinstance(sm.scenario, Subdistrict)
    m = sm.model
    cover: dict[tuple[CommunityId, int], list[cp_model.LinearExprT]] = {}
    for v in group:
        name = f"{v.community}/{v.stage.id}"
        fixed_span = v.stage.unit == "calendar" or not sm.on(sm.community(v.community), "T04")
        xs = sm.one_hot(v.start, v.lo, v.hi, f"T07.start[{name}]")
        if fixed_span:
            d = v.stage.duration
            for t in range(v.lo, v.hi + d):
                terms = [xs[i] for i in range(max(v.lo, t - d + 1), min(v.hi, t) + 1) if i in xs]
                if terms:
                    cover.setdefault((v.community, t), []).append(sum(terms))
        else:
            top = sm.horizon + sm.tail
            end_var = m.new_int_var(v.lo, top, f"T07.end[{name}]")
            m.add(end_var == v.end)
            ys = sm.one_hot(end_var, v.lo, top, f"T07.end[{name}]")
            for t in range(v.lo, top + 1):
                started = [xs[i] for i in xs if i <= t]
                ended = [ys[i] for i in ys if i < t]
                if started:
                    cover.setdefault((v.community, t), []).append(sum(started) - sum(ended))
    per_day: dict[int, list[cp_model.LinearExprT]] = {}
    for (cid, t), terms in cover.items():
        if len(terms) == 1:
            per_day.setdefault(t, []).append(terms[0])
        else:
            busy = m.new_bool_var(f"T07.busy[{cid},{t}]")
            for term in terms:
                m.add(busy >= term)
            per_day.setdefault(t, []).append(busy)
    for t, terms in sorted(per_day.items()):
        room = sm.scenario.capacity - sm.used.get(sm.date(t), 0)
        if len(terms) > room:
            sm.enforce(m.add(sum(terms) <= room), lit)


@rule("T08", "model")
def T08_blackout(sm: ScheduleModel, lit: cp_model.IntVar | None) -> None:
    """T08 禁选日: no stage covers a blackout date, from its start to its end (五(三))."""
    m = sm.model
    for c in sm.comms:
        if not sm.on(c, "T08"):
            continue
        for day in sorted(set(c.schedule.blackout)):
            b = sm.index(day)
            for s in sm.stages[c.id]:
                v = sm.vars[(c.id, s.id)]
                before = m.new_bool_var(f"T08[{c.id}/{s.id}<{day}]")
                after = m.new_bool_var(f"T08[{c.id}/{s.id}>{day}]")
                m.add(v.end <= b - 1).only_enforce_if(before)
                m.add(v.start >= b + 1).only_enforce_if(after)
                m.add_bool_or([before, after] + ([~lit] if lit is not None else []))


@rule("T09", "model")
def T09_voter_list_notice(sm: ScheduleModel, lit: cp_model.IntVar | None) -> None:
    """T09 选民名单公布: voter list >= 20 days before election day (村委会组织法 第十四条)."""
    sm.precedence("T09", lit)


@rule("T10", "model")
def T10_candidate_notice(sm: ScheduleModel, lit: cp_model.IntVar | None) -> None:
    """T10 候选人公布: final candidates >= 5 days before election day (provincial measures)."""
    sm.precedence("T10", lit)


def _longest_chain(c: Community, stages: list[Stage]) -> int:
    """Calendar days of the longest precedence chain (span estimates plus gaps); sum when cyclic."""
    span = {s.id: span_estimate(s) for s in stages}
    edges = [(p, q, max(g, 0)) for _, p, q, g in precedence_entries(c)]
    finish = dict(span)
    for _ in range(len(stages) + 1):
        changed = False
        for p, q, g in edges:
            if finish[p] + g + span[q] > finish[q]:
                finish[q] = finish[p] + g + span[q]
                changed = True
        if not changed:
            return max(finish.values(), default=0)
    return sum(span.values()) + sum(g for _, _, g in edges)
