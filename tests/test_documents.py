"""The printed documents (issue 14), checked the way a person checks them: rendered to PDF by LibreOffice.

The bundled community (scenarios/nuoenjiya.yaml) and sub-district (scenarios/daqintala.yaml) are solved
once; every document of both is converted in one `soffice` call (a module fixture) and each PDF is read
back with poppler (pdfinfo, pdftotext, pdftoppm): page count, no text outside the text area of A4, no
internal id (p01, pc_recommend, S04), no "中文 / English" join, the plan's names and dates present, no
table row split across pages. The first page of each is written to tests/screenshots/ for review.
Without LibreOffice or poppler those tests skip with the reason; the rest read the .docx/.xlsx directly.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from helpers import visit
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

import planner.cli
from planner.eligibility import screen
from planner.export import build_audit, make_plan_data, render_all
from planner.export.common import PlanData
from planner.export.documents import DOCUMENT_FILES, DOCUMENTS, facts, style
from planner.rules import DISQUALIFICATIONS, RULES
from planner.scenario import Community, ScenarioError, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "screenshots"
EXPORTED_AT = "2026-01-05T08:00:00Z"
MM = 72 / 25.4  # PDF points per mm
SCENARIOS = ("nuoenjiya", "daqintala")
PUNCTUATION = "，、。；：！？）》”’"


@dataclass
class Plan:
    name: str
    data: PlanData
    files: dict[str, bytes]

    @property
    def communities(self) -> list[Community]:
        return self.data.communities


def solve(name: str, **options: Any) -> Plan:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    slates, schedule = planner.cli.solve_all(scenario, top=3, seed=0, workers=2, time_limit=20.0)
    audit = build_audit(scenario, slates, schedule, {"top": 3, **options}, exported_at=EXPORTED_AT)
    data = make_plan_data(
        scenario, slates, schedule, audit, include_sensitive=bool(options.get("include_sensitive"))
    )
    return Plan(name, data, render_all(data))


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {name: solve(name) for name in SCENARIOS}


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def xlsx_text(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    )


def file_text(name: str, content: bytes) -> str:
    return docx_text(content) if name.endswith(".docx") else xlsx_text(content)


# ---------------------------------------------------------------- rendering through LibreOffice


def split_row_control() -> bytes:
    """A table whose one row is taller than a page, with the row split allowed: the PDF check must see it."""
    doc = style.new_document("control")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "甲"
    table.rows[0].cells[1].text = "\n".join(f"第{i}行文字" for i in range(90))
    return style.save(doc)


@dataclass
class Pdf:
    path: Path
    pages: int
    width: float
    height: float
    words: list[list[tuple[float, float, float, float, str]]]  # per page: xMin, yMin, xMax, yMax, text

    def text(self, first: int = 1, last: int | None = None) -> str:
        """The words of pages first..last (1-based), in reading order, a space between words."""
        pages = self.words[first - 1 : last or self.pages]
        return "\n".join(" ".join(w[4] for w in sorted(p, key=lambda w: (round(w[1]), w[0]))) for p in pages)


def read_pdf(path: Path) -> Pdf:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True)
    words = [
        [
            (float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page
            )
        ]
        for page in re.findall(r"<page .*?</page>", bbox.stdout, re.S)
    ]
    return Pdf(path, pages, width, height, words)


@pytest.fixture(scope="module")
def pdfs(plans: dict[str, Plan], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    """Every .docx of both plans (and the split-row control) as PDF, converted in one soffice call."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the documents cannot be rendered to PDF")
    missing = [tool for tool in ("pdfinfo", "pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"poppler-utils ({', '.join(missing)}) is not installed: the PDFs cannot be read")
    folder = tmp_path_factory.mktemp("documents")
    sources = []
    for plan in plans.values():
        for name, content in plan.files.items():
            if name.endswith(".docx"):
                path = folder / f"{plan.name}-{name}"
                path.write_bytes(content)
                sources.append(path)
    control = folder / "control-split-row.docx"
    control.write_bytes(split_row_control())
    sources.append(control)
    profile = folder / "lo-profile"  # a private profile: parallel runs do not fight over the user's
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(folder), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {source.stem: read_pdf(source.with_suffix(".pdf")) for source in sources}


def key(plan: str, file: str) -> str:
    return f"{plan}-{Path(file).stem}"


def docx_files() -> list[str]:
    return [f for f in DOCUMENT_FILES if f.endswith(".docx")]


def main_text(file: str, text: str) -> str:
    """The text a committee reads: the 讨论稿 before its appendix (which maps rule numbers), else all."""
    return re.split(r"附件\s*1", text, maxsplit=1)[0] if file == "plan.docx" else text


def test_page_counts(plans: dict[str, Plan], pdfs: dict[str, Pdf]) -> None:
    for name, plan in plans.items():
        n = len(plan.communities)
        got = {file: pdfs[key(name, file)].pages for file in docx_files()}
        assert got["预备人选公示.docx"] == n, got  # one notice per community, each on one page
        assert got["选举公告.docx"] == 4 * n, got  # 第1号 to 第4号, one page each
        assert n <= got["候选人初步人选名单.docx"] <= 2 * n and got["资格联审表.docx"] == n, got
        assert got["班子结构分析表.docx"] == (n + 1 if n > 1 else 1), got
        assert n <= got["换届工作日程安排表.docx"] <= 2 * n, got
        # the 讨论稿: a summary page, one page per community, the details, two appendix pages
        assert n + 2 <= got["plan.docx"] <= (1 if n > 1 else 0) + 5 * n + 2, got


def test_first_page_of_each_community_fits_on_it(plans: dict[str, Plan], pdfs: dict[str, Pdf]) -> None:
    """One page per community: its options table, the quota margins and the key dates on one page."""
    for name, plan in plans.items():
        pdf = pdfs[key(name, "plan.docx")]
        for c in plan.communities:
            pages = [i for i in range(1, pdf.pages + 1) if "主要时间节点" in pdf.text(i, i)]
            starts = [
                i
                for i in range(1, pdf.pages + 1)
                if "与方案一的区别" in pdf.text(i, i) and c.name in pdf.text(i, i)
            ]
            assert set(starts) & set(pages), (name, c.name)


def test_no_text_outside_the_text_area(pdfs: dict[str, Pdf]) -> None:
    for stem, pdf in pdfs.items():
        if stem.startswith("control"):
            continue
        assert (round(pdf.width / MM), round(pdf.height / MM)) == (210, 297), stem  # A4
        left, right = 28 * MM - 1, pdf.width - 26 * MM + 1
        top, bottom = 37 * MM - 1, pdf.height - 35 * MM + 1
        for page, words in enumerate(pdf.words, start=1):
            assert words, (stem, page, "an empty page")
            for x0, y0, x1, y1, text in words:
                assert left <= x0, (stem, page, text, x0)
                # a line may end in a punctuation mark whose (blank) right half lies past the edge
                over = x1 - right
                assert over <= 0 or (text[-1] in PUNCTUATION and over <= 8.5), (stem, page, text, x1)
                if y1 > bottom:  # below the text: only the page number "— 1 —", inside the page
                    assert re.fullmatch(r"[—\d]+", text) and y1 < pdf.height - 10 * MM, (stem, page, text)
                else:
                    assert y0 >= top, (stem, page, text, y0)


def test_no_ids_no_english_and_no_bilingual_joins(plans: dict[str, Plan], pdfs: dict[str, Pdf]) -> None:
    for name, plan in plans.items():
        people = {p.id for c in plan.communities for p in c.people}
        stages = {s.id for c in plan.communities for s in c.schedule.effective_stages()}
        ids = re.compile(
            r"(?<![A-Za-z0-9_])("
            + "|".join(sorted(map(re.escape, people | stages | set(RULES)), key=len, reverse=True))
            + r")(?![A-Za-z0-9_])"
        )
        for file in docx_files():
            text = pdfs[key(name, file)].text()
            main = main_text(file, text)
            assert not ids.search(main), (name, file, ids.search(main))
            assert not re.search(r"\S ?/ \S", text), (name, file, re.search(r".{10}\S ?/ \S.{10}", text))
            words = set(re.findall(r"[A-Za-z]{2,}", main))
            assert not words, (name, file, words)  # Chinese only


def printed(pdf: Pdf, content: bytes) -> str:
    """What a PDF shows, without spaces: its words in reading order, then each table column top to bottom
    (a cell wrapped over lines reads whole there)."""
    document = docx.Document(io.BytesIO(content))
    columns = ["".join(col) for table in document.tables for page in column_texts(pdf, table) for col in page]
    return re.sub(r"\s+", "", pdf.text()) + "\n" + "\n".join(columns)


def test_the_plan_names_and_dates_are_in_the_documents(plans: dict[str, Plan], pdfs: dict[str, Pdf]) -> None:
    for name, plan in plans.items():
        text = {f: printed(pdfs[key(name, f)], plan.files[f]) for f in docx_files()}
        for c in plan.communities:
            slate = facts.chosen(plan.data, c)
            assert slate is not None
            secretary = facts.name(c, slate.posts.party_committee.secretary)
            assert c.name in text["plan.docx"] and secretary in text["plan.docx"]
            for pid in facts.candidate_list(slate, "party_committee"):
                assert facts.name(c, pid) in text["候选人初步人选名单.docx"]
                assert facts.name(c, pid) in text["预备人选公示.docx"]
            for pid in facts.candidate_list(slate, "residents_committee"):
                assert facts.name(c, pid) in text["选举公告.docx"]
            dates = facts.dates(plan.data, c)
            publicity = dates.publicity("pc_")
            assert publicity is not None
            assert facts.span(publicity.start, publicity.end) in text["预备人选公示.docx"]
            assert facts.day(dates.start("rc_election")) in text["选举公告.docx"]
            for row in plan.data.schedule_stages(c.id):
                assert facts.short_span(row.start, row.end) in text["换届工作日程安排表.docx"]
                assert row.stage.owner in text["换届工作日程安排表.docx"]
            for department in ("旗委组织部", "旗民政局"):  # the naiman-2020 profile's 联审 departments
                assert department in text["资格联审表.docx"]
        assert "上届" in text["班子结构分析表.docx"] and "本届（方案一）" in text["班子结构分析表.docx"]


def column_texts(pdf: Pdf, table: Any) -> list[list[str]]:
    """Per page, per table column: the words whose left edge lies in the column, top to bottom."""
    grid = [int(g.get(qn("w:w"))) / 20 for g in table._tbl.find(qn("w:tblGrid"))]
    edges = [28 * MM + (156 * MM - sum(grid)) / 2]  # tables are centred in the text width
    for width in grid:
        edges.append(edges[-1] + width)
    out = []
    for words in pdf.words:
        per = []
        for j in range(len(grid)):
            inside = [w for w in words if edges[j] - 1 <= w[0] < edges[j + 1] - 1]
            per.append("".join(w[4] for w in sorted(inside, key=lambda w: (round(w[1]), w[0]))))
        out.append(per)
    return out


def split_cells(pdf: Pdf, document: Any) -> list[str]:
    """Cells whose text is found whole on no single page of the PDF: rows split across pages."""
    found = []
    for table in document.tables:
        columns = column_texts(pdf, table)
        for row in table.rows:
            for j, cell in enumerate(row.cells):
                text = re.sub(r"\s+", "", cell.text)
                if len(text) >= 2 and not any(text in page[j] for page in columns):
                    found.append(text)
    return found


def test_subdistrict_draft_never_splits_a_row_and_repeats_headers(
    plans: dict[str, Plan], pdfs: dict[str, Pdf]
) -> None:
    document = docx.Document(io.BytesIO(plans["daqintala"].files["plan.docx"]))
    for table in document.tables:  # the properties: header row repeated, no row split
        rows = table._tbl.findall(qn("w:tr"))
        assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert all(r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for r in rows)
    pdf = pdfs[key("daqintala", "plan.docx")]
    assert split_cells(pdf, document) == []  # and in print: every cell whole on one page
    control = docx.Document(io.BytesIO(split_row_control()))
    assert split_cells(pdfs["control-split-row"], control)  # the check sees a split row
    for page in range(2, pdf.pages + 1):  # a table going on over a page starts with its header again
        words = pdf.words[page - 1]
        top = min(words, key=lambda w: (round(w[1]), w[0]))[4] if words else ""
        if top in ("党组织书记", "党组织专职副书记"):
            raise AssertionError(f"page {page} goes on with a table but without its header row")


def test_first_page_screenshots_for_review(pdfs: dict[str, Pdf]) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for stem, pdf in pdfs.items():
        if stem.startswith("control"):
            continue
        target = SHOTS / f"document-{stem}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf.path), str(target)],
            check=True,
        )
        png = target.with_suffix(".png")
        assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5000, png


# ---------------------------------------------------------------- content without rendering


def test_sensitive_details_off_no_disqualification_hint_anywhere(plans: dict[str, Plan]) -> None:
    plan = plans["nuoenjiya"]
    c = plan.communities[0]
    barred = {p.name for p in c.people if not screen(c)[p.id].eligible_bodies()}
    assert barred  # the bundled community has people barred from every body
    disqualifications = [t for pair in DISQUALIFICATIONS.values() for t in pair]
    for file in DOCUMENT_FILES:
        text = file_text(file, plan.files[file])
        assert not re.search(r"(?<![A-Za-z0-9])D(0[1-9]|1[0-7])(?![0-9])", text), file
        assert not any(t in text for t in disqualifications), file
        assert "未通过" not in text and "不符合" not in text, file
        for line in text.splitlines():
            if any(name in line for name in barred):
                assert not re.search(r"资格|审查|原因|不得|回避|联审", line), (file, line)
    sensitive = solve("nuoenjiya", include_sensitive=True)
    text = docx_text(sensitive.files["plan.docx"])
    assert any(t in text for t in disqualifications)  # asked for: the reasons are shown


def test_tables_also_as_printable_workbooks(plans: dict[str, Plan]) -> None:
    for plan in plans.values():
        for kind in DOCUMENTS.values():
            for file in kind.files:
                if not file.endswith(".xlsx"):
                    continue
                wb = load_workbook(io.BytesIO(plan.files[file]))
                for ws in wb.worksheets:
                    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.print_title_rows, (
                        file,
                        ws.title,
                    )
                    assert ws.sheet_properties.pageSetUpPr.fitToPage, (file, ws.title)
        schedule = load_workbook(io.BytesIO(plan.files["换届工作日程安排表.xlsx"]))
        first = schedule.worksheets[0]
        header = [cell.value for cell in first[3]]
        assert header == ["序号", "阶段", "日期", "工作内容", "工作要求", "责任人"]
        c = plan.communities[0]
        assert first.max_row - 3 == len(plan.data.schedule_stages(c.id))


def test_structure_compares_this_term_with_the_previous(plans: dict[str, Plan]) -> None:
    plan = plans["daqintala"]
    document = docx.Document(io.BytesIO(plan.files["班子结构分析表.docx"]))
    total = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert total[0] == ["项目", "上届（现任人员）", "本届（方案一）", "增减"]
    teams = [facts.team(facts.chosen(plan.data, c)) for c in plan.communities]
    assert total[1][2] == f"{sum(len(t) for t in teams)}名"  # 人数 of all communities
    women = sum(c.person[p].gender == "F" for c, t in zip(plan.communities, teams, strict=True) for p in t)
    row = next(r for r in total if r[0] == "女性")
    assert row[2].startswith(f"{women}名")
    incumbents = sum(
        any(x.split(".")[0] in ("party_committee", "residents_committee") for x in p.incumbent)
        for c in plan.communities
        for p in c.people
    )
    assert total[1][1] == f"{incumbents}名"


def test_stage_owner_is_validated_and_printed(tmp_path: Path) -> None:
    data = json.loads(
        json.dumps(load_scenario(ROOT / "scenarios" / "nuoenjiya.yaml").model_dump(mode="json"))
    )
    data["schedule"]["stages"] = [{"id": "rc_election", "owner": 5}]
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data, source="s.yaml").schedule.effective_stages()
    assert any("owner" in str(i) for i in info.value.issues)
    data["schedule"]["stages"] = [{"id": "rc_election", "owner": "街道选举工作指导组"}]
    scenario = parse_scenario(data, source="s.yaml")
    owners = {s.id: s.owner for s in scenario.schedule.effective_stages()}
    assert owners["rc_election"] == "街道选举工作指导组" and owners["pc_election"] == "社区党组织"


