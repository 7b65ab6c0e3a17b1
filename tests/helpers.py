"""Helpers shared by the test modules: scenario builders and assertions. Fixtures live in conftest.py.

Test modules import from here (`from helpers import ...`; tests/ is on pytest's `pythonpath`), never from
each other or from conftest.
"""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brute_slate import BruteResult, brute_slates
from streamlit.testing.v1 import AppTest

from planner.check import check_slate, slate_objective
from planner.rules import DISQUALIFICATIONS, SLATE_RULES
from planner.scenario import Community, Subdistrict, parse_scenario

if (
    TYPE_CHECKING
):  # planner.slate imports the solver: only where a test solves (test_checker_never_imports_a_solver)
    from planner.slate import SlateResult

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


# ---------------------------------------------------------------- scenarios in code


def person(pid: str, **fields: Any) -> dict[str, Any]:
    """A person who is eligible for every post unless `fields` say otherwise."""
    base: dict[str, Any] = {
        "id": pid,
        "name": f"人{pid}",
        "gender": "M",
        "birth_date": "1985-06-01",
        "education": "college",
        "party_member": True,
        "party_joined": "2010-07-01",
        "joint_review": "passed",
        "support": 50,
    }
    base.update(fields)
    return base


def community(people: list[dict[str, Any]], **fields: Any) -> Community:
    """A community scenario from people dicts; `fields` override top-level keys (rules, relatives, ...)."""
    data: dict[str, Any] = {
        "kind": "community",
        "id": "test",
        "name": "测试社区",
        "reference_date": "2020-12-10",
        "people": people,
    }
    data.update(fields)
    scenario = parse_scenario(data, source="<test>")
    assert isinstance(scenario, Community)
    return scenario


def crowd(n: int = 12, **overrides: dict[str, Any]) -> list[dict[str, Any]]:
    """n eligible people p01..pNN (p01 a woman), support rising with the number; overrides per id."""
    people = []
    for i in range(1, n + 1):
        pid = f"p{i:02d}"
        fields: dict[str, Any] = {"support": 40 + i, "gender": "F" if i == 1 else "M"}
        fields.update(overrides.get(pid, {}))
        people.append(person(pid, **fields))
    return people


# ---------------------------------------------------------------- slate parity (test_slate_parity, test_slate_filter)

PARITY_K = 3
SWITCHABLE = [r for r in SLATE_RULES if r != "S01"]  # as in strategies.py


def _solve(c: Community, **options: Any) -> SlateResult:
    from planner.slate import SlateOptions, solve_slates

    options.setdefault("time_limit", 20.0)
    options.setdefault("workers", 1)
    return solve_slates(c, SlateOptions(**options))


def _only_rules(c: Community, rules: set[str]) -> Community:
    """A copy of `c` with exactly `rules` (plus S01) in force, every other switchable rule off."""
    disabled = [r for r in SWITCHABLE if r not in rules]
    return c.model_copy(update={"rules": c.rules.model_copy(update={"disabled": disabled})})


def _in_force(c: Community) -> set[str]:
    return {r for r in SWITCHABLE if c.rules.on(r)}


def _describe(c: Community, brute: BruteResult, result: SlateResult) -> str:
    return (
        f"\nscenario: {c.model_dump_json(exclude={'schedule'})}\nbrute objectives: {brute.objectives()[:PARITY_K]}"
        f"\nsolver: {result.status} {[s.objective for s in result.slates]} {result.explanation}"
    )


