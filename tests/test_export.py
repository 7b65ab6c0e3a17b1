"""Exports (planner.export): every file is read back and its content asserted.

The writers are tested on hand-made JSON in the shapes of SCENARIO.md, so they need no solver;
one end-to-end test runs `export_all` on scenarios/nuoenjiya.yaml when the solvers are present.
"""

from __future__ import annotations

import copy
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import docx
import ortools
import pytest
from docx.shared import Mm
from helpers import D05_ZH, make_community, make_subdistrict
from helpers import EXPORT_PEOPLE as PEOPLE
from helpers import EXPORT_SLATE as SLATE
from helpers import EXPORT_SLATE_2 as SLATE_2
from helpers import EXPORT_SOLVER as SOLVER
from helpers import EXPORT_STAGES as STAGES
from helpers import schedule_result as schedule_json
from helpers import slate_result as slate_json
from icalendar import Calendar
from openpyxl import load_workbook

import planner.cli
import planner.export.files as export_files
from planner.check import verify_plan
from planner.cli import export_plan
from planner.export import (
    FILE_NAMES,
    ExportError,
    all_bytes,
    build_audit,
    docx_bytes,
    export_all,
    ics_bytes,
    plan_json_bytes,
    write_files,
    xlsx_bytes,
)
from planner.plan import ScheduleResult, SlateResult
from planner.rules import DISQUALIFICATIONS
from planner.scenario import POST_NAMES, Community, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- hand-made fixtures


def slate_result(cid: str = "test", slates: list[dict[str, Any]] | None = None) -> SlateResult:
    return SlateResult.from_json(slate_json(cid, slates))


def schedule_result(cids: tuple[str, ...] = ("test",)) -> ScheduleResult:
    return ScheduleResult.from_json(
        schedule_json(cids), make_community() if cids == ("test",) else make_subdistrict()
    )


def bundle(*, include_sensitive: bool = False) -> tuple[Community, dict, ScheduleResult, dict]:
    c = make_community()
    slates, schedule = {"test": slate_result()}, schedule_result()
    audit = build_audit(c, slates, schedule, {"top": 3, "include_sensitive": include_sensitive})
    return c, slates, schedule, audit


def expected_posts(slate: dict[str, Any]) -> set[tuple[str, str, str]]:
    """(body, post, person id) for every seat of a slate."""
    out = set()
    for body, posts in slate["posts"].items():
        for post, value in posts.items():
            for pid in value if isinstance(value, list) else [value]:
                out.add((body, post, pid))
    return out


# ---------------------------------------------------------------- readers


