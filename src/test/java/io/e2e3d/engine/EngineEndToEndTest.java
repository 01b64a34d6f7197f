package io.e2e3d.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.e2e3d.engine.boofcv.BoofcvEngine;
import io.e2e3d.engine.synthetic.SyntheticRun;
import io.e2e3d.job.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EngineEndToEndTest {

    @Test
    @Timeout(300)
    void reconstructsRenderedOrbit(@TempDir Path dir) throws Exception {
        SyntheticRun run = new SyntheticRun(dir, 16, 15, 320, 240, 260, true);
        long t0 = System.nanoTime();
        run.run(new BoofcvEngine(), Stage.TEXTURING);
        double secs = (System.nanoTime() - t0) / 1e9;
        SyntheticRun.Report r = run.evaluate();
        System.out.println("16 views 15deg 320x240: " + r + String.format(" total %.1f s", secs));
        assertEquals(16, r.registered(), "registered views");
        assertTrue(r.sparseMedianRel() <= 0.005, "sparse median error " + r.sparseMedianRel());
        assertTrue(r.denseMedianRel() <= 0.005, "dense median error " + r.denseMedianRel());
        assertTrue(r.meshMedianRel() <= 0.01, "mesh median error " + r.meshMedianRel());
        assertTrue(r.meshFaces() > 1000, "mesh faces " + r.meshFaces());
        assertTrue(Files.size(dir.resolve("output/mesh.obj")) > 0);
        assertTrue(secs < 180, "took " + secs + " s");
    }
}
