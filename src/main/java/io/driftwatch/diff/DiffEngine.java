package io.driftwatch.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ManagerRules.ManagerGroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Compares desired objects (partial manifests from Git) with live objects and reports drift with field-level
 * attribution. Pure: no I/O, thread-safe after construction. The objects passed in are never modified, and the values in
 * a returned {@link Drift} may be nodes of them (not copies): treat both as immutable once compared.
 */
public final class DiffEngine {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The manager every controller of kube-controller-manager writes with (its per-controller credentials too). */
    private static final String CLUSTER_CONTROLLERS = "kube-controller-manager";

    private static final List<Cause> CAUSE_PRIORITY = List.of(
            Cause.OUT_OF_BAND,
            Cause.UNKNOWN_MANAGER,
            Cause.UNKNOWN,
            Cause.CONTROLLER,
            Cause.PENDING_SYNC,
            Cause.ADMISSION);

    private final DiffOptions options;
    private final ResourceScope scope;
    private final ListSchema schema;
    private final Redactor redactor;

    /** @param schema cluster schema; the builtin table is always consulted where it does not know a path */
    public DiffEngine(DiffOptions options, ResourceScope scope, ListSchema schema) {
        this.options = Objects.requireNonNull(options, "options");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.schema = schema == null || schema instanceof BuiltinListSchema
                ? BuiltinListSchema.INSTANCE
                : schema.orElse(BuiltinListSchema.INSTANCE);
        this.redactor = new Redactor(options.redactionKey());
    }

    /** An engine with builtin scope and schema. */
    public static DiffEngine withDefaults(DiffOptions options) {
        return new DiffEngine(options, BuiltinResourceScope.INSTANCE, BuiltinListSchema.INSTANCE);
    }

    public DiffOptions options() {
        return options;
    }

    public Redactor redactor() {
        return redactor;
    }

    /** Identity of a manifest: the target namespace for namespaced objects without one, "" for cluster-scoped kinds. */
    public ObjectKey keyOf(JsonNode manifest) {
        String apiVersion = manifest.path("apiVersion").asText("");
        String group = ObjectKey.groupOf(apiVersion);
        String kind = manifest.path("kind").asText("");
        String name = manifest.path("metadata").path("name").asText("");
        String namespace = "";
        if (scope.isNamespaced(group, kind)) {
            namespace = manifest.path("metadata").path("namespace").asText("");
            if (namespace.isEmpty()) {
                namespace = options.targetNamespace();
            }
        }
        return new ObjectKey(group, kind, namespace, name);
    }

    /** Compares one object; {@code live} null means missing. HPA targets are not known here (see {@link #diffAll}). */
    public Optional<Drift> diff(DesiredObject desired, JsonNode live, boolean seenLiveBefore) {
        return diff(desired, live, seenLiveBefore, false);
    }

    /**
     * Compares one object; {@code hpaTargeted} says a HorizontalPodAutoscaler scales it. Hooks and objects marked
     * {@code Skip} are not compared (see {@link Hooks}).
     */
    public Optional<Drift> diff(DesiredObject desired, JsonNode live, boolean seenLiveBefore, boolean hpaTargeted) {
        if (Hooks.notCompared(desired.manifest())) {
            return Optional.empty();
        }
        DesiredHints hints = DesiredHints.NONE;
        if (DesiredHints.present(desired.manifest())) {
            hints = DesiredHints.read(desired.manifest());
            desired = new DesiredObject(
                    DesiredHints.strip(desired.manifest()), desired.app(), desired.contentChangedAt());
        }
        ObjectKey key = keyOf(desired.manifest());
        String apiVersion = desired.manifest().path("apiVersion").asText("");
        if (live == null || live.isNull() || live.isMissingNode()) {
            Cause cause = seenLiveBefore ? Cause.DELETED : Cause.NOT_YET_APPLIED;
            String yaml = options.includeYamlDiff()
                    ? YamlDiff.unified(
                            redactor.redact(display(desired.manifest())), null, options.yamlDiffContextLines())
                    : null;
            return Optional.of(new Drift(
                    key,
                    apiVersion,
                    desired.app(),
                    DriftType.MISSING,
                    cause,
                    Summaries.missing(key, cause),
                    List.of(),
                    yaml));
        }
        List<Attributed> changes = compare(key, desired, live, hpaTargeted, hints);
        if (changes.isEmpty()) {
            return Optional.empty();
        }
        boolean secret = Redactor.isSecret(live) || Redactor.isSecret(desired.manifest());
        List<Change> out = new ArrayList<>();
        for (Attributed a : changes) {
            Comparer.RawChange raw = a.raw();
            ManagedFields.Entry owner = a.owner();
            JsonNode d = secret ? redactor.redactAt(raw.path(), raw.desired()) : raw.desired();
            JsonNode l = secret ? redactor.redactAt(raw.path(), raw.live()) : raw.live();
            out.add(new Change(
                    raw.path().readable(),
                    raw.path().pointer(),
                    raw.op(),
                    a.cause(),
                    d,
                    l,
                    owner == null ? null : owner.manager(),
                    owner == null ? null : owner.operation(),
                    owner == null ? null : owner.subresource(),
                    owner == null ? null : owner.time(),
                    note(raw, a.cause(), owner)));
        }
        Cause cause = driftCause(out);
        String yaml = options.includeYamlDiff() ? yamlDiff(live, changes) : null;
        return Optional.of(new Drift(
                key, apiVersion, desired.app(), DriftType.MODIFIED, cause, Summaries.modified(key, out), out, yaml));
    }

