"""plan.docx: the discussion draft (讨论稿) of the 两委 slate, ready to print.

A4, margins after GB/T 9704 (公文格式), a CJK font on every style, page numbers in the
footer. One part per community: each option with its posts table, the rule checklist,
how each quota is met in numbers, the schedule, the people left out (rule ids only
unless sensitive details are asked for); the audit record closes the document.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table

from planner.eligibility import JOINT_REVIEW_NAMES
from planner.export.audit import audit_rows
from planner.export.common import (
    CN_NUMERALS,
    PlanData,
    barring_details,
    by_election_rows,
    check_mark,
    left_out_reason,
    option_name,
    person_facts,
    person_name,
    post_zh,
    quotas,
    remarks,
    rule_name,
    slate_checks,
    slate_people,
    stage_notes,
)
from planner.plan import Slate
from planner.rules import rule_label
from planner.scenario import BODIES, BODY_NAMES, Community, Subdistrict

BODY_FONT = "SimSun"  # 宋体; LibreOffice substitutes Noto Serif CJK SC where SimSun is missing
HEADING_FONT = "SimHei"  # 黑体
LATIN_FONT = "Times New Roman"


def title_text(name: str, by_election: bool = False) -> str:
    """××社区“两委”班子人选方案（讨论稿）; a by-election's: ××社区“两委”补选人选方案（讨论稿）."""
    return f"{name}“两委”{'补选' if by_election else '班子'}人选方案（讨论稿）"


# ---------------------------------------------------------------- page setup and styles


def _set_fonts(style: Any, east_asia: str, size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = LATIN_FONT
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), LATIN_FONT)


def _setup(doc: DocumentType) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    styles = doc.styles
    _set_fonts(styles["Normal"], BODY_FONT, 12)
    _set_fonts(styles["Title"], HEADING_FONT, 20, True)
    for level, size in ((1, 16), (2, 14), (3, 12)):
        _set_fonts(styles[f"Heading {level}"], HEADING_FONT, size, True)
    for name in ("Table Grid", "List Bullet", "Caption"):
        if name in [s.name for s in styles]:
            _set_fonts(styles[name], BODY_FONT)
    title = styles["Title"].element
    ppr = title.find(qn("w:pPr"))
    if ppr is not None:  # the default Title style carries a bottom border: not for an official draft
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)
    _page_number_footer(section)


def _field(paragraph: Any, instruction: str) -> None:
    """A complex field (PAGE, NUMPAGES) the word processor fills in."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, placeholder, end):
        run._r.append(element)


def _page_number_footer(section: Any) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" 页 / 共 ")
    _field(paragraph, "NUMPAGES")
    paragraph.add_run(" 页")


# ---------------------------------------------------------------- building blocks


def _table(
    doc: DocumentType, headers: list[str], rows: list[list[Any]], widths: list[float] | None = None
) -> Table:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on every printed page
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = Pt(10.5)
    if widths:  # fixed layout: Word reads the cell widths, LibreOffice the grid columns
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=False):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Mm(width)
    return table


def _para(
    doc: DocumentType, text: str, *, bold: bool = False, center: bool = False, size: float | None = None
) -> Any:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _section_number(i: int) -> str:
    return f"{CN_NUMERALS[i - 1]}、" if 1 <= i <= len(CN_NUMERALS) else f"{i}."


# ---------------------------------------------------------------- content


def _zh_message(explanation: dict[str, Any]) -> str:
    """An explanation's message in Chinese (older explanations carry only the bilingual `message`)."""
    return str(explanation.get("message_zh") or explanation.get("message") or "")


def _option(doc: DocumentType, data: PlanData, c: Community, slate: Slate, level: int) -> None:
    rank = slate.rank or 0
    objective = slate.objective
    doc.add_heading(
        f"{option_name(rank)}" + (f"（综合得分 {objective}）" if objective is not None else ""), level=level
    )
    rows = []
    for body in BODIES:
        for post, pid in slate.holders(body):
            f = person_facts(c, pid)
            rows.append(
                [
                    BODY_NAMES[body][0],
                    post_zh(body, post),
                    f["name"],
                    f["gender"],
                    f["age"],
                    f["ethnicity"],
                    f["education"],
                    f["party"],
                    remarks(c, slate, body, pid, data),
                ]
            )
    _table(
        doc,
        ["机构", "职务", "姓名", "性别", "年龄", "民族", "学历", "党员", "备注"],
        rows,
        [30, 22, 18, 10, 10, 14, 12, 10, 30],
    )
    for body, pids in slate.candidate_lists.items():
        names = "、".join(person_name(c, pid) for pid in pids)
        _para(doc, f"{BODY_NAMES.get(body, (body,))[0]}差额候选人名单（{len(pids)}人）：{names}")
    checks = slate_checks(c, slate, data)
    if checks:
        _para(doc, "规则核对：", bold=True)
        check_rows = []
        for check in checks:
            zh, _ = rule_name(check.rule)
            check_rows.append([check.rule, zh, check_mark(check).zh, check.text("zh")])
        _table(doc, ["规则", "名称", "结果", "说明"], check_rows, [16, 32, 22, 86])
    _para(doc, "结构要求落实情况：", bold=True)
    for q in quotas(c, slate):
        doc.add_paragraph(q.sentence(), style="List Bullet")


