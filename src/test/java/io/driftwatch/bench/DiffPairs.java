package io.driftwatch.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.driftwatch.diff.DesiredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Realistic (desired, live) pairs for the diff benchmark, generated deterministically from a seed.
 *
 * <p>Each pair starts from one corpus manifest (src/test/resources/corpus, the desired side) and the object a real
 * kube-apiserver v1.36.3 returned for it (src/test/resources/bench/{csa,ssa}, captured by bench/capture-fixtures.sh:
 * server defaults, managedFields, last-applied-configuration for client-side apply, status). The generator then varies
 * both sides the same way — name, labels, container images, env entries, sidecar containers, ConfigMap keys — and keeps
 * the live side consistent: the applier's managedFields entry owns what was added, uid/resourceVersion/creationTimestamp
 * are fresh, and the last-applied-configuration is rewritten. About {@code driftRate} of the pairs then get one
 * out-of-band change on the live side, written the way the API server records it (see the captured examples in
 * src/test/resources/bench/drift): an image changed by {@code kubectl edit}, an env var added by {@code kubectl edit},
 * replicas scaled by {@code kubectl scale} (scale subresource), a ConfigMap value edited, a label changed by
 * {@code kubectl label}. Ownership of a changed field moves from the applier to the out-of-band manager.
 */
public final class DiffPairs {

    /** The sets of pairs the benchmark measures, by object size. */
    public enum Mix {
        /** ConfigMaps (≈ 2–5 KB live JSON). */
        CONFIGMAP(List.of("08-configmap-api-config", "09-configmap-node-cache")),
        /** Services (≈ 3–4 KB). */
        SERVICE(List.of("15-service-api", "17-service-postgres", "19-service-node-cache")),
        /** Deployments (≈ 40–60 KB, client-side apply carries the whole manifest again in last-applied). */
        DEPLOYMENT(List.of("16-deployment-api")),
        /** Every corpus object, one app's realistic mix of 27 kinds. */
        MIXED(List.of());

        private final List<String> files;

        Mix(List<String> files) {
            this.files = files;
        }
    }

    /** What was changed out of band on the live side of a pair. */
    public enum InjectedDrift {
        NONE,
        IMAGE,
        ENV,
        REPLICAS,
        DATA,
        LABEL
    }

    /** One pair; the byte arrays are the same objects serialised as JSON, for the parsing benchmarks. */
    public record Pair(
            String name,
            DesiredObject desired,
            JsonNode live,
            byte[] desiredJson,
            byte[] liveJson,
            InjectedDrift drift) {}

    static final List<String> CORPUS = List.of(
            "01-customresourcedefinition-widgets",
            "02-clusterrole-widget-reader",
            "03-clusterrole-widget-view",
            "04-mutatingwebhookconfiguration-widget-defaulter",
            "05-serviceaccount-api",
            "06-resourcequota-compute",
            "07-limitrange-defaults",
            "08-configmap-api-config",
            "09-configmap-node-cache",
            "10-secret-api-credentials",
            "11-role-config-reader",
            "12-rolebinding-api-config-reader",
            "13-rolebinding-api-widget-view",
            "14-persistentvolumeclaim-db-backups",
            "15-service-api",
            "16-deployment-api",
            "17-service-postgres",
            "18-statefulset-postgres",
            "19-service-node-cache",
            "20-daemonset-node-cache",
            "21-ingress-api",
            "22-horizontalpodautoscaler-api",
            "23-poddisruptionbudget-api",
            "24-networkpolicy-api",
            "25-cronjob-db-backup",
            "26-job-db-migrate",
            "27-widget-storefront");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final Set<String> APPLIERS = Set.of("kubectl-client-side-apply", "argocd-controller");
    private static final List<String> LABEL_KEYS =
            List.of("team", "tier", "cost-center", "app.kubernetes.io/version", "app.kubernetes.io/part-of", "env");
    private static final List<String> LABEL_VALUES = List.of(
            "payments", "checkout", "platform", "backend", "frontend", "cc-4711", "cc-0815", "prod", "staging", "shop");
    private static final List<String> PROBES = List.of("livenessProbe", "readinessProbe", "startupProbe", "ports");

