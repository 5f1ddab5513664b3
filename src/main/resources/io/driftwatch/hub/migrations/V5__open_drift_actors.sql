-- The audit actors (user names) of each open drift — its object's actor (who deleted or created it) and its changes'
-- — one row each, taken from the drift JSON at ingest, for the read API's actor= filter without parsing drift JSON.
-- Drifts opened before this migration have no rows until their next event or the agent's next snapshot.
CREATE TABLE open_drift_actors (
    cluster  VARCHAR(63)  NOT NULL,
    drift_id VARCHAR(128) NOT NULL,
    username VARCHAR(256) NOT NULL,
    PRIMARY KEY (cluster, drift_id, username)
);

CREATE INDEX open_drift_actors_username ON open_drift_actors (username);
