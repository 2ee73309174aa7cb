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
(:func:`crm_dash.workfolders.sweep_upload_folders`), and on a database without accounts the
one-time setup link is issued and printed (:mod:`crm_dash.setup_link`).
"""

from __future__ import annotations

import logging
import sys


def _option(argv: list[str], name: str) -> str | None:
    """The value of ``--name value`` or ``--name=value`` in Streamlit's command line."""
    for index, arg in enumerate(argv):
        if arg == name and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def base_url(argv: list[str]) -> str:
    """Where a browser on this machine reaches the server that ``argv`` starts."""
    address = _option(argv, "--server.address") or "localhost"
    if address in {"0.0.0.0", "::", ""}:  # every interface: this machine reaches it locally
        address = "localhost"
    if ":" in address:
        address = f"[{address}]"
    port = _option(argv, "--server.port") or "8501"
    path = (_option(argv, "--server.baseUrlPath") or "").strip("/")
    return f"http://{address}:{port}/{path}".rstrip("/")


def announce_setup_link(argv: list[str]) -> None:
    """On a database without accounts, issue the one-time setup link and print it.

    Runs in the serving process before the server opens the database itself; a database that
    already has accounts is left alone.
    """
    from crm_dash import config, db, setup_link
    from crm_dash.errors import CrmDashError

    try:
        conn = db.connect(config.db_path())
    except CrmDashError as exc:  # busy: the setup page issues a link once it can open the file
        logging.getLogger("crm_dash.setup").warning("No setup link yet: %s (%s)", exc.message,
                                                    exc.error_code)
        return
    try:
        issued = setup_link.issue_token(conn)
    finally:
        conn.close()
    if issued is not None:
        setup_link.announce(setup_link.setup_url(base_url(argv), issued.token), issued.expires_at)


def _log_to_terminal() -> None:
    """crm-dash's own log records (``crm_dash.*``) go to the server's output with a time."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("crm_dash")
    if not logger.handlers:
        logger.addHandler(handler)


def main() -> None:
    """``python -m crm_dash.ui.serve run asgi.py [streamlit options]``."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.cli import main as streamlit_cli

    from crm_dash.workfolders import sweep_upload_folders

    PagesManager.uses_pages_directory = False
    sweep_upload_folders()
    _log_to_terminal()
    announce_setup_link(sys.argv)
    sys.exit(streamlit_cli())


if __name__ == "__main__":
    main()
