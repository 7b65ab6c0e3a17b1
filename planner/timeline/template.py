"""The built-in stage template "2020" (SCENARIO.md, work plan section 四).

Ids, windows and precedence are fixed by the contract; durations are planning
defaults chosen so that a sub-district of 20 communities sharing a work group of
2 still fits the Party window (reasons next to each). A scenario may change them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

D = date


def _stage(
    id: str,
    name: str,
    window: tuple[date, date],
    duration: int = 1,
    unit: str = "calendar",
    after: list[Any] | None = None,
    **flags: bool,
) -> dict[str, Any]:
    entries = [a if isinstance(a, dict) else {"stage": a} for a in (after or [])]
    return {
        "id": id,
        "name": name,
        "window": list(window),
        "duration": duration,
        "unit": unit,
        "after": entries,
        **flags,
    }


MOBILISE = (D(2020, 10, 22), D(2020, 12, 9))  # 四(一) 动员部署
PARTY = (D(2020, 12, 10), D(2021, 1, 13))  # 四(二)1 党组织选举
RESIDENTS = (D(2020, 12, 10), D(2021, 1, 28))  # 四(二)2 居委会选举
SUPPORTING = (D(2021, 2, 1), D(2021, 2, 23))  # 四(二)3 配套组织推选
FOLLOW_UP = (D(2021, 2, 1), D(2021, 3, 1))  # 四(二)4 后续工作

TEMPLATE_2020: list[dict[str, Any]] = [
    # 10 working days: two working weeks to review each community's team and problems.
    _stage("rectify", "排查整顿", MOBILISE, 10, "working"),
    # 15 working days: an outgoing-term audit plus its publication.
    _stage("audit", "离任经济责任审计及公布", MOBILISE, 15, "working"),
    # 10 working days: publicity campaign and training of the work group.
    _stage("training_publicity", "宣传培训", MOBILISE, 10, "working"),
    # 5 working days: visits and talks after the rectification.
    _stage("opinion_survey", "民意调查", MOBILISE, 5, "working", ["rectify"]),
    # 2 working days: one recommendation meeting plus counting and the report to the 党工委.
    _stage("pc_recommend", "党员和群众推荐", PARTY, 2, "working", ["opinion_survey", "audit"]),
    # 1 working day: a 党工委 meeting and the community's meeting.
    _stage("pc_shortlist", "研究确定初步人选、考察对象", PARTY, 1, "working", ["pc_recommend"]),
    # 5 working days: the banner's organization and civil-affairs departments reply in writing.
    _stage("pc_joint_review", "资格初审与联审", PARTY, 5, "working", ["pc_shortlist"]),
    # 2 working days: the inspection team's talks and its report.
    _stage("pc_inspection", "组织考察", PARTY, 2, "working", ["pc_joint_review"]),
    # 5 calendar days: the legal minimum publicity (不少于5日, T03).
    _stage("pc_publicity", "预备人选公示", PARTY, 5, "calendar", ["pc_inspection"], publicity=True),
    # 2 working days: the 党工委 meeting; the secretary candidate also goes to the banner committee.
    _stage("pc_approval", "党工委批复（书记人选报旗委）", PARTY, 2, "working", ["pc_publicity"]),
    # One day: the Party members' meeting.
    _stage("pc_election", "党员大会选举", PARTY, 1, "calendar", ["pc_approval"], election=True),
    # 2 working days: electing the 5-member election committee.
    _stage("rc_committee", "组建居民选举委员会", RESIDENTS, 2, "working"),
    # 2 working days: drafting the election rules and a representatives' meeting.
    _stage("rc_rules", "制定选举办法、居民代表会议通过", RESIDENTS, 2, "working", ["rc_committee"]),
    # 3 working days: registering voters.
    _stage("rc_registration", "选民登记", RESIDENTS, 3, "working", ["rc_rules"]),
    # One day: the voter list is posted (T09 counts 20 days from it).
    _stage("rc_voter_list", "公布选民名单", RESIDENTS, 1, "calendar", ["rc_registration"]),
    # 3 working days: written applications to the election committee.
    _stage("rc_nomination", "候选人报名", RESIDENTS, 3, "working", ["rc_rules"]),
    # 5 working days: joint review by the banner's departments and the inspection.
    _stage("rc_joint_review", "资格初审、联审与考察", RESIDENTS, 5, "working", ["rc_nomination"]),
    # One day: the final candidate list is posted (T10 counts 5 days from it).
    _stage("rc_candidates", "公布正式候选人", RESIDENTS, 1, "calendar", ["rc_joint_review"]),
    # One day: the election meeting.
    _stage(
        "rc_election",
        "居民委员会选举大会",
        RESIDENTS,
        1,
        "calendar",
        [
            {"stage": "pc_election", "rule": "T05"},
            {"stage": "rc_voter_list", "gap": 20, "rule": "T09"},
            {"stage": "rc_candidates", "gap": 5, "rule": "T10"},
        ],
        election=True,
    ),
    # 5 working days: one representative per grid of about 50 households.
    _stage("representatives", "居民代表推选", (D(2020, 12, 10), D(2021, 2, 23)), 5, "working", ["rc_rules"]),
    # One day: the representatives' meeting elects the supervisory committee. A 推选 at a meeting, not
    # an election stage (SCENARIO.md "Precise meanings"): allowed_election_days does not bind it.
    _stage(
        "sc_election", "居务监督委员会推选", SUPPORTING, 1, "calendar", ["rc_election", "representatives"]
    ),
    # 3 working days: the sub-district's concentrated training.
    _stage("training", "任前履职培训", FOLLOW_UP, 3, "working", ["pc_election", "rc_election"]),
    # 5 working days: drafting the five-year plan with the new team.
    _stage("five_year_plan", "制定社区五年规划", FOLLOW_UP, 5, "working", ["training"]),
]

TEMPLATES: dict[str, list[dict[str, Any]]] = {"2020": TEMPLATE_2020, "none": []}

DEFAULT_DEADLINES: dict[str, date] = {
    "pc_election": D(2021, 1, 13),
    "rc_election": D(2021, 1, 28),
    "sc_election": D(2021, 3, 31),
}
