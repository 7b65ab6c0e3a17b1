"""亲属关系 Relatives: the recusal graph (S07) and every close-relative pair with its proof.

Each listed relation is drawn once and read one way: an arrow from the parent (grandparent) to the child
(grandchild), labelled 父母 (祖父母), so "甲 是 乙 的 父母" reads along the arrow; spouses and siblings are
plain lines. A relation listed twice (甲 parent of 乙, 乙 child of 甲) is one edge with one label. Red dashed
lines are the close relatives the planner derives; the legend names only the lines on the picture, and every
close-relative pair is listed beside it with its proof. The layout has a fixed seed, so the picture does not
move between reruns.

Below, the relations and the others are edited (planner.edits: add_relative, remove_relative, add_other,
rename_other, remove_other, through app_pages/editing.py): an edit is validated as a loaded file, applied
before the page is drawn (the graph and the pairs show it at once) or refused with its issues, the previous
scenario kept; "undo" restores the scenario before the last edit.
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.common import person_label, pick_community, require_scenario, show_notice
from app_pages.editing import apply_edit, show_edit_issues, undo_button
from app_pages.i18n import lang, pick, t
from planner.edits import (
    RELATION_LABELS,
    add_other,
    add_relative,
    relations_of,
    remove_other,
    remove_relative,
    rename_other,
)
from planner.kinship import RELATION_NAMES, RelativePair, close_relative_pairs, kinship_graph
from planner.scenario import Community

LAYOUT_SEED = 7
# A listed relation read from the elder: "b is the child of a" is drawn as "a is the parent of b".
REVERSED = {"child": "parent", "grandchild": "grandparent"}
DIRECTED = ("parent", "grandparent")
LISTED_COLOR = "#555555"
DERIVED_COLOR = "#d62728"
# Derived pairs are labelled with the relation they stand in (siblings, grandparent and grandchild).
DERIVED_LABEL = {
    "spouse": "rel_spouse",
    "parent_child": "rel_parent",
    "sibling": "rel_sibling",
    "grandparent_grandchild": "rel_grandparent",
}
DERIVED_DIRECTED = ("parent_child", "grandparent_grandchild")


def listed_relations(graph: nx.MultiDiGraph) -> dict[tuple[str, str], list[str]]:
    """Each listed relation once, read one way: (tail, head) -> its kinds (parent, grandparent, spouse, sibling).

    A parent or grandparent edge runs from the elder; a spouse or sibling edge is undirected (ids sorted).
    """
    out: dict[tuple[str, str], list[str]] = {}
    for a, b, data in graph.edges(data=True):
        if a == b:
            continue
        kind = data["relation"]
        if kind in REVERSED:
            a, b, kind = b, a, REVERSED[kind]
        elif kind not in DIRECTED:
            a, b = sorted((a, b))
        kinds = out.setdefault((a, b), [])
        if kind not in kinds:
            kinds.append(kind)
    return out


def derived_direction(pair: RelativePair) -> tuple[str, str]:
    """A derived pair as (tail, head): the grandparent first, as its proof reads; otherwise (a, b)."""
    if pair.relation in DERIVED_DIRECTED:
        proof = pair.proof("en")
        if proof.startswith(f"{pair.b} "):
            return pair.b, pair.a
    return pair.a, pair.b


def component_layout(shape: nx.Graph) -> dict[str, tuple[float, float]]:
    """Each family (connected component) laid out on its own (fixed seed) and placed in a grid cell."""
    parts = sorted((sorted(part) for part in nx.connected_components(shape)), key=lambda p: (-len(p), p))
    columns = max(1, math.ceil(math.sqrt(len(parts))))
    pos: dict[str, tuple[float, float]] = {}
    for i, part in enumerate(parts):
        sub = shape.subgraph(part)
        local = (
            nx.spring_layout(sub, seed=LAYOUT_SEED, iterations=200)
            if len(part) > 2
            else {n: (float(j) * 2 - 1, 0.0) for j, n in enumerate(part)}
        )
        xs = [x for x, _ in local.values()]
        ys = [y for _, y in local.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        row, col = divmod(i, columns)
        for n, (x, y) in local.items():
            pos[n] = (col * 1.6 + (x - cx) / span, -row * 1.6 + (y - cy) / span)
    return pos


def recusal_figure(c: Community, graph: nx.MultiDiGraph, pairs: list[RelativePair]) -> go.Figure:
    """A plotly network: listed relations as labelled (directed) edges, derived close relatives red dashed."""
    listed = listed_relations(graph)
    listed_pairs = {frozenset(edge) for edge in listed}
    derived = [p for p in pairs if frozenset((p.a, p.b)) not in listed_pairs]
    shape = nx.Graph()
    shape.add_nodes_from(n for edge in listed for n in edge)
    shape.add_edges_from(listed)
    shape.add_edges_from((p.a, p.b) for p in pairs)
    pos = component_layout(shape)

    fig = go.Figure()
    annotations: list[dict] = []

    def edges(
        items: list[tuple[str, str, list[str], bool]], color: str, dash: str, legend: str, width: float
    ) -> None:
        """One line trace (in the legend when it has lines), an arrow per directed edge, a label per edge."""
        if not items:
            return
        xs: list[float | None] = []
        ys: list[float | None] = []
        mid_x, mid_y, hover = [], [], []
        for tail, head, labels, directed in items:
            (x0, y0), (x1, y1) = pos[tail], pos[head]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
            if directed:
                annotations.append(
                    {
                        "x": x1,
                        "y": y1,
                        "ax": x0,
                        "ay": y0,
                        "xref": "x",
                        "yref": "y",
                        "axref": "x",
                        "ayref": "y",
                        "text": "",
                        "showarrow": True,
                        "arrowhead": 3,
                        "arrowsize": 1.6,
                        "arrowwidth": width,
                        "arrowcolor": color,
                        "standoff": 13,
                        "startstandoff": 13,
                    }
                )
            label = pick("、", " / ").join(labels)
            annotations.append(
                {
                    "x": (x0 + x1) / 2,
                    "y": (y0 + y1) / 2,
                    "xref": "x",
                    "yref": "y",
                    "text": label,
                    "showarrow": False,
                    "font": {"size": 12, "color": color},
                    "bgcolor": "rgba(255,255,255,0.9)",
                }
            )
            mid_x.append((x0 + x1) / 2)
            mid_y.append((y0 + y1) / 2)
            hover.append(
                t("rel_reads", a=person_label(c, tail), b=person_label(c, head), rel=label)
                if directed
                else t("rel_between", a=person_label(c, tail), b=person_label(c, head), rel=label)
            )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": color, "width": width, "dash": dash},
                name=legend,
                hoverinfo="skip",
            )
        )
        fig.add_trace(  # invisible points at the labels, for a hover that reads the relation as a sentence
            go.Scatter(
                x=mid_x,
                y=mid_y,
                mode="markers",
                marker={"size": 14, "opacity": 0},
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
            )
        )

    edges(
        [
            (a, b, [t(f"rel_{k}") for k in kinds], any(k in DIRECTED for k in kinds))
            for (a, b), kinds in listed.items()
        ],
        LISTED_COLOR,
        "solid",
        t("legend_listed"),
        2,
    )
    edges(
        [
            (*derived_direction(p), [t(DERIVED_LABEL[p.relation])], p.relation in DERIVED_DIRECTED)
            for p in derived
        ],
        DERIVED_COLOR,
        "dash",
        t("legend_derived"),
        2.5,
    )
    in_pair = {p.a for p in pairs} | {p.b for p in pairs}
    for candidate in (True, False):
        nodes = [n for n in shape.nodes if graph.nodes[n].get("candidate", False) == candidate]
        if not nodes:
            continue
        fig.add_trace(
            go.Scatter(
                x=[pos[n][0] for n in nodes],
                y=[pos[n][1] for n in nodes],
                mode="markers+text",
                text=[person_label(c, n) for n in nodes],
                textposition="top center",
                marker={
                    "size": 22 if candidate else 16,
                    "symbol": "circle" if candidate else "square",
                    "color": "#1f77b4" if candidate else "#9e9e9e",
                    "line": {
                        "width": [3 if n in in_pair else 1 for n in nodes],
                        "color": [DERIVED_COLOR if n in in_pair else "#333" for n in nodes],
                    },
                },
                name=t("legend_candidate") if candidate else t("legend_other"),
                hovertext=[person_label(c, n) for n in nodes],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        height=520,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="white",
        xaxis={"visible": False},
        yaxis={"visible": False},
        legend={"orientation": "h", "y": -0.02},
        annotations=annotations,
    )
    return fig


def pairs_frame(c: Community, pairs: list[RelativePair]) -> pd.DataFrame:
    """Every close-relative pair: who, the relation, the proof (listed or derived)."""
    return pd.DataFrame(
        [
            {
                t("col_a"): person_label(c, p.a),
                t("col_b"): person_label(c, p.b),
                t("col_relation"): pick(*RELATION_NAMES[p.relation])
                if p.relation in RELATION_NAMES
                else p.relation,
                t("col_proof"): p.proof(lang()),
            }
            for p in pairs
        ]
    )


def pairs_markdown(c: Community, graph: nx.MultiDiGraph, pairs: list[RelativePair]) -> str:
    """Every close-relative pair as a line beside the graph (derived ones marked), with its full proof."""
    listed = {frozenset(edge) for edge in listed_relations(graph)}
    lines = []
    for p in pairs:
        relation = pick(*RELATION_NAMES[p.relation]) if p.relation in RELATION_NAMES else p.relation
        how = t("pair_listed") if frozenset((p.a, p.b)) in listed else f":red[{t('pair_derived')}]"
        lines.append(
            f"- **{person_label(c, p.a)} — {person_label(c, p.b)}** · {relation}{pick('（', ' (')}{how}"
            f"{pick('）', ')')}  \n  {p.proof(lang())}"
        )
    return "\n".join(lines)


def relation_line(c: Community, index: int) -> str:
    """#3 p05 某某 是 x01 张福 的 子女 (the relation as listed)."""
    rel = c.relatives[index]
    return f"#{index + 1} " + t(
        "rel_reads",
        a=person_label(c, rel.a),
        b=person_label(c, rel.b),
        rel=pick(*RELATION_LABELS[rel.relation]),
    )


