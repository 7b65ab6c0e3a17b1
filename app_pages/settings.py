"""社区设置 Settings: the community's own settings and its calendar days, edited without YAML.

Settings: name, sub-district, reference date, multi-ethnic, the previous term's shares, the rule
profile and the 资格联审 departments (planner.edits.set_settings; seats, quotas and rules are the Slates page's). Calendar: the
scenario's extra days off and make-up working days (planner.edits.set_calendar_day), which the Schedule
page plans on. For a sub-district, its own name, work-group capacity (T07) and concentrated election day
come first (planner.edits.set_subdistrict_settings), then the community to edit is chosen. Every edit is validated as a loaded file,
applied before the page is drawn or refused with its issues (the previous scenario kept), and can be
undone (app_pages/editing.py).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.common import SCENARIO_KEY, pick_community, require_scenario, show_notice
from app_pages.editing import apply_edit, show_edit_issues, undo_button
from app_pages.i18n import lang, t
from planner.edits import DAY_KINDS, set_calendar_day, set_settings, set_subdistrict_settings
from planner.profiles import bundled_profiles
from planner.scenario import Community, Subdistrict

OWN_PROFILE = "<profile file>"  # the selectbox entry of a county's own profile file (kept unless changed)


def _key(c: Community, name: str) -> str:
    """A widget key that starts afresh whenever the community changes (so it shows the current value) and
    in each language (a selectbox's labels follow the language)."""
    return f"settings_{name}_{c.id}_{c.sha256()[:8]}_{lang()}"


def profile_options(c: Community) -> dict[str, str]:
    """The profiles offered, by selectbox value: the county's own file first (when it has one), then the
    bundled ones; each labelled with its name and period."""
    options: dict[str, str] = {}
    if not isinstance(c.profile, str):
        options[OWN_PROFILE] = f"{c.profile.id} · {t('settings_own_profile')}"
    for name, p in bundled_profiles().items():
        options[name] = f"{name} · {p.title.pick(lang())} ({p.period().pick(lang())})"
    return options


def departments_of(text: Any) -> list[str] | None:
    """The departments typed one a line (or separated by 、 , ；); none typed: None, the profile's."""
    names = [n.strip() for n in re.split(r"[\n、,，;；]", str(text or "")) if n.strip()]
    return list(dict.fromkeys(names)) or None


def settings_change(c: Community) -> dict[str, Any]:
    """The settings the widgets change (only those that differ from the community's)."""
    get = st.session_state.get
    wanted: dict[str, Any] = {
        "name": str(get(_key(c, "name"), c.name) or "").strip(),
        "subdistrict": str(get(_key(c, "subdistrict"), c.subdistrict) or "").strip(),
        "reference_date": get(_key(c, "reference_date"), c.reference_date),
        "multi_ethnic": bool(get(_key(c, "multi_ethnic"), c.multi_ethnic)),
        "previous_term": {
            "college_share": get(_key(c, "college_share"), c.previous_term.college_share),
            "rc_party_share": get(_key(c, "rc_party_share"), c.previous_term.rc_party_share),
        },
    }
    departments = departments_of(get(_key(c, "departments")))
    if departments != c.joint_review_departments:
        wanted["joint_review_departments"] = departments
    profile = get(_key(c, "profile"))
    if profile and profile != OWN_PROFILE and profile != c.profile:
        wanted["profile"] = profile
    current = {
        "name": c.name,
        "subdistrict": c.subdistrict,
        "reference_date": c.reference_date,
        "multi_ethnic": c.multi_ethnic,
        "previous_term": c.previous_term.model_dump(),
    }
    return {k: v for k, v in wanted.items() if k not in current or v != current[k]}


def _apply_settings(c: Community) -> None:
    change = settings_change(c)
    if not change:
        st.session_state["settings_unchanged"] = True
        return
    apply_edit("settings", lambda s, src: set_settings(s, c.id, change, source=src), "settings_applied")


def _add_day(c: Community) -> None:
    day = st.session_state.get(_key(c, "day"))
    kind = st.session_state.get(_key(c, "day_kind"))
    if isinstance(day, date) and kind in DAY_KINDS:
        apply_edit("calendar", lambda s, src: set_calendar_day(s, c.id, day, kind, source=src))


def _remove_day(c: Community) -> None:
    day = st.session_state.get(_key(c, "remove_day"))
    if day:
        apply_edit("calendar", lambda s, src: set_calendar_day(s, c.id, day, None, source=src))


def settings_form(c: Community) -> None:
    left, right = st.columns(2)
    with left:
        st.text_input(t("name"), value=c.name, key=_key(c, "name"))
        st.text_input(t("settings_subdistrict"), value=c.subdistrict, key=_key(c, "subdistrict"))
        st.date_input(
            t("reference_date"),
            value=c.reference_date,
            key=_key(c, "reference_date"),
            format="YYYY-MM-DD",
            min_value=date(1950, 1, 1),
            max_value=date(2100, 12, 31),
            help=t("settings_reference_date_help"),
        )
        st.checkbox(
            t("multi_ethnic"),
            value=c.multi_ethnic,
            key=_key(c, "multi_ethnic"),
            help=t("settings_multi_ethnic_help"),
        )
    with right:
        options = profile_options(c)
        current = OWN_PROFILE if not isinstance(c.profile, str) else c.profile
        st.selectbox(
            t("settings_profile"),
            list(options),
            index=list(options).index(current) if current in options else 0,
            format_func=options.get,
            key=_key(c, "profile"),
            help=t("settings_profile_help"),
        )
        st.markdown(f"**{t('settings_previous_term')}**")
        for share in ("college_share", "rc_party_share"):
            st.number_input(
                t(f"settings_{share}"),
                min_value=0.0,
                max_value=1.0,
                step=0.05,
                value=getattr(c.previous_term, share),
                key=_key(c, share),
                placeholder="—",
                help=t("settings_share_help"),
            )
    st.text_area(
        t("settings_departments"),
        value="\n".join(c.joint_review_departments or []),
        key=_key(c, "departments"),
        placeholder="\n".join(c.departments()),
        help=t("settings_departments_help"),
        height=110,
    )
    st.button(t("settings_apply"), key="settings_apply", type="primary", on_click=_apply_settings, args=(c,))
    if st.session_state.pop("settings_unchanged", False):
        st.info(t("settings_unchanged"))
    show_edit_issues("settings")


def _sd_key(sd: Subdistrict, name: str) -> str:
    return f"settings_sd_{name}_{sd.sha256()[:8]}"


def _apply_subdistrict() -> None:
    sd = st.session_state.get(SCENARIO_KEY)
    if not isinstance(sd, Subdistrict):
        return
    get = st.session_state.get
    day = get(_sd_key(sd, "day")) if get(_sd_key(sd, "concentrated")) else None
    wanted = {
        "name": str(get(_sd_key(sd, "name"), sd.name) or "").strip(),
        "capacity": int(get(_sd_key(sd, "capacity"), sd.capacity) or 0),
        "concentrated_election_day": day if isinstance(day, date) else None,
    }
    change = {k: v for k, v in wanted.items() if v != getattr(sd, k)}
    if not change:
        st.session_state["settings_unchanged_sd"] = True
        return
    apply_edit(
        "subdistrict", lambda s, src: set_subdistrict_settings(s, change, source=src), "settings_applied"
    )


def subdistrict_form(sd: Subdistrict) -> None:
    """The sub-district's name, work-group capacity (T07) and concentrated election day (集中选举日)."""
    st.subheader(t("settings_subdistrict_title"))
    cols = st.columns(3)
    cols[0].text_input(t("name"), value=sd.name, key=_sd_key(sd, "name"))
    cols[1].number_input(
        t("capacity"), min_value=1, max_value=100, step=1, value=sd.capacity, key=_sd_key(sd, "capacity")
    )
    with cols[2]:
        on = st.checkbox(
            t("settings_concentrated"),
            value=sd.concentrated_election_day is not None,
            key=_sd_key(sd, "concentrated"),
            help=t("settings_concentrated_help"),
        )
        if on:
            st.date_input(
                t("settings_concentrated_day"),
                value=sd.concentrated_election_day or sd.communities[0].reference_date,
                key=_sd_key(sd, "day"),
                format="YYYY-MM-DD",
            )
    st.button(t("settings_subdistrict_apply"), key="settings_sd_apply", on_click=_apply_subdistrict)
    if st.session_state.pop("settings_unchanged_sd", False):
        st.info(t("settings_unchanged"))
    show_edit_issues("subdistrict")
    st.divider()


def calendar_frame(c: Community) -> pd.DataFrame:
    rows = [
        {
            t("calendar_day"): d.isoformat(),
            t("calendar_weekday"): t(f"weekday_{d.weekday()}"),
            t("calendar_kind"): t(f"calendar_{kind}"),
        }
        for kind in DAY_KINDS
        for d in getattr(c.schedule, kind)
    ]
    return pd.DataFrame(
        rows, columns=[t("calendar_day"), t("calendar_weekday"), t("calendar_kind")]
    ).sort_values(t("calendar_day"))


def calendar_form(c: Community) -> None:
    st.subheader(t("calendar_title"))
    st.caption(t("calendar_intro"))
    listed = sorted(d.isoformat() for kind in DAY_KINDS for d in getattr(c.schedule, kind))
    if listed:
        st.dataframe(calendar_frame(c), hide_index=True, width="content")
    else:
        st.info(t("calendar_none"))
    days = c.schedule.calendar_days()
    if days is not None and (days.holidays or days.workdays):
        st.caption(t("calendar_file_days", holidays=len(days.holidays), workdays=len(days.workdays)))
    cols = st.columns([2, 2, 1], vertical_alignment="bottom")
    cols[0].date_input(
        t("calendar_day"),
        value=c.reference_date,
        key=_key(c, "day"),
        format="YYYY-MM-DD",
        min_value=date(1950, 1, 1),
        max_value=date(2100, 12, 31),
    )
    cols[1].selectbox(
        t("calendar_kind"),
        list(DAY_KINDS),
        key=_key(c, "day_kind"),
        format_func={k: t(f"calendar_{k}") for k in DAY_KINDS}.get,
    )
    cols[2].button(t("calendar_add"), key="settings_day_add", on_click=_add_day, args=(c,))
    if listed:
        cols = st.columns([4, 1], vertical_alignment="bottom")
        cols[0].selectbox(t("calendar_remove_pick"), listed, key=_key(c, "remove_day"))
        cols[1].button(t("calendar_remove"), key="settings_day_remove", on_click=_remove_day, args=(c,))
    show_edit_issues("calendar")


st.title(t("settings_title"))
st.caption(t("settings_intro"))
scenario = require_scenario()
show_notice()
if isinstance(scenario, Subdistrict):
    subdistrict_form(scenario)
community = pick_community("settings")
undo_button("settings")
settings_form(community)
st.divider()
calendar_form(community)
