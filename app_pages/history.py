"""历史 History: the workspace's versions of each scenario and its saved plans; two versions or two plans
compared side by side (planner.diff); any version opened again as the current scenario.

Versions are saved when a scenario is loaded or edited (workspace_state.record_version), plans from the
Export page. Nothing here changes a saved version or plan except a plan's status and notes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages.common import current_scenario, notify, set_scenario, show_notice
from app_pages.i18n import lang, t
from app_pages.workspace_state import VERSION_KEY, error, status_names, workspace
from planner.diff import Row
from planner.scenario import communities
from planner.workspace import STATUS_NAMES, STATUSES, PlanInfo, VersionInfo, Workspace


def when(info: VersionInfo | PlanInfo) -> str:
    return info.created_at.astimezone().strftime("%Y-%m-%d %H:%M")


def rows_frame(rows: list[Row], old: str, new: str) -> pd.DataFrame:
    """A comparison as a table: what changed, of whom, before (left) and after (right)."""
    code = lang()
    columns = [t("history_change"), t("history_subject"), old, new]
    return pd.DataFrame(
        [[r.what.pick(code), r.subject, r.old.pick(code), r.new.pick(code)] for r in rows], columns=columns
    )


def version_label(v: VersionInfo) -> str:
    note = f" · {v.note}" if v.note else ""
    return f"@{v.number} · {when(v)}{note}"


def plan_label(p: PlanInfo) -> str:
    notes = f" · {p.notes}" if p.notes else ""
    return f"{p.ref} · {p.key}@{p.version} · {STATUS_NAMES[p.status].pick(lang())} · {when(p)}{notes}"


def two_pickers(names: tuple[str, str], labels: dict, key: str) -> list[tuple[Any, Any]]:
    """Side by side, the two things to compare (the last but one and the last preselected): (column, choice)
    each; `key` has a {} for "a" / "b"."""
    options = list(labels)
    picked = []
    for i, (column, name) in enumerate(zip(st.columns(2), names, strict=True)):
        choice = column.selectbox(
            t(name),
            options,
            index=len(options) - 2 + i,
            key=key.format("ab"[i]),
            format_func=labels.__getitem__,
        )
        picked.append((column, choice))
    return picked


def versions_section(ws: Workspace, key: str) -> None:
    versions = ws.versions(key)
    kept = st.session_state.get(VERSION_KEY)
    st.subheader(t("history_versions"))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("history_version"): f"@{v.number}" + (" ←" if kept == (key, v.number) else ""),
                    t("history_time"): when(v),
                    t("history_note"): v.note,
                    t("history_source"): v.source,
                    t("history_summary"): v.summary.pick(lang()),
                }
                for v in reversed(versions)
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(t("history_current_mark"))
    by_number = {v.number: v for v in versions}
    labels = {n: version_label(v) for n, v in by_number.items()}  # fixed now, not when formatted
    numbers = list(by_number)
    if len(numbers) >= 2:
        st.subheader(t("history_compare_versions"))
        (left, a), (right, b) = two_pickers(("history_a", "history_b"), labels, f"history_{{}}_{key}")
        for column, number in ((left, a), (right, b)):
            scenario = ws.version(key, number).scenario()
            column.markdown(
                t(
                    "history_version_facts",
                    ref=f"{key}@{number}",
                    when=when(by_number[number]),
                    people=sum(len(c.people) for c in communities(scenario)),
                    note=by_number[number].note or "—",
                )
            )
        diff = ws.diff_versions(key, a, b)
        st.markdown(f"**{diff.summary().pick(lang())}**")
        if not diff.empty:
            st.dataframe(rows_frame(diff.rows(), f"@{a}", f"@{b}"), hide_index=True, width="stretch")
    with st.expander(t("history_edit_note")):
        chosen = st.selectbox(
            t("history_version"), numbers[::-1], key=f"history_note_{key}", format_func=labels.__getitem__
        )
        note = st.text_input(
            t("history_note"), value=by_number[chosen].note, key=f"history_note_text_{key}_{chosen}"
        )
        if st.button(t("history_save_note"), key="history_save_note"):
            ws.set_note(key, chosen, note)
            notify(t("history_note_saved", ref=f"{key}@{chosen}"))
            st.rerun()
    number = st.selectbox(
        t("history_open"),
        numbers[::-1],
        key=f"history_open_{key}",
        format_func=labels.__getitem__,
    )
    stored = ws.version(key, number).files
    if stored:  # the files exactly as the user gave them
        for column, (name, content) in zip(
            st.columns(min(4, len(stored))) * len(stored), stored, strict=False
        ):
            column.download_button(
                t("history_download_file", name=name),
                data=content,
                file_name=name.replace("/", "-"),
                key=f"history_file_{key}_{number}_{name}",
                on_click="ignore",
            )
    if st.button(t("history_open_button"), key="history_open_button"):
        version = ws.version(key, number)
        set_scenario(version.scenario(), version.ref)
        notify(t("history_opened", ref=version.ref))
        st.rerun()


def plans_section(ws: Workspace, key: str) -> None:
    plans = ws.plans(key)
    st.subheader(t("history_plans"))
    if not plans:
        st.info(t("history_no_plans"))
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("history_plan"): p.ref,
                    t("history_version"): f"@{p.version}",
                    t("ws_status"): STATUS_NAMES[p.status].pick(lang()),
                    t("history_time"): when(p),
                    t("ws_notes"): p.notes,
                }
                for p in reversed(plans)
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    by_id = {p.id: p for p in plans}
    plan_labels = {i: plan_label(p) for i, p in by_id.items()}  # fixed now, not when formatted
    ids = list(by_id)
    if len(ids) >= 2:
        st.subheader(t("history_compare_plans"))
        (left, a), (right, b) = two_pickers(
            ("history_plan_a", "history_plan_b"), plan_labels, f"history_plan_{{}}_{key}"
        )
        diff = ws.diff_plans(a, b)
        st.markdown(f"**{diff.summary().pick(lang())}**")
        if not diff.empty:
            st.dataframe(rows_frame(diff.rows(), f"plan:{a}", f"plan:{b}"), hide_index=True, width="stretch")
    with st.expander(t("history_edit_plan")):
        chosen = st.selectbox(
            t("history_plan"),
            ids[::-1],
            key=f"history_edit_{key}",
            format_func=plan_labels.__getitem__,
        )
        plan = by_id[chosen]
        status = st.selectbox(
            t("ws_status"),
            STATUSES,
            index=STATUSES.index(plan.status),
            key=f"history_edit_status_{chosen}",
            format_func=status_names().__getitem__,
        )
        notes = st.text_area(t("ws_notes"), value=plan.notes, key=f"history_edit_notes_{chosen}")
        if st.button(t("history_update_plan"), key="history_update_plan"):
            ws.update_plan(chosen, status=status, notes=notes)
            notify(t("history_plan_updated", plan=plan.ref))
            st.rerun()


st.title(t("history_title"))
st.caption(t("history_intro"))
ws = workspace()
if ws is None:
    st.error(t("ws_unavailable", reason=(error().pick(lang()) if error() else "")))
    st.stop()
current = current_scenario()
show_notice()
st.caption(t("ws_location", location=ws.display))
items = ws.scenarios()
if not items:
    st.info(t("history_empty"))
    st.stop()
keys = [s.key for s in items]
names = {
    s.key: f"{s.name or s.key} ({s.key}) · {t('history_count', versions=s.versions, plans=s.plans)}"
    for s in items
}
key = st.selectbox(
    t("history_scenario"),
    keys,
    index=keys.index(current.id) if current is not None and current.id in keys else 0,
    key="history_scenario",
    format_func=names.get,
)
versions_section(ws, key)
plans_section(ws, key)