def _schedule(doc: DocumentType, data: PlanData, c: Community) -> None:
    stages = data.schedule_stages(c.id)
    if not stages:
        status = data.schedule.status if data.schedule is not None else "未求解"
        _para(doc, f"暂无日程（状态：{status}）。")
        explanation = data.schedule.explanation if data.schedule is not None else None
        if explanation:
            _para(doc, f"冲突：{'、'.join(explanation.get('conflict') or [])}。{_zh_message(explanation)}")
        return
    critical = set(data.critical_path(c.id))
    rows = []
    for i, row in enumerate(stages, start=1):
        d = row.stage
        name = d.name + ("★" if d.id in critical else "")
        notes = "；".join(n for n in stage_notes(c, d, data.scenario) if not n.startswith("T01"))
        rows.append(
            [
                i,
                name,
                row.start.isoformat(),
                row.end.isoformat(),
                row.days,
                "" if row.slack is None else row.slack,
                notes,
            ]
        )
    _table(
        doc,
        ["序号", "阶段", "开始", "结束", "天数", "机动天数", "规则依据"],
        rows,
        [10, 40, 22, 22, 10, 14, 38],
    )
    _para(doc, "注：★为关键路径阶段（机动天数为0）；日期均含首尾两日。", size=10.5)


def _left_out(doc: DocumentType, data: PlanData, c: Community) -> None:
    chosen = (
        set().union(*(slate_people(s) for s in data.slate_list(c.id))) if data.slate_list(c.id) else set()
    )
    screening = data.screening(c)
    rows = []
    for p in c.people:
        if p.id in chosen:
            continue
        s = screening.get(p.id)
        row = [p.name or p.id, left_out_reason(s)]
        if data.include_sensitive:
            row.append("\n".join(barring_details(s)) if s else "")
            row.append(JOINT_REVIEW_NAMES[p.joint_review][0])
        rows.append(row)
    if not rows:
        _para(doc, "全部参选人均已列入方案。")
        return
    headers = ["姓名", "未列入原因（规则）"] + (["详情（敏感）", "联审"] if data.include_sensitive else [])
    _table(doc, headers, rows, [24, 60, 60, 18] if data.include_sensitive else [30, 126])
    if not data.include_sensitive:
        _para(doc, "注：资格审查详情不在本稿列示，仅列规则编号。", size=10.5)


def _community(doc: DocumentType, data: PlanData, c: Community, heading_level: int) -> None:
    result = data.slate_result(c.id)
    slates = result.slates
    people = len(c.people)
    seats = c.rules.seats
    _para(
        doc,
        f"{c.subdistrict or ''}{c.name or c.id}｜参照日 {c.reference_date}｜参选人 {people} 人｜"
        f"职数：党组织 {seats.party_committee}、居委会 {seats.residents_committee}、"
        f"监委会 {seats.supervisory_committee}",
        center=True,
        size=10.5,
    )
    note = c.by_election_note()
    if note is not None:  # 补选: which posts are vacant, who keeps their post
        _para(doc, f"{note.zh}。", bold=True)
        rows = [
            [r[1].split(" ")[0], r[2].split(" ")[0], r[3].split(" ")[0], r[5]] for r in by_election_rows(c)
        ]
        _table(doc, ["机构", "职务", "状态", "现任人员"], rows, [40, 30, 20, 40])
    n = 1
    doc.add_heading(f"{_section_number(n)}{'补选' if c.by_election else '班子'}人选方案", level=heading_level)
    if not slates:
        _para(doc, f"未找到可行方案（状态：{result.status}）。")
        explanation = result.explanation or {}
        if explanation:
            conflict = "、".join(rule_label(r) for r in explanation.get("conflict") or [])
            _para(doc, f"相互冲突的规则：{conflict}。{_zh_message(explanation)}")
    for slate in slates:
        _option(doc, data, c, slate, min(heading_level + 1, 3))
    if result.base is not None:
        n += 1
        doc.add_heading(f"{_section_number(n)}调整说明（与采用方案相比）", level=heading_level)
        _changes(doc, result)
    if result.second_round is not None:
        n += 1
        doc.add_heading(f"{_section_number(n)}另行选举候选人名单", level=heading_level)
        _second_round(doc, c, result.second_round)
    n += 1
    doc.add_heading(f"{_section_number(n)}{'补选' if c.by_election else '换届'}工作日程", level=heading_level)
    _schedule(doc, data, c)
    n += 1
    doc.add_heading(f"{_section_number(n)}未列入方案的人员", level=heading_level)
    _left_out(doc, data, c)


