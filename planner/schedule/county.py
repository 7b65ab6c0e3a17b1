"""A county's schedule: its sub-districts planned independently, in parallel processes, and an
infeasible county explained by a conflict that is minimal for the whole county.

Exact: each sub-district has its own work group (T07 counts only its own communities) and every
other schedule rule (T01-T06, T08-T10) holds within one community, so the county's feasible
schedules are the product of the sub-districts' and the county objective (sums over all
communities of rc_election days, then pc_election days, then all starts, lexicographically) is
minimised by minimising each sub-district's own. A county-wide 集中选举日 is a fixed date: it pins
every residents' election in every sub-district (a pin per community), which couples nothing.
benchmarks/RESULTS.md gives the argument in full.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.check.schedule import resolve_pins
from planner.plan import ScheduleResult
from planner.scenario import County, Subdistrict
from planner.schedule.explain import _Oracle, exact_oracle, settled_conflict
from planner.schedule.model import ScheduleModel
from planner.text import Text

Progress = Callable[[int, int, str], None]
"""progress(done, total, what): called after each part (what names the part just finished)."""


@dataclass
class CountyScheduleResult:
    """Per sub-district schedule results (in the county's order) and the county's status."""

    county: County
    results: dict[str, ScheduleResult]
    explanation: dict[str, Any] | None = None
    solver: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        statuses = [r.status for r in self.results.values()]
        for status in ("infeasible", "unknown", "feasible"):
            if status in statuses:
                return status
        return "optimal"

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.county.id,
            "kind": "county",
            "status": self.status,
            "explanation": self.explanation,
            "subdistricts": {sid: r.to_json() for sid, r in self.results.items()},
            "solver": dict(self.solver),
        }


def split_pins(county: County, pins: dict[str, date] | None) -> dict[str, dict[str, date]]:
    """The command's pins per sub-district: "STAGE" for every one, "COMMUNITY/STAGE" for its own."""
    owner = {c.id: sub.id for sub in county.subdistricts for c in sub.communities}
    out: dict[str, dict[str, date]] = {sub.id: {} for sub in county.subdistricts}
    for key, day in (pins or {}).items():
        cid, slash, _stage = key.partition("/")
        if slash and cid in owner:
            out[owner[cid]][key] = day
        elif slash:
            raise ValueError(f"--pin {key}: no community '{cid}' in county {county.id}")
        else:
            for sub_pins in out.values():
                sub_pins[key] = day
    return out


def _plan_one(args: tuple[Subdistrict, dict[str, date], float, int, int]) -> ScheduleResult:
    from planner.schedule.solve import plan_schedule

    sub, pins, time_limit, seed, workers = args
    return plan_schedule(sub, pins, time_limit=time_limit, seed=seed, workers=workers)


def default_processes() -> int:
    """One process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run_parts(
    worker: Callable[[Any], Any],
    parts: list[tuple[str, Any]],
    *,
    processes: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """worker(arg) for every (name, arg) in `parts`, in a process pool of `processes` (default: the cores;
    1: in this process). Results come back keyed by name in the order of `parts`, whatever finishes
    first, so the output does not depend on the number of processes. Ctrl-C cancels what has not started
    and stops the workers (each receives the signal too and stops its solve)."""
    processes = default_processes() if processes is None else processes
    out: dict[str, Any] = {}
    if processes <= 1 or len(parts) <= 1:
        for k, (name, arg) in enumerate(parts):
            out[name] = worker(arg)
            if progress:
                progress(k + 1, len(parts), name)
        return out
    pool = ProcessPoolExecutor(max_workers=min(processes, len(parts)))
    try:
        futures = [(name, pool.submit(worker, arg)) for name, arg in parts]
        for done, (name, future) in enumerate(futures, start=1):
            out[name] = future.result()
            if progress:
                progress(done, len(parts), name)
    except BaseException:  # Ctrl-C (each worker got it too) or a failed part: stop every worker now
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return out


def plan_county(
    county: County,
    pins: dict[str, date] | None = None,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 2,
    processes: int | None = None,
    progress: Progress | None = None,
) -> CountyScheduleResult:
    """Plan every sub-district of a county (in parallel), each re-checked by the solver-free checker;
    an infeasible county gets a minimal conflict for the whole county (`explanation`, with the
    sub-district it shows up in)."""
    started = time.monotonic()
    per_sub = split_pins(county, pins)
    parts = [(sub.id, (sub, per_sub[sub.id], time_limit, seed, workers)) for sub in county.subdistricts]
    results = run_parts(_plan_one, parts, processes=processes, progress=progress)
    result = CountyScheduleResult(county, results)
    bad = next((sid for sid, r in results.items() if r.status == "infeasible"), None)
    if bad is not None:
        result.explanation = county_conflict(county, per_sub, bad, results[bad], seed=seed, workers=workers)
    result.solver = {
        "time_limit": time_limit,
        "seed": seed,
        "workers": workers,
        "processes": processes or default_processes(),
        "engine": "CP-SAT",
        "decomposition": "per sub-district (each its own work group)",
        "seconds": round(time.monotonic() - started, 3),
    }
    return result


def _keys(sub: Subdistrict, pins: list[Any]) -> set[str]:
    """Every rule id and pin key that can be switched in a sub-district."""
    from planner.rules import SCHEDULE_RULES

    return set(SCHEDULE_RULES) | {p.key for p in pins}


def county_conflict(
    county: County,
    pins: dict[str, dict[str, date]],
    bad: str,
    result: ScheduleResult,
    *,
    seed: int = 0,
    workers: int = 2,
    per_solve: float = 5.0,
) -> dict[str, Any]:
    """The sub-district's minimal conflict, shrunk (if need be) until it is minimal for the county:
    with only its rules and pins on the county has no schedule (its sub-district `bad` has none), and
    with any one of them off every sub-district has one."""
    assert result.explanation is not None
    subs = {sub.id: sub for sub in county.subdistricts}
    start = list(result.explanation["conflict"])
    oracles: dict[str, Callable[[set[str]], bool]] = {}

    def oracle(sid: str) -> Callable[[set[str]], bool]:
        """Exact by the decomposition where it applies, else the relaxable model (unknown: feasible)."""
        if sid not in oracles:
            sub = subs[sid]
            resolved = resolve_pins(sub, pins[sid])
            relaxable: list[_Oracle] = []
            exact = exact_oracle(sub, resolved, sorted(set(start) | _keys(sub, resolved)), seed)

            def feasible(on: set[str]) -> bool:
                answer = exact(on)
                if answer is not None:
                    return answer
                if not relaxable:
                    sm = ScheduleModel(sub, resolved, relaxable=True)
                    relaxable.append(_Oracle(sm, seed, workers, per_solve))
                return relaxable[0].feasible(on)

            oracles[sid] = feasible
        return oracles[sid]

    def feasible(on: set[str]) -> bool:
        order = [bad] + [sid for sid in subs if sid != bad]  # the infeasible one first: usually decides
        return all(oracle(sid)(on) for sid in order)

    conflict = settled_conflict(start, feasible) if start else start
    out = dict(result.explanation)
    out["subdistrict"] = bad
    if conflict != start:
        text = Text(
            f"无法排出日程（{' + '.join(conflict)}）：街道 {bad} 及其他街道在这些规则下无可行日程。",
            f"No schedule ({' + '.join(conflict)}): sub-district {bad} and others have none under these rules.",
        )
        out.update(conflict=conflict, message=f"{text.zh}\n{text.en}", message_zh=text.zh, message_en=text.en)
    return out
