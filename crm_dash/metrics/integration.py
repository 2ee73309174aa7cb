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
SELECT user_key, coalesce(name, user_id) AS name, email, department,
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
    reason (``roster``, ``by_hand`` or ``rule``)."""
    return conn.cursor().execute(
        _ACCOUNTS_SQL, {"patterns": list(definition.integration_patterns)}
    ).df()
