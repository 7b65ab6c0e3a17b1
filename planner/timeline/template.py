"""The stage templates (SCENARIO.md "Cycles: phase dates" and "Stages", work plan section 四).

One stage list, the seed's (`GENERIC`), kept as data in planner/timeline/templates/seed-2020.yaml with
the reasons for each duration: ids, precedence and durations are fixed by the contract, and each stage's
window is one of the five phases of a county's work plan (`representatives` spans two). Template
"generic" takes the phases from the scenario (`schedule.phases`); template "2020" is the same list on
the seed's phases (`SEED_PHASES`, with the seed's deadlines `SEED_DEADLINES`); "none" has no stages.
Every 2020/2021 date of the planner lives in that file (and in the naiman-2020 rule profile).

A county may copy the file, edit its stages and durations, and name the copy in `schedule.template`:
planner.scenario reads it (strictly, inside the scenario's folder) into a `StageTemplate`, kept inline
in the validated scenario. A template file with `phases` plans on them unless the scenario gives its
own `schedule.phases`; one without takes the scenario's, as "generic" does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

# The five phases of a county's work plan (四): name -> (Chinese, English).
PHASES: dict[str, tuple[str, str]] = {
    "mobilise": ("动员部署", "mobilisation"),  # 四(一)
    "party": ("党组织选举", "Party election"),  # 四(二)1
    "residents": ("居委会选举", "residents' committee election"),  # 四(二)2
    "supporting": ("配套组织推选", "supporting bodies"),  # 四(二)3
    "follow_up": ("后续工作", "follow-up"),  # 四(二)4
}

Phases = dict[str, tuple[date, date]]

TEMPLATE_DIR = Path(__file__).with_name("templates")  # the bundled template files (package data)
SEED_FILE = TEMPLATE_DIR / "seed-2020.yaml"
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json")

PhaseName = Literal["mobilise", "party", "residents", "supporting", "follow_up"]
BodyName = Literal["party_committee", "residents_committee", "supervisory_committee"]
StageId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$", max_length=64)]
Name = Annotated[str, Field(max_length=200)]


def _user_key(key: Any) -> bool:
    return isinstance(key, str) and (key.startswith("x_") or key == "notes")


class _Record(BaseModel):
    """Unknown keys are bad input; `x_*` keys and `notes` are the user's own (dropped, as comments)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _drop_user_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not _user_key(k)}
        return data


def _bare_name(v: Any) -> Any:
    return {"stage": v} if isinstance(v, str) else v


class TemplateAfter(_Record):
    """A precedence: start >= end(stage) + gap calendar days, under a rule."""

    stage: StageId
    gap: int = Field(1, ge=0, le=366, strict=True)
    rule: Literal["T02", "T05", "T09", "T10"] = "T02"


class TemplateStage(_Record):
    """A template stage: its window is the phase(s) it belongs to."""

    id: StageId
    name: Name = ""
    owner: Name = Field("", description="责任人: who carries the stage out (the 日程安排表's column)")
    phases: list[PhaseName] = Field(min_length=1, max_length=2)
    duration: int = Field(1, ge=1, le=366, strict=True)
    unit: Literal["calendar", "working"] = "calendar"
    after: list[Annotated[TemplateAfter, BeforeValidator(_bare_name)]] = Field(
        default_factory=list, max_length=50
    )
    election: StrictBool = False
    work_group: StrictBool = False
    publicity: StrictBool = False
    body: BodyName | None = Field(
        None, description="by-election (补选) templates: planned only when this body has a vacancy"
    )

    def data(self) -> dict[str, Any]:
        """The stage as the scenario's stage data (without its window)."""
        flags = {
            f: getattr(self, f)
            for f in ("owner", "election", "work_group", "publicity")
            if f in self.model_fields_set
        }
        return {
            "id": self.id,
            "name": self.name,
            "phases": tuple(self.phases),
            "duration": self.duration,
            "unit": self.unit,
            "after": [a.model_dump(exclude_unset=True) for a in self.after],
            **flags,
            **({"body": self.body} if self.body is not None else {}),
        }


Span = tuple[date, date]