def assert_parity(
    c: Community,
    *,
    top: int = PARITY_K,
    locks: dict[str, str | None] | None = None,
    excludes: list[str] | None = None,
    allow_pending: bool = False,
) -> SlateResult:
    """Solver and brute force agree; every solver slate passes the checker; conflicts are minimal."""
    locks, excludes = dict(locks or {}), list(excludes or [])
    brute = brute_slates(c, locks=locks, excludes=excludes, allow_pending=allow_pending)
    assert not brute.disagreements, (
        "brute-force rule reading and checker disagree on "
        f"{brute.disagreements[0][1]}: {brute.disagreements[0][0].posts}"
    )
    assert not brute.objective_mismatches, brute.objective_mismatches[:1]
    result = _solve(c, top=top, locks=locks, excludes=excludes, allow_pending=allow_pending)
    why = _describe(c, brute, result)
    if not brute.feasible:
        assert result.status == "infeasible", why
        assert result.slates == [], why
        assert_minimal_conflict(c, result.explanation["conflict"], locks, excludes, allow_pending, why)
        return result
    assert result.status == "optimal", why
    assert [s.objective for s in result.slates] == brute.objectives()[:top], why
    teams = [frozenset(s.team()) for s in result.slates]
    assert len(set(teams)) == len(teams), "top-PARITY_K teams must differ" + why
    for rank, s in enumerate(result.slates, 1):
        bad = [ch for ch in check_slate(c, s, allow_pending=allow_pending) if not ch.ok]
        assert not bad, f"slate {rank} fails {[(ch.rule, ch.detail) for ch in bad]}{why}"
        assert slate_objective(c, s) == s.objective, why
        assert frozenset(s.team()) in brute.teams, why
    return result


def assert_minimal_conflict(
    c: Community,
    conflict: list[str],
    locks: dict[str, str | None],
    excludes: list[str],
    allow_pending: bool,
    why: str,
) -> None:
    """SCENARIO.md: only the conflict's rules (plus S01, locks, excludes) on -> infeasible; drop any -> feasible."""
    if not conflict:  # only right when the seats (with locks and excludes) alone cannot be filled
        assert not brute_slates(
            _only_rules(c, set()),
            locks=locks,
            excludes=excludes,
            first_only=True,
            allow_pending=allow_pending,
        ).feasible, "empty conflict" + why
    assert "S01" not in conflict, why
    assert set(conflict) <= _in_force(c), f"conflict {conflict} blames a rule not in force{why}"
    assert len(set(conflict)) == len(conflict), why

    def feasible(rules: set[str]) -> bool:
        reduced = _only_rules(c, rules)
        brute = brute_slates(
            reduced, locks=locks, excludes=excludes, first_only=True, allow_pending=allow_pending
        )
        solver = _solve(reduced, locks=locks, excludes=excludes, allow_pending=allow_pending)
        assert (solver.status in ("optimal", "feasible")) == brute.feasible, (
            f"with only {sorted(rules)} on: brute {brute.feasible}, solver {solver.status}{why}"
        )
        return brute.feasible

    assert not feasible(set(conflict)), f"conflict {conflict} alone is not infeasible{why}"
    for rule in conflict:
        assert feasible(set(conflict) - {rule}), (
            f"conflict {conflict} is not minimal: {rule} is not needed{why}"
        )


# ---------------------------------------------------------------- the checker's base community (test_check_slate, test_verify)

# p01 secretary and director (一肩挑), p03 inspector and supervisory director, p04 deputy director on both,
# p05 the one young member (35), p06 the one woman and the one minority member, p07/p08 not Party members.
CHECKER_OLD = "1975-06-01"  # 45 on the reference date 2020-12-10


def checker_people() -> dict[str, dict[str, Any]]:
    people = {
        pid: person(pid, birth_date=CHECKER_OLD)
        for pid in ["p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09", "p10", "p11", "p12", "p13"]
    }
    people["p01"].update(support=80, tags=["veteran", "veteran", "grid_worker", "not_a_tag"])
    people["p05"].update(birth_date="1985-12-10")  # exactly 35 on 2020-12-10
    people["p06"].update(gender="F", ethnicity="蒙古族")
    for pid in ("p07", "p08"):
        people[pid].update(party_member=False, party_joined=None, ethnicity="汉族")
    people["p09"].update(tags=["university_graduate"], support=99)  # supervisory: not in the objective
    return people


