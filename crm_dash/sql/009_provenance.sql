-- 009: every stored row knows every upload that supplied it, and the roster keeps its versions.
--
-- An event or training record already stored when a later upload brings it again is not stored
-- twice; the later upload is recorded as a supplier here. Deleting the first upload then hands
-- the row to the next supplier instead of losing it (crm_dash.store.remove_batch_rows).
CREATE TABLE usage_supply (
    batch_id  BIGINT NOT NULL,
    user_key  VARCHAR NOT NULL,
    ts        TIMESTAMP NOT NULL,
    action    VARCHAR NOT NULL,
    object    VARCHAR,
    success   BOOLEAN NOT NULL
);

CREATE TABLE training_supply (
    batch_id  BIGINT NOT NULL,
    user_key  VARCHAR NOT NULL,
    course    VARCHAR NOT NULL,
    date      DATE NOT NULL,
    status    VARCHAR
);

-- Each roster upload as it was: `users` is these versions folded in upload order (a column a
-- file does not have keeps the earlier value), rebuilt when a roster upload is deleted.
CREATE TABLE user_versions (
    batch_id              BIGINT NOT NULL,
    user_key              VARCHAR NOT NULL,
    user_id               VARCHAR NOT NULL,
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
    is_integration        BOOLEAN
);

-- The roster columns each roster upload had (JSON list); NULL: every column.
ALTER TABLE import_batches ADD COLUMN roster_columns VARCHAR;

-- Rosters loaded before this migration: today's state of each person counts as given by the
-- upload that last touched them.
INSERT INTO user_versions
SELECT batch_id, user_key, user_id, name, email, department, team, role, manager_id,
       license_type, license_cost_monthly, start_date, end_date, is_integration
FROM users;
