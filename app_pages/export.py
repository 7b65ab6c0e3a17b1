"""导出 Export: the plan (slates per community and the schedule) as JSON, Excel, Word and iCalendar.

Every file carries the audit record (scenario hash, rules in force, solver settings). Personal
sensitive details (disqualifications, joint reviews) are left out unless the box is ticked.
The solves come from the same cache as the Slates and Schedule pages.
"""

from __future__ import annotations

import streamlit as st

from app_pages.common import require_scenario, schedule, show_failure, slates
from app_pages.i18n import lang, t
from planner.export import all_bytes, build_audit
from planner.plan import SlateResult
from planner.scenario import communities

FORMATS = (  # (file name, mime type, label key)
    ("plan.json", "application/json", "download_json"),
    ("plan.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "download_xlsx"),
    ("plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "download_docx"),
    ("schedule.ics", "text/calendar", "download_ics"),
)

st.title(t("export_title"))
st.caption(t("export_intro"))
scenario = require_scenario()

cols = st.columns([3, 1])
include_sensitive = cols[0].checkbox(
    t("include_sensitive"), value=False, key="export_sensitive", help=t("include_sensitive_help")
)
top = int(cols[1].number_input(t("top_k"), min_value=1, max_value=6, value=3, step=1, key="export_top"))
allow_pending = bool(st.session_state.get("slates_allow_pending", False))
pins: dict[str, str] = dict(st.session_state.get("schedule_last_pins") or {})

try:
    slate_results: dict[str, SlateResult] = {}
    for c in communities(scenario):
        slate_results[c.id], _ = slates(c, top=top, allow_pending=allow_pending)
    schedule_result, _ = schedule(scenario, pins)
except Exception as exc:  # noqa: BLE001 - shown, never a traceback
    show_failure(exc)

options = {
    "top": top,
    "include_sensitive": include_sensitive,
    "allow_pending": allow_pending,
    "lang": lang(),
    "pins": pins,
}
audit = build_audit(scenario, slate_results, schedule_result, options)
files = all_bytes(
    scenario,
    slate_results,
    schedule_result,
    audit,
    include_sensitive=include_sensitive,
    allow_pending=allow_pending,
)
buttons = st.columns(len(FORMATS))
for column, (file_name, mime, label) in zip(buttons, FORMATS, strict=True):
    with column:
        content = files[file_name]
        st.download_button(
            t(label),
            data=content,
            file_name=f"{scenario.id}-{file_name}",
            mime=mime,
            key=f"export_{label}",
            width="stretch",
        )
        st.caption(f"{file_name} · {len(content) / 1024:.1f} KB")

with st.expander(t("audit_record")):
    st.json(audit, expanded=1)
