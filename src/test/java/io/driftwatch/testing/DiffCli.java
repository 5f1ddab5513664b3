package io.driftwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.cli.DriftwatchCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the real {@code driftwatch diff} command in this JVM and reads its JSON report. */
public final class DiffCli {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DiffCli() {}

    /** One run's exit code, parsed report (empty when nothing was printed), and raw output. */
    public record Run(int exitCode, JsonNode report, String stdout, String stderr) {
        public List<JsonNode> drifts() {
            List<JsonNode> all = new ArrayList<>();
            report.path("drifts").forEach(all::add);
            return all;
        }

        /** The change of {@code field} in the drift of the object named {@code name}; fails when there is none. */
        public JsonNode change(String name, String field) {
            for (JsonNode drift : drifts()) {
                if (drift.path("name").asText().equals(name)) {
                    for (JsonNode change : drift.path("changes")) {
                        if (change.path("field").asText().equals(field)) {
                            return change;
                        }
                    }
                }
            }
            throw new AssertionError("no change of " + field + " in " + name + ":\n" + stdout);
        }
    }

    /** {@code driftwatch ARGS}; the arguments should ask for {@code -o json}. */
    public static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = DriftwatchCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args.toArray(String[]::new));
        try {
            JsonNode report = out.toString().isBlank() ? JSON.createObjectNode() : JSON.readTree(out.toString());
            return new Run(code, report, out.toString(), err.toString());
        } catch (IOException e) {
            throw new AssertionError("diff output is not JSON:\n" + out + "\nstderr:\n" + err, e);
        }
    }
}
