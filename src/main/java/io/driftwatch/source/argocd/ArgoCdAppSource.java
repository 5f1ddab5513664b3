package io.driftwatch.source.argocd;

import io.driftwatch.diff.IgnoreRule;
import io.driftwatch.net.Backoff;
import io.driftwatch.source.AppSource;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.argocd.rest.model.Application;
import io.driftwatch.source.argocd.rest.model.ApplicationSource;
import io.driftwatch.source.argocd.rest.model.ApplicationSpec;
import io.driftwatch.source.argocd.rest.model.ManifestResponse;
import io.driftwatch.source.argocd.rest.model.SyncStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Argo CD Application's desired state: {@link #load()} reads the app, then its rendered manifests at the revision
 * Argo CD last compared ({@code status.sync.revision}, per source for multi-source apps) — or, while no controller has
 * compared it yet, at {@code spec.source.targetRevision}, which the repo-server resolves to a commit. A failed call is
 * not repeated before its {@link Backoff} delay: until then load fails at once with the same reason. Blocking.
 */
public final class ArgoCdAppSource implements AppSource {

    private static final Logger LOG = LoggerFactory.getLogger(ArgoCdAppSource.class);

    private final String name;
    private final ArgoCdSource server;
    private final Clock clock;
    private final Backoff backoff = new Backoff(Math::random);
    private volatile String targetNamespace = "default";
    private volatile String fingerprint;
    private SourceException lastFailure;
    private Instant retryAt = Instant.MIN;

    public ArgoCdAppSource(String name, ArgoCdSource server, Clock clock) {
        this.name = name;
        this.server = server;
        this.clock = clock;
    }

    @Override
    public String app() {
        return name;
    }

    /** The app's destination namespace (known after the first load; "default" before). */
    @Override
    public String targetNamespace() {
        return targetNamespace;
    }

    @Override
    public synchronized DesiredState load() throws SourceException {
        Instant now = clock.instant();
        if (lastFailure != null && now.isBefore(retryAt)) {
            throw new SourceException(
                    lastFailure.reason(),
                    lastFailure.getMessage() + " (next attempt in "
                            + Duration.between(now, retryAt).toSeconds() + "s)",
                    lastFailure);
        }
        try {
            DesiredState state = fetch();
            backoff.succeeded();
            lastFailure = null;
            return state;
        } catch (SourceException e) {
            lastFailure = e;
            retryAt = now.plus(backoff.failed());
            throw e;
        }
    }

    /** Empty when neither the revision nor the objects (ignore rules included) changed since the last load. */
    @Override
    public Optional<DesiredState> loadIfChanged(String knownRevision) throws SourceException {
        String before = fingerprint;
        DesiredState state = load();
        String now = state.revision() + "/" + state.objects().hashCode();
        fingerprint = now;
        return state.revision().equals(knownRevision) && now.equals(before) ? Optional.empty() : Optional.of(state);
    }

    private DesiredState fetch() throws SourceException {
        ArgoCdClient client = server.client();
        Application app = client.application(name, server.appNamespace());
        ApplicationSpec spec = app.getSpec();
        if (spec == null) {
            throw new SourceException(SourceException.Reason.PARSE, "app " + name + ": Argo CD returned no spec");
        }
        if (spec.getDestination() != null
                && spec.getDestination().getNamespace() != null
                && !spec.getDestination().getNamespace().isBlank()) {
            targetNamespace = spec.getDestination().getNamespace();
        }
        SyncStatus sync = app.getStatus() == null ? null : app.getStatus().getSync();
        String revision = null;
        List<Long> positions = new ArrayList<>();
        List<String> revisions = new ArrayList<>();
        int sources = spec.getSources() == null ? 0 : spec.getSources().size();
        if (sources > 0) {
            if (sync != null
                    && sync.getRevisions() != null
                    && sync.getRevisions().size() == sources) {
                for (int i = 0; i < sources; i++) {
                    positions.add((long) i + 1);
                    revisions.add(sync.getRevisions().get(i));
                }
            }
        } else if (sync != null
                && sync.getRevision() != null
                && !sync.getRevision().isBlank()) {
            revision = sync.getRevision();
        }
        ManifestResponse manifests =
                client.manifests(name, server.appNamespace(), spec.getProject(), revision, positions, revisions);
        List<String> unsupported = new ArrayList<>();
        List<IgnoreRule> rules = new ArrayList<>(server.settings().ignoreRules());
        rules.addAll(AppManifests.appRules(app, unsupported));
        unsupported.forEach(u -> LOG.warn("{}", u));
        DesiredState state =
                AppManifests.desiredState(app, manifests, requested(spec, revision, revisions), rules, clock.instant());
        LOG.debug(
                "app {}: {} objects from Argo CD at {} ({})",
                name,
                state.objects().size(),
                state.revision(),
                revision == null && revisions.isEmpty()
                        ? "target revision: not compared by a controller yet"
                        : "synced revision");
        return state;
    }

    /** What was asked for: the synced revision(s), else the target revision(s) as the app names them. */
    private static String requested(ApplicationSpec spec, String revision, List<String> revisions) {
        if (revision != null) {
            return revision;
        }
        if (!revisions.isEmpty()) {
            return String.join(",", revisions);
        }
        List<ApplicationSource> sources =
                spec.getSources() != null && !spec.getSources().isEmpty()
                        ? spec.getSources()
                        : spec.getSource() == null ? List.of() : List.of(spec.getSource());
        String targets = String.join(
                ",",
                sources.stream()
                        .map(s -> s.getTargetRevision() == null
                                        || s.getTargetRevision().isBlank()
                                ? "HEAD"
                                : s.getTargetRevision())
                        .toList());
        return "target:" + (targets.isEmpty() ? "HEAD" : targets);
    }

    @Override
    public String toString() {
        return "ArgoCdAppSource[" + name + " at " + server.client().base() + "]";
    }
}
