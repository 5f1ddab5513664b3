-- driftwatch hub schema, version 1. Portable SQL: runs unchanged on SQLite (3.24+) and PostgreSQL (9.5+).
-- Times are epoch milliseconds (BIGINT); JSON is kept as TEXT; no dialect-specific types or sequences.

CREATE TABLE clusters (
    name         VARCHAR(63)  NOT NULL PRIMARY KEY,
    agent_id     VARCHAR(200),
    version      VARCHAR(100),
    labels       TEXT         NOT NULL,
    sources      TEXT         NOT NULL,
    last_seen_ms BIGINT,
    stream       VARCHAR(64),
    state_seq    BIGINT       NOT NULL,
    snapshot_ms  BIGINT       NOT NULL
);

CREATE TABLE open_drifts (
    cluster      VARCHAR(63)  NOT NULL,
    drift_id     VARCHAR(128) NOT NULL,
    namespace    VARCHAR(253) NOT NULL,
    kind         VARCHAR(100) NOT NULL,
    name         VARCHAR(253) NOT NULL,
    app          VARCHAR(253) NOT NULL,
    type         VARCHAR(16)  NOT NULL,
    summary      TEXT         NOT NULL,
    onset_ms     BIGINT       NOT NULL,
    last_seen_ms BIGINT       NOT NULL,
    drift        TEXT         NOT NULL,
    PRIMARY KEY (cluster, drift_id)
);

CREATE INDEX open_drifts_namespace ON open_drifts (namespace);
CREATE INDEX open_drifts_app ON open_drifts (app);
CREATE INDEX open_drifts_kind ON open_drifts (kind);

-- Every event ever received (history), unique per (cluster, stream, seq): a re-sent batch stores nothing twice.
-- id is a fleet-wide order (from counters, allocated under a row lock, so ids commit in order) for paging and SSE.
CREATE TABLE events (
    id             BIGINT       NOT NULL,
    cluster        VARCHAR(63)  NOT NULL,
    stream         VARCHAR(64)  NOT NULL,
    seq            BIGINT       NOT NULL,
    type           VARCHAR(16)  NOT NULL,
    drift_id       VARCHAR(128) NOT NULL,
    namespace      VARCHAR(253) NOT NULL,
    kind           VARCHAR(100) NOT NULL,
    name           VARCHAR(253) NOT NULL,
    app            VARCHAR(253) NOT NULL,
    drift_type     VARCHAR(16)  NOT NULL,
    summary        TEXT         NOT NULL,
    onset_ms       BIGINT       NOT NULL,
    last_seen_ms   BIGINT       NOT NULL,
    resolved_at_ms BIGINT,
    received_ms    BIGINT       NOT NULL,
    drift          TEXT         NOT NULL,
    PRIMARY KEY (cluster, stream, seq)
);

CREATE UNIQUE INDEX events_id ON events (id);
CREATE INDEX events_drift ON events (cluster, drift_id);
CREATE INDEX events_received ON events (received_ms);

CREATE TABLE counters (
    name  VARCHAR(32) NOT NULL PRIMARY KEY,
    value BIGINT      NOT NULL
);

INSERT INTO counters (name, value) VALUES ('events', 0);
