-- History pages per cluster, newest first (GET /api/v1/events?cluster=...): without this index both databases
-- walk events_id backwards and filter.
CREATE INDEX events_cluster_id ON events (cluster, id);

-- How many history events were pruned, so the number kept is (events allocated - pruned) without a COUNT(*) scan.
INSERT INTO counters (name, value) VALUES ('pruned', 0);
