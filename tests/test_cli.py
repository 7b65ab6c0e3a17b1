"""The `planner` command: exit statuses, bad input without tracebacks, the reports a planner reads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "nuoenjiya.yaml"
SUBDISTRICT = ROOT / "scenarios" / "daqintala.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command the way a planner does (a fresh process, no pytest capture tricks)."""
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


# Every file of scenarios/bad/ is judged through main() in tests/test_bad_corpus.py.


def test_check_prints_eligibility_and_relatives() -> None:
    result = run("check", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert "p01" in out
    assert "兄弟姐妹" in out  # the sibling pair derived through a shared parent


def test_check_subdistrict() -> None:
    result = run("check", str(SUBDISTRICT))
    assert result.returncode == 0, result.stderr


def test_missing_file_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml" in capsys.readouterr().err


def test_bad_scenario_issues_are_printed_in_chinese_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "scenarios" / "bad" / "duplicate_id.yaml")]) == 2
    err = capsys.readouterr().err
    assert "第8行" in err and "重复使用" in err  # the Chinese line: the line, the record and the message
    assert "line 8" in err and "used twice" in err  # then the same issue in English


def test_unknown_lock_and_pin_are_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slate", str(EXAMPLE), "--lock", "zz99"]) == 2
    assert "zz99" in capsys.readouterr().err
    assert main(["slate", str(EXAMPLE), "--lock", "p01=party_committee.mayor"]) == 2
    assert "mayor" in capsys.readouterr().err
    assert main(["schedule", str(EXAMPLE), "--pin", "rc_election=2021-13-40"]) == 2
    assert "2021-13-40" in capsys.readouterr().err
    assert main(["schedule", str(EXAMPLE), "--pin", "no_such_stage=2021-01-12"]) == 2


def test_slate_json_top_3_has_distinct_teams() -> None:
    result = run("slate", str(EXAMPLE), "--top", "3", "--json", "--time-limit", "20")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scenario"] == "nuoenjiya"
    assert data["status"] in ("optimal", "feasible")
    slates = data["slates"]
    assert len(slates) == 3
    teams = [
        frozenset(
            s["posts"]["party_committee"]["member"]
            + [
                s["posts"]["party_committee"][k]
                for k in ("secretary", "deputy_secretary", "discipline_inspector")
            ]
            + s["posts"]["residents_committee"]["member"]
            + [s["posts"]["residents_committee"][k] for k in ("director", "deputy_director")]
        )
        for s in slates
    ]
    assert len(set(teams)) == 3
    objectives = [s["objective"] for s in slates]
    assert objectives == sorted(objectives, reverse=True)
    assert all(check["ok"] for s in slates for check in s["checks"])


def test_slate_then_verify_round_trip(tmp_path: Path) -> None:
    result = run("slate", str(EXAMPLE), "--json", "--time-limit", "20")
    plan = tmp_path / "plan.json"
    plan.write_text(result.stdout, encoding="utf-8")
    ok = run("verify", str(EXAMPLE), str(plan))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # a hand edit that makes someone else secretary breaks one-shoulder (S02)
    data = json.loads(result.stdout)
    posts = data["slates"][0]["posts"]
    pc = posts["party_committee"]
    pc["secretary"], pc["deputy_secretary"] = pc["deputy_secretary"], pc["secretary"]
    plan.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    bad = run("verify", str(EXAMPLE), str(plan))
    assert bad.returncode == 1
    assert "S02" in bad.stdout


