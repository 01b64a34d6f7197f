package io.e2e3d.engine.boofcv;

import boofcv.alg.geo.robust.ModelMatcherMultiview;
import boofcv.factory.geo.ConfigEssential;
import boofcv.factory.geo.ConfigFundamental;
import boofcv.factory.geo.ConfigRansac;
import boofcv.factory.geo.FactoryMultiViewRobust;
import boofcv.struct.calib.CameraPinhole;
import boofcv.struct.geo.AssociatedPair;
import io.e2e3d.engine.PreparedImage;
import io.e2e3d.engine.StageContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ddogleg.fitting.modelset.ModelMatcher;
import org.ejml.data.DMatrixRMaj;

/**
 * The feature matching stage: the upload order as a sequence (pairs i..i+k and the loop closing around the end),
 * mutual nearest descriptors by {@link MutualMatcher}, verified by essential-matrix RANSAC with the EXIF focal
 * (fundamental RANSAC without EXIF); views left without a match are tried against all others. Pairs run in
 * parallel; the result does not depend on the number of threads.
 */
final class FeatureMatching {
    /** Upper bound on pairs matched when the upload order turns out not to be a sequence. */
    static final int MAX_EXHAUSTIVE_PAIRS = 1200;

    /** RANSAC iterations for pairs with few inliers. */
    static final int RANSAC_ITERATIONS = 1000;
    /**
     * A first, short RANSAC: with half the matches inliers, 250 samples of 5 all miss an all-inlier sample with
     * probability (1 - 0.5^5)^250 < 0.0004.
     */
    static final int QUICK_RANSAC_ITERATIONS = 250;
    static final double QUICK_RANSAC_MIN_INLIER_FRACTION = 0.5;

    private final StageContext ctx;
    private final Path dir;
    private final List<PreparedImage> images;
    private final int neighbours;
    private final int threads;
    private final double[] fPrior;
    private ViewCache cache;

    FeatureMatching(StageContext ctx, Path dir, int neighbours, int threads) {
        this.ctx = ctx;
        this.dir = dir;
        this.images = ctx.images();
        this.neighbours = neighbours;
        this.threads = threads;
        this.fPrior = BoofcvEngine.focalPrior(images);
    }