    /**
     * Compares every desired object with the live ones: modified and missing objects, extra objects (live, tracked as
     * belonging to one of the desired objects' apps, not desired; see {@link #trackedApp}), and HPA targets (from
     * live and desired HorizontalPodAutoscalers) for {@code spec.replicas}. Nothing is known of the apps' prune
     * policies: an extra the applier created is {@code pending-sync}.
     */
    public DriftReport diffAll(List<DesiredObject> desired, List<JsonNode> live, Predicate<ObjectKey> seenLiveBefore) {
        return diffAll(desired, live, seenLiveBefore, Map.of());
    }

    /**
     * As {@link #diffAll(List, List, Predicate)}, with each app's {@link PrunePolicy} (an app not in {@code prune}:
     * {@link PrunePolicy#UNKNOWN}) deciding whether an extra its applier created is {@code pending-sync} or
     * {@code orphaned}.
     */
    public DriftReport diffAll(
            List<DesiredObject> desired,
            List<JsonNode> live,
            Predicate<ObjectKey> seenLiveBefore,
            Map<String, PrunePolicy> prune) {
        Map<ObjectKey, JsonNode> liveByKey = new LinkedHashMap<>();
        for (JsonNode l : live) {
            liveByKey.put(keyOf(l), l);
        }
        Set<ObjectKey> hpaTargets = new HashSet<>();
        live.forEach(l -> hpaTarget(l).ifPresent(hpaTargets::add));
        desired.forEach(d -> hpaTarget(d.manifest()).ifPresent(hpaTargets::add));

        List<Drift> drifts = new ArrayList<>();
        Set<ObjectKey> desiredKeys = new HashSet<>();
        Map<String, PrunePolicy> apps = new HashMap<>();
        for (DesiredObject d : desired) {
            ObjectKey key = keyOf(d.manifest());
            desiredKeys.add(key);
            if (d.app() != null && !d.app().isEmpty()) {
                apps.put(d.app(), prune.getOrDefault(d.app(), PrunePolicy.UNKNOWN));
            }
            diff(d, liveByKey.get(key), seenLiveBefore.test(key), hpaTargets.contains(key))
                    .ifPresent(drifts::add);
        }
        for (Map.Entry<ObjectKey, JsonNode> e : liveByKey.entrySet()) {
            if (!desiredKeys.contains(e.getKey())) {
                diffUndesired(e.getValue(), apps).ifPresent(drifts::add);
            }
        }
        drifts.sort(Comparator.comparing((Drift d) -> d.key().toString()));
        return DriftReport.of(desired.size(), drifts, options.countAdmissionAsDrift());
    }

    /**
     * One live object that no desired object matches: an {@code extra} drift if it is tracked as belonging to one of
     * {@code apps}, judged with that app's prune policy (incremental callers that keep their own index use this
     * instead of {@link #diffAll}).
     */
    public Optional<Drift> diffUndesired(JsonNode live, Map<String, PrunePolicy> apps) {
        ObjectKey key = keyOf(live);
        return trackedApp(key, live).filter(apps::containsKey).map(app -> extra(key, live, app, apps.get(app)));
    }