def others_frame(c: Community) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {t("col_id"): o.id, t("col_name"): o.name, t("others_relations"): len(relations_of(c, o.id))}
            for o in c.others
        ],
        columns=[t("col_id"), t("col_name"), t("others_relations")],
    )


def _add_relative(cid: str) -> None:
    a, b, relation = (st.session_state.get(f"relatives_add_{k}") for k in ("a", "b", f"relation_{lang()}"))
    if a and b and relation:
        apply_edit("relatives", lambda s, src: add_relative(s, cid, a, b, relation, source=src))


def _remove_relative(cid: str) -> None:
    index = st.session_state.get(f"relatives_remove_pick_{lang()}")
    if index is not None:
        apply_edit("relatives", lambda s, src: remove_relative(s, cid, int(index), source=src))


def _add_other(cid: str) -> None:
    oid = str(st.session_state.get("others_add_id") or "").strip()
    name = str(st.session_state.get("others_add_name") or "").strip()
    if apply_edit("others", lambda s, src: add_other(s, cid, oid, name, source=src)):
        st.session_state["others_add_id"] = ""
        st.session_state["others_add_name"] = ""


def _rename_other(cid: str) -> None:
    oid = st.session_state.get("others_rename_pick")
    name = str(st.session_state.get("others_rename_name") or "").strip()
    if oid and apply_edit("others", lambda s, src: rename_other(s, cid, oid, name, source=src)):
        st.session_state["others_rename_name"] = ""


