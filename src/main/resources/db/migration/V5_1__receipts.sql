-- Delivery receipts (issue 5). Independent of the campaign ledger: message ids are TEXT as they
-- travel in SmsEvent.messageId (a ledger id as text, or "test-..."), with no foreign key; the
-- campaign of a message comes from receipt_campaign_message, filled from SmsEvent.campaignId.
-- Times are TIMESTAMPTZ from the events' epoch millis, never the database clock, so that
-- applying the same events gives the same rows.

-- Every applied event, append-only. The primary key is what makes a replay harmless.
CREATE TABLE receipt_event_log (
    event_id        TEXT        PRIMARY KEY,
    type            TEXT        NOT NULL CHECK (type IN ('submit_result', 'receipt')),
    channel         TEXT        NOT NULL,
    message_id      TEXT,
    campaign_id     BIGINT,
    part_index      INT,
    part_total      INT,
    smsc_id         TEXT,
    status          TEXT        NOT NULL,
    command_status  INT         NOT NULL,
    stat_word       TEXT,
    error_code      TEXT,
    submitted_at    TIMESTAMPTZ,
    done_at         TIMESTAMPTZ,
    received_at     TIMESTAMPTZ NOT NULL
);

-- The seam to the campaign domain: which campaign a message belongs to.
CREATE TABLE receipt_campaign_message (
    message_id   TEXT   PRIMARY KEY,
    campaign_id  BIGINT NOT NULL CHECK (campaign_id > 0)
);

-- One row per submitted part; the receipt columns are filled when its receipt is matched.
CREATE TABLE receipt_part (
    message_id          TEXT        NOT NULL,
    part_index          INT         NOT NULL CHECK (part_index >= 1),
    part_total          INT         NOT NULL CHECK (part_total >= part_index),
    channel             TEXT        NOT NULL,
    smsc_id             TEXT,
    submit_status       TEXT        NOT NULL CHECK (submit_status IN ('submitted', 'rejected', 'outcome_unknown')),
    command_status      INT         NOT NULL,
    submitted_at        TIMESTAMPTZ NOT NULL,
    submit_received_at  TIMESTAMPTZ NOT NULL,
    submit_event_id     TEXT        NOT NULL,
    state               TEXT        CHECK (state IN ('enroute', 'delivered', 'undeliverable', 'expired', 'rejected',
                                        'deleted', 'unknown', 'accepted')),
    stat_word           TEXT,
    error_code          TEXT,
    done_at             TIMESTAMPTZ,
    receipt_at          TIMESTAMPTZ,
    receipt_event_id    TEXT,
    PRIMARY KEY (message_id, part_index)
);
CREATE INDEX receipt_part_smsc_idx ON receipt_part (channel, smsc_id) WHERE smsc_id IS NOT NULL;

-- A message's outcome, aggregated from its parts in the same transaction that changed them.
CREATE TABLE receipt_message (
    message_id       TEXT        PRIMARY KEY,
    campaign_id      BIGINT      NOT NULL DEFAULT 0,  -- 0: not a campaign message (test sends)
    channel          TEXT        NOT NULL,
    parts            INT         NOT NULL,
    parts_delivered  INT         NOT NULL,
    parts_failed     INT         NOT NULL,
    status           TEXT        NOT NULL CHECK (status IN ('submitted', 'rejected', 'delivered', 'failed', 'unknown')),
    error_code       TEXT,
    submitted_at     TIMESTAMPTZ NOT NULL,
    final_at         TIMESTAMPTZ,  -- when we learnt the outcome (receipt or rejection), our clock
    done_at          TIMESTAMPTZ   -- the SMSC's done date of the last receipt
);
CREATE INDEX receipt_message_campaign_idx ON receipt_message (campaign_id, message_id);
CREATE INDEX receipt_message_open_idx ON receipt_message (submitted_at) WHERE status = 'submitted';

-- Receipts whose submit result has not been seen yet (matched on channel + SMSC id).
CREATE TABLE receipt_parked (
    event_id     TEXT        PRIMARY KEY,
    channel      TEXT        NOT NULL,
    smsc_id      TEXT        NOT NULL,
    message_id   TEXT,         -- as the connector knew it, if it did
    state        TEXT        NOT NULL,
    stat_word    TEXT,
    error_code   TEXT,
    done_at      TIMESTAMPTZ,
    receipt_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX receipt_parked_smsc_idx ON receipt_parked (channel, smsc_id);
CREATE INDEX receipt_parked_age_idx ON receipt_parked (receipt_at);

-- Parked receipts that found no submit result within receipts.unmatched-after; still matched if it comes.
CREATE TABLE receipt_unmatched (
    event_id     TEXT        PRIMARY KEY,
    channel      TEXT        NOT NULL,
    smsc_id      TEXT        NOT NULL,
    message_id   TEXT,
    state        TEXT        NOT NULL,
    stat_word    TEXT,
    error_code   TEXT,
    done_at      TIMESTAMPTZ,
    receipt_at   TIMESTAMPTZ NOT NULL,
    moved_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX receipt_unmatched_smsc_idx ON receipt_unmatched (channel, smsc_id);

-- Statistics, maintained incrementally (a message's old contribution out, its new one in).
-- campaign_id 0 = messages of no campaign.
CREATE TABLE receipt_stat_status (
    campaign_id  BIGINT NOT NULL,
    channel      TEXT   NOT NULL,
    status       TEXT   NOT NULL,
    messages     BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, channel, status)
);

-- kind: submitted (at submitted_at), delivered / failed / rejected (at final_at).
CREATE TABLE receipt_stat_minute (
    campaign_id  BIGINT      NOT NULL,
    channel      TEXT        NOT NULL,
    minute       TIMESTAMPTZ NOT NULL,
    kind         TEXT        NOT NULL,
    messages     BIGINT      NOT NULL,
    PRIMARY KEY (campaign_id, channel, minute, kind)
);

CREATE TABLE receipt_stat_error (
    campaign_id  BIGINT NOT NULL,
    channel      TEXT   NOT NULL,
    error_code   TEXT   NOT NULL,
    messages     BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, channel, error_code)
);

-- Submit-to-outcome latency of delivered and failed messages, in log-scale buckets (LatencyBuckets).
CREATE TABLE receipt_stat_latency (
    campaign_id  BIGINT NOT NULL,
    channel      TEXT   NOT NULL,
    bucket       INT    NOT NULL,
    messages     BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, channel, bucket)
);
