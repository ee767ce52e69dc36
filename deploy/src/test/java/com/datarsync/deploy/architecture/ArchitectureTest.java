package com.datarsync.deploy.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.testsupport.LocalInfra;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries docs/architecture.md states, checked on every module's compiled classes
 * (the reactor has built them before this module's tests run) and on the service jars' libraries:
 * no package cycle anywhere; {@code common} holds contracts and shared set-up without Kafka clients
 * or Sentinel; auth and the gateway carry no stage runtime.
 */
class ArchitectureTest {

    private static Path repo;
    private static JavaClasses all;

    @BeforeAll
    static void importEveryModule() throws IOException {
        repo = LocalInfra.get().repo();
        List<Path> classes = new ArrayList<>();
        try (Stream<Path> modules = Files.list(repo)) {
            modules.filter(m -> m.getFileName().toString().startsWith("data-rsync-"))
                    .map(m -> m.resolve("target/classes/com/datarsync"))
                    .filter(Files::isDirectory).forEach(classes::add);
        }
        assertThat(classes).as("compiled modules").hasSizeGreaterThanOrEqualTo(10);
        all = new ClassFileImporter().importPaths(classes);
    }

    @Test
    void noPackageDependsOnAPackageThatDependsBackOnIt() {
        slices().matching("com.datarsync.(**)").should().beFreeOfCycles().check(all);
    }

    @Test
    void commonHoldsNoKafkaClientAndNoSentinel() {
        noClasses().that().resideInAPackage("com.datarsync.common..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.springframework.kafka..",
                        "com.alibaba.csp..", "com.datarsync.stage..")
                .check(all);
    }

    @Test
    void authAndTheGatewayUseNoStageRuntime() {
        noClasses().that().resideInAnyPackage("com.datarsync.auth..", "com.datarsync.gateway..")
                .should().dependOnClassesThat().resideInAnyPackage("com.datarsync.stage..", "org.apache.kafka..")
                .check(all);
    }

    /** The packaged services: what auth and the gateway ship, not only what their classes name. */
    @Test
    void authAndTheGatewayJarsShipNeitherTheStageRuntimeNorKafkaClients() throws IOException {
        for (String service : List.of("auth", "gateway")) {
            Path jar = repo.resolve("data-rsync-" + service + "/target/data-rsync-" + service + ".jar");
            assertThat(jar).as(service + " jar (packaged before deploy's tests)").exists();
            List<String> libs = new ArrayList<>();
            try (JarFile file = new JarFile(jar.toFile())) {
                Collections.list(file.entries()).stream().map(e -> e.getName())
                        .filter(n -> n.startsWith("BOOT-INF/lib/")).forEach(libs::add);
            }
            assertThat(libs).as(service + " libraries").isNotEmpty()
                    .noneMatch(n -> n.startsWith("BOOT-INF/lib/data-rsync-stage-"))
                    .noneMatch(n -> n.startsWith("BOOT-INF/lib/kafka-clients-"))
                    .noneMatch(n -> n.startsWith("BOOT-INF/lib/spring-kafka-"));
            List<String> common = libs.stream().filter(n -> n.startsWith("BOOT-INF/lib/data-rsync-common-")).toList();
            assertThat(common).as(service + " ships common").hasSize(1);
        }
    }
}
