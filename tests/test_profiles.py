"""Rule profiles (docs/SCENARIO.md "Rule profiles"): data files of rule defaults, 联审 departments, citations
and an effective period; a scenario names one with `profile:` and its own `rules:` override it per key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers import ROOT, SCENARIOS, community, crowd

import planner.scenario as scenario_module
from planner.edits import scenario_data
from planner.issues import ScenarioError
from planner.profiles import (
    bundled_profiles,
    citation_keys,
    load_profile,
    load_profile_text,
    profile_of,
    profile_summary,
    profile_warnings,
)
from planner.scenario import (
    DEFAULT_PROFILE,
    PROFILE_DIR,
    RuleSettings,
    load_scenario,
    load_scenario_text,
    parse_scenario,
    profile_names,
)

NAIMAN = PROFILE_DIR / "naiman-2020.yaml"


def test_the_two_bundled_profiles_load_and_validate():
    profiles = bundled_profiles()
    assert set(profiles) >= {"naiman-2020", "urban-2026"} and DEFAULT_PROFILE == "naiman-2020"
    assert set(profile_names()) == set(profiles)
    for name, profile in profiles.items():
        assert load_profile(PROFILE_DIR / f"{name}.yaml") == profile and profile.id == name
        assert profile.name and profile.name_en and profile.joint_review_departments
        assert set(profile.citations) <= set(citation_keys())
    naiman, urban = profiles["naiman-2020"], profiles["urban-2026"]
    assert naiman.rules == RuleSettings()  # the seed: exactly today's defaults
    assert naiman.joint_review_departments == ["旗委组织部", "旗民政局"]  # the work plan 四(二)1(3)
    assert naiman.effective[0].year == 2020 and naiman.effective[1] is not None
    assert str(urban.effective[0]) == "2026-01-01" and urban.effective[1] is None


def test_the_seed_profile_writes_every_parameter_so_a_county_can_copy_and_edit_it():
    text = NAIMAN.read_text(encoding="utf-8")
    for key in RuleSettings.model_fields:
        assert f"  {key}:" in text, key


def test_the_current_law_profile_cites_its_statutes_and_marks_what_has_no_official_figure():
    urban = bundled_profiles()["urban-2026"]
    assert urban.rules.on("S07") and urban.rules.on("S09") and urban.rules.min_women >= 1
    for key in ("S09", "S07", "seats.residents_committee"):
        assert urban.citations[key].official, key
    assert "城市居民委员会组织法" in urban.citations["S09"].source
    for key in ("secretary_max_age", "young_max_age", "min_young", "rc_party_share_min"):
        citation = urban.citations[key]
        assert not citation.official, key
        line = citation.line()
        assert "无官方数字" in line.zh and "no official figure" in line.en, key
        assert getattr(urban.rules, key) == getattr(RuleSettings(), key), key  # the seed's number is kept
    # 一肩挑 is permitted, not required by statute: kept on as in the seed, cited as not official
    assert urban.rules.on("S02") and not urban.citations["S02"].official


@pytest.mark.parametrize(
    ("old", "new", "field", "suggestion"),
    [
        (
            "joint_review_departments:",
            "joint_review_department:",
            "joint_review_department",
            "joint_review_departments",
        ),
        ("  min_women: 1", "  min_woman: 1", "min_woman", "min_women"),
        (
            "seats: {party_committee: 5,",
            "seats: {party_commitee: 5,",
            "seats.party_commitee",
            "party_committee",
        ),
        ("    official: false", "    offical: false", "citations.robust_list.offical", "official"),
    ],
)
def test_a_misspelt_key_in_a_profile_is_refused_naming_it_and_suggesting_the_right_one(
    tmp_path: Path, old: str, new: str, field: str, suggestion: str
):
    text = NAIMAN.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "our-county.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_profile(path)
    (found,) = [i for i in info.value.issues if "unknown key" in i.message]  # (a required key is missing too)
    assert found.file == str(path) and found.field == field
    assert suggestion in found.hint and suggestion in found.hint_zh and found.line


def test_a_profile_is_checked_like_a_scenario():
    head = "id: t\nname: 测试\neffective: [2026-01-01, null]\n"
    load_profile_text(head + "x_owner: 县委组织部\nnotes: copy of urban-2026\n")  # the user's own keys
    cases = {
        "id: t\nname: 测试\neffective: [2026-03-01, 2026-01-01]\n": ("effective", "before it starts"),
        head + "citations: {min_wmen: {source: 法, official: true}}\n": (
            "citations",
            "did you mean 'min_women'",
        ),
        head + "citations: {S09: {source: 法}}\n": ("citations.S09.official", "Field required"),
        head + "rules: {disabled: [S01]}\n": ("rules", "always holds"),
        head + "rules: {disabled: [S99]}\n": ("rules", "unknown rule id"),
        head + "rules: {min_women: one}\n": ("min_women", "integer"),
        "id: t\nname: 测试\neffective: [2026-02-30, null]\n": ("effective.0", "not a real calendar date"),
    }
    for text, (field, words) in cases.items():
        with pytest.raises(ScenarioError) as info:
            load_profile_text(text, "p.yaml")
        assert any(i.field == field and words in i.message for i in info.value.issues), (text, info.value)
    with pytest.raises(ScenarioError, match="mapping"):
        load_profile_text("- a list\n")


def test_a_scenario_without_profile_gets_exactly_todays_rules():
    c = load_scenario(SCENARIOS / "nuoenjiya.yaml")
    assert c.profile == "naiman-2020" and profile_of(c).id == "naiman-2020"
    plain = community(crowd(3))
    assert plain.profile == DEFAULT_PROFILE and plain.rules == RuleSettings()
    assert plain.rules.model_dump() == RuleSettings().model_dump()
    assert '"profile":"naiman-2020"' in plain.canonical_json()
    assert profile_warnings(c) == [] and "naiman-2020" in profile_summary(c).both()


def test_profile_urban_2026_gives_its_defaults_and_changes_the_hash():
    plain = community(crowd(3))
    urban = community(crowd(3), profile="urban-2026")
    assert urban.profile == "urban-2026" and urban.rules == bundled_profiles()["urban-2026"].rules
    assert '"profile":"urban-2026"' in urban.canonical_json() and urban.sha256() != plain.sha256()
    again = parse_scenario(scenario_data(urban))  # the app's round trip keeps the profile and the rules
    assert again.profile == "urban-2026" and again.rules == urban.rules and again.sha256() == urban.sha256()


@pytest.fixture
def county_profile(monkeypatch: pytest.MonkeyPatch) -> dict:
    """A bundled profile 'test-county' whose rules differ from the seed's (monkeypatched into the registry)."""
    rules = {
        "seats": {"party_committee": 7, "residents_committee": 7},
        "min_women": 2,
        "secretary_max_age": 55,
        "disabled": ["S12"],
        "weights": {"continuity": 3},
    }
    real_names, real_rules = scenario_module.profile_names, scenario_module._profile_rules
    monkeypatch.setattr(scenario_module, "profile_names", lambda: (*real_names(), "test-county"))
    monkeypatch.setattr(
        scenario_module, "_profile_rules", lambda name: rules if name == "test-county" else real_rules(name)
    )
    return rules


