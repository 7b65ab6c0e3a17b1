"""Exact sub-district schedules by decomposition: each community's least schedules, then a small master.

Without T07 every schedule rule is unary on a stage's start (T01 window, T03 publicity, T04 working
and election days, T06 deadline, T08 blackout, pins) or a precedence start(q) >= end(p) + gap with
end(p) non-decreasing in start(p) (T02, T05, T09, T10). Such feasible sets are lattices: one pass in
topological order gives the least feasible schedule (each stage at its earliest start), or proves
that none exists. T07 couples communities only through the days their work-group stages (election or
work_group) occupy, so a community enters the master problem as a list of *options*: every feasible
tuple of start days of its work-group stages, each with its least completion (which minimises every
other stage's start at once) and the days it keeps the work group busy. The master picks one option
per community under the daily capacity, lexicographically (sum of rc_election days, then pc_election
days, then the sum of all starts). Every option is a complete schedule meeting the community's rules,
and every schedule of the community is dominated by the option of its own work-group days, so the
master's optimum is the monolithic model's optimum (tests/test_schedule_decompose.py checks parity).

Used when it applies (hard rules, acyclic precedences, a bounded number of options); the caller falls
back to the monolithic CP-SAT model otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product

from ortools.sat.python import cp_model

from planner import interrupt
from planner.legal import PUBLICITY_MIN_DAYS
from planner.scenario import Community
from planner.schedule.model import ScheduleModel, _election_start_ok
from planner.timeline.stages import precedence_entries

SLACK_BUDGET = 3.0
"""Seconds of master solves the slack may spend; beyond them figures are lower bounds (with a warning)."""

MAX_OPTIONS = 4000
"""Most options (work-group tuples) one community may bring to the master before falling back."""


class _Community:
    """The lattice of one community's schedules (T07 aside): unary start sets and precedences."""

    def __init__(self, sm: ScheduleModel, c: Community) -> None:
        self.sm, self.c = sm, c
        self.stages = {s.id: s for s in sm.stages[c.id]}
        self.order = list(self.stages)
        self.preds: dict[str, list[tuple[str, int]]] = {s: [] for s in self.stages}
        self.succs: dict[str, list[tuple[str, int]]] = {s: [] for s in self.stages}
        for rule_id, p, q, gap in precedence_entries(c):
            if sm.on(c, rule_id) and p in self.stages and q in self.stages:
                self.preds[q].append((p, gap))
                self.succs[p].append((q, gap))
        self.topo = self._topological()
        self.pins: dict[str, set[int]] = {}
        for pin in sm.pins:
            if pin.community == c.id:
                self.pins.setdefault(pin.stage, set()).add(sm.index(pin.day))
        self.deadlines = {
            sid: sm.index(day) for sid, day in c.schedule.effective_deadlines().items() if sid in self.stages
        }
        self.blackout = sorted({sm.index(d) for d in c.schedule.blackout}) if sm.on(c, "T08") else []
        self._ok: dict[tuple[str, int], bool] = {}
        self._end: dict[tuple[str, int], int] = {}
        self._first: dict[tuple[str, int], int | None] = {}
        self._last: dict[tuple[str, int], int | None] = {}

    def _topological(self) -> list[str] | None:
        indegree = {s: len(p) for s, p in self.preds.items()}
        ready = [s for s in self.order if indegree[s] == 0]
        out: list[str] = []
        while ready:
            s = ready.pop(0)
            out.append(s)
            for q, _gap in self.succs[s]:
                indegree[q] -= 1
                if indegree[q] == 0:
                    ready.append(q)
        return out if len(out) == len(self.order) else None

    def end(self, sid: str, start: int) -> int:
        s = self.stages[sid]
        if s.unit == "working" and self.sm.on(self.c, "T04"):
            return self.sm.working_end(self.c.id, start, s.duration)
        return start + s.duration - 1

    def ok(self, sid: str, i: int) -> bool:
        """Every unary rule in force holds for stage `sid` started on day index i (pins included)."""
        key = (sid, i)
        if key not in self._ok:
            self._ok[key] = self._unary(sid, i)
        return self._ok[key]

    def _unary(self, sid: str, i: int) -> bool:
        sm, c, s = self.sm, self.c, self.stages[sid]
        v = sm.vars[(c.id, sid)]
        if not v.lo <= i <= v.hi:
            return False
        if sid in self.pins and self.pins[sid] != {i}:
            return False
        end = self.end(sid, i)
        if sm.on(c, "T04"):
            if s.unit == "working" and i in sm.rest_index[c.id]:
                return False
            if (
                s.election
                and c.schedule.allowed_election_days != "any"
                and not _election_start_ok(sm, c, s, i)
            ):
                return False
        if sm.on(c, "T01") and s.window and not (sm.index(s.window[0]) <= i and end <= sm.index(s.window[1])):
            return False
        if sm.on(c, "T03") and s.publicity and end - i + 1 < PUBLICITY_MIN_DAYS:
            return False
        if sm.on(c, "T06") and sid in self.deadlines and end > self.deadlines[sid]:
            return False
        return all(end <= b - 1 or i >= b + 1 for b in self.blackout)

    def end_at(self, sid: str, start: int) -> int:
        key = (sid, start)
        if key not in self._end:
            self._end[key] = self.end(sid, start)
        return self._end[key]

    def first_from(self, sid: str, lb: int) -> int | None:
        """The earliest allowed start >= lb (None: none in the domain)."""
        v = self.sm.vars[(self.c.id, sid)]
        key = (sid, max(lb, v.lo))
        if key not in self._first:
            i = key[1]
            while i <= v.hi and not self.ok(sid, i):
                i += 1
            self._first[key] = i if i <= v.hi else None
        return self._first[key]

    def last_ending_by(self, sid: str, limit: int) -> int | None:
        """The latest allowed start whose stage ends by day index `limit` (None: none)."""
        v = self.sm.vars[(self.c.id, sid)]
        key = (sid, limit)
        if key not in self._last:
            i = min(v.hi, limit)  # a stage ends on or after its start
            while i >= v.lo and (self.end_at(sid, i) > limit or not self.ok(sid, i)):
                i -= 1
            self._last[key] = i if i >= v.lo else None
        return self._last[key]

    def least(self, fixed: dict[str, int]) -> dict[str, int] | None:
        """The least feasible schedule with the stages in `fixed` starting on those days (None: none)."""
        assert self.topo is not None
        out: dict[str, int] = {}
        for sid in self.topo:
            lb = max((self.end_at(p, out[p]) + gap for p, gap in self.preds[sid]), default=-(10**9))
            if sid in fixed:
                day = fixed[sid]
                if day < lb or not self.ok(sid, day):
                    return None
                out[sid] = day
                continue
            first = self.first_from(sid, lb)
            if first is None:
                return None
            out[sid] = first
        return out

    def greatest(self, fixed: dict[str, int] | None = None) -> dict[str, int] | None:
        """The greatest feasible schedule (every stage at its latest start) with the stages in `fixed`
        on those days, by the reverse pass (None: none)."""
        assert self.topo is not None
        fixed = fixed or {}
        out: dict[str, int] = {}
        for sid in reversed(self.topo):
            limit = min((out[q] - gap for q, gap in self.succs[sid]), default=10**9)  # latest end allowed
            if sid in fixed:
                day = fixed[sid]
                if self.end_at(sid, day) > limit or not self.ok(sid, day):
                    return None
                out[sid] = day
                continue
            last = self.last_ending_by(sid, limit)
            if last is None:
                return None
            out[sid] = last
        return out