    /**
     * An extra object: the applier wrote it and will delete it ({@code pending-sync}), the applier wrote it and will
     * not ({@code orphaned}, by {@code prune}), else who created it decides.
     */
    private Drift extra(ObjectKey key, JsonNode live, String app, PrunePolicy prune) {
        ManagedFields managed = ManagedFields.of(live);
        Cause cause = Cause.UNKNOWN;
        Optional<ManagedFields.Entry> first = managed.entries().stream().findFirst();
        boolean applierOwns = managed.entries().stream()
                .anyMatch(e -> options.managers().classify(e.manager()) == ManagerGroup.APPLIER);
        String kept = applierOwns ? prune.keeps(live) : null;
        if (kept != null) {
            cause = Cause.ORPHANED;
        } else if (applierOwns) {
            cause = Cause.PENDING_SYNC;
        } else if (first.isPresent()) {
            ManagerGroup creator = options.managers().classify(first.get().manager());
            if (creator == ManagerGroup.OUT_OF_BAND) {
                cause = Cause.OUT_OF_BAND;
            } else if (creator == ManagerGroup.UNKNOWN) {
                cause = Cause.UNKNOWN_MANAGER;
            }
        }
        String yaml = options.includeYamlDiff()
                ? YamlDiff.unified(null, redactor.redact(display(live)), options.yamlDiffContextLines())
                : null;
        return new Drift(
                key,
                live.path("apiVersion").asText(""),
                app,
                DriftType.EXTRA,
                cause,
                Summaries.extra(
                        key, app, cause, first.map(ManagedFields.Entry::manager).orElse(null), kept),
                List.of(),
                yaml);
    }

    /**
     * The app a live object is tracked as belonging to, unless it can never be an app's extra object, as Argo CD decides
     * it: it has an owner (gitops-engine's cluster cache takes only objects without {@code ownerReferences} as an
     * app's: a ReplicaSet copying labels is garbage-collected with its owner), it is a hook or says
     * {@code IgnoreExtraneous} ({@link Hooks#neverExtra}), or kube-controller-manager, not the app or a person, wrote
     * the tracking label (the PersistentVolumeClaims the StatefulSet controller makes from {@code volumeClaimTemplates}
     * have no owner reference but the template's labels, copied by {@value #CLUSTER_CONTROLLERS}).
     */
    public Optional<String> trackedApp(ObjectKey key, JsonNode live) {
        if (!live.path("metadata").path("ownerReferences").isEmpty() || Hooks.neverExtra(live)) {
            return Optional.empty();
        }
        Tracking tracking = options.tracking();
        if (tracking.annotation() != null && !tracking.annotation().isEmpty()) {
            String id = live.path("metadata")
                    .path("annotations")
                    .path(tracking.annotation())
                    .asText("");
            Optional<String> app = appFromTrackingId(id, key);
            if (app.isPresent()) {
                return writtenByController(live, "annotations", tracking.annotation()) ? Optional.empty() : app;
            }
        }
        JsonNode labels = live.path("metadata").path("labels");
        String label = tracking.label();
        if (label != null && !label.isEmpty()) {
            String app = labels.path(label).asText("");
            if (!app.isEmpty()) {
                return writtenByController(live, "labels", label) ? Optional.empty() : Optional.of(app);
            }
        }
        // owners in a name and a namespace label (Flux): the first kind whose name label is set decides; without its
        // namespace label the object names no owner (which of the same-named owners would it be?)
        for (Tracking.Owner owner : tracking.owners()) {
            String name = labels.path(owner.nameLabel()).asText("");
            if (!name.isEmpty()) {
                String namespace = labels.path(owner.namespaceLabel()).asText("");
                return namespace.isEmpty() || writtenByController(live, "labels", owner.nameLabel())
                        ? Optional.empty()
                        : Optional.of(owner.app(namespace, name));
            }
        }
        return Optional.empty();
    }

    /** Whether managedFields record kube-controller-manager as the writer of {@code metadata.<map>.<key>}. */
    private static boolean writtenByController(JsonNode live, String map, String key) {
        return ManagedFields.of(live)
                .owner(List.of(
                        new PathElement.Field("metadata"), new PathElement.Field(map), new PathElement.Field(key)))
                .filter(e -> e.manager().equals(CLUSTER_CONTROLLERS))
                .isPresent();
    }

