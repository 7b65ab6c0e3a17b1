"""资格联审 by department (SCENARIO.md "Joint review by department"): the S05 status derived from the
departments' results, reasons naming the departments (eligibility, checker, explanations agree), bad input."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import checker_people, checker_slate, community, crowd, person

from planner.check import check_slate
from planner.eligibility import reasons_S05, review_grid
from planner.issues import ScenarioError
from planner.plan import Slate
from planner.scenario import load_scenario_text

ORG, CIVIL = "旗委组织部", "旗民政局"  # the naiman-2020 profile's departments


def reviewed(pid: str, *results: tuple[str, str], **fields: Any) -> dict[str, Any]:
    """A person with one joint-review record per (department, result) and no status of their own."""
    p = person(pid, **fields)
    p.pop("joint_review")
    p["joint_reviews"] = [
        {"department": d, "result": r, "date": "2020-11-20", "number": f"奈组字〔2020〕{i}号"}
        for i, (d, r) in enumerate(results, 1)
    ]
    return p


@pytest.mark.parametrize(
    ("results", "status"),
    [
        (((ORG, "passed"), (CIVIL, "passed")), "passed"),
        (((ORG, "passed"), (CIVIL, "failed")), "failed"),
        (((ORG, "pending"), (CIVIL, "failed")), "failed"),
        (((ORG, "passed"), (CIVIL, "pending")), "pending"),
        (((ORG, "passed"),), "pending"),  # a department missing
        (((ORG, "passed"), (CIVIL, "not_submitted")), "pending"),
        (((ORG, "not_submitted"),), "not_submitted"),
    ],
)
def test_status_is_derived_from_the_departments(results: tuple, status: str) -> None:
    c = community([reviewed("p01", *results)])
    assert c.people[0].joint_review == status
    assert bool(reasons_S05(c, c.people[0])) == (status != "passed")


def test_S05_reasons_name_the_failing_department_only() -> None:
    c = community([reviewed("p01", (ORG, "passed"), (CIVIL, "failed"))])
    [reason] = reasons_S05(c, c.people[0])
    assert reason.zh == f"资格联审未通过（{CIVIL}未通过）"
    assert reason.en == f"joint review failed ({CIVIL} failed)"
    assert ORG not in reason.zh


def test_S05_pending_names_the_pending_and_the_missing_departments() -> None:
    c = community([reviewed("p01", (ORG, "pending"))])
    [reason] = reasons_S05(c, c.people[0])
    assert reason.zh == f"资格联审待反馈（{ORG}待反馈、{CIVIL}未报送）"
    assert review_grid(c, c.people[0]) == {ORG: "pending", CIVIL: None}
    assert reasons_S05(c, c.people[0], allow_pending=True) == []  # what-if mode passes a pending review


def test_the_checker_names_the_department() -> None:
    raw = checker_people()
    raw["p10"].pop("joint_review", None)
    raw["p10"]["joint_reviews"] = [{"department": CIVIL, "result": "failed"}]
    c = community(
        list(raw.values()),
        multi_ethnic=True,
        relatives=[
            {"a": "p12", "b": "p13", "relation": "sibling"},
            {"a": "p09", "b": "p10", "relation": "spouse"},
        ],
    )
    checks = {ch.rule: ch for ch in check_slate(c, Slate.model_validate(checker_slate()))}
    assert not checks["S05"].ok and checks["S05"].people == ["p10"]
    assert CIVIL in checks["S05"].detail
    assert {ch.rule for ch in checks.values() if not ch.ok} == {"S05"}


def test_the_explanation_names_the_department() -> None:
    from planner.slate import SlateOptions, solve_slates

    people = [reviewed("p01", (ORG, "passed"), (CIVIL, "failed"), gender="F"), *crowd(14)[1:]]
    c = community(people)
    result = solve_slates(c, SlateOptions(locks={"p01": None}, time_limit=10, seed=0, workers=1))
    assert result.status == "infeasible"
    text = str(result.explanation)
    assert "S05" in text and CIVIL in text


def test_the_scenario_may_name_its_own_departments() -> None:
    c = community(
        [reviewed("p01", ("县委组织部", "passed"), ("县纪委监委", "passed"))],
        joint_review_departments=["县委组织部", "县纪委监委"],
    )
    assert c.departments() == ["县委组织部", "县纪委监委"]
    assert c.people[0].joint_review == "passed"


def bad(people: list[dict[str, Any]], **fields: Any) -> list[Any]:
    with pytest.raises(ScenarioError) as exc:
        community(people, **fields)
    return exc.value.issues


def test_an_unknown_department_is_bad_input() -> None:
    [x] = bad([reviewed("p01", (ORG, "passed"), ("旗公安局", "passed"))])
    assert x.field == "joint_reviews.1.department" and "p01" in x.record
    assert "旗公安局" in x.message and ORG in x.message_zh


def test_a_department_twice_is_bad_input() -> None:
    [x] = bad([reviewed("p01", (ORG, "passed"), (ORG, "failed"), (CIVIL, "passed"))])
    assert x.field == "joint_reviews.1.department" and "twice" in x.message


def test_a_status_that_disagrees_with_the_departments_is_bad_input() -> None:
    p = reviewed("p01", (ORG, "passed"), (CIVIL, "failed"))
    [x] = bad([{**p, "joint_review": "passed"}])
    assert x.field == "joint_review" and "failed" in x.message
    agreeing = community([{**p, "joint_review": "failed"}])
    assert agreeing.people[0].joint_review == "failed"


def test_a_saved_scenario_reloads_to_the_same_canonical_scenario() -> None:
    from planner.edits import scenario_data
    from planner.scenario import parse_scenario

    c = community([reviewed("p01", (ORG, "passed"), (CIVIL, "pending"))])
    again = parse_scenario(scenario_data(c))
    assert again.canonical_json() == c.canonical_json()


def test_yaml_accepts_chinese_values() -> None:
    text = f"""
