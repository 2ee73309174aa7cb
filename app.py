"""crm-dash entry point: page config, session (language, login), role-filtered navigation.

Pages guard themselves as well (see crm_dash.ui.page): the navigation is not the protection.
"""

from __future__ import annotations

import streamlit as st

from crm_dash.ui.navigation import navigation_pages
from crm_dash.ui.page import require_login, shell_session, start_session

session = start_session()
# A logged-out session gets a navigation whose pages are all hidden: nothing to list.
navigation = st.navigation(
    navigation_pages(session.lang, session.user.role if session.user else None),
    position="sidebar",
)
session = require_login(session)  # after st.navigation: see crm_dash.ui.auth.login_form
with shell_session(session):
    navigation.run()