def test_scenario_rules_override_the_profiles_per_key(county_profile: dict):
    only = community(crowd(3), profile="test-county")
    r = only.rules
    assert (r.seats.party_committee, r.seats.residents_committee, r.seats.supervisory_committee) == (7, 7, 3)
    assert r.min_women == 2 and r.secretary_max_age == 55 and r.disabled == ["S12"]
    assert (r.weights.support, r.weights.preferred_source, r.weights.continuity) == (1, 5, 3)
    assert r.min_young == 1 and r.young_max_age == 35  # not in the profile: the model's defaults (the seed's)
    mine = community(
        crowd(3),
        profile="test-county",
        rules={
            "seats": {"residents_committee": 5},
            "min_women": 1,
            "weights": {"support": 2},
            "min_young": 2,
        },
    ).rules
    assert (mine.seats.party_committee, mine.seats.residents_committee, mine.seats.supervisory_committee) == (
        7,
        5,
        3,
    )
    assert (mine.weights.support, mine.weights.preferred_source, mine.weights.continuity) == (2, 5, 3)
    assert mine.min_women == 1 and mine.min_young == 2 and mine.secretary_max_age == 55
    assert mine.disabled == ["S12"]  # a key the scenario does not give stays the profile's
    assert community(crowd(3), profile="test-county", rules={"disabled": []}).rules.disabled == []


