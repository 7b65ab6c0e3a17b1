"""plan.xlsx: options, per-rule checks, candidate lists, eligibility, relatives, schedule and audit sheets.

Headers are Chinese with English, header rows frozen, auto filters on, widths fitted to
the text (CJK characters count double).
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.export.audit import audit_rows
from planner.export.common import (
    RELATION_NAMES,
    PlanData,
    barred_rule_ids,
    barring_details,
    body_label,
    by_election_rows,
    check_mark,
    joint_review_rows,
    joint_review_zh,
    option_name,
    person_facts,
    person_name,
    post_label,
    quotas,
    relative_pairs,
    remarks,
    rule_name,
    slate_checks,
    stage_notes,
)
from planner.scenario import BODIES

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="9C1F1F")
DATE_FORMAT = "yyyy-mm-dd"
SHEETS = (
    "方案 Options",
    "规则检查 Checks",
    "差额名单 Lists",
    "资格 Eligibility",
    "亲属 Relatives",
    "日程 Schedule",
    "审计 Audit",
)
BY_ELECTION_SHEET = "补选 By-election"  # when a community is a by-election: vacant posts, sitting members
CHANGES_SHEET = "调整说明 Changes"  # a re-plan from an adopted plan (SCENARIO.md "Re-planning")
SECOND_ROUND_SHEET = "另行选举 Second round"  # SCENARIO.md "Second round"
REVIEW_SHEET = "联审 Joint review"  # with include_sensitive, when a person has per-department records


def _width(value: Any) -> int:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value if value is not None else "")
    line = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _sheet(wb: Workbook, title: str, headers: list[str], rows: list[list[Any]]) -> Worksheet:
    """A sheet with a styled, frozen, filtered header row and fitted column widths."""
    ws = wb.create_sheet(title)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "isoformat"):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    for i, header in enumerate(headers, start=1):
        longest = max([_width(header) + 2] + [_width(r[i - 1]) for r in rows if i - 1 < len(r)])
        ws.column_dimensions[get_column_letter(i)].width = min(max(8, longest + 2), 60)
    return ws


def _options_rows(data: PlanData) -> list[list[Any]]:
    rows = []
    for c in data.communities:
        for slate in data.slate_list(c.id):
            rank = slate.rank
            for body in BODIES:
                for post, pid in slate.holders(body):
                    f = person_facts(c, pid)
                    rows.append(
                        [
                            c.name or c.id,
                            rank,
                            option_name(rank) if rank else "",
                            slate.objective,
                            body_label(body),
                            post_label(body, post),
                            pid,
                            f["name"],
                            f["gender"],
                            f["age"],
                            f["ethnicity"],
                            f["education"],
                            f["party"],
                            f["support"],
                            f["tags"],
                            f["incumbent"],
                            remarks(c, slate, body, pid, data),
                            body,
                            post,
                        ]
                    )
    return rows


def _check_rows(data: PlanData) -> list[list[Any]]:
    rows = []
    for c in data.communities:
        for slate in data.slate_list(c.id):
            numbers = {q.rule: q for q in quotas(c, slate)}
            checks = slate_checks(c, slate, data)
            for check in checks:
                rid = check.rule
                zh, en = rule_name(rid)
                q = numbers.get(rid)
                count = f"{q.count}/{q.total}" if q and q.in_force else ""
                people = "、".join(person_name(c, pid) for pid in check.people)
                rows.append(
                    [
                        c.name or c.id,
                        slate.rank,
                        rid,
                        zh,
                        en,
                        check_mark(check).both(),
                        count,
                        check.detail,
                        people,
                    ]
                )
            for rid, q in numbers.items():
                if not any(ch.rule == rid for ch in checks):
                    zh, en = rule_name(rid)
                    mark = "— 未启用 off" if not q.in_force else ("✓ 符合 ok" if q.ok else "✗ 不符合 broken")
                    rows.append(
                        [
                            c.name or c.id,
                            slate.rank,
                            rid,
                            zh,
                            en,
                            mark,
                            f"{q.count}/{q.total}",
                            q.sentence(),
                            "、".join(q.people),
                        ]
                    )
    return rows


def _list_rows(data: PlanData) -> list[list[Any]]:
    rows = []
    for c in data.communities:
        for slate in data.slate_list(c.id):
            for body, pids in slate.candidate_lists.items():
                elected = set(slate.members(body))
                for i, pid in enumerate(pids, start=1):
                    rows.append(
                        [
                            c.name or c.id,
                            slate.rank,
                            body_label(body),
                            i,
                            pid,
                            person_name(c, pid),
                            "是 yes" if pid in elected else "差额 alternate",
                        ]
                    )
    return rows


def _eligibility(data: PlanData) -> tuple[list[str], list[list[Any]]]:
    headers = [
        "社区 Community",
        "编号 ID",
        "姓名 Name",
        "党组织 Party committee",
        "居委会 Residents' committee",
        "监委会 Supervisory committee",
        "书记 Secretary",
        "不符合规则 Rules not met",
        "待审 Subject to review",
    ]
    if data.include_sensitive:
        headers += ["情形 Details (sensitive)", "联审 Joint review (sensitive)"]
    rows = []
    for c in data.communities:
        for pid, s in data.screening(c).items():

            def verdict(v: Any) -> str:
                return "✓" if v.ok else "✗ " + ", ".join(v.rule_ids())

            row = [
                c.name or c.id,
                pid,
                s.person.name,
                *(verdict(s.bodies[b]) for b in BODIES),
                verdict(s.secretary),
                ", ".join(barred_rule_ids(s)),
                "是 yes" if s.subject_to_review else "",
            ]
            if data.include_sensitive:
                row += ["\n".join(barring_details(s)), s.person.joint_review]
            rows.append(row)
    return headers, rows


def _review_rows(data: PlanData) -> list[list[Any]]:
    """The per-department 资格联审 grid: a row per person and department."""
    rows = []
    for c in data.communities:
        for r in joint_review_rows(c):
            rows.append(
                [
                    c.name or c.id,
                    r["person"],
                    r["name"],
                    f"{joint_review_zh(r['status'])} {r['status']}",
                    r["department"],
                    f"{joint_review_zh(r['result'])} {r['result'] or 'not_submitted'}",
                    date.fromisoformat(r["date"]) if r["date"] else None,
                    r["number"],
                ]
            )
    return rows


def _relative_rows(data: PlanData) -> list[list[Any]]:
    rows = []
    for c in data.communities:
        for a, b, relation, proof_zh, proof_en in relative_pairs(c):
            rows.append(
                [
                    c.name or c.id,
                    a,
                    person_name(c, a),
                    b,
                    person_name(c, b),
                    f"{RELATION_NAMES.get(relation, relation)} {relation}",
                    proof_zh,
                    proof_en,
                ]
            )
    return rows


def _schedule_rows(data: PlanData) -> list[list[Any]]:
    rows = []
    for c in data.communities:
        critical = set(data.critical_path(c.id))
        for i, row in enumerate(data.schedule_stages(c.id), start=1):
            d = row.stage
            rows.append(
                [
                    c.name or c.id,
                    i,
                    d.id,
                    d.name,
                    row.start,
                    row.end,
                    row.days,
                    row.slack,
                    "★" if d.id in critical else "",
                    d.window[0] if d.window else None,
                    d.window[1] if d.window else None,
                    "\n".join(stage_notes(c, d, data.scenario)),
                ]
            )
    return rows


CHANGE_KINDS = {"event": "事件 event", "moved": "调动 moved", "post": "职务 post", "list": "名单 list"}


def _change_rows(data: PlanData) -> list[list[Any]]:
    """The events and changes of every re-planned community (SCENARIO.md "Re-planning")."""
    rows: list[list[Any]] = []
    for c in data.communities:
        result = data.slate_result(c.id)
        if result.base is None:
            continue
        for applied in result.base.get("applied", []):
            rows.append([c.id, CHANGE_KINDS["event"], "", "", "", "", "", "", applied["zh"], applied["en"]])
        for ch in result.changes or []:
            kind = ch["kind"]
            if kind == "moved":
                lost = ch["from"][0] if ch["from"] else ["", ""]
                reason = ch["reason"]
                rows.append(
                    [c.id, CHANGE_KINDS[kind], ch["person"], lost[0], lost[1], ch["person"], "",
                     f"{reason['zh']} / {reason['en']}", ch["zh"], ch["en"]]
                )  # fmt: skip
            elif kind == "post":
                rows.append(
                    [c.id, CHANGE_KINDS[kind], "", ch["body"], ch["post"], ch["before"] or "", ch["after"] or "",
                     "", ch["zh"], ch["en"]]
                )  # fmt: skip
            else:
                rows.append([c.id, CHANGE_KINDS["list"], "", ch["body"], "", "", "", "", ch["zh"], ch["en"]])
    return rows


def _second_round_rows(data: PlanData) -> list[list[Any]]:
    """Per body: the elected of round one and the second round's candidates (SCENARIO.md "Second round")."""
    rows: list[list[Any]] = []
    for c in data.communities:
        second = data.slate_result(c.id).second_round
        if second is None:
            continue
        for body in BODIES:
            left = (second.get("seats_left") or {}).get(body, 0)
            for pid in (second.get("elected") or {}).get(body, []):
                rows.append([c.id, body_label(body), left, "第一轮当选 elected", pid, person_name(c, pid)])
            for pid in (second.get("lists") or {}).get(body, []):
                rows.append(
                    [c.id, body_label(body), left, "另行选举候选人 candidate", pid, person_name(c, pid)]
                )
    return rows


