"""crm-dash entry point: page config, language, navigation. Pages guard themselves."""

from __future__ import annotations

from typing import Any

import streamlit as st

from crm_dash.i18n import t
from crm_dash.pages import PAGES
from crm_dash.ui.context import language_switch

st.set_page_config(page_title="crm-dash", page_icon=":material/monitoring:", layout="wide")

lang = language_switch()
sections: dict[str, list[Any]] = {}
for spec in PAGES:
    sections.setdefault(t(spec.section, lang), []).append(
        st.Page(spec.script, title=t(spec.title_key, lang), icon=spec.icon, url_path=spec.url_path)
    )
st.navigation(sections).run()
