"""How to get each export out of its source: guides as data, one file per source and language.

``crm_dash/guides/<source>.<lang>.toml`` holds, per dataset the source provides, where the export
is (menu path or report), the columns to include and the field each one feeds (``""``: useful
context, no field), the vendor's retention limit and how often to export. A test runs each
guide's columns through the mapper (tests/unit/test_export_guides.py), so a guide never names a
layout crm-dash cannot read. No Streamlit here.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from crm_dash.datasets import DATASETS, DatasetKind
from crm_dash.i18n import Language

#: The sources, in the order the Upload page offers them.
SOURCES: tuple[str, ...] = ("salesforce", "dynamics365", "hubspot", "pipedrive", "hr", "lms")


@dataclass(frozen=True)
class ExportGuide:
    """How to export one dataset from one source."""

    source: str
    source_name: str
    kind: DatasetKind
    title: str
    where: str
    retention: str
    cadence: str
    columns: tuple[tuple[str, str], ...]  # (header, field or "")
    notes: tuple[str, ...] = ()


@cache
def load_guides(source: str, lang: Language) -> tuple[ExportGuide, ...]:
    """Every export of ``source`` in ``lang``."""
    text = resources.files("crm_dash.guides").joinpath(f"{source}.{lang}.toml").read_text(
        encoding="utf-8")
    data = tomllib.loads(text)
    return tuple(
        ExportGuide(
            source=source, source_name=str(data["name"]), kind=DatasetKind(e["dataset"]),
            title=str(e["title"]), where=str(e["where"]), retention=str(e["retention"]),
            cadence=str(e["cadence"]),
            columns=tuple((str(h), str(f)) for h, f in e["columns"].items()),
            notes=tuple(str(n) for n in e.get("notes", ())),
        )
        for e in data["exports"]
    )


def guides_for(kind: DatasetKind, lang: Language) -> list[ExportGuide]:
    """The guides for one dataset, sources in :data:`SOURCES` order."""
    return [g for source in SOURCES for g in load_guides(source, lang) if g.kind == kind]


#: One example row per dataset for the generic template (the canonical field names).
_EXAMPLES: dict[DatasetKind, dict[str, str]] = {
    DatasetKind.USERS: {
        "user_id": "u-001", "name": "Anna Beispiel", "email": "anna.beispiel@example.com",
        "department": "Sales South", "team": "Team Bavaria", "role": "Account Manager",
        "manager_id": "u-000", "license_type": "Sales Cloud Enterprise",
        "license_cost_monthly": "165.00", "start_date": "2024-01-01", "end_date": "",
        "is_integration": "false"},
    DatasetKind.USAGE: {
        "user_id": "u-001", "timestamp": "2026-10-05T08:15:30Z", "action": "update",
        "object": "Opportunity", "success": "true"},
    DatasetKind.PIPELINE: {
        "opportunity_id": "opp-001", "owner": "u-001", "account": "Example GmbH",
        "stage": "Negotiation", "amount": "120000.00", "currency": "EUR",
        "created_at": "2026-08-01T10:00:00Z", "close_date": "2026-12-15",
        "last_modified_at": "2026-10-28T09:00:00Z", "last_activity_at": "2026-10-27T14:00:00Z",
        "next_step": "Send the offer", "is_closed": "false", "is_won": "false"},
    DatasetKind.TRAINING: {
        "user": "anna.beispiel@example.com", "course": "CRM kick-off", "date": "2026-01-15",
        "kind": "kickoff", "status": "completed", "score": "90"},
}


def template_csv(kind: DatasetKind) -> bytes:
    """The generic CSV template of ``kind``: the canonical headers and one example row (UTF-8,
    ``,``, ISO dates), which crm-dash reads without a mapping."""
    names = DATASETS[kind].field_names
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerow([_EXAMPLES[kind].get(n, "") for n in names])
    return out.getvalue().encode("utf-8")
