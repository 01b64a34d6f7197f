package io.e2e3d.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.e2e3d.support.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus configuration, rules and rule unit tests, checked by the real promtool
 * (Debian package prometheus). Skipped with a message where promtool is missing; CI installs it, and
 * with CI=true a missing promtool fails.
 */
class PromtoolTest {

    private static final Path PROMETHEUS = Path.of("observability", "prometheus");

    @BeforeAll
    static void promtoolInstalled() {
        Tools.require("promtool", "prometheus");
    }

    @Test
    void configIsValid() throws Exception {
        assertPasses(PROMETHEUS, "promtool", "check", "config", "prometheus.yml");
    }

    @Test
    void rulesAreValid() throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool", "check", "rules"));
        command.addAll(files(PROMETHEUS.resolve("rules")));
        assertPasses(PROMETHEUS.resolve("rules"), command.toArray(String[]::new));
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool", "test", "rules"));
        files(PROMETHEUS.resolve("tests")).forEach(f -> command.add("tests/" + f));
        assertPasses(PROMETHEUS, command.toArray(String[]::new));
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
        }
    }

    private static void assertPasses(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
    }
}
