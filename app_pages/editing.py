"""Edits of the Relatives and Settings pages (not a page): apply one planner.edits function, keep an undo.

An edit is a button's `on_click` callback: it runs before the page is drawn, so the graph, the pairs and
the tables of the same run already show the new scenario. The planner function validates the edited
scenario as a loaded file; a refused edit keeps the session's scenario and its issues are shown once,
where the page calls `show_edit_issues`. Each applied edit keeps the scenario before it: "undo" restores
it as long as nothing else changed the scenario since.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages.common import SCENARIO_KEY, SOURCE_KEY, notify, set_scenario, show_issues
from app_pages.i18n import t
from planner.scenario import Scenario, ScenarioError

UNDO_KEY = "editing_undo"  # [(scenario before the edit, fingerprint after it)], newest last
ISSUES_KEY = "editing_issues"  # (where, issues) of the last refused edit, shown once
UNDO_DEPTH = 20


def apply_edit(where: str, make: Callable[[Scenario, str], Scenario], done: str = "edit_applied") -> bool:
    """Replace the session's scenario by `make(scenario, source)`; on ScenarioError keep it and its issues."""
    scenario = st.session_state.get(SCENARIO_KEY)
    if scenario is None:
        return False
    source = st.session_state.get(SOURCE_KEY, "<session>")
    try:
        changed = make(scenario, source)
    except ScenarioError as exc:
        st.session_state[ISSUES_KEY] = (where, list(exc.issues))
        return False
    st.session_state.pop(ISSUES_KEY, None)
    undo = [*st.session_state.get(UNDO_KEY, []), (scenario, changed.sha256())][-UNDO_DEPTH:]
    st.session_state[UNDO_KEY] = undo
    set_scenario(changed, source, fresh=False)
    notify(t(done))
    return True


def show_edit_issues(where: str) -> None:
    """The issues of a refused edit made at `where`, once, with a note that nothing changed."""
    found = st.session_state.get(ISSUES_KEY)
    if not found or found[0] != where:
        return
    st.session_state.pop(ISSUES_KEY, None)
    show_issues(found[1])
    st.info(t("edit_refused_kept"))


def _undo() -> None:
    undo = st.session_state.get(UNDO_KEY, [])
    if not undo:
        return
    previous, _ = undo.pop()
    st.session_state[UNDO_KEY] = undo
    set_scenario(previous, st.session_state.get(SOURCE_KEY, "<session>"), fresh=False)
    notify(t("edit_undone"))


def undo_button(prefix: str) -> None:
    """ "Undo the last edit", offered when the session's scenario is still the one that edit made."""
    undo = st.session_state.get(UNDO_KEY, [])
    scenario = st.session_state.get(SCENARIO_KEY)
    if undo and scenario is not None and undo[-1][1] == scenario.sha256():
        st.button(t("edit_undo"), key=f"{prefix}_undo", on_click=_undo, help=t("edit_undo_help"))
