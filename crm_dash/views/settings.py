"""What the Settings page shows: the adoption definition in force and its history, which months
count as complete, and the integration accounts left out of every figure; and, on request, how
a proposed definition would move people between the segments.

Leads and admins only (the page's guard refuses executives). The history, the accounts and who
changed what are person-level: ``None`` (or empty) for an audience that sees no people; names
and e-mails are pseudonyms when the privacy setting says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from crm_dash.audience import Audience
from crm_dash.metrics.coverage import Coverage
from crm_dash.metrics.definitions import (
    SEGMENTS,
    AdoptionDefinition,
    DefinitionChange,
    VersionedDefinition,
    definition_history,
)
from crm_dash.metrics.integration import flag_history
from crm_dash.metrics.report import month_figures
from crm_dash.months import month_range
from crm_dash.settings import get_setting, setting_history
from crm_dash.views import data
from crm_dash.views.imports import (
    IntegrationFlags,
    excluded_accounts,
    integration_flags,
    people_shown,
)
from crm_dash.views.snapshot import Snapshot
from crm_dash.workdays import HolidayCalendar, as_calendar

#: The settings of the coverage form, in the order the page names their last change.
COVERAGE_KEYS = ("coverage.complete_until", "coverage.holidays")


@dataclass(frozen=True)
class LastChange:
    """Who last changed a setting and when, and how many versions it has."""

    key: str
    changed_by: str
    changed_at: datetime
    versions: int


@dataclass(frozen=True)
class CoverageSettings:
    """Which months count as complete: the rule's verdict (``None`` without usage data), the
    months a lead may name (newest first), the setting "complete up to" (a month key, ``""``:
    automatic), the holiday calendar, and the last change of each of :data:`COVERAGE_KEYS`
    that has one."""

    coverage: Coverage | None
    months: tuple[date, ...]
    complete_until: str
    holidays: HolidayCalendar
    changes: tuple[LastChange, ...]


@dataclass(frozen=True)
class SettingsView:
    """Everything the Settings page shows.

    ``definition``: the adoption definition in force; ``latest_complete``: the month a preview
    describes (``None`` without usage data); ``history``: every change of the definition,
    newest first; ``excluded``: the integration accounts (user_key, name, email, department,
    role, license_type, reason); ``flag_changes``: every decision by hand about them
    (changed_at, changed_by, user_key, name, email, is_integration); ``integration``: the
    roster to flag them by hand. The last four are ``None`` for an audience that sees no
    people.
    """

    definition: VersionedDefinition
    latest_complete: date | None
    history: list[DefinitionChange] | None
    coverage: CoverageSettings
    excluded: pd.DataFrame | None
    flag_changes: pd.DataFrame | None
    integration: IntegrationFlags | None


def settings_view(snap: Snapshot, audience: Audience) -> SettingsView:
    """The Settings page for ``audience``."""
    conn, people = snap.conn, audience.sees_people
    adoption = data.adoption_data(snap)
    return SettingsView(
        definition=data.definition_shown(adoption.definition, audience),
        latest_complete=adoption.latest_complete,
        history=definition_history(conn) if people else None,
        coverage=_coverage_settings(snap, people),
        excluded=people_shown(snap, excluded_accounts(snap), audience) if people else None,
        flag_changes=people_shown(snap, flag_history(conn), audience) if people else None,
        integration=integration_flags(snap, audience))


def _coverage_settings(snap: Snapshot, people: bool) -> CoverageSettings:
    coverage = data.coverage(snap)
    changes = []
    for key in COVERAGE_KEYS:
        versions = setting_history(snap.conn, key) if people else []
        if versions:
            changes.append(LastChange(key, versions[0].changed_by, versions[0].changed_at,
                                      len(versions)))
    return CoverageSettings(
        coverage=coverage,
        months=() if coverage is None else tuple(month_range(coverage.first, coverage.last)[::-1]),
        complete_until=str(get_setting(snap.conn, "coverage.complete_until")),
        holidays=as_calendar(get_setting(snap.conn, "coverage.holidays")),
        changes=tuple(changes))


@dataclass(frozen=True)
class Preview:
    """People per segment in ``month`` under the definition in force (``now``) and under the
    proposed one (``then``); ``time_zone_kept``: the proposal changes the time zone, which a
    preview cannot show (it counts with the current one)."""

    month: date
    now: dict[str, int]
    then: dict[str, int]
    time_zone_kept: bool


def definition_preview(snap: Snapshot, current: AdoptionDefinition,
                       proposed: AdoptionDefinition, month: date) -> Preview:
    """How ``proposed`` would count ``month``, beside ``current`` (nothing is saved)."""
    kept = proposed.time_zone != current.time_zone
    if kept:
        proposed = proposed.model_copy(update={"time_zone": current.time_zone})
    now = month_figures(snap.conn, current, month)
    then = month_figures(snap.conn, proposed, month)
    return Preview(month=month, now={s: now.segments[s] for s in SEGMENTS},
                   then={s: then.segments[s] for s in SEGMENTS}, time_zone_kept=kept)
