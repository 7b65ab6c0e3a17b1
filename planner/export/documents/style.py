"""The one style of every printed document: GB/T 9704-2012 (党政机关公文格式) on A4, for Word and Excel.

Page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm). Title in
方正小标宋简体 二号 (22 pt), body in 仿宋_GB2312 三号 (16 pt) on a fixed 28 pt line, headings in 黑体 /
楷体_GB2312 三号; page numbers "— 1 —" in 宋体 四号 at the bottom, odd pages on the right and even pages on
the left, one character in from the edge of the text.

Fonts: each run names its East Asian font (w:eastAsia): the official face where the machine making the
document has it (or where no font list can be read: Word then substitutes), else the first installed
font of the same kind (`FALLBACKS`: 仿宋 -> FangSong -> … -> Noto Serif CJK SC), so that what LibreOffice
or Word prints is the face named, not a guess.

Tables: fixed layout, column widths scaled to the text width (they always fit A4), the header row repeated
on every page (w:tblHeader), no row split across pages (w:cantSplit). The same tables go to .xlsx sheets
with A4 print setup, the header row repeated and the sheet fitted to the page width.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

PAGE_WIDTH, PAGE_HEIGHT = 210, 297  # mm, A4
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # mm, GB/T 9704-2012 7.2
TEXT_WIDTH = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]  # 156 mm

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

TITLE_SIZE = 22  # 二号
BODY_SIZE = 16  # 三号
PAGE_NUMBER_SIZE = 14  # 四号
TABLE_SIZE = 12  # 小四: tables of many columns
SMALL_SIZE = 10.5  # 五号: notes under a table
BODY_LINE = 28  # pt, a fixed line: 22 lines on the 225 mm text height

FALLBACKS: dict[str, tuple[str, ...]] = {
    # each official face, then the installed CJK fonts of the same kind to use where it is missing
    TITLE_FONT: (
        "方正小标宋_GBK",
        "FZXiaoBiaoSong-B05S",
        "华文中宋",
        "STZhongsong",
        "宋体",
        "SimSun",
        "Noto Serif CJK SC",
        "Source Han Serif SC",
        "Source Han Serif CN",
        "AR PL UMing CN",
    ),
    BODY_FONT: (
        "FangSong_GB2312",
        "仿宋",
        "FangSong",
        "华文仿宋",
        "STFangsong",
        "Noto Serif CJK SC",
        "Source Han Serif SC",
        "Source Han Serif CN",
        "AR PL UMing CN",
    ),
    HEADING_FONT: (
        "SimHei",
        "华文黑体",
        "STHeiti",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "Source Han Sans CN",
        "WenQuanYi Zen Hei",
    ),
    SUBHEADING_FONT: (
        "KaiTi_GB2312",
        "楷体",
        "KaiTi",
        "华文楷体",
        "STKaiti",
        "AR PL UKai CN",
        "Noto Serif CJK SC",
        "Source Han Serif SC",
    ),
    PAGE_NUMBER_FONT: ("SimSun", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"),
}
"""Where an official face is missing, the first installed of these (then any installed Chinese font)."""


@lru_cache(maxsize=1)
def installed_cjk_fonts() -> tuple[str, ...]:
    """The Chinese font families installed here (fontconfig's `fc-list :lang=zh`); empty where it is absent."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(
        sorted({name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()})
    )


def font(official: str) -> str:
    """The East Asian font to name: the official face where it is installed or where no font list can be
    read (Word substitutes then), else the first installed fallback of the same kind."""
    installed = installed_cjk_fonts()
    if not installed or official in installed:
        return official
    for candidate in FALLBACKS.get(official, ()):
        if candidate in installed:
            return candidate
    return next((f for f in installed if "SC" in f or "CN" in f), installed[0])


# ---------------------------------------------------------------- fonts


def set_run_fonts(element: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set the East Asian (w:eastAsia) and Latin fonts of a style's or run's rPr, dropping theme fonts."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), font(east_asia))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style(doc: DocumentType, name: str, east_asia: str, size: float, *, bold: bool = False) -> Any:
    style = doc.styles[name]
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_run_fonts(style.element, east_asia)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None:  # the default Title style carries a bottom border: not for an official document
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)
    return style


# ---------------------------------------------------------------- the document


