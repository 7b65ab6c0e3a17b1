"""The Excel roster (花名册, SCENARIO.md "Excel roster"): a scenario as a workbook with Chinese headers and
values, written from a scenario and read back into scenario data; a CSV of the 人员 sheet alone is read too.

Sheets: 说明 (how to fill it in), 社区 (one row per community), 人员, 亲属关系, 其他人, 联审明细 (date and
文号 of a department's reply), 设置 (what no column holds: rules, schedule, ... as YAML, one line a row) and
the hidden 选项 (the drop-down lists). Reading never trusts the file: at most MAX_FILE_BYTES, at most
MAX_UNZIPPED bytes unpacked, MAX_ROWS rows and MAX_COLUMNS columns a sheet, no formulas, no merged cells;
every refusal names the sheet, the row as Excel numbers it and the column header, in Chinese and English.

This module works on plain data (what `Scenario.model_dump(mode="json")` gives, what `parse_scenario`
takes): planner.scenario validates what it reads and maps the validation's issues back to cells (`remap`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from planner.issues import Issue, ScenarioError, issue
from planner.loader import MAX_FILE_BYTES, parse_text
from planner.vocab import (
    BODIES,
    DISQUALIFICATION_CODES,
    EDUCATION_LEVELS,
    ETHNICITIES,
    INCUMBENT_POSTS,
    PREFERRED_TAGS,
    RELATIONS,
    REVIEW_RESULTS,
    chinese_name,
    code_of,
    ethnicity_of,
)

MAX_UNZIPPED = 64 * 1024 * 1024  # bytes a workbook may unpack to
MAX_ZIP_ENTRIES = 2000
MAX_ROWS = 20_001  # a header row and MAX_PEOPLE rows
MAX_COLUMNS = 300
MAX_CELL = 2000  # characters of a cell (the 设置 lines too)

GUIDE, COMMUNITY, PEOPLE, RELATIVES, OTHERS, REVIEWS, SETTINGS, CHOICES = (
    "说明",
    "社区",
    "人员",
    "亲属关系",
    "其他人",
    "联审明细",
    "设置",
    "选项",
)
SHEET_EN = {
    GUIDE: "guide",
    COMMUNITY: "communities",
    PEOPLE: "people",
    RELATIVES: "relatives",
    OTHERS: "others",
    REVIEWS: "joint-review details",
    SETTINGS: "settings",
    CHOICES: "choices",
}
SHEETS = (GUIDE, COMMUNITY, PEOPLE, RELATIVES, OTHERS, REVIEWS, SETTINGS, CHOICES)
COMMUNITY_COLUMN = "社区"
SEP = "、"
NONE_WORD = "无"  # 参选机构: stands for no body (blank: every body)
SPLIT = re.compile(r"[、，,；;\n]+")


@dataclass(frozen=True)
class Column:
    header: str
    key: str  # the scenario key ("" for the 社区 column)
    kind: str  # how a cell is read and written (see _read_cell / _cell_value)
    note: str  # shown as the header's comment (Chinese / English)


COMMUNITY_COLUMNS = (
    Column("社区编号", "id", "text", "社区编号：小写字母、数字、_ 或 -（如 nuoenjiya）/ id: a-z 0-9 _ -"),
    Column("社区名称", "name", "text", "社区名称 / name"),
    Column("街道", "subdistrict", "text", "所属街道 / sub-district"),
    Column("基准日", "reference_date", "date", "年龄和党龄按此日计算 / ages and Party standing on this date"),
    Column("多民族", "multi_ethnic", "bool", "是：适用 S19 少数民族成员 / yes: S19 applies"),
    Column(
        "上届大专以上占比", "previous_term.college_share", "share", "上届班子大专以上学历占比，如 0.4（S10）"
    ),
    Column(
        "上届居委会党员占比", "previous_term.rc_party_share", "share", "上届居委会党员占比，如 0.6（S11）"
    ),
    Column("规则配置", "profile", "text", "规则配置，空白 = naiman-2020 / rule profile"),
    Column(
        "联审部门", "joint_review_departments", "list", "资格联审部门，用“、”分隔；空白 = 规则配置中的部门"
    ),
)
PEOPLE_COLUMNS = (
    Column("编号", "id", "id", "唯一编号，如 p01 / unique id"),
    Column("姓名", "name", "text", "姓名 / name"),
    Column("性别", "gender", "gender", "男 / 女"),
    Column("出生日期", "birth_date", "date", "日期单元格，如 1985-06-01 / a date"),
    Column("民族", "ethnicity", "ethnicity", "56个民族的正式名称，如 汉族、蒙古族 / official name"),
    Column("学历", "education", "education", "小学 初中 高中 中专 大专 本科 硕士 博士"),
    Column("是否党员", "party_member", "bool", "是 / 否"),
    Column("入党时间", "party_joined", "date", "党员必填 / required for Party members"),
    Column("是否登记选民", "resident_voter", "bool", "是 / 否（空白 = 是）"),
    Column("原任职务", "incumbent", "posts", "上届职务，多个用“、”分隔，如 书记、主任 / outgoing posts"),
    Column(
        "参选机构", "stands_for", "bodies", "党组织、居委会、监委会，用“、”分隔；空白 = 全部；无 = 都不参选"
    ),
    Column("不得确定为候选人情形", "disqualifications", "codes", "D01-D17，多个用“、”分隔 / codes"),
    Column("放宽审批", "waivers", "waivers", "年龄、学历（已批准的书记任职条件放宽）/ approved waivers"),
    Column("优先人选类别", "tags", "tags", "高校毕业生 退役军人 物业服务企业 网格党支部书记 网格员"),
    Column("民意支持度", "support", "int", "0-100 的整数 / survey support"),
    Column("备注", "notes", "note", "备注，不参与计算 / your notes"),
    Column("联审结论", "joint_review", "review", "资格联审总结论；填写了各部门结果时可留空（自动得出）"),
)
RELATIVE_COLUMNS = (
    Column("人员甲", "a", "id", "人员或其他人的编号 / id"),
    Column("人员乙", "b", "id", "人员或其他人的编号 / id"),
    Column("关系", "relation", "relation", "甲是乙的…：配偶 父母 子女 兄弟姐妹 祖父母 孙子女"),
    Column("备注", "notes", "note", "备注 / notes"),
)
OTHER_COLUMNS = (
    Column("编号", "id", "id", "编号（不与人员重复）/ id"),
    Column("姓名", "name", "text", "姓名 / name"),
    Column("备注", "notes", "note", "备注 / notes"),
)
REVIEW_COLUMNS = (
    Column("编号", "person", "id", "人员编号 / person id"),
    Column("部门", "department", "text", "联审部门（人员表中该部门列须已填写结果）"),
    Column("日期", "date", "date", "部门反馈日期 / date of the reply"),
    Column("文号", "number", "text", "文号 / document number"),
)
COLUMNS = {
    COMMUNITY: COMMUNITY_COLUMNS,
    PEOPLE: PEOPLE_COLUMNS,
    RELATIVES: RELATIVE_COLUMNS,
    OTHERS: OTHER_COLUMNS,
    REVIEWS: REVIEW_COLUMNS,
}
CSV_REFERENCE = Column("基准日", "reference_date", "date", "")
GROUP_OF = {PEOPLE: "people", RELATIVES: "relatives", OTHERS: "others"}
SHEET_OF = {v: k for k, v in GROUP_OF.items()}


# ---------------------------------------------------------------- where each value came from


@dataclass
class Places:
    """Where the scenario data read from a roster came from, to name cells in messages."""

    subdistrict: bool = False
    rows: dict[tuple[int, str, int], int] = field(default_factory=dict)  # (community, group, index) -> row
    community_rows: dict[int, int] = field(default_factory=dict)
    departments: dict[tuple[int, int, int], tuple[str, int | None]] = field(default_factory=dict)
    ids: dict[tuple[int, str], tuple[str, int]] = field(default_factory=dict)  # (community, id) -> sheet, row
    csv: bool = False


def _where(sheet: str, row: int, header: str = "", ident: str | None = None) -> dict[str, str]:
    shown = f" (id {ident})" if ident else ""
    shown_zh = f"（编号 {ident}）" if ident else ""
    return {
        "record": f"sheet {sheet} ({SHEET_EN.get(sheet, sheet)}), row {row}{shown}",
        "record_zh": f"{sheet}表第{row}行{shown_zh}",
        "field": header,
    }


class _Cells:
    """Issues found while reading, each naming its cell."""

    def __init__(self, source: str):
        self.source = source
        self.issues: list[Issue] = []

    def add(
        self,
        sheet: str,
        row: int | None,
        header: str,
        en: str,
        zh: str,
        hint: str = "",
        hint_zh: str = "",
        ident: str | None = None,
    ) -> None:
        where = (
            _where(sheet, row, header, ident)
            if row is not None
            else {
                "record": f"sheet {sheet} ({SHEET_EN.get(sheet, sheet)})",
                "record_zh": f"{sheet}表",
                "field": header,
            }
        )
        self.issues.append(issue(self.source, en, zh, hint=hint, hint_zh=hint_zh, **where))


class _Bad(Exception):
    def __init__(self, en: str, zh: str, hint: str = "", hint_zh: str = ""):
        super().__init__(en)
        self.en, self.zh, self.hint, self.hint_zh = en, zh, hint, hint_zh


# ---------------------------------------------------------------- reading cells


DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()[:10]
    text = str(value).strip()
    if len(text) > MAX_CELL:
        raise _Bad(
            f"the cell holds {len(text)} characters (at most {MAX_CELL})",
            f"单元格有 {len(text)} 个字符（最多 {MAX_CELL}）",
        )
    return text


def _date(value: Any) -> str:
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise _Bad(
                f"{value:%Y-%m-%d %H:%M} has a time of day: give the date alone",
                f"{value:%Y-%m-%d %H:%M} 带有时刻：只填日期",
                "format the cell as a date (yyyy-mm-dd)",
                "将单元格设为日期格式（yyyy-mm-dd）",
            )
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise _Bad(
            f"{value:g} is a number, not a date",
            f"{value:g} 是数字而不是日期",
            "type the date as 1985-06-01 or format the cell as a date",
            "填写为 1985-06-01 这样的日期，或将单元格设为日期格式",
        )
    text = _text(value)
    found = DATE_TEXT.match(text)
    if found:
        y, m, d = (int(x) for x in found.groups())
        try:
            return date(y, m, d).isoformat()
        except ValueError:
            pass
    raise _Bad(
        f"'{text[:40]}' is not a date",
        f"“{text[:40]}”不是日期",
        "type the date as 1985-06-01 (or 1985/6/1, 1985年6月1日)",
        "日期写作 1985-06-01（或 1985/6/1、1985年6月1日）",
    )


def _choice(kind: str, value: Any, allowed: tuple[str, ...], header: str) -> Any:
    text = _text(value)
    code = code_of(kind, text)
    if code in allowed or (kind == "bool" and isinstance(code, bool)):
        return code
    names = [chinese_name(kind, a) for a in allowed] if kind != "bool" else ["是", "否"]
    raise _Bad(
        f"'{text[:40]}' is not a value of {header}; use one of {', '.join(names)}",
        f"“{text[:40]}”不是{header}的取值；应为 {'、'.join(names)} 之一",
        "pick a value from the drop-down list",
        "从下拉列表中选择",
    )


def _many(kind: str, value: Any, allowed: tuple[str, ...] | None, header: str) -> list[str]:
    out = []
    for part in SPLIT.split(_text(value)):
        part = part.strip()
        if not part:
            continue
        code = code_of(kind, part) if kind else part
        if allowed is not None and code not in allowed:
            names = [chinese_name(kind, a) if kind else a for a in allowed]
            raise _Bad(
                f"'{part[:40]}' is not a value of {header}; use {', '.join(names)} (several separated by 、)",
                f"“{part[:40]}”不是{header}的取值；可用 {'、'.join(names)}（多个用“、”分隔）",
                "pick values from the drop-down list, separated by 、",
                "从下拉列表中选择，多个用“、”分隔",
            )
        if code not in out:
            out.append(code)
    return out


def _read_cell(col: Column, value: Any) -> Any:
    """The scenario value of a non-empty cell; raises _Bad."""
    kind = col.kind
    if kind in ("text", "id", "note"):
        if kind == "note" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        return _text(value)
    if kind == "date":
        return _date(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        return _choice("bool", value, (), col.header)
    if kind == "gender":
        return _choice("gender", value, ("M", "F"), col.header)
    if kind == "education":
        return _choice("education", value, EDUCATION_LEVELS, col.header)
    if kind == "review":
        return _choice("review", value, REVIEW_RESULTS, col.header)
    if kind == "relation":
        return _choice("relation", value, RELATIONS, col.header)
    if kind == "ethnicity":
        text = ethnicity_of(_text(value))
        if text not in ETHNICITIES:
            raise _Bad(
                f"'{text[:40]}' is not one of the 56 official ethnic group names (e.g. 汉族, 蒙古族)",
                f"“{text[:40]}”不是56个民族的正式名称之一（如 汉族、蒙古族）",
                "pick a name from the drop-down list",
                "从下拉列表中选择",
            )
        return text
    if kind == "posts":
        return _many("post", value, INCUMBENT_POSTS, col.header)
    if kind == "bodies":
        if _text(value) == NONE_WORD:
            return []
        return _many("body", value, BODIES, col.header)
    if kind == "codes":
        return [c.upper() for c in _many("", value, None, col.header)]
    if kind == "waivers":
        return _many("waiver", value, ("age", "education"), col.header)
    if kind == "tags":
        return _many("tag", value, None, col.header)
    if kind == "list":
        return _many("", value, None, col.header)
    if kind == "int":
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = _text(value)
        if re.fullmatch(r"-?\d{1,6}", text):
            return int(text)
        raise _Bad(
            f"'{text[:40]}' is not a whole number",
            f"“{text[:40]}”不是整数",
            "type a whole number",
            "填写整数",
        )
    if kind == "share":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        text = _text(value)
        try:
            return float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            raise _Bad(
                f"'{text[:40]}' is not a share (e.g. 0.4 or 40%)",
                f"“{text[:40]}”不是比例（如 0.4 或 40%）",
                "type a number between 0 and 1",
                "填写 0 到 1 之间的数",
            ) from None
    raise AssertionError(kind)


# ---------------------------------------------------------------- reading sheets


@dataclass
class _Row:
    number: int  # as Excel numbers it
    values: dict[str, Any]  # header -> cell value (non-empty cells only)


@dataclass
class _Table:
    sheet: str
    headers: list[str]
    rows: list[_Row]


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _too_big(sheet: str, cells: _Cells, rows: Any, columns: Any) -> None:
    cells.add(
        sheet,
        None,
        "",
        f"the sheet has {rows} rows and {columns} columns (at most {MAX_ROWS} rows and {MAX_COLUMNS} columns)",
        f"该表有 {rows} 行 {columns} 列（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列）",
        "delete the empty rows and columns below and right of the data",
        "删除数据下方和右侧的空行、空列",
    )


def _rows(ws: Any, sheet: str, cells: _Cells, max_col: int) -> Any:
    """(Excel row number, cells) of a read-only sheet, streamed; stops with an issue past MAX_ROWS rows."""
    if (ws.max_row or 0) > MAX_ROWS or (ws.max_column or 0) > MAX_COLUMNS:
        _too_big(sheet, cells, ws.max_row, ws.max_column)
        return
    number = 0
    for r in ws.iter_rows(max_col=max_col):
        found = next((c.row for c in r if getattr(c, "row", None)), None)
        number = found or number + 1
        if number > MAX_ROWS:
            _too_big(sheet, cells, f"more than {MAX_ROWS}", ws.max_column)
            return
        yield number, r


def _merged(xml: bytes) -> list[str]:
    return [
        m.decode("ascii", "replace") for m in re.findall(rb"<(?:\w+:)?mergeCell [^>]*?ref=\"([^\"]+)\"", xml)
    ]


def _table(ws: Any, sheet: str, cells: _Cells, merged: list[str]) -> _Table | None:
    """A sheet's header row and non-empty data rows, refusing formulas, merged cells and huge sheets."""
    if merged:
        first = re.match(r"[A-Z]+(\d+)", merged[0])
        cells.add(
            sheet,
            int(first.group(1)) if first else None,
            "",
            f"merged cells ({', '.join(merged[:3])}): every value needs its own cell",
            f"有合并单元格（{'、'.join(merged[:3])}）：每个值应单独占一个单元格",
            "unmerge the cells and fill each one",
            "取消合并，并逐格填写",
        )
        return None
    headers: list[str] = []
    out: list[_Row] = []
    for number, r in _rows(ws, sheet, cells, MAX_COLUMNS + 1):
        if number == 1:
            headers = [_text(c.value) if not _empty(c.value) else "" for c in r]
            while headers and not headers[-1]:
                headers.pop()
            continue
        values: dict[str, Any] = {}
        for i, cell in enumerate(r):
            value = cell.value
            if _empty(value):
                continue
            header = headers[i] if i < len(headers) else ""
            if i >= MAX_COLUMNS:
                _too_big(sheet, cells, ws.max_row, f"more than {MAX_COLUMNS}")
                return None
            if cell.data_type == "f":
                cells.add(
                    sheet,
                    number,
                    header or get_column_letter(i + 1),
                    "a formula: the roster takes values only",
                    "单元格为公式：花名册只接受值",
                    "replace the formula by its value (copy, paste as values)",
                    "将公式替换为值（复制后“选择性粘贴-数值”）",
                )
                continue
            if not header:
                cells.add(
                    sheet,
                    number,
                    get_column_letter(i + 1),
                    "a value in a column without a header",
                    "该列没有表头，却填写了值",
                    "give the column a header, or clear the value",
                    "为该列填写表头，或清除该值",
                )
                continue
            values[header] = value
        if values:
            out.append(_Row(number, values))
    return _Table(sheet, headers, out)


