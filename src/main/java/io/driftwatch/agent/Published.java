package io.driftwatch.agent;

import io.driftwatch.drift.DriftRecord;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the reconciler publishes for readers on other threads (the state file, HTTP, the hub): the open drifts after
 * each batch, and every kind each app has ever had. Created before the reconciler and its outputs, so neither has to
 * reach the other.
 */
final class Published {

    private volatile List<DriftRecord> openDrifts = List.of();
    private volatile Map<String, Set<String>> kindsEverHad = Map.of();

    List<DriftRecord> openDrifts() {
        return openDrifts;
    }

    void openDrifts(Collection<DriftRecord> drifts) {
        this.openDrifts = List.copyOf(drifts);
    }

    /** Per app, every kind ("group/Kind") it has ever had. */
    Map<String, Set<String>> kindsEverHad() {
        return kindsEverHad;
    }

    void kindsEverHad(Map<String, Set<String>> kinds) {
        this.kindsEverHad = kinds;
    }
}
