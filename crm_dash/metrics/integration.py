"""Who is an integration/API account, and why: roster flag, a decision by hand, or a rule.

Integration accounts never count as people: not as licensed, not as active. The roster's flag
(set by the importer from the export, e.g. Salesforce API-only profiles) is the start; a decision
by hand (``integration_overrides``, set on the Import history or Settings page) always wins; the
setting ``adoption.integration_patterns`` adds accounts whose id, name or e-mail contains one
of its texts (case-insensitive), e.g. ``integration@`` or ``noreply``.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from crm_dash.importing.labels import integration_phrase
from crm_dash.metrics.definitions import AdoptionDefinition

#: The roster with each account's effective integration flag; ``$patterns`` is the rule list.
#: Shared by every query that needs "who counts as a person".
PEOPLE_CTE = """
people AS (
    SELECT r.*, coalesce(r.flagged_by_hand, r.is_integration OR r.matches_rule)
               AS integration_account
    FROM (
        SELECT u.*, o.is_integration AS flagged_by_hand,
               list_bool_or(list_transform(
                   CAST($patterns AS VARCHAR[]),
                   lambda pattern: contains(lower(concat_ws(' ', u.user_id, u.name, u.email)),
                                            pattern)
               )) IS TRUE AS matches_rule
        FROM users u LEFT JOIN integration_overrides o USING (user_key)
    ) r
)
"""

_ACCOUNTS_SQL = "WITH " + PEOPLE_CTE + """
SELECT user_key, coalesce(name, user_id) AS name, email, department, role, license_type,
       CASE WHEN flagged_by_hand THEN 'by_hand'
            WHEN matches_rule AND NOT is_integration THEN 'rule'
            ELSE 'roster' END AS reason
FROM people
WHERE integration_account
ORDER BY lower(coalesce(name, user_id))
"""


def integration_accounts(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition
) -> pd.DataFrame:
    """The accounts left out of every figure. Columns: user_key, name, email, department,
    role, license_type, reason (``by_hand``; ``rule``; ``role`` or ``licence``: the importer
    found an integration phrase (:data:`crm_dash.importing.labels.INTEGRATION_PHRASES`) there;
    ``roster``: the export's own user type, access mode or flag said so)."""
    frame = conn.cursor().execute(
        _ACCOUNTS_SQL, {"patterns": list(definition.integration_patterns)}
    ).df()
    frame["reason"] = [
        reason if reason != "roster"
        else "role" if isinstance(role, str) and integration_phrase(role)
        else "licence" if isinstance(lic, str) and integration_phrase(lic) else "roster"
        for reason, role, lic in zip(frame["reason"], frame["role"], frame["license_type"],
                                     strict=True)
    ]
    return frame


_FLAG_HISTORY_SQL = """
WITH flagged AS (
    SELECT id, logged_at, actor, unnest(json_extract_string(details, '$.integration[*]'))
               AS user_key, TRUE AS is_integration
    FROM audit_log WHERE action = 'flag_integration'
    UNION ALL
    SELECT id, logged_at, actor, unnest(json_extract_string(details, '$.person[*]')),
           FALSE
    FROM audit_log WHERE action = 'flag_integration'
)
SELECT f.logged_at AS changed_at, f.actor AS changed_by, f.user_key,
       coalesce(u.name, u.user_id, f.user_key) AS name, u.email, f.is_integration
FROM flagged f LEFT JOIN users u USING (user_key)
ORDER BY f.id DESC, lower(coalesce(u.name, u.user_id, f.user_key))
"""


def flag_history(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every decision by hand about integration accounts, newest first (from the audit log).

    Columns: changed_at, changed_by, user_key, name, email, is_integration (the new state:
    True = left out as an integration account, False = counted as a person again).
    """
    return conn.cursor().execute(_FLAG_HISTORY_SQL).df()
