"""Retrospective: the regular CRM retrospective as a checklist linked to the data.

Everyone sees the retrospectives; leads and admins start them and edit them (drafts survive a
reload, saving is atomic); executives read them, compare them and download them.
"""

from __future__ import annotations

from crm_dash.ui import retro_sections as sections
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.views.retro import retro_view
from crm_dash.views.snapshot import snapshot

ctx = page_setup("retro")  # login + role guard, before anything else
lang = ctx.lang

with friendly_errors(lang):
    sections.render_intro(lang)
    snap = snapshot(ctx.conn)
    view = retro_view(snap, sections.reader_choice(), ctx.audience, lang)
    if view.editable:
        sections.render_start(ctx.conn, view, ctx.user.username, lang)
    if view.open is None:
        sections.render_empty(view, lang)
    else:
        sections.pick_retro(view, view.open, lang)
        sections.render_list(view, lang)
        sections.render_heading(view, view.open, lang)
        if view.editable:  # leads and admins edit; the figures follow the date they hold
            sections.render_editor(ctx, snap, view, view.open)
        else:
            sections.render_reader(view.open, lang)
        sections.render_comparison(view.open, lang)
        sections.render_downloads(view.open, lang)
