"""County scenarios (kind: county): loading, the per-sub-district schedule in parallel processes (same
output for any number of processes), a minimal conflict for the whole county, and progress bars that
never reach standard output."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from helpers import SCENARIOS

from benchmarks.generate import county_data
from planner import progress
from planner.check.schedule import resolve_pins
from planner.cli import main
from planner.scenario import County, ScenarioError, load_any, load_scenario, parse_scenario
from planner.schedule import solve as schedule_solve
from planner.schedule.county import plan_county
from planner.schedule.model import ScheduleModel

EXAMPLE = SCENARIOS / "county-naiman" / "county.yaml"


def county(data: dict[str, Any]) -> County:
    scenario = parse_scenario(data, source="<test>", county=True)
    assert isinstance(scenario, County)
    return scenario


def without_timings(data: Any) -> Any:
    """JSON with wall-clock figures (seconds, wall_time) and the process count left out."""
    if isinstance(data, dict):
        return {
            k: without_timings(v)
            for k, v in data.items()
            if k not in ("seconds", "wall_time", "elapsed_s", "processes")
        }
    if isinstance(data, list):
        return [without_timings(v) for v in data]
    return data


def test_the_bundled_county_plans_every_subdistrict_on_the_concentrated_day(capsys) -> None:
    assert main(["schedule", str(EXAMPLE), "--json", "--processes", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "county" and out["status"] == "optimal"
    assert sorted(out["subdistricts"]) == ["dongcheng", "xicheng"]
    days = {
        row["start"]
        for sub in out["subdistricts"].values()
        for c in sub["communities"].values()
        for row in c["stages"]
        if row["id"] == "rc_election"
    }
    assert days == {"2021-01-16"}  # the county's 集中选举日, in both sub-districts


def test_a_county_is_refused_where_only_one_subdistrict_fits() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(EXAMPLE)  # the app's loader
    issue = info.value.issues[0]
    assert "command line" in issue.message and "命令行" in issue.message_zh
    assert isinstance(load_any(EXAMPLE), County)


def test_export_of_a_county_exits_2_with_a_bilingual_message(tmp_path, capsys) -> None:
    assert main(["export", str(EXAMPLE), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "旗县文件" in err and "a county file works with" in err and "Traceback" not in err


def test_schedule_is_the_same_with_one_and_two_processes() -> None:
    c = county(county_data(3, 3, capacity=2))
    one = plan_county(c, processes=1).to_json()
    two = plan_county(c, processes=2).to_json()
    assert one["status"] == "optimal"
    assert without_timings(one) == without_timings(two)


def test_slate_is_the_same_with_one_and_two_processes(tmp_path, capsys) -> None:
    path = tmp_path / "county.json"
    path.write_text(json.dumps(county_data(2, 2, people=20, capacity=2)), encoding="utf-8")
    outputs = []
    for n in ("1", "2"):
        assert main(["slate", str(path), "--json", "--processes", n, "--workers", "1"]) in (0, 1)
        outputs.append(without_timings(json.loads(capsys.readouterr().out)))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]["communities"]) == 4


def tight_county() -> County:
    """Two sub-districts of two communities; the second's work group serves one a day, but the
    county-wide 集中选举日 puts both its residents' elections on one day."""
    return county(county_data(2, 2, capacity=2, concentrated_day="2021-01-16", tight=1))


def without_rules(data: dict[str, Any], off: set[str]) -> dict[str, Any]:
    """The county with rules `off` disabled in every community (and the day dropped when its pin is off)."""
    data = json.loads(json.dumps(data))
    if "pin:rc_election" in off:
        data.pop("concentrated_election_day", None)
    for sub in data["subdistricts"]:
        for c in sub["communities"]:
            c.setdefault("rules", {})["disabled"] = sorted(r for r in off if not r.startswith("pin:"))
    return data


def monolithic_status(data: dict[str, Any]) -> str:
    """optimal / infeasible of the whole county, by the monolithic CP-SAT model of each sub-district
    (not the decomposition the explanation used)."""
    statuses = []
    for sub in county(data).subdistricts:
        sm = ScheduleModel(sub, resolve_pins(sub, None))
        statuses.append(schedule_solve._solve_plan(sm, schedule_solve._Clock(20), 0, 1)[0])
    return "infeasible" if "infeasible" in statuses else statuses[0]


def test_an_infeasible_county_has_a_truly_minimal_conflict(monkeypatch) -> None:
    data = county_data(2, 2, capacity=2, concentrated_day="2021-01-16", tight=1)
    result = plan_county(county(data), processes=1)
    assert result.status == "infeasible"
    assert result.explanation is not None
    conflict = result.explanation["conflict"]
    assert conflict == ["T07", "pin:rc_election"], result.explanation
    assert result.explanation["subdistrict"] == "s01"
    assert "集中选举日" in result.explanation["message_zh"]
    everything = {f"T{i:02d}" for i in range(1, 11)} | {"pin:rc_election"}
    monkeypatch.setattr(schedule_solve, "solve_decomposed", lambda *a, **k: None)
    only = without_rules(data, everything - set(conflict))  # only the conflict's rules and pins on
    assert monolithic_status(only) == "infeasible"
    for member in conflict:  # any one of them off: every sub-district has a plan
        relaxed = without_rules(data, (everything - set(conflict)) | {member})
        assert monolithic_status(relaxed) == "optimal", member


@pytest.fixture
def drawn(monkeypatch) -> io.StringIO:
    """What the commands' progress bars draw, as on a terminal, from the first moment."""
    out = io.StringIO()
    monkeypatch.setattr(progress, "DELAY", 0.0)
    real = progress.Progress

    def on_a_terminal(what: str, unit: str = "", **kw: Any) -> progress.Progress:
        return real(what, unit, enabled=True, stream=out)

    monkeypatch.setattr(progress, "Progress", on_a_terminal)
    return out


def test_progress_goes_to_stderr_and_json_stays_clean(drawn, capsys) -> None:
    assert main(["schedule", str(EXAMPLE), "--json", "--processes", "1"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["status"] == "optimal"  # nothing but the JSON on standard output
    assert "街道 sub-district" in drawn.getvalue() and "2/2" in drawn.getvalue()


def test_an_export_reports_each_community_the_schedule_and_the_files(drawn, tmp_path) -> None:
    scenario = SCENARIOS / "daqintala.yaml"  # a sub-district of five communities
    assert main(["export", str(scenario), "--out", str(tmp_path / "out"), "--documents", "schedule"]) == 0
    bar = drawn.getvalue()
    assert "导出 export" in bar and "7/7" in bar, bar  # 5 communities, the schedule, the files
    assert "日程 schedule" in bar and "文件 files" in bar


def test_solve_all_counts_its_parts() -> None:
    from planner.cli import solve_all
    from planner.scenario import load_scenario

    steps: list[tuple[int, int, str]] = []
    scenario = load_scenario(SCENARIOS / "daqintala.yaml")
    solve_all(scenario, top=1, progress=lambda done, total, name: steps.append((done, total, name)))
    ids = [c.id for c in scenario.communities]
    assert steps == [(k, 7, cid) for k, cid in enumerate(ids, start=1)] + [(6, 7, "日程 schedule")]