def test_verify_rejects_malformed_plan(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text("{not json", encoding="utf-8")
    result = run("verify", str(EXAMPLE), str(plan))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_infeasible_slate_exits_1_with_bilingual_conflict(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    variant = tmp_path / "no-women.yaml"
    # every woman excluded: S09 cannot hold
    data = __import__("yaml").safe_load(text)
    women = [p["id"] for p in data["people"] if p["gender"] == "F"]
    variant.write_text(text, encoding="utf-8")
    args = ["slate", str(variant), "--json", "--time-limit", "20"]
    for pid in women:
        args += ["--exclude", pid]
    result = run(*args)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["status"] == "infeasible"
    assert data["slates"] == []
    assert "S09" in data["explanation"]["conflict"]
    assert "女" in data["explanation"]["message"] and "wom" in data["explanation"]["message"].lower()


def test_schedule_json_inside_windows() -> None:
    result = run("schedule", str(EXAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    stages = data["communities"]["nuoenjiya"]["stages"]
    by_id = {s["id"]: s for s in stages}
    assert by_id["pc_election"]["start"] < by_id["rc_election"]["start"]
    assert by_id["rc_election"]["end"] <= "2021-01-28"
    assert all("slack_days" in s for s in stages)


def test_schedule_pin_adapts_or_explains() -> None:
    result = run("schedule", str(EXAMPLE), "--pin", "rc_election=2021-01-12", "--json")
    assert result.returncode in (0, 1)
    data = json.loads(result.stdout)
    if result.returncode == 0:
        stages = {s["id"]: s for s in data["communities"]["nuoenjiya"]["stages"]}
        assert stages["rc_election"]["start"] == "2021-01-12"
    else:
        assert data["explanation"]["conflict"]


def test_subdistrict_schedule_shows_work_group_load_within_capacity() -> None:
    result = run("schedule", str(SUBDISTRICT))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "工作组每日负荷" in out
    loads = [line.split()[1] for line in out.splitlines() if line.startswith("  20") and "/" in line]
    assert loads, out
    assert all(int(used) <= int(cap) for used, cap in (load.split("/") for load in loads))
    assert "2/2" in loads  # five communities, capacity 2: some days are full


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["slate", str(EXAMPLE), "--time-limit", "nan"], "--time-limit"),
        (["slate", str(EXAMPLE), "--time-limit", "inf"], "--time-limit"),
        (["slate", str(EXAMPLE), "--time-limit", "0"], "--time-limit"),
        (["slate", str(EXAMPLE), "--time-limit", "-1"], "--time-limit"),
        (["schedule", str(EXAMPLE), "--time-limit", "soon"], "--time-limit"),
        (["slate", str(EXAMPLE), "--workers", "0"], "--workers"),
        (["slate", str(EXAMPLE), "--workers", "65"], "--workers"),
        (["slate", str(EXAMPLE), "--workers", "two"], "--workers"),
        (["slate", str(EXAMPLE), "--seed", "-1"], "--seed"),
        (["slate", str(EXAMPLE), "--seed", str(2**31)], "--seed"),
        (["slate", str(EXAMPLE), "--top", "0"], "--top"),
        (["slate", str(EXAMPLE), "--top", "51"], "--top"),
        (["export", str(EXAMPLE), "--out", "out", "--top", "0"], "--top"),
        (["export", str(EXAMPLE), "--out", ""], "--out"),
        (["export", str(EXAMPLE), "--out", "   "], "--out"),
        (["export", str(EXAMPLE)], "--out"),
        (["app", "--port", "0"], "--port"),
        (["app", "--port", "65536"], "--port"),
    ],
)
def test_bad_option_values_exit_2_naming_the_option(
    args: list[str], option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert option in err and "命令行有误 bad command line" in err
    assert "Traceback" not in err


def test_option_messages_are_bilingual(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slate", str(EXAMPLE), "--time-limit", "nan"]) == 2
    err = capsys.readouterr().err
    assert "时间限制" in err and "time limit" in err and "'nan'" in err
    assert main(["slate", str(EXAMPLE), "--workers", "0"]) == 2
    err = capsys.readouterr().err
    assert "1到64" in err and "from 1 to 64" in err


def test_bad_option_with_json_prints_invalid_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slate", str(EXAMPLE), "--json", "--top", "99"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "invalid" and "--top" in data["errors"][0]["message"]
    assert main(["slate", str(EXAMPLE), "--json", "--no-such-option"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "invalid" and "--no-such-option" in data["errors"][0]["message"]


def test_good_option_values_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from planner import cli

    args = cli.build_parser().parse_args(
        ["slate", "x.yaml", "--time-limit", "0.5", "--workers", "64", "--seed", str(2**31 - 1), "--top", "50"]
    )
    assert (args.time_limit, args.workers, args.seed, args.top) == (0.5, 64, 2**31 - 1, 50)
    assert cli.build_parser().parse_args(["app", "--port", "65535"]).port == 65535


def test_ctrl_c_exits_130_saying_interrupted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from planner import cli

    def interrupted(path: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "load_scenario", interrupted)
    assert main(["check", str(EXAMPLE)]) == 130
    err = capsys.readouterr().err
    assert "已中断 interrupted" in err and "Traceback" not in err
