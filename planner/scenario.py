"""Scenario files (SCENARIO.md): pydantic models, loading from YAML/JSON, validation.

Glossary: a *community* scenario is one 社区 with its people and relatives; a
*sub-district* (街道) scenario lists communities that share a work group.
Every problem in a file is reported at once, each naming the file, the record,
the field, what is wrong and how to fix it (`ScenarioError`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from planner.issues import Issue, ScenarioError, issue
from planner.rules import ALWAYS_ON, RULES
from planner.schedule.template import DEFAULT_DEADLINES, TEMPLATES

PersonId = str
Body = Literal["party_committee", "residents_committee", "supervisory_committee"]
BODIES: tuple[Body, ...] = ("party_committee", "residents_committee", "supervisory_committee")
TEAM_BODIES: tuple[Body, ...] = ("party_committee", "residents_committee")
POSTS: dict[str, tuple[str, ...]] = {
    "party_committee": ("secretary", "deputy_secretary", "discipline_inspector", "member"),
    "residents_committee": ("director", "deputy_director", "member"),
    "supervisory_committee": ("director", "member"),
}
BODY_NAMES = {
    "party_committee": ("社区党组织委员会", "Party committee"),
    "residents_committee": ("居民委员会", "residents' committee"),
    "supervisory_committee": ("居务监督委员会", "supervisory committee"),
}
POST_NAMES = {
    "secretary": ("书记", "secretary"),
    "deputy_secretary": ("专职副书记", "deputy secretary"),
    "discipline_inspector": ("纪检委员", "discipline inspector"),
    "director": ("主任", "director"),
    "deputy_director": ("副主任", "deputy director"),
    "member": ("委员", "member"),
}
EDUCATION_LEVELS = ("primary", "junior_high", "high_school", "vocational", "college", "bachelor", "master",
                    "doctorate")
Education = Literal["primary", "junior_high", "high_school", "vocational", "college", "bachelor", "master",
                    "doctorate"]
PREFERRED_TAGS = ("university_graduate", "veteran", "property_management", "grid_party_secretary", "grid_worker")
DISQUALIFICATION_CODES = tuple(f"D{i:02d}" for i in range(1, 18))
ETHNICITIES = (  # noqa: SIM905 (56 names read better as one text)
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 "
    "傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 "
    "仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 "
    "鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()
assert len(ETHNICITIES) == 56
RELATIONS = ("spouse", "parent", "child", "sibling", "grandparent", "grandchild")
INCUMBENT_POSTS = tuple(f"{b}.{p}" for b, posts in POSTS.items() for p in posts)


def education_at_least(level: str | None, minimum: str) -> bool:
    """Whether an education level is at least `minimum` ("大专及以上" = at least college)."""
    return level is not None and EDUCATION_LEVELS.index(level) >= EDUCATION_LEVELS.index(minimum)


def full_years(born: date, on: date) -> int:
    """Age (周岁) or standing in full years on a date."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Strict(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Person(Strict):
    """A candidate (参选人) or possible candidate."""

    id: PersonId = Field(pattern=r"^[A-Za-z0-9_-]+$", description="Unique id, e.g. p01")
    name: str = Field("", description="Name (姓名)")
    gender: Literal["F", "M"] = Field(description="F (女) or M (男)")
    birth_date: date = Field(description="Birth date (出生日期)")
    ethnicity: str | None = Field(None, description="One of the 56 official names; all but 汉族 are minorities")
    education: Education = Field(description="Highest education; college = 大专")
    party_member: bool = Field(False, description="Party member (党员)")
    party_joined: date | None = Field(None, description="Date of joining the Party (入党时间)")
    resident_voter: bool = Field(True, description="Registered resident voter (登记选民)")
    incumbent: list[str] = Field(default_factory=list, description="Outgoing-term posts, e.g. party_committee.secretary")
    stands_for: list[Body] | None = Field(None, description="Bodies the person stands for (S15); absent = every body")
    disqualifications: list[str] = Field(default_factory=list, description="Codes D01-D17 of 三(二)")
    joint_review: Literal["passed", "pending", "failed", "not_submitted"] = Field(
        "not_submitted", description="资格联审 result")
    waivers: list[Literal["age", "education"]] = Field(default_factory=list, description="Approved S06 waivers")
    tags: list[str] = Field(default_factory=list, description="Preferred-source tags (P02)")
    support: int = Field(0, ge=0, le=100, description="Survey support 0-100 (P01)")

    @field_validator("ethnicity")
    @classmethod
    def _official_ethnicity(cls, v: str | None) -> str | None:
        if v is not None and v not in ETHNICITIES:
            raise ValueError(f"'{v}' is not one of the 56 official ethnic group names (e.g. 汉族, 蒙古族, 回族)")
        return v

    @field_validator("incumbent")
    @classmethod
    def _known_posts(cls, v: list[str]) -> list[str]:
        for post in v:
            if post not in INCUMBENT_POSTS:
                raise ValueError(f"'{post}' is not a post; use one of {', '.join(INCUMBENT_POSTS)}")
        return v

    @field_validator("disqualifications")
    @classmethod
    def _known_codes(cls, v: list[str]) -> list[str]:
        for code in v:
            if code not in DISQUALIFICATION_CODES:
                raise ValueError(f"'{code}' is not a disqualification code; use D01-D17")
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


