"""The app's workspace (planner.workspace): versions saved on load and edit, plans saved from the Export
page, and the session resumed where the user left off.

The workspace is `$PLANNER_WORKSPACE` (set by `planner app --workspace PATH`), else the default file in the
user's data folder; one `Workspace` per location is shared by every session (st.cache_resource; it is safe
across threads and sessions). When it cannot be opened the app works as before and the History page says
why. Pages call only `record_version` (through common.set_scenario), `resume_session`/`remember_session`
(app.py) and `save_plan_box` (Export page).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

import streamlit as st

from app_pages.i18n import LANG_KEY, LANGS, lang, t
from planner.diff import plan_parts
from planner.scenario import Scenario, ScenarioError
from planner.text import Text
from planner.workspace import (
    ENV,
    STATUS_NAMES,
    STATUSES,
    VersionInfo,
    Workspace,
    WorkspaceError,
    default_location,
)

VERSION_KEY = "workspace_version"  # (scenario id, version number) of the session's scenario
ERROR_KEY = "workspace_error"  # Text: why the workspace could not be used
RESUMED_KEY = "workspace_resumed"  # the session has looked for where the user left off
SAVED_KEY = "workspace_saved_state"  # the state last written, to write only changes
# Keys of the session kept in the workspace (besides the scenario): the common_* keys of app_pages/common.py
SCENARIO_KEY, SOURCE_KEY, ORIGINAL_KEY, BUNDLED_KEY, COMMUNITY_KEY, WHATIF_KEY = (
    "common_scenario",
    "common_source",
    "common_original_sha",
    "common_bundled",
    "common_community",
    "common_whatif",
)
WIDGET_PREFIXES = ("slates_top", "slates_allow_pending", "slates_locks_", "slates_excludes_", "slates_lock_")
WIDGET_PREFIXES += ("schedule_pin_", "candidates_allow_pending", "schedule_last_pins")


@st.cache_resource(show_spinner=False, max_entries=16)
def _open(location: str) -> Workspace:
    return Workspace(location)


def location() -> str:
    import os

    return os.environ.get(ENV, "").strip() or default_location()


def workspace() -> Workspace | None:
    """The session's workspace, or None (the reason kept under ERROR_KEY) when it cannot be opened."""
    try:
        return _open(location())
    except WorkspaceError as exc:
        st.session_state[ERROR_KEY] = exc.text
        return None


def error() -> Text | None:
    return st.session_state.get(ERROR_KEY)


def _failed(exc: Exception) -> None:
    """A workspace write failed: the app goes on; the History page shows why."""
    logging.getLogger(__name__).exception("workspace write failed")
    text = exc.text if isinstance(exc, WorkspaceError) else Text.same(f"{type(exc).__name__}: {exc}")
    st.session_state[ERROR_KEY] = text


# ---------------------------------------------------------------- versions


def record_version(
    scenario: Scenario, source: str, *, fresh: bool, files: Mapping[str, bytes] | None = None, note: str = ""
) -> VersionInfo | None:
    """Save `scenario` as a version (nothing new when it equals the newest); called by common.set_scenario."""
    ws = workspace()
    if ws is None:
        return None
    if not note:
        note = f"加载 {source} / loaded {source}" if fresh else "在应用中修改 / edited in the app"
    try:
        saved = ws.save_version(scenario, note=note, source=source, files=files)
    except Exception as exc:  # noqa: BLE001 - a failed save never stops the app
        _failed(exc)
        return None
    st.session_state[VERSION_KEY] = (saved.key, saved.number)
    return saved


def current_version(scenario: Scenario) -> tuple[str, int] | None:
    """(id, number) of the session's scenario in the workspace, saving it first when it is not there."""
    kept = st.session_state.get(VERSION_KEY)
    ws = workspace()
    if ws is None:
        return None
    if kept and kept[0] == scenario.id:
        try:
            if ws.version(kept[0], kept[1]).sha256 == scenario.sha256():
                return kept
        except WorkspaceError:
            pass
    saved = record_version(scenario, st.session_state.get(SOURCE_KEY, ""), fresh=False)
    return (saved.key, saved.number) if saved else None


# ---------------------------------------------------------------- where the user left off


