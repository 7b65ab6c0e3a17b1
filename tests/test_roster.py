"""The Excel roster (花名册, SCENARIO.md "Excel roster"): real .xlsx files written and read with openpyxl.

Round trip scenario -> workbook -> scenario on every bundled scenario; the blank template filled in with
openpyxl works with `check` and `slate`; every kind of bad cell names the sheet, the Excel row and the
header in both languages; drop-downs on the coded columns, date cells, the CSV path, hostile workbooks.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, SCENARIOS, community, person
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook, load_workbook
from strategies import communities

from planner.cli import main
from planner.issues import Issue, ScenarioError
from planner.scenario import blank_roster, load_scenario, load_scenario_text, roster_of

BUNDLED = sorted(p.name for p in SCENARIOS.glob("*.yaml"))
EXAMPLE = SCENARIOS / "roster-example.xlsx"


def workbook(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read(data: bytes, name: str = "roster.xlsx") -> Any:
    return load_scenario_text(data, source=name)


def issues_of(data: bytes, name: str = "roster.xlsx") -> list[Issue]:
    with pytest.raises(ScenarioError) as exc:
        read(data, name)
    return exc.value.issues


def header_column(ws: Any, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def set_cell(wb: Workbook, sheet: str, row: int, header: str, value: Any) -> Workbook:
    wb[sheet].cell(row, header_column(wb[sheet], header)).value = value
    return wb


# ---------------------------------------------------------------- round trip


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_scenario_round_trips_through_a_workbook(name: str, tmp_path: Path) -> None:
    scenario = load_scenario(SCENARIOS / name)
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_of(scenario))
    again = load_scenario(path)
    assert again.canonical_json() == scenario.canonical_json()
    assert again.sha256() == scenario.sha256()


def test_per_department_reviews_user_columns_and_edge_values_round_trip() -> None:
    people = [
        person(
            "p01",
            gender="F",
            ethnicity="蒙古族",
            incumbent=["party_committee.secretary", "residents_committee.director"],
            stands_for=[],
            waivers=["age", "education"],
            tags=["veteran", "自定义类别"],
            disqualifications=["D05"],
            notes="备注一",
            x_phone="13800000000",
            x_rank=3,
        ),
        {
            **{k: v for k, v in person("p02", resident_voter=False).items() if k != "joint_review"},
            "joint_reviews": [
                {
                    "department": "旗委组织部",
                    "result": "passed",
                    "date": "2020-11-20",
                    "number": "奈组字〔2020〕12号",
                },
                {"department": "旗民政局", "result": "pending"},
            ],
        },
    ]
    c = community(
        people,
        others=[{"id": "x01", "name": "某某", "notes": "父亲"}],
        relatives=[{"a": "x01", "b": "p01", "relation": "parent", "x_proof": "户口本"}],
        previous_term={"college_share": 0.4},
        rules={"min_women": 2, "seats": {"party_committee": 7}},
        schedule={"blackout": ["2021-01-20"], "pin": {"pc_election": "2021-01-09"}},
        x_office="社区办",
    )
    data = roster_of(c)
    again = read(data)
    assert again.canonical_json() == c.canonical_json()
    wb = workbook(data)
    ws = wb["人员"]
    row = {ws.cell(1, i).value: ws.cell(2, i).value for i in range(1, ws.max_column + 1)}
    assert row["性别"] == "女" and row["学历"] == "大专" and row["是否党员"] == "是"
    assert row["原任职务"] == "书记、主任" and row["参选机构"] == "无" and row["放宽审批"] == "年龄、学历"
    assert row["x_phone"] == "13800000000" and row["x_rank"] == 3
    p2 = {ws.cell(1, i).value: ws.cell(3, i).value for i in range(1, ws.max_column + 1)}
    assert (p2["旗委组织部"], p2["旗民政局"], p2["联审结论"]) == ("通过", "待反馈", "待反馈")
    assert [c.value for c in wb["联审明细"][2]][:4] == [
        "p02",
        "旗委组织部",
        wb["联审明细"]["C2"].value,
        "奈组字〔2020〕12号",
    ]
    assert wb["联审明细"]["C2"].is_date


def test_a_subdistrict_is_one_workbook_with_a_community_column() -> None:
    sub = load_scenario(SCENARIOS / "xinhua-2025.yaml")
    wb = workbook(roster_of(sub))
    ids = [r[0] for r in wb["社区"].iter_rows(min_row=2, values_only=True)]
    assert ids == [c.id for c in sub.communities]
    assert wb["人员"]["A1"].value == "社区" and wb["人员"]["A2"].value == sub.communities[0].id
    assert wb["亲属关系"]["A1"].value == "社区"


def test_the_example_workbook_is_up_to_date() -> None:
    """scenarios/roster-example.xlsx is `planner roster scenarios/nuoenjiya.yaml` (regenerate it with that)."""
    assert (
        load_scenario(EXAMPLE).canonical_json()
        == load_scenario(SCENARIOS / "nuoenjiya.yaml").canonical_json()
    )


# ---------------------------------------------------------------- the template, filled in by hand


def filled_template() -> Workbook:
    wb = workbook(blank_roster())
    ws = wb["社区"]
    set_cell(wb, "社区", 2, "社区编号", "newtown")
    set_cell(wb, "社区", 2, "社区名称", "新城社区")
    set_cell(wb, "社区", 2, "基准日", date(2020, 12, 10))
    assert ws.cell(2, header_column(ws, "规则配置")).value == "naiman-2020"
    headers = [c.value for c in wb["人员"][1]]
    for i in range(1, 15):
        values = {
            "编号": f"p{i:02d}",
            "姓名": f"人{i}",
            "性别": "女" if i <= 3 else "男",
            "出生日期": date(1980 + i, 3, 1),
            "民族": "蒙古族" if i == 4 else "汉族",
            "学历": "本科" if i % 2 else "大专",
            "是否党员": "是",
            "入党时间": date(2015, 7, 1),
            "民意支持度": 50 + i,
            "旗委组织部": "通过",
            "旗民政局": "通过",
        }
        wb["人员"].append([values.get(h) for h in headers])
    wb["亲属关系"].append(["p01", "p02", "配偶"])
    return wb


def test_the_blank_template_filled_in_with_openpyxl_checks_and_slates(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "roster.xlsx"
    assert main(["template", "--out", str(path)]) == 0
    assert main(["template", "--out", str(path)]) == 2  # never overwritten without --force
    filled_template().save(path)
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "新城社区" in out and "p14" in out
    assert main(["slate", str(path), "--time-limit", "10", "--workers", "1"]) == 0
    c = load_scenario(path)
    assert c.people[0].gender == "F" and c.people[0].joint_reviews[0].department == "旗委组织部"
    assert c.relatives[0].relation == "spouse"


def test_planner_roster_writes_a_workbook_that_every_command_reads(tmp_path: Path) -> None:
    out = tmp_path / "nuoenjiya.xlsx"
    assert main(["roster", str(SCENARIOS / "nuoenjiya.yaml"), "--out", str(out)]) == 0
    assert main(["roster", str(out), "--out", str(tmp_path / "again.xlsx")]) == 0
    assert main(["schedule", str(out), "--time-limit", "10", "--workers", "1"]) == 0
    assert main(["roster", str(SCENARIOS / "nuoenjiya.yaml"), "--out", str(tmp_path / "x.yaml")]) == 2


def test_the_template_has_a_column_per_department_of_the_profile() -> None:
    wb = workbook(blank_roster("urban-2026"))
    headers = [c.value for c in wb["人员"][1]]
    assert headers[:16] == [
        "编号", "姓名", "性别", "出生日期", "民族", "学历", "是否党员", "入党时间", "是否登记选民", "原任职务",
        "参选机构", "不得确定为候选人情形", "放宽审批", "优先人选类别", "民意支持度", "备注",
    ]  # fmt: skip
    assert headers[-2:] == ["县委组织部", "县民政局"]
    assert wb.sheetnames == ["说明", "社区", "人员", "亲属关系", "其他人", "联审明细", "设置", "选项"]
    assert wb["选项"].sheet_state == "hidden"


# ---------------------------------------------------------------- drop-downs and date cells


def validated_columns(ws: Any) -> dict[str, Any]:
    found = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            found[ws.cell(1, rng.min_col).value] = dv
    return found


def test_every_coded_column_has_a_drop_down_and_dates_are_date_cells() -> None:
    wb = workbook(roster_of(load_scenario(SCENARIOS / "nuoenjiya.yaml")))
    people = validated_columns(wb["人员"])
    coded = [
        "性别",
        "民族",
        "学历",
        "是否党员",
        "是否登记选民",
        "原任职务",
        "参选机构",
        "不得确定为候选人情形",
    ]
    coded += ["放宽审批", "优先人选类别", "联审结论", "旗委组织部", "旗民政局"]
    for header in coded:
        assert people[header].type == "list", header
    assert (
        people["性别"].formula1 == '"男,女"' and people["联审结论"].formula1 == '"通过,待反馈,未通过,未提交"'
    )
    ethnic = people["民族"].formula1.split("!")[1].replace("$", "")
    names = [row[0].value for row in wb["选项"][ethnic]]
    assert names[0] == "汉族" and len(names) == 56
    assert people["出生日期"].type == "date" and people["入党时间"].type == "date"
    assert validated_columns(wb["亲属关系"])["关系"].type == "list"
    assert validated_columns(wb["社区"])["多民族"].formula1 == '"是,否"'
    assert validated_columns(wb["社区"])["规则配置"].type == "list"
    assert validated_columns(wb["联审明细"])["部门"].type == "list"
    sub = validated_columns(workbook(roster_of(load_scenario(SCENARIOS / "xinhua-2025.yaml")))["人员"])
    assert sub["社区"].formula1.startswith("'社区'!$A$2")
    ws = wb["人员"]
    born = ws.cell(2, header_column(ws, "出生日期"))
    assert born.is_date and born.number_format == "yyyy-mm-dd"


# ---------------------------------------------------------------- bad cells name sheet, row, header


def nuoenjiya_workbook() -> Workbook:
    return workbook(roster_of(load_scenario(SCENARIOS / "nuoenjiya.yaml")))


def only_issue(wb: Workbook) -> Issue:
    found = issues_of(to_bytes(wb))
    assert len(found) == 1, [str(x) for x in found]
    return found[0]


def assert_at(x: Issue, sheet: str, row: int, header: str) -> None:
    assert x.file == "roster.xlsx"
    assert x.record.startswith(f"sheet {sheet} (") and f"row {row}" in x.record, x.record
    assert x.record_zh.startswith(f"{sheet}表第{row}行"), x.record_zh
    assert x.field == header
    assert x.message and x.message_zh and x.message != x.message_zh


def test_a_bad_value_names_sheet_row_and_header() -> None:
    x = only_issue(set_cell(nuoenjiya_workbook(), "人员", 4, "性别", "女士"))
    assert_at(x, "人员", 4, "性别")
    assert "男、女" in x.message_zh and "女士" in x.message and "(id p03)" in x.record


def test_a_bad_date_names_its_cell() -> None:
    x = only_issue(set_cell(nuoenjiya_workbook(), "人员", 3, "出生日期", "1985-13-45"))
    assert_at(x, "人员", 3, "出生日期")
    assert "不是日期" in x.message_zh
    wb = set_cell(nuoenjiya_workbook(), "人员", 3, "出生日期", 31000)
    wb["人员"].cell(3, header_column(wb["人员"], "出生日期")).number_format = "General"
    x = only_issue(wb)
    assert "number" in x.message


def test_a_value_the_scenario_refuses_is_mapped_back_to_its_cell() -> None:
    wb = set_cell(nuoenjiya_workbook(), "人员", 5, "出生日期", date(2030, 1, 1))
    born, joined = issues_of(to_bytes(wb))
    assert_at(born, "人员", 5, "出生日期")  # born after the reference date: a scenario check, on its cell
    assert_at(joined, "人员", 5, "入党时间")  # and so joined the Party before turning 18
    assert "p04" in born.record and "基准日" in born.message_zh


def test_a_duplicate_id_names_the_second_row() -> None:
    wb = nuoenjiya_workbook()
    first = wb["人员"].cell(2, header_column(wb["人员"], "编号")).value
    x = only_issue(set_cell(wb, "人员", 3, "编号", first))
    assert_at(x, "人员", 3, "编号")
    assert "twice" in x.message


def test_an_unknown_header_and_a_missing_column_name_row_1() -> None:
    wb = nuoenjiya_workbook()
    wb["人员"].cell(1, header_column(wb["人员"], "备注"), "备注栏")
    assert_at(only_issue(wb), "人员", 1, "备注栏")
    wb = nuoenjiya_workbook()
    wb["人员"].delete_cols(header_column(wb["人员"], "性别"))
    x = only_issue(wb)
    assert_at(x, "人员", 1, "性别")
    assert "缺少" in x.message_zh


def test_an_unknown_relation_and_an_unknown_person_in_relatives() -> None:
    x = only_issue(set_cell(nuoenjiya_workbook(), "亲属关系", 2, "关系", "表亲"))
    assert_at(x, "亲属关系", 2, "关系")
    x = only_issue(set_cell(nuoenjiya_workbook(), "亲属关系", 2, "人员乙", "p99"))
    assert_at(x, "亲属关系", 2, "人员乙")


def test_a_bad_department_result_and_a_community_setting() -> None:
    x = only_issue(set_cell(nuoenjiya_workbook(), "人员", 6, "旗民政局", "通过了"))
    assert_at(x, "人员", 6, "旗民政局")
    x = only_issue(set_cell(nuoenjiya_workbook(), "社区", 2, "基准日", "明天"))
    assert_at(x, "社区", 2, "基准日")


def test_a_formula_merged_cells_and_an_unknown_sheet_are_refused() -> None:
    x = only_issue(set_cell(nuoenjiya_workbook(), "人员", 2, "民意支持度", "=40+2"))
    assert_at(x, "人员", 2, "民意支持度")
    assert "formula" in x.message
    wb = nuoenjiya_workbook()
    wb["人员"].merge_cells("B3:B4")
    x = only_issue(wb)
    assert x.record.startswith("sheet 人员") and "B3:B4" in x.message
    wb = nuoenjiya_workbook()
    wb.create_sheet("杂项")["A1"] = "x"
    assert "杂项" in only_issue(wb).message


def test_hostile_files_are_bad_input_with_a_message() -> None:
    for content in (b"kind: community\n", b"\x00" * 100, b"PK\x03\x04 broken"):
        [x] = issues_of(content)
        assert "xlsx" in x.message and x.message_zh
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/big.xml", b"0" * (70 * 1024 * 1024))
    [x] = issues_of(bomb.getvalue())
    assert "unpacks" in x.message
    wb = nuoenjiya_workbook()
    wb["人员"].cell(25_000, 1, "far")
    x = only_issue(wb)
    assert x.record.startswith("sheet 人员") and "rows" in x.message
    wb = nuoenjiya_workbook()
    wb["人员"].cell(5, 5000, "far")
    x = only_issue(wb)
    assert x.record.startswith("sheet 人员") and "5000 columns" in x.message


def test_the_cli_prints_the_cell_and_exits_2_without_a_traceback(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "bad.xlsx"
    set_cell(nuoenjiya_workbook(), "人员", 4, "学历", "大学").save(path)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "sheet 人员 (people), row 4 (id p03), field '学历'" in err and "Traceback" not in err


# ---------------------------------------------------------------- CSV of the 人员 sheet


CSV_ROWS = [
    "编号,姓名,性别,出生日期,学历,是否党员,入党时间,联审结论,基准日",
    "p01,甲,女,1985-06-01,本科,是,2010/7/1,通过,2020-12-10",
    "p02,乙,男,1979年3月2日,大专,否,,待反馈,2020-12-10",
]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_csv_of_the_people_sheet_is_a_community(encoding: str) -> None:
    c = read("\n".join(CSV_ROWS).encode(encoding), "Our Roster.csv")
    assert c.id == "our-roster" and c.reference_date == date(2020, 12, 10)
    assert [(p.id, p.gender, p.education, p.joint_review) for p in c.people] == [
        ("p01", "F", "bachelor", "passed"),
        ("p02", "M", "college", "pending"),
    ]
    assert c.people[1].birth_date == date(1979, 3, 2)


def test_a_csv_names_rows_and_needs_its_reference_date() -> None:
    rows = [*CSV_ROWS[:2], CSV_ROWS[2].replace("大专", "大大专")]
    [x] = issues_of("\n".join(rows).encode(), "r.csv")
    assert_at_csv = x.record.startswith("sheet 人员") and "row 3" in x.record and x.field == "学历"
    assert assert_at_csv, str(x)
    [x] = issues_of("\n".join(line.rsplit(",", 1)[0] for line in CSV_ROWS).encode(), "r.csv")
    assert x.field == "基准日"


def test_the_roster_module_is_documented() -> None:
    text = (ROOT / "docs" / "SCENARIO.md").read_text(encoding="utf-8")
    assert "## Excel roster · 花名册" in text and "planner template --out" in text
    assert "planner roster" in (ROOT / "README.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- departments, details, settings, sub-districts


def test_a_department_outside_the_communitys_list_names_its_cell() -> None:
    wb = set_cell(nuoenjiya_workbook(), "社区", 2, "联审部门", "旗委组织部、旗民政局")
    assert read(to_bytes(wb)).departments() == ["旗委组织部", "旗民政局"]
    wb = set_cell(nuoenjiya_workbook(), "人员", 2, "旗委组织部", "未通过")
    x = only_issue(wb)  # 联审结论 says 通过, but a department failed
    assert_at(x, "人员", 2, "联审结论")
    set_cell(wb, "人员", 2, "联审结论", None)
    set_cell(wb, "社区", 2, "联审部门", "旗民政局")  # 旗委组织部 does not review here: not a column
    x = only_issue(wb)
    assert_at(x, "人员", 1, "旗委组织部")
    assert "联审部门" in x.hint_zh


def test_department_details_attach_to_the_result_and_name_their_row() -> None:
    wb = set_cell(nuoenjiya_workbook(), "人员", 2, "旗委组织部", "通过")
    set_cell(wb, "人员", 2, "联审结论", None)
    wb["联审明细"].append(["p01", "旗委组织部", date(2020, 11, 3), "奈组字〔2020〕7号"])
    c = read(to_bytes(wb))
    [r] = c.person["p01"].joint_reviews
    assert (r.department, r.result, r.date, r.number) == (
        "旗委组织部",
        "passed",
        date(2020, 11, 3),
        "奈组字〔2020〕7号",
    )
    assert c.person["p01"].joint_review == "pending"  # 旗民政局 has not replied
    wb["联审明细"].append(["p02", "旗委组织部", date(2020, 11, 3)])
    assert_at(only_issue(wb), "联审明细", 3, "部门")  # p02 has no 旗委组织部 result in 人员


def test_a_settings_mistake_names_its_row() -> None:
    wb = nuoenjiya_workbook()
    ws = wb["设置"]
    ws.append(["rules:"])
    ws.append(["  min_womn: 2"])
    x = only_issue(wb)
    assert x.record.startswith(f"sheet 设置 (settings), row {ws.max_row}") and "min_womn" in x.message


def test_two_community_rows_make_a_subdistrict_and_rows_name_their_community() -> None:
    wb = workbook(blank_roster())
    for row, cid in ((2, "east"), (3, "west")):
        set_cell(wb, "社区", row, "社区编号", cid)
        set_cell(wb, "社区", row, "基准日", date(2020, 12, 10))
        set_cell(wb, "社区", row, "街道", "新街道")
    ws = wb["人员"]
    ws.insert_cols(1)
    ws["A1"] = "社区"
    headers = [c.value for c in ws[1]]
    for n, cid in enumerate(["east", "west", "west"], start=1):
        values = {"社区": cid, "编号": f"p{n}", "性别": "男", "出生日期": date(1980, 1, n), "学历": "大专"}
        ws.append([values.get(h) for h in headers])
    sub = read(to_bytes(wb))
    assert sub.kind == "subdistrict" and sub.id == "subdistrict" and sub.name == "新街道"
    assert [[p.id for p in c.people] for c in sub.communities] == [["p1"], ["p2", "p3"]]
    ws["A3"] = "north"
    x = only_issue(wb)
    assert_at(x, "人员", 3, "社区")
    ws["A3"] = None
    assert "every row names its community" in only_issue(wb).message


def test_a_county_profile_and_template_file_round_trip_inline(tmp_path: Path) -> None:
    """A county's own profile (three 联审 departments) and template file, read into the scenario, are kept
    in the workbook (设置): the roster needs no folder to give the same scenario back."""
    folder = tmp_path / "county"
    (folder / "rules").mkdir(parents=True)
    profile = (ROOT / "planner" / "profiles" / "naiman-2020.yaml").read_text(encoding="utf-8")
    departments = "joint_review_departments: [旗委组织部, 旗民政局]\n"
    assert profile.count(departments) == 1
    profile = profile.replace(departments, "joint_review_departments: [旗委组织部, 旗民政局, 旗纪委监委]\n")
    (folder / "rules" / "ours.yaml").write_text(profile, encoding="utf-8")
    template = (ROOT / "planner" / "timeline" / "templates" / "seed-2020.yaml").read_text(encoding="utf-8")
    (folder / "rules" / "template.yaml").write_text(template, encoding="utf-8")
    text = (SCENARIOS / "nuoenjiya.yaml").read_text(encoding="utf-8")
    text = text.replace("kind: community\n", "kind: community\nprofile: rules/ours.yaml\n", 1)
    text += "schedule:\n  template: rules/template.yaml\n"
    (folder / "c.yaml").write_text(text, encoding="utf-8")
    c = load_scenario(folder / "c.yaml")
    assert c.departments()[-1] == "旗纪委监委"
    data = roster_of(c)
    assert [h.value for h in workbook(data)["人员"][1]][-3:] == ["旗委组织部", "旗民政局", "旗纪委监委"]
    again = read(data, "elsewhere.xlsx")
    assert again.canonical_json() == c.canonical_json()


def test_verify_and_export_take_a_roster(tmp_path: Path, capsys: Any) -> None:
    """A plan made from the YAML file verifies against its roster (the same scenario); export reads it too."""
    roster = tmp_path / "nuoenjiya.xlsx"
    roster.write_bytes(roster_of(load_scenario(SCENARIOS / "nuoenjiya.yaml")))
    args = ["--time-limit", "10", "--workers", "1"]
    assert main(["slate", str(SCENARIOS / "nuoenjiya.yaml"), "--json", *args]) == 0
    plan = tmp_path / "plan.json"
    plan.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["verify", str(roster), str(plan)]) == 0
    out = tmp_path / "out"
    assert main(["export", str(roster), "--out", str(out), "--top", "1", *args]) == 0
    assert (out / "plan.xlsx").is_file()


def test_settings_that_do_not_fit_the_communities_are_refused() -> None:
    wb = workbook(roster_of(load_scenario(SCENARIOS / "xinhua-2025.yaml")))
    ws = wb["设置"]
    ws.append(["  nowhere:"])
    ws.append(["    rules: {min_women: 2}"])
    x = only_issue(wb)
    assert x.field == "communities.nowhere" and "社区表中没有该社区" in x.message_zh
    wb = nuoenjiya_workbook()
    wb["社区"].append(["second", "", "", date(2020, 12, 10)])
    x = only_issue(wb)  # 设置 says kind: community, but there are two rows
    assert x.field == "kind" and "2 communities" in x.message


def test_contradictory_relatives_name_their_rows() -> None:
    wb = nuoenjiya_workbook()
    ws = wb["亲属关系"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == "配偶")
    ws.append([ws.cell(row, 1).value, "p20", "配偶"])  # a second spouse
    x = only_issue(wb)
    assert x.record == f"sheet 亲属关系 (relatives), rows {row}, {ws.max_row}", x.record
    assert x.record_zh == f"亲属关系表第{row}、{ws.max_row}行"
    wb = nuoenjiya_workbook()
    ws = wb["亲属关系"]
    ws.append([ws["B2"].value, ws["A2"].value, "父母"])  # each other's parent
    x = only_issue(wb)
    assert x.record.startswith("sheet ") and "row" in x.record and "each other's parent" in x.message


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(c=communities(min_people=3, max_people=8))
def test_any_community_round_trips_through_a_workbook(c: Any) -> None:
    """Hypothesis: random people, relatives, others and rule settings survive scenario -> workbook -> scenario."""
    assert read(roster_of(c)).canonical_json() == c.canonical_json()
