"""Training: who is trained, how regular the sessions are, onboarding, no-shows, and the
(observational) effect; for leads, who to invite next."""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import t
from crm_dash.ui import training_sections as draw
from crm_dash.ui.adoption_start import page_start
from crm_dash.ui.filters import adoption_filters
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.views.snapshot import snapshot
from crm_dash.views.training import has_training_records, training_view

ctx = page_setup("training")  # login + role guard, before anything else
lang = ctx.lang
audience = ctx.audience

with friendly_errors(lang):
    snap = snapshot(ctx.conn)
    data = page_start(snap, lang, "training", ctx.audience)
    if not has_training_records(snap):  # before the filters: nothing to filter yet
        draw.no_training_data(lang, lead=audience.sees_people)
        st.stop()
    filters = adoption_filters(data.frame, data.months(), lang, audience, single_month=True)
    view = training_view(snap, filters, audience)
    if view.sections is None:  # the selection is too small for this audience
        st.info(t("adoption.suppressed", lang, **audience.words))
        st.stop()
    shown = view.sections
    draw.caption(view.month, view.first, lang)
    draw.tiles(shown.tiles, lang, audience)
    draw.by_department(shown.departments, view.month, lang, audience)
    draw.sessions(shown.sessions, lang)
    draw.onboarding(shown.onboarding, view.month, view.first, lang)
    draw.effect(shown.effect, lang, audience)
    if shown.invitations is not None:
        draw.invitations(shown.invitations, view.month, lang)
