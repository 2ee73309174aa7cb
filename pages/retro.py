"""Retrospective: the regular CRM retrospective as a checklist linked to the data.

Everyone sees the retrospectives; leads and admins start them and edit them (drafts survive a
reload, saving is atomic); executives read them, compare them and download them.
"""

from __future__ import annotations

from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.ui.retro_sections import (
    pick_retro,
    reader_choice,
    render_comparison,
    render_downloads,
    render_editor,
    render_empty,
    render_heading,
    render_intro,
    render_list,
    render_reader,
    render_start,
)
from crm_dash.views.retro import retro_view
from crm_dash.views.snapshot import snapshot

ctx = page_setup("retro")  # login + role guard, before anything else
lang = ctx.lang

with friendly_errors(lang):
    render_intro(lang)
    snap = snapshot(ctx.conn)
    view = retro_view(snap, reader_choice(), ctx.audience, lang)
    if view.editable:
        render_start(ctx.conn, view, ctx.user.username, lang)
    if view.open is None:
        render_empty(view, lang)
    else:
        pick_retro(view, view.open, lang)
        render_list(view, lang)
        render_heading(view, view.open, lang)
        if view.editable:  # leads and admins edit; the figures follow the date they hold
            render_editor(ctx, snap, view, view.open)
        else:
            render_reader(view.open, lang)
        render_comparison(view.open, lang)
        render_downloads(view.open, lang)
