package io.e2e3d.engine.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.e2e3d.engine.PreparedImage;
import io.e2e3d.engine.ReconstructionEngine;
import io.e2e3d.engine.TestStageContext;
import io.e2e3d.job.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders an orbit, runs an engine over it stage by stage and measures the result against the ground truth. */
public final class SyntheticRun {
    public final List<SyntheticScene.Camera> cameras;
    public final TestStageContext context;
    public final Map<Stage, Long> stageMillis = new LinkedHashMap<>();
    public final Path output;

    public SyntheticRun(Path root, int views, double stepDeg, int width, int height, double f, boolean withFocalPrior)
            throws IOException {
        this(root, views, stepDeg, width, height, f, withFocalPrior ? Double.valueOf(f) : null);
    }

    /** @param focalPrior the focal length the prepared images claim (as from EXIF), or null for none */
    public SyntheticRun(Path root, int views, double stepDeg, int width, int height, double f, Double focalPrior)
            throws IOException {
        this(root, views, stepDeg, width, height, f, focalPrior, 0);
    }

    /** @param shuffleSeed when not 0, the photos are "uploaded" in a random order */
    public SyntheticRun(Path root, int views, double stepDeg, int width, int height, double f, Double focalPrior,
                        long shuffleSeed) throws IOException {
        this(root, shuffled(SyntheticScene.orbit(views, stepDeg, 4.2, 2.6, width, height, f), shuffleSeed), focalPrior);
    }

    private static List<SyntheticScene.Camera> shuffled(List<SyntheticScene.Camera> cams, long seed) {
        if (seed == 0) return cams;
        List<SyntheticScene.Camera> out = new ArrayList<>(cams);
        java.util.Collections.shuffle(out, new java.util.Random(seed));
        return out;
    }

