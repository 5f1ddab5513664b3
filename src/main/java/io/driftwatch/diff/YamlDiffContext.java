package io.driftwatch.diff;

/** For those that send a drift's YAML diff on: its 3-line form, when the whole object would be too much. */
public final class YamlDiffContext {

    private YamlDiffContext() {}

    /**
     * The diff with 3 lines of context around each change, exactly as the engine writes it with
     * {@link DiffOptions#yamlDiffContextLines()} 0; the same string when it has no more context than that.
     */
    public static String narrowed(String diff) {
        return YamlDiff.narrowed(diff);
    }
}
