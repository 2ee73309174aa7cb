"""What the Import history page shows: every upload, what deleting the chosen one removes, and
the roster's integration accounts to flag or confirm by hand (also on the Settings page).

Leads and admins only (the page's guard refuses executives). An audience that does not see
people gets no roster and no uploader names all the same; names and e-mails are pseudonyms when
the privacy setting says so (:attr:`crm_dash.audience.Audience.pseudonyms`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crm_dash.audience import Audience
from crm_dash.datasets import DatasetKind
from crm_dash.importing.history import BatchRows, batch_rows, import_batches, roster_people
from crm_dash.metrics.definitions import load_definition
from crm_dash.metrics.integration import integration_accounts
from crm_dash.privacy import PERSON_COLUMNS, pseudonym_key, pseudonymise
from crm_dash.views.snapshot import Snapshot, per_version

#: Why the importer took an account for an integration: what a lead confirms.
RECOGNISED = ("role", "licence", "roster")


@dataclass(frozen=True)
class Deletion:
    """What deleting the chosen upload removes: the rows only it supplied; ``last_pipeline``:
    it is the only pipeline upload, so the pipeline empties."""

    batch: BatchRows
    last_pipeline: bool


@dataclass(frozen=True)
class IntegrationFlags:
    """The roster to mark integration accounts by hand (user_key, name, email, is_integration,
    by_hand; by name) and the accounts the importer recognised that wait for a lead's
    confirmation (user_key, name, email, department, role, license_type, reason: one of
    :data:`RECOGNISED`)."""

    roster: pd.DataFrame
    to_confirm: pd.DataFrame


@dataclass(frozen=True)
class ImportsView:
    """Every upload, newest first (batch_id, file_name, kind, preset, source, imported_by,
    imported_at and the row counts); what deleting the chosen one removes (``None`` without
    uploads); the integration accounts (``None`` for an audience that sees no people)."""

    batches: pd.DataFrame
    deletion: Deletion | None
    integration: IntegrationFlags | None


def imports_view(snap: Snapshot, picked: int | None, audience: Audience) -> ImportsView:
    """The Import history page; ``picked``: the upload chosen for deleting (the newest when it
    is ``None`` or no longer there)."""
    batches = import_batches(snap.conn)
    if not audience.sees_people:
        batches = batches.assign(imported_by=None)
    ids = [int(i) for i in batches["batch_id"]]
    chosen = picked if picked in ids else (ids[0] if ids else None)
    deletion = None
    if chosen is not None:
        rows = batch_rows(snap.conn, chosen)
        pipelines = int((batches["kind"] == DatasetKind.PIPELINE.value).sum())
        deletion = Deletion(rows, rows.kind == DatasetKind.PIPELINE and pipelines == 1)
    return ImportsView(batches=batches, deletion=deletion,
                       integration=integration_flags(snap, audience))


def integration_flags(snap: Snapshot, audience: Audience) -> IntegrationFlags | None:
    """The roster and the recognised integration accounts as ``audience`` may see them
    (``None`` when it sees no people)."""
    if not audience.sees_people:
        return None
    accounts = excluded_accounts(snap)
    return IntegrationFlags(
        roster=people_shown(snap, roster_people(snap.conn), audience, ("name", "email")),
        to_confirm=people_shown(snap, accounts[accounts["reason"].isin(RECOGNISED)], audience))


@per_version(max_entries=4)
def excluded_accounts(snap: Snapshot) -> pd.DataFrame:
    """The accounts left out of every figure as integration accounts, and why
    (:func:`crm_dash.metrics.integration.integration_accounts`; a flag or a new definition is a
    new data version)."""
    return integration_accounts(snap.conn, load_definition(snap.conn).definition)


def people_shown(snap: Snapshot, frame: pd.DataFrame, audience: Audience,
                 columns: tuple[str, ...] = PERSON_COLUMNS) -> pd.DataFrame:
    """``frame`` with its ``columns`` (names, e-mails) as ``audience`` reads them: pseudonyms
    when the privacy setting asks for them."""
    if not audience.pseudonyms:
        return frame
    return pseudonymise(frame, list(columns), pseudonym_key(snap.conn))