class Other(Strict):
    """Somebody who is not a candidate but links relatives (a shared parent, say)."""

    id: PersonId = Field(pattern=r"^[A-Za-z0-9_-]+$")
    name: str = ""


class Relative(Strict):
    """`a` is the `relation` of `b`."""

    a: PersonId
    b: PersonId
    relation: Literal["spouse", "parent", "child", "sibling", "grandparent", "grandchild"]


class Seats(Strict):
    party_committee: int = Field(5, ge=3, le=15, description="Party committee seats (secretary, deputy, inspector + members)")
    residents_committee: int = Field(5, ge=2, le=15, description="Residents' committee seats (law: 5-9)")
    supervisory_committee: int = Field(3, ge=1, le=9, description="Supervisory committee seats (law: 3-5)")


class Weights(Strict):
    support: int = Field(1, ge=0, description="P01 weight per support point")
    preferred_source: int = Field(5, ge=0, description="P02 weight per preferred-source tag")
    continuity: int = Field(0, ge=0, description="P03 weight per incumbent team member")


class RuleSettings(Strict):
    seats: Seats = Field(default_factory=Seats)
    disabled: list[str] = Field(default_factory=list, description="Rule ids switched off")
    min_women: int = Field(1, ge=0, description="S09 minimum number of women in the team")
    min_young: int = Field(1, ge=0, description="S08 minimum number of young team members")
    young_max_age: int = Field(35, ge=18, description="S08 young = at most this age")
    secretary_max_age: int = Field(45, ge=18, description="S06 age limit for a new secretary")
    secretary_min_party_years: int = Field(1, ge=0, description="S06 Party standing in full years")
    secretary_min_education: Education = Field("college", description="S06 minimum education")
    rc_party_share_min: float = Field(0.5, ge=0, lt=1, description="S11 Party share strictly above this")
    differential_ratio: float = Field(0.2, ge=0, description="S17 Party list at least ceil(seats x (1 + ratio))")
    robust_list: bool = Field(False, description="S18 robust differential lists")
    recusal_supervisory: bool = Field(True, description="S07 also between the supervisory committee and the team")
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


class PreviousTerm(Strict):
    college_share: float | None = Field(None, ge=0, le=1, description="S10 previous term's college share")
    rc_party_share: float | None = Field(None, ge=0, le=1, description="S11 previous term's Party share")


class After(Strict):
    stage: str
    gap: int = Field(1, description="Calendar days: start >= end(stage) + gap")
    rule: Literal["T02", "T05", "T09", "T10"] = "T02"


