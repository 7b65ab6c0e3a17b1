"""The app on a workspace (AppTest): versions saved on load and edit, a fresh session resumes where the last
one left off, plans saved from the Export page, the History page lists and compares.

conftest.py points $PLANNER_WORKSPACE at a file of each test's own, so nothing here touches the user's
data folder; every session of one test shares that file, as two browser tabs would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import SCENARIOS, started_app, texts, visit
from streamlit.testing.v1 import AppTest

from planner.workspace import Workspace


def scenario(app: AppTest) -> Any:
    return app.session_state["common_scenario"]


def edit_support(app: AppTest, row: int, support: int) -> None:
    visit(app, "candidates")
    key = next(d.key for d in app.data_editor if d.key and d.key.startswith("candidates_editor"))
    app.session_state[key] = {
        "edited_rows": {row: {"support": support}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception, [e.value for e in app.exception]


@pytest.fixture
def ws(private_workspace: Path) -> Any:
    workspace = Workspace(private_workspace)
    yield workspace
    workspace.close()


def test_loading_saves_a_version_with_the_file_and_an_edit_saves_another(at: AppTest, ws: Workspace) -> None:
    first = ws.version("nuoenjiya", 1)
    assert first.note == "加载 nuoenjiya.yaml / loaded nuoenjiya.yaml"
    assert first.files == (("nuoenjiya.yaml", (SCENARIOS / "nuoenjiya.yaml").read_bytes()),)
    person = scenario(at).people[2]
    edit_support(at, 2, 3)
    second = ws.version("nuoenjiya")
    assert second.number == 2
    assert second.note == "在应用中修改 / edited in the app"
    assert second.sha256 == scenario(at).sha256()
    assert second.summary.zh == f"修改 1 人（{person.id} {person.name}）"
    assert second.changes["communities"][0]["people_changed"][0]["fields"] == [
        {"field": "support", "old": person.support, "new": 3}
    ]
    visit(at, "scenario")  # a rerun without a change saves nothing new
    assert [v.number for v in ws.versions("nuoenjiya")] == [1, 2]


def test_an_upload_keeps_the_bytes_the_user_gave(at: AppTest, ws: Workspace) -> None:
    content = (SCENARIOS / "hongqi-2025.yaml").read_bytes() + b"\n# a comment the YAML parser drops\n"
    at.file_uploader(key="scenario_upload").set_value(("mine.yaml", content, "application/x-yaml")).run()
    assert not at.exception
    saved = ws.version(scenario(at).id)
    assert saved.files == (("mine.yaml", content),)
    assert saved.source == "mine.yaml"


def test_a_fresh_session_resumes_the_version_language_and_what_if(at: AppTest, ws: Workspace) -> None:
    edit_support(at, 0, 1)
    edited = scenario(at).sha256()
    at.radio(key="app_lang").set_value("en").run()
    visit(at, "slates")
    at.number_input(key="slates_top").set_value(2).run()
    excluded = scenario(at).people[5].id
    at.multiselect(key="slates_excludes_nuoenjiya").set_value([excluded]).run()
    assert not at.exception

    again = started_app()  # a new browser tab, or the app restarted
    assert scenario(again).sha256() == edited
    assert again.session_state["app_lang"] == "en"
    assert again.title[0].value == "Scenario"
    assert any("edited in this session" in m for m in texts(again.markdown))  # still an edit of the file
    visit(again, "slates")
    assert again.number_input(key="slates_top").value == 2
    assert again.multiselect(key="slates_excludes_nuoenjiya").value == [excluded]
    assert [v.number for v in ws.versions("nuoenjiya")] == [1, 2]  # resuming saves no version


def test_export_saves_the_plan_and_history_compares(at: AppTest, ws: Workspace) -> None:
    visit(at, "export")
    at.selectbox(key="workspace_plan_status").set_value("discussion")
    at.text_area(key="workspace_plan_notes").set_value("提交党委会讨论")
    at.button(key="workspace_plan_save").click().run()
    assert not at.exception
    assert any("plan:1" in s for s in texts(at.success))
    plan = ws.plan(1)
    assert (plan.key, plan.version, plan.status, plan.notes) == (
        "nuoenjiya",
        1,
        "discussion",
        "提交党委会讨论",
    )
    assert plan.settings["top"] == 3 and plan.audit["scenario"]["sha256"] == scenario(at).sha256()
    first_slate = plan.slates["nuoenjiya"]["slates"][0]
    assert first_slate["posts"]["party_committee"]["secretary"]
    assert plan.schedule["communities"]["nuoenjiya"]["stages"]

    # a second plan in which the secretary changed and the residents' election moved a week
    slates = {"nuoenjiya": dict(plan.slates["nuoenjiya"])}
    changed = dict(first_slate, posts={**first_slate["posts"]})
    changed["posts"]["party_committee"] = dict(changed["posts"]["party_committee"], secretary="p20")
    slates["nuoenjiya"]["slates"] = [changed]
    schedule = {
        "communities": {
            "nuoenjiya": {"stages": [dict(s) for s in plan.schedule["communities"]["nuoenjiya"]["stages"]]}
        }
    }
    for s in schedule["communities"]["nuoenjiya"]["stages"]:
        if s["id"] == "rc_election":
            s["start"] = s["end"] = "2021-02-01"
    ws.save_plan("nuoenjiya", 1, slates=slates, schedule=schedule, status="draft")
    edit_support(at, 1, 2)

    visit(at, "history")
    assert at.title[0].value == "历史"
    versions, plans = at.dataframe[0].value, at.dataframe[2].value
    assert list(versions["版本"]) == ["@2 ←", "@1"]
    assert "修改 1 人" in versions["变化"].iloc[0]
    comparison = at.dataframe[1].value  # @1 | @2 side by side
    assert list(comparison.columns) == ["变化", "对象", "@1", "@2"]
    assert comparison.iloc[0]["变化"] == "修改：民意支持度" and comparison.iloc[0]["@2"] == "2"
    assert list(plans["方案"]) == ["plan:2", "plan:1"]
    assert set(plans["状态"]) == {"草稿", "讨论稿"}
    plan_rows = at.dataframe[3].value
    assert list(plan_rows.columns) == ["变化", "对象", "plan:1", "plan:2"]
    assert "p20" in set(plan_rows["plan:2"])
    assert any("推迟" in v for v in plan_rows["plan:2"])

    at.radio(key="app_lang").set_value("en").run()  # the same page in English
    assert at.dataframe[1].value.iloc[0]["Change"] == "changed: support"


def test_history_opens_an_older_version(at: AppTest, ws: Workspace) -> None:
    original = scenario(at).sha256()
    edit_support(at, 0, 5)
    visit(at, "history")
    at.selectbox(key="history_open_nuoenjiya").set_value(1)
    at.run()
    downloads = [b for b in at.download_button if b.label == "下载原始文件 nuoenjiya.yaml"]
    assert len(downloads) == 1  # version 1 was loaded from the bundled file: its bytes are offered back
    at.button(key="history_open_button").click().run()
    assert not at.exception
    assert scenario(at).sha256() == original
    assert any("nuoenjiya@1" in s for s in texts(at.success))
    newest = ws.version("nuoenjiya")
    assert (newest.number, newest.sha256) == (3, original)  # opening it is a new version, nothing rewritten


def test_the_plan_status_and_notes_can_be_changed(at: AppTest, ws: Workspace) -> None:
    ws.save_plan("nuoenjiya", 1, slates={}, schedule={}, notes="初稿")
    visit(at, "history")
    at.selectbox(key="history_edit_status_1").set_value("final")
    at.text_area(key="history_edit_notes_1").set_value("定稿，报街道")
    at.button(key="history_update_plan").click().run()
    assert not at.exception
    assert (ws.plan(1).status, ws.plan(1).notes) == ("final", "定稿，报街道")


def test_without_a_usable_workspace_the_app_still_works(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))  # a folder: not a workspace
    app = started_app()
    assert scenario(app).id == "nuoenjiya"
    visit(app, "history")
    assert any("工作区不可用" in e and "folder" not in e for e in texts(app.error))


def test_the_slates_page_saves_the_plan_with_its_what_if(at: AppTest, ws: Workspace) -> None:
    visit(at, "slates")
    excluded = scenario(at).people[0].id  # the best-supported secretary of the bundled example
    at.multiselect(key="slates_excludes_nuoenjiya").set_value([excluded]).run()
    at.selectbox(key="workspace_slates_plan_status").set_value("draft")
    at.text_area(key="workspace_slates_plan_notes").set_value(f"不含{excluded}")
    at.button(key="workspace_slates_plan_save").click().run()
    assert not at.exception
    plan = ws.plan(1)
    assert plan.notes == f"不含{excluded}" and plan.settings["excludes"] == {"nuoenjiya": [excluded]}
    teams = [
        {
            p
            for posts in s["posts"].values()
            for who in posts.values()
            for p in (who if isinstance(who, list) else [who])
        }
        for s in plan.slates["nuoenjiya"]["slates"]
    ]
    assert teams and all(excluded not in team for team in teams)
    assert plan.schedule["communities"]["nuoenjiya"]["stages"]


def test_a_versions_note_can_be_written_on_the_history_page(at: AppTest, ws: Workspace) -> None:
    visit(at, "history")
    at.text_input(key="history_note_text_nuoenjiya_1").set_value("街道下发的初始名单")
    at.button(key="history_save_note").click().run()
    assert not at.exception
    assert ws.version("nuoenjiya", 1).note == "街道下发的初始名单"
    assert ws.version("nuoenjiya", 1).sha256 == scenario(at).sha256()  # the content is unchanged
    assert "街道下发的初始名单" in set(at.dataframe[0].value["说明"])


def test_two_app_sessions_editing_one_workspace_lose_nothing(at: AppTest, ws: Workspace) -> None:
    """Two browser tabs on one workspace, their edits interleaved: every edit is a version, numbered on."""
    other = started_app()
    edit_support(at, 0, 11)
    edit_support(other, 1, 12)  # the second tab still shows the first version, edits it
    edit_support(at, 2, 13)
    edit_support(other, 3, 14)
    versions = ws.versions("nuoenjiya")
    assert [v.number for v in versions] == [1, 2, 3, 4, 5]
    supports = [[p.support for p in v.scenario().people[:4]] for v in versions]
    first = supports[0]
    assert supports[1] == [11, *first[1:]]  # tab 1
    assert supports[2] == [first[0], 12, *first[2:]]  # tab 2, from the version it showed
    assert supports[3] == [11, first[1], 13, first[3]]  # tab 1 again, on its own last version
    assert supports[4] == [first[0], 12, first[2], 14]
    assert ws.version("nuoenjiya", 5).sha256 == scenario(other).sha256()
    assert versions[3].summary.zh.startswith("修改 3 人")  # against version 3, the newest when it was saved


def test_the_app_opens_the_newest_version_saved_from_the_command_line(private_workspace: Path) -> None:
    """A workspace filled with `planner workspace save` and never opened in the app: the app starts on the
    newest version saved (not on the bundled example) and saves nothing new."""
    from planner.edits import apply_change
    from planner.scenario import load_scenario

    ws = Workspace(private_workspace)
    base = load_scenario(SCENARIOS / "nuoenjiya.yaml")
    ws.save_version(base, note="初稿")
    newest = ws.save_version(apply_change(base, {"reference_date": "2020-12-15"}), note="调整")
    app = started_app()
    assert scenario(app).sha256() == newest.sha256
    assert [v.number for v in ws.versions("nuoenjiya")] == [1, 2]
    visit(app, "history")
    comparison = app.dataframe[1].value
    assert comparison.iloc[0]["变化"] == "设置：基准日期" and comparison.iloc[0]["@2"] == "2020-12-15"
    ws.close()