def _workbook_tables(content: bytes, cells: _Cells) -> dict[str, _Table]:
    """The roster's sheets, read safely; raises ScenarioError for a file that is no workbook."""
    source = cells.source

    def refuse(en: str, zh: str) -> ScenarioError:
        return ScenarioError(
            [
                issue(
                    source,
                    en,
                    zh,
                    hint="save the roster from Excel or WPS as .xlsx (start from `planner template`)",
                    hint_zh="用 Excel 或 WPS 另存为 .xlsx（可从 `planner template` 生成的空白花名册开始）",
                )
            ]
        )

    if len(content) > MAX_FILE_BYTES:
        raise refuse(
            f"the workbook is {len(content) // 1024} KB (at most {MAX_FILE_BYTES // 1024 // 1024} MB)",
            f"工作簿大小为 {len(content) // 1024} KB（最多 {MAX_FILE_BYTES // 1024 // 1024} MB）",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse("is not an .xlsx workbook", "不是 .xlsx 工作簿") from None
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise refuse(
            f"the workbook unpacks to more than {MAX_UNZIPPED // 1024 // 1024} MB",
            f"工作簿解压后超过 {MAX_UNZIPPED // 1024 // 1024} MB",
        )
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)  # streamed: bounded memory
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise refuse(
            f"is not a readable .xlsx workbook ({type(exc).__name__})",
            f"不是可读取的 .xlsx 工作簿（{type(exc).__name__}）",
        ) from None
    tables: dict[str, _Table] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return _read_sheets(wb, z, cells, tables)
    except ScenarioError:
        raise
    except Exception as exc:  # a damaged sheet found while streaming it
        raise refuse(
            f"is not a readable .xlsx workbook ({type(exc).__name__})",
            f"不是可读取的 .xlsx 工作簿（{type(exc).__name__}）",
        ) from None
    finally:
        wb.close()


