"""CP-SAT schedule model: each rule T01-T10 feasible/infeasible, the default template, pins,
explanations, slack, sub-district capacity, calendar years without data, the Gantt."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from helpers import SCENARIOS, community

from planner.check.schedule import check_schedule
from planner.scenario import Community, Subdistrict, parse_scenario, read_file
from planner.schedule import format_schedule, plan_schedule

W = ["2021-01-04", "2021-01-29"]


def sched(
    stages: list[dict[str, Any]], disabled: list[str] | None = None, cid: str = "test", **schedule: Any
) -> Community:
    return community(
        [],
        id=cid,
        rules={"disabled": disabled or []},
        schedule={"template": "none", "stages": stages, **schedule},
    )


def status(c: Any, pins: dict[str, date] | None = None) -> str:
    return plan_schedule(c, pins, time_limit=10, slack=False).status


def starts(result: Any, cid: str = "test") -> dict[str, date]:
    return {sid: span[0] for sid, span in result.plan[cid].items()}


# ---------------------------------------------------------------- one rule at a time


def test_t01_window() -> None:
    # Pinned to the window's last day, a 2-day stage would end outside it (a stage longer than its
    # window is bad input, so the window is broken through a pin).
    stages = [{"id": "a", "window": ["2021-01-04", "2021-01-05"], "duration": 2}]
    assert status(sched(stages)) == "optimal"
    assert status(sched(stages), {"a": date(2021, 1, 5)}) == "infeasible"
    assert status(sched(stages, ["T01"]), {"a": date(2021, 1, 5)}) == "optimal"
    assert set(
        plan_schedule(sched(stages), {"a": date(2021, 1, 5)}, slack=False).explanation["conflict"]
    ) == {"T01", "pin:a"}


def test_t02_precedence() -> None:
    stages = [
        {"id": "a", "window": ["2021-01-04", "2021-01-08"], "duration": 3},
        {
            "id": "b",
            "window": ["2021-01-04", "2021-01-08"],
            "duration": 3,
            "after": [{"stage": "a", "gap": 1}],
        },
    ]
    assert status(sched(stages)) == "infeasible"
    assert status(sched(stages, ["T02"])) == "optimal"
    stages[1]["window"] = ["2021-01-04", "2021-01-09"]
    result = plan_schedule(sched(stages), slack=False)
    assert starts(result) == {"a": date(2021, 1, 4), "b": date(2021, 1, 7)}


def test_t03_publicity_at_least_five_days() -> None:
    # Data below the 5 days is bad input; the model against lowered data: tests/test_floors.py.
    five = [{"id": "p", "window": W, "duration": 5, "publicity": True}]
    assert plan_schedule(sched(five), slack=False).plan["test"]["p"] == (date(2021, 1, 4), date(2021, 1, 8))
    working = [{"id": "p", "window": W, "duration": 5, "unit": "working", "publicity": True}]
    assert status(sched(working)) == "optimal"


def test_t04_working_units_and_election_days() -> None:
    # 3 working days from Thu 31 Dec 2020: 31 Dec, (1-3 Jan off), 4 Jan, 5 Jan.
    c = sched([{"id": "w", "window": ["2020-12-31", "2021-01-10"], "duration": 3, "unit": "working"}])
    result = plan_schedule(c, slack=False)
    assert result.plan["test"]["w"] == (date(2020, 12, 31), date(2021, 1, 5))
    off = plan_schedule(sched(c.schedule.stages, ["T04"]), slack=False)
    assert off.plan["test"]["w"] == (date(2020, 12, 31), date(2021, 1, 2))
    # Only weekdays allowed but the window holds only the New Year holiday and a weekend.
    e = [{"id": "e", "window": ["2021-01-01", "2021-01-03"], "election": True}]
    assert status(sched(e, allowed_election_days="workdays")) == "infeasible"
    assert status(sched(e, ["T04"], allowed_election_days="workdays")) == "optimal"
    weekend = plan_schedule(
        sched([{"id": "e", "window": W, "election": True}], allowed_election_days="weekends"), slack=False
    )
    assert weekend.plan["test"]["e"][0] == date(2021, 1, 9)


def test_working_stage_across_spring_festival() -> None:
    c = sched([{"id": "w", "window": ["2021-02-10", "2021-03-01"], "duration": 3, "unit": "working"}])
    assert plan_schedule(c, slack=False).plan["test"]["w"] == (date(2021, 2, 10), date(2021, 2, 19))
    pinned = plan_schedule(c, {"w": date(2021, 2, 19)}, slack=False)
    assert pinned.plan["test"]["w"] == (date(2021, 2, 19), date(2021, 2, 22))  # Fri, Sat 20 (调休), Mon
    assert status(c, {"w": date(2021, 2, 21)}) == "infeasible"  # a Sunday


def test_t05_party_first_holds_unlisted() -> None:
    stages = [
        {"id": "pc_election", "window": ["2021-01-05", "2021-01-06"], "election": True},
        {"id": "rc_election", "window": ["2021-01-05", "2021-01-05"], "election": True},
    ]
    assert status(sched(stages)) == "infeasible"
    assert status(sched(stages, ["T05"])) == "optimal"
    assert plan_schedule(sched(stages, ["T05"]), slack=False).explanation is None


def test_t06_deadline() -> None:
    stages = [{"id": "a", "window": W, "duration": 5}]
    assert status(sched(stages, deadlines={"a": "2021-01-07"})) == "infeasible"
    assert status(sched(stages, ["T06"], deadlines={"a": "2021-01-07"})) == "optimal"
    assert status(sched(stages, deadlines={"a": "2021-01-08"})) == "optimal"


def test_t08_blackout() -> None:
    stages = [{"id": "a", "window": ["2021-01-04", "2021-01-08"], "duration": 3}]
    assert status(sched(stages, blackout=["2021-01-06"])) == "infeasible"
    assert status(sched(stages, ["T08"], blackout=["2021-01-06"])) == "optimal"
    result = plan_schedule(sched(stages, blackout=["2021-01-04"]), slack=False)
    assert result.plan["test"]["a"][0] == date(2021, 1, 5)


@pytest.mark.parametrize(("rule", "gap"), [("T09", 20), ("T10", 5)])
def test_notice_rules_bind_through_their_own_ids(rule: str, gap: int) -> None:
    stages = [
        {"id": "n", "window": ["2021-01-04", "2021-01-04"]},
        {"id": "e", "window": W, "election": True, "after": [{"stage": "n", "gap": gap, "rule": rule}]},
    ]
    result = plan_schedule(sched(stages, ["T02"]), slack=False)
    assert result.plan["test"]["e"][0] == date(2021, 1, 4) + timedelta(days=gap)
    assert plan_schedule(sched(stages, [rule]), slack=False).plan["test"]["e"][0] == date(2021, 1, 4)
    assert status(sched(stages), {"e": date(2021, 1, 4) + timedelta(days=gap - 1)}) == "infeasible"


# ---------------------------------------------------------------- the default template


def test_default_template_inside_every_window() -> None:
    c = community([])
    result = plan_schedule(c, time_limit=20)
    assert result.status == "optimal"
    stages = {s.id: s for s in c.schedule.effective_stages()}
    for sid, (start, end) in result.plan["test"].items():
        window = stages[sid].window
        assert window is not None and window[0] <= start <= end <= window[1], sid
    assert result.plan["test"]["pc_election"][0] < result.plan["test"]["rc_election"][0]
    assert all(ch.ok for ch in check_schedule(c, result.communities_json()))
    data = result.to_json()
    assert data["status"] == "optimal" and data["explanation"] is None
    row = data["communities"]["test"]["stages"][0]
    assert {"id", "name", "start", "end", "slack_days"} <= set(row)
    assert data["warnings"] == []


def test_deterministic() -> None:
    c = community([])
    assert plan_schedule(c).to_json()["communities"] == plan_schedule(c).to_json()["communities"]


def test_pin_rc_election_adapts_or_explains() -> None:
    result = plan_schedule(community([]), {"rc_election": date(2021, 1, 12)})
    if result.status == "infeasible":
        assert result.explanation["conflict"]
    else:
        assert result.plan["test"]["rc_election"][0] == date(2021, 1, 12)
        assert result.slack["test"]["rc_election"] == 0


def test_pin_too_early_explains_with_t09() -> None:
    result = plan_schedule(community([]), {"rc_election": date(2020, 12, 20)})
    assert result.status == "infeasible" and not result.plan
    exp = result.explanation
    assert set(exp["conflict"]) == {"T01", "T09", "pin:rc_election"}
    assert "rc_voter_list" in exp["message_zh"] and "2020-12-20" in exp["message_en"]
    assert exp["message"] == exp["message_zh"] + "\n" + exp["message_en"]
    text = format_schedule(result)
    assert "T09" in text and "rc_election" in text


def test_conflicting_pin_gives_its_true_earliest_and_latest_day() -> None:
    """T01 + T09 alone allow 2020-12-30, which every rule together does not; the explanation gives the
    true earliest (and latest) start of the pinned stage with the pin removed, both feasible pins."""
    c = community([])
    result = plan_schedule(c, {"rc_election": date(2020, 12, 20)}, slack=False)
    exp = result.explanation
    assert exp["earliest"] == {"pin:rc_election": "2021-01-08"}
    assert exp["latest"] == {"pin:rc_election": "2021-01-28"}
    assert (
        "最早可行的日期是 2021-01-08" in exp["message_zh"]
        and "最早只能在 2020-12-30" not in exp["message_zh"]
    )
    assert "earliest feasible day is 2021-01-08 and the latest 2021-01-28" in exp["message_en"]
    assert plan_schedule(c, {"rc_election": date(2020, 12, 30)}, slack=False).status == "infeasible"
    for key in ("earliest", "latest"):
        day = date.fromisoformat(exp[key]["pin:rc_election"])
        assert plan_schedule(c, {"rc_election": day}, slack=False).status == "optimal"
    before = date(2021, 1, 8) - timedelta(days=1)
    after = date(2021, 1, 28) + timedelta(days=1)
    assert all(
        plan_schedule(c, {"rc_election": d}, slack=False).status == "infeasible" for d in (before, after)
    )
    late = plan_schedule(c, {"pc_election": date(2021, 1, 29)}, slack=False).explanation
    assert late["latest"]["pin:pc_election"] < "2021-01-29"
    assert plan_schedule(
        c, {"pc_election": date.fromisoformat(late["latest"]["pin:pc_election"])}
    ).status in (
        "optimal",
        "feasible",
    )


def test_explanation_is_minimal() -> None:
    """Only the conflict's rules and pins on: infeasible; dropping any one: feasible."""
    base = community([])
    pins = {"rc_election": date(2020, 12, 20)}
    conflict = plan_schedule(base, pins, slack=False).explanation["conflict"]
    rules = [k for k in conflict if k.startswith("T")]
    off = [r for r in ("T01", "T02", "T03", "T04", "T05", "T06", "T08", "T09", "T10") if r not in rules]

    def feasible(rule_ids: list[str], with_pin: bool) -> bool:
        c = community(
            [],
            rules={
                "disabled": [
                    r
                    for r in ("T01", "T02", "T03", "T04", "T05", "T06", "T08", "T09", "T10")
                    if r not in rule_ids
                ]
            },
        )
        return plan_schedule(c, pins if with_pin else None, slack=False).status != "infeasible"

    assert off
    assert not feasible(rules, True)
    assert feasible(rules, False)
    for r in rules:
        assert feasible([x for x in rules if x != r], True)


