package io.driftwatch.source.argocd;

import io.driftwatch.source.SourceException;
import io.driftwatch.source.argocd.rest.model.Application;
import io.driftwatch.source.argocd.rest.model.ApplicationList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One Argo CD server as a source of many apps: the client, which apps are wanted (projects, label selector, apps
 * namespace), and the system settings (tracking method, system ignore rules), read once and again every
 * {@link #SETTINGS_TTL}. Blocking; thread-safe.
 */
public final class ArgoCdSource {

    static final Duration SETTINGS_TTL = Duration.ofMinutes(5);

    private final ArgoCdClient client;
    private final List<String> projects;
    private final String selector;
    private final String appNamespace;
    private final Clock clock;
    private ArgoCdSettings settings;
    private Instant settingsAt = Instant.MIN;

    public ArgoCdSource(ArgoCdClient client, List<String> projects, String selector, String appNamespace, Clock clock) {
        this.client = client;
        this.projects = List.copyOf(projects);
        this.selector = selector;
        this.appNamespace = appNamespace;
        this.clock = clock;
    }

    public ArgoCdClient client() {
        return client;
    }

    public List<String> projects() {
        return projects;
    }

    public String selector() {
        return selector;
    }

    public String appNamespace() {
        return appNamespace;
    }

    /** The apps the configuration selects (and the token may see), with the list's resource version. */
    public ApplicationList list() throws SourceException {
        return client.listApplications(projects, selector, appNamespace);
    }

    /** The system settings, from the server at most every {@link #SETTINGS_TTL}. */
    public synchronized ArgoCdSettings settings() throws SourceException {
        Instant now = clock.instant();
        if (settings == null || now.isAfter(settingsAt.plus(SETTINGS_TTL))) {
            settings = ArgoCdSettings.of(client.settings());
            settingsAt = now;
        }
        return settings;
    }

    /** An app source for each listed app (by name). */
    public ArgoCdAppSource appSource(Application app) {
        return new ArgoCdAppSource(AppManifests.name(app), this, clock);
    }
}
