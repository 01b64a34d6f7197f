package io.e2e3d.engine.boofcv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KdForestTest {

    static float[] random(Random r, int n, int dim) {
        float[] v = new float[n * dim];
        for (int i = 0; i < v.length; i++) v[i] = r.nextFloat();
        return v;
    }

    /** Index and squared distance of the nearest and second nearest point, by comparing all. */
    static float[] bruteForce(float[] data, int dim, float[] q, int qOff) {
        int b1 = -1, b2 = -1;
        float d1 = Float.MAX_VALUE, d2 = Float.MAX_VALUE;
        for (int p = 0; p < data.length / dim; p++) {
            float d = 0;
            for (int k = 0; k < dim; k++) {
                float e = q[qOff + k] - data[p * dim + k];
                d += e * e;
            }
            if (d < d1) {
                b2 = b1;
                d2 = d1;
                b1 = p;
                d1 = d;
            } else if (d < d2) {
                b2 = p;
                d2 = d;
            }
        }
        return new float[] {b1, d1, b2, d2};
    }

    @Test
    void searchingEveryPointGivesTheSameTwoNeighboursAsBruteForce() {
        Random r = new Random(3);
        for (int dim : new int[] {1, 5, 16, 128}) {
            float[] data = random(r, 700, dim), queries = random(r, 200, dim);
            KdForest forest = new KdForest(data, dim, 4, 11);
            KdForest.Searcher s = forest.new Searcher();
            for (int q = 0; q < 200; q++) {
                s.nearestTwo(queries, q * dim, forest.size());
                float[] expected = bruteForce(data, dim, queries, q * dim);
                assertEquals((int) expected[0], s.best1, "nearest, dim " + dim + ", query " + q);
                assertEquals((int) expected[2], s.best2, "second nearest, dim " + dim + ", query " + q);
                assertEquals(expected[1], s.dist1, 1e-4f * Math.max(1, expected[1]));
                assertEquals(expected[3], s.dist2, 1e-4f * Math.max(1, expected[3]));
            }
        }
    }

    @Test
    void aLimitedSearchStillFindsMostNearestNeighbours() {
        // clustered data, like descriptors: each query is a noisy copy of a data point
        Random r = new Random(5);
        int n = 3000, dim = 64;
        float[] data = random(r, n, dim);
        float[] queries = new float[500 * dim];
        for (int q = 0; q < 500; q++) {
            int p = r.nextInt(n);
            for (int k = 0; k < dim; k++) queries[q * dim + k] = data[p * dim + k] + 0.05f * (float) r.nextGaussian();
        }
        KdForest forest = new KdForest(data, dim, 4, 1);
        KdForest.Searcher s = forest.new Searcher();
        int found = 0;
        for (int q = 0; q < 500; q++) {
            s.nearestTwo(queries, q * dim, 128);
            if (s.best1 == (int) bruteForce(data, dim, queries, q * dim)[0]) found++;
        }
        assertTrue(found >= 450, "nearest found for " + found + " of 500 queries");
    }

    @Test
    void duplicatesAndTinySetsAreHandled() {
        float[] same = new float[50 * 4]; // fifty identical points: no split possible
        KdForest forest = new KdForest(same, 4, 2, 1);
        KdForest.Searcher s = forest.new Searcher();
        s.nearestTwo(new float[] {1, 1, 1, 1}, 0, 10);
        assertTrue(s.best1 >= 0 && s.best2 >= 0 && s.best1 != s.best2);
        assertEquals(4f, s.dist1, 1e-6f);

        KdForest one = new KdForest(new float[] {0.5f, 0.5f}, 2, 3, 1);
        KdForest.Searcher s1 = one.new Searcher();
        s1.nearestTwo(new float[] {0.5f, 0.5f}, 0, 10);
        assertEquals(0, s1.best1);
        assertEquals(-1, s1.best2);
    }

    @Test
    void earlyExitDistanceIsExactBelowTheLimit() {
        Random r = new Random(9);
        float[] a = random(r, 1, 131), b = random(r, 1, 131);
        float full = (float) bruteForce(b, 131, a, 0)[1];
        assertEquals(full, KdForest.distance(a, 0, b, 0, 131, Float.MAX_VALUE), 1e-4f);
        assertTrue(KdForest.distance(a, 0, b, 0, 131, 0.01f) > 0.01f);
    }
}
