"""导出 Export: the plan (slates per community and the schedule) as JSON, Excel, Word and iCalendar, and the
official documents of each stage (planner.export.documents), each offered as a download.

What is exported is exactly what the pages show: the session's scenario (its rules as edited on the
Slates page), the Slates page's K, locks, excludes and "allow pending", and the Schedule page's pins.
Every file carries the audit record (scenario hash, rules in force, solver and what-if settings).
Personal sensitive details (disqualifications, joint reviews) are left out unless the box is ticked.

The files are built once per plan: they are kept in the session, keyed on a hash of every input
(scenario, what-if settings, language, sensitive details), with the export time fixed when they were
built. A rerun (a download click among them) serves the same bytes, so no download link is invalidated.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages.common import (
    person_label,
    plan_files,
    plan_options,
    require_scenario,
    show_failure,
)
from app_pages.i18n import lang, t
from app_pages.workspace_state import save_plan_box
from planner.export.documents import DOCUMENTS
from planner.scenario import Scenario, communities

FORMATS = (  # (file name, mime type, label key)
    ("plan.json", "application/json", "download_json"),
    ("plan.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "download_xlsx"),
    ("plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "download_docx"),
    ("schedule.ics", "text/calendar", "download_ics"),
)


def whatif_summary(scenario: Scenario, options: dict[str, Any]) -> str:
    """The what-if settings the files carry, in one line per community."""
    none = t("export_none")
    lines = [
        t(
            "export_whatif",
            top=options["top"],
            pending=t("yes") if options["allow_pending"] else t("no"),
            pins=len(options["pins"]),
        )
    ]
    many = len(communities(scenario)) > 1
    for c in communities(scenario):
        locks = options["locks"].get(c.id, {})
        excludes = options["excludes"].get(c.id, [])
        if many and not locks and not excludes:
            continue
        line = t(
            "export_whatif_people",
            locks="、".join(person_label(c, p) for p in locks) or none,
            excludes="、".join(person_label(c, p) for p in excludes) or none,
        )
        lines.append(f"- {c.name or c.id}: {line}" if many else f"- {line}")
    return "  \n".join(lines)


st.title(t("export_title"))
st.caption(t("export_intro"))
scenario = require_scenario()

include_sensitive = st.checkbox(
    t("include_sensitive"), value=False, key="export_sensitive", help=t("include_sensitive_help")
)
options = plan_options(scenario, include_sensitive)
st.info(whatif_summary(scenario, options))

try:
    audit, files = plan_files(scenario, options)
except Exception as exc:  # noqa: BLE001 - shown, never a traceback
    show_failure(exc)

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
            on_click="ignore",  # a download never reruns the page
            width="stretch",
        )
        st.caption(f"{file_name} · {len(content) / 1024:.1f} KB")

MIME = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
st.subheader(t("documents_title"))
st.caption(t("documents_intro"))
for kind in DOCUMENTS.values():
    shown = [f for f in kind.files if f in files and f != "plan.docx"]
    if not shown:
        continue
    label, *columns = st.columns([3, 1, 1])
    with label:
        st.markdown(f"**{kind.title.pick(lang())}**")
        st.caption(kind.about.pick(lang()))
    for column, file_name in zip(columns, shown, strict=False):
        suffix = file_name[file_name.rindex(".") :]
        with column:
            st.download_button(
                t(f"download_document_{suffix[1:]}"),
                data=files[file_name],
                file_name=f"{scenario.id}-{file_name}",
                mime=MIME[suffix],
                key=f"document_{file_name}",
                on_click="ignore",
                width="stretch",
            )

with st.expander(t("audit_record")):
    st.json(audit, expanded=1)

save_plan_box(scenario, page="export", plan=(options, files))  # the workspace keeps this plan on request