def test_slack_definition_spot_check() -> None:
    c = community([])
    result = plan_schedule(c)
    for sid in ("pc_election", "rc_voter_list", "audit"):
        start = result.plan["test"][sid][0]
        slack = result.slack["test"][sid]
        assert status(c, {sid: start + timedelta(days=slack)}) != "infeasible"
        assert status(c, {sid: start + timedelta(days=slack + 1)}) == "infeasible"
    assert result.critical_path("test") == [s for s, v in result.slack["test"].items() if v == 0]


def test_year_without_calendar_data_warns() -> None:
    stages = [{"id": "w", "window": ["2027-01-04", "2027-01-29"], "duration": 5, "unit": "working"}]
    result = plan_schedule(sched(stages), slack=False)
    assert result.status == "optimal"
    assert any("2027" in w.en and "2027" in w.zh for w in result.warnings)
    assert result.plan["test"]["w"] == (date(2027, 1, 4), date(2027, 1, 8))


# ---------------------------------------------------------------- election stages (issue 17 point 2)


def test_template_election_stages_are_the_two_elections() -> None:
    stages = {s.id: s for s in community([]).schedule.effective_stages()}
    assert sorted(sid for sid, s in stages.items() if s.election) == ["pc_election", "rc_election"]
    marked = community([], schedule={"stages": [{"id": "sc_election", "election": True}]})
    assert next(s for s in marked.schedule.effective_stages() if s.id == "sc_election").election


