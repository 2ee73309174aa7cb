"""Training: who is trained, how regular the sessions are, onboarding, no-shows, and the
(observational) effect; for leads, who to invite next."""

from __future__ import annotations

import streamlit as st

from crm_dash.datasets import DatasetKind
from crm_dash.i18n import t
from crm_dash.metrics.gaps import field_gaps
from crm_dash.metrics.training import licensed_in, scope_keys, training_figures
from crm_dash.ui import training_sections as sections
from crm_dash.ui.adoption_data import adoption_page_start, people
from crm_dash.ui.filters import adoption_filters
from crm_dash.ui.page import friendly_errors, page_setup

ctx = page_setup("training")  # login + role guard, before anything else
lang = ctx.lang
audience = ctx.audience

with friendly_errors(lang):
    data = adoption_page_start(ctx.conn, lang, "training")
    records = sections.training_records(ctx.conn)
    if records.empty:
        sections.no_training_data(lang, lead=audience.sees_people)
        st.stop()
    filters = adoption_filters(data.frame, data.months(), lang, audience, single_month=True)
    month = filters.last
    frame = filters.apply(data.frame)
    scope = None if filters.everyone else scope_keys(frame)
    if audience.scope_too_small(len(licensed_in(frame, month))):
        st.info(t("adoption.suppressed", lang, **audience.words))
        st.stop()
    sections.caption(month, lang)
    figures = training_figures(frame, records, month, scope, filters.department)
    gaps = {**field_gaps(ctx.conn, DatasetKind.USERS, ["start_date"]),
            **field_gaps(ctx.conn, DatasetKind.TRAINING, ["status"])}
    sections.tiles(figures.summary, lang, audience, gaps=gaps)
    sections.by_department(frame, records, month, lang, audience)
    sections.sessions(figures.sessions, records, month, scope, lang, audience)
    sections.onboarding(figures.joiners, month, lang, audience,
                        start_gap=gaps.get("start_date"))
    sections.effect(frame, records, month, data.first_month or month, lang, audience)
    if audience.sees_people:
        sections.invitations(people(ctx.conn, frame, month, filters.groups), month, lang,
                             learners_unmatched=figures.summary.learners_unmatched)
