"""预备人选公示: the notice of the Party committee's prospective candidates, with its publicity dates.

Per community (a page each): who is proposed (option 1's Party list, in the order of their names), the
publicity period from the schedule (the Party procedure's publicity stage, T03: at least 5 days), where to
send objections (a blank for the telephone and address) and the issuer with the first day of publicity.
"""

from __future__ import annotations

import planner.export.documents.facts as facts
import planner.export.documents.style as style
from planner.export.common import PlanData
from planner.scenario import Community, Subdistrict

FILE = "预备人选公示"
HEADERS = ["序号", "姓名", "性别", "出生年月", "民族", "学历", "政治面貌"]
WEIGHTS = [10, 24, 10, 20, 18, 18, 22]
BODY = "party_committee"


def notice_title(c: Community) -> str:
    return f"关于{facts.community_name(c)}党组织委员会\n委员预备人选的公示"


def people(data: PlanData, c: Community) -> tuple[list[list[str]], int]:
    slate = facts.chosen(data, c)
    if slate is None:
        return [], 0
    rows = []
    for i, pid in enumerate(facts.by_name(c, facts.candidate_list(slate, BODY)), start=1):
        p = c.person.get(pid)
        rows.append(
            [
                str(i),
                facts.name(c, pid),
                facts.GENDER[p.gender].zh if p else "",
                facts.birth_month(p) if p else "",
                (p.ethnicity or "") if p else "",
                facts.education(p.education) if p else "",
                facts.party_standing(p) if p else "",
            ]
        )
    return rows, facts.seats_elected(c, slate, BODY)


def docx_bytes(data: PlanData) -> bytes:
    name = (
        facts.subdistrict_name(data) + "各社区"
        if isinstance(data.scenario, Subdistrict)
        else facts.community_name(data.communities[0])
    )
    doc = style.new_document(f"{name}预备人选公示", keywords=facts.keywords(data))
    for i, c in enumerate(data.communities):
        heading = style.title(doc, notice_title(c))
        heading.paragraph_format.page_break_before = i > 0
        rows, seats = people(data, c)
        row = facts.dates(data, c).publicity("pc_")
        start, end = (row.start, row.end) if row else (None, None)
        where = facts.community_name(c)
        if rows:
            style.para(
                doc,
                f"根据《中国共产党基层组织选举工作条例》和{'补选' if c.by_election else '换届'}工作安排，经党员推荐和群众推荐、街道党工委研究、"
                f"资格联审和组织考察，拟确定下列同志为{where}党组织委员会委员候选人预备人选"
                f"（{len(rows)}名，应选{seats}名），现予以公示（按姓名排列，排名不分先后）：",
            )
            style.table(doc, HEADERS, rows, WEIGHTS, size=style.SMALL_SIZE, center_columns=(0, 2, 3))
        else:
            style.para(
                doc, f"拟确定下列同志为{where}党组织委员会委员候选人预备人选，现予以公示：{facts.BLANK}"
            )
        style.para(doc, f"公示时间：{facts.span(start, end)}。")
        style.para(
            doc,
            "公示期间，党员群众对公示对象有意见的，可通过来信、来电、来访等方式向社区党组织或街道党工委反映。"
            "反映问题应实事求是，以个人名义反映的请署真实姓名，以单位名义反映的请加盖公章。",
        )
        style.para(doc, f"联系电话：{facts.BLANK}　　地址：{facts.BLANK}")
        style.para(doc, f"中共{where}总支部委员会", right=True)
        style.para(doc, facts.day(start), right=True)
    return style.save(doc)
