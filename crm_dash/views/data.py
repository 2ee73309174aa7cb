"""The data several pages share, computed once per data version (:func:`per_version`).

Person-months and the definition in force (Adoption, People, Training, Pipeline, Goals,
Settings), the training records, the pipeline's per-owner figures, the data-health report,
the usage data's coverage and a retrospective's evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from crm_dash.audience import Audience
from crm_dash.health.findings import HealthReport, health_report
from crm_dash.metrics import training
from crm_dash.metrics.adoption import months_without_writes
from crm_dash.metrics.coverage import Coverage, data_coverage
from crm_dash.metrics.definitions import VersionedDefinition, load_definition
from crm_dash.metrics.pipeline.owners import PipelineData, pipeline_data
from crm_dash.metrics.segments import available_months, user_months
from crm_dash.retro.evidence import Evidence, evidence_for, evidence_month
from crm_dash.views.snapshot import Snapshot, per_version


@dataclass(frozen=True)
class AdoptionData:
    """Everything the adoption pages derive their figures from."""

    definition: VersionedDefinition
    first_month: date | None
    latest_complete: date | None
    last_month: date | None
    frame: pd.DataFrame  # person-months, see crm_dash.metrics.segments.user_months
    #: Months whose log records no writes: productive and sporadic are unknown there.
    no_write_months: frozenset[date] = frozenset()

    @property
    def has_data(self) -> bool:
        return self.latest_complete is not None and not self.frame.empty

    def months(self) -> list[date]:
        """Complete months with data, oldest first (the choices of the month filters)."""
        if self.first_month is None or self.latest_complete is None:
            return []
        return sorted(m for m in self.frame["month"].unique() if m <= self.latest_complete)


@per_version(max_entries=8)
def adoption_data(snap: Snapshot) -> AdoptionData:
    """The person-months and the definition in force."""
    versioned = load_definition(snap.conn)
    months = available_months(snap.conn, versioned.definition, snap.today)
    if months is None:
        return AdoptionData(versioned, None, None, None, pd.DataFrame())
    first, latest_complete, last = months
    frame = user_months(snap.conn, versioned.definition, first, last)
    return AdoptionData(versioned, first, latest_complete, last, frame,
                        months_without_writes(
                            frame, versioned.definition.productive_min_active_days,
                            versioned.definition.productive_min_writes))


def definition_shown(versioned: VersionedDefinition, audience: Audience) -> VersionedDefinition:
    """The definition in force as ``audience`` reads it: who changed it is an account's name,
    which an audience that sees no people does not read (the version and date stay)."""
    return versioned if audience.sees_people else replace(versioned, changed_by=None)


@per_version(max_entries=8)
def training_records(snap: Snapshot) -> pd.DataFrame:
    """Every training record with the roster person it names."""
    return training.learner_records(snap.conn)


@per_version(max_entries=8)
def pipeline_figures(snap: Snapshot) -> PipelineData | None:
    """The per-owner pipeline figures as of the snapshot's latest change (a new stage mapping
    is a new setting version, so it computes afresh)."""
    return pipeline_data(snap.conn)


@per_version(max_entries=4)
def health(snap: Snapshot) -> HealthReport:
    """The data-health report as of the snapshot's day."""
    return health_report(snap.conn, snap.today)


@per_version(max_entries=8)
def coverage(snap: Snapshot) -> Coverage | None:
    """How far the usage data covers the months it spans (an answer is a setting version)."""
    return data_coverage(snap.conn, load_definition(snap.conn).definition, snap.today)


@per_version(max_entries=16)
def evidence(snap: Snapshot, held_on: date, version: str
             ) -> tuple[date, dict[str, Evidence]]:
    """The evidence month of a retrospective held on ``held_on`` and the evidence of every item
    the data can speak to; ``version`` (:func:`crm_dash.retro.evidence.evidence_version`) adds
    the goals the evidence reads to the data version."""
    month = evidence_month(snap.conn, held_on)
    return month, evidence_for(snap.conn, month)
