package io.e2e3d.engine.colmap;

import io.e2e3d.engine.PreparedImage;
import io.e2e3d.engine.ReconstructionEngine;
import io.e2e3d.engine.ReconstructionFailedException;
import io.e2e3d.engine.StageContext;
import io.e2e3d.engine.StageNotAvailableException;
import io.e2e3d.engine.boofcv.BoofcvEngine;
import io.e2e3d.engine.boofcv.SparseModel;
import io.e2e3d.job.Stage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reconstruction engine on the COLMAP command line (CPU only): feature extraction, matching and incremental mapping
 * run as external {@code colmap} processes in {@code <workspace>/colmap/}; the sparse model is converted to the BoofCV
 * engine's {@link SparseModel} and stored where that engine's later stages read it, and dense reconstruction, meshing
 * and texturing are delegated to a {@link BoofcvEngine} (Debian's COLMAP 3.8 has neither CUDA nor CGAL, so no
 * patch_match_stereo and no delaunay_mesher).
 *
 * <p>Workspace: {@code colmap/database.db}, {@code colmap/images/NNNN.png} (links to the prepared PNGs, numbered in
 * the order of {@code context.images()}), {@code colmap/sparse/<k>} (mapper models, binary) and
 * {@code colmap/sparse_txt/<k>} (the same as TXT). Every stage reads its inputs from there, so a job can resume.
 */
public class ColmapEngine implements ReconstructionEngine {

    /**
     * @param binary              the colmap executable (a name on PATH or a path)
     * @param timeout             longest run of one colmap command
     * @param cameraModel         SIMPLE_PINHOLE (default; the dense stages assume no distortion) or SIMPLE_RADIAL
     * @param exhaustiveMaxImages exhaustive matching up to this many images, sequential matching above
     * @param sequentialOverlap   neighbours each image is matched with by the sequential matcher
     * @param maxFeatures         SIFT features per image
     */
    public record Settings(String binary, Duration timeout, String cameraModel, int exhaustiveMaxImages,
                           int sequentialOverlap, int maxFeatures) {

        /** Defaults, overridable by system properties {@code e2e3d.colmap.*}. */
        public static Settings defaults() {
            return new Settings(System.getProperty("e2e3d.colmap.binary", "colmap"),
                    Duration.ofMinutes(Long.getLong("e2e3d.colmap.timeoutMinutes", 30)),
                    System.getProperty("e2e3d.colmap.cameraModel", "SIMPLE_PINHOLE"),
                    Integer.getInteger("e2e3d.colmap.exhaustiveMaxImages", 30),
                    Integer.getInteger("e2e3d.colmap.sequentialOverlap", 10),
                    Integer.getInteger("e2e3d.colmap.maxFeatures", 8192));
        }

        public Settings withBinary(String binary) {
            return new Settings(binary, timeout, cameraModel, exhaustiveMaxImages, sequentialOverlap, maxFeatures);
        }

        public Settings withTimeout(Duration timeout) {
            return new Settings(binary, timeout, cameraModel, exhaustiveMaxImages, sequentialOverlap, maxFeatures);
        }
    }

    private static final Pattern PROCESSED_FILE = Pattern.compile("Processed file \\[(\\d+)/(\\d+)\\]");
    private static final Pattern MATCHING_BLOCK = Pattern.compile("Matching block \\[(\\d+)/(\\d+), (\\d+)/(\\d+)\\]");
    private static final Pattern MATCHING_IMAGE = Pattern.compile("Matching image \\[(\\d+)/(\\d+)\\]");
    private static final Pattern REGISTERING = Pattern.compile("Registering image #(\\d+)");

    private final Settings settings;
    private final BoofcvEngine dense;
    private volatile Boolean available;

    /** The default settings ({@code colmap} on PATH, 30 min per command) and a default BoofcvEngine for the dense stages. */
    public ColmapEngine() {
        this(Settings.defaults());
    }

    /** Default settings with another binary. */
    public ColmapEngine(String binary) {
        this(Settings.defaults().withBinary(binary));
    }

