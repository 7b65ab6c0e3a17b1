"""CP-SAT slate model (planner/slate): per-rule feasible/infeasible pairs, locks, excludes, top-K, determinism."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

import pytest
from helpers import community, crowd, person
from ortools.sat.python import cp_model

from planner.check.slate import check_slate, slate_objective
from planner.plan import Slate
from planner.scenario import Community
from planner.slate import SlateOptions, format_slates, solve_slates
from planner.slate.model import BLAMEABLE, SlateModel, build_model, party_list_size, robust_share_failures

FAST = {"time_limit": 10.0, "workers": 1}


def solve(people: list[dict[str, Any]], disabled: list[str] | None = None, **kw: Any):
    options = {k: kw.pop(k) for k in list(kw) if k in SlateOptions.__dataclass_fields__}
    rules = dict(kw.pop("rules", {}))
    if disabled:
        rules["disabled"] = disabled
    c = community(people, rules=rules, **kw)
    return c, solve_slates(c, SlateOptions(**{**FAST, **options}))


def pair(people: list[dict[str, Any]], rule: str, **kw: Any) -> None:
    """Infeasible with the rule on, feasible with it off, and the rule in the explanation's conflict."""
    _, on = solve(people, **kw)
    assert on.status == "infeasible", rule
    assert rule in on.explanation["conflict"]
    rules = dict(kw.pop("rules", {}))
    rules["disabled"] = [*rules.get("disabled", []), rule]
    c, off = solve(people, rules=rules, **kw)
    assert off.status == "optimal", rule
    assert all(ch.ok for ch in check_slate(c, off.slates[0]))


def test_default_slate_is_valid_and_objective_matches_checker() -> None:
    c, res = solve(crowd())
    assert res.status == "optimal"
    slate = res.slates[0]
    assert slate.rank == 1 and slate.objective == slate_objective(c, slate)
    assert len(slate.checks) == 19 and all(ch.ok for ch in slate.checks)
    # the woman p01 (S09) and the 7 highest supports fill the team (S02 and S12 overlap two people)
    assert slate.team() == {"p01", *(f"p{i:02d}" for i in range(6, 13))}
    assert slate.objective == 41 + sum(40 + i for i in range(6, 13))
    data = res.to_json()
    assert set(data) >= {"scenario", "status", "slates", "explanation", "solver", "why_not"}
    assert (
        data["slates"][0]["posts"]["party_committee"]["secretary"]
        == data["slates"][0]["posts"]["residents_committee"]["director"]
    )


def test_objective_weights_tags_and_continuity() -> None:
    people = crowd()
    people[0]["tags"] = ["veteran", "grid_worker", "veteran"]
    people[0]["incumbent"] = ["residents_committee.member"]
    c, res = solve(people, rules={"weights": {"continuity": 100}})
    assert "p01" in res.slates[0].team()
    assert res.slates[0].objective == slate_objective(c, res.slates[0])


def test_S02_one_shoulder() -> None:
    pair(crowd(p12={"stands_for": ["party_committee"]}), "S02", locks={"p12": "party_committee.secretary"})


def test_S03_party_only() -> None:
    people = crowd(**{f"p{i:02d}": {"party_member": False, "party_joined": None} for i in range(5, 13)})
    pair(people, "S03")


def test_S04_disqualified_never_serve() -> None:
    _, res = solve(crowd(p12={"disqualifications": ["D01"]}))
    assert "p12" not in res.slates[0].team()
    assert all("p12" not in lst for lst in res.slates[0].candidate_lists.values())
    pair(crowd(p01={"disqualifications": ["D12"]}), "S04")


def test_S05_joint_review_and_allow_pending() -> None:
    people = crowd(**{f"p{i:02d}": {"joint_review": "pending"} for i in range(1, 6)})
    pair(people, "S05")
    _, res = solve(people, allow_pending=True)
    assert res.status == "optimal"


def test_S06_secretary_conditions_incumbent_and_waiver() -> None:
    people = crowd(**{f"p{i:02d}": {"education": "high_school"} for i in range(1, 13)})
    pair(people, "S06")
    people[3]["incumbent"] = ["party_committee.secretary"]
    _, res = solve(people)
    assert res.slates[0].posts.party_committee.secretary == "p04"
    people[3]["incumbent"] = []
    people[2]["waivers"] = ["education"]
    _, res = solve(people)
    assert res.slates[0].posts.party_committee.secretary == "p03"


