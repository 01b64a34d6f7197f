package io.e2e3d.engine.colmap;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/** Skips a test where colmap is not installed; with CI=true a missing colmap fails instead. */
final class ColmapTestSupport {
    private ColmapTestSupport() {
    }

    static void requireColmap() {
        if (new ColmapEngine().available()) return;
        String msg = "the colmap binary ('" + ColmapEngine.Settings.defaults().binary()
                + "') is not on PATH or 'colmap help' fails; install it (apt-get install colmap) to run this test";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(msg + " (CI=true: a missing colmap is an error)");
        Assumptions.assumeTrue(false, msg + "; skipped");
    }

    /** Whether a colmap process started by this JVM is still alive. */
    static boolean colmapChildAlive() {
        return ProcessHandle.current().descendants().anyMatch(p -> p.isAlive()
                && p.info().command().orElse("").contains("colmap"));
    }
}
