"""Pipeline: how current the owners keep their opportunities, by owner (leads), by the owner's
adoption segment and by department; which stages count as open, won or lost."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import t
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.ui.pipeline import sections
from crm_dash.ui.pipeline.stages import stage_mapping
from crm_dash.views.pipeline import department_options, pipeline_view
from crm_dash.views.snapshot import snapshot

ctx = page_setup("pipeline")  # login + role guard, before anything else
lang, audience = ctx.lang, ctx.audience

with friendly_errors(lang):
    st.title(t("pipeline.title", lang))
    st.caption(t("pipeline.intro", lang))
    snap = snapshot(ctx.conn)
    department = sections.department_filter(department_options(snap, audience), lang)
    view = pipeline_view(snap, department, audience, lang)
    if view.as_of is None:
        sections.no_data(lang, lead=view.lead)
        st.stop()
    sections.as_of_caption(view.as_of, lang)
    if view.too_small or view.tiles is None or view.segments is None:
        st.info(t("pipeline.suppressed", lang, **audience.words))  # never the owners' number
        st.stop()
    sections.tiles(view.tiles, lang)
    sections.segment_section(view.segments, lang, audience.words)
    if view.owners is not None:
        sections.owner_section(view.owners, lang)
    if view.unmatched is not None:
        sections.unmatched_section(view.unmatched, lang)
    if view.departments is not None:
        sections.department_section(view.departments, lang, audience.words)
    if view.stages is not None:
        stage_mapping(view.stages, ctx.conn, lang, ctx.user.username)
