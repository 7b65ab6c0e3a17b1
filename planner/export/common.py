"""Shared pieces of the exporters: the plan bundle, redaction, person facts, quotas, stage notes.

Every writer takes solved results (`SlateResult` per community, `ScheduleResult`, the scenario and
an audit dict), never a solver. Sensitive details (disqualification codes and texts, joint-review
status) are withheld unless `include_sensitive` is set: only rule ids remain.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from planner.check.slate import check_slate
from planner.eligibility import EDUCATION_NAMES, JOINT_REVIEW_NAMES, Screening, screen
from planner.kinship import close_relative_pairs
from planner.plan import RuleCheck, ScheduleResult, Slate, SlateResult
from planner.rules import DISQUALIFICATIONS, RULES, rule_label
from planner.scenario import (
    BODIES,
    BODY_NAMES,
    POST_NAMES,
    TEAM_BODIES,
    Community,
    Person,
    Scenario,
    Stage,
    Subdistrict,
    communities,
    education_at_least,
)
from planner.text import Text

CommunityId = str
SlateResults = Mapping[CommunityId, SlateResult]

WITHHELD_ZH = "详情不公开"
WITHHELD_EN = "details withheld"
WITHHELD = f"{WITHHELD_ZH} / {WITHHELD_EN}"
SENSITIVE_RULES = ("S04", "S05")
_D_CODE = re.compile(r"(?<![A-Za-z0-9])D(0[1-9]|1[0-7])(?![0-9])")
_SENSITIVE_TEXTS = sorted({t for pair in DISQUALIFICATIONS.values() for t in pair}, key=len, reverse=True)
# the joint-review event of a re-plan (planner.slate.replan.EVENTS) says a review result too
REVIEW_EVENT_TEXTS = {"未通过资格联审", "failed the joint review", "failed_review"}
_JOINT_REVIEW_TEXTS = sorted(
    {f"资格联审{zh}" for zh, _ in JOINT_REVIEW_NAMES.values()}
    | {f"joint review {en}" for _, en in JOINT_REVIEW_NAMES.values()}
    | REVIEW_EVENT_TEXTS,
    key=len,
    reverse=True,
)

GENDER_NAMES = {"F": ("女", "F"), "M": ("男", "M")}
CN_NUMERALS = "一二三四五六七八九十"


def option_name(rank: int) -> str:
    """方案一, 方案二, … (方案11 beyond ten)."""
    return f"方案{CN_NUMERALS[rank - 1]}" if 1 <= rank <= len(CN_NUMERALS) else f"方案{rank}"


# ---------------------------------------------------------------- redaction


def redact_text(text: str) -> str:
    """Remove disqualification codes and texts and joint-review statuses from a message."""
    for sensitive in _SENSITIVE_TEXTS + _JOINT_REVIEW_TEXTS:
        if sensitive in text:
            text = text.replace(sensitive, WITHHELD_ZH)
    return _D_CODE.sub("S04", text)


def redact(value: Any) -> Any:
    """A deep copy of JSON data with sensitive details withheld: codes and texts removed."""
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_check(check: RuleCheck) -> RuleCheck:
    """A check with sensitive details withheld: an S04/S05 detail replaced, codes and texts removed elsewhere."""
    if check.rule in SENSITIVE_RULES:
        shown = {
            "detail": WITHHELD if check.detail else "",
            "detail_zh": WITHHELD_ZH if check.detail_zh else "",
            "detail_en": WITHHELD_EN if check.detail_en else "",
        }
    else:
        shown = {
            "detail": redact_text(check.detail),
            "detail_zh": redact_text(check.detail_zh),
            "detail_en": redact_text(check.detail_en),
        }
    return check.model_copy(update={**shown, "people": [redact_text(p) for p in check.people]})


def redact_slate(slate: Slate) -> Slate:
    return slate.model_copy(update={"checks": [redact_check(ch) for ch in slate.checks]})


def redact_result(result: SlateResult) -> SlateResult:
    """A slate result with sensitive details withheld in its checks, explanation, why-not and warnings."""
    return replace(
        result,
        slates=[redact_slate(s) for s in result.slates],
        explanation=redact(result.explanation),
        why_not=redact(result.why_not),
        warnings=[Text(redact_text(w.zh), redact_text(w.en)) for w in result.warnings],
        base=redact(result.base),
        changes=redact(result.changes),
        second_round=redact(result.second_round),
    )


# ---------------------------------------------------------------- the bundle


@dataclass(frozen=True)
class StageRow:
    """One planned stage of one community: its definition, dates and slack."""

    stage: Stage
    start: date
    end: date
    slack: int | None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class PlanData:
    """Everything a writer needs: scenario, slate results per community, schedule result, audit."""

    scenario: Scenario
    slates: SlateResults
    schedule: ScheduleResult | None
    audit: dict[str, Any]
    include_sensitive: bool = False
    allow_pending: bool = False
    _screenings: dict[CommunityId, dict[str, Screening]] = field(default_factory=dict, repr=False)

    @property
    def communities(self) -> list[Community]:
        return communities(self.scenario)

    @property
    def title_name(self) -> str:
        return self.scenario.name or self.scenario.id

    def slate_result(self, cid: CommunityId) -> SlateResult:
        result = self.slates.get(cid) or SlateResult(scenario=cid, status="unknown")
        return result if self.include_sensitive else redact_result(result)

    def slate_list(self, cid: CommunityId) -> list[Slate]:
        return list(self.slate_result(cid).slates)

    def schedule_stages(self, cid: CommunityId) -> list[StageRow]:
        if self.schedule is None:
            return []
        return [StageRow(stage, start, end, slack) for stage, start, end, slack in self.schedule.stages(cid)]

    def critical_path(self, cid: CommunityId) -> list[str]:
        return [] if self.schedule is None else self.schedule.critical_path(cid)

    def screening(self, c: Community) -> dict[str, Screening]:
        if c.id not in self._screenings:
            self._screenings[c.id] = screen(c, allow_pending=self.allow_pending)
        return self._screenings[c.id]


def make_plan_data(
    scenario: Scenario,
    slates: SlateResults,
    schedule: ScheduleResult | None,
    audit: dict[str, Any],
    *,
    include_sensitive: bool = False,
    allow_pending: bool | None = None,
) -> PlanData:
    """The bundle of solved results: `slates` maps community id -> SlateResult."""
    if allow_pending is None:
        allow_pending = bool((audit.get("options") or {}).get("allow_pending", False))
    return PlanData(
        scenario=scenario,
        slates=dict(slates),
        schedule=schedule,
        audit=audit,
        include_sensitive=include_sensitive,
        allow_pending=allow_pending,
    )


# ---------------------------------------------------------------- slates and people


def team(slate: Slate) -> list[str]:
    """The 两委 team in post order, each person once."""
    return list(dict.fromkeys(pid for body in TEAM_BODIES for pid in slate.members(body)))


def slate_people(slate: Slate) -> set[str]:
    return {pid for body in BODIES for pid in slate.members(body)}


def person_name(c: Community, pid: str) -> str:
    p = c.person.get(pid)
    return p.name if p and p.name else pid


def body_label(body: str) -> str:
    zh, en = BODY_NAMES.get(body, (body, body))
    return f"{zh} {en}"


def post_label(body: str, post: str) -> str:
    zh, en = POST_NAMES.get(post, (post, post))
    if body == "supervisory_committee" and post == "member":
        zh, en = "成员", "member"
    return f"{zh} {en}"


def post_zh(body: str, post: str) -> str:
    return post_label(body, post).split(" ")[0]


def education_zh(level: str) -> str:
    return EDUCATION_NAMES.get(level, (level, level))[0]


def person_facts(c: Community, pid: str) -> dict[str, Any]:
    """The facts shown next to a name in every table (no sensitive data)."""
    p: Person | None = c.person.get(pid)
    if p is None:
        return {
            "id": pid,
            "name": pid,
            "gender": "",
            "age": None,
            "ethnicity": "",
            "education": "",
            "party": "",
            "support": None,
            "tags": "",
            "incumbent": "",
        }
    return {
        "id": p.id,
        "name": p.name,
        "gender": GENDER_NAMES[p.gender][0],
        "age": c.age(p),
        "ethnicity": p.ethnicity or "",
        "education": education_zh(p.education),
        "party": "是" if p.party_member else "否",
        "support": p.support,
        "tags": "、".join(sorted(p.preferred_tags())),
        "incumbent": "、".join(
            post_zh(*x.split(".")) + f"（{BODY_NAMES[x.split('.')[0]][0]}）" for x in p.incumbent
        ),
    }


def remarks(c: Community, slate: Slate, body: str, pid: str, data: PlanData) -> str:
    """Cross-holding (交叉任职), incumbency (连任) and 待审 notes for a post holder."""
    notes = []
    other = [b for b in TEAM_BODIES if b != body and pid in slate.members(b)]
    if body in TEAM_BODIES and other:
        notes.append("交叉任职")
    p = c.person.get(pid)
    if c.by_election:  # 补选: a sitting member keeps the post, anyone else fills a vacancy
        notes.append("在任（保留原职）" if body in c.sitting().get(pid, {}) else "补选")
    elif p is not None and p.incumbent:
        notes.append("连任")
    if p is not None and data.screening(c).get(pid) is not None and data.screening(c)[pid].subject_to_review:
        notes.append("待审 subject to review")
    return "、".join(notes)


def by_election_rows(c: Community) -> list[list[Any]]:
    """A by-election's posts: each vacant post (空缺, to fill) and each sitting member's post (在任)."""
    if not c.by_election:
        return []
    rows: list[list[Any]] = []
    for body in BODIES:
        for post in c.vacant(body):
            rows.append(
                [c.name or c.id, body_label(body), post_label(body, post), "空缺 vacant", "", "", body, post]
            )
    for pid, posts in c.sitting().items():
        for body, post in posts.items():
            rows.append(
                [
                    c.name or c.id,
                    body_label(body),
                    post_label(body, post),
                    "在任 sitting",
                    pid,
                    person_name(c, pid),
                    body,
                    post,
                ]
            )
    return rows


# ---------------------------------------------------------------- quotas (S08-S11, S19)


@dataclass
class Quota:
    """How one quota rule is met by a slate, as numbers."""

    rule: str
    in_force: bool
    count: int
    total: int
    required: str
    people: list[str]
    ok: bool

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None

    def sentence(self) -> str:
        """One line in Chinese with the numbers, e.g. `S09 女性：2人（…）；要求至少1人 ✓`."""
        label = rule_label(self.rule)
        if not self.in_force:
            return f"{label}：未启用（not in force）"
        names = "、".join(self.people)
        mark = "✓ 符合" if self.ok else "✗ 不符合"
        if self.rule in ("S10", "S11"):
            pct = f"{self.share:.1%}" if self.share is not None else "—"
            return f"{label}：{self.count}/{self.total} = {pct}；{self.required}  {mark}"
        return f"{label}：{self.count}人（{names}）；{self.required}  {mark}"


def quotas(c: Community, slate: Slate) -> list[Quota]:
    """S08 young, S09 women, S10 college share, S11 Party share, S19 minority: counted from the slate."""
    s = c.rules
    members = [c.person[pid] for pid in team(slate) if pid in c.person]
    rc = [c.person[pid] for pid in dict.fromkeys(slate.members("residents_committee")) if pid in c.person]
    out = []
    young = [p for p in members if c.age(p) <= s.young_max_age]
    out.append(
        Quota(
            "S08",
            s.on("S08"),
            len(young),
            len(members),
            f"要求至少{s.min_young}人{s.young_max_age}周岁以下",
            [f"{p.name}（{c.age(p)}岁）" for p in young],
            len(young) >= s.min_young,
        )
    )
    women = [p for p in members if p.gender == "F"]
    out.append(
        Quota(
            "S09",
            s.on("S09"),
            len(women),
            len(members),
            f"要求至少{s.min_women}名女性",
            [p.name for p in women],
            len(women) >= s.min_women,
        )
    )
    college = [p for p in members if education_at_least(p.education, "college")]
    prev = c.previous_term.college_share
    share = len(college) / len(members) if members else 0.0
    out.append(
        Quota(
            "S10",
            s.on("S10"),
            len(college),
            len(members),
            "大专以上比例须高于上届"
            + (f"（{prev:.1%}）" if prev is not None else "（未提供上届比例，不比较）"),
            [p.name for p in college],
            prev is None or share > prev,
        )
    )
    party = [p for p in rc if p.party_member]
    prev = c.previous_term.rc_party_share
    share = len(party) / len(rc) if rc else 0.0
    floor = s.rc_party_share_min
    out.append(
        Quota(
            "S11",
            s.on("S11"),
            len(party),
            len(rc),
            f"居委会党员比例须高于{floor:.0%}" + (f"且高于上届（{prev:.1%}）" if prev is not None else ""),
            [p.name for p in party],
            share > floor and (prev is None or share > prev),
        )
    )
    minority = [p for p in rc if p.is_minority]
    out.append(
        Quota(
            "S19",
            s.on("S19") and c.multi_ethnic,
            len(minority),
            len(rc),
            "多民族社区居委会至少1名少数民族成员",
            [f"{p.name}（{p.ethnicity}）" for p in minority],
            len(minority) >= 1,
        )
    )
    return out


def slate_checks(c: Community, slate: Slate, data: PlanData) -> list[RuleCheck]:
    """The slate's per-rule checks as given, else computed with the solver-free checker."""
    checks = slate.checks or check_slate(c, slate, allow_pending=data.allow_pending)
    return checks if data.include_sensitive else [redact_check(ch) for ch in checks]


