"""Rule profiles (SCENARIO.md "Rule profiles"): rule defaults, 联审 departments, legal citations and an
effective period, kept as data files that a county can copy and edit.

A profile is a YAML (or JSON) file validated as strictly as a scenario: unknown keys are bad input with
the closest known key suggested (`x_*` keys and `notes` are the user's own). The bundled profiles are
the files of planner/profiles/ (`naiman-2020`, the seed's, exactly the planner's defaults; `urban-2026`,
the law in force from 2026-01-01). A scenario names one with `profile:`; its own `rules:` override the
profile's per key (planner.scenario merges them when the scenario is validated).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from planner.issues import ScenarioError, issue
from planner.loader import parse_text, read_file
from planner.scenario import (
    DEFAULT_PROFILE,
    DEPARTMENTS_KEY,
    MAX_CITATION,
    NO_OFFICIAL_FIGURE,
    PROFILE_DIR,
    Citation,
    Community,
    Profile,
    citation_keys,
    parse_profile,
    profile_names,
)
from planner.text import Text

__all__ = [
    "DEPARTMENTS_KEY",
    "MAX_CITATION",
    "NO_OFFICIAL_FIGURE",
    "Citation",
    "Profile",
    "bundled_profiles",
    "citation_keys",
    "load_profile",
    "load_profile_text",
    "parse_profile",
    "profile_of",
    "profile_summary",
    "profile_warnings",
]


def load_profile(path: str | Path) -> Profile:
    """Read and validate a profile file."""
    path = Path(path)
    return parse_profile(read_file(path), source=str(path))


def load_profile_text(text: str | bytes, source: str = "profile.yaml") -> Profile:
    """Validate profile text (an upload, a test)."""
    return parse_profile(parse_text(text, source), source=source)


@cache
def bundled_profiles() -> dict[str, Profile]:
    """The profiles shipped in planner/profiles/, by id (each file is named after its id)."""
    found: dict[str, Profile] = {}
    for name in profile_names():
        path = PROFILE_DIR / f"{name}.yaml"
        profile = load_profile(path)
        if profile.id != name:
            raise ScenarioError(
                [
                    issue(
                        str(path),
                        f"the profile's id '{profile.id}' is not its file name '{name}'",
                        f"规则配置编号“{profile.id}”与文件名“{name}”不一致",
                        field="id",
                        hint=f"write id: {name}",
                        hint_zh=f"写作 id: {name}",
                    )
                ]
            )
        found[name] = profile
    return found


def profile_of(c: Community) -> Profile:
    """The profile in force for a community."""
    if isinstance(c.profile, Profile):  # a county's profile file, read into the scenario
        return c.profile
    return bundled_profiles()[c.profile or DEFAULT_PROFILE]


def profile_summary(c: Community) -> Text:
    """`规则配置 Profile: urban-2026 ...` for `planner check` and the app."""
    p = profile_of(c)
    return Text(
        f"规则配置：{p.id} {p.name}（{p.period().zh}）",
        f"Rule profile: {p.id} {p.title.en} ({p.period().en})",
    )


def profile_warnings(c: Community) -> list[Text]:
    """A warning when the scenario's reference date is outside its profile's effective period."""
    p = profile_of(c)
    if p.covers(c.reference_date):
        return []
    others = [q.id for q in bundled_profiles().values() if q.id != p.id and q.covers(c.reference_date)]
    advice_zh = f"；可改用 profile: {others[0]}" if others else "；请核对本地适用的规定"
    advice_en = f"; consider profile: {others[0]}" if others else "; check the rules in force locally"
    return [
        Text(
            f"基准日 {c.reference_date} 不在规则配置 {p.id} 的有效期（{p.period().zh}）内{advice_zh}",
            f"the reference date {c.reference_date} is outside the effective period of profile {p.id} "
            f"({p.period().en}){advice_en}",
        )
    ]
