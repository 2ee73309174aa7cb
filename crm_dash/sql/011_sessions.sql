-- 011: logins are server-side sessions that can be ended at once (crm_dash.sessions).
--
-- The browser holds "<session_id>.<token>" in an HttpOnly cookie; only a keyed hash of the token
-- is stored here. A session ends when it is revoked (logout, new password, new role, account
-- removed), when it expires (the server's cap, whatever the browser claims), or when its user
-- is gone or has another role than the one it was opened for. The cookie is handed to the
-- browser through a one-time grant that lives 60 seconds.
CREATE TABLE app_sessions (
    session_id        VARCHAR PRIMARY KEY,  -- random, public half of the cookie
    username          VARCHAR NOT NULL,
    role              VARCHAR NOT NULL,     -- the role at login; another role ends the session
    token_hash        VARCHAR,              -- HMAC of the cookie's secret half; NULL until handed out
    created_at        TIMESTAMP NOT NULL,
    last_seen         TIMESTAMP NOT NULL,
    expires_at        TIMESTAMP NOT NULL,
    revoked_at        TIMESTAMP,
    revoked_reason    VARCHAR,
    grant_hash        VARCHAR,              -- HMAC of the one-time grant that sets the cookie
    grant_expires_at  TIMESTAMP,
    grant_used_at     TIMESTAMP
);