def checker_slate() -> dict[str, Any]:
    return {
        "rank": 1,
        "objective": 440,
        "posts": {
            "party_committee": {
                "secretary": "p01",
                "deputy_secretary": "p02",
                "discipline_inspector": "p03",
                "member": ["p04", "p05"],
            },
            "residents_committee": {
                "director": "p01",
                "deputy_director": "p04",
                "member": ["p06", "p07", "p08"],
            },
            "supervisory_committee": {"director": "p03", "member": ["p09", "p10"]},
        },
        "candidate_lists": {
            "party_committee": ["p01", "p02", "p03", "p04", "p05", "p11"],
            "residents_committee": ["p01", "p04", "p06", "p07", "p08", "p12"],
        },
    }


def checker_community(changes: dict[str, dict[str, Any]] | None = None, **fields: Any) -> Community:
    people = checker_people()
    for pid, upd in (changes or {}).items():
        people[pid].update(upd)
    fields.setdefault("multi_ethnic", True)
    fields.setdefault(
        "relatives",
        [{"a": "p12", "b": "p13", "relation": "sibling"}, {"a": "p09", "b": "p10", "relation": "spouse"}],
    )
    return community(list(people.values()), **fields)


# ---------------------------------------------------------------- hand-made export inputs (test_export, test_export_atomic)

D05_ZH, D05_EN = DISQUALIFICATIONS["D05"]
EXPORT_SOLVER = {"seed": 7, "workers": 2, "time_limit": 12.5}


def export_person(pid: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": pid,
        "name": f"人{pid}",
        "gender": "M",
        "birth_date": "1985-06-01",
        "ethnicity": "汉族",
        "education": "college",
        "party_member": True,
        "party_joined": "2010-07-01",
        "joint_review": "passed",
        "support": 50,
    }
    base.update(fields)
    return base


EXPORT_PEOPLE = [
    export_person(
        "p01",
        name="杭晓旭",
        gender="F",
        birth_date="1981-03-02",
        ethnicity="蒙古族",
        support=82,
        tags=["veteran"],
        incumbent=["party_committee.secretary", "residents_committee.director"],
    ),
    export_person("p02", name="王建国", birth_date="1975-05-01", education="bachelor"),
    export_person("p03", name="李明", birth_date="1980-01-01"),
    export_person("p04", name="张丽", gender="F", birth_date="1990-02-02"),
    export_person("p05", name="赵强", birth_date="1988-08-08"),
    export_person("p06", name="刘伟", birth_date="1970-01-01", party_member=False, party_joined=None),
    export_person("p07", name="陈静", gender="F", birth_date="1992-01-01"),
    export_person("p08", name="孙浩", birth_date="1985-01-01"),
    export_person("p09", name="周杰", birth_date="1983-01-01"),
    export_person("p10", name="吴刚", birth_date="1979-01-01", party_member=False, party_joined=None),
    export_person("p11", name="郑和", birth_date="1960-01-01"),
    export_person("p12", name="冯梅", gender="F", birth_date="1966-01-01"),
    export_person("p13", name="褚亮", disqualifications=["D05"]),
    export_person("p14", name="卫东", joint_review="failed"),
]


def make_community(cid: str = "test", name: str = "测试社区") -> Community:
    data = {
        "kind": "community",
        "id": cid,
        "name": name,
        "subdistrict": "测试街道",
        "reference_date": "2020-12-10",
        "multi_ethnic": True,
        "previous_term": {"college_share": 0.4, "rc_party_share": 0.6},
        "people": copy.deepcopy(EXPORT_PEOPLE),
        "relatives": [{"a": "p13", "b": "p14", "relation": "sibling"}],
    }
    scenario = parse_scenario(data, source="<test>")
    assert isinstance(scenario, Community)
    return scenario