def _remove_other(cid: str) -> None:
    oid = st.session_state.get("others_remove_pick")
    both = bool(st.session_state.get("others_remove_with_relations"))
    if oid:
        apply_edit("others", lambda s, src: remove_other(s, cid, oid, with_relations=both, source=src))


def relatives_editor(c: Community) -> None:
    """Add a relation (甲 是 乙 的 …) or remove a listed one."""
    st.subheader(t("edit_relatives"))
    st.caption(t("edit_relatives_intro"))
    ids = [p.id for p in c.people] + [o.id for o in c.others]
    cols = st.columns([3, 3, 2, 1], vertical_alignment="bottom")
    cols[0].selectbox(t("rel_person_a"), ids, key="relatives_add_a", format_func=lambda i: person_label(c, i))
    cols[1].selectbox(t("rel_person_b"), ids, key="relatives_add_b", format_func=lambda i: person_label(c, i))
    cols[2].selectbox(
        t("rel_kind"),
        list(RELATION_LABELS),
        key=f"relatives_add_relation_{lang()}",
        format_func={r: pick(*names) for r, names in RELATION_LABELS.items()}.get,
    )
    cols[3].button(t("rel_add"), key="relatives_add", on_click=_add_relative, args=(c.id,), type="primary")
    if c.relatives:
        cols = st.columns([8, 1], vertical_alignment="bottom")
        cols[0].selectbox(
            t("rel_listed"),
            list(range(len(c.relatives))),
            key=f"relatives_remove_pick_{lang()}",
            format_func={i: relation_line(c, i) for i in range(len(c.relatives))}.get,
        )
        cols[1].button(t("rel_remove"), key="relatives_remove", on_click=_remove_relative, args=(c.id,))
    show_edit_issues("relatives")


