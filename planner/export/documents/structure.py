"""班子结构分析表: the 两委 team's age, gender, education, Party and minority structure, this term against
the previous one, per community and for the whole sub-district.

This term: option 1's team (the Party and the residents' committee). The previous term: the people of the
scenario who hold an outgoing post in either committee (`incumbent`), their ages on the reference date;
the previous term's college and residents' committee Party shares the scenario gives (`previous_term`,
used by S10 and S11) are printed beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

import planner.export.documents.facts as facts
import planner.export.documents.style as style
from planner.export.common import PlanData
from planner.scenario import TEAM_BODIES, Community, Person, Subdistrict

FILE = "班子结构分析表"
HEADERS = ["项目", "上届（现任人员）", "本届（方案一）", "增减"]
WEIGHTS = [40, 36, 40, 40]


@dataclass
class Counts:
    """The structure of one team (several communities' teams add up)."""

    people: int = 0
    age_total: int = 0
    young: int = 0
    women: int = 0
    college: int = 0
    party: int = 0
    minority: int = 0
    rc: int = 0
    rc_party: int = 0

    def add(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.values(), other.values(), strict=True)))

    def values(self) -> tuple[int, ...]:
        return tuple(getattr(self, f) for f in self.__dataclass_fields__)


def count(c: Community, team: list[Person], rc: list[Person]) -> Counts:
    return Counts(
        people=len(team),
        age_total=sum(c.age(p) for p in team),
        young=sum(c.age(p) <= c.rules.young_max_age for p in team),
        women=sum(p.gender == "F" for p in team),
        college=sum(facts.college(p) for p in team),
        party=sum(p.party_member for p in team),
        minority=sum(p.is_minority for p in team),
        rc=len(rc),
        rc_party=sum(p.party_member for p in rc),
    )


def previous(c: Community) -> Counts:
    team = [p for p in c.people if any(x.split(".")[0] in TEAM_BODIES for x in p.incumbent)]
    rc = [p for p in c.people if any(x.startswith("residents_committee.") for x in p.incumbent)]
    return count(c, team, rc)


def current(data: PlanData, c: Community) -> Counts | None:
    slate = facts.chosen(data, c)
    if slate is None:
        return None
    team = [c.person[p] for p in facts.team(slate) if p in c.person]
    rc = [c.person[p] for p in dict.fromkeys(slate.members("residents_committee")) if p in c.person]
    return count(c, team, rc)


def _share(n: int, total: int) -> str:
    return f"{n}名（{n / total:.0%}）" if total else f"{n}名"


def _delta(a: int, b: int, unit: str = "名") -> str:
    d = b - a
    return f"+{d}{unit}" if d > 0 else (f"−{-d}{unit}" if d < 0 else "持平")


def rows(before: Counts, after: Counts | None, young_age: int) -> list[list[str]]:
    after = after or Counts()
    avg = [x.age_total / x.people if x.people else None for x in (before, after)]
    out = [
        ["人数", f"{before.people}名", f"{after.people}名", _delta(before.people, after.people)],
        [
            "平均年龄",
            f"{avg[0]:.1f}岁" if avg[0] is not None else "—",
            f"{avg[1]:.1f}岁" if avg[1] is not None else "—",
            (
                f"{avg[1] - avg[0]:+.1f}岁".replace("-", "−")
                if avg[0] is not None and avg[1] is not None
                else "—"
            ),
        ],
    ]
    for label, field in (
        (f"{young_age}周岁以下", "young"),
        ("女性", "women"),
        ("大专以上学历", "college"),
        ("中共党员", "party"),
        ("少数民族", "minority"),
    ):
        a, b = getattr(before, field), getattr(after, field)
        out.append([label, _share(a, before.people), _share(b, after.people), _delta(a, b)])
    out.append(
        [
            "居委会党员",
            _share(before.rc_party, before.rc),
            _share(after.rc_party, after.rc),
            _delta(before.rc_party, after.rc_party),
        ]
    )
    return out


def reported(c: Community) -> str:
    """The previous term's shares as the scenario gives them (S10, S11)."""
    parts = []
    if c.previous_term.college_share is not None:
        parts.append(f"大专以上学历比例{c.previous_term.college_share:.0%}")
    if c.previous_term.rc_party_share is not None:
        parts.append(f"居委会党员比例{c.previous_term.rc_party_share:.0%}")
    return "上届填报：" + "，".join(parts) + "。" if parts else ""


def _total(data: PlanData) -> tuple[Counts, Counts]:
    before, after = Counts(), Counts()
    for c in data.communities:
        before = before.add(previous(c))
        after = after.add(current(data, c) or Counts())
    return before, after


def title(data: PlanData) -> str:
    if isinstance(data.scenario, Subdistrict):
        return f"{facts.subdistrict_name(data)}社区“两委”\n班子结构分析表"
    return f"{facts.community_name(data.communities[0])}“两委”\n班子结构分析表"


NOTE = (
    "注：本届为方案一的社区党组织委员会和居民委员会成员（交叉任职者计一次）；上届为情景中现任两委职务的人员"
    "（未参选的现任人员不在其中），年龄均计算至参照日。"
)


def docx_bytes(data: PlanData) -> bytes:
    doc = style.new_document(title(data).replace("\n", ""), keywords=facts.keywords(data))
    style.title(doc, title(data))
    subdistrict = isinstance(data.scenario, Subdistrict)
    if subdistrict:
        style.heading(doc, f"全街道（{len(data.communities)}个社区）", 1)
        before, after = _total(data)
        young = data.communities[0].rules.young_max_age if data.communities else 35
        style.table(doc, HEADERS, rows(before, after, young), WEIGHTS, size=style.TABLE_SIZE)
        summary = []
        for c in data.communities:
            now = current(data, c) or Counts()
            summary.append(
                [
                    facts.community_name(c),
                    str(now.people),
                    f"{now.age_total / now.people:.1f}" if now.people else "—",
                    str(now.young),
                    str(now.women),
                    str(now.college),
                    str(now.party),
                    str(now.minority),
                ]
            )
        style.table(
            doc,
            ["社区", "人数", "平均年龄", "年轻干部", "女性", "大专以上", "党员", "少数民族"],
            summary,
            [28, 14, 18, 18, 14, 18, 14, 18],
            size=style.SMALL_SIZE,
            center_columns=range(1, 8),
        )
        style.note(doc, NOTE)
    for c in data.communities:
        if subdistrict:  # a community's own document: its title names it
            heading = style.heading(doc, facts.community_name(c), 1)
            heading.paragraph_format.page_break_before = True
        style.table(
            doc,
            HEADERS,
            rows(previous(c), current(data, c), c.rules.young_max_age),
            WEIGHTS,
            size=style.TABLE_SIZE,
        )
        if reported(c):
            style.note(doc, reported(c))
        if not subdistrict:
            style.note(doc, NOTE)
    return style.save(doc)


def xlsx_bytes(data: PlanData) -> bytes:
    wb = style.new_workbook()
    table = []
    for c in data.communities:
        for row in rows(previous(c), current(data, c), c.rules.young_max_age):
            table.append([facts.community_name(c), *row])
    if isinstance(data.scenario, Subdistrict):
        before, after = _total(data)
        young = data.communities[0].rules.young_max_age if data.communities else 35
        for row in rows(before, after, young):
            table.append(["全街道", *row])
    style.sheet(wb, "结构对比", title(data).replace("\n", ""), ["社区", *HEADERS], table)
    return style.workbook_bytes(wb)