def test_S07_recusal() -> None:
    rel = [{"a": "p07", "b": "p08", "relation": "spouse"}]
    pair(crowd(), "S07", relatives=rel, locks={"p07": None, "p08": None})
    _, res = solve(crowd(), relatives=rel)
    assert not {"p07", "p08"} <= res.slates[0].team()


def test_S08_young() -> None:
    pair(crowd(), "S08", rules={"young_max_age": 30})


def test_S09_women() -> None:
    pair(crowd(p01={"gender": "M"}), "S09")
    pair(crowd(), "S09", rules={"min_women": 2})


def test_S10_college_share() -> None:
    people = crowd(**{f"p{i:02d}": {"education": "high_school"} for i in range(5, 13)})
    pair(people, "S10", previous_term={"college_share": 0.85})
    _, res = solve(people, previous_term={"college_share": 0.5})
    assert res.status == "optimal"


def test_S11_rc_party_share() -> None:
    people = crowd(
        **{f"p{i:02d}": {"party_member": False, "party_joined": None} for i in range(7, 13)},
        **{f"p{i:02d}": {"stands_for": ["party_committee", "supervisory_committee"]} for i in range(3, 7)},
    )
    pair(people, "S11")


def test_S12_deputy_director_cross() -> None:
    people = crowd(
        **{f"p{i:02d}": {"party_member": False, "party_joined": None} for i in range(7, 13)},
        **{f"p{i:02d}": {"stands_for": ["party_committee", "supervisory_committee"]} for i in range(2, 7)},
    )
    pair(people, "S12", rules={"disabled": ["S11"]})


def test_S13_supervisory_director() -> None:
    people = crowd(
        **{f"p{i:02d}": {"stands_for": ["party_committee", "residents_committee"]} for i in range(1, 13)}
    )
    for p in people:
        if p["id"] in ("p02", "p03", "p04"):
            p.update(party_member=False, party_joined=None, stands_for=["supervisory_committee"])
    pair(people, "S13")


def test_S14_supervisory_separation() -> None:
    people = crowd(
        **{f"p{i:02d}": {"stands_for": ["party_committee", "residents_committee"]} for i in range(4, 13)}
    )
    pair(people, "S14", locks={"p02": "residents_committee", "p03": "residents_committee"})


def test_S15_willing() -> None:
    people = crowd(
        **{f"p{i:02d}": {"stands_for": ["party_committee", "residents_committee"]} for i in range(1, 13)}
    )
    pair(people, "S15")


def test_S16_adult_resident() -> None:
    people = crowd(**{f"p{i:02d}": {"resident_voter": False} for i in range(1, 6)})
    pair(people, "S16")


def test_S17_differential_lists() -> None:
    people = crowd(**{f"p{i:02d}": {"party_member": False, "party_joined": None} for i in range(6, 13)})
    pair(people, "S17", rules={"disabled": ["S11"]})
    c, res = solve(crowd(), rules={"differential_ratio": 0.5})
    lists = res.slates[0].candidate_lists
    assert len(lists["party_committee"]) == party_list_size(c) == 8
    assert len(lists["residents_committee"]) == 6
    for body in ("party_committee", "residents_committee"):
        assert set(res.slates[0].members(body)) <= set(lists[body])


def test_S17_off_lists_are_members() -> None:
    _, res = solve(crowd(), disabled=["S17"])
    for body in ("party_committee", "residents_committee"):
        assert sorted(res.slates[0].candidate_lists[body]) == sorted(res.slates[0].members(body))


def test_S18_robust_lists() -> None:
    pair(crowd(), "S18", rules={"robust_list": True})
    two_women = crowd(p02={"gender": "F"})
    _, res = solve(two_women, rules={"robust_list": True})
    assert res.status == "optimal"  # the checker (which enumerates subsets) passed it


def test_S18_college_share_counting_passes_checker() -> None:
    people = crowd(
        14,
        **{f"p{i:02d}": {"education": "high_school"} for i in (2, 4, 6, 8, 10, 12, 14)},
        p03={"gender": "F"},
        p05={"gender": "F"},
    )
    c, res = solve(people, rules={"robust_list": True}, previous_term={"college_share": 0.5})
    assert res.status in ("optimal", "infeasible")
    if res.slates:
        assert all(ch.ok for ch in check_slate(c, res.slates[0]))


