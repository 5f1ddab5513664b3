package io.driftwatch.cli;

import io.driftwatch.config.ConfigException;
import io.driftwatch.config.HubConfig;
import io.driftwatch.config.HubConfigLoader;
import io.driftwatch.hub.HubServer;
import io.driftwatch.hub.TokenHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftwatch hub}: receives what every agent reports and serves the fleet's drift state and history. */
@Command(
        name = "hub",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the hub: agents push drift events, snapshots and heartbeats; the hub keeps the fleet's "
                    + "open drifts and their history (SQLite or PostgreSQL) and serves them (JSON API, event stream, "
                    + "/metrics).",
            "Settings come from the YAML file and DRIFTWATCH_HUB_* environment variables."
        },
        subcommands = HubCommand.HashToken.class)
final class HubCommand implements Callable<Integer> {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Hub configuration (YAML).")
    Path config;

    @Option(
            names = "--check-config",
            description = "Validate the configuration (file and DRIFTWATCH_HUB_* variables), print it with every "
                    + "default filled in and token hashes omitted, and exit: 0 valid, 2 invalid (every problem listed). "
                    + "Nothing starts and the database is not contacted.")
    boolean checkConfig;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (config == null) {
            spec.commandLine().getErr().println("error: --config FILE is required");
            return ExitCodes.ERROR;
        }
        HubConfig settings;
        try {
            settings = HubConfigLoader.load(config, System.getenv());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.ERROR;
        }
        if (checkConfig) {
            return CheckConfig.print(spec.commandLine().getOut(), config, settings);
        }
        HubServer hub = new HubServer(settings, Clock.systemUTC());
        return ServiceRunner.run(
                "hub",
                hub::start,
                hub::stop,
                Duration.ofSeconds(120),
                spec.commandLine().getErr());
    }

    /** {@code driftwatch hub hash-token}: prints the SHA-256 the hub configuration holds instead of a token. */
    @Command(
            name = "hash-token",
            mixinStandardHelpOptions = true,
            description = {
                "Print the SHA-256 of a bearer token for the hub configuration (clusters[].tokenSha256, "
                        + "readTokens[].tokenSha256). Reads the token from --token-file or stdin; never from arguments, "
                        + "so it stays out of shell history. Equivalent: printf %%s TOKEN | sha256sum"
            })
    static final class HashToken implements Callable<Integer> {

        @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the token (default: stdin).")
        Path tokenFile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String token;
            if (tokenFile != null) {
                token = Files.readString(tokenFile);
            } else {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                    token = in.readLine();
                }
            }
            if (token == null || token.isBlank()) {
                spec.commandLine().getErr().println("error: empty token");
                return ExitCodes.ERROR;
            }
            spec.commandLine().getOut().println(TokenHash.sha256Hex(token));
            return ExitCodes.OK;
        }
    }
}
