"""planner.edits: relatives, others, settings and calendar days of one community, validated again."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import SCENARIOS, community, crowd, make_subdistrict

from planner.edits import (
    add_other,
    add_relative,
    own_rules,
    remove_other,
    remove_relative,
    rename_other,
    set_calendar_day,
    set_settings,
    set_subdistrict_settings,
)
from planner.kinship import close_relative_pairs
from planner.scenario import Community, ScenarioError, Subdistrict


def family() -> Community:
    """p01..p12; x01 (not a candidate) is the parent of p02, so p02 and p03 are siblings once x01 is p03's."""
    people = crowd(12, p01={"birth_date": "1950-01-01"}, p02={"birth_date": "1980-01-01"})
    return community(
        people,
        others=[{"id": "x01", "name": "某某"}],
        relatives=[
            {"a": "x01", "b": "p02", "relation": "parent"},
            {"a": "p04", "b": "p05", "relation": "spouse"},
        ],
    )


def pair_set(c: Community) -> set[frozenset[str]]:
    return {frozenset((p.a, p.b)) for p in close_relative_pairs(c)}


def issue_text(info: pytest.ExceptionInfo[ScenarioError]) -> str:
    return " ".join(i.text("zh") + " " + i.text("en") for i in info.value.issues)


def test_a_relation_added_derives_its_pairs_and_removed_drops_them() -> None:
    c = family()
    added = add_relative(c, None, "p03", "x01", "child")
    assert isinstance(added, Community)
    assert frozenset(("p02", "p03")) in pair_set(added)  # siblings through x01
    assert frozenset(("p02", "p03")) not in pair_set(c)  # the scenario given is unchanged
    removed = remove_relative(added, None, 2)
    assert pair_set(removed) == pair_set(c) and removed.relatives == c.relatives


@pytest.mark.parametrize(
    ("a", "b", "relation", "says"),
    [
        ("p05", "p04", "spouse", "already listed"),  # the same relation read the other way
        ("p02", "x01", "child", "already listed"),  # "p02 child of x01" is "x01 parent of p02"
        ("p06", "p06", "sibling", "own relative"),
        ("p02", "p01", "parent", "at least 14 years older"),  # p02 born 30 years after p01
        ("p04", "p06", "spouse", "spouse of both"),
        ("p04", "p99", "sibling", "not a person or other"),
        ("p04", "p06", "cousin", "relation"),
    ],
)
def test_a_bad_relation_is_refused_with_bilingual_issues(a: str, b: str, relation: str, says: str) -> None:
    c = family()
    with pytest.raises(ScenarioError) as info:
        add_relative(c, None, a, b, relation)
    assert says in issue_text(info)
    assert all(i.message_zh for i in info.value.issues)  # every issue in Chinese too


def test_a_relation_may_be_given_by_its_chinese_name() -> None:
    c = family()
    added = add_relative(c, None, "p03", "x01", "子女")
    assert (added.relatives[-1].relation, added.relatives[-1].b) == ("child", "x01")
    with pytest.raises(ScenarioError, match="already listed"):
        add_relative(c, None, "p05", "p04", "配偶")


def test_a_relative_out_of_range_is_refused() -> None:
    with pytest.raises(ScenarioError, match="no relative #3"):
        remove_relative(family(), None, 2)


def test_others_are_added_renamed_and_removed_only_with_their_relations() -> None:
    c = family()
    added = add_other(c, None, "x02", "李某")
    assert [(o.id, o.name) for o in added.others] == [("x01", "某某"), ("x02", "李某")]
    assert rename_other(added, None, "x02", "李某某").others[1].name == "李某某"
    assert [o.id for o in remove_other(added, None, "x02").others] == ["x01"]
    with pytest.raises(ScenarioError) as info:
        remove_other(c, None, "x01")
    assert "x01 is named by 1 relation(s): #1 x01 is the parent of p02" in issue_text(info)
    assert "x01 出现在 1 条亲属关系中" in issue_text(info)
    gone = remove_other(c, None, "x01", with_relations=True)
    assert gone.others == [] and [(r.a, r.b) for r in gone.relatives] == [("p04", "p05")]


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda c: add_other(c, None, "p01", "重名"), "used twice"),  # an id of a person
        (lambda c: add_other(c, None, "x 1", ""), "id"),  # not an id
        (lambda c: rename_other(c, None, "x09", "某"), "not one of the others"),
        (lambda c: remove_other(c, None, "x09"), "not one of the others"),
    ],
)
def test_bad_other_edits_are_refused(edit, says: str) -> None:  # noqa: ANN001
    with pytest.raises(ScenarioError) as info:
        edit(family())
    assert says in issue_text(info)


def test_settings_are_changed_and_validated() -> None:
    c = family()
    changed = set_settings(
        c,
        None,
        {
            "name": "新社区",
            "subdistrict": "新街道",
            "reference_date": date(2026, 3, 1),
            "multi_ethnic": True,
            "previous_term": {"college_share": 0.4, "rc_party_share": None},
        },
    )
    assert (changed.name, changed.subdistrict, changed.reference_date) == (
        "新社区",
        "新街道",
        date(2026, 3, 1),
    )
    assert changed.multi_ethnic and changed.previous_term.college_share == 0.4
    assert changed.previous_term.rc_party_share is None
    with pytest.raises(ScenarioError):
        set_settings(c, None, {"previous_term": {"college_share": 1.5}})
    with pytest.raises(ScenarioError, match="not a community setting"):
        set_settings(c, None, {"seats": 7})
    with pytest.raises(ScenarioError, match="unknown profile|profile"):
        set_settings(c, None, {"profile": "no-such-profile"})


