package io.driftwatch.cli;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Flux object named on the command line as {@code NAMESPACE/NAME} ({@code --flux-kustomization},
 * {@code --flux-helmrelease}), and the one daemon thread its one-shot render runs on.
 */
record FluxReference(String namespace, String name) {

    /** Parses {@code reference}; a malformed one is a settings error naming {@code flag} and {@code example}. */
    static FluxReference parse(String flag, String reference, String example) {
        int slash = reference.indexOf('/');
        if (slash <= 0 || slash == reference.length() - 1 || reference.indexOf('/', slash + 1) >= 0) {
            throw new DiffSettings.SettingsException(
                    flag + " '" + reference + "' is not NAMESPACE/NAME (e.g. " + example + ")");
        }
        return new FluxReference(reference.substring(0, slash), reference.substring(slash + 1));
    }

    /** The named bounded pool the render's tool processes run on (shut down by the caller). */
    static ExecutorService renderPool() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "driftwatch-render");
            t.setDaemon(true);
            return t;
        });
    }
}
