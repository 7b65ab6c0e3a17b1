"""Slates page: adopt an option (采用) and re-plan with the least change; the 另行选举 second-round panel.

Thin: planner.slate.replan and planner.slate.second_round do the work (cached on the community's JSON and
the inputs); this module keeps the adopted plan, the events and round one's result in the session
(`replan_*` keys) and renders the answers. The Export page exports the same (`export_result`).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

import planner.slate
from app_pages.common import (
    _ran,
    _scenario_from_json,
    body_name,
    mark,
    person_label,
    post_name,
    rule_name,
    show_issues,
    solved_caption,
    timed,
)
from app_pages.i18n import lang, pick, t
from planner.check.second_round import elected_from_data
from planner.plan import Slate, SlateResult
from planner.scenario import BODIES, TEAM_BODIES, Community, ScenarioError, communities
from planner.slate.replan import EVENTS, Event, validate_base

BASE_KEY = "replan_base"  # community id -> {"slate": slate JSON, "label": text}
SECOND_KEY = "replan_second"  # community id -> round one's result (the ELECTED file's data)


def _events_key(c: Community, kind: str) -> str:
    return f"replan_ev_{kind}_{c.id}"


@st.cache_data(show_spinner=False, max_entries=32)
def replan_cached(
    community_json: str,
    base_json: str,
    events: tuple[tuple[str, str], ...],
    locks: tuple[tuple[str, str | None], ...],
    excludes: tuple[str, ...],
    allow_pending: bool,
    source: str,
) -> SlateResult:
    """`planner.slate.replan.replan(...)`, cached on the community's JSON, the base and the what-ifs."""
    _ran()
    from planner.slate.replan import replan

    c = _scenario_from_json(community_json)
    assert isinstance(c, Community)
    options = planner.slate.SlateOptions(
        locks=dict(locks), excludes=list(excludes), allow_pending=allow_pending
    )
    base = Slate.from_json(json.loads(base_json))
    return replan(c, base, options, [Event(p, k) for p, k in events], source=source)


@st.cache_data(show_spinner=False, max_entries=32)
def second_round_cached(
    community_json: str, elected_json: str, excludes: tuple[str, ...], allow_pending: bool
) -> SlateResult:
    """`planner.slate.second_round.second_round(...)`, cached on the community's JSON and round one's result."""
    _ran()
    from planner.slate.second_round import second_round

    c = _scenario_from_json(community_json)
    assert isinstance(c, Community)
    elected = elected_from_data(json.loads(elected_json), pick("界面", "app"), c)
    options = planner.slate.SlateOptions(excludes=list(excludes), allow_pending=allow_pending)
    return second_round(c, elected, options)


# ---------------------------------------------------------------- the adopted plan


def adopt(c: Community, slate: Slate, label: str) -> None:
    """Button callback: this option becomes the base; the events start empty."""
    st.session_state.setdefault(BASE_KEY, {})[c.id] = {"slate": slate.to_json(), "label": label}
    for kind in EVENTS:
        st.session_state.pop(_events_key(c, kind), None)


def clear_base(c: Community) -> None:
    (st.session_state.get(BASE_KEY) or {}).pop(c.id, None)
    for kind in EVENTS:
        st.session_state.pop(_events_key(c, kind), None)


def adopted(c: Community) -> tuple[Slate, str] | None:
    """The adopted base of `c` and its label, or None; a base the community no longer fits is dropped."""
    entry = (st.session_state.get(BASE_KEY) or {}).get(c.id)
    if not entry:
        return None
    try:
        return validate_base(
            c, entry["slate"], pick("采用的方案", "the adopted option"), entry["label"]
        ), entry["label"]
    except ScenarioError as exc:
        clear_base(c)
        show_issues(list(exc.issues))
        st.warning(t("replan_base_dropped"))
        return None


def adopt_button(c: Community, slate: Slate) -> None:
    """The "adopt 采用" button of an option card."""
    label = t("slate_n", rank=slate.rank)
    st.button(
        t("replan_adopt"),
        key=f"replan_adopt_{c.id}_{slate.rank}",
        on_click=adopt,
        args=(c, slate, label),
        help=t("replan_adopt_help"),
    )


