"""亲属关系 Relatives: the recusal graph (S07) and every close-relative pair with its proof.

Grey lines are the listed relations, red lines the close relatives the planner derives
from them (dashed when derived rather than listed). The layout has a fixed seed, so the
picture does not move between reruns.
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.common import person_label, pick_community, require_scenario
from app_pages.i18n import lang, pick, t
from planner.kinship import RELATION_NAMES, close_relative_pairs, kinship_graph
from planner.scenario import Community

LAYOUT_SEED = 7


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


def recusal_figure(c: Community, graph: nx.MultiDiGraph, pairs: list) -> go.Figure:
    """A plotly network: listed relations grey, close-relative pairs red (dashed when derived)."""
    listed = {frozenset((a, b)) for a, b in graph.edges() if a != b}
    shape = nx.Graph()
    shape.add_edges_from((a, b) for a, b in graph.edges() if a != b)
    shape.add_edges_from((p.a, p.b) for p in pairs)
    pos = component_layout(shape)

    def segments(edges: list[tuple[str, str]]) -> tuple[list, list]:
        xs, ys = [], []
        for a, b in edges:
            xs += [pos[a][0], pos[b][0], None]
            ys += [pos[a][1], pos[b][1], None]
        return xs, ys

    fig = go.Figure()
    listed_edges = [(a, b) for a, b in graph.edges() if a != b]
    xs, ys = segments(listed_edges)
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": "#b0b0b0", "width": 2},
            name=t("legend_listed"),
            hoverinfo="skip",
        )
    )
    direct = [(p.a, p.b) for p in pairs if frozenset((p.a, p.b)) in listed]
    derived = [(p.a, p.b) for p in pairs if frozenset((p.a, p.b)) not in listed]
    for edges, dash in ((direct, "solid"), (derived, "dash")):
        xs, ys = segments(edges)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": "#d62728", "width": 3.5, "dash": dash},
                name=t("legend_close"),
                hoverinfo="skip",
                showlegend=dash == "solid",
            )
        )
    # relation labels at the middle of listed edges
    mid_x, mid_y, mid_text = [], [], []
    for a, b, data in graph.edges(data=True):
        if a == b:
            continue
        mid_x.append((pos[a][0] + pos[b][0]) / 2)
        mid_y.append((pos[a][1] + pos[b][1]) / 2)
        mid_text.append(t(f"rel_{data['relation']}"))
    fig.add_trace(
        go.Scatter(
            x=mid_x,
            y=mid_y,
            mode="text",
            text=mid_text,
            textfont={"size": 11, "color": "#555"},
            hoverinfo="skip",
            showlegend=False,
        )
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
                        "color": ["#d62728" if n in in_pair else "#333" for n in nodes],
                    },
                },
                name=t("legend_candidate") if candidate else t("legend_other"),
                hovertext=[person_label(c, n) for n in nodes],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        height=560,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="white",
        xaxis={"visible": False},
        yaxis={"visible": False},
        legend={"orientation": "h", "y": -0.02},
    )
    return fig


st.title(t("relatives_title"))
st.caption(t("relatives_intro"))
require_scenario()
community = pick_community("relatives")
graph = kinship_graph(community)
pairs = close_relative_pairs(community)
if graph.number_of_edges() == 0:
    st.info(t("no_relatives"))
else:
    st.plotly_chart(
        recusal_figure(community, graph, pairs), key="relatives_graph", config={"displayModeBar": False}
    )

st.subheader(t("close_pairs"))
if not pairs:
    st.info(t("no_pairs"))
else:
    names = RELATION_NAMES
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("col_a"): person_label(community, p.a),
                    t("col_b"): person_label(community, p.b),
                    t("col_relation"): pick(*names[p.relation]) if p.relation in names else p.relation,
                    t("col_proof"): p.proof(lang()),
                }
                for p in pairs
            ]
        ),
        hide_index=True,
        width="stretch",
    )
