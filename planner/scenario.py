"""Scenario files (SCENARIO.md): pydantic models, loading from YAML/JSON, validation.

Glossary: a *community* scenario is one 社区 with its people and relatives; a
*sub-district* (街道) scenario lists communities that share a work group.
Every problem in a file is reported at once, each naming the file, the record,
the field, what is wrong and how to fix it (`ScenarioError`).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from difflib import get_close_matches
from fractions import Fraction
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal, get_args

import networkx as nx
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from planner.issues import Issue, ScenarioError, issue, refused
from planner.legal import FLOORS, PUBLICITY_MIN_DAYS
from planner.loader import (
    LocatedDict,
    OutsideFolder,
    contained_path,
    is_roster,
    line_of,
    parse_text,
    read_bytes,
    read_file,
)
from planner.rules import ALWAYS_ON, RULES
from planner.text import Text as Bilingual
from planner.timeline.calendar import WorkCalendar
from planner.timeline.stages import precedence_entries as _precedence_entries
from planner.timeline.template import BUILTIN_FILES as BUILTIN_TEMPLATES
from planner.timeline.template import (
    PHASES,
    TEMPLATES,
    StageTemplate,
    Template,
    names_a_file,
    on_phases,
    own_phases,
    phase_span,
    stage_phases,
    template_deadlines,
    template_label,
    template_phases,
    template_stages,
    used_phases,
)
from planner.vocab import (  # noqa: F401 (re-exported: the format's codes)
    BODIES,
    BODY_NAMES,
    CHINESE,
    DISQUALIFICATION_CODES,
    EDUCATION_LEVELS,
    ETHNICITIES,
    INCUMBENT_POSTS,
    POST_NAMES,
    POSTS,
    PREFERRED_TAGS,
    RELATIONS,
    REVIEW_RESULTS,
    TEAM_BODIES,
    Body,
    Education,
    PersonId,
    ReviewResult,
    chinese_name,
    code_of,
    ethnicity_of,
)


def _codes(kind: str) -> Any:
    """A before-validator: Chinese values (a single one or each of a list) turned into codes."""

    def convert(value: Any) -> Any:
        if isinstance(value, list):
            return [code_of(kind, v) for v in value]
        return code_of(kind, value)

    return BeforeValidator(convert)


def derived_review(records: list[DepartmentReview], departments: list[str]) -> str:
    """S05 status from per-department records: failed if any failed; passed if every department passed;
    not_submitted if nothing was submitted anywhere; pending otherwise (a department pending or missing)."""
    result = {r.department: r.result for r in records}
    results = [result.get(d) for d in departments] + [r for d, r in result.items() if d not in departments]
    if "failed" in results:
        return "failed"
    if results and all(r == "passed" for r in results):
        return "passed"
    if all(r in (None, "not_submitted") for r in results):
        return "not_submitted"
    return "pending"


def education_at_least(level: str | None, minimum: str) -> bool:
    """Whether an education level is at least `minimum` ("大专及以上" = at least college)."""
    return level is not None and EDUCATION_LEVELS.index(level) >= EDUCATION_LEVELS.index(minimum)


def full_years(born: date, on: date) -> int:
    """Age (周岁) or standing in full years on a date."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# ---------------------------------------------------------------- value types

USER_NOTES = "notes"
USER_PREFIX = "x_"
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_PEOPLE = 20_000
MAX_TEXT = 200


def is_user_key(key: Any) -> bool:
    """`x_...` keys and `notes` are the user's own: kept and shown, never interpreted."""
    return isinstance(key, str) and (key.startswith(USER_PREFIX) or key == USER_NOTES)


def _day(value: Any) -> date:
    """A real calendar date written YYYY-MM-DD (or a date object) between 1900 and 2100; never a number."""
    if isinstance(value, datetime):
        raise PydanticCustomError(
            "day", "write a date as YYYY-MM-DD, without a time", {"zh": "日期写作 YYYY-MM-DD，不带时间"}
        )
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "day",
                "'{text}' is not a real calendar date",
                {"text": value, "zh": f"“{value}”不是真实存在的日期"},
            ) from None
    if not isinstance(value, date):
        shown = repr(value) if isinstance(value, (int, float, str, bool)) else type(value).__name__
        raise PydanticCustomError(
            "day",
            "write a date as YYYY-MM-DD (got {got})",
            {"got": shown[:40], "zh": f"日期写作 YYYY-MM-DD（现为 {shown[:40]}）"},
        )
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise PydanticCustomError(
            "day",
            "{day} is outside {low}-{high}",
            {
                "day": str(value),
                "low": MIN_YEAR,
                "high": MAX_YEAR,
                "zh": f"{value} 不在 {MIN_YEAR}-{MAX_YEAR} 年之间",
            },
        )
    return value


Day = Annotated[date, BeforeValidator(_day)]
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$", max_length=64)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]


def Int(default: Any = ..., *, ge: int, le: int, description: str = "") -> Any:
    """A whole number in [ge, le] (no strings, floats or booleans)."""
    return Field(default, ge=ge, le=le, strict=True, description=description)


def Ratio(
    default: Any = ..., *, ge: float = 0, le: float = 1, lt: float | None = None, description: str = ""
) -> Any:
    """A finite number in range (an integer is fine, a string is not)."""
    if lt is not None:
        return Field(default, ge=ge, lt=lt, strict=True, description=description)
    return Field(default, ge=ge, le=le, strict=True, description=description)


class Record(BaseModel):
    """Base of every record: unknown keys are bad input; `x_*` keys and `notes` are kept as the user's own."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=False)
    _user: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _user_keys(cls, data: Any, handler: Any) -> Any:
        user: dict[str, Any] = {}
        if isinstance(data, dict):
            user = {k: v for k, v in data.items() if is_user_key(k)}
            if user:
                data = {k: v for k, v in data.items() if not is_user_key(k)}
        obj = handler(data)
        if user:
            obj._user = user
        return obj

    @model_serializer(mode="wrap")
    def _with_user_keys(self, handler: Any) -> Any:
        out = handler(self)
        if self._user and isinstance(out, dict):
            out.update(self._user)
        return out

    @property
    def user_fields(self) -> dict[str, Any]:
        """The record's `x_*` keys and `notes`, as written."""
        return dict(self._user)


# ---------------------------------------------------------------- records


class DepartmentReview(Record):
    """One department's 资格联审 reply for a person: result, date, document number (文号)."""

    department: Text = Field(description="A department of joint_review_departments, e.g. 旗委组织部")
    result: Annotated[ReviewResult, _codes("review")] = Field(
        description="passed | pending | failed | not_submitted"
    )
    date: Day | None = Field(None, description="Date of the reply")
    number: Text = Field("", description="Document number (文号)")


def known_posts(v: list[str]) -> list[str]:
    """Posts written `body.post` (incumbent, vacancies), each one of INCUMBENT_POSTS."""
    for post in v:
        if post not in INCUMBENT_POSTS:
            raise PydanticCustomError(
                "post",
                "'{post}' is not a post; use one of {posts}",
                {
                    "post": post[:60],
                    "posts": ", ".join(INCUMBENT_POSTS),
                    "zh": f"“{post[:60]}”不是职务；可用 {', '.join(INCUMBENT_POSTS)}",
                },
            )
    return v


class Person(Record):
    """A candidate (参选人) or possible candidate."""

    id: Id = Field(description="Unique id, e.g. p01 (编号)")
    name: Text = Field("", description="Name (姓名)")
    gender: Annotated[Literal["F", "M"], _codes("gender")] = Field(description="F (女) or M (男)")
    birth_date: Day = Field(description="Birth date (出生日期)")
    ethnicity: Annotated[str | None, BeforeValidator(ethnicity_of)] = Field(
        None, description="One of the 56 official names (汉 for 汉族 too); all but 汉族 are minorities"
    )
    education: Annotated[Education, _codes("education")] = Field(
        description="Highest education; college = 大专"
    )
    party_member: Annotated[StrictBool, _codes("bool")] = Field(False, description="Party member (党员)")
    party_joined: Day | None = Field(None, description="Date of joining the Party (入党时间)")
    resident_voter: Annotated[StrictBool, _codes("bool")] = Field(
        True, description="Registered resident voter (登记选民)"
    )
    incumbent: Annotated[list[str], _codes("post")] = Field(
        default_factory=list, max_length=20, description="Outgoing-term posts, e.g. party_committee.secretary"
    )
    stands_for: Annotated[list[Body] | None, _codes("body")] = Field(
        None, max_length=3, description="Bodies the person stands for (S15); absent = every body"
    )
    disqualifications: list[str] = Field(
        default_factory=list, max_length=17, description="Codes D01-D17 of 三(二)"
    )
    joint_review: Annotated[ReviewResult, _codes("review")] = Field(
        "not_submitted", description="资格联审 result (derived from joint_reviews when those are given)"
    )
    joint_reviews: list[DepartmentReview] = Field(
        default_factory=list, max_length=100, description="资格联审 per department"
    )
    waivers: Annotated[list[Literal["age", "education"]], _codes("waiver")] = Field(
        default_factory=list, max_length=2, description="Approved S06 waivers"
    )
    tags: Annotated[list[Text], _codes("tag")] = Field(
        default_factory=list, max_length=20, description="Preferred-source tags (P02)"
    )
    support: int = Int(0, ge=0, le=100, description="Survey support 0-100 (P01)")

    @field_validator("ethnicity")
    @classmethod
    def _official_ethnicity(cls, v: str | None) -> str | None:
        if v is not None and v not in ETHNICITIES:
            raise PydanticCustomError(
                "ethnicity",
                "'{v}' is not one of the 56 official ethnic group names (e.g. 汉族, 蒙古族, 回族)",
                {"v": v[:40], "zh": f"“{v[:40]}”不是56个民族的正式名称之一（如 汉族、蒙古族、回族）"},
            )
        return v

    @field_validator("incumbent")
    @classmethod
    def _known_posts(cls, v: list[str]) -> list[str]:
        return known_posts(v)

    @field_validator("disqualifications")
    @classmethod
    def _known_codes(cls, v: list[str]) -> list[str]:
        for code in v:
            if code not in DISQUALIFICATION_CODES:
                raise PydanticCustomError(
                    "code",
                    "'{code}' is not a disqualification code; use D01-D17",
                    {"code": code[:40], "zh": f"“{code[:40]}”不是不得确定为候选人情形的编号；应为 D01-D17"},
                )
        return v

    @property
    def display(self) -> str:
        return f"{self.id} {self.name}".strip()

    @property
    def is_minority(self) -> bool:
        return self.ethnicity is not None and self.ethnicity != "汉族"

    def stands(self, body: str) -> bool:
        return self.stands_for is None or body in self.stands_for

    def holds(self, body: str, post: str) -> bool:
        return f"{body}.{post}" in self.incumbent

    def preferred_tags(self) -> set[str]:
        return set(self.tags) & set(PREFERRED_TAGS)


class Other(Record):
    """Somebody who is not a candidate but links relatives (a shared parent, say)."""

    id: Id
    name: Text = ""


class Relative(Record):
    """`a` is the `relation` of `b`."""

    a: Id
    b: Id
    relation: Annotated[
        Literal["spouse", "parent", "child", "sibling", "grandparent", "grandchild"], _codes("relation")
    ]


class Seats(Record):
    party_committee: int = Int(
        5, ge=3, le=15, description="Party committee seats (secretary, deputy, inspector + members)"
    )
    residents_committee: int = Int(5, ge=2, le=15, description="Residents' committee seats (law: 5-9)")
    supervisory_committee: int = Int(3, ge=1, le=9, description="Supervisory committee seats (law: 3-5)")


class Weights(Record):
    support: int = Int(1, ge=0, le=1000, description="P01 weight per support point")
    preferred_source: int = Int(5, ge=0, le=1000, description="P02 weight per preferred-source tag")
    continuity: int = Int(0, ge=0, le=1000, description="P03 weight per incumbent team member")


