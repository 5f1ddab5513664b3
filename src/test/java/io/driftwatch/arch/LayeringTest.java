package io.driftwatch.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The pure packages stay pure: the diff engine is shared by the agent, the CLI and benchmarks. */
class LayeringTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.driftwatch");

    @Test
    void diffPackageImportsNeitherVertxNorTheKubernetesClient() {
        noClasses().that().resideInAPackage("io.driftwatch.diff..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.vertx..", "io.fabric8.kubernetes.client..", "io.driftwatch.cli..", "io.driftwatch.localkube..")
                .allowEmptyShould(true)
                .check(MAIN);
    }

    @Test
    void nothingButTheCommandLineDependsOnPicocli() {
        noClasses().that().resideOutsideOfPackages("io.driftwatch.cli..", "io.driftwatch")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(MAIN);
    }
}