def test_a_bad_value_in_the_scenarios_own_rules_is_still_reported_at_its_line():
    text = (
        "kind: community\nid: t\nreference_date: 2026-03-01\nprofile: urban-2026\n"
        "rules:\n  seats: {party_commitee: 5}\n  min_women: -1\n"
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "t.yaml")
    found = {i.field: i for i in info.value.issues}
    assert found["seats.party_commitee"].line == 6 and "party_committee" in found["seats.party_commitee"].hint
    assert found["min_women"].line == 7


def test_an_unknown_profile_is_bad_input_listing_the_known_ones():
    text = "kind: community\nid: t\nreference_date: 2026-03-01\nprofile: urban-2025\n"
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "t.yaml")
    (found,) = info.value.issues
    assert found.field == "profile" and found.line == 4 and "urban-2025" in found.message
    assert "naiman-2020" in found.message and "urban-2026" in found.message
    assert "did you mean urban-2026" in found.message and "urban-2025" in found.message_zh
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text.replace("urban-2025", "2026"), "t.yaml")
    assert info.value.issues[0].field == "profile" and "as text" in info.value.issues[0].message


def test_a_reference_date_outside_the_profiles_period_is_a_warning_not_an_error():
    seed_in_2025 = community(crowd(3), reference_date="2025-11-01")  # parses: only a warning
    (warning,) = profile_warnings(seed_in_2025)
    assert "2025-11-01" in warning.en and "naiman-2020" in warning.en and "有效期" in warning.zh
    later = community(crowd(3), reference_date="2026-03-01")
    assert "profile: urban-2026" in profile_warnings(later)[0].en  # the profile that covers the date
    assert profile_warnings(community(crowd(3), reference_date="2026-03-01", profile="urban-2026")) == []
    assert profile_warnings(community(crowd(3), reference_date="2031-01-05", profile="urban-2026")) == []
    (early,) = profile_warnings(community(crowd(3), reference_date="2025-11-01", profile="urban-2026"))
    assert "urban-2026" in early.en and "2026-01-01" in early.zh


def test_the_profiles_ship_with_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = config["tool"]["setuptools"]["package-data"]["planner"]
    assert "profiles/*.yaml" in data
    assert all(path.suffix == ".yaml" for path in PROFILE_DIR.iterdir())


def test_the_slates_page_shows_the_profile_and_its_citations():
    import yaml
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.run()
    app.switch_page("app_pages/slates.py").run()
    assert not app.exception, [e.value for e in app.exception]
    (seed,) = [e for e in app.expander if "naiman-2020" in e.label]
    assert "旗委组织部" in " ".join(m.value for m in seed.markdown)
    assert not [w for w in app.warning if "naiman-2020" in str(w.value)]  # 2020-12-10 is in its period
    data = yaml.safe_load((SCENARIOS / "nuoenjiya.yaml").read_text(encoding="utf-8"))
    data["profile"] = "urban-2026"
    content = yaml.safe_dump(data, allow_unicode=True).encode()
    app.switch_page("app_pages/scenario.py").run()
    app.file_uploader(key="scenario_upload").set_value(("u.yaml", content, "application/x-yaml")).run()
    app.switch_page("app_pages/slates.py").run()
    assert not app.exception, [e.value for e in app.exception]
    (urban,) = [e for e in app.expander if "urban-2026" in e.label]
    assert "无官方数字" in " ".join(m.value for m in urban.markdown)
    assert [w for w in app.warning if "urban-2026" in str(w.value)]  # 2020-12-10 is before 2026-01-01


def test_planner_check_prints_the_profile_in_force():
    from planner.report import check_report
    from planner.scenario import load_scenario

    c = load_scenario(SCENARIOS / "nuoenjiya.yaml")
    assert "规则配置：naiman-2020" in check_report(c)
    assert "Rule profile: naiman-2020" in check_report(c, lang="en")
