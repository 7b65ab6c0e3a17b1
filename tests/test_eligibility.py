"""Per-person eligibility (S03-S06, S15, S16): reasons name the facts; switched-off rules say nothing."""

from __future__ import annotations

import pytest
from helpers import community, person

from planner.eligibility import (
    Reason,
    body_reasons,
    reasons_S03,
    reasons_S04,
    reasons_S05,
    reasons_S06,
    reasons_S15,
    reasons_S16,
    screen,
)
from planner.rules import DISQUALIFICATIONS
from planner.scenario import BODIES

INCUMBENT_SECRETARY = ["party_committee.secretary", "residents_committee.director"]


def one(**fields):
    c = community([person("p01", **fields)])
    return c, c.person["p01"]


def rules_of(reasons: list[Reason]) -> list[str]:
    return [r.rule for r in reasons]


# ------------------------------------------------------------------ S06


def test_eleven_months_of_party_standing_fails_s06():
    c, p = one(party_joined="2020-01-10")  # 11 months before 2020-12-10
    reasons = reasons_S06(c, p)
    assert rules_of(reasons) == ["S06"]
    assert reasons[0].zh == "党龄不足1年（入党2020-01-10，0年）"
    assert reasons[0].en == "Party standing under 1 year (joined 2020-01-10, 0 years)"


def test_exactly_one_year_of_standing_passes_s06():
    c, p = one(party_joined="2019-12-10")
    assert reasons_S06(c, p) == []


def test_age_exactly_45_passes_and_46_fails():
    c, p = one(birth_date="1975-12-10")  # 45 on the reference date
    assert c.age(p) == 45 and reasons_S06(c, p) == []
    c, p = one(birth_date="1974-12-10")  # 46 that day
    reasons = reasons_S06(c, p)
    assert c.age(p) == 46 and rules_of(reasons) == ["S06"]
    assert "46" in reasons[0].zh and "45" in reasons[0].zh
    c, p = one(birth_date="1974-12-11")  # turns 46 the day after: still 45
    assert reasons_S06(c, p) == []


def test_incumbent_secretary_52_without_college_passes_age_and_education():
    c, p = one(birth_date="1968-05-12", education="high_school", incumbent=INCUMBENT_SECRETARY)
    assert reasons_S06(c, p) == []


def test_incumbent_secretary_still_needs_party_standing():
    c, p = one(
        birth_date="1968-05-12",
        education="high_school",
        incumbent=INCUMBENT_SECRETARY,
        party_joined="2020-06-01",
    )
    reasons = reasons_S06(c, p)
    assert len(reasons) == 1 and "党龄不足1年" in reasons[0].zh


def test_other_incumbent_posts_are_not_exempt():
    c, p = one(
        birth_date="1968-05-12",
        education="high_school",
        incumbent=["party_committee.deputy_secretary", "residents_committee.director"],
    )
    assert len(reasons_S06(c, p)) == 2  # age and education


def test_new_secretary_without_college_fails():
    c, p = one(education="vocational")
    reasons = reasons_S06(c, p)
    assert rules_of(reasons) == ["S06"] and "学历低于大专" in reasons[0].zh and "中专" in reasons[0].zh


@pytest.mark.parametrize(
    "waiver, fields",
    [
        ("age", {"birth_date": "1960-01-01"}),
        ("education", {"education": "high_school"}),
    ],
)
def test_each_waiver_lifts_only_its_condition(waiver, fields):
    c, p = one(**fields)
    assert len(reasons_S06(c, p)) == 1
    c, p = one(waivers=[waiver], **fields)
    assert reasons_S06(c, p) == []
    # A waiver for the other condition does not help.
    other = "education" if waiver == "age" else "age"
    c, p = one(waivers=[other], **fields)
    assert len(reasons_S06(c, p)) == 1


def test_age_waiver_does_not_lift_party_standing():
    c, p = one(birth_date="1960-01-01", waivers=["age", "education"], party_joined="2020-06-01")
    assert len(reasons_S06(c, p)) == 1


def test_non_member_fails_s06():
    c, p = one(party_member=False, party_joined=None)
    reasons = reasons_S06(c, p)
    assert rules_of(reasons) == ["S06"] and "非党员" in reasons[0].zh


def test_s06_settings_are_used():
    c = community(
        [person("p01", birth_date="1970-01-01", education="high_school", party_joined="2018-01-01")],
        rules={
            "secretary_max_age": 55,
            "secretary_min_education": "high_school",
            "secretary_min_party_years": 3,
        },
    )
    reasons = reasons_S06(c, c.person["p01"])
    assert len(reasons) == 1 and "党龄不足3年" in reasons[0].zh and "2 years" in reasons[0].en


# ------------------------------------------------------------------ S03, S04, S05


def test_s03_non_member_only_barred_from_party_committee():
    c, p = one(party_member=False, party_joined=None)
    assert rules_of(reasons_S03(c, p)) == ["S03"]
    assert rules_of(body_reasons(c, p, "party_committee")) == ["S03"]
    assert body_reasons(c, p, "residents_committee") == []
    assert body_reasons(c, p, "supervisory_committee") == []