    /** Any camera path; all cameras must share one image size. */
    public SyntheticRun(Path root, List<SyntheticScene.Camera> cams, Double focalPrior) throws IOException {
        cameras = cams;
        int width = cams.get(0).width(), height = cams.get(0).height();
        List<Path> files = new SyntheticScene(42).renderAll(cameras, root.resolve("images"));
        List<PreparedImage> images = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            images.add(new PreparedImage("photos/" + files.get(i).getFileName(), files.get(i), width, height,
                    focalPrior));
        }
        output = root.resolve("output");
        Path ws = root.resolve("workspace");
        Files.createDirectories(ws);
        Files.createDirectories(output);
        context = new TestStageContext("synthetic-" + cams.size(), ws, output, images);
    }

    /** Runs the stages from FEATURE_EXTRACTION up to and including {@code last}. */
    public void run(ReconstructionEngine engine, Stage last) throws Exception {
        run(() -> engine, last);
    }

    /** As {@link #run(ReconstructionEngine, Stage)}, with a new engine per stage (as after a restart). */
    public void run(java.util.function.Supplier<ReconstructionEngine> engines, Stage last) throws Exception {
        for (Stage s : Stage.values()) {
            if (s == Stage.PREPROCESSING) continue;
            long t0 = System.nanoTime();
            engines.get().run(s, context);
            stageMillis.put(s, (System.nanoTime() - t0) / 1_000_000);
            System.out.printf(Locale.ROOT, "stage %-22s %8.1f s%n", s.label(), stageMillis.get(s) / 1000.0);
            if (s == last) break;
        }
    }

    /** Accuracy figures; lengths are relative to the objects' bounding-box diagonal. */
    public record Report(int registered, double centreRmsRel, int sparsePoints, double sparseMedianRel,
                         int densePoints, double denseMedianRel, double denseP90Rel, double completenessObjects,
                         double completenessGround, int meshFaces, double meshMedianRel, double meshP90Rel) {

        /** The accuracy every engine must reach on a small rendered orbit with all {@code views} registered. */
        public void assertAccurate(int views) {
            assertEquals(views, registered, "registered views");
            assertTrue(centreRmsRel <= 0.01, "camera centre error " + centreRmsRel);
            assertTrue(sparseMedianRel <= 0.005, "sparse median error " + sparseMedianRel);
            assertTrue(densePoints > 100_000, "dense points " + densePoints);
            assertTrue(denseMedianRel <= 0.0075, "dense median error " + denseMedianRel);
            assertTrue(meshFaces > 10_000, "mesh faces " + meshFaces);
            assertTrue(meshMedianRel <= 0.0075, "mesh median error " + meshMedianRel);
            assertTrue(meshP90Rel <= 0.02, "mesh p90 error " + meshP90Rel);
        }
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "registered=%d centreRMS=%.3f%% sparse=%d (median %.3f%%) dense=%d (median %.3f%%, p90 %.3f%%, "
                            + "completeness objects %.1f%% ground %.1f%%) meshFaces=%d (median %.3f%%, p90 %.3f%%)",
                    registered, 100 * centreRmsRel, sparsePoints, 100 * sparseMedianRel, densePoints, 100 * denseMedianRel,
                    100 * denseP90Rel, 100 * completenessObjects, 100 * completenessGround, meshFaces, 100 * meshMedianRel,
                    100 * meshP90Rel);
        }
    }

    public Report evaluate() throws IOException {
        double diag = SyntheticScene.objectDiagonal();
        Map<Integer, double[]> est = Accuracy.centres(output.resolve("cameras.json"));
        Similarity s = Accuracy.align(Accuracy.cameras(output.resolve("cameras.json")), cameras);
        double rms = Accuracy.centreRms(est, cameras, s) / diag;
        PlyReader sparse = PlyReader.read(output.resolve("sparse.ply"));
        double[] ds = Accuracy.distances(sparse.xyz, s, 200_000);
        int nd = 0;
        double dMed = Double.NaN, dP90 = Double.NaN, cObj = Double.NaN, cGround = Double.NaN;
        if (Files.exists(output.resolve("dense.ply"))) {
            PlyReader dense = PlyReader.read(output.resolve("dense.ply"));
            nd = dense.vertexCount();
            double[] dd = Accuracy.distances(dense.xyz, s, 300_000);
            dMed = Accuracy.quantile(dd, 0.5) / diag;
            dP90 = Accuracy.quantile(dd, 0.9) / diag;
            List<double[]> obj = SyntheticScene.sampleSurface(4000, 0, 2.5, 7);
            List<double[]> ground = SyntheticScene.sampleSurface(0, 4000, 2.5, 8);
            cObj = Accuracy.completeness(obj, dense.xyz, s, 0.01 * diag);
            cGround = Accuracy.completeness(ground, dense.xyz, s, 0.01 * diag);
        }
        int faces = 0;
        double mMed = Double.NaN, mP90 = Double.NaN;
        if (Files.exists(output.resolve("mesh.ply"))) {
            PlyReader mesh = PlyReader.read(output.resolve("mesh.ply"));
            faces = mesh.faceCount();
            // face centroids
            float[] c = new float[3 * faces];
            for (int f = 0; f < faces; f++) {
                for (int a = 0; a < 3; a++) {
                    c[3 * f + a] = (mesh.xyz[3 * mesh.faces[3 * f] + a] + mesh.xyz[3 * mesh.faces[3 * f + 1] + a]
                            + mesh.xyz[3 * mesh.faces[3 * f + 2] + a]) / 3f;
                }
            }
            double[] dm = Accuracy.distances(c, s, 300_000);
            mMed = Accuracy.quantile(dm, 0.5) / diag;
            mP90 = Accuracy.quantile(dm, 0.9) / diag;
        }
        return new Report(est.size(), rms, sparse.vertexCount(), Accuracy.quantile(ds, 0.5) / diag, nd, dMed, dP90,
                cObj, cGround, faces, mMed, mP90);
    }
}
