"""Issue 16 points 8, 9 and 11 through AppTest: one language at a time, the relatives graph, the candidates page.

8: in English mode no Chinese stage names, ethnicities or values on the Candidates, Relatives and Scenario
pages (names of people and places stay); the uploader's English-only help is hidden and the 10 MB limit is
stated in the page's language. 9: the relatives graph reads one way (an arrow from parent to child, one label
per relation), its legend names only lines it draws, the close-relative pairs are listed beside it. 11: the
candidates' columns come in groups, empty cells are blank (no "None"), the full reasons are on demand, and
not standing for a body (S15) is not a qualification problem.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import visit
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
CJK = re.compile(r"[\u3400-\u9fff\uff08\uff09\u3001\uff1b\uff1a]")


def english(app: AppTest) -> AppTest:
    app.radio(key="app_lang").set_value("en").run()
    assert not app.exception
    return app


def scenario(app: AppTest) -> Any:
    return app.session_state["common_scenario"]


def names_of(app: AppTest) -> list[str]:
    """Names of people, others and places: they stay as they are in either language."""
    s = scenario(app)
    out = [s.name or ""]
    for c in getattr(s, "communities", None) or [s]:
        out += [c.name or "", *(p.name for p in c.people), *(o.name for o in c.others)]
    from app_pages.common import bundled_files, bundled_labels

    out += list(bundled_labels(bundled_files()).values())
    return sorted((n for n in out if n), key=len, reverse=True)


def chinese_left(text: str, names: list[str]) -> list[str]:
    for name in names:
        text = text.replace(name, "")
    return CJK.findall(text)


def page_text(app: AppTest) -> str:
    """Every text the page shows: headings, captions, labels, options, metrics, tables, tabs, expanders."""
    parts: list[str] = []
    for kind in (
        "title",
        "subheader",
        "caption",
        "markdown",
        "info",
        "success",
        "error",
        "warning",
        "metric",
        "toggle",
        "selectbox",
        "expander",
        "tab",
        "file_uploader",
        "download_button",
    ):
        for e in app.get(kind):
            for attr in ("value", "label", "help"):
                value = getattr(e, attr, None)
                if isinstance(value, str):
                    parts.append(value)
            if kind == "selectbox":
                parts += [str(o) for o in e.options]
    for frame in app.dataframe:
        if (frame.key or "").startswith("candidates_editor"):
            continue  # raw values; what the editor shows is checked through its options' labels
        parts.append(" ".join(map(str, frame.value.columns)))
        parts.append(frame.value.to_string())
    return "\n".join(parts)


def editors(app: AppTest) -> list[Any]:
    return [d for d in app.data_editor if d.key and d.key.startswith("candidates_editor")]


def option_labels(editor: Any, column: str) -> dict[str, str]:
    """value -> shown label of a selectbox or multiselect column of a data editor."""
    config = json.loads(editor.proto.columns).get(column, {})
    options = config.get("type_config", {}).get("options", [])
    return {str(o["value"]): str(o.get("label", o["value"])) for o in options if isinstance(o, dict)}


# ---------------------------------------------------------------- point 8: one language at a time


def test_the_56_ethnic_groups_have_english_names() -> None:
    from app_pages.i18n import ETHNICITY_EN
    from planner.scenario import ETHNICITIES

    assert list(ETHNICITY_EN) == list(ETHNICITIES)
    assert ETHNICITY_EN["蒙古族"] == "Mongol" and ETHNICITY_EN["德昂族"] == "De'ang"
    assert len(set(ETHNICITY_EN.values())) == 56
    assert not any(CJK.search(v) for v in ETHNICITY_EN.values())


def test_every_template_stage_has_an_english_name(monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    from app_pages.i18n import LANG_KEY, STAGE_NAMES_EN, stage_name

    seed = yaml.safe_load((ROOT / "planner" / "timeline" / "templates" / "seed-2020.yaml").read_text("utf-8"))
    stages = {s["id"]: s["name"] for s in seed["stages"]}
    assert set(stages) <= set(STAGE_NAMES_EN)
    monkeypatch.setattr(st, "session_state", {LANG_KEY: "en"})
    for sid, name in stages.items():
        assert stage_name(sid, name) == STAGE_NAMES_EN[sid]
        assert not CJK.search(stage_name(sid, name)), sid
    monkeypatch.setattr(st, "session_state", {LANG_KEY: "zh"})
    assert stage_name("pc_election", stages["pc_election"]) == "党员大会选举"


def test_english_candidates_show_mongol_not_the_chinese_name(at: AppTest) -> None:
    visit(english(at), "candidates")
    labels = option_labels(editors(at)[0], "ethnicity")
    assert labels.get("蒙古族") == "Mongol" and labels.get("汉族") == "Han"
    # every value column of every editor is shown in English (education, review, posts, bodies, tags, ...)
    for editor in editors(at):
        for column in json.loads(editor.proto.columns):
            for value, label in option_labels(editor, column).items():
                assert not CJK.search(label), (column, value, label)


@pytest.mark.parametrize("page", ["scenario", "candidates", "relatives"])
def test_english_pages_show_no_chinese_but_names(at: AppTest, page: str) -> None:
    visit(english(at), page)
    names = names_of(at)
    left = chinese_left(page_text(at), names)
    assert not left, (page, "".join(left)[:80])
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        texts = [a.get("text", "") for a in spec["layout"].get("annotations", [])]
        texts += [str(tr.get("name") or "") for tr in spec["data"]]
        assert not chinese_left(" ".join(texts), names), texts


def test_the_uploader_states_its_limit_in_the_page_language(at: AppTest) -> None:
    css = " ".join(h.proto.body for h in at.get("html"))
    assert (
        "stFileUploaderDropzoneInstructions" in css and "display: none" in css
    )  # "200MB per file" (English only) hidden
    assert '"选择文件"' in css  # the "Upload" button relabelled
    captions = [c.value for c in at.caption]
    assert any("10 MB" in c and "每个文件" in c for c in captions), captions
    english(at)
    assert '"Choose files"' in " ".join(h.proto.body for h in at.get("html"))
    assert any("10 MB per file" in c.value for c in at.caption)


# ---------------------------------------------------------------- point 9: the relatives graph


def graph_spec(app: AppTest) -> dict[str, Any]:
    charts = app.get("plotly_chart")
    assert charts, "no relatives graph"
    return json.loads(charts[0].proto.spec)


def node_at(spec: dict[str, Any]) -> dict[tuple[float, float], str]:
    out = {}
    for trace in spec["data"]:
        if "markers+text" in str(trace.get("mode")):
            for x, y, label in zip(trace["x"], trace["y"], trace["text"], strict=True):
                out[(round(x, 6), round(y, 6))] = label.split()[0]
    return out


def test_relatives_edges_are_directed_with_one_label_per_relation(at: AppTest) -> None:
    visit(at, "relatives")
    spec = graph_spec(at)
    nodes = node_at(spec)
    annotations = spec["layout"]["annotations"]
    arrows = {
        (nodes[(round(a["ax"], 6), round(a["ay"], 6))], nodes[(round(a["x"], 6), round(a["y"], 6))])
        for a in annotations
        if a.get("showarrow")
    }
    # nuoenjiya lists x01 parent of p04, p05 child of x01, p08 parent of p09, p10 child of p09, p11 spouse p12:
    # every parent edge runs from the parent; p08 -> p10 is the derived grandparent; spouses have no arrow
    assert arrows == {("x01", "p04"), ("x01", "p05"), ("p08", "p09"), ("p09", "p10"), ("p08", "p10")}
    labels = [a["text"] for a in annotations if not a.get("showarrow")]
    assert "子女" not in labels  # "p05 是 x01 的子女" reads as "x01 是 p05 的父母", never both
    assert sorted(labels) == sorted(["父母", "父母", "父母", "父母", "配偶", "兄弟姐妹", "祖父母"])
    hovers = " ".join(str(h) for tr in spec["data"] for h in (tr.get("hovertext") or []))
    assert "x01 张福（已故） 是 p05 张海涛 的父母" in hovers  # the hover reads the arrow as a sentence


def test_a_relation_listed_both_ways_is_one_edge() -> None:
    import networkx as nx

    from app_pages.relatives import listed_relations

    g = nx.MultiDiGraph()
    g.add_edge("a", "b", key=0, relation="parent")
    g.add_edge("b", "a", key=1, relation="child")
    g.add_edge("c", "b", key=2, relation="grandchild")
    g.add_edge("d", "a", key=3, relation="spouse")
    g.add_edge("a", "d", key=4, relation="spouse")
    assert listed_relations(g) == {
        ("a", "b"): ["parent"],
        ("b", "c"): ["grandparent"],
        ("a", "d"): ["spouse"],
    }


def legend(spec: dict[str, Any]) -> list[str]:
    """The legend's entries: traces shown in it, each with a line or marker actually drawn."""
    out = []
    for trace in spec["data"]:
        if trace.get("showlegend") is False:
            continue
        drawn = [x for x in trace.get("x", []) if x is not None]
        assert drawn, f"the legend promises {trace.get('name')!r}, which is not drawn"
        out.append(trace["name"])
    return out


