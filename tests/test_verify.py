"""`planner verify` (planner.check.verify): a saved plan is re-checked rule by rule with the solver-free checker."""

from __future__ import annotations

import copy
import json
import sys
import types
from typing import Any

import pytest

from planner.check import PlanError, format_verify, verify_plan
from planner.plan import RuleCheck
from planner.scenario import parse_scenario
from tests.test_check_slate import base_people, base_slate, make


def slate_json(**changes: Any) -> dict[str, Any]:
    raw = copy.deepcopy(base_slate())
    raw.update(changes)
    return {"scenario": "test", "status": "optimal", "slates": [raw], "explanation": None}


def test_good_plan_passes() -> None:
    report = verify_plan(make(), slate_json())
    assert report.ok
    (verdict,) = report.slates
    assert verdict.objective_stated == verdict.objective_computed == 440
    assert [ch.rule for ch in verdict.checks][-1] == "objective"
    data = report.to_json()
    assert data["ok"] is True and data["slates"][0]["broken"] == []
    json.dumps(data, ensure_ascii=False)  # serialisable
    text = format_verify(report)
    assert "✓ S01 班子职数 seats" in text and "✓ S18 差额稳健 robust lists — 已关闭 switched off" in text
    assert "✗" not in text


def test_hand_edited_plan_breaking_a_rule_is_rejected_naming_it() -> None:
    plan = slate_json()
    plan["slates"][0]["posts"]["residents_committee"]["director"] = "p12"  # secretary p01 no longer director
    report = verify_plan(make(), plan)
    assert not report.ok
    # p12 joins the team, so the stated objective no longer matches either
    assert report.slates[0].broken() == ["S02", "objective"]
    text = format_verify(report, lang="en")
    assert "✗ S02 一肩挑 one shoulder" in text and "p12" in text


def test_stated_checks_that_disagree_are_noted() -> None:
    plan = slate_json(checks=[{"rule": "S02", "ok": True, "detail": "p01"}, {"rule": "S09", "ok": True}])
    plan["slates"][0]["posts"]["residents_committee"]["director"] = "p12"
    report = verify_plan(make(), plan)
    assert any("S02" in note and "S09" not in note for note in report.notes)


def test_person_edit_in_the_scenario_is_caught() -> None:
    # the plan was fine for the scenario it was made for; the joint review of p09 has since failed
    report = verify_plan(make({"p09": {"joint_review": "failed"}}), slate_json())
    assert report.slates[0].broken() == ["S05"]


def test_allow_pending_is_passed_through() -> None:
    c = make({"p10": {"joint_review": "pending"}})
    assert verify_plan(c, slate_json()).slates[0].broken() == ["S05"]
    assert verify_plan(c, slate_json(), allow_pending=True).ok


def test_objective_mismatch_is_flagged() -> None:
    report = verify_plan(make(), slate_json(objective=999))
    assert not report.ok
    verdict = report.slates[0]
    assert verdict.broken() == ["objective"] and not verdict.objective_ok
    assert "999" in verdict.checks[-1].detail and "440" in verdict.checks[-1].detail
    assert "✗ objective 目标值 objective" in format_verify(report)


def test_missing_objective_is_computed_not_compared() -> None:
    raw = base_slate()
    del raw["objective"]
    report = verify_plan(make(), raw)  # a bare slate object is accepted too
    assert report.ok and report.slates[0].objective_computed == 440


def test_infeasible_plan_has_nothing_to_verify() -> None:
    report = verify_plan(make(), {"scenario": "test", "status": "infeasible", "slates": [],
                                  "explanation": {"conflict": ["S09"], "message": "…"}})
    assert not report.ok and "infeasible" in report.notes[0]


