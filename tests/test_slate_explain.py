"""Slate explanations (SCENARIO.md "Precise meanings"): minimal conflicts, words, suggestions, why-not."""

from __future__ import annotations

from typing import Any

from helpers import community, crowd

from planner.slate import SlateOptions, solve_slates
from planner.slate.model import in_force

FAST = {"time_limit": 10.0, "workers": 1}


def feasible_with_only(
    people: list[dict[str, Any]], on: set[str], options: dict[str, Any] | None = None, **kw: Any
) -> bool:
    """Re-solve from scratch with only `on` (plus S01) in force: the independent minimality check."""
    rules = dict(kw.pop("rules", {}))
    base = community(people, rules=rules, **kw)
    rules["disabled"] = [r for r in in_force(base) if r not in on]
    c = community(people, rules=rules, **kw)
    return solve_slates(c, SlateOptions(**{**FAST, **(options or {})})).status != "infeasible"


def assert_minimal(
    people: list[dict[str, Any]], conflict: list[str], options: dict[str, Any] | None = None, **kw: Any
) -> None:
    assert conflict and "S01" not in conflict
    assert not feasible_with_only(people, set(conflict), options, **kw)
    for rule in conflict:
        assert feasible_with_only(people, set(conflict) - {rule}, options, **kw), rule


def solve(people: list[dict[str, Any]], options: dict[str, Any] | None = None, **kw: Any):
    c = community(people, **kw)
    return c, solve_slates(c, SlateOptions(**{**FAST, **(options or {})}))


def test_only_woman_disqualified() -> None:
    people = crowd(p01={"disqualifications": ["D12"]})
    _, res = solve(people)
    exp = res.explanation
    assert res.status == "infeasible" and res.slates == []
    assert exp["conflict"] == ["S04", "S09"]
    assert_minimal(people, exp["conflict"])
    assert "p01" in exp["people"]
    assert "S09 女性" in exp["message_zh"] and "D12" in exp["message_zh"]
    assert "S09 women" in exp["message_en"]
    assert exp["message"] == exp["message_zh"] + "\n" + exp["message_en"]
    changes = [s["change"] for s in exp["suggestions"]]
    assert {"rules.disabled": ["S04"]} in changes and {"rules.disabled": ["S09"]} in changes
    assert {"rules.min_women": 0} in changes
    assert all(s["zh"] and s["en"] for s in exp["suggestions"])


def test_three_rule_conflict_is_minimal() -> None:
    # the only minority candidate is not a resident voter; the only woman is a close relative of a locked person
    people = crowd(p02={"ethnicity": "蒙古族", "resident_voter": False})
    kw = {"multi_ethnic": True, "relatives": [{"a": "p01", "b": "p12", "relation": "sibling"}]}
    options = {"locks": {"p12": None}}
    _, res = solve(people, options, **kw)
    conflict = res.explanation["conflict"]
    assert set(conflict) in ({"S16", "S19"}, {"S07", "S09"})
    assert_minimal(people, conflict, options, **kw)


def test_secretary_waiver_suggestion() -> None:
    people = crowd(**{f"p{i:02d}": {"education": "high_school"} for i in range(1, 13)})
    _, res = solve(people)
    exp = res.explanation
    assert exp["conflict"] == ["S06"]
    waivers = [s for s in exp["suggestions"] if any(k.endswith(".waivers") for k in s["change"])]
    assert waivers and waivers[0]["change"] == {"people.p01.waivers": ["education"]}
    people[0]["waivers"] = ["education"]
    assert solve(people)[1].status == "optimal"


def test_quota_suggestion_names_the_largest_quota_that_works() -> None:
    _, res = solve(crowd(), rules={"min_women": 3})
    exp = res.explanation
    assert exp["conflict"] == ["S09"]
    assert {"rules.min_women": 1} in [s["change"] for s in exp["suggestions"]]


def test_locks_and_excludes_alone_cannot_hold() -> None:
    _, res = solve(crowd(), {"locks": {"p03": None}, "excludes": ["p03"]})
    assert res.status == "infeasible"
    assert res.explanation["conflict"] == []
    assert "锁定" in res.explanation["message_zh"] and "locks" in res.explanation["message_en"]


def test_why_not_possible_gives_slate_and_cost() -> None:
    # p02 stands for the two committees only: any post of theirs is a team seat, which costs support.
    people = crowd(p02={"stands_for": ["party_committee", "residents_committee"]})
    _, best = solve(people)
    assert "p02" not in best.slates[0].team()
    _, res = solve(people, {"why_not": "p02"})
    wn = res.why_not
    assert wn["possible"] is True and wn["in_best"] is False
    assert wn["cost"] == best.slates[0].objective - wn["objective"] > 0
    team = {
        pid
        for body in ("party_committee", "residents_committee")
        for post, v in wn["slate"]["posts"][body].items()
        for pid in (v if isinstance(v, list) else [v])
    }
    assert "p02" in team
    assert res.slates[0].objective == best.slates[0].objective  # the normal answer is unchanged
    assert res.to_json()["why_not"]["person"] == "p02"


def test_why_not_in_best() -> None:
    _, res = solve(crowd(), {"why_not": "p12"})
    assert res.why_not["in_best"] is True and res.why_not["cost"] == 0


