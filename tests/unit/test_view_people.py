"""The People page's view, without Streamlit: who is on the list, who is closest to
productive, pseudonyms when the setting says so, and nobody for an audience that sees no people.

The data is the adoption fixture (tests/fixtures/adoption, its README has every person's
segments); October 2026 is the latest complete month.
"""

from __future__ import annotations

from datetime import date

import pytest

from crm_dash.audience import Audience
from crm_dash.pages import Role
from crm_dash.views.filters import Filters
from crm_dash.views.people import people_rows, people_view
from crm_dash.views.snapshot import Snapshot
from tests.unit.test_view_adoption import EXECUTIVE, LEAD, adoption_snapshot, named

OCT = date(2026, 10, 1)
EVERYONE = Filters.everyone_in(OCT, OCT)

snap = pytest.fixture(adoption_snapshot, name="snap")


def test_a_lead_sees_everyone_licensed_and_who_is_closest_to_productive(snap: Snapshot
                                                                          ) -> None:
    view = people_view(snap, EVERYONE, LEAD)
    assert view.month == OCT and view.rows is not None and view.close is not None
    rows = view.rows.set_index("name")
    # 12 licensed people in October; SAP Sync is an integration account, not licensed.
    assert len(rows) == 12 and "SAP Sync" not in rows.index
    anna = rows.loc["Anna Adler"]
    assert (anna["segment"], anna["segment_last_month"], anna["active_days"], anna["writes"],
            anna["trained"]) == ("productive", "sporadic", 8, 5, True)
    # Nearest the threshold (8 days, 5 writes), by missing days / 8 + missing writes / 5:
    # Lena (9 days, 3 writes: 0.4), Bernd (2 days, 1 write: 6/8 + 4/5), Ida (3 days, 0
    # writes: 5/8 + 1), then Clara and Jan (1 day, 0 writes each: 7/8 + 1).
    assert view.close["name"].tolist() == ["Lena Lang", "Bernd Berger", "Ida Imhof",
                                           "Clara Cordes", "Jan Jung"]
    assert view.close[["missing_days", "missing_writes"]].iloc[0].tolist() == [0, 2]


def test_a_department_filter_keeps_its_people(snap: Snapshot) -> None:
    view = people_view(snap, Filters(OCT, OCT, "Service", None, None), LEAD)
    assert view.rows is not None
    assert view.rows["name"].tolist() == ["Ida Imhof", "Jan Jung", "Kai Kurz"]


def test_pseudonyms_replace_names_and_e_mails(snap: Snapshot) -> None:
    view = people_view(snap, EVERYONE, Audience(Role.LEAD, pseudonyms=True))
    assert view.rows is not None and view.close is not None
    assert all(n.startswith("Person ") for n in [*view.rows["name"], *view.close["name"]])
    assert all(e.startswith("Person ") for e in view.rows["email"])
    # The same person has the same pseudonym in both lists: Lena heads the close list.
    lena = "005XA0000000009"
    assert people_rows(snap, EVERYONE, False).set_index("user_key").loc[lena, "name"] == (
        "Lena Lang")
    assert view.close["name"].iloc[0] == view.rows.set_index("user_key").loc[lena, "name"]
    assert named(view, ("name", "email")) == []  # the ids stay: the key, never shown


def test_an_executive_gets_no_person(snap: Snapshot) -> None:
    view = people_view(snap, EVERYONE, EXECUTIVE)
    assert view.rows is None and view.close is None
    assert named(view) == []


def test_the_rows_are_computed_once_per_data_version(snap: Snapshot) -> None:
    assert people_rows(snap, EVERYONE, False) is people_rows(snap, EVERYONE, False)
    assert people_rows(snap, EVERYONE, True) is not people_rows(snap, EVERYONE, False)
