-- The cause of each open drift (docs/diff.md: out-of-band, unknown-manager, pending-sync, ...), taken from the drift
-- at ingest, for the fleet gauges' cause label and the read API's cause= filter without parsing drift JSON. Rows opened
-- before this migration keep '' until their next event or snapshot.
ALTER TABLE open_drifts ADD COLUMN cause VARCHAR(32) NOT NULL DEFAULT '';