def test_the_legend_names_only_the_lines_drawn(at: AppTest) -> None:
    visit(at, "relatives")
    assert legend(graph_spec(at)) == [
        "登记关系（箭头：父母 → 子女）",
        "推出的近亲属（未登记）",
        "人选",
        "其他人（非人选）",
    ]
    # a community with one listed spouse pair: nothing derived, no other person, no such entries
    from planner.edits import scenario_data
    from planner.scenario import parse_scenario

    data = scenario_data(scenario(at))
    data["relatives"] = [{"a": "p11", "b": "p12", "relation": "spouse"}]
    data["others"] = []
    at.session_state["common_scenario"] = parse_scenario(data, source="<test>")
    visit(at, "relatives")
    assert legend(graph_spec(at)) == ["登记关系（箭头：父母 → 子女）", "人选"]


def test_the_close_pairs_are_listed_beside_the_graph(at: AppTest) -> None:
    visit(at, "relatives")
    graph_column, pairs_column = at.columns[0], at.columns[1]
    assert graph_column.get("plotly_chart")
    beside = " ".join(m.value for m in pairs_column.markdown)
    # the derived pairs with their full proofs, next to the picture
    assert "p04 张海燕 — p05 张海涛** · 兄弟姐妹（:red[推出]）" in beside
    assert "p04 与 p05 为兄弟姐妹：均为 x01 之子女" in beside
    assert "p08 为 p10 之祖父母：p08 为 p09 之父母，p09 为 p10 之父母" in beside
    assert "p11 赵丽 — p12 孙伟** · 配偶（登记）" in beside
    frame = at.dataframe[0].value  # and as a table to sort or download
    assert {"甲", "乙", "关系", "依据"} <= set(frame.columns)
    pairs = set(zip(frame["甲"].str.split().str[0], frame["乙"].str.split().str[0], strict=True))
    assert {("p04", "p05"), ("p08", "p10"), ("p11", "p12")} <= pairs


