-- 012: the one-time setup link that creates the first administrator in the browser
-- (crm_dash.setup_link).
--
-- `crm-dash run` on a database without accounts prints a link with a random token to the
-- terminal and the log; only the SHA-256 of the token is stored here. A token is valid once and
-- for at most an hour, and only while no account exists. A newer token replaces older ones.
CREATE TABLE setup_tokens (
    token_hash  VARCHAR PRIMARY KEY,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    used_by     VARCHAR
);
