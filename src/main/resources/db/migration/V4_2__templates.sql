-- Message templates: body text with {name} {unit} {township} {festival} placeholders and the
-- signature (e.g. 【余庆县纪委】) that starts every rendered message. Campaigns may refer to them.
CREATE TABLE template (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    body        TEXT        NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    signature   TEXT        NOT NULL CHECK (length(signature) BETWEEN 1 AND 40),
    created_by  BIGINT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
