"""Any cycle (issue 11 points 1-2): template generic on phase dates, template "2020" as the generic
template on the seed's phases, calendar files for years chinesecalendar lacks, the sub-district's
calendar, and warnings for uncovered years and for elections on public holidays."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import SCENARIOS

from planner.check.schedule import check_schedule
from planner.cli import main
from planner.issues import ScenarioError
from planner.loader import read_file
from planner.scenario import Community, load_scenario, load_scenario_text, parse_scenario
from planner.schedule import plan_schedule

CALENDAR_2027 = SCENARIOS / "calendars" / "2027.yaml"

# SCENARIO.md "Cycles: phase dates": the 2025-26 example.
PHASES_2025 = {
    "mobilise": ["2025-10-15", "2025-11-10"],
    "party": ["2025-11-11", "2025-12-10"],
    "residents": ["2025-11-11", "2026-01-31"],
    "supporting": ["2026-02-01", "2026-02-28"],
    "follow_up": ["2026-02-01", "2026-04-30"],
}
# A county plan whose follow-up work starts just before the 2026 Spring Festival (2-15..2-23 off,
# Saturdays 2-14 and 2-28 working).
PHASES_FESTIVAL = {
    "mobilise": ["2025-11-17", "2025-12-19"],
    "party": ["2025-12-22", "2026-01-23"],
    "residents": ["2025-12-22", "2026-02-11"],
    "supporting": ["2026-02-12", "2026-03-13"],
    "follow_up": ["2026-02-12", "2026-04-30"],
}
# A cycle in years the package lacks (2027).
PHASES_2027 = {
    "mobilise": ["2026-11-02", "2026-11-30"],
    "party": ["2026-12-01", "2027-01-15"],
    "residents": ["2026-12-01", "2027-02-26"],
    "supporting": ["2027-03-01", "2027-03-31"],
    "follow_up": ["2027-03-01", "2027-04-30"],
}
SEED_PHASES = {
    "mobilise": ["2020-10-22", "2020-12-09"],
    "party": ["2020-12-10", "2021-01-13"],
    "residents": ["2020-12-10", "2021-01-28"],
    "supporting": ["2021-02-01", "2021-02-23"],
    "follow_up": ["2021-02-01", "2021-03-01"],
}
PHASE_OF = {
    "mobilise": ["rectify", "audit", "training_publicity", "opinion_survey"],
    "party": [f"pc_{x}" for x in ("recommend", "shortlist", "joint_review", "inspection", "publicity")]
    + ["pc_approval", "pc_election"],
    "residents": [
        "rc_committee",
        "rc_rules",
        "rc_registration",
        "rc_voter_list",
        "rc_nomination",
        "rc_joint_review",
        "rc_candidates",
        "rc_election",
    ],
    "supporting": ["sc_election"],
    "follow_up": ["training", "five_year_plan"],
}


def D(text: str) -> date:
    return date.fromisoformat(text)


def generic(phases: dict[str, list[str]], cid: str = "cycle", **schedule: Any) -> dict[str, Any]:
    return {
        "kind": "community",
        "id": cid,
        "name": "新周期社区",
        "reference_date": phases["mobilise"][0],
        "schedule": {"template": "generic", "phases": copy.deepcopy(phases), **schedule},
    }


def scenario(data: dict[str, Any]) -> Community:
    c = parse_scenario(data, source="<test>")
    assert isinstance(c, Community)
    return c


def run(cwd: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(argv))
    return rc, out.getvalue(), err.getvalue()


def write(folder: Path, data: dict[str, Any], name: str = "scenario.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


# ---------------------------------------------------------------- template generic


def test_generic_windows_are_the_phases_and_deadlines_the_phase_ends() -> None:
    c = scenario(generic(PHASES_2025))
    stages = {s.id: s for s in c.schedule.effective_stages()}
    for phase, ids in PHASE_OF.items():
        for sid in ids:
            assert stages[sid].window == (D(PHASES_2025[phase][0]), D(PHASES_2025[phase][1])), sid
    assert stages["representatives"].window == (D("2025-11-11"), D("2026-02-28"))
    assert set(stages) == {*(s for ids in PHASE_OF.values() for s in ids), "representatives"}
    assert c.schedule.effective_deadlines() == {
        "pc_election": D("2025-12-10"),
        "rc_election": D("2026-01-31"),
        "sc_election": D("2026-02-28"),
    }
    # Ids, precedence and durations are those of template "2020".
    seed = {s.id: s for s in scenario(generic(SEED_PHASES) | {"schedule": {}}).schedule.effective_stages()}
    for sid, s in stages.items():
        assert (s.duration, s.unit, s.after, s.election, s.publicity) == (
            seed[sid].duration,
            seed[sid].unit,
            seed[sid].after,
            seed[sid].election,
            seed[sid].publicity,
        ), sid


def test_generic_2025_26_schedules_inside_its_phases_and_the_checker_agrees() -> None:
    c = scenario(generic(PHASES_2025))
    result = plan_schedule(c, time_limit=20)
    assert result.status == "optimal", result.explanation
    stages = {s.id: s for s in c.schedule.effective_stages()}
    plan = result.plan["cycle"]
    for sid, (start, end) in plan.items():
        window = stages[sid].window
        assert window is not None and window[0] <= start <= end <= window[1], sid
    assert plan["pc_election"][1] <= D("2025-12-10")
    assert plan["rc_election"][1] <= D("2026-01-31")
    assert plan["pc_election"][0] < plan["rc_election"][0]
    checks = check_schedule(c, result.communities_json())
    assert all(ch.ok for ch in checks), [ch for ch in checks if not ch.ok]
    assert result.to_json()["warnings"] == []  # 2025 and 2026 are in the package


def test_generic_deadline_binds_at_the_phase_end() -> None:
    c = scenario(generic(PHASES_2025))
    late = check_schedule(
        c,
        {
            "cycle": {
                "stages": [{"id": "pc_election", "start": "2025-12-11", "end": "2025-12-11"}],
            }
        },
    )
    t06 = next(ch for ch in late if ch.rule == "T06")
    assert not t06.ok and "2025-12-10" in t06.detail_en


def test_template_2020_is_generic_on_the_seed_phases() -> None:
    data = read_file(SCENARIOS / "nuoenjiya.yaml")
    as_generic = copy.deepcopy(dict(data))
    as_generic["schedule"] = {
        **dict(data.get("schedule") or {}),
        "template": "generic",
        "phases": SEED_PHASES,
        "deadlines": {"sc_election": "2021-03-31"},  # the seed's own date, not the supporting phase's end
    }
    seed, gen = load_scenario(SCENARIOS / "nuoenjiya.yaml"), parse_scenario(as_generic, source="<generic>")
    assert seed.schedule.effective_stages() == gen.schedule.effective_stages()
    assert seed.schedule.effective_deadlines() == gen.schedule.effective_deadlines()
    assert seed.schedule.effective_deadlines() == {
        "pc_election": D("2021-01-13"),
        "rc_election": D("2021-01-28"),
        "sc_election": D("2021-03-31"),
    }
    a, b = plan_schedule(seed, time_limit=20).to_json(), plan_schedule(gen, time_limit=20).to_json()
    for key in ("status", "communities", "warnings", "explanation"):
        assert a[key] == b[key], key


# ---------------------------------------------------------------- the 2026 Spring Festival


def test_working_stages_skip_the_2026_spring_festival_and_count_its_make_up_saturdays() -> None:
    c = scenario(generic(PHASES_FESTIVAL))
    cal = c.schedule.work_calendar()
    assert all(cal.is_rest_day(d) for d in days(D("2026-02-15"), D("2026-02-23")))
    assert cal.is_workday(D("2026-02-14")) and cal.is_workday(D("2026-02-28"))
    result = plan_schedule(c, time_limit=20)
    assert result.status == "optimal", result.explanation
    plan = result.plan["cycle"]
    # training: 3 working days from Thursday 2-12, the make-up Saturday 2-14 the third.
    assert plan["training"] == (D("2026-02-12"), D("2026-02-14"))
    # five_year_plan: 5 working days after the festival, ending on the make-up Saturday 2-28.
    assert plan["five_year_plan"] == (D("2026-02-24"), D("2026-02-28"))
    stages = {s.id: s for s in c.schedule.effective_stages()}
    festival = set(days(D("2026-02-15"), D("2026-02-23")))
    for sid, (start, end) in plan.items():
        if stages[sid].unit == "working":
            assert start not in festival and end not in festival, sid
            assert cal.working_days(start, end) == stages[sid].duration, sid
    assert all(ch.ok for ch in check_schedule(c, result.communities_json()))
    assert result.warnings == []


# ---------------------------------------------------------------- calendar files (2027)


def cycle_2027(tmp_path: Path, with_file: bool) -> Path:
    extra: dict[str, Any] = {}
    if with_file:
        (tmp_path / "calendars").mkdir()
        shutil.copy(CALENDAR_2027, tmp_path / "calendars" / "2027.yaml")
        extra["calendar"] = "calendars/2027.yaml"
    return write(tmp_path, generic(PHASES_2027, **extra))


@pytest.mark.parametrize("with_file", [True, False])
def test_2027_with_and_without_a_calendar_file(tmp_path: Path, with_file: bool) -> None:
    path = cycle_2027(tmp_path, with_file)
    c = load_scenario(path)
    assert isinstance(c, Community)
    pins = {"rc_joint_review": D("2027-02-04")}  # a Thursday, the eve of the example's Spring Festival
    result = plan_schedule(c, pins, time_limit=20, slack=False)
    assert result.status == "optimal", result.explanation
    span = result.plan["cycle"]["rc_joint_review"]
    uncovered = [w for w in result.warnings if "2027" in w.en and "calendar file" in w.en]
    if with_file:
        # 5 working days: 2-4, then the file's festival 2-5..2-12, then 2-15..2-18.
        assert span == (D("2027-02-04"), D("2027-02-18"))
        assert uncovered == []
        assert not any("2027" in w.zh and "日历" in w.zh and "不在" in w.zh for w in result.warnings)
    else:  # weekends only
        assert span == (D("2027-02-04"), D("2027-02-10"))
        assert len(uncovered) == 1 and "2027年不在官方日历数据中" in uncovered[0].zh
    assert all(ch.ok for ch in check_schedule(c, result.communities_json(), pins))
    rc, out, _ = run(tmp_path, "schedule", str(path), "--json", "--time-limit", "20")
    assert rc == 0
    warned = any("2027" in w and "calendar file" in w for w in json.loads(out)["warnings"])
    assert warned is not with_file
    rc, out, _ = run(tmp_path, "schedule", str(path), "--time-limit", "20")
    assert rc == 0 and ("2027年不在官方日历数据中" in out) is not with_file


def test_example_calendar_file_is_valid() -> None:
    data = read_file(CALENDAR_2027)
    c = scenario(generic(PHASES_2027, calendar=dict(data)))
    cal = c.schedule.work_calendar()
    assert cal.covered(2027) and not cal.covered(2028)
    assert cal.is_rest_day(D("2027-02-08")) and cal.is_workday(D("2027-02-20"))


def test_inline_calendar_and_uploads(tmp_path: Path) -> None:
    inline = generic(PHASES_2027, calendar={"holidays": ["2027-02-08"], "workdays": ["2027-02-13"]})
    c = load_scenario_text(json.dumps(inline), source="upload.json")  # no folder: inline is fine
    cal = c.schedule.work_calendar()
    assert cal.is_rest_day(D("2027-02-08")) and cal.is_workday(D("2027-02-13")) and cal.covered(2027)
    named = generic(PHASES_2027, calendar="calendars/2027.yaml")
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(json.dumps(named), source="upload.json")
    (problem,) = exc.value.issues
    assert problem.field == "calendar" and "no folder" in problem.message and problem.message_zh
    assert "inline" in problem.hint
    # An edit re-validates the dumped scenario without a folder: the file's days are kept inline.
    path = cycle_2027(tmp_path, True)
    loaded = load_scenario(path)
    again = parse_scenario(loaded.model_dump(mode="json", exclude_none=True), source="<dump>")
    assert again.schedule.work_calendar().is_rest_day(D("2027-02-08"))
    assert again.sha256() == loaded.sha256()


@pytest.mark.parametrize(
    ("calendar", "entry", "field", "words"),
    [
        ({"holidays": ["2027-02-08"], "holiday": []}, "calendars/bad.yaml", "holiday", "did you mean"),
        ({"holidays": ["2027-02-30"]}, "calendars/bad.yaml", "holidays.0", "not a real calendar date"),
        ({"workdays": ["08/02/2027"]}, "calendars/bad.yaml", "workdays.0", "YYYY-MM-DD"),
        (None, "../outside.yaml", "calendar", "outside"),
        (None, "calendars/missing.yaml", "calendar", "does not exist"),
    ],
)
def test_bad_calendar_files_are_bad_input(
    tmp_path: Path, calendar: dict | None, entry: str, field: str, words: str
) -> None:
    folder = tmp_path / "county"
    if calendar is not None:
        write(folder, calendar, "calendars/bad.yaml")
    (tmp_path / "outside.yaml").write_text("holidays: []\n", encoding="utf-8")
    path = write(folder, generic(PHASES_2027, calendar=entry))
    rc, out, err = run(folder, "schedule", str(path), "--json")
    assert rc == 2, err
    errors = json.loads(out)["errors"]
    assert any(e["field"] == field and words in e["message"] + e["hint"] for e in errors), errors
    assert all(e["message_zh"] for e in errors)


def test_subdistrict_calendar_applies_to_every_community(tmp_path: Path) -> None:
    (tmp_path / "calendars").mkdir()
    shutil.copy(CALENDAR_2027, tmp_path / "calendars" / "2027.yaml")
    write(tmp_path, generic(PHASES_2027, cid="b"), "b.yaml")
    sub = {
        "kind": "subdistrict",
        "id": "jiedao",
        "capacity": 2,
        "calendar": "calendars/2027.yaml",
        "communities": [generic(PHASES_2027, cid="a"), "b.yaml"],
    }
    path = write(tmp_path, sub, "sub.yaml")
    s = load_scenario(path)
    for c in s.communities:
        assert c.schedule.work_calendar().is_rest_day(D("2027-02-08")), c.id
    result = plan_schedule(s, time_limit=30, slack=False)
    assert result.status in ("optimal", "feasible")
    assert not any("2027" in w.en and "calendar file" in w.en for w in result.warnings)


# ---------------------------------------------------------------- bad phases


def invalid(tmp_path: Path, data: dict[str, Any]) -> list[dict[str, Any]]:
    path = write(tmp_path, data)
    rc, out, _ = run(tmp_path, "schedule", str(path), "--json")
    assert rc == 2
    errors = json.loads(out)["errors"]
    assert all(e["message"] and e["message_zh"] for e in errors)
    return errors


def test_missing_phase_is_bad_input(tmp_path: Path) -> None:
    phases = {k: v for k, v in PHASES_2025.items() if k != "party"}
    (e,) = invalid(tmp_path, generic(phases))
    assert (e["record"], e["field"]) == ("schedule", "phases.party") and "party" in e["message"]
    assert e["line"] is not None


def test_reversed_phase_is_bad_input(tmp_path: Path) -> None:
    phases = {**PHASES_2025, "party": ["2025-12-10", "2025-11-11"]}
    (e,) = invalid(tmp_path, generic(phases))
    assert (e["record"], e["field"]) == ("schedule", "phases.party")
    assert "before it starts" in e["message"] and "早于" in e["message_zh"]


def test_phase_too_short_for_its_stages_is_bad_input(tmp_path: Path) -> None:
    phases = {**PHASES_2025, "party": ["2025-11-11", "2025-11-20"]}
    (e,) = invalid(tmp_path, generic(phases))
    assert (e["record"], e["field"]) == ("schedule", "phases.party")
    assert "pc_election" in e["message"] and "10 days" in e["message"]
    # One stage longer than its phase: the phase is named too.
    phases = {**PHASES_2025, "mobilise": ["2025-11-03", "2025-11-09"]}
    errors = invalid(tmp_path, generic(phases))
    assert [e["field"] for e in errors] == ["phases.mobilise"]


def test_phases_for_template_2020_or_none_are_bad_input(tmp_path: Path) -> None:
    for template in ("2020", "none"):
        data = generic(PHASES_2025)
        data["schedule"]["template"] = template
        errors = invalid(tmp_path, data)
        assert {e["field"] for e in errors} == {f"phases.{p}" for p in PHASES_2025}
        assert all("generic" in e["hint"] for e in errors)


def test_unknown_phase_name_is_bad_input_with_a_suggestion(tmp_path: Path) -> None:
    phases = {**PHASES_2025, "partyy": PHASES_2025["party"]}
    (e,) = invalid(tmp_path, generic(phases))
    assert e["field"] == "phases.partyy" and "party" in e["hint"]


# ---------------------------------------------------------------- elections on public holidays


def test_election_on_new_years_day_warns_even_when_any_day_is_allowed() -> None:
    c = scenario(
        {
            "kind": "community",
            "id": "seed",
            "reference_date": "2020-12-10",
            "schedule": {"allowed_election_days": "any"},
        }
    )
    result = plan_schedule(c, {"pc_election": D("2021-01-01")}, time_limit=20, slack=False)
    assert result.status == "optimal"
    texts = [w.en for w in result.warnings]
    assert (
        "pc_election 党员大会选举 on 2021-01-01, an official public holiday (元旦, New Year's Day)" in texts
    )
    assert any("2021-01-01" in w.zh and "元旦" in w.zh for w in result.warnings)
    assert "元旦" in " ".join(result.to_json()["warnings"])
    # Not on a holiday: no warning.
    quiet = plan_schedule(c, {"pc_election": D("2021-01-05")}, time_limit=20, slack=False)
    assert not any("public holiday" in w.en for w in quiet.warnings)


def test_election_on_a_calendar_file_holiday_warns(tmp_path: Path) -> None:
    c = load_scenario(cycle_2027(tmp_path, True))
    result = plan_schedule(c, {"rc_election": D("2027-02-08")}, time_limit=20, slack=False)
    assert result.status == "optimal", result.explanation
    assert any(
        "rc_election" in w.en and "2027-02-08" in w.en and "public holiday" in w.en for w in result.warnings
    )


def test_seed_subdistrict_warns_of_elections_on_new_years_day() -> None:
    result = plan_schedule(load_scenario(SCENARIOS / "daqintala.yaml"), time_limit=30, slack=False)
    holiday = [w for w in result.warnings if "public holiday" in w.en]
    assert holiday and all("元旦" in w.zh for w in holiday)
