package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.demo.Demo;
import io.driftwatch.demo.DemoCluster;
import io.driftwatch.testing.CliRun;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options of {@code driftwatch demo}, parsed without starting anything. */
class DemoCommandTest {

    private static Demo.Settings parse(String... args) {
        CommandLine cl = DriftwatchCommand.commandLine();
        CommandLine.ParseResult result = cl.parseArgs(args);
        DemoCommand command = result.subcommand().commandSpec().commandLine().getCommand();
        return command.settings();
    }

    @Test
    void defaultsToAutomaticBackendAndFreePorts() {
        assertThat(parse("demo")).isEqualTo(new Demo.Settings(DemoCluster.Backend.AUTO, 0, 0));
    }

    @Test
    void acceptsEachBackendInAnyCaseAndFixedPorts() {
        assertThat(parse("demo", "--backend", "real").backend()).isEqualTo(DemoCluster.Backend.REAL);
        assertThat(parse("demo", "--backend", "MOCK").backend()).isEqualTo(DemoCluster.Backend.MOCK);
        assertThat(parse("demo", "--backend=Auto", "--agent-port", "18080", "--hub-port", "18443"))
                .isEqualTo(new Demo.Settings(DemoCluster.Backend.AUTO, 18080, 18443));
    }

    @Test
    void unknownBackendIsAUsageErrorListingTheChoices() {
        CliRun run = CliRun.of("demo", "--backend", "kind");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.stderr()).contains("--backend").contains("'kind' is not one of auto, real, mock");
    }

    @Test
    void portOutOfRangeIsAnErrorBeforeAnythingStarts() {
        CliRun run = CliRun.of("demo", "--agent-port", "70000");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.stderr()).contains("ports must be between 0 (any free port) and 65535");
    }

    @Test
    void sameFixedPortForAgentAndHubIsAnError() {
        CliRun run = CliRun.of("demo", "--agent-port", "9000", "--hub-port", "9000");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.stderr()).contains("--agent-port and --hub-port must differ (both are 9000)");
    }

    @Test
    void aBusyPortFailsBeforeAnythingStartsNamingThePortAndTheListener() throws Exception {
        try (java.net.ServerSocket held = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int port = held.getLocalPort();

            CliRun hub = CliRun.of("demo", "--backend", "mock", "--hub-port", String.valueOf(port));
            CliRun agent = CliRun.of("demo", "--backend", "mock", "--agent-port", String.valueOf(port));

            assertThat(hub.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(hub.stderr())
                    .contains("--hub-port " + port + ": 127.0.0.1:" + port + " is already in use "
                            + "(the hub's listener needs it)")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
            assertThat(agent.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(agent.stderr())
                    .contains("--agent-port " + port + ": 127.0.0.1:" + port + " is already in use "
                            + "(the agent's /metrics and API listener needs it)");
        }
    }

    @Test
    void nonNumericPortIsAUsageError() {
        CliRun run = CliRun.of("demo", "--hub-port", "http");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.stderr()).contains("--hub-port").contains("http");
    }

    @Test
    void helpExplainsTheBackends() {
        CliRun run = CliRun.of("demo", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout())
                .contains("--backend=auto|real|mock")
                .contains("--agent-port=PORT")
                .contains("--hub-port=PORT")
                .contains("in-memory API server");
    }
}
