package io.e2e3d.engine.boofcv;

import boofcv.abst.feature.describe.ConfigSurfDescribe;
import boofcv.abst.feature.detdesc.ConfigCompleteSift;
import boofcv.abst.feature.detdesc.DetectDescribePoint;
import boofcv.abst.feature.detect.interest.ConfigFastHessian;
import boofcv.abst.feature.orientation.ConfigSlidingIntegral;
import boofcv.factory.feature.detdesc.FactoryDetectDescribe;
import boofcv.io.image.ConvertBufferedImage;
import boofcv.struct.feature.TupleDesc_F64;
import boofcv.struct.image.GrayF32;
import georegression.struct.point.Point2D_F64;
import io.e2e3d.engine.PreparedImage;
import io.e2e3d.engine.ReconstructionEngine;
import io.e2e3d.engine.ReconstructionFailedException;
import io.e2e3d.engine.StageContext;
import io.e2e3d.engine.StageNotAvailableException;
import io.e2e3d.engine.geometry.Mesh;
import io.e2e3d.engine.geometry.PinholeView;
import io.e2e3d.engine.geometry.PlyWriter;
import io.e2e3d.engine.geometry.TsdfVolume;
import io.e2e3d.job.Stage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pure-Java reconstruction engine on BoofCV building blocks: SURF features, sequential matching with loop
 * closure verified by RANSAC, incremental SfM with bundle adjustment, plane-sweep multi-view stereo, TSDF
 * fusion with iso-surface extraction, and vertex colours sampled from the photos.
 *
 * <p>Every stage reads its inputs from and writes its results to {@code workspace()/boofcv}; nothing is kept in
 * memory between stages, so a job can resume at any stage.
 */
public class BoofcvEngine implements ReconstructionEngine {

    /** Fraction of the views that must register for the result to be published. */
    static final double MIN_REGISTERED_FRACTION = 0.8;
    /** Largest allowed relative difference between the estimated focal length and the EXIF prior. */
    static final double MAX_FOCAL_DEVIATION = 0.25;
    private final Settings settings;

    /**
     * Tunables; the defaults suit phone photos downscaled by preprocessing. {@code threads} bounds the worker
     * threads of a stage (0 = one per core); a service running several jobs at once gives each a share.
     */
    public record Settings(String detector, int maxFeatures, int upsampleBelow, int sequenceNeighbours,
                           int denseMaxSide, int denseNeighbours, int tsdfResolution, int maxDensePoints, int threads) {

        /** Denser depth maps and a finer fusion grid for higher quality jobs. */
        Settings forQuality(io.e2e3d.job.Quality quality) {
            if (quality == null || quality == io.e2e3d.job.Quality.LOW) return this;
            double s = quality == io.e2e3d.job.Quality.MEDIUM ? 1.5 : 2.0;
            return new Settings(detector, maxFeatures, upsampleBelow, sequenceNeighbours, (int) (denseMaxSide * s),
                    denseNeighbours, (int) (tsdfResolution * Math.sqrt(s)), maxDensePoints, threads);
        }

        public Settings withThreads(int threads) {
            return new Settings(detector, maxFeatures, upsampleBelow, sequenceNeighbours, denseMaxSide, denseNeighbours,
                    tsdfResolution, maxDensePoints, threads);
        }

        public static Settings defaults() {
            return new Settings(System.getProperty("e2e3d.boofcv.detector", "sift"),
                    Integer.getInteger("e2e3d.boofcv.maxFeatures", 4000),
                    Integer.getInteger("e2e3d.boofcv.upsampleBelow", 1000),
                    Integer.getInteger("e2e3d.boofcv.neighbours", 3), 640, 4, 256, 3_000_000,
                    Integer.getInteger("e2e3d.boofcv.threads", 0));
        }
    }

    public BoofcvEngine() {
        this(Settings.defaults());
    }

    public BoofcvEngine(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "boofcv";
    }

