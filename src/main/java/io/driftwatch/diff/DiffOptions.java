package io.driftwatch.diff;

import java.util.List;
import java.util.Objects;

/**
 * Engine settings.
 *
 * @param countAdmissionAsDrift when false (default) objects whose only changes are {@link Cause#ADMISSION} are reported
 *                              but not counted as drift
 * @param ignoreHpaReplicas     when true (default) {@code spec.replicas} of HPA targets, and replicas written through the
 *                              {@code scale} subresource by kube-controller-manager, are not compared
 * @param includeYamlDiff       attach a unified YAML diff to each drift
 * @param yamlDiffContextLines  objects whose larger side has at most this many YAML lines get the whole object as the
 *                              diff's context (one hunk with every line); larger ones, or all when 0 (default), get 3
 *                              lines around each change
 * @param redactionKey          HMAC key for Secret redaction; null = a random key per engine (stable within one run)
 * @param targetNamespace       namespace for namespaced desired objects without one
 */
public record DiffOptions(
        ManagerRules managers,
        List<IgnoreRule> ignoreRules,
        Tracking tracking,
        boolean countAdmissionAsDrift,
        boolean ignoreHpaReplicas,
        boolean includeYamlDiff,
        int yamlDiffContextLines,
        byte[] redactionKey,
        String targetNamespace) {

    public DiffOptions {
        Objects.requireNonNull(managers, "managers");
        ignoreRules = ignoreRules == null ? List.of() : List.copyOf(ignoreRules);
        tracking = tracking == null ? Tracking.defaults() : tracking;
        if (yamlDiffContextLines < 0) {
            throw new IllegalArgumentException("yamlDiffContextLines: must be 0 or more, not " + yamlDiffContextLines);
        }
        redactionKey = redactionKey == null ? null : redactionKey.clone();
        targetNamespace = targetNamespace == null || targetNamespace.isEmpty() ? "default" : targetNamespace;
    }

    public static DiffOptions defaults() {
        return new DiffOptions(
                ManagerRules.defaults(), List.of(), Tracking.defaults(), false, true, false, 0, null, "default");
    }

    @Override
    public byte[] redactionKey() {
        return redactionKey == null ? null : redactionKey.clone();
    }

    public DiffOptions withManagers(ManagerRules value) {
        return new DiffOptions(
                value,
                ignoreRules,
                tracking,
                countAdmissionAsDrift,
                ignoreHpaReplicas,
                includeYamlDiff,
                yamlDiffContextLines,
                redactionKey,
                targetNamespace);
    }

    public DiffOptions withIgnoreRules(List<IgnoreRule> value) {
        return new DiffOptions(
                managers,
                value,
                tracking,
                countAdmissionAsDrift,
                ignoreHpaReplicas,
                includeYamlDiff,
                yamlDiffContextLines,
                redactionKey,
                targetNamespace);
    }

    public DiffOptions withTracking(Tracking value) {
        return new DiffOptions(
                managers,
                ignoreRules,
                value,
                countAdmissionAsDrift,
                ignoreHpaReplicas,
                includeYamlDiff,
                yamlDiffContextLines,
                redactionKey,
                targetNamespace);
    }

    public DiffOptions withCountAdmissionAsDrift(boolean value) {
        return new DiffOptions(
                managers,
                ignoreRules,
                tracking,
                value,
                ignoreHpaReplicas,
                includeYamlDiff,
                yamlDiffContextLines,
                redactionKey,
                targetNamespace);
    }

    public DiffOptions withIgnoreHpaReplicas(boolean value) {
        return new DiffOptions(
                managers,
                ignoreRules,
                tracking,
                countAdmissionAsDrift,
                value,
                includeYamlDiff,
                yamlDiffContextLines,
                redactionKey,
                targetNamespace);
    }

    public DiffOptions withIncludeYamlDiff(boolean value) {
        return new DiffOptions(
                managers,
                ignoreRules,
                tracking,
                countAdmissionAsDrift,
                ignoreHpaReplicas,
                value,
                yamlDiffContextLines,
                redactionKey,
                targetNamespace);
    }

    public DiffOptions withRedactionKey(byte[] value) {
        return new DiffOptions(
                managers,
                ignoreRules,
                tracking,
                countAdmissionAsDrift,
                ignoreHpaReplicas,
                includeYamlDiff,
                yamlDiffContextLines,
                value,
                targetNamespace);
    }

    public DiffOptions withTargetNamespace(String value) {
        return new DiffOptions(
                managers,
                ignoreRules,
                tracking,
                countAdmissionAsDrift,
                ignoreHpaReplicas,
                includeYamlDiff,
                yamlDiffContextLines,
                redactionKey,
                value);
    }

    public DiffOptions withYamlDiffContextLines(int value) {
        return new DiffOptions(
                managers,
                ignoreRules,
                tracking,
                countAdmissionAsDrift,
                ignoreHpaReplicas,
                includeYamlDiff,
                value,
                redactionKey,
                targetNamespace);
    }
}
