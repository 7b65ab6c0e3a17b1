"""Placeholder while the page is written."""
import streamlit as st
from app_pages.i18n import t
st.title(t("export_title"))
