"""换届工作日程安排表: each community's stages with their dates, content, requirements and owner (责任人).

One table per community (a page each in a sub-district): 序号, 阶段 (the work plan's phase), 日期 (from the
schedule), 工作内容 (the stage), 工作要求 (publicity days, working days, the day of an election, the
deadline, the work group), 责任人 (the stage's `owner`, blank to fill in where none is given).
"""

from __future__ import annotations

import planner.export.documents.facts as facts
import planner.export.documents.style as style
from planner.export.common import PlanData, StageRow
from planner.scenario import Community, Subdistrict
from planner.timeline.template import PHASES, stage_phases

FILE = "换届工作日程安排表"
HEADERS = ["序号", "阶段", "日期", "工作内容", "工作要求", "责任人"]
WEIGHTS = [8, 16, 38, 32, 38, 24]


def title(data: PlanData) -> str:
    if isinstance(data.scenario, Subdistrict):
        return f"{facts.subdistrict_name(data)}社区“两委”\n换届工作日程安排表"
    c = data.communities[0]
    return f"{facts.community_name(c)}“两委”\n{'补选' if c.by_election else '换届'}工作日程安排表"


def requirements(c: Community, row: StageRow, data: PlanData) -> str:
    stage = row.stage
    names = {s.id: s.name or s.id for s in c.schedule.effective_stages()}
    notes = []
    if stage.publicity:
        notes.append("公示时间不少于5日")
    if stage.unit == "working":
        notes.append(f"{stage.duration}个工作日")
    elif stage.duration > 1 and not stage.publicity:
        notes.append(f"{stage.duration}日")
    if stage.election:
        notes.append("选举日，须在规定的选举日进行")
    for after in stage.after:
        if after.rule == "T09":
            notes.append(f"选民名单须于选举日{after.gap}日前公布（{names.get(after.stage, '')}）")
        elif after.rule == "T10":
            notes.append(f"正式候选人须于选举日{after.gap}日前公布")
        elif after.rule == "T05":
            notes.append("在党组织选举之后进行")
    deadline = c.schedule.effective_deadlines().get(stage.id)
    if deadline:
        notes.append(f"{facts.day(deadline)}前完成")
    if stage.work_group and isinstance(data.scenario, Subdistrict):
        notes.append("街道工作组到场指导")
    return "；".join(notes)


def phase_name(c: Community, sid: str) -> str:
    phases = stage_phases(c.schedule.template).get(sid)
    if not phases:
        return ""
    return "、".join(dict.fromkeys(PHASES[p][0] for p in phases if p in PHASES))


def rows(data: PlanData, c: Community) -> list[list[str]]:
    out = []
    for i, row in enumerate(data.schedule_stages(c.id), start=1):
        out.append(
            [
                str(i),
                phase_name(c, row.stage.id),
                facts.short_span(row.start, row.end),
                row.stage.name or "",
                requirements(c, row, data),
                row.stage.owner,
            ]
        )
    return out


def docx_bytes(data: PlanData) -> bytes:
    doc = style.new_document(title(data).replace("\n", ""), keywords=facts.keywords(data))
    style.title(doc, title(data))
    for c in style.community_pages(doc, data):
        body = rows(data, c)
        if not body:
            style.para(doc, "尚未排定日程（日程无解或未求解），请先完成日程安排。")
            continue
        style.table(doc, HEADERS, body, WEIGHTS, size=style.SMALL_SIZE, center_columns=(0,), keep=(2,))
        style.note(
            doc, "注：日期均含首尾两日；工作日按国务院办公厅公布的节假日安排计算；责任人空白处请填写。"
        )
    return style.save(doc)


def xlsx_bytes(data: PlanData) -> bytes:
    wb = style.new_workbook()
    for c in data.communities:
        style.sheet(
            wb, facts.community_name(c), title(data), HEADERS, rows(data, c), subtitle=facts.community_name(c)
        )
    return style.workbook_bytes(wb)
