"""The built-in stage templates (SCENARIO.md "Cycles: phase dates" and "Stages", work plan section 四).

One stage list, `GENERIC`: ids, precedence and durations are fixed by the contract, and each stage's
window is one of the five phases of a county's work plan (`representatives` spans two). Template
"generic" takes the phases from the scenario (`schedule.phases`); template "2020" is the same list on
the seed's phases (`SEED_PHASES`, with the seed's deadlines `SEED_DEADLINES`); "none" has no stages.
Every 2020/2021 date of the planner lives here, in the seed's data.

Durations are planning defaults chosen so that a sub-district of 20 communities sharing a work group of
2 still fits the seed's Party phase (reasons next to each). A scenario may change them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

D = date


def _stage(
    id: str,
    name: str,
    phases: tuple[str, ...],
    duration: int = 1,
    unit: str = "calendar",
    after: list[Any] | None = None,
    **flags: bool,
) -> dict[str, Any]:
    entries = [a if isinstance(a, dict) else {"stage": a} for a in (after or [])]
    return {
        "id": id,
        "name": name,
        "phases": phases,
        "duration": duration,
        "unit": unit,
        "after": entries,
        **flags,
    }


# The five phases of a county's work plan (四): name -> (Chinese, English).
PHASES: dict[str, tuple[str, str]] = {
    "mobilise": ("动员部署", "mobilisation"),  # 四(一)
    "party": ("党组织选举", "Party election"),  # 四(二)1
    "residents": ("居委会选举", "residents' committee election"),  # 四(二)2
    "supporting": ("配套组织推选", "supporting bodies"),  # 四(二)3
    "follow_up": ("后续工作", "follow-up"),  # 四(二)4
}

Phases = dict[str, tuple[date, date]]

# The seed's phases: the 2020-21 work plan of 奈曼旗 (诺恩吉雅社区), section 四.
SEED_PHASES: Phases = {
    "mobilise": (D(2020, 10, 22), D(2020, 12, 9)),
    "party": (D(2020, 12, 10), D(2021, 1, 13)),
    "residents": (D(2020, 12, 10), D(2021, 1, 28)),
    "supporting": (D(2021, 2, 1), D(2021, 2, 23)),
    "follow_up": (D(2021, 2, 1), D(2021, 3, 1)),
}

# The seed's T06 deadlines (work plan 二, 四): sc_election's 2021-03-31 is the plan's own date, not the
# end of the supporting phase.
SEED_DEADLINES: dict[str, date] = {
    "pc_election": D(2021, 1, 13),
    "rc_election": D(2021, 1, 28),
    "sc_election": D(2021, 3, 31),
}

# The generic template's T06 deadlines: the end of a phase.
DEADLINE_PHASES: dict[str, str] = {
    "pc_election": "party",
    "rc_election": "residents",
    "sc_election": "supporting",
}

MOBILISE = ("mobilise",)
PARTY = ("party",)
RESIDENTS = ("residents",)
SUPPORTING = ("supporting",)
FOLLOW_UP = ("follow_up",)

GENERIC: list[dict[str, Any]] = [
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
    _stage("representatives", "居民代表推选", ("residents", "supporting"), 5, "working", ["rc_rules"]),
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

TEMPLATE_PHASES: dict[str, Phases | None] = {"2020": SEED_PHASES, "generic": None, "none": {}}
"""Each template's phases: the seed's for "2020", the scenario's for "generic" (None), none for "none"."""

TEMPLATES: tuple[str, ...] = tuple(TEMPLATE_PHASES)


def phase_span(phases: Phases, names: tuple[str, ...]) -> tuple[date, date] | None:
    """The window of a stage over `names` (one phase, or the first day of one to the last of another)."""
    if names[0] not in phases or names[-1] not in phases:
        return None
    return phases[names[0]][0], phases[names[-1]][1]


def template_phases(template: str, given: Phases | None) -> Phases:
    """The phases in force: the template's own, or those the scenario gives ("generic")."""
    own = TEMPLATE_PHASES[template]
    return dict(given or {}) if own is None else dict(own)


def template_stages(template: str, given: Phases | None = None) -> list[dict[str, Any]]:
    """The template's stage data, each window set from its phase(s); "none" has no stages.

    A stage whose phase is missing gets no window (the scenario's validation names the phase)."""
    if template == "none":
        return []
    phases = template_phases(template, given)
    out = []
    for s in GENERIC:
        entry = {k: v for k, v in s.items() if k != "phases"}
        span = phase_span(phases, s["phases"])
        entry["window"] = list(span) if span else None
        out.append(entry)
    return out


def stage_phases() -> dict[str, tuple[str, ...]]:
    """Template stage id -> the phase(s) its window spans."""
    return {s["id"]: s["phases"] for s in GENERIC}


def template_deadlines(template: str, given: Phases | None = None) -> dict[str, date]:
    """Default T06 deadlines: the seed's for "2020" and "none", the phase ends for "generic"."""
    if TEMPLATE_PHASES[template] is not None:
        return dict(SEED_DEADLINES)
    phases = template_phases(template, given)
    return {sid: phases[p][1] for sid, p in DEADLINE_PHASES.items() if p in phases}
