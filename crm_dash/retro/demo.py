"""The demo company's past retrospective, so the demo shows comparison and carry-over.

Held three months before the end of the demo data, it has a realistic mix: the training items
the data confirms are done, management and adoption items in progress, a few open actions with an
owner and a due date (they carry over when a lead starts the next retrospective).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import duckdb

from crm_dash.demo import DEMO_FOCUS_DEPARTMENT, DemoSummary
from crm_dash.months import add_months
from crm_dash.retro.evidence import evidence_for, evidence_month
from crm_dash.retro.model import ItemStatus, Retro, RetroHeader
from crm_dash.retro.store import create_retro, get_retro, save_retro

DEMO_ACTOR = "demo"
DEMO_PARTICIPANTS = ("CRM project lead, CRM admin, Head of Sales, key users of {focus}, "
                     "Kundenservice and Marketing")

_DONE, _PROGRESS = ItemStatus.DONE, ItemStatus.IN_PROGRESS
_OPEN, _NA = ItemStatus.OPEN, ItemStatus.NOT_APPLICABLE


def _entries(held_on: date, focus: str) -> list[dict[str, Any]]:
    """What the demo's meeting decided (owners are roles, not people)."""

    def due(months: int) -> date:
        return add_months(held_on, months) + timedelta(days=14)

    return [
        {"item_id": "origin.goal_known", "status": _DONE,
         "notes": "Goal at selection: one view of every customer and a pipeline management "
                  "can steer by."},
        {"item_id": "origin.responsibility", "status": _DONE,
         "notes": "Sales management owns the CRM; the CRM admin owns the configuration."},
        {"item_id": "origin.communication", "status": _PROGRESS,
         "notes": "Kundenservice was never told why the CRM matters for service.",
         "owner": "Head of Service", "due_date": due(2)},
        {"item_id": "origin.results", "status": _OPEN,
         "notes": "Put figures on what the CRM delivered since go-live for the management "
                  "meeting.", "owner": "CRM project lead", "due_date": due(1)},
        {"item_id": "integration.management_matter", "status": _PROGRESS,
         "notes": "Managing director opens the monthly sales meeting with the CRM dashboard."},
        {"item_id": "integration.management_uses", "status": _OPEN,
         "notes": "Team leads still ask for Excel forecasts. Agree that forecasts come from "
                  "the CRM only.", "owner": "Head of Sales", "due_date": due(3)},
        {"item_id": "integration.roadshow", "status": _DONE},
        {"item_id": "goal.time_bound", "status": _PROGRESS,
         "notes": f"+20 % productive users in {focus} within 9 months; a second goal for "
                  "Vertrieb Nord is planned."},
        {"item_id": "goal.benefit_people", "status": _OPEN},
        {"item_id": "goal.obstacles", "status": _OPEN,
         "notes": "Collect obstacles in the key-user round: mobile app, duplicate accounts.",
         "owner": "Key users", "due_date": due(1)},
        {"item_id": "training.kickoff", "status": _DONE},
        {"item_id": "training.regular", "status": _DONE},
        {"item_id": "training.key_users", "status": _DONE},
        {"item_id": "training.onboarding", "status": _PROGRESS,
         "notes": "Onboarding checklist for joiners drafted; HR to add it to the first week.",
         "owner": "HR and key users", "due_date": due(2)},
        {"item_id": "acceptance.productive_share", "status": _PROGRESS},
        {"item_id": "acceptance.no_shadow_lists", "status": _OPEN},
        {"item_id": "after_golive.teething", "status": _DONE,
         "notes": "Support channel in the intranet; answered within a day."},
        {"item_id": "after_golive.idle_licences", "status": _OPEN},
        {"item_id": "data_quality.pipeline_hygiene", "status": _OPEN,
         "notes": "Close dates in the past on many opportunities: weekly clean-up in each team.",
         "owner": "Team leads", "due_date": due(1)},
        {"item_id": "data_quality.roster_complete", "status": _DONE},
        {"item_id": "data_quality.integration_accounts", "status": _DONE},
        {"item_id": "crm_expert.named", "status": _DONE,
         "notes": "The CRM admin has half of the week for the role."},
        {"item_id": "crm_expert.system_links", "status": _NA,
         "notes": "No ERP connection yet; revisit after the ERP project."},
    ]


def add_demo_retro(conn: duckdb.DuckDBPyConnection, summary: DemoSummary) -> Retro:
    """The demo's past retrospective for the demo ``summary`` :func:`crm_dash.demo.build_demo`
    returned: held in the middle of the month three months before its last month of data."""
    held_on = add_months(summary.end_month, -2) - timedelta(days=17)
    return add_retro_for(conn, held_on=held_on, focus_department=DEMO_FOCUS_DEPARTMENT)


def add_retro_for(conn: duckdb.DuckDBPyConnection, *, held_on: date,
                  focus_department: str) -> Retro:
    """Start and save the demo retrospective held on ``held_on`` with its evidence snapshot."""
    header = RetroHeader(held_on=held_on,
                         participants=DEMO_PARTICIPANTS.format(focus=focus_department))
    retro = create_retro(conn, header, actor=DEMO_ACTOR)
    month = evidence_month(conn, held_on)
    save_retro(conn, retro.id, header, _entries(held_on, focus_department), actor=DEMO_ACTOR,
               evidence=evidence_for(conn, month), evidence_month=month)
    return get_retro(conn, retro.id)
