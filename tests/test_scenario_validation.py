"""Scenario validation (SCENARIO.md): the example scenarios load; person defaults and nested rule merging follow "Precise meanings"."""

from __future__ import annotations

import pytest
from helpers import SCENARIOS, community, person

from planner.eligibility import screen
from planner.kinship import close_relative_pairs
from planner.report import check_report, display_width, subdistrict_report
from planner.scenario import Community, Subdistrict, load_scenario

# The bad-input corpus (scenarios/bad/) is judged file by file in tests/test_bad_corpus.py.


def test_nuoenjiya_loads_and_exercises_the_rules():
    c = load_scenario(SCENARIOS / "nuoenjiya.yaml")
    assert isinstance(c, Community)
    assert c.id == "nuoenjiya" and c.multi_ethnic and 18 <= len(c.people) <= 20
    assert c.previous_term.college_share == 0.4 and c.previous_term.rc_party_share == 0.6
    s = screen(c)
    codes = {r.code for v in s.values() for r in v.reasons()}
    assert {"S03", "S05", "S06", "S15", "S16"} <= codes and len({x for x in codes if x.startswith("D")}) >= 2
    relations = {p.relation for p in close_relative_pairs(c)}
    assert relations == {"spouse", "parent_child", "sibling", "grandparent_grandchild"}
    assert {p.ethnicity for p in c.people} >= {"蒙古族", "回族"}
    assert {p.joint_review for p in c.people} >= {"pending", "failed"}
    assert any(p.waivers == ["age"] for p in c.people)
    # The incumbent secretary, 52 without college, may be secretary again (S06 exemption).
    p01 = c.person["p01"]
    assert c.age(p01) == 52 and p01.education == "high_school" and s["p01"].secretary.ok
    # S17: at least 6 eligible for each list.
    assert sum(v.bodies["party_committee"].ok for v in s.values()) >= 6
    assert sum(v.bodies["residents_committee"].ok for v in s.values()) >= 6


def test_daqintala_loads_every_community():
    sub = load_scenario(SCENARIOS / "daqintala.yaml")
    assert isinstance(sub, Subdistrict) and sub.capacity == 2
    assert len(sub.communities) >= 4
    assert len({c.id for c in sub.communities}) == len(sub.communities)
    for c in sub.communities[1:]:
        assert 12 <= len(c.people) <= 16
        s = screen(c)
        assert sum(v.bodies["party_committee"].ok for v in s.values()) >= 6
        assert sum(v.bodies["residents_committee"].ok for v in s.values()) >= 6
        assert any(v.secretary.ok for v in s.values())


def test_nested_rules_merge_per_key():
    c = community([person("p01")], rules={"seats": {"residents_committee": 7}, "weights": {"continuity": 3}})
    assert (
        c.rules.seats.party_committee,
        c.rules.seats.residents_committee,
        c.rules.seats.supervisory_committee,
    ) == (5, 7, 3)
    assert (c.rules.weights.support, c.rules.weights.preferred_source, c.rules.weights.continuity) == (
        1,
        5,
        3,
    )
    assert c.rules.secretary_max_age == 45 and c.rules.on("S12") and not c.rules.on("S18")


def test_person_defaults():
    c = community(
        [
            {"id": "p01", "gender": "F", "birth_date": "1990-01-01", "education": "college"},
            {
                "id": "p02",
                "gender": "M",
                "birth_date": "1990-01-01",
                "education": "college",
                "stands_for": [],
            },
        ]
    )
    p1, p2 = c.person["p01"], c.person["p02"]
    assert p1.stands_for is None and all(
        p1.stands(b) for b in ("party_committee", "residents_committee", "supervisory_committee")
    )
    assert not any(p2.stands(b) for b in ("party_committee", "residents_committee", "supervisory_committee"))
    assert p1.joint_review == "not_submitted" and p1.support == 0 and p1.resident_voter
    assert p1.incumbent == [] and p1.disqualifications == [] and p1.waivers == [] and p1.tags == []
    assert p1.ethnicity is None and not p1.is_minority and not p1.party_member


def test_people_may_be_absent():
    c = community([])
    assert c.people == [] and screen(c) == {}
    assert "人数 People: 0" in check_report(c)


def test_check_report_fits_100_columns_and_names_reasons():
    c = load_scenario(SCENARIOS / "nuoenjiya.yaml")
    text = check_report(c)
    assert all(display_width(line) <= 100 for line in text.splitlines())
    assert "资格 Eligibility" in text and "近亲属 Close relatives" in text
    assert "p04 与 p05 为兄弟姐妹：均为 x01 之子女" in text
    assert "党龄不足1年（入党2020-03-01，0年）" in text
    row = next(line for line in text.splitlines() if line.startswith("p18"))
    assert row.count("✗ S16") == 4
    assert "待审" not in text  # nobody is subject to review without allow_pending
    pending = check_report(c, allow_pending=True)
    row13 = next(line for line in pending.splitlines() if line.startswith("p13"))
    assert row13.rstrip().endswith("待审") and "S05" not in row13
    english = check_report(c, lang="en")
    assert "p04 and p05 are siblings: both children of x01" in english


def test_subdistrict_report_has_summary_and_every_community():
    sub = load_scenario(SCENARIOS / "daqintala.yaml")
    text = subdistrict_report(sub)
    assert text.startswith("街道 Sub-district: 大沁他拉街道")
    for c in sub.communities:
        assert f"社区 Community: {c.name} ({c.id})" in text
    assert all(display_width(line) <= 100 for line in text.splitlines())


def _slate(pc: list[str], rc: list[str], sc: list[str], pc_alt: str, rc_alt: str):
    from planner.plan import Slate

    return Slate.model_validate(
        {
            "posts": {
                "party_committee": {
                    "secretary": pc[0],
                    "deputy_secretary": pc[1],
                    "discipline_inspector": pc[2],
                    "member": pc[3:],
                },
                "residents_committee": {"director": rc[0], "deputy_director": rc[1], "member": rc[2:]},
                "supervisory_committee": {"director": sc[0], "member": sc[1:]},
            },
            "candidate_lists": {"party_committee": [*pc, pc_alt], "residents_committee": [*rc, rc_alt]},
        }
    )


@pytest.mark.parametrize(
    "path, slate",
    [
        # The slate documented at the top of nuoenjiya.yaml.
        (
            "nuoenjiya.yaml",
            (
                ["p01", "p02", "p03", "p04", "p12"],
                ["p01", "p04", "p06", "p07", "p19"],
                ["p03", "p08", "p20"],
                "p05",
                "p10",
            ),
        ),
        # A different team: the deputy secretary as secretary, the age-waived p15 and the spouse p11.
        (
            "nuoenjiya.yaml",
            (
                ["p02", "p11", "p03", "p15", "p04"],
                ["p02", "p15", "p06", "p07", "p19"],
                ["p03", "p08", "p20"],
                "p09",
                "p10",
            ),
        ),
        (
            "daqintala/chaoyang.yaml",
            (
                ["p01", "p02", "p03", "p05", "p06"],
                ["p01", "p05", "p07", "p08", "p04"],
                ["p03", "p10", "p09"],
                "p04",
                "p02",
            ),
        ),
    ],
)
def test_example_scenarios_admit_a_slate(path, slate):
    from planner.check import check_slate

    c = load_scenario(SCENARIOS / path)
    failed = [(r.rule, r.detail) for r in check_slate(c, _slate(*slate)) if not r.ok]
    assert failed == []
