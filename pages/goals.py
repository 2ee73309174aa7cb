"""Goals: where each goal stands, the chart to its deadline, and (for leads) setting and editing."""

from __future__ import annotations

from crm_dash.ui.goals_sections import archived_goals, goal_cards, new_goal_form
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.views.goals import goals_view
from crm_dash.views.snapshot import snapshot

ctx = page_setup("goals")  # login + role guard, before anything else

with friendly_errors(ctx.lang):
    view = goals_view(snapshot(ctx.conn), ctx.audience, ctx.lang)
    goal_cards(ctx, view)
    with friendly_errors(ctx.lang):  # a draft the data refuses leaves the goals standing
        new_goal_form(ctx, view.new_goal)
    archived_goals(ctx, view.archived)