@pytest.mark.parametrize(("plan", "field"), [
    ({"slates": [{"posts": {"party_committee": {"member": "p04"}}}]}, "slates[0].posts.party_committee.member"),
    ({"slates": [{"posts": {"party_committee": {"treasurer": "p04"}}}]}, "slates[0].posts.party_committee.treasurer"),
    ({"slates": [{"rank": 1}]}, "slates[0].posts"),
    ({"slates": [{"posts": {}, "objective": "lots"}]}, "slates[0].objective"),
    ({"slates": [{"posts": {}, "candidate_lists": {"party_committee": "p01"}}]},
     "slates[0].candidate_lists.party_committee"),
    ({"slates": ["p01"]}, "slates[0]"),
    ({"slates": 3}, "slates"),
    ({"schedule": {"communities": {"test": {"stages": [{"id": "pc_election", "start": "soon", "end": "x"}]}}}},
     "schedule.communities.test.stages[0].start"),
    ({"schedule": {"communities": {"elsewhere": {"stages": []}}}}, "schedule.communities.elsewhere"),
    ({"schedule": []}, "schedule"),
])
def test_malformed_plan_raises_plan_error_naming_the_field(plan: dict[str, Any], field: str) -> None:
    with pytest.raises(PlanError) as info:
        verify_plan(make(), plan)
    assert f"'{field}'" in str(info.value)


@pytest.mark.parametrize("plan", [[], "plan", {"status": "optimal"}])
def test_not_a_plan_raises_plan_error(plan: Any) -> None:
    with pytest.raises(PlanError):
        verify_plan(make(), plan)


def test_plan_error_is_a_value_error() -> None:
    assert issubclass(PlanError, ValueError)


def fake_schedule_checker(monkeypatch: pytest.MonkeyPatch, checks: list[RuleCheck]) -> list[Any]:
    """Stand in for planner.check.schedule (written separately) and record what it was given."""
    calls: list[Any] = []

    def check_schedule(scenario: Any, communities_json: dict[str, Any]) -> list[RuleCheck]:
        calls.append((scenario.id, communities_json))
        return checks

    module = types.ModuleType("planner.check.schedule")
    module.check_schedule = check_schedule  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "planner.check.schedule", module)
    return calls


SCHEDULE = {"scenario": "test", "status": "optimal", "communities": {"test": {"stages": [
    {"id": "pc_publicity", "start": "2021-01-02", "end": "2021-01-04", "slack_days": 0}]}}}


def test_export_plan_with_schedule_checks_both(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fake_schedule_checker(monkeypatch, [RuleCheck(rule="T03", ok=False, detail="公示仅3日 / 3 days")])
    plan = {**slate_json(), "schedule": SCHEDULE}
    report = verify_plan(make(), plan)
    assert calls == [("test", SCHEDULE["communities"])]
    assert report.slates[0].ok and report.schedule_checked and not report.ok
    assert "✗ T03 公示 publicity" in format_verify(report)
    assert report.to_json()["schedule"]["ok"] is False


def test_schedule_json_alone_is_verified(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_schedule_checker(monkeypatch, [RuleCheck(rule="T01", ok=True, detail="ok")])
    report = verify_plan(make(), SCHEDULE)
    assert report.ok and not report.slates and report.schedule_checked


def test_subdistrict_plan_slates_keyed_by_community() -> None:
    def inline(cid: str) -> dict[str, Any]:
        return {"id": cid, "reference_date": "2020-12-10", "multi_ethnic": True, "people": list(base_people().values())}

    sub = parse_scenario({"kind": "subdistrict", "id": "sub", "communities": [inline("a"), inline("b")]})
    bad = copy.deepcopy(base_slate())
    bad["posts"]["supervisory_committee"]["member"] = ["p09", "p07"]  # S14 in community b
    plan = {"slates": {"a": slate_json(), "b": {"scenario": "b", "slates": [bad]}}}  # the key names the community
    report = verify_plan(sub, plan)
    assert [(v.community, v.broken()) for v in report.slates] == [("a", []), ("b", ["S14"])]
    with pytest.raises(PlanError, match="'c' is not a community"):
        verify_plan(sub, {"slates": {"c": {"slates": []}}})
    with pytest.raises(PlanError, match="name the community"):
        verify_plan(sub, {**slate_json(), "scenario": "sub"})
