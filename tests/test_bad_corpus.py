"""The bad-input corpus (scenarios/bad/): every file is refused with exit 2, quickly, without a traceback,
with a message naming the file, the record and the field in English and Chinese."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import SCENARIOS

from planner.cli import main
from planner.scenario import ScenarioError, load_any, load_scenario

BAD = SCENARIOS / "bad"

# file -> (record it names (substring, "" when the file itself is the record), field (prefix), a word of the message)
EXPECTED: dict[str, tuple[str, str, str]] = {
    # strict keys, with the closest known key suggested
    "key_person_misspelt.yaml": ("person #1 (id p01)", "disqualification", "unknown key"),
    "key_top_misspelt.yaml": ("", "reference_dat", "unknown key"),
    "key_other_misspelt.yaml": ("other #1 (id x01)", "nmae", "unknown key"),
    "key_relative_misspelt.yaml": ("relative #1 (p01-p02)", "relaton", "unknown key"),
    "key_rules_misspelt.yaml": ("rules", "min_woman", "unknown key"),
    "key_seats_misspelt.yaml": ("rules", "seats.party_commitee", "unknown key"),
    "key_weights_misspelt.yaml": ("rules", "weights.suport", "unknown key"),
    "key_previous_term_misspelt.yaml": ("previous_term", "college_shares", "unknown key"),
    "key_schedule_misspelt.yaml": ("schedule", "blackouts", "unknown key"),
    "key_stage_misspelt.yaml": ("stage pc_publicity", "duraton", "unknown key"),
    "key_after_misspelt.yaml": ("stage pc_election", "after.0.gapp", "unknown key"),
    "key_subdistrict_misspelt.yaml": ("", "capcity", "unknown key"),
    "key_duplicate.yaml": ("", "", "'gender' appears twice"),
    "key_duplicate.json": ("", "", "'id' appears twice"),
    # types and bounds
    "type_list_as_id.yaml": ("person #1", "id", "valid string"),
    "type_number_as_list.yaml": ("person #1 (id p01)", "stands_for", "valid list"),
    "type_mapping_as_relative_id.yaml": ("relative #1", "a", "valid string"),
    "type_relatives_mapping.yaml": ("", "relatives", "valid list"),
    "type_support_string.yaml": ("person #1 (id p01)", "support", "valid integer"),
    "type_support_bool.yaml": ("person #1 (id p01)", "support", "valid integer"),
    "type_party_member_text.yaml": ("person #1 (id p01)", "party_member", "valid boolean"),
    "type_id_pattern.yaml": ("person #1", "id", "pattern"),
    "number_nan_ratio.yaml": ("rules", "rc_party_share_min", "finite"),
    "number_inf_weight.yaml": ("rules", "weights.support", "integer"),
    "number_huge_int.yaml": ("", "", "4300 digits"),
    "number_huge_seats.yaml": ("rules", "seats.residents_committee", "less than or equal to 15"),
    "number_negative_gap.yaml": ("stage pc_election", "after.0.gap", "greater than or equal to 0"),
    "number_zero_duration.yaml": ("stage pc_recommend", "duration", "greater than or equal to 1"),
    "number_huge_ratio.yaml": ("rules", "differential_ratio", "less than or equal to 2"),
    "number_capacity_zero.yaml": ("", "capacity", "greater than or equal to 1"),
    "number_share_above_one.yaml": ("previous_term", "college_share", "less than or equal to 1"),
    "number_nan.json": ("", "", "NaN"),
    "support_120.yaml": ("person #1 (id p01)", "support", "120"),
    # dates
    "date_zero.yaml": ("person #1 (id p01)", "birth_date", "YYYY-MM-DD (got 0)"),
    "date_unix.yaml": ("", "reference_date", "got 1607558400"),
    "date_1800.yaml": ("person #1 (id p01)", "birth_date", "outside 1900-2100"),
    "date_with_time.yaml": ("", "reference_date", "YYYY-MM-DD"),
    "date_too_old_person.yaml": ("person #1 (id p01)", "birth_date", "1890-01-01"),
    "malformed_date.yaml": ("person #1 (id p01)", "birth_date", "1980-13-45"),
    "birth_after_reference.yaml": ("person #1 (id p01)", "birth_date", "2021-01-01"),
    "party_before_18.yaml": ("person #1 (id p01)", "party_joined", "18"),
    "party_after_reference.yaml": ("person #1 (id p01)", "party_joined", "2021-01-01"),
    # records and references
    "duplicate_id.yaml": ("person #2 (id p01)", "id", "used twice"),
    "missing_gender.yaml": ("person #1 (id p01)", "gender", "required"),
    "unknown_relative.yaml": ("relative #1", "b", "p99"),
    "unknown_incumbent_post.yaml": ("person #1 (id p01)", "incumbent", "party_committee.chairman"),
    "unknown_body.yaml": ("person #1 (id p01)", "stands_for", "village_committee"),
    "disqualification_d18.yaml": ("person #1 (id p01)", "disqualifications", "D18"),
    "unknown_rule_disabled.yaml": ("rules", "disabled", "S99"),
    "s01_disabled.yaml": ("rules", "disabled", "S01"),
    "unknown_relation.yaml": ("relative #1", "relation", "cousin"),
    "unknown_ethnicity.yaml": ("person #1 (id p01)", "ethnicity", "火星族"),
    "kind_unknown.yaml": ("", "kind", "village"),
    # by-elections (补选)
    "by_election_vacant_and_held.yaml": ("person #1 (id p01)", "incumbent", "listed as vacant"),
    "by_election_no_vacancies.yaml": ("vacancies", "vacancies", "needs the vacant posts"),
    # families
    "own_ancestor.yaml": ("person", "relatives", "own ancestor"),
    "mutual_parents.yaml": ("person", "relatives", "each other's parent"),
    "three_parents.yaml": ("person p04", "relatives", "more than two parents"),
    "family_spouse_of_two.yaml": ("relatives #1, #2", "relatives", "spouse of both p02 and p03"),
    "family_parent_and_spouse.yaml": ("relatives #1, #2", "relatives", "both as parent"),
    "family_parent_younger.yaml": ("relatives #1", "relatives", "at least 14 years older"),
    "family_parent_ten_years.yaml": ("relatives #1", "relatives", "at least 14 years older"),
    "family_sibling_and_parent.yaml": ("relatives #1, #2", "relatives", "siblings"),
    "family_parent_clique.yaml": ("person q", "relatives", "kinship contradiction"),
    # stages
    "stage_precedence_cycle.yaml": (
        "stages pc_approval, pc_recommend",
        "after",
        "cycle (pc_approval -> pc_recommend",
    ),
    "stage_self_after.yaml": ("stages rc_committee", "after", "rc_committee -> rc_committee"),
    "stage_longer_than_window.yaml": ("stage pc_inspection", "duration", "has only 35"),
    "stage_missing_id.yaml": ("schedule.stages #1", "id", "needs an id"),
    "stage_listed_twice.yaml": ("schedule.stages #2", "id", "listed twice"),
    "stage_reversed_window.yaml": ("stage s1", "window", "before it starts"),
    "stage_pin_unknown.yaml": ("schedule", "pin.pc_elction", "unknown stage"),
    # statutory floors
    "floor_t03_publicity.yaml": ("stage pc_publicity", "duration", "statutory minimum"),
    "floor_t09_voter_list.yaml": ("stage rc_election", "after", "minimum of 20"),
    "floor_t10_candidates.yaml": ("stage rc_election", "after", "minimum of 5"),
    # cycles: phases, calendar files, rule profiles
    "phase_missing.yaml": ("schedule", "phases.party", "needs the phase party"),
    "phase_reversed.yaml": ("schedule", "phases.party", "before it starts"),
    "phase_too_short.yaml": ("schedule", "phases.party", "need at least 18"),
    "phase_misspelt.yaml": ("schedule", "phases.partyy", "unknown key"),
    "phase_with_template_2020.yaml": ("schedule", "phases", "template: generic"),
    "calendar_outside.yaml": ("schedule", "calendar", "absolute path"),
    "calendar_missing.yaml": ("schedule", "calendar", "does not exist"),
    "calendar_inline_misspelt.yaml": ("schedule", "calendar.holiday", "unknown key"),
    "calendar_inline_bad_date.yaml": ("schedule", "calendar.holidays", "not a real calendar date"),
    "profile_unknown.yaml": ("", "profile", "naiman-2019"),
    "county_profile_misspelt.yaml": ("rules", "min_womn", "unknown key"),
    "county_template_misspelt.yaml": ("stage #1 (id rectify)", "duraton", "unknown key"),
    "county_profile_outside.yaml": ("", "profile", "outside the folder"),
    # bounded parsing
    "parse_billion_laughs.yaml": ("", "", "alias limit"),
    "parse_recursive_alias.yaml": ("", "", "inside the node it names"),
    "parse_deep_nesting.yaml": ("", "", "limit of 40 levels"),
    "parse_deep_nesting.json": ("", "", "limit of 40 levels"),
    "parse_python_tag.yaml": ("", "", "not allowed"),
    "parse_unknown_tag.yaml": ("", "", "not allowed"),
    "parse_lone_surrogate.json": ("", "", "surrogate"),
    "parse_not_utf8.yaml": ("", "", "not UTF-8"),
    "parse_syntax.json": ("", "", "line 2"),
    "yaml_syntax.yaml": ("", "", "line 8"),
    "parse_empty.yaml": ("", "", "must hold a mapping"),
    "parse_top_level_list.yaml": ("", "", "must hold a mapping"),
    # county files (kind: county)
    "county_entry_community.yaml": ("sub-district #1", "subdistricts", "must be a sub-district"),
    "county_duplicate_community.yaml": ("community c1", "id", "is in sub-districts"),
    "county_day_mismatch.yaml": ("sub-district east", "concentrated_election_day", "the county 2021-01-16"),
    "county_empty.yaml": ("", "subdistricts", "non-empty list"),
    "county_key_misspelt.yaml": ("", "concentrated_electon_day", "unknown key"),
    # sub-district files
    "subdistrict_missing_file.yaml": ("community #1", "communities", "missing_community.yaml"),
    "sub_absolute_path.yaml": ("community #1", "communities", "absolute path"),
    "sub_dotdot.yaml": ("community #1", "communities", "outside the folder"),
    "sub_proc.yaml": ("community #1", "communities", "/proc/self/environ"),
    "sub_device.yaml": ("community #1", "communities", "/dev/zero"),
    "sub_directory.yaml": ("community #1", "communities", "folder"),
    "sub_listed_twice.yaml": ("community #2", "communities", "listed twice"),
    "sub_nested.yaml": ("community #1", "communities", "another sub-district"),
    "sub_nested_inline.yaml": ("community #1", "communities", "another sub-district"),
    "sub_empty.yaml": ("", "communities", "non-empty list"),
    "sub_null.yaml": ("", "communities", "non-empty list"),
    "sub_number_entry.yaml": ("community #1", "communities", "file name or a community mapping"),
}


def test_the_corpus_is_large_and_every_file_is_expected():
    files = {p.name for p in BAD.iterdir() if p.is_file()}
    assert files == set(EXPECTED)
    assert len(files) >= 60


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_refused_naming_record_field_and_reason(name):
    record, field, word = EXPECTED[name]
    with pytest.raises(ScenarioError) as info:
        load_any(BAD / name)  # as the command line reads files: communities, sub-districts and counties
    issues = info.value.issues
    match = [i for i in issues if record in i.record and i.field.startswith(field) and word in i.message]
    assert match, [str(i) for i in issues]
    assert all(
        Path(i.file).name == name or i.file.endswith(".yaml") for i in issues
    )  # or the county file it names
    assert all(i.message_zh and i.message_zh != i.message or not i.message.isascii() for i in issues), [
        i.model_dump() for i in issues if not i.message_zh
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_planner_check_exits_2_fast_without_traceback(name, capsys):
    start = time.perf_counter()
    code = main(["check", str(BAD / name)])
    elapsed = time.perf_counter() - start
    err = capsys.readouterr().err
    assert code == 2, err
    assert elapsed < 2.0
    assert "Traceback" not in err and "内部错误" not in err
    assert name in err


def test_no_refused_file_shows_a_byte_of_what_it_refused(capsys):
    secret = (
        Path("/etc/passwd").read_text(errors="replace").splitlines()[0]
        if Path("/etc/passwd").exists()
        else ""
    )
    for name in ("sub_absolute_path.yaml", "sub_dotdot.yaml", "sub_proc.yaml", "sub_device.yaml"):
        assert main(["check", str(BAD / name)]) == 2
        out = capsys.readouterr()
        assert not secret or secret not in out.err + out.out


def test_a_yaml_tag_never_runs(tmp_path):
    marker = Path("/tmp/planner-pwned")
    marker.unlink(missing_ok=True)
    assert main(["check", str(BAD / "parse_python_tag.yaml")]) == 2
    assert not marker.exists()


def test_the_app_picker_never_lists_the_corpus():
    from app_pages.common import bundled_files

    assert not [f for f in bundled_files() if "bad" in Path(f).parts]


def test_a_parent_clique_is_refused_in_well_under_a_second():
    start = time.perf_counter()
    with pytest.raises(ScenarioError):
        load_scenario(BAD / "family_parent_clique.yaml")
    assert time.perf_counter() - start < 1.0
