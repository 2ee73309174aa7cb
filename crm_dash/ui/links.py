"""Links between pages that work whether or not the shell (``app.py``) set up the navigation."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from crm_dash.pages import page


def page_link(key: str, label: str, icon: str) -> None:
    """A link to the page ``key``: Streamlit's page link, or a plain link to its URL.

    A page opened as the first request of a fresh server runs without ``st.navigation``; there
    ``st.page_link`` knows no pages, so a plain link does the job.
    """
    spec = page(key)
    try:
        st.page_link(spec.script, label=label, icon=icon)
    except StreamlitPageNotFoundError:
        st.markdown(f"[{label}](./{spec.url_path})")