def events_of(c: Community) -> list[Event]:
    """The events chosen in the re-plan section (a person in two lists counts once, the first kind)."""
    seen: set[str] = set()
    out = []
    for kind in EVENTS:
        for pid in st.session_state.get(_events_key(c, kind)) or []:
            if pid in c.person and pid not in seen:
                seen.add(pid)
                out.append(Event(pid, kind))
    return out


def base_section(c: Community, base: Slate, label: str) -> list[Event]:
    """The adopted plan, a button clearing it, and what happened since (the events); returns the events."""
    st.info(t("replan_adopted", label=label))
    st.button(t("replan_clear"), key=f"replan_clear_{c.id}", on_click=clear_base, args=(c,))
    order = {pid: i for i, pid in enumerate(sorted(base.team() | set(base.members("supervisory_committee"))))}
    ids = sorted((p.id for p in c.people), key=lambda pid: (pid not in order, order.get(pid, 0), pid))
    cols = st.columns(len(EVENTS))
    for col, (kind, text) in zip(cols, EVENTS.items(), strict=True):
        col.multiselect(
            pick(text.zh, text.en),
            ids,
            format_func=lambda pid: person_label(c, pid),
            key=_events_key(c, kind),
            placeholder=t("choose"),
        )
    return events_of(c)


def replanned(
    c: Community,
    base: Slate,
    label: str,
    events: list[Event],
    locks: dict[str, str | None],
    excludes: list[str],
    allow_pending: bool,
) -> tuple[SlateResult, float]:
    with st.spinner(t("solving")):
        return timed(
            lambda: replan_cached(
                c.canonical_json(),
                json.dumps(base.to_json(), sort_keys=True),
                tuple((e.person, e.kind) for e in events),
                tuple(sorted(locks.items())),
                tuple(sorted(excludes)),
                allow_pending,
                label,
            )
        )


def show_changes(result: SlateResult) -> None:
    """调整说明: the counts and every change with its reason, in the page's language."""
    base = result.base or {}
    st.subheader(t("replan_changes"))
    for applied in base.get("applied", []):
        st.markdown(f"- {applied[lang()]}")
    if "people_moved" in base:
        st.markdown(
            t(
                "replan_counts",
                moved=base["people_moved"],
                posts=base["posts_changed"],
                lists=base["list_changes"],
            )
        )
    if result.changes:
        st.dataframe(
            pd.DataFrame(
                [{t("replan_col_kind"): t(f"replan_kind_{ch['kind']}"), t("replan_col_change"): ch[lang()]}
                 for ch in result.changes]
            ),
            hide_index=True,
            width="stretch",
            column_config={t("replan_col_change"): st.column_config.TextColumn(width="large")},
        )  # fmt: skip
    elif "people_moved" in base:
        st.success(t("replan_no_change"))


# ---------------------------------------------------------------- 另行选举


def second_round_panel(c: Community, excludes: list[str], allow_pending: bool) -> None:
    """Round one's result (who was elected to each body, optionally who was not) -> the second round's lists."""
    with st.expander(t("replan_second_title"), expanded=c.id in (st.session_state.get(SECOND_KEY) or {})):
        st.caption(t("replan_second_intro"))
        ids = [p.id for p in c.people]
        cols = st.columns(len(BODIES))
        chosen = {
            body: cols[i].multiselect(
                t("replan_second_elected", body=body_name(body)),
                ids,
                format_func=lambda pid: person_label(c, pid),
                key=f"replan_second_{body}_{c.id}",
                placeholder=t("choose"),
            )
            for i, body in enumerate(BODIES)
        }
        limit = st.toggle(t("replan_second_limit"), key=f"replan_second_limit_{c.id}")
        not_elected = (
            st.multiselect(
                t("replan_second_not_elected"),
                ids,
                format_func=lambda pid: person_label(c, pid),
                key=f"replan_second_not_{c.id}",
                placeholder=t("choose"),
            )
            if limit
            else None
        )
        left, right = st.columns(2)
        if left.button(t("replan_second_run"), key=f"replan_second_run_{c.id}", type="primary"):
            data: dict[str, Any] = {"community": c.id, "elected": {b: v for b, v in chosen.items() if v}}
            if not_elected is not None:
                data["not_elected"] = not_elected
            try:
                elected_from_data(data, pick("界面", "app"), c)
            except ScenarioError as exc:
                show_issues(list(exc.issues))
                return
            st.session_state.setdefault(SECOND_KEY, {})[c.id] = data
        if right.button(t("replan_second_clear"), key=f"replan_second_clear_{c.id}"):
            (st.session_state.get(SECOND_KEY) or {}).pop(c.id, None)
        data = (st.session_state.get(SECOND_KEY) or {}).get(c.id)
        if not data:
            return
        try:
            elected_from_data(data, pick("界面", "app"), c)
        except ScenarioError as exc:  # the community changed since: round one no longer fits it
            show_issues(list(exc.issues))
            return
        with st.spinner(t("solving")):
            result, seconds = timed(
                lambda: second_round_cached(
                    c.canonical_json(),
                    json.dumps(data, sort_keys=True),
                    tuple(sorted(excludes)),
                    allow_pending,
                )
            )
        st.caption(f"{t('status')}: **{t('status_' + result.status)}** · " + solved_caption(seconds))
        show_second_round(c, result)