def check_mark(check: RuleCheck) -> Text:
    """A check's verdict as a mark and a word."""
    if check.disabled:
        return Text("— 未启用", "— off")
    return Text("✓ 符合", "✓ ok") if check.ok else Text("✗ 不符合", "✗ broken")


# ---------------------------------------------------------------- eligibility and relatives


def barred_rule_ids(s: Screening) -> list[str]:
    """Rule ids that bar a person from at least one body or the secretary's post."""
    return sorted({r.rule for r in s.reasons()})


def left_out_reason(s: Screening | None) -> str:
    """Why someone is in no option, by rule id only: barred everywhere, or not chosen (with partial bars)."""
    if s is None:
        return "综合比选未列入方案"
    if not s.eligible_bodies():
        return "不符合 " + "、".join(barred_rule_ids(s))
    partial = [f"{BODY_NAMES[b][0]}（{'、'.join(v.rule_ids())}）" for b, v in s.bodies.items() if not v.ok]
    if not s.secretary.ok and s.bodies["party_committee"].ok:
        partial.append(f"书记（{'、'.join(s.secretary.rule_ids())}）")
    return "综合比选未列入方案" + (f"；不能任{'、'.join(partial)}" if partial else "")


def barring_details(s: Screening) -> list[str]:
    """`S04 D05 参加邪教组织…` lines: only for include_sensitive."""
    out = []
    for r in s.reasons():
        code = f" {r.code}" if r.code != r.rule else ""
        out.append(f"{r.rule}{code} {r.zh}")
    return out


