-- Campaigns: a festival blast from draft through four-eyes approval to completion.
CREATE TABLE campaign (
    id                  BIGSERIAL PRIMARY KEY,
    name                TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    text                TEXT,
    template_id         BIGINT,
    signature           TEXT        NOT NULL DEFAULT '',
    festival            TEXT        NOT NULL DEFAULT '',
    audience            JSONB       NOT NULL,
    channel             TEXT        NOT NULL,
    send_at             TIMESTAMPTZ NOT NULL,
    time_zone           TEXT        NOT NULL,
    window_start        TIME,
    window_end          TIME,
    expire_at           TIMESTAMPTZ,
    max_rate            INT         NOT NULL CHECK (max_rate > 0),
    priority            INT         NOT NULL DEFAULT 5,
    status              TEXT        NOT NULL CHECK (status IN ('draft', 'pending_approval', 'scheduled', 'running',
                                        'paused', 'completed', 'cancelled', 'expired')),
    -- Why a paused campaign is paused: 'operator' (resumed by hand) or 'window' (resumed by the scheduler).
    pause_reason        TEXT        CHECK (pause_reason IN ('operator', 'window')),
    created_by          BIGINT      NOT NULL,
    created_by_name     TEXT        NOT NULL,
    approved_by         BIGINT,
    -- Expansion checkpoint: the last contact id whose page is in the ledger and its counters.
    expand_cursor       BIGINT      NOT NULL DEFAULT 0,
    expand_done         BOOLEAN     NOT NULL DEFAULT false,
    -- Set when queued messages must be produced to Kafka again (resume, scheduler takeover, requeue).
    requeue             BOOLEAN     NOT NULL DEFAULT false,
    audience_matched    INT         NOT NULL DEFAULT 0,
    excluded_opted_out  INT         NOT NULL DEFAULT 0,
    excluded_invalid    INT         NOT NULL DEFAULT 0,
    excluded_capped     INT         NOT NULL DEFAULT 0,
    outcome_unknown     INT         NOT NULL DEFAULT 0,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    CHECK ((text IS NULL) <> (template_id IS NULL)),
    CHECK (expire_at IS NULL OR expire_at > send_at)
);
CREATE INDEX campaign_status_idx ON campaign (status, send_at);

-- Every lifecycle transition with who did it (an API caller, or the scheduler).
CREATE TABLE campaign_event (
    id           BIGSERIAL PRIMARY KEY,
    campaign_id  BIGINT      NOT NULL REFERENCES campaign (id),
    at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    action       TEXT        NOT NULL,
    from_status  TEXT,
    to_status    TEXT,
    actor_id     BIGINT,
    actor_name   TEXT        NOT NULL,
    actor_role   TEXT        NOT NULL,
    detail       TEXT
);
CREATE INDEX campaign_event_campaign_idx ON campaign_event (campaign_id, id);

-- The dispatch ledger: one row per (campaign, contact). The sender submits a message only
-- after moving its row from queued to submitting, so nobody gets a campaign twice.
CREATE TABLE message (
    id            BIGSERIAL PRIMARY KEY,
    campaign_id   BIGINT      NOT NULL REFERENCES campaign (id),
    contact_id    BIGINT      NOT NULL,
    phone         TEXT        NOT NULL,
    text          TEXT        NOT NULL,
    parts         INT         NOT NULL CHECK (parts > 0),
    status        TEXT        NOT NULL CHECK (status IN ('queued', 'submitting', 'submitted', 'failed',
                                  'expired', 'cancelled')),
    attempts      INT         NOT NULL DEFAULT 0,
    outcome_unknown INT       NOT NULL DEFAULT 0,
    smsc_ids      TEXT[],
    error         TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    claimed_at    TIMESTAMPTZ,
    -- Database time of the claim: what the stuck-submitting sweep measures (immune to app clock skew).
    leased_at     TIMESTAMPTZ,
    submitted_at  TIMESTAMPTZ,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (campaign_id, contact_id)
);
CREATE INDEX message_campaign_idx ON message (campaign_id, id);
CREATE INDEX message_phone_idx ON message (phone, created_at);
CREATE INDEX message_open_idx ON message (campaign_id, id) WHERE status IN ('queued', 'submitting');
CREATE INDEX message_status_idx ON message (status, id);