def show_second_round(c: Community, result: SlateResult) -> None:
    second = result.second_round or {}
    rows = [
        {
            t("col_body"): body_name(body),
            t("replan_second_col_elected"): pick("、", ", ").join(
                person_label(c, p) for p in second.get("elected", {}).get(body, [])
            ),
            t("replan_second_col_left"): second.get("seats_left", {}).get(body, 0),
            t("replan_second_col_list"): pick("、", ", ").join(
                person_label(c, p) for p in second.get("lists", {}).get(body, [])
            ),
        }
        for body in TEAM_BODIES
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if not result.slates:
        st.error(t("replan_second_none"))
        explanation = result.explanation or {}
        conflict = explanation.get("conflict") or []
        if conflict:
            st.markdown(f"**{t('conflict')}**: " + pick("、", ", ").join(rule_name(r) for r in conflict))
        text = explanation.get(f"message_{lang()}") or explanation.get("message")
        if text:
            st.info(str(text).replace("\n", "  \n"))
        return
    slate = result.slates[0]
    st.markdown(t("replan_second_best", objective=slate.objective))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("col_body"): body_name(body),
                    t("col_post"): post_name(post),
                    t("col_person"): person_label(c, pid),
                }
                for body in BODIES
                for post, pid in slate.holders(body)
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    checks = [ch for ch in slate.checks if not ch.disabled]
    st.caption(" · ".join(f"{mark(ch.ok)} {rule_name(ch.rule)}" for ch in checks))


# ---------------------------------------------------------------- what the Export page exports


def export_inputs(scenario: Any) -> dict[str, Any]:
    """The adopted bases, events and rounds one of the session (added to the export options when any)."""
    out: dict[str, Any] = {}
    for c in communities(scenario):
        entry = (st.session_state.get(BASE_KEY) or {}).get(c.id)
        if entry:
            out.setdefault("base", {})[c.id] = {
                "slate": entry["slate"],
                "label": entry["label"],
                "events": [[e.person, e.kind] for e in events_of(c)],
            }
        second = (st.session_state.get(SECOND_KEY) or {}).get(c.id)
        if second and not entry:
            out.setdefault("second_round", {})[c.id] = second
    return out


def export_result(c: Community, options: dict[str, Any]) -> SlateResult | None:
    """The Slates page's re-plan or second round of `c`, when the export options carry one."""
    locks = {p: (None if w == "team" else w) for p, w in options["locks"].get(c.id, {}).items()}
    excludes = options["excludes"].get(c.id, [])
    entry = (options.get("base") or {}).get(c.id)
    if entry:
        return replan_cached(
            c.canonical_json(),
            json.dumps(entry["slate"], sort_keys=True),
            tuple((p, k) for p, k in entry["events"]),
            tuple(sorted(locks.items())),
            tuple(sorted(excludes)),
            options["allow_pending"],
            entry["label"],
        )
    second = (options.get("second_round") or {}).get(c.id)
    if second:
        return second_round_cached(
            c.canonical_json(),
            json.dumps(second, sort_keys=True),
            tuple(sorted(excludes)),
            options["allow_pending"],
        )
    return None
