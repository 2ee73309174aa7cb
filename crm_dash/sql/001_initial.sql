-- 001: the four datasets, the import batches every row belongs to, and the audit log.
-- All timestamps are stored in UTC (the connection's TimeZone is UTC).

CREATE SEQUENCE import_batch_id_seq START 1;

CREATE TABLE import_batches (
    batch_id            BIGINT PRIMARY KEY DEFAULT nextval('import_batch_id_seq'),
    kind                VARCHAR NOT NULL CHECK (kind IN ('users', 'usage', 'pipeline', 'training')),
    file_name           VARCHAR NOT NULL,
    content_sha256      VARCHAR NOT NULL,
    preset              VARCHAR,
    source              VARCHAR NOT NULL DEFAULT 'upload' CHECK (source IN ('upload', 'cli', 'demo', 'fixture')),
    imported_by         VARCHAR NOT NULL,
    imported_at         TIMESTAMP NOT NULL DEFAULT CAST(current_timestamp AS TIMESTAMP),
    rows_read           BIGINT NOT NULL DEFAULT 0,
    rows_loaded         BIGINT NOT NULL DEFAULT 0,
    rows_rejected       BIGINT NOT NULL DEFAULT 0,
    duplicates_skipped  BIGINT NOT NULL DEFAULT 0
);

-- The roster: the denominator of every adoption figure. One row per person, updated by id.
CREATE TABLE users (
    user_key              VARCHAR PRIMARY KEY,  -- join key: Salesforce ids cut to 15 chars, e-mails lower-case
    user_id               VARCHAR NOT NULL,     -- as exported
    name                  VARCHAR,
    email                 VARCHAR,
    department            VARCHAR,
    team                  VARCHAR,
    role                  VARCHAR,
    manager_id            VARCHAR,
    license_type          VARCHAR,
    license_cost_monthly  DECIMAL(12, 2),
    start_date            DATE,
    end_date              DATE,
    is_integration        BOOLEAN NOT NULL DEFAULT false,
    batch_id              BIGINT NOT NULL
);

-- One row per login or action.
CREATE TABLE usage_events (
    user_key       VARCHAR NOT NULL,
    user_id        VARCHAR NOT NULL,
    ts             TIMESTAMP NOT NULL,
    action         VARCHAR NOT NULL CHECK (action IN ('login', 'view', 'create', 'update', 'delete', 'export', 'other')),
    source_action  VARCHAR,
    object         VARCHAR,
    success        BOOLEAN NOT NULL DEFAULT true,
    batch_id       BIGINT NOT NULL
);

-- Every pipeline export is a snapshot; the view `opportunities` shows the latest state of each.
CREATE TABLE opportunity_snapshots (
    opportunity_id    VARCHAR NOT NULL,
    owner             VARCHAR NOT NULL,
    owner_key         VARCHAR NOT NULL,
    account           VARCHAR,
    stage             VARCHAR,
    amount            DECIMAL(18, 2),
    currency          VARCHAR,
    created_at        TIMESTAMP,
    close_date        DATE,
    last_modified_at  TIMESTAMP,
    last_activity_at  TIMESTAMP,
    next_step         VARCHAR,
    is_closed         BOOLEAN,
    is_won            BOOLEAN,
    batch_id          BIGINT NOT NULL
);

CREATE VIEW opportunities AS
SELECT * EXCLUDE (snapshot_rank)
FROM (
    SELECT s.*, row_number() OVER (PARTITION BY s.opportunity_id ORDER BY s.batch_id DESC) AS snapshot_rank
    FROM opportunity_snapshots s
)
WHERE snapshot_rank = 1;

-- Who attended which training when. `user_ref` is an id or an e-mail, resolved against the roster
-- when queried, so the order of uploads does not matter.
CREATE TABLE training_records (
    user_ref      VARCHAR NOT NULL,
    user_key      VARCHAR NOT NULL,
    course        VARCHAR NOT NULL,
    date          DATE NOT NULL,
    kind          VARCHAR,
    status        VARCHAR,
    score         DOUBLE,
    batch_id      BIGINT NOT NULL
);

CREATE SEQUENCE audit_log_id_seq START 1;

CREATE TABLE audit_log (
    id       BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id_seq'),
    logged_at TIMESTAMP NOT NULL DEFAULT CAST(current_timestamp AS TIMESTAMP),
    actor     VARCHAR NOT NULL,
    action   VARCHAR NOT NULL,
    target   VARCHAR,
    details  VARCHAR  -- JSON
);

-- Facts about this installation, e.g. whether the database holds the demo company.
CREATE TABLE app_meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