def make_subdistrict() -> Subdistrict:
    data = {
        "kind": "subdistrict",
        "id": "testsd",
        "name": "测试街道",
        "capacity": 2,
        "communities": [
            make_community("east", "东区社区").model_dump(mode="json"),
            make_community("west", "西区社区").model_dump(mode="json"),
        ],
    }
    scenario = parse_scenario(data, source="<test>")
    assert isinstance(scenario, Subdistrict)
    return scenario


EXPORT_SLATE: dict[str, Any] = {
    "rank": 1,
    "objective": 437,  # team p01-p08: 82 + 5 (veteran) + 7 x 50
    "posts": {
        "party_committee": {
            "secretary": "p01",
            "deputy_secretary": "p02",
            "discipline_inspector": "p03",
            "member": ["p04", "p05"],
        },
        "residents_committee": {"director": "p01", "deputy_director": "p04", "member": ["p06", "p07", "p08"]},
        "supervisory_committee": {"director": "p03", "member": ["p11", "p12"]},
    },
    "candidate_lists": {
        "party_committee": ["p01", "p02", "p03", "p04", "p05", "p09"],
        "residents_committee": ["p01", "p04", "p06", "p07", "p08", "p10"],
    },
    "checks": [
        {"rule": "S04", "ok": True, "detail": f"p13 (D05 {D05_ZH}) left out", "people": ["p13"]},
        {"rule": "S05", "ok": True, "detail": "p14 资格联审未通过", "people": ["p14"]},
        {"rule": "S08", "ok": True, "detail": "p05 is 32", "people": ["p05"]},
    ],
}
EXPORT_SLATE_2 = copy.deepcopy(EXPORT_SLATE) | {"rank": 2, "objective": 437}
EXPORT_SLATE_2["posts"]["residents_committee"]["member"] = ["p06", "p07", "p09"]
EXPORT_SLATE_2["candidate_lists"]["residents_committee"] = ["p01", "p04", "p06", "p07", "p09", "p10"]


def slate_result(cid: str = "test", slates: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "scenario": cid,
        "status": "optimal",
        "slates": copy.deepcopy(slates or [EXPORT_SLATE, EXPORT_SLATE_2]),
        "explanation": None,
        "solver": EXPORT_SOLVER,
    }


EXPORT_STAGES = [
    {"id": "pc_publicity", "start": "2020-12-28", "end": "2021-01-01", "slack_days": 4},
    {"id": "pc_election", "start": "2021-01-09", "end": "2021-01-09", "slack_days": 4},
    {"id": "rc_election", "start": "2021-01-23", "end": "2021-01-23", "slack_days": 0},
]


def schedule_result(cids: tuple[str, ...] = ("test",)) -> dict[str, Any]:
    return {
        "scenario": "test",
        "status": "optimal",
        "communities": {
            cid: {"stages": copy.deepcopy(EXPORT_STAGES), "critical_path": ["rc_election"]} for cid in cids
        },
        "explanation": None,
        "warnings": [],
        "solver": EXPORT_SOLVER,
    }


def generated_community(n: int) -> dict[str, Any]:
    """A generated community of `n` people (benchmarks/generate.py), as scenario JSON."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return json.loads(module.generate_community(n, 1).model_dump_json(exclude_defaults=True))


# ---------------------------------------------------------------- the Streamlit app (AppTest)

APP = str(ROOT / "app.py")


def started_app(timeout: float = 120) -> AppTest:
    """The app after its first run (the default scenario loaded), with no exception."""
    app = AppTest.from_file(APP, default_timeout=timeout)
    app.run()
    assert not app.exception
    return app


def visit(app: AppTest, page: str) -> AppTest:
    """Open one of app_pages/ and fail on any exception."""
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def clear_solver_caches() -> None:
    """Forget every solver result the app kept (st.cache_data, and the slate cache of app_pages.common)."""
    import streamlit as st

    from app_pages.common import clear_slate_cache

    st.cache_data.clear()
    clear_slate_cache()


def texts(elements: Any) -> list[str]:
    return [str(e.value) for e in elements]