def _read_sheets(wb: Any, z: zipfile.ZipFile, cells: _Cells, tables: dict[str, _Table]) -> dict[str, _Table]:
    for ws in wb.worksheets:
        name = ws.title.strip()
        if name in (GUIDE, CHOICES):
            continue
        if name not in SHEETS:
            if any(not _empty(c.value) for _, r in _rows(ws, name, cells, MAX_COLUMNS) for c in r):
                cells.add(
                    name,
                    None,
                    "",
                    f"unknown sheet '{name[:40]}'",
                    f"未知工作表“{name[:40]}”",
                    f"the roster's sheets are {', '.join(SHEETS[1:7])}; remove or rename this one",
                    f"花名册的工作表为 {'、'.join(SHEETS[1:7])}；请删除或改名",
                )
            continue
        if name == SETTINGS:
            tables[name] = _settings_table(ws, cells)
            continue
        path = getattr(ws, "_worksheet_path", None)
        try:
            xml = z.read(path) if path else b""
        except KeyError:
            xml = b""
        table = _table(ws, name, cells, _merged(xml))
        if table is not None:
            tables[name] = table
    return tables


def _settings_table(ws: Any, cells: _Cells) -> _Table:
    rows = []
    for number, r in _rows(ws, SETTINGS, cells, 1):
        if number == 1 or not r:
            continue
        cell = r[0]
        if cell.data_type == "f":
            cells.add(SETTINGS, number, "A", "a formula", "单元格为公式")
            continue
        rows.append(_Row(number, {"A": "" if cell.value is None else str(cell.value)}))
    return _Table(SETTINGS, ["A"], rows)


