"""Pipeline: how current the owners keep their opportunities, by owner (leads), by the owner's
adoption segment and by department; which stages count as open, won or lost."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import fmt_int, t
from crm_dash.metrics.pipeline import summarise
from crm_dash.metrics.pipeline_owners import in_department
from crm_dash.pages import LEADS
from crm_dash.privacy import MIN_GROUP_SIZE
from crm_dash.ui import pipeline_sections as sections
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.ui.pipeline_stages import stage_mapping

ctx = page_setup("pipeline")  # login + role guard, before anything else
lang = ctx.lang
lead = ctx.user.role in LEADS

with friendly_errors(lang):
    st.title(t("pipeline.title", lang))
    st.caption(t("pipeline.intro", lang))
    data = sections.load(ctx.conn)
    if data is None:
        sections.no_data(lang, lead=lead)
        st.stop()
    department = sections.department_filter(data, lang)
    summary = summarise(data, department)
    month, segments = sections.owner_segments(ctx.conn)
    sections.as_of_caption(summary, month, lang)
    if not lead and summary.owners < MIN_GROUP_SIZE:  # no aggregate of fewer than 5 people
        st.info(t("pipeline.suppressed", lang, n=fmt_int(summary.owners, lang)))
        st.stop()
    scoped = in_department(data, department)
    sections.tiles(ctx.conn, scoped, summary, lang)
    sections.segment_section(scoped, segments, month, lang, suppress=not lead)
    if lead:
        sections.owner_section(ctx.conn, scoped, segments, month, lang)
    if department is None:
        sections.unmatched_section(ctx.conn, data, lang, lead=lead)
        sections.department_section(data, lang, suppress=not lead)
    if lead:
        stage_mapping(ctx.conn, lang, ctx.user.username)
