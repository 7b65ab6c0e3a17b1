"""资格联审表: one row per preliminary candidate, one column per reviewing department (资格联审).

Per community (a page each): option 1's candidates of every body (in the order of their names), what they
stand for, a column for each 资格联审 department (the community's `joint_review_departments`, else its rule
profile's) and the conclusion; below, a row per department for its opinion, signature, seal and date. The
cells are left blank for the departments to fill in; with sensitive details asked for, the results already
recorded: each department's reply (`joint_reviews`: result and 文号), and the overall status.
"""

from __future__ import annotations

import planner.export.documents.facts as facts
import planner.export.documents.style as style
from planner.eligibility import JOINT_REVIEW_NAMES
from planner.export.common import PlanData
from planner.scenario import BODIES, Community, Person, Subdistrict

FILE = "资格联审表"
DEFAULT_DEPARTMENTS = ("组织部门", "民政部门", "纪检监察机关", "公安机关")
"""The departments when the rule profile names none (a county names its own in its profile)."""


def departments(c: Community) -> list[str]:
    return c.departments() or list(DEFAULT_DEPARTMENTS)


def recorded(p: Person, department: str) -> str:
    """A department's recorded reply for a person (sensitive: only with include_sensitive); without
    per-department records, the person's overall status."""
    for review in p.joint_reviews:
        if review.department == department:
            number = f"（{review.number}）" if review.number else ""
            return JOINT_REVIEW_NAMES[review.result][0] + number
    if p.joint_reviews:
        return JOINT_REVIEW_NAMES["not_submitted"][0]
    return JOINT_REVIEW_NAMES[p.joint_review][0]


def candidates(data: PlanData, c: Community) -> list[tuple[str, list[str]]]:
    """(person id, the bodies they are listed for) of option 1's lists, in the order of their names."""
    slate = facts.chosen(data, c)
    if slate is None:
        return []
    bodies: dict[str, list[str]] = {}
    for body in BODIES:
        for pid in facts.candidate_list(slate, body):
            bodies.setdefault(pid, []).append(facts.SHORT_BODY[body].zh)
    return [(pid, bodies[pid]) for pid in facts.by_name(c, list(bodies))]


def table(data: PlanData, c: Community) -> tuple[list[str], list[list[str]]]:
    depts = departments(c)
    headers = ["序号", "姓名", "拟参选", *depts, "联审结论"]
    rows = []
    for i, (pid, bodies) in enumerate(candidates(data, c), start=1):
        p = c.person.get(pid)
        cells = [recorded(p, d) if data.include_sensitive and p else "" for d in depts]
        conclusion = JOINT_REVIEW_NAMES[p.joint_review][0] if data.include_sensitive and p else ""
        rows.append([str(i), facts.name(c, pid), "、".join(bodies), *cells, conclusion])
    return headers, rows


def docx_bytes(data: PlanData) -> bytes:
    where = (
        facts.subdistrict_name(data) + "各社区"
        if isinstance(data.scenario, Subdistrict)
        else facts.community_name(data.communities[0])
    )
    doc = style.new_document(f"{where}“两委”候选人资格联审表", keywords=facts.keywords(data))
    for i, c in enumerate(data.communities):
        heading = style.title(doc, f"{facts.community_name(c)}“两委”候选人\n资格联审表")
        heading.paragraph_format.page_break_before = i > 0
        headers, rows = table(data, c)
        if not rows:
            style.para(doc, "尚无可行方案，初步人选待确定。")
            continue
        n = len(headers) - 4
        style.table(
            doc, headers, rows, [8, 18, 20, *([22] * n), 18], size=style.SMALL_SIZE, center_columns=(0,)
        )
        style.note(doc, "注：各部门在对应栏内填写“同意”或“不同意”；有不同意见的，另附书面说明。")
        style.table(
            doc,
            ["联审部门", "意见", "经办人", "负责人签字", "盖章", "日期"],
            [[d, "", "", "", "", ""] for d in departments(c)],
            [30, 40, 20, 24, 20, 22],
            size=style.SMALL_SIZE,
        )
    return style.save(doc)


def xlsx_bytes(data: PlanData) -> bytes:
    wb = style.new_workbook()
    for c in data.communities:
        headers, rows = table(data, c)
        style.sheet(
            wb, facts.community_name(c), f"{facts.community_name(c)}“两委”候选人资格联审表", headers, rows
        )
    return style.workbook_bytes(wb)
