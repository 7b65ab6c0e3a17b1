"""Planning a schedule: lexicographic solve, slack, re-check, explanation (SCENARIO.md "Precise meanings").

Objective, in order: earliest residents' committee election days (their sum), then earliest
Party committee election days, then every stage as early as it can (sum of starts); done as
sequential CP-SAT solves, each fixing the previous level's optimum.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from ortools.sat.python import cp_model

from planner import interrupt
from planner.check.schedule import check_schedule, resolve_pins
from planner.plan import OBJECTIVE_LEVELS, Plan, ScheduleResult  # noqa: F401 - re-exported
from planner.scenario import Scenario, Subdistrict
from planner.schedule.explain import explain_schedule
from planner.schedule.lattice import latest_decomposed, latest_starts, solve_decomposed, to_plan
from planner.schedule.model import ScheduleModel
from planner.text import Text
from planner.timeline.stages import Pin, holiday_election_warnings


class _Clock:
    def __init__(self, limit: float) -> None:
        self.deadline = time.monotonic() + limit

    def left(self, floor: float = 0.05) -> float:
        return max(floor, self.deadline - time.monotonic())


def _solver(seconds: float, seed: int, workers: int) -> cp_model.CpSolver:
    """One search worker with the full LP relaxation (linearization level 2).

    The two-worker portfolio lacks the LP-heavy worker and cannot close the gap of the capacity
    model of a large sub-district; one LP worker proves it quickly (benchmarks/RESULTS.md), and a
    single worker is deterministic. `workers` is accepted as an upper bound.
    """
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1 if workers <= 2 else workers
    solver.parameters.linearization_level = 2
    return solver


def _levels(sm: ScheduleModel) -> list[cp_model.LinearExprT]:
    """The objective levels: sum of rc_election starts, then (pc_election sum, sum of starts).

    The last two are one solve with a safe multiplier: the sum of starts can vary by at most
    sum(hi - lo) over the start domains, so pc_sum * (that + 1) + starts ranks exactly as the
    lexicographic pair.
    """
    rc, pc, starts = sm.election_starts("rc_election"), sm.election_starts("pc_election"), sm.starts()
    spread = sum(v.hi - v.lo for v in sm.vars.values()) + 1
    levels: list[cp_model.LinearExprT] = []
    if rc:
        levels.append(sum(rc))
    levels.append(spread * sum(pc) + sum(starts) if pc else sum(starts))
    return levels


def _objective(plan: Plan) -> tuple[int, int, int]:
    """(sum of rc_election days, sum of pc_election days, sum of all starts) as date ordinals."""
    rc = sum(st["rc_election"][0].toordinal() for st in plan.values() if "rc_election" in st)
    pc = sum(st["pc_election"][0].toordinal() for st in plan.values() if "pc_election" in st)
    return rc, pc, sum(s.toordinal() for st in plan.values() for s, _e in st.values())


def _solve_plan(sm: ScheduleModel, clock: _Clock, seed: int, workers: int) -> tuple[str, Plan, bool]:
    """Sequential lexicographic minimisation; returns (status, plan, whether by decomposition).

    A sub-district is solved exactly by decomposition when it applies (planner/schedule/lattice.py:
    each community's least schedules per work-group days, then a small master over the capacity);
    otherwise, and for "unknown", by the monolithic model (whose model then holds the levels' bounds)."""
    found = solve_decomposed(sm, lambda seconds: _solver(seconds, seed, workers), clock.left)
    if found is not None and found[0] in ("optimal", "infeasible", "feasible"):
        status, starts = found
        return status, (to_plan(sm, starts) if starts else {}), True
    m = sm.model
    plan: Plan = {}
    proven = True
    for level in _levels(sm):
        m.minimize(level)
        if plan:
            sm.hint(plan)
        solver = _solver(clock.left(), seed, workers)
        status = interrupt.solve(solver, m)
        if status == cp_model.INFEASIBLE:
            return "infeasible", {}, False
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return ("unknown", {}, False) if not plan else ("feasible", plan, False)
        proven &= status == cp_model.OPTIMAL
        plan = sm.extract(solver)
        m.add(level <= round(solver.objective_value))
    return ("optimal" if proven else "feasible"), plan, False


def _latest_by_max_sum(
    sm: ScheduleModel, plan: Plan, clock: _Clock, seed: int, workers: int, budget: float
) -> tuple[Plan | None, bool]:
    """Maximise the sum of starts. Without T07 the feasible schedules form a lattice (every
    constraint is unary or start_j >= f(start_i) with f non-decreasing), so this single solve
    gives every stage's latest feasible start at once (the lattice's greatest element)."""
    sm.model.maximize(sum(sm.starts()))
    sm.hint(plan)
    solver = _solver(min(budget, clock.left()), seed, workers)
    status = interrupt.solve(solver, sm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    return sm.extract(solver), status == cp_model.OPTIMAL


def compute_slack(
    scenario: Scenario,
    pins: list[Pin],
    plan: Plan,
    clock: _Clock,
    seed: int,
    workers: int,
    warnings: list[Text],
    model: ScheduleModel | None = None,
) -> dict[str, dict[str, int]]:
    """slack_days = latest feasible start over all schedules meeting every rule and pin - planned start.

    Without a capacity coupling one max-sum solve is exact (lattice). In a sub-district the
    latest starts without T07 are upper bounds; a community whose whole upper-bound schedule
    fits with the others (one assumption solve) takes them; otherwise each stage is maximised
    on its own (time-limited; a bound that could not be proven is reported in `warnings`).
    """
    base = model or ScheduleModel(scenario, pins)
    found = latest_decomposed(base, lambda seconds: _solver(seconds, seed, workers), clock.left)
    if found is not None:  # exact, from the decomposition's options (planner/schedule/lattice.py)
        latest_idx, proven = found
        if not proven:
            warnings.append(
                Text(
                    "部分松弛时间为下界（求解超时）",
                    "some slack figures are lower bounds (a solve hit its time limit)",
                )
            )
        return {
            cid: {sid: latest_idx[cid][sid] - base.index(start) for sid, (start, _e) in stages.items()}
            for cid, stages in plan.items()
        }
    coupled = len(base.group_stages()) > 1 and len({v.community for v in base.group_stages()}) > 1
    high = latest_starts(base)  # the lattice's greatest element without T07, when it applies
    if high is not None:
        relaxed, upper, exact = base, to_plan(base, high), True
    else:
        relaxed = ScheduleModel(scenario, pins, skip=frozenset({"T07"})) if coupled else base
        upper, exact = _latest_by_max_sum(relaxed, plan, clock, seed, workers, clock.left())
    latest: dict[tuple[str, str], int] = {}
    if upper is None:
        warnings.append(Text("松弛时间未能在时限内求出", "slack could not be computed within the time limit"))
        return {}
    if not exact:
        warnings.append(
            Text("松弛时间为下界（求解未证明最优）", "slack figures are lower bounds (not proven optimal)")
        )
    if not coupled:
        for cid, stages in upper.items():
            for sid, (start, _end) in stages.items():
                latest[(cid, sid)] = relaxed.index(start)
    else:
        groups = _group_ids(base)
        m = base.model
        lits: dict[str, cp_model.IntVar] = {}
        for c in base.comms:
            if all(upper[c.id][sid][0] == plan[c.id][sid][0] for sid in upper[c.id]):
                for sid, (start, _e) in plan[c.id].items():
                    latest[(c.id, sid)] = base.index(start)
                continue
            lit = m.new_bool_var(f"latest[{c.id}]")
            for sid, (start, _e) in upper[c.id].items():
                m.add(base.vars[(c.id, sid)].start >= base.index(start)).only_enforce_if(lit)
            lits[c.id] = lit
        hard_left: list[tuple[str, str]] = []
        for cid, lit in lits.items():
            # A witness first: the community at its upper bounds, every other one as planned.
            # Only T07 couples communities, so counting the work group's days settles it.
            if _capacity_ok(scenario, {**plan, cid: upper[cid]}, groups):
                for sid, (start, _e) in upper[cid].items():
                    latest[(cid, sid)] = base.index(start)
                continue
            if _local_witness(scenario, pins, plan, cid, upper[cid], clock, seed, workers, groups):
                for sid, (start, _e) in upper[cid].items():
                    latest[(cid, sid)] = base.index(start)
                continue
            m.clear_assumptions()
            m.add_assumptions([lit])
            base.hint(plan)
            solver = _solver(min(2.0, clock.left()), seed, workers)
            status = interrupt.solve(solver, m)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                for sid, (start, _e) in upper[cid].items():
                    latest[(cid, sid)] = base.index(start)
            else:
                hard_left.extend((cid, sid) for sid in upper[cid])
        m.clear_assumptions()
        for cid, sid in hard_left:
            v = base.vars[(cid, sid)]
            m.maximize(v.start)
            base.hint(plan)
            solver = _solver(min(1.0, clock.left()), seed, workers)
            status = interrupt.solve(solver, m)
            if status == cp_model.OPTIMAL:
                latest[(cid, sid)] = int(solver.value(v.start))
            else:
                latest[(cid, sid)] = (
                    base.index(plan[cid][sid][0])
                    if status != cp_model.FEASIBLE
                    else max(int(solver.value(v.start)), base.index(plan[cid][sid][0]))
                )
                if not any("lower bounds" in w.en for w in warnings):
                    warnings.append(
                        Text(
                            "部分松弛时间为下界（单阶段求解超时）",
                            "some slack figures are lower bounds (a per-stage solve hit its time limit)",
                        )
                    )
    return {
        cid: {sid: latest[(cid, sid)] - base.index(start) for sid, (start, _e) in stages.items()}
        for cid, stages in plan.items()
    }


def _group_ids(sm: ScheduleModel) -> dict[str, list[str]]:
    """Per community, its work-group stages (election or work_group) when T07 is on there."""
    return {
        c.id: [s.id for s in sm.stages[c.id] if s.election or s.work_group] if c.rules.on("T07") else []
        for c in sm.comms
    }


def _group_days(groups: dict[str, list[str]], cid: str, schedule: dict[str, tuple[date, date]]) -> set[date]:
    days: set[date] = set()
    for sid in groups[cid]:
        start, end = schedule[sid]
        days.update(start + timedelta(days=k) for k in range((end - start).days + 1))
    return days


def _local_witness(
    scenario: Scenario,
    pins: list[Pin],
    plan: Plan,
    cid: str,
    target: dict[str, tuple[date, date]],
    clock: _Clock,
    seed: int,
    workers: int,
    groups: dict[str, list[str]],
) -> bool:
    """Is there a schedule with community `cid` at `target` where only the communities whose
    planned work-group days clash with it move? (A small model; the others keep the plan and
    their days count against the capacity.) True proves the target feasible."""
    assert isinstance(scenario, Subdistrict)
    wanted = _group_days(groups, cid, target)
    movers = [
        c for c in scenario.communities if c.id == cid or _group_days(groups, c.id, plan[c.id]) & wanted
    ]
    ids = {c.id for c in movers}
    used: dict[date, int] = {}
    for c in scenario.communities:
        if c.id not in ids:
            for d in _group_days(groups, c.id, plan[c.id]):
                used[d] = used.get(d, 0) + 1
    local = scenario.model_copy(update={"communities": movers})
    sm = ScheduleModel(local, [p for p in pins if p.community in ids], used=used)
    for sid, (start, _e) in target.items():
        sm.model.add(sm.vars[(cid, sid)].start == sm.index(start))
    sm.hint({k: v for k, v in plan.items() if k in ids})
    solver = _solver(min(1.0, clock.left()), seed, workers)
    return interrupt.solve(solver, sm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _capacity_ok(scenario: Scenario, plan: Plan, groups: dict[str, list[str]]) -> bool:
    """T07 on a combined plan: at most `capacity` communities a day on election or work-group stages."""
    if not isinstance(scenario, Subdistrict):
        return True
    busy: dict[date, int] = {}
    for cid in groups:
        for d in _group_days(groups, cid, plan[cid]):
            busy[d] = busy.get(d, 0) + 1
    return all(n <= scenario.capacity for n in busy.values())


def plan_schedule(
    scenario: Scenario,
    pins: dict[str, date] | None = None,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 2,
    slack: bool = True,
) -> ScheduleResult:
    """Plan a community's or sub-district's stages (rules T01-T10, pins), with slack and critical path.

    pins: "STAGE" -> date for every community, "COMMUNITY/STAGE" -> date for one (merged over
    the scenario's `schedule.pin` and a sub-district's 集中选举日). Every schedule returned is
    re-checked by the solver-free checker; a rejection raises RuntimeError. Infeasible: a
    minimal conflict of rule ids and pins with a message in Chinese and English.
    """
    started = time.monotonic()
    clock = _Clock(time_limit)
    resolved = resolve_pins(scenario, pins)
    sm = ScheduleModel(scenario, resolved)
    warnings = sorted({w for cal in sm.calendars.values() for w in cal.warnings}, key=Text.both)
    settings = {
        "time_limit": time_limit,
        "seed": seed,
        "workers": workers,
        "engine": "CP-SAT",
        "objective": "lexicographic: rc_election, pc_election, sum of starts",
    }
    status, plan, decomposed = _solve_plan(sm, clock, seed, workers)
    result = ScheduleResult(
        scenario=scenario, status=status, warnings=warnings, pins=resolved, solver=settings
    )
    if status == "infeasible":
        result.explanation = explain_schedule(
            scenario, resolved, seed=seed, workers=workers, time_limit=max(5.0, clock.left())
        )
    elif plan:
        result.plan = plan
        result.objective = _objective(plan)
        sub = isinstance(scenario, Subdistrict)
        for c in sm.comms:
            result.warnings.extend(holiday_election_warnings(c, plan[c.id], sm.calendars[c.id], sub=sub))
        if slack:
            result.slack = compute_slack(
                scenario, resolved, plan, clock, seed, workers, result.warnings, sm if decomposed else None
            )
        checks = check_schedule(scenario, result.communities_json(), pins)
        result.checks = checks
        failed = [ch for ch in checks if not ch.ok]
        if failed:
            raise RuntimeError(
                "schedule rejected by the checker (solver bug): "
                + "; ".join(f"{ch.rule}: {ch.detail}" for ch in failed)
            )
    settings["seconds"] = round(time.monotonic() - started, 3)
    if isinstance(scenario, Subdistrict):
        settings["capacity"] = scenario.capacity
    return result
