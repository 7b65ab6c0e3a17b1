"""Each slate rule alone (CP-SAT Primer style): the model with only that rule (plus S01) on, a few variables
fixed, feasible or infeasible as the rule says, and the checker's verdict on the same slate agreeing.

For every rule S02-S19, on a small hand-made community:
- `breaking` fixes (a person on a post, someone out of the team, ...) make the model with the rule on
  infeasible; with the rule off the model has a slate, and the checker finds the rule violated on it;
- `keeping` fixes leave the model with the rule on feasible, and the checker finds the rule kept.
Both ways of building: rules simply in force (person rules leave variables out) and assumption mode
(every variable created, rules under their enabling literal, here fixed true).
S18 (robust lists) strengthens S08-S11, S07 and S14 on the lists of S17: it is tested with S17, S09, S07, S14 on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from helpers import community, person
from ortools.sat.python import cp_model

from planner.check import check_slate
from planner.plan import RuleCheck, Slate
from planner.scenario import Community
from planner.slate.model import PC, RC, SC, SlateModel, build_model
from planner.slate.solve import extract

Fix = Callable[[SlateModel], None]
IMPOSSIBLE: list[Any] = []  # an empty clause: the variable a fix needs does not exist (a rule left it out)


def on(pid: str, body: str, post: str) -> Fix:
    """pid holds `post` of `body`."""

    def fix(sm: SlateModel) -> None:
        v = sm.x.get((pid, body, post))
        sm.model.add(v == 1) if v is not None else sm.model.add_bool_or(IMPOSSIBLE)

    return fix


def member_of(pid: str, body: str) -> Fix:
    """pid holds some post of `body`."""

    def fix(sm: SlateModel) -> None:
        sm.model.add(sm.m(pid, body) == 1) if sm.has(pid, body) else sm.model.add_bool_or(IMPOSSIBLE)

    return fix


def not_member_of(pid: str, body: str) -> Fix:
    def fix(sm: SlateModel) -> None:
        if sm.has(pid, body):
            sm.model.add(sm.m(pid, body) == 0)

    return fix


def in_team(pid: str) -> Fix:
    def fix(sm: SlateModel) -> None:
        sm.model.add(sm.t[pid] == 1) if pid in sm.t else sm.model.add_bool_or(IMPOSSIBLE)

    return fix


def out_of_team(pid: str) -> Fix:
    def fix(sm: SlateModel) -> None:
        if pid in sm.t:
            sm.model.add(sm.t[pid] == 0)

    return fix


def off_lists(*pids: str, bodies: tuple[str, ...] = (PC, RC)) -> Fix:
    """None of `pids` is on the candidate list of `bodies`."""

    def fix(sm: SlateModel) -> None:
        for pid in pids:
            for body in bodies:
                if (pid, body) in sm.l:
                    sm.model.add(sm.l[(pid, body)] == 0)

    return fix


def people(n: int = 12, **changes: dict[str, Any]) -> list[dict[str, Any]]:
    """p01..pNN, eligible for every post, aged 35 on the reference date; `changes` per id."""
    return [person(f"p{i:02d}", **changes.get(f"p{i:02d}", {})) for i in range(1, n + 1)]


OLD = {"birth_date": "1960-01-01"}
NOT_PARTY = {"party_member": False, "party_joined": None}
LOW_EDUCATION = {"education": "high_school"}


@dataclass
class Case:
    rule: str
    community: Callable[[], Community]
    breaking: list[Fix]
    keeping: list[Fix]
    also_on: list[str] = field(default_factory=list)  # rules a rule builds on (S18: S17 and a quota)


CASES = [
    Case(
        "S02",
        lambda: community(people()),
        [on("p01", PC, "secretary"), on("p02", RC, "director")],
        [on("p01", PC, "secretary"), on("p01", RC, "director")],
    ),
    Case("S03", lambda: community(people(p03=NOT_PARTY)), [member_of("p03", PC)], [member_of("p03", RC)]),
    Case(
        "S04",
        lambda: community(people(p03={"disqualifications": ["D12"]})),
        [member_of("p03", SC)],
        [member_of("p04", SC)],
    ),
    Case(
        "S05",
        lambda: community(people(p03={"joint_review": "failed"})),
        [member_of("p03", RC)],
        [member_of("p04", RC)],
    ),
    Case("S06", lambda: community(people(p03=OLD)), [on("p03", PC, "secretary")], [member_of("p03", PC)]),
    Case(
        "S07",
        lambda: community(people(), relatives=[{"a": "p01", "b": "p02", "relation": "spouse"}]),
        [member_of("p01", PC), member_of("p02", RC)],
        [member_of("p01", PC), member_of("p03", RC)],
    ),
    Case(
        "S08",
        lambda: community(people(**{f"p{i:02d}": OLD for i in range(1, 12)})),
        [out_of_team("p12")],
        [in_team("p12")],
    ),
    Case("S09", lambda: community(people(p01={"gender": "F"})), [out_of_team("p01")], [in_team("p01")]),
    Case(
        "S10",
        lambda: community(
            people(**{f"p{i:02d}": LOW_EDUCATION for i in range(4, 13)}), previous_term={"college_share": 0.5}
        ),
        [out_of_team("p01"), out_of_team("p02")],
        [in_team("p01")],
    ),
    Case(
        "S11",
        lambda: community(people(**{f"p{i:02d}": NOT_PARTY for i in range(4, 13)})),
        [not_member_of("p01", RC)],
        [member_of("p01", RC)],
    ),
    Case(
        "S12",
        lambda: community(people()),
        [on("p05", RC, "deputy_director"), not_member_of("p05", PC)],
        [on("p05", RC, "deputy_director"), member_of("p05", PC)],
    ),
    Case(
        "S13",
        lambda: community(people()),
        [on("p06", SC, "director"), on("p07", PC, "discipline_inspector")],
        [on("p06", SC, "director")],
    ),
    Case(
        "S14",
        lambda: community(people()),
        [member_of("p06", RC), member_of("p06", SC)],
        [member_of("p06", RC), member_of("p07", SC)],
    ),
    Case(
        "S15",
        lambda: community(people(p03={"stands_for": ["party_committee"]})),
        [member_of("p03", RC)],
        [member_of("p03", PC)],
    ),
    Case(
        "S16",
        lambda: community(people(p03={"resident_voter": False})),
        [member_of("p03", SC)],
        [member_of("p04", SC)],
    ),
    Case(
        "S17",
        lambda: community(people()),  # the Party list needs ceil(5 x 1.2) = 6 people
        [off_lists(*(f"p{i:02d}" for i in range(6, 13)), bodies=(PC,))],
        [off_lists(*(f"p{i:02d}" for i in range(7, 13)), bodies=(PC,))],
    ),
    Case(
        "S18",
        lambda: community(people(p01={"gender": "F"}, p02={"gender": "F"}), rules={"robust_list": True}),
        [off_lists("p02")],
        [],
        also_on=["S17", "S09", "S07", "S14"],  # S18 also guards S07 and S14 when they are in force
    ),
    Case(
        "S19",
        lambda: community(people(p04={"ethnicity": "蒙古族"}), multi_ethnic=True),
        [not_member_of("p04", RC)],
        [member_of("p04", RC)],
    ),
]


def solve(c: Community, rules: list[str], fixes: list[Fix], assumptions: bool) -> Slate | None:
    """The model with only `rules` (plus S01) on and `fixes` applied: a slate, or None when infeasible."""

    def apply(sm: SlateModel) -> None:
        for fix in fixes:
            fix(sm)

    sm = build_model(c, enabled=rules, assumptions=assumptions, extra=apply, objective=False)
    assert sm.active == set(rules)
    if assumptions:
        for r in rules:
            sm.model.add(sm.enable[r] == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    status = solver.solve(sm.model)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE), solver.status_name(status)
    return extract(sm, solver, c) if status != cp_model.INFEASIBLE else None


def verdict(c: Community, slate: Slate, rule: str) -> RuleCheck:
    (check,) = [ch for ch in check_slate(c, slate) if ch.rule == rule]
    assert not check.disabled
    return check


def test_every_blameable_rule_has_a_case() -> None:
    assert [case.rule for case in CASES] == [f"S{i:02d}" for i in range(2, 20)]


@pytest.mark.parametrize("assumptions", [False, True], ids=["in_force", "assumptions"])
@pytest.mark.parametrize("case", CASES, ids=[case.rule for case in CASES])
def test_rule_alone(case: Case, assumptions: bool) -> None:
    c = case.community()
    rules = [case.rule, *case.also_on]
    assert solve(c, rules, case.breaking, assumptions) is None, (
        f"{case.rule} on: the breaking fixes are infeasible"
    )
    broken = solve(c, case.also_on, case.breaking, assumptions)
    assert broken is not None, f"{case.rule} off: the breaking fixes have a slate"
    check = verdict(c, broken, case.rule)
    assert not check.ok, f"the checker finds {case.rule} violated on that slate: {check.detail}"
    kept = solve(c, rules, case.keeping, assumptions)
    assert kept is not None, f"{case.rule} on: the keeping fixes have a slate"
    check = verdict(c, kept, case.rule)
    assert check.ok, f"the checker finds {case.rule} kept on that slate: {check.detail}"


def test_S01_alone_fills_every_seat_once() -> None:
    c = community(people())
    slate = solve(c, [], [], assumptions=False)
    assert slate is not None and verdict(c, slate, "S01").ok
    # two people on one single post: S01 always holds, so no slate
    assert solve(c, [], [on("p01", PC, "secretary"), on("p02", PC, "secretary")], assumptions=False) is None
