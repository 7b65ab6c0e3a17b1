"""plan.docx: the 讨论稿, the slate options of each community written for the committee that decides.

Order: (a sub-district first gets a summary table of all its communities) one page per community with the
proposed 书记/主任 and team of each option side by side, what distinguishes each option from 方案一 (who is
in or out, who changes post) and how far each option is above the structure requirements (the quota
margins), with the key dates; then the details of each option (posts with each person's facts, the
requirements checked, the differential lists, who is in no option); an appendix closes it with the record
of how the draft was made (a short table) and the list mapping rule numbers to names.

One language per document: Chinese, or English when the export's `lang` is "en". Names, never ids; no
rule number in the main text; why a person is in no option is shown only when sensitive details are asked
for (otherwise they are listed by name only, without telling apart who was barred from who was not chosen).
"""

from __future__ import annotations

import re

from docx.document import Document as DocumentType

import planner.export.documents.facts as facts
import planner.export.documents.style as style
from planner.export.common import (
    PlanData,
    Quota,
    by_election_rows,
    quotas,
    rule_name,
    slate_checks,
)
from planner.export.documents.facts import community_name, name, names
from planner.plan import Slate, SlateResult
from planner.rules import RULES
from planner.scenario import BODIES, BODY_NAMES, Community, Subdistrict, communities
from planner.text import Text

PER_TABLE = 3  # options side by side in one comparison table (A4 portrait)
CN_NUMERALS = "一二三四五六七八九十"
STATUS = {
    "optimal": Text("已求得最优方案", "optimal"),
    "feasible": Text("已求得可行方案", "feasible"),
    "infeasible": Text("无可行方案", "infeasible"),
    "unknown": Text("未求得方案", "not solved"),
    "invalid": Text("输入有误", "invalid input"),
}
SHORT_STATUS = {
    "optimal": Text("最优", "optimal"),
    "feasible": Text("可行", "feasible"),
    "infeasible": Text("无解", "infeasible"),
    "unknown": Text("未求解", "not solved"),
    "invalid": Text("输入有误", "invalid"),
}