def _csv_tables(content: bytes, cells: _Cells) -> dict[str, _Table]:
    if len(content) > MAX_FILE_BYTES:
        raise ScenarioError(
            [issue(cells.source, "the file is too big (at most 10 MB)", "文件过大（最多 10 MB）")]
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ScenarioError(
            [issue(cells.source, "is neither UTF-8 nor GBK text", "既不是 UTF-8 也不是 GBK 编码的文本")]
        )
    if "\x00" in text:
        raise ScenarioError([issue(cells.source, "is not a text file", "不是文本文件")])
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ScenarioError([issue(cells.source, f"is not CSV: {exc}", f"不是 CSV 文件：{exc}")]) from None
    if len(records) > MAX_ROWS or any(len(r) > MAX_COLUMNS for r in records):
        raise ScenarioError(
            [
                issue(
                    cells.source,
                    f"at most {MAX_ROWS} rows and {MAX_COLUMNS} columns",
                    f"最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列",
                )
            ]
        )
    if not records:
        return {PEOPLE: _Table(PEOPLE, [], [])}
    headers = [h.strip() for h in records[0]]
    rows = []
    for n, record in enumerate(records[1:], start=2):
        values = {}
        for i, value in enumerate(record):
            if not value.strip():
                continue
            if i >= len(headers) or not headers[i]:
                cells.add(
                    PEOPLE,
                    n,
                    get_column_letter(i + 1),
                    "a value without a header",
                    "该列没有表头，却填写了值",
                )
                continue
            values[headers[i]] = value
        if values:
            rows.append(_Row(n, values))
    return {PEOPLE: _Table(PEOPLE, headers, rows)}


# ---------------------------------------------------------------- assembling the scenario


REQUIRED = {
    COMMUNITY: ("社区编号", "基准日"),
    PEOPLE: ("编号", "性别", "出生日期", "学历"),
    RELATIVES: ("人员甲", "人员乙", "关系"),
    OTHERS: ("编号",),
    REVIEWS: ("编号", "部门"),
}


def _known_headers(table: _Table, columns: tuple[Column, ...], extra: set[str], cells: _Cells) -> None:
    """Unknown and repeated headers, and (when the sheet has rows) missing required columns."""
    known = {c.header for c in columns} | extra | {COMMUNITY_COLUMN}
    if table.rows:
        for header in REQUIRED.get(table.sheet, ()):
            if header not in table.headers:
                cells.add(
                    table.sheet,
                    1,
                    header,
                    f"the sheet has no column '{header}'",
                    f"该表缺少“{header}”列",
                    f"add a column headed {header} (row 1)",
                    f"在第1行增加表头为“{header}”的列",
                )
    seen: set[str] = set()
    for i, header in enumerate(table.headers):
        if not header:
            continue
        if header in seen:
            cells.add(
                table.sheet,
                1,
                header,
                f"the header '{header[:40]}' appears twice",
                f"表头“{header[:40]}”重复",
                "keep one column of each header",
                "每个表头只保留一列",
            )
        seen.add(header)
        if header not in known and not header.startswith("x_"):
            hint = f"the headers of {table.sheet} are {', '.join(c.header for c in columns)}"
            hint_zh = f"{table.sheet}表的表头为 {'、'.join(c.header for c in columns)}"
            if table.sheet == PEOPLE:
                hint += "; a 联审 department column needs the department in 联审部门 (sheet 社区); x_... columns are your own"
                hint_zh += "；联审部门列须先在社区表“联审部门”中列出该部门；以 x_ 开头的列为自填内容"
            cells.add(
                table.sheet,
                1,
                header[:40] or get_column_letter(i + 1),
                f"unknown column header '{header[:40]}'",
                f"未知表头“{header[:40]}”",
                hint,
                hint_zh,
            )


def _ident(row: _Row) -> str | None:
    value = row.values.get("编号")
    return str(value).strip()[:40] if value is not None else None


def _record(row: _Row, columns: tuple[Column, ...], sheet: str, cells: _Cells) -> dict[str, Any]:
    out: dict[str, Any] = {}
    by_header = {c.header: c for c in columns}
    for header, value in row.values.items():
        col = by_header.get(header)
        if col is None:
            if header.startswith("x_"):
                out[header] = value if isinstance(value, (int, float, bool)) else _text(value)
            continue
        try:
            converted = _read_cell(col, value)
        except _Bad as bad:
            cells.add(sheet, row.number, header, bad.en, bad.zh, bad.hint, bad.hint_zh, _ident(row))
            continue
        if "." in col.key:
            outer, inner = col.key.split(".")
            out.setdefault(outer, {})[inner] = converted
        else:
            out[col.key] = converted
    return out


def read_roster(
    content: bytes, source: str, departments_of: Callable[[Any], list[str]]
) -> tuple[dict[str, Any], Places]:
    """Scenario data read from a roster's bytes (.xlsx, or .csv of the 人员 sheet), with where each record came
    from. `departments_of(profile)` gives a profile's 联审 departments (a name, an inline profile, or None
    for the default). Raises ScenarioError naming sheet, row and header."""
    cells = _Cells(source)
    is_csv = source.lower().endswith(".csv")
    tables = _csv_tables(content, cells) if is_csv else _workbook_tables(content, cells)
    places = Places(csv=is_csv)
    settings = _settings(tables.get(SETTINGS), source, cells)
    # communities
    rows: list[tuple[int, dict[str, Any]]] = []
    if is_csv:
        people = tables[PEOPLE]
        dates = {r.values.get(CSV_REFERENCE.header) for r in people.rows} - {None}
        stem = re.sub(r"[^a-z0-9_-]+", "-", source.replace("\\", "/").rsplit("/", 1)[-1][:-4].lower()).strip(
            "-"
        )
        one: dict[str, Any] = {"id": stem or "roster"}
        if len(dates) != 1:
            cells.add(
                PEOPLE,
                None,
                CSV_REFERENCE.header,
                "a CSV roster needs a 基准日 (reference date) column with the same date on every row",
                "CSV 花名册需要“基准日”列，且每行日期相同",
                "add the column, or use the .xlsx roster (planner template)",
                "增加该列，或改用 .xlsx 花名册（planner template）",
            )
        else:
            try:
                one["reference_date"] = _date(dates.pop())
            except _Bad as bad:
                cells.add(PEOPLE, None, CSV_REFERENCE.header, bad.en, bad.zh, bad.hint, bad.hint_zh)
        rows.append((0, one))
    else:
        table = tables.get(COMMUNITY)
        if table is None or not table.rows:
            cells.add(
                COMMUNITY,
                None,
                "",
                "the roster needs the sheet 社区 with one row per community",
                "花名册需要“社区”表，每个社区一行",
                "fill in 社区编号 and 基准日 in row 2 of the sheet 社区",
                "在社区表第2行填写社区编号和基准日",
            )
        else:
            _known_headers(table, COMMUNITY_COLUMNS, set(), cells)
            for row in table.rows:
                rows.append((row.number, _record(row, COMMUNITY_COLUMNS, COMMUNITY, cells)))
    kind = settings.get("kind", "subdistrict" if len(rows) > 1 else "community")
    if kind not in ("community", "subdistrict") or (kind == "community" and len(rows) > 1):
        cells.add(
            SETTINGS,
            None,
            "kind",
            f"kind: {str(kind)[:40]} does not fit the sheet 社区 ({len(rows)} communities)",
            f"kind: {str(kind)[:40]} 与社区表（{len(rows)} 个社区）不符",
            "write kind: subdistrict for several communities, kind: community for one (or remove kind)",
            "多个社区写 kind: subdistrict，一个社区写 kind: community（或删除 kind）",
        )
        raise ScenarioError(cells.issues)  # the other sheets cannot be read against the wrong kind
    places.subdistrict = kind == "subdistrict"
    own_settings = settings.get("communities", {}) if places.subdistrict else {"": settings}
    if places.subdistrict and isinstance(own_settings, dict):
        ids = {str(data.get("id")) for _, data in rows}
        for cid in own_settings:
            if str(cid) not in ids:
                cells.add(
                    SETTINGS,
                    None,
                    f"communities.{str(cid)[:40]}",
                    f"settings for community '{str(cid)[:40]}', which is not in the sheet 社区",
                    f"设置了社区“{str(cid)[:40]}”，但社区表中没有该社区",
                    "add the community to the sheet 社区, or remove its settings",
                    "在社区表中增加该社区，或删除其设置",
                )
    elif places.subdistrict and own_settings is not None:
        cells.add(
            SETTINGS,
            None,
            "communities",
            "communities: holds each community's settings by its id",
            "communities: 下按社区编号填写各社区的设置",
        )
        own_settings = {}
    communities: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    departments: list[list[str]] = []
    for i, (number, data) in enumerate(rows):
        cid = data.get("id")
        rest = (
            own_settings.get(cid if places.subdistrict else "", {}) if isinstance(own_settings, dict) else {}
        )
        rest = {k: v for k, v in (rest or {}).items() if k != "kind"} if isinstance(rest, dict) else {}
        for key in rest:
            if key in CELL_KEYS or key in data:
                cells.add(
                    SETTINGS,
                    None,
                    key,
                    f"'{key}' is given by the roster's sheets, not in 设置",
                    f"“{key}”由花名册的其他工作表填写，不应写在设置表中",
                    "remove it from 设置",
                    "从设置表中删除",
                )
        community = {"kind": "community", **data, **{k: v for k, v in rest.items() if k not in data}}
        community.setdefault("people", [])
        community.setdefault("others", [])
        community.setdefault("relatives", [])
        if isinstance(cid, str):
            if cid in index:
                cells.add(
                    COMMUNITY,
                    number,
                    "社区编号",
                    f"community id '{cid}' appears twice",
                    f"社区编号“{cid}”重复",
                )
            index.setdefault(cid, i)
            if data.get("name"):
                index.setdefault(str(data["name"]), i)
        places.community_rows[i] = number
        communities.append(community)
        own = community.get("joint_review_departments")
        departments.append(list(own) if isinstance(own, list) else departments_of(community.get("profile")))
    all_departments = list(dict.fromkeys(d for ds in departments for d in ds))

    def community_of(sheet: str, row: _Row) -> int | None:
        value = row.values.get(COMMUNITY_COLUMN)
        if value is None:
            if len(communities) == 1:
                return 0
            cells.add(
                sheet,
                row.number,
                COMMUNITY_COLUMN,
                "with several communities, every row names its community",
                "有多个社区时，每行须填写所属社区",
                f"type a 社区编号 of the sheet 社区 ({', '.join(str(c.get('id')) for c in communities)})",
                f"填写社区表中的社区编号（{'、'.join(str(c.get('id')) for c in communities)}）",
            )
            return None
        text = _text(value)
        if text not in index:
            cells.add(
                sheet,
                row.number,
                COMMUNITY_COLUMN,
                f"'{text[:40]}' is not a community of the sheet 社区",
                f"“{text[:40]}”不是社区表中的社区",
                "type a 社区编号 of the sheet 社区",
                "填写社区表中的社区编号",
            )
            return None
        return index[text]

    person_at: dict[tuple[int, str], dict[str, Any]] = {}
    person_index: dict[tuple[int, str], int] = {}
    for sheet, columns in ((PEOPLE, PEOPLE_COLUMNS), (RELATIVES, RELATIVE_COLUMNS), (OTHERS, OTHER_COLUMNS)):
        table = tables.get(sheet)
        if table is None:
            continue
        if not communities:
            break  # nothing to attach rows to (reported above)
        extra = set(all_departments) if sheet == PEOPLE else set()
        if sheet == PEOPLE and is_csv:
            extra.add(CSV_REFERENCE.header)
        _known_headers(table, columns, extra, cells)
        group = GROUP_OF[sheet]
        for row in table.rows:
            ci = community_of(sheet, row)
            record = _record(row, columns, sheet, cells)
            if ci is None:
                continue
            target = communities[ci][group]
            if sheet == PEOPLE:
                reviews = []
                for dept in all_departments:
                    if dept in row.values:
                        try:
                            result = _read_cell(Column(dept, "", "review", ""), row.values[dept])
                        except _Bad as bad:
                            cells.add(
                                sheet, row.number, dept, bad.en, bad.zh, bad.hint, bad.hint_zh, _ident(row)
                            )
                            continue
                        places.departments[(ci, len(target), len(reviews))] = (dept, None)
                        reviews.append({"department": dept, "result": result})
                if reviews:
                    record["joint_reviews"] = reviews
                pid = record.get("id")
                if isinstance(pid, str):
                    person_at.setdefault((ci, pid), record)
                    person_index.setdefault((ci, pid), len(target))
            places.rows[(ci, group, len(target))] = row.number
            if isinstance(record.get("id"), str):
                places.ids.setdefault((ci, record["id"]), (sheet, row.number))
            target.append(record)
    table = tables.get(REVIEWS)
    if table is not None:
        _known_headers(table, REVIEW_COLUMNS, set(), cells)
        seen: set[tuple[int, str, str]] = set()
        for row in table.rows:
            ci = community_of(REVIEWS, row)
            detail = _record(row, REVIEW_COLUMNS, REVIEWS, cells)
            pid, dept = detail.get("person"), detail.get("department")
            if ci is None or not isinstance(pid, str) or not isinstance(dept, str):
                if ci is not None and (pid is None or dept is None):
                    missing = "编号" if pid is None else "部门"
                    cells.add(REVIEWS, row.number, missing, f"the {missing} is missing", f"未填写{missing}")
                continue
            person = person_at.get((ci, pid))
            if person is None:
                cells.add(
                    REVIEWS,
                    row.number,
                    "编号",
                    f"'{pid[:40]}' is not in the sheet 人员",
                    f"“{pid[:40]}”不在人员表中",
                )
                continue
            found = [r for r in person.get("joint_reviews", []) if r["department"] == dept]
            if not found:
                cells.add(
                    REVIEWS,
                    row.number,
                    "部门",
                    f"{pid} has no result for '{dept[:40]}' in the sheet 人员",
                    f"人员表中 {pid} 没有“{dept[:40]}”的联审结果",
                    "fill in the department's column in the sheet 人员 first",
                    "先在人员表中填写该部门列的结果",
                )
                continue
            if (ci, pid, dept) in seen:
                cells.add(
                    REVIEWS, row.number, "部门", f"{pid} {dept}: given twice", f"{pid} {dept}：重复填写"
                )
                continue
            seen.add((ci, pid, dept))
            for key in ("date", "number"):
                if key in detail:
                    found[0][key] = detail[key]
            j = person["joint_reviews"].index(found[0])
            i = person_index[(ci, pid)]
            places.departments[(ci, i, j)] = (dept, row.number)
    if cells.issues:
        raise ScenarioError(cells.issues)
    if not places.subdistrict:
        return communities[0], places
    sub = {k: v for k, v in settings.items() if k not in ("kind", "communities")}
    sub.setdefault("id", "subdistrict")
    if communities and communities[0].get("subdistrict"):
        sub.setdefault("name", communities[0]["subdistrict"])
    return {"kind": "subdistrict", **sub, "communities": communities}, places


def _settings(table: _Table | None, source: str, cells: _Cells) -> dict[str, Any]:
    """The 设置 sheet: YAML, one line a row in column A (row 1 is its title)."""
    if table is None or not table.rows:
        return {}
    last = table.rows[-1].number
    lines = [""] * (last - 1)
    for row in table.rows:
        lines[row.number - 2] = row.values["A"]
    text = "\n".join(lines)
    try:
        data = parse_text(text, f"{source} [{SETTINGS}]")
    except ScenarioError as exc:
        for x in exc.issues:
            cells.add(
                SETTINGS,
                (x.line or 0) + 1 if x.line else None,
                "A",
                x.message,
                x.message_zh,
                x.hint,
                x.hint_zh,
            )
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        cells.add(
            SETTINGS,
            2,
            "A",
            "must hold YAML keys (rules:, schedule:, ...)",
            "应为 YAML 键值（rules:、schedule: 等）",
        )
        return {}
    return data


# ---------------------------------------------------------------- messages about the scenario, on cells

_RECORD = re.compile(r"^(?:community #(\d+), )?(person|other|relative) #(\d+)")
_COMMUNITY_RECORD = re.compile(r"^community #(\d+)$")
_FAMILY_RECORD = re.compile(r"^(?:community #(\d+), )?relatives ((?:#\d+(?:, )?)+)$")
_PERSON_RECORD = re.compile(r"^(?:community #(\d+), )?person ([A-Za-z0-9_-]+)$")
_GROUP = {"person": "people", "other": "others", "relative": "relatives"}


def remap(issues: list[Issue], places: Places, source: str) -> list[Issue]:
    """Issues of the scenario read from a roster, renamed to the sheet, the Excel row and the header."""
    headers = {
        group: {c.key: c.header for c in columns}
        for group, columns in (
            ("people", PEOPLE_COLUMNS),
            ("relatives", RELATIVE_COLUMNS),
            ("others", OTHER_COLUMNS),
        )
    }
    community_headers = {c.key: c.header for c in COMMUNITY_COLUMNS}
    out = []
    for x in issues:
        x = x.model_copy()
        family = _FAMILY_RECORD.match(x.record or "")
        person = _PERSON_RECORD.match(x.record or "")
        if family:  # relations found contradictory together: their rows
            ci = int(family.group(1)) - 1 if family.group(1) else 0
            numbers = [
                places.rows.get((ci, "relatives", int(n) - 1)) for n in re.findall(r"#(\d+)", family.group(2))
            ]
            if all(numbers):
                x.record = f"sheet {RELATIVES} (relatives), rows {', '.join(map(str, numbers))}"
                x.record_zh = f"{RELATIVES}表第{'、'.join(map(str, numbers))}行"
                x.field, x.line = "", None
        elif person and (found_at := places.ids.get((int(person.group(1) or 1) - 1, person.group(2)))):
            where = _where(found_at[0], found_at[1], "", person.group(2))
            x.record, x.record_zh, x.field, x.line = where["record"], where["record_zh"], "", None
        found = None if family or person else _RECORD.match(x.record or "")
        if found:
            ci = int(found.group(1)) - 1 if found.group(1) else 0
            group = _GROUP[found.group(2)]
            i = int(found.group(3)) - 1
            row = places.rows.get((ci, group, i))
            ident = re.search(r"\(id ([^)]*)\)", x.record)
            if row is not None:
                parts = x.field.split(".")
                header = headers[group].get(parts[0], x.field)
                sheet = SHEET_OF[group]
                if parts[0] == "joint_reviews" and len(parts) >= 2 and parts[1].isdigit():
                    dept, detail_row = places.departments.get((ci, i, int(parts[1])), (x.field, None))
                    header = dept
                    if len(parts) > 2 and parts[2] in ("date", "number") and detail_row is not None:
                        sheet, row, header = REVIEWS, detail_row, "日期" if parts[2] == "date" else "文号"
                where = _where(sheet, row, header, ident.group(1) if ident else None)
                x.record, x.record_zh, x.field, x.line = (
                    where["record"],
                    where["record_zh"],
                    where["field"],
                    None,
                )
        elif places.csv and not x.record:
            x.field = {"reference_date": CSV_REFERENCE.header}.get(x.field, x.field)
        else:
            found = _COMMUNITY_RECORD.match(x.record or "")
            ci = int(found.group(1)) - 1 if found else (0 if not x.record else None)
            key = x.field if x.field in community_headers else ".".join(x.field.split(".")[:2])
            if ci is not None and ci in places.community_rows and key in community_headers:
                where = _where(COMMUNITY, places.community_rows[ci], community_headers[key])
                x.record, x.record_zh, x.field, x.line = (
                    where["record"],
                    where["record_zh"],
                    where["field"],
                    None,
                )
            elif x.line:
                where = _where(SETTINGS, x.line + 1, "A")
                x.record = f"{where['record']}: {x.record}".rstrip(": ")
                x.record_zh = f"{where['record_zh']}：{x.record_zh or x.record}".rstrip("：")
                x.line = None
        x.file = source
        out.append(x)
    return out


# ---------------------------------------------------------------- writing

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="9C1F1F")
DATE_FORMAT = "yyyy-mm-dd"
REVIEW_NAMES = tuple(chinese_name("review", r) for r in REVIEW_RESULTS)
BODY_CHOICES = (
    "党组织、居委会",
    "党组织、居委会、监委会",
    "党组织",
    "居委会",
    "监委会",
    "党组织、监委会",
    "居委会、监委会",
    NONE_WORD,
)
CELL_KEYS = {
    "kind",
    "id",
    "name",
    "subdistrict",
    "reference_date",
    "multi_ethnic",
    "people",
    "others",
    "relatives",
}


