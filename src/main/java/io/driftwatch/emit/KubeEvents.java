package io.driftwatch.emit;

import io.driftwatch.diff.Actor;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.drift.DriftEvent;
import io.driftwatch.drift.DriftRecord;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on drifted objects — Warning {@code DriftDetected} when a drift opens or changes, Normal
 * {@code DriftResolved} when it ends — so {@code kubectl describe} and event exporters show drift where people look.
 * At most one Event per object and reason per {@code minInterval}; resolutions are never suppressed. Blocking.
 */
public final class KubeEvents {

    private static final Logger LOG = LoggerFactory.getLogger(KubeEvents.class);
    private static final int MAX_MESSAGE = 1024;
    private static final String COMPONENT = "driftwatch-agent";
    /** On every Event: which drift it is about and when that drift started, so a new leader can recover onsets. */
    public static final String DRIFT_ID = "driftwatch.io/drift-id";

    public static final String ONSET = "driftwatch.io/onset";
    /** On every Event: the drift's cause (out-of-band, unknown-manager, ...), for event exporters to route on. */
    public static final String CAUSE = "driftwatch.io/cause";
    /** On Events of attributed drifts: the audit actors' user names, comma-separated, for event exporters. */
    public static final String ACTORS = "driftwatch.io/actors";

    private final KubernetesClient client;
    private final AgentMetrics metrics;
    private final Duration minInterval;
    private final String instance;
    private final Clock clock;
    private final Map<String, Instant> lastSent = new HashMap<>();
    private final String consoleDrifts;
    /** The attributions last sent in a DriftDetected Event, per object: a late audit batch's actors pass the limit. */
    private final Map<ObjectKey, List<Drift.Attribution>> lastAttributions = new HashMap<>();

    public KubeEvents(
            KubernetesClient client, AgentMetrics metrics, Duration minInterval, String instance, Clock clock) {
        this(client, metrics, minInterval, instance, clock, null);
    }

    /**
     * {@code consoleDrifts}: the hub console's URL of this cluster's drifts, to which a drift's id is appended
     * ({@code https://driftwatch.example.com/console/#/drift/prod-eu/}); null for messages without a link.
     */
    public KubeEvents(
            KubernetesClient client,
            AgentMetrics metrics,
            Duration minInterval,
            String instance,
            Clock clock,
            String consoleDrifts) {
        this.client = client;
        this.metrics = metrics;
        this.minInterval = minInterval;
        this.instance = instance;
        this.clock = clock;
        this.consoleDrifts = consoleDrifts;
    }

    public synchronized void emit(DriftEvent event, String apiVersion) {
        DriftRecord r = event.record();
        boolean resolved = event.type() == DriftEvent.Type.RESOLVED;
        String reason = resolved ? "DriftResolved" : "DriftDetected";
        Instant now = clock.instant();
        String limitKey = r.key() + "|" + reason;
        Instant previous = lastSent.get(limitKey);
        List<Drift.Attribution> attributions = r.drift().attributions();
        boolean newlyAttributed =
                !resolved && !attributions.isEmpty() && !attributions.equals(lastAttributions.get(r.key()));
        if (!resolved
                && !newlyAttributed
                && previous != null
                && previous.plus(minInterval).isAfter(now)) {
            metrics.kubernetesEvent("rate_limited");
            return;
        }
        lastSent.put(limitKey, now);
        if (resolved) {
            lastSent.remove(r.key() + "|DriftDetected");
            lastAttributions.remove(r.key());
        } else {
            lastAttributions.put(r.key(), attributions);
        }
        try {
            Event built = build(
                    r.key(),
                    apiVersion,
                    reason,
                    resolved ? "Normal" : "Warning",
                    withLink(message(event, now), consoleDrifts, r.id()),
                    now);
            Map<String, String> annotations = new HashMap<>(Map.of(
                    DRIFT_ID,
                    r.id(),
                    ONSET,
                    r.onset().toString(),
                    CAUSE,
                    r.drift().cause().json()));
            if (!attributions.isEmpty()) {
                annotations.put(
                        ACTORS,
                        String.join(
                                ",",
                                attributions.stream()
                                        .map(a -> a.actor().username())
                                        .distinct()
                                        .toList()));
            }
            built.getMetadata().setAnnotations(annotations);
            client.resource(built).create();
            metrics.kubernetesEvent("sent");
        } catch (RuntimeException e) {
            metrics.kubernetesEvent("failed");
            LOG.warn("cannot create Event {} for {}: {}", reason, r.key(), e.getMessage());
        }
    }

    /**
     * The Event's message: the cause and, with audit, who made the changes first (messages are cut at {@value
     * #MAX_MESSAGE} characters), then the summary; "Cause out-of-band, by carol (impersonated by alice; exact:
     * spec.replicas): Deployment shop/web: replicas 3 → 5, set by kubectl-scale at 10:42Z".
     */
    static String message(DriftEvent event, Instant now) {
        DriftRecord r = event.record();
        String cause = r.drift().cause().json();
        String by = by(r.drift().attributions());
        return event.type() == DriftEvent.Type.RESOLVED
                ? "Drift resolved after " + human(r.age(now)) + " (cause " + cause + by + "): "
                        + r.drift().summary()
                : "Cause " + cause + by + ": " + r.drift().summary();
    }