class Writer:
    """The draft in one language: `t(zh, en)` picks the text."""

    def __init__(self, data: PlanData):
        self.data = data
        self.lang = "en" if (data.audit.get("options") or {}).get("lang") == "en" else "zh"

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def pick(self, text: Text) -> str:
        return text.pick(self.lang)

    # ------------------------------------------------------------ names

    def option(self, rank: int) -> str:
        if self.lang == "en":
            return f"Option {rank}"
        return f"方案{CN_NUMERALS[rank - 1]}" if 1 <= rank <= len(CN_NUMERALS) else f"方案{rank}"

    def number(self, i: int) -> str:
        """一、 二、 … for section headings (1. 2. in English)."""
        if self.lang == "en":
            return f"{i}. "
        return f"{CN_NUMERALS[i - 1]}、" if 1 <= i <= len(CN_NUMERALS) else f"{i}、"

    def post(self, body: str, post: str) -> str:
        return self.pick(facts.post_title(body, post))

    def body(self, body: str) -> str:
        zh, en = BODY_NAMES[body]
        return self.t(zh, en)

    def rule(self, rid: str) -> str:
        zh, en = rule_name(rid)
        return self.t(zh, en)

    def people(self, c: Community, pids: list[str]) -> str:
        return self.t("、", ", ").join(name(c, p) for p in pids)

    def title(self) -> str:
        data = self.data
        if isinstance(data.scenario, Subdistrict):
            where = data.scenario.name or data.scenario.id
            return self.t(
                f"{where}社区“两委”班子人选方案\n（讨论稿）",
                f"{where}: proposed community teams\n(draft for discussion)",
            )
        c = data.communities[0]
        if c.by_election:  # 补选: only the vacant posts are filled
            return self.t(
                f"{community_name(c)}“两委”补选人选方案\n（讨论稿）",
                f"{community_name(c)}: by-election (补选) candidates for the vacant posts (draft for discussion)",
            )
        return self.t(
            f"{community_name(c)}“两委”班子人选方案\n（讨论稿）",
            f"{community_name(c)}: proposed teams\n(draft for discussion)",
        )

    # ------------------------------------------------------------ quotas

    def requirement(self, c: Community, q: Quota) -> str:
        s = c.rules
        prev_college = c.previous_term.college_share
        prev_party = c.previous_term.rc_party_share
        if q.rule == "S08":
            return self.t(
                f"至少{s.min_young}名{s.young_max_age}周岁以下",
                f"at least {s.min_young} aged {s.young_max_age} or under",
            )
        if q.rule == "S09":
            return self.t(f"至少{s.min_women}名女性", f"at least {s.min_women} women")
        if q.rule == "S10":
            if prev_college is None:
                return self.t("高于上届（未提供上届比例）", "above the previous term (not given)")
            return self.t(
                f"大专以上比例高于上届{prev_college:.0%}", f"college share above {prev_college:.0%}"
            )
        if q.rule == "S11":
            floor = s.rc_party_share_min
            bar = max(floor, prev_party) if prev_party is not None else floor
            return self.t(f"居委会党员比例高于{bar:.0%}", f"residents' committee Party share above {bar:.0%}")
        return self.t("居委会至少1名少数民族成员", "at least 1 ethnic-minority member")

    def margin(self, c: Community, q: Quota) -> str:
        """The count and how far it is above (or below) what is required."""
        s = c.rules
        if q.rule in ("S10", "S11"):
            share = q.share or 0.0
            if q.rule == "S10":
                bar = c.previous_term.college_share
            else:
                prev = c.previous_term.rc_party_share
                bar = max(s.rc_party_share_min, prev) if prev is not None else s.rc_party_share_min
            shown = f"{q.count}/{q.total}={share:.0%}"
            if bar is None:
                return shown
            points = round((share - bar) * 100)
            if self.lang == "en":
                return f"{shown} ({points:+d} points)"
            return f"{shown}（{'高' if points >= 0 else '低'}{abs(points)}个百分点）"
        need = {"S08": s.min_young, "S09": s.min_women, "S19": 1}[q.rule]
        extra = q.count - need
        if self.lang == "en":
            word = "exactly met" if extra == 0 else (f"{extra} above" if extra > 0 else f"{-extra} short")
            return f"{q.count} ({word})"
        word = "恰好达到" if extra == 0 else (f"多{extra}名" if extra > 0 else f"差{-extra}名")
        return f"{q.count}名（{word}）"

    def quota_label(self, q: Quota) -> str:
        if q.rule == "S08":
            return self.t("年轻干部", "young members")
        return self.rule(q.rule)


def _groups(slates: list[Slate]) -> list[list[Slate]]:
    return [slates[i : i + PER_TABLE] for i in range(0, len(slates), PER_TABLE)] or [[]]


# ---------------------------------------------------------------- the summary of a sub-district


def _summary(doc: DocumentType, w: Writer) -> None:
    data = w.data
    style.heading(doc, w.t("一、各社区方案汇总", "1. Summary of all communities"), 1)
    rows = []
    for c in data.communities:
        result = data.slate_result(c.id)
        slate = facts.chosen(data, c)
        status = w.pick(SHORT_STATUS.get(result.status, SHORT_STATUS["unknown"]))
        if slate is None:
            rows.append([community_name(c), len(c.people), 0, "—", "—", "—", "—", status])
            continue
        secretary = facts.holders(slate, "party_committee", "secretary")
        director = facts.holders(slate, "residents_committee", "director")
        head = w.people(c, secretary)
        if director and director != secretary:
            head += w.t("；主任", "; director ") + w.people(c, director)
        elif director:
            head += w.t("（一肩挑）", " (both)")
        members = [c.person[p] for p in facts.team(slate) if p in c.person]
        rows.append(
            [
                community_name(c),
                len(c.people),
                len(data.slate_list(c.id)),
                head,
                len(members),
                sum(p.gender == "F" for p in members),
                sum(c.age(p) <= c.rules.young_max_age for p in members),
                status,
            ]
        )
    style.table(
        doc,
        [
            w.t("社区", "Community"),
            w.t("参选人", "People"),
            w.t("方案数", "Options"),
            w.t("方案一书记（主任）", "Option 1 secretary"),
            w.t("两委人数", "Team"),
            w.t("女性", "Women"),
            w.t("年轻干部", "Young"),
            w.t("情况", "Status"),
        ],
        rows,
        [30, 14, 14, 36, 16, 12, 16, 14],
        size=style.SMALL_SIZE,
        center_columns=(1, 2, 4, 5, 6, 7),
    )


