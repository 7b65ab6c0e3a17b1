"""Slates page: adopt an option and re-plan with the least change; the 另行选举 panel (AppTest).

Adopting an option makes it the base: an event (a failed joint review) or an exclusion then shows the
minimal-change re-plan and the change list, and the Export page's files carry the base and the changes;
clearing the base brings back the K options. The second-round panel gives the lists for the seats left.
"""

from __future__ import annotations

import io
import json

import pandas as pd
from helpers import texts, visit
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

CID = "nuoenjiya"


def _frames(app: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in app.dataframe]


def _built(app: AppTest) -> dict[str, bytes]:
    return list(app.session_state["export_built"].values())[-1][1]


def test_adopt_then_replan_shows_the_changes_and_exports_them(at: AppTest) -> None:
    visit(at, "slates")
    assert not any("调整说明" in s for s in texts(at.subheader))
    at.button(key=f"replan_adopt_{CID}_1").click().run()
    assert not at.exception
    assert any(i.startswith("已采用方案") and "为基础方案" in i for i in texts(at.info)), texts(at.info)
    base = at.session_state["replan_base"][CID]["slate"]
    deputy = base["posts"]["party_committee"]["deputy_secretary"]
    # no event yet: the re-plan is the base itself, nothing changed
    assert "调整说明（与采用方案相比）" in texts(at.subheader)
    assert any("无变动" in s for s in texts(at.success))
    at.multiselect(key=f"replan_ev_failed_review_{CID}").set_value([deputy]).run()
    assert not at.exception
    changes = next(f for f in _frames(at) if "变动及原因" in f.columns)
    moved = [c for c in changes["变动及原因"] if "离开" in c]
    assert len(moved) == 1 and deputy in moved[0] and "未通过资格联审" in moved[0]
    assert any("调动1人" in m for m in texts(at.markdown))
    # English page: the same change list in English
    at.session_state["app_lang"] = "en"
    at.run()
    changes = next(f for f in _frames(at) if "Change and reason" in f.columns)
    assert any("failed the joint review" in c for c in changes["Change and reason"])
    at.session_state["app_lang"] = "zh"
    at.run()
    # the Export page exports the re-plan with its changes, the base and the events in the audit
    visit(at, "export")
    plan = json.loads(_built(at)["plan.json"])
    assert plan["base"]["slate"]["posts"] == base["posts"]
    assert [ch["person"] for ch in plan["changes"] if ch["kind"] == "moved"] == [deputy]
    assert plan["audit"]["base"][CID]["source"]
    # clearing the base brings back the ordinary options
    visit(at, "slates")
    at.button(key=f"replan_clear_{CID}").click().run()
    assert not at.exception
    assert "调整说明（与采用方案相比）" not in texts(at.subheader)
    assert CID not in (at.session_state["replan_base"] or {})


def test_second_round_panel(at: AppTest) -> None:
    visit(at, "slates")
    at.multiselect(key=f"replan_second_party_committee_{CID}").set_value(["p01", "p03", "p04"]).run()
    at.multiselect(key=f"replan_second_residents_committee_{CID}").set_value(["p01", "p06", "p07"]).run()
    at.button(key=f"replan_second_run_{CID}").click().run()
    assert not at.exception
    table = next(f for f in _frames(at) if "另行选举候选人" in f.columns)
    assert list(table["空缺席位"]) == [2, 2]
    assert all(len(x.split("、")) == 3 for x in table["另行选举候选人"])
    assert any("另行选举后的最佳班子" in m for m in texts(at.markdown))
    # too many elected: bad input shown in place, never a traceback
    at.multiselect(key=f"replan_second_residents_committee_{CID}").set_value(
        ["p01", "p02", "p03", "p04", "p06", "p07"]
    ).run()
    at.button(key=f"replan_second_run_{CID}").click().run()
    assert not at.exception
    assert any("有" in e and "问题" in e for e in texts(at.error)), texts(at.error)
    visit(at, "export")
    plan = json.loads(_built(at)["plan.json"])
    assert plan["second_round"]["seats_left"]["party_committee"] == 2
    assert "另行选举 Second round" in load_workbook(io.BytesIO(_built(at)["plan.xlsx"])).sheetnames
