package io.driftwatch.diff;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class DiffPackageLayeringTest {

    private final JavaClasses diff = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.driftwatch.diff");

    @Test
    void diffPackageUsesNeitherVertxNorTheKubernetesClient() {
        noClasses()
                .that()
                .resideInAPackage("io.driftwatch.diff..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.vertx..", "io.fabric8.kubernetes.client..")
                .check(diff);
    }

    @Test
    void diffPackageDependsOnNoOtherDriftwatchPackage() {
        noClasses()
                .that()
                .resideInAPackage("io.driftwatch.diff..")
                .should()
                .dependOnClassesThat(resideInAPackage("io.driftwatch..")
                        .and(DescribedPredicate.not(resideInAPackage("io.driftwatch.diff.."))))
                .check(diff);
    }
}
