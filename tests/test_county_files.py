"""A county's own files (docs/SCENARIO.md "Rule profiles" and "Cycles: phase dates"): `profile:` may name a
copy of a bundled profile, `schedule.template` a copy of the seed's stage template, each a file inside the
scenario's folder, validated strictly and kept inline in the validated scenario."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import ROOT, SCENARIOS

from planner.cli import main
from planner.edits import apply_change, scenario_data
from planner.issues import ScenarioError
from planner.profiles import profile_of
from planner.scenario import (
    PROFILE_DIR,
    Community,
    load_scenario,
    load_scenario_text,
    parse_scenario,
    parse_template,
    read_file,
)
from planner.schedule import plan_schedule
from planner.timeline import template as tpl

NAIMAN = PROFILE_DIR / "naiman-2020.yaml"
EXAMPLE = SCENARIOS / "nuoenjiya.yaml"


def county(tmp_path: Path, *, profile: str | None = None, template: str | None = None) -> Path:
    """The example community copied into a county folder, naming its own files."""
    text = EXAMPLE.read_text(encoding="utf-8")
    if profile is not None:
        text = text.replace("kind: community\n", f"kind: community\nprofile: {profile}\n", 1)
    if template is not None:
        text += f"schedule:\n  template: {template}\n"
    path = tmp_path / "county" / "nuoenjiya.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def naiman_copy(old: str = "  min_women: 1\n", new: str = "  min_women: 2\n") -> str:
    text = NAIMAN.read_text(encoding="utf-8")
    assert text.count(old) == 1
    return text.replace(old, new)


def seed_copy(old: str = "", new: str = "") -> str:
    text = tpl.SEED_FILE.read_text(encoding="utf-8")
    if old:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


PUBLICITY = "  - id: pc_publicity\n    name: 预备人选公示\n    phases: [party]\n    duration: 5\n"


# ---------------------------------------------------------------- profile files


def test_a_county_profile_file_is_used_and_kept_inline(tmp_path: Path) -> None:
    path = county(tmp_path, profile="rules/our-county.yaml")
    write(path.parent / "rules" / "our-county.yaml", naiman_copy())
    c = load_scenario(path)
    assert isinstance(c, Community)
    assert c.rules.min_women == 2 and profile_of(c).rules.min_women == 2
    assert profile_of(c).id == "naiman-2020"  # the copy keeps its id; the content is the county's
    # a saved or edited copy re-validates without the folder; the sha covers the profile's content
    again = parse_scenario(scenario_data(c), source="<saved>")
    assert again.sha256() == c.sha256() and again.rules.min_women == 2
    bundled = load_scenario(EXAMPLE)
    assert bundled.rules.min_women == 1 and bundled.sha256() != c.sha256()
    # the scenario's own rules still override the profile's
    text = path.read_text(encoding="utf-8").replace(
        "multi_ethnic: true\n", "multi_ethnic: true\nrules:\n  min_women: 3\n"
    )
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).rules.min_women == 3


def test_a_misspelt_key_in_the_county_profile_names_the_profile_file(tmp_path: Path, capsys) -> None:
    path = county(tmp_path, profile="our-county.yaml")
    profile = write(path.parent / "our-county.yaml", naiman_copy(new="  min_womn: 2\n"))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    (found,) = err.value.issues
    assert found.file == str(profile) and "min_womn" in found.field and "min_women" in found.hint
    assert found.message_zh and found.hint_zh and found.line
    assert main(["check", str(path)]) == 2
    out = capsys.readouterr()
    shown = out.out + out.err
    assert "our-county.yaml" in shown and "min_women" in shown


@pytest.mark.parametrize("entry", ["../outside.yaml", "/etc/profile.yaml", "missing.yaml"])
def test_a_profile_file_outside_the_folder_or_missing_is_refused(tmp_path: Path, entry: str) -> None:
    write(tmp_path / "outside.yaml", naiman_copy())
    path = county(tmp_path, profile=entry)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    (found,) = err.value.issues
    assert found.file == str(path) and found.field == "profile" and found.message_zh
    assert main(["check", str(path)]) == 2


def test_an_upload_reads_the_profile_file_from_the_uploaded_files_only(tmp_path: Path) -> None:
    text = county(tmp_path, profile="our-county.yaml").read_text(encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario_text(text, source="nuoenjiya.yaml")
    (found,) = err.value.issues
    assert found.field == "profile" and "no folder" in found.message and "文件夹" in found.message_zh
    files = {"our-county.yaml": naiman_copy().encode()}
    c = load_scenario_text(text, source="nuoenjiya.yaml", files=files)
    assert isinstance(c, Community) and c.rules.min_women == 2


def test_an_inline_profile_is_validated_like_the_file() -> None:
    data = scenario_data(load_scenario(EXAMPLE))
    data["profile"] = {**read_file(NAIMAN), "effectiv": ["2020-01-01", None]}
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data, source="<saved>")
    assert any("effectiv" in i.field or "effectiv" in i.message for i in err.value.issues)


# ---------------------------------------------------------------- template files


def plan_of(c: Community) -> dict:
    result = plan_schedule(c, time_limit=30, slack=False)
    assert result.status == "optimal"
    return result.plan[c.id]


def test_the_bundled_template_file_validates_strictly() -> None:
    assert parse_template(read_file(tpl.SEED_FILE), str(tpl.SEED_FILE)) == tpl.SEED
    assert tpl.SEED.id == "seed-2020" and len(tpl.SEED.stages) == len(tpl.GENERIC) == 23
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = data["tool"]["setuptools"]["package-data"]["planner"]
    assert "timeline/templates/*.yaml" in shipped


def test_the_seed_template_from_the_data_file_equals_the_former_values() -> None:
    # the digest of GENERIC, SEED_PHASES, SEED_DEADLINES, DEADLINE_PHASES, PHASES, TEMPLATE_PHASES and
    # TEMPLATES as they were written in planner/timeline/template.py before they moved to the data file
    # (each stage's owner, 责任人, came later: it is data for the 日程安排表, not a planning value)
    assert all(s["owner"] for s in tpl.GENERIC)
    blob = json.dumps(
        {
            "generic": [{k: v for k, v in s.items() if k != "owner"} for s in tpl.GENERIC],
            "seed": tpl.SEED_PHASES,
            "dl": tpl.SEED_DEADLINES,
            "dp": tpl.DEADLINE_PHASES,
            "phases": tpl.PHASES,
            "tp": tpl.TEMPLATE_PHASES,
            "templates": tpl.TEMPLATES,
        },
        default=str,
        sort_keys=True,
        ensure_ascii=False,
    )
    assert hashlib.sha256(blob.encode()).hexdigest() == (
        "49c1a933fc8dea8866629bd97b88bde9092d3d82332126b2072bea9deba02f37"
    )
    assert all(isinstance(s["phases"], tuple) for s in tpl.GENERIC)


def test_a_copy_of_the_seed_template_plans_as_template_2020(tmp_path: Path) -> None:
    path = county(tmp_path, template="seed-copy.yaml")
    shutil.copy(tpl.SEED_FILE, path.parent / "seed-copy.yaml")
    c = load_scenario(path)
    assert c.schedule.effective_stages() == load_scenario(EXAMPLE).schedule.effective_stages()
    assert c.schedule.effective_deadlines() == load_scenario(EXAMPLE).schedule.effective_deadlines()
    assert plan_of(c) == plan_of(load_scenario(EXAMPLE))


def test_a_county_template_file_schedules_with_its_own_duration(tmp_path: Path) -> None:
    path = county(tmp_path, template="templates/our-county.yaml")
    write(
        path.parent / "templates" / "our-county.yaml",
        seed_copy(PUBLICITY, PUBLICITY.replace("duration: 5", "duration: 7")),
    )
    c = load_scenario(path)
    start, end = plan_of(c)["pc_publicity"]
    assert end - start == timedelta(days=6)  # 7 calendar days, the seed's 5 elsewhere
    start, end = plan_of(load_scenario(EXAMPLE))["pc_publicity"]
    assert end - start == timedelta(days=4)
    again = parse_scenario(scenario_data(c), source="<saved>")  # kept inline: no folder needed
    assert again.sha256() == c.sha256()
    assert {s.id: s.duration for s in again.schedule.effective_stages()}["pc_publicity"] == 7


def test_a_template_file_without_phases_takes_the_scenario_phases(tmp_path: Path) -> None:
    text = seed_copy()
    own = re.search(r"\nphases:\n(  .*\n)+", text)
    assert own is not None
    deadlines = re.search(r"\ndeadlines:\n(  .*\n)+", text)
    assert deadlines is not None
    bare = text.replace(deadlines.group(0), "\n").replace(own.group(0), "\n")
    path = county(tmp_path, template="bare.yaml")
    write(path.parent / "bare.yaml", bare)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert {i.field for i in err.value.issues} == {f"phases.{p}" for p in tpl.PHASES}
    phases = "".join(f"    {p}: [{a}, {b}]\n" for p, (a, b) in tpl.SEED_PHASES.items())
    path.write_text(path.read_text(encoding="utf-8") + f"  phases:\n{phases}", encoding="utf-8")
    c = load_scenario(path)
    assert c.schedule.phase_dates() == tpl.SEED_PHASES
    assert c.schedule.effective_deadlines()["sc_election"] == tpl.SEED_PHASES["supporting"][1]


@pytest.mark.parametrize(
    ("old", "new", "field", "hint"),
    [
        (PUBLICITY, PUBLICITY.replace("duration: 5", "duraton: 5"), "duraton", "duration"),
        ("\nstages:\n", "\nstagse: []\nstages:\n", "stagse", "stages"),
        (PUBLICITY, PUBLICITY.replace("[party]", "[partie]"), "phases.0", ""),
        (PUBLICITY, PUBLICITY.replace("duration: 5", "duration: 0"), "duration", ""),
    ],
)
def test_a_bad_template_file_is_refused_naming_the_file(
    tmp_path: Path, old: str, new: str, field: str, hint: str
) -> None:
    path = county(tmp_path, template="our-county.yaml")
    bad = write(path.parent / "our-county.yaml", seed_copy(old, new))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    (found,) = err.value.issues
    assert found.file == str(bad) and found.field == field and found.message_zh and found.line
    assert hint in found.hint
    if field != "stagse":
        assert found.record == "stage #9 (id pc_publicity)" and "pc_publicity" in found.record_zh
    assert main(["check", str(path)]) == 2


def test_a_template_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "outside.yaml", seed_copy())
    path = county(tmp_path, template="../outside.yaml")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    (found,) = err.value.issues
    assert found.file == str(path) and found.field == "template" and found.record == "schedule"
    text = path.read_text(encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario_text(text, source="nuoenjiya.yaml")  # an upload: no folder
    assert "no folder" in err.value.issues[0].message


def test_every_2020_and_2021_date_of_the_planner_lives_in_the_seed_data_files() -> None:
    allowed = {tpl.SEED_FILE, NAIMAN}
    pattern = re.compile(r"20(20|21)-\d\d-\d\d|date\(20(20|21)|D\(20(20|21)")
    found = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "planner").rglob("*")
        if p.is_file()
        and p.suffix in (".py", ".yaml")
        and p not in allowed
        and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_a_new_cycle_in_the_app_keeps_the_county_files(tmp_path: Path) -> None:
    from app_pages.schedule import cycle_change

    path = county(tmp_path, profile="our-county.yaml", template="our-template.yaml")
    write(path.parent / "our-county.yaml", naiman_copy())
    write(
        path.parent / "our-template.yaml",
        seed_copy(PUBLICITY, PUBLICITY.replace("duration: 5", "duration: 7")),
    )
    c = load_scenario(path)
    phases = {
        "mobilise": (date(2030, 10, 8), date(2030, 11, 30)),
        "party": (date(2030, 12, 2), date(2031, 1, 15)),
        "residents": (date(2030, 12, 2), date(2031, 2, 10)),
        "supporting": (date(2031, 2, 11), date(2031, 3, 10)),
        "follow_up": (date(2031, 2, 11), date(2031, 3, 31)),
    }
    moved = apply_change(c, cycle_change(c, phases))
    assert isinstance(moved, Community) and moved.rules.min_women == 2
    assert moved.schedule.template == c.schedule.template and moved.schedule.phase_dates() == phases
    assert moved.schedule.effective_deadlines()["sc_election"] == date(2031, 3, 10)
    start, end = plan_of(moved)["pc_publicity"]
    assert end - start == timedelta(days=6) and start >= date(2030, 12, 2)


def test_the_app_takes_a_community_uploaded_with_its_own_files(tmp_path: Path) -> None:
    from app_pages.common import parse_uploads

    text = county(tmp_path, profile="our-county.yaml", template="our-template.yaml").read_bytes()
    profile = naiman_copy().encode()
    template = seed_copy(PUBLICITY, PUBLICITY.replace("duration: 5", "duration: 7")).encode()
    name, c = parse_uploads(
        [("nuoenjiya.yaml", text), ("our-county.yaml", profile), ("our-template.yaml", template)]
    )
    assert name == "nuoenjiya.yaml" and isinstance(c, Community) and c.rules.min_women == 2
    assert {s.id: s.duration for s in c.schedule.effective_stages()}["pc_publicity"] == 7
    with pytest.raises(ScenarioError) as err:  # the template file not uploaded
        parse_uploads([("nuoenjiya.yaml", text), ("our-county.yaml", profile)])
    (found,) = err.value.issues
    assert found.field == "template" and "not among the uploaded files" in found.message
    with pytest.raises(ScenarioError) as err:  # two communities: which one is meant?
        parse_uploads([("a.yaml", text), ("b.yaml", text)])
    assert "恰好有一个街道文件" in err.value.issues[0].message_zh
