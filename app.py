"""两委 Planner: the Streamlit router (page config, language toggle, navigation) and nothing else."""

from __future__ import annotations

import streamlit as st

from app_pages.i18n import LANG_KEY, LANGS, t

st.set_page_config(page_title="两委 Planner", page_icon=":material/how_to_vote:", layout="wide")

if LANG_KEY not in st.session_state:
    st.session_state[LANG_KEY] = "zh"

pages = [
    st.Page("app_pages/scenario.py", title=t("page_scenario"), icon=":material/folder_open:", url_path="scenario", default=True),
    st.Page("app_pages/candidates.py", title=t("page_candidates"), icon=":material/groups:", url_path="candidates"),
    st.Page("app_pages/relatives.py", title=t("page_relatives"), icon=":material/family_history:", url_path="relatives"),
    st.Page("app_pages/slates.py", title=t("page_slates"), icon=":material/account_tree:", url_path="slates"),
    st.Page("app_pages/schedule.py", title=t("page_schedule"), icon=":material/calendar_month:", url_path="schedule"),
    st.Page("app_pages/export.py", title=t("page_export"), icon=":material/download:", url_path="export"),
]
page = st.navigation(pages)

with st.sidebar:
    st.radio(t("language"), LANGS, key=LANG_KEY, horizontal=True,
             format_func=lambda code: t(f"lang_{code}"))

page.run()