# ---------------------------------------------------------------- one page per community


def _overview(doc: DocumentType, w: Writer, c: Community, number: int, first: bool) -> None:
    data = w.data
    result = data.slate_result(c.id)
    slates = data.slate_list(c.id)
    if isinstance(data.scenario, Subdistrict):  # a community's own draft: its title names it already
        heading = style.heading(doc, f"{w.number(number)}{community_name(c)}", 1)
        heading.paragraph_format.page_break_before = not first
    seats = c.rules.seats
    style.para(
        doc,
        w.t(
            f"参选人{len(c.people)}人，职数：党组织{seats.party_committee}名、居委会{seats.residents_committee}名、"
            f"监委会{seats.supervisory_committee}名。共{len(slates)}个方案，方案一为推荐方案。",
            f"{len(c.people)} people; seats: Party committee {seats.party_committee}, residents' committee "
            f"{seats.residents_committee}, supervisory committee {seats.supervisory_committee}. "
            f"{len(slates)} option(s); option 1 is the recommended one.",
        ),
        size=style.TABLE_SIZE,
    )
    note = c.by_election_note()
    if note is not None:  # 补选: which posts are vacant and who keeps their post
        style.para(doc, w.pick(note) + w.t("。", "."), size=style.TABLE_SIZE)
        style.table(
            doc,
            [
                w.t("机构", "Body"),
                w.t("职务", "Post"),
                w.t("状态", "Status"),
                w.t("现任人员", "Sitting member"),
            ],
            [
                [
                    w.body(row[6]),
                    w.post(row[6], row[7]),
                    w.t("空缺", "vacant") if not row[4] else w.t("在任", "sitting"),
                    row[5],
                ]
                for row in by_election_rows(c)
            ],
            [40, 34, 20, 40],
            size=style.SMALL_SIZE,
        )
    if not slates:
        style.para(
            doc,
            w.t(
                f"未能提出符合全部要求的方案（{w.pick(STATUS.get(result.status, STATUS['unknown']))}）。",
                f"No option meets every requirement ({w.pick(STATUS.get(result.status, STATUS['unknown']))}).",
            ),
        )
        conflict = (result.explanation or {}).get("conflict") or []
        if conflict:
            style.para(
                doc,
                w.t("相互冲突的要求：", "Requirements in conflict: ")
                + w.t("、", ", ").join(w.rule(r) for r in conflict if r in RULES)
                + w.t("。详见附件。", ". See the appendix."),
            )
        return
    for group in _groups(slates):
        rows = []
        for body, post in facts.seat_rows(slates):
            rows.append([w.post(body, post), *(w.people(c, facts.holders(s, body, post)) for s in group)])
        if len(slates) > 1:
            rows.append(
                [
                    w.t("与方案一的区别", "Compared with option 1"),
                    *(
                        w.t("推荐方案", "recommended") if s is slates[0] else _difference(w, c, slates[0], s)
                        for s in group
                    ),
                ]
            )
        style.table(
            doc,
            [w.t("职务", "Post"), *(w.option(s.rank or i + 1) for i, s in enumerate(group))],
            rows,
            [34] + [40] * len(group),
            size=style.SMALL_SIZE,
        )
    _margins(doc, w, c, slates)
    _key_dates(doc, w, c)


def _difference(w: Writer, c: Community, base: Slate, other: Slate) -> str:
    """方案二与方案一相比：新增…；不含…；…改任…"""
    base_people, other_people = facts.everyone(base), facts.everyone(other)
    added = [p for p in other_people if p not in base_people]
    dropped = [p for p in base_people if p not in other_people]
    parts = []
    if added:
        parts.append(
            w.t("新增", "adds ")
            + w.t("、", ", ").join(
                f"{name(c, p)}（{_posts(w, other, p)}）"
                if w.lang == "zh"
                else f"{name(c, p)} ({_posts(w, other, p)})"
                for p in added
            )
        )
    if dropped:
        parts.append(w.t("不含", "leaves out ") + w.people(c, dropped))
    moved = [p for p in base_people if p in other_people and set(base.post_of(p)) != set(other.post_of(p))]
    for p in moved:
        parts.append(
            w.t(
                f"{name(c, p)}由{_posts(w, base, p)}改任{_posts(w, other, p)}",
                f"{name(c, p)} moves from {_posts(w, base, p)} to {_posts(w, other, p)}",
            )
        )
    if not parts:
        return w.t("人选相同，差额候选人不同", "the same people; the candidate lists differ")
    return w.t("；", "; ").join(parts)


