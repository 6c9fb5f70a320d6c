-- Contacts: party members and cadres, one row per E.164 number (duplicates merge by number).
CREATE TABLE contact (
    id          BIGSERIAL PRIMARY KEY,
    phone       TEXT        NOT NULL UNIQUE CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    name        TEXT        NOT NULL DEFAULT '',
    unit        TEXT        NOT NULL DEFAULT '',
    township    TEXT        NOT NULL DEFAULT '',
    tags        TEXT[]      NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX contact_tags_idx ON contact USING gin (tags);
CREATE INDEX contact_unit_idx ON contact (unit);
CREATE INDEX contact_township_idx ON contact (township);

-- Numbers that asked not to be messaged (API, or an MO opt-out keyword). Blasts skip them.
CREATE TABLE opt_out (
    phone       TEXT PRIMARY KEY CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    source      TEXT        NOT NULL CHECK (source IN ('api', 'mo', 'import')),
    detail      TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