kind: community
id: zh
reference_date: 2020-12-10
people:
  - {{id: p01, gender: 女, birth_date: 1985-01-01, education: 本科, party_member: 是, ethnicity: 蒙古,
      party_joined: 2010-01-01, resident_voter: 是, incumbent: [书记, 主任], stands_for: [党组织, 居委会],
      waivers: [年龄], tags: [退役军人], joint_review: 通过}}
  - {{id: p02, gender: 男, birth_date: 1960-01-01, education: 大专,
      joint_reviews: [{{department: {ORG}, result: 通过}}, {{department: {CIVIL}, result: 待反馈}}]}}
relatives:
  - {{a: p01, b: p02, relation: 配偶}}
"""
    c = load_scenario_text(text, "zh.yaml")
    p1, p2 = c.people
    assert (p1.gender, p1.education, p1.party_member, p1.joint_review) == ("F", "bachelor", True, "passed")
    assert p1.incumbent == ["party_committee.secretary", "residents_committee.director"]
    assert p1.stands_for == ["party_committee", "residents_committee"]
    assert (p1.waivers, p1.tags, p1.ethnicity) == (["age"], ["veteran"], "蒙古族")
    assert (p2.gender, p2.education, p2.joint_review) == ("M", "college", "pending")
    assert c.relatives[0].relation == "spouse"
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(text.replace("gender: 女", "gender: 女士"), "zh.yaml")
    assert exc.value.issues[0].field == "gender"


def test_the_exports_carry_the_per_department_grid_when_sensitive_details_are_asked_for() -> None:
    from planner.export.common import make_plan_data
    from planner.export.json_out import plan_dict
    from planner.export.xlsx import REVIEW_SHEET, workbook

    c = community([reviewed("p01", (ORG, "passed"), (CIVIL, "failed")), person("p02")])
    sensitive = make_plan_data(c, {}, None, {}, include_sensitive=True)
    grid = plan_dict(sensitive)["joint_reviews"]
    assert [(r["person"], r["department"], r["result"], r["number"]) for r in grid] == [
        ("p01", ORG, "passed", "奈组字〔2020〕1号"),
        ("p01", CIVIL, "failed", "奈组字〔2020〕2号"),
    ]
    ws = workbook(sensitive)[REVIEW_SHEET]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows[1][4:6] == (CIVIL, "未通过 failed") and rows[1][6].year == 2020
    plain = make_plan_data(c, {}, None, {})
    assert "joint_reviews" not in plan_dict(plain)
    assert REVIEW_SHEET not in workbook(plain).sheetnames


def test_planner_check_shows_the_per_department_grid(tmp_path: Any, capsys: Any) -> None:
    from planner.cli import main
    from planner.edits import scenario_data

    c = community([reviewed("p01", (ORG, "passed"), (CIVIL, "failed")), person("p02")])
    path = tmp_path / "c.json"
    import json

    path.write_text(json.dumps(scenario_data(c), ensure_ascii=False), encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    grid = out.split("资格联审 Joint review by department")[1].split("近亲属")[0]
    assert ORG in grid and CIVIL in grid and "p01" in grid and "p02" not in grid
    assert "已通过" in grid and "未通过" in grid
