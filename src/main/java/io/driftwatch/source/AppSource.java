package io.driftwatch.source;

import java.util.Optional;

/**
 * Where one application's desired state comes from (a Git checkout rendered locally, or Argo CD). Implementations
 * block — network, Git, rendering processes — so callers run {@link #load()} on a worker pool, never on an event loop.
 */
public interface AppSource extends AutoCloseable {

    /** The application's name, unique within an agent. */
    String app();

    /** The namespace given to namespaced objects that set none. */
    String targetNamespace();

    /**
     * Fetches what is new and returns the desired state at the configured revision. Loading the same revision twice
     * returns the cached snapshot without rendering again.
     *
     * @throws SourceException naming what failed (fetch, parse with file and line, render with the tool's stderr)
     */
    DesiredState load() throws SourceException;

    /**
     * Asks for the next {@link #load()} to fetch from the remote at once instead of waiting for its poll interval
     * (a webhook reported a push). Does not block; sources that do not fetch ignore it.
     */
    default void requestFetch() {}

    /**
     * Like {@link #load()}, but empty when the revision is still {@code knownRevision}, so a source that can tell
     * cheaply (a directory's file fingerprint) need not keep or rebuild its objects between polls.
     */
    default Optional<DesiredState> loadIfChanged(String knownRevision) throws SourceException {
        DesiredState state = load();
        return state.revision().equals(knownRevision) ? Optional.empty() : Optional.of(state);
    }

    /** True if a push to this repository URL (as a webhook reports it) concerns this app. */
    default boolean matchesRepository(String repositoryUrl) {
        return false;
    }

    @Override
    default void close() {}
}