def test_sc_election_is_not_held_to_weekends() -> None:
    """The bundled template community with `weekends`: the 推选 starts on its window's first day, a Monday."""
    data = read_file(SCENARIOS / "nuoenjiya.yaml")
    data["schedule"] = {**(data.get("schedule") or {}), "allowed_election_days": "weekends"}
    c = parse_scenario(data, source="nuoenjiya.yaml")
    result = plan_schedule(c, time_limit=20, slack=False)
    assert result.status == "optimal"
    plan = result.plan[c.id]
    assert plan["sc_election"][0] == date(2021, 2, 1)  # a Monday, the first day of its window
    for sid in ("pc_election", "rc_election"):  # the two elections still fall on rest days
        assert plan[sid][0].weekday() >= 5 or plan[sid][0] == date(2021, 1, 1), (sid, plan[sid])
    assert all(ch.ok for ch in result.checks)


def test_every_day_of_an_election_stage_is_allowed() -> None:
    """A two-day election stage under `weekends` never covers a working day: Sunday 3 January (the last
    New Year holiday) followed by Monday 4 January is not allowed; Saturday 9 + Sunday 10 is."""
    e = [{"id": "e", "window": ["2021-01-03", "2021-01-29"], "duration": 2, "election": True}]
    result = plan_schedule(sched(e, allowed_election_days="weekends"), slack=False)
    assert result.plan["test"]["e"] == (date(2021, 1, 9), date(2021, 1, 10))
    every = plan_schedule(sched(e, allowed_election_days="weekends"), time_limit=10)
    assert every.slack["test"]["e"] == 14  # latest: Saturday 23 + Sunday 24 (Sat 30 is outside the window)
    # A two-day meeting on working days only: Friday + Monday is not allowed (the weekend between).
    w = [{"id": "e", "window": ["2021-01-08", "2021-01-29"], "duration": 2, "election": True}]
    assert plan_schedule(sched(w, allowed_election_days="workdays"), slack=False).plan["test"]["e"] == (
        date(2021, 1, 11),
        date(2021, 1, 12),
    )
    # Pinned to Sunday 10 it would cover Monday 11: infeasible, blamed on T04 and the pin, naming the day.
    pinned = plan_schedule(sched(e, allowed_election_days="weekends"), {"e": date(2021, 1, 10)}, slack=False)
    assert pinned.status == "infeasible"
    assert set(pinned.explanation["conflict"]) == {"T04", "pin:e"}
    assert (
        "2021-01-11" in pinned.explanation["message_zh"] and "2021-01-11" in pinned.explanation["message_en"]
    )
    # With T04 off the calendar does not bind.
    assert plan_schedule(sched(e, ["T04"], allowed_election_days="weekends"), slack=False).plan["test"]["e"][
        0
    ] == date(2021, 1, 3)


