"""S18 (robust lists) covers recusal (S07) and separation (S14): no outcome of the candidate lists can put two
close relatives in the team, a close relative of a supervisory member in it, or a supervisory member on the
residents' committee. Checker ok/violated pairs, the model against brute force, the bundled example."""

from __future__ import annotations

import copy
from itertools import combinations
from typing import Any

from brute_slate import close_pairs
from helpers import SCENARIOS, assert_parity, checker_people, checker_slate, community, person
from hypothesis import given
from hypothesis import strategies as st
from strategies import parity_settings, people_dicts, relatives_dicts

from planner.check import check_slate
from planner.plan import Slate
from planner.scenario import Community, load_scenario
from planner.slate import SlateOptions, solve_slates

PC, RC, SC = "party_committee", "residents_committee", "supervisory_committee"
# S18's quota parts off, so that only its recusal and separation parts judge the lists
QUOTAS_OFF = ["S08", "S09", "S10", "S11"]


def make(relatives: list[dict[str, str]], **rules: Any) -> Community:
    people = list(checker_people().values()) + [person("p14"), person("p15")]
    return community(
        people,
        multi_ethnic=True,
        relatives=relatives,
        rules={"robust_list": True, "disabled": QUOTAS_OFF, **rules},
    )


def slate(pc_list: list[str] | None = None, rc_list: list[str] | None = None) -> Slate:
    raw = copy.deepcopy(checker_slate())
    if pc_list is not None:
        raw["candidate_lists"][PC] = pc_list
    if rc_list is not None:
        raw["candidate_lists"][RC] = rc_list
    return Slate.model_validate(raw)


def verdict(c: Community, s: Slate) -> dict[str, Any]:
    return {ch.rule: ch for ch in check_slate(c, s)}


BASE_PC = ["p01", "p02", "p03", "p04", "p05", "p11"]  # p11 the Party list's alternate
BASE_RC = ["p01", "p04", "p06", "p07", "p08", "p12"]  # p12 the residents' list's alternate


def test_base_lists_pass() -> None:
    checks = verdict(make([]), slate())
    assert all(ch.ok for ch in checks.values()), [(r, ch.detail) for r, ch in checks.items() if not ch.ok]


def test_siblings_on_one_list_violated_and_ok() -> None:
    """p05 (elected) and p11 (the alternate) are siblings: electing p11 instead of p01 puts both in the team."""
    siblings = [{"a": "p05", "b": "p11", "relation": "sibling"}]
    bad = verdict(make(siblings), slate())
    assert bad["S07"].ok  # the planned team itself is clean
    assert not bad["S18"].ok and "S07" in bad["S18"].detail
    assert set(bad["S18"].people) == {"p05", "p11"}
    assert (
        "p05与p11为近亲属" in bad["S18"].detail_zh
        and "p05 and p11 are close relatives" in bad["S18"].detail_en
    )
    assert [r for r, ch in bad.items() if not ch.ok] == ["S18"]
    # ok: an unrelated alternate instead of p11
    assert verdict(make(siblings), slate(pc_list=[*BASE_PC[:5], "p14"]))["S18"].ok
    # ok: the same lists with S07 switched off (S18 then only asks for S14)
    assert verdict(make(siblings, disabled=[*QUOTAS_OFF, "S07"]), slate())["S18"].ok


def test_two_alternates_of_different_lists_who_are_siblings() -> None:
    """p11 on the Party list and p14 on the residents' list, siblings: both could be elected at once."""
    siblings = [{"a": "p11", "b": "p14", "relation": "sibling"}]
    assert not verdict(make(siblings), slate(rc_list=[*BASE_RC[:5], "p14"]))["S18"].ok
    assert verdict(make(siblings), slate(rc_list=[*BASE_RC[:5], "p15"]))["S18"].ok


def test_relative_of_a_listed_member_as_an_alternate() -> None:
    """p12, the residents' alternate, is p04's spouse; p04 is elected to both committees."""
    spouses = [{"a": "p04", "b": "p12", "relation": "spouse"}]
    bad = verdict(make(spouses), slate())
    assert bad["S07"].ok and not bad["S18"].ok
    assert set(bad["S18"].people) == {"p04", "p12"}
    assert verdict(make(spouses), slate(rc_list=[*BASE_RC[:5], "p14"]))["S18"].ok


def test_relative_of_a_supervisory_member_as_an_alternate() -> None:
    """p11 (Party alternate) is the child of p10 (supervisory member): with recusal_supervisory, S18 fails."""
    family = [{"a": "p10", "b": "p11", "relation": "sibling"}]
    bad = verdict(make(family), slate())
    assert bad["S07"].ok and not bad["S18"].ok and "S07" in bad["S18"].detail
    assert verdict(make(family, recusal_supervisory=False), slate())["S18"].ok