def _posts(w: Writer, slate: Slate, pid: str) -> str:
    return w.t("、", ", ").join(w.post(b, p) for b, p in slate.post_of(pid))


def _margins(doc: DocumentType, w: Writer, c: Community, slates: list[Slate]) -> None:
    shown = [q.rule for q in quotas(c, slates[0]) if q.in_force]
    if not shown:
        return
    per_option = [{q.rule: q for q in quotas(c, s)} for s in slates]
    for start in range(0, len(slates), PER_TABLE):
        group = slates[start : start + PER_TABLE]
        rows = []
        for rid in shown:
            q0 = per_option[0][rid]
            rows.append(
                [
                    w.quota_label(q0),
                    w.requirement(c, q0),
                    *(w.margin(c, per_option[start + i][rid]) for i in range(len(group))),
                ]
            )
        style.table(
            doc,
            [
                w.t("结构要求", "Requirement"),
                w.t("标准", "Standard"),
                *(w.option(s.rank or 0) for s in group),
            ],
            rows,
            [22, 38] + [32] * len(group),
            size=style.SMALL_SIZE,
        )
    style.note(
        doc,
        w.t(
            f"注：年龄计算截至{facts.day(c.reference_date)}；括号内为超出（或不足）标准的幅度。",
            f"Ages on {c.reference_date.isoformat()}; in brackets, how far above (or below) the standard.",
        ),
    )


def _key_dates(doc: DocumentType, w: Writer, c: Community) -> None:
    rows = [r for r in w.data.schedule_stages(c.id) if r.stage.election or r.stage.publicity]
    if not rows:
        return
    text = w.t("；", "; ").join(
        f"{r.stage.name or w.t('环节', 'stage')}{w.t('：', ': ')}{facts.span(r.start, r.end, w.lang)}"
        for r in rows
    )
    style.para(doc, w.t("主要时间节点：", "Key dates: ") + text + w.t("。", "."), size=style.TABLE_SIZE)


# ---------------------------------------------------------------- details


def _details(doc: DocumentType, w: Writer, c: Community, number: int) -> None:
    data = w.data
    slates = data.slate_list(c.id)
    heading = style.heading(
        doc,
        w.t(
            f"{w.number(number)}{community_name(c)}各方案详细情况",
            f"{number}. {community_name(c)}: the options in detail",
        ),
        1,
    )
    heading.paragraph_format.page_break_before = True
    for i, slate in enumerate(slates, start=1):
        style.heading(
            doc,
            f"（{CN_NUMERALS[i - 1] if i <= 10 else i}）{w.option(slate.rank or i)}"
            if w.lang == "zh"
            else w.option(slate.rank or i),
            2,
        )
        rows = []
        for body in BODIES:
            for post, pid in slate.holders(body):
                p = c.person.get(pid)
                rows.append(
                    [
                        w.post(body, post),
                        name(c, pid),
                        w.pick(facts.GENDER[p.gender]) if p else "",
                        c.age(p) if p else "",
                        (p.ethnicity or "") if p else "",
                        facts.education(p.education, w.lang) if p else "",
                        (w.t("是", "yes") if p.party_member else w.t("否", "no")) if p else "",
                        _remarks(w, c, slate, body, pid),
                    ]
                )
        style.table(
            doc,
            [
                w.t("职务", "Post"),
                w.t("姓名", "Name"),
                w.t("性别", "Sex"),
                w.t("年龄", "Age"),
                w.t("民族", "Ethnic group"),
                w.t("学历", "Education"),
                w.t("党员", "Party"),
                w.t("备注", "Remarks"),
            ],
            rows,
            [30, 18, 9, 9, 14, 16, 9, 30] if w.lang == "zh" else [34, 18, 9, 9, 18, 22, 10, 30],
            size=style.SMALL_SIZE,
            center_columns=(2, 3, 6),
        )
        for body in BODIES:
            listed = slate.candidate_lists.get(body)
            if listed:
                seats = facts.seats_elected(c, slate, body)
                style.para(
                    doc,
                    w.t(
                        f"{w.body(body)}差额候选人（{len(listed)}人选{seats}人）：{names(c, listed)}。",
                        f"{w.body(body)} candidate list ({len(listed)} for {seats} seats): {w.people(c, listed)}.",
                    ),
                )
    result = data.slate_result(c.id)
    if result.base is not None:
        style.heading(doc, w.t("调整说明（与采用方案相比）", "Changes from the adopted plan"), 2)
        _changes(doc, w, c, result)
    if result.second_round is not None:
        style.heading(doc, w.t("另行选举候选人名单", "Second round"), 2)
        _second_round(doc, w, c, result.second_round)
    if slates:
        _checks(doc, w, c, slates)
    _left_out(doc, w, c, slates)


