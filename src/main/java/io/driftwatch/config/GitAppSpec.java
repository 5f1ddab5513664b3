package io.driftwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One application whose desired state is read from Git. In the agent's configuration a list of these sits under
 * {@code sources.git.apps}:
 *
 * <pre>{@code
 * sources:
 *   git:
 *     apps:
 *       - name: shop                       # required; reported with each drift, tracking value
 *         repoUrl: https://git.example.com/platform/deploy.git   # https, http, ssh://, git@host:org/repo, file://
 *         revision: main                   # branch, tag or commit SHA; default HEAD (the remote's default branch)
 *         path: apps/shop/overlays/prod    # directory inside the repository; default "."
 *         targetNamespace: shop            # required; namespace for objects that set none
 *         renderer: auto                   # auto | plain | kustomize | helm; default auto:
 *                                          #   kustomization.yaml/.yml/Kustomization -> kustomize, Chart.yaml -> helm,
 *                                          #   else every YAML/JSON file under path (recursive, multi-document)
 *         helm:                            # only for helm charts
 *           releaseName: shop              # default: the app's name
 *           valuesFiles: [values-prod.yaml]  # relative to the chart, inside the repository
 *           values: {replicaCount: 3}      # inline values, applied after the files
 *           kubeVersion: "1.36.0"          # optional, passed as --kube-version
 *         auth:                            # optional; secrets are read from the files at each fetch, never logged
 *           tokenFile: /etc/driftwatch/git/token        # HTTPS token ...
 *           tokenScheme: basic             # ... sent as basic auth (user x-access-token, or usernameFile) or bearer
 *           usernameFile: /etc/driftwatch/git/username  # HTTPS basic auth (with passwordFile)
 *           passwordFile: /etc/driftwatch/git/password
 *           sshKeyFile: /etc/driftwatch/git/id_ed25519   # SSH (with knownHostsFile; unknown hosts are refused)
 *           knownHostsFile: /etc/driftwatch/git/known_hosts
 *         pollInterval: 60s                # how often the agent loads; default 60s (90s, 5m, PT1M also accepted)
 * }</pre>
 *
 * Missing optional settings take their defaults in the constructor; {@link #problems()} checks the rest and names the
 * setting that is wrong, e.g. {@code apps[shop].repoUrl: required}.
 */
public record GitAppSpec(
        String name,
        String repoUrl,
        String revision,
        String path,
        String targetNamespace,
        Renderer renderer,
        Helm helm,
        Auth auth,

        @JsonDeserialize(using = Durations.Deserializer.class)
        Duration pollInterval) {

    public static final String DEFAULT_REVISION = "HEAD";
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(60);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public GitAppSpec {
        revision = revision == null || revision.isBlank() ? DEFAULT_REVISION : revision.trim();
        path = normalizePath(path);
        renderer = renderer == null ? Renderer.AUTO : renderer;
        helm = helm == null ? Helm.NONE : helm;
        auth = auth == null ? Auth.NONE : auth;
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
    }

    /** How the directory at {@link #path} becomes objects. */
    public enum Renderer {
        AUTO,
        PLAIN,
        KUSTOMIZE,
        HELM;

        @JsonCreator
        public static Renderer of(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException(
                        "renderer '" + value + "' is not one of auto, plain, kustomize, helm");
            }
        }
    }

    /**
     * Helm settings.
     *
     * @param releaseName the release name given to {@code helm template}; default the app's name
     * @param valuesFiles values files relative to the chart directory, in order
     * @param values      inline values (a YAML/JSON tree), applied after the files
     * @param kubeVersion the Kubernetes version charts see ({@code --kube-version}); default helm's own
     */
    public record Helm(String releaseName, List<String> valuesFiles, JsonNode values, String kubeVersion) {
        public static final Helm NONE = new Helm(null, List.of(), null, null);

        public Helm {
            valuesFiles = valuesFiles == null ? List.of() : List.copyOf(valuesFiles);
            values = values == null || values.isNull() || values.isMissingNode() ? null : values;
        }
    }

    /** Whether a token is sent as HTTP basic auth (password) or as a bearer token. */
    public enum TokenScheme {
        BASIC,
        BEARER;

        @JsonCreator
        public static TokenScheme of(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException("tokenScheme '" + value + "' is not one of basic, bearer");
            }
        }
    }

    /**
     * Credentials, each in a file read at use time (so rotated secrets are picked up and nothing is kept in memory).
     * A token goes with HTTPS; username/password files with HTTPS; a key file and known_hosts with SSH.
     */
    public record Auth(
            Path tokenFile,
            TokenScheme tokenScheme,
            Path usernameFile,
            Path passwordFile,
            Path sshKeyFile,
            Path knownHostsFile) {
        public static final Auth NONE = new Auth(null, null, null, null, null, null);

        public Auth {
            tokenScheme = tokenScheme == null ? TokenScheme.BASIC : tokenScheme;
        }

        boolean usesHttp() {
            return tokenFile != null || passwordFile != null || usernameFile != null;
        }

        boolean usesSsh() {
            return sshKeyFile != null || knownHostsFile != null;
        }
    }

    /** The release name helm renders with. */
    public String releaseName() {
        return helm.releaseName() != null && !helm.releaseName().isBlank() ? helm.releaseName() : name;
    }

    /** The same app with other credentials. */
    public GitAppSpec withAuth(Auth newAuth) {
        return new GitAppSpec(name, repoUrl, revision, path, targetNamespace, renderer, helm, newAuth, pollInterval);
    }

    /** Each problem with these settings, empty when they are valid. */
    public List<String> problems() {
        String at = "apps[" + (name == null || name.isBlank() ? "?" : name) + "].";
        List<String> problems = new ArrayList<>();
        if (name == null || name.isBlank()) {
            problems.add(at + "name: required");
        } else if (!NAME.matcher(name).matches()) {
            problems.add(
                    at + "name: '" + name + "' must be a valid label value (letters, digits, -, _, ., at most 63)");
        }
        if (repoUrl == null || repoUrl.isBlank()) {
            problems.add(at + "repoUrl: required");
        } else {
            RepoUrls.check(repoUrl).ifPresent(p -> problems.add(at + "repoUrl: " + p));
        }
        if (path == null) {
            problems.add(at + "path: must be a relative directory inside the repository, without '..'");
        }
        if (targetNamespace == null || targetNamespace.isBlank()) {
            problems.add(at + "targetNamespace: required");
        } else if (!DNS_LABEL.matcher(targetNamespace).matches()) {
            problems.add(at + "targetNamespace: '" + targetNamespace + "' is not a valid namespace name");
        }
        if (pollInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(at + "pollInterval: must be at least 1s, was " + pollInterval);
        }
        if (renderer != Renderer.HELM && renderer != Renderer.AUTO && !helm.equals(Helm.NONE)) {
            problems.add(at + "helm: only for renderer helm or auto, renderer is "
                    + renderer.name().toLowerCase(Locale.ROOT));
        }
        if (helm.releaseName() != null && !DNS_LABEL.matcher(helm.releaseName()).matches()) {
            problems.add(at + "helm.releaseName: '" + helm.releaseName() + "' is not a valid release name");
        }
        if (helm.releaseName() == null
                && name != null
                && !name.isBlank()
                && (renderer == Renderer.HELM)
                && !DNS_LABEL.matcher(name).matches()) {
            problems.add(at + "helm.releaseName: required because the name '" + name + "' is not a valid release name");
        }
        for (int i = 0; i < helm.valuesFiles().size(); i++) {
            String f = helm.valuesFiles().get(i);
            if (f == null || f.isBlank() || Path.of(f).isAbsolute()) {
                problems.add(at + "helm.valuesFiles[" + i + "]: must be a path relative to the chart");
            }
        }
        if (helm.values() != null && !helm.values().isObject()) {
            problems.add(at + "helm.values: must be a mapping");
        }
        authProblems(at + "auth.", problems);
        return problems;
    }

    private void authProblems(String at, List<String> problems) {
        if (auth.tokenFile() != null && (auth.passwordFile() != null)) {
            problems.add(at + "tokenFile: set either tokenFile or passwordFile, not both");
        }
        if (auth.passwordFile() != null && auth.usernameFile() == null) {
            problems.add(at + "usernameFile: required with passwordFile");
        }
        if (auth.usernameFile() != null && auth.passwordFile() == null && auth.tokenFile() == null) {
            problems.add(at + "passwordFile: required with usernameFile (or set tokenFile)");
        }
        if ((auth.sshKeyFile() == null) != (auth.knownHostsFile() == null)) {
            problems.add(at + (auth.sshKeyFile() == null ? "sshKeyFile" : "knownHostsFile")
                    + ": sshKeyFile and knownHostsFile go together");
        }
        if (repoUrl != null && !repoUrl.isBlank() && RepoUrls.check(repoUrl).isEmpty()) {
            boolean ssh = RepoUrls.isSsh(repoUrl);
            if (ssh && auth.usesHttp()) {
                problems.add(at + "tokenFile: HTTPS credentials do not apply to the SSH URL " + repoUrl);
            }
            if (!ssh && auth.usesSsh()) {
                problems.add(at + "sshKeyFile: SSH settings do not apply to the URL " + RepoUrls.redact(repoUrl));
            }
        }
        checkReadable(at + "tokenFile", auth.tokenFile(), problems);
        checkReadable(at + "usernameFile", auth.usernameFile(), problems);
        checkReadable(at + "passwordFile", auth.passwordFile(), problems);
        checkReadable(at + "sshKeyFile", auth.sshKeyFile(), problems);
        checkReadable(at + "knownHostsFile", auth.knownHostsFile(), problems);
    }

    private static void checkReadable(String setting, Path file, List<String> problems) {
        if (file != null && !Files.isReadable(file)) {
            problems.add(setting + ": " + file + " is not a readable file");
        }
    }

    /** "." for the repository root; null when the path leaves the repository. */
    private static String normalizePath(String path) {
        if (path == null || path.isBlank()) {
            return ".";
        }
        String p = path.trim().replace('\\', '/');
        if (p.startsWith("/")) {
            return null;
        }
        Path normalized = Path.of(p).normalize();
        String s = normalized.toString();
        if (s.isEmpty()) {
            return ".";
        }
        return s.equals("..") || s.startsWith("../") ? null : s;
    }
}
