"""场景 Scenario: pick a bundled scenario or upload one, see what it holds, download it (edited) as YAML
or as an Excel roster (花名册, planner.roster); a roster (.xlsx, or .csv of its 人员 sheet) uploads too.

Uploads are validated in memory and never written to scenarios/; a bad file shows its
issues as a table (never a traceback) and the session keeps its previous scenario. Several files
may be uploaded at once: a sub-district file and the community files it names, which are looked up
among the uploaded files only, never on the server's disk.

Streamlit's file uploader has no option to translate its own texts (its "Upload" button, "200MB per file •
YAML, YML, JSON"); the page hides its instructions, relabels its button in the page's
language with a stylesheet (UPLOADER_CSS) and states the real limit (10 MB, .streamlit/config.toml and
planner.loader) in a caption in the page's language.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import (
    BUNDLED_KEY,
    SOURCE_KEY,
    bundled_files,
    bundled_labels,
    current_scenario,
    is_edited,
    load_bundled,
    notify,
    read_uploads,
    scenario_yaml,
    set_scenario,
    show_issues,
    show_notice,
)
from app_pages.i18n import t
from planner.scenario import Scenario, Subdistrict, blank_roster, communities, roster_of

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_LIMIT_MB = 10  # planner.loader's cap and .streamlit/config.toml's server.maxUploadSize
# The uploader's built-in (English-only) instructions hidden, its button relabelled in the page's language.
UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{browse}"; font-size: 0.875rem;
}}
</style>"""
ISSUES_KEY = "scenario_issues"
UPLOAD_ID_KEY = "scenario_upload_id"


@st.cache_data(max_entries=8, show_spinner=False)
def _roster(sha: str, _scenario: Scenario) -> bytes:
    """The scenario's Excel roster, built once per version (keyed by its fingerprint)."""
    return roster_of(_scenario)


def load_chosen_bundled() -> None:
    """on_change of the bundled picker: load the chosen file, or keep the issues to show them."""
    relpath = st.session_state.get("scenario_bundled")
    if not relpath:
        return
    issues = load_bundled(relpath)
    st.session_state[ISSUES_KEY] = issues
    if not issues:
        notify(t("loaded", source=bundled_labels([relpath])[relpath]))


st.title(t("scenario_title"))
st.caption(t("scenario_intro"))
scenario = current_scenario()
show_notice()

pick_column, upload_column = st.columns(2)
with pick_column:
    files = bundled_files()
    labels = bundled_labels(files)
    current_file = st.session_state.get(BUNDLED_KEY)
    if files:
        if st.session_state.get("scenario_bundled") != current_file:
            st.session_state.pop(
                "scenario_bundled", None
            )  # the picker shows the current file, none after an upload
        st.selectbox(
            t("bundled"),
            files,
            index=files.index(current_file) if current_file in files else None,
            key="scenario_bundled",
            help=t("bundled_help"),
            on_change=load_chosen_bundled,
            placeholder=t("choose"),
            format_func=lambda f: labels.get(f, f),
        )
    if current_file and is_edited() and st.button(t("reset"), key="scenario_reset"):
        st.session_state[ISSUES_KEY] = load_bundled(current_file)
        st.rerun()
with upload_column:
    st.html(UPLOADER_CSS.format(browse=t("upload_browse")))
    uploads = (
        st.file_uploader(
            t("roster_upload"),
            type=["yaml", "yml", "json", "xlsx", "csv"],
            key="scenario_upload",
            help=t("upload_help"),
            accept_multiple_files=True,
            max_upload_size=UPLOAD_LIMIT_MB,
        )
        or []
    )
    st.caption(t("roster_upload_limit"))
    upload_id = tuple(u.file_id for u in uploads)
    if uploads and upload_id != st.session_state.get(UPLOAD_ID_KEY):
        st.session_state[UPLOAD_ID_KEY] = upload_id
        name, uploaded, upload_issues = read_uploads([(u.name, u.getvalue()) for u in uploads])
        st.session_state[ISSUES_KEY] = upload_issues
        if uploaded is not None:
            set_scenario(uploaded, name, files={u.name: u.getvalue() for u in uploads})
            st.session_state.pop("scenario_bundled", None)  # the picker no longer names the current file
            notify(t("loaded", source=name))
            st.rerun()

issues = st.session_state.get(ISSUES_KEY) or []
if issues:
    show_issues(issues)
    if scenario is not None:
        st.info(t("kept_previous", source=st.session_state.get(SOURCE_KEY, "")))

if scenario is None:
    st.info(t("no_scenario"))
    st.download_button(
        t("roster_blank"),
        data=blank_roster(),
        file_name="roster.xlsx",
        mime=XLSX_MIME,
        key="roster_blank_download",
        help=t("roster_help"),
    )
    st.stop()

st.subheader(t("summary"))
items = communities(scenario)
edited = f" {t('edited')}" if is_edited() else ""
st.markdown(f"**{scenario.name or scenario.id}** · `{st.session_state.get(SOURCE_KEY, '')}`{edited}")
metrics = st.columns(4)
metrics[0].metric(
    t("kind"), t("kind_subdistrict") if isinstance(scenario, Subdistrict) else t("kind_community")
)
metrics[1].metric(t("people_count"), sum(len(c.people) for c in items))
metrics[2].metric(t("relatives_count"), sum(len(c.relatives) for c in items))
if isinstance(scenario, Subdistrict):
    metrics[3].metric(t("capacity"), scenario.capacity)
else:
    metrics[3].metric(t("reference_date"), scenario.reference_date.isoformat())

if isinstance(scenario, Subdistrict):
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("community"): c.id,
                    t("name"): c.name,
                    t("people_count"): len(c.people),
                    t("relatives_count"): len(c.relatives),
                    t("reference_date"): c.reference_date.isoformat(),
                    t("multi_ethnic"): t("yes") if c.multi_ethnic else t("no"),
                }
                for c in items
            ]
        ),
        hide_index=True,
        width="stretch",
    )

st.caption(f"{t('fingerprint')}: `{scenario.sha256()}`")
st.download_button(
    t("download_yaml"),
    data=scenario_yaml(scenario).encode("utf-8"),
    file_name=f"{scenario.id}.yaml",
    mime="application/x-yaml",
    key="scenario_download",
)
st.download_button(
    t("roster_download"),
    data=_roster(scenario.sha256(), scenario),
    file_name=f"{scenario.id}.xlsx",
    mime=XLSX_MIME,
    key="roster_download",
    help=t("roster_help"),
)
