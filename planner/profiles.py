"""Rule profiles (SCENARIO.md "Rule profiles"): rule defaults, 联审 departments, legal citations and an
effective period, kept as data files that a county can copy and edit.

A profile is a YAML (or JSON) file validated as strictly as a scenario: unknown keys are bad input with
the closest known key suggested (`x_*` keys and `notes` are the user's own). The bundled profiles are
the files of planner/profiles/ (`naiman-2020`, the seed's, exactly the planner's defaults; `urban-2026`,
the law in force from 2026-01-01). A scenario names one with `profile:`; its own `rules:` override the
profile's per key (planner.scenario merges them when the scenario is validated).
"""

from __future__ import annotations

from datetime import date
from difflib import get_close_matches
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import Field, StrictBool, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from planner.issues import ScenarioError, issue
from planner.loader import parse_text, read_file
from planner.rules import ALWAYS_ON, RULES
from planner.scenario import (
    DEFAULT_PROFILE,
    PROFILE_DIR,
    Community,
    Day,
    Id,
    Record,
    RuleSettings,
    Seats,
    Weights,
    _pydantic_issues,
    profile_names,
    unknown_key_issue,
)
from planner.scenario import Text as Line
from planner.text import Text

MAX_CITATION = 1000
NO_OFFICIAL_FIGURE = Text("无官方数字", "no official figure")
DEPARTMENTS_KEY = "joint_review_departments"


def citation_keys() -> list[str]:
    """What a citation may name: a rule id, a rule parameter (seats.* and weights.* too), the departments."""
    nested = [f"seats.{k}" for k in Seats.model_fields] + [f"weights.{k}" for k in Weights.model_fields]
    return [*RULES, *RuleSettings.model_fields, *nested, DEPARTMENTS_KEY]


class Citation(Record):
    """The legal source of a rule or parameter, and whether it is an official figure."""

    source: Line = Field(description="The source: statute, provincial measures, work-plan clause")
    text: str = Field("", max_length=MAX_CITATION, description="What the source says (Chinese)")
    text_en: str = Field("", max_length=MAX_CITATION, description="What the source says (English)")
    official: StrictBool = Field(description="false: no official figure (a practice or the seed's number)")

    def line(self) -> Text:
        """`source: text`, marked "no official figure" when it is not official."""
        zh = f"{self.source}：{self.text}" if self.text else self.source
        en = f"{self.source}: {self.text_en or self.text}" if (self.text_en or self.text) else self.source
        if not self.official:
            zh, en = f"【{NO_OFFICIAL_FIGURE.zh}】{zh}", f"[{NO_OFFICIAL_FIGURE.en}] {en}"
        return Text(zh, en)


class Profile(Record):
    """A rule profile file (planner/profiles/*.yaml, or a county's copy)."""

    id: Id = Field(description="The name a scenario gives in `profile:`, e.g. urban-2026")
    name: Line = Field(description="Name (Chinese)")
    name_en: Line = Field("", description="Name (English)")
    effective: tuple[Day, Day | None] = Field(description="[from, until]: until null = still in force")
    rules: RuleSettings = Field(default_factory=RuleSettings, description="Rule defaults (a partial rules:)")
    joint_review_departments: list[Line] = Field(
        default_factory=list, max_length=100, description="资格联审 departments"
    )
    citations: dict[str, Citation] = Field(
        default_factory=dict, max_length=200, description="Per rule id or parameter: its legal source"
    )

    @field_validator("citations")
    @classmethod
    def _known_citation_keys(cls, v: dict[str, Citation]) -> dict[str, Citation]:
        known = citation_keys()
        for key in v:
            if key not in known:
                close = get_close_matches(key, known, n=1, cutoff=0.6)
                raise PydanticCustomError(
                    "citation",
                    "'{key}' is neither a rule id nor a rule parameter{close}",
                    {
                        "key": key[:60],
                        "close": f"; did you mean '{close[0]}'?" if close else " (e.g. S09, min_women)",
                        "zh": f"“{key[:60]}”既不是规则编号也不是规则参数"
                        + (f"；是否应为“{close[0]}”？" if close else "（如 S09、min_women）"),
                    },
                )
        return v

    @field_validator("rules")
    @classmethod
    def _known_rule_ids(cls, v: RuleSettings) -> RuleSettings:
        for rid in v.disabled:
            if rid not in RULES or rid in ALWAYS_ON:
                close = get_close_matches(rid, list(RULES), n=1)
                raise PydanticCustomError(
                    "rule",
                    "'{rid}' cannot be switched off: {why}",
                    {
                        "rid": rid[:40],
                        "why": "it always holds"
                        if rid in ALWAYS_ON
                        else "unknown rule id" + (f" (did you mean {close[0]}?)" if close else ""),
                        "zh": f"“{rid[:40]}”不能关闭："
                        + ("该规则始终适用" if rid in ALWAYS_ON else "未知规则编号")
                        + (f"（是否应为 {close[0]}？）" if close and rid not in ALWAYS_ON else ""),
                    },
                )
        return v

    @field_validator("effective")
    @classmethod
    def _period_in_order(cls, v: tuple[date, date | None]) -> tuple[date, date | None]:
        start, until = v
        if until is not None and until < start:
            raise PydanticCustomError(
                "effective",
                "the effective period ends {until} before it starts {start}",
                {"until": str(until), "start": str(start), "zh": f"有效期结束于 {until}，早于开始 {start}"},
            )
        return v

    @property
    def title(self) -> Text:
        return Text(self.name, self.name_en or self.name)

    def covers(self, day: date) -> bool:
        start, until = self.effective
        return start <= day and (until is None or day <= until)

    def period(self) -> Text:
        start, until = self.effective
        return Text(
            f"{start} 至 {until}" if until else f"{start} 起",
            f"{start} to {until}" if until else f"from {start}",
        )

    def citation_lines(self) -> list[tuple[str, Text]]:
        """(rule id or parameter, its citation) in file order, with the 联审 departments first."""
        lines = [
            (
                DEPARTMENTS_KEY,
                Text("、".join(self.joint_review_departments), ", ".join(self.joint_review_departments)),
            )
        ]
        return lines + [(key, c.line()) for key, c in self.citations.items()]


def parse_profile(data: Any, source: str = "<profile>") -> Profile:
    """Validate parsed data as a profile; raises ScenarioError with every issue (file, field, line, hint)."""
    if not isinstance(data, dict):
        raise ScenarioError(
            [
                issue(
                    source,
                    "a profile file must hold a mapping (id, name, effective, rules, citations)",
                    "规则配置文件应为映射（id、name、effective、rules、citations 等字段）",
                    hint="start from a copy of planner/profiles/naiman-2020.yaml",
                    hint_zh="以 planner/profiles/naiman-2020.yaml 的副本为起点",
                )
            ]
        )
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        issues = _pydantic_issues(exc, data, source, model=Profile)
        for i, err in enumerate(exc.errors()):  # a citation's keys: the Citation record's, not the mapping's
            loc = tuple(err["loc"])
            if err["type"] == "extra_forbidden" and len(loc) == 3 and loc[0] == "citations":
                where = {"field": ".".join(map(str, loc)), "line": issues[i].line}
                issues[i] = unknown_key_issue(source, Citation, loc[-1], where)
        raise ScenarioError(issues) from None


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
