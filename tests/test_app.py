"""The Streamlit app through streamlit.testing (AppTest): pages, edits, solves, conflicts, language.

Each test starts a fresh session of app.py; solver pages get a long default timeout.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import clear_solver_caches, texts, visit
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["scenario", "candidates", "relatives", "slates", "schedule", "export"]


def scenario(app: AppTest) -> Any:
    return app.session_state["common_scenario"]


def upload(app: AppTest, name: str, content: bytes) -> AppTest:
    app.file_uploader(key="scenario_upload").set_value((name, content, "application/x-yaml")).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def issues_table(app: AppTest) -> Any:
    """The issues table on the page (file, record, field, problem, hint)."""
    frames = [d.value for d in app.dataframe if "字段" in d.value.columns]
    assert frames, "no issues table on the page"
    return frames[0]


def default_data() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "scenarios" / "nuoenjiya.yaml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- scenario and pages


def test_default_scenario_is_loaded(at: AppTest) -> None:
    assert at.title[0].value == "场景"
    assert scenario(at).id == "nuoenjiya"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["人选数"] == str(len(scenario(at).people))
    assert any(b.label.startswith("下载当前场景") for b in at.download_button)


def test_every_page_renders(at: AppTest) -> None:
    titles = {
        "scenario": "场景",
        "candidates": "候选人",
        "relatives": "亲属关系",
        "slates": "班子方案",
        "schedule": "日程",
        "export": "导出",
    }
    for page in PAGES:
        visit(at, page)
        assert at.title[0].value == titles[page]
        assert not at.error, texts(at.error)
        assert not at.warning, texts(at.warning)


def test_relatives_lists_close_pairs_with_proof(at: AppTest) -> None:
    visit(at, "relatives")
    frame = at.dataframe[0].value
    assert "依据" in frame.columns and len(frame) > 0
    assert frame["依据"].str.len().min() > 0


def test_subdistrict_has_communities_and_capacity(at: AppTest) -> None:
    at.selectbox(key="scenario_bundled").set_value("daqintala.yaml").run()
    assert not at.exception
    assert scenario(at).kind == "subdistrict"
    visit(at, "candidates")
    assert at.selectbox(key="candidates_community").options  # a community picker
    visit(at, "schedule")
    assert "每天使用的工作组容量" in texts(at.subheader)
    assert not at.error, texts(at.error)


# ---------------------------------------------------------------- candidates: edits


def editor_key(app: AppTest) -> str:
    keys = [d.key for d in app.data_editor if d.key and d.key.startswith("candidates_editor")]
    assert keys, "the candidates editor is not on the page"
    return keys[0]


def test_edit_a_candidate_is_validated_and_applied(at: AppTest) -> None:
    visit(at, "candidates")
    first = scenario(at).people[0]
    at.session_state[editor_key(at)] = {
        "edited_rows": {0: {"support": 99, "name": "新名字"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    person = scenario(at).people[0]
    assert (person.id, person.support, person.name) == (first.id, 99, "新名字")
    assert "修改已应用" in texts(at.success)
    # the scenario page now says it was edited and offers the edited YAML
    visit(at, "scenario")
    assert any("已在本会话中修改" in m for m in texts(at.markdown))


def test_an_invalid_edit_shows_issues_and_is_not_applied(at: AppTest) -> None:
    visit(at, "candidates")
    before = scenario(at).sha256()
    at.session_state[editor_key(at)] = {
        "edited_rows": {1: {"birth_date": "2030-01-01"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert scenario(at).sha256() == before
    assert any("问题" in e for e in texts(at.error))
    issues = issues_table(at)
    assert "birth_date" in set(issues["字段"])


def test_eligibility_gives_rule_ids_and_reasons(at: AppTest) -> None:
    visit(at, "candidates")
    frame = at.dataframe[-1].value
    assert {"书记", "原因"} <= set(frame.columns)
    reasons = " ".join(frame["原因"])
    assert "S15" in reasons or "S04" in reasons or "S05" in reasons


# ---------------------------------------------------------------- uploads


@pytest.mark.parametrize("bad", ["yaml_syntax.yaml", "malformed_date.yaml", "duplicate_id.yaml"])
def test_a_bad_upload_shows_issues_and_keeps_the_scenario(at: AppTest, bad: str) -> None:
    path = ROOT / "scenarios" / "bad" / bad
    if not path.exists():
        pytest.skip(f"{path} not bundled")
    upload(at, bad, path.read_bytes())
    assert any("问题" in e for e in texts(at.error))
    issues = issues_table(at)
    assert {"文件", "记录", "字段", "问题", "修改建议"} <= set(issues.columns)
    assert scenario(at).id == "nuoenjiya"


def test_the_picker_offers_the_examples_by_their_names(at: AppTest) -> None:
    picker = at.selectbox(key="scenario_bundled")
    assert picker.options == [
        "诺恩吉雅社区",
        "大沁他拉街道",
        "红旗社区 (hongqi-2025.yaml)",
        "红旗社区 (hongqi-by-election.yaml)",
        "新华街道",
    ]  # scenarios/bad/ and sub-folders are not offered; two files of one community show their file
    assert picker.value == "nuoenjiya.yaml"
    picker.set_value("daqintala.yaml").run()
    assert not at.exception
    assert "已加载 大沁他拉街道" in texts(at.success)


def test_the_picker_names_nothing_after_an_upload(at: AppTest) -> None:
    data = default_data()
    data["name"] = "上传社区"
    upload(at, "mine.yaml", yaml.safe_dump(data, allow_unicode=True).encode())
    assert at.selectbox(key="scenario_bundled").value is None
    visit(at, "candidates")
    visit(at, "scenario")
    assert at.selectbox(key="scenario_bundled").value is None
    at.selectbox(key="scenario_bundled").set_value("nuoenjiya.yaml").run()  # the example can be picked again
    assert scenario(at).name == "诺恩吉雅社区"


def test_a_good_upload_replaces_the_scenario(at: AppTest) -> None:
    data = default_data()
    data["name"] = "上传社区"
    upload(at, "mine.yaml", yaml.safe_dump(data, allow_unicode=True).encode())
    assert scenario(at).name == "上传社区"
    assert not (ROOT / "scenarios" / "mine.yaml").exists()
    data["name"] = "JSON社区"
    upload(at, "mine.json", json.dumps(data, ensure_ascii=False, default=str).encode())
    assert scenario(at).name == "JSON社区"
    assert at.session_state["common_source"] == "mine.json"


# ---------------------------------------------------------------- slates


def test_three_slates_side_by_side(at: AppTest) -> None:
    visit(at, "slates")
    headers = texts(at.subheader)
    assert {"方案 1", "方案 2", "方案 3"} <= set(headers)
    objectives = [int(m.value) for m in at.metric if m.label == "目标值"]
    assert len(objectives) == 3 and objectives == sorted(objectives, reverse=True)


def test_the_checks_keep_the_subject_to_review_note_in_each_language(at: AppTest) -> None:
    """The S05 detail is shown in the page's language whole, its 待审 note included (never split at " / ")."""
    visit(at, "slates")
    at.toggle(key="slates_allow_pending").set_value(True).run()
    assert not at.exception

    def s05_details() -> list[str]:
        return [
            str(v)
            for d in at.dataframe
            for col in d.value.columns
            if col in ("说明", "Detail")
            for rule, v in zip(d.value.iloc[:, 0], d.value[col], strict=False)
            if str(rule).startswith("S05")
        ]

    zh = s05_details()
    assert zh and all("待审" in d and "subject to review" not in d for d in zh), zh
    at.radio(key="app_lang").set_value("en").run()
    en = s05_details()
    assert en and all("subject to review" in d and "待审" not in d for d in en), en