def _cell_value(col: Column, value: Any) -> Any:
    """The cell written for a scenario value (None: blank)."""
    kind = col.kind
    if value is None:
        return None
    if kind == "date":
        return date.fromisoformat(value) if isinstance(value, str) else value
    if kind == "bool":
        return "是" if value else "否"
    if kind in ("gender", "education", "review", "relation"):
        return chinese_name(
            {"gender": "gender", "education": "education", "review": "review", "relation": "relation"}[kind],
            value,
        )
    if kind == "posts":
        return SEP.join(chinese_name("post", v) for v in value) or None
    if kind == "bodies":
        return SEP.join(chinese_name("body", v) for v in value) or NONE_WORD
    if kind == "waivers":
        return SEP.join(chinese_name("waiver", v) for v in value) or None
    if kind == "tags":
        return SEP.join(chinese_name("tag", v) for v in value) or None
    if kind in ("codes", "list"):
        return SEP.join(value) or None
    if kind == "note":
        return value if isinstance(value, (str, int, float, bool)) else json.dumps(value, ensure_ascii=False)
    return value


def _style_header(ws: Any, columns: list[tuple[str, str]]) -> None:
    ws.append([h for h, _ in columns])
    for i, (header, note) in enumerate(columns, start=1):
        cell = ws.cell(1, i)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        if note:
            cell.comment = Comment(note, "两委 Planner")
        width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in header) + 4
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(width, 40))
    ws.freeze_panes = "B2" if len(columns) > 1 else "A2"


