package io.driftwatch.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.diff.ResourceScope;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the API server serves, from its discovery endpoints: each (group, kind) at the group's preferred version, with
 * its plural and whether it is namespaced. Blocking: call it off the event loop.
 */
public final class ApiDiscovery implements ResourceScope {

    /** Preferred version per group/kind. */
    private final Map<String, ApiResource> byGroupKind;
    /** Every served version, keyed apiVersion/kind. */
    private final Map<String, ApiResource> byApiVersionKind;
    /** group/kind of the kinds that can be listed and watched. */
    private final Set<String> listable;
    /** The names each served kind answers to, at its preferred version. */
    private final List<Names> names;

    /** The names a kind answers to on the command line, as kubectl resolves them: kind, plural, singular, short. */
    public record Names(ApiResource resource, String singular, List<String> shortNames) {
        public Names {
            shortNames = List.copyOf(shortNames);
        }
    }

    private ApiDiscovery(
            Map<String, ApiResource> byGroupKind,
            Map<String, ApiResource> byApiVersionKind,
            Set<String> listable,
            List<Names> names) {
        this.byGroupKind = byGroupKind;
        this.byApiVersionKind = byApiVersionKind;
        this.listable = listable;
        this.names = names;
    }

    /** Accept header for aggregated discovery (Kubernetes 1.30+; 1.26-1.29 behind a feature gate), else the old form. */
    private static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
            + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    /**
     * Reads what the API server serves: from its aggregated discovery documents ({@code /api} and {@code /apis}, two
     * requests, as kubectl reads them) when it serves them, else one request per group-version.
     */
    public static ApiDiscovery discover(KubernetesClient client) {
        String base = client.getMasterUrl().toString().replaceAll("/+$", "");
        JsonNode core;
        try {
            core = MetadataLister.get(client, base + "/api", AGGREGATED);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 406) {
                throw e;
            }
            return discoverPerGroupVersion(client); // a server (or test double) without the aggregated form
        } catch (UncheckedIOException e) {
            return discoverPerGroupVersion(client);
        }
        if (!core.path("kind").asText().equals("APIGroupDiscoveryList")) {
            return discoverPerGroupVersion(client);
        }
        JsonNode groups = MetadataLister.get(client, base + "/apis", AGGREGATED);
        Map<String, ApiResource> preferred = new HashMap<>();
        Map<String, ApiResource> all = new HashMap<>();
        Set<String> listable = new HashSet<>();
        List<Names> names = new ArrayList<>();
        for (JsonNode document : List.of(core, groups)) {
            for (JsonNode group : document.path("items")) {
                String name = group.path("metadata").path("name").asText("");
                boolean first = true; // versions come in preference order
                for (JsonNode version : group.path("versions")) {
                    boolean isPreferred = first;
                    first = false;
                    if (version.path("freshness").asText("").equals("Stale")) {
                        continue; // an aggregated API that is down must not hide the rest of the cluster
                    }
                    for (JsonNode r : version.path("resources")) {
                        List<String> shortNames = new ArrayList<>();
                        r.path("shortNames").forEach(n -> shortNames.add(n.asText()));
                        List<String> verbs = new ArrayList<>();
                        r.path("verbs").forEach(v -> verbs.add(v.asText()));
                        add(
                                preferred,
                                all,
                                listable,
                                names,
                                new ApiResource(
                                        name,
                                        version.path("version").asText(),
                                        r.path("responseKind").path("kind").asText(),
                                        r.path("resource").asText(),
                                        r.path("scope").asText().equals("Namespaced")),
                                isPreferred,
                                r.path("singularResource").asText(null),
                                shortNames,
                                verbs);
                    }
                }
            }
        }
        return new ApiDiscovery(preferred, all, listable, names);
    }

    /** The old form: one request per group-version (servers before aggregated discovery). */
    static ApiDiscovery discoverPerGroupVersion(KubernetesClient client) {
        Map<String, ApiResource> preferred = new HashMap<>();
        Map<String, ApiResource> all = new HashMap<>();
        Set<String> listable = new HashSet<>();
        List<Names> names = new ArrayList<>();
        List<GroupVersion> versions = new ArrayList<>();
        versions.add(new GroupVersion("", "v1", "v1", true));
        for (APIGroup group : client.getApiGroups().getGroups()) {
            String preferredVersion = group.getPreferredVersion() != null
                    ? group.getPreferredVersion().getVersion()
                    : group.getVersions().get(0).getVersion();
            for (GroupVersionForDiscovery version : group.getVersions()) {
                versions.add(new GroupVersion(
                        group.getName(),
                        version.getVersion(),
                        version.getGroupVersion(),
                        version.getVersion().equals(preferredVersion)));
            }
        }
        // read a few at a time, added in discovery order: the first version of a kind found stays the same
        List<APIResourceList> lists = BoundedParallel.map(versions, v -> resources(client, v));
        for (int i = 0; i < versions.size(); i++) {
            GroupVersion v = versions.get(i);
            add(preferred, all, listable, names, v.group(), v.version(), lists.get(i), v.preferred());
        }
        return new ApiDiscovery(preferred, all, listable, names);
    }

    private record GroupVersion(String group, String version, String groupVersion, boolean preferred) {}

    /** The resources of one group-version; null for an aggregated API that is down or gone. */
    private static APIResourceList resources(KubernetesClient client, GroupVersion v) {
        try {
            return client.getApiResources(v.groupVersion());
        } catch (KubernetesClientException e) {
            // an aggregated API that is down (e.g. metrics.k8s.io) must not hide the rest of the cluster
            if (v.group().isEmpty() || (e.getCode() != 503 && e.getCode() != 404)) {
                throw e;
            }
            return null;
        }
    }

    /** A cluster serving exactly these kinds, each listable, each at its preferred version (tests, fixtures). */
    public static ApiDiscovery of(Collection<ApiResource> resources) {
        Map<String, ApiResource> preferred = new HashMap<>();
        Map<String, ApiResource> all = new HashMap<>();
        Set<String> listable = new HashSet<>();
        List<Names> names = new ArrayList<>();
        for (ApiResource r : resources) {
            all.putIfAbsent(r.apiVersion() + "/" + r.kind(), r);
            if (preferred.putIfAbsent(key(r.group(), r.kind()), r) == null) {
                names.add(new Names(r, r.kind().toLowerCase(Locale.ROOT), List.of()));
            }
            listable.add(key(r.group(), r.kind()));
        }
        return new ApiDiscovery(preferred, all, listable, names);
    }

    private static void add(
            Map<String, ApiResource> preferred,
            Map<String, ApiResource> all,
            Set<String> listable,
            List<Names> names,
            String group,
            String version,
            APIResourceList list,
            boolean isPreferred) {
        if (list == null) {
            return;
        }
        for (var resource : list.getResources()) {
            if (resource.getName().contains("/")) {
                continue; // subresources such as deployments/scale
            }
            add(
                    preferred,
                    all,
                    listable,
                    names,
                    new ApiResource(
                            group,
                            version,
                            resource.getKind(),
                            resource.getName(),
                            Boolean.TRUE.equals(resource.getNamespaced())),
                    isPreferred,
                    resource.getSingularName(),
                    resource.getShortNames() == null ? List.of() : resource.getShortNames(),
                    resource.getVerbs() == null ? List.of() : resource.getVerbs());
        }
    }

    private static void add(
            Map<String, ApiResource> preferred,
            Map<String, ApiResource> all,
            Set<String> listable,
            List<Names> names,
            ApiResource r,
            boolean isPreferred,
            String singular,
            List<String> shortNames,
            List<String> verbs) {
        all.putIfAbsent(r.apiVersion() + "/" + r.kind(), r);
        if (isPreferred && preferred.putIfAbsent(key(r.group(), r.kind()), r) == null) {
            names.add(new Names(r, singular, shortNames));
        }
        if (verbs.containsAll(List.of("list", "watch"))) {
            listable.add(key(r.group(), r.kind()));
        }
    }

    /** Every kind that can be listed and watched, at its preferred version (subresources excluded). */
    public List<ApiResource> listable() {
        return byGroupKind.entrySet().stream()
                .filter(e -> listable.contains(e.getKey()))
                .map(Map.Entry::getValue)
                .sorted(Comparator.comparing(ApiResource::apiVersion).thenComparing(ApiResource::kind))
                .toList();
    }

    /** The names of every served kind (subresources excluded), at its preferred version. */
    public List<Names> names() {
        return List.copyOf(names);
    }

    /** The resource for a group and kind, if the server serves it. */
    public Optional<ApiResource> find(String group, String kind) {
        return Optional.ofNullable(byGroupKind.get(key(group, kind)));
    }

    /**
     * The resource at exactly a manifest's {@code apiVersion} (live objects are compared at the version Git states),
     * or an error that names the kind, the version, and the versions the cluster does serve.
     */
    public ApiResource require(String apiVersion, String kind) {
        ApiResource exact = byApiVersionKind.get(apiVersion + "/" + kind);
        if (exact != null) {
            return exact;
        }
        String group = ObjectKey.groupOf(apiVersion);
        String served = byApiVersionKind.values().stream()
                .filter(r -> r.group().equals(group) && r.kind().equals(kind))
                .map(ApiResource::apiVersion)
                .sorted()
                .reduce((a, b) -> a + ", " + b)
                .orElse(null);
        throw new UnknownKindException("the cluster does not serve kind " + kind + " of " + apiVersion
                + (served != null ? " (it serves " + served + ")" : ""));
    }

    @Override
    public boolean isNamespaced(String group, String kind) {
        ApiResource resource = byGroupKind.get(key(group, kind));
        if (resource == null) {
            throw new UnknownKindException("the cluster does not serve kind " + kind
                    + (group.isEmpty() ? " of the core group" : " of group " + group));
        }
        return resource.namespaced();
    }

    private static String key(String group, String kind) {
        return group + "/" + kind;
    }

    /** A manifest names a kind the cluster does not serve (a missing CRD, a typo, a removed API version). */
    public static final class UnknownKindException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnknownKindException(String message) {
            super(message);
        }
    }
}
