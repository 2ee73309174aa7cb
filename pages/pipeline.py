"""Pipeline: how current the owners keep their opportunities, by owner (leads), by the owner's
adoption segment and by department; which stages count as open, won or lost."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import t
from crm_dash.metrics.pipeline import summarise
from crm_dash.metrics.pipeline_owners import in_department
from crm_dash.ui import pipeline_sections as sections
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.ui.pipeline_stages import stage_mapping

ctx = page_setup("pipeline")  # login + role guard, before anything else
lang = ctx.lang
audience = ctx.audience

with friendly_errors(lang):
    st.title(t("pipeline.title", lang))
    st.caption(t("pipeline.intro", lang))
    data = sections.load(ctx.conn)
    if data is None:
        sections.no_data(lang, lead=audience.sees_people)
        st.stop()
    department = sections.department_filter(data, lang, audience)
    summary = summarise(data, department)
    month, segments = sections.owner_segments(ctx.conn)
    sections.as_of_caption(summary, month, lang)
    if audience.scope_too_small(summary.owners):  # no aggregate of too few people
        st.info(t("pipeline.suppressed", lang, **audience.words))
        st.stop()
    scoped = in_department(data, department)
    sections.tiles(ctx.conn, scoped, summary, lang)
    sections.segment_section(scoped, segments, month, lang, audience)
    if audience.sees_people:
        sections.owner_section(ctx.conn, scoped, segments, month, lang)
    if department is None:
        sections.unmatched_section(ctx.conn, data, lang, lead=audience.sees_people)
        sections.department_section(data, lang, audience)
    if audience.sees_people:
        stage_mapping(ctx.conn, lang, ctx.user.username)
