-- LED screens: enrolment, groups, content items with every version kept, rule libraries,
-- rotation assignments and emergency alerts. Changes are announced with
-- pg_notify('qingfeng_led', 'screens' | 'content' | 'alerts') so every server reloads them.

CREATE TABLE led_group (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    kind        TEXT        NOT NULL CHECK (kind IN ('township', 'corridor', 'unit')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A controller enrols with its hardware key (pending); an admin approves it, which issues a
-- secret shown once. Only the SHA-256 of the secret is kept; rotating replaces it.
CREATE TABLE led_screen (
    id               BIGSERIAL PRIMARY KEY,
    hardware_key     TEXT        NOT NULL UNIQUE CHECK (length(hardware_key) BETWEEN 4 AND 200),
    name             TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    width_px         INT         NOT NULL CHECK (width_px BETWEEN 1 AND 65535),
    height_px        INT         NOT NULL CHECK (height_px BETWEEN 1 AND 65535),
    colour_mode      TEXT        NOT NULL CHECK (colour_mode IN ('mono', 'dual', 'full')),
    time_zone        TEXT        NOT NULL DEFAULT 'Asia/Shanghai',
    status           TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'revoked')),
    secret_sha256    BYTEA,
    poll_interval_s  INT         NOT NULL CHECK (poll_interval_s BETWEEN 5 AND 3600),
    enrolled_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    approved_at      TIMESTAMPTZ,
    revoked_at       TIMESTAMPTZ,
    last_seen_at     TIMESTAMPTZ
);
CREATE INDEX led_screen_status_idx ON led_screen (status);

CREATE TABLE led_screen_group (
    screen_id  BIGINT NOT NULL REFERENCES led_screen (id),
    group_id   BIGINT NOT NULL REFERENCES led_group (id),
    PRIMARY KEY (screen_id, group_id)
);
CREATE INDEX led_screen_group_group_idx ON led_screen_group (group_id);

CREATE TABLE led_library (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A content item. Its text lives in led_item_version (every version, with its hash);
-- content_hash and version here name the current one. Items are never deleted, only
-- retired (deleted_at), so plays always resolve to what was shown.
CREATE TABLE led_item (
    id                BIGSERIAL PRIMARY KEY,
    library_id        BIGINT      REFERENCES led_library (id),
    category          TEXT        NOT NULL CHECK (category IN ('rule', 'aphorism', 'greeting', 'notice')),
    effect            TEXT        NOT NULL CHECK (effect IN ('static', 'scroll-left', 'scroll-up', 'flash')),
    speed             INT         NOT NULL CHECK (speed BETWEEN 1 AND 10),
    dwell_s           INT         NOT NULL CHECK (dwell_s BETWEEN 1 AND 3600),
    colour            TEXT        NOT NULL CHECK (colour ~ '^#[0-9a-f]{6}$'),
    font_size         INT         NOT NULL CHECK (font_size BETWEEN 8 AND 512),
    valid_from        TIMESTAMPTZ,
    valid_until       TIMESTAMPTZ,
    dayparts          TEXT[]      NOT NULL DEFAULT '{}',
    weekdays          INT[]       NOT NULL DEFAULT '{}',
    priority          INT         NOT NULL DEFAULT 0 CHECK (priority BETWEEN -100 AND 100),
    target_group_ids  BIGINT[]    NOT NULL DEFAULT '{}',
    target_screen_ids BIGINT[]    NOT NULL DEFAULT '{}',
    version           INT         NOT NULL DEFAULT 1,
    content_hash      TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at        TIMESTAMPTZ,
    CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
);
-- A library holds a rule once: re-importing the same file adds nothing.
CREATE UNIQUE INDEX led_item_library_hash_idx ON led_item (library_id, content_hash)
    WHERE library_id IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE led_item_version (
    item_id       BIGINT      NOT NULL REFERENCES led_item (id),
    version       INT         NOT NULL,
    text          TEXT        NOT NULL,
    content_hash  TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, version)
);
CREATE INDEX led_item_version_hash_idx ON led_item_version (item_id, content_hash);

-- A library rolled on a group: its rules are spread over the group's screens and days.
CREATE TABLE led_assignment (
    id             BIGSERIAL PRIMARY KEY,
    library_id     BIGINT      NOT NULL REFERENCES led_library (id),
    group_id       BIGINT      NOT NULL REFERENCES led_group (id),
    start_date     DATE        NOT NULL,
    rules_per_day  INT         CHECK (rules_per_day BETWEEN 1 AND 100000),
    daypart        TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (library_id, group_id)
);

-- An emergency alert pre-empts normal content on its target screens until it expires or is
-- cleared. The target screens are fixed when it is raised, so its report is exact.
CREATE TABLE led_alert (
    id                BIGSERIAL PRIMARY KEY,
    text              TEXT        NOT NULL,
    content_hash      TEXT        NOT NULL,
    target_group_ids  BIGINT[]    NOT NULL DEFAULT '{}',
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by        TEXT,
    expires_at        TIMESTAMPTZ NOT NULL,
    cleared_at        TIMESTAMPTZ
);
CREATE INDEX led_alert_live_idx ON led_alert (expires_at) WHERE cleared_at IS NULL;

CREATE TABLE led_alert_screen (
    alert_id   BIGINT NOT NULL REFERENCES led_alert (id),
    screen_id  BIGINT NOT NULL REFERENCES led_screen (id),
    PRIMARY KEY (alert_id, screen_id)
);

-- Proof of play, written by the play sink from Kafka; idempotent by (screen, client play id).
CREATE TABLE led_play (
    screen_id       BIGINT      NOT NULL REFERENCES led_screen (id),
    client_play_id  TEXT        NOT NULL,
    item_id         BIGINT      REFERENCES led_item (id),
    alert_id        BIGINT      REFERENCES led_alert (id),
    content_hash    TEXT        NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    duration_ms     INT         NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL,
    stored_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (screen_id, client_play_id),
    CHECK ((item_id IS NULL) <> (alert_id IS NULL))
);
CREATE INDEX led_play_started_idx ON led_play (started_at);
CREATE INDEX led_play_item_idx ON led_play (item_id, started_at);
CREATE INDEX led_play_alert_idx ON led_play (alert_id) WHERE alert_id IS NOT NULL;
