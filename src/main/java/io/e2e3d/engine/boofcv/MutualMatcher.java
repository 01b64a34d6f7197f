package io.e2e3d.engine.boofcv;

/**
 * Putative feature matches between two images: descriptors that are each other's nearest neighbour and pass
 * the ratio test in both directions, found with a {@link KdForest} over each image's descriptors.
 */
final class MutualMatcher {
    /** Ratio of squared descriptor distances, best to second best, a match must stay below. */
    static final float RATIO_SQUARED = 0.75f;
    /** Randomized trees per image. */
    static final int TREES = 4;
    /**
     * Descriptors examined per query: on ~3000 SIFT descriptors per image, 256 find 85-97% of the exact mutual
     * matches (the fewest on the widest baselines) at about a tenth of the cost of comparing all.
     */
    static final int MAX_CHECKS = Integer.getInteger("e2e3d.boofcv.matchChecks", 256);

    /** One image's features with a search forest over its descriptors; shared read-only between threads. */
    record Indexed(FeatureStore features, KdForest forest) {
        static Indexed of(FeatureStore f, long seed) {
            return new Indexed(f, new KdForest(f.desc, f.dim, TREES, seed));
        }
    }

    /** Matched feature indices: {@code a[k]} in the first image matches {@code b[k]} in the second. */
    record Matches(int[] a, int[] b) {
        int size() {
            return a.length;
        }
    }

    private MutualMatcher() {
    }

    static Matches match(Indexed a, Indexed b) {
        return match(a, b, MAX_CHECKS);
    }

    /**
     * Forward, every descriptor of {@code a} finds its two nearest in {@code b}; backward, only the descriptors of
     * {@code b} chosen that way (passing the ratio test) search {@code a}, which is all a mutual check needs.
     */
    static Matches match(Indexed a, Indexed b, int maxChecks) {
        int na = a.features().size(), nb = b.features().size();
        if (na < 2 || nb < 2) return new Matches(new int[0], new int[0]);
        float[] da = a.features().desc, db = b.features().desc;
        int dim = a.features().dim;
        if (b.features().dim != dim) throw new IllegalArgumentException("descriptor lengths differ");
        KdForest.Searcher inB = b.forest().new Searcher();
        int[] forward = new int[na];
        for (int i = 0; i < na; i++) {
            inB.nearestTwo(da, i * dim, maxChecks);
            forward[i] = inB.best2 >= 0 && inB.dist1 < RATIO_SQUARED * inB.dist2 ? inB.best1 : -1;
        }
        KdForest.Searcher inA = a.forest().new Searcher();
        int[] backward = new int[nb];
        java.util.Arrays.fill(backward, -2); // -2: not searched
        int count = 0;
        for (int i = 0; i < na; i++) {
            int j = forward[i];
            if (j < 0) continue;
            if (backward[j] == -2) {
                inA.nearestTwo(db, j * dim, maxChecks);
                backward[j] = inA.best2 >= 0 && inA.dist1 < RATIO_SQUARED * inA.dist2 ? inA.best1 : -1;
            }
            if (backward[j] == i) count++;
            else forward[i] = -1;
        }
        int[] ra = new int[count], rb = new int[count];
        int k = 0;
        for (int i = 0; i < na; i++) {
            if (forward[i] < 0) continue;
            ra[k] = i;
            rb[k++] = forward[i];
        }
        return new Matches(ra, rb);
    }
}
