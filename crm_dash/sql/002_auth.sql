-- 002: people who may log in, login attempts and lockouts, versioned settings.

CREATE TABLE app_users (
    username             VARCHAR PRIMARY KEY,
    display_name         VARCHAR NOT NULL,
    role                 VARCHAR NOT NULL CHECK (role IN ('admin', 'lead', 'executive')),
    password_hash        VARCHAR NOT NULL,  -- bcrypt, never the password
    created_at           TIMESTAMP NOT NULL DEFAULT CAST(current_timestamp AS TIMESTAMP),
    -- Login cookies issued before this instant are void (logout, password change).
    sessions_valid_from  TIMESTAMP NOT NULL DEFAULT CAST(current_timestamp AS TIMESTAMP)
);

CREATE TABLE login_attempts (
    username      VARCHAR NOT NULL,
    attempted_at  TIMESTAMP NOT NULL,
    succeeded     BOOLEAN NOT NULL
);

CREATE TABLE login_lockouts (
    username      VARCHAR PRIMARY KEY,
    locked_until  TIMESTAMP NOT NULL
);

-- Every change of a setting is a new version: who, when, which value. The latest version wins.
CREATE SEQUENCE setting_version_seq START 1;

CREATE TABLE setting_versions (
    version     BIGINT PRIMARY KEY DEFAULT nextval('setting_version_seq'),
    key         VARCHAR NOT NULL,
    value       VARCHAR NOT NULL,  -- JSON
    changed_by  VARCHAR NOT NULL,
    changed_at  TIMESTAMP NOT NULL DEFAULT CAST(current_timestamp AS TIMESTAMP)
);