def _fixed_lists_slate(c: Community, lists: dict[str, list[str]]) -> Slate:
    """A slate whose posts go to the first listed people (only S17, S18, S10 are on: posts do not matter)."""
    pc, rc = lists["party_committee"], lists["residents_committee"]
    s_pc, s_rc, s_sc = (
        getattr(c.rules.seats, b) for b in ("party_committee", "residents_committee", "supervisory_committee")
    )
    return Slate.model_validate(
        {
            "posts": {
                "party_committee": {
                    "secretary": pc[0],
                    "deputy_secretary": pc[1],
                    "discipline_inspector": pc[2],
                    "member": pc[3:s_pc],
                },
                "residents_committee": {"director": rc[0], "deputy_director": rc[1], "member": rc[2:s_rc]},
                "supervisory_committee": {
                    "director": c.people[0].id,
                    "member": [p.id for p in c.people[1:s_sc]],
                },
            },
            "candidate_lists": lists,
        }
    )


def test_S18_college_share_counting_is_exact_on_fixed_lists() -> None:
    """With the lists fixed, the model is feasible exactly when the checker (every elected pair) passes S18."""
    rng = random.Random(18)
    shares = [0.0, 0.25, 0.4, 0.5, 0.6, 2 / 3, 0.75, 0.8, 1.0]
    seen = {True: 0, False: 0}
    for _ in range(120):
        s_pc, s_rc = rng.choice([(3, 2), (3, 3), (4, 3), (5, 5), (3, 5)])
        ratio = rng.choice([0.0, 0.2, 0.5])
        n = s_pc + s_rc + 3
        p_college = rng.random()
        people = [
            person(f"p{i:02d}", education="college" if rng.random() < p_college else "high_school")
            for i in range(1, n + 1)
        ]
        rules = {
            "seats": {"party_committee": s_pc, "residents_committee": s_rc, "supervisory_committee": 1},
            "differential_ratio": ratio,
            "robust_list": True,
            "disabled": [r for r in BLAMEABLE if r not in ("S10", "S17", "S18")],
        }
        c = community(people, rules=rules, previous_term={"college_share": rng.choice(shares)})
        ids = [p.id for p in c.people]
        lists = {
            "party_committee": rng.sample(ids, party_list_size(c)),
            "residents_committee": rng.sample(ids, s_rc + 1),
        }
        if rng.random() < 0.5:  # more people on both lists
            lists["residents_committee"] = rng.sample(
                lists["party_committee"], min(s_rc + 1, len(lists["party_committee"]))
            ) + rng.sample(
                [x for x in ids if x not in lists["party_committee"]],
                max(0, s_rc + 1 - len(lists["party_committee"])),
            )
        checked = {ch.rule: ch.ok for ch in check_slate(c, _fixed_lists_slate(c, lists))}
        assert checked["S17"]

        def fix(sm: SlateModel, lists: dict[str, list[str]] = lists) -> None:
            for (pid, body), v in sm.l.items():
                sm.model.add(v == int(pid in lists[body]))

        for assumptions in (False, True):
            sm = build_model(c, assumptions=assumptions, extra=fix)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            if assumptions:
                sm.model.add_assumptions(sm.lit("S10", "S17", "S18"))
            status = solver.solve(sm.model)
            assert status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
            assert (status == cp_model.OPTIMAL) == checked["S18"], (lists, c.previous_term, assumptions)
            if assumptions and status == cp_model.INFEASIBLE:  # blamed on S18 with S10 (when S10 alone holds)
                core = {
                    sm.model.proto.variables[i].name
                    for i in solver.sufficient_assumptions_for_infeasibility()
                }
                sm.model.clear_assumptions()
                sm.model.add_assumptions(sm.lit("S10", "S17"))
                if solver.solve(sm.model) == cp_model.OPTIMAL:
                    assert {"enable[S18]", "enable[S10]"} <= core
        seen[checked["S18"]] += 1
    assert min(seen.values()) >= 20, seen


