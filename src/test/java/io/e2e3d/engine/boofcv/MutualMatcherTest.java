package io.e2e3d.engine.boofcv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MutualMatcherTest {

    private static FeatureStore features(float[] desc, int dim) {
        int n = desc.length / dim;
        return new FeatureStore(new float[n], new float[n], desc, dim);
    }

    /** Mutual nearest neighbours passing the ratio test both ways, comparing all pairs. */
    private static Set<Long> bruteForce(float[] a, float[] b, int dim) {
        int na = a.length / dim, nb = b.length / dim;
        Set<Long> out = new HashSet<>();
        for (int i = 0; i < na; i++) {
            float[] f = KdForestTest.bruteForce(b, dim, a, i * dim);
            if (!(f[1] < MutualMatcher.RATIO_SQUARED * f[3])) continue;
            int j = (int) f[0];
            float[] g = KdForestTest.bruteForce(a, dim, b, j * dim);
            if ((int) g[0] == i && g[1] < MutualMatcher.RATIO_SQUARED * g[3]) out.add((long) i << 32 | j);
        }
        return out;
    }

    @Test
    void exhaustiveSearchGivesTheBruteForceMatches() {
        Random r = new Random(1);
        int dim = 32, n = 400;
        float[] a = KdForestTest.random(r, n, dim);
        // b: a shuffled, noisy copy of 300 of a's vectors plus 100 unrelated ones
        float[] b = new float[n * dim];
        for (int j = 0; j < n; j++) {
            int src = (j * 7) % n;
            for (int k = 0; k < dim; k++) {
                b[j * dim + k] = j < 300 ? a[src * dim + k] + 0.03f * (float) r.nextGaussian() : r.nextFloat();
            }
        }
        MutualMatcher.Matches m = MutualMatcher.match(MutualMatcher.Indexed.of(features(a, dim), 1),
                MutualMatcher.Indexed.of(features(b, dim), 2), Integer.MAX_VALUE);
        Set<Long> got = new HashSet<>();
        for (int k = 0; k < m.size(); k++) got.add((long) m.a()[k] << 32 | m.b()[k]);
        assertEquals(bruteForce(a, b, dim), got);
        assertTrue(m.size() >= 250, "matches " + m.size());
        int right = 0;
        for (int k = 0; k < m.size(); k++) if (m.b()[k] < 300 && (m.b()[k] * 7) % n == m.a()[k]) right++;
        assertTrue(right >= 250 && right >= m.size() - 5, right + " of " + m.size() + " matches are true correspondences");
    }

    @Test
    void tooFewFeaturesGiveNoMatches() {
        MutualMatcher.Matches m = MutualMatcher.match(MutualMatcher.Indexed.of(features(new float[] {1, 2}, 2), 1),
                MutualMatcher.Indexed.of(features(new float[] {1, 2, 3, 4}, 2), 2));
        assertArrayEquals(new int[0], m.a());
    }
}