def test_why_not_impossible_gives_minimal_conflict() -> None:
    people = crowd(p12={"disqualifications": ["D12"]})
    _, res = solve(people, {"why_not": "p12"})
    assert res.status == "optimal"
    wn = res.why_not
    assert wn["possible"] is False
    assert wn["explanation"]["conflict"] == ["S04"]
    assert res.explanation == wn["explanation"]
    assert "p12" in wn["explanation"]["people"]
    assert_minimal(people, ["S04"], {"locks": {"p12": None}})


def test_why_not_supervisory_only_is_answered_about_that_committee() -> None:
    """Issue 17: a person standing only for the supervisory committee is asked about that committee, not
    the team: the answer is a slate with them on it, at no cost (the committee is not in the objective)."""
    people = crowd(p03={"stands_for": ["supervisory_committee"]})
    _, best = solve(people)
    _, res = solve(people, {"why_not": "p03"})
    wn = res.why_not
    assert wn["possible"] is True and wn["cost"] == 0 and wn["in_a_best"] is True
    assert wn["objective"] == best.slates[0].objective
    if not wn["in_best"]:
        sc = wn["slate"]["posts"]["supervisory_committee"]
        assert "p03" in [sc["director"], *sc["member"]]
        assert "no cost" in wn["message_en"] and "没有代价" in wn["message_zh"]


def test_why_not_person_not_standing() -> None:
    """Standing for nothing: no post anywhere, blamed on S15 alone (minimal over both alternatives)."""
    people = crowd(p03={"stands_for": []})
    _, res = solve(people, {"why_not": "p03"})
    wn = res.why_not
    assert wn["possible"] is False
    assert wn["explanation"]["conflict"] == ["S15"]
    assert "p03" in wn["explanation"]["people"]
    assert {"rules.disabled": ["S15"]} in [s["change"] for s in wn["explanation"]["suggestions"]]


def test_no_people_explanation() -> None:
    _, res = solve([])
    assert res.status == "infeasible"
    assert res.explanation["conflict"] == []
    assert res.to_json()["explanation"]["message"].count("\n") == 1


def test_describers_are_registered_and_say_text_naming_the_people() -> None:
    """Each rule's sentence comes from its registered describer (S07_recusal, ...) as Text; the explanation's
    lines are the rule labels with those sentences, in each language."""
    from planner.registry import implementation
    from planner.slate.explain import Conflict, line
    from planner.slate.solve import Session
    from planner.text import Text

    people = crowd(p12={"gender": "F"})
    c = community(people, relatives=[{"a": "p01", "b": "p12", "relation": "spouse"}], rules={"min_women": 2})
    session = Session(c, SlateOptions(**FAST))
    ctx = Conflict(session, ["S07", "S09"], {})
    said = implementation("S07", "describe")(ctx)
    assert isinstance(said, Text) and implementation("S07", "describe").__name__ == "S07_recusal"
    assert "p01" in said.zh and "p12" in said.en and {"p01", "p12"} <= set(ctx.involved)
    women = line(ctx, "S09")
    assert women.zh.startswith("- S09 女性：") and women.en.startswith("- S09 women: ")
    assert "p01" in women.zh and "p12" in women.en
    res = solve_slates(c, SlateOptions(**FAST))
    exp = res.explanation
    assert exp["conflict"] == ["S07", "S09"]
    assert said.zh in exp["message_zh"] and said.en in exp["message_en"]
    assert exp["message"] == exp["message_zh"] + "\n" + exp["message_en"]


def test_solve_and_explain_do_not_import_each_other() -> None:
    """Orchestration (planner.slate.orchestrate) imports both; neither imports the other, at any level."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "planner" / "slate"
    for name, other in (("solve", "explain"), ("explain", "solve")):
        tree = ast.parse((root / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.module != f"planner.slate.{other}", f"{name}.py imports {other}"
                assert not (node.module == "planner.slate" and any(a.name == other for a in node.names))
            elif isinstance(node, ast.Import):
                assert all(a.name != f"planner.slate.{other}" for a in node.names), (
                    f"{name}.py imports {other}"
                )


def test_rule_keeping_changes_come_before_rule_switches() -> None:
    # the only woman is disqualified: lowering the quota (naming who could count) leads, switching rules off last
    people = crowd(p01={"disqualifications": ["D12"]})
    exp = solve(people)[1].explanation
    changes = [s["change"] for s in exp["suggestions"]]
    assert changes[0] == {"rules.min_women": 0}
    assert (
        "p01" in exp["suggestions"][0]["zh"] and "women who could count: p01" in exp["suggestions"][0]["en"]
    )
    switches = [i for i, ch in enumerate(changes) if "rules.disabled" in ch]
    keeping = [i for i, ch in enumerate(changes) if "rules.disabled" not in ch]
    assert switches and keeping and max(keeping) < min(switches)


def test_a_waiver_comes_before_switching_s06_off() -> None:
    people = crowd(**{f"p{i:02d}": {"education": "high_school"} for i in range(1, 13)})
    changes = [s["change"] for s in solve(people)[1].explanation["suggestions"]]
    assert changes.index({"people.p01.waivers": ["education"]}) < changes.index({"rules.disabled": ["S06"]})
