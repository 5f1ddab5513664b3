package io.driftwatch.agent;

import io.driftwatch.drift.DriftRecord;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the reconciler publishes for readers on other threads (the state file, HTTP, the hub): the open drifts after
 * each batch, and every kind each app has ever had. Created before the reconciler and its outputs, so neither has to
 * reach the other.
 */
final class Published {

    private volatile List<DriftRecord> openDrifts = List.of();
    private volatile Map<String, Set<String>> kindsEverHad;

    /**
     * @param kindsHadBefore per app, the kinds ("group/Kind") it had in an earlier run (the state file); the reconciler
     *                       starts from them
     */
    Published(Map<String, Set<String>> kindsHadBefore) {
        Map<String, Set<String>> copy = new TreeMap<>();
        kindsHadBefore.forEach((app, kinds) -> copy.put(app, Set.copyOf(kinds)));
        this.kindsEverHad = Collections.unmodifiableMap(copy);
    }

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
