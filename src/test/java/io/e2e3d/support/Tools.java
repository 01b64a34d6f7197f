package io.e2e3d.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** External programs some tests need (promtool, colmap, chromium): skipped without them, failed with CI=true. */
public final class Tools {

    private Tools() {
    }

    /**
     * Where {@code tool} is on PATH; skips the test (or fails it with CI=true) when it is not there.
     * {@code debianPackage} installs it.
     */
    public static Path require(String tool, String debianPackage) {
        Path found = Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst().orElse(null);
        if (found == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(tool + " is not installed; .ci/run installs it with apt (package " + debianPackage + ")");
        }
        Assumptions.assumeTrue(found != null, tool + " not on PATH: install Debian's " + debianPackage + " package to run this test");
        return found;
    }
}