def _lattice(sm: ScheduleModel, c: Community) -> _Community:
    """The community's lattice, built once per model."""
    cache = sm.__dict__.setdefault("_lattices", {})
    if c.id not in cache:
        cache[c.id] = _Community(sm, c)
    return cache[c.id]


@dataclass
class _Option:
    starts: dict[str, int]
    busy: frozenset[int]
    rc: int
    pc: int
    total: int


def _options(lat: _Community, group: list[str], limit: int) -> list[_Option] | None:
    """Every feasible tuple of the work-group stages' starts with its least completion (None: too many)."""
    low, high = lat.least({}), lat.greatest()
    if low is None or high is None:
        return []
    ranges = [[i for i in range(low[g], high[g] + 1) if lat.ok(g, i)] for g in group]
    size = 1
    for r in ranges:
        size *= max(1, len(r))
    if size > 4 * limit:
        return None
    out: list[_Option] = []
    for combo in product(*ranges):
        fixed = dict(zip(group, combo, strict=True))
        sched = lat.least(fixed)
        if sched is None:
            continue
        busy = frozenset(t for g in group for t in range(sched[g], lat.end_at(g, sched[g]) + 1))
        out.append(
            _Option(
                sched, busy, sched.get("rc_election", 0), sched.get("pc_election", 0), sum(sched.values())
            )
        )
        if len(out) > limit:
            return None
    return out