# ---------------------------------------------------------------- point 11: the candidates page


def test_candidate_columns_come_in_groups_that_fit_the_page(at: AppTest) -> None:
    visit(at, "candidates")
    assert [t.label for t in at.tabs][:3] == ["基本信息", "任职条件", "联审与标签"]
    shown: list[str] = []
    for editor in editors(at):
        order = list(editor.proto.column_order)
        assert order[:2] == ["id", "name"]
        assert len(order) <= 7, order  # about 7 columns fit 1400 px
        shown += order[2:]
    from app_pages.candidates import COLUMNS

    assert sorted(shown) == sorted(COLUMNS[2:])


def test_no_none_in_empty_cells(at: AppTest) -> None:
    visit(at, "candidates")
    for frame in [*editors(at), at.dataframe[-1]]:
        assert frame.proto.HasField("placeholder") and frame.proto.placeholder == ""
    table = at.dataframe[-1].value
    assert not table.isna().any().any()
    assert "None" not in table.to_string()


def test_an_edit_in_any_group_is_applied(at: AppTest) -> None:
    visit(at, "candidates")
    review = next(e.key for e in editors(at) if "_review_" in e.key)
    at.session_state[review] = {"edited_rows": {0: {"support": 77}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert scenario(at).people[0].support == 77


def test_the_full_reasons_are_on_demand(at: AppTest) -> None:
    from planner.rules import DISQUALIFICATIONS

    visit(at, "candidates")
    expander = next(e for e in at.expander if e.label == "全部原因")
    text = " ".join(m.value for m in expander.markdown)
    p16 = scenario(at).person["p16"]
    for code in p16.disqualifications:
        assert DISQUALIFICATIONS[code][0] in text  # the whole text, not cut to a column's width
    assert "S04 D01" in " ".join(at.dataframe[-1].value["原因"])


def test_not_standing_is_not_a_qualification_problem(at: AppTest) -> None:
    visit(at, "candidates")
    p01 = scenario(at).person["p01"]
    assert p01.stands_for is not None and "supervisory_committee" not in p01.stands_for
    table = at.dataframe[-1].value
    row = table[table["编号"] == "p01"].iloc[0]
    assert row["监委会"] == "—"  # not ✗: p01 does not stand for it
    assert row["不参选"] == "监委会"
    assert not any("S15" in r for r in table["原因"])
    expander = next(e for e in at.expander if e.label == "全部原因")
    text = " ".join(m.value for m in expander.markdown)
    assert "**S15**" not in text and "本人未参选（S15，不是资格问题）：居务监督委员会" in text


def test_english_schedule_shows_english_stage_names(at: AppTest) -> None:
    english(at)
    visit(at, "schedule")
    assert not at.exception
    frame = next(d.value for d in at.dataframe if "Stage" in d.value.columns)
    names = list(frame["Name"])
    assert "Party members' meeting election" in names or any("election" in n.lower() for n in names), names
    assert not [n for n in names if re.search(r"[\u4e00-\u9fff]", str(n))], names