def _plain(value: Any) -> Any:
    """A session value as JSON (dates tagged, tuples as lists)."""
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _restored(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__date__"}:
            return date.fromisoformat(value["__date__"])
        return {k: _restored(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_restored(v) for v in value]
    return value


def session_state_now() -> dict[str, Any]:
    """What `remember_session` keeps: the scenario version, the language, the what-if settings."""
    state = st.session_state
    widgets = {
        key: _plain(state[key])
        for key in list(state.keys())
        if isinstance(key, str) and key.startswith(WIDGET_PREFIXES) and state[key] is not None
    }
    kept = state.get(VERSION_KEY)
    return {
        "scenario": kept[0] if kept else None,
        "version": kept[1] if kept else None,
        "source": state.get(SOURCE_KEY),
        "bundled": state.get(BUNDLED_KEY),
        "original_sha": state.get(ORIGINAL_KEY),
        "community": state.get(COMMUNITY_KEY),
        "lang": state.get(LANG_KEY),
        "whatif": _plain(state.get(WHATIF_KEY) or {}),
        "widgets": widgets,
    }


def remember_session() -> None:
    """Keep where the user is (app.py calls it after every run); writes only what changed."""
    if not st.session_state.get(RESUMED_KEY):
        return
    ws = workspace()
    if ws is None:
        return
    try:
        now = session_state_now()
    except Exception:  # noqa: BLE001 - a value that cannot be kept is left out, never an error on the page
        return
    if now["scenario"] is None or now == st.session_state.get(SAVED_KEY):
        return
    try:
        ws.set_state(now)
    except Exception as exc:  # noqa: BLE001
        _failed(exc)
        return
    st.session_state[SAVED_KEY] = now


def resume_session() -> None:
    """On a session's first run: load the scenario version, language and what-if settings last kept."""
    if st.session_state.get(RESUMED_KEY):
        return
    st.session_state[RESUMED_KEY] = True
    ws = workspace()
    if ws is None:
        return
    try:
        state = ws.state() or {}
        if not state.get(
            "scenario"
        ):  # the app never ran here: the newest version saved (`planner workspace save`)
            saved = sorted(ws.scenarios(), key=lambda s: s.latest_at)
            if not saved:
                return
            state = {"scenario": saved[-1].key, "version": saved[-1].latest}
        version = ws.version(state["scenario"], state.get("version"))
        scenario = version.scenario()
    except (WorkspaceError, ScenarioError, ValueError) as exc:
        logging.getLogger(__name__).warning("could not resume: %s", exc)
        return
    session = st.session_state
    if state.get("lang") in LANGS:
        session[LANG_KEY] = state["lang"]
    session[SCENARIO_KEY] = scenario
    session[SOURCE_KEY] = state.get("source") or version.source or version.ref
    session[ORIGINAL_KEY] = state.get("original_sha") or scenario.sha256()
    session[BUNDLED_KEY] = state.get("bundled")
    session[COMMUNITY_KEY] = state.get("community")
    session[WHATIF_KEY] = _restored(state.get("whatif") or {})
    for key, value in (state.get("widgets") or {}).items():
        if isinstance(key, str) and key.startswith(WIDGET_PREFIXES):
            session[key] = _restored(value)
    session[VERSION_KEY] = (version.key, version.number)
    session[SAVED_KEY] = state


# ---------------------------------------------------------------- plans


def status_names() -> dict[str, str]:
    """草稿 / 讨论稿 / 定稿 in the page's language, fixed when the widget is drawn (not when formatted)."""
    return {s: STATUS_NAMES[s].pick(lang()) for s in STATUSES}


def save_plan_box(
    scenario: Scenario, *, page: str, plan: tuple[Mapping[str, Any], Mapping[str, bytes]] | None = None
) -> None:
    """ "Save the plan to the workspace": status, notes, and the plan the Export page exports.

    The Export page passes the plan it shows (`plan`: options and files); the Slates page builds the same
    plan (its what-if settings and the Schedule page's pins) only when the button is pressed.
    """
    prefix = "workspace_plan" if page == "export" else f"workspace_{page}_plan"
    with st.expander(t("ws_save_plan")):
        ws = workspace()
        if ws is None:
            st.warning(t("ws_unavailable", reason=(error() or Text.same("")).pick(lang())))
            return
        if plan is None:
            st.caption(t("ws_save_plan_from_slates"))
        status = st.selectbox(
            t("ws_status"), STATUSES, key=f"{prefix}_status", format_func=status_names().__getitem__
        )
        notes = st.text_area(t("ws_notes"), key=f"{prefix}_notes")
        if not st.button(t("ws_save_plan_button"), key=f"{prefix}_save"):
            return
        where = current_version(scenario)
        try:
            if where is None:
                raise WorkspaceError(error() or Text("工作区不可用", "the workspace cannot be used"))
            options, files = plan if plan is not None else _current_plan(scenario)
            slates, schedule, audit = plan_parts(json.loads(files["plan.json"]))
            saved = ws.save_plan(
                where[0],
                where[1],
                slates=slates,
                schedule=schedule,
                audit=audit,
                settings=options,
                status=status,
                notes=notes,
            )
        except Exception as exc:  # noqa: BLE001 - shown, never a traceback
            _failed(exc)
            st.error(t("ws_unavailable", reason=(error() or Text.same("")).pick(lang())))
            return
        st.success(t("ws_plan_saved", plan=saved.ref, version=f"{saved.key}@{saved.version}"))


def _current_plan(scenario: Scenario) -> tuple[dict[str, Any], dict[str, bytes]]:
    from app_pages.common import plan_files, plan_options

    options = plan_options(scenario, include_sensitive=False)
    return options, plan_files(scenario, options)[1]
