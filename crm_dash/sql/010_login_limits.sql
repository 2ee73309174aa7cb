-- 010: a login attempt is reserved before its password is checked, and knows its client.
--
-- crm_dash.login_limits inserts an attempt as `pending` (counted as a failure) before bcrypt
-- runs and resolves it to succeeded or failed afterwards, so parallel guesses cannot check more
-- passwords than the limits allow. `client` is the browser's IP address ('unknown' when the
-- server knows none) for the per-client limit; attempts recorded before 010 have none.
CREATE SEQUENCE login_attempt_id_seq START 1;

ALTER TABLE login_attempts ADD COLUMN id BIGINT DEFAULT nextval('login_attempt_id_seq');
ALTER TABLE login_attempts ADD COLUMN client VARCHAR;
ALTER TABLE login_attempts ADD COLUMN pending BOOLEAN NOT NULL DEFAULT false;