@pytest.mark.parametrize("code", sorted(DISQUALIFICATIONS))
def test_each_d_code_gives_its_verbatim_text(code):
    c, p = one(disqualifications=[code])
    reasons = reasons_S04(c, p)
    assert reasons == [Reason("S04", code, DISQUALIFICATIONS[code][0], DISQUALIFICATIONS[code][1])]
    for body in BODIES:
        assert [r.code for r in body_reasons(c, p, body)] == [code]


def test_one_reason_per_d_code():
    c, p = one(disqualifications=["D14", "D01"])
    assert [r.code for r in reasons_S04(c, p)] == ["D01", "D14"]


@pytest.mark.parametrize("status", ["failed", "not_submitted"])
def test_s05_not_passed_fails_even_with_allow_pending(status):
    c, p = one(joint_review=status)
    assert rules_of(reasons_S05(c, p)) == ["S05"]
    assert rules_of(reasons_S05(c, p, allow_pending=True)) == ["S05"]


def test_pending_fails_unless_allow_pending_then_subject_to_review():
    c, p = one(joint_review="pending")
    assert rules_of(reasons_S05(c, p)) == ["S05"]
    assert reasons_S05(c, p, allow_pending=True) == []
    strict = screen(c)["p01"]
    assert not strict.subject_to_review and not any(v.ok for v in strict.bodies.values())
    relaxed = screen(c, allow_pending=True)["p01"]
    assert relaxed.subject_to_review and all(v.ok for v in relaxed.bodies.values()) and relaxed.secretary.ok


def test_passed_is_not_subject_to_review():
    c, _ = one()
    assert not screen(c, allow_pending=True)["p01"].subject_to_review


def test_joint_review_absent_means_not_submitted():
    c = community([{k: v for k, v in person("p01").items() if k != "joint_review"}])
    assert rules_of(reasons_S05(c, c.person["p01"])) == ["S05"]


# ------------------------------------------------------------------ S15, S16


def test_s15_stands_for():
    c, p = one(stands_for=["residents_committee"])
    assert reasons_S15(c, p, "residents_committee") == []
    assert rules_of(reasons_S15(c, p, "party_committee")) == ["S15"]
    assert rules_of(reasons_S15(c, p, "supervisory_committee")) == ["S15"]
    c, p = one(stands_for=[])
    assert all(reasons_S15(c, p, b) for b in BODIES)
    c, p = one()
    assert not any(reasons_S15(c, p, b) for b in BODIES)


def test_s16_age_17_fails_and_18_passes():
    c, p = one(birth_date="2003-06-01", party_member=False, party_joined=None)
    reasons = reasons_S16(c, p)
    assert c.age(p) == 17 and rules_of(reasons) == ["S16"] and "17" in reasons[0].zh
    c, p = one(birth_date="2002-12-10", party_member=False, party_joined=None)
    assert c.age(p) == 18 and reasons_S16(c, p) == []


def test_s16_non_resident_fails_every_body():
    c, p = one(resident_voter=False)
    assert rules_of(reasons_S16(c, p)) == ["S16"]
    screening = screen(c)["p01"]
    assert all(rules_of(v.reasons) == ["S16"] for v in screening.bodies.values())
    assert not screening.secretary.ok


# ------------------------------------------------------------------ rules switched off


SWITCH_CASES = {
    "S03": {"party_member": False, "party_joined": None},
    "S04": {"disqualifications": ["D05"]},
    "S05": {"joint_review": "failed"},
    "S06": {"birth_date": "1960-01-01", "education": "primary", "party_joined": "2020-06-01"},
    "S15": {"stands_for": []},
    "S16": {"resident_voter": False},
}


@pytest.mark.parametrize("rule", sorted(SWITCH_CASES))
def test_switched_off_rule_gives_no_reasons(rule):
    fields = SWITCH_CASES[rule]
    on = community([person("p01", **fields)])
    off = community([person("p01", **fields)], rules={"disabled": [rule]})
    assert rule in {r.rule for r in screen(on)["p01"].reasons()}
    s = screen(off)["p01"]
    assert rule not in {r.rule for r in s.reasons()}
    assert all(v.ok for v in s.bodies.values())
    if rule == "S03":
        # A non-member still lacks the Party standing a secretary needs (S06).
        assert s.secretary.rule_ids() == ["S06"]
    else:
        assert s.secretary.ok


# ------------------------------------------------------------------ screen


def test_screen_combines_body_and_secretary_reasons():
    c = community(
        [
            person("p01"),
            person("p02", party_member=False, party_joined=None, stands_for=["residents_committee"]),
            person("p03", disqualifications=["D01"], joint_review="pending"),
        ]
    )
    s = screen(c)
    assert list(s) == ["p01", "p02", "p03"]
    assert all(v.ok for v in s["p01"].bodies.values()) and s["p01"].secretary.ok
    assert s["p02"].eligible_bodies() == ["residents_committee"]
    assert rules_of(s["p02"].bodies["party_committee"].reasons) == ["S03", "S15"]
    assert s["p02"].secretary.rule_ids() == ["S03", "S06", "S15"]
    assert s["p03"].bodies["supervisory_committee"].rule_ids() == ["S04", "S05"]
