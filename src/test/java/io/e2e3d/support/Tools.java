package io.e2e3d.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** External programs some tests need (promtool, prometheus, colmap): skipped without them, failed with CI=true. */
public final class Tools {

    private Tools() {
    }

    /** Skips the test (or fails it with CI=true) when {@code tool} is not on PATH; {@code debianPackage} installs it. */
    public static void require(String tool, String debianPackage) {
        boolean found = Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
        if (!found && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(tool + " is not installed; .ci/run installs it with apt (package " + debianPackage + ")");
        }
        Assumptions.assumeTrue(found, tool + " not on PATH: install Debian's " + debianPackage + " package to run this test");
    }
}