class RuleSettings(Record):
    """Rule parameters: the scenario's `rules:` merged per key over its profile's (`profile:`, default
    naiman-2020, whose values are these defaults); `seats` and `weights` are merged per key too."""

    seats: Seats = Field(default_factory=Seats)
    disabled: list[str] = Field(default_factory=list, max_length=100, description="Rule ids switched off")
    min_women: int = Int(1, ge=0, le=30, description="S09 minimum number of women in the team")
    min_young: int = Int(1, ge=0, le=30, description="S08 minimum number of young team members")
    young_max_age: int = Int(35, ge=18, le=100, description="S08 young = at most this age")
    secretary_max_age: int = Int(45, ge=18, le=100, description="S06 age limit for a new secretary")
    secretary_min_party_years: int = Int(1, ge=0, le=80, description="S06 Party standing in full years")
    secretary_min_education: Education = Field("college", description="S06 minimum education")
    rc_party_share_min: float = Ratio(0.5, ge=0, lt=1, description="S11 Party share strictly above this")
    differential_ratio: float = Ratio(
        0.2, ge=0, le=2, description="S17 Party list at least ceil(seats x (1 + ratio))"
    )
    robust_list: StrictBool = Field(False, description="S18 robust differential lists")
    recusal_supervisory: StrictBool = Field(
        True, description="S07 also between the supervisory committee and the team"
    )
    weights: Weights = Field(default_factory=Weights)

    def list_size(self, body: str) -> int:
        """S17 四(二)1(1): the Party list needs ceil(seats x (1 + ratio)) on exact decimals (5 seats, 0.2 -> 6);
        the residents' list seats + 1 whatever the ratio."""
        if body == "party_committee":
            return math.ceil(self.seats.party_committee * (1 + Fraction(str(self.differential_ratio))))
        return self.seats.residents_committee + 1

    def on(self, rule_id: str) -> bool:
        """Whether a rule is in force (S18 is opt-in through `robust_list`)."""
        if rule_id in ALWAYS_ON:
            return True
        if rule_id == "S18" and not self.robust_list:
            return False
        return rule_id not in self.disabled


PROFILE_DIR = Path(__file__).with_name("profiles")  # the bundled rule profiles (planner/profiles.py)
DEFAULT_PROFILE = "naiman-2020"  # the seed's: exactly RuleSettings' defaults
NESTED_RULES = ("seats", "weights")


@cache
def profile_names() -> tuple[str, ...]:
    """Ids of the bundled rule profiles (their file names in planner/profiles/)."""
    return tuple(sorted(p.stem for p in PROFILE_DIR.glob("*.yaml")))


def names_a_profile_file(value: Any) -> bool:
    """Whether `profile:` names a county's profile file (rather than a bundled profile)."""
    return (
        isinstance(value, str)
        and value not in profile_names()
        and value.lower().endswith((".yaml", ".yml", ".json"))
    )


@cache
def _profile_rules(name: str) -> dict[str, Any]:
    """The `rules:` of a bundled profile as written (validated in full by planner.profiles)."""
    data = read_file(PROFILE_DIR / f"{name}.yaml")
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, dict):
        return {}
    return {k: v for k, v in rules.items() if not is_user_key(k)}


@cache
def _profile_departments(name: str) -> tuple[str, ...]:
    path = PROFILE_DIR / f"{name}.yaml"
    if not path.is_file():
        return ()
    data = read_file(path)
    found = data.get("joint_review_departments") if isinstance(data, dict) else None
    return tuple(str(d) for d in found) if isinstance(found, list) else ()


def profile_departments(name: str) -> list[str]:
    """The 资格联审 departments of a bundled profile ([] for an unknown name)."""
    return list(_profile_departments(name)) if name in profile_names() else []


