"""What every page does first, and how pages show errors without tracebacks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import streamlit as st

from crm_dash.db import is_demo
from crm_dash.errors import CrmDashError
from crm_dash.i18n import Language, t
from crm_dash.ui import context

log = logging.getLogger("crm_dash.ui")


@dataclass(frozen=True)
class PageContext:
    """What a page needs to render: the connection and the language."""

    conn: duckdb.DuckDBPyConnection
    lang: Language


def page_setup(page_key: str) -> PageContext:
    """First statement of every page script.

    Streamlit runs a page script directly when its URL is the first request to a fresh server,
    without ``app.py``; so each page sets itself up here rather than relying on the shell.
    """
    lang = context.language()
    conn = context.connection()
    if is_demo(conn):
        st.warning(t("app.demo_banner", lang), icon=":material/science:")
    return PageContext(conn=conn, lang=lang)


@contextmanager
def friendly_errors(lang: Language) -> Iterator[None]:
    """Show a :class:`CrmDashError` as a message and anything else as a generic one, logged."""
    try:
        yield
    except CrmDashError as exc:
        st.error(f"**{exc.title}**: {exc.message}")
    except Exception:
        log.exception("Unexpected error while rendering a page")
        st.error(f"**{t('app.error_title', lang)}**: {t('app.unexpected_error', lang)}")
