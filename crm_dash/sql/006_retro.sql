-- 006: the CRM retrospective: a checklist per meeting, its items, and unsaved drafts.
-- Each retrospective keeps the template version it was started with and, at every save, a JSON
-- snapshot of the evidence the data gave (so comparisons and exports show the figures the
-- meeting saw). Drafts are kept per retrospective and user until saved or discarded, so a
-- reload of the browser loses nothing typed.

CREATE SEQUENCE retro_id_seq START 1;

CREATE TABLE retros (
    retro_id           BIGINT PRIMARY KEY DEFAULT nextval('retro_id_seq'),
    held_on            DATE NOT NULL,
    participants       VARCHAR,
    template_version   INTEGER NOT NULL,
    evidence_month     DATE,       -- the data month the evidence snapshot describes
    evidence           VARCHAR,    -- JSON: {item_id: evidence} as saved
    evidence_saved_at  TIMESTAMP,
    created_by         VARCHAR NOT NULL,
    created_at         TIMESTAMP NOT NULL DEFAULT CAST(current_timestamp AS TIMESTAMP),
    updated_by         VARCHAR,
    updated_at         TIMESTAMP
);

CREATE TABLE retro_items (
    retro_id               BIGINT NOT NULL,
    item_id                VARCHAR NOT NULL,
    status                 VARCHAR NOT NULL DEFAULT 'open'
                           CHECK (status IN ('open', 'in_progress', 'done', 'not_applicable')),
    notes                  VARCHAR,
    owner                  VARCHAR,
    due_date               DATE,
    carried_from_retro_id  BIGINT,  -- the retrospective this open action was copied from
    PRIMARY KEY (retro_id, item_id)
);

CREATE TABLE retro_drafts (
    retro_id  BIGINT NOT NULL,
    username  VARCHAR NOT NULL,
    payload   VARCHAR NOT NULL,  -- JSON: {"header": {...}, "items": {item_id: {...}}}
    saved_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (retro_id, username)
);
