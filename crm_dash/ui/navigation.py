"""The navigation: every declared page, visible only to the roles that may open it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from crm_dash.i18n import Language, t
from crm_dash.pages import PAGES, Role, pages_for


def navigation_pages(lang: Language, role: Role | None) -> dict[str, list[Any]]:
    """Pages by section for ``st.navigation``; pages the role may not open are hidden.

    Hidden pages stay routable so that their URL reaches the page's own guard, which refuses
    with a message instead of Streamlit's "page not found".
    """
    allowed = set(pages_for(role))
    sections: dict[str, list[Any]] = {}
    for spec in PAGES:
        sections.setdefault(t(spec.section, lang), []).append(
            st.Page(
                spec.script,
                title=t(spec.title_key, lang),
                icon=spec.icon,
                url_path=spec.url_path or None,
                default=not spec.url_path,
                visibility="visible" if spec in allowed else "hidden",
            )
        )
    return sections