    /** Argo CD tracking id {@code <app>:<group>/<kind>:<namespace>/<name>}; only honoured when it names this object. */
    static Optional<String> appFromTrackingId(String id, ObjectKey key) {
        int colon = id.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String app = id.substring(0, colon);
        String expected = key.group() + "/" + key.kind() + ":" + key.namespace() + "/" + key.name();
        return id.substring(colon + 1).equals(expected) ? Optional.of(app) : Optional.empty();
    }

    /** The object a HorizontalPodAutoscaler scales, if {@code object} is one. */
    public Optional<ObjectKey> hpaTarget(JsonNode object) {
        if (!"HorizontalPodAutoscaler".equals(object.path("kind").asText())
                || !"autoscaling"
                        .equals(ObjectKey.groupOf(object.path("apiVersion").asText("")))) {
            return Optional.empty();
        }
        JsonNode ref = object.path("spec").path("scaleTargetRef");
        if (!ref.hasNonNull("kind") || !ref.hasNonNull("name")) {
            return Optional.empty();
        }
        String namespace = keyOf(object).namespace();
        return Optional.of(new ObjectKey(
                ObjectKey.groupOf(ref.path("apiVersion").asText("")),
                ref.get("kind").asText(),
                namespace,
                ref.get("name").asText()));
    }

    /** A change with its owner and cause. */
    private record Attributed(Comparer.RawChange raw, ManagedFields.Entry owner, Cause cause) {}

    private List<Attributed> compare(
            ObjectKey key, DesiredObject desiredObject, JsonNode live, boolean hpaTargeted, DesiredHints hints) {
        ManagedFields managed = ManagedFields.of(live);
        List<IgnoreRule> rules = Stream.concat(options.ignoreRules().stream(), hints.ignoreRules().stream())
                .filter(r -> r.appliesTo(key))
                .toList();

        List<String> ignoredPointers = new ArrayList<>();
        rules.forEach(r -> ignoredPointers.addAll(r.jsonPointers()));
        if (options.ignoreHpaReplicas() && (hpaTargeted || replicasScaledByHpa(managed))) {
            ignoredPointers.add("/spec/replicas");
        }
        boolean secret = Redactor.isSecret(desiredObject.manifest());
        // desired is copied only when something in it changes: secret folding, ignored fields, pruning
        ObjectNode d = Normalizer.comparable(desiredObject.manifest(), false);
        if (secret || !ignoredPointers.isEmpty() || Values.needsPruning(d)) {
            d = Normalizer.comparable(desiredObject.manifest(), true);
        }
        // live is only read below, unless ignored fields must be cut out of it: then it needs its own copy
        boolean maskedSecret = secret && hints.maskedSecret();
        ObjectNode l = Normalizer.comparable(live, !ignoredPointers.isEmpty() || maskedSecret);
        if (secret) {
            Normalizer.foldStringData(d);
        }
        if (maskedSecret) {
            Normalizer.maskValuesLike(l, d);
        }
        for (String pointer : ignoredPointers) {
            JsonPaths.remove(d, pointer);
            JsonPaths.remove(l, pointer);
        }
        Values.prune(d);

        Comparer comparer = new Comparer(key.group(), key.kind(), schema);
        // read only to classify a change: most objects have none, so it is parsed on first use
        Supplier<ObjectNode> lastApplied = memoize(() -> {
            ObjectNode applied = lastApplied(live);
            if (applied != null) {
                if (secret) {
                    Normalizer.foldStringData(applied);
                }
                ignoredPointers.forEach(p -> JsonPaths.remove(applied, p));
                Values.prune(applied);
            }
            return applied;
        });
        CauseClassifier classifier = new CauseClassifier(
                options.managers(), managed, lastApplied, desiredObject.contentChangedAt(), comparer);
        Predicate<String> ignoredManager = m -> rules.stream().anyMatch(r -> r.ignoresManager(m));

        List<Attributed> out = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (Comparer.RawChange raw : comparer.compare(d, l)) {
            // a removed field is in nobody's managedFields: who removed it is not recorded, so no owner is guessed
            Optional<ManagedFields.Entry> owner = raw.op() == Op.REMOVED
                    ? Optional.empty()
                    : managed.owner(raw.path().elements());
            // a value the client-side applier left, handed to another manager by kubectl's migration: not that
            // manager's write; classified by last-applied like any value nobody recorded
            if (owner.isPresent()
                    && ClientSideMigration.tookOver(owner.get())
                    && ClientSideMigration.applied(raw, lastApplied.get(), comparer)) {
                owner = Optional.empty();
            }
            if (owner.isPresent() && ignoredManager.test(owner.get().manager())) {
                continue;
            }
            out.add(new Attributed(raw, owner.orElse(null), classifier.classify(raw, owner)));
            reported.add(raw.path().pointer());
        }
        AddedFieldFinder finder = new AddedFieldFinder(comparer);
        for (ManagedFields.Entry entry : managed.entries()) {
            ManagerGroup group = options.managers().classify(entry.manager());
            if (group != ManagerGroup.OUT_OF_BAND && group != ManagerGroup.UNKNOWN
                    || ignoredManager.test(entry.manager())) {
                continue;
            }
            Cause cause = group == ManagerGroup.OUT_OF_BAND ? Cause.OUT_OF_BAND : Cause.UNKNOWN_MANAGER;
            boolean tookOver = ClientSideMigration.tookOver(entry);
            finder.find(entry.fields(), d, l, raw -> {
                String pointer = raw.path().pointer();
                if (tookOver && ClientSideMigration.inherited(raw, lastApplied.get(), comparer)) {
                    return;
                }
                if (reported.stream().noneMatch(p -> pointer.equals(p) || pointer.startsWith(p + "/"))) {
                    reported.add(pointer);
                    out.add(new Attributed(raw, entry, cause));
                }
            });
        }
        UnrecordedScale.find(key, d, l, managed)
                .filter(raw -> !reported.contains(raw.path().pointer()))
                .ifPresent(raw -> out.add(new Attributed(raw, null, classifier.classify(raw, Optional.empty()))));
        return out;
    }

