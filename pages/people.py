"""People: who works how much in the CRM, by name, and who to help next (leads and admins)."""

from __future__ import annotations

from crm_dash.ui.adoption_data import adoption_page_start, people
from crm_dash.ui.filters import adoption_filters
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.ui.people_sections import close_list, people_table

ctx = page_setup("people")  # login + role guard, before anything else
lang = ctx.lang

with friendly_errors(lang):
    data = adoption_page_start(ctx.conn, lang, "people")
    filters = adoption_filters(data.frame, data.months(), lang, ctx.audience,
                               single_month=True)
    table = people(ctx.conn, filters.apply(data.frame), filters.last, filters.groups)
    close_list(table, data.definition.definition, lang)
    people_table(table, filters.last, data.definition, lang)
