package io.driftwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.driftwatch.BuildInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftwatch version}: the build's version, Git commit and build time, as text, JSON or YAML. */
@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print the driftwatch version, the Git commit it was built from (with its tree state: clean, or "
                    + "dirty with uncommitted changes), the build time (UTC) and the Java runtime.",
            "Commit and tree state are 'unknown' for a build made outside a Git checkout."
        })
final class VersionCommand implements Callable<Integer> {

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    enum Format {
        text,
        json,
        yaml
    }

    @Override
    public Integer call() throws Exception {
        BuildInfo info = BuildInfo.current();
        String text = switch (output) {
            case text -> oneLine(info) + "\n";
            case json -> Json.pretty(toJson(info)) + "\n";
            case yaml -> YAML.writeValueAsString(toJson(info));
        };
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** {@code driftwatch VERSION (commit C[, dirty], built T; Java J)}. */
    static String oneLine(BuildInfo info) {
        String commit = info.gitCommit().equals(BuildInfo.UNKNOWN)
                ? "commit unknown"
                : "commit "
                        + info.gitCommit()
                                .substring(0, Math.min(12, info.gitCommit().length()))
                        + (info.gitTreeState().equals("dirty") ? ", dirty" : "");
        return "driftwatch " + info.version() + " (" + commit + ", built " + info.buildTime() + "; Java "
                + info.javaVersion() + ")";
    }

    static ObjectNode toJson(BuildInfo info) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("version", info.version());
        node.put("gitCommit", info.gitCommit());
        node.put("gitTreeState", info.gitTreeState());
        node.put("buildTime", info.buildTime());
        node.put("javaVersion", info.javaVersion());
        return node;
    }
}