def new_document(
    title: str, *, author: str = "两委 Planner", keywords: str = "", comments: str = ""
) -> DocumentType:
    """An empty A4 document with the GB/T 9704 margins, styles, fonts and page numbers."""
    doc = Document()
    section = doc.sections[0]
    setup_section(section)
    _style(doc, "Normal", BODY_FONT, BODY_SIZE)
    normal = doc.styles["Normal"].paragraph_format
    normal.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.line_spacing = Pt(BODY_LINE)
    ppr = doc.styles["Normal"].element.get_or_add_pPr()
    no_hanging = OxmlElement("w:overflowPunct")  # punctuation stays inside the text width
    no_hanging.set(qn("w:val"), "0")
    ppr.append(no_hanging)
    _style(doc, "Title", TITLE_FONT, TITLE_SIZE)
    title_fmt = doc.styles["Title"].paragraph_format
    title_fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title_fmt.line_spacing = Pt(36)
    title_fmt.space_after = Pt(BODY_LINE / 2)
    _style(doc, "Heading 1", HEADING_FONT, BODY_SIZE)
    _style(doc, "Heading 2", SUBHEADING_FONT, BODY_SIZE)
    _style(doc, "Heading 3", BODY_FONT, BODY_SIZE, bold=True)
    for level in (1, 2, 3):
        fmt = doc.styles[f"Heading {level}"].paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(BODY_LINE)
        fmt.keep_with_next = True
        fmt.first_line_indent = Pt(2 * BODY_SIZE)
    _style(doc, "Table Grid", BODY_FONT, TABLE_SIZE)
    settings = doc.settings.element
    if settings.find(qn("w:evenAndOddHeaders")) is None:
        settings.append(OxmlElement("w:evenAndOddHeaders"))
    page_numbers(section)
    props = doc.core_properties
    props.title = title
    props.author = author
    props.keywords = keywords
    props.comments = comments
    return doc


def setup_section(section: Any) -> None:
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(20)  # the page number sits 7 mm below the text (GB/T 9704 7.5)


def _field(paragraph: Paragraph, instruction: str, east_asia: str) -> None:
    """A complex field (PAGE) the word processor fills in."""
    run = paragraph.add_run()
    set_run_fonts(run._r, east_asia)
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


def _page_number(paragraph: Paragraph, odd: bool) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    indent = Pt(PAGE_NUMBER_SIZE)  # one character in from the edge of the text
    if odd:
        fmt.right_indent = indent
    else:
        fmt.left_indent = indent
    for text, field in (("— ", False), ("PAGE", True), (" —", False)):
        if field:
            _field(paragraph, text, PAGE_NUMBER_FONT)
        else:
            run = paragraph.add_run(text)
            set_run_fonts(run._r, PAGE_NUMBER_FONT)
    for run in paragraph.runs:
        run.font.size = Pt(PAGE_NUMBER_SIZE)


def page_numbers(section: Any) -> None:
    """ "— 1 —" at the bottom: odd pages right, even pages left (GB/T 9704 7.5)."""
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def new_page_section(doc: DocumentType) -> Any:
    """A new section on a new page, with the same page setup and page numbers continued."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    setup_section(section)
    return section


def page_break(doc: DocumentType) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def save(doc: DocumentType) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- paragraphs


def title(doc: DocumentType, text: str) -> Paragraph:
    """The document's title: 方正小标宋简体 二号, centred; a new line at each "\\n"."""
    paragraph = doc.add_paragraph(style="Title")
    for i, line in enumerate(text.split("\n")):
        if i:
            paragraph.runs[-1].add_break()
        paragraph.add_run(line)
    return paragraph


def heading(doc: DocumentType, text: str, level: int = 1) -> Paragraph:
    return doc.add_heading(text, level=level)


def community_pages(doc: DocumentType, data: Any) -> Iterator[Any]:
    """The communities of `data` (a PlanData) in order; in a sub-district's document each starts a new page
    under its name (a community's own document: its title names it)."""
    for i, c in enumerate(data.communities):
        if data.scenario.kind == "subdistrict":
            heading(doc, c.name or c.id, 1).paragraph_format.page_break_before = i > 0
        yield c


def para(
    doc: DocumentType,
    text: str = "",
    *,
    indent: bool = True,
    center: bool = False,
    right: bool = False,
    bold: bool = False,
    size: float | None = None,
    keep_with_next: bool = False,
) -> Paragraph:
    """A body paragraph: 仿宋 三号, first line indented two characters unless centred or right-aligned."""
    paragraph = doc.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    fmt = paragraph.paragraph_format
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.right_indent = Pt(4 * BODY_SIZE)
    elif indent:
        fmt.first_line_indent = Pt(2 * (size or BODY_SIZE))
    if size:
        fmt.line_spacing = Pt(max(size * 1.5, size + 4))
    fmt.keep_with_next = keep_with_next
    return paragraph


def note(doc: DocumentType, text: str) -> Paragraph:
    """A note under a table, in 五号."""
    return para(doc, text, indent=False, size=SMALL_SIZE)


# ---------------------------------------------------------------- tables


def _on(tr_pr: Any, tag: str) -> None:
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


PT_MM = 25.4 / 72
CELL_PAD = 1.0  # mm, left and right inside a cell


