"""Adoption: segments over time and by department, lifecycle, movement, breadth, stickiness."""

from __future__ import annotations

import streamlit as st

from crm_dash.ui import adoption_sections as sections
from crm_dash.ui.adoption_start import page_start
from crm_dash.ui.filters import adoption_filters
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.views.adoption import adoption_view
from crm_dash.views.snapshot import snapshot

ctx = page_setup("adoption")  # login + role guard, before anything else
lang = ctx.lang
audience = ctx.audience

with friendly_errors(lang):
    snap = snapshot(ctx.conn)
    data = page_start(snap, lang, "adoption", ctx.audience)
    filters = adoption_filters(data.frame, data.months(), lang, audience)
    view = adoption_view(snap, filters, audience)
    if view.figures is None:  # the selection is too small for this audience
        sections.suppressed(lang, audience)
        st.stop()
    figures = view.figures
    sections.headline(figures.headline, view.month, view.definition, lang)
    sections.hidden_months_note(figures.hidden_months, lang, audience)
    sections.segments_over_time(figures.segments, lang)
    sections.by_department(figures.departments, lang, audience)
    sections.lifecycle(figures.lifecycle, lang, audience)
    sections.movement(figures.movement, lang)
    sections.breadth_and_stickiness(figures.breadth, figures.stickiness, view.month, lang)
