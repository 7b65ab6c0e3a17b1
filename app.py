"""两委 Planner: the Streamlit router (page config, language toggle, navigation) and nothing else."""

from __future__ import annotations

import streamlit as st

from app_pages.common import freeze_long_lived
from app_pages.i18n import LANG_KEY, LANGS, t
from app_pages.workspace_state import remember_session, resume_session

# An emoji favicon is drawn in the browser; a Material-symbol one would be fetched from fonts.gstatic.com,
# and nothing may leave the machine. The pages carry no icons (emoji fonts are missing on some machines).
st.set_page_config(page_title="两委 Planner", page_icon="🗳️", layout="wide")

freeze_long_lived()  # the garbage collector skips the modules (a full collection ends each run)
resume_session()  # a new session starts where the user left off (the workspace's last scenario version)
if LANG_KEY not in st.session_state:
    st.session_state[LANG_KEY] = "zh"

pages = [
    st.Page("app_pages/scenario.py", title=t("page_scenario"), url_path="scenario", default=True),
    st.Page("app_pages/candidates.py", title=t("page_candidates"), url_path="candidates"),
    st.Page("app_pages/relatives.py", title=t("page_relatives"), url_path="relatives"),
    st.Page("app_pages/settings.py", title=t("page_settings"), url_path="settings"),
    st.Page("app_pages/slates.py", title=t("page_slates"), url_path="slates"),
    st.Page("app_pages/schedule.py", title=t("page_schedule"), url_path="schedule"),
    st.Page("app_pages/export.py", title=t("page_export"), url_path="export"),
    st.Page("app_pages/history.py", title=t("page_history"), url_path="history"),
]
page = st.navigation(pages)

with st.sidebar:
    st.radio(t("language"), LANGS, key=LANG_KEY, horizontal=True, format_func=lambda code: t(f"lang_{code}"))

try:
    page.run()
finally:  # also after st.stop() and st.rerun(): the workspace keeps where the user is
    remember_session()
