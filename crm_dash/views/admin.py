"""What the Administration page shows: who can log in, the privacy settings, and the audit log.

Admins only (the page's guard refuses everyone else); the accounts and the audit log name people
and are ``None`` for an audience that sees no people all the same. The audit log is its own
function (:func:`audit_log`): the page reads it after the forms above it have acted, so it
shows what they just did.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crm_dash import audit, auth
from crm_dash.audience import Audience, min_group_size
from crm_dash.settings import get_setting
from crm_dash.views.snapshot import Snapshot


@dataclass(frozen=True)
class PrivacySettings:
    """The minimum group size in force and whether people read as pseudonyms."""

    min_group: int
    pseudonymise: bool


@dataclass(frozen=True)
class AdminView:
    """The accounts, by username (``None`` for an audience that sees no people), and the
    privacy settings."""

    users: list[auth.AppUser] | None
    privacy: PrivacySettings


def admin_view(snap: Snapshot, audience: Audience) -> AdminView:
    """The accounts and the privacy settings as they are now."""
    conn = snap.conn
    return AdminView(
        users=auth.list_users(conn) if audience.sees_people else None,
        privacy=PrivacySettings(min_group=min_group_size(conn),
                                pseudonymise=bool(get_setting(conn, "privacy.pseudonymise"))))


@dataclass(frozen=True)
class AuditLog:
    """The actions on record (for the filter), the one shown (``None``: all) and its latest
    events, newest first (logged_at, actor, action, target, details; ``None`` for an audience
    that sees no people)."""

    actions: list[str]
    action: str | None
    events: pd.DataFrame | None


def audit_log(snap: Snapshot, action: str | None, audience: Audience) -> AuditLog:
    """The audit log, of ``action`` only when it is on record (else of every action)."""
    actions = audit.audit_actions(snap.conn)
    shown = action if action in actions else None
    return AuditLog(actions=actions, action=shown,
                    events=audit.audit_events(snap.conn, action=shown)
                    if audience.sees_people else None)