def test_supervisory_member_on_the_residents_list() -> None:
    """p03, discipline inspector and supervisory director, as the residents' alternate (the bundled example's
    old answer): an outcome elects p03 to the residents' committee, against S14."""
    bad = verdict(make([]), slate(rc_list=[*BASE_RC[:5], "p03"]))
    assert bad["S14"].ok and not bad["S18"].ok
    assert "S14" in bad["S18"].detail and bad["S18"].people == ["p03"]
    assert "p03同时在居委会和监委会" in bad["S18"].detail_zh
    # ok: S14 switched off; and p03 on the Party list is fine (the inspector is elected there anyway)
    assert verdict(make([], disabled=[*QUOTAS_OFF, "S14"]), slate(rc_list=[*BASE_RC[:5], "p03"]))["S18"].ok


# ---------------------------------------------------------------- the model


def outcomes_apart(c: Community, s: Slate) -> bool:
    """Every outcome of the lists (each list electing its seats) is free of S07 and S14 problems."""
    pairs = close_pairs(c)
    seats = c.rules.seats
    sc = set(s.members(SC))
    for pc in combinations(s.candidate_lists[PC], seats.party_committee):
        for rc in combinations(s.candidate_lists[RC], seats.residents_committee):
            team = set(pc) | set(rc)
            if c.rules.on("S07"):
                if any(frozenset(p) in pairs for p in combinations(sorted(team), 2)):
                    return False
                if c.rules.recusal_supervisory and any(frozenset((a, b)) in pairs for a in sc for b in team):
                    return False
            if c.rules.on("S14") and set(rc) & sc:
                return False
    return True


SMALL = {"seats": {"party_committee": 3, "residents_committee": 2, "supervisory_committee": 2}}


def families(n: int) -> list[dict[str, Any]]:
    return [person(f"p{i:02d}", support=50 + i, gender="F" if i % 3 == 0 else "M") for i in range(1, n + 1)]


def test_model_keeps_siblings_off_the_lists() -> None:
    """The two best people are siblings: without S18 the second is an alternate; with S18 neither list
    holds both, and the solver's best objective equals brute force's."""
    people = families(8)
    rels = [{"a": "p08", "b": "p07", "relation": "sibling"}]
    loose = community(people, relatives=rels, rules=SMALL)
    lists = solve_slates(loose, SlateOptions(workers=1)).slates[0].candidate_lists
    assert {"p07", "p08"} <= set(lists[PC]) | set(lists[RC])
    robust = community(people, relatives=rels, rules={**SMALL, "robust_list": True})
    result = assert_parity(robust, top=2)
    for s in result.slates:
        assert not {"p07", "p08"} <= set(s.candidate_lists[PC]) | set(s.candidate_lists[RC])
        assert outcomes_apart(robust, s)


def test_model_keeps_supervisory_members_off_the_residents_list() -> None:
    people = families(9)
    c = community(people, rules={**SMALL, "robust_list": True, "differential_ratio": 0.5})
    result = assert_parity(c, top=2)
    for s in result.slates:
        assert not set(s.members(SC)) & set(s.candidate_lists[RC])
        assert outcomes_apart(c, s)


@st.composite
def robust_families(draw: st.DrawFn) -> Community:
    """Small communities with robust lists and relatives; quotas usually off, so recusal is what binds."""
    people = draw(people_dicts(draw(st.integers(7, 9)), eligible_bias=0.95))
    rels, others = draw(relatives_dicts(people))
    disabled = [r for r in ("S08", "S09", "S10", "S11", "S12", "S19") if draw(st.integers(0, 3)) != 0]
    rules = {
        **SMALL,
        "robust_list": True,
        "recusal_supervisory": draw(st.booleans()),
        "disabled": disabled,
        "differential_ratio": draw(st.sampled_from([0.2, 0.5])),
    }
    return community(people, relatives=rels, others=others, rules=rules)


@parity_settings(12, random_ok=False)
@given(robust_families())
def test_parity_no_outcome_breaks_recusal_or_separation(c: Community) -> None:
    result = assert_parity(c, top=2)
    for s in result.slates:
        assert outcomes_apart(c, s)


# ---------------------------------------------------------------- the bundled example


def test_bundled_example_lists_keep_relatives_and_supervisors_apart() -> None:
    """诺恩吉雅社区 with robust lists: neither the siblings p04/p05 on the lists together nor a supervisory
    member (the discipline inspector as supervisory director) on the residents' list, in any of 3 slates."""
    c = load_scenario(SCENARIOS / "nuoenjiya.yaml")
    assert isinstance(c, Community)
    c = c.model_copy(update={"rules": c.rules.model_copy(update={"robust_list": True})})
    result = solve_slates(c, SlateOptions(top=3, workers=1))
    assert result.status == "optimal" and len(result.slates) == 3
    for s in result.slates:
        listed = set(s.candidate_lists[PC]) | set(s.candidate_lists[RC])
        assert not {"p04", "p05"} <= listed
        assert not set(s.members(SC)) & set(s.candidate_lists[RC])
        assert outcomes_apart(c, s)
