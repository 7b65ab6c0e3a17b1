"""The Slates and Export pages as a planner's desk (issue 16, points 1, 2, 3, 6 and 13), through AppTest.

What you see is what you export: the Slates page's K, locks, excludes, "allow pending" and rule edits are
the Export page's files, recorded in their audit. "Why not" of an excluded person says they are excluded.
The files are built once per plan (the same bytes on every rerun, so download links stay valid). The
options are compact cards with who differs highlighted and the details on demand. The status caption
says "cached" only when the cache answered.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import docx
from helpers import clear_solver_caches, texts, visit
from streamlit.testing.v1 import AppTest

from planner.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
CID = "nuoenjiya"


def built_files(app: AppTest) -> dict[str, bytes]:
    """The files the Export page offers (the bytes behind its download buttons)."""
    built = app.session_state["export_built"]
    assert len(built) >= 1
    urls = {b.label: b.proto.url for b in app.download_button if b.key and b.key.startswith("export_")}
    assert len(urls) == 4, urls
    return list(built.values())[-1][1]


def docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", "\n", xml))


def whatif(app: AppTest) -> AppTest:
    """On Slates: K = 2, p09 locked (to the team), p01 (巴特尔, today's 书记) excluded."""
    visit(app, "slates")
    app.number_input(key="slates_top").set_value(2).run()
    app.multiselect(key=f"slates_locks_{CID}").set_value(["p09"]).run()
    app.multiselect(key=f"slates_excludes_{CID}").set_value(["p01"]).run()
    assert not app.exception
    return app


# ---------------------------------------------------------------- 1: export = what the pages show


def test_export_carries_the_slates_what_ifs_into_files_and_audit(at: AppTest) -> None:
    whatif(at)
    shown = " ".join(c for c in texts(at.caption) if c.startswith("两委班子"))
    assert "p09" in shown and "p01" not in shown
    visit(at, "export")
    files = built_files(at)
    plan = json.loads(files["plan.json"])
    options = plan["audit"]["options"]
    assert options["top"] == 2  # K carried (it used to reset to 3)
    assert options["locks"] == {CID: {"p09": "team"}}
    assert options["excludes"] == {CID: ["p01"]}
    assert len(plan["slates"]) == 2
    for slate in plan["slates"]:
        members = json.dumps(slate["posts"], ensure_ascii=False)
        assert "p01" not in members and "p09" in members
    secretaries = {s["posts"]["party_committee"]["secretary"] for s in plan["slates"]}
    assert "p01" not in secretaries
    document = docx.Document(io.BytesIO(files["plan.docx"]))
    compare = next(t for t in document.tables if t.rows[0].cells[0].text == "职务")
    secretaries_row = next([c.text for c in r.cells] for r in compare.rows if r.cells[0].text == "党组织书记")
    assert "巴特尔" not in secretaries_row  # the Word file no longer names the excluded p01 as 书记
    people = {p.id: p.name for p in load_scenario(ROOT / "scenarios" / "nuoenjiya.yaml").people}
    secretary = plan["slates"][0]["posts"]["party_committee"]["secretary"]
    assert secretaries_row[1] == people[secretary]  # who is 书记 instead, by name
    # the page says which what-if settings the files carry
    assert any("K = 2" in i and "刘强" in i and "巴特尔" in i for i in texts(at.info)), texts(at.info)


def test_export_carries_a_rule_edit_and_allow_pending(at: AppTest) -> None:
    visit(at, "slates")
    box = next(c for c in at.checkbox if c.label.startswith("S02"))
    box.uncheck()
    next(b for b in at.button if b.label == "应用规则").click().run()
    at.toggle(key="slates_allow_pending").set_value(True).run()
    assert not at.exception
    visit(at, "export")
    audit = json.loads(built_files(at)["plan.json"])["audit"]
    assert "S02" in audit["rules"][CID]["disabled"]
    assert audit["options"]["rules_edited"] is True
    assert audit["options"]["allow_pending"] is True


# ---------------------------------------------------------------- 2: why not an excluded person


def test_why_not_an_excluded_person_says_they_are_excluded(at: AppTest) -> None:
    visit(at, "slates")
    at.multiselect(key=f"slates_excludes_{CID}").set_value(["p01"]).run()
    at.selectbox(key=f"slates_why_not_{CID}").set_value("p01").run()
    assert not at.exception
    answers = texts(at.success) + texts(at.info) + texts(at.warning)
    assert not any("已在最佳方案中" in a for a in answers), answers
    said = [w for w in texts(at.warning) if "p01" in w]
    assert said and "已被排除" in said[0] and "目标值" in said[0], answers


def test_why_not_an_excluded_person_in_english(at: AppTest) -> None:
    visit(at, "slates")
    at.multiselect(key=f"slates_excludes_{CID}").set_value(["p01"]).run()
    at.radio(key="app_lang").set_value("en").run()
    at.selectbox(key=f"slates_why_not_{CID}").set_value("p01").run()
    said = [w for w in texts(at.warning) if "p01" in w]
    assert said and "excluded by your what-if" in said[0] and "scores" in said[0], texts(at.warning)


# ---------------------------------------------------------------- 3: the files are built once per plan


def test_reruns_of_the_export_page_serve_the_same_bytes(at: AppTest) -> None:
    visit(at, "export")
    first = {b.label: b.proto.url for b in at.download_button}
    files = dict(built_files(at))
    at.run()  # a rerun (as a click used to cause)
    assert {b.label: b.proto.url for b in at.download_button} == first
    assert built_files(at) == files
    visit(at, "candidates")
    visit(at, "export")
    assert {b.label: b.proto.url for b in at.download_button} == first
    assert built_files(at) == files
    stamp = json.loads(files["plan.json"])["audit"]["exported_at"]
    assert stamp in files["plan.xlsx"].decode("latin-1") or stamp.encode() in files["schedule.ics"]
    for button in at.download_button:
        assert button.proto.ignore_rerun  # a download click does not rerun the page


def test_a_changed_plan_builds_new_files(at: AppTest) -> None:
    visit(at, "export")
    before = {b.label: b.proto.url for b in at.download_button}
    whatif(at)
    visit(at, "export")
    after = {b.label: b.proto.url for b in at.download_button}
    assert after["下载 JSON"] != before["下载 JSON"]


# ---------------------------------------------------------------- 6: options as comparable cards


def test_options_are_cards_with_differences_highlighted_and_details_on_demand(at: AppTest) -> None:
    visit(at, "slates")
    cards = [m for m in texts(at.markdown) if m.startswith("**书记**")]
    assert len(cards) == 3 and all("**主任**" in m for m in cards), cards
    teams = [c for c in texts(at.caption) if c.startswith("两委班子")]
    assert len(teams) == 3
    assert all(":orange-background[" in c for c in teams)  # each option differs from another somewhere
    assert any("标色" in c for c in texts(at.caption))
    assert [e.label for e in at.expander if e.label.startswith("方案详情")], "no details expander"
    assert [tab.label for tab in at.tabs][:3] == ["方案 1", "方案 2", "方案 3"]
    checks = [d.value for d in at.dataframe if "说明" in d.value.columns]
    assert len(checks) == 3  # the rule checklist of each option, in the details


# ---------------------------------------------------------------- 13: "cached" only from the cache


def test_the_status_caption_says_cached_only_when_the_cache_answered(at: AppTest) -> None:
    clear_solver_caches()

    def status() -> str:
        return next(c for c in texts(at.caption) if c.startswith("求解状态"))

    visit(at, "slates")
    assert "缓存" not in status(), status()
    assert "求解用时" in status()
    at.run()  # the same inputs again
    assert "使用缓存结果" in status(), status()
    at.number_input(key="slates_top").set_value(2).run()  # new inputs: solved again
    assert "缓存" not in status(), status()


def test_the_schedule_caption_says_cached_only_when_the_cache_answered(at: AppTest) -> None:
    clear_solver_caches()

    def status() -> str:
        return next(c for c in texts(at.caption) if c.startswith("求解状态"))

    visit(at, "schedule")
    assert "缓存" not in status() and "求解用时" in status(), status()
    at.run()
    assert "使用缓存结果" in status(), status()


def test_why_not_shows_not_standing_apart_from_qualification_problems(at: AppTest) -> None:
    # p08 stands only for the supervisory committee: S15 is the person's choice, not a qualification problem
    visit(at, "slates")
    at.selectbox(key=f"slates_why_not_{CID}").set_value("p08").run()
    assert not at.exception
    shown = texts(at.markdown)
    assert any("本人未参选（S15" in m and "居民委员会" in m for m in shown), shown
    assert not any(m.startswith("- **S15") for m in shown), shown