def test_a_rule_toggle_changes_the_scenario_and_resolves(at: AppTest) -> None:
    visit(at, "slates")
    box = next(c for c in at.checkbox if c.label.startswith("S02"))
    box.uncheck()
    next(b for b in at.button if b.label == "应用规则").click().run()
    assert not at.exception
    assert not scenario(at).rules.on("S02")
    assert "规则已更新" in texts(at.success)
    assert "方案 1" in texts(at.subheader)


def test_an_invalid_rule_parameter_shows_issues(at: AppTest) -> None:
    visit(at, "slates")
    before = scenario(at).sha256()
    seats = next(n for n in at.number_input if n.key and n.key.startswith("slates_seats_party_committee"))
    seats.set_value(2)
    next(b for b in at.button if b.label == "应用规则").click().run()
    assert not at.exception
    assert scenario(at).sha256() == before
    assert "seats.party_committee" in " ".join(issues_table(at)["字段"])


def test_language_toggle_does_not_resolve(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    import planner.slate

    clear_solver_caches()
    calls: list[str] = []
    real = planner.slate.solve_slates

    def counting(c: Any, options: Any, progress: Any = None) -> Any:
        calls.append(c.id)
        return real(c, options, progress)

    monkeypatch.setattr(planner.slate, "solve_slates", counting)
    visit(at, "slates")
    solved = len(calls)
    assert solved >= 1
    at.radio(key="app_lang").set_value("en").run()
    assert not at.exception
    assert "Slate 1" in texts(at.subheader)
    assert len(calls) == solved  # same scenario and options: served from the cache


def test_infeasible_scenario_shows_conflict_and_a_fix_applies(at: AppTest) -> None:
    data = default_data()
    data.setdefault("rules", {})["min_women"] = 9
    upload(at, "too_many_women.yaml", yaml.safe_dump(data, allow_unicode=True).encode())
    visit(at, "slates")
    assert "按当前规则没有可行的班子方案。" in texts(at.error)
    page_text = " ".join(texts(at.markdown))
    assert "S09" in page_text
    apply_buttons = [b for b in at.button if b.label == "应用"]
    assert apply_buttons, "no suggested change to apply"
    apply_buttons[-1].click().run()
    assert not at.exception
    assert "方案 1" in texts(at.subheader)


def test_solver_options_survive_a_visit_to_another_page(at: AppTest) -> None:
    visit(at, "slates")
    at.number_input(key="slates_top").set_value(2).run()
    at.multiselect(key="slates_excludes_nuoenjiya").set_value(["p01"]).run()
    assert len([h for h in texts(at.subheader) if h.startswith("方案 ")]) == 2
    visit(at, "candidates")
    visit(at, "slates")
    assert at.number_input(key="slates_top").value == 2
    assert at.multiselect(key="slates_excludes_nuoenjiya").value == ["p01"]
    assert not at.warning, texts(at.warning)
    team = " ".join(c for c in texts(at.caption) if c.startswith("两委班子"))
    assert "p01" not in team


def test_why_not_a_person(at: AppTest) -> None:
    visit(at, "slates")
    team = " ".join(c for c in texts(at.caption) if c.startswith("两委班子"))
    outsider = next(p.id for p in scenario(at).people if p.id not in team)
    at.selectbox(key="slates_why_not_nuoenjiya").set_value(outsider).run()
    assert not at.exception
    answers = texts(at.info) + texts(at.warning) + texts(at.success)
    assert any(outsider in a for a in answers), answers


# ---------------------------------------------------------------- schedule and export


def test_schedule_pins_an_election_day(at: AppTest) -> None:
    visit(at, "schedule")
    assert any(c.startswith("求解状态") for c in texts(at.caption))
    at.checkbox(key="schedule_pin_on_pc_election").check().run()
    assert not at.exception
    picker = next(d for d in at.date_input if d.key.startswith("schedule_pin_pc_election_"))
    assert picker.value is not None
    earliest = picker.value  # the unpinned plan holds the election as early as it can
    picker.set_value(earliest - timedelta(days=1)).run()
    assert not at.exception
    assert "没有满足规则的日程。" in texts(at.error)  # a day too early: the conflict is shown
    assert "pin:pc_election" in " ".join(texts(at.markdown))
    picker = next(d for d in at.date_input if d.key.startswith("schedule_pin_pc_election_"))
    pinned = earliest + timedelta(days=1)
    picker.set_value(pinned).run()
    assert not at.exception
    frame = next(d.value for d in at.dataframe if "阶段" in d.value.columns)
    row = frame[frame["阶段"] == "pc_election"].iloc[0]
    assert row["开始"] == pinned.isoformat()
    visit(at, "relatives")
    visit(at, "schedule")  # the pin is kept while another page is shown
    frame = next(d.value for d in at.dataframe if "阶段" in d.value.columns)
    assert frame[frame["阶段"] == "pc_election"].iloc[0]["开始"] == pinned.isoformat()
    # 2021-01-01 is 元旦: the only warning is that the election falls on an official public holiday
    assert all("法定节假日" in w for w in texts(at.warning)), texts(at.warning)


def test_export_offers_every_format_without_sensitive_details(at: AppTest) -> None:
    visit(at, "export")
    assert at.checkbox(key="export_sensitive").value is False
    labels = [b.label for b in at.download_button]
    for label in ("下载 JSON", "下载 Excel", "下载 Word", "下载 iCalendar"):
        assert label in labels


# ---------------------------------------------------------------- language


def test_language_toggle_switches_every_label(at: AppTest) -> None:
    at.radio(key="app_lang").set_value("en").run()
    assert at.title[0].value == "Scenario"
    assert "People" in [m.label for m in at.metric]
    for page, title in (
        ("candidates", "Candidates"),
        ("relatives", "Relatives"),
        ("slates", "Slates"),
        ("schedule", "Schedule"),
        ("export", "Export"),
    ):
        visit(at, page)
        assert at.title[0].value == title
    visit(at, "slates")
    assert "Slate 1" in texts(at.subheader)
    assert not any("方案" in h for h in texts(at.subheader))


def test_no_icon_is_fetched_from_the_internet() -> None:
    """`:material/…:` icons (a favicon among them) are fetched from fonts.gstatic.com: none in the app."""
    for path in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        assert ":material/" not in path.read_text(encoding="utf-8"), path.name


def test_every_label_has_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from app_pages.i18n import LABELS

    for key, (zh, en) in LABELS.items():
        assert zh and en, key