def _signature(sm: ScheduleModel, c: Community) -> str:
    """Communities with equal signatures have equal lattices (their options are shared)."""
    pins = sorted((p.stage, p.day.isoformat()) for p in sm.pins if p.community == c.id)
    return "|".join(
        [
            c.schedule.model_dump_json(),
            repr(sorted(sm.force[c.id])),
            repr(pins),
            repr(c.schedule.calendar_key()),
        ]
    )


def _greedy(sm: ScheduleModel, lattices: dict[str, _Community], groups: dict[str, list[str]]) -> bool:
    """A quick witness: community by community, each work-group stage in turn on its earliest day
    with room left and a feasible completion of what is fixed so far. True proves feasibility;
    False proves nothing."""
    capacity = sm.scenario.capacity  # type: ignore[union-attr]
    busy: dict[int, int] = {}
    for c in sm.comms:
        lat, group = lattices[c.id], groups[c.id]
        high = lat.greatest()
        if lat.least({}) is None or high is None:
            return False
        fixed: dict[str, int] = {}
        days: set[int] = set()
        for g in group:
            low = lat.least(fixed)
            if low is None:
                return False
            for d in range(low[g], high[g] + 1):
                span = set(range(d, lat.end_at(g, d) + 1)) - days
                if not lat.ok(g, d) or any(busy.get(t, 0) + 1 > capacity for t in span):
                    continue
                if lat.least({**fixed, g: d}) is not None:
                    fixed[g] = d
                    days |= span
                    break
            else:
                return False
        if lat.least(fixed) is None:
            return False
        for t in days:
            busy[t] = busy.get(t, 0) + 1
    return True