    public ColmapEngine(Settings settings) {
        this(settings, new BoofcvEngine());
    }

    /** @param dense the engine the dense reconstruction, meshing and texturing stages are delegated to */
    public ColmapEngine(Settings settings, BoofcvEngine dense) {
        this.settings = settings;
        this.dense = dense;
    }

    @Override
    public String name() {
        return "colmap";
    }

    /** Whether {@code <binary> help} exits with 0; probed once and cached. */
    @Override
    public boolean available() {
        Boolean a = available;
        if (a == null) {
            a = probe();
            available = a;
        }
        return a;
    }

    private boolean probe() {
        try {
            Process p = new ProcessBuilder(settings.binary(), "help").redirectErrorStream(true).start();
            Thread drain = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    while (in.readLine() != null) {
                        // discard
                    }
                } catch (IOException e) {
                    // process gone
                }
            }, "colmap-probe");
            drain.setDaemon(true);
            drain.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                ColmapProcess.terminate(p);
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void run(Stage stage, StageContext context) throws Exception {
        switch (stage) {
            case FEATURE_EXTRACTION -> extract(context, dir(context));
            case FEATURE_MATCHING -> match(context, dir(context));
            case SPARSE_RECONSTRUCTION -> sparse(context, dir(context));
            case DENSE_RECONSTRUCTION, MESHING, TEXTURING -> dense.run(stage, context);
            default -> throw new StageNotAvailableException("the colmap engine does not implement stage " + stage.label());
        }
    }

    private static Path dir(StageContext ctx) throws IOException {
        Path dir = ctx.workspace().resolve("colmap");
        Files.createDirectories(dir);
        Files.createDirectories(ctx.outputDir());
        return dir;
    }

    /** The name of view {@code i} in {@code colmap/images}; zero-padded, so COLMAP's name order is the upload order. */
    static String imageName(int i) {
        return String.format(Locale.ROOT, "%05d.png", i);
    }

    /** The view index of an image name written by {@link #imageName}, or -1. */
    static int viewOf(String name) {
        if (!name.matches("\\d{5}\\.png")) return -1;
        return Integer.parseInt(name.substring(0, 5));
    }

    // ================================================================== feature extraction

    private void extract(StageContext ctx, Path dir) throws Exception {
        List<PreparedImage> images = ctx.images();
        if (images.size() < 2) throw new ReconstructionFailedException("need at least 2 photos, got " + images.size());
        // start over: a re-run must not mix old and new images in the database
        deleteRecursively(dir.resolve("images"));
        Files.deleteIfExists(dir.resolve("database.db"));
        Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < images.size(); i++) {
            Path link = dir.resolve("images").resolve(imageName(i));
            Path target = images.get(i).file().toAbsolutePath();
            try {
                Files.createSymbolicLink(link, target);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(target, link);
            }
        }
        boolean sameSize = images.stream().map(im -> im.width() + "x" + im.height()).distinct().count() == 1;
        List<String> cmd = new ArrayList<>(List.of(settings.binary(), "feature_extractor",
                "--database_path", dir.resolve("database.db").toString(),
                "--image_path", dir.resolve("images").toString(),
                "--ImageReader.camera_model", settings.cameraModel(),
                "--ImageReader.single_camera", sameSize ? "1" : "0",
                "--SiftExtraction.use_gpu", "0",
                "--SiftExtraction.max_num_features", Integer.toString(settings.maxFeatures())));
        Double focal = focalPrior(images);
        if (focal != null) {
            PreparedImage im = images.get(0);
            if (sameSize) {
                // the EXIF focal as a prior (COLMAP then trusts it as an initial value); principal point at the centre
                String params = String.format(Locale.ROOT, "%.3f,%.3f,%.3f", focal, im.width() / 2.0, im.height() / 2.0);
                if (settings.cameraModel().equals("SIMPLE_RADIAL")) params += ",0";
                cmd.addAll(List.of("--ImageReader.camera_params", params));
            } else {
                cmd.addAll(List.of("--ImageReader.default_focal_length_factor", String.format(Locale.ROOT, "%.4f",
                        focal / Math.max(im.width(), im.height()))));
            }
        }
        int[] processed = {0};
        ColmapProcess.run(cmd, dir, ctx, settings.timeout(), line -> {
            Matcher m = PROCESSED_FILE.matcher(line);
            if (m.find()) {
                processed[0] = Integer.parseInt(m.group(1));
                ctx.progress(Math.min(1.0, processed[0] / (double) Integer.parseInt(m.group(2))));
            }
        });
        ctx.detail("images_extracted", processed[0]);
        if (focal != null) ctx.detail("focal_prior_px", round(focal, 1));
        ctx.progress(1.0);
    }

    /** The median EXIF focal length in pixels, or null when no image has one. */
    static Double focalPrior(List<PreparedImage> images) {
        double[] f = images.stream().filter(im -> im.focalPx() != null && im.focalPx() > 0)
                .mapToDouble(PreparedImage::focalPx).sorted().toArray();
        return f.length == 0 ? null : f[f.length / 2];
    }

    // ================================================================== matching

    private void match(StageContext ctx, Path dir) throws Exception {
        int n = ctx.images().size();
        requireFile(dir.resolve("database.db"), "feature_extraction");
        List<String> cmd = new ArrayList<>();
        cmd.add(settings.binary());
        boolean exhaustive = n <= settings.exhaustiveMaxImages();
        if (exhaustive) {
            cmd.add("exhaustive_matcher");
        } else {
            cmd.addAll(List.of("sequential_matcher", "--SequentialMatching.overlap",
                    Integer.toString(settings.sequentialOverlap()), "--SequentialMatching.loop_detection", "0"));
        }
        cmd.addAll(List.of("--database_path", dir.resolve("database.db").toString(), "--SiftMatching.use_gpu", "0"));
        ColmapProcess.run(cmd, dir, ctx, settings.timeout(), line -> {
            Matcher m = MATCHING_BLOCK.matcher(line);
            if (m.find()) {
                int i = Integer.parseInt(m.group(1)), ni = Integer.parseInt(m.group(2));
                int j = Integer.parseInt(m.group(3)), nj = Integer.parseInt(m.group(4));
                ctx.progress(Math.min(1.0, ((i - 1) * nj + j) / (double) (ni * nj)));
                return;
            }
            m = MATCHING_IMAGE.matcher(line);
            if (m.find()) ctx.progress(Math.min(1.0, Integer.parseInt(m.group(1)) / (double) Integer.parseInt(m.group(2))));
        });
        ctx.detail("matcher", exhaustive ? "exhaustive" : "sequential");
        ctx.detail("pairs_tried", exhaustive ? n * (n - 1) / 2
                : (long) Math.min(n - 1, settings.sequentialOverlap()) * n);
        ctx.progress(1.0);
    }

    // ================================================================== sparse reconstruction

    private void sparse(StageContext ctx, Path dir) throws Exception {
        List<PreparedImage> images = ctx.images();
        int n = images.size();
        requireFile(dir.resolve("database.db"), "feature_matching");
        Path sparse = dir.resolve("sparse"), txt = dir.resolve("sparse_txt");
        deleteRecursively(sparse);
        deleteRecursively(txt);
        Files.createDirectories(sparse);
        boolean[] seen = new boolean[n + 1];
        int[] registering = {0};
        ColmapException mapperFailure = null;
        try {
            ColmapProcess.run(List.of(settings.binary(), "mapper",
                    "--database_path", dir.resolve("database.db").toString(),
                    "--image_path", dir.resolve("images").toString(),
                    "--output_path", sparse.toString()), dir, ctx, settings.timeout(), line -> {
                        Matcher m = REGISTERING.matcher(line);
                        if (m.find()) {
                            int id = Integer.parseInt(m.group(1));
                            if (id >= 0 && id < seen.length && !seen[id]) {
                                seen[id] = true;
                                registering[0]++;
                                ctx.progress(Math.min(0.9, 0.9 * registering[0] / n));
                            }
                        }
                    });
        } catch (ColmapException e) {
            mapperFailure = e;
        }
        // every model as TXT; keep the one with the most registered images
        List<Path> models;
        try (Stream<Path> s = Files.list(sparse)) {
            models = s.filter(Files::isDirectory).sorted(Comparator.comparing(Path::toString)).toList();
        }
        if (mapperFailure != null && (!models.isEmpty() || mapperFailure.getMessage().contains("timed out"))) {
            throw mapperFailure;
        }
        if (models.isEmpty()) {
            // COLMAP 3.8's mapper exits with 1 when it finds no initial pair: the photos' fault, not a crash
            if (mapperFailure != null) ctx.log(mapperFailure.getMessage());
            failRegistered(ctx, 0, n);
            return;
        }
        Path best = null;
        int bestCount = -1;
        for (Path model : models) {
            Path out = txt.resolve(model.getFileName().toString());
            Files.createDirectories(out);
            ColmapProcess.run(List.of(settings.binary(), "model_converter", "--input_path", model.toString(),
                    "--output_path", out.toString(), "--output_type", "TXT"), dir, ctx, settings.timeout(), line -> { });
            int count = ColmapTextModel.registeredImages(out);
            ctx.log("colmap model " + model.getFileName() + ": " + count + " registered images");
            if (count > bestCount) {
                best = out;
                bestCount = count;
            }
        }
        ctx.progress(0.92);
        ColmapTextModel colmap = ColmapTextModel.read(best);
        int[] w = images.stream().mapToInt(PreparedImage::width).toArray();
        int[] h = images.stream().mapToInt(PreparedImage::height).toArray();
        SparseModel model = colmap.toSparseModel(n, w, h, ColmapEngine::viewOf);
        double[] errors = colmap.reprojectionErrors(model, ColmapEngine::viewOf);
        Arrays.sort(errors);
        int registered = model.registeredCount();
        ctx.detail("views_total", n);
        ctx.detail("views_registered", registered);
        ctx.detail("sparse_points", model.pointCount());
        ctx.detail("reprojection_error_px_median", errors.length == 0 ? Double.NaN
                : round(errors[errors.length / 2], 3));
        ctx.detail("reprojection_error_px_mean", round(Arrays.stream(errors).average().orElse(Double.NaN), 3));
        ctx.detail("models", models.size());
        double[] focals = colmap.cameras.values().stream().mapToDouble(ColmapTextModel.Camera::focal).toArray();
        if (focals.length == 1) ctx.detail("focal_px", round(focals[0], 1));
        for (ColmapTextModel.Camera c : colmap.cameras.values()) {
            if (Math.abs(c.k1()) > 0.05) {
                ctx.warn(String.format(Locale.ROOT, "camera %d has radial distortion k1=%.3f, which the dense stages "
                        + "ignore", c.id(), c.k1()));
            }
        }
        BoofcvEngine.requireRegistered(registered, n);
        if (registered < n) {
            List<String> missing = new ArrayList<>();
            for (int v = 0; v < n; v++) if (!model.registered[v]) missing.add(images.get(v).key());
            ctx.warn((n - registered) + " of " + n + " photos could not be placed and were left out: " + missing);
        }
        BoofcvEngine.publishSparse(ctx, model, name());
        ctx.progress(1.0);
        ctx.log(String.format(Locale.ROOT, "sparse (colmap): %d/%d views, %d points, median reprojection %.3f px",
                registered, n, model.pointCount(), errors.length == 0 ? Double.NaN : errors[errors.length / 2]));
    }

    private void failRegistered(StageContext ctx, int registered, int n) {
        ctx.detail("views_total", n);
        ctx.detail("views_registered", registered);
        BoofcvEngine.requireRegistered(registered, n);
    }

    private static void requireFile(Path file, String stage) {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: stage " + stage + " has not run in this workspace");
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** Rounding for details, as BoofcvEngine reports them. */
    private static double round(double v, int digits) {
        double s = Math.pow(10, digits);
        return Math.round(v * s) / s;
    }
}
