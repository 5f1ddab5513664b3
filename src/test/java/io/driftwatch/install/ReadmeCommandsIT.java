package io.driftwatch.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.testing.ReadmeBlocks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code driftwatch} command the README puts on PATH: the build wrote the launcher, the README's lines after the
 * build run verbatim from the repository's root, and every {@code driftwatch ...} command the README shows (in code
 * blocks and in backticks) names a real command whose help lists each long option the README uses with it.
 */
class ReadmeCommandsIT {

    private static final Pattern INLINE = Pattern.compile("`(driftwatch(?: [^`]*)?)`");
    private static final Pattern CODE_BLOCK = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL);
    /** A code line that runs driftwatch (maybe after a "$ " prompt), without a trailing comment. */
    private static final Pattern CODE_LINE = Pattern.compile("(?m)^(?:\\$ )?(driftwatch(?: [^#\\n]*)?)");

    private static final Pattern LONG_OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");

    @Test
    void theReadmeLinesAfterTheBuildPutTheLauncherOnPathAndRunIt() throws Exception {
        String block = ReadmeBlocks.block("launcher");
        assertThat(block).startsWith("mvn -B -q package -DskipTests\n");
        // the build itself is this Maven run (it wrote target/driftwatch before the integration tests)
        String afterBuild = block.substring(block.indexOf('\n') + 1);
        Run r = bash(afterBuild, Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", System.getProperty("java.home")));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).startsWith("driftwatch ");
    }

    @Test
    void everyDriftwatchCommandInTheReadmeExistsWithTheOptionsItShows() throws Exception {
        Map<String, Set<String>> commands = readmeCommands();
        assertThat(commands).containsKeys("", "version", "hub hash-token", "diff", "agent", "hub", "demo");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Set<String>> c : commands.entrySet()) {
            String help = "driftwatch " + (c.getKey().isEmpty() ? "" : c.getKey() + " ") + "--help";
            Run r = bash(help, Map.of());
            if (r.exitCode() != 0) {
                problems.add("`" + help + "` exited " + r.exitCode() + ": " + r.output());
                continue;
            }
            for (String option : c.getValue()) {
                if (!Pattern.compile("(?<![\\w-])" + Pattern.quote(option) + "(?![\\w-])")
                        .matcher(r.output())
                        .find()) {
                    problems.add("README shows `driftwatch " + c.getKey() + " " + option + "`, but `" + help
                            + "` does not list " + option);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Each command path in the README (words before the first option or placeholder) with the long options shown. */
    private static Map<String, Set<String>> readmeCommands() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> shown = new ArrayList<>();
        INLINE.matcher(readme).results().forEach(r -> shown.add(r.group(1)));
        CODE_BLOCK
                .matcher(readme)
                .results()
                .forEach(b -> CODE_LINE.matcher(b.group(1)).results().forEach(r -> shown.add(r.group(1))));
        Map<String, Set<String>> commands = new LinkedHashMap<>();
        for (String command : shown) {
            String[] words = command.trim().split("\\s+");
            List<String> path = new ArrayList<>();
            for (int i = 1; i < words.length && words[i].matches("[a-z][a-z-]*"); i++) {
                path.add(words[i]);
            }
            if (words.length > 1 && words[1].startsWith("<")) {
                continue; // `driftwatch <command> --help`: a placeholder, not a command
            }
            Set<String> options = commands.computeIfAbsent(String.join(" ", path), k -> new LinkedHashSet<>());
            Matcher o = LONG_OPTION.matcher(command);
            while (o.find()) {
                options.add(o.group());
            }
        }
        return commands;
    }

    /** bash in the repository's root with target/ on PATH, as the README's launcher block leaves the shell. */
    private static Run bash(String script, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        "bash",
                        "-euo",
                        "pipefail",
                        "-c",
                        env.isEmpty() ? "export PATH=\"$PWD/target:$PATH\"\n" + script : script)
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(script).isTrue();
        return new Run(p.exitValue(), out);
    }

    private record Run(int exitCode, String output) {}
}