class Stage(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    name: str = ""
    window: tuple[date, date] | None = Field(None, description="T01 window, inclusive")
    duration: int = Field(1, ge=1)
    unit: Literal["calendar", "working"] = "calendar"
    after: list[After] = Field(default_factory=list)
    election: bool = False
    work_group: bool = False
    publicity: bool = False

    @field_validator("after", mode="before")
    @classmethod
    def _bare_names(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [{"stage": a} if isinstance(a, str) else a for a in v]
        return v


class ScheduleSettings(Strict):
    template: str = Field("2020", description='"2020" or "none"')
    allowed_election_days: Literal["any", "weekends", "workdays"] = "any"
    blackout: list[date] = Field(default_factory=list, description="T08 dates with no stage")
    holidays: list[date] = Field(default_factory=list, description="Extra days off")
    workdays: list[date] = Field(default_factory=list, description="Extra make-up working days")
    pin: dict[str, date] = Field(default_factory=dict, description="What-if: fixed stage start dates")
    deadlines: dict[str, date] = Field(default_factory=dict, description="T06 deadlines (merged over defaults)")
    stages: list[dict[str, Any]] = Field(default_factory=list, description="Stages added or replaced by id")

    @field_validator("template", mode="before")
    @classmethod
    def _known_template(cls, v: Any) -> Any:
        v = str(v)
        if v not in TEMPLATES:
            raise ValueError(f"unknown template '{v}'; use one of {', '.join(TEMPLATES)}")
        return v

    def effective_deadlines(self) -> dict[str, date]:
        return {**DEFAULT_DEADLINES, **self.deadlines}

    def effective_stages(self) -> list[Stage]:
        """The template's stages with the scenario's stages merged over them by id (partial entries allowed)."""
        merged: dict[str, dict[str, Any]] = {s["id"]: dict(s) for s in TEMPLATES[self.template]}
        for raw in self.stages:
            sid = raw.get("id")
            merged[sid] = {**merged.get(sid, {}), **raw}
        return [Stage.model_validate(s) for s in merged.values()]


class Community(Strict):
    """A community (社区) scenario."""

    kind: Literal["community"] = "community"
    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    name: str = ""
    subdistrict: str = ""
    reference_date: date = Field(description="Ages and Party standing are measured on this date")
    multi_ethnic: bool = Field(False, description="Turns on S19")
    previous_term: PreviousTerm = Field(default_factory=PreviousTerm)
    rules: RuleSettings = Field(default_factory=RuleSettings)
    people: list[Person] = Field(default_factory=list)
    others: list[Other] = Field(default_factory=list)
    relatives: list[Relative] = Field(default_factory=list)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)

    @field_validator("people", "others", "relatives", mode="before")
    @classmethod
    def _none_is_empty(cls, v: Any) -> Any:
        return [] if v is None else v

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


class Subdistrict(Strict):
    """A sub-district (街道) scenario: communities sharing a work group."""

    kind: Literal["subdistrict"] = "subdistrict"
    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    name: str = ""
    communities: list[Community] = Field(default_factory=list)
    capacity: int = Field(2, ge=1, description="T07: communities per day for work-group stages and elections")
    concentrated_election_day: date | None = Field(None, description="集中选举日 for every residents' election")

    def canonical_json(self) -> str:
        return self.model_dump_json()

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()


Scenario = Community | Subdistrict


# ---------------------------------------------------------------- errors


# ---------------------------------------------------------------- loading


class _ScenarioLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so pydantic validates them and a bad date (1980-13-45)
    is reported with its record and field instead of crashing the YAML parser."""


_ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_file(path: Path) -> Any:
    """Parse a YAML or JSON file, turning syntax errors into a ScenarioError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Issue(file=str(path), message=f"cannot read the file: {exc}",
                                   hint="check the path and that the file is UTF-8 text")]) from None
    return parse_text(text, str(path))


def parse_text(text: str, source: str) -> Any:
    """Parse YAML or JSON text (JSON when `source` ends in .json), turning syntax errors into a ScenarioError."""
    is_json = source.lower().endswith(".json")
    try:
        return json.loads(text) if is_json else yaml.load(text, Loader=_ScenarioLoader)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ScenarioError([Issue(file=source, message=f"not valid {'JSON' if is_json else 'YAML'}: "
                                   f"{exc}".replace("\n", " "), hint="fix the syntax at the line shown")]) from None


