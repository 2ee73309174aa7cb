"""Privacy rules for people's names: stable pseudonyms in every view and export.

Monitoring named employees concerns the works council and GDPR. A setting replaces names and
e-mails with pseudonyms in every view and export. What a role may see of small groups is the
audience policy's decision (:mod:`crm_dash.audience`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import duckdb
import pandas as pd

from crm_dash.db import get_meta, set_meta, transaction


def pseudonym_key(conn: duckdb.DuckDBPyConnection) -> str:
    """The installation's secret for pseudonyms (created on first use, kept in the database)."""
    key = get_meta(conn, "pseudonym_key")
    if key is None:
        with transaction(conn) as cur:
            row = cur.execute("SELECT value FROM app_meta WHERE key = 'pseudonym_key'").fetchone()
            key = str(row[0]) if row else secrets.token_hex(32)
            if row is None:
                set_meta(cur, "pseudonym_key", key)
    return key


def pseudonym(value: str | None, key: str) -> str | None:
    """A stable pseudonym such as ``Person 4F2A91``: the same person always gets the same one.

    E-mails are compared case-insensitively, so a person keeps one pseudonym across datasets.
    """
    if value is None or value == "":
        return value
    digest = hmac.new(key.encode(), value.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"Person {digest[:6].upper()}"


def pseudonymise(frame: pd.DataFrame, columns: list[str], key: str) -> pd.DataFrame:
    """A copy of ``frame`` with ``columns`` (names, e-mails) replaced by pseudonyms."""
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = out[column].map(lambda v: pseudonym(v, key) if isinstance(v, str) else v)
    return out


#: Columns that name a person, in the canonical datasets and the people views.
PERSON_COLUMNS: tuple[str, ...] = ("name", "email", "user", "owner")
#: Canonical fields that identify a person in any dataset's rows: the names above plus the ids,
#: which exports often fill with an e-mail (Salesforce's Username) or a full name (Dynamics'
#: "Changed By"). The upload page shows rows of every dataset before they are stored.
IDENTIFYING_COLUMNS: tuple[str, ...] = (*PERSON_COLUMNS, "user_id", "manager_id")


def pseudonyms_on(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether the privacy setting replaces people with pseudonyms in views and exports."""
    from crm_dash.settings import get_setting  # settings depends on the audit log, not on us

    return bool(get_setting(conn, "privacy.pseudonymise"))


def for_display(
    conn: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    columns: tuple[str, ...] | list[str] = PERSON_COLUMNS,
) -> pd.DataFrame:
    """``frame`` as a view or export may show it: pseudonymised when the privacy setting is on."""
    if not pseudonyms_on(conn):
        return frame
    return pseudonymise(frame, list(columns), pseudonym_key(conn))


def values_for_display(
    conn: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    value_column: str,
    field_column: str,
    fields: tuple[str, ...] | list[str] = IDENTIFYING_COLUMNS,
) -> pd.DataFrame:
    """``frame`` as a view or export may show it when one column holds values of many fields
    (the rejected values of an import): with the privacy setting on, ``value_column`` is
    pseudonymised on the rows whose ``field_column`` names one of ``fields``."""
    if not pseudonyms_on(conn):
        return frame
    out = frame.copy()
    rows = out[field_column].isin(list(fields))
    if rows.any():
        hidden = pseudonymise(out.loc[rows, [value_column]], [value_column], pseudonym_key(conn))
        out.loc[rows, value_column] = hidden[value_column]
    return out
