"""How the adoption pages begin: title, intro, the data and its definition.

The data itself comes from :mod:`crm_dash.views.data`, once per data version.
"""

from __future__ import annotations

import streamlit as st

from crm_dash.audience import Audience
from crm_dash.i18n import Language, t
from crm_dash.ui.format import definition_caption
from crm_dash.views import data
from crm_dash.views.data import AdoptionData
from crm_dash.views.snapshot import Snapshot


def page_start(snap: Snapshot, lang: Language, page_key: str, audience: Audience
               ) -> AdoptionData:
    """How the Adoption and People pages begin: title, intro, the data and its definition.

    Stops the page with a hint when no usage data is on file yet.
    """
    st.title(t(f"{page_key}.title", lang))
    st.caption(t(f"{page_key}.intro", lang))
    adoption = data.adoption_data(snap)
    if not adoption.has_data:
        st.info(t("adoption.no_data", lang))
        st.stop()
    definition_caption(data.definition_shown(adoption.definition, audience), lang)
    return adoption
