"""The demo says it is the demo on every page, and how to start with your own company instead."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import Language, t


def demo_notice(lang: Language) -> None:
    """The demo banner with "Start with your own data", which explains the step.

    Real data does not belong in the demo database: its passwords are published on its login
    page and every page calls its figures fictitious. A company gets a database of its own.
    """
    banner, action = st.columns([4, 1.4], vertical_alignment="center")
    banner.warning(t("app.demo_banner", lang), icon=":material/science:")
    with action.popover(t("own_data.button", lang), icon=":material/rocket_launch:",
                        width="stretch"):
        st.markdown(t("own_data.why", lang))
        st.markdown(t("own_data.steps", lang))
        st.code("make run-empty\n# or\ncrm-dash run --db data/company.duckdb", language="bash")
        st.markdown(t("own_data.after", lang))
