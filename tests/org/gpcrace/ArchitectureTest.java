package org.gpcrace;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;

/**
 * The one rule of which package may import which (docs/ARCHITECTURE.md), as a test: a lower layer
 * never imports a higher one, and no two packages import each other, directly or around a circle.
 * From the bottom: util; result; bridge (and its ffm/jna implementations, then bridges which opens
 * them); sys; protocol; compare; report; harness; the tests themselves (scenario.*, measure, model);
 * cli on top.
 */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.gpcrace");

    static LayeredArchitecture layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("util").definedBy("org.gpcrace.util..")
                .layer("result").definedBy("org.gpcrace.result..")
                .layer("bridge").definedBy("org.gpcrace.bridge")
                .layer("bridge implementations").definedBy("org.gpcrace.bridge.ffm..", "org.gpcrace.bridge.jna..", "org.gpcrace.bridge.actor..")
                .layer("bridges").definedBy("org.gpcrace.bridges..")
                .layer("sys").definedBy("org.gpcrace.sys..")
                .layer("protocol").definedBy("org.gpcrace.protocol..")
                .layer("compare").definedBy("org.gpcrace.compare..")
                .layer("report").definedBy("org.gpcrace.report..")
                .layer("harness").definedBy("org.gpcrace.harness..")
                .layer("tests").definedBy("org.gpcrace.scenario..", "org.gpcrace.measure..", "org.gpcrace.model..")
                .layer("cli").definedBy("org.gpcrace.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("tests").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("harness").mayOnlyBeAccessedByLayers("tests", "cli")
                .whereLayer("report").mayOnlyBeAccessedByLayers("harness", "tests", "cli")
                .whereLayer("compare").mayOnlyBeAccessedByLayers("report", "harness", "tests", "cli")
                .whereLayer("protocol").mayOnlyBeAccessedByLayers("compare", "report", "harness", "tests", "cli")
                .whereLayer("sys").mayOnlyBeAccessedByLayers("protocol", "compare", "report", "harness", "tests", "cli")
                .whereLayer("bridges").mayOnlyBeAccessedByLayers("sys", "protocol", "compare", "report", "harness", "tests", "cli")
                .whereLayer("bridge implementations").mayOnlyBeAccessedByLayers("bridges")
                .whereLayer("bridge").mayOnlyBeAccessedByLayers("bridge implementations", "bridges", "sys", "protocol", "compare",
                        "report", "harness", "tests", "cli")
                .whereLayer("result").mayOnlyBeAccessedByLayers("sys", "protocol", "compare", "report", "harness", "tests", "cli")
                .whereLayer("util").mayOnlyBeAccessedByLayers("result", "bridge", "bridge implementations", "bridges", "sys", "protocol",
                        "compare", "report", "harness", "tests", "cli");
    }

    /** Every package under org.gpcrace, as its own slice: a circle between any two fails. */
    static ArchRule noPackageCircles() {
        return slices().matching("org.gpcrace.(**)").should().beFreeOfCycles();
    }

    @Test
    void aLowerLayerNeverImportsAHigherOne() {
        layers().check(CLASSES);
    }

    @Test
    void noPackageImportsItselfAroundACircle() {
        noPackageCircles().check(CLASSES);
    }

    /** The twin: the same rules fail on classes that break them (so the checks above can fail). */
    @Test
    void theRulesCatchABreach() {
        JavaClasses breach = new ClassFileImporter().importClasses(Breach.Low.class, Breach.High.class);
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("low").definedBy(Breach.Low.class.getName()).layer("high").definedBy(Breach.High.class.getName())
                .whereLayer("high").mayNotBeAccessedByAnyLayer().check(breach));
    }

    /** A lower class that reaches into a higher one. */
    static final class Breach {
        static final class High { static int value() { return 1; } }

        static final class Low { static int use() { return High.value(); } }
    }
}
