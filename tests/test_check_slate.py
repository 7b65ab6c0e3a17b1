"""Solver-free slate checker (planner.check.slate): every rule S01-S19 passes on a valid slate and fails alone
on a slate or people built to break it; the objective is recomputed exactly as RULES.md says."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from helpers import ROOT, community, person
from helpers import checker_community as make
from helpers import checker_slate as base_slate

from planner.check import check_slate, slate_objective, violated
from planner.check import slate as slate_module
from planner.check.slate import party_list_size, residents_list_size
from planner.plan import Slate
from planner.registry import entry
from planner.rules import SLATE_RULES
from planner.scenario import Community


def slate_with(**edits: Any) -> Slate:
    """The base slate with `body__post=value` or `lists__body=value` replaced."""
    raw = copy.deepcopy(base_slate())
    for key, value in edits.items():
        where, name = key.split("__")
        if where == "lists":
            raw["candidate_lists"][name] = value
        else:
            raw["posts"][where][name] = value
    return Slate.model_validate(raw)


def result(c: Community, slate: Slate, **kw: Any) -> dict[str, Any]:
    return {ch.rule: ch for ch in check_slate(c, slate, **kw)}


def assert_only(c: Community, slate: Slate, rule: str, also: frozenset[str] = frozenset(), **kw: Any) -> Any:
    """`rule` fails; nothing else fails except the listed unavoidable companions."""
    checks = result(c, slate, **kw)
    assert not checks[rule].ok, checks[rule].detail
    assert set(violated(list(checks.values()))) - {rule} <= set(also), violated(list(checks.values()))
    return checks[rule]


# ---------------------------------------------------------------- the valid slate


def test_valid_slate_passes_every_rule() -> None:
    c = make()
    checks = check_slate(c, Slate.model_validate(base_slate()))
    assert [ch.rule for ch in checks] == SLATE_RULES
    assert all(ch.ok for ch in checks), [(ch.rule, ch.detail) for ch in checks if not ch.ok]
    by_rule = {ch.rule: ch for ch in checks}
    assert by_rule["S18"].disabled and by_rule["S18"].detail == "已关闭 switched off"  # robust_list off
    assert "p05为35岁" in by_rule["S08"].detail and "p05 is 35" in by_rule["S08"].detail
    assert by_rule["S08"].people == ["p05"]
    assert by_rule["S09"].people == ["p06"]
    assert "p06" in by_rule["S19"].detail and "蒙古族" in by_rule["S19"].detail


def test_check_slate_accepts_a_dict() -> None:
    assert all(ch.ok for ch in check_slate(make(), base_slate()))


def test_one_function_per_rule_named_after_it() -> None:
    for rule in SLATE_RULES:
        fn = entry(rule).functions["check"]
        assert fn.__module__ == slate_module.__name__ and fn.__name__ == f"{rule}_{entry(rule).rule.key}"


def test_details_are_text_in_both_languages() -> None:
    c = make()
    checks = result(c, slate_with(residents_committee__director="p02"))
    s02 = checks["S02"]
    assert s02.detail_zh == "书记为p01，居委会主任为p02" and s02.detail_en == "secretary p01, director p02"
    assert s02.detail == f"{s02.detail_zh} / {s02.detail_en}" and s02.text("en") == s02.detail_en
    for ch in checks.values():
        assert ch.detail_zh and ch.detail_en and ch.detail_zh != ch.detail_en, ch.rule
    s01 = result(c, slate_with(party_committee__secretary=None, party_committee__member=["p04"]))["S01"]
    parts = list(zip(s01.detail_zh.split(" | "), s01.detail_en.split(" | "), strict=True))
    assert len(parts) == 2 and s01.detail == " | ".join(f"{zh} / {en}" for zh, en in parts)
    off = check_slate(c, Slate.model_validate(base_slate()))[17]
    assert off.disabled and (off.detail, off.detail_zh, off.detail_en) == (
        "已关闭 switched off",
        "已关闭",
        "switched off",
    )


# ---------------------------------------------------------------- objective


def test_objective_counts_team_once_tags_once_and_not_supervisory() -> None:
    # 8 team members: p01 support 80, seven at 50; p01's tags: veteran (twice) + grid_worker = 2 known tags;
    # p01 holds posts in both committees but counts once; p09 (supervisory) counts nothing.
    c = make()
    assert slate_objective(c, Slate.model_validate(base_slate())) == 80 + 7 * 50 + 5 * 2


def test_objective_weights_and_continuity() -> None:
    c = make(
        {
            "p02": {"incumbent": ["party_committee.deputy_secretary"]},
            "p09": {"incumbent": ["supervisory_committee.member"]},
        },
        rules={"weights": {"support": 2, "continuity": 7}},
    )
    # support doubled, preferred_source stays 5 (nested weights merge per key), p02 the only incumbent in team
    assert slate_objective(c, base_slate()) == 2 * (80 + 7 * 50) + 5 * 2 + 7


# ---------------------------------------------------------------- S01


def test_S01_too_few_members() -> None:
    check = assert_only(make(), slate_with(residents_committee__member=["p06", "p07"]), "S01")
    assert "2" in check.detail and "3" in check.detail


def test_S01_empty_post() -> None:
    check = assert_only(make({"p05": {}}), slate_with(party_committee__deputy_secretary=None), "S01")
    assert "专职副书记" in check.detail and "deputy secretary" in check.detail


def test_S01_same_person_twice_in_a_body() -> None:
    check = assert_only(
        make(), slate_with(residents_committee__member=["p06", "p07", "p07"]), "S01", also=frozenset({"S11"})
    )  # a smaller residents' committee changes the Party share
    assert "p07" in check.people


def test_S01_unknown_person_is_named() -> None:
    check = assert_only(make(), slate_with(supervisory_committee__member=["p09", "zz99"]), "S01")
    assert "zz99" in check.detail and check.people == ["zz99"]


# ---------------------------------------------------------------- S02-S07


def test_S02_secretary_not_director() -> None:
    check = assert_only(make(), slate_with(residents_committee__director="p12"), "S02")
    assert "p01" in check.detail and "p12" in check.detail


def test_S03_non_member_on_party_committee() -> None:
    c = make({"p05": {"party_member": False, "party_joined": None}})
    check = assert_only(
        c, Slate.model_validate(base_slate()), "S03", also=frozenset({"S17"})
    )  # p05 on the list
    assert check.people == ["p05"] and "非党员" in check.detail


def test_S04_disqualified_supervisory_member() -> None:
    check = assert_only(
        make({"p09": {"disqualifications": ["D05"]}}), Slate.model_validate(base_slate()), "S04"
    )
    assert check.people == ["p09"] and "D05" in check.detail and "邪教" in check.detail


def test_S05_pending_fails_unless_allowed_and_failed_always_fails() -> None:
    slate = Slate.model_validate(base_slate())
    pending = make({"p10": {"joint_review": "pending"}})
    assert_only(pending, slate, "S05")
    allowed = result(pending, slate, allow_pending=True)["S05"]
    assert allowed.ok and allowed.people == ["p10"] and "subject to review" in allowed.detail
    failed = make({"p10": {"joint_review": "failed"}})
    assert not result(failed, slate, allow_pending=True)["S05"].ok


def test_S06_new_secretary_too_old_incumbent_and_waiver_exempt() -> None:
    slate = Slate.model_validate(base_slate())
    check = assert_only(make({"p01": {"birth_date": "1970-01-01"}}), slate, "S06")
    assert check.people == ["p01"] and "50" in check.detail
    assert result(
        make({"p01": {"birth_date": "1970-01-01", "incumbent": ["party_committee.secretary"]}}), slate
    )["S06"].ok
    assert result(make({"p01": {"birth_date": "1970-01-01", "waivers": ["age"]}}), slate)["S06"].ok


def test_S07_relatives_in_the_team() -> None:
    c = make(relatives=[{"a": "p06", "b": "p07", "relation": "spouse"}])
    check = assert_only(c, Slate.model_validate(base_slate()), "S07")
    assert set(check.people) == {"p06", "p07"}


def test_S07_supervisory_against_team_only_with_recusal_supervisory() -> None:
    slate = Slate.model_validate(base_slate())
    rel = [{"a": "p09", "b": "p02", "relation": "sibling"}]
    check = assert_only(make(relatives=rel), slate, "S07")
    assert set(check.people) == {"p02", "p09"}
    assert result(make(relatives=rel, rules={"recusal_supervisory": False}), slate)["S07"].ok


def test_S07_derived_siblings_and_supervisory_pairs_among_themselves() -> None:
    slate = Slate.model_validate(base_slate())
    shared_parent = make(
        others=[{"id": "x01"}],
        relatives=[
            {"a": "x01", "b": "p02", "relation": "parent"},
            {"a": "x01", "b": "p05", "relation": "parent"},
        ],
    )
    assert set(assert_only(shared_parent, slate, "S07").people) == {"p02", "p05"}
    # p09 and p10 (spouses) are both supervisory members only: S07 does not look at them
    assert result(make(), slate)["S07"].ok


# ---------------------------------------------------------------- S08-S11


def test_S08_no_young_member() -> None:
    check = assert_only(
        make({"p05": {"birth_date": "1984-12-09"}}), Slate.model_validate(base_slate()), "S08"
    )
    assert "35" in check.detail


def test_S08_age_in_full_years() -> None:
    slate = Slate.model_validate(base_slate())
    assert result(make({"p05": {"birth_date": "1985-12-11"}}), slate)["S08"].ok  # 34 until tomorrow
    assert not result(make({"p05": {"birth_date": "1984-12-10"}}), slate)["S08"].ok  # 36 today
    assert not result(make(rules={"min_young": 2}), slate)["S08"].ok


def test_S09_no_woman() -> None:
    check = assert_only(make({"p06": {"gender": "M"}}), Slate.model_validate(base_slate()), "S09")
    assert "0" in check.detail


def test_S10_strictly_above_previous_share() -> None:
    slate = Slate.model_validate(base_slate())
    low = {pid: {"education": "high_school"} for pid in ("p04", "p05", "p06", "p07", "p08")}
    # 3 of 8 with college = 37.5%: equal to the previous term's 0.375 -> broken; above 0.37 -> fine
    check = assert_only(make(low, previous_term={"college_share": 0.375}), slate, "S10")
    assert "3/8" in check.detail and "37.5%" in check.detail
    assert result(make(low, previous_term={"college_share": 0.37}), slate)["S10"].ok
    assert result(make(low), slate)["S10"].ok  # no previous share given: nothing to compare


def test_S11_strictly_above_floor_and_previous_share() -> None:
    slate = Slate.model_validate(base_slate())  # residents' committee: 3 of 5 Party members = 60%
    check = assert_only(make(previous_term={"rc_party_share": 0.6}), slate, "S11")
    assert "3/5" in check.detail and "60%" in check.detail
    assert_only(make(rules={"rc_party_share_min": 0.6}), slate, "S11")
    assert result(make(previous_term={"rc_party_share": 0.59}), slate)["S11"].ok
    assert_only(make({"p06": {"party_member": False, "party_joined": None}}), slate, "S11")  # 2/5


# ---------------------------------------------------------------- S12-S16


def test_S12_deputy_director_off_the_party_committee() -> None:
    slate = slate_with(
        residents_committee__deputy_director="p06", residents_committee__member=["p04", "p07", "p08"]
    )
    check = assert_only(make(), slate, "S12")
    assert check.people == ["p06"]


def test_S13_supervisory_director_not_the_inspector() -> None:
    slate = slate_with(supervisory_committee__director="p09", supervisory_committee__member=["p03", "p10"])
    assert set(assert_only(make(), slate, "S13").people) == {"p09", "p03"}


def test_S14_residents_member_on_supervisory_committee() -> None:
    check = assert_only(make(), slate_with(supervisory_committee__member=["p09", "p07"]), "S14")
    assert check.people == ["p07"]


def test_S15_post_in_a_body_not_stood_for() -> None:
    c = make({"p09": {"stands_for": ["residents_committee"]}})
    check = assert_only(c, Slate.model_validate(base_slate()), "S15")
    assert check.people == ["p09"] and "居务监督委员会" in check.detail


def test_S15_supervisory_director_must_stand_for_it() -> None:
    c = make({"p03": {"stands_for": ["party_committee"]}})
    assert assert_only(c, Slate.model_validate(base_slate()), "S15").people == ["p03"]


def test_S16_not_a_voter_and_under_18() -> None:
    slate = Slate.model_validate(base_slate())
    assert assert_only(make({"p10": {"resident_voter": False}}), slate, "S16").people == ["p10"]
    check = assert_only(
        make({"p10": {"birth_date": "2005-01-01", "party_member": False, "party_joined": None}}), slate, "S16"
    )
    assert "15" in check.detail


# ---------------------------------------------------------------- S17-S19


def test_S17_party_list_too_short() -> None:
    check = assert_only(make(), slate_with(lists__party_committee=["p01", "p02", "p03", "p04", "p05"]), "S17")
    assert "6" in check.detail


def test_S17_residents_list_needs_seats_plus_one_whatever_the_ratio() -> None:
    c = make(rules={"differential_ratio": 0})
    assert party_list_size(c) == 5 and residents_list_size(c) == 6
    assert_only(c, slate_with(lists__residents_committee=["p01", "p04", "p06", "p07", "p08"]), "S17")


def test_S17_elected_member_missing_from_list_duplicate_and_ineligible_alternate() -> None:
    c = make()
    missing = assert_only(
        c, slate_with(lists__party_committee=["p01", "p02", "p03", "p04", "p11", "p13"]), "S17"
    )
    assert "p05" in missing.people
    dup = assert_only(c, slate_with(lists__party_committee=["p01", "p02", "p03", "p04", "p05", "p05"]), "S17")
    assert "p05" in dup.people
    barred = make({"p11": {"disqualifications": ["D01"]}})
    assert assert_only(barred, Slate.model_validate(base_slate()), "S17").people == ["p11"]
    non_member = make({"p11": {"party_member": False, "party_joined": None}})
    assert assert_only(non_member, Slate.model_validate(base_slate()), "S17").people == ["p11"]
    unknown = assert_only(
        c, slate_with(lists__residents_committee=["p01", "p04", "p06", "p07", "p08", "zz"]), "S17"
    )
    assert "zz" in unknown.people


def test_S17_missing_list() -> None:
    raw = base_slate()
    del raw["candidate_lists"]["residents_committee"]
    assert_only(make(), Slate.model_validate(raw), "S17")


@pytest.mark.parametrize(
    ("seats", "ratio", "need"), [(5, 0.2, 6), (10, 0.25, 13), (10, 0.1, 11), (7, 0.2, 9), (5, 0, 5)]
)
def test_S17_list_size_on_exact_decimals(seats: int, ratio: float, need: int) -> None:
    # 5 x 1.2 is 6.000000000000001 in floats and 10 x 1.1 is 11.000000000000002: exact decimals give 6 and 11
    c = community([person("p01")], rules={"seats": {"party_committee": seats}, "differential_ratio": ratio})
    assert party_list_size(c) == need


def test_S18_off_by_default_and_on_with_robust_list() -> None:
    slate = Slate.model_validate(base_slate())
    off = result(make(), slate)["S18"]
    assert off.ok and off.disabled
    # p05 is the only young member and p06 the only woman: if p06 loses the residents' vote, S09 fails
    check = assert_only(make(rules={"robust_list": True}), slate, "S18")
    assert "S08" in check.detail or "S09" in check.detail


def test_S18_robust_lists_pass() -> None:
    # two women on the Party list (p02, p03), a second young alternate (p11), p12 a Party member: every
    # 5-of-6 choice of each list keeps a young member, a woman and a Party majority in the residents' committee
    c = make(
        {"p02": {"gender": "F"}, "p03": {"gender": "F"}, "p11": {"birth_date": "1990-01-01"}},
        rules={"robust_list": True},
    )
    check = result(c, Slate.model_validate(base_slate()))["S18"]
    assert check.ok and not check.disabled and "36" in check.detail  # 6 x 6 combinations


def test_S18_respects_switched_off_quota_rules() -> None:
    c = make({"p11": {"birth_date": "1990-01-01"}}, rules={"robust_list": True, "disabled": ["S09"]})
    assert result(c, Slate.model_validate(base_slate()))["S18"].ok


def test_S19_no_minority_member() -> None:
    assert_only(make({"p06": {"ethnicity": "汉族"}}), Slate.model_validate(base_slate()), "S19")
    assert result(
        make({"p06": {"ethnicity": "汉族"}}, multi_ethnic=False), Slate.model_validate(base_slate())
    )["S19"].ok
    # unknown ethnicity is not a minority
    assert not result(make({"p06": {"ethnicity": None}}), Slate.model_validate(base_slate()))["S19"].ok


# ---------------------------------------------------------------- switched off


@pytest.mark.parametrize("rule", ["S12", "S02", "S09"])
def test_switched_off_rule_comes_back_ok_and_disabled(rule: str) -> None:
    broken = {
        "S12": slate_with(
            residents_committee__deputy_director="p06", residents_committee__member=["p04", "p07", "p08"]
        ),
        "S02": slate_with(residents_committee__director="p12"),
        "S09": Slate.model_validate(base_slate()),
    }[rule]
    people = {"p06": {"gender": "M"}} if rule == "S09" else {}
    assert not result(make(people), broken)[rule].ok
    check = result(make(people, rules={"disabled": [rule]}), broken)[rule]
    assert check.ok and check.disabled and check.detail == "已关闭 switched off"


def test_checker_never_imports_a_solver() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.path.insert(0, 'tests'); from helpers import checker_community as make, "
        "checker_slate as base_slate; from planner.check import check_slate, "
        "verify_plan; check_slate(make(), base_slate()); verify_plan(make(), base_slate()); "
        "assert 'ortools' not in sys.modules, 'ortools imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(ROOT))