def text_mm(text: str, size: float) -> float:
    """The printed width of one line: a CJK character is one em, anything else (bold Latin) about 0.62 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.62 for ch in text) * PT_MM


def widths_mm(
    weights: Sequence[float], total: float = TEXT_WIDTH, minimum: Sequence[float] = ()
) -> list[float]:
    """Column widths in mm, proportional to `weights` and at least `minimum`, adding up to `total`."""
    mins = list(minimum) or [0.0] * len(weights)
    if sum(mins) >= total:
        weights, mins = mins, [0.0] * len(mins)
    widths = [w * total / sum(weights) for w in weights]
    for _ in range(len(widths)):
        short = [i for i, w in enumerate(widths) if w < mins[i] - 1e-6]
        if not short:
            break
        for i in short:
            widths[i] = mins[i]
        free = [i for i in range(len(widths)) if i not in short and widths[i] > mins[i]]
        excess = sum(widths) - total
        room = sum(widths[i] for i in free)
        for i in free:
            widths[i] -= excess * widths[i] / room
    return [round(w, 1) for w in widths]


def min_widths(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], size: float, keep: Sequence[int] = ()
) -> list[float]:
    """The width each column needs so that its header and its short values (numbers, a name) never break;
    in the columns `keep`, no value breaks (dates)."""
    out = []
    for i, header in enumerate(headers):
        values = [str(r[i]) for r in rows if r[i] is not None]
        pieces = [header, *(v for v in values if len(v) <= 5 or i in keep)]
        out.append(max(text_mm(line, size) for p in pieces for line in p.split("\n")) + 2 * CELL_PAD + 0.8)
    return out


def table(
    doc: DocumentType,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    weights: Sequence[float],
    *,
    size: float = TABLE_SIZE,
    center_columns: Sequence[int] = (),
    keep: Sequence[int] = (),
) -> Table:
    """A table over the text width: header row repeated on every page, no row split across pages; the
    values of the columns `keep` never wrap."""
    assert len(weights) == len(headers), (headers, weights)
    widths = widths_mm(weights, minimum=min_widths(headers, rows, size, keep))
    result = doc.add_table(rows=1, cols=len(headers))
    result.style = "Table Grid"
    result.alignment = WD_TABLE_ALIGNMENT.CENTER
    result.autofit = False
    tbl_pr = result._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_PAD / PT_MM * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.append(margins)
    _fill_row(result.rows[0], headers, _cell_style(doc, size, True), bold=True)
    header_pr = result.rows[0]._tr.get_or_add_trPr()
    _on(header_pr, "w:cantSplit")
    _on(header_pr, "w:tblHeader")
    body = _cell_style(doc, size, False)
    for values in rows:
        row = result.add_row()
        _fill_row(row, values, body, center=center_columns)
        _on(row._tr.get_or_add_trPr(), "w:cantSplit")
    for column, width in zip(result.columns, widths, strict=True):  # LibreOffice reads the grid
        column.width = Mm(width)
    for row in result.rows:  # Word reads the cells
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    doc.add_paragraph().paragraph_format.line_spacing = Pt(size)  # a little space after the table
    return result


def _cell_style(doc: DocumentType, size: float, bold: bool) -> Any:
    """The paragraph style of table cells of one size (header rows in bold 黑体): made once per document."""
    from docx.enum.style import WD_STYLE_TYPE

    name = f"Table Cell {size:g}{' Header' if bold else ''}"
    try:
        return doc.styles[name]
    except KeyError:
        pass
    cell = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = doc.styles["Normal"]
    _style(doc, name, HEADING_FONT if bold else BODY_FONT, size)
    fmt = cell.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(1)
    return cell


def _fill_row(
    row: Any, values: Sequence[Any], cell_style: Any, *, bold: bool = False, center: Any = ()
) -> None:
    centered = set(center)
    for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
        paragraph = cell.paragraphs[0]
        for j, line in enumerate(("" if value is None else str(value)).split("\n")):
            if j:
                paragraph = cell.add_paragraph()
            paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = cell_style.style_id  # fast path
            if i in centered or bold:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if line:
                paragraph.add_run(line)


# ---------------------------------------------------------------- spreadsheets

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _text_width(value: Any) -> int:
    text = "" if value is None else str(value)
    line = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def sheet(
    wb: Workbook,
    name: str,
    heading_text: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    subtitle: str = "",
) -> Worksheet:
    """A printable sheet: a title row, the header row (repeated on every printed page), bordered cells,
    A4 with the GB/T 9704 margins, fitted to one page wide."""
    ws = wb.create_sheet(name[:31])
    ncols = len(headers)
    ws.append([heading_text])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(1, 1).font = Font(name=font(TITLE_FONT), size=18)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36
    first = 2
    if subtitle:
        ws.append([subtitle])
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
        ws.cell(2, 1).font = Font(name=font(BODY_FONT), size=12)
        first = 3
    ws.append(list(headers))
    for rows_values in rows:
        ws.append(["" if v is None else v for v in rows_values])
    for row in ws.iter_rows(min_row=first, max_row=ws.max_row, max_col=ncols):
        for cell in row:
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.font = Font(name=font(BODY_FONT), size=12, bold=cell.row == first)
    for i, header in enumerate(headers, start=1):
        values = [header, *(r[i - 1] for r in rows)]
        width = max(_text_width(v) for v in values) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(max(width, 6), 40)
    ws.freeze_panes = ws.cell(first + 1, 1)
    ws.print_title_rows = f"{first}:{first}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    margins = ws.page_margins
    margins.top, margins.bottom = MARGINS["top"] / 25.4, MARGINS["bottom"] / 25.4
    margins.left, margins.right = MARGINS["left"] / 25.4, MARGINS["right"] / 25.4
    ws.oddFooter.center.text = "— &P —"
    return ws


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
