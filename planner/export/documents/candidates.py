"""候选人初步人选名单（差额）: the differential candidate list of each body, from option 1 (方案一).

For each community and body: how many are listed for how many seats, then one row per person (姓名, 性别,
出生年月, 民族, 学历, 政治面貌, 现任职务), in the order of their names, so the list does not tell who is the
差额 extra. A body without a list in the plan lists its post holders.
"""

from __future__ import annotations

import planner.export.documents.facts as facts
import planner.export.documents.style as style
from planner.export.common import PlanData
from planner.scenario import BODIES, BODY_NAMES, Community, Subdistrict

FILE = "候选人初步人选名单"
HEADERS = ["序号", "姓名", "性别", "出生年月", "民族", "学历", "政治面貌", "现任职务"]
WEIGHTS = [8, 18, 8, 16, 14, 14, 18, 40]


def title(data: PlanData) -> str:
    where = (
        f"{facts.subdistrict_name(data)}各社区"
        if isinstance(data.scenario, Subdistrict)
        else facts.community_name(data.communities[0])
    )
    return f"{where}“两委”\n候选人初步人选名单（差额）"


def lists(data: PlanData, c: Community) -> list[tuple[str, int, list[list[str]]]]:
    """(body, seats, rows) for each body of option 1."""
    slate = facts.chosen(data, c)
    if slate is None:
        return []
    out = []
    for body in BODIES:
        pids = facts.by_name(c, facts.candidate_list(slate, body))
        if not pids:
            continue
        rows = []
        for i, pid in enumerate(pids, start=1):
            p = c.person.get(pid)
            if p is None:
                rows.append([str(i), pid, "", "", "", "", "", ""])
                continue
            rows.append(
                [
                    str(i),
                    facts.name(c, pid),
                    facts.GENDER[p.gender].zh,
                    facts.birth_month(p),
                    p.ethnicity or "",
                    facts.education(p.education),
                    facts.party_standing(p),
                    facts.incumbent_posts(p),
                ]
            )
        out.append((body, facts.seats_elected(c, slate, body), rows))
    return out


def docx_bytes(data: PlanData) -> bytes:
    doc = style.new_document(title(data).replace("\n", ""), keywords=facts.keywords(data))
    style.title(doc, title(data))
    for c in style.community_pages(doc, data):
        found = lists(data, c)
        if not found:
            style.para(doc, "尚无可行方案，初步人选待确定。")
            continue
        for n, (body, seats, rows) in enumerate(found, start=1):
            style.heading(
                doc, f"（{facts.CN_NUMBERS[n]}）{BODY_NAMES[body][0]}（{len(rows)}名，应选{seats}名）", 2
            )
            style.table(doc, HEADERS, rows, WEIGHTS, size=style.SMALL_SIZE, center_columns=(0, 2, 3))
        style.note(doc, "注：按姓名排列，排名不分先后；年龄、学历等以资格审查为准。")
    return style.save(doc)


def xlsx_bytes(data: PlanData) -> bytes:
    wb = style.new_workbook()
    rows = []
    for c in data.communities:
        for body, seats, body_rows in lists(data, c):
            for row in body_rows:
                rows.append(
                    [facts.community_name(c), BODY_NAMES[body][0], f"{len(body_rows)}选{seats}", *row]
                )
    style.sheet(wb, "初步人选", title(data).replace("\n", ""), ["社区", "机构", "差额", *HEADERS], rows)
    return style.workbook_bytes(wb)
