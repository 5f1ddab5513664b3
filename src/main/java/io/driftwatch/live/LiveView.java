package io.driftwatch.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ObjectKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the agent reads of the cluster's live objects and which kinds it asks to watch. {@link LiveCache} serves it
 * from informers; unit tests serve it from a map.
 */
public interface LiveView extends AutoCloseable {

    /** The live object as JSON with apiVersion and kind set, as the diff engine wants it. */
    Optional<ObjectNode> get(ObjectKey key);

    /** True once the kind has been listed completely; before that, absence proves nothing. */
    boolean hasSynced(String group, String kind);

    /** True when every required kind has been listed. */
    boolean allSynced();

    /**
     * Every live object of the watched kinds, decoded one at a time as the stream is consumed: the informers keep
     * objects as compact bytes, and their decoded trees are several times larger, so consume it without collecting
     * (at 50,000 objects a list of them all took about 300 MiB and ran a 768Mi agent out of heap).
     */
    Stream<ObjectNode> all();

    /** Every live object of one kind. */
    List<ObjectNode> ofKind(String group, String kind);

    /** Watches exactly these kinds; readiness waits for the required ones only. */
    void ensureKinds(Set<ApiResource> required, Set<ApiResource> optional);

    /** The kinds watched now, as "group/Kind". */
    Set<String> watchedKinds();

    /** Watched object counts by kind, for metrics. */
    Map<String, Integer> sizes();

    /** Watch notifications delivered per kind since start, for metrics; one element per kind ever watched. */
    Collection<WatchEventCounts> watchEvents();

    /** Watched kinds that could not be listed yet, with the reason ("apps/Deployment: forbidden"), sorted. */
    List<String> unreadable();

    /** Kinds whose watch is currently not connected. */
    List<String> notWatching();

    /** Stops watching. */
    @Override
    void close();
}
