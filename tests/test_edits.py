"""planner.edits.apply_change: the dotted-key suggested changes of docs/INTERFACES.md, validated again."""

from __future__ import annotations

import pytest
from helpers import community, crowd, make_subdistrict

from planner.edits import apply_change
from planner.scenario import Community, ScenarioError, Subdistrict


def test_a_list_value_adds_to_the_list_without_duplicates() -> None:
    c = community(crowd(), rules={"disabled": ["S12"]})
    changed = apply_change(c, {"rules.disabled": ["S09", "S12"]})
    assert isinstance(changed, Community)
    assert changed.rules.disabled == ["S12", "S09"] and not changed.rules.on("S09")
    assert c.rules.disabled == ["S12"]  # the scenario given is never changed


def test_a_person_is_addressed_by_id() -> None:
    c = community(crowd())
    changed = apply_change(c, {"people.p07.waivers": ["age"]})
    assert changed.person["p07"].waivers == ["age"] and changed.person["p06"].waivers == []
    again = apply_change(changed, {"people.p07.waivers": ["age", "education"]})
    assert again.person["p07"].waivers == ["age", "education"]


def test_any_other_value_sets_the_key() -> None:
    c = community(crowd())
    assert apply_change(c, {"rules.min_women": 0}).rules.min_women == 0
    both = apply_change(c, {"rules.min_women": 2, "rules.min_young": 0})
    assert (both.rules.min_women, both.rules.min_young) == (2, 0)


def test_a_community_of_a_subdistrict() -> None:
    sd = make_subdistrict()
    changed = apply_change(sd, {"communities.west.rules.disabled": ["S09"]})
    assert isinstance(changed, Subdistrict)
    west = next(c for c in changed.communities if c.id == "west")
    east = next(c for c in changed.communities if c.id == "east")
    assert "S09" in west.rules.disabled and "S09" not in east.rules.disabled


@pytest.mark.parametrize(
    "change",
    [
        {"rules.min_women": -1},  # the value fails validation
        {"rules.disabled": ["S99"]},  # no such rule
        {"people.p99.waivers": ["age"]},  # no such person
        {"rules.min_women.x": 1},  # through a number
        {"rules..min_women": 1},  # not a dotted key
        {"rules.no_such_setting": 1},  # an unknown field
        {},
    ],
)
def test_bad_edits_raise_scenario_error(change: dict) -> None:
    c = community(crowd())
    with pytest.raises(ScenarioError) as info:
        apply_change(c, change)
    assert info.value.issues
