"""People: who works how much in the CRM, by name, and who to help next (leads and admins)."""

from __future__ import annotations

from crm_dash.ui.adoption_start import page_start
from crm_dash.ui.filters import adoption_filters
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.ui.people_sections import close_list, people_table
from crm_dash.views.people import people_view
from crm_dash.views.snapshot import snapshot

ctx = page_setup("people")  # login + role guard, before anything else
lang = ctx.lang

with friendly_errors(lang):
    snap = snapshot(ctx.conn)
    data = page_start(snap, lang, "people", ctx.audience)
    filters = adoption_filters(data.frame, data.months(), lang, ctx.audience,
                               single_month=True)
    view = people_view(snap, filters, ctx.audience)
    close_list(view, lang)
    people_table(view, lang)
