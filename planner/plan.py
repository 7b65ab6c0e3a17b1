"""Plans and solved results: a slate (posts and candidate lists) with per-rule checks, `SlateResult`
and `ScheduleResult`.

The solvers produce these, the checkers judge them, the CLI, app and exports show them; JSON
(`to_json` / `from_json`) exists only at the edges: `--json` output, plan.json, `planner verify`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from planner.scenario import BODIES, TEAM_BODIES, PersonId, Scenario, Stage, communities
from planner.text import Text
from planner.timeline.stages import Pin


class PartyPosts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    secretary: PersonId | None = None
    deputy_secretary: PersonId | None = None
    discipline_inspector: PersonId | None = None
    member: list[PersonId] = Field(default_factory=list)


class ResidentsPosts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    director: PersonId | None = None
    deputy_director: PersonId | None = None
    member: list[PersonId] = Field(default_factory=list)


class SupervisoryPosts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    director: PersonId | None = None
    member: list[PersonId] = Field(default_factory=list)


class Posts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    party_committee: PartyPosts = Field(default_factory=PartyPosts)
    residents_committee: ResidentsPosts = Field(default_factory=ResidentsPosts)
    supervisory_committee: SupervisoryPosts = Field(default_factory=SupervisoryPosts)


class RuleCheck(BaseModel):
    """One rule's verdict on a plan, with the people (or stages) involved."""

    rule: str
    ok: bool
    detail: str = ""  # "中文 / English", as the JSON has always carried it
    detail_zh: str = ""
    detail_en: str = ""
    people: list[str] = Field(default_factory=list)
    disabled: bool = False

    def text(self, lang: str) -> str:
        """The detail in one language (older plans without detail_zh/detail_en give `detail`)."""
        chosen = self.detail_zh if lang == "zh" else self.detail_en
        return chosen or self.detail