def workbook_texts(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data))
    return "\n".join(
        str(cell)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def docx_texts(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def sheet_rows(data: bytes, title: str) -> list[dict[str, Any]]:
    ws = load_workbook(io.BytesIO(data))[title]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def assert_no_sensitive(text: str) -> None:
    assert not re.search(r"(?<![A-Za-z0-9])D(0[1-9]|1[0-7])(?![0-9])", text), "a disqualification code leaked"
    for zh, en in DISQUALIFICATIONS.values():
        assert zh not in text and en not in text
    assert "资格联审未通过" not in text and "joint review failed" not in text


# ---------------------------------------------------------------- audit


def test_audit_records_scenario_rules_solver_and_time() -> None:
    c, _, _, audit = bundle()
    assert audit["scenario"]["sha256"] == c.sha256() and len(audit["scenario"]["sha256"]) == 64
    rules = audit["rules"]["test"]
    assert "S19" in rules["in_force"] and "S18" not in rules["in_force"]  # multi-ethnic; S18 is opt-in
    assert rules["weights"] == {"support": 1, "preferred_source": 5, "continuity": 0}
    assert audit["solver"]["slates"]["test"] == SOLVER and audit["solver"]["schedule"] == SOLVER
    assert audit["solver"]["version"] == ortools.__version__
    exported = audit["exported_at"]
    assert exported.endswith("Z") and date.fromisoformat(exported[:10])
    json.dumps(audit)


def test_audit_lists_disabled_rules() -> None:
    data = make_community().model_dump(mode="json")
    data["rules"] = {"disabled": ["S12", "T08"]}
    c = parse_scenario(data, source="<test>")
    audit = build_audit(c, {"test": slate_result()}, None, None)
    assert audit["rules"]["test"]["disabled"] == ["S12", "T08"]
    assert "S12" not in audit["rules"]["test"]["in_force"]
    assert audit["solver"]["schedule"] is None


# ---------------------------------------------------------------- plan.json


def test_plan_json_holds_slates_schedule_and_audit() -> None:
    c, slates, schedule, audit = bundle()
    plan = json.loads(plan_json_bytes(c, slates, schedule, audit))
    assert plan["scenario"] == "test" and plan["audit"] == audit
    assert plan["slate_status"] == "optimal" and plan["explanation"] is None
    assert [s["rank"] for s in plan["slates"]] == [1, 2]
    assert all(s["community"] == "test" for s in plan["slates"])
    assert plan["slates"][0]["posts"] == SLATE["posts"]
    assert plan["slates"][0]["candidate_lists"] == SLATE["candidate_lists"]
    assert [{k: s[k] for k in STAGES[0]} for s in plan["schedule"]["communities"]["test"]["stages"]] == STAGES
    text = json.dumps(plan, ensure_ascii=False)
    assert_no_sensitive(text)
    s04 = next(ch for ch in plan["slates"][0]["checks"] if ch["rule"] == "S04")
    assert s04["people"] == ["p13"] and "withheld" in s04["detail"]


def test_plan_json_with_sensitive_details() -> None:
    c, slates, schedule, audit = bundle(include_sensitive=True)
    text = plan_json_bytes(c, slates, schedule, audit, include_sensitive=True).decode()
    assert "D05" in text and D05_ZH in text


def test_plan_json_of_a_subdistrict_tags_each_slate_with_its_community() -> None:
    sd = make_subdistrict()
    slates = {"east": slate_result("east"), "west": slate_result("west", [SLATE])}
    schedule = schedule_result(("east", "west"))
    audit = build_audit(sd, slates, schedule, {})
    plan = json.loads(plan_json_bytes(sd, slates, schedule, audit))
    assert [(s["community"], s["rank"]) for s in plan["slates"]] == [("east", 1), ("east", 2), ("west", 1)]
    assert plan["slate_status"] == {"east": "optimal", "west": "optimal"}
    assert set(plan["schedule"]["communities"]) == {"east", "west"}


# ---------------------------------------------------------------- plan.xlsx


def test_xlsx_sheets_members_schedule_audit() -> None:
    c, slates, schedule, audit = bundle()
    data = xlsx_bytes(c, slates, schedule, audit)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [
        "方案 Options",
        "规则检查 Checks",
        "差额名单 Lists",
        "资格 Eligibility",
        "亲属 Relatives",
        "日程 Schedule",
        "审计 Audit",
    ]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert all(ws.column_dimensions[col].width >= 8 for col in "ABC")
    # one row per person per post per option, with the right post
    rows = sheet_rows(data, "方案 Options")
    for slate in (SLATE, SLATE_2):
        got = {
            (r["机构代码 Body key"], r["职务代码 Post key"], r["编号 ID"])
            for r in rows
            if r["方案 Option"] == slate["rank"]
        }
        assert got == expected_posts(slate)
        for r in rows:
            if r["方案 Option"] == slate["rank"]:
                post_zh = (
                    "成员"
                    if r["机构代码 Body key"] == "supervisory_committee"
                    and r["职务代码 Post key"] == "member"
                    else POST_NAMES[r["职务代码 Post key"]][0]
                )
                assert r["职务 Post"].startswith(post_zh)
                assert r["姓名 Name"] == next(p["name"] for p in PEOPLE if p["id"] == r["编号 ID"])
    secretary = next(r for r in rows if r["方案 Option"] == 1 and r["职务 Post"].startswith("书记"))
    assert secretary["姓名 Name"] == "杭晓旭" and "交叉任职" in secretary["备注 Notes"]
    # schedule dates are real dates
    stages = sheet_rows(data, "日程 Schedule")
    by_id = {r["阶段 Stage id"]: r for r in stages}
    assert by_id["pc_publicity"]["开始 Start"].date() == date(2020, 12, 28)
    assert (
        by_id["pc_publicity"]["结束 End"].date() == date(2021, 1, 1)
        and by_id["pc_publicity"]["天数 Days"] == 5
    )
    assert by_id["rc_election"]["关键路径 Critical"] == "★" and by_id["rc_election"]["机动 Slack (days)"] == 0
    assert by_id["pc_election"]["阶段名 Stage"] == "党员大会选举"
    # checks with numbers, relatives, audit
    checks = sheet_rows(data, "规则检查 Checks")
    assert any(r["规则 Rule"] == "S11" and r["人数 Count"] == "4/5" for r in checks)
    relatives = sheet_rows(data, "亲属 Relatives")
    assert {(r["编号 A"], r["编号 B"]) for r in relatives} == {("p13", "p14")}
    audit_sheet = {r["项目 Key"]: r["值 Value"] for r in sheet_rows(data, "审计 Audit")}
    assert audit_sheet["scenario.sha256"] == c.sha256()
    assert audit_sheet["exported_at"] == audit["exported_at"]


def test_xlsx_eligibility_rule_ids_only_unless_sensitive() -> None:
    c, slates, schedule, audit = bundle()
    plain = xlsx_bytes(c, slates, schedule, audit)
    assert_no_sensitive(workbook_texts(plain))
    rows = {r["编号 ID"]: r for r in sheet_rows(plain, "资格 Eligibility")}
    assert rows["p13"]["不符合规则 Rules not met"] == "S04"
    assert rows["p14"]["不符合规则 Rules not met"] == "S05"
    assert not rows["p01"]["不符合规则 Rules not met"]
    assert "情形 Details (sensitive)" not in rows["p13"]
    sensitive = xlsx_bytes(c, slates, schedule, audit, include_sensitive=True)
    rows = {r["编号 ID"]: r for r in sheet_rows(sensitive, "资格 Eligibility")}
    assert (
        "D05" in rows["p13"]["情形 Details (sensitive)"] and D05_ZH in rows["p13"]["情形 Details (sensitive)"]
    )
    assert rows["p14"]["联审 Joint review (sensitive)"] == "failed"


# ---------------------------------------------------------------- plan.docx


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ID_PATTERN = re.compile(r"(?<![A-Za-z0-9])(p\d{2}|[a-z]+_[a-z_]+|[ST]\d{2})(?![A-Za-z0-9])")


def table_rows(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def main_text(document: Any) -> str:
    """The draft's text before its appendix (附件), tables included, in document order."""
    parts = []
    for block in document.element.body.iterchildren():
        if block.tag == W + "p":
            text = "".join(t.text or "" for t in block.iter(W + "t"))
            if text.startswith("附件"):
                break
            parts.append(text)
        elif block.tag == W + "tbl":
            parts.append("\n".join(t.text or "" for t in block.iter(W + "t")))
    return "\n".join(parts)


def test_docx_one_page_per_community_options_side_by_side_margins_and_audit() -> None:
    c, slates, schedule, audit = bundle()
    data = docx_bytes(c, slates, schedule, audit)
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "测试社区“两委”班子人选方案\n（讨论稿）"
    assert document.paragraphs[0].style.name == "Title"
    compare = next(t for t in document.tables if table_rows(t)[0] == ["职务", "方案一", "方案二"])
    rows = {r[0]: r[1:] for r in table_rows(compare)[1:]}
    people = {p.id: p.name for p in c.people}
    assert rows["党组织书记"] == [people["p01"]] * 2 and rows["居委会主任"] == [people["p01"]] * 2
    assert rows["居委会委员"] == ["刘伟、陈静、孙浩", "刘伟、陈静、周杰"]
    assert rows["与方案一的区别"] == ["推荐方案", "新增周杰（居委会委员）；不含孙浩"]
    margins = next(t for t in document.tables if table_rows(t)[0][:2] == ["结构要求", "标准"])
    got = {r[0]: r[2:] for r in table_rows(margins)[1:]}
    assert got["女性"] == ["3名（多2名）", "3名（多2名）"]
    assert got["年轻干部"] == ["4名（多3名）", "3名（多2名）"]
    assert got["学历结构"][0] == "8/8=100%（高60个百分点）" and got["少数民族成员"][0] == "1名（恰好达到）"
    text = docx_texts(data)
    assert "预备人选公示：2020年12月28日至2021年1月1日" in text
    assert "未列入任何方案的参选人（2人）：褚亮、卫东。" in text  # by name only, no reason
    assert "综合得分" not in text and " / " not in text
    main = main_text(document)
    assert not ID_PATTERN.search(main), ID_PATTERN.search(main)
    assert "不符合" not in main
    assert_no_sensitive(text)
    audit_table = next(t for t in document.tables if table_rows(t)[0] == ["项目", "内容"])
    audit_text = "\n".join("\t".join(r) for r in table_rows(audit_table))
    assert c.sha256() in audit_text and audit["exported_at"] in audit_text and "{" not in audit_text


def test_docx_print_setup_gb9704_fonts_and_page_numbers() -> None:
    c, slates, schedule, audit = bundle()
    document = docx.Document(io.BytesIO(docx_bytes(c, slates, schedule, audit)))
    for section in document.sections:
        assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
        margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
        assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    footer = document.sections[0].footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and footer.text.startswith("— ") and footer.text.endswith(" —")
    styles = document.styles
    assert styles["Normal"].font.size.pt == 16 and styles["Title"].font.size.pt == 22
    assert styles["Normal"].element.rPr.rFonts.get(W + "eastAsia")  # an East Asian font on every style
    assert styles["Title"].element.rPr.rFonts.get(W + "eastAsia")


def test_docx_tables_repeat_their_header_and_never_split_a_row() -> None:
    c, slates, schedule, audit = bundle()
    document = docx.Document(io.BytesIO(docx_bytes(c, slates, schedule, audit)))
    for table in document.tables:
        rows = table._tbl.findall(W + "tr")
        assert rows[0].find(W + "trPr").find(W + "tblHeader") is not None
        assert all(r.find(W + "trPr").find(W + "cantSplit") is not None for r in rows)
        widths = [int(g.get(W + "w")) for g in table._tbl.find(W + "tblGrid")]
        assert sum(widths) <= Mm(156).twips + 20  # within the text width of A4


def test_docx_sensitive_details_only_when_asked() -> None:
    c, slates, schedule, audit = bundle(include_sensitive=True)
    text = docx_texts(docx_bytes(c, slates, schedule, audit, include_sensitive=True))
    assert D05_ZH in text and "资格条件" in text  # why 褚亮 is in no option


def test_docx_in_english_on_request() -> None:
    c, slates, schedule, _ = bundle()
    audit = build_audit(c, slates, schedule, {"top": 3, "lang": "en"})
    document = docx.Document(io.BytesIO(docx_bytes(c, slates, schedule, audit)))
    text = docx_texts(docx_bytes(c, slates, schedule, audit))
    assert document.paragraphs[0].text == "测试社区: proposed teams\n(draft for discussion)"
    compare = next(t for t in document.tables if table_rows(t)[0] == ["Post", "Option 1", "Option 2"])
    assert table_rows(compare)[1][0] == "Party committee secretary"
    for word in ("方案", "讨论稿", "职务", "要求", "符合", "附件"):
        assert word not in text


def test_docx_subdistrict_summary_then_one_page_per_community() -> None:
    sd = make_subdistrict()
    slates = {"east": slate_result("east"), "west": slate_result("west", [SLATE])}
    schedule = schedule_result(("east", "west"))
    document = docx.Document(
        io.BytesIO(docx_bytes(sd, slates, schedule, build_audit(sd, slates, schedule, {})))
    )
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h.text for h in headings][:3] == ["一、各社区方案汇总", "二、东区社区", "三、西区社区"]
    assert headings[2].paragraph_format.page_break_before  # each community on a page of its own
    summary = next(t for t in document.tables if table_rows(t)[0][0] == "社区")
    assert [r[0] for r in table_rows(summary)[1:]] == ["东区社区", "西区社区"]
    assert [r[2] for r in table_rows(summary)[1:]] == ["2", "1"]


def test_docx_infeasible_slates_show_the_conflict() -> None:
    c = make_community()
    slates = {
        "test": SlateResult(
            scenario="test",
            status="infeasible",
            slates=[],
            explanation={"conflict": ["S04", "S09"], "message": "p13 has D05; 无女性"},
        )
    }
    text = docx_texts(docx_bytes(c, slates, None, build_audit(c, slates, None, {})))
    assert "未能提出符合全部要求的方案" in text and "相互冲突的要求：资格条件、女性" in text
    assert_no_sensitive(text)


# ---------------------------------------------------------------- schedule.ics


def test_ics_all_day_events_with_stable_uids_and_audit() -> None:
    c, slates, schedule, audit = bundle()
    cal = Calendar.from_ical(ics_bytes(c, slates, schedule, audit))
    assert str(cal["X-PLANNER-SCENARIO-SHA256"]) == c.sha256()
    assert str(cal["X-PLANNER-EXPORTED-AT"]) == audit["exported_at"]
    assert json.loads(str(cal["X-PLANNER-AUDIT"]))["scenario"]["sha256"] == c.sha256()
    events = {str(e["X-PLANNER-STAGE"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {s["id"] for s in STAGES}
    publicity = events["pc_publicity"]
    assert publicity.decoded("dtstart") == date(2020, 12, 28)
    assert publicity.decoded("dtend") == date(2021, 1, 2)  # exclusive
    assert str(publicity["summary"]) == "测试社区 · 预备人选公示"
    description = str(publicity["description"])
    assert "pc_publicity" in description and "2020-12-10..2021-01-13" in description
    assert "Slack: 4" in description and "T03" in description and c.sha256() in description
    election = events["rc_election"]
    assert election.decoded("dtend") - election.decoded("dtstart") == date(2021, 1, 24) - date(2021, 1, 23)
    assert "T09" in str(election["description"]) and "关键路径" in str(election["description"])
    # a later export of the same plan keeps the UIDs
    later = dict(audit, exported_at="2030-01-01T00:00:00Z")
    again = Calendar.from_ical(ics_bytes(c, slates, schedule, later))
    assert sorted(str(e["uid"]) for e in again.walk("VEVENT")) == sorted(
        str(e["uid"]) for e in events.values()
    )
    assert len({str(e["uid"]) for e in events.values()}) == len(events)


def test_ics_subdistrict_has_events_per_community() -> None:
    sd = make_subdistrict()
    schedule = schedule_result(("east", "west"))
    cal = Calendar.from_ical(ics_bytes(sd, {}, schedule, build_audit(sd, {}, schedule, {})))
    summaries = {str(e["summary"]) for e in cal.walk("VEVENT")}
    assert "东区社区 · 党员大会选举" in summaries and "西区社区 · 党员大会选举" in summaries
    assert len(summaries) == 2 * len(STAGES)


# ---------------------------------------------------------------- export_all and files on disk


@pytest.fixture
def stub_solvers(monkeypatch: pytest.MonkeyPatch) -> None:
    """export_plan with the hand-made results in place of the solvers."""
    monkeypatch.setattr(
        planner.cli, "solve_all", lambda scenario, **kw: ({"test": slate_result()}, schedule_result())
    )


def test_export_all_writes_four_files(tmp_path: Path, stub_solvers: None) -> None:
    c = make_community()
    paths, _ = export_plan(c, tmp_path / "out")
    assert [p.name for p in paths] == list(FILE_NAMES)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        FILE_NAMES
    )  # no staging folder left
    plan = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    assert plan["audit"]["options"]["top"] == 3 and plan["audit"]["scenario"]["sha256"] == c.sha256()
    sha = c.sha256()
    assert sha in workbook_texts((tmp_path / "out" / "plan.xlsx").read_bytes())
    assert sha in docx_texts((tmp_path / "out" / "plan.docx").read_bytes())
    assert sha in (tmp_path / "out" / "schedule.ics").read_bytes().decode().replace("\r\n ", "")


def test_all_bytes_match_the_single_builders() -> None:
    c, slates, schedule, audit = bundle()
    files = all_bytes(c, slates, schedule, audit)
    assert list(files) == list(FILE_NAMES)
    assert files["plan.json"] == plan_json_bytes(c, slates, schedule, audit)
    assert files["schedule.ics"] == ics_bytes(c, slates, schedule, audit)


def test_export_refuses_to_overwrite_without_force(tmp_path: Path, stub_solvers: None) -> None:
    c = make_community()
    (tmp_path / "plan.docx").write_bytes(b"mine")
    with pytest.raises(ExportError, match="plan.docx") as info:
        export_plan(c, tmp_path)
    assert isinstance(info.value, FileExistsError)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.docx"]  # nothing written at all
    assert (tmp_path / "plan.docx").read_bytes() == b"mine"
    export_plan(c, tmp_path, force=True)
    assert (tmp_path / "plan.docx").read_bytes() != b"mine"


def test_forced_export_that_fails_leaves_nothing_half_written(
    tmp_path: Path, stub_solvers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = make_community()
    export_plan(c, tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in FILE_NAMES}

    def broken(data: Any) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setitem(export_files.WRITERS, "plan.docx", broken)
    with pytest.raises(RuntimeError):
        export_plan(c, tmp_path, force=True)
    assert {name: (tmp_path / name).read_bytes() for name in FILE_NAMES} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILE_NAMES)


def test_write_files_cleans_up_after_a_failed_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.write_bytes

    def failing(self: Path, content: bytes) -> int:
        if self.name == "plan.xlsx":
            raise OSError("no space left on device")
        return real(self, content)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(ExportError, match="no space left"):
        write_files({"plan.json": b"{}", "plan.xlsx": b"x"}, tmp_path, force=True)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- verify round trip


def test_plan_json_passes_verify_and_a_broken_copy_is_rejected() -> None:
    c, slates, _, audit = bundle()
    plan = json.loads(plan_json_bytes(c, slates, None, audit))
    report = verify_plan(c, plan)
    assert report.ok, report.to_json()
    assert len(report.slates) == 2
    broken = copy.deepcopy(plan)
    broken["slates"][0]["posts"]["residents_committee"]["member"][0] = "p13"  # p13 has D05
    report = verify_plan(c, broken)
    assert not report.ok
    assert "S04" in report.slates[0].broken() and report.slates[1].ok


# ---------------------------------------------------------------- end to end


@pytest.mark.slow
def test_export_all_end_to_end_on_nuoenjiya(tmp_path: Path) -> None:
    scenario = load_scenario(ROOT / "scenarios" / "nuoenjiya.yaml")
    paths, _ = export_plan(scenario, tmp_path, top=3, seed=0, workers=2, time_limit=20.0)
    assert [p.name for p in paths] == list(FILE_NAMES)
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert plan["slate_status"] in ("optimal", "feasible") and plan["slates"]
    assert plan["audit"]["scenario"]["sha256"] == scenario.sha256()
    rows = sheet_rows((tmp_path / "plan.xlsx").read_bytes(), "方案 Options")
    for slate in plan["slates"]:
        got = {r["编号 ID"] for r in rows if r["方案 Option"] == slate["rank"]}
        assert got == {pid for _, _, pid in expected_posts(slate)}
    text = docx_texts((tmp_path / "plan.docx").read_bytes())
    assert "诺恩吉雅社区“两委”班子人选方案\n（讨论稿）" in text
    assert_no_sensitive(text)
    cal = Calendar.from_ical((tmp_path / "schedule.ics").read_bytes())
    stages = plan["schedule"]["communities"]["nuoenjiya"]["stages"]
    assert len(list(cal.walk("VEVENT"))) == len(stages)
    report = verify_plan(scenario, plan)
    assert report.ok, report.to_json()


def test_export_all_writes_solved_results_without_solving(tmp_path: Path) -> None:
    c, slates, schedule, _ = bundle()
    paths = export_all(c, tmp_path / "out", slates, schedule, {"top": 3})
    assert [p.name for p in paths] == list(FILE_NAMES)
    plan = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    assert plan["audit"]["options"]["top"] == 3 and len(plan["slates"]) == 2
    with pytest.raises(ExportError):
        export_all(c, tmp_path / "out", slates, schedule)
