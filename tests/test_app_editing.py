"""Issue 12 point 4, editing everything in the app: relatives, others, the community's settings and its
calendar days (AppTest). Each edit is validated as a loaded file; a refused edit shows its issues and keeps
the scenario; an applied one is in the downloaded YAML and can be undone."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import streamlit as st
import yaml
from helpers import texts, visit
from streamlit.testing.v1 import AppTest

from planner.kinship import close_relative_pairs


def scenario(app: AppTest) -> Any:
    return app.session_state["common_scenario"]


def pairs(app: AppTest) -> set[frozenset[str]]:
    return {frozenset((p.a, p.b)) for p in close_relative_pairs(scenario(app))}


def derived_lines(app: AppTest) -> int:
    """How many derived close-relative lines the graph draws (red dashed, not listed)."""
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    trace = next((tr for tr in spec["data"] if tr.get("name") == "推出的近亲属（未登记）"), None)
    return 0 if trace is None else len(trace["x"]) // 3  # x0, x1, None per line


def pairs_on_page(app: AppTest) -> str:
    """The close-relative pairs beside the graph (the page's markdown)."""
    return "\n".join(m for m in texts(app.markdown) if m.startswith("- **"))


def issues_on_page(app: AppTest) -> str:
    frames = [d.value for d in app.dataframe if "字段" in d.value.columns]
    assert frames, "no issues table on the page"
    return " ".join(" ".join(map(str, row)) for row in frames[0].itertuples())


def add_relation(app: AppTest, a: str, b: str, relation: str) -> AppTest:
    app.selectbox(key="relatives_add_a").set_value(a)
    app.selectbox(key="relatives_add_b").set_value(b)
    app.selectbox(key="relatives_add_relation_zh").set_value(relation)
    app.button(key="relatives_add").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def widget(elements: Any, prefix: str) -> Any:
    found = [w for w in elements if w.key and w.key.startswith(prefix)]
    assert len(found) == 1, (prefix, [w.key for w in elements])
    return found[0]


def stage_start(app: AppTest, stage: str) -> str:
    frame = next(d.value for d in app.dataframe if "阶段" in d.value.columns)
    return frame[frame["阶段"] == stage].iloc[0]["开始"]


# ---------------------------------------------------------------- relatives


def test_adding_a_relative_shows_the_derived_pair_at_once_and_removing_it_drops_it(at: AppTest) -> None:
    visit(at, "relatives")
    assert frozenset(("p09", "p13")) not in pairs(at)
    before = len(scenario(at).relatives)
    lines = derived_lines(at)
    add_relation(at, "p08", "p13", "parent")  # p08 is already p09's parent: p09 and p13 become siblings
    assert len(scenario(at).relatives) == before + 1
    assert frozenset(("p09", "p13")) in pairs(at)
    shown = pairs_on_page(at)  # the same run draws the new pair, marked derived
    line = next(x for x in shown.splitlines() if x.startswith("- **p09") and "p13" in x)
    assert "兄弟姐妹" in line and "推出" in line
    assert derived_lines(at) == lines + 1  # and the graph draws it
    assert "修改已应用" in texts(at.success)
    at.selectbox(key="relatives_remove_pick_zh").set_value(before)  # the new relation, listed last
    at.button(key="relatives_remove").click().run()
    assert not at.exception
    assert len(scenario(at).relatives) == before
    assert frozenset(("p09", "p13")) not in pairs(at)
    assert "p13" not in pairs_on_page(at)
    assert derived_lines(at) == lines


@pytest.mark.parametrize(
    ("a", "b", "relation", "says"),
    [
        ("p03", "p03", "spouse", "不能是自己的亲属"),
        ("p12", "p11", "spouse", "该关系已登记"),  # listed as p11 spouse of p12
        ("p15", "p14", "parent", "年龄相差不足 14 岁"),  # born 1970 and 1980: a parent 10 years older
        ("p11", "p03", "spouse", "配偶"),  # p11 already has a spouse
    ],
)
def test_a_bad_relation_is_shown_with_its_issues_and_not_applied(
    at: AppTest, a: str, b: str, relation: str, says: str
) -> None:
    visit(at, "relatives")
    before = scenario(at).sha256()
    add_relation(at, a, b, relation)
    assert scenario(at).sha256() == before
    assert any("问题" in e for e in texts(at.error))
    assert says in issues_on_page(at)
    assert "修改未应用" in " ".join(texts(at.info))


def test_the_english_page_adds_a_relation_too(at: AppTest) -> None:
    at.session_state["app_lang"] = "en"
    visit(at, "relatives")
    assert "Edit relations" in texts(at.subheader)
    at.selectbox(key="relatives_add_a").set_value("p08")
    at.selectbox(key="relatives_add_b").set_value("p13")
    at.selectbox(key="relatives_add_relation_en").set_value("parent")
    at.button(key="relatives_add").click().run()
    assert not at.exception
    assert frozenset(("p09", "p13")) in pairs(at)
    assert "Edit applied" in texts(at.success)


# ---------------------------------------------------------------- others


def test_others_are_added_renamed_and_removed(at: AppTest) -> None:
    visit(at, "relatives")
    at.text_input(key="others_add_id").input("x02")
    at.text_input(key="others_add_name").input("李某")
    at.button(key="others_add").click().run()
    assert not at.exception
    assert [(o.id, o.name) for o in scenario(at).others][-1] == ("x02", "李某")
    # a new other links relatives at once: x02 parent of p18 and p19 makes them siblings
    add_relation(at, "x02", "p18", "parent")
    add_relation(at, "x02", "p19", "parent")
    assert frozenset(("p18", "p19")) in pairs(at)
    at.selectbox(key="others_rename_pick").set_value("x02")
    at.text_input(key="others_rename_name").input("李某某")
    at.button(key="others_rename").click().run()
    assert {o.id: o.name for o in scenario(at).others}["x02"] == "李某某"
    assert any("x02 李某某" in m for m in texts(at.markdown))  # the pairs name the new name
    # an id already in use is refused
    at.text_input(key="others_add_id").input("p01")
    at.button(key="others_add").click().run()
    assert "重复" in issues_on_page(at) and "p01" not in {o.id for o in scenario(at).others}


def test_removing_an_other_that_relations_name_says_so_and_keeps_it(at: AppTest) -> None:
    visit(at, "relatives")
    before = scenario(at).sha256()
    assert frozenset(("p04", "p05")) in pairs(at)  # siblings through x01
    at.selectbox(key="others_remove_pick").set_value("x01")
    at.button(key="others_remove").click().run()
    assert not at.exception
    assert scenario(at).sha256() == before
    assert "x01 出现在 2 条亲属关系中" in issues_on_page(at)
    at.checkbox(key="others_remove_with_relations").check()
    at.button(key="others_remove").click().run()
    assert "x01" not in {o.id for o in scenario(at).others}
    assert not [r for r in scenario(at).relatives if "x01" in (r.a, r.b)]
    assert frozenset(("p04", "p05")) not in pairs(at)
    at.button(key="relatives_undo").click().run()  # undo brings x01 and its relations back
    assert scenario(at).sha256() == before


# ---------------------------------------------------------------- settings


def test_a_later_reference_date_bars_a_secretary_by_age_and_is_downloaded(
    at: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    visit(at, "candidates")
    frame = at.dataframe[-1].value
    assert frame[frame["编号"] == "p03"].iloc[0]["书记"] == "✓"  # 45 on 2020-12-10
    visit(at, "settings")
    widget(at.date_input, "settings_reference_date_").set_value(date(2021, 12, 10))
    widget(at.text_input, "settings_name_").input("诺恩吉雅社区（改）")
    widget(at.checkbox, "settings_multi_ethnic_").uncheck()
    widget(at.number_input, "settings_college_share_").set_value(0.5)
    at.button(key="settings_apply").click().run()
    assert not at.exception
    c = scenario(at)
    assert (c.reference_date, c.name, c.multi_ethnic) == (date(2021, 12, 10), "诺恩吉雅社区（改）", False)
    assert c.previous_term.college_share == 0.5
    assert "社区设置已更新" in texts(at.success)
    visit(at, "candidates")
    frame = at.dataframe[-1].value
    row = frame[frame["编号"] == "p03"].iloc[0]
    assert row["书记"] == "✗" and "S06" in row["原因"]  # 46 now: over the secretary's age limit
    saved: dict[str, bytes] = {}
    real = st.download_button

    def recording(label: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        saved[kwargs.get("key") or label] = data
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    visit(at, "scenario")
    downloaded = yaml.safe_load(saved["scenario_download"])
    assert downloaded["reference_date"] == "2021-12-10" and downloaded["multi_ethnic"] is False
    assert downloaded["previous_term"]["college_share"] == 0.5


def test_the_settings_page_changes_the_profile_and_keeps_the_own_rules(at: AppTest) -> None:
    visit(at, "settings")
    own = scenario(at).rules.model_dump()
    widget(at.selectbox, "settings_profile_").set_value("urban-2026")
    at.button(key="settings_apply").click().run()
    assert not at.exception
    assert scenario(at).profile == "urban-2026"
    assert scenario(at).rules.model_dump() == own  # the two profiles' numbers are the same


def test_an_invalid_setting_is_refused_with_its_issue(at: AppTest) -> None:
    visit(at, "settings")
    before = scenario(at).sha256()
    widget(at.date_input, "settings_reference_date_").set_value(date(1960, 1, 1))  # before the births
    at.button(key="settings_apply").click().run()
    assert not at.exception
    assert scenario(at).sha256() == before
    assert any("问题" in e for e in texts(at.error))
    assert "birth_date" in issues_on_page(at) or "reference_date" in issues_on_page(at)
    assert "修改未应用" in " ".join(texts(at.info))


def test_a_community_of_a_subdistrict_is_chosen_and_edited_alone(at: AppTest) -> None:
    at.selectbox(key="scenario_bundled").set_value("daqintala.yaml").run()
    visit(at, "settings")
    chosen = [c.id for c in scenario(at).communities][1]
    assert len(at.selectbox(key="settings_community").options) == len(scenario(at).communities)
    at.selectbox(key="settings_community").set_value(chosen).run()
    others = {c.id: c.name for c in scenario(at).communities}
    widget(at.text_input, f"settings_name_{chosen}_").input("新名称社区")
    at.button(key="settings_apply").click().run()
    assert not at.exception
    names = {c.id: c.name for c in scenario(at).communities}
    assert names[chosen] == "新名称社区"
    assert {k: v for k, v in names.items() if k != chosen} == {k: v for k, v in others.items() if k != chosen}


# ---------------------------------------------------------------- calendar days


def test_an_extra_day_off_moves_the_schedule_and_removing_it_moves_it_back(at: AppTest) -> None:
    visit(at, "schedule")
    assert stage_start(at, "pc_recommend") == "2020-12-10"  # a Thursday, the Party phase's first day
    visit(at, "settings")
    widget(at.date_input, "settings_day_nuoenjiya").set_value(date(2020, 12, 10))
    widget(at.selectbox, "settings_day_kind_").set_value("holidays")
    at.button(key="settings_day_add").click().run()
    assert not at.exception
    assert scenario(at).schedule.holidays == [date(2020, 12, 10)]
    shown = next(d.value for d in at.dataframe if "星期" in d.value.columns)
    assert list(shown.iloc[0]) == ["2020-12-10", "星期四", "放假日"]
    visit(at, "schedule")
    assert stage_start(at, "pc_recommend") == "2020-12-11"  # the working-day stage waits a day
    visit(at, "settings")
    widget(at.selectbox, "settings_remove_day_").set_value("2020-12-10")
    at.button(key="settings_day_remove").click().run()
    assert scenario(at).schedule.holidays == []
    visit(at, "schedule")
    assert stage_start(at, "pc_recommend") == "2020-12-10"


def test_a_make_up_working_day_replaces_a_day_off_and_a_repeat_is_refused(at: AppTest) -> None:
    visit(at, "settings")
    for kind in ("holidays", "workdays"):
        widget(at.date_input, "settings_day_nuoenjiya").set_value(date(2020, 12, 12))
        widget(at.selectbox, "settings_day_kind_").set_value(kind)
        at.button(key="settings_day_add").click().run()
    c = scenario(at)
    assert (c.schedule.holidays, c.schedule.workdays) == ([], [date(2020, 12, 12)])
    before = c.sha256()
    widget(at.date_input, "settings_day_nuoenjiya").set_value(date(2020, 12, 12))
    widget(at.selectbox, "settings_day_kind_").set_value("workdays")
    at.button(key="settings_day_add").click().run()
    assert scenario(at).sha256() == before
    assert "已登记为调休上班日" in issues_on_page(at)


def test_the_joint_review_departments_are_set_and_cleared(at: AppTest) -> None:
    visit(at, "settings")
    assert scenario(at).joint_review_departments is None
    widget(at.text_area, "settings_departments_").input("旗委组织部\n旗民政局、旗公安局")
    at.button(key="settings_apply").click().run()
    assert not at.exception
    assert scenario(at).joint_review_departments == ["旗委组织部", "旗民政局", "旗公安局"]
    widget(at.text_area, "settings_departments_").input("")
    at.button(key="settings_apply").click().run()
    assert scenario(at).joint_review_departments is None
    assert scenario(at).departments() == ["旗委组织部", "旗民政局"]  # the profile's again


def test_a_subdistricts_capacity_and_concentrated_election_day(at: AppTest) -> None:
    at.selectbox(key="scenario_bundled").set_value("daqintala.yaml").run()
    visit(at, "settings")
    assert "街道设置" in texts(at.subheader)
    widget(at.number_input, "settings_sd_capacity_").set_value(1)
    widget(at.checkbox, "settings_sd_concentrated_").check().run()
    widget(at.date_input, "settings_sd_day_").set_value(date(2021, 1, 23))
    at.button(key="settings_sd_apply").click().run()
    assert not at.exception
    sd = scenario(at)
    assert (sd.capacity, sd.concentrated_election_day) == (1, date(2021, 1, 23))
    visit(at, "scenario")
    assert {m.label: m.value for m in at.metric}["工作组容量（每天社区数）"] == "1"
    visit(at, "settings")
    widget(at.number_input, "settings_sd_capacity_").set_value(0)  # below the minimum: not applied
    at.button(key="settings_sd_apply").click().run()
    assert scenario(at).capacity == 1


def test_the_english_settings_page_adds_a_make_up_working_day(at: AppTest) -> None:
    at.session_state["app_lang"] = "en"
    visit(at, "settings")
    assert at.title[0].value == "Community settings"
    assert "Calendar: extra days off and make-up working days" in texts(at.subheader)
    widget(at.date_input, "settings_day_nuoenjiya").set_value(date(2020, 12, 12))
    widget(at.selectbox, "settings_day_kind_").set_value("workdays")
    at.button(key="settings_day_add").click().run()
    assert not at.exception
    assert scenario(at).schedule.workdays == [date(2020, 12, 12)]
    shown = next(d.value for d in at.dataframe if "Weekday" in d.value.columns)
    assert list(shown.iloc[0]) == ["2020-12-12", "Saturday", "Make-up working day"]
    assert "Edit applied" in texts(at.success)


def test_a_subdistricts_community_gets_its_own_other(at: AppTest) -> None:
    at.selectbox(key="scenario_bundled").set_value("daqintala.yaml").run()
    visit(at, "relatives")
    chosen = [c.id for c in scenario(at).communities][2]
    at.selectbox(key="relatives_community").set_value(chosen).run()
    before = {c.id: len(c.others) for c in scenario(at).communities}
    at.text_input(key="others_add_id").input("x77")
    at.text_input(key="others_add_name").input("某某")
    at.button(key="others_add").click().run()
    assert not at.exception
    after = {c.id: len(c.others) for c in scenario(at).communities}
    assert after == {**before, chosen: before[chosen] + 1}
    assert at.session_state["common_community"] == chosen  # the page stays on that community