class TemplatePhases(_Record):
    """A template's own phases, each [first, last]: all five, each in order."""

    mobilise: Span
    party: Span
    residents: Span
    supporting: Span
    follow_up: Span

    @model_validator(mode="after")
    def _in_order(self) -> TemplatePhases:
        for name, (zh, en) in PHASES.items():
            first, last = getattr(self, name)
            if last < first:
                raise PydanticCustomError(
                    "phase",
                    "phase {name} ({en}) ends {last} before it starts {first}",
                    {
                        "name": name,
                        "en": en,
                        "last": str(last),
                        "first": str(first),
                        "zh": f"阶段 {name}（{zh}）结束于 {last}，早于开始 {first}",
                    },
                )
        return self

    def spans(self) -> Phases:
        return {name: tuple(getattr(self, name)) for name in PHASES}  # type: ignore[misc]


class StageTemplate(_Record):
    """A stage template file (planner/timeline/templates/seed-2020.yaml, or a county's copy)."""

    id: StageId = Field(description="The template's name, e.g. seed-2020")
    name: Name = ""
    name_en: Name = ""
    phases: TemplatePhases | None = Field(None, description="Its own phases; none: the scenario's")
    deadline_phases: dict[StageId, PhaseName] = Field(
        default_factory=dict, max_length=50, description="T06 deadlines by default: a phase's end"
    )
    deadlines: dict[StageId, date] = Field(
        default_factory=dict, max_length=50, description="T06 deadlines of its own phases"
    )
    stages: list[TemplateStage] = Field(min_length=1, max_length=500)

    @field_validator("stages")
    @classmethod
    def _ids_and_references(cls, v: list[TemplateStage]) -> list[TemplateStage]:
        seen: set[str] = set()
        for s in v:
            if s.id in seen:
                raise PydanticCustomError(
                    "stage_id",
                    "the stage id '{id}' is given twice",
                    {"id": s.id, "zh": f"环节编号“{s.id}”重复"},
                )
            seen.add(s.id)
        for s in v:
            for a in s.after:
                if a.stage not in seen:
                    raise PydanticCustomError(
                        "stage_ref",
                        "stage {id}: after names '{ref}', which is not a stage of the template",
                        {
                            "id": s.id,
                            "ref": a.stage,
                            "zh": f"环节 {s.id}：after 中的“{a.stage}”不是本模板的环节",
                        },
                    )
        return v

    @model_validator(mode="after")
    def _deadlines_with_phases(self) -> StageTemplate:
        if self.deadlines and self.phases is None:
            raise PydanticCustomError(
                "deadlines",
                "deadlines are the dates of the template's own phases; add phases, or remove deadlines",
                {"zh": "deadlines 是模板自身阶段的日期；请补充 phases，或删除 deadlines"},
            )
        return self

    def label(self) -> str:
        return f"{self.id} ({self.name_en or self.name})" if (self.name_en or self.name) else self.id

    def own_phases(self) -> Phases | None:
        return self.phases.spans() if self.phases else None

    def stage_data(self) -> list[dict[str, Any]]:
        return [s.data() for s in self.stages]


Template = str | StageTemplate


def read_template(path: Path) -> StageTemplate:
    """A bundled template file (trusted package data; a county's file is read by planner.scenario)."""
    with open(path, encoding="utf-8") as f:
        return StageTemplate.model_validate(yaml.safe_load(f))


SEED = read_template(SEED_FILE)
BY_ELECTION_FILE = TEMPLATE_DIR / "by-election.yaml"
BUILTIN_FILES: dict[str, StageTemplate] = {"by-election": read_template(BY_ELECTION_FILE)}
"""Bundled template files named by a word in `schedule.template` (kept inline once validated, like a
county's template file): "by-election" (补选, SCENARIO.md "By-elections")."""
GENERIC: list[dict[str, Any]] = SEED.stage_data()
SEED_PHASES: Phases = SEED.own_phases() or {}
SEED_DEADLINES: dict[str, date] = dict(SEED.deadlines)  # the plan's own T06 dates (work plan 二, 四)
DEADLINE_PHASES: dict[str, str] = dict(SEED.deadline_phases)  # generic: T06 deadline = a phase's end

TEMPLATE_PHASES: dict[str, Phases | None] = {"2020": SEED_PHASES, "generic": None, "none": {}}
"""Each template's phases: the seed's for "2020", the scenario's for "generic" (None), none for "none"."""