def _validation(ws: Any, column: int, formula: str, strict: bool, prompt: str = "") -> None:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    dv.showErrorMessage = strict
    if strict:
        dv.error = "请从下拉列表中选择 / pick a value from the list"
        dv.errorTitle = "取值有误"
    if prompt:
        dv.prompt = prompt[:250]
        dv.showInputMessage = True
    letter = get_column_letter(column)
    dv.add(f"{letter}2:{letter}{MAX_ROWS}")
    ws.add_data_validation(dv)


def _date_validation(ws: Any, column: int) -> None:
    dv = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(1900,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
    )
    dv.error = "请填写日期，如 1985-06-01 / type a date"
    dv.showErrorMessage = True
    letter = get_column_letter(column)
    dv.add(f"{letter}2:{letter}{MAX_ROWS}")
    ws.add_data_validation(dv)


def _choices_sheet(wb: Workbook, profiles: tuple[str, ...], departments: list[str]) -> dict[str, str]:
    """The hidden 选项 sheet of the long drop-down lists; list name -> range formula."""
    ws = wb.create_sheet(CHOICES)
    lists = {
        "profiles": list(profiles),
        "departments": list(departments),
        "ethnicity": list(ETHNICITIES),
        "posts": [chinese_name("post", p) for p in INCUMBENT_POSTS],
        "bodies": list(BODY_CHOICES),
        "codes": list(DISQUALIFICATION_CODES),
        "tags": [chinese_name("tag", t) for t in PREFERRED_TAGS],
        "education": [chinese_name("education", e) for e in EDUCATION_LEVELS],
        "relation": [chinese_name("relation", r) for r in RELATIONS],
    }
    formulas = {}
    lists = {name: values for name, values in lists.items() if values}
    for i, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(i)
        ws.cell(1, i, name)
        for j, value in enumerate(values, start=2):
            ws.cell(j, i, value)
        formulas[name] = f"'{CHOICES}'!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    return formulas


