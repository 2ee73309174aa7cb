-- 003: what the importer remembers: confirmed column mappings, and integration accounts flagged
-- by hand.

-- A mapping a user confirmed for a file layout, so that next month's export of the same layout
-- loads with one click. `fingerprint` is the SHA-256 of the file's normalised header names.
CREATE TABLE import_mappings (
    fingerprint   VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('users', 'usage', 'pipeline', 'training')),
    headers       VARCHAR NOT NULL,  -- JSON list, for people reading the table
    preset        VARCHAR,
    mapping       VARCHAR NOT NULL,  -- JSON {field: header}
    confirmed_by  VARCHAR NOT NULL,
    confirmed_at  TIMESTAMP NOT NULL DEFAULT CAST(current_timestamp AS TIMESTAMP),
    PRIMARY KEY (fingerprint, kind)
);

-- People marked by hand as integration/API accounts (or as people, overriding the roster). A new
-- roster upload never undoes such a decision: the importer applies these after every load.
CREATE TABLE integration_overrides (
    user_key        VARCHAR PRIMARY KEY,
    is_integration  BOOLEAN NOT NULL,
    set_by          VARCHAR NOT NULL,
    set_at          TIMESTAMP NOT NULL DEFAULT CAST(current_timestamp AS TIMESTAMP)
);