# ---------------------------------------------------------------- command line and app


def test_export_documents_selection(
    plans: dict[str, Plan],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    solved = plans["nuoenjiya"].data
    monkeypatch.setattr(planner.cli, "solve_all", lambda scenario, **kw: (solved.slates, solved.schedule))
    scenario = str(ROOT / "scenarios" / "nuoenjiya.yaml")
    out = tmp_path / "a"
    code = planner.cli.main(["export", scenario, "--out", str(out), "--documents", "publicity,schedule"])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["plan.json", "plan.xlsx", "schedule.ics"]
        + ["换届工作日程安排表.docx", "换届工作日程安排表.xlsx", "预备人选公示.docx"]
    )
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["audit"]["options"]["documents"] == ["schedule", "publicity"]  # recorded, in print order
    assert planner.cli.main(["export", scenario, "--out", str(out), "--force"]) == 0  # the whole set
    assert sorted(p.name for p in out.iterdir()) == sorted(planner.export.FILE_NAMES)
    args = ["export", scenario, "--out", str(out), "--force", "--documents", "discussion", "--lang", "en"]
    assert planner.cli.main(args) == 0  # the 讨论稿 in English on request
    assert docx.Document(str(out / "plan.docx")).paragraphs[0].text.startswith("诺恩吉雅社区: proposed teams")
    assert not (out / "选举公告.docx").exists()  # the earlier set was replaced as a whole
    capsys.readouterr()
    bad = ["export", scenario, "--out", str(tmp_path / "b"), "--documents", "schedule,minutes"]
    code = planner.cli.main(bad)
    err = capsys.readouterr().err
    assert code == 2 and "未知文书 minutes" in err and "unknown document minutes" in err
    assert "Traceback" not in err and not (tmp_path / "b").exists()