def test_S18_college_share_failures_table() -> None:
    """The adversary's failing choices: 3 + 3 seats, previous share 1/2 (k, j college elected, o both)."""
    fails = robust_share_failures(3, 3, Fraction(1, 2))
    assert (0, 0, 0, 0) in fails  # nobody college elected: always fails
    assert (
        2,
        2,
        2,
        2,
    ) in fails  # the same 2 college people in both bodies and 2 others: 2/4 is not above 1/2
    assert (2, 2, 1, 2) not in fails and (2, 2, 1, 3) not in fails  # 3 college, at most 2 others: 3/5 passes
    assert not any(k == 3 and j == 3 for k, j, *_ in fails)  # all college: nobody else is elected
    assert robust_share_failures(3, 3, Fraction(1)) and all(
        n == 0 for *_, n in robust_share_failures(3, 3, Fraction(1))
    )


def test_S18_college_share_infeasible_blames_S18_and_S10() -> None:
    """Only 4 college people: any robust lists let the adversary elect a team of 3 college people in 5."""
    people = crowd(12, **{f"p{i:02d}": {"education": "high_school"} for i in range(5, 13)})
    rules = {"robust_list": True, "disabled": ["S08", "S09", "S11", "S19"]}
    _, on = solve(people, rules=rules, previous_term={"college_share": 0.6})
    assert on.status == "infeasible"
    assert {"S18", "S10"} <= set(on.explanation["conflict"])
    for rule in ("S18", "S10"):
        c, off = solve(
            people,
            rules={**rules, "disabled": [*rules["disabled"], rule]},
            previous_term={"college_share": 0.6},
        )
        assert off.status == "optimal", rule
        assert all(ch.ok for ch in check_slate(c, off.slates[0]))


def test_S19_minority() -> None:
    pair(crowd(), "S19", multi_ethnic=True)
    _, res = solve(crowd(p02={"ethnicity": "蒙古族"}), multi_ethnic=True)
    assert "p02" in res.slates[0].members("residents_committee")


def test_locks_and_excludes() -> None:
    _, res = solve(
        crowd(),
        locks={"p01": "party_committee.secretary", "p02": None, "p03": "supervisory_committee"},
        excludes=["p12"],
    )
    slate = res.slates[0]
    assert slate.posts.party_committee.secretary == "p01"
    assert "p02" in slate.team()
    assert "p03" in slate.members("supervisory_committee")
    assert "p12" not in {
        pid
        for b in ("party_committee", "residents_committee", "supervisory_committee")
        for pid in slate.members(b)
    }
    assert all("p12" not in lst for lst in slate.candidate_lists.values())


def test_bad_lock_is_an_error() -> None:
    with pytest.raises(ValueError):
        solve(crowd(), locks={"p01": "party_committee.director"})
    with pytest.raises(ValueError):
        solve(crowd(), locks={"nobody": None})


def test_top_k_distinct_teams_non_increasing() -> None:
    _, res = solve(crowd(), top=4)
    assert len(res.slates) == 4 and [s.rank for s in res.slates] == [1, 2, 3, 4]
    teams = [frozenset(s.team()) for s in res.slates]
    assert len(set(teams)) == 4
    objs = [s.objective for s in res.slates]
    assert objs == sorted(objs, reverse=True)
    assert objs[1] == objs[0] - 1  # swapping p06 for p05 costs exactly 1


def test_top_k_stops_when_teams_run_out() -> None:
    _, res = solve(crowd(), top=3, locks={f"p{i:02d}": None for i in range(1, 9)})
    assert res.status == "optimal" and len(res.slates) == 1


def test_deterministic_across_runs_and_workers() -> None:
    people = crowd(14, p03={"support": 50}, p04={"support": 50}, p05={"support": 50})
    _, a = solve(people, top=2, workers=1)
    _, b = solve(people, top=2, workers=2)
    _, again = solve(people, top=2, workers=2)
    assert a.to_json()["slates"] == b.to_json()["slates"] == again.to_json()["slates"]


def test_no_people() -> None:
    c = community([])
    res = solve_slates(c, SlateOptions(**FAST))
    assert res.status == "infeasible" and res.slates == []
    assert "no candidates" in res.explanation["message_en"] and "没有候选人" in res.explanation["message_zh"]


def test_format_slates_zh_and_en() -> None:
    c, res = solve(crowd())
    zh = format_slates(res, c)
    assert "书记 secretary" in zh and "✓ S09" in zh and "方案 1" in zh
    en = format_slates(res, c, lang="en")
    assert "Slate 1" in en
    c, res = solve(crowd(p01={"gender": "M"}))
    assert "S09" in format_slates(res, c)