class Slate(BaseModel):
    """A proposed team: posts of the three bodies and the differential candidate lists (S17)."""

    model_config = ConfigDict(extra="allow")
    rank: int | None = None
    objective: int | None = None
    posts: Posts = Field(default_factory=Posts)
    candidate_lists: dict[str, list[PersonId]] = Field(default_factory=dict)
    checks: list[RuleCheck] = Field(default_factory=list)

    def holders(self, body: str) -> list[tuple[str, PersonId]]:
        """(post, person) for every seat of a body, in post order; empty posts are left out."""
        out: list[tuple[str, PersonId]] = []
        for post, value in getattr(self.posts, body).model_dump().items():
            if isinstance(value, list):
                out.extend((post, pid) for pid in value)
            elif value is not None:
                out.append((post, value))
        return out

    def members(self, body: str) -> list[PersonId]:
        return [pid for _, pid in self.holders(body)]

    def team(self) -> set[PersonId]:
        """The 两委 team: everyone with a post in the Party or the residents' committee."""
        return {pid for body in TEAM_BODIES for pid in self.members(body)}

    def post_of(self, pid: PersonId) -> list[tuple[str, str]]:
        """Every (body, post) a person holds."""
        return [(body, post) for body in BODIES for post, holder in self.holders(body) if holder == pid]

    def to_json(self) -> dict[str, Any]:
        """The slate in the JSON of SCENARIO.md (rank, objective, posts, candidate_lists, checks)."""
        return {
            "rank": self.rank,
            "objective": self.objective,
            "posts": self.posts.model_dump(),
            "candidate_lists": {b: list(v) for b, v in self.candidate_lists.items()},
            "checks": [ch.model_dump() for ch in self.checks],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slate:
        return cls.model_validate(
            {
                k: v
                for k, v in data.items()
                if k in ("rank", "objective", "posts", "candidate_lists", "checks")
            }
        )


def slate_json(slate: Slate) -> dict[str, Any]:
    return slate.to_json()


# ---------------------------------------------------------------- solved results


def warnings_json(warnings: list[Text]) -> dict[str, Any]:
    """ "warnings" as "中文 / English" lines (as the JSON has always carried them) and "warning_texts" by language."""
    return {"warnings": [w.both() for w in warnings], "warning_texts": [w.to_json() for w in warnings]}


def warnings_from_json(data: dict[str, Any]) -> list[Text]:
    texts = data.get("warning_texts")
    if isinstance(texts, list):
        return [Text.from_json(w) for w in texts]
    return [Text.same(str(w)) for w in data.get("warnings") or []]


@dataclass
class SlateResult:
    """Slates best first (each re-checked), or an explanation; plus the why-not answer."""

    scenario: str
    status: str
    slates: list[Slate] = field(default_factory=list)
    explanation: dict[str, Any] | None = None
    why_not: dict[str, Any] | None = None
    solver: dict[str, Any] = field(default_factory=dict)
    warnings: list[Text] = field(default_factory=list)  # e.g. top-K cut short by the time limit
    # re-planning from an adopted plan (SCENARIO.md "Re-planning"): the base and what changed, or None
    base: dict[str, Any] | None = None
    changes: list[dict[str, Any]] | None = None
    # 另行选举 (SCENARIO.md "Second round"): the elected, the seats left and the second-round lists, or None
    second_round: dict[str, Any] | None = None
    by_election: dict[str, Any] | None = None  # 补选: {"vacancies", "sitting", ...} (by_election_json)

    def to_json(self) -> dict[str, Any]:
        """The JSON of `planner slate --json` (SCENARIO.md) plus "solver", "why_not" and "warnings"
        (and "base" and "changes" when re-planned, "second_round" for a second round, "by_election"
        for a by-election: the vacancies filled, the sitting members)."""
        out = {
            "scenario": self.scenario,
            "status": self.status,
            "slates": [s.to_json() for s in self.slates],
            "explanation": self.explanation,
            "solver": self.solver,
            "why_not": self.why_not,
            **warnings_json(self.warnings),
        }
        if self.base is not None:
            out["base"] = self.base
            out["changes"] = list(self.changes or [])
        if self.second_round is not None:
            out["second_round"] = self.second_round
        if self.by_election is not None:
            out["by_election"] = self.by_election
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SlateResult:
        """The result back from `to_json()` (a saved `planner slate --json`)."""
        return cls(
            scenario=str(data.get("scenario", "")),
            status=str(data.get("status", "unknown")),
            slates=[Slate.from_json(s) for s in data.get("slates") or []],
            explanation=data.get("explanation"),
            why_not=data.get("why_not"),
            solver=dict(data.get("solver") or {}),
            warnings=warnings_from_json(data),
            base=data.get("base"),
            changes=data.get("changes"),
            second_round=data.get("second_round"),
            by_election=data.get("by_election"),
        )


def by_election_json(c: Any) -> dict[str, Any] | None:
    """A by-election's facts for results and exports: the vacant posts (as written), the sitting members
    and their posts, and the note in both languages; None for a full election."""
    if not c.by_election:
        return None
    note = c.by_election_note()
    return {
        "vacancies": list(c.vacancies),
        "sitting": c.sitting(),
        "message_zh": note.zh,
        "message_en": note.en,
    }


Plan = dict[str, dict[str, tuple[date, date]]]
OBJECTIVE_LEVELS = ("rc_election", "pc_election", "starts")


@dataclass
class ScheduleResult:
    """A solved (or explained) schedule in the JSON shape of SCENARIO.md."""

    scenario: Scenario
    status: str  # optimal | feasible | infeasible | unknown
    plan: Plan = field(default_factory=dict)
    slack: dict[str, dict[str, int]] = field(default_factory=dict)
    explanation: dict[str, Any] | None = None
    warnings: list[Text] = field(default_factory=list)
    objective: tuple[int, ...] | None = None
    pins: list[Pin] = field(default_factory=list)
    solver: dict[str, Any] = field(default_factory=dict)
    checks: list[RuleCheck] = field(default_factory=list)

    @property
    def scenario_id(self) -> str:
        return self.scenario.id

    def critical_path(self, cid: str) -> list[str]:
        """Stages with slack 0, in template order."""
        return [sid for sid, s in self.slack.get(cid, {}).items() if s == 0]

    def stages(self, cid: str) -> list[tuple[Stage, date, date, int | None]]:
        """(stage, start, end, slack days) of one community's planned stages, in template order."""
        c = next((c for c in communities(self.scenario) if c.id == cid), None)
        planned = self.plan.get(cid)
        if c is None or not planned:
            return []
        return [
            (s, *planned[s.id], self.slack.get(cid, {}).get(s.id))
            for s in c.schedule.effective_stages()
            if s.id in planned
        ]

    def communities_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for c in communities(self.scenario):
            if c.id not in self.plan:
                continue
            rows = [
                {
                    "id": s.id,
                    "name": s.name,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "slack_days": slack,
                    "duration": s.duration,
                    "unit": s.unit,
                    "election": s.election,
                    "work_group": s.work_group,
                    "publicity": s.publicity,
                }
                for s, start, end, slack in self.stages(c.id)
            ]
            out[c.id] = {"name": c.name, "stages": rows, "critical_path": self.critical_path(c.id)}
            if c.by_election:  # 补选: say so, with the posts filled and the template in force
                out[c.id]["by_election"] = by_election_json(c)
        return out

    def to_json(self) -> dict[str, Any]:
        """The JSON of `planner schedule --json` plus warnings, critical paths and solver settings."""
        return {
            "scenario": self.scenario.id,
            "status": self.status,
            "communities": self.communities_json(),
            "explanation": self.explanation,
            **warnings_json(self.warnings),
            "pins": {p.key: p.day.isoformat() for p in self.pins},
            "objective": None
            if self.objective is None
            else dict(zip(OBJECTIVE_LEVELS, self.objective, strict=False)),
            "solver": dict(self.solver),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], scenario: Scenario) -> ScheduleResult:
        """The result back from `to_json()` for `scenario` (stages and slack; pins by key and day)."""
        plan: Plan = {}
        slack: dict[str, dict[str, int]] = {}
        for cid, entry in (data.get("communities") or {}).items():
            for row in entry.get("stages") or []:
                plan.setdefault(cid, {})[row["id"]] = (
                    date.fromisoformat(row["start"]),
                    date.fromisoformat(row["end"]),
                )
                if row.get("slack_days") is not None:
                    slack.setdefault(cid, {})[row["id"]] = int(row["slack_days"])
        pins = []
        for key, day in (data.get("pins") or {}).items():
            where = key.removeprefix("pin:")
            community, _, stage = where.rpartition("/")
            pins.append(
                Pin(key=key, community=community, stage=stage, day=date.fromisoformat(day), source="plan")
            )
        objective = data.get("objective")
        return cls(
            scenario=scenario,
            status=str(data.get("status", "unknown")),
            plan=plan,
            slack=slack,
            explanation=data.get("explanation"),
            warnings=warnings_from_json(data),
            objective=None
            if objective is None
            else tuple(objective[k] for k in OBJECTIVE_LEVELS if k in objective),
            pins=pins,
            solver=dict(data.get("solver") or {}),
        )