def _add_validations(ws: Any, columns: list[Column], formulas: dict[str, str]) -> None:
    for i, col in enumerate(columns, start=1):
        kind = col.kind
        if col.header == COMMUNITY_COLUMN and not col.key:  # a row's community: an id of the sheet 社区
            _validation(ws, i, f"'{COMMUNITY}'!$A$2:$A${MAX_ROWS}", True)
        elif col.key == "profile" and "profiles" in formulas:  # bundled, or a county's file name
            _validation(
                ws, i, formulas["profiles"], False, "规则配置：可选内置配置，或填写本县规则配置文件名"
            )
        elif col.key == "department" and "departments" in formulas:
            _validation(ws, i, formulas["departments"], True)
        elif kind == "gender":
            _validation(ws, i, '"男,女"', True)
        elif kind == "bool":
            _validation(ws, i, '"是,否"', True)
        elif kind == "review":
            _validation(ws, i, f'"{",".join(REVIEW_NAMES)}"', True)
        elif kind in ("education", "ethnicity", "relation"):
            _validation(ws, i, formulas[kind], True)
        elif kind == "waivers":
            _validation(ws, i, '"年龄,学历,年龄、学历"', True)
        elif kind in ("posts", "bodies", "codes", "tags"):
            _validation(
                ws,
                i,
                formulas[kind],
                False,
                "可选一个，或输入多个并用“、”分隔 / pick one, or type several separated by 、",
            )
        elif kind == "date":
            _date_validation(ws, i)


GUIDE_LINES = (
    "社区“两委”换届 花名册 · Roster of a community 两委 election (两委 Planner)",
    "",
    "怎样填写 How to fill it in",
    "1. 社区表：每个社区一行，必填社区编号（小写字母、数字、_ 或 -）和基准日（年龄、党龄按此日计算）。",
    "   Sheet 社区: one row per community; 社区编号 (a-z 0-9 _ -) and 基准日 (reference date) are required.",
    "2. 人员表：每位参选人一行。编号唯一（如 p01）；性别、学历、是否党员等从下拉列表选择；日期填日期单元格（如 1985-06-01）。",
    "   Sheet 人员: one row per person; pick coded values from the drop-down lists; dates as date cells.",
    "   原任职务、参选机构、不得确定为候选人情形、优先人选类别可填多个，用“、”分隔；参选机构空白 = 参选全部机构，“无” = 都不参选。",
    "   Several values are separated by 、; 参选机构 blank = every body, 无 = none.",
    "   资格联审：每个联审部门一列，填 通过 / 待反馈 / 未通过 / 未提交；联审结论由各部门结果自动得出（任一未通过 = 未通过；全部通过 = 通过；其余 = 待反馈）。",
    "   没有分部门结果时，只填“联审结论”列。部门的反馈日期和文号填在联审明细表。",
    "   Joint review: one column per department (通过/待反馈/未通过/未提交); the status 联审结论 is derived from them.",
    "3. 亲属关系表：人员甲 是 人员乙 的 关系（配偶、父母、子女、兄弟姐妹、祖父母、孙子女）；不是参选人的亲属（如共同的父母）填在其他人表。",
    "   Sheet 亲属关系: 人员甲 is the 关系 of 人员乙; relatives who are not candidates go to the sheet 其他人.",
    "4. 设置表：规则参数、日程等其余设置（YAML 格式，每行一句）；不清楚时请勿修改，留空即用默认值。",
    "   Sheet 设置: the remaining settings (rules, schedule) as YAML, one line a row; leave it as it is, or empty for the defaults.",
    "5. 多个社区（街道）：社区表每个社区一行，其余各表加“社区”列填写社区编号。",
    "   Several communities (a sub-district): one row each in 社区, and a 社区 column in the other sheets.",
    "6. 以 x_ 开头的列为自填内容，保留但不参与计算。Columns starting with x_ are your own.",
    "",
    "使用 Use: planner check 花名册.xlsx · planner slate 花名册.xlsx · planner export 花名册.xlsx --out 输出文件夹",
    "出错时，提示会指出工作表、行号和表头。Errors name the sheet, the row and the column header.",
)


