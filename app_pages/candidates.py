"""候选人 Candidates: edit the people in a table, see who may hold which post and why not.

Every edit is validated with `parse_scenario` before it replaces the session's scenario;
an invalid edit shows its issues in place and is not applied.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.common import (
    body_name,
    mark,
    notify,
    pick_community,
    post_name,
    replace_community,
    require_scenario,
    scenario_data,
    show_issues,
    show_notice,
)
from app_pages.i18n import pick, t
from planner.eligibility import EDUCATION_NAMES, screen
from planner.rules import DISQUALIFICATIONS
from planner.scenario import (
    BODIES,
    DISQUALIFICATION_CODES,
    EDUCATION_LEVELS,
    ETHNICITIES,
    INCUMBENT_POSTS,
    PREFERRED_TAGS,
    Community,
)

COLUMNS = [
    "id",
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "party_member",
    "party_joined",
    "resident_voter",
    "incumbent",
    "stands_for",
    "disqualifications",
    "joint_review",
    "waivers",
    "tags",
    "support",
]
LIST_COLUMNS = {"incumbent", "stands_for", "disqualifications", "waivers", "tags"}
DATE_COLUMNS = {"birth_date", "party_joined"}
JOINT_REVIEWS = ("passed", "pending", "failed", "not_submitted")
JOINT_REVIEW_NAMES = {
    "passed": ("已通过", "passed"),
    "pending": ("待反馈", "pending"),
    "failed": ("未通过", "failed"),
    "not_submitted": ("未报送", "not submitted"),
}


def people_frame(c: Community) -> pd.DataFrame:
    """One row per person; `stands_for` absent (every body) shows as all three bodies."""
    rows = []
    for p in c.people:
        row = {col: getattr(p, col) for col in COLUMNS}
        row["stands_for"] = list(BODIES) if p.stands_for is None else list(p.stands_for)
        for col in LIST_COLUMNS:
            row[col] = [str(v) for v in row[col]]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in DATE_COLUMNS:
        frame[col] = frame[col].astype("object")
    return frame


def _empty(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _plain(col: str, value: Any) -> Any:
    """A cell as scenario data (dates as text, lists as lists, numbers as int)."""
    if col in LIST_COLUMNS:
        if value is None or (
            not isinstance(value, (list, tuple)) and not hasattr(value, "tolist") and _empty(value)
        ):
            return []
        items = value.tolist() if hasattr(value, "tolist") else list(value)
        return [str(v) for v in items if not _empty(v)]
    if _empty(value):
        return None
    if col in DATE_COLUMNS:
        if isinstance(value, (pd.Timestamp, datetime)):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if col == "support" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def frame_people(frame: pd.DataFrame, originals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """People as scenario data; a row keeps the fields of its original record that the table does not show."""
    people = []
    for index, row in frame.iterrows():
        original = originals[index] if isinstance(index, int) and 0 <= index < len(originals) else {}
        person = {k: v for k, v in original.items() if k not in COLUMNS}
        for col in COLUMNS:
            value = _plain(col, row.get(col))
            if value is None:
                continue
            person[col] = value
        if set(person.get("stands_for", [])) == set(BODIES) and original.get("stands_for") is None:
            person.pop("stands_for", None)  # "every body" stays implicit
        people.append(person)
    return people


def column_config() -> dict[str, Any]:
    cc = st.column_config
    return {
        "id": cc.TextColumn(t("col_id"), required=True, pinned=True, width="small"),
        "name": cc.TextColumn(t("col_name"), pinned=True, width="small"),
        "gender": cc.SelectboxColumn(
            t("col_gender"),
            options=["F", "M"],
            required=True,
            width="small",
            format_func=lambda g: t(f"gender_{g}"),
        ),
        "birth_date": cc.DateColumn(t("col_birth_date"), format="YYYY-MM-DD", required=True),
        "ethnicity": cc.SelectboxColumn(t("col_ethnicity"), options=list(ETHNICITIES)),
        "education": cc.SelectboxColumn(
            t("col_education"),
            options=list(EDUCATION_LEVELS),
            required=True,
            format_func=lambda e: pick(*EDUCATION_NAMES[e]),
        ),
        "party_member": cc.CheckboxColumn(t("col_party_member")),
        "party_joined": cc.DateColumn(t("col_party_joined"), format="YYYY-MM-DD"),
        "resident_voter": cc.CheckboxColumn(t("col_resident_voter"), default=True),
        "incumbent": cc.MultiselectColumn(
            t("col_incumbent"),
            options=list(INCUMBENT_POSTS),
            format_func=lambda v: f"{body_name(v.split('.')[0])}{post_name(v.split('.')[1])}",
        ),
        "stands_for": cc.MultiselectColumn(t("col_stands_for"), options=list(BODIES), format_func=body_name),
        "disqualifications": cc.MultiselectColumn(
            t("col_disqualifications"),
            options=list(DISQUALIFICATION_CODES),
            help=" · ".join(f"{k}: {pick(*v)}" for k, v in list(DISQUALIFICATIONS.items())[:5]) + " …",
        ),
        "joint_review": cc.SelectboxColumn(
            t("col_joint_review"),
            options=list(JOINT_REVIEWS),
            format_func=lambda v: pick(*JOINT_REVIEW_NAMES[v]),
        ),
        "waivers": cc.MultiselectColumn(
            t("col_waivers"), options=["age", "education"], format_func=lambda v: t(f"waiver_{v}")
        ),
        "tags": cc.MultiselectColumn(
            t("col_tags"),
            options=list(PREFERRED_TAGS),
            accept_new_options=True,
            format_func=lambda v: t(f"tag_{v}") if v in PREFERRED_TAGS else v,
        ),
        "support": cc.NumberColumn(t("col_support"), min_value=0, max_value=100, step=1, format="%d"),
    }


def eligibility_frame(c: Community, allow_pending: bool) -> pd.DataFrame:
    screenings = screen(c, allow_pending=allow_pending)
    rows = []
    for pid, s in screenings.items():
        reasons = []
        for r in s.reasons():
            code = f" {r.code}" if r.code and r.code != r.rule else ""
            reasons.append(f"{r.rule}{code} {pick(r.zh, r.en)}")
        row = {t("col_id"): pid, t("col_name"): s.person.name}
        for body in BODIES:
            name = body_name(body)
            row[name[:1].upper() + name[1:]] = mark(s.bodies[body].ok)
        row[t("secretary")] = mark(s.secretary.ok)
        row[t("subject_to_review")] = "⚠" if s.subject_to_review else ""
        row[t("reasons")] = pick("；", "; ").join(reasons)
        rows.append(row)
    return pd.DataFrame(rows)


st.title(t("candidates_title"))
st.caption(t("candidates_intro"))
require_scenario()
show_notice()
community = pick_community("candidates")

original_frame = people_frame(community)
originals = scenario_data(community).get("people", [])
edited_frame = st.data_editor(
    original_frame,
    key=f"candidates_editor_{community.id}_{community.sha256()[:12]}",
    num_rows="dynamic",
    column_config=column_config(),
    hide_index=True,
    width="stretch",
    height=35 * (min(len(community.people), 15) + 2) + 3,
)

before = frame_people(original_frame, originals)
after = frame_people(edited_frame, originals)
if after != before:
    data = scenario_data(community)
    data["people"] = after
    issues = replace_community(community.id, data)
    if issues:
        show_issues(issues)
    else:
        notify(t("edit_applied"))
        st.rerun()

st.subheader(t("eligibility"))
st.caption(t("eligibility_intro"))
allow_pending = st.toggle(t("allow_pending"), key="candidates_allow_pending", help=t("allow_pending_help"))
frame = eligibility_frame(community, allow_pending)
st.dataframe(
    frame,
    hide_index=True,
    width="stretch",
    height=35 * (len(frame) + 1) + 3,
    column_config={t("reasons"): st.column_config.TextColumn(width="large")},
)
