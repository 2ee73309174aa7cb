"""The Administration page's view: the accounts, the privacy settings and the audit log, and
nothing that names anyone for an audience that sees no people.

Data: an empty database with two accounts, "admin" (Ada Admin, added by the test) and "lead"
(Lea Lead, added by admin), and one setting change by admin (the minimum group 5 -> 7): three
audit events, two of them "user_add", one "setting_change".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_dash import auth, db
from crm_dash.audience import Audience
from crm_dash.pages import Role
from crm_dash.settings import set_setting
from crm_dash.views.admin import PrivacySettings, admin_view, audit_log
from crm_dash.views.snapshot import Snapshot, snapshot
from tests.view_walk import texts

ADMIN = Audience(Role.ADMIN)
PASSWORD = "correct horse battery"


@pytest.fixture
def snap(tmp_path: Path) -> Iterator[Snapshot]:
    conn = db.connect(tmp_path / "crm.duckdb")
    auth.add_user(conn, "admin", PASSWORD, Role.ADMIN, display_name="Ada Admin", actor="test")
    auth.add_user(conn, "lead", PASSWORD, Role.LEAD, display_name="Lea Lead", actor="admin")
    yield snapshot(conn, db=str(tmp_path / "crm.duckdb"))
    conn.close()


def test_the_accounts_and_the_privacy_settings(snap: Snapshot) -> None:
    before = admin_view(snap, ADMIN)
    assert before.users is not None
    assert [(u.username, u.display_name, u.role) for u in before.users] == [
        ("admin", "Ada Admin", Role.ADMIN), ("lead", "Lea Lead", Role.LEAD)]
    assert before.privacy == PrivacySettings(min_group=5, pseudonymise=False)
    set_setting(snap.conn, "privacy.min_group_size", 7, actor="admin")
    set_setting(snap.conn, "privacy.pseudonymise", True, actor="admin")
    assert admin_view(snap, ADMIN).privacy == PrivacySettings(min_group=7, pseudonymise=True)


def test_the_audit_log_all_or_of_one_action(snap: Snapshot) -> None:
    set_setting(snap.conn, "privacy.min_group_size", 7, actor="admin")
    every = audit_log(snap, None, ADMIN)
    assert every.actions == ["setting_change", "user_add"]
    assert every.events is not None
    assert every.events["action"].tolist() == ["setting_change", "user_add", "user_add"]
    added = audit_log(snap, "user_add", ADMIN)
    assert added.action == "user_add" and added.events is not None
    assert added.events["actor"].tolist() == ["admin", "test"]  # newest first
    unknown = audit_log(snap, "no_such_action", ADMIN)  # not on record: every action
    assert unknown.action is None and unknown.events is not None and len(unknown.events) == 3


def test_an_audience_that_sees_no_people_gets_no_accounts_and_no_events(
        snap: Snapshot) -> None:
    executive = Audience(Role.EXECUTIVE)
    view, log = admin_view(snap, executive), audit_log(snap, None, executive)
    assert view.users is None and log.events is None
    assert view.privacy.min_group == 5
    shown = texts((view, log)).lower()
    assert "ada admin" not in shown and "lea lead" not in shown