    /**
     * ", by alice (exact: spec.replicas), carol (impersonated by alice; probable: data.a, data.b)", or "" when no
     * actor is known. User names and match quality only: never groups, addresses or anything of a request's body.
     */
    static String by(List<Drift.Attribution> attributions) {
        if (attributions.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(", by ");
        for (int i = 0; i < attributions.size(); i++) {
            Actor a = attributions.get(i).actor();
            sb.append(i == 0 ? "" : ", ").append(a.username()).append(" (");
            if (a.impersonatedBy() != null) {
                sb.append("impersonated by ").append(a.impersonatedBy()).append("; ");
            }
            sb.append(a.match().json())
                    .append(": ")
                    .append(String.join(", ", attributions.get(i).fields()))
                    .append(')');
        }
        return sb.toString();
    }

    /** The console's URL prefix of {@code cluster}'s drifts ({@code <consoleUrl>#/drift/<cluster>/}); null for null. */
    public static String consoleDrifts(String consoleUrl, String cluster) {
        if (consoleUrl == null) {
            return null;
        }
        return (consoleUrl.endsWith("/") ? consoleUrl : consoleUrl + "/") + "#/drift/"
                + URLEncoder.encode(cluster, StandardCharsets.UTF_8) + "/";
    }

    /**
     * The message with " Console: <link to the drift>" at its end, the message (not the link) cut so that both fit in
     * {@value #MAX_MESSAGE} characters; the message alone when there is no console URL.
     */
    static String withLink(String message, String consoleDrifts, String driftId) {
        if (consoleDrifts == null) {
            return message;
        }
        String link = " Console: " + consoleDrifts + driftId;
        String text = message.length() + link.length() > MAX_MESSAGE
                ? message.substring(0, Math.max(0, MAX_MESSAGE - link.length() - 1)) + "…"
                : message;
        return text + link;
    }

    private Event build(ObjectKey key, String apiVersion, String reason, String type, String message, Instant now) {
        String namespace = key.namespace().isEmpty() ? "default" : key.namespace();
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message;
        String timestamp = now.toString();
        return new EventBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(key.name() + "." + UUID.randomUUID().toString().substring(0, 8))
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(apiVersion)
                .withKind(key.kind())
                .withName(key.name())
                .withNamespace(key.namespace().isEmpty() ? null : key.namespace())
                .endInvolvedObject()
                .withReason(reason)
                .withType(type)
                .withMessage(text)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent("driftwatch.io/agent")
                .withReportingInstance(instance)
                .withFirstTimestamp(timestamp)
                .withLastTimestamp(timestamp)
                .withCount(1)
                .build();
    }

    /**
     * Onsets of drifts that were open when the previous leader stopped, read back from the Events it wrote: for each
     * object, the newest {@code DriftDetected} whose drift has no {@code DriftResolved}. Events expire (the API
     * server's --event-ttl, 1 h by default), so this covers failovers and restarts, not long outages.
     */
    public Map<ObjectKey, Instant> recoverOnsets() {
        Map<ObjectKey, Event> newestDetected = new HashMap<>();
        Set<String> resolvedIds = new HashSet<>();
        List<Event> events;
        try {
            events = client.v1()
                    .events()
                    .inAnyNamespace()
                    .withField("source", COMPONENT)
                    .list()
                    .getItems();
        } catch (RuntimeException e) {
            LOG.warn("cannot read earlier drift Events to recover onsets: {}", e.getMessage());
            return Map.of();
        }
        for (Event event : events) {
            Map<String, String> annotations = event.getMetadata().getAnnotations();
            if (annotations == null || !annotations.containsKey(DRIFT_ID) || !annotations.containsKey(ONSET)) {
                continue;
            }
            if ("DriftResolved".equals(event.getReason())) {
                resolvedIds.add(annotations.get(DRIFT_ID));
            } else if ("DriftDetected".equals(event.getReason())) {
                newestDetected.merge(keyOf(event), event, (a, b) -> onset(a).isAfter(onset(b)) ? a : b);
            }
        }
        Map<ObjectKey, Instant> onsets = new HashMap<>();
        newestDetected.forEach((key, event) -> {
            if (!resolvedIds.contains(event.getMetadata().getAnnotations().get(DRIFT_ID))) {
                onsets.put(key, onset(event));
            }
        });
        LOG.info("recovered the onsets of {} open drifts from earlier Events", onsets.size());
        return onsets;
    }

    private static Instant onset(Event event) {
        try {
            return Instant.parse(event.getMetadata().getAnnotations().get(ONSET));
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private static ObjectKey keyOf(Event event) {
        var ref = event.getInvolvedObject();
        String apiVersion = ref.getApiVersion() == null ? "" : ref.getApiVersion();
        String group = ObjectKey.groupOf(apiVersion);
        return new ObjectKey(group, ref.getKind(), ref.getNamespace() == null ? "" : ref.getNamespace(), ref.getName());
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return s / 60 + "m";
        }
        if (s < 172800) {
            return s / 3600 + "h" + (s % 3600) / 60 + "m";
        }
        return s / 86400 + "d";
    }
}
