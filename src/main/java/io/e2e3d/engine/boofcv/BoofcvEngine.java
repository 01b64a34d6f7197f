package io.e2e3d.engine.boofcv;

import boofcv.abst.feature.describe.ConfigSurfDescribe;
import boofcv.abst.feature.detdesc.ConfigCompleteSift;
import boofcv.abst.feature.detdesc.DetectDescribePoint;
import boofcv.abst.feature.detect.interest.ConfigFastHessian;
import boofcv.abst.feature.orientation.ConfigSlidingIntegral;
import boofcv.alg.geo.robust.ModelMatcherMultiview;
import boofcv.factory.feature.detdesc.FactoryDetectDescribe;
import boofcv.factory.geo.ConfigEssential;
import boofcv.factory.geo.ConfigFundamental;
import boofcv.factory.geo.ConfigRansac;
import boofcv.factory.geo.FactoryMultiViewRobust;
import boofcv.io.image.ConvertBufferedImage;
import boofcv.struct.calib.CameraPinhole;
import boofcv.struct.feature.AssociatedIndex;
import boofcv.struct.feature.TupleDesc_F64;
import boofcv.struct.geo.AssociatedPair;
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
import org.ddogleg.fitting.modelset.ModelMatcher;
import org.ddogleg.struct.DogArray;
import org.ddogleg.struct.FastAccess;
import org.ejml.data.DMatrixRMaj;

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
    /** Upper bound on pairs matched when the upload order turns out not to be a sequence. */
    static final int MAX_EXHAUSTIVE_PAIRS = 1200;

    private final Settings settings;

    /** Tunables; the defaults suit phone photos downscaled by preprocessing. */
    public record Settings(String detector, int maxFeatures, int upsampleBelow, int sequenceNeighbours,
                           int denseMaxSide, int denseNeighbours, int tsdfResolution, int maxDensePoints) {

        /** Denser depth maps and a finer fusion grid for higher quality jobs. */
        Settings forQuality(io.e2e3d.job.Quality quality) {
            if (quality == null || quality == io.e2e3d.job.Quality.LOW) return this;
            double s = quality == io.e2e3d.job.Quality.MEDIUM ? 1.5 : 2.0;
            return new Settings(detector, maxFeatures, upsampleBelow, sequenceNeighbours, (int) (denseMaxSide * s),
                    denseNeighbours, (int) (tsdfResolution * Math.sqrt(s)), maxDensePoints);
        }

        public static Settings defaults() {
            return new Settings(System.getProperty("e2e3d.boofcv.detector", "sift"),
                    Integer.getInteger("e2e3d.boofcv.maxFeatures", 4000),
                    Integer.getInteger("e2e3d.boofcv.upsampleBelow", 1000),
                    Integer.getInteger("e2e3d.boofcv.neighbours", 3), 640, 4, 256, 3_000_000);
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
            case FEATURE_MATCHING -> matchFeatures(context, dir);
            case SPARSE_RECONSTRUCTION -> sparse(context, dir);
            case DENSE_RECONSTRUCTION -> new PlaneSweepStereo(settings, context, dir).run();
            case MESHING -> mesh(context, dir, settings);
            case TEXTURING -> texture(context, dir, settings);
            default -> throw new StageNotAvailableException("the boofcv engine does not implement stage " + stage.label());
        }
    }

    // ================================================================== feature extraction

    private void extractFeatures(StageContext ctx, Path dir) throws IOException {
        List<PreparedImage> images = ctx.images();
        if (images.size() < 2) throw new ReconstructionFailedException("need at least 2 photos, got " + images.size());
        long total = 0;
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < images.size(); i++) {
            ctx.checkCanceled();
            PreparedImage im = images.get(i);
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
            float[][] desc = new float[n][];
            for (int k = 0; k < n; k++) {
                Point2D_F64 p = detector.getLocation(k);
                // pixel centres sit at integer coordinates in both images
                x[k] = (float) (up ? (p.x + 0.5) / 2 - 0.5 : p.x);
                y[k] = (float) (up ? (p.y + 0.5) / 2 - 0.5 : p.y);
                double[] d = detector.getDescription(k).data;
                desc[k] = new float[d.length];
                for (int j = 0; j < d.length; j++) desc[k][j] = (float) d[j];
            }
            new FeatureStore(x, y, desc).save(FeatureStore.file(dir, i));
            total += n;
            min = Math.min(min, n);
            ctx.progress((i + 1) / (double) images.size());
        }
        ctx.detail("features_total", total);
        ctx.detail("features_min_per_image", min);
        ctx.log("extracted " + total + " " + settings.detector() + " features from " + images.size() + " images");
    }

    /** Bilinear 2x upsampling; pixel centres at integer coordinates in both images. */
    static GrayF32 upsample2(GrayF32 in) {
        int w = in.width, h = in.height;
        GrayF32 out = new GrayF32(2 * w, 2 * h);
        for (int y = 0; y < 2 * h; y++) {
            double sy = Math.max(0, Math.min(h - 1, (y + 0.5) / 2 - 0.5));
            int y0 = Math.min((int) sy, h - 2);
            float ay = (float) (sy - y0);
            for (int x = 0; x < 2 * w; x++) {
                double sx = Math.max(0, Math.min(w - 1, (x + 0.5) / 2 - 0.5));
                int x0 = Math.min((int) sx, w - 2);
                float ax = (float) (sx - x0);
                float a = in.unsafe_get(x0, y0), b = in.unsafe_get(x0 + 1, y0);
                float c = in.unsafe_get(x0, y0 + 1), d = in.unsafe_get(x0 + 1, y0 + 1);
                float top = a + ax * (b - a), bot = c + ax * (d - c);
                out.unsafe_set(x, y, top + ay * (bot - top));
            }
        }
        return out;
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

    private void matchFeatures(StageContext ctx, Path dir) throws IOException {
        List<PreparedImage> images = ctx.images();
        int n = images.size();
        int k = Math.min(settings.sequenceNeighbours(), n - 1);
        // the upload order is a sequence hint: neighbours i+1..i+k, and the loop closing around the end
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int d = 1; d <= k; d++) {
                int j = i + d;
                if (j < n) pairs.add(new int[] {i, j});
                else if (n > 2 * k + 1) pairs.add(new int[] {j - n, i});
            }
        }
        double[] fPrior = focalPrior(images);
        MatchStore store = new MatchStore();
        int[] verifiedPerView = new int[n];
        Map<Integer, FeatureStore> cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, FeatureStore> e) {
                return size() > 2 * k + 2;
            }
        };
        int done = 0;
        for (int[] p : pairs) {
            ctx.checkCanceled();
            MatchStore.Pair m = matchPair(dir, cache, images, fPrior, p[0], p[1]);
            if (m != null) {
                store.pairs.add(m);
                verifiedPerView[p[0]]++;
                verifiedPerView[p[1]]++;
            }
            ctx.progress(0.8 * ++done / pairs.size());
        }
        // when the upload order is no sequence (most neighbours fail), match all pairs if that stays affordable;
        // otherwise try only the views the sequence left unconnected against every other view
        java.util.Set<Long> tried = new java.util.HashSet<>();
        for (int[] p : pairs) tried.add((long) Math.min(p[0], p[1]) * n + Math.max(p[0], p[1]));
        int consecutive = 0;
        for (MatchStore.Pair m : store.pairs) if (m.b() - m.a() == 1) consecutive++;
        List<Integer> extra = new ArrayList<>();
        if (consecutive < 0.5 * (n - 1) && n * (n - 1) / 2 <= MAX_EXHAUSTIVE_PAIRS) {
            ctx.warn("the upload order does not look like a sequence (" + consecutive + " of " + (n - 1)
                    + " consecutive photos match); matching all pairs");
            for (int i = 0; i < n; i++) extra.add(i);
        } else {
            for (int i = 0; i < n; i++) if (verifiedPerView[i] < 1) extra.add(i);
            if (!extra.isEmpty()) ctx.log("views without sequential matches, matching them against all: " + extra);
        }
        int done2 = 0;
        for (int i : extra) {
            for (int j = 0; j < n; j++) {
                long key = (long) Math.min(i, j) * n + Math.max(i, j);
                if (j == i || !tried.add(key)) continue;
                ctx.checkCanceled();
                MatchStore.Pair m = matchPair(dir, cache, images, fPrior, Math.min(i, j), Math.max(i, j));
                if (m != null) store.pairs.add(m);
            }
            ctx.progress(0.8 + 0.2 * ++done2 / extra.size());
        }
        store.save(dir.resolve("matches.bin"));
        long matches = store.pairs.stream().mapToLong(MatchStore.Pair::size).sum();
        ctx.detail("pairs_tried", tried.size());
        ctx.detail("pairs_verified", store.pairs.size());
        ctx.detail("matches_verified", matches);
        ctx.progress(1.0);
        ctx.log("verified " + store.pairs.size() + " of " + tried.size() + " pairs, " + matches + " matches");
    }

    private MatchStore.Pair matchPair(Path dir, Map<Integer, FeatureStore> cache, List<PreparedImage> images,
                                      double[] fPrior, int a, int b) throws IOException {
        FeatureStore fa = cached(dir, cache, a), fb = cached(dir, cache, b);
        if (fa.size() < 8 || fb.size() < 8) return null;
        FastAccess<AssociatedIndex> m = associate(fa, fb);
        if (m.size() < 20) return null;
        List<AssociatedPair> list = new ArrayList<>(m.size());
        PreparedImage ia = images.get(a), ib = images.get(b);
        List<Integer> inlierIdx = new ArrayList<>();
        if (fPrior != null) {
            double fa0 = fPrior[a], fb0 = fPrior[b];
            double cxa = ia.width() / 2.0, cya = ia.height() / 2.0, cxb = ib.width() / 2.0, cyb = ib.height() / 2.0;
            for (int i = 0; i < m.size(); i++) {
                AssociatedIndex ai = m.get(i);
                list.add(new AssociatedPair((fa.x[ai.src] - cxa) / fa0, (fa.y[ai.src] - cya) / fa0,
                        (fb.x[ai.dst] - cxb) / fb0, (fb.y[ai.dst] - cyb) / fb0));
            }
            ModelMatcherMultiview<DMatrixRMaj, AssociatedPair> ransac =
                    FactoryMultiViewRobust.essentialRansac(new ConfigEssential(), new ConfigRansac(1000, 1.5));
            ransac.setIntrinsic(0, new CameraPinhole(fa0, fa0, 0, cxa, cya, ia.width(), ia.height()));
            ransac.setIntrinsic(1, new CameraPinhole(fb0, fb0, 0, cxb, cyb, ib.width(), ib.height()));
            if (!ransac.process(list)) return null;
            for (int i = 0; i < ransac.getMatchSet().size(); i++) inlierIdx.add(ransac.getInputIndex(i));
        } else {
            for (int i = 0; i < m.size(); i++) {
                AssociatedIndex ai = m.get(i);
                list.add(new AssociatedPair(fa.x[ai.src], fa.y[ai.src], fb.x[ai.dst], fb.y[ai.dst]));
            }
            ModelMatcher<DMatrixRMaj, AssociatedPair> ransac =
                    FactoryMultiViewRobust.fundamentalRansac(new ConfigFundamental(), new ConfigRansac(1000, 1.5));
            if (!ransac.process(list)) return null;
            for (int i = 0; i < ransac.getMatchSet().size(); i++) inlierIdx.add(ransac.getInputIndex(i));
        }
        if (inlierIdx.size() < 25 || inlierIdx.size() < 0.15 * m.size()) return null;
        int[] ra = new int[inlierIdx.size()], rb = new int[inlierIdx.size()];
        for (int i = 0; i < ra.length; i++) {
            AssociatedIndex ai = m.get(inlierIdx.get(i));
            ra[i] = ai.src;
            rb[i] = ai.dst;
        }
        return new MatchStore.Pair(a, b, ra, rb);
    }

    /** Ratio of squared descriptor distances, best to second best, a match must stay below. */
    static final float RATIO_SQUARED = 0.75f;

    /**
     * Mutual nearest neighbours (exhaustive, squared Euclidean distance) that pass the ratio test in both
     * directions. Rows are split over two threads.
     */
    static FastAccess<AssociatedIndex> associate(FeatureStore fa, FeatureStore fb) {
        int na = fa.size(), nb = fb.size();
        DogArray<AssociatedIndex> out = new DogArray<>(AssociatedIndex::new);
        if (na < 2 || nb < 2) return out;
        int len = fa.desc[0].length;
        float[] db = new float[nb * len];
        for (int j = 0; j < nb; j++) System.arraycopy(fb.desc[j], 0, db, j * len, len);
        int chunks = 2;
        float[][] rowBest = new float[chunks][], rowSecond = new float[chunks][];
        float[][] colBest = new float[chunks][nb], colSecond = new float[chunks][nb];
        int[][] colArg = new int[chunks][nb];
        int[] rowArg = new int[na];
        float[] rb1 = new float[na], rb2 = new float[na];
        java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
            float[] cb1 = colBest[c], cb2 = colSecond[c];
            int[] ca = colArg[c];
            Arrays.fill(cb1, Float.MAX_VALUE);
            Arrays.fill(cb2, Float.MAX_VALUE);
            int from = c * na / chunks, to = (c + 1) * na / chunks;
            for (int i = from; i < to; i++) {
                float[] a = fa.desc[i];
                float b1 = Float.MAX_VALUE, b2 = Float.MAX_VALUE;
                int arg = -1;
                for (int j = 0; j < nb; j++) {
                    int off = j * len;
                    // four partial sums: independent chains the CPU can overlap
                    float d0 = 0, d1 = 0, d2 = 0, d3 = 0;
                    int k = 0;
                    for (; k + 3 < len; k += 4) {
                        float e0 = a[k] - db[off + k], e1 = a[k + 1] - db[off + k + 1];
                        float e2 = a[k + 2] - db[off + k + 2], e3 = a[k + 3] - db[off + k + 3];
                        d0 += e0 * e0;
                        d1 += e1 * e1;
                        d2 += e2 * e2;
                        d3 += e3 * e3;
                    }
                    for (; k < len; k++) {
                        float e = a[k] - db[off + k];
                        d0 += e * e;
                    }
                    float d = (d0 + d1) + (d2 + d3);
                    if (d < b1) {
                        b2 = b1;
                        b1 = d;
                        arg = j;
                    } else if (d < b2) {
                        b2 = d;
                    }
                    if (d < cb1[j]) {
                        cb2[j] = cb1[j];
                        cb1[j] = d;
                        ca[j] = i;
                    } else if (d < cb2[j]) {
                        cb2[j] = d;
                    }
                }
                rowArg[i] = arg;
                rb1[i] = b1;
                rb2[i] = b2;
            }
        });
        // merge the column statistics of the chunks
        float[] cb1 = colBest[0], cb2 = colSecond[0];
        int[] ca = colArg[0];
        for (int c = 1; c < chunks; c++) {
            for (int j = 0; j < nb; j++) {
                float x1 = colBest[c][j], x2 = colSecond[c][j];
                if (x1 < cb1[j]) {
                    cb2[j] = Math.min(cb1[j], x2);
                    cb1[j] = x1;
                    ca[j] = colArg[c][j];
                } else {
                    cb2[j] = Math.min(cb2[j], x1);
                }
            }
        }
        for (int i = 0; i < na; i++) {
            int j = rowArg[i];
            if (j < 0 || ca[j] != i) continue;
            if (rb1[i] >= RATIO_SQUARED * rb2[i] || cb1[j] >= RATIO_SQUARED * cb2[j]) continue;
            out.grow().setTo(i, j, rb1[i]);
        }
        return out;
    }

    private static FeatureStore cached(Path dir, Map<Integer, FeatureStore> cache, int view) throws IOException {
        FeatureStore f = cache.get(view);
        if (f == null) {
            f = FeatureStore.load(FeatureStore.file(dir, view), true);
            cache.put(view, f);
        }
        return f;
    }

    private static FastAccess<TupleDesc_F64> toDesc(FeatureStore f) {
        int len = f.size() == 0 ? 64 : f.desc[0].length;
        DogArray<TupleDesc_F64> arr = new DogArray<>(() -> new TupleDesc_F64(len));
        for (int i = 0; i < f.size(); i++) {
            TupleDesc_F64 d = arr.grow();
            for (int j = 0; j < len; j++) d.data[j] = f.desc[i][j];
        }
        return arr;
    }

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

    private void sparse(StageContext ctx, Path dir) throws IOException {
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
        if (!sfm.initialise(matches)) {
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
        float[] rgb = new float[3];
        double[] c = new double[3];
        for (int v = 0; v < m.viewCount; v++) {
            if (!m.registered[v]) continue;
            Images img = null;
            PinholeView view = m.view(v);
            for (int p = 0; p < m.pointCount(); p++) {
                if (m.pointViews[p].length == 0 || m.pointViews[p][0] != v) continue;
                if (img == null) img = Images.load(images.get(v).file(), 1);
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
