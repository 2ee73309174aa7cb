"""What the server runs: the app (``app.py``) plus the routes that set the HttpOnly login cookie.

``crm-dash run`` and the browser tests start ``streamlit run asgi.py`` (through
crm_dash.ui.serve); Streamlit finds the ``st.App`` below and serves it with uvicorn. A plain
``streamlit run app.py`` works too, but without these routes a login lasts only as long as the
tab (see docs/security.md).
"""

from __future__ import annotations

import streamlit as st

from crm_dash.ui.session_routes import routes

app = st.App("app.py", routes=routes())