def joint_review_rows(c: Community) -> list[dict[str, Any]]:
    """资格联审 per department (sensitive: only for include_sensitive): one entry per person with
    department records and per department of the community, in scenario order; a department without a
    record has result None."""
    rows = []
    for p in c.people:
        if not p.joint_reviews:
            continue
        given = {r.department: r for r in p.joint_reviews}
        for dept in c.departments():
            r = given.get(dept)
            rows.append(
                {
                    "person": p.id,
                    "name": p.name,
                    "status": p.joint_review,
                    "department": dept,
                    "result": r.result if r else None,
                    "date": r.date.isoformat() if r and r.date else None,
                    "number": r.number if r else "",
                }
            )
    return rows


def joint_review_zh(result: str | None) -> str:
    return JOINT_REVIEW_NAMES[result or "not_submitted"][0]


def relative_pairs(c: Community) -> list[tuple[str, str, str, str, str]]:
    """(a, b, relation, proof_zh, proof_en) for every close-relative pair (planner.kinship)."""
    return [(p.a, p.b, p.relation, p.proof_zh, p.proof_en) for p in close_relative_pairs(c)]


RELATION_NAMES = {
    "spouse": "配偶",
    "parent": "父母",
    "child": "子女",
    "sibling": "兄弟姐妹",
    "grandparent": "祖父母/外祖父母",
    "grandchild": "孙子女/外孙子女",
}