    void run() throws Exception {
        int n = images.size();
        int k = Math.min(neighbours, n - 1);
        // the upload order is a sequence hint: neighbours i+1..i+k, and the loop closing around the end
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int d = 1; d <= k; d++) {
                int j = i + d;
                if (j < n) pairs.add(new int[] {i, j});
                else if (n > 2 * k + 1) pairs.add(new int[] {j - n, i});
            }
        }
        MatchStore store = new MatchStore();
        int[] verifiedPerView = new int[n];
        cache = new ViewCache(2 * k + 2 + 2 * threads);
        matchAll(pairs, store, 0, 0.8);
        for (MatchStore.Pair m : store.pairs) {
            verifiedPerView[m.a()]++;
            verifiedPerView[m.b()]++;
        }
        // when the upload order is no sequence (most neighbours fail), match all pairs if that stays affordable;
        // otherwise try only the views the sequence left unconnected against every other view
        Set<Long> tried = new HashSet<>();
        for (int[] p : pairs) tried.add((long) Math.min(p[0], p[1]) * n + Math.max(p[0], p[1]));
        int consecutive = 0;
        for (MatchStore.Pair m : store.pairs) if (m.b() - m.a() == 1) consecutive++;
        List<Integer> extra = new ArrayList<>();
        if (consecutive < 0.5 * (n - 1) && n * (n - 1) / 2 <= MAX_EXHAUSTIVE_PAIRS) {
            ctx.warn("the upload order does not look like a sequence (" + consecutive + " of " + (n - 1)
                    + " consecutive photos match); matching all pairs");
            for (int i = 0; i < n; i++) extra.add(i);
            cache = new ViewCache(n); // every view meets every other: keep them all (n is small here)
        } else {
            for (int i = 0; i < n; i++) if (verifiedPerView[i] < 1) extra.add(i);
            if (!extra.isEmpty()) ctx.log("views without sequential matches, matching them against all: " + extra);
        }
        List<int[]> more = new ArrayList<>();
        for (int i : extra) {
            for (int j = 0; j < n; j++) {
                long key = (long) Math.min(i, j) * n + Math.max(i, j);
                if (j != i && tried.add(key)) more.add(new int[] {Math.min(i, j), Math.max(i, j)});
            }
        }
        matchAll(more, store, 0.8, 0.2);
        cache = null;
        store.save(dir.resolve("matches.bin"));
        long matches = store.pairs.stream().mapToLong(MatchStore.Pair::size).sum();
        ctx.detail("pairs_tried", tried.size());
        ctx.detail("pairs_verified", store.pairs.size());
        ctx.detail("matches_verified", matches);
        ctx.progress(1.0);
        ctx.log("verified " + store.pairs.size() + " of " + tried.size() + " pairs, " + matches + " matches");
    }

    /** Matches the pairs on the worker threads; verified pairs are added to the store in the order given. */
    private void matchAll(List<int[]> pairs, MatchStore store, double progressFrom, double progressSpan) throws Exception {
        ParallelTasks.run(ctx, threads, pairs.size(), "match", (i, stopped) -> {
            int[] p = pairs.get(i);
            return stopped.getAsBoolean() ? null : matchPair(p[0], p[1]);
        }, (i, m) -> {
            if (m != null) store.pairs.add(m);
            ctx.progress(progressFrom + progressSpan * (i + 1) / pairs.size());
        });
    }

    /** The verified matches of one pair, or null when it does not hold up. */
    private MatchStore.Pair matchPair(int a, int b) throws IOException {
        MutualMatcher.Indexed fa = cache.get(a), fb = cache.get(b);
        if (fa.features().size() < 8 || fb.features().size() < 8) return null;
        MutualMatcher.Matches m = MutualMatcher.match(fa, fb);
        if (m.size() < 20) return null;
        float[] xa = fa.features().x, ya = fa.features().y, xb = fb.features().x, yb = fb.features().y;
        PreparedImage ia = images.get(a), ib = images.get(b);
        List<AssociatedPair> list = new ArrayList<>(m.size());
        if (fPrior != null) {
            double fa0 = fPrior[a], fb0 = fPrior[b];
            double cxa = ia.width() / 2.0, cya = ia.height() / 2.0, cxb = ib.width() / 2.0, cyb = ib.height() / 2.0;
            for (int i = 0; i < m.size(); i++) {
                list.add(new AssociatedPair((xa[m.a()[i]] - cxa) / fa0, (ya[m.a()[i]] - cya) / fa0,
                        (xb[m.b()[i]] - cxb) / fb0, (yb[m.b()[i]] - cyb) / fb0));
            }
        } else {
            for (int i = 0; i < m.size(); i++) {
                list.add(new AssociatedPair(xa[m.a()[i]], ya[m.a()[i]], xb[m.b()[i]], yb[m.b()[i]]));
            }
        }
        // RANSAC runs all its iterations: a short run suffices when most matches are inliers (the usual case for
        // neighbouring photos); only pairs with fewer inliers get the long run
        List<Integer> inlierIdx = verify(list, a, b, QUICK_RANSAC_ITERATIONS);
        if (inlierIdx.size() < QUICK_RANSAC_MIN_INLIER_FRACTION * m.size()) inlierIdx = verify(list, a, b, RANSAC_ITERATIONS);
        if (inlierIdx.size() < 25 || inlierIdx.size() < 0.15 * m.size()) return null;
        int[] ra = new int[inlierIdx.size()], rb = new int[inlierIdx.size()];
        for (int i = 0; i < ra.length; i++) {
            ra[i] = m.a()[inlierIdx.get(i)];
            rb[i] = m.b()[inlierIdx.get(i)];
        }
        return new MatchStore.Pair(a, b, ra, rb);
    }

    /** Inlier indices into {@code list} of an essential (EXIF focal) or fundamental matrix RANSAC; empty when none. */
    private List<Integer> verify(List<AssociatedPair> list, int a, int b, int iterations) {
        List<Integer> inliers = new ArrayList<>();
        if (fPrior != null) {
            PreparedImage ia = images.get(a), ib = images.get(b);
            ModelMatcherMultiview<DMatrixRMaj, AssociatedPair> ransac =
                    FactoryMultiViewRobust.essentialRansac(new ConfigEssential(), new ConfigRansac(iterations, 1.5));
            ransac.setIntrinsic(0, new CameraPinhole(fPrior[a], fPrior[a], 0, ia.width() / 2.0, ia.height() / 2.0,
                    ia.width(), ia.height()));
            ransac.setIntrinsic(1, new CameraPinhole(fPrior[b], fPrior[b], 0, ib.width() / 2.0, ib.height() / 2.0,
                    ib.width(), ib.height()));
            if (!ransac.process(list)) return inliers;
            for (int i = 0; i < ransac.getMatchSet().size(); i++) inliers.add(ransac.getInputIndex(i));
        } else {
            ModelMatcher<DMatrixRMaj, AssociatedPair> ransac =
                    FactoryMultiViewRobust.fundamentalRansac(new ConfigFundamental(), new ConfigRansac(iterations, 1.5));
            if (!ransac.process(list)) return inliers;
            for (int i = 0; i < ransac.getMatchSet().size(); i++) inliers.add(ransac.getInputIndex(i));
        }
        return inliers;
    }

    /** The most recently used views' features and search forests, loaded on first use; shared by the workers. */
    private final class ViewCache {
        private final Map<Integer, MutualMatcher.Indexed> views;

        ViewCache(int capacity) {
            views = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, MutualMatcher.Indexed> e) {
                    return size() > capacity;
                }
            };
        }

        synchronized MutualMatcher.Indexed get(int view) throws IOException {
            MutualMatcher.Indexed f = views.get(view);
            if (f == null) {
                // the seed depends on the view only: the same forest whichever pair loads it first
                f = MutualMatcher.Indexed.of(FeatureStore.load(FeatureStore.file(dir, view), true), 31L * view + 7);
                views.put(view, f);
            }
            return f;
        }
    }
}