def feasible_decomposed(sm: ScheduleModel, solver_for: Callable[[float], cp_model.CpSolver]) -> bool | None:
    """Whether the model's rules and pins admit a schedule (exact), or None when the decomposition
    does not apply or the master's answer was not proven in time. Explanations ask this for each
    subset of rules they try (planner/schedule/explain.py)."""
    if sm.relaxable or sm.used:
        return None
    lattices = {c.id: _lattice(sm, c) for c in sm.comms}
    if any(lat.topo is None for lat in lattices.values()):
        return None
    group_ids = {(v.community, v.stage.id) for v in sm.group_stages()}
    coupled = len({cid for cid, _ in group_ids}) > 1
    groups = {c.id: [sid for sid in lattices[c.id].topo or [] if (c.id, sid) in group_ids] for c in sm.comms}
    if coupled and _greedy(sm, lattices, groups):
        return True
    shared: dict[str, list[_Option]] = {}
    classes: dict[str, list[str]] = {}
    for c in sm.comms:
        lat = lattices[c.id]
        group = groups[c.id]
        if not coupled or not group:
            if lat.least({}) is None:
                return False
            continue
        key = _signature(sm, c)
        if key not in shared:
            found = _options(lat, group, MAX_OPTIONS)
            if found is None:
                return None
            shared[key] = found
        if not shared[key]:
            return False
        classes.setdefault(key, []).append(c.id)
    if not classes:
        return True
    m, _counts = _master_model(sm, _Decomposition(shared, classes, {}))
    status = interrupt.solve(solver_for(5.0), m)
    if status == cp_model.INFEASIBLE:
        return False
    return True if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def solve_decomposed(
    sm: ScheduleModel,
    solver_for: Callable[[float], cp_model.CpSolver],
    time_left: Callable[[], float],
) -> tuple[str, dict[str, dict[str, int]]] | None:
    """(status, start day indices per community and stage), or None when the decomposition does not apply.

    status: "optimal", "infeasible", "feasible" (time limit after a first solution) or "unknown".
    """
    if sm.relaxable or sm.used:
        return None
    lattices = {c.id: _lattice(sm, c) for c in sm.comms}
    if any(lat.topo is None for lat in lattices.values()):
        return None
    group_ids = {(v.community, v.stage.id) for v in sm.group_stages()}
    coupled = len({cid for cid, _ in group_ids}) > 1
    fixed: dict[str, dict[str, int]] = {}
    shared: dict[str, list[_Option]] = {}
    classes: dict[str, list[str]] = {}
    group_of: dict[str, list[str]] = {}
    for c in sm.comms:
        lat = lattices[c.id]
        group = [sid for sid in lat.topo or [] if (c.id, sid) in group_ids]
        if not coupled or not group:
            sched = lat.least({})
            if sched is None:
                return "infeasible", {}
            fixed[c.id] = sched
            continue
        key = _signature(sm, c)
        group_of[key] = group
        if key not in shared:
            found = _options(lat, group, MAX_OPTIONS)
            if found is None:
                return None
            shared[key] = found
        if not shared[key]:
            return "infeasible", {}
        classes.setdefault(key, []).append(c.id)
    if not classes:
        return "optimal", fixed
    state = _Decomposition(shared, classes, {k: group_of[k] for k in classes})
    sm.__dict__["_decomposition"] = state
    return _master(sm, state, fixed, solver_for, time_left)


def _master_model(
    sm: ScheduleModel, state: _Decomposition
) -> tuple[cp_model.CpModel, dict[str, list[cp_model.IntVar]]]:
    """Count variables per class and option (summing to the class's size), daily capacity rows."""
    options, classes = state.options, state.classes
    capacity = sm.scenario.capacity  # type: ignore[union-attr]
    m = cp_model.CpModel()
    counts: dict[str, list[cp_model.IntVar]] = {}
    per_day: dict[int, list[tuple[cp_model.IntVar, int]]] = {}
    for key, opts in options.items():
        size = len(classes[key])
        xs = [m.new_int_var(0, size, f"class{len(counts)}#{k}") for k in range(len(opts))]
        m.add(sum(xs) == size)
        counts[key] = xs
        for x, o in zip(xs, opts, strict=True):
            for t in o.busy:
                per_day.setdefault(t, []).append((x, size))
    for _t, terms in sorted(per_day.items()):
        if sum(size for _x, size in terms) > capacity:
            m.add(sum(x for x, _size in terms) <= capacity)

    return m, counts


@dataclass
class _Decomposition:
    """Options per class of equal communities, the classes' members, their work-group stages, and
    (after the master) the master model, its count variables and the chosen counts."""

    options: dict[str, list[_Option]]
    classes: dict[str, list[str]]
    group: dict[str, list[str]]
    chosen: dict[str, list[int]] | None = None


def has_stage(sm: ScheduleModel, stage: str) -> bool:
    """Whether some community has the stage (rc_election, pc_election: levels of the objective)."""
    return any(s.id == stage for c in sm.comms for s in sm.stages[c.id])