def load_scenario_text(text: str, source: str = "upload.yaml", base_dir: Path | None = None) -> Scenario:
    """Validate scenario text (an upload, an edit in the app); `source` names it in messages."""
    return parse_scenario(parse_text(text, source), source=source, base_dir=base_dir)


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a community or sub-district scenario file."""
    path = Path(path)
    return parse_scenario(read_file(path), source=str(path), base_dir=path.parent)


def parse_scenario(data: Any, source: str = "<scenario>", base_dir: Path | None = None) -> Scenario:
    """Validate already-parsed data (a dict) as a scenario; raises ScenarioError with every issue."""
    if not isinstance(data, dict):
        raise ScenarioError([Issue(file=source, message="the file must hold a mapping (kind, id, people, ...)",
                                   hint="start the file with 'kind: community' or 'kind: subdistrict'")])
    kind = data.get("kind", "community")
    if kind == "subdistrict":
        return _parse_subdistrict(data, source, base_dir or Path("."))
    if kind != "community":
        raise ScenarioError([Issue(file=source, field="kind", message=f"unknown kind '{kind}'",
                                   hint="use 'community' or 'subdistrict'")])
    return _parse_community(data, source)


def _parse_subdistrict(data: dict, source: str, base_dir: Path) -> Subdistrict:
    issues: list[Issue] = []
    communities: list[Community] = []
    entries = data.get("communities") or []
    if not isinstance(entries, list):
        entries = []
        issues.append(Issue(file=source, field="communities", message="must be a list of files or communities",
                            hint="write communities: [a.yaml, b.yaml]"))
    for i, entry in enumerate(entries):
        try:
            if isinstance(entry, str):
                child = base_dir / entry
                if not child.exists():
                    issues.append(Issue(file=source, record=f"communities[{i}]", field="communities",
                                        message=f"file '{entry}' does not exist",
                                        hint="give a path relative to the sub-district file"))
                    continue
                communities.append(_parse_community(read_file(child), str(child)))
            elif isinstance(entry, dict):
                communities.append(_parse_community(entry, f"{source} communities[{i}]"))
            else:
                issues.append(Issue(file=source, record=f"communities[{i}]", field="communities",
                                    message="must be a file path or a community mapping"))
        except ScenarioError as exc:
            issues.extend(exc.issues)
    ids = [c.id for c in communities]
    for dup in sorted({x for x in ids if ids.count(x) > 1}):
        issues.append(Issue(file=source, record=f"community {dup}", field="id",
                            message=f"community id '{dup}' appears more than once", hint="give each community its own id"))
    body = {k: v for k, v in data.items() if k != "communities"}
    try:
        sub = Subdistrict.model_validate({**body, "communities": []})
    except ValidationError as exc:
        issues.extend(_pydantic_issues(exc, data, source))
        sub = None
    if issues:
        raise ScenarioError(issues)
    assert sub is not None
    sub.communities = communities
    return sub


def _parse_community(data: Any, source: str) -> Community:
    if not isinstance(data, dict):
        raise ScenarioError([Issue(file=source, message="a community must be a mapping")])
    issues: list[Issue] = []
    community: Community | None = None
    try:
        community = Community.model_validate(data)
    except ValidationError as exc:
        issues.extend(_pydantic_issues(exc, data, source))
    issues.extend(_reference_issues(data, source))
    if community is not None:
        issues.extend(_date_issues(community, source))
        issues.extend(_schedule_issues(community, source))
    if issues:
        raise ScenarioError(issues)
    assert community is not None
    return community


def _record_name(data: dict, loc: tuple) -> tuple[str, str]:
    """Turn a pydantic location into ('people[2] (id p03)', 'birth_date')."""
    if len(loc) >= 2 and isinstance(loc[1], int) and loc[0] in ("people", "others", "relatives", "communities"):
        seq = data.get(loc[0]) or []
        entry = seq[loc[1]] if loc[1] < len(seq) else None
        ident = entry.get("id") if isinstance(entry, dict) else None
        if loc[0] == "relatives" and isinstance(entry, dict):
            ident = f"{entry.get('a')}-{entry.get('b')}"
        record = f"{loc[0]}[{loc[1]}]" + (f" (id {ident})" if ident else "")
        return record, ".".join(str(x) for x in loc[2:])
    return "", ".".join(str(x) for x in loc)


HINTS = {
    "missing": "add this field",
    "date_from_datetime_parsing": "write dates as YYYY-MM-DD",
    "date_parsing": "write dates as YYYY-MM-DD",
    "date_type": "write dates as YYYY-MM-DD",
    "literal_error": "use one of the allowed values",
    "string_pattern_mismatch": "use letters, digits, '_' or '-' only",
    "extra_forbidden": "remove this field",
    "greater_than_equal": "raise the value",
    "less_than_equal": "lower the value",
    "less_than": "lower the value",
    "int_parsing": "write a whole number",
    "bool_parsing": "write true or false",
}


def _pydantic_issues(exc: ValidationError, data: dict, source: str) -> list[Issue]:
    issues = []
    for err in exc.errors():
        record, fld = _record_name(data, err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        if err.get("input") is not None and err["type"] != "missing" and not isinstance(err["input"], (dict, list)):
            message += f" (got {err['input']!r})"
        issues.append(Issue(file=source, record=record, field=fld or "-", message=message,
                            hint=HINTS.get(err["type"], "")))
    return issues


def _reference_issues(data: dict, source: str) -> list[Issue]:
    """Unique ids, references to known people, known rule ids, kinship contradictions (on the raw data)."""
    issues: list[Issue] = []
    people = [p for p in (data.get("people") or []) if isinstance(p, dict)]
    others = [p for p in (data.get("others") or []) if isinstance(p, dict)]
    seen: dict[str, str] = {}
    for group, entries in (("people", people), ("others", others)):
        for i, entry in enumerate(entries):
            pid = entry.get("id")
            if pid is None:
                continue
            if pid in seen:
                issues.append(Issue(file=source, record=f"{group}[{i}] (id {pid})", field="id",
                                    message=f"id '{pid}' is used twice (also in {seen[pid]})",
                                    hint="give every person a unique id"))
            else:
                seen[pid] = f"{group}[{i}]"
    known = set(seen)
    rels = data.get("relatives") or []
    if not isinstance(rels, list):
        rels = []
    parents: dict[str, set[str]] = defaultdict(set)
    for i, rel in enumerate(rels):
        if not isinstance(rel, dict):
            continue
        record = f"relatives[{i}] ({rel.get('a')}-{rel.get('b')})"
        for end in ("a", "b"):
            if rel.get(end) is not None and rel.get(end) not in known:
                issues.append(Issue(file=source, record=record, field=end,
                                    message=f"'{rel.get(end)}' is not a person or other",
                                    hint="add them to people or others, or correct the id"))
        if rel.get("a") is not None and rel.get("a") == rel.get("b"):
            issues.append(Issue(file=source, record=record, field="b",
                                message="a person cannot be their own relative", hint="correct a or b"))
        if rel.get("relation") == "parent":
            parents[rel.get("b")].add(rel.get("a"))
        elif rel.get("relation") == "child":
            parents[rel.get("a")].add(rel.get("b"))
    for child, ps in parents.items():
        if len(ps) > 2:
            issues.append(Issue(file=source, record=f"person {child}", field="relatives",
                                message=f"has more than two parents ({', '.join(sorted(map(str, ps)))})",
                                hint="remove the wrong parent relations"))
    issues.extend(_ancestor_cycles(rels, source))
    for i, entry in enumerate(people):
        record = f"people[{i}] (id {entry.get('id')})"
        for body in entry.get("stands_for") or []:
            if body not in POSTS:
                issues.append(Issue(file=source, record=record, field="stands_for",
                                    message=f"'{body}' is not a body", hint=f"use {', '.join(POSTS)}"))
    rules = data.get("rules") or {}
    disabled = rules.get("disabled") if isinstance(rules, dict) else None
    for rid in disabled or []:
        if rid in ALWAYS_ON:
            issues.append(Issue(file=source, record="rules", field="disabled",
                                message=f"{rid} (seats) always holds and cannot be switched off",
                                hint=f"remove {rid}; change rules.seats instead"))
        elif rid not in RULES:
            issues.append(Issue(file=source, record="rules", field="disabled", message=f"unknown rule id '{rid}'",
                                hint="use ids of RULES.md such as S12 or T08"))
    return issues


def _ancestor_cycles(rels: list, source: str) -> list[Issue]:
    """Someone their own ancestor, or two people each other's parent."""
    import networkx as nx

    graph = nx.DiGraph()  # edge ancestor -> descendant
    for rel in rels:
        if not isinstance(rel, dict):
            continue
        a, b, kind = rel.get("a"), rel.get("b"), rel.get("relation")
        if a is None or b is None or a == b:
            continue
        if kind in ("parent", "grandparent"):
            graph.add_edge(a, b)
        elif kind in ("child", "grandchild"):
            graph.add_edge(b, a)
    issues = []
    for cycle in nx.simple_cycles(graph):
        people = " -> ".join(map(str, cycle + cycle[:1]))
        what = "two people are each other's parent" if len(cycle) == 2 else "someone is their own ancestor"
        issues.append(Issue(file=source, record=f"person {cycle[0]}", field="relatives",
                            message=f"kinship contradiction: {what} ({people})",
                            hint="remove or reverse the wrong parent/grandparent relation"))
    return issues