    /** A corpus object and its captured live form. */
    private record Base(String file, String mode, ObjectNode desired, ObjectNode live) {}

    private final List<Base> bases;
    private final Random random;
    private final double driftRate;
    private int serial;

    private DiffPairs(List<Base> bases, long seed, double driftRate) {
        this.bases = bases;
        this.random = new Random(seed);
        this.driftRate = driftRate;
    }

    /** {@code count} pairs of {@code set}, about {@code driftRate} of them drifted; the same seed gives the same pairs. */
    public static List<Pair> generate(Mix set, int count, long seed, double driftRate) {
        List<Base> bases = new ArrayList<>();
        for (String mode : List.of("csa", "ssa")) {
            for (String file : set.files.isEmpty() ? CORPUS : set.files) {
                bases.add(loadBase(file, mode));
            }
        }
        DiffPairs generator = new DiffPairs(bases, seed, driftRate);
        List<Pair> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(generator.next());
        }
        return out;
    }

    /** The desired manifest of a corpus file for one capture namespace ({@code bench-csa}, {@code bench-ssa}). */
    static ObjectNode corpusManifest(String file, String mode) {
        String text = resource("/corpus/" + file + ".yaml").replace("__NS__", "bench-" + mode);
        try {
            return (ObjectNode) YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(file, e);
        }
    }

    /** A captured live object under src/test/resources/bench ({@code csa/16-deployment-api}, {@code drift/...}). */
    static ObjectNode captured(String name) {
        try {
            return (ObjectNode) JSON.readTree(resource("/bench/" + name + ".json"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(name, e);
        }
    }

    private static Base loadBase(String file, String mode) {
        return new Base(file, mode, corpusManifest(file, mode), captured(mode + "/" + file));
    }

    private static String resource(String path) {
        try (InputStream in = DiffPairs.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Pair next() {
        Base base = bases.get(random.nextInt(bases.size()));
        int n = serial++;
        ObjectNode desired = base.desired().deepCopy();
        ObjectNode live = base.live().deepCopy();
        ObjectNode lastApplied = lastApplied(live);
        ObjectNode applier = applierFields(live);
        Instant created =
                Instant.parse(live.at("/metadata/creationTimestamp").asText()).plusSeconds(random.nextInt(86_400));

        // Both sides (and the last-applied copy of desired) change the same way.
        String name = desired.at("/metadata/name").asText() + "-" + n;
        both(desired, lastApplied, m -> ((ObjectNode) m.get("metadata")).put("name", name));
        ObjectNode meta = (ObjectNode) live.get("metadata");
        meta.put("name", name);
        meta.put("uid", new UUID(random.nextLong(), random.nextLong()).toString());
        meta.put("resourceVersion", Integer.toString(10_000 + random.nextInt(9_000_000)));
        meta.put("creationTimestamp", created.toString());
        for (JsonNode entry : meta.path("managedFields")) {
            if (entry.has("time")) {
                ((ObjectNode) entry).put("time", created.toString());
            }
        }
        addLabels(desired, lastApplied, live, applier);
        String kind = desired.path("kind").asText();
        PodSpecPath pod = PodSpecPath.of(kind);
        if (pod != null) {
            varyPodSpec(pod, desired, lastApplied, live, applier);
        }
        if ("ConfigMap".equals(kind)) {
            addConfigMapKeys(desired, lastApplied, live, applier);
        }
        if (lastApplied != null) {
            ((ObjectNode) meta.get("annotations")).put(LAST_APPLIED, compact(lastApplied) + "\n");
        }

        InjectedDrift drift =
                random.nextDouble() < driftRate ? injectDrift(kind, pod, live, applier, created) : InjectedDrift.NONE;
        return new Pair(name, DesiredObject.of(desired), live, bytes(desired), bytes(live), drift);
    }

    // ---- variations (desired and live alike) -------------------------------------------------------------------

    private void addLabels(ObjectNode desired, ObjectNode lastApplied, ObjectNode live, ObjectNode applier) {
        int count = 1 + random.nextInt(4);
        List<String> keys = new ArrayList<>(LABEL_KEYS);
        for (int i = 0; i < count; i++) {
            String key = keys.remove(i == 0 ? 0 : random.nextInt(keys.size()));
            String value = LABEL_VALUES.get(random.nextInt(LABEL_VALUES.size()));
            both(desired, lastApplied, m -> objectAt(m, "metadata", "labels").put(key, value));
            objectAt(live, "metadata", "labels").put(key, value);
            ObjectNode labels = objectAt(applier, "f:metadata", "f:labels");
            labels.putObject(".");
            labels.putObject("f:" + key);
        }
    }

    private void varyPodSpec(
            PodSpecPath pod, ObjectNode desired, ObjectNode lastApplied, ObjectNode live, ObjectNode applier) {
        // new image tags everywhere
        String tag = "1." + random.nextInt(40) + "." + random.nextInt(10);
        Consumer<ObjectNode> retag = m -> {
            for (JsonNode c : pod.containers(m)) {
                ((ObjectNode) c).put("image", retag(c.path("image").asText(), tag));
            }
        };
        both(desired, lastApplied, retag);
        retag.accept(live);

        // extra env entries on the first container
        String first = pod.containers(desired).get(0).path("name").asText();
        int envCount = random.nextInt(7);
        for (int i = 0; i < envCount; i++) {
            String envName = "FEATURE_FLAG_" + i;
            String value = random.nextBoolean() ? "enabled" : "rollout-" + random.nextInt(100) + "%";
            Consumer<ObjectNode> addEnv =
                    m -> envOf(pod, m, first).addObject().put("name", envName).put("value", value);
            both(desired, lastApplied, addEnv);
            addEnv.accept(live);
            ObjectNode env = objectAt(pod.fields(applier), "f:containers", key("name", first), "f:env");
            env.putObject(".");
            ObjectNode item = env.putObject(key("name", envName));
            item.putObject(".");
            item.putObject("f:name");
            item.putObject("f:value");
        }

        // sidecars: copies of the last container, without ports and probes
        int sidecars = random.nextInt(3);
        for (int i = 0; i < sidecars; i++) {
            String template = pod.containers(desired)
                    .get(pod.containers(desired).size() - 1)
                    .path("name")
                    .asText();
            String sidecar = "sidecar-" + i;
            String image = "registry.example.com/shop/sidecar-" + i + ":" + tag;
            Consumer<ObjectNode> addSidecar = m -> {
                ArrayNode containers = pod.containers(m);
                ObjectNode copy = find(containers, template).deepCopy();
                copy.put("name", sidecar).put("image", image);
                copy.remove(PROBES);
                containers.add(copy);
            };
            both(desired, lastApplied, addSidecar);
            addSidecar.accept(live);
            ObjectNode containerFields = objectAt(pod.fields(applier), "f:containers");
            ObjectNode copy = ((ObjectNode) containerFields.get(key("name", template))).deepCopy();
            PROBES.forEach(p -> copy.remove("f:" + p));
            containerFields.set(key("name", sidecar), copy);
        }
    }

    private void addConfigMapKeys(ObjectNode desired, ObjectNode lastApplied, ObjectNode live, ObjectNode applier) {
        int keys = random.nextInt(6);
        for (int i = 0; i < keys; i++) {
            String key = "extra-" + i + ".properties";
            StringBuilder value = new StringBuilder();
            int lines = 2 + random.nextInt(10);
            for (int l = 0; l < lines; l++) {
                value.append("setting.")
                        .append(l)
                        .append('=')
                        .append(Long.toHexString(random.nextLong()))
                        .append('\n');
            }
            both(desired, lastApplied, m -> objectAt(m, "data").put(key, value.toString()));
            objectAt(live, "data").put(key, value.toString());
            objectAt(applier, "f:data").putObject("f:" + key);
        }
    }

    // ---- drift (live only) ------------------------------------------------------------------------------------

    private InjectedDrift injectDrift(
            String kind, PodSpecPath pod, ObjectNode live, ObjectNode applier, Instant created) {
        String time = created.plusSeconds(3_600 + random.nextInt(86_400)).toString();
        List<InjectedDrift> possible = new ArrayList<>();
        if (pod != null) {
            possible.add(InjectedDrift.IMAGE);
            possible.add(InjectedDrift.ENV);
            if (live.path("spec").has("replicas")) {
                possible.add(InjectedDrift.REPLICAS);
            }
        } else if ("ConfigMap".equals(kind) && live.path("data").size() > 0) {
            possible.add(InjectedDrift.DATA);
        } else {
            possible.add(InjectedDrift.LABEL);
        }
        InjectedDrift drift = possible.get(random.nextInt(possible.size()));
        String apiVersion = live.path("apiVersion").asText();
        switch (drift) {
            case IMAGE -> {
                ArrayNode containers = pod.containers(live);
                ObjectNode c = (ObjectNode) containers.get(random.nextInt(containers.size()));
                c.put("image", c.path("image").asText() + "-hotfix");
                ObjectNode owned = objectAt(
                        pod.fields(applier),
                        "f:containers",
                        key("name", c.path("name").asText()));
                owned.remove("f:image");
                ObjectNode fields = JSON.createObjectNode();
                objectAt(
                                pod.fields(fields),
                                "f:containers",
                                key("name", c.path("name").asText()))
                        .putObject("f:image");
                addEntry(live, "kubectl-edit", null, apiVersion, time, fields);
            }
            case ENV -> {
                String first = pod.containers(live).get(0).path("name").asText();
                String envName = "DEBUG_" + random.nextInt(1000);
                envOf(pod, live, first).addObject().put("name", envName).put("value", "true");
                ObjectNode fields = JSON.createObjectNode();
                ObjectNode item =
                        objectAt(pod.fields(fields), "f:containers", key("name", first), "f:env", key("name", envName));
                item.putObject(".");
                item.putObject("f:name");
                item.putObject("f:value");
                addEntry(live, "kubectl-edit", null, apiVersion, time, fields);
            }
            case REPLICAS -> {
                ObjectNode spec = (ObjectNode) live.get("spec");
                spec.put("replicas", spec.path("replicas").asInt() + 1 + random.nextInt(4));
                objectAt(applier, "f:spec").remove("f:replicas");
                ObjectNode fields = JSON.createObjectNode();
                objectAt(fields, "f:spec").putObject("f:replicas");
                addEntry(live, "kubectl", "scale", apiVersion, null, fields);
            }
            case DATA -> {
                ObjectNode data = (ObjectNode) live.get("data");
                List<String> names = new ArrayList<>();
                data.fieldNames().forEachRemaining(names::add);
                String key = names.get(random.nextInt(names.size()));
                data.put(key, data.get(key).asText() + "# edited by hand\n");
                objectAt(applier, "f:data").remove("f:" + key);
                ObjectNode fields = JSON.createObjectNode();
                objectAt(fields, "f:data").putObject("f:" + key);
                addEntry(live, "kubectl-edit", null, apiVersion, time, fields);
            }
            case LABEL -> {
                objectAt(live, "metadata", "labels").put("team", "hijacked");
                objectAt(applier, "f:metadata", "f:labels").remove("f:team");
                ObjectNode fields = JSON.createObjectNode();
                objectAt(fields, "f:metadata", "f:labels").putObject("f:team");
                addEntry(live, "kubectl-label", null, apiVersion, time, fields);
            }
            case NONE -> throw new IllegalStateException();
        }
        return drift;
    }

    private static void addEntry(
            ObjectNode live, String manager, String subresource, String apiVersion, String time, ObjectNode fields) {
        ObjectNode entry = ((ArrayNode) live.at("/metadata/managedFields")).addObject();
        entry.put("apiVersion", apiVersion);
        entry.put("fieldsType", "FieldsV1");
        entry.set("fieldsV1", fields);
        entry.put("manager", manager);
        entry.put("operation", "Update");
        if (subresource != null) {
            entry.put("subresource", subresource);
        }
        if (time != null) {
            entry.put("time", time);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** Where a kind keeps its pod spec, in the object and in fieldsV1. */
    private record PodSpecPath(List<String> path) {

        static PodSpecPath of(String kind) {
            return switch (kind) {
                case "Deployment", "StatefulSet", "DaemonSet", "Job" ->
                    new PodSpecPath(List.of("spec", "template", "spec"));
                case "CronJob" -> new PodSpecPath(List.of("spec", "jobTemplate", "spec", "template", "spec"));
                default -> null;
            };
        }

        ArrayNode containers(ObjectNode object) {
            return (ArrayNode) objectAt(object, path.toArray(String[]::new)).get("containers");
        }

        ObjectNode fields(ObjectNode fieldsV1) {
            return objectAt(fieldsV1, path.stream().map(p -> "f:" + p).toArray(String[]::new));
        }
    }

    private static ArrayNode envOf(PodSpecPath pod, ObjectNode object, String container) {
        ObjectNode c = find(pod.containers(object), container);
        return c.get("env") instanceof ArrayNode env ? env : c.putArray("env");
    }

    private static ObjectNode find(ArrayNode list, String name) {
        for (JsonNode e : list) {
            if (name.equals(e.path("name").asText())) {
                return (ObjectNode) e;
            }
        }
        throw new IllegalStateException("no element " + name);
    }

    private static void both(ObjectNode desired, ObjectNode lastApplied, Consumer<ObjectNode> change) {
        change.accept(desired);
        if (lastApplied != null) {
            change.accept(lastApplied);
        }
    }

    /** The nested object at {@code path}, created where missing. */
    private static ObjectNode objectAt(ObjectNode root, String... path) {
        ObjectNode node = root;
        for (String p : path) {
            node = node.get(p) instanceof ObjectNode o ? o : node.putObject(p);
        }
        return node;
    }

    private static ObjectNode lastApplied(ObjectNode live) {
        String text = live.at("/metadata/annotations").path(LAST_APPLIED).asText("");
        if (text.isEmpty()) {
            return null;
        }
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** fieldsV1 of the applier's (non-subresource) entry. */
    private static ObjectNode applierFields(ObjectNode live) {
        for (JsonNode entry : live.at("/metadata/managedFields")) {
            if (APPLIERS.contains(entry.path("manager").asText()) && !entry.has("subresource")) {
                return (ObjectNode) entry.get("fieldsV1");
            }
        }
        throw new IllegalStateException("no applier entry in " + live.at("/metadata/name"));
    }

    private static String key(String field, String value) {
        return "k:" + compact(JSON.createObjectNode().put(field, value));
    }

    private static String retag(String image, String tag) {
        int colon = image.lastIndexOf(':');
        return (colon > image.lastIndexOf('/') ? image.substring(0, colon) : image) + ":" + tag;
    }

    private static String compact(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Average live JSON size of some pairs, for reports. */
    public static long averageLiveBytes(List<Pair> pairs) {
        return pairs.stream().mapToLong(p -> p.liveJson().length).sum() / Math.max(1, pairs.size());
    }

    static Map<InjectedDrift, Long> driftCounts(List<Pair> pairs) {
        Map<InjectedDrift, Long> counts = new java.util.EnumMap<>(InjectedDrift.class);
        pairs.forEach(p -> counts.merge(p.drift(), 1L, Long::sum));
        return counts;
    }
}
