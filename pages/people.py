"""People: who works how much in the CRM, by name, and who to help next (leads and admins)."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import t
from crm_dash.ui.adoption_data import adoption_data, people
from crm_dash.ui.filters import adoption_filters
from crm_dash.ui.format import definition_caption
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.ui.people_sections import close_list, people_table

ctx = page_setup("people")  # login + role guard, before anything else
lang = ctx.lang

with friendly_errors(lang):
    st.title(t("people.title", lang))
    st.caption(t("people.intro", lang))
    data = adoption_data(ctx.conn)
    if not data.has_data:
        st.info(t("adoption.no_data", lang))
        st.stop()
    definition_caption(data.definition, lang)
    filters = adoption_filters(data.frame, data.months(), lang, single_month=True)
    table = people(ctx.conn, filters.apply(data.frame), filters.last, filters.groups)
    close_list(table, data.definition.definition, lang)
    people_table(table, filters.last, data.definition, lang)