def _date_issues(c: Community, source: str) -> list[Issue]:
    issues = []
    for i, p in enumerate(c.people):
        record = f"people[{i}] (id {p.id})"
        if p.birth_date >= c.reference_date:
            issues.append(Issue(file=source, record=record, field="birth_date",
                                message=f"born {p.birth_date}, not before the reference date {c.reference_date}",
                                hint="correct the birth date"))
        if p.party_member and p.party_joined is None:
            issues.append(Issue(file=source, record=record, field="party_joined",
                                message="a Party member needs the date of joining",
                                hint="add party_joined: YYYY-MM-DD, or set party_member: false"))
        if p.party_joined is not None:
            if not p.party_member:
                issues.append(Issue(file=source, record=record, field="party_joined",
                                    message="a joining date is given but party_member is false",
                                    hint="set party_member: true or remove party_joined"))
            if p.party_joined >= c.reference_date:
                issues.append(Issue(file=source, record=record, field="party_joined",
                                    message=f"joined {p.party_joined}, not before the reference date {c.reference_date}",
                                    hint="correct the joining date"))
            if full_years(p.birth_date, p.party_joined) < 18:
                issues.append(Issue(file=source, record=record, field="party_joined",
                                    message=f"joined {p.party_joined} before turning 18 (born {p.birth_date})",
                                    hint="Party members join at 18 or older: correct either date"))
    return issues


