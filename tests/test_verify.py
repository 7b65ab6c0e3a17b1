"""`planner verify` (planner.check.verify): a saved plan is re-checked rule by rule with the solver-free checker."""

from __future__ import annotations

import contextlib
import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import checker_community as make
from helpers import checker_people as base_people
from helpers import checker_slate as base_slate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner.check.verify
from planner.check import PlanError, format_verify, verify_plan
from planner.cli import main
from planner.plan import RuleCheck, SlateResult
from planner.scenario import parse_scenario


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
    report = verify_plan(
        make(),
        {
            "scenario": "test",
            "status": "infeasible",
            "slates": [],
            "explanation": {"conflict": ["S09"], "message": "…"},
        },
    )
    assert not report.ok and "infeasible" in report.notes[0]


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        (
            {"slates": [{"posts": {"party_committee": {"member": "p04"}}}]},
            "slates[0].posts.party_committee.member",
        ),
        (
            {"slates": [{"posts": {"party_committee": {"treasurer": "p04"}}}]},
            "slates[0].posts.party_committee.treasurer",
        ),
        ({"slates": [{"rank": 1}]}, "slates[0].posts"),
        ({"slates": [{"posts": {}, "objective": "lots"}]}, "slates[0].objective"),
        (
            {"slates": [{"posts": {}, "candidate_lists": {"party_committee": "p01"}}]},
            "slates[0].candidate_lists.party_committee",
        ),
        ({"slates": ["p01"]}, "slates[0]"),
        ({"slates": 3}, "slates"),
        (
            {
                "schedule": {
                    "communities": {"test": {"stages": [{"id": "pc_election", "start": "soon", "end": "x"}]}}
                }
            },
            "schedule.communities.test.stages[0].start",
        ),
        ({"schedule": {"communities": {"elsewhere": {"stages": []}}}}, "schedule.communities.elsewhere"),
        ({"schedule": []}, "schedule"),
    ],
)
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
    """Stand in for the schedule checker and record what it was given."""
    calls: list[Any] = []

    def check_schedule(scenario: Any, communities_json: dict[str, Any]) -> list[RuleCheck]:
        calls.append((scenario.id, communities_json))
        return checks

    monkeypatch.setattr(planner.check.verify, "check_schedule", check_schedule)
    return calls


SCHEDULE = {
    "scenario": "test",
    "status": "optimal",
    "communities": {
        "test": {
            "stages": [{"id": "pc_publicity", "start": "2021-01-02", "end": "2021-01-04", "slack_days": 0}]
        }
    },
}


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
        return {
            "id": cid,
            "reference_date": "2020-12-10",
            "multi_ethnic": True,
            "people": list(base_people().values()),
        }

    sub = parse_scenario({"kind": "subdistrict", "id": "sub", "communities": [inline("a"), inline("b")]})
    bad = copy.deepcopy(base_slate())
    bad["posts"]["supervisory_committee"]["member"] = ["p09", "p07"]  # S14 in community b
    plan = {
        "slates": {"a": slate_json(), "b": {"scenario": "b", "slates": [bad]}}
    }  # the key names the community
    report = verify_plan(sub, plan)
    assert [(v.community, v.broken()) for v in report.slates] == [("a", []), ("b", ["S14"])]
    with pytest.raises(PlanError, match="'c' is not a community"):
        verify_plan(sub, {"slates": {"c": {"slates": []}}})
    with pytest.raises(PlanError, match="name the community"):
        verify_plan(sub, {**slate_json(), "scenario": "sub"})


# ---------------------------------------------------------------- `planner verify` on files: exit 2, never 3


