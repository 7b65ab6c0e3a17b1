"""planner.diff on constructed versions: people in and out, fields per person, relatives, others,
settings, sub-districts; and plans: team in and out, posts, dates moved."""

from __future__ import annotations

from typing import Any

from helpers import community, crowd, make_community, make_subdistrict, person

from planner.diff import FieldChange, diff_plans, diff_scenarios
from planner.edits import apply_change


def test_equal_versions_have_no_change() -> None:
    c = community(crowd(5))
    diff = diff_scenarios(c, c)
    assert diff.empty and diff.lines() == []
    assert diff.summary().zh == "无变化" and diff.summary().en == "no change"


def test_fields_changed_per_person() -> None:
    people = crowd(5)
    old = community(people)
    new_people = [dict(p) for p in people]
    new_people[1].update(gender="F", support=77, tags=["veteran"])
    new = community(new_people)
    only = diff_scenarios(old, new).communities[0]
    assert [p.id for p in only.changed] == ["p02"]
    assert sorted(only.changed[0].fields, key=lambda f: f.path) == [
        FieldChange("gender", "M", "F"),
        FieldChange("support", 42, 77),
        FieldChange("tags", [], ["veteran"]),
    ]
    lines = [line.zh for line in only.lines()]
    assert "p02 人p02：性别：M → F" in lines
    assert "p02 人p02：民意支持度：42 → 77" in lines
    assert any(line.en == "p02 人p02: support: 42 → 77" for line in only.lines())


def test_people_in_and_out_relatives_and_others() -> None:
    old = community(
        crowd(4),
        relatives=[
            {"a": "p01", "b": "p02", "relation": "spouse"},
            {"a": "o1", "b": "p03", "relation": "parent"},
        ],
        others=[{"id": "o1", "name": "老张"}],
    )
    new = community(
        [*crowd(3), person("p09", name="新人")],
        relatives=[
            {"a": "p01", "b": "p02", "relation": "spouse"},
            {"a": "p03", "b": "p09", "relation": "sibling"},
        ],
        others=[{"id": "o2", "name": "老李"}],
    )
    only = diff_scenarios(old, new).communities[0]
    assert only.added == (("p09", "新人"),)
    assert only.removed == (("p04", "人p04"),)
    assert only.changed == ()
    assert only.relatives_added == (("p03", "p09", "sibling"),)
    assert only.relatives_removed == (("o1", "p03", "parent"),)
    assert (only.others_added, only.others_removed) == ((("o2", "老李"),), (("o1", "老张"),))
    texts = [line.zh for line in only.lines()]
    assert "新增亲属关系：p03 是 p09 的兄弟姐妹" in texts
    assert "移除亲属关系：o1 是 p03 的父母" in texts
    assert only.to_json()["people_added"] == [{"id": "p09", "name": "新人"}]


def test_settings_changed_as_dotted_paths() -> None:
    old = community(crowd(4))
    new = apply_change(old, {"rules.disabled": ["S09"], "multi_ethnic": True})
    settings = {s.path: (s.old, s.new) for s in diff_scenarios(old, new).communities[0].settings}
    assert settings["multi_ethnic"] == (False, True)
    disabled = settings["rules.disabled"]
    assert "S09" in disabled[1] and "S09" not in disabled[0]
    assert diff_scenarios(old, new).summary().en.startswith("2 setting(s) changed")


def test_subdistrict_communities_in_and_out_and_own_settings() -> None:
    old = make_subdistrict()
    data = old.model_dump(mode="json")
    data["capacity"] = 3
    data["communities"][1] = make_community("north", "北区社区").model_dump(mode="json")
    data["communities"][0]["people"][0]["support"] = 10
    diff = diff_scenarios(old, data)
    assert diff.communities_added == (("north", "北区社区"),)
    assert diff.communities_removed == (("west", "西区社区"),)
    assert diff.settings == (FieldChange("capacity", 2, 3),)
    assert [c.id for c in diff.communities] == ["east"]
    assert diff.communities[0].changed[0].fields == (FieldChange("support", 82, 10),)
    assert any(line.zh.startswith("[东区社区] p01") for line in diff.lines())
    assert "东区社区：修改 1 人" in diff.summary().zh


def slate(secretary: str, members: list[str]) -> dict[str, Any]:
    return {"rank": 1, "posts": {"party_committee": {"secretary": secretary, "member": members}}}


def test_plans_in_the_plan_json_form() -> None:
    """An exported plan.json (slates as a list naming their community) compares like a saved plan."""
    old = {
        "scenario": "sd",
        "slate_status": "optimal",
        "slates": [
            {"community": "east", **slate("p01", ["p02", "p03"])},
            {"community": "east", **slate("p09", ["p08", "p07"]), "rank": 2},
            {"community": "west", **slate("p11", ["p12"])},
        ],
        "schedule": {
            "communities": {
                "east": {
                    "stages": [
                        {"id": "rc_election", "name": "选举", "start": "2021-01-23", "end": "2021-01-23"}
                    ]
                }
            }
        },
    }
    new = {
        "scenario": "sd",
        "slate_status": "optimal",
        "slates": [
            {"community": "east", **slate("p02", ["p01", "p04"])},
            {"community": "west", **slate("p11", ["p12"])},
        ],
        "schedule": {
            "communities": {
                "east": {
                    "stages": [
                        {"id": "rc_election", "name": "选举", "start": "2021-01-20", "end": "2021-01-20"}
                    ]
                }
            }
        },
    }
    diff = diff_plans(old, new)
    east, west = diff.communities
    assert (east.joined, east.left) == (("p04",), ("p03",))  # rank 1 only; rank 2 is not the plan's team
    assert [(p.post, p.old, p.new) for p in east.posts] == [
        ("party_committee.secretary", ("p01",), ("p02",)),
        ("party_committee.member", ("p02", "p03"), ("p01", "p04")),
    ]
    assert east.stages[0].days == -3 and "提前 3 天" in east.stages[0].text().zh
    assert west.empty
    assert diff.lines()[0].zh.startswith("[east] ")


def test_a_stage_in_one_plan_only() -> None:
    old = {
        "slates": {},
        "schedule": {
            "communities": {"c": {"stages": [{"id": "a", "start": "2021-01-01", "end": "2021-01-02"}]}}
        },
    }
    new = {"slates": {}, "schedule": {"communities": {"c": {"stages": []}}}}
    move = diff_plans(old, new).communities[0].stages[0]
    assert (move.stage, move.old, move.new, move.days) == ("a", ("2021-01-01", "2021-01-02"), None, None)