def test_a_new_profile_keeps_the_rules_the_scenario_sets_itself() -> None:
    c = community(crowd(), rules={"secretary_max_age": 50, "seats": {"residents_committee": 7}})
    assert own_rules(c) == {"secretary_max_age": 50, "seats": {"residents_committee": 7}}
    moved = set_settings(c, None, {"profile": "urban-2026"})
    assert moved.profile == "urban-2026"
    assert moved.rules.secretary_max_age == 50 and moved.rules.seats.residents_committee == 7
    assert own_rules(moved) == own_rules(c)


def test_calendar_days_are_added_moved_and_removed() -> None:
    c = family()
    off = set_calendar_day(c, None, date(2020, 12, 10), "holidays")
    assert off.schedule.holidays == [date(2020, 12, 10)] and not off.schedule.work_calendar().is_workday(
        date(2020, 12, 10), warn=False
    )
    moved = set_calendar_day(off, None, "2020-12-10", "workdays")  # a day is in one list only
    assert (moved.schedule.holidays, moved.schedule.workdays) == ([], [date(2020, 12, 10)])
    assert set_calendar_day(moved, None, "2020-12-10", None).schedule.workdays == []
    with pytest.raises(ScenarioError, match="already listed"):
        set_calendar_day(moved, None, "2020-12-10", "workdays")
    with pytest.raises(ScenarioError, match="not an extra day off"):
        set_calendar_day(c, None, "2020-12-11", None)
    with pytest.raises(ScenarioError):
        set_calendar_day(c, None, "2020-13-40", "holidays")  # not a date: the validation refuses it


def test_a_community_of_a_subdistrict_is_edited_alone() -> None:
    sd = make_subdistrict()
    changed = add_other(sd, "west", "x01", "某某")
    assert isinstance(changed, Subdistrict)
    by_id = {c.id: c for c in changed.communities}
    assert [o.id for o in by_id["west"].others] == ["x01"] and by_id["east"].others == []
    renamed = set_settings(changed, "east", {"name": "东区"})
    assert {c.id: c.name for c in renamed.communities} == {"east": "东区", "west": "西区社区"}
    with pytest.raises(ScenarioError, match="no community 'north'"):
        add_other(sd, "north", "x01")


def test_the_joint_review_departments_are_the_communitys_own_or_the_profiles() -> None:
    people = crowd(
        12,
        p02={
            "joint_review": None,
            "joint_reviews": [
                {"department": "旗委组织部", "result": "passed"},
                {"department": "旗民政局", "result": "passed"},
            ],
        },
    )
    people[1].pop("joint_review")
    c = community(people)
    assert c.departments() == ["旗委组织部", "旗民政局"]  # the profile's
    three = set_settings(c, None, {"joint_review_departments": ["旗委组织部", "旗民政局", "旗公安局"]})
    assert three.departments() == ["旗委组织部", "旗民政局", "旗公安局"]
    assert three.person["p02"].joint_review == "pending"  # derived again: 旗公安局 has not replied
    assert set_settings(three, None, {"joint_review_departments": None}).joint_review_departments is None
    with pytest.raises(ScenarioError) as info:  # p02's reply names 旗民政局
        set_settings(c, None, {"joint_review_departments": ["旗委组织部"]})
    assert "旗民政局" in issue_text(info)


def test_a_subdistricts_own_settings() -> None:
    sd = make_subdistrict()
    changed = set_subdistrict_settings(
        sd, {"name": "新街道", "capacity": 1, "concentrated_election_day": date(2021, 1, 16)}
    )
    assert (changed.name, changed.capacity, changed.concentrated_election_day) == (
        "新街道",
        1,
        date(2021, 1, 16),
    )
    assert (
        set_subdistrict_settings(changed, {"concentrated_election_day": None}).concentrated_election_day
        is None
    )
    assert [c.model_dump() for c in changed.communities] == [c.model_dump() for c in sd.communities]
    with pytest.raises(ScenarioError, match="greater than or equal to 1"):
        set_subdistrict_settings(sd, {"capacity": 0})
    with pytest.raises(ScenarioError, match="not a sub-district setting"):
        set_subdistrict_settings(sd, {"communities": []})
    with pytest.raises(ScenarioError, match="not a sub-district"):
        set_subdistrict_settings(family(), {"capacity": 1})


def test_the_apps_person_labels_follow_each_edit() -> None:
    """app_pages.common.person_labels keeps one label map per community object; an edit makes a new object,
    so the pages label people and others as they are now."""
    from app_pages.common import person_label, person_labels
    from planner.edits import rename_other
    from planner.scenario import load_scenario

    c = load_scenario(SCENARIOS / "nuoenjiya.yaml")
    labels = person_labels(c)
    assert labels["p20"] == c.person["p20"].display and labels["x01"] == "x01 张福（已故）"
    assert person_labels(c) is labels  # made once for this object
    assert person_label(c, "nobody") == "nobody"
    renamed = rename_other(c, None, "x01", "张福")
    assert person_label(renamed, "x01") == "x01 张福"
    assert person_label(c, "x01") == "x01 张福（已故）"  # the old object keeps its own
