package io.driftwatch.wire;

/**
 * The hub's answer to an event batch: {@code ack}, the highest seq it holds (null only from a hub that does not say;
 * the agent then takes the batch as acknowledged), how many were new and how many repeats, and whether it wants a
 * snapshot.
 */
public record EventsAck(Long ack, int stored, int duplicates, boolean snapshotWanted) {}
