package io.driftwatch.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;

/** Checks {@code console.externalUrl} and {@code console.oidc}, naming every bad setting. */
final class ConsoleSettings {

    static final String CALLBACK_PATH = "/console/oidc/callback";

    private ConsoleSettings() {}

    static void validate(HubConfig.Console c, List<String> problems) {
        if (c.externalUrl() != null) {
            URI u = url("console.externalUrl", c.externalUrl(), problems);
            if (u != null && (u.getQuery() != null || u.getFragment() != null)) {
                problems.add("console.externalUrl: must not have a query or fragment");
            }
        }
        if (c.oidc() != null) {
            validate(c.oidc(), problems);
        }
    }

    static void validate(HubConfig.Oidc o, List<String> problems) {
        String at = "console.oidc";
        URI issuer = url(at + ".issuer", o.issuer(), problems);
        if (issuer != null && "http".equals(issuer.getScheme()) && !loopback(issuer.getHost())) {
            problems.add(at + ".issuer: must be https (plain http only for a provider on localhost)");
        }
        if (issuer != null && (issuer.getQuery() != null || issuer.getFragment() != null)) {
            problems.add(at + ".issuer: must not have a query or fragment");
        }
        if (o.clientId() == null || o.clientId().isBlank()) {
            problems.add(at + ".clientId: required (the client registered for this hub at the provider)");
        }
        if (o.clientSecretFile() == null) {
            problems.add(at + ".clientSecretFile: required (a file holding the client's secret)");
        } else if (ConfigBinding.unreadableFile(o.clientSecretFile()) != null) {
            problems.add(at + ".clientSecretFile: " + ConfigBinding.unreadableFile(o.clientSecretFile()));
        }
        URI redirect = url(at + ".redirectUrl", o.redirectUrl(), problems);
        if (redirect != null && !CALLBACK_PATH.equals(redirect.getPath())) {
            problems.add(at + ".redirectUrl: its path must be " + CALLBACK_PATH
                    + " (e.g. https://driftwatch.example.com" + CALLBACK_PATH + ")");
        }
        if (!o.scopes().contains("openid")) {
            problems.add(at + ".scopes: must include openid");
        }
        if (o.groupsClaim().isBlank()) {
            problems.add(at + ".groupsClaim: must not be empty");
        }
        if (o.userClaim().isBlank()) {
            problems.add(at + ".userClaim: must not be empty");
        }
        if (o.groups().isEmpty()) {
            problems.add(at + ".groups: map each group allowed in to its clusterLabels ({} for every cluster);"
                    + " no one can sign in without it");
        }
        o.groups().forEach((group, labels) -> labels(at + ".groups." + group, labels, problems));
        if (o.postLogoutRedirectUrl() != null) {
            URI after = url(at + ".postLogoutRedirectUrl", o.postLogoutRedirectUrl(), problems);
            if (after != null && after.getFragment() != null) {
                problems.add(at + ".postLogoutRedirectUrl: must not have a fragment (register the URL at the provider"
                        + " exactly as given)");
            }
        }
    }

    /** One set of cluster labels (a mapping; {} for every cluster): keys and values non-empty strings. */
    static void labels(String at, Map<String, String> labels, List<String> problems) {
        if (labels == null) {
            problems.add(at + ": give its clusterLabels ({} for every cluster)");
            return;
        }
        labels.forEach((k, v) -> {
            if (k == null || k.isBlank() || v == null) {
                problems.add(at + ": label keys must be non-empty strings, and each needs a value");
            }
        });
    }

    private static URI url(String at, String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(at + ": required (an absolute http or https URL)");
            return null;
        }
        try {
            URI u = new URI(value);
            if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
                problems.add(at + ": '" + value + "' is not an absolute http or https URL");
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            problems.add(at + ": '" + value + "' is not a URL (" + e.getReason() + ")");
            return null;
        }
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }
}
