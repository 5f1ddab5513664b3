package io.driftwatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Version and runtime facts of this build, read from {@code version.properties} as Maven filtered it at build time:
 * the project version, the Git commit the jar was built from and its tree state ({@code clean}, or {@code dirty} with
 * uncommitted changes; both {@link #UNKNOWN} when built outside a Git checkout), and the build time (UTC).
 */
public record BuildInfo(String version, String gitCommit, String gitTreeState, String buildTime, String javaVersion) {

    public static final String UNKNOWN = "unknown";

    public static BuildInfo current() {
        return of(load(), System.getProperty("java.version"));
    }

    /** The build's facts from the filtered properties; a value Maven left as {@code ${...}} was not known. */
    static BuildInfo of(Properties props, String javaVersion) {
        String commit = value(props, "gitCommit");
        String dirty = commit.equals(UNKNOWN) ? UNKNOWN : value(props, "gitDirty");
        String treeState = dirty.equals("true") ? "dirty" : dirty.equals("false") ? "clean" : UNKNOWN;
        return new BuildInfo(value(props, "version"), commit, treeState, value(props, "buildTime"), javaVersion);
    }

    private static String value(Properties props, String key) {
        String value = props.getProperty(key, "").trim();
        return value.isEmpty() || value.contains("${") ? UNKNOWN : value;
    }

    private static Properties load() {
        Properties props = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
        return props;
    }
}
