package io.driftwatch.emit.hub;

import io.driftwatch.drift.DriftEvent;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drift events on their way to the hub: each gets the next sequence number in the {@link Outbox}, synchronously, on the
 * thread that produced them, so sequence order is event order. Built before what feeds it and before the
 * {@link HubReporter} that pushes the same outbox. Events the outbox cannot take are counted as dropped, and the next
 * snapshot carries the state.
 */
public final class HubEvents implements Consumer<List<DriftEvent>> {

    private static final Logger LOG = LoggerFactory.getLogger(HubEvents.class);

    private final Outbox outbox;

    public HubEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void accept(List<DriftEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try {
            outbox.append(events.size(), (i, seq) -> HubReporter.eventJson(seq, events.get(i)));
        } catch (IOException e) {
            LOG.error(
                    "hub outbox: cannot write {} events: {}; the next snapshot carries the state",
                    events.size(),
                    e.toString());
            outbox.lost(events.size());
        }
    }
}
