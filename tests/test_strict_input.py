"""Strict input beyond the corpus: the user's own keys, suggestions, numbering from 1, YAML lines, encodings,
contained sub-district files and uploads, statutory floors, families."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import SCENARIOS, community, person

from planner.report import check_report
from planner.scenario import ScenarioError, load_scenario, load_scenario_text, parse_scenario

HEAD = "kind: community\nid: t\nreference_date: 2020-12-10\n"
P01 = "  - {id: p01, gender: M, birth_date: 1980-01-01, education: college}\n"


def issues_of(text: str, source: str = "t.yaml", **kwargs) -> list:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, source, **kwargs)
    return info.value.issues


def test_user_keys_are_kept_shown_and_never_interpreted():
    text = (
        HEAD
        + "x_office: 组织办\nnotes: 第一稿\nrules: {x_why: 试算, min_women: 2}\npeople:\n"
        + "  - {id: p01, gender: M, birth_date: 1980-01-01, education: college, notes: 待核实, x_phone: '138'}\n"
    )
    c = load_scenario_text(text, "t.yaml")
    assert c.rules.min_women == 2 and c.people[0].user_fields == {"notes": "待核实", "x_phone": "138"}
    data = c.model_dump(mode="json")
    assert data["x_office"] == "组织办" and data["notes"] == "第一稿" and data["rules"]["x_why"] == "试算"
    again = parse_scenario(data)
    assert again.sha256() == c.sha256() and again.people[0].user_fields == c.people[0].user_fields
    report = check_report(c)
    assert "x_phone: 138" in report and "notes: 第一稿" in report


def test_a_misspelt_key_suggests_the_closest_one_in_both_languages():
    (issue,) = issues_of(HEAD + "people:\n" + P01.replace("}", ", disqualification: [D01]}"))
    assert issue.field == "disqualification" and "disqualifications" in issue.hint
    assert issue.record == "person #1 (id p01)" and issue.record_zh == "第1位人员（编号 p01）"
    assert "disqualifications" in issue.hint_zh and "未知字段" in issue.message_zh
    assert issue.line == 5


def test_records_are_counted_from_1_and_lines_point_at_the_field():
    text = (
        HEAD
        + "people:\n"
        + P01
        + "  - id: p02\n    gender: X\n    birth_date: 1980-01-01\n    education: college\n"
    )
    (issue,) = issues_of(text)
    assert issue.record == "person #2 (id p02)" and issue.field == "gender" and issue.line == 7
    assert "第7行" in issue.text("zh") and "line 7" in issue.text("en")


def test_relatives_are_numbered_from_1_in_messages():
    text = HEAD + "people:\n" + P01 + "relatives:\n  - {a: p01, b: p01, relation: spouse}\n"
    (issue,) = issues_of(text)
    assert issue.record.startswith("relative #1") and issue.record_zh.startswith("第1条亲属关系")


@pytest.mark.parametrize(
    "suffix, text",
    [
        (".yaml", "\ufeff" + HEAD),
        (".json", "\ufeff" + json.dumps({"kind": "community", "id": "t", "reference_date": "2020-12-10"})),
    ],
)
def test_a_utf8_byte_order_mark_is_accepted(suffix, text):
    assert load_scenario_text(text.encode("utf-8"), "t" + suffix).id == "t"


def test_dates_are_calendar_dates_in_range():
    for bad in ("0", "1607558400", "2020-02-30", "1899-12-31", "2101-01-01", "20201210"):
        issues = issues_of(HEAD.replace("2020-12-10", bad))
        assert [i.field for i in issues] == ["reference_date"], bad
    assert (
        community([person("p01", birth_date="2000-02-29", party_member=False, party_joined=None)])
        .people[0]
        .birth_date.day
        == 29
    )


def test_statutory_floors_may_be_lengthened_never_shortened():
    def stages(entry: str) -> str:
        return HEAD + "schedule:\n  stages:\n" + entry

    assert load_scenario_text(stages("    - {id: pc_publicity, duration: 7}\n"), "t.yaml")
    assert issues_of(stages("    - {id: pc_publicity, duration: 4}\n"))[0].field == "duration"
    longer = (
        "    - id: rc_election\n      after: [{stage: pc_election, rule: T05}, "
        "{stage: rc_voter_list, gap: 25, rule: T09}, {stage: rc_candidates, gap: 6, rule: T10}]\n"
    )
    assert load_scenario_text(stages(longer), "t.yaml")
    (issue,) = issues_of(stages(longer.replace("gap: 25", "gap: 19")))
    assert "T09" in issue.message and "20" in issue.message and "二十日" in issue.message_zh


def test_a_parent_must_be_older_but_equal_placeholder_dates_are_not_compared():
    rel = [{"a": "p01", "b": "p02", "relation": "parent"}]
    assert community([person("p01"), person("p02")], relatives=rel)  # both the roster's placeholder date
    community([person("p01", birth_date="1950-01-01"), person("p02", birth_date="1975-01-01")], relatives=rel)
    with pytest.raises(ScenarioError, match="14 years older"):
        community(
            [person("p01", birth_date="1970-01-01"), person("p02", birth_date="1975-01-01")], relatives=rel
        )


def test_listed_spouse_and_shared_parent_is_not_a_contradiction():
    rels = [
        {"a": "p03", "b": "p01", "relation": "parent"},
        {"a": "p03", "b": "p02", "relation": "parent"},
        {"a": "p01", "b": "p02", "relation": "spouse"},
    ]
    assert community([person("p01"), person("p02"), person("p03")], relatives=rels)


# ---------------------------------------------------------------- sub-district files


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


SUB = "kind: subdistrict\nid: s\ncapacity: 1\ncommunities: [{entries}]\n"


def test_sub_district_files_resolve_inside_its_folder_and_subfolders(tmp_path):
    write(tmp_path, "a.yaml", HEAD.replace("id: t", "id: a"))
    write(tmp_path, "more/b.yaml", HEAD.replace("id: t", "id: b"))
    sub = load_scenario(write(tmp_path, "sub.yaml", SUB.format(entries="a.yaml, more/b.yaml")))
    assert [c.id for c in sub.communities] == ["a", "b"]


def test_a_symbolic_link_out_of_the_folder_is_refused_unread(tmp_path):
    outside = write(tmp_path, "outside/secret.yaml", HEAD.replace("id: t", "id: secret_text_xyz"))
    folder = tmp_path / "sub"
    folder.mkdir()
    os.symlink(outside, folder / "link.yaml")
    issues = issues_of_file(write(folder, "sub.yaml", SUB.format(entries="link.yaml")))
    assert issues[0].field == "communities" and issues[0].record == "community #1"
    assert "secret_text_xyz" not in "".join(i.text("en") + i.text("zh") for i in issues)


def issues_of_file(path: Path) -> list:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.issues


def test_the_same_file_listed_twice_through_two_spellings_is_refused(tmp_path):
    write(tmp_path, "a.yaml", HEAD.replace("id: t", "id: a"))
    issues = issues_of_file(write(tmp_path, "sub.yaml", SUB.format(entries="a.yaml, ./sub/../a.yaml")))
    assert any("listed twice" in i.message and i.record == "community #2" for i in issues)


def test_an_upload_reads_only_the_files_uploaded_with_it(tmp_path):
    sub = SUB.format(entries="a.yaml, b.yaml").encode()
    files = {
        "a.yaml": HEAD.replace("id: t", "id: a").encode(),
        "b.yaml": HEAD.replace("id: t", "id: b").encode(),
    }
    loaded = load_scenario_text(sub, "sub.yaml", files=files)
    assert [c.id for c in loaded.communities] == ["a", "b"]
    missing = issues_of(sub, "sub.yaml", files={"a.yaml": files["a.yaml"]})
    assert [i.record for i in missing] == ["community #2"] and "uploaded" in missing[0].message
    # Never the server's disk: neither a folder nor an absolute path.
    assert "no folder" in issues_of(sub, "sub.yaml")[0].message
    absolute = SUB.format(entries=str(SCENARIOS / "nuoenjiya.yaml")).encode()
    assert issues_of(absolute, "sub.yaml", files=files)[0].field == "communities"