def _master(
    sm: ScheduleModel,
    state: _Decomposition,
    fixed: dict[str, dict[str, int]],
    solver_for: Callable[[float], cp_model.CpSolver],
    time_left: Callable[[], float],
) -> tuple[str, dict[str, dict[str, int]]]:
    """How many communities of each class take each option, at most `capacity` communities busy a
    day; lexicographic objective. Communities of one class (equal signatures) have the same options
    and are interchangeable, so counting them instead of choosing per community removes the
    symmetry without changing the optimum."""
    options, classes = state.options, state.classes
    m, counts = _master_model(sm, state)

    # One solve for the lexicographic objective: per option, (rc, pc, total) above its class's least,
    # weighted so that one day on a higher level outweighs every possible change of the lower ones.
    attrs = [
        a for a, on in (("rc", has_stage(sm, "rc_election")), ("pc", has_stage(sm, "pc_election"))) if on
    ]
    attrs.append("total")
    low = {key: {a: min(getattr(o, a) for o in opts) for a in attrs} for key, opts in options.items()}
    spread = {
        a: sum(
            len(classes[key]) * (max(getattr(o, a) for o in opts) - low[key][a])
            for key, opts in options.items()
        )
        for a in attrs
    }
    weight: dict[str, int] = {}
    below = 0  # the largest change the lower levels can make
    for a in reversed(attrs):
        weight[a] = below + 1
        below += weight[a] * spread[a]
    m.minimize(
        sum(
            sum(weight[a] * (getattr(o, a) - low[key][a]) for a in attrs) * x
            for key, opts in options.items()
            for x, o in zip(counts[key], opts, strict=True)
        )
    )
    solver = solver_for(time_left())
    status = interrupt.solve(solver, m)
    if status == cp_model.INFEASIBLE:
        return "infeasible", {}
    chosen = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = {key: [int(solver.value(x)) for x in xs] for key, xs in counts.items()}
    proven = status == cp_model.OPTIMAL
    if chosen is None:
        return "unknown", {}
    state.chosen = chosen
    plan = dict(fixed)
    for key, ns in chosen.items():
        members = iter(classes[key])  # communities in scenario order take the options in option order
        for k, n in enumerate(ns):
            for _ in range(n):
                plan[next(members)] = options[key][k].starts
    return ("optimal" if proven else "feasible"), plan


def latest_decomposed(
    sm: ScheduleModel,
    solver_for: Callable[[float], cp_model.CpSolver],
    time_left: Callable[[], float],
) -> tuple[dict[str, dict[str, int]], bool] | None:
    """Every stage's latest start over all schedules meeting every rule (T07 included), after
    `solve_decomposed`: (latest day index per community and stage, whether all are proven).

    For a community of class K the latest start of stage s is the largest greatest-element start
    over the options of K the master can still complete (a master solve with one member of K on
    that option; first a plain capacity count of the plan with that one member moved). Options are
    tried from the latest down, so usually the first one settles it. Uncoupled communities: their
    greatest element. Master solves stop after SLACK_BUDGET seconds (then figures are lower bounds)."""
    state: _Decomposition | None = sm.__dict__.get("_decomposition")
    if state is None or state.chosen is None:
        return None
    out: dict[str, dict[str, int]] = {}
    members = {cid for ids in state.classes.values() for cid in ids}
    for c in sm.comms:
        if c.id not in members:
            high = _lattice(sm, c).greatest()
            if high is None:
                return None
            out[c.id] = high
    check = _Completions(sm, state, solver_for, time.monotonic() + min(SLACK_BUDGET, time_left()))
    for key, opts in state.options.items():
        lat = _lattice(sm, sm.community(state.classes[key][0]))
        highs = [lat.greatest({g: o.starts[g] for g in state.group[key]}) for o in opts]
        assert state.chosen is not None
        current = [k for k, n in enumerate(state.chosen[key]) if n]
        latest: dict[str, int] = {}
        for sid in lat.order:
            ranked = sorted((k for k, h in enumerate(highs) if h is not None), key=lambda k: -highs[k][sid])  # type: ignore[index]
            best = next((highs[k][sid] for k in ranked if check.possible(key, k)), None)  # type: ignore[index]
            latest[sid] = best if best is not None else max(opts[k].starts[sid] for k in current)
        for cid in state.classes[key]:
            out[cid] = latest
    return out, check.proven


