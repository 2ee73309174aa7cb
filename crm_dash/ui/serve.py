"""Start Streamlit for crm-dash: what ``crm-dash run`` (and the browser tests) execute.

Streamlit treats an app with a ``pages/`` folder as a "pages directory" app until some script
calls ``st.navigation``: the very first request to a fresh server then runs the requested page
script directly and lists every file in ``pages/``. crm-dash's navigation (role-filtered, in
``app.py``) is the only one, so the server starts with that legacy mode switched off. Pages still
guard themselves, so a plain ``streamlit run app.py`` is safe too, only less tidy on its very
first request.
"""

from __future__ import annotations

import sys


def main() -> None:
    """``python -m crm_dash.ui.serve run app.py [streamlit options]``."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.cli import main as streamlit_cli

    PagesManager.uses_pages_directory = False
    sys.exit(streamlit_cli())


if __name__ == "__main__":
    main()