    private static boolean replicasScaledByHpa(ManagedFields managed) {
        if (managed.entries().stream()
                .noneMatch(e -> CLUSTER_CONTROLLERS.equals(e.manager()) && "scale".equals(e.subresource()))) {
            return false;
        }
        return managed.owner(List.of(new PathElement.Field("spec"), new PathElement.Field("replicas")))
                .filter(e -> CLUSTER_CONTROLLERS.equals(e.manager()) && "scale".equals(e.subresource()))
                .isPresent();
    }

    /** A supplier that computes once, on first use (null included); for one comparison, not thread-safe. */
    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private boolean done;
            private T value;

            @Override
            public T get() {
                if (!done) {
                    value = supplier.get();
                    done = true;
                }
                return value;
            }
        };
    }

    /** The live object's last-applied configuration, normalised like desired; null when absent or unreadable. */
    private static ObjectNode lastApplied(JsonNode live) {
        String text = live.path("metadata")
                .path("annotations")
                .path(Normalizer.LAST_APPLIED)
                .asText("");
        if (text.isEmpty()) {
            return null;
        }
        try {
            JsonNode parsed = JSON.readTree(text);
            return parsed instanceof ObjectNode o ? Normalizer.comparable(o) : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String note(Comparer.RawChange raw, Cause cause, ManagedFields.Entry owner) {
        if (raw.op() == Op.REMOVED) {
            return Change.REMOVAL_NOTE;
        }
        if (owner == null && raw.op() == Op.ADDED) {
            return Change.UNRECORDED_SCALE_NOTE;
        }
        String hint = cause == Cause.UNKNOWN_MANAGER && owner != null ? ManagerRules.hint(owner.manager()) : null;
        if (raw.duplicate()) {
            return Change.DUPLICATE_NOTE + (hint == null ? "" : "; " + hint);
        }
        return hint;
    }

    static Cause driftCause(List<Change> changes) {
        for (Cause c : CAUSE_PRIORITY) {
            if (changes.stream().anyMatch(ch -> ch.cause() == c)) {
                return c;
            }
        }
        return Cause.UNKNOWN;
    }

    /** The object as shown in YAML diffs: without status and server metadata. */
    static ObjectNode display(JsonNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove("status");
        Normalizer.stripServerMetadata(copy);
        return copy;
    }

    /** Live (cleaned) against "live as Git wants it": the changes undone, so the diff shows exactly the drift. */
    private String yamlDiff(JsonNode live, List<Attributed> changes) {
        ObjectNode liveView = display(live);
        ObjectNode desiredView = liveView.deepCopy();
        YamlDiff.applyReverse(desiredView, changes.stream().map(Attributed::raw).toList());
        return YamlDiff.unified(
                redactor.redact(desiredView), redactor.redact(liveView), options.yamlDiffContextLines());
    }
}