    @Override
    public boolean available() {
        try {
            Class.forName("boofcv.factory.feature.detdesc.FactoryDetectDescribe");
            Class.forName("boofcv.abst.geo.bundle.SceneStructureMetric");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public void run(Stage stage, StageContext context) throws Exception {
        if (stage == Stage.PREPROCESSING) {
            throw new StageNotAvailableException("the boofcv engine does not implement stage " + stage.label());
        }
        Path dir = context.workspace().resolve("boofcv");
        Files.createDirectories(dir);
        Files.createDirectories(context.outputDir());
        Settings settings = this.settings.forQuality(context.quality());
        switch (stage) {
            case FEATURE_EXTRACTION -> extractFeatures(context, dir);
            case FEATURE_MATCHING -> new FeatureMatching(context, dir, settings.sequenceNeighbours(),
                    ParallelTasks.threads(settings.threads())).run();
            case SPARSE_RECONSTRUCTION -> sparse(context, dir);
            case DENSE_RECONSTRUCTION -> new PlaneSweepStereo(settings, context, dir).run();
            case MESHING -> mesh(context, dir, settings);
            case TEXTURING -> texture(context, dir, settings);
            default -> throw new StageNotAvailableException("the boofcv engine does not implement stage " + stage.label());
        }
    }

    // ================================================================== feature extraction

    private void extractFeatures(StageContext ctx, Path dir) throws Exception {
        List<PreparedImage> images = ctx.images();
        if (images.size() < 2) throw new ReconstructionFailedException("need at least 2 photos, got " + images.size());
        long[] total = {0};
        int[] min = {Integer.MAX_VALUE};
        // one image per worker; each writes its own features file and returns the count
        ParallelTasks.run(ctx, ParallelTasks.threads(settings.threads()), images.size(), "features",
                (i, stopped) -> stopped.getAsBoolean() ? 0 : extractFeatures(images.get(i), FeatureStore.file(dir, i)),
                (i, n) -> {
                    total[0] += n;
                    min[0] = Math.min(min[0], n);
                    ctx.progress((i + 1) / (double) images.size());
                });
        ctx.detail("features_total", total[0]);
        ctx.detail("features_min_per_image", min[0]);
        ctx.log("extracted " + total[0] + " " + settings.detector() + " features from " + images.size() + " images");
    }

    private int extractFeatures(PreparedImage im, Path file) throws IOException {
        BufferedImage img = Images.read(im.file());
        GrayF32 gray = ConvertBufferedImage.convertFrom(img, (GrayF32) null);
        // small images: detect on a 2x upsampled copy for more, better localised features
        boolean up = Math.max(gray.width, gray.height) < settings.upsampleBelow();
        if (up) {
            gray = upsample2(gray);
        }
        DetectDescribePoint<GrayF32, TupleDesc_F64> detector = createDetector();
        detector.detect(gray);
        int n = detector.getNumberOfFeatures();
        float[] x = new float[n], y = new float[n];
        int dim = n == 0 ? 0 : detector.getDescription(0).data.length;
        float[] desc = new float[n * dim];
        for (int k = 0; k < n; k++) {
            Point2D_F64 p = detector.getLocation(k);
            // pixel centres sit at integer coordinates in both images
            x[k] = (float) (up ? (p.x + 0.5) / 2 - 0.5 : p.x);
            y[k] = (float) (up ? (p.y + 0.5) / 2 - 0.5 : p.y);
            double[] d = detector.getDescription(k).data;
            for (int j = 0; j < dim; j++) desc[k * dim + j] = (float) d[j];
        }
        new FeatureStore(x, y, desc, dim).save(file);
        return n;
    }

    /** Bilinear 2x upsampling; pixel centres at integer coordinates in both images. */
    static GrayF32 upsample2(GrayF32 in) {
        int w = in.width, h = in.height;
        GrayF32 out = new GrayF32(2 * w, 2 * h);
        // source column and weight per output column (and row), computed once rather than per pixel
        int[] x0 = new int[2 * w], y0 = new int[2 * h];
        float[] ax = new float[2 * w], ay = new float[2 * h];
        sourcePositions(w, x0, ax);
        sourcePositions(h, y0, ay);
        float[] src = in.data, dst = out.data;
        for (int y = 0; y < 2 * h; y++) {
            int r0 = in.startIndex + y0[y] * in.stride, r1 = r0 + in.stride;
            float wy = ay[y];
            int o = out.startIndex + y * out.stride;
            for (int x = 0; x < 2 * w; x++) {
                int c = x0[x];
                float wx = ax[x];
                float top = src[r0 + c] + wx * (src[r0 + c + 1] - src[r0 + c]);
                float bot = src[r1 + c] + wx * (src[r1 + c + 1] - src[r1 + c]);
                dst[o + x] = top + wy * (bot - top);
            }
        }
        return out;
    }

    private static void sourcePositions(int n, int[] index, float[] weight) {
        for (int x = 0; x < 2 * n; x++) {
            double sx = Math.max(0, Math.min(n - 1, (x + 0.5) / 2 - 0.5));
            index[x] = Math.min((int) sx, n - 2);
            weight[x] = (float) (sx - index[x]);
        }
    }

    private DetectDescribePoint<GrayF32, TupleDesc_F64> createDetector() {
        if ("surf".equals(settings.detector())) {
            ConfigFastHessian fh = new ConfigFastHessian();
            fh.extract.threshold = 1; // 0 accepts flat regions (identical junk in every image)
            fh.extract.radius = 2;
            fh.maxFeaturesAll = settings.maxFeatures();
            fh.maxFeaturesPerScale = -1;
            fh.initialSampleStep = 1;
            fh.numberOfOctaves = 4;
            return FactoryDetectDescribe.surfStable(fh, new ConfigSurfDescribe.Stability(), new ConfigSlidingIntegral(),
                    GrayF32.class);
        }
        ConfigCompleteSift cfg = new ConfigCompleteSift();
        cfg.detector.maxFeaturesAll = settings.maxFeatures();
        return FactoryDetectDescribe.sift(cfg, GrayF32.class);
    }

    // ================================================================== matching

    /** Focal length prior per view in pixels: EXIF where known, else null when no image has EXIF focal. */
    static double[] focalPrior(List<PreparedImage> images) {
        List<Double> known = new ArrayList<>();
        for (PreparedImage im : images) {
            if (im.focalPx() != null && im.focalPx() > 0) known.add(im.focalPx() / Math.max(im.width(), im.height()));
        }
        if (known.isEmpty()) return null;
        known.sort(null);
        double rel = known.get(known.size() / 2);
        double[] f = new double[images.size()];
        for (int i = 0; i < f.length; i++) {
            PreparedImage im = images.get(i);
            f[i] = im.focalPx() != null && im.focalPx() > 0 ? im.focalPx() : rel * Math.max(im.width(), im.height());
        }
        return f;
    }

    // ================================================================== sparse reconstruction

    private void sparse(StageContext ctx, Path dir) throws Exception {
        List<PreparedImage> images = ctx.images();
        int n = images.size();
        MatchStore matches = MatchStore.load(dir.resolve("matches.bin"));
        float[][] fx = new float[n][], fy = new float[n][];
        for (int v = 0; v < n; v++) {
            FeatureStore f = FeatureStore.load(FeatureStore.file(dir, v), false);
            fx[v] = f.x;
            fy[v] = f.y;
        }
        ctx.progress(0.05);
        // one focal length per image size
        double[] prior = focalPrior(images);
        Map<String, Integer> camIds = new LinkedHashMap<>();
        int[] camOf = new int[n];
        double[] cx = new double[n], cy = new double[n];
        for (int v = 0; v < n; v++) {
            PreparedImage im = images.get(v);
            camOf[v] = camIds.computeIfAbsent(im.width() + "x" + im.height(), s -> camIds.size());
            cx[v] = im.width() / 2.0;
            cy[v] = im.height() / 2.0;
        }
        double[] focal = new double[camIds.size()];
        double[] focalPrior = new double[camIds.size()];
        for (int v = 0; v < n; v++) {
            PreparedImage im = images.get(v);
            focal[camOf[v]] = prior != null ? prior[v] : 0.85 * Math.max(im.width(), im.height());
            focalPrior[camOf[v]] = focal[camOf[v]];
        }
        IncrementalSfm sfm = new IncrementalSfm(ctx, cx, cy, camOf, focal, prior != null, fx, fy);
        sfm.buildTracks(matches);
        ctx.log("built " + sfm.trackCount() + " feature tracks");
        ctx.progress(0.1);
        if (!sfm.initialise(matches, ParallelTasks.threads(settings.threads()))) {
            throw new ReconstructionFailedException(String.format(Locale.ROOT,
                    "registered 0 of %d views: no pair of photos overlaps enough to start; take photos with more "
                            + "overlap, at most 10\u00b0 apart, of a textured subject", n));
        }
        sfm.registerAll();
        ctx.checkCanceled();
        sfm.bundleAdjust(40, true);
        sfm.bundleAdjust(20, true);
        int registered = sfm.registeredCount();
        ctx.detail("views_total", n);
        ctx.detail("views_registered", registered);
        ctx.detail("sparse_points", sfm.pointCount());
        double[] errors = sfm.reprojectionErrors();
        ctx.detail("reprojection_error_px_median", errors.length == 0 ? Double.NaN : round(errors[errors.length / 2], 3));
        ctx.detail("reprojection_error_px_mean", round(java.util.Arrays.stream(errors).average().orElse(Double.NaN), 3));
        for (int c = 0; c < focal.length; c++) ctx.detail(focal.length == 1 ? "focal_px" : "focal_px_" + c, round(focal[c], 1));
        requireRegistered(registered, n);
        if (registered < n) {
            List<String> missing = new ArrayList<>();
            for (int v = 0; v < n; v++) if (!sfm.reg[v]) missing.add(images.get(v).key());
            ctx.warn((n - registered) + " of " + n + " photos could not be placed and were left out: " + missing);
        }
        for (int c = 0; c < focal.length; c++) {
            double rel = focal[c] / focalPrior[c];
            if (prior != null && Math.abs(rel - 1) > MAX_FOCAL_DEVIATION) {
                throw new ReconstructionFailedException(String.format(Locale.ROOT,
                        "estimated focal length %.0f px is implausible against the EXIF focal length %.0f px (more "
                                + "than 25%% apart): the photos may be cropped or digitally zoomed, or matched wrongly; take "
                                + "uncropped photos with more overlap, at most 10\u00b0 apart",
                        focal[c], focalPrior[c]));
            }
            double maxSide = 0;
            for (int v = 0; v < n; v++) if (camOf[v] == c) maxSide = Math.max(maxSide, Math.max(images.get(v).width(), images.get(v).height()));
            if (focal[c] < 0.2 * maxSide || focal[c] > 6 * maxSide) {
                throw new ReconstructionFailedException(String.format(Locale.ROOT,
                        "estimated focal length %.0f px is implausible for %.0f px wide images: take photos with more "
                                + "overlap, at most 10\u00b0 apart", focal[c], maxSide));
            }
        }
        SparseModel model = toModel(sfm, images);
        colourPoints(model, sfm, images);
        publishSparse(ctx, model, name());
        ctx.progress(1.0);
        ctx.log(String.format(Locale.ROOT, "sparse: %d/%d views, %d points, focal %.1f px", registered, n,
                model.pointCount(), focal[0]));
    }

    /**
     * The guard rail on registered views: fewer than 80% of {@code total} raises a
     * {@link ReconstructionFailedException} with an actionable message. Shared with engines that delegate to this one.
     */
    public static void requireRegistered(int registered, int total) {
        if (registered < Math.ceil(MIN_REGISTERED_FRACTION * total)) {
            throw new ReconstructionFailedException(String.format(Locale.ROOT,
                    "registered %d of %d views: take photos with more overlap, at most 10\u00b0 apart, and keep the "
                            + "subject textured and in focus", registered, total));
        }
    }

    /**
     * Persists a sparse model where dense reconstruction, meshing and texturing read it ({@code <workspace>/boofcv/sparse.bin})
     * and publishes {@code sparse.ply} and {@code cameras.json} into the output directory. Engines that compute the
     * sparse model themselves (e.g. colmap) call this and then delegate the later stages to a BoofcvEngine.
     */
    public static void publishSparse(StageContext ctx, SparseModel model, String engineName) throws IOException {
        Path dir = ctx.workspace().resolve("boofcv");
        Files.createDirectories(dir);
        Files.createDirectories(ctx.outputDir());
        model.save(dir.resolve("sparse.bin"));
        PlyWriter.writePoints(ctx.outputDir().resolve("sparse.ply"), model.points, model.colors, model.pointCount());
        writeCameras(ctx.outputDir().resolve("cameras.json"), model, ctx.images(), engineName);
    }

    private static SparseModel toModel(IncrementalSfm sfm, List<PreparedImage> images) {
        int n = images.size();
        SparseModel m = new SparseModel(n);
        for (int v = 0; v < n; v++) {
            m.registered[v] = sfm.reg[v];
            m.width[v] = images.get(v).width();
            m.height[v] = images.get(v).height();
            m.f[v] = sfm.f(v);
            m.cx[v] = sfm.cx[v];
            m.cy[v] = sfm.cy[v];
            if (sfm.reg[v]) {
                m.r[v] = sfm.pose[v].R.getData().clone();
                m.t[v] = new double[] {sfm.pose[v].T.x, sfm.pose[v].T.y, sfm.pose[v].T.z};
            }
        }
        int np = sfm.pointCount();
        m.points = new float[3 * np];
        m.colors = new byte[3 * np];
        m.pointViews = new int[np][];
        int q = 0;
        for (int t = 0; t < sfm.trackCount(); t++) {
            if (!sfm.hasPoint[t]) continue;
            for (int k = 0; k < 3; k++) m.points[3 * q + k] = (float) sfm.pts[3 * t + k];
            List<Integer> views = new ArrayList<>();
            for (int o = sfm.trackStart[t]; o < sfm.trackStart[t + 1]; o++) {
                if (sfm.obsInlier[o] && sfm.reg[sfm.obsView[o]]) views.add(sfm.obsView[o]);
            }
            m.pointViews[q] = views.stream().mapToInt(Integer::intValue).toArray();
            q++;
        }
        return m;
    }

    /** Colours each sparse point from the first view observing it, reading one image at a time. */
    private static void colourPoints(SparseModel m, IncrementalSfm sfm, List<PreparedImage> images) throws IOException {
        // the points of each view in one pass, not one pass over all points per view
        List<List<Integer>> pointsOf = new ArrayList<>();
        for (int v = 0; v < m.viewCount; v++) pointsOf.add(new ArrayList<>());
        for (int p = 0; p < m.pointCount(); p++) if (m.pointViews[p].length > 0) pointsOf.get(m.pointViews[p][0]).add(p);
        float[] rgb = new float[3];
        double[] c = new double[3];
        for (int v = 0; v < m.viewCount; v++) {
            if (!m.registered[v] || pointsOf.get(v).isEmpty()) continue;
            Images img = Images.load(images.get(v).file(), 1);
            PinholeView view = m.view(v);
            for (int p : pointsOf.get(v)) {
                view.toCamera(m.points[3 * p], m.points[3 * p + 1], m.points[3 * p + 2], c);
                if (img.sample(view.f() * c[0] / c[2] + view.cx(), view.f() * c[1] / c[2] + view.cy(), rgb)) {
                    for (int k = 0; k < 3; k++) m.colors[3 * p + k] = (byte) Math.round(Math.max(0, Math.min(255, rgb[k])));
                }
            }
        }
    }

    static void writeCameras(Path file, SparseModel m, List<PreparedImage> images, String engineName) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"engine\": \"").append(json(engineName)).append("\",\n");
        sb.append("  \"convention\": \"x_cam = R * x_world + t; pixel centres at integer coordinates; ")
                .append("cameras look along +z, y down\",\n");
        sb.append("  \"views\": [\n");
        for (int v = 0; v < m.viewCount; v++) {
            sb.append("    {\"index\": ").append(v).append(", \"key\": \"").append(json(images.get(v).key())).append('"')
                    .append(", \"registered\": ").append(m.registered[v])
                    .append(", \"width\": ").append(m.width[v]).append(", \"height\": ").append(m.height[v])
                    .append(String.format(Locale.ROOT, ", \"fx\": %.4f, \"fy\": %.4f, \"cx\": %.4f, \"cy\": %.4f",
                            m.f[v], m.f[v], m.cx[v], m.cy[v]));
            if (m.registered[v]) {
                sb.append(", \"rotation\": ").append(arr(m.r[v])).append(", \"translation\": ").append(arr(m.t[v]))
                        .append(", \"centre\": ").append(arr(m.view(v).centre()));
            }
            sb.append(v + 1 < m.viewCount ? "},\n" : "}\n");
        }
        sb.append("  ]\n}\n");
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String arr(double[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.9g", a[i]));
        return sb.append(']').toString();
    }

    private static String json(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static double round(double v, int digits) {
        double s = Math.pow(10, digits);
        return Math.round(v * s) / s;
    }

    // ================================================================== meshing

    private static void mesh(StageContext ctx, Path dir, Settings settings) throws IOException {
        SparseModel model = SparseModel.load(dir.resolve("sparse.bin"));
        int k = PlaneSweepStereo.denseFactor(model, settings.denseMaxSide());
        // bounds from the fused depth maps (robust percentiles)
        List<float[]> samples = new ArrayList<>();
        double[] p = new double[3];
        List<Integer> views = new ArrayList<>();
        for (int v = 0; v < model.viewCount; v++) if (model.registered[v] && Files.exists(PlaneSweepStereo.depthFile(dir, v))) views.add(v);
        if (views.isEmpty()) throw new ReconstructionFailedException("no depth maps to fuse: dense reconstruction found no surface");
        for (int v : views) {
            PinholeView view = model.view(v).downscaled(k);
            float[] depth = PlaneSweepStereo.loadDepth(dir, v, view.width() * view.height());
            for (int y = 0; y < view.height(); y += 4) {
                for (int x = 0; x < view.width(); x += 4) {
                    float d = depth[y * view.width() + x];
                    if (!(d > 0)) continue;
                    view.backProject(x, y, d, p);
                    samples.add(new float[] {(float) p[0], (float) p[1], (float) p[2]});
                }
            }
        }
        if (samples.size() < 100) throw new ReconstructionFailedException("too few dense points to build a surface");
        double[] min = new double[3], max = new double[3];
        for (int a = 0; a < 3; a++) {
            float[] vals = new float[samples.size()];
            for (int i = 0; i < vals.length; i++) vals[i] = samples.get(i)[a];
            Arrays.sort(vals);
            min[a] = vals[(int) (0.005 * (vals.length - 1))];
            max[a] = vals[(int) (0.995 * (vals.length - 1))];
        }
        double extent = Math.max(max[0] - min[0], Math.max(max[1] - min[1], max[2] - min[2]));
        for (int a = 0; a < 3; a++) {
            min[a] -= 0.02 * extent;
            max[a] += 0.02 * extent;
        }
        double voxel = (extent * 1.04) / settings.tsdfResolution();
        TsdfVolume tsdf = new TsdfVolume(min, max, voxel, 4 * voxel);
        ctx.log(String.format(Locale.ROOT, "TSDF %dx%dx%d voxels of %.4f", tsdf.nx, tsdf.ny, tsdf.nz, voxel));
        int done = 0;
        for (int v : views) {
            ctx.checkCanceled();
            PinholeView view = model.view(v).downscaled(k);
            tsdf.integrate(PlaneSweepStereo.loadDepth(dir, v, view.width() * view.height()), view);
            ctx.progress(0.8 * ++done / views.size());
        }
        Mesh raw = tsdf.extractMesh(2f);
        // floating blobs from depth noise: pieces below 0.5% of the surface (at least 50 faces)
        Mesh mesh = raw.withoutSmallComponents(Math.max(50, raw.faceCount() / 200));
        ctx.detail("mesh_faces_dropped_as_fragments", raw.faceCount() - mesh.faceCount());
        ctx.progress(0.95);
        if (mesh.faceCount() == 0) throw new ReconstructionFailedException("the fused surface is empty: take more photos with more overlap");
        mesh.save(dir.resolve("mesh.bin"));
        PlyWriter.writeMesh(ctx.outputDir().resolve("mesh.ply"), mesh);
        PlyWriter.writeObj(ctx.outputDir().resolve("mesh.obj"), mesh);
        ctx.detail("mesh_vertices", mesh.vertexCount());
        ctx.detail("mesh_faces", mesh.faceCount());
        ctx.detail("tsdf_voxel", voxel);
        ctx.progress(1.0);
        ctx.log("mesh: " + mesh.vertexCount() + " vertices, " + mesh.faceCount() + " faces");
    }

    // ================================================================== texturing

    private static void texture(StageContext ctx, Path dir, Settings settings) throws IOException {
        SparseModel model = SparseModel.load(dir.resolve("sparse.bin"));
        Mesh mesh = Mesh.load(dir.resolve("mesh.bin"));
        int k = PlaneSweepStereo.denseFactor(model, settings.denseMaxSide());
        int nv = mesh.vertexCount();
        float[] normals = mesh.vertexNormals();
        double[] sum = new double[3 * nv];
        double[] wsum = new double[nv];
        float[] rgb = new float[3];
        double[] c = new double[3];
        List<Integer> views = new ArrayList<>();
        for (int v = 0; v < model.viewCount; v++) if (model.registered[v]) views.add(v);
        int done = 0;
        for (int v : views) {
            ctx.checkCanceled();
            PinholeView view = model.view(v).downscaled(k);
            Images img = Images.load(ctx.images().get(v).file(), k);
            float[] depth = Files.exists(PlaneSweepStereo.depthFile(dir, v))
                    ? PlaneSweepStereo.loadDepth(dir, v, view.width() * view.height()) : null;
            double[] centre = view.centre();
            for (int i = 0; i < nv; i++) {
                double x = mesh.vertices[3 * i], y = mesh.vertices[3 * i + 1], z = mesh.vertices[3 * i + 2];
                view.toCamera(x, y, z, c);
                if (c[2] <= 0) continue;
                double u = view.f() * c[0] / c[2] + view.cx(), w = view.f() * c[1] / c[2] + view.cy();
                int ui = (int) Math.round(u), wi = (int) Math.round(w);
                if (ui < 0 || wi < 0 || ui >= view.width() || wi >= view.height()) continue;
                // visibility: the view's depth map must see this surface, not something in front of it
                if (depth == null) continue;
                float d = depth[wi * view.width() + ui];
                if (!(d > 0) || Math.abs(d - c[2]) > 0.02 * c[2]) continue;
                double dx = centre[0] - x, dy = centre[1] - y, dz = centre[2] - z;
                double len = Math.sqrt(dx * dx + dy * dy + dz * dz);
                double cos = (normals[3 * i] * dx + normals[3 * i + 1] * dy + normals[3 * i + 2] * dz) / len;
                if (cos <= 0.1) continue;
                if (!img.sample(u, w, rgb)) continue;
                double wgt = cos * cos;
                sum[3 * i] += wgt * rgb[0];
                sum[3 * i + 1] += wgt * rgb[1];
                sum[3 * i + 2] += wgt * rgb[2];
                wsum[i] += wgt;
            }
            ctx.progress(0.9 * ++done / views.size());
        }
        byte[] colors = new byte[3 * nv];
        int coloured = 0;
        for (int i = 0; i < nv; i++) {
            if (wsum[i] > 0) {
                coloured++;
                for (int a = 0; a < 3; a++) colors[3 * i + a] = (byte) Math.round(Math.max(0, Math.min(255, sum[3 * i + a] / wsum[i])));
            } else {
                Arrays.fill(colors, 3 * i, 3 * i + 3, (byte) 128);
            }
        }
        mesh.colors = colors;
        mesh.save(dir.resolve("mesh_textured.bin"));
        PlyWriter.writeMesh(ctx.outputDir().resolve("mesh.ply"), mesh);
        PlyWriter.writeObj(ctx.outputDir().resolve("mesh.obj"), mesh);
        ctx.detail("vertices_coloured", coloured);
        ctx.detail("vertices_total", nv);
        ctx.progress(1.0);
        ctx.log("texturing: coloured " + coloured + " of " + nv + " vertices");
    }
}