def _clean(c: Community, text: str) -> str:
    """A re-planning message with names for "p02 李秀兰" and without rule numbers in brackets."""
    for p in sorted(c.people, key=lambda p: len(p.display), reverse=True):
        if p.name:
            text = text.replace(p.display, p.name)
    return re.sub(r"[（(][STP]\d{2}[）)]", "", text)


def _changes(doc: DocumentType, w: Writer, c: Community, result: SlateResult) -> None:
    """调整说明: the events, the counts, every change with its reason."""
    base = result.base or {}
    style.para(
        doc, w.t("采用方案：", "Adopted plan: ") + str(base.get("source") or "—"), size=style.TABLE_SIZE
    )
    for applied in base.get("applied", []):
        style.para(doc, _clean(c, str(applied.get(w.lang) or applied.get("zh", ""))))
    if "people_moved" in base:
        style.para(
            doc,
            w.t(
                f"调动{base['people_moved']}人，变动{base['posts_changed']}个职务，名单变动{base['list_changes']}处。",
                f"{base['people_moved']} people moved, {base['posts_changed']} posts changed, "
                f"{base['list_changes']} list changes.",
            ),
        )
    for change in result.changes or []:
        style.para(doc, _clean(c, str(change.get(w.lang) or change.get("zh", ""))))
    if "people_moved" in base and not result.changes:
        style.para(doc, w.t("与采用方案相比无变动。", "No change from the adopted plan."))


def _second_round(doc: DocumentType, w: Writer, c: Community, second: dict[str, object]) -> None:
    """另行选举: per body the elected of round one, the seats left and the second round's list."""
    style.para(
        doc, w.t("第一轮当选情况：", "Round one: ") + str(second.get("source") or "—"), size=style.TABLE_SIZE
    )
    elected_all = second.get("elected") or {}
    seats_all = second.get("seats_left") or {}
    lists_all = second.get("lists") or {}
    for body in BODIES:
        elected = list(elected_all.get(body, [])) if isinstance(elected_all, dict) else []
        left = seats_all.get(body, 0) if isinstance(seats_all, dict) else 0
        listed = list(lists_all.get(body, [])) if isinstance(lists_all, dict) else []
        line = w.t(
            f"{w.body(body)}：第一轮当选{len(elected)}人（{names(c, elected) or '无'}），另行选举{left}席",
            f"{w.body(body)}: {len(elected)} elected in round one ({w.people(c, elected) or 'none'}), "
            f"{left} seat(s) left",
        )
        if listed:
            line += w.t(
                f"，候选人{len(listed)}人：{names(c, listed)}",
                f"; {len(listed)} candidates: {w.people(c, listed)}",
            )
        style.para(doc, line + w.t("。", "."))


def _remarks(w: Writer, c: Community, slate: Slate, body: str, pid: str) -> str:
    notes = []
    other = [b for b in ("party_committee", "residents_committee") if b != body and pid in slate.members(b)]
    if body != "supervisory_committee" and other:
        notes.append(w.t("交叉任职", "also in the other committee"))
    p = c.person.get(pid)
    if c.by_election:  # 补选: a sitting member keeps the post, anyone else fills a vacancy
        sitting = body in c.sitting().get(pid, {})
        notes.append(
            w.t("在任（保留原职）", "sitting (keeps the post)")
            if sitting
            else w.t("补选", "new (by-election)")
        )
    elif p is not None and p.incumbent:
        notes.append(w.t("连任", "incumbent"))
    screening = w.data.screening(c).get(pid)
    if screening is not None and screening.subject_to_review:
        notes.append(w.t("资格待确认", "awaiting review"))
    return w.t("、", ", ").join(notes)