def _schedule_issues(c: Community, source: str) -> list[Issue]:
    issues = []
    try:
        stages = c.schedule.effective_stages()
    except ValidationError as exc:
        for err in exc.errors():
            issues.append(Issue(file=source, record="schedule.stages", field=".".join(map(str, err["loc"])),
                                message=err["msg"], hint=HINTS.get(err["type"], "")))
        return issues
    ids = {s.id for s in stages}
    for s in stages:
        if s.window is None:
            issues.append(Issue(file=source, record=f"stage {s.id}", field="window",
                                message="a stage needs a window", hint="add window: [YYYY-MM-DD, YYYY-MM-DD]"))
        elif s.window[0] > s.window[1]:
            issues.append(Issue(file=source, record=f"stage {s.id}", field="window",
                                message=f"window ends {s.window[1]} before it starts {s.window[0]}",
                                hint="swap or correct the dates"))
        for a in s.after:
            if a.stage not in ids:
                issues.append(Issue(file=source, record=f"stage {s.id}", field="after",
                                    message=f"follows unknown stage '{a.stage}'", hint="use an existing stage id"))
    for sid in c.schedule.pin:
        if sid not in ids:
            issues.append(Issue(file=source, record="schedule", field=f"pin.{sid}",
                                message=f"pins unknown stage '{sid}'", hint=f"use a stage id such as {next(iter(ids), 'pc_election')}"))
    for sid in c.schedule.deadlines:
        if sid not in ids:
            issues.append(Issue(file=source, record="schedule", field=f"deadlines.{sid}",
                                message=f"a deadline for unknown stage '{sid}'", hint="use an existing stage id"))
    return issues


DateAdapter = TypeAdapter(date)


def parse_date(text: str) -> date:
    """Parse YYYY-MM-DD (used by the command line for --pin)."""
    return DateAdapter.validate_python(text)


def communities(scenario: Scenario) -> list[Community]:
    """The communities of a scenario (one for a community scenario)."""
    return scenario.communities if isinstance(scenario, Subdistrict) else [scenario]

