"""The Overview's data: the adoption headline of the latest complete month, the data-health
line, the checklist of the four datasets with a missing usage month, the coverage question and
the inventory of what the database holds.

The audience decides what of it a reader gets: executives see no headline for fewer licensed
people than the minimum and no change of a few people, no examples behind the health line (they
name people), no upload checklist beyond "data is coming" and no coverage question.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from crm_dash.audience import Audience
from crm_dash.datasets import DatasetKind
from crm_dash.health.findings import HealthReport
from crm_dash.health.freshness import Checklist, MissingUsage, checklist
from crm_dash.metrics.adoption import WRITE_SEGMENTS, MonthSummary, month_summary
from crm_dash.metrics.coverage import Coverage
from crm_dash.metrics.definitions import SEGMENTS, VersionedDefinition
from crm_dash.metrics.gaps import FieldGap, field_gap
from crm_dash.months import add_months
from crm_dash.pages import LEADS, page
from crm_dash.summary import DataSummary, data_summary
from crm_dash.views import data
from crm_dash.views.snapshot import Snapshot, per_version


@dataclass(frozen=True)
class SegmentTile:
    """One segment in the headline month.

    ``count``/``share``: ``None`` where the data cannot tell (a month whose log records no
    writes, for productive and sporadic; no start dates, for new). ``before``/
    ``before_share``: the previous month's, when the change may be shown (a previous month
    with known figures, and for executives not a change of fewer people than the minimum).
    """

    segment: str
    count: int | None
    share: float | None
    before: int | None = None
    before_share: float | None = None


@dataclass(frozen=True)
class HeadlineFigures:
    """The headline's figures: ``now`` the month's summary; ``licensed_before`` the previous
    month's licensed people when their change may be shown; ``no_writes``: the month's log
    records no writes (productive and sporadic unknown, no split); ``start_gap``/``cost_gap``:
    why the roster has no start dates (new is unknown) or no licence costs."""

    now: MonthSummary
    licensed_before: int | None
    tiles: tuple[SegmentTile, ...]
    no_writes: bool
    start_gap: FieldGap | None
    cost_gap: FieldGap | None


@dataclass(frozen=True)
class AdoptionHeadline:
    """The latest complete month at a glance; ``figures`` ``None``: too few licensed people
    for the audience; ``previous``: the month the changes compare with (``None``: none)."""

    month: date
    definition: VersionedDefinition
    previous: date | None
    figures: HeadlineFigures | None


@dataclass(frozen=True)
class HealthLine:
    """The data-health report as the Overview's one line reads it: only the findings that need
    attention, without their examples (the line names nobody); ``link``: the reader may open
    the Data health page."""

    report: HealthReport
    link: bool


@dataclass(frozen=True)
class OverviewView:
    """Everything the Overview shows.

    ``headline``: ``None`` without usage data (and while the database is empty);
    ``checklist``: ``None`` on the demo (complete by construction); ``may_upload``: the reader
    gets the upload buttons; ``missing_usage``: the notice of a missing usage month, for those
    who may upload; ``coverage_question``: the coverage whose open question a lead is asked.
    """

    summary: DataSummary
    headline: AdoptionHeadline | None
    health: HealthLine
    checklist: Checklist | None
    may_upload: bool
    missing_usage: MissingUsage | None
    coverage_question: Coverage | None


def _tile(segment: str, now: MonthSummary, before: MonthSummary | None, unknown: bool,
          audience: Audience) -> SegmentTile:
    if unknown:
        return SegmentTile(segment, None, None)
    count = now.segments[segment]
    tile = SegmentTile(segment, count, now.share(segment))
    if before is None or not before.licensed or not audience.shows_change(
            [abs(count - before.segments[segment])]):  # a change of a few people is left out
        return tile
    return replace(tile, before=before.segments[segment], before_share=before.share(segment))


@per_version(max_entries=8)
def _adoption_headline(snap: Snapshot, audience: Audience) -> AdoptionHeadline | None:
    """Licensed people and each segment in the latest complete month, with the change against
    the month before; ``None`` without usage data."""
    adoption = data.adoption_data(snap)
    if not adoption.has_data or adoption.latest_complete is None:
        return None
    month = adoption.latest_complete
    previous = add_months(month, -1)
    has_previous = adoption.first_month is not None and previous >= adoption.first_month
    headline = AdoptionHeadline(month, data.definition_shown(adoption.definition, audience),
                                previous if has_previous else None, None)
    now = month_summary(adoption.frame, month)
    if audience.scope_too_small(now.licensed):
        return headline
    before = month_summary(adoption.frame, previous) if has_previous else None
    no_writes = month in adoption.no_write_months
    start_gap = field_gap(snap.conn, DatasetKind.USERS, "start_date")
    known_before = None if before is None or before.month in adoption.no_write_months \
        else before  # no change against an unknown count
    tiles = tuple(
        _tile(segment, now, known_before,
              (segment in WRITE_SEGMENTS and no_writes)
              or (segment == "new" and start_gap is not None), audience)
        for segment in SEGMENTS)
    licensed_before = before.licensed if before is not None and audience.shows_change(
        [abs(now.licensed - before.licensed)]) else None
    cost_gap = field_gap(snap.conn, DatasetKind.USERS, "license_cost_monthly") \
        if now.cost_barely_never is None else None
    return replace(headline, figures=HeadlineFigures(
        now=now, licensed_before=licensed_before, tiles=tiles, no_writes=no_writes,
        start_gap=start_gap, cost_gap=cost_gap))


def _health_line(snap: Snapshot, audience: Audience) -> HealthLine:
    report = data.health(snap)
    attention = tuple(replace(f, examples=()) for f in report.attention)
    return HealthLine(HealthReport(report.today, (), attention),
                      link=page("health").allows(audience.role))


def overview_view(snap: Snapshot, audience: Audience) -> OverviewView:
    """The Overview for ``audience``."""
    summary = data_summary(snap.conn)
    sheet = checklist(data.health(snap))
    may_upload = page("upload").allows(audience.role)
    coverage = data.coverage(snap) if audience.role in LEADS else None
    return OverviewView(
        summary=summary,
        headline=None if summary.is_empty else _adoption_headline(snap, audience),
        health=_health_line(snap, audience),
        checklist=None if summary.is_demo else sheet,
        may_upload=may_upload,
        missing_usage=sheet.missing_usage if may_upload and not summary.is_demo else None,
        coverage_question=coverage if coverage is not None and coverage.open_question
        is not None else None,
    )
