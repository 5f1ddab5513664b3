package io.driftwatch.realworld;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.realworld.OutOfBandChanges.Change;
import io.driftwatch.realworld.OutOfBandChanges.Expected;
import io.driftwatch.realworld.ReportMatcher.Finding;
import io.driftwatch.testing.DiffCli;
import io.driftwatch.testing.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * driftwatch's verdicts on the published manifests and charts of real projects ({@link Project#ALL}), installed on a
 * real cluster with its controllers running: untouched, no drift at all; after {@link OutOfBandChanges#all() real
 * out-of-band changes}, each one reported with its type, field, op and manager, and nothing else. For comparison only,
 * what the real {@code kubectl diff} says about the same apps is written to {@code target/realworld/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class RealWorldVerdicts {

    private LocalKubeCluster cluster;
    private Installation installation;
    private final Map<Project, String> survey = new LinkedHashMap<>();
    /** kubectl diff runs beside driftwatch's, for the survey only: separate processes, so they overlap. */
    private final ExecutorService kubectlDiffs = Executors.newFixedThreadPool(2);

    private final Map<Project, Future<Kubectl.Result>> untouchedKubectlDiffs = new LinkedHashMap<>();

    abstract Installation.Mode mode();

    @BeforeAll
    void install() {
        cluster = LocalKubeCluster.start();
        installation = Installation.install(cluster, mode(), Project.ALL);
    }

    @AfterAll
    void stop() throws IOException {
        kubectlDiffs.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
        StringBuilder text = new StringBuilder("Real-world corpus, " + mode() + ": driftwatch diff and kubectl diff\n");
        if (installation != null) {
            text.append(installation.objectCount())
                    .append(" objects; CRDs too large for client-side apply, applied " + "server-side: ")
                    .append(installation.serverSideCrds())
                    .append('\n');
        }
        survey.forEach(
                (p, line) -> text.append(p.name()).append(": ").append(line).append('\n'));
        Path out =
                Path.of("target", "realworld", "kubectl-diff-" + mode().name().toLowerCase() + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
        System.out.println(text);
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> untouchedProjectsShowNoDrift() {
        assertThat(installation.objectCount()).as("objects installed").isGreaterThanOrEqualTo(300);
        installation
                .projects()
                .forEach(p -> untouchedKubectlDiffs.put(p, kubectlDiffs.submit(() -> installation.kubectlDiff(p))));
        return installation.projects().stream()
                .map(p -> DynamicTest.dynamicTest(p.name() + ": no drift", () -> {
                    DiffCli.Run run = installation.diff(p);
                    survey.put(
                            p,
                            "untouched: driftwatch " + run.drifts().size() + " drift(s) in " + objects(p)
                                    + " objects; kubectl diff "
                                    + kubectlDiffSummary(get(untouchedKubectlDiffs.get(p))));
                    assertThat(run.drifts())
                            .as(p + " untouched, full report:\n" + run.stdout() + run.stderr())
                            .isEmpty();
                    assertThat(run.exitCode()).as(run.stderr()).isZero();
                }));
    }

    @TestFactory
    @Order(2)
    Stream<DynamicTest> outOfBandChangesAreReportedWithTypeFieldAndManager() throws IOException {
        List<Change> changes = OutOfBandChanges.all(mode());
        assertThat(changes).hasSizeGreaterThanOrEqualTo(50);
        untouchedKubectlDiffs.values().forEach(RealWorldVerdicts::get); // all read the untouched state
        OutOfBandChanges.Context context =
                new OutOfBandChanges.Context(installation, Files.createTempDirectory("realworld-changes-"));
        for (Change c : changes) {
            c.action().run(context);
        }
        installation.awaitSettled();

        Map<Project, Future<Kubectl.Result>> changedKubectlDiffs = new LinkedHashMap<>();
        installation
                .projects()
                .forEach(p -> changedKubectlDiffs.put(p, kubectlDiffs.submit(() -> installation.kubectlDiff(p))));
        Map<Project, DiffCli.Run> reports = new LinkedHashMap<>();
        for (Project p : installation.projects()) {
            DiffCli.Run run = installation.diff(p);
            reports.put(p, run);
            List<Expected> expected = expectedFor(changes, p);
            survey.merge(
                    p,
                    "; after " + expected.size() + " change(s): driftwatch "
                            + ReportMatcher.findings(run.drifts()).size() + " finding(s); kubectl diff "
                            + kubectlDiffSummary(get(changedKubectlDiffs.get(p))),
                    String::concat);
        }

        List<DynamicTest> tests = new ArrayList<>();
        for (Change c : changes) {
            Project p = Project.named(c.project());
            DiffCli.Run run = reports.get(p);
            tests.add(DynamicTest.dynamicTest(c.toString(), () -> {
                List<Finding> findings = ReportMatcher.findings(run.drifts());
                assertThat(findings)
                        .as("expected " + c.expected() + "\nfull report:\n" + run.stdout() + run.stderr())
                        .anyMatch(f -> ReportMatcher.matches(c.expected(), f));
                if ("removed".equals(c.expected().op())) {
                    assertThat(ReportMatcher.saysRemovalNotRecorded(run.report(), c.expected()))
                            .as("a removal says the object does not record who removed it:\n" + run.stdout())
                            .isTrue();
                }
            }));
        }
        for (Project p : installation.projects()) {
            DiffCli.Run run = reports.get(p);
            List<Expected> expected = expectedFor(changes, p);
            tests.add(DynamicTest.dynamicTest(p.name() + ": nothing else is reported", () -> {
                assertThat(ReportMatcher.unexpected(ReportMatcher.findings(run.drifts()), expected))
                        .as("unexpected findings; full report:\n" + run.stdout() + run.stderr())
                        .isEmpty();
                assertThat(run.exitCode()).as(run.stderr()).isEqualTo(expected.isEmpty() ? 0 : 1);
                assertThat(run.stdout()).doesNotContain("not-a-real-token");
            }));
        }
        return tests.stream();
    }

    private static Kubectl.Result get(Future<Kubectl.Result> kubectlDiff) {
        try {
            return kubectlDiff.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("kubectl diff failed: " + e.getCause(), e.getCause());
        }
    }

    private static List<Expected> expectedFor(List<Change> changes, Project p) {
        return changes.stream()
                .filter(c -> c.project().equals(p.name()))
                .map(Change::expected)
                .toList();
    }

    private int objects(Project p) {
        return installation.objects(p).size();
    }

    /** kubectl diff's exit code and the objects it shows (kind.namespace.name as it names its files). */
    static String kubectlDiffSummary(Kubectl.Result result) {
        List<String> objects = result.output()
                .lines()
                .filter(l -> l.startsWith("diff -u -N "))
                .map(l -> l.substring(l.lastIndexOf('/') + 1))
                .toList();
        return "exit " + result.exitCode() + ", " + objects.size() + " object(s)"
                + (objects.isEmpty() ? "" : " " + objects)
                + (result.exitCode() > 1
                        ? " error: "
                                + result.output().lines().reduce((a, b) -> b).orElse("")
                        : "");
    }
}
