"""Issue 12's finish line, as an office works: from an empty workbook to an exported plan without seeing YAML,
and nothing lost across a restart of the app (the workspace keeps it)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from helpers import started_app, visit
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from planner.cli import main
from planner.kinship import close_relative_pairs
from planner.plan import Slate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# 编号, 姓名, 性别, 出生日期, 学历, 是否党员, 入党时间, 参选机构 (blank = every body), 民意支持度
PEOPLE = [
    ("p01", "赵建国", "男", date(1975, 3, 1), "本科", "是", date(2000, 7, 1), "", 90),
    ("p02", "钱秀英", "女", date(1985, 6, 1), "大专", "是", date(2008, 7, 1), "", 85),
    ("p03", "孙立新", "男", date(1980, 1, 9), "本科", "是", date(2004, 7, 1), "", 80),
    ("p04", "李红梅", "女", date(1990, 2, 2), "本科", "是", date(2012, 7, 1), "", 78),
    ("p05", "周志强", "男", date(1972, 5, 5), "高中", "是", date(1998, 7, 1), "", 75),
    ("p06", "吴丽娜", "女", date(1993, 8, 8), "大专", "否", None, "", 74),
    ("p07", "郑海涛", "男", date(1988, 9, 9), "本科", "否", None, "", 72),
    ("p08", "王小燕", "女", date(1995, 4, 4), "本科", "是", date(2018, 7, 1), "", 70),
    ("p09", "冯国庆", "男", date(1970, 10, 1), "高中", "是", date(1996, 7, 1), "", 68),
    ("p10", "陈静", "女", date(1983, 12, 12), "大专", "否", None, "", 66),
    ("p11", "褚明", "男", date(1979, 11, 11), "中专", "是", date(2003, 7, 1), "", 64),
    ("p12", "卫芳", "女", date(1987, 7, 7), "本科", "否", None, "", 62),
    ("p13", "蒋伟", "男", date(1991, 3, 3), "大专", "是", date(2015, 7, 1), "", 60),
    ("p14", "沈慧", "女", date(1977, 6, 6), "高中", "否", None, "", 58),
    ("p15", "韩磊", "男", date(1984, 2, 28), "本科", "否", None, "", 56),
    ("p16", "杨帆", "女", date(1992, 9, 19), "大专", "是", date(2016, 7, 1), "", 54),
]


def fill(blank: Path, filled: Path) -> None:
    """What an office does in Excel (WPS): type the community and the people with Chinese values."""
    wb = load_workbook(blank)
    headers = {ws.title: {cell.value: cell.column for cell in ws[1] if cell.value} for ws in wb.worksheets}

    def put(sheet: str, row: int, values: dict[str, object]) -> None:
        for header, value in values.items():
            wb[sheet].cell(row=row, column=headers[sheet][header], value=value)

    put(
        "社区",
        2,
        {"社区编号": "xingfu", "社区名称": "幸福社区", "街道": "大沁他拉街道", "基准日": date(2026, 1, 1)},
    )
    for row, (pid, name, gender, born, edu, party, joined, bodies, support) in enumerate(PEOPLE, start=2):
        put(
            "人员",
            row,
            {"编号": pid, "姓名": name, "性别": gender, "出生日期": born, "学历": edu, "是否党员": party}
            | ({"入党时间": joined} if joined else {})
            | ({"参选机构": bodies} if bodies else {})
            | {"民意支持度": support, "联审结论": "通过"},
        )
    put("亲属关系", 2, {"人员甲": "p05", "人员乙": "p13", "关系": "父母"})
    wb.save(filled)


def upload(app: AppTest, path: Path) -> None:
    app.file_uploader(key="scenario_upload").set_value([(path.name, path.read_bytes(), XLSX)])
    app.run()
    assert not app.exception, [e.value for e in app.exception]


def test_from_an_empty_workbook_to_an_exported_plan_and_back_after_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blank, filled = tmp_path / "blank.xlsx", tmp_path / "幸福社区.xlsx"
    assert main(["template", "--out", str(blank)]) == 0
    fill(blank, filled)
    assert main(["check", str(filled)]) == 0  # the command line reads the workbook as it is

    app = started_app()
    upload(app, filled)
    scenario = app.session_state["common_scenario"]
    assert (scenario.id, scenario.name, len(scenario.people)) == ("xingfu", "幸福社区", 16)
    assert pairs(scenario) == {frozenset(("p05", "p13"))}

    # a relative found later is added in the app (p13's sibling): the derived pair appears at once
    visit(app, "relatives")
    app.selectbox(key="relatives_add_a").set_value("p05")
    app.selectbox(key="relatives_add_b").set_value("p16")
    app.selectbox(key="relatives_add_relation_zh").set_value("parent")
    app.button(key="relatives_add").click().run()
    assert not app.exception
    edited = app.session_state["common_scenario"]
    assert frozenset(("p13", "p16")) in pairs(edited)

    # the plan is exported for the committee: the files offered are those of the edited scenario
    offered: dict[str, bytes] = {}
    real = st.download_button

    def recording(label: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        offered[kwargs.get("file_name") or label] = data
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    visit(app, "export")
    assert {"xingfu-plan.json", "xingfu-plan.xlsx", "xingfu-plan.docx", "xingfu-schedule.ics"} <= set(offered)
    plan = json.loads(offered["xingfu-plan.json"])
    assert plan["audit"]["scenario"]["sha256"] == edited.sha256()
    teams = [set(Slate.from_json(slate).team()) for slate in plan["slates"]]
    assert teams and not any({"p13", "p16"} <= team for team in teams)  # the recusal added in the app holds

    # the roster offered on the Scenario page holds the edit: the office can go on in Excel
    visit(app, "scenario")
    roster = load_workbook(io.BytesIO(offered["xingfu.xlsx"]))
    relations = [row for row in roster["亲属关系"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert ("p05", "p16", "父母") in {tuple(row[:3]) for row in relations}

    # the app restarts (or the tab is closed and opened again): the edited scenario comes back
    again = started_app()
    assert again.session_state["common_scenario"].sha256() == edited.sha256()


def pairs(c: Any) -> set[frozenset[str]]:
    return {frozenset((p.a, p.b)) for p in close_relative_pairs(c)}
