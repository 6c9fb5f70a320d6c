-- Operator API tokens: only the SHA-256 of a token is stored; the token is shown once.
CREATE TABLE api_token (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role          TEXT        NOT NULL CHECK (role IN ('admin', 'operator', 'approver', 'viewer')),
    token_sha256  BYTEA       NOT NULL UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by    BIGINT      REFERENCES api_token (id),
    revoked_at    TIMESTAMPTZ,
    last_used_at  TIMESTAMPTZ
);

-- Every state-changing API call, whatever its outcome: who, what, target, when, outcome.
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_id    BIGINT,
    actor_name  TEXT,
    actor_role  TEXT,
    action      TEXT        NOT NULL,
    target      TEXT,
    outcome     INT         NOT NULL,
    request_id  TEXT,
    remote      TEXT
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id DESC);

-- Small facts the server keeps about itself (e.g. whether demo data was seeded).
CREATE TABLE app_state (
    key         TEXT PRIMARY KEY,
    value       TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