def others_editor(c: Community) -> None:
    """The others (not candidates, linking relatives): add, rename, remove."""
    st.subheader(t("others_title"))
    st.caption(t("others_intro"))
    if c.others:
        st.dataframe(others_frame(c), hide_index=True, width="content")
    add, rename, remove = st.columns(3)
    with add:
        st.markdown(f"**{t('others_add')}**")
        st.text_input(t("others_new_id"), key="others_add_id", help=t("others_new_id_help"))
        st.text_input(t("others_new_name"), key="others_add_name")
        st.button(t("others_add"), key="others_add", on_click=_add_other, args=(c.id,))
    ids = [o.id for o in c.others]
    if ids:
        label = {o.id: f"{o.id} {o.name}".strip() for o in c.others}
        with rename:
            st.markdown(f"**{t('others_rename')}**")
            st.selectbox(t("others_pick"), ids, key="others_rename_pick", format_func=label.get)
            st.text_input(t("others_new_name"), key="others_rename_name")
            st.button(t("others_rename"), key="others_rename", on_click=_rename_other, args=(c.id,))
        with remove:
            st.markdown(f"**{t('others_remove')}**")
            st.selectbox(t("others_pick"), ids, key="others_remove_pick", format_func=label.get)
            st.checkbox(t("others_with_relations"), key="others_remove_with_relations")
            st.button(t("others_remove"), key="others_remove", on_click=_remove_other, args=(c.id,))
    show_edit_issues("others")


st.title(t("relatives_title"))
st.caption(t("relatives_intro"))
require_scenario()
show_notice()
community = pick_community("relatives")
undo_button("relatives")
graph = kinship_graph(community)
pairs = close_relative_pairs(community)
graph_column, pairs_column = st.columns([3, 2])
with graph_column:
    if graph.number_of_edges() == 0:
        st.info(t("no_relatives"))
    else:
        st.plotly_chart(
            recusal_figure(community, graph, pairs), key="relatives_graph", config={"displayModeBar": False}
        )
with pairs_column:
    st.subheader(t("close_pairs"))
    if not pairs:
        st.info(t("no_pairs"))
    else:
        st.markdown(pairs_markdown(community, graph, pairs))
if pairs:
    with st.expander(t("pairs_table"), expanded=False):
        st.dataframe(
            pairs_frame(community, pairs),
            hide_index=True,
            width="stretch",
            column_config={t("col_proof"): st.column_config.TextColumn(width="large")},
        )

st.divider()
relatives_editor(community)
others_editor(community)
