"""Adoption: segments over time and by department, lifecycle, movement, breadth, stickiness."""

from __future__ import annotations

import streamlit as st

from crm_dash.datasets import DatasetKind
from crm_dash.i18n import t
from crm_dash.metrics.adoption import month_summary
from crm_dash.metrics.gaps import field_gap
from crm_dash.ui import adoption_sections as sections
from crm_dash.ui.adoption_data import adoption_page_start
from crm_dash.ui.filters import adoption_filters
from crm_dash.ui.page import friendly_errors, page_setup

ctx = page_setup("adoption")  # login + role guard, before anything else
lang = ctx.lang
audience = ctx.audience

with friendly_errors(lang):
    data = adoption_page_start(ctx.conn, lang, "adoption")
    filters = adoption_filters(data.frame, data.months(), lang, audience)
    people = filters.apply(data.frame)
    in_range = people[(people["month"] >= filters.first) & (people["month"] <= filters.last)]
    if audience.scope_too_small(month_summary(people, filters.last).licensed):
        st.info(t("adoption.suppressed", lang, **audience.words))
        st.stop()
    # No month in which the selection, or everyone outside it, was too small to show.
    in_range, hidden = sections.hide_small_months(in_range, data.frame, audience)
    sections.headline(people, filters.last, data.definition, lang, data.no_write_months)
    if hidden:
        st.caption(t("adoption.small_months_hidden", lang, **audience.words))
    sections.segments_over_time(in_range, lang, data.no_write_months)
    sections.by_department(ctx.conn, in_range, filters.last, lang, audience,
                           no_write_months=data.no_write_months)
    sections.lifecycle(in_range, lang, audience)
    sections.movement(people, filters.last, lang, audience)
    sections.breadth_and_stickiness(in_range, filters.last, lang,
                                    field_gap(ctx.conn, DatasetKind.USAGE, "object"))