# ---------------------------------------------------------------- sub-district


def subdistrict(n: int, capacity: int, **fields: Any) -> Subdistrict:
    sub = parse_scenario(
        {
            "kind": "subdistrict",
            "id": "daqintala",
            "name": "大沁他拉街道",
            "capacity": capacity,
            "communities": [
                {"kind": "community", "id": f"c{i}", "name": f"社区{i}", "reference_date": "2020-12-10"}
                for i in range(n)
            ],
            **fields,
        }
    )
    assert isinstance(sub, Subdistrict)
    return sub


def test_subdistrict_respects_capacity() -> None:
    sub = subdistrict(5, 2)
    result = plan_schedule(sub, time_limit=20)
    assert result.status == "optimal"
    days: dict[date, int] = {}
    for c in sub.communities:
        for s in c.schedule.effective_stages():
            if s.election:
                day = result.plan[c.id][s.id][0]
                days[day] = days.get(day, 0) + 1
    assert max(days.values()) <= 2
    # A larger work group lets elections happen earlier (or as early).
    free = plan_schedule(subdistrict(5, 5), time_limit=20, slack=False)
    assert free.objective is not None and result.objective is not None
    assert free.objective <= result.objective
    assert all(ch.ok for ch in result.checks)


def test_concentrated_election_day_against_capacity() -> None:
    ok = plan_schedule(subdistrict(2, 2, concentrated_election_day="2021-01-16"), slack=False)
    assert ok.status == "optimal"
    assert {ok.plan[c]["rc_election"][0] for c in ("c0", "c1")} == {date(2021, 1, 16)}
    bad = plan_schedule(subdistrict(3, 2, concentrated_election_day="2021-01-16"), slack=False)
    assert bad.status == "infeasible"
    assert set(bad.explanation["conflict"]) == {"T07", "pin:rc_election"}
    # No single day holds the three communities' elections: no day to offer, said so.
    assert bad.explanation["earliest"] == {} and bad.explanation["latest"] == {}
    assert "no single day works for this stage in all 3 communities" in bad.explanation["message_en"]
    assert "at most 2 communities a day, and this day has 3" in bad.explanation["message_en"]
    every = plan_schedule(subdistrict(3, 2), {"rc_election": date(2021, 1, 16)}, slack=False).explanation
    assert "pinning rc_election of all 3 communities to 2021-01-16" in every["message_en"]
    assert "全部 3 个社区" in every["message_zh"]


def test_one_community_pin_range_in_a_subdistrict() -> None:
    sub = subdistrict(3, 2)
    exp = plan_schedule(sub, {"c1/rc_election": date(2020, 12, 20)}, slack=False).explanation
    day = exp["earliest"]["pin:c1/rc_election"]
    assert day in exp["message_en"] and day > "2020-12-30"
    fixed = plan_schedule(sub, {"c1/rc_election": date.fromisoformat(day)}, slack=False)
    assert fixed.status == "optimal" and fixed.plan["c1"]["rc_election"][0].isoformat() == day


def test_command_pin_for_one_community() -> None:
    result = plan_schedule(subdistrict(2, 2), {"c1/rc_election": date(2021, 1, 20)}, slack=False)
    assert result.plan["c1"]["rc_election"][0] == date(2021, 1, 20)
    assert result.plan["c0"]["rc_election"][0] < date(2021, 1, 20)


def test_gantt_text() -> None:
    result = plan_schedule(community([]))
    zh = format_schedule(result)
    assert "党员大会选举" in zh and "关键路径" in zh and "█" in zh
    assert "critical path" in format_schedule(result, lang="en")