def roster_workbook(
    data: dict[str, Any], departments: dict[str, list[str]], profile: str = "", profiles: tuple[str, ...] = ()
) -> Workbook:
    """A roster of scenario data (`model_dump(mode="json", exclude_none=True)` of a Community or Subdistrict);
    `departments` maps community id -> its 联审 departments. Blank data ({}) gives the blank template."""
    sub = data.get("kind") == "subdistrict"
    communities = list(data.get("communities", [])) if sub else ([data] if data else [])
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE
    for line in GUIDE_LINES:
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    guide["A1"].font = Font(bold=True, size=14)
    lead = (
        [Column(COMMUNITY_COLUMN, "", "text", "所属社区的社区编号 / the row's community id")] if sub else []
    )
    all_departments = list(dict.fromkeys(d for ds in departments.values() for d in ds)) or (
        list(next(iter(departments.values()), [])) if departments else []
    )
    sheets = {name: wb.create_sheet(name) for name in (COMMUNITY, PEOPLE, RELATIVES, OTHERS, REVIEWS)}
    settings_ws = wb.create_sheet(SETTINGS)
    formulas = _choices_sheet(wb, profiles, all_departments)

    # 社区
    ws = sheets[COMMUNITY]
    _style_header(ws, [(c.header, c.note) for c in COMMUNITY_COLUMNS])
    rests: dict[str, dict[str, Any]] = {}
    for c in communities:
        rest = {k: v for k, v in c.items() if k not in CELL_KEYS}
        row = []
        for col in COMMUNITY_COLUMNS:
            if col.key.startswith("previous_term."):
                prev = c.get("previous_term") or {}
                value = (
                    prev.get(col.key.split(".")[1])
                    if set(prev) <= {"college_share", "rc_party_share"}
                    else None
                )
            elif col.key == "profile":
                value = c.get("profile") if isinstance(c.get("profile"), str) else None
            elif col.key == "joint_review_departments":
                own = c.get("joint_review_departments")
                value = own if own else None
            else:
                value = c.get(col.key)
            row.append(_cell_value(col, value))
        prev = rest.pop("previous_term", None)
        if prev and not set(prev) <= {"college_share", "rc_party_share"}:
            rest["previous_term"] = prev
        if isinstance(rest.get("profile"), str):
            rest.pop("profile")
        if rest.get("joint_review_departments"):
            rest.pop("joint_review_departments")
        rests[str(c.get("id"))] = rest
        ws.append(row)
    if not communities:  # the blank roster: the profile whose departments have columns
        ws.append([profile if col.key == "profile" else None for col in COMMUNITY_COLUMNS])
    _add_validations(ws, list(COMMUNITY_COLUMNS), formulas)

    # 人员, 亲属关系, 其他人
    def user_columns(group: str, columns: tuple[Column, ...]) -> list[Column]:
        keys = [k for c in communities for r in c.get(group, []) for k in r if str(k).startswith("x_")]
        return [Column(k, k, "note", "") for k in dict.fromkeys(keys)]

    people_columns = [
        *lead,
        *PEOPLE_COLUMNS,
        *(Column(d, "", "review", f"{d} 资格联审结果 / joint review") for d in all_departments),
        *user_columns("people", PEOPLE_COLUMNS),
    ]
    details: list[list[Any]] = []
    ws = sheets[PEOPLE]
    _style_header(ws, [(c.header, c.note) for c in people_columns])
    for c in communities:
        for p in c.get("people", []):
            reviews = {r["department"]: r for r in p.get("joint_reviews", [])}
            row = []
            for col in people_columns:
                if col.header == COMMUNITY_COLUMN and sub:
                    row.append(c.get("id"))
                elif col.key == "":
                    r = reviews.get(col.header)
                    row.append(_cell_value(col, r["result"]) if r else None)
                elif col.key == "stands_for":
                    row.append(_cell_value(col, p["stands_for"]) if "stands_for" in p else None)
                else:
                    row.append(_cell_value(col, p.get(col.key)))
            ws.append(row)
            for r in p.get("joint_reviews", []):
                if r.get("date") or r.get("number"):
                    details.append(
                        [
                            *([c.get("id")] if sub else []),
                            p["id"],
                            r["department"],
                            date.fromisoformat(r["date"]) if r.get("date") else None,
                            r.get("number") or None,
                        ]
                    )
    _add_validations(ws, people_columns, formulas)
    for group, sheet, columns in (
        ("relatives", RELATIVES, RELATIVE_COLUMNS),
        ("others", OTHERS, OTHER_COLUMNS),
    ):
        ws = sheets[sheet]
        cols = [*lead, *columns, *user_columns(group, columns)]
        _style_header(ws, [(c.header, c.note) for c in cols])
        for c in communities:
            for r in c.get(group, []):
                ws.append(
                    [
                        c.get("id")
                        if col.header == COMMUNITY_COLUMN and sub
                        else _cell_value(col, r.get(col.key))
                        for col in cols
                    ]
                )
        _add_validations(ws, cols, formulas)
    ws = sheets[REVIEWS]
    cols = [*lead, *REVIEW_COLUMNS]
    _style_header(ws, [(c.header, c.note) for c in cols])
    for row in details:
        ws.append(row)
    _add_validations(ws, cols, formulas)
    for ws in (*sheets.values(),):
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = DATE_FORMAT

    # 设置
    if sub:
        head = {k: v for k, v in data.items() if k not in ("communities",)}
        settings: dict[str, Any] = {**head, "kind": "subdistrict", "communities": rests}
    elif communities:
        settings = {"kind": "community", **rests[str(communities[0].get("id"))]}
    else:
        settings = {}
    settings_ws.append(
        [
            "设置 settings（YAML：规则参数 rules、日程 schedule 等；不清楚时请勿修改 · leave as it is unless you know YAML）"
        ]
    )
    settings_ws["A1"].font = Font(bold=True)
    settings_ws.column_dimensions["A"].width = 120
    text = (
        yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, width=100)
        if settings
        else "# 例 e.g.:\n# rules:\n#   min_women: 1\n#   seats: {party_committee: 5, residents_committee: 5, supervisory_committee: 3}\n"
    )
    for line in text.splitlines():
        settings_ws.append([line])
    for ws in wb.worksheets:
        if ws.title != GUIDE:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # text stays text (a value such as '=x' is never a formula)
    wb.properties.creator = "两委 Planner"
    wb.properties.title = "花名册 roster"
    return wb


def roster_bytes(
    data: dict[str, Any], departments: dict[str, list[str]], profile: str = "", profiles: tuple[str, ...] = ()
) -> bytes:
    """The roster's .xlsx bytes (see roster_workbook); `profiles` are the bundled profiles' names (a list)."""
    buffer = io.BytesIO()
    roster_workbook(data, departments, profile, profiles).save(buffer)
    return buffer.getvalue()


def template_bytes(profile: str, departments: list[str], profiles: tuple[str, ...] = ()) -> bytes:
    """The blank roster: headers, drop-downs, the guide, one department column per 联审 department of
    `profile` (named in its 社区 row)."""
    return roster_bytes({}, {"": departments}, profile, profiles)
