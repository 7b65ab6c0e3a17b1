"""Plans as the JSON of SCENARIO.md: a slate (posts and candidate lists) and per-rule checks.

The solver produces these, the checker judges them, the CLI, app and exports show them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from planner.scenario import BODIES, TEAM_BODIES, PersonId


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
