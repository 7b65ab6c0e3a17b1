"""Parity of the CP-SAT slate solver with the brute-force enumerator (tests/brute_slate.py).

Over generated small communities (tests/strategies.py) and a few hand-written edge cases: the same
feasibility, the same best objective and the same K best distinct-team objectives; every solver slate
passes the solver-free checker; an infeasible answer's conflict is minimal (SCENARIO.md): with S01 and
only the conflict's rules on, no slate exists; switching off any one of them makes one exist.
Hypothesis runs derandomized (fixed examples) so CI is stable.
"""

from __future__ import annotations

import os
from typing import Any

from brute_slate import body_ok, rule_verdicts
from helpers import assert_parity, community, person
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import SWITCHABLE, communities, parity_settings, people_dicts, relatives_dicts, rule_settings

from planner.check import check_slate
from planner.plan import Slate
from planner.scenario import Community

EXAMPLES = int(os.environ.get("PARITY_EXAMPLES", "40"))
PARITY = parity_settings(EXAMPLES)


# ---------------------------------------------------------------- generated scenarios


@PARITY
@given(communities(6, 9))
def test_parity_on_generated_communities(c: Community) -> None:
    assert_parity(c)


@st.composite
def robust_share_communities(draw: st.DrawFn) -> Community:
    """Robust lists with a previous college share, S10, S17 and S18 in force (S18's counting of S10)."""
    people = draw(people_dicts(draw(st.integers(7, 9)), eligible_bias=0.95))
    rels, others = draw(relatives_dicts(people))
    rules, extras = draw(rule_settings())
    # other rules off half the time, so that S18 with S10 is what binds
    rules["disabled"] = [r for r in SWITCHABLE if r not in ("S10", "S17", "S18") and draw(st.booleans())]
    rules["robust_list"] = True
    extras["previous_term"] = {
        **extras.get("previous_term", {}),
        "college_share": draw(st.sampled_from([0.0, 0.25, 0.4, 0.5, 0.6, 2 / 3, 0.75])),
    }
    return community(people, relatives=rels, others=others, rules=rules, **extras)


