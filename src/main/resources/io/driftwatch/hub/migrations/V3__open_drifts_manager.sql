-- The field manager of each open drift (driftwatch_hub_drift_started_timestamp_seconds{manager}), taken from its first
-- change at ingest so that the metrics refresh never parses drift JSON. Rows opened before this migration keep ''
-- until their next event or snapshot.
ALTER TABLE open_drifts ADD COLUMN manager VARCHAR(128) NOT NULL DEFAULT '';

-- The per-drift series are the oldest open drifts first (ORDER BY onset_ms LIMIT metrics.maxDriftSeries).
CREATE INDEX open_drifts_onset ON open_drifts (onset_ms);