TEMPLATES: tuple[str, ...] = tuple(TEMPLATE_PHASES)


def names_a_file(value: Any) -> bool:
    """Whether `schedule.template` names a template file (rather than a built-in template)."""
    return isinstance(value, str) and value not in TEMPLATES and value.lower().endswith(TEMPLATE_SUFFIXES)


def template_label(template: Template) -> str:
    return template.label() if isinstance(template, StageTemplate) else template


def own_phases(template: Template, scenario_phases: bool = False) -> Phases | None:
    """The template's own phases in force, None when the scenario's apply: "generic", and a template file
    without phases or with the scenario's `schedule.phases` given (`scenario_phases`)."""
    if isinstance(template, StageTemplate):
        return None if scenario_phases else template.own_phases()
    return TEMPLATE_PHASES[template]


def on_phases(template: Template) -> bool:
    """Whether stage windows are phases a scenario may set or that are checked for fit ("generic", files)."""
    return isinstance(template, StageTemplate) or template == "generic"


def phase_span(phases: Phases, names: tuple[str, ...]) -> tuple[date, date] | None:
    """The window of a stage over `names` (one phase, or the first day of one to the last of another)."""
    if names[0] not in phases or names[-1] not in phases:
        return None
    return phases[names[0]][0], phases[names[-1]][1]


def template_phases(template: Template, given: Phases | None) -> Phases:
    """The phases in force: the template's own, or those the scenario gives ("generic")."""
    own = own_phases(template, bool(given))
    return dict(given or {}) if own is None else dict(own)


def _stage_list(template: Template, bodies: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """The template's stage data; with `bodies` (a by-election's bodies with vacancies) a stage marked
    with another `body` is left out, and so are the `after` entries naming a stage left out."""
    if isinstance(template, StageTemplate):
        stages = template.stage_data()
    else:
        stages = [] if template == "none" else GENERIC
    if bodies is None:
        return [{k: v for k, v in s.items() if k != "body"} for s in stages]
    kept = [s for s in stages if s.get("body") is None or s["body"] in bodies]
    ids = {s["id"] for s in kept}
    return [
        {
            **{k: v for k, v in s.items() if k != "body"},
            "after": [a for a in s["after"] if a["stage"] in ids],
        }
        for s in kept
    ]


def template_stages(
    template: Template, given: Phases | None = None, bodies: frozenset[str] | None = None
) -> list[dict[str, Any]]:
    """The template's stage data, each window set from its phase(s); "none" has no stages.

    A stage whose phase is missing gets no window (the scenario's validation names the phase)."""
    phases = template_phases(template, given)
    out = []
    for s in _stage_list(template, bodies):
        entry = {k: v for k, v in s.items() if k != "phases"}
        span = phase_span(phases, s["phases"])
        entry["window"] = list(span) if span else None
        out.append(entry)
    return out


def stage_phases(
    template: Template = "2020", bodies: frozenset[str] | None = None
) -> dict[str, tuple[str, ...]]:
    """Template stage id -> the phase(s) its window spans."""
    return {s["id"]: s["phases"] for s in _stage_list(template, bodies) or GENERIC}


def used_phases(template: Template, bodies: frozenset[str] | None = None) -> list[str]:
    """The phases the template's stages (those planned) use, in the work plan's order: the phases a
    scenario must give for a template without phases of its own."""
    used = {p for s in _stage_list(template, bodies) for p in s["phases"]}
    if not isinstance(template, StageTemplate):
        used = set(PHASES)
    return [p for p in PHASES if p in used]


def template_deadlines(template: Template, given: Phases | None = None) -> dict[str, date]:
    """Default T06 deadlines: the seed's for "2020" and "none", the phase ends for "generic"; a template
    file's phase ends, with its own `deadlines` while its own phases are in force."""
    if not isinstance(template, StageTemplate):
        if TEMPLATE_PHASES[template] is not None:
            return dict(SEED_DEADLINES)
        phases = template_phases(template, given)
        return {sid: phases[p][1] for sid, p in DEADLINE_PHASES.items() if p in phases}
    phases = template_phases(template, given)
    ends = {sid: phases[p][1] for sid, p in template.deadline_phases.items() if p in phases}
    own = own_phases(template, bool(given)) is not None
    return {**ends, **(template.deadlines if own else {})}