def test_export_page_offers_each_document(at: AppTest) -> None:
    visit(at, "export")
    keys = {b.key for b in at.download_button}
    assert "export_download_docx" in keys  # plan.docx, the 讨论稿, beside the plan files
    for file in DOCUMENT_FILES:
        if file != "plan.docx":
            assert f"document_{file}" in keys, file
    titles = " ".join(str(m.value) for m in at.markdown)
    for kind in DOCUMENTS.values():
        if kind.name != "discussion":
            assert kind.title.zh in titles
    built = list(at.session_state["export_built"].values())[-1][1]
    assert set(DOCUMENT_FILES) <= set(built)


def test_joint_review_form_blank_unless_sensitive_then_per_department(plans: dict[str, Plan]) -> None:
    plan = plans["nuoenjiya"]
    data = plan.data.scenario.model_dump(mode="json")
    p01 = next(p for p in data["people"] if p["id"] == "p01")
    p01.pop("joint_review", None)
    p01["joint_reviews"] = [
        {"department": "旗委组织部", "result": "passed", "number": "组审〔2020〕12号"},
        {"department": "旗民政局", "result": "passed"},
    ]
    scenario = parse_scenario(data, source="s.yaml")
    name = scenario.person["p01"].name
    for sensitive in (False, True):
        audit = build_audit(scenario, plan.data.slates, plan.data.schedule, {"include_sensitive": sensitive})
        bundle = make_plan_data(
            scenario, plan.data.slates, plan.data.schedule, audit, include_sensitive=sensitive
        )
        document = docx.Document(io.BytesIO(DOCUMENTS["joint-review"].writers["资格联审表.docx"](bundle)))
        rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
        assert rows[0] == ["序号", "姓名", "拟参选", "旗委组织部", "旗民政局", "联审结论"]
        row = next(r for r in rows if r[1] == name)
        if sensitive:
            assert row[3:] == ["已通过（组审〔2020〕12号）", "已通过", "已通过"]
        else:
            assert row[3:] == ["", "", ""]  # a form for the departments to fill in
