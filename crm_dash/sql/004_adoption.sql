-- 004: what the adoption metrics precompute from the usage log, so that every page reads a few
-- hundred thousand rows instead of ten million events.
--
-- `activity_months` is derived data: one row per person and calendar month (in the analysis time
-- zone) in which the person had at least one successful event. It is rebuilt from scratch by
-- crm_dash.metrics.activity whenever the usage data or the time zone changes (an upload, a
-- deleted batch, a new time-zone setting); `activity_state` remembers what it was built from.
-- Integration accounts are kept here and left out when the metrics read it, so flagging an account
-- never needs a rebuild. Manual integration flags live in `integration_overrides` (003).

CREATE TABLE activity_months (
    user_key     VARCHAR NOT NULL,
    month        DATE NOT NULL,     -- first day of the month in the analysis time zone
    active_days  INTEGER NOT NULL,  -- distinct local calendar days with a successful event
    events       BIGINT NOT NULL,   -- successful events
    n_login      BIGINT NOT NULL,   -- successful events per canonical action, so the set of
    n_view       BIGINT NOT NULL,   -- actions that count as writes is applied when reading
    n_create     BIGINT NOT NULL,
    n_update     BIGINT NOT NULL,
    n_delete     BIGINT NOT NULL,
    n_export     BIGINT NOT NULL,
    n_other      BIGINT NOT NULL,
    objects      INTEGER NOT NULL,  -- distinct objects (CRM areas), case-insensitive
    first_day    DATE NOT NULL,     -- first and last active day of the month, local time
    last_day     DATE NOT NULL
);

CREATE TABLE activity_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint   VARCHAR NOT NULL,  -- usage data version and time zone the table was built from
    row_count     BIGINT NOT NULL,
    seconds       DOUBLE NOT NULL,   -- how long the last rebuild took
    refreshed_at  TIMESTAMP NOT NULL DEFAULT CAST(current_timestamp AS TIMESTAMP)
);
