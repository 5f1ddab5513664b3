package io.driftwatch.diff;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Built-in table for core kinds, matched on the end of the field path so that pod specs embedded anywhere (Deployment,
 * CronJob, CRDs embedding a PodTemplateSpec) are covered. Quantities: any path under a resource-like field
 * ({@code resources}, {@code limits}, {@code requests}, {@code capacity}, {@code storage}, {@code hard}, ...) and the
 * {@code value}/{@code averageValue} of an autoscaling/v2 metric target.
 */
public final class BuiltinListSchema implements ListSchema {

    public static final BuiltinListSchema INSTANCE = new BuiltinListSchema();

    private static final Set<String> CONTAINER_LISTS = Set.of("containers", "initContainers", "ephemeralContainers");
    private static final Set<String> RESOURCE_LIKE = Set.of(
            "resources",
            "limits",
            "requests",
            "capacity",
            "storage",
            "hard",
            "allocatable",
            "used",
            "sizeLimit",
            "overhead");
    private static final Set<String> INT_OR_STRING =
            Set.of("targetPort", "maxSurge", "maxUnavailable", "minAvailable", "partition");

    @Override
    public Optional<ListType> listType(String group, String kind, List<String> path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        String last = path.get(path.size() - 1);
        String parent = path.size() > 1 ? path.get(path.size() - 2) : "";
        if (CONTAINER_LISTS.contains(last)) {
            return Optional.of(ListType.map("name"));
        }
        switch (last) {
            case "ports":
                if (CONTAINER_LISTS.contains(parent)) {
                    return Optional.of(ListType.mapWithKnownDefaults(List.of("containerPort", "protocol")));
                }
                if ("Service".equals(kind) && path.size() == 2 && "spec".equals(parent)) {
                    return Optional.of(ListType.mapWithKnownDefaults(List.of("port", "protocol")));
                }
                return Optional.empty();
            case "env":
            case "volumes":
            case "imagePullSecrets":
            case "resourceClaims":
            case "schedulingGates":
            case "webhooks":
                return Optional.of(ListType.map("name"));
            case "volumeMounts":
                return Optional.of(ListType.map("mountPath"));
            case "volumeDevices":
                return Optional.of(ListType.map("devicePath"));
            case "hostAliases":
                return Optional.of(ListType.map("ip"));
            case "resizePolicy":
                return Optional.of(ListType.map("resourceName"));
            case "topologySpreadConstraints":
                return Optional.of(ListType.map("topologyKey", "whenUnsatisfiable"));
            case "finalizers":
                return "metadata".equals(parent) ? Optional.of(ListType.SET) : Optional.empty();
            case "ownerReferences":
                return "metadata".equals(parent) ? Optional.of(ListType.map("uid")) : Optional.empty();
            default:
                return Optional.empty();
        }
    }

    @Override
    public Optional<FieldFormat> format(String group, String kind, List<String> path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        for (String segment : path) {
            if (RESOURCE_LIKE.contains(segment)) {
                return Optional.of(FieldFormat.QUANTITY);
            }
        }
        String last = path.get(path.size() - 1);
        if ("HorizontalPodAutoscaler".equals(kind)
                && path.size() > 1
                && "target".equals(path.get(path.size() - 2))
                && ("value".equals(last) || "averageValue".equals(last))) {
            return Optional.of(FieldFormat.QUANTITY);
        }
        if (INT_OR_STRING.contains(last)
                || ("port".equals(last)
                        && path.size() > 1
                        && Set.of("httpGet", "tcpSocket", "grpc").contains(path.get(path.size() - 2)))) {
            return Optional.of(FieldFormat.INT_OR_STRING);
        }
        return Optional.empty();
    }
}