def merge_rules(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`over`'s rules over `base`'s, per key; `seats` and `weights` per key inside them."""
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        if key in NESTED_RULES and isinstance(value, dict) and isinstance(below, dict):
            merged[key] = {**{k: v for k, v in below.items() if not is_user_key(k)}, **value}
        else:
            merged[key] = value
    return merged


# ---------------------------------------------------------------- rule profiles (planner/profiles.py)

MAX_CITATION = 1000
NO_OFFICIAL_FIGURE = Bilingual("无官方数字", "no official figure")
DEPARTMENTS_KEY = "joint_review_departments"


def citation_keys() -> list[str]:
    """What a citation may name: a rule id, a rule parameter (seats.* and weights.* too), the departments."""
    nested = [f"seats.{k}" for k in Seats.model_fields] + [f"weights.{k}" for k in Weights.model_fields]
    return [*RULES, *RuleSettings.model_fields, *nested, DEPARTMENTS_KEY]


class Citation(Record):
    """The legal source of a rule or parameter, and whether it is an official figure."""

    source: Text = Field(description="The source: statute, provincial measures, work-plan clause")
    text: str = Field("", max_length=MAX_CITATION, description="What the source says (Chinese)")
    text_en: str = Field("", max_length=MAX_CITATION, description="What the source says (English)")
    official: StrictBool = Field(description="false: no official figure (a practice or the seed's number)")

    def line(self) -> Bilingual:
        """`source: text`, marked "no official figure" when it is not official."""
        zh = f"{self.source}：{self.text}" if self.text else self.source
        en = f"{self.source}: {self.text_en or self.text}" if (self.text_en or self.text) else self.source
        if not self.official:
            zh, en = f"【{NO_OFFICIAL_FIGURE.zh}】{zh}", f"[{NO_OFFICIAL_FIGURE.en}] {en}"
        return Bilingual(zh, en)


class Profile(Record):
    """A rule profile file (planner/profiles/*.yaml, or a county's copy)."""

    id: Id = Field(description="The name a scenario gives in `profile:`, e.g. urban-2026")
    name: Text = Field(description="Name (Chinese)")
    name_en: Text = Field("", description="Name (English)")
    effective: tuple[Day, Day | None] = Field(description="[from, until]: until null = still in force")
    rules: RuleSettings = Field(default_factory=RuleSettings, description="Rule defaults (a partial rules:)")
    joint_review_departments: list[Text] = Field(
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
    def title(self) -> Bilingual:
        return Bilingual(self.name, self.name_en or self.name)

    def covers(self, day: date) -> bool:
        start, until = self.effective
        return start <= day and (until is None or day <= until)

    def period(self) -> Bilingual:
        start, until = self.effective
        return Bilingual(
            f"{start} 至 {until}" if until else f"{start} 起",
            f"{start} to {until}" if until else f"from {start}",
        )

    def citation_lines(self) -> list[tuple[str, Bilingual]]:
        """(rule id or parameter, its citation) in file order, with the 联审 departments first."""
        lines = [
            (
                DEPARTMENTS_KEY,
                Bilingual("、".join(self.joint_review_departments), ", ".join(self.joint_review_departments)),
            )
        ]
        return lines + [(key, c.line()) for key, c in self.citations.items()]


def parse_profile(data: Any, source: str = "<profile>") -> Profile:
    """Validate parsed data as a profile; raises ScenarioError with every issue (file, field, line, hint)."""
    if not isinstance(data, dict):
        raise refused(
            source,
            "a profile file must hold a mapping (id, name, effective, rules, citations)",
            "规则配置文件应为映射（id、name、effective、rules、citations 等字段）",
            hint="start from a copy of planner/profiles/naiman-2020.yaml",
            hint_zh="以 planner/profiles/naiman-2020.yaml 的副本为起点",
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


class PreviousTerm(Record):
    college_share: float | None = Ratio(None, description="S10 previous term's college share")
    rc_party_share: float | None = Ratio(None, description="S11 previous term's Party share")


class After(Record):
    stage: Id
    gap: int = Int(1, ge=0, le=366, description="Calendar days: start >= end(stage) + gap")
    rule: Literal["T02", "T05", "T09", "T10"] = "T02"


class Stage(Record):
    id: Id
    name: Text = ""
    owner: Text = Field("", description="责任人: who carries the stage out (换届工作日程安排表)")
    window: tuple[Day, Day] | None = Field(None, description="T01 window, inclusive")
    duration: int = Int(1, ge=1, le=366)
    unit: Literal["calendar", "working"] = "calendar"
    after: list[After] = Field(default_factory=list, max_length=50)
    election: StrictBool = False
    work_group: StrictBool = False
    publicity: StrictBool = False

    @field_validator("after", mode="before")
    @classmethod
    def _bare_names(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [{"stage": a} if isinstance(a, str) else a for a in v]
        return v


Span = tuple[Day, Day]


class Phases(Record):
    """The five phases of a county's work plan (SCENARIO.md "Cycles: phase dates"), each [first, last]."""

    mobilise: Span | None = Field(
        None, description="动员部署: rectify, audit, training_publicity, opinion_survey"
    )
    party: Span | None = Field(None, description="党组织选举: pc_*")
    residents: Span | None = Field(None, description="居委会选举: rc_*")
    supporting: Span | None = Field(None, description="配套组织推选: sc_election")
    follow_up: Span | None = Field(None, description="后续工作: training, five_year_plan")

    def given(self) -> dict[str, tuple[date, date]]:
        return {name: span for name in PHASES if (span := getattr(self, name)) is not None}


class CalendarDays(Record):
    """Official days off and make-up working days of a State Council notice (a calendar file, or inline)."""

    holidays: list[Day] = Field(default_factory=list, max_length=3660, description="Official days off")
    workdays: list[Day] = Field(default_factory=list, max_length=3660, description="Make-up working days")
    years: list[int] = Field(
        default_factory=list, max_length=200, description="Years covered besides those of the dates"
    )

    @field_validator("years", mode="before")
    @classmethod
    def _whole_years(cls, v: Any) -> Any:
        if isinstance(v, list):
            for y in v:
                if isinstance(y, bool) or not isinstance(y, int) or not MIN_YEAR <= y <= MAX_YEAR:
                    raise PydanticCustomError(
                        "year",
                        "a year is a whole number between {low} and {high} (got {got})",
                        {
                            "low": MIN_YEAR,
                            "high": MAX_YEAR,
                            "got": repr(y)[:40],
                            "zh": f"年份应为 {MIN_YEAR}-{MAX_YEAR} 之间的整数（现为 {repr(y)[:40]}）",
                        },
                    )
        return v

    def covered_years(self) -> set[int]:
        """The years this calendar covers: those of its dates and its `years`."""
        return {d.year for d in [*self.holidays, *self.workdays]} | set(self.years)

    def merged(self, other: CalendarDays | None) -> CalendarDays:
        """Both calendars' days (a sub-district's with a community's own), sorted, each once."""
        if other is None:
            return self
        return CalendarDays(
            holidays=sorted({*self.holidays, *other.holidays}),
            workdays=sorted({*self.workdays, *other.workdays}),
            years=sorted({*self.years, *other.years}),
        )


def _calendar_entry(v: Any) -> Any:
    """`calendar:` is a file name (read when the scenario is loaded) or an inline mapping."""
    if v is None or isinstance(v, (dict, CalendarDays)):
        return v
    raise PydanticCustomError(
        "calendar",
        "write the calendar as a file name (calendars/2027.yaml) or a mapping {holidays: [...], workdays: [...]}",
        {"zh": "calendar 应为文件名（如 calendars/2027.yaml）或映射 {holidays: [...], workdays: [...]}"},
    )


CalendarEntry = Annotated[CalendarDays | None, BeforeValidator(_calendar_entry)]


class ScheduleSettings(Record):
    template: Template = Field(
        "2020", description='"2020", "generic", "none" or a template file (relative to the scenario file)'
    )
    phases: Phases | None = Field(None, description="template generic: the work plan's five phases")
    calendar: CalendarEntry = Field(
        None, description="A calendar file (relative to the scenario file) or {holidays, workdays}"
    )
    allowed_election_days: Literal["any", "weekends", "workdays"] = "any"
    blackout: list[Day] = Field(default_factory=list, max_length=3660, description="T08 dates with no stage")
    holidays: list[Day] = Field(default_factory=list, max_length=3660, description="Extra days off")
    workdays: list[Day] = Field(
        default_factory=list, max_length=3660, description="Extra make-up working days"
    )
    pin: dict[str, Day] = Field(default_factory=dict, description="What-if: fixed stage start dates")
    deadlines: dict[str, Day] = Field(
        default_factory=dict, description="T06 deadlines (merged over defaults)"
    )
    stages: list[dict[str, Any]] = Field(
        default_factory=list, max_length=500, description="Stages added or replaced by id"
    )

    @field_validator("template", mode="before")
    @classmethod
    def _known_template(cls, v: Any) -> Any:
        if isinstance(v, (dict, StageTemplate)):  # a template file's content, read when the scenario loaded
            return v
        if names_a_file(v):
            raise PydanticCustomError(
                "template",
                "template file '{v}' is read when the scenario is loaded from its folder",
                {"v": v[:80], "zh": f"模板文件“{v[:80]}”须在从场景所在文件夹载入场景时读取"},
            )
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            raise PydanticCustomError(
                "template", 'write the template as text, e.g. "2020"', {"zh": '模板名写作文本，如 "2020"'}
            )
        v = str(v)
        if v in BUILTIN_TEMPLATES:  # a bundled template file named by a word: kept inline, like a file
            return BUILTIN_TEMPLATES[v]
        if v not in TEMPLATES:
            raise PydanticCustomError(
                "template",
                "unknown template '{v}'; use one of {names}, or a template file (.yaml)",
                {
                    "v": v[:40],
                    "names": ", ".join([*TEMPLATES, *BUILTIN_TEMPLATES]),
                    "zh": f"未知模板“{v[:40]}”；可用 {', '.join([*TEMPLATES, *BUILTIN_TEMPLATES])}，或模板文件（.yaml）",
                },
            )
        return v

    _calendar_file: str | None = PrivateAttr(None)
    # a by-election's bodies with vacancies (Community sets it): template stages of other bodies are left out
    _bodies: frozenset[str] | None = PrivateAttr(None)

    @model_validator(mode="wrap")
    @classmethod
    def _calendar_file_name(cls, data: Any, handler: Any) -> Any:
        """A calendar file name is kept aside (`calendar_file`) until the loader reads it into `calendar`."""
        name = None
        if isinstance(data, dict) and isinstance(data.get("calendar"), str):
            name = data["calendar"]
            data = {k: v for k, v in data.items() if k != "calendar"}
        obj = handler(data)
        obj._calendar_file = name
        return obj

    @property
    def calendar_file(self) -> str | None:
        """The calendar file named in the scenario, before it is read (None once read, or inline)."""
        return self._calendar_file

    def given_phases(self) -> dict[str, tuple[date, date]]:
        """The scenario's own `phases`."""
        return self.phases.given() if self.phases else {}

    def phase_dates(self) -> dict[str, tuple[date, date]]:
        """The phases in force: the template's own ("2020": the seed's; a template file's unless `phases`
        are given) or `phases` ("generic")."""
        return template_phases(self.template, self.given_phases())

    def effective_deadlines(self) -> dict[str, date]:
        return {**template_deadlines(self.template, self.given_phases()), **self.deadlines}

    def effective_stages(self) -> list[Stage]:
        """The template's stages with the scenario's stages merged over them by id (partial entries allowed)."""
        return [Stage.model_validate(s) for s in self.merged_stage_data().values()]

    def merged_stage_data(self) -> dict[str, dict[str, Any]]:
        merged: dict[str, dict[str, Any]] = {
            s["id"]: s for s in template_stages(self.template, self.given_phases(), self._bodies)
        }
        for raw in self.stages:
            sid = raw.get("id")
            merged[sid] = {**merged.get(sid, {}), **raw}
        return merged

    def calendar_days(self) -> CalendarDays | None:
        """The calendar file's (or inline calendar's) days; a file name is read when the scenario loads."""
        if self._calendar_file is not None:
            raise RuntimeError(
                f"calendar file {self._calendar_file!r} not read: load the scenario with parse_scenario"
            )
        return self.calendar

    def work_calendar(self) -> WorkCalendar:
        """The working calendar: official data, the calendar file, the scenario's holidays and workdays."""
        days = self.calendar_days()
        return WorkCalendar(
            self.holidays,
            self.workdays,
            file_holidays=days.holidays if days else (),
            file_workdays=days.workdays if days else (),
            file_years=days.covered_years() if days else (),
        )

    def calendar_key(self) -> tuple:
        """Identifies the working calendar (communities sharing it share one WorkCalendar)."""
        days = self.calendar_days()
        return (
            tuple(sorted(self.holidays)),
            tuple(sorted(self.workdays)),
            days.model_dump_json() if days else None,
        )


class Community(Record):
    """A community (社区) scenario."""

    kind: Literal["community"] = "community"
    id: str = Field(pattern=r"^[a-z0-9_-]+$", max_length=64)
    name: Text = ""
    subdistrict: Text = ""
    reference_date: Day = Field(description="Ages and Party standing are measured on this date")
    multi_ethnic: StrictBool = Field(False, description="Turns on S19")
    previous_term: PreviousTerm = Field(default_factory=PreviousTerm)
    profile: str | Profile = Field(
        DEFAULT_PROFILE,
        description="Rule profile: a bundled one's name, or a profile file (relative to the scenario file)",
    )
    rules: RuleSettings = Field(default_factory=RuleSettings)
    people: list[Person] = Field(default_factory=list, max_length=MAX_PEOPLE)
    others: list[Other] = Field(default_factory=list, max_length=MAX_PEOPLE)
    relatives: list[Relative] = Field(default_factory=list, max_length=4 * MAX_PEOPLE)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    election: Annotated[Literal["full", "by_election"], _codes("election")] = Field(
        "full", description="full: 换届 (every seat); by_election: 补选 (only the vacancies)"
    )
    vacancies: Annotated[list[str], _codes("post")] = Field(
        default_factory=list,
        max_length=60,
        description="by_election: the posts to fill, e.g. party_committee.secretary (a member post once per seat)",
    )
    joint_review_departments: list[Text] | None = Field(
        None, max_length=100, description="资格联审 departments; absent = the profile's"
    )

    @field_validator("people", "others", "relatives", mode="before")
    @classmethod
    def _none_is_empty(cls, v: Any) -> Any:
        return [] if v is None else v

    @field_validator("profile", mode="before")
    @classmethod
    def _known_profile(cls, v: Any) -> Any:
        if isinstance(v, (dict, Profile)):  # a profile file's content, read when the scenario loaded
            return v
        if names_a_profile_file(v):
            raise PydanticCustomError(
                "profile",
                "profile file '{v}' is read when the scenario is loaded from its folder",
                {"v": v[:80], "zh": f"规则配置文件“{v[:80]}”须在从场景所在文件夹载入场景时读取"},
            )
        if not isinstance(v, str):
            raise PydanticCustomError(
                "profile",
                'write the profile as text, e.g. "{default}"',
                {"default": DEFAULT_PROFILE, "zh": f'规则配置名写作文本，如 "{DEFAULT_PROFILE}"'},
            )
        names = profile_names()
        if v not in names:
            close = get_close_matches(v, names, n=1)
            raise PydanticCustomError(
                "profile",
                "unknown profile '{v}'{close}; use one of {names}, or a profile file (.yaml)",
                {
                    "v": v[:60],
                    "close": f" (did you mean {close[0]}?)" if close else "",
                    "names": ", ".join(names),
                    "zh": f"未知规则配置“{v[:60]}”"
                    + (f"（是否应为 {close[0]}？）" if close else "")
                    + f"；可用 {'、'.join(names)}，或规则配置文件（.yaml）",
                },
            )
        return v

    @model_validator(mode="before")
    @classmethod
    def _profile_defaults(cls, data: Any) -> Any:
        """The profile's rules under the scenario's own (an unknown profile is reported by its field)."""
        if not isinstance(data, dict):
            return data
        name = data.get("profile", DEFAULT_PROFILE)
        rules = data.get("rules", {})
        if not isinstance(rules, dict):
            return data
        if isinstance(name, Profile):
            base = name.rules.model_dump(mode="json", exclude_unset=True)
        elif isinstance(name, dict):  # inline (a saved copy): validated with the profile field
            own = name.get("rules")
            base = {k: v for k, v in own.items() if not is_user_key(k)} if isinstance(own, dict) else {}
        elif isinstance(name, str) and name in profile_names():
            base = _profile_rules(name)
        else:
            return data
        return {**data, "rules": merge_rules(base, rules)}

    @model_validator(mode="after")
    def _derived_reviews(self) -> Community:
        """A person's joint_review from their joint_reviews (a status written as well must agree:
        checked by parse_scenario)."""
        departments = self.departments()
        for p in self.people:
            if p.joint_reviews:
                derived = derived_review(p.joint_reviews, departments)
                if "joint_review" not in p.model_fields_set or p.joint_review == derived:
                    p.joint_review = derived  # type: ignore[assignment]
        return self

    @field_validator("vacancies")
    @classmethod
    def _known_vacancies(cls, v: list[str]) -> list[str]:
        return known_posts(v)

    @model_validator(mode="after")
    def _planned_bodies(self) -> Community:
        """A by-election plans the template stages of the bodies with vacancies only (SCENARIO.md)."""
        self.schedule._bodies = (
            frozenset(post.split(".")[0] for post in self.vacancies) if self.by_election else None
        )
        return self

    # ---- by-elections (补选): SCENARIO.md "By-elections"

    @property
    def by_election(self) -> bool:
        return self.election == "by_election"

    def sitting(self) -> dict[PersonId, dict[str, str]]:
        """By-election: each sitting member's posts, {pid: {body: post}} from `incumbent` ({} otherwise).

        The sitting members keep these posts; only the vacancies are filled."""
        if not self.by_election:
            return {}
        out: dict[PersonId, dict[str, str]] = {}
        for p in self.people:
            for entry in p.incumbent:
                body, _, post = entry.partition(".")
                out.setdefault(p.id, {}).setdefault(body, post)
        return out

    def sitting_team(self) -> set[PersonId]:
        """By-election: the sitting members of the Party or residents' committee (the 两委 team)."""
        return {pid for pid, posts in self.sitting().items() if set(posts) & set(TEAM_BODIES)}

    def vacant(self, body: str) -> list[str]:
        """By-election: the vacant posts of a body, in post order (a member post once per vacant seat)."""
        wanted = [post.split(".", 1)[1] for post in self.vacancies if post.split(".")[0] == body]
        return sorted(wanted, key=POSTS[body].index)

    def to_fill(self, body: str) -> int:
        """Seats the election fills in a body: every seat (换届), or its vacancies (补选)."""
        if self.by_election:
            return len(self.vacant(body))
        return int(getattr(self.rules.seats, body))

    def list_size(self, body: str) -> int:
        """S17 四(二)1(1): the least candidate list for the seats filled (RuleSettings.list_size for a full
        election; a by-election's list covers its vacancies the same way, none for a body without)."""
        if not self.by_election:
            return self.rules.list_size(body)
        n = self.to_fill(body)
        if n == 0:
            return 0
        if body == "party_committee":
            return math.ceil(n * (1 + Fraction(str(self.rules.differential_ratio))))
        return n + 1

    def vacancy_labels(self) -> list[tuple[str, str]]:
        """By-election: each vacant post as (Chinese, English), a member post with its count."""
        out = []
        for body in BODIES:
            vacant = self.vacant(body)
            for post in dict.fromkeys(vacant):
                n = vacant.count(post)
                zh = f"{BODY_NAMES[body][0]}{POST_NAMES[post][0]}" + (f"{n}名" if post == "member" else "")
                en = f"{BODY_NAMES[body][1]} {POST_NAMES[post][1]}" + (
                    f" x{n}" if post == "member" and n > 1 else ""
                )
                out.append((zh, en))
        return out

    def by_election_note(self) -> Bilingual | None:
        """One line saying that this is a by-election, the posts it fills and who keeps their post."""
        if not self.by_election:
            return None
        zh = "、".join(z for z, _ in self.vacancy_labels())
        en = ", ".join(e for _, e in self.vacancy_labels())
        kept = ", ".join(sorted(self.sitting()))
        return Bilingual(
            f"补选：填补空缺职务 {zh}；在任成员保留原职务（{kept or '-'}）",
            f"by-election (补选): fills the vacant {en}; the sitting members keep their posts ({kept or '-'})",
        )

    def departments(self) -> list[str]:
        """The 资格联审 departments: the scenario's own, else its profile's."""
        if self.joint_review_departments is not None:
            return list(self.joint_review_departments)
        if isinstance(self.profile, Profile):
            return list(self.profile.joint_review_departments)
        return profile_departments(self.profile)

    @property
    def person(self) -> dict[PersonId, Person]:
        return {p.id: p for p in self.people}

    def age(self, p: Person) -> int:
        return full_years(p.birth_date, self.reference_date)

    def party_years(self, p: Person) -> int | None:
        if not p.party_member or p.party_joined is None:
            return None
        return full_years(p.party_joined, self.reference_date)

    def canonical_json(self) -> str:
        """Stable text of the scenario, used for caching and the audit hash."""
        return self.model_dump_json()

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()


class Subdistrict(Record):
    """A sub-district (街道) scenario: communities sharing a work group."""

    kind: Literal["subdistrict"] = "subdistrict"
    id: str = Field(pattern=r"^[a-z0-9_-]+$", max_length=64)
    name: Text = ""
    communities: list[Community] = Field(default_factory=list)
    capacity: int = Int(
        2, ge=1, le=1000, description="T07: communities per day for work-group stages and elections"
    )
    concentrated_election_day: Day | None = Field(
        None, description="集中选举日 for every residents' election"
    )
    calendar: CalendarEntry = Field(
        None, description="A calendar file or {holidays, workdays} for every community (with their own)"
    )

    def canonical_json(self) -> str:
        return self.model_dump_json()

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()


Scenario = Community | Subdistrict


class County(Record):
    """A county (旗/县) scenario: sub-districts, each with its own work group (capacity), optionally one
    county-wide 集中选举日. Planned per sub-district (`planner schedule`, `slate`, `check`)."""

    kind: Literal["county"] = "county"
    id: str = Field(pattern=r"^[a-z0-9_-]+$", max_length=64)
    name: Text = ""
    subdistricts: list[Subdistrict] = Field(default_factory=list)
    concentrated_election_day: Day | None = Field(
        None,
        description="County-wide 集中选举日: every residents' election in every sub-district on this day",
    )

    def canonical_json(self) -> str:
        return self.model_dump_json()

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    def communities(self) -> list[Community]:
        return [c for sub in self.subdistricts for c in sub.communities]


# ---------------------------------------------------------------- loading

MAX_ISSUES = 100


def load_scenario_text(
    text: str | bytes,
    source: str = "upload.yaml",
    base_dir: Path | None = None,
    files: Mapping[str, bytes] | None = None,
) -> Scenario:
    """Validate scenario text (an upload, an edit in the app); `source` names it in messages.

    A sub-district's file entries are read from `files` (uploaded with it) when given, else inside
    `base_dir`; with neither, file entries are refused (an upload never reads the server's files)."""
    if is_roster(source):
        return _load_roster(text.encode() if isinstance(text, str) else text, source, base_dir, files)
    return parse_scenario(parse_text(text, source), source=source, base_dir=base_dir, files=files)


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a community or sub-district scenario file (YAML, JSON, or an Excel roster .xlsx /
    a .csv of its 人员 sheet)."""
    path = Path(path)
    if is_roster(str(path)):
        return _load_roster(read_bytes(path), str(path), base_dir=path.parent)
    return parse_scenario(read_file(path), source=str(path), base_dir=path.parent)


def load_any(path: str | Path) -> Scenario | County:
    """Load and validate a community, sub-district or county scenario file, or an Excel roster (the
    command line)."""
    path = Path(path)
    if is_roster(str(path)):
        return load_scenario(path)
    return parse_scenario(read_file(path), source=str(path), base_dir=path.parent, county=True)


def _roster_departments(profile: Any) -> list[str]:
    """The 联审 departments of a roster's profile (a bundled name, an inline profile, or None)."""
    if profile is None:
        return profile_departments(DEFAULT_PROFILE)
    if isinstance(profile, str):
        return profile_departments(profile)
    found = profile.get("joint_review_departments") if isinstance(profile, dict) else None
    return [str(d) for d in found] if isinstance(found, list) else []


def _load_roster(
    content: bytes, source: str, base_dir: Path | None = None, files: Mapping[str, bytes] | None = None
) -> Scenario:
    """A roster validated as a scenario; every issue names the sheet, the Excel row and the header."""
    from planner.roster import read_roster, remap  # openpyxl: only when a roster is read

    data, places = read_roster(content, source, _roster_departments)
    try:
        return parse_scenario(data, source=source, base_dir=base_dir, files=files)
    except ScenarioError as exc:
        raise ScenarioError(remap(exc.issues, places, source)) from None


def roster_of(scenario: Scenario) -> bytes:
    """The Excel roster (.xlsx bytes) of a scenario: every field, so that reading it back gives the same
    canonical scenario."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    data["kind"] = scenario.kind
    for c, raw in zip(communities(scenario), data.get("communities", [data]), strict=True):
        schedule = c.schedule.model_dump(mode="json", exclude_defaults=True)
        if schedule:
            raw["schedule"] = schedule
        else:
            raw.pop("schedule", None)
        own = _rules_beyond_profile(c)
        if own:
            raw["rules"] = own
        else:
            raw.pop("rules", None)
    from planner.roster import roster_bytes

    return roster_bytes(
        data, {c.id: c.departments() for c in communities(scenario)}, profiles=profile_names()
    )


def _rules_beyond_profile(c: Community) -> dict[str, Any]:
    """The community's rules that differ from its profile's (seats and weights per key): what its file
    has to say for the same rules in force."""
    if isinstance(c.profile, Profile):
        base = c.profile.rules.model_dump(mode="json")
    else:
        base = RuleSettings.model_validate(_profile_rules(c.profile)).model_dump(mode="json")
    out: dict[str, Any] = {}
    for key, value in c.rules.model_dump(mode="json").items():
        if key in NESTED_RULES and isinstance(value, dict):
            inner = {k: v for k, v in value.items() if base.get(key, {}).get(k) != v}
            if inner:
                out[key] = inner
        elif base.get(key) != value:
            out[key] = value
    return out


def blank_roster(profile: str = DEFAULT_PROFILE) -> bytes:
    """The blank roster (planner template), with a column per 联审 department of `profile`."""
    from planner.roster import template_bytes

    return template_bytes(profile, profile_departments(profile), profile_names())


def parse_scenario(
    data: Any,
    source: str = "<scenario>",
    base_dir: Path | None = None,
    files: Mapping[str, bytes] | None = None,
    county: bool = False,
) -> Any:
    """Validate already-parsed data (a dict) as a scenario; raises ScenarioError with every issue.

    A county (`kind: county`) is accepted only with `county=True` (the command line's check, slate and
    schedule); elsewhere it is refused with a message saying where it can be used."""
    if not isinstance(data, dict):
        raise refused(
            source,
            "the file must hold a mapping (kind, id, people, ...)",
            "文件内容应为映射（kind、id、people 等字段）",
            hint="start the file with 'kind: community' or 'kind: subdistrict'",
            hint_zh="文件以 'kind: community' 或 'kind: subdistrict' 开头",
        )
    kind = data.get("kind", "community")
    if kind == "subdistrict":
        return _capped(lambda: _parse_subdistrict(data, source, base_dir, files))
    if kind == "county" and not county:
        raise refused(
            source,
            "a county file is planned on the command line (planner check, slate or schedule), not here",
            "旗县场景文件请在命令行中使用（planner check、slate 或 schedule），此处不支持",
            field="kind",
            hint="open one of its sub-district files instead",
            hint_zh="请改为打开其中一个街道场景文件",
            line=line_of(data, "kind"),
        )
    if kind == "county":
        return _capped(lambda: _parse_county(data, source, base_dir, files))
    if kind != "community":
        shown = str(kind)[:40]
        raise refused(
            source,
            f"unknown kind '{shown}'",
            f"未知类型“{shown}”",
            field="kind",
            hint="use 'community', 'subdistrict' or 'county'",
            hint_zh="应为 community、subdistrict 或 county",
            line=line_of(data, "kind"),
        )
    return _capped(lambda: _parse_community(data, source, base_dir, files))


def _capped(parse: Any) -> Any:
    """Run a parse; a flood of issues is cut to MAX_ISSUES plus a note of how many more there are."""
    try:
        return parse()
    except ScenarioError as exc:
        if len(exc.issues) <= MAX_ISSUES:
            raise
        more = len(exc.issues) - MAX_ISSUES
        raise ScenarioError(
            [
                *exc.issues[:MAX_ISSUES],
                issue(exc.issues[0].file, f"... and {more} more issues", f"……另有 {more} 处问题"),
            ]
        ) from None


def _parse_subdistrict(
    data: dict, source: str, base_dir: Path | None, files: Mapping[str, bytes] | None
) -> Subdistrict:
    issues: list[Issue] = []
    communities: list[Community] = []
    entries = data.get("communities")
    where = {"field": "communities", "line": line_of(data, "communities")}
    if not isinstance(entries, list) or not entries:
        issues.append(
            issue(
                source,
                "must be a non-empty list of community files or communities",
                "应为非空列表，列出社区文件或社区",
                hint="write communities: [a.yaml, b.yaml]",
                hint_zh="写作 communities: [a.yaml, b.yaml]",
                **where,
            )
        )
        entries = []
    seen: dict[str, int] = {}
    shared: CalendarDays | None = None
    try:
        shared = _resolve_calendar(
            data.get("calendar"),
            source,
            base_dir,
            files,
            {"field": "calendar", "line": line_of(data, "calendar")},
        )
    except ScenarioError as exc:
        issues.extend(exc.issues)
    for i, entry in enumerate(entries):
        rec = {"record": f"community #{i + 1}", "record_zh": f"第{i + 1}个社区", **where}
        try:
            if isinstance(entry, str):
                key, child_data = _read_named_file(
                    entry, "community", "社区", source, base_dir, files, rec, inline=True
                )
                child_source = key
                child_dir = Path(key).parent if files is None else base_dir
                if key in seen:
                    issues.append(
                        issue(
                            source,
                            f"'{entry}' is listed twice (also community #{seen[key]})",
                            f"“{entry}”重复列出（另见第{seen[key]}个社区）",
                            hint="list each community file once",
                            hint_zh="每个社区文件只列一次",
                            **rec,
                        )
                    )
                    continue
                seen[key] = i + 1
            elif isinstance(entry, dict):
                child_source, child_data, child_dir = source, entry, base_dir
            else:
                issues.append(
                    issue(source, "must be a file name or a community mapping", "应为文件名或社区映射", **rec)
                )
                continue
            if isinstance(child_data, dict) and child_data.get("kind") == "subdistrict":
                issues.append(
                    issue(
                        source,
                        "a sub-district cannot contain another sub-district",
                        "街道场景中不能嵌套另一个街道",
                        hint="list community files only",
                        hint_zh="只列社区文件",
                        **rec,
                    )
                )
                continue
            try:
                communities.append(_parse_community(child_data, child_source, child_dir, files, shared))
            except ScenarioError as exc:
                if child_source == source:  # inline: say which community the record belongs to
                    for x in exc.issues:
                        x.record = f"{rec['record']}, {x.record}".rstrip(", ")
                        x.record_zh = f"{rec['record_zh']}，{x.record_zh or x.record}".rstrip("，")
                raise
        except ScenarioError as exc:
            issues.extend(exc.issues)
    ids = [c.id for c in communities]
    for dup in sorted({x for x in ids if ids.count(x) > 1}):
        issues.append(
            issue(
                source,
                f"community id '{dup}' appears more than once",
                f"社区编号“{dup}”重复",
                record=f"community {dup}",
                record_zh=f"社区 {dup}",
                field="id",
                hint="give each community its own id",
                hint_zh="每个社区使用不同的编号",
            )
        )
    body = {k: v for k, v in data.items() if k not in ("communities", "calendar")}
    sub: Subdistrict | None = None
    try:
        sub = Subdistrict.model_validate({**body, "communities": []})
    except ValidationError as exc:
        issues.extend(_pydantic_issues(exc, data, source, model=Subdistrict))
    if issues:
        raise ScenarioError(issues)
    assert sub is not None
    sub.communities = communities
    sub.calendar = shared
    return sub


def _parse_county(
    data: dict, source: str, base_dir: Path | None, files: Mapping[str, bytes] | None
) -> County:
    """A county: sub-district files (or inline sub-districts), each validated as a sub-district; ids of
    sub-districts and of communities unique county-wide; a sub-district's own 集中选举日 must agree
    with the county's."""
    issues: list[Issue] = []
    subs: list[tuple[Subdistrict, str]] = []
    entries = data.get("subdistricts")
    where = {"field": "subdistricts", "line": line_of(data, "subdistricts")}
    if not isinstance(entries, list) or not entries:
        issues.append(
            issue(
                source,
                "must be a non-empty list of sub-district files or sub-districts",
                "应为非空列表，列出街道场景文件或街道",
                hint="write subdistricts: [east.yaml, west.yaml]",
                hint_zh="写作 subdistricts: [east.yaml, west.yaml]",
                **where,
            )
        )
        entries = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        rec = {"record": f"sub-district #{i + 1}", "record_zh": f"第{i + 1}个街道", **where}
        try:
            if isinstance(entry, str):
                key, child = _read_named_file(
                    entry, "sub-district", "街道", source, base_dir, files, rec, inline=True
                )
                child_source, child_dir = key, (Path(key).parent if files is None else base_dir)
                if key in seen:
                    issues.append(
                        issue(
                            source,
                            f"'{entry}' is listed twice (also sub-district #{seen[key]})",
                            f"“{entry}”重复列出（另见第{seen[key]}个街道）",
                            hint="list each sub-district file once",
                            hint_zh="每个街道场景文件只列一次",
                            **rec,
                        )
                    )
                    continue
                seen[key] = i + 1
            elif isinstance(entry, dict):
                child, child_source, child_dir = entry, source, base_dir
            else:
                issues.append(
                    issue(
                        source, "must be a file name or a sub-district mapping", "应为文件名或街道映射", **rec
                    )
                )
                continue
            if not isinstance(child, dict) or child.get("kind") != "subdistrict":
                got = child.get("kind", "community") if isinstance(child, dict) else type(child).__name__
                issues.append(
                    issue(
                        source,
                        f"must be a sub-district (kind: subdistrict), not {str(got)[:40]}",
                        f"应为街道（kind: subdistrict），而不是 {str(got)[:40]}",
                        hint="list sub-district files; each lists its communities",
                        hint_zh="列出街道场景文件，由街道文件列出其社区",
                        **rec,
                    )
                )
                continue
            subs.append((_parse_subdistrict(child, child_source, child_dir, files), child_source))
        except ScenarioError as exc:
            issues.extend(exc.issues)
    body = {k: v for k, v in data.items() if k != "subdistricts"}
    county: County | None = None
    try:
        county = County.model_validate({**body, "subdistricts": []})
    except ValidationError as exc:
        issues.extend(_pydantic_issues(exc, data, source, model=County))
    sub_ids: dict[str, int] = {}
    owner: dict[str, str] = {}
    for n, (sub, _src) in enumerate(subs):
        if sub.id in sub_ids:
            issues.append(
                issue(
                    source,
                    f"sub-district id '{sub.id}' appears more than once",
                    f"街道编号“{sub.id}”重复",
                    record=f"sub-district {sub.id}",
                    record_zh=f"街道 {sub.id}",
                    field="id",
                    hint="give each sub-district its own id",
                    hint_zh="每个街道使用不同的编号",
                )
            )
        sub_ids.setdefault(sub.id, n)
        for c in sub.communities:
            if c.id in owner and owner[c.id] != sub.id:
                issues.append(
                    issue(
                        source,
                        f"community id '{c.id}' is in sub-districts '{owner[c.id]}' and '{sub.id}'",
                        f"社区编号“{c.id}”同时出现在街道“{owner[c.id]}”和“{sub.id}”中",
                        record=f"community {c.id}",
                        record_zh=f"社区 {c.id}",
                        field="id",
                        hint="community ids are unique county-wide (pins name them)",
                        hint_zh="社区编号在全旗县范围内须唯一（钉住日期按编号指定社区）",
                    )
                )
            owner.setdefault(c.id, sub.id)
        day = county.concentrated_election_day if county else None
        if day is not None and sub.concentrated_election_day not in (None, day):
            issues.append(
                issue(
                    source,
                    f"sub-district '{sub.id}' has 集中选举日 {sub.concentrated_election_day}, the county {day}",
                    f"街道“{sub.id}”的集中选举日为 {sub.concentrated_election_day}，与旗县的 {day} 不一致",
                    record=f"sub-district {sub.id}",
                    record_zh=f"街道 {sub.id}",
                    field="concentrated_election_day",
                    hint="give the day once, in the county file",
                    hint_zh="只在旗县文件中写一次集中选举日",
                )
            )
    if issues:
        raise ScenarioError(issues)
    assert county is not None
    for sub, _src in subs:
        if county.concentrated_election_day is not None:
            sub.concentrated_election_day = county.concentrated_election_day
    county.subdistricts = [sub for sub, _src in subs]
    return county


def _parse_community(
    data: Any,
    source: str,
    base_dir: Path | None = None,
    files: Mapping[str, bytes] | None = None,
    shared: CalendarDays | None = None,
) -> Community:
    """A community; its calendar file is read inside `base_dir` (or from `files`) and the
    sub-district's calendar `shared` merged with it."""
    if not isinstance(data, dict):
        raise ScenarioError([issue(source, "a community must be a mapping", "社区应为映射（键: 值）")])
    issues: list[Issue] = []
    community: Community | None = None
    data = _with_county_files(data, source, base_dir, files, issues)
    try:
        community = Community.model_validate(data)
    except ValidationError as exc:
        issues.extend(_pydantic_issues(exc, data, source))
    if community is not None:
        try:
            own = _resolve_calendar(
                community.schedule.calendar_file or community.schedule.calendar,
                source,
                base_dir,
                files,
                {
                    "record": "schedule",
                    "record_zh": "schedule",
                    "field": "calendar",
                    "line": _line_at(data, ("schedule", "calendar")),
                },
            )
            community.schedule.calendar = shared.merged(own) if shared else own
            community.schedule._calendar_file = None
        except ScenarioError as exc:
            issues.extend(exc.issues)
    issues.extend(_reference_issues(data, source))
    issues.extend(_family_issues(data, source))
    if community is not None:
        issues.extend(_date_issues(community, data, source))
        issues.extend(_review_issues(community, data, source))
        issues.extend(_by_election_issues(community, data, source))
        issues.extend(_schedule_issues(community, data, source))
    if issues:
        raise ScenarioError(issues)
    assert community is not None
    return community


def _replaced(mapping: dict, key: str, value: Any) -> dict:
    """A copy of a parsed mapping with `key` set to `value`; a YAML mapping keeps its lines."""
    out = LocatedDict(mapping)
    if isinstance(mapping, LocatedDict):
        out.line, out.key_lines = mapping.line, dict(mapping.key_lines)
    out[key] = value
    return out


def _with_county_files(
    data: dict, source: str, base_dir: Path | None, files: Mapping[str, bytes] | None, issues: list[Issue]
) -> dict:
    """A county's own profile file (`profile:`) and template file (`schedule.template`), read inside the
    scenario's folder (or from `files`) and validated strictly, replaced by their content: the validated
    scenario holds them inline, so its copies re-validate without the folder and its sha covers them.
    A file's issues name the file; the entry is then dropped (its issues are already reported)."""
    entry = data.get("profile")
    if names_a_profile_file(entry):
        where = {"field": "profile", "line": line_of(data, "profile")}
        try:
            name, content = _read_named_file(entry, "profile", "规则配置", source, base_dir, files, where)
            data = _replaced(data, "profile", parse_profile(content, source=name))
        except ScenarioError as exc:
            issues.extend(exc.issues)
            data = {k: v for k, v in data.items() if k != "profile"}
    schedule = data.get("schedule")
    entry = schedule.get("template") if isinstance(schedule, dict) else None
    if isinstance(schedule, dict) and names_a_file(entry):
        where = {
            "record": "schedule",
            "record_zh": "schedule",
            "field": "template",
            "line": _line_at(data, ("schedule", "template")),
        }
        try:
            name, content = _read_named_file(entry, "template", "环节模板", source, base_dir, files, where)
            schedule = _replaced(schedule, "template", parse_template(content, source=name))
        except ScenarioError as exc:
            issues.extend(exc.issues)
            schedule = {k: v for k, v in schedule.items() if k != "template"}
        data = _replaced(data, "schedule", schedule)
    return data


def _read_named_file(
    entry: str,
    what: str,
    what_zh: str,
    source: str,
    base_dir: Path | None,
    files: Mapping[str, bytes] | None,
    where: dict[str, Any],
    inline: bool = False,
) -> tuple[str, Any]:
    """A file named in a scenario: from the uploaded `files`, else inside `base_dir` (the scenario's
    folder); (its name, its parsed data). Raises ScenarioError naming the scenario's field. `inline`:
    the content may also be written inline (calendars, communities), which the hint then says."""
    shown = entry[:80]
    if files is not None:
        pure = PurePosixPath(entry.replace("\\", "/"))
        key = str(pure) if str(pure) in files else pure.name
        if pure.is_absolute() or ".." in pure.parts or key not in files:
            raise refused(
                source,
                f"{what} file '{shown}' is not among the uploaded files",
                f"上传的文件中没有{what_zh}文件“{shown}”",
                hint=f"upload the {what} file with the scenario",
                hint_zh=f"与场景文件一同上传{what_zh}文件",
                **where,
            )
        return key, parse_text(files[key], key)
    if base_dir is None:
        raise refused(
            source,
            f"{what} '{shown}' names a file, but this scenario has no folder to read it from",
            f"{what}“{shown}”是文件名，但此场景没有可读取的文件夹",
            hint=f"upload the {what} file with the scenario, or load the scenario from its folder"
            + (f", or write the {what} inline" if inline else ""),
            hint_zh=f"与场景文件一同上传{what_zh}文件，或从场景所在文件夹载入"
            + (f"，或直接写入{what_zh}内容" if inline else ""),
            **where,
        )
    try:
        path = contained_path(base_dir, entry)
    except OutsideFolder as exc:
        raise refused(
            source,
            exc.message_en,
            exc.message_zh,
            hint=f"give a {what} file inside the scenario file's folder",
            hint_zh=f"{what_zh}文件应位于场景文件所在文件夹（或其子文件夹）中",
            **where,
        ) from None
    return str(path), read_file(path)


def parse_template(data: Any, source: str = "<template>") -> StageTemplate:
    """Validate parsed data as a stage template file; raises ScenarioError naming the file, the stage
    and the field (unknown keys with the closest known key)."""
    if not isinstance(data, dict):
        raise refused(
            source,
            "a template file must hold a mapping (id, phases, deadlines, stages)",
            "环节模板文件应为映射（id、phases、deadlines、stages 等字段）",
            hint="start from a copy of planner/timeline/templates/seed-2020.yaml",
            hint_zh="以 planner/timeline/templates/seed-2020.yaml 的副本为起点",
        )
    try:
        return StageTemplate.model_validate(data)
    except ValidationError as exc:
        found = _pydantic_issues(
            exc, data, source, model=StageTemplate, where={"record": "template", "record_zh": "环节模板"}
        )
        stages = data.get("stages")
        for x in found:
            parts = x.field.split(".")
            if len(parts) >= 2 and parts[0] == "stages" and parts[1].isdigit() and isinstance(stages, list):
                i = int(parts[1])
                sid = stages[i].get("id") if i < len(stages) and isinstance(stages[i], dict) else None
                x.record = f"stage #{i + 1}" + (f" (id {sid})" if isinstance(sid, str) else "")
                x.record_zh = f"第{i + 1}个环节" + (f"（编号 {sid}）" if isinstance(sid, str) else "")
                x.field = ".".join(parts[2:]) or "-"
        raise ScenarioError(found) from None


def _resolve_calendar(
    entry: Any, source: str, base_dir: Path | None, files: Mapping[str, bytes] | None, where: dict[str, Any]
) -> CalendarDays | None:
    """`calendar:` as days: an inline mapping as it is, a file name read and validated (strict keys, dates,
    at most 10 MB) relative to the scenario file, inside its folder. Raises ScenarioError."""
    if entry is None or isinstance(entry, CalendarDays):
        return entry
    if isinstance(entry, dict):
        try:
            return CalendarDays.model_validate(entry)
        except ValidationError as exc:
            found = _pydantic_issues(exc, entry, source, model=CalendarDays, where=where)
            for x in found:
                x.field = f"{where['field']}.{x.field}"
            raise ScenarioError(found) from None
    if not isinstance(entry, str):
        try:
            _calendar_entry(entry)
        except PydanticCustomError as exc:
            zh = str((exc.context or {}).get("zh", exc.message()))
            raise ScenarioError([issue(source, exc.message(), zh, **where)]) from None
        return None
    name, data = _read_named_file(entry, "calendar", "日历", source, base_dir, files, where, inline=True)
    if not isinstance(data, dict):
        raise refused(
            name,
            "a calendar file holds a mapping with holidays: and workdays: lists of dates",
            "日历文件应为映射，含 holidays: 和 workdays: 日期列表",
            hint="write holidays: [YYYY-MM-DD, ...] and workdays: [YYYY-MM-DD, ...]",
            hint_zh="写作 holidays: [YYYY-MM-DD, ...] 和 workdays: [YYYY-MM-DD, ...]",
        )
    try:
        return CalendarDays.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(
            _pydantic_issues(
                exc, data, name, model=CalendarDays, where={"record": "calendar", "record_zh": "日历文件"}
            )
        ) from None


# ---------------------------------------------------------------- naming records

GROUPS = {
    "people": ("person", "位人员"),
    "others": ("other", "位其他人"),
    "relatives": ("relative", "条亲属关系"),
    "communities": ("community", "个社区"),
}


def record_names(group: str, index: int, entry: Any) -> tuple[str, str]:
    """('person #3 (id p03)', '第3位人员（编号 p03）'): list entries are counted from 1."""
    en, zh = GROUPS[group]
    ident = entry.get("id") if isinstance(entry, dict) else None
    if group == "relatives" and isinstance(entry, dict):
        ident = f"{entry.get('a')}-{entry.get('b')}"
    ident = str(ident)[:40] if ident is not None else None
    if group == "relatives":
        return f"{en} #{index + 1}" + (f" ({ident})" if ident else ""), f"第{index + 1}{zh}" + (
            f"（{ident}）" if ident else ""
        )
    return (
        f"{en} #{index + 1}" + (f" (id {ident})" if ident else ""),
        f"第{index + 1}{zh}" + (f"（编号 {ident}）" if ident else ""),
    )


def _person_record(i: int, entry: Any) -> dict[str, str]:
    en, zh = record_names("people", i, entry)
    return {"record": en, "record_zh": zh}


def _line_at(data: Any, loc: tuple) -> int | None:
    """The YAML line of the deepest mapping key on the path `loc`."""
    node, found = data, line_of(data)
    for key in loc:
        if isinstance(node, dict):
            found = line_of(node, key) or found
            node = node.get(key) if key in node else None
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
            found = line_of(node) or found
        else:
            break
    return found


def _locate(data: dict, loc: tuple) -> dict[str, Any]:
    """Record, field and line of a pydantic location such as ('people', 2, 'birth_date')."""
    where: dict[str, Any] = {"line": _line_at(data, loc)}
    if len(loc) >= 2 and loc[0] in GROUPS and isinstance(loc[1], int):
        seq = data.get(loc[0])
        entry = seq[loc[1]] if isinstance(seq, list) and loc[1] < len(seq) else None
        where["record"], where["record_zh"] = record_names(loc[0], loc[1], entry)
        where["field"] = ".".join(str(x) for x in loc[2:]) or "-"
    elif len(loc) >= 2 and loc[0] in ("rules", "previous_term", "schedule"):
        where["record"] = where["record_zh"] = str(loc[0])
        where["field"] = ".".join(str(x) for x in loc[1:])
    else:
        where["field"] = ".".join(str(x) for x in loc) or "-"
    return where


def _model_at(model: type[BaseModel], path: tuple) -> type[BaseModel] | None:
    """The record class found at a location inside `model` (list indices skipped)."""
    for key in path:
        if isinstance(key, int):
            continue
        field = model.model_fields.get(str(key))
        if field is None:
            return None
        inner = _record_class(field.annotation)
        if inner is None:
            return None
        model = inner
    return model


def _record_class(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _record_class(arg)
        if found is not None:
            return found
    return None


def unknown_key_issue(source: str, model: type[BaseModel] | None, key: Any, where: dict[str, Any]) -> Issue:
    """An unknown key, with the closest known key as the suggestion."""
    shown = str(key)[:60]
    known = [name for name in (model.model_fields if model else {}) if name != "kind"]
    close = get_close_matches(shown, known, n=1, cutoff=0.6)
    if close:
        hint, hint_zh = (
            f"did you mean '{close[0]}'? (keys starting with x_, and notes, are your own)",
            f"是否应为“{close[0]}”？（以 x_ 开头的字段和 notes 可自由填写）",
        )
    else:
        hint = (
            f"use one of: {', '.join(known)}; or start it with x_ to keep it as your own"
            if known
            else "remove it"
        )
        hint_zh = f"可用字段：{', '.join(known)}；自填内容请以 x_ 开头" if known else "删除此字段"
    return issue(source, f"unknown key '{shown}'", f"未知字段“{shown}”", hint=hint, hint_zh=hint_zh, **where)


MESSAGES_ZH = {
    "missing": "缺少必填字段",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
    "literal_error": "取值应为 {expected} 之一",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "greater_than": "应大于 {gt}",
    "finite_number": "应为有限的数（不能是 NaN 或无穷大）",
    "string_pattern_mismatch": "只能包含字母、数字、“_”或“-”",
    "string_too_long": "文本过长（最多 {max_length} 个字符）",
    "too_long": "条目过多（最多 {max_length} 项）",
    "too_short": "条目过少（至少 {min_length} 项）",
}
HINTS = {
    "missing": ("add this field", "补充此字段"),
    "day": ("write dates as YYYY-MM-DD", "日期写作 YYYY-MM-DD"),
    "literal_error": ("use one of the allowed values", "使用允许的取值"),
    "string_pattern_mismatch": ("use letters, digits, '_' or '-' only", "只用字母、数字、“_”或“-”"),
    "greater_than_equal": ("raise the value", "调大此值"),
    "less_than_equal": ("lower the value", "调小此值"),
    "less_than": ("lower the value", "调小此值"),
    "int_type": ("write a whole number without quotes", "写不带引号的整数"),
    "float_type": ("write a number without quotes", "写不带引号的数字"),
    "bool_type": ("write true or false", "写 true 或 false"),
    "string_type": (
        "write text; quote it if it looks like a number or date",
        "写作文本；像数字或日期的请加引号",
    ),
    "finite_number": ("write a finite number", "写有限的数"),
}


def _pydantic_issues(
    exc: ValidationError,
    data: dict,
    source: str,
    model: type[BaseModel] = Community,
    where: dict[str, Any] | None = None,
) -> list[Issue]:
    issues = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        found = (
            _locate(data, loc)
            if where is None
            else {
                **where,
                "field": ".".join(map(str, loc)) or "-",
                "line": _line_at(data, loc) or where.get("line"),
            }
        )
        if err["type"] == "extra_forbidden":
            issues.append(
                unknown_key_issue(source, _model_at(model, loc[:-1]), loc[-1] if loc else "?", found)
            )
            continue
        ctx = err.get("ctx") or {}
        message = err["msg"].removeprefix("Value error, ")
        readable = {k: str(v).replace(" or ", "、") for k, v in ctx.items()}
        message_zh = str(ctx.get("zh") or MESSAGES_ZH.get(err["type"], message).format(**readable))
        value = err.get("input")
        if (
            value is not None
            and err["type"] not in ("missing",)
            and isinstance(value, (str, int, float, bool))
            and "zh" not in ctx
        ):
            shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
            message += f" (got {shown})"
            message_zh += f"（现为 {shown}）"
        hint, hint_zh = HINTS.get(err["type"], ("", ""))
        issues.append(issue(source, message, message_zh, hint=hint, hint_zh=hint_zh, **found))
    return issues


# ---------------------------------------------------------------- references between records


def _entries(data: dict, group: str) -> list[tuple[int, dict]]:
    seq = data.get(group)
    return [(i, e) for i, e in enumerate(seq) if isinstance(e, dict)] if isinstance(seq, list) else []


def _reference_issues(data: dict, source: str) -> list[Issue]:
    """Unique ids, references to known people, known rule ids (on the raw data)."""
    issues: list[Issue] = []
    seen: dict[str, tuple[str, str]] = {}
    for group in ("people", "others"):
        for i, entry in _entries(data, group):
            pid = entry.get("id")
            if not isinstance(pid, str):
                continue
            en, zh = record_names(group, i, entry)
            if pid in seen:
                issues.append(
                    issue(
                        source,
                        f"id '{pid}' is used twice (also {seen[pid][0]})",
                        f"编号“{pid}”重复使用（另见{seen[pid][1]}）",
                        record=en,
                        record_zh=zh,
                        field="id",
                        hint="give every person a unique id",
                        hint_zh="每人使用不同的编号",
                        line=line_of(entry, "id"),
                    )
                )
            else:
                seen[pid] = (en, zh)
    for i, rel in _entries(data, "relatives"):
        en, zh = record_names("relatives", i, rel)
        for end in ("a", "b"):
            who = rel.get(end)
            if isinstance(who, str) and who not in seen:
                issues.append(
                    issue(
                        source,
                        f"'{who[:40]}' is not a person or other",
                        f"“{who[:40]}”不在人员或其他人中",
                        record=en,
                        record_zh=zh,
                        field=end,
                        line=line_of(rel, end),
                        hint="add them to people or others, or correct the id",
                        hint_zh="将其加入 people 或 others，或改正编号",
                    )
                )
        if isinstance(rel.get("a"), str) and rel.get("a") == rel.get("b"):
            issues.append(
                issue(
                    source,
                    "a person cannot be their own relative",
                    "一个人不能是自己的亲属",
                    record=en,
                    record_zh=zh,
                    field="b",
                    hint="correct a or b",
                    hint_zh="改正 a 或 b",
                    line=line_of(rel, "b"),
                )
            )
    rules = data.get("rules")
    disabled = rules.get("disabled") if isinstance(rules, dict) else None
    for rid in disabled if isinstance(disabled, list) else []:
        where = {
            "record": "rules",
            "record_zh": "rules",
            "field": "disabled",
            "line": line_of(rules, "disabled"),
        }
        if not isinstance(rid, str):
            continue  # the type error is reported by the model
        if rid in ALWAYS_ON:
            issues.append(
                issue(
                    source,
                    f"{rid} (seats) always holds and cannot be switched off",
                    f"{rid}（班子职数）始终适用，不能关闭",
                    hint=f"remove {rid}; change rules.seats instead",
                    hint_zh=f"删除 {rid}；如需调整请修改 rules.seats",
                    **where,
                )
            )
        elif rid not in RULES:
            close = get_close_matches(rid, list(RULES), n=1)
            issues.append(
                issue(
                    source,
                    f"unknown rule id '{rid[:40]}'",
                    f"未知规则编号“{rid[:40]}”",
                    hint=f"did you mean {close[0]}?" if close else "use rule ids such as S12 or T08",
                    hint_zh=f"是否应为 {close[0]}？" if close else "使用 S12、T08 这样的规则编号",
                    **where,
                )
            )
    return issues


FamilyLabel = tuple[
    str, str, str
]  # (kind, x, y): spouse/sibling unordered (x < y); parent/grandparent: x of y
PARENT_MIN_YEARS = 14
GRANDPARENT_MIN_YEARS = 28


def _family_issues(data: dict, source: str) -> list[Issue]:
    """Families that cannot be: two spouses, a parent (or grandparent) who is also another relation of the
    same person, a parent under 14 years older than the child (a grandparent under 28; equal birth dates, a
    roster's placeholder, are not compared), more than two parents, someone their own ancestor.
    Linear in the number of relations (strongly connected components, never cycle enumeration)."""
    known = {
        e.get("id")
        for g in ("people", "others")
        for _, e in _entries(data, g)
        if isinstance(e.get("id"), str)
    }
    births: dict[str, date] = {}
    for _, entry in _entries(data, "people"):
        try:
            births[entry["id"]] = _day(entry.get("birth_date"))
        except (PydanticCustomError, KeyError, TypeError):
            continue
    labels: dict[frozenset, dict[FamilyLabel, int]] = defaultdict(dict)
    parents: dict[str, dict[str, int]] = defaultdict(dict)
    spouses: dict[str, dict[str, int]] = defaultdict(dict)
    ancestry = nx.DiGraph()
    for i, rel in _entries(data, "relatives"):
        a, b, kind = rel.get("a"), rel.get("b"), rel.get("relation")
        if (
            not (isinstance(a, str) and isinstance(b, str) and isinstance(kind, str))
            or a not in known
            or b not in known
            or a == b
            or kind not in RELATIONS
        ):
            continue
        if kind in ("child", "grandchild"):
            a, b, kind = b, a, kind.replace("child", "parent")
        label: FamilyLabel = (kind, *sorted((a, b))) if kind in ("spouse", "sibling") else (kind, a, b)
        labels[frozenset((a, b))].setdefault(label, i)
        if kind == "parent":
            parents[b].setdefault(a, i)
        if kind == "spouse":
            spouses[a].setdefault(b, i)
            spouses[b].setdefault(a, i)
        if kind in ("parent", "grandparent"):
            ancestry.add_edge(a, b)
    issues: list[Issue] = []

    def relatives_record(*indices: int) -> dict[str, str]:
        shown = sorted(set(indices))
        return {
            "record": "relatives " + ", ".join(f"#{n + 1}" for n in shown),
            "record_zh": "亲属关系 " + "、".join(f"第{n + 1}条" for n in shown),
            "field": "relatives",
        }

    for person, partners in spouses.items():
        if len(partners) > 1:
            names = " and ".join(sorted(partners))
            issues.append(
                issue(
                    source,
                    f"{person} is listed as the spouse of both {names}",
                    f"{person} 同时被列为 {'、'.join(sorted(partners))} 的配偶",
                    hint="a person has at most one spouse: remove the wrong relation",
                    hint_zh="一人至多一名配偶：删除错误的关系",
                    **relatives_record(*partners.values()),
                )
            )
    for pair, found in labels.items():
        kinds = {k for k, _, _ in found}
        if len(found) < 2 or len(kinds) == 1 or kinds == {"spouse", "sibling"}:
            continue  # opposite parent relations are an ancestor cycle (below); spouse wins over sibling (S07)
        x, y = sorted(pair)
        en = " and as ".join(_label_text(lab, "en") for lab in found)
        zh = "，又被列为".join(_label_text(lab, "zh") for lab in found)
        issues.append(
            issue(
                source,
                f"{x} and {y} are listed both as {en}",
                f"{x} 与 {y} 既被列为{zh}",
                hint="keep the one true relation",
                hint_zh="只保留真实的一种关系",
                **relatives_record(*found.values()),
            )
        )
    for (kind, x, y), i in ((lab, i) for found in labels.values() for lab, i in found.items()):
        if kind not in ("parent", "grandparent") or x not in births or y not in births:
            continue
        need = PARENT_MIN_YEARS if kind == "parent" else GRANDPARENT_MIN_YEARS
        if births[x] != births[y] and (births[x] > births[y] or full_years(births[x], births[y]) < need):
            what, what_zh = ("parent", "父母") if kind == "parent" else ("grandparent", "祖父母/外祖父母")
            issues.append(
                issue(
                    source,
                    f"{x} (born {births[x]}) is listed as the {what} of {y} (born {births[y]}): "
                    f"a {what} is at least {need} years older",
                    f"{x}（{births[x]} 出生）被列为 {y}（{births[y]} 出生）的{what_zh}，但年龄相差不足 {need} 岁",
                    hint="correct the relation or a birth date",
                    hint_zh="改正该关系或出生日期",
                    **relatives_record(i),
                )
            )
    for child, ps in parents.items():
        if len(ps) > 2:
            issues.append(
                issue(
                    source,
                    f"has more than two parents ({', '.join(sorted(ps))})",
                    f"父母多于两人（{'、'.join(sorted(ps))}）",
                    record=f"person {child}",
                    record_zh=f"人员 {child}",
                    field="relatives",
                    hint="remove the wrong parent relations",
                    hint_zh="删除错误的父母关系",
                )
            )
    for component in nx.strongly_connected_components(ancestry):
        if len(component) < 2:
            continue
        cycle = _first_cycle(ancestry, component)
        chain = " -> ".join([*cycle, cycle[0]])
        what = "two people are each other's parent" if len(cycle) == 2 else "someone is their own ancestor"
        what_zh = "两人互为父母" if len(cycle) == 2 else "有人成了自己的祖先"
        issues.append(
            issue(
                source,
                f"kinship contradiction: {what} ({chain})",
                f"亲属关系矛盾：{what_zh}（{chain}）",
                record=f"person {cycle[0]}",
                record_zh=f"人员 {cycle[0]}",
                field="relatives",
                hint="remove or reverse the wrong parent/grandparent relation",
                hint_zh="删除或反转错误的父母/祖父母关系",
            )
        )
    return issues


def _first_cycle(graph: nx.DiGraph, component: set[str]) -> list[str]:
    """One cycle inside a strongly connected component, starting at its smallest node (stable messages)."""
    cycle = [u for u, _ in nx.find_cycle(graph.subgraph(component), source=min(component))]
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


def _label_text(label: FamilyLabel, lang: str) -> str:
    kind, x, y = label
    if kind == "spouse":
        return "spouses" if lang == "en" else "配偶"
    if kind == "sibling":
        return "siblings" if lang == "en" else "兄弟姐妹"
    if lang == "en":
        return f"{kind} ({x} the {kind} of {y})"
    return f"{x} 是 {y} 的{'父母' if kind == 'parent' else '祖父母'}"


# ---------------------------------------------------------------- dates and stages


MAX_AGE = 120


def _date_issues(c: Community, data: dict, source: str) -> list[Issue]:
    issues = []
    raw = data.get("people") if isinstance(data.get("people"), list) else []
    for i, p in enumerate(c.people):
        entry = raw[i] if i < len(raw) else None
        rec = _person_record(i, entry)

        def add(
            fld: str, en: str, zh: str, hint: str, hint_zh: str, entry: Any = entry, rec: dict[str, str] = rec
        ) -> None:
            issues.append(
                issue(source, en, zh, hint=hint, hint_zh=hint_zh, field=fld, line=line_of(entry, fld), **rec)
            )

        if p.birth_date >= c.reference_date:
            add(
                "birth_date",
                f"born {p.birth_date}, not before the reference date {c.reference_date}",
                f"出生日期 {p.birth_date} 不早于基准日 {c.reference_date}",
                "correct the birth date",
                "改正出生日期",
            )
        elif c.age(p) > MAX_AGE:
            add(
                "birth_date",
                f"born {p.birth_date}: {c.age(p)} years old on {c.reference_date}",
                f"出生日期 {p.birth_date}：在 {c.reference_date} 已 {c.age(p)} 岁",
                "correct the birth date",
                "改正出生日期",
            )
        if p.party_member and p.party_joined is None:
            add(
                "party_joined",
                "a Party member needs the date of joining",
                "党员需填写入党时间",
                "add party_joined: YYYY-MM-DD, or set party_member: false",
                "补充 party_joined: YYYY-MM-DD，或设 party_member: false",
            )
        if p.party_joined is not None:
            if not p.party_member:
                add(
                    "party_joined",
                    "a joining date is given but party_member is false",
                    "填写了入党时间，但 party_member 为 false",
                    "set party_member: true or remove party_joined",
                    "设 party_member: true，或删除 party_joined",
                )
            if p.party_joined >= c.reference_date:
                add(
                    "party_joined",
                    f"joined {p.party_joined}, not before the reference date {c.reference_date}",
                    f"入党时间 {p.party_joined} 不早于基准日 {c.reference_date}",
                    "correct the joining date",
                    "改正入党时间",
                )
            if full_years(p.birth_date, p.party_joined) < 18:
                add(
                    "party_joined",
                    f"joined {p.party_joined} before turning 18 (born {p.birth_date})",
                    f"入党时间 {p.party_joined} 未满18周岁（{p.birth_date} 出生）",
                    "Party members join at 18 or older: correct either date",
                    "年满18周岁方可入党：改正其中一个日期",
                )
    return issues


def _by_election_issues(c: Community, data: dict, source: str) -> list[Issue]:
    """By-elections (SCENARIO.md "By-elections"): `vacancies` only with election: by_election, at least
    one; every post of the seat structure either vacant or held by exactly one sitting member
    (`incumbent`), never both; one post per body and person."""
    issues: list[Issue] = []
    where = {"record": "vacancies", "record_zh": "vacancies", "field": "vacancies"}
    line = line_of(data, "vacancies") or line_of(data, "election")
    if not c.by_election:
        if c.vacancies:
            issues.append(
                issue(
                    source,
                    "vacancies are the posts a by-election fills, but election is full",
                    "vacancies 是补选要填补的职务，但 election 为 full（换届）",
                    hint="write election: by_election, or remove vacancies",
                    hint_zh="写 election: by_election，或删除 vacancies",
                    line=line,
                    **where,
                )
            )
        return issues
    if not c.vacancies:
        issues.append(
            issue(
                source,
                "a by-election needs the vacant posts to fill",
                "补选须列出要填补的空缺职务",
                hint="list them under vacancies, e.g. [party_committee.secretary, residents_committee.member]",
                hint_zh="在 vacancies 下列出，如 [party_committee.secretary, residents_committee.member]",
                line=line,
                **where,
            )
        )
        return issues
    raw = data.get("people") if isinstance(data.get("people"), list) else []
    holders: dict[tuple[str, str], list[PersonId]] = {}
    for i, p in enumerate(c.people):
        entry = raw[i] if i < len(raw) else None
        bodies: dict[str, str] = {}
        for post in p.incumbent:
            body, _, name = post.partition(".")
            if body in bodies and bodies[body] != name:
                issues.append(
                    issue(
                        source,
                        f"holds two posts of the {BODY_NAMES[body][1]} ({body}.{bodies[body]}, {post}); "
                        "a member holds one post per body",
                        f"在{BODY_NAMES[body][0]}同时任两个职务（{body}.{bodies[body]}、{post}）；每人每个机构只任一职",
                        hint="keep the post they hold now",
                        hint_zh="只保留其现任职务",
                        field="incumbent",
                        line=line_of(entry, "incumbent"),
                        **_person_record(i, entry),
                    )
                )
                continue
            bodies[body] = name
            holders.setdefault((body, name), []).append(p.id)
            if post in c.vacancies and name != "member":
                issues.append(
                    issue(
                        source,
                        f"sits as {post}, which is listed as vacant",
                        f"现任 {post}，但该职务列为空缺",
                        hint="remove the post from their incumbent (they left) or from vacancies",
                        hint_zh="从其 incumbent 中删除该职务（已离任），或从 vacancies 中删除",
                        field="incumbent",
                        line=line_of(entry, "incumbent"),
                        **_person_record(i, entry),
                    )
                )
    for body in BODIES:
        zh_body, en_body = BODY_NAMES[body]
        vacant = c.vacant(body)
        seats = int(getattr(c.rules.seats, body))
        singles = [q for q in POSTS[body] if q != "member"]
        for post in singles:
            zh_post, en_post = POST_NAMES[post]
            n_vacant, held = vacant.count(post), holders.get((body, post), [])
            if n_vacant > 1:
                issues.append(
                    issue(
                        source,
                        f"{body}.{post} is listed {n_vacant} times; the {en_body} has one {en_post}",
                        f"{body}.{post} 列了{n_vacant}次；{zh_body}只有一名{zh_post}",
                        hint="list a single post once",
                        hint_zh="单一职务只列一次",
                        line=line,
                        **where,
                    )
                )
            if not n_vacant and not held:
                issues.append(
                    issue(
                        source,
                        f"the {en_body} {en_post} ({body}.{post}) is neither vacant nor held by a sitting member",
                        f"{zh_body}{zh_post}（{body}.{post}）既未列为空缺，也无现任成员",
                        hint=f"add {body}.{post} to vacancies, or to its holder's incumbent",
                        hint_zh=f"将 {body}.{post} 加入 vacancies，或加入现任者的 incumbent",
                        line=line,
                        **where,
                    )
                )
            if not n_vacant and len(held) > 1:
                issues.append(
                    issue(
                        source,
                        f"{body}.{post} is held by {len(held)} sitting members ({', '.join(held)})",
                        f"{body}.{post} 有{len(held)}名现任者（{'、'.join(held)}）",
                        hint="keep it in the incumbent of the one who holds it",
                        hint_zh="只在实际现任者的 incumbent 中保留",
                        line=line,
                        **where,
                    )
                )
        members = seats - len(singles)
        n_vacant, held = vacant.count("member"), holders.get((body, "member"), [])
        if n_vacant + len(held) != members:
            issues.append(
                issue(
                    source,
                    f"the {en_body} has {members} member seats, but {len(held)} sitting members "
                    f"({', '.join(held) or '-'}) and {n_vacant} vacant member seats make {len(held) + n_vacant}",
                    f"{zh_body}有{members}个委员席位，但现任委员{len(held)}名（{'、'.join(held) or '-'}）"
                    f"加空缺{n_vacant}席共{len(held) + n_vacant}席",
                    hint=f"list one {body}.member in vacancies per vacant member seat",
                    hint_zh=f"每个空缺委员席位在 vacancies 中列一次 {body}.member",
                    line=line,
                    **where,
                )
            )
    return issues


def _review_issues(c: Community, data: dict, source: str) -> list[Issue]:
    """Per-department joint reviews: known departments, each once, a status written beside them agrees."""
    issues: list[Issue] = []
    raw = data.get("people") if isinstance(data.get("people"), list) else []
    departments = c.departments()
    for i, p in enumerate(c.people):
        entry = raw[i] if i < len(raw) else None
        rec = _person_record(i, entry)
        line = line_of(entry, "joint_reviews")
        seen: set[str] = set()
        for j, r in enumerate(p.joint_reviews):
            fld = f"joint_reviews.{j}.department"
            if r.department not in departments:
                known = "、".join(departments) if departments else ""
                issues.append(
                    issue(
                        source,
                        f"'{r.department[:40]}' is not a joint-review department"
                        + (f" (the departments: {', '.join(departments)})" if departments else ""),
                        f"“{r.department[:40]}”不是资格联审部门"
                        + (f"（联审部门：{known}）" if known else ""),
                        hint="use a department of joint_review_departments, or add it there",
                        hint_zh="使用 joint_review_departments 中的部门，或将其加入该列表",
                        field=fld,
                        line=line,
                        **rec,
                    )
                )
            elif r.department in seen:
                issues.append(
                    issue(
                        source,
                        f"department '{r.department[:40]}' is given twice",
                        f"联审部门“{r.department[:40]}”重复填写",
                        hint="keep one reply per department",
                        hint_zh="每个部门只保留一条结果",
                        field=fld,
                        line=line,
                        **rec,
                    )
                )
            seen.add(r.department)
        if p.joint_reviews and "joint_review" in p.model_fields_set:
            derived = derived_review(p.joint_reviews, departments)
            if p.joint_review != derived:
                issues.append(
                    issue(
                        source,
                        f"joint_review is {p.joint_review}, but the departments' results give {derived}",
                        f"joint_review 为 {p.joint_review}，但各部门联审结果得出 {derived}",
                        hint="remove joint_review (it is derived from joint_reviews), or correct it",
                        hint_zh="删除 joint_review（由 joint_reviews 得出），或改正",
                        field="joint_review",
                        line=line_of(entry, "joint_review"),
                        **rec,
                    )
                )
    return issues


def _phase_where(data: dict, name: str | None = None) -> dict[str, Any]:
    loc = ("schedule", "phases", name) if name else ("schedule", "phases")
    return {
        "record": "schedule",
        "record_zh": "schedule",
        "field": ".".join(loc[1:]),
        "line": _line_at(data, loc),
    }


def _phase_issues(c: Community, data: dict, source: str) -> list[Issue]:
    """Phases (SCENARIO.md "Cycles: phase dates"): all five for template generic, each in order; none for
    the templates with phases of their own ("2020") or no stages ("none")."""
    sch = c.schedule
    given = sch.phases.given() if sch.phases else {}
    issues: list[Issue] = []
    if own_phases(sch.template, bool(given)) is not None:  # "2020", "none"; a file's own phases
        for name in given:
            issues.append(
                issue(
                    source,
                    f'phase {name}: phases are for template: generic; template "{sch.template}" '
                    + ("has no stages" if sch.template == "none" else "has the seed's phases"),
                    f"阶段 {name}：phases 仅用于 template: generic；模板“{sch.template}”"
                    + ("没有环节" if sch.template == "none" else "使用种子方案的阶段日期"),
                    hint="write template: generic, or remove phases",
                    hint_zh="写 template: generic，或删除 phases",
                    **_phase_where(data, name),
                )
            )
        return issues
    label = template_label(sch.template)
    needed = used_phases(sch.template, sch._bodies)
    for name, (zh, en) in PHASES.items():
        span = given.get(name)
        if span is None and name not in needed:
            continue
        if span is None:
            where = _phase_where(data, name)
            where["line"] = where["line"] or _line_at(data, ("schedule", "template"))
            issues.append(
                issue(
                    source,
                    f"template {label} needs the phase {name} ({en}, {zh})",
                    f"通用模板（generic）需要阶段 {name}（{zh}）"
                    if label == "generic"
                    else f"模板“{label}”没有自己的阶段日期，需要阶段 {name}（{zh}）",
                    hint=f"add {name}: [YYYY-MM-DD, YYYY-MM-DD] under schedule.phases",
                    hint_zh=f"在 schedule.phases 下补充 {name}: [YYYY-MM-DD, YYYY-MM-DD]",
                    **where,
                )
            )
        elif span[0] > span[1]:
            issues.append(
                issue(
                    source,
                    f"phase {name} ({en}) ends {span[1]} before it starts {span[0]}",
                    f"阶段 {name}（{zh}）结束于 {span[1]}，早于开始 {span[0]}",
                    hint="swap or correct the dates",
                    hint_zh="调换或改正日期",
                    **_phase_where(data, name),
                )
            )
    return issues


def _phase_fit_issues(c: Community, stages: list[Stage], data: dict, source: str) -> list[Issue]:
    """Template generic: each phase is long enough for the chains of its stages (durations as calendar
    days, gaps kept): a lower bound on any schedule, so a shorter phase can never be planned."""
    if not on_phases(c.schedule.template) or not c.rules.on("T01"):
        return []
    phases = c.schedule.phase_dates()
    groups: dict[tuple[str, ...], list[str]] = {}
    for sid, names in stage_phases(c.schedule.template, c.schedule._bodies).items():
        groups.setdefault(names, []).append(sid)
    by_id = {s.id: s for s in stages}
    entries = [(r, p, q, g) for r, p, q, g in _precedence_entries(c) if c.rules.on(r)]
    issues: list[Issue] = []
    for names, ids in groups.items():
        span = phase_span(phases, names)
        if span is None:
            continue
        inside = {sid for sid in ids if sid in by_id and by_id[sid].window == span}
        need: dict[str, int] = {sid: by_id[sid].duration for sid in inside}
        came: dict[str, str | None] = dict.fromkeys(inside)
        for _ in range(len(inside) + 1):
            changed = False
            for _r, p, q, g in entries:
                if p in inside and q in inside and need[p] + g - 1 + by_id[q].duration > need[q]:
                    need[q] = need[p] + g - 1 + by_id[q].duration
                    came[q] = p
                    changed = True
            if not changed:
                break
        if not need:
            continue
        days = (span[1] - span[0]).days + 1
        last = max(need, key=lambda k: need[k])
        if need[last] <= days:
            continue
        chain = [last]
        while (prev := came[chain[-1]]) is not None and prev not in chain:
            chain.append(prev)
        shown = " -> ".join(reversed(chain))
        label = "..".join(names)
        zh_names = "至".join(PHASES[n][0] for n in names)
        issues.append(
            issue(
                source,
                f"phase {label} {span[0]}..{span[1]} has {days} days, but its stages need at least "
                f"{need[last]} ({shown}; durations counted as calendar days, gaps included)",
                f"阶段 {label}（{zh_names}）{span[0]}..{span[1]} 只有 {days} 天，但其中的环节至少需要 "
                f"{need[last]} 天（{shown}；工期按日历天计，含间隔）",
                hint="widen the phase, or shorten the stages' durations",
                hint_zh="放宽该阶段的日期，或缩短环节工期",
                **_phase_where(data, names[0]),
            )
        )
    return issues


def _schedule_issues(c: Community, data: dict, source: str) -> list[Issue]:
    """Stages: each entry valid, ids known, no precedence cycle, each fits its window, statutory floors kept;
    phases: all given for template generic, in order, long enough for their stages."""
    issues: list[Issue] = _phase_issues(c, data, source)
    if issues:
        return issues
    schedule_raw = data.get("schedule") if isinstance(data.get("schedule"), dict) else {}
    raw_stages = schedule_raw.get("stages") if isinstance(schedule_raw.get("stages"), list) else []
    raw_by_id: dict[str, Any] = {}
    for i, raw in enumerate(c.schedule.stages):
        sid = raw.get("id")
        line = line_of(raw_stages[i]) if i < len(raw_stages) else None
        rec = {
            "record": f"schedule.stages #{i + 1}",
            "record_zh": f"schedule.stages 第{i + 1}项",
            "line": line,
        }
        if not isinstance(sid, str):
            issues.append(
                issue(
                    source,
                    "a stage needs an id",
                    "阶段需要编号 id",
                    field="id",
                    hint="add id: (a template id such as pc_publicity, or a new one)",
                    hint_zh="补充 id（模板中的编号如 pc_publicity，或新编号）",
                    **rec,
                )
            )
        elif sid in raw_by_id:
            issues.append(
                issue(
                    source,
                    f"stage '{sid[:40]}' is listed twice",
                    f"阶段“{sid[:40]}”重复列出",
                    field="id",
                    hint="merge the two entries",
                    hint_zh="合并为一项",
                    **rec,
                )
            )
        else:
            raw_by_id[sid] = raw_stages[i] if i < len(raw_stages) else raw
    if issues:
        return issues
    stages: list[Stage] = []
    for sid, merged in c.schedule.merged_stage_data().items():
        raw = raw_by_id.get(sid, {})
        where = {"record": f"stage {sid}", "record_zh": f"阶段 {sid}", "line": line_of(raw)}
        try:
            stages.append(Stage.model_validate(merged))
        except ValidationError as exc:
            issues.extend(_pydantic_issues(exc, raw, source, model=Stage, where=where))
    if issues:
        return issues
    by_id = {s.id: s for s in stages}
    graph = nx.DiGraph()
    for s in stages:
        raw = raw_by_id.get(s.id, {})
        rec = {"record": f"stage {s.id}", "record_zh": f"阶段 {s.id}"}
        graph.add_node(s.id)
        if s.window is None:
            issues.append(
                issue(
                    source,
                    "a stage needs a window",
                    "阶段需要时间窗口 window",
                    field="window",
                    hint="add window: [YYYY-MM-DD, YYYY-MM-DD]",
                    hint_zh="补充 window: [YYYY-MM-DD, YYYY-MM-DD]",
                    line=line_of(raw),
                    **rec,
                )
            )
        elif s.window[0] > s.window[1]:
            issues.append(
                issue(
                    source,
                    f"window ends {s.window[1]} before it starts {s.window[0]}",
                    f"时间窗口结束于 {s.window[1]}，早于开始 {s.window[0]}",
                    field="window",
                    hint="swap or correct the dates",
                    hint_zh="调换或改正日期",
                    line=line_of(raw, "window"),
                    **rec,
                )
            )
        elif s.duration > (s.window[1] - s.window[0]).days + 1 and (
            not on_phases(c.schedule.template) or not _phase_window(s, raw, c.schedule.template)
        ):
            days = (s.window[1] - s.window[0]).days + 1
            issues.append(
                issue(
                    source,
                    f"lasts {s.duration} days but its window {s.window[0]}..{s.window[1]} has only {days}",
                    f"工期 {s.duration} 天，但时间窗口 {s.window[0]}..{s.window[1]} 只有 {days} 天",
                    field="duration",
                    hint="shorten the stage or widen its window",
                    hint_zh="缩短工期或放宽时间窗口",
                    line=line_of(raw, "duration") or line_of(raw, "window"),
                    **rec,
                )
            )
        if (
            s.publicity and s.unit == "calendar" and s.duration < PUBLICITY_MIN_DAYS
        ):  # working days: T03 spans
            floor = FLOORS["T03"]
            issues.append(
                issue(
                    source,
                    f"a publicity stage lasts at least {floor.days} days ({floor.source}); "
                    f"{s.duration} is below the statutory minimum",
                    f"{floor.what_zh}（{floor.source}）；{s.duration} 天低于法定最低要求",
                    field="duration",
                    hint=f"give duration: {floor.days} or more",
                    hint_zh=f"工期至少 {floor.days} 天",
                    line=line_of(raw, "duration"),
                    **rec,
                )
            )
        for a in s.after:
            if a.stage not in by_id:
                issues.append(
                    issue(
                        source,
                        f"follows unknown stage '{a.stage}'",
                        f"前置阶段“{a.stage}”不存在",
                        field="after",
                        hint="use an existing stage id",
                        hint_zh="使用已有的阶段编号",
                        line=line_of(raw, "after"),
                        **rec,
                    )
                )
                continue
            graph.add_edge(a.stage, s.id)
            floor = FLOORS.get(a.rule)
            if floor is not None and a.gap < floor.days:
                issues.append(
                    issue(
                        source,
                        f"{a.rule}: the gap after {a.stage} is {a.gap} days, below the statutory "
                        f"minimum of {floor.days} ({floor.what_en}; {floor.source})",
                        f"{a.rule}：{a.stage} 之后的间隔为 {a.gap} 天，低于法定最低 {floor.days} 天"
                        f"（{floor.what_zh}；{floor.source}）",
                        field="after",
                        hint=f"give gap: {floor.days} or more",
                        hint_zh=f"间隔至少 {floor.days} 天",
                        line=line_of(raw, "after"),
                        **rec,
                    )
                )
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2 and not graph.has_edge(next(iter(component)), next(iter(component))):
            continue
        cycle = _first_cycle(graph, component)
        chain = " -> ".join([*cycle, cycle[0]])
        issues.append(
            issue(
                source,
                f"the stages follow each other in a cycle ({chain}): none can start first",
                f"阶段之间的先后顺序构成循环（{chain}），无法开始",
                record="stages " + ", ".join(cycle),
                record_zh="阶段 " + "、".join(cycle),
                field="after",
                hint="remove one of the 'after' entries on the cycle",
                hint_zh="删除循环中的一个 after 条目",
                line=line_of(raw_by_id.get(cycle[0], {}), "after"),
            )
        )
    ids = set(by_id)
    for key, what, what_zh in (("pin", "pins", "固定了"), ("deadlines", "a deadline for", "设定了时限的")):
        for sid in getattr(c.schedule, key):
            if sid not in ids:
                issues.append(
                    issue(
                        source,
                        f"{what} unknown stage '{sid[:40]}'",
                        f"{what_zh}阶段“{sid[:40]}”不存在",
                        record="schedule",
                        record_zh="schedule",
                        field=f"{key}.{sid[:40]}",
                        hint=f"use a stage id such as {next(iter(sorted(ids)), 'pc_election')}",
                        hint_zh="使用已有的阶段编号",
                        line=_line_at(data, ("schedule", key, sid)),
                    )
                )
    if not issues:
        issues.extend(_phase_fit_issues(c, stages, data, source))
    return issues


def _phase_window(s: Stage, raw: Any, template: Template = "generic") -> bool:
    """A template stage whose window and duration are the template's: a phase that is too short for it
    is blamed on the phase (`_phase_fit_issues`), not on the stage."""
    return s.id in stage_phases(template) and not (
        isinstance(raw, dict) and ({"window", "duration"} & set(raw))
    )


def parse_date(text: str) -> date:
    """Parse YYYY-MM-DD (used by the command line for --pin); raises ValueError with the reason."""
    try:
        return _day(text)
    except PydanticCustomError as exc:
        raise ValueError(exc.message()) from None


def communities(scenario: Scenario) -> list[Community]:
    """The communities of a scenario (one for a community scenario)."""
    return scenario.communities if isinstance(scenario, Subdistrict) else [scenario]
