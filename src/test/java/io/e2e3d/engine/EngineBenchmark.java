package io.e2e3d.engine;

import io.e2e3d.engine.boofcv.BoofcvEngine;
import io.e2e3d.engine.colmap.ColmapEngine;
import io.e2e3d.engine.synthetic.SyntheticRun;
import io.e2e3d.job.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark of the boofcv engine on rendered orbits (not a unit test). Usage:
 * {@code EngineBenchmark [workDir] [views:stepDeg:width:height:focal ...]}; default 24:15:640:480:520 and
 * 48:7.5:640:480:520. Prints wall time per stage, peak RSS, registered views, points, faces and accuracy, and
 * beside it COLMAP's own CLI sparse-only run on the same views (where colmap is installed) with the ratio.
 */
public final class EngineBenchmark {
    public static void main(String[] args) throws Exception {
        Path root = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("e2e3d-bench");
        String[] sets = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"24:15:640:480:520", "48:7.5:640:480:520"};
        for (String set : sets) {
            String[] p = set.split(":");
            int views = Integer.parseInt(p[0]);
            double step = Double.parseDouble(p[1]);
            int w = Integer.parseInt(p[2]), h = Integer.parseInt(p[3]);
            double f = Double.parseDouble(p[4]);
            Path dir = root.resolve(String.format(Locale.ROOT, "orbit-%d-%s-%dx%d", views, p[1], w, h));
            long r0 = System.nanoTime();
            SyntheticRun run = new SyntheticRun(dir, views, step, w, h, f, true);
            run.context.verbose = false;
            double render = (System.nanoTime() - r0) / 1e9;
            long t0 = System.nanoTime();
            String failure = null;
            try {
                run.run(new BoofcvEngine(), Stage.TEXTURING);
            } catch (ReconstructionFailedException e) {
                failure = e.getMessage();
            }
            double total = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%n=== %d views, %s deg apart, %dx%d, f=%.0f (render %.1f s)%n", views, p[1], w, h, f, render);
            for (Map.Entry<Stage, Long> e : run.stageMillis.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-22s %8.1f s%n", e.getKey().label(), e.getValue() / 1000.0);
            }
            System.out.printf(Locale.ROOT, "  %-22s %8.1f s%n", "total", total);
            System.out.printf(Locale.ROOT, "  peak RSS %.0f MB, max heap %.0f MB, %d cores%n", peakRssMb(),
                    Runtime.getRuntime().maxMemory() / 1e6, Runtime.getRuntime().availableProcessors());
            System.out.println("  details " + run.context.details);
            if (failure != null) {
                System.out.println("  FAILED: " + failure);
            } else {
                System.out.println("  " + run.evaluate());
            }
            double throughMeshing = run.stageMillis.entrySet().stream().filter(e -> e.getKey() != Stage.TEXTURING)
                    .mapToLong(Map.Entry::getValue).sum() / 1000.0;
            compareWithColmap(root, views, step, w, h, f, p[1], throughMeshing);
        }
    }

    /** COLMAP's own CLI (features, matching, mapper: sparse only) on the same rendered views, in the same run. */
    private static void compareWithColmap(Path root, int views, double step, int w, int h, double f, String stepText,
            double boofcvThroughMeshing) throws Exception {
        ColmapEngine colmap = new ColmapEngine();
        if (!colmap.available()) {
            System.out.println("  colmap: not installed, no comparison (apt-get install colmap)");
            return;
        }
        Path dir = root.resolve(String.format(Locale.ROOT, "colmap-%d-%s-%dx%d", views, stepText, w, h));
        SyntheticRun run = new SyntheticRun(dir, views, step, w, h, f, true);
        run.context.verbose = false;
        long t0 = System.nanoTime();
        String failure = null;
        try {
            run.run(colmap, Stage.SPARSE_RECONSTRUCTION);
        } catch (ReconstructionFailedException e) {
            failure = e.getMessage();
        }
        double sparseOnly = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "  colmap CLI sparse only (feature_extractor, matcher, mapper): %.1f s, registered %s%s%n",
                sparseOnly, run.context.details.get("views_registered"), failure == null ? "" : ", FAILED: " + failure);
        System.out.printf(Locale.ROOT, "  boofcv through meshing %.1f s vs colmap sparse only %.1f s: ratio %.2f (target < 1)%n",
                boofcvThroughMeshing, sparseOnly, boofcvThroughMeshing / sparseOnly);
    }

    /** VmHWM of this process (Linux), in MB; NaN elsewhere. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        } catch (Exception e) {
            // not Linux
        }
        return Double.NaN;
    }
}
