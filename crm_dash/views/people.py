"""What the People page shows: one row per licensed person of a month, and who is closest to
productive. Named data: only an audience that sees people gets rows (leads and admins; the
page's guard refuses executives anyway); names and e-mails are pseudonyms when the privacy
setting says so (:attr:`crm_dash.audience.Audience.pseudonyms`), in the rows and therefore in
every table and download drawn from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from crm_dash.audience import Audience
from crm_dash.metrics.definitions import VersionedDefinition
from crm_dash.metrics.people import close_to_productive, people_table
from crm_dash.privacy import PERSON_COLUMNS, pseudonym_key, pseudonymise
from crm_dash.views.data import adoption_data, definition_shown
from crm_dash.views.filters import Filters
from crm_dash.views.snapshot import Snapshot, per_version


@dataclass(frozen=True)
class PeopleView:
    """The People page for one month and selection.

    ``rows``: :func:`crm_dash.metrics.people.people_table` (user_key, name, email, department,
    team, role, segment, segment_last_month, active_days, writes, breadth, last_active,
    trained); ``close``: the people nearest the productive threshold
    (:func:`crm_dash.metrics.people.close_to_productive`). Both ``None`` for an audience that
    sees no people.
    """

    month: date
    definition: VersionedDefinition
    rows: pd.DataFrame | None
    close: pd.DataFrame | None


def people_view(snap: Snapshot, filters: Filters, audience: Audience) -> PeopleView:
    """The people of ``filters`` in its (last) month, as ``audience`` may see them."""
    definition = definition_shown(adoption_data(snap).definition, audience)
    if not audience.sees_people:
        return PeopleView(filters.last, definition, None, None)
    rows = people_rows(snap, filters, audience.pseudonyms)
    return PeopleView(filters.last, definition, rows,
                      close_to_productive(rows, definition.definition))


@per_version(max_entries=16)
def people_rows(snap: Snapshot, filters: Filters, pseudonyms: bool) -> pd.DataFrame:
    """The people table of ``filters.last`` for the people ``filters`` chooses; with
    ``pseudonyms``, names and e-mails replaced by pseudonyms."""
    frame = filters.apply(adoption_data(snap).frame)
    rows = people_table(snap.conn, frame, filters.last)
    if pseudonyms:
        rows = pseudonymise(rows, list(PERSON_COLUMNS), pseudonym_key(snap.conn))
    return rows
