package io.e2e3d.engine.colmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.e2e3d.engine.JobCanceledException;
import io.e2e3d.engine.ReconstructionFailedException;
import io.e2e3d.engine.StageNotAvailableException;
import io.e2e3d.engine.synthetic.PlyReader;
import io.e2e3d.engine.synthetic.SyntheticRun;
import io.e2e3d.engine.TestStageContext;
import io.e2e3d.job.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ColmapEngineTest {

    @Test
    @Timeout(1800) // a guard against a hang, not a speed target
    void reconstructsARenderedOrbit(@TempDir Path dir) throws Exception {
        ColmapTestSupport.requireColmap();
        SyntheticRun run = new SyntheticRun(dir, 16, 15, 320, 240, 260, true);
        run.context.verbose = false;
        long t0 = System.nanoTime();
        // a fresh engine for every stage: all state between stages lives in the workspace
        run.run(ColmapEngine::new, Stage.TEXTURING);
        double secs = (System.nanoTime() - t0) / 1e9;
        SyntheticRun.Report r = run.evaluate();
        System.out.println("colmap 16 views 15deg 320x240: " + r + String.format(" total %.1f s", secs)
                + " stages " + run.stageMillis + " details " + run.context.details);
        r.assertAccurate(16);
        PlyReader mesh = PlyReader.read(dir.resolve("output/mesh.ply"));
        assertEquals(r.meshFaces(), mesh.faceCount());
        String cameras = Files.readString(dir.resolve("output/cameras.json"));
        assertTrue(cameras.contains("\"engine\": \"colmap\""), cameras.substring(0, 200));
        assertTrue(cameras.contains("\"registered\": true"));
        assertEquals(16, run.context.details.get("views_registered"));
        assertEquals(16, run.context.details.get("views_total"));
        double reproj = ((Number) run.context.details.get("reprojection_error_px_median")).doubleValue();
        assertTrue(reproj < 1.0, "median reprojection error through the converted model " + reproj);
        assertEquals(1.0, run.context.lastProgress);
        assertFalse(ColmapTestSupport.colmapChildAlive());
    }

    @Test
    @Timeout(900)
    void tooFewRegisteredViewsFailWithAnActionableMessage(@TempDir Path dir) throws Exception {
        ColmapTestSupport.requireColmap();
        SyntheticRun run = new SyntheticRun(dir, 6, 60, 320, 240, 260, true);
        run.context.verbose = false;
        ColmapEngine engine = new ColmapEngine();
        engine.run(Stage.FEATURE_EXTRACTION, run.context);
        engine.run(Stage.FEATURE_MATCHING, run.context);
        ReconstructionFailedException e = assertThrows(ReconstructionFailedException.class,
                () -> engine.run(Stage.SPARSE_RECONSTRUCTION, run.context));
        System.out.println("colmap 6 views 60deg: " + e.getMessage() + " details " + run.context.details);
        assertTrue(e.getMessage().matches("registered \\d of 6 views: take photos with more overlap.*"), e.getMessage());
        assertTrue(e.getMessage().contains("10\u00b0 apart"));
        assertEquals(6, run.context.details.get("views_total"));
    }

    @Test
    @Timeout(900)
    void cancelDuringMatchingStopsTheProcess(@TempDir Path dir) throws Exception {
        ColmapTestSupport.requireColmap();
        SyntheticRun run = new SyntheticRun(dir, 12, 15, 320, 240, 260, true);
        run.context.verbose = false;
        ColmapEngine engine = new ColmapEngine();
        engine.run(Stage.FEATURE_EXTRACTION, run.context);
        // cancel as soon as the matcher says anything: its process is running then
        TestStageContext ctx = new TestStageContext(run.context.jobId(), run.context.workspace(),
                run.context.outputDir(), run.context.images()) {
            @Override
            public void log(String message) {
                super.log(message);
                if (message.startsWith("colmap exhaustive_matcher:")) cancel = true;
            }
        };
        ctx.verbose = false;
        assertThrows(JobCanceledException.class, () -> engine.run(Stage.FEATURE_MATCHING, ctx));
        assertTrue(ctx.logs.stream().anyMatch(l -> l.startsWith("colmap exhaustive_matcher:")));
        assertFalse(ColmapTestSupport.colmapChildAlive(), "colmap process still running after cancel");
    }

    @Test
    void aFailingBinaryGivesAClearError(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("fake-colmap");
        Files.writeString(script, "#!/bin/sh\necho \"E: something is broken in $1\" >&2\nexit 1\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ColmapEngine engine = new ColmapEngine(script.toString());
        assertFalse(engine.available());
        TestStageContext ctx = context(dir);
        ColmapException e = assertThrows(ColmapException.class, () -> engine.run(Stage.FEATURE_EXTRACTION, ctx));
        assertTrue(e.getMessage().startsWith("colmap feature_extractor failed with exit code 1"), e.getMessage());
        assertTrue(e.getMessage().contains("E: something is broken in feature_extractor"), e.getMessage());
        assertTrue(ctx.logs.stream().anyMatch(l -> l.contains("something is broken")), "output reaches the job log");
    }

    @Test
    void aMissingBinaryIsUnavailableAndGivesAClearError(@TempDir Path dir) throws Exception {
        ColmapEngine engine = new ColmapEngine(dir.resolve("no-such-colmap").toString());
        assertFalse(engine.available());
        ColmapException e = assertThrows(ColmapException.class,
                () -> engine.run(Stage.FEATURE_EXTRACTION, context(dir)));
        assertTrue(e.getMessage().startsWith("cannot start the colmap binary"), e.getMessage());
    }

    @Test
    @Timeout(600) // a guard against a hang
    void aHangingRunIsStoppedAtItsTimeout(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("slow-colmap");
        Files.writeString(script, "#!/bin/sh\necho started\nsleep 300\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ColmapEngine engine = new ColmapEngine(ColmapEngine.Settings.defaults().withBinary(script.toString())
                .withTimeout(Duration.ofSeconds(1)));
        ColmapException e = assertThrows(ColmapException.class,
                () -> engine.run(Stage.FEATURE_EXTRACTION, context(dir)));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.isAlive()
                && p.info().commandLine().orElse("").contains("sleep 300")), "the script's child is gone too");
    }

    @Test
    void nameAndUnimplementedStage() {
        ColmapEngine engine = new ColmapEngine();
        assertEquals("colmap", engine.name());
        assertThrows(StageNotAvailableException.class, () -> engine.run(Stage.PREPROCESSING, null));
    }

    private static TestStageContext context(Path dir) throws Exception {
        Path img = dir.resolve("a.png");
        Files.write(img, new byte[] {1});
        Path ws = Files.createDirectories(dir.resolve("ws"));
        TestStageContext ctx = new TestStageContext("fake", ws, dir.resolve("out"),
                List.of(new io.e2e3d.engine.PreparedImage("a.png", img, 4, 4, null),
                        new io.e2e3d.engine.PreparedImage("b.png", img, 4, 4, null)));
        ctx.verbose = false;
        return ctx;
    }
}
