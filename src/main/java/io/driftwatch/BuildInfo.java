package io.driftwatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Version and runtime facts of this build, read from the filtered {@code version.properties}. */
public record BuildInfo(String version, String javaVersion) {

    public static BuildInfo current() {
        Properties props = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
        return new BuildInfo(props.getProperty("version", "unknown"), System.getProperty("java.version"));
    }
}
