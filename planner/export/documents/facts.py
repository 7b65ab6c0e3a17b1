"""What the printed documents read from a plan: the chosen option, seats by post, stage dates, people's facts.

Every document is generated from the scenario, the chosen slate (option 1, 方案一, of each community) and
the schedule; nothing here writes a file. Texts come in both languages (`Text`) and a writer picks one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.eligibility import EDUCATION_NAMES
from planner.export.common import PlanData, StageRow
from planner.plan import Slate
from planner.scenario import (
    BODIES,
    POST_NAMES,
    TEAM_BODIES,
    Community,
    Person,
    Subdistrict,
    education_at_least,
)
from planner.text import Text

SHORT_BODY = {
    "party_committee": Text("党组织", "Party committee"),
    "residents_committee": Text("居委会", "residents' committee"),
    "supervisory_committee": Text("监委会", "supervisory committee"),
}
GENDER = {"F": Text("女", "F"), "M": Text("男", "M")}
BLANK = "________"  # a space for the office to fill in by hand
CN_NUMBERS = "〇一二三四五六七八九十"


def community_name(c: Community) -> str:
    return c.name or c.id


def subdistrict_name(data: PlanData) -> str:
    """The sub-district's name: the scenario's for a sub-district, the community's `subdistrict` otherwise."""
    if isinstance(data.scenario, Subdistrict):
        return data.scenario.name or data.scenario.id
    return data.communities[0].subdistrict


def chosen(data: PlanData, c: Community) -> Slate | None:
    """The option the procedure documents are filled from: the first (方案一), None when there is none."""
    slates = data.slate_list(c.id)
    return slates[0] if slates else None


def person(c: Community, pid: str) -> Person | None:
    return c.person.get(pid)


def name(c: Community, pid: str) -> str:
    p = c.person.get(pid)
    return p.name if p is not None and p.name else pid


def names(c: Community, pids: list[str]) -> str:
    return "、".join(name(c, pid) for pid in pids)


def post_title(body: str, post: str) -> Text:
    """党组织书记, 居委会主任, 监委会成员 …"""
    zh, en = POST_NAMES[post]
    if body == "supervisory_committee" and post == "member":
        zh, en = "成员", "member"
    short = SHORT_BODY[body]
    return Text(short.zh + zh, f"{short.en} {en}")


def seat_rows(slates: list[Slate]) -> list[tuple[str, str]]:
    """(body, post) of every post any option fills, in post order."""
    seen: dict[tuple[str, str], None] = {}
    for body in BODIES:
        for slate in slates:
            for post, _ in slate.holders(body):
                seen.setdefault((body, post), None)
    order = {
        (b, p): i
        for i, (b, p) in enumerate(
            (b, p)
            for b in BODIES
            for p in ("secretary", "deputy_secretary", "discipline_inspector", "director")
        )
    }
    return sorted(seen, key=lambda bp: (BODIES.index(bp[0]), order.get(bp, 99)))


def holders(slate: Slate, body: str, post: str) -> list[str]:
    return [pid for p, pid in slate.holders(body) if p == post]


def team(slate: Slate) -> list[str]:
    """The 两委 team in post order, each person once."""
    return list(dict.fromkeys(pid for body in TEAM_BODIES for pid in slate.members(body)))


def everyone(slate: Slate) -> list[str]:
    """Every post holder of the three bodies, in post order, each once."""
    return list(dict.fromkeys(pid for body in BODIES for pid in slate.members(body)))


def candidate_list(slate: Slate, body: str) -> list[str]:
    """The differential candidate list (差额) of a body; the body's members when the plan gives none."""
    listed = slate.candidate_lists.get(body)
    return list(listed) if listed else slate.members(body)


def education(level: str, lang: str = "zh") -> str:
    zh, en = EDUCATION_NAMES.get(level, (level, level))
    return zh if lang == "zh" else en


def college(p: Person) -> bool:
    return education_at_least(p.education, "college")


def day(d: date | None, lang: str = "zh") -> str:
    """2026年3月8日 (Chinese) or 2026-03-08; a blank to fill in when there is no date."""
    if d is None:
        return BLANK
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.isoformat()


def span(start: date | None, end: date | None, lang: str = "zh") -> str:
    """2026年12月28日至2027年1月1日; one date when both are the same day."""
    if start is None or end is None:
        return f"{BLANK}至{BLANK}" if lang == "zh" else f"{BLANK} to {BLANK}"
    if start == end:
        return day(start, lang)
    if lang != "zh":
        return f"{start.isoformat()} to {end.isoformat()}"
    if start.year == end.year:
        return f"{day(start)}至{end.month}月{end.day}日"
    return f"{day(start)}至{day(end)}"


def short_span(start: date | None, end: date | None) -> str:
    """2026.10.22—11.04 for a table cell; one date when both are the same day."""
    if start is None or end is None:
        return ""
    first = f"{start.year}.{start.month:02d}.{start.day:02d}"
    if start == end:
        return first
    last = (
        f"{end.month:02d}.{end.day:02d}"
        if end.year == start.year
        else f"{end.year}.{end.month:02d}.{end.day:02d}"
    )
    return f"{first}—{last}"


@dataclass(frozen=True)
class Dates:
    """The planned dates of one community's stages, by stage id (empty without a schedule)."""

    rows: dict[str, StageRow]

    def start(self, sid: str) -> date | None:
        row = self.rows.get(sid)
        return row.start if row else None

    def end(self, sid: str) -> date | None:
        row = self.rows.get(sid)
        return row.end if row else None

    def of(self, *sids: str) -> StageRow | None:
        """The first of the stages that is planned."""
        return next((self.rows[s] for s in sids if s in self.rows), None)

    def publicity(self, prefix: str) -> StageRow | None:
        """The publicity stage (T03) of the Party (pc_) or residents' (rc_) procedure."""
        return next(
            (r for sid, r in self.rows.items() if sid.startswith(prefix) and r.stage.publicity),
            None,
        )


def dates(data: PlanData, c: Community) -> Dates:
    return Dates({row.stage.id: row for row in data.schedule_stages(c.id)})


def keywords(data: PlanData) -> str:
    """The document properties' keywords: the scenario's hash, tying the paper to its input."""
    return f"scenario-sha256:{data.audit.get('scenario', {}).get('sha256', '')}"


def birth_month(p: Person) -> str:
    """出生年月 as printed in personnel tables: 1982.03."""
    return f"{p.birth_date.year}.{p.birth_date.month:02d}"


def party_standing(p: Person) -> str:
    """政治面貌: 中共党员 or 群众."""
    return "中共党员" if p.party_member else "群众"


def incumbent_posts(p: Person) -> str:
    """现任职务: 党组织书记、居委会主任 …"""
    return "、".join(post_title(*x.split(".")).zh for x in p.incumbent)


def by_name(c: Community, pids: list[str]) -> list[str]:
    """People in the order of their names (排名不分先后), so a list does not tell who is the 差额 extra."""
    return sorted(pids, key=lambda pid: (name(c, pid), pid))


def seats_elected(c: Community, slate: Slate, body: str) -> int:
    """How many the body's list elects: its members (换届), or the vacancies of a by-election (补选)."""
    return c.to_fill(body) if c.by_election else len(slate.members(body))
