"""Issue 17 point 1: `--why-not ID` asks for the best slate in which ID holds ANY post, the supervisory
committee included (SCENARIO.md "Locks and why-not"), and the answer depends only on objectives, never
on which of several equal slates the solver happened to report.

Brute-force parity (tests/brute_slate.py, an enumerator that shares nothing with the CP-SAT model): for
each person, the best objective of slates where they hold a post in the team or on the supervisory
committee; the why-not answer must give that objective and cost = optimum - it, and "impossible" exactly
when no such slate exists, with a conflict that is minimal for "any post". (Schedule-side issue 17 point
2, election stages, is in tests/test_schedule.py and tests/test_check_schedule.py.)
"""

from __future__ import annotations

import os
from typing import Any

from brute_slate import BruteResult, brute_slates
from helpers import community, person
from hypothesis import given
from strategies import SWITCHABLE, communities, parity_settings

from planner.scenario import Community
from planner.slate import SlateOptions, SlateResult, solve_slates

SC = "supervisory_committee"
SMALL_SEATS = {"party_committee": 3, "residents_committee": 3, "supervisory_committee": 3}
EXAMPLES = int(os.environ.get("ISSUE17_EXAMPLES", "20"))
PARITY = parity_settings(EXAMPLES)


def solve(c: Community, **options: Any) -> SlateResult:
    return solve_slates(c, SlateOptions(time_limit=20.0, workers=1, **options))


def only_rules(c: Community, rules: set[str]) -> Community:
    disabled = [r for r in SWITCHABLE if r not in rules]
    return c.model_copy(update={"rules": c.rules.model_copy(update={"disabled": disabled})})


def best_any_post(c: Community, pid: str, unlocked: BruteResult) -> int | None:
    """Brute force: the best objective of slates in which `pid` holds any post (team or supervisory)."""
    in_team = [obj for team, (obj, _) in unlocked.teams.items() if pid in team]
    on_sc = brute_slates(c, locks={pid: SC}).objectives()
    both = in_team + on_sc
    return max(both) if both else None


def any_post_feasible(c: Community, pid: str) -> bool:
    return any(brute_slates(c, locks={pid: where}, first_only=True).feasible for where in (None, SC))


def assert_why_not_parity(c: Community) -> None:
    unlocked = brute_slates(c)
    assert not unlocked.disagreements and not unlocked.objective_mismatches
    optimum = unlocked.best()
    for p in c.people:
        expected = best_any_post(c, p.id, unlocked)
        result = solve(c, why_not=p.id)
        wn = result.why_not
        why = f"\nscenario: {c.model_dump_json(exclude={'schedule'})}\nperson {p.id}: brute {expected}, why-not {wn}"
        assert [s.objective for s in result.slates][:1] == ([optimum] if optimum is not None else []), why
        if expected is None:
            assert wn["possible"] is False, why
            conflict = wn["explanation"]["conflict"]
            assert "S01" not in conflict and len(set(conflict)) == len(conflict), why
            assert not any_post_feasible(only_rules(c, set(conflict)), p.id), "conflict does not hold" + why
            for rule in conflict:
                assert any_post_feasible(only_rules(c, set(conflict) - {rule}), p.id), (
                    f"{rule} not needed" + why
                )
            continue
        assert wn["possible"] is True, why
        assert wn["objective"] == expected, why
        assert optimum is not None and wn["cost"] == optimum - expected, why
        assert wn["in_a_best"] is (expected == optimum), why
        if not wn["in_best"]:  # the slate given holds them somewhere
            posts = wn["slate"]["posts"]
            held = [v for body in posts.values() for v in body.values()]
            assert any(p.id == v or (isinstance(v, list) and p.id in v) for v in held), why


# ---------------------------------------------------------------- the case


def three_for_the_supervisory_committee(**rules: Any) -> Community:
    """Six people for every body and three identical people standing only for the supervisory committee,
    which has a director (the discipline inspector, S13) and two member seats."""
    people = [
        person(f"t{i}", support=60 + i, gender="F" if i == 1 else "M", birth_date="1990-01-01")
        for i in range(1, 7)
    ]
    people += [person(f"s{i}", support=70, stands_for=[SC]) for i in range(1, 4)]
    return community(people, rules={"seats": SMALL_SEATS, **rules})


def test_three_identical_supervisory_candidates_all_answered_at_no_cost() -> None:
    c = three_for_the_supervisory_committee()
    best = solve(c)
    assert best.status == "optimal"
    optimum = best.slates[0].objective
    sc = best.slates[0].posts.supervisory_committee
    assert sc.director not in {"s1", "s2", "s3"}  # S13: the director is the discipline inspector
    left_out = [s for s in ("s1", "s2", "s3") if s not in sc.member]
    assert left_out  # two member seats for three equals: the tie-break leaves one out
    for pid in ("s1", "s2", "s3"):
        wn = solve(c, why_not=pid).why_not
        assert wn["possible"] is True and wn["cost"] == 0 and wn["in_a_best"] is True, (pid, wn)
        assert wn["objective"] == optimum and wn["explanation"] is None, (pid, wn)
        if pid in left_out:
            assert wn["in_best"] is False
            members = wn["slate"]["posts"][SC]["member"]
            assert pid in members
            assert "no cost" in wn["message_en"] and "没有代价" in wn["message_zh"]
        else:
            assert wn["in_best"] is True
    assert_why_not_parity(c)


def test_supervisory_only_person_barred_there_is_blamed_correctly() -> None:
    """A supervisory-only person with a failed joint review: impossible, and the conflict is S05 (not S15)."""
    people = [
        person(f"t{i}", support=60 + i, gender="F" if i == 1 else "M", birth_date="1990-01-01")
        for i in range(1, 7)
    ]
    people.append(person("s1", support=70, stands_for=[SC], joint_review="failed"))
    c = community(people, rules={"seats": SMALL_SEATS})
    wn = solve(c, why_not="s1").why_not
    assert wn["possible"] is False
    assert wn["explanation"]["conflict"] == ["S05"]
    assert "s1" in wn["explanation"]["people"]
    assert_why_not_parity(c)


def test_team_post_costs_but_supervisory_is_free() -> None:
    """Someone who stands everywhere but would lower the team's score: the answer is the supervisory
    committee at no cost, not the team at a cost (the best of the two, not the first tried)."""
    people = [
        person(f"t{i}", support=60 + i, gender="F" if i == 1 else "M", birth_date="1990-01-01")
        for i in range(1, 7)
    ]
    people.append(person("w", support=1))
    c = community(people, rules={"seats": SMALL_SEATS, "disabled": ["S13"]})
    wn = solve(c, why_not="w").why_not
    assert wn["possible"] is True and wn["cost"] == 0
    assert_why_not_parity(c)


# ---------------------------------------------------------------- generated scenarios


@PARITY
@given(communities(min_people=6, max_people=8))
def test_why_not_parity_with_brute_force(c: Community) -> None:
    assert_why_not_parity(c)
