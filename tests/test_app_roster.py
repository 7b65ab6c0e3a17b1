"""The Scenario page and the Excel roster (AppTest): a workbook uploads like a YAML file, a bad one shows
its cells, and the current scenario is offered as a roster download."""

from __future__ import annotations

import io

from helpers import SCENARIOS
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from planner.scenario import load_scenario, roster_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def renamed_roster(name: str, gender: str = "女") -> bytes:
    wb = load_workbook(io.BytesIO(roster_of(load_scenario(SCENARIOS / "nuoenjiya.yaml"))))
    wb["社区"]["B2"] = name
    wb["人员"]["C3"] = gender  # 性别 of p02
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(app: AppTest, name: str, data: bytes) -> AppTest:
    app.file_uploader(key="scenario_upload").set_value([(name, data, XLSX)])
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_a_roster_uploads_and_is_offered_back_as_a_roster(at: AppTest) -> None:
    assert {".xlsx", ".csv"} <= set(at.file_uploader(key="scenario_upload").proto.type)
    upload(at, "ours.xlsx", renamed_roster("上传的社区"))
    scenario = at.session_state["common_scenario"]
    assert scenario.name == "上传的社区" and scenario.person["p02"].gender == "F"
    assert any("上传的社区" in m.value for m in at.markdown)
    buttons = {b.key: b for b in at.download_button}
    assert "roster_download" in buttons and buttons["roster_download"].label == "下载当前场景（Excel 花名册）"


def test_a_bad_roster_shows_the_sheet_row_and_header(at: AppTest) -> None:
    upload(at, "bad.xlsx", renamed_roster("坏的", gender="女士"))
    frames = [d.value for d in at.dataframe if "字段" in d.value.columns]
    assert frames, "no issues table"
    table = frames[0].to_csv()
    assert "人员表第3行" in table and "性别" in table and "女士" in table
    assert at.session_state["common_scenario"].id == "nuoenjiya"  # the previous scenario is kept


def test_a_csv_of_the_people_sheet_uploads(at: AppTest) -> None:
    rows = ["编号,姓名,性别,出生日期,学历,基准日", "p01,甲,女,1985-06-01,本科,2020-12-10"]
    upload(at, "ours.csv", "\n".join(rows).encode("utf-8"))
    scenario = at.session_state["common_scenario"]
    assert scenario.id == "ours" and scenario.people[0].gender == "F"