# ---------------------------------------------------------------- stages


def stage_notes(c: Community, stage: Stage | None, scenario: Scenario) -> list[str]:
    """Rule notes for one stage: window, precedence, publicity, working days, deadline, work group, blackout."""
    if stage is None:
        return []
    notes = []
    if stage.window:
        notes.append(f"T01 时间窗口 {stage.window[0]}..{stage.window[1]}")
    names = {s.id: s.name or s.id for s in c.schedule.effective_stages()}
    for a in stage.after:
        gap = f"，间隔{a.gap}天" if a.gap != 1 else ""
        notes.append(f"{a.rule} 在「{names.get(a.stage, a.stage)}」({a.stage})之后{gap}")
    if stage.publicity:
        notes.append("T03 公示不少于5日")
    if stage.unit == "working":
        notes.append(f"T04 按工作日计 {stage.duration} 天")
    if stage.election:
        notes.append(f"T04 选举日（{c.schedule.allowed_election_days}）")
    deadline = c.schedule.effective_deadlines().get(stage.id)
    if deadline:
        notes.append(f"T06 {deadline} 前完成")
    if stage.work_group and isinstance(scenario, Subdistrict):
        notes.append(f"T07 工作组每日至多 {scenario.capacity} 个社区")
    if c.schedule.blackout:
        notes.append("T08 禁选日 " + "、".join(str(d) for d in c.schedule.blackout))
    return notes


def rule_name(rule_id: str) -> tuple[str, str]:
    r = RULES.get(rule_id)
    return (r.zh, r.en) if r else (rule_id, rule_id)
