package io.e2e3d.support;

import io.e2e3d.Application;
import java.nio.file.Path;

/** The service as its own JVM (as `java -jar` runs it), for tests that kill it, restart it or read its output. */
public final class ServiceProcess {

    private ServiceProcess() {
    }

    /**
     * A process builder for the service in {@code workDir}, output in {@code workDir/log}, with none of this JVM's
     * E2E3D_*, OTEL_* or ENABLE_METRICS variables: the caller adds the ones the test needs.
     */
    public static ProcessBuilder builder(Path workDir, String log) {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Application.class.getName())
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(workDir.resolve(log).toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("E2E3D_") || k.startsWith("OTEL_") || k.equals("ENABLE_METRICS"));
        return builder;
    }
}
