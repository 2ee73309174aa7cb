"""What the Data health page shows: the datasets on file and the findings, as of the
snapshot's day.

The findings are about a few named people (their examples name ids, names and e-mails; their
counts are often below any minimum group) and the datasets name who uploaded them: an audience
that does not see people (executives, who never reach the page, but the rule holds for every
view) gets the datasets without uploaders and only how many findings need attention. Values
are dates, numbers and codes: the UI (:mod:`crm_dash.ui.health_sections`) words them through
:mod:`crm_dash.health.present`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from crm_dash.audience import Audience
from crm_dash.health.findings import DatasetHealth, Finding
from crm_dash.views import data
from crm_dash.views.snapshot import Snapshot


@dataclass(frozen=True)
class HealthView:
    """The datasets (one each, in the report's order) and the findings (for an audience that
    sees people), those that need attention counted in ``attention``."""

    datasets: tuple[DatasetHealth, ...]
    findings: tuple[Finding, ...]
    attention: int


def health_view(snap: Snapshot, audience: Audience) -> HealthView:
    """The data-health report for ``audience`` (cached per data version)."""
    report = data.health(snap)
    datasets, findings = report.datasets, report.findings
    if not audience.sees_people:
        datasets = tuple(replace(d, uploaded_by=None) for d in datasets)
        findings = ()
    return HealthView(datasets=datasets, findings=findings, attention=len(report.attention))
