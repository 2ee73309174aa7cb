-- 005: goals ("+20 % productive users in Vertrieb Süd within 9 months") and their change history.
-- The baseline is measured once when a goal is set and never changes; target edits, renames and
-- archiving are recorded in goal_changes (and in the audit log).

CREATE SEQUENCE goal_id_seq START 1;

CREATE TABLE goals (
    goal_id              BIGINT PRIMARY KEY DEFAULT nextval('goal_id_seq'),
    name                 VARCHAR NOT NULL,
    department           VARCHAR NOT NULL,
    team                 VARCHAR,
    role                 VARCHAR,
    metric               VARCHAR NOT NULL CHECK (metric IN ('productive_users', 'productive_share')),
    start_month          DATE NOT NULL,  -- first day of the goal's first month
    horizon_months       INTEGER NOT NULL CHECK (horizon_months BETWEEN 1 AND 60),
    target_pct           DOUBLE NOT NULL CHECK (target_pct > 0),
    baseline_month       DATE NOT NULL,  -- the last complete month before the start
    baseline             DOUBLE NOT NULL,  -- frozen: the metric in baseline_month
    baseline_productive  INTEGER NOT NULL,
    baseline_licensed    INTEGER NOT NULL,
    definition           VARCHAR,  -- JSON: the segment definition the baseline was measured with
    target               DOUBLE NOT NULL,
    owner                VARCHAR,
    note                 VARCHAR,
    created_by           VARCHAR NOT NULL,
    created_at           TIMESTAMP NOT NULL DEFAULT CAST(current_timestamp AS TIMESTAMP),
    archived_by          VARCHAR,
    archived_at          TIMESTAMP
);

-- One row per changed field: who, when, old and new value (JSON). The creation is a row too.
CREATE SEQUENCE goal_change_id_seq START 1;

CREATE TABLE goal_changes (
    change_id   BIGINT PRIMARY KEY DEFAULT nextval('goal_change_id_seq'),
    goal_id     BIGINT NOT NULL,
    changed_by  VARCHAR NOT NULL,
    changed_at  TIMESTAMP NOT NULL DEFAULT CAST(current_timestamp AS TIMESTAMP),
    field       VARCHAR NOT NULL,  -- created, name, target_pct, target, owner, note, archived
    old_value   VARCHAR,
    new_value   VARCHAR
);
