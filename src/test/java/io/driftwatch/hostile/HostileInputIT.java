package io.driftwatch.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.testing.LauncherRun;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile manifests for {@code driftwatch diff --dir} and hostile configuration files for {@code driftwatch agent} and
 * {@code driftwatch hub}, each run through the built launcher as its own process: every one must end with exit 2 and
 * one clear line naming the file and the problem (no stack trace, no Java class name), within the timeout and with a
 * bounded peak RSS. Manifest errors come before any connection, so the kubeconfig points at a closed port; a valid
 * directory shows the reading got through (its error is the connection). Figures: docs/hostile-input.md.
 */
class HostileInputIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    /** The issue measured 1.6 GB for a 5 MB scalar and 2 GB for 50 MB; a refused input must stay far below. */
    private static final long MAX_RSS_KIB = 1L << 20;

    @TempDir
    Path tmp;

    private record Case(String group, String name, List<String> args, List<String> expected) {}

    @Test
    void hostileManifestsAndConfigurationFilesEndInExit2NamingFileAndProblem() throws Exception {
        Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: closed, cluster: {server: "https://127.0.0.1:1"}}]
                contexts: [{name: closed, context: {cluster: closed, user: u}}]
                current-context: closed
                users: [{name: u, user: {token: not-a-secret}}]
                """);
        List<Case> cases = new ArrayList<>();
        manifestCases(kubeconfig, cases);
        configCases(cases);

        List<Future<LauncherRun>> runs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2); // two at a time: the machine has two cores
        long started = System.nanoTime();
        try {
            for (Case c : cases) {
                runs.add(pool.submit(() -> LauncherRun.of(tmp, TIMEOUT, c.args().toArray(String[]::new))));
            }
            SoftAssertions soft = new SoftAssertions();
            java.util.Map<String, int[]> perGroup = new java.util.TreeMap<>();
            java.util.Map<String, Long> rssPerGroup = new java.util.TreeMap<>();
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                LauncherRun run = runs.get(i).get();
                String what = c.group() + " / " + c.name() + " ("
                        + run.elapsed().toMillis() + " ms, peak RSS " + run.peakRssKib() / 1024 + " MiB)";
                System.out.println("hostile-input: " + what + ": exit " + run.exitCode() + ": "
                        + run.stderr().strip().replace("\n", " | "));
                int[] counts = perGroup.computeIfAbsent(c.group(), g -> new int[2]);
                counts[0]++;
                rssPerGroup.merge(c.group(), run.peakRssKib(), Math::max);
                boolean rejected = !run.timedOut() && run.exitCode() == 2;
                if (c.expected().isEmpty()) { // the control: read, then refused by the closed port; not counted
                    soft.assertThat(run.stderr()).as(what).contains("cannot reach the cluster at https://127.0.0.1:1");
                    counts[0]--;
                    continue;
                }
                if (rejected) {
                    counts[1]++;
                }
                soft.assertThat(run.timedOut()).as(what + ": finished").isFalse();
                soft.assertThat(run.exitCode())
                        .as(what + ": exit code; stderr: " + run.stderr())
                        .isEqualTo(2);
                soft.assertThat(run.stderr())
                        .as(what)
                        .startsWith("error: ")
                        .contains(c.expected())
                        .doesNotContain("Exception", "\tat ", "java.", "`");
                soft.assertThat(run.stderr().strip().lines().count())
                        .as(what + ": one message")
                        .isEqualTo(1);
                soft.assertThat(run.stdout()).as(what + ": nothing on stdout").isEmpty();
                soft.assertThat(run.peakRssKib()).as(what + ": peak RSS KiB").isLessThan(MAX_RSS_KIB);
            }
            perGroup.forEach((group, n) -> System.out.println("hostile-input: group " + group + ": " + n[0]
                    + " inputs tried, " + n[1] + " rejected with exit 2, max peak RSS " + rssPerGroup.get(group) / 1024
                    + " MiB"));
            System.out.println("hostile-input: " + cases.size() + " runs in "
                    + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s (two at a time)");
            soft.assertAll();
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code diff --dir} over a directory holding one hostile input (or a few of one kind). */
    private void manifestCases(Path kubeconfig, List<Case> cases) throws Exception {
        String header = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hostile}\n";
        Path control = dir("valid", "cm.yaml", header + "data: {k: v}\n");
        cases.add(new Case(
                "diff --dir",
                "a valid directory (control: read, then the closed port)",
                diff(control, kubeconfig),
                List.of()));

        StringBuilder laughs =
                new StringBuilder(header + "data:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            laughs.append("  a")
                    .append(i)
                    .append(": &a")
                    .append(i)
                    .append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1))))
                    .append("]\n");
        }
        manifest(
                cases,
                kubeconfig,
                "billion laughs (9 levels of 9 aliases)",
                "laughs.yaml",
                laughs.toString(),
                "laughs.yaml:6",
                "YAML alias *a0 is not supported");
        manifest(
                cases,
                kubeconfig,
                "nested 100,000 levels (YAML flow)",
                "deep.yaml",
                header + "data: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n",
                "deep.yaml",
                "nested deeper than");
        manifest(
                cases,
                kubeconfig,
                "nested 100,000 levels (JSON)",
                "deep.json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"d\"},\"data\":"
                        + "[".repeat(100_000) + "]".repeat(100_000) + "}",
                "deep.json",
                "nested deeper than 100 levels");
        for (int mb : new int[] {5, 50}) {
            Path d = Files.createDirectories(tmp.resolve("scalar" + mb));
            try (Writer w = Files.newBufferedWriter(d.resolve("scalar.yaml"))) {
                w.write(header + "data:\n  blob: ");
                String chunk = "x".repeat(1 << 20);
                for (int i = 0; i < mb; i++) {
                    w.write(chunk);
                }
                w.write("\n");
            }
            cases.add(new Case(
                    "diff --dir",
                    "a " + mb + " MiB scalar",
                    diff(d, kubeconfig),
                    List.of("scalar.yaml:5", "exceeds the limit of 3145728 bytes (--max-document-bytes)")));
        }
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            many.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c")
                    .append(i)
                    .append("}\n");
        }
        manifest(
                cases,
                kubeconfig,
                "100,000 documents",
                "many.yaml",
                many.toString(),
                "many.yaml",
                "more than 50000 objects (--max-documents)");
        byte[] junk = new byte[1 << 20];
        new Random(17).nextBytes(junk);
        Path junkDir = Files.createDirectories(tmp.resolve("junk"));
        Files.write(junkDir.resolve("junk.yaml"), junk);
        cases.add(new Case(
                "diff --dir",
                "1 MiB of binary junk",
                diff(junkDir, kubeconfig),
                List.of("junk.yaml", "cannot parse YAML: not valid UTF-8")));
        byte[] utf = (header + "data: {k: \"x\"}\n").getBytes(StandardCharsets.US_ASCII);
        utf[utf.length - 4] = (byte) 0xff;
        Path utfDir = Files.createDirectories(tmp.resolve("utf"));
        Files.write(utfDir.resolve("utf.yaml"), utf);
        cases.add(new Case(
                "diff --dir",
                "invalid UTF-8 in a value",
                diff(utfDir, kubeconfig),
                List.of("utf.yaml", "not valid UTF-8 (start byte 0xff)")));
        manifest(
                cases,
                kubeconfig,
                "a key given twice",
                "dup.yaml",
                header + "metadata: {name: other}\n",
                "dup.yaml:4",
                "duplicate key 'metadata'");
        manifest(
                cases,
                kubeconfig,
                "tabs for indentation",
                "tabs.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: t\n",
                "tabs.yaml:4",
                "(TAB)");
        manifest(
                cases,
                kubeconfig,
                "NUL and control characters",
                "nul.yaml",
                header.replace("hostile", "a\u0000b") + "data: {k: \"\u0001\"}\n",
                "nul.yaml",
                "special characters are not allowed");

        Path odd = dir("odd", "ok.yaml", header);
        Files.createSymbolicLink(odd.resolve("loop.yaml"), odd.resolve("loop.yaml"));
        Files.createSymbolicLink(odd.resolve("gone.yaml"), odd.resolve("nowhere"));
        Files.createSymbolicLink(odd.resolve("self"), odd); // a loop through a directory link: not followed
        Files.createDirectories(odd.resolve("dir.yaml")); // a directory with a manifest's name: walked into
        mkfifo(odd.resolve("pipe.yaml"));
        cases.add(new Case(
                "diff --dir",
                "a symlink loop, a broken link and a FIFO among manifests",
                diff(odd, kubeconfig),
                List.of(
                        "loop.yaml is a symbolic link that leads nowhere",
                        "gone.yaml is a symbolic link that leads nowhere",
                        "pipe.yaml is not a regular file")));
        cases.add(new Case(
                "diff --dir",
                "--dir naming a file",
                diff(control.resolve("cm.yaml"), kubeconfig),
                List.of("cm.yaml", "not a directory")));
        Path fifo = tmp.resolve("desired.yaml");
        mkfifo(fifo);
        cases.add(new Case(
                "diff --desired",
                "a FIFO as --desired (reading would block)",
                List.of(
                        "diff",
                        "--desired",
                        fifo.toString(),
                        "--live",
                        control.resolve("cm.yaml").toString()),
                List.of("desired.yaml", "is not a regular file")));
    }

    /** {@code agent --config} and {@code hub --config} with hostile files: exit 2 before anything starts. */
    private void configCases(List<Case> cases) throws Exception {
        Path configs = Files.createDirectories(tmp.resolve("configs"));
        byte[] junk = new byte[64 << 10];
        new Random(18).nextBytes(junk);
        junk[0] = (byte) 0xc3;
        junk[1] = (byte) 0x28;
        Path garbage = Files.write(configs.resolve("garbage.yaml"), junk);
        Path huge = configs.resolve("huge.yaml");
        try (Writer w = Files.newBufferedWriter(huge)) {
            w.write("cluster: ");
            String chunk = "x".repeat(1 << 20);
            for (int i = 0; i < 50; i++) {
                w.write(chunk);
            }
            w.write("\n");
        }
        Path deep = Files.writeString(
                configs.resolve("deep.yaml"), "cluster: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");
        Path dup = Files.writeString(configs.resolve("dup.yaml"), "cluster: a\nclusters: []\ncluster: b\n");
        Path alias = Files.writeString(configs.resolve("alias.yaml"), "a: &x [1, 2]\nb: *x\n");
        Path fifo = configs.resolve("fifo.yaml");
        mkfifo(fifo);
        for (String command : List.of("agent", "hub")) {
            String group = command + " --config";
            cases.add(new Case(
                    group,
                    "binary junk",
                    List.of(command, "--config", garbage.toString()),
                    List.of("garbage.yaml", "not valid UTF-8")));
            cases.add(new Case(
                    group,
                    "50 MiB",
                    List.of(command, "--config", huge.toString()),
                    List.of("huge.yaml", "more than the limit of 1048576 bytes")));
            cases.add(new Case(
                    group,
                    "nested 100,000 levels",
                    List.of(command, "--config", deep.toString()),
                    List.of("deep.yaml", "nested deeper than")));
            cases.add(new Case(
                    group,
                    "a key given twice",
                    List.of(command, "--config", dup.toString()),
                    List.of("dup.yaml", "line 3", "duplicate key 'cluster'")));
            cases.add(new Case(
                    group,
                    "a YAML alias",
                    List.of(command, "--config", alias.toString()),
                    List.of("alias.yaml", "YAML alias *x")));
            cases.add(new Case(
                    group,
                    "a FIFO",
                    List.of(command, "--config", fifo.toString()),
                    List.of("fifo.yaml", "is not a regular file")));
        }
    }

    private void manifest(
            List<Case> cases, Path kubeconfig, String name, String file, String content, String... expected)
            throws IOException {
        cases.add(new Case(
                "diff --dir", name, diff(dir(file.replace('.', '-'), file, content), kubeconfig), List.of(expected)));
    }

    private Path dir(String name, String file, String content) throws IOException {
        Path d = Files.createDirectories(tmp.resolve("m-" + name));
        Files.writeString(d.resolve(file), content);
        return d;
    }

    private static List<String> diff(Path dir, Path kubeconfig) {
        return List.of("diff", "--dir", dir.toString(), "--kubeconfig", kubeconfig.toString());
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("mkfifo", path.toString()).start().waitFor())
                .as("mkfifo " + path)
                .isZero();
    }
}
