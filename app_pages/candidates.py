"""候选人 Candidates: edit the people in a table, see who may hold which post and why not.

Every edit is validated with `parse_scenario` before it replaces the session's scenario;
an invalid edit shows its issues in place and is not applied. The columns come in three groups (tabs:
identity, eligibility, review & tags), each with the id and name pinned, so a 1400 px page shows every
column of its group; empty cells are blank. In the eligibility table a body the person does not stand for
(S15) reads "—", not standing, never a qualification problem; the full reasons are in an expander.
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
from app_pages.i18n import ethnicity_name, pick, t
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
# The editor's column groups (one tab each); every group shows the id and the name first.
GROUPS: dict[str, list[str]] = {
    "identity": ["gender", "birth_date", "ethnicity", "education", "resident_voter"],
    "eligibility": ["party_member", "party_joined", "incumbent", "stands_for", "disqualifications"],
    "review": ["joint_review", "waivers", "tags", "support"],
}
assert sorted(c for cols in GROUPS.values() for c in cols) == sorted(COLUMNS[2:])
NOT_STANDING = "S15"  # "does not stand for that body": the person's choice, not a qualification problem
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


def incumbent_name(post: str) -> str:
    """党组织书记 / Party secretary: the body's short name and the post."""
    body, name = post.split(".", 1)
    return f"{t(f'short_{body}')}{pick('', ' ')}{post_name(name)}"


def column_config() -> dict[str, Any]:
    cc = st.column_config
    return {
        "id": cc.TextColumn(t("col_id"), required=True, pinned=True, width=60),
        "name": cc.TextColumn(t("col_name"), pinned=True, width=110),
        "gender": cc.SelectboxColumn(
            t("col_gender"),
            options=["F", "M"],
            required=True,
            width=70,
            format_func=lambda g: t(f"gender_{g}"),
        ),
        "birth_date": cc.DateColumn(t("col_birth_date"), format="YYYY-MM-DD", required=True, width=120),
        "ethnicity": cc.SelectboxColumn(
            t("col_ethnicity"), options=list(ETHNICITIES), format_func=ethnicity_name, width=120
        ),
        "education": cc.SelectboxColumn(
            t("col_education"),
            options=list(EDUCATION_LEVELS),
            required=True,
            format_func=lambda e: pick(*EDUCATION_NAMES[e]),
        ),
        "party_member": cc.CheckboxColumn(t("col_party_member"), width=100),
        "party_joined": cc.DateColumn(t("col_party_joined"), format="YYYY-MM-DD", width=130),
        "resident_voter": cc.CheckboxColumn(t("col_resident_voter"), default=True),
        "incumbent": cc.MultiselectColumn(
            t("col_incumbent"),
            options=list(INCUMBENT_POSTS),
            format_func=incumbent_name,
            width=170,
        ),
        "stands_for": cc.MultiselectColumn(
            t("col_stands_for"), options=list(BODIES), format_func=lambda b: t(f"short_{b}"), width=220
        ),
        "disqualifications": cc.MultiselectColumn(
            t("col_disqualifications"),
            options=list(DISQUALIFICATION_CODES),
            width=140,
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


def verdict_mark(verdict: Any) -> str:
    """✓ eligible; — only "not standing" (S15) bars it; ✗ a qualification problem."""
    if verdict.ok:
        return mark(True)
    if all(r.rule == NOT_STANDING for r in verdict.reasons):
        return t("not_standing_mark")
    return mark(False)


def qualification_reasons(s: Any) -> list[Any]:
    """A screening's reasons that are qualification problems (S15 "not standing" left out)."""
    return [r for r in s.reasons() if r.rule != NOT_STANDING]


def not_standing(s: Any, short: bool = False) -> list[str]:
    """The bodies a person does not stand for (S15 in force), by (short) name."""
    return [
        t(f"short_{b}") if short else body_name(b)
        for b in BODIES
        if any(r.rule == NOT_STANDING for r in s.bodies[b].reasons)
    ]


def reason_id(r: Any) -> str:
    return f"{r.rule} {r.code}" if r.code and r.code != r.rule else r.rule


def eligibility_frame(c: Community, allow_pending: bool) -> pd.DataFrame:
    """One row per person: a mark per body and the secretary's post, not standing, the reasons' rule ids."""
    screenings = screen(c, allow_pending=allow_pending)
    rows = []
    for pid, s in screenings.items():
        row = {t("col_id"): pid, t("col_name"): s.person.name}
        for body in BODIES:
            row[t(f"short_{body}")] = verdict_mark(s.bodies[body])
        row[t("secretary")] = verdict_mark(s.secretary)
        row[t("subject_to_review")] = "⚠" if s.subject_to_review else ""
        row[t("not_standing")] = pick("、", ", ").join(not_standing(s, short=True))
        ids: list[str] = []
        for r in qualification_reasons(s):
            if reason_id(r) not in ids:
                ids.append(reason_id(r))
        row[t("reasons")] = pick("、", ", ").join(ids)
        rows.append(row)
    return pd.DataFrame(rows)


def reasons_markdown(c: Community, allow_pending: bool) -> str:
    """Every person's qualification problems in full, each with the posts it bars; not standing apart."""
    lines = []
    for s in screen(c, allow_pending=allow_pending).values():
        problems = qualification_reasons(s)
        away = not_standing(s)
        if not problems and not away:
            continue
        lines.append(f"**{s.person.display}**")
        for r in problems:
            where = [body_name(b) for b in BODIES if r in s.bodies[b].reasons]
            if r in s.secretary.reasons:
                where.append(t("secretary"))
            bars = pick("、", ", ").join(where)
            lines.append(f"- **{reason_id(r)}** {pick(r.zh, r.en)}" + pick(f"（{bars}）", f" ({bars})"))
        if away:
            lines.append(f"- {t('why_not_not_standing', bodies=pick('、', ', ').join(away))}")
        lines.append("")
    return "\n".join(lines) or t("reasons_none")


st.title(t("candidates_title"))
st.caption(t("candidates_intro"))
require_scenario()
show_notice()
community = pick_community("candidates")

original_frame = people_frame(community)
originals = scenario_data(community).get("people", [])
before = frame_people(original_frame, originals)
config = column_config()
edited: list[Any] = []
for group, tab in zip(
    GROUPS, st.tabs([t(f"group_{g}") for g in GROUPS]), strict=True
):  # one editor per group, the same rows in each
    with tab:
        edited_frame = st.data_editor(
            original_frame,
            key=f"candidates_editor_{group}_{community.id}_{community.sha256()[:12]}",
            num_rows="dynamic" if group == "identity" else "fixed",
            column_config=config,
            column_order=["id", "name", *GROUPS[group]],
            hide_index=True,
            width="stretch",
            height=35 * (min(len(community.people), 15) + 2) + 3,
            placeholder="",
        )
        edited.append(edited_frame)

after = next((people for people in (frame_people(f, originals) for f in edited) if people != before), before)
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
    placeholder="",
    column_config={
        t("col_id"): st.column_config.TextColumn(width=60),
        t("col_name"): st.column_config.TextColumn(width=110),
        t("not_standing"): st.column_config.TextColumn(width=170),
        t("reasons"): st.column_config.TextColumn(width=200),
    },
)
with st.expander(t("reasons_all")):
    st.markdown(reasons_markdown(community, allow_pending))
