package io.e2e3d.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.e2e3d.engine.boofcv.BoofcvEngine;
import io.e2e3d.engine.synthetic.PlyReader;
import io.e2e3d.engine.synthetic.SyntheticRun;
import io.e2e3d.engine.synthetic.SyntheticScene;
import io.e2e3d.job.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EngineEndToEndTest {

    @Test
    @Timeout(900) // a guard against a hang, not a speed target: speed is measured by EngineBenchmark
    void reconstructsARenderedOrbit(@TempDir Path dir) throws Exception {
        SyntheticRun run = new SyntheticRun(dir, 16, 15, 320, 240, 260, true);
        long t0 = System.nanoTime();
        // a fresh engine for every stage: all state between stages lives in the workspace
        run.run(BoofcvEngine::new, Stage.TEXTURING);
        double secs = (System.nanoTime() - t0) / 1e9;
        SyntheticRun.Report r = run.evaluate();
        System.out.println("16 views 15deg 320x240: " + r + String.format(" total %.1f s", secs));
        r.assertAccurate(16);
        PlyReader mesh = PlyReader.read(dir.resolve("output/mesh.ply"));
        assertEquals(r.meshFaces(), mesh.faceCount());
        assertTrue(Files.readString(dir.resolve("output/mesh.obj")).startsWith("# E2E3D"));
        assertTrue(Files.readString(dir.resolve("output/cameras.json")).contains("\"registered\": true"));
        assertEquals(16, run.context.details.get("views_registered"));
        assertEquals(1.0, run.context.lastProgress);
    }

    @Test
    @Timeout(900) // a guard against a hang, not a speed target: speed is measured by EngineBenchmark
    void sixViewsSixtyDegreesApartFailWithAnActionableMessage(@TempDir Path dir) throws Exception {
        SyntheticRun run = new SyntheticRun(dir, 6, 60, 320, 240, 260, true);
        BoofcvEngine engine = new BoofcvEngine();
        engine.run(Stage.FEATURE_EXTRACTION, run.context);
        engine.run(Stage.FEATURE_MATCHING, run.context);
        ReconstructionFailedException e = assertThrows(ReconstructionFailedException.class,
                () -> engine.run(Stage.SPARSE_RECONSTRUCTION, run.context));
        System.out.println("6 views 60deg: " + e.getMessage());
        assertTrue(e.getMessage().matches("registered \\d of 6 views: take photos with more overlap.*"), e.getMessage());
        assertTrue(e.getMessage().contains("10\u00b0 apart"));
    }

    @Test
    @Timeout(900) // a guard against a hang, not a speed target: speed is measured by EngineBenchmark
    void estimatesTheFocalLengthWithoutExif(@TempDir Path dir) throws Exception {
        SyntheticRun run = new SyntheticRun(dir, 12, 15, 320, 240, 260, (Double) null);
        run.run(new BoofcvEngine(), Stage.SPARSE_RECONSTRUCTION);
        assertEquals(12, run.context.details.get("views_registered"));
        double f = ((Number) run.context.details.get("focal_px")).doubleValue();
        assertEquals(260, f, 8, "focal");
        SyntheticRun.Report r = run.evaluate();
        System.out.println("12 views without EXIF: focal " + f + ", " + r);
        assertTrue(r.sparseMedianRel() <= 0.005, "sparse median error " + r.sparseMedianRel());
    }

    @Test
    @Timeout(900) // a guard against a hang, not a speed target: speed is measured by EngineBenchmark
    void aWrongExifFocalLengthFailsTheGuardRail(@TempDir Path dir) throws Exception {
        SyntheticRun run = new SyntheticRun(dir, 12, 15, 320, 240, 260, 380.0);
        BoofcvEngine engine = new BoofcvEngine();
        engine.run(Stage.FEATURE_EXTRACTION, run.context);
        engine.run(Stage.FEATURE_MATCHING, run.context);
        ReconstructionFailedException e = assertThrows(ReconstructionFailedException.class,
                () -> engine.run(Stage.SPARSE_RECONSTRUCTION, run.context));
        System.out.println("wrong EXIF: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("estimated focal length"), e.getMessage());
        assertTrue(e.getMessage().contains("EXIF focal length 380 px"), e.getMessage());
    }

    @Test
    @Timeout(900) // a guard against a hang, not a speed target: speed is measured by EngineBenchmark
    void shuffledUploadOrderFallsBackToMatchingAllPairs(@TempDir Path dir) throws Exception {
        SyntheticRun run = new SyntheticRun(dir, 12, 30, 320, 240, 260, 260.0, 7);
        run.run(new BoofcvEngine(), Stage.SPARSE_RECONSTRUCTION);
        assertEquals(12, run.context.details.get("views_registered"));
        assertEquals(66, run.context.details.get("pairs_tried"));
        assertTrue(run.context.warnings.stream().anyMatch(w -> w.contains("does not look like a sequence")));
        SyntheticRun.Report r = run.evaluate();
        System.out.println("12 views shuffled: " + r);
        assertTrue(r.sparseMedianRel() <= 0.005, "sparse median error " + r.sparseMedianRel());
    }

    @Test
    @Timeout(900) // a guard against a hang, not a speed target
    void reconstructsASidewaysCaptureWithParallelViews(@TempDir Path dir) throws Exception {
        SyntheticRun run = new SyntheticRun(dir, SyntheticScene.sideways(12, 3.0, 4.2, 2.6, 320, 240, 260), 260.0);
        run.run(BoofcvEngine::new, Stage.DENSE_RECONSTRUCTION);
        SyntheticRun.Report r = run.evaluate();
        System.out.println("12 views sideways: " + r);
        assertEquals(12, r.registered());
        assertTrue(r.sparseMedianRel() <= 0.0075, "sparse median error " + r.sparseMedianRel());
        assertTrue(r.densePoints() > 50_000, "dense points " + r.densePoints());
        assertTrue(r.denseMedianRel() <= 0.01, "dense median error " + r.denseMedianRel());
    }

    @Test
    void cancellationStopsAStage(@TempDir Path dir) throws Exception {
        SyntheticRun run = new SyntheticRun(dir, 3, 15, 160, 120, 130, true);
        run.context.cancel = true;
        assertThrows(JobCanceledException.class, () -> new BoofcvEngine().run(Stage.FEATURE_EXTRACTION, run.context));
    }

    @Test
    void unknownStageIsNotAvailable() {
        BoofcvEngine engine = new BoofcvEngine();
        assertEquals("boofcv", engine.name());
        assertTrue(engine.available());
        assertThrows(StageNotAvailableException.class, () -> engine.run(Stage.PREPROCESSING, null));
    }
}
