package io.driftwatch.arch;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.fasterxml.jackson.databind.node.ContainerNode;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.driftwatch.emit.hub.HubEvents;
import io.driftwatch.emit.hub.HubReporter;
import io.driftwatch.emit.hub.MetricsSnapshot;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.Test;

/** Package rules across the code base; the diff package's own purity is checked by DiffPackageLayeringTest. */
class LayeringTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.driftwatch");

    @Test
    void noCyclesBetweenTopLevelPackages() {
        slices().matching("io.driftwatch.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void configurationDependsOnNeitherVertxNorFabric8NorTheSources() {
        noClasses()
                .that()
                .resideInAPackage("io.driftwatch.config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.vertx..", "io.fabric8..", "io.driftwatch.source..")
                .check(MAIN);
    }

    @Test
    void liveStateReadingDoesNotDependOnTheCommandLine() {
        noClasses()
                .that()
                .resideInAPackage("io.driftwatch.live..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.driftwatch.cli..", "picocli..")
                .check(MAIN);
    }

    @Test
    void nothingButTheCommandLineDependsOnPicocli() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.driftwatch.cli..", "io.driftwatch")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("picocli..")
                .check(MAIN);
    }

    @Test
    void desiredStateSourcesUseNeitherVertxNorTheCommandLine() {
        noClasses()
                .that()
                .resideInAPackage("io.driftwatch.source..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.vertx..", "io.driftwatch.cli..")
                .check(MAIN);
    }

    @Test
    void theHubDependsOnNeitherTheAgentNorTheAgentsEmitters() {
        noClasses()
                .that()
                .resideInAPackage("io.driftwatch.hub..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.driftwatch.agent..",
                        "io.driftwatch.emit..",
                        "io.driftwatch.live..",
                        "io.driftwatch.source..",
                        "io.fabric8..")
                .check(MAIN);
    }

    @Test
    void theAgentsHubReporterDoesNotDependOnTheHubServer() {
        noClasses()
                .that()
                .resideInAPackage("io.driftwatch.emit.hub..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.driftwatch.hub..", "io.driftwatch.agent..")
                .check(MAIN);
    }

    @Test
    void theWireRecordsDependOnNothingOfDriftwatch() {
        noClasses()
                .that()
                .resideInAPackage("io.driftwatch.wire..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.driftwatch..")
                .andShould()
                .dependOnClassesThat()
                .resideOutsideOfPackages("io.driftwatch.wire..", "java..", "com.fasterxml.jackson..")
                .because("the agent → hub wire format is shared by the agent's emitter and the hub; it depends on "
                        + "Jackson only")
                .check(MAIN);
    }

    @Test
    void theHubReporterWritesNoProtocolJsonByHand() {
        noClasses()
                .that()
                .belongToAnyOf(HubReporter.class, HubEvents.class, MetricsSnapshot.class)
                .should()
                .callMethodWhere(target(owner(assignableTo(ContainerNode.class)))
                        .and(target(nameMatching("(put|set|add|insert|replace).*"))))
                .orShould()
                .callMethodWhere(target(nameMatching("create(Object|Array)Node")))
                .orShould()
                .dependOnClassesThat()
                .belongToAnyOf(StringBuilder.class)
                .because(
                        "the snapshots, events, heartbeats and metrics the agent sends the hub are written once, as the "
                                + "records of io.driftwatch.wire, not built node by node")
                .check(MAIN);
    }

    @Test
    void blockingWorkRunsOnlyOnNamedPools() {
        noClasses()
                .should()
                .callMethodWhere(target(name("executeBlocking"))
                        .and(target(owner(assignableTo(Vertx.class).or(assignableTo(Context.class))))))
                .orShould()
                .callMethodWhere(target(name("blockingHandler")).and(target(owner(assignableTo(Route.class)))))
                .because("Vert.x's unnamed default worker pool is shared and unbounded by us; the hub's blocking calls "
                        + "go to its named WorkerExecutors (driftwatch-hub-db, driftwatch-hub-relay), the agent's to "
                        + "its named pools (AgentPools: driftwatch-http for what HTTP handlers wait for)")
                .check(MAIN);
    }

    @Test
    void onlyTheDemoUsesTheInMemoryApiServer() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.driftwatch.demo..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.fabric8.kubernetes.client.server.mock..", "io.fabric8.mockwebserver..")
                .check(MAIN);
    }
}