def _checks(doc: DocumentType, w: Writer, c: Community, slates: list[Slate]) -> None:
    """The requirements each option was checked against: one row per requirement, one column per option."""
    style.para(
        doc, w.t("各方案逐项核对：", "Each option checked:"), indent=False, bold=True, keep_with_next=True
    )
    marks = []
    for s in slates:
        marks.append({ch.rule: ch for ch in slate_checks(c, s, w.data)})
    order = [rid for rid in RULES if any(rid in m for m in marks)]
    for start in range(0, len(slates), PER_TABLE):
        group = slates[start : start + PER_TABLE]
        rows = []
        for rid in order:
            cells = []
            for i in range(len(group)):
                check = marks[start + i].get(rid)
                if check is None:
                    cells.append("—")
                elif check.disabled:
                    cells.append(w.t("未启用", "off"))
                else:
                    cells.append(w.t("✓ 符合", "✓ met") if check.ok else w.t("✗ 不符合", "✗ not met"))
            rows.append([w.rule(rid), *cells])
        style.table(
            doc,
            [w.t("要求", "Requirement"), *(w.option(s.rank or 0) for s in group)],
            rows,
            [50] + [30] * len(group),
            size=style.SMALL_SIZE,
            center_columns=tuple(range(1, len(group) + 1)),
        )


def _left_out(doc: DocumentType, w: Writer, c: Community, slates: list[Slate]) -> None:
    data = w.data
    chosen = {p for s in slates for p in facts.everyone(s)} | {
        p for s in slates for listed in s.candidate_lists.values() for p in listed
    }
    out = [p for p in c.people if p.id not in chosen]
    if not out:
        style.para(doc, w.t("全部参选人均已列入方案。", "Everyone is in an option."))
        return
    if not data.include_sensitive:
        style.para(
            doc,
            w.t(
                f"未列入任何方案的参选人（{len(out)}人）：{names(c, [p.id for p in out])}。",
                f"In no option ({len(out)}): {w.people(c, [p.id for p in out])}.",
            ),
        )
        return
    style.para(
        doc,
        w.t("未列入任何方案的参选人及情况：", "People in no option and why:"),
        indent=False,
        bold=True,
        keep_with_next=True,
    )
    screening = data.screening(c)
    rows = []
    for p in out:
        s = screening.get(p.id)
        reasons = [f"{w.rule(r.rule)}：{r.text(w.lang)}" for r in s.reasons()] if s else []
        rows.append([name(c, p.id), "\n".join(reasons) or w.t("综合比选未列入", "not chosen")])
    style.table(
        doc,
        [w.t("姓名", "Name"), w.t("情况（敏感信息）", "Why (sensitive)")],
        rows,
        [24, 132],
        size=style.SMALL_SIZE,
    )


# ---------------------------------------------------------------- appendix