class _Completions:
    """Whether the master can complete a schedule with one community of a class on a given option."""

    def __init__(
        self,
        sm: ScheduleModel,
        state: _Decomposition,
        solver_for: Callable[[float], cp_model.CpSolver],
        deadline: float,
    ) -> None:
        assert state.chosen is not None
        self.state, self.solver_for, self.deadline = state, solver_for, deadline
        self.capacity = sm.scenario.capacity  # type: ignore[union-attr]
        self.model, self.counts = _master_model(sm, state)  # feasibility: no objective, no level bounds
        self.busy: dict[int, int] = {}
        for key, ns in state.chosen.items():
            for o, n in zip(state.options[key], ns, strict=True):
                for t in o.busy:
                    self.busy[t] = self.busy.get(t, 0) + n
        self.verdict: dict[tuple[str, int], bool] = {}
        self.proven = True

    def possible(self, key: str, k: int) -> bool:
        if (key, k) not in self.verdict:
            self.verdict[(key, k)] = self._decide(key, k)
        return self.verdict[(key, k)]

    def _repair(self, key: str, j: int, k: int) -> bool:
        """A witness in plain Python: one member of `key` moved from option j to k, then, while a day
        is over capacity, one other community on it moved to an option of its class that overloads
        nothing (at most a few moves). True proves option k completable."""
        opts = self.state.options
        assert self.state.chosen is not None
        counts = {c: list(ns) for c, ns in self.state.chosen.items()}
        busy = dict(self.busy)

        def move(c: str, a: int, b: int) -> None:
            counts[c][a] -= 1
            counts[c][b] += 1
            for t in opts[c][a].busy:
                busy[t] -= 1
            for t in opts[c][b].busy:
                busy[t] = busy.get(t, 0) + 1

        move(key, j, k)
        pinned = {(key, k)}
        for _ in range(8):
            over = sorted(t for t, n in busy.items() if n > self.capacity)
            if not over:
                return True
            t = over[0]
            fixed = False
            for c, ns in counts.items():
                for a, n in enumerate(ns):
                    if not n or t not in opts[c][a].busy or (c, a) in pinned and n == 1:
                        continue
                    for b, o in enumerate(opts[c]):
                        if (
                            b != a
                            and t not in o.busy
                            and all(
                                busy.get(d, 0) + 1 - (d in opts[c][a].busy) <= self.capacity for d in o.busy
                            )
                        ):
                            move(c, a, b)
                            fixed = True
                            break
                    if fixed:
                        break
                if fixed:
                    break
            if not fixed:
                return False
        return not any(n > self.capacity for n in busy.values())

    def _decide(self, key: str, k: int) -> bool:
        state = self.state
        assert state.chosen is not None
        chosen = state.chosen[key]
        if chosen[k]:
            return True
        for j, n in enumerate(chosen):  # the plan with one member moved from its option j onto k
            if n and self._repair(key, j, k):
                return True
        if time.monotonic() > self.deadline:  # out of time: counted impossible (a lower bound)
            self.proven = False
            return False
        m, counts = self.model, self.counts
        m.clear_assumptions()
        m.clear_hints()
        for x, n in zip(counts[key], chosen, strict=True):
            m.add_hint(x, n)
        lit = m.new_bool_var(f"try[{len(self.verdict)}]")
        m.add(counts[key][k] >= 1).only_enforce_if(lit)
        m.add_assumptions([lit])
        solver = self.solver_for(max(0.05, min(1.0, self.deadline - time.monotonic())))
        status = interrupt.solve(solver, m)
        m.clear_assumptions()
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE):
            self.proven = False
        return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def latest_starts(sm: ScheduleModel) -> dict[str, dict[str, int]] | None:
    """Every stage's latest feasible start without T07 (the greatest element of each community's
    lattice, exact); None when the decomposition does not apply or a community has no schedule."""
    if sm.relaxable or sm.used:
        return None
    out = {}
    for c in sm.comms:
        lat = _lattice(sm, c)
        if lat.topo is None:
            return None
        high = lat.greatest()
        if high is None:
            return None
        out[c.id] = high
    return out


def to_plan(sm: ScheduleModel, starts: dict[str, dict[str, int]]) -> dict:
    """Day indices to the solver's plan: community -> stage -> (start date, end date)."""
    out = {}
    for c in sm.comms:
        lat = _lattice(sm, c)
        out[c.id] = {sid: (sm.date(i), sm.date(lat.end(sid, i))) for sid, i in starts[c.id].items()}
    return out