def _changes(doc: DocumentType, result: Any) -> None:
    """调整说明 changes from the adopted plan: the events, the counts, every change with its reason."""
    base = result.base
    source = base.get("source") or "—"
    _para(doc, f"采用方案：{source}（Changes from the adopted plan）", size=10.5)
    for applied in base.get("applied", []):
        doc.add_paragraph(f"{applied['zh']}", style="List Bullet")
    if "people_moved" in base:
        _para(
            doc,
            f"调动{base['people_moved']}人，变动{base['posts_changed']}个职务，名单变动{base['list_changes']}处。",
        )
    for ch in result.changes or []:
        doc.add_paragraph(ch["zh"], style="List Bullet")
    if "people_moved" in base and not result.changes:
        _para(doc, "与采用方案相比无变动。")


def _second_round(doc: DocumentType, c: Community, second: dict[str, Any]) -> None:
    """另行选举: per body the elected of round one, the seats left and the second round's list."""
    source = second.get("source") or "—"
    _para(doc, f"第一轮当选情况：{source}（Second round）", size=10.5)
    for body in BODIES:
        elected = (second.get("elected") or {}).get(body, [])
        left = (second.get("seats_left") or {}).get(body, 0)
        listed = (second.get("lists") or {}).get(body, [])
        names = "、".join(person_name(c, pid) for pid in elected) or "无"
        line = f"{BODY_NAMES[body][0]}：第一轮当选{len(elected)}人（{names}），另行选举{left}席"
        if listed:
            line += f"，候选人{len(listed)}人：{'、'.join(person_name(c, pid) for pid in listed)}"
        doc.add_paragraph(line + "。", style="List Bullet")


def _audit(doc: DocumentType, data: PlanData) -> None:
    doc.add_heading("审计信息 Audit", level=1)
    _para(doc, "本稿由两委 Planner 依据下列情景与规则生成，可据此复核。", size=10.5)
    rows = [
        [label, value]
        for key, label, value in audit_rows(data.audit)
        if not key.startswith("rules.") or key.endswith((".in_force", ".disabled", ".weights"))
    ]
    _table(doc, ["项目", "值"], rows, [60, 96])


def document(data: PlanData) -> DocumentType:
    doc = Document()
    _setup(doc)
    doc.core_properties.title = title_text(
        data.title_name, bool(data.communities) and all(c.by_election for c in data.communities)
    )
    doc.core_properties.author = "两委 Planner"
    doc.core_properties.keywords = f"scenario-sha256:{data.audit.get('scenario', {}).get('sha256', '')}"
    if isinstance(data.scenario, Subdistrict):
        doc.add_paragraph(
            title_text(f"{data.title_name}社区"), style="Title"
        ).alignment = WD_ALIGN_PARAGRAPH.CENTER
        _para(doc, "、".join(c.name or c.id for c in data.communities), center=True, size=10.5)
        for c in data.communities:
            doc.add_section(WD_SECTION.NEW_PAGE)
            doc.add_heading(title_text(c.name or c.id, c.by_election), level=1)
            _community(doc, data, c, heading_level=2)
    else:
        c = data.communities[0]
        doc.add_paragraph(
            title_text(c.name or c.id, c.by_election), style="Title"
        ).alignment = WD_ALIGN_PARAGRAPH.CENTER
        _community(doc, data, c, heading_level=1)
    doc.add_section(WD_SECTION.NEW_PAGE)
    _audit(doc, data)
    return doc


def document_bytes(data: PlanData) -> bytes:
    buffer = io.BytesIO()
    document(data).save(buffer)
    return buffer.getvalue()