def audit_table(w: Writer) -> list[list[str]]:
    """The record of how the draft was made, as a few readable rows."""
    audit = w.data.audit
    scenario = audit.get("scenario") or {}
    solver = audit.get("solver") or {}
    options = audit.get("options") or {}
    status = audit.get("status") or {}
    settings = next(iter((solver.get("slates") or {}).values()), None) or solver.get("schedule") or {}
    yes, no = w.t("是", "yes"), w.t("否", "no")
    rows = [
        [
            w.t("情景", "Scenario"),
            f"{scenario.get('name') or ''}（{scenario.get('id')}）"
            if w.lang == "zh"
            else f"{scenario.get('name') or ''} ({scenario.get('id')})",
        ],
        [w.t("情景文件校验码（SHA-256）", "Scenario SHA-256"), str(scenario.get("sha256", ""))],
        [w.t("生成工具", "Tool"), f"{audit.get('tool', '')} {audit.get('planner_version', '')}"],
        [
            w.t("求解器", "Solver"),
            f"{solver.get('name', '')} {solver.get('version', '')}"
            + w.t(
                f"；随机种子{settings.get('seed')}，线程{settings.get('workers')}，时限{settings.get('time_limit')}秒",
                f"; seed {settings.get('seed')}, workers {settings.get('workers')}, time limit {settings.get('time_limit')} s",
            ),
        ],
        [w.t("方案数", "Options"), str(options.get("top", ""))],
        [w.t("含敏感信息", "Sensitive details"), yes if options.get("include_sensitive") else no],
        [
            w.t("资格待确认者视为通过", "Pending reviews count as passed"),
            yes if options.get("allow_pending") else no,
        ],
    ]
    slates_status = status.get("slates") or {}
    if slates_status:
        by_id = {c.id: community_name(c) for c in communities(w.data.scenario)}
        rows.append(
            [
                w.t("班子方案", "Slates"),
                w.t("；", "; ").join(
                    f"{by_id.get(cid, cid)}{w.t('：', ': ')}{w.pick(STATUS.get(st, STATUS['unknown']))}"
                    for cid, st in slates_status.items()
                ),
            ]
        )
    if status.get("schedule"):
        rows.append([w.t("日程", "Schedule"), w.pick(STATUS.get(status["schedule"], STATUS["unknown"]))])
    for key, label in (("locks", Text("锁定人选", "Locked")), ("excludes", Text("排除人选", "Excluded"))):
        given = options.get(key) or {}
        shown = []
        for c in communities(w.data.scenario):
            pids = list(given.get(c.id) or [])
            if pids:
                shown.append(w.people(c, pids))
        if shown:
            rows.append([w.pick(label), w.t("；", "; ").join(shown)])
    if options.get("rules_edited"):
        rows.append([w.t("会话中修改了规则或数据", "Rules or data edited in the session"), yes])
    off = sorted({rid for r in (audit.get("rules") or {}).values() for rid in r.get("disabled", [])})
    rows.append(
        [
            w.t("关闭的规则", "Rules switched off"),
            w.t("、", ", ").join(f"{r} {w.rule(r)}" for r in off) or w.t("无", "none"),
        ]
    )
    rows.append([w.t("导出时间（UTC）", "Exported at (UTC)"), str(audit.get("exported_at", ""))])
    return rows


def _appendix(doc: DocumentType, w: Writer) -> None:
    heading = style.heading(doc, w.t("附件1：生成情况", "Appendix 1: how this draft was made"), 1)
    heading.paragraph_format.page_break_before = True
    style.para(
        doc,
        w.t(
            "本稿由两委 Planner 依据下列情景与规则生成，方案均经独立复核，可据此复查。",
            "This draft was generated by 两委 Planner from the scenario and rules below; every option was re-checked.",
        ),
    )
    style.table(
        doc, [w.t("项目", "Item"), w.t("内容", "Value")], audit_table(w), [46, 110], size=style.SMALL_SIZE
    )
    heading = style.heading(doc, w.t("附件2：规则编号对照", "Appendix 2: rule numbers"), 1)
    heading.paragraph_format.page_break_before = True
    in_force = {rid for r in (w.data.audit.get("rules") or {}).values() for rid in r.get("in_force", [])}
    rows = [
        [rid, w.rule(rid), w.t("在用", "in force") if rid in in_force else w.t("未用", "not in force")]
        for rid in RULES
    ]
    style.table(
        doc,
        [w.t("编号", "Number"), w.t("名称", "Name"), w.t("本次", "This plan")],
        rows,
        [22, 100, 34],
        size=style.SMALL_SIZE,
        center_columns=(0, 2),
    )


# ---------------------------------------------------------------- the document


def document(data: PlanData) -> DocumentType:
    w = Writer(data)
    doc = style.new_document(
        w.title(),
        keywords=f"scenario-sha256:{data.audit.get('scenario', {}).get('sha256', '')}",
        comments=f"exported {data.audit.get('exported_at', '')}",
    )
    style.title(doc, w.title())
    number = 1
    first = True
    if isinstance(data.scenario, Subdistrict):
        _summary(doc, w)
        number, first = 2, False
        for c in data.communities:
            _overview(doc, w, c, number, first)
            number += 1
    else:
        _overview(doc, w, data.communities[0], number, first)
    for c in data.communities:
        if data.slate_list(c.id) or c.people:
            _details(doc, w, c, number)
            number += 1
    _appendix(doc, w)
    return doc


def document_bytes(data: PlanData) -> bytes:
    return style.save(document(data))
