"""Start Streamlit for crm-dash: what ``crm-dash run`` (and the browser tests) execute.

They run ``asgi.py``, the st.App that serves ``app.py`` together with the routes that set the
HttpOnly login cookie (crm_dash.ui.session_routes).

Streamlit treats an app with a ``pages/`` folder as a "pages directory" app until some script
calls ``st.navigation``: the very first request to a fresh server then runs the requested page
script directly and lists every file in ``pages/``. crm-dash's navigation (role-filtered, in
``app.py``) is the only one, so the server starts with that legacy mode switched off. Pages still
guard themselves, so a plain ``streamlit run app.py`` is safe too, only less tidy on its very
first request.

Before the server starts, upload work folders that a killed app left behind are swept
(:func:`crm_dash.workfolders.sweep_upload_folders`).
"""

from __future__ import annotations

import sys


def main() -> None:
    """``python -m crm_dash.ui.serve run asgi.py [streamlit options]``."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.cli import main as streamlit_cli

    from crm_dash.workfolders import sweep_upload_folders

    PagesManager.uses_pages_directory = False
    sweep_upload_folders()
    sys.exit(streamlit_cli())


if __name__ == "__main__":
    main()
