package io.driftwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftwatch.diff.DiffOptions;
import io.driftwatch.diff.IgnoreRule;
import io.driftwatch.diff.ManagerRules;
import io.driftwatch.diff.Tracking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The diff engine's settings as command-line options, shared by the commands that diff. */
final class DiffSettings {

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Option(
            names = "--app",
            paramLabel = "NAME",
            description = "Application name: reported with each drift, and the tracking value that marks live objects "
                    + "as the app's (extra objects). Default: the directory's or file's base name.")
    String app;

    @Option(
            names = "--ignore-file",
            paramLabel = "FILE",
            description = "YAML with ignore rules in Argo CD's shape: a list (or `ignoreDifferences:` list) of "
                    + "{group, kind, name, namespace, jsonPointers, managedFieldsManagers}; pointers may use * for "
                    + "any list element, e.g. /spec/template/spec/containers/*/image.")
    Path ignoreFile;

    @Option(
            names = "--applier",
            paramLabel = "GLOB",
            split = ",",
            description = "Extra field manager(s) that apply Git (added to argocd-controller, "
                    + "kustomize-controller, helm, kubectl-client-side-apply, ...).")
    List<String> appliers = new ArrayList<>();

    @Option(
            names = "--out-of-band-manager",
            paramLabel = "GLOB",
            split = ",",
            description = "Extra field manager(s) counted as out-of-band people or tools (added to kubectl, "
                    + "kubectl-* (every kubectl verb but kubectl-client-side-apply, an applier), k9s, Mozilla, "
                    + "Go-http-client, dashboard).")
    List<String> outOfBand = new ArrayList<>();

    @Option(
            names = "--controller",
            paramLabel = "GLOB",
            split = ",",
            description = "Extra field manager(s) counted as controllers (added to the known controllers of "
                    + "docs/diff.md: kube-controller-manager, cert-manager-*, ...): what they write is not drift "
                    + "unless it changes a field Git sets.")
    List<String> controllers = new ArrayList<>();

    @Option(
            names = "--unknown-managers",
            paramLabel = "drift|controller",
            defaultValue = "drift",
            description = "What a field manager in no group is taken for: drift (default; cause unknown-manager, "
                    + "reported with the setting that would classify it) or controller (the old rule: not drift).")
    String unknownManagers;

    @Option(
            names = "--tracking-annotation",
            paramLabel = "KEY",
            defaultValue = Tracking.DEFAULT_ANNOTATION,
            description =
                    "Annotation whose value `<app>:...` marks a live object as the app's (default: ${DEFAULT-VALUE}).")
    String trackingAnnotation;

    @Option(
            names = "--tracking-label",
            paramLabel = "KEY",
            defaultValue = Tracking.DEFAULT_LABEL,
            description = "Label whose value <app> marks a live object as the app's (default: ${DEFAULT-VALUE}).")
    String trackingLabel;

    @Option(
            names = "--count-admission",
            description = "Count changes made by mutating admission webhooks as drift (default: reported only).")
    boolean countAdmission;

    @Option(
            names = "--include-hpa-replicas",
            description = "Compare spec.replicas of objects a HorizontalPodAutoscaler targets (default: ignored).")
    boolean includeHpaReplicas;

    @Option(
            names = "--redaction-key-file",
            paramLabel = "FILE",
            description = "Key for the keyed hashes that stand in for Secret values, so hashes compare across runs "
                    + "(default: a random key per run).")
    Path redactionKeyFile;

    DiffOptions toOptions() {
        ManagerRules defaults = ManagerRules.defaults();
        ManagerRules.UnknownManagers unknown = ManagerRules.UnknownManagers.parse(unknownManagers);
        if (unknown == null) {
            throw new SettingsException(
                    "--unknown-managers: '" + unknownManagers + "' is not one of drift, controller");
        }
        List<String> problems = new ArrayList<>();
        checkGlobs("--applier", appliers, problems);
        checkGlobs("--out-of-band-manager", outOfBand, problems);
        checkGlobs("--controller", controllers, problems);
        if (!problems.isEmpty()) {
            throw new SettingsException(String.join("; ", problems));
        }
        ManagerRules managers = defaults.withAppliers(concat(defaults.appliers(), appliers))
                .withOutOfBand(concat(defaults.outOfBand(), outOfBand))
                .withControllers(controllers.stream()
                        .filter(c -> !c.isBlank())
                        .distinct()
                        .toList())
                .withUnknown(unknown);
        return DiffOptions.defaults()
                .withManagers(managers)
                .withIgnoreRules(ignoreRules())
                .withTracking(new Tracking(trackingAnnotation, trackingLabel))
                .withCountAdmissionAsDrift(countAdmission)
                .withIgnoreHpaReplicas(!includeHpaReplicas)
                .withRedactionKey(redactionKey());
    }

    String app(Path source) {
        if (app != null) {
            return app;
        }
        String name = source.toAbsolutePath().normalize().getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && !Files.isDirectory(source) ? name.substring(0, dot) : name;
    }

    private List<IgnoreRule> ignoreRules() {
        if (ignoreFile == null) {
            return List.of();
        }
        try {
            JsonNode root = YAML.readTree(ignoreFile.toFile());
            JsonNode list = root != null && root.has("ignoreDifferences") ? root.get("ignoreDifferences") : root;
            if (list == null || list.isNull()) {
                return List.of();
            }
            if (!list.isArray()) {
                throw new SettingsException(
                        "--ignore-file " + ignoreFile + ": expected a list of rules (or ignoreDifferences: [...])");
            }
            List<IgnoreRule> rules = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                try {
                    rules.add(YAML.treeToValue(list.get(i), IgnoreRule.class));
                } catch (JsonProcessingException e) {
                    throw new SettingsException(
                            "--ignore-file " + ignoreFile + ": rule " + (i + 1) + ": " + e.getOriginalMessage());
                }
            }
            return rules;
        } catch (IOException e) {
            throw new SettingsException("--ignore-file " + ignoreFile + ": " + e.getMessage());
        }
    }

    private byte[] redactionKey() {
        if (redactionKeyFile == null) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return key;
        }
        try {
            byte[] key = Files.readAllBytes(redactionKeyFile);
            if (key.length < 16) {
                throw new SettingsException("--redaction-key-file " + redactionKeyFile + " holds fewer than 16 bytes");
            }
            return key;
        } catch (IOException e) {
            throw new SettingsException(
                    "--redaction-key-file " + redactionKeyFile + " cannot be read: " + e.getMessage());
        }
    }

    private static void checkGlobs(String option, List<String> globs, List<String> problems) {
        for (String glob : globs) {
            if (glob.length() > 128) {
                problems.add(option + ": '" + glob.substring(0, 20) + "...' is longer than a field manager can be "
                        + "(128 characters)");
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        b.stream().filter(s -> !s.isBlank() && !all.contains(s)).forEach(all::add);
        return all;
    }

    /** A setting is wrong; the message names it. */
    static final class SettingsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SettingsException(String message) {
            super(message);
        }
    }
}