@settings(PARITY, max_examples=max(1, EXAMPLES // 2))
@given(robust_share_communities())
def test_parity_robust_lists_with_previous_college_share(c: Community) -> None:
    assert_parity(c, top=2)


@st.composite
def locked_communities(draw: st.DrawFn) -> tuple[Community, dict[str, str | None], list[str], bool]:
    c = draw(communities(6, 8))
    ids = [p.id for p in c.people]
    locks: dict[str, str | None] = {}
    who = draw(st.sampled_from(ids))
    locks[who] = draw(
        st.sampled_from(
            [
                None,
                "party_committee",
                "residents_committee",
                "supervisory_committee",
                "party_committee.secretary",
                "residents_committee.deputy_director",
                "party_committee.member",
            ]
        )
    )
    rest = [x for x in ids if x != who]
    excludes = draw(st.lists(st.sampled_from(rest), max_size=1))
    return c, locks, excludes, draw(st.booleans())


@settings(PARITY, max_examples=max(1, EXAMPLES * 5 // 8))
@given(locked_communities())
def test_parity_with_locks_excludes_and_pending(
    case: tuple[Community, dict[str, str | None], list[str], bool],
) -> None:
    c, locks, excludes, allow_pending = case
    assert_parity(c, locks=locks, excludes=excludes, allow_pending=allow_pending)


@st.composite
def random_slates(draw: st.DrawFn, c: Community) -> Slate:
    """A well-formed slate (S01 holds) of anybody, with random candidate lists (or none)."""
    ids = [p.id for p in c.people]
    seats = c.rules.seats
    pc = draw(st.permutations(ids))[: seats.party_committee]
    rc = draw(st.permutations(ids))[: seats.residents_committee]
    sc = draw(st.permutations(ids))
    if draw(st.booleans()):  # make the structural rules hold more often
        rc = [pc[0], *[x for x in rc if x != pc[0]]][: seats.residents_committee]
    lists: dict[str, list[str]] = {}
    for body, members in (("party_committee", pc), ("residents_committee", rc)):
        if draw(st.integers(0, 9)) > 0:
            pool = ids if draw(st.booleans()) else [x for x in ids if body_ok(c, x, body, False)] or ids
            extra = draw(st.lists(st.sampled_from(pool), max_size=3, unique=True))
            keep = members if draw(st.integers(0, 5)) > 0 else members[1:]
            lists[body] = list(dict.fromkeys([*keep, *extra]))
    sc_director = pc[2] if draw(st.integers(0, 2)) else sc[0]  # S13 holds two times in three
    sc_members = [x for x in sc if x != sc_director][: seats.supervisory_committee - 1]
    return Slate.model_validate(
        {
            "posts": {
                "party_committee": {
                    "secretary": pc[0],
                    "deputy_secretary": pc[1],
                    "discipline_inspector": pc[2],
                    "member": list(pc[3:]),
                },
                "residents_committee": {"director": rc[0], "deputy_director": rc[1], "member": list(rc[2:])},
                "supervisory_committee": {"director": sc_director, "member": sc_members},
            },
            "candidate_lists": lists,
        }
    )


@settings(PARITY, max_examples=EXAMPLES * 2)
@given(st.data())
def test_brute_force_reading_matches_the_checker_rule_by_rule(data: st.DataObject) -> None:
    """The pruning of brute_slates reads each rule as the checker does, on random slates (both directions)."""
    c = data.draw(communities(6, 9))
    for _ in range(6):
        s = data.draw(random_slates(c))
        allow_pending = data.draw(st.booleans())
        checks = {ch.rule: ch.ok for ch in check_slate(c, s, allow_pending=allow_pending) if not ch.disabled}
        assert checks.pop("S01")
        assert rule_verdicts(c, s, allow_pending) == checks, s.posts


# ---------------------------------------------------------------- hand-written edge cases

SMALL = {"seats": {"party_committee": 3, "residents_committee": 3, "supervisory_committee": 2}}


def _people(n: int, **common: Any) -> list[dict[str, Any]]:
    return [person(f"p{i:02d}", support=50 + i, **common) for i in range(1, n + 1)]


def test_ties_give_distinct_teams_of_equal_objective() -> None:
    people = [
        person(f"p{i:02d}", support=50, gender="F" if i == 1 else "M", birth_date="1990-01-01")
        for i in range(1, 9)
    ]
    result = assert_parity(community(people, rules=SMALL))
    assert len({s.objective for s in result.slates}) == 1


def test_cross_holder_counted_once() -> None:
    people = _people(8, gender="F", birth_date="1990-01-01")
    people[0]["tags"] = ["veteran", "grid_worker", "not_a_tag"]
    c = community(people, rules=SMALL)
    result = assert_parity(c)
    best = result.slates[0]
    sec = best.posts.party_committee.secretary
    assert best.posts.residents_committee.director == sec  # S02 一肩挑
    assert best.objective == sum(
        p.support + 5 * len(p.preferred_tags()) for p in c.people if p.id in best.team()
    )


def test_no_woman_blames_s09_alone() -> None:
    people = _people(8, birth_date="1990-01-01")
    result = assert_parity(community(people, rules=SMALL))
    assert result.status == "infeasible" and result.explanation["conflict"] == ["S09"]


def test_college_share_tie_is_not_above() -> None:
    """S10 strictly above: 3 seats Party + 3 residents with cross-holding; shares equal to 0.6 fail."""
    people = _people(8, gender="F", birth_date="1990-01-01", education="high_school")
    for p in people[:3]:
        p["education"] = "college"
    for previous in (0.6, 0.5, 0.75, 2 / 3):
        assert_parity(community(people, rules=SMALL, previous_term={"college_share": previous}))


def test_party_list_size_uses_exact_decimals() -> None:
    """5 seats, ratio 0.2: the Party list needs 6 (float arithmetic would say 7)."""
    people = _people(8, gender="F", birth_date="1990-01-01")
    for p in people[6:]:
        p.update(party_member=False, party_joined=None)
    rules = {
        "seats": {"party_committee": 5, "residents_committee": 2, "supervisory_committee": 1},
        "disabled": ["S11", "S14"],
    }
    result = assert_parity(community(people, rules=rules), top=1)
    assert result.status == "optimal"
    assert len(result.slates[0].candidate_lists["party_committee"]) >= 6


def test_relatives_through_a_shared_parent_in_others() -> None:
    people = _people(8, gender="F", birth_date="1990-01-01")
    people[7]["support"] = 100
    people[6]["support"] = 99
    rels = [{"a": "x01", "b": "p07", "relation": "parent"}, {"a": "x01", "b": "p08", "relation": "parent"}]
    result = assert_parity(community(people, rules=SMALL, others=[{"id": "x01"}], relatives=rels))
    assert not {"p07", "p08"} <= result.slates[0].team()


def test_robust_lists() -> None:
    people = _people(9, birth_date="1990-01-01")
    for p in people[:3]:
        p["gender"] = "F"
    rules = {**SMALL, "robust_list": True, "min_women": 1}
    assert_parity(community(people, rules=rules))
    rules = {**SMALL, "robust_list": True, "min_women": 2}
    assert_parity(community(people, rules=rules))


def test_robust_lists_with_previous_college_share() -> None:
    """S18 + S10: the adversary elects the fewest college people and shares as many of them as it can."""
    people = _people(9, gender="F", birth_date="1990-01-01", education="high_school")
    for p in people[:5]:
        p["education"] = "college"
    for previous in (0.0, 0.25, 0.4, 0.5, 0.6):
        assert_parity(
            community(people, rules={**SMALL, "robust_list": True}, previous_term={"college_share": previous})
        )


def test_minority_needed_in_multi_ethnic_community() -> None:
    people = _people(8, gender="F", birth_date="1990-01-01", ethnicity="汉族")
    assert_parity(community(people, rules=SMALL, multi_ethnic=True))
    people[2]["ethnicity"] = "蒙古族"
    result = assert_parity(community(people, rules=SMALL, multi_ethnic=True))
    assert "p03" in result.slates[0].members("residents_committee")
