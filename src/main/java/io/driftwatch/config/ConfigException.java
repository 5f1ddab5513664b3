package io.driftwatch.config;

import java.util.List;

/** The configuration is wrong; the message names every bad setting. Start-up stops. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    static ConfigException of(String source, List<String> problems) {
        return new ConfigException("invalid configuration in " + source + ":\n  - " + String.join("\n  - ", problems));
    }
}