def export_plan() -> dict[str, Any]:
    """plan.json as an export writes it for make(): scenario id, audit with the scenario's SHA-256, slates."""
    from planner.export import build_audit

    c = make()
    audit = build_audit(c, {"test": SlateResult.from_json(slate_json())}, None, {"top": 1})
    return {
        "scenario": "test",
        "kind": "community",
        "audit": audit,
        "slate_status": "optimal",
        "slates": [{"community": "test", **base_slate()}],
        "explanation": None,
        "schedule": None,
    }


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """The scenario of make() as a file, and where a plan goes."""
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(make().model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
    return scenario, tmp_path / "plan.json"


def verify_file(
    files: tuple[Path, Path], plan: Any, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str]:
    scenario, path = files
    path.write_text(plan if isinstance(plan, str) else json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    code = main(["verify", str(scenario), str(path), *extra])
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "internal error" not in out.err, out.err
    return code, out.out + out.err


def test_exported_plan_of_the_same_scenario_passes(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = verify_file(files, export_plan(), capsys)
    assert code == 0, text


def test_plan_of_another_scenario_is_bad_input(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = verify_file(files, {**slate_json(), "scenario": "elsewhere"}, capsys)
    assert code == 2 and "'elsewhere'" in text and "not test" in text and "计划属于场景" in text
    plan = export_plan()
    plan["audit"]["scenario"]["id"] = "elsewhere"
    code, text = verify_file(files, plan, capsys)
    assert code == 2 and "audit.scenario.id" in text and "'elsewhere'" in text
    plan = export_plan()
    plan["slates"][0]["community"] = "elsewhere"
    code, text = verify_file(files, plan, capsys)
    assert code == 2 and "slates[0]" in text and "'elsewhere'" in text


def test_plan_of_another_version_of_the_scenario_is_bad_input(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    plan = export_plan()
    plan["audit"]["scenario"]["sha256"] = "0" * 64
    code, text = verify_file(files, plan, capsys)
    assert code == 2 and "audit.scenario.sha256" in text and make().sha256() in text
    assert "another version" in text and "另一版本" in text
    plan["audit"]["scenario"]["sha256"] = 64
    code, text = verify_file(files, plan, capsys)
    assert code == 2 and "audit.scenario.sha256" in text


def test_deep_or_huge_plan_is_bad_input_naming_the_limit(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = verify_file(files, "[" * 41 + "]" * 41, capsys)
    assert code == 2 and "40" in text and "deeper" in text and "嵌套" in text
    code, text = verify_file(files, "[" * 100_000 + "]" * 100_000, capsys)  # would blow the parser's stack
    assert code == 2 and "40" in text
    deep: Any = base_slate()
    for _ in range(45):
        deep = {"x": deep}
    with pytest.raises(PlanError, match="40"):  # also when the plan comes in as data, not as a file
        verify_plan(make(), {**slate_json(), "extra": deep})
    code, text = verify_file(files, json.dumps(slate_json()) + " " * (10 * 1024 * 1024), capsys)
    assert code == 2 and "10 MB" in text
    code, text = verify_file(files, '{"slates": [' + "1" * 5000 + "]}", capsys)  # an integer too long to read
    assert code == 2 and "4300" in text


def test_a_person_the_scenario_lacks_is_an_s01_failure_not_bad_input(files, capsys):
    plan = slate_json()
    plan["slates"][0]["posts"]["residents_committee"]["director"] = "nobody"
    code, text = verify_file(files, json.dumps(plan), capsys)
    assert code == 1 and "S01" in text and "nobody" in text


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (
            lambda p: p["slates"][0]["candidate_lists"].update(mayors=["p01"]),
            "slates[0].candidate_lists.mayors",
        ),
        (lambda p: p["slates"][0].update(posts=[1, 2]), "slates[0].posts"),
        (lambda p: p["slates"][0].update(checks="all fine"), "slates[0].checks"),
        (
            lambda p: p["slates"][0].update(checks=[{"rule": 8, "ok": "yes please"}]),
            "slates[0].checks[0].rule",
        ),
        (lambda p: p.update(audit=[]), "audit"),
        (lambda p: p["audit"].update(scenario="test"), "audit.scenario"),
        (lambda p: p.update(scenario=["test"]), "scenario"),
        (
            lambda p: p.update(
                schedule={
                    "communities": {
                        "test": {
                            "stages": [{"id": "pc_election", "start": "9999-12-31", "end": "9999-12-31"}]
                        }
                    }
                }
            ),
            "schedule.communities.test.stages[0].start",
        ),
        (
            lambda p: p.update(
                schedule={
                    "communities": {
                        "test": {"stages": [{"id": "pc_election", "start": "2021-01-09", "end": 0}]}
                    }
                }
            ),
            "schedule.communities.test.stages[0].end",
        ),
        (
            lambda p: p.update(
                schedule={
                    "communities": {
                        "test": {
                            "stages": [{"id": "pc_election", "start": "1901-01-01", "end": "2199-01-01"}]
                        }
                    }
                }
            ),
            "schedule.communities.test.stages[0]",
        ),
        (lambda p: p.update(schedule={"communities": "test"}), "schedule.communities"),
    ],
)
def test_wrong_shapes_exit_2_naming_the_field(
    edit: Any, field: str, files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    plan = export_plan()
    edit(plan)
    code, text = verify_file(files, plan, capsys)
    assert code == 2, text
    assert f"'{field}'" in text


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every position in a JSON value (object keys and list indices), outermost first."""
    out = [at]
    if isinstance(node, dict):
        for key, value in node.items():
            if at == ("audit",) and key in ("rules", "solver", "options"):
                continue  # the checker reads none of these: keep the examples on fields it reads
            out.extend(_paths(value, (*at, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_paths(value, (*at, i)))
    return out


FUZZ_PLAN = {
    **export_plan(),
    "schedule": {
        "scenario": "test",
        "status": "optimal",
        "communities": {
            "test": {
                "stages": [
                    {"id": "pc_publicity", "start": "2021-01-02", "end": "2021-01-04", "slack_days": 0},
                    {"id": "pc_election", "start": "2021-01-09", "end": "2021-01-09"},
                ]
            }
        },
    },
}
FUZZ_PATHS = _paths(FUZZ_PLAN)[1:]
WORDS = st.sampled_from(
    [
        "p01",
        "p04",
        "p13",
        "zz99",
        "test",
        "elsewhere",
        "",
        "posts",
        "slates",
        "member",
        "party_committee",
        "residents_committee",
        "supervisory_committee",
        "stages",
        "communities",
        "2021-01-09",
        "9999-12-31",
        "0001-01-01",
        "S02",
        "optimal",
        "infeasible",
        "sha256",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(2**80), 2**80)
    | st.floats()
    | st.text(max_size=12)
    | WORDS
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(WORDS | st.text(max_size=6), kids, max_size=4),
    max_leaves=10,
)


def _set(plan: Any, path: tuple[Any, ...], value: Any, delete: bool) -> None:
    node = plan
    for part in path[:-1]:
        node = node[part]
    if delete and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value


@given(
    edits=st.lists(st.tuples(st.sampled_from(FUZZ_PATHS), JSON_VALUES, st.booleans()), min_size=1, max_size=3)
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzzed_plans_never_make_verify_exit_3(
    edits: list[tuple[tuple[Any, ...], Any, bool]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    plan = copy.deepcopy(FUZZ_PLAN)
    for path, value, delete in edits:
        try:
            _set(plan, path, value, delete)
        except (KeyError, IndexError, TypeError):  # an earlier edit removed or replaced that place
            continue
    folder = tmp_path_factory.mktemp("fuzz")
    scenario = folder / "scenario.json"
    scenario.write_text(json.dumps(make().model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
    (folder / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["verify", str(scenario), str(folder / "plan.json"), "--json"])
    assert code in (0, 1, 2), err.getvalue()
    assert "Traceback" not in err.getvalue()
    json.loads(out.getvalue())  # --json prints JSON whatever the exit status
