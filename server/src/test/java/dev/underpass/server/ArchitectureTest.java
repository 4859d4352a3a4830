package dev.underpass.server;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package graph, checked on the compiled main classes of every module the server sees (model, policy, store,
 * aws, server; not bench, which may use anything). Layers, top to bottom, each seeing only those below:
 * {@code server.cli → server → aws.* → store → model.elb → model.ec2 → model.sts, model.net → model}, with
 * {@code policy} depending on no underpass package, and {@code reach} (the analyzer) on the model and policy only. docs/architecture.md draws it. A failure names the classes and
 * lines that cross: fix the arrow (move the type down, or invert it with a small interface), do not freeze it.
 */
@AnalyzeClasses(packages = "dev.underpass", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Each package is a slice; no two packages may reach each other, however long the way round. */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.underpass.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule modelAndPolicySeeNoLayerAbove = noClasses()
            .that().resideInAnyPackage("dev.underpass.model..", "dev.underpass.policy..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("dev.underpass.store..", "dev.underpass.aws..", "dev.underpass.server..",
                    "dev.underpass.reach..", "dev.underpass.dataplane..");

    /** The analyzer reads the model (and the policy engine) only: no state, wire or server type. */
    @ArchTest
    static final ArchRule reachSeesOnlyModelAndPolicy = noClasses()
            .that().resideInAPackage("dev.underpass.reach..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("dev.underpass.store..", "dev.underpass.aws..", "dev.underpass.server..",
                    "dev.underpass.dataplane..");

    /** The data plane reads worlds and asks the analyzer: no store, wire or server type (the server wires it). */
    @ArchTest
    static final ArchRule dataPlaneSeesOnlyModelAndReach = noClasses()
            .that().resideInAPackage("dev.underpass.dataplane..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("dev.underpass.store..", "dev.underpass.aws..", "dev.underpass.server..");

    @ArchTest
    static final ArchRule storeSeesNeitherWireNorServer = noClasses()
            .that().resideInAPackage("dev.underpass.store..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("dev.underpass.aws..", "dev.underpass.server..");

    @ArchTest
    static final ArchRule wireSeesNoServer = noClasses()
            .that().resideInAPackage("dev.underpass.aws..")
            .should().dependOnClassesThat().resideInAPackage("dev.underpass.server..");

    /**
     * A service's API class creates its handler families; they see it only through its registry interface
     * ({@code Ec2Registry}, {@code Elbv2Registry}), so the arrows between dispatcher and handlers point one way.
     */
    @ArchTest
    static final ArchRule handlersDoNotReachBackToTheirApi = noClasses()
            .that().resideInAPackage("dev.underpass.aws..").and().haveSimpleNameEndingWith("Handlers")
            .should().dependOnClassesThat(resideInAPackage("dev.underpass.aws..")
                    .and(simpleNameEndingWith("Api"))
                    .and(not(simpleName("QueryApi"))));

    /** AWS SDK shapes stop at the wire layer: rules and state speak the domain's own types. */
    @ArchTest
    static final ArchRule sdkTypesStayInTheWireLayer = noClasses()
            .that().resideInAnyPackage("dev.underpass.model..", "dev.underpass.policy..", "dev.underpass.store..",
                    "dev.underpass.reach..", "dev.underpass.dataplane..")
            .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..");
}