def workbook(data: PlanData) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(
        wb,
        SHEETS[0],
        [
            "社区 Community",
            "方案 Option",
            "方案名 Option name",
            "目标值 Objective",
            "机构 Body",
            "职务 Post",
            "编号 ID",
            "姓名 Name",
            "性别 Gender",
            "年龄 Age",
            "民族 Ethnicity",
            "学历 Education",
            "党员 Party member",
            "支持度 Support",
            "优先来源 Tags",
            "上届职务 Incumbent",
            "备注 Notes",
            "机构代码 Body key",
            "职务代码 Post key",
        ],
        _options_rows(data),
    )
    _sheet(
        wb,
        SHEETS[1],
        [
            "社区 Community",
            "方案 Option",
            "规则 Rule",
            "规则名 Name",
            "Rule name",
            "结果 Result",
            "人数 Count",
            "说明 Detail",
            "涉及人员 People",
        ],
        _check_rows(data),
    )
    _sheet(
        wb,
        SHEETS[2],
        [
            "社区 Community",
            "方案 Option",
            "机构 Body",
            "序号 No.",
            "编号 ID",
            "姓名 Name",
            "方案内当选 Elected in option",
        ],
        _list_rows(data),
    )
    headers, rows = _eligibility(data)
    _sheet(wb, SHEETS[3], headers, rows)
    _sheet(
        wb,
        SHEETS[4],
        [
            "社区 Community",
            "编号 A",
            "姓名 A",
            "编号 B",
            "姓名 B",
            "关系 Relation (A of B)",
            "依据 Proof",
            "Proof",
        ],
        _relative_rows(data),
    )
    _sheet(
        wb,
        SHEETS[5],
        [
            "社区 Community",
            "序号 No.",
            "阶段 Stage id",
            "阶段名 Stage",
            "开始 Start",
            "结束 End",
            "天数 Days",
            "机动 Slack (days)",
            "关键路径 Critical",
            "窗口起 Window from",
            "窗口止 Window to",
            "规则 Rule notes",
        ],
        _schedule_rows(data),
    )
    _sheet(wb, SHEETS[6], ["项目 Key", "名称 Label", "值 Value"], [list(r) for r in audit_rows(data.audit)])
    by_election = [row for c in data.communities for row in by_election_rows(c)]
    if by_election:  # 补选: which posts were vacant and who keeps their post
        _sheet(
            wb,
            BY_ELECTION_SHEET,
            [
                "社区 Community",
                "机构 Body",
                "职务 Post",
                "状态 Status",
                "编号 ID",
                "姓名 Name",
                "机构代码 Body key",
                "职务代码 Post key",
            ],
            by_election,
        )
    changes = _change_rows(data)
    if changes:
        _sheet(
            wb,
            CHANGES_SHEET,
            [
                "社区 Community",
                "类别 Kind",
                "编号 ID",
                "机构 Body",
                "职务 Post",
                "原任 Before",
                "现任 After",
                "原因 Reason",
                "说明 Detail",
                "Detail",
            ],
            changes,
        )
    second = _second_round_rows(data)
    if second:
        _sheet(
            wb,
            SECOND_ROUND_SHEET,
            ["社区 Community", "机构 Body", "应选 Seats left", "类别 Kind", "编号 ID", "姓名 Name"],
            second,
        )
    reviews = _review_rows(data) if data.include_sensitive else []
    if reviews:
        _sheet(
            wb,
            REVIEW_SHEET,
            [
                "社区 Community",
                "编号 ID",
                "姓名 Name",
                "联审结论 Status",
                "部门 Department",
                "结果 Result",
                "日期 Date",
                "文号 Document no.",
            ],
            reviews,
        )
    kind = "补选" if any(c.by_election for c in data.communities) else "班子"
    wb.properties.title = f"{data.title_name}“两委”{kind}人选方案"
    wb.properties.creator = "两委 Planner"
    wb.properties.keywords = f"scenario-sha256:{data.audit.get('scenario', {}).get('sha256', '')}"
    return wb


def workbook_bytes(data: PlanData) -> bytes:
    buffer = io.BytesIO()
    workbook(data).save(buffer)
    return buffer.getvalue()
