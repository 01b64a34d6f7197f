package io.e2e3d.engine.boofcv;

import java.util.Arrays;
import java.util.Random;

/**
 * Approximate nearest neighbours among fixed-length float vectors (feature descriptors): a few randomized k-d
 * trees searched together, best bin first, examining at most a given number of points per query (the
 * randomized k-d forest of Silpa-Anan and Hartley, as in FLANN). Exhaustive comparison of every descriptor of
 * one image with every descriptor of the other was most of the matching time.
 *
 * <p>Immutable once built and safe to share between threads; each thread searches with its own {@link Searcher}.
 * With {@code maxChecks >= size()} a search examines every point and is exact.
 */
final class KdForest {
    /** Points per leaf: small buckets keep the trees shallow without examining many points per leaf. */
    static final int LEAF_SIZE = 8;
    /** A node splits on one of the dimensions of highest variance, chosen at random among this many. */
    static final int SPLIT_CANDIDATES = 5;
    /** Points sampled per node to estimate mean and variance. */
    static final int VARIANCE_SAMPLE = 64;

    private final float[] data;
    private final int n, dim;
    private final int[] roots;
    /** Point indices; every tree owns one segment of length n, its leaves ranges in it. */
    private final int[] order;
    // nodes of all trees; splitDim < 0 marks a leaf whose points are order[lo[i]..hi[i])
    private int[] splitDim = new int[64], lo = new int[64], hi = new int[64];
    private float[] splitValue = new float[64];
    private int nodes;

    /**
     * @param vectors {@code n} vectors of length {@code dim}, row after row (kept, not copied)
     * @param trees   number of randomized trees
     * @param seed    seed of the random split choices, for reproducible searches
     */
    KdForest(float[] vectors, int dim, int trees, long seed) {
        if (dim <= 0 || vectors.length % dim != 0) throw new IllegalArgumentException("length not a multiple of " + dim);
        this.data = vectors;
        this.dim = dim;
        this.n = vectors.length / dim;
        this.roots = new int[trees];
        this.order = new int[trees * n];
        Random random = new Random(seed);
        float[] mean = new float[dim], var = new float[dim];
        for (int t = 0; t < trees; t++) {
            for (int i = 0; i < n; i++) order[t * n + i] = i;
            roots[t] = build(t * n, (t + 1) * n, random, mean, var);
        }
    }

    int size() {
        return n;
    }

    int dim() {
        return dim;
    }

    private int newNode() {
        if (nodes == splitDim.length) {
            int cap = 2 * nodes;
            splitDim = Arrays.copyOf(splitDim, cap);
            lo = Arrays.copyOf(lo, cap);
            hi = Arrays.copyOf(hi, cap);
            splitValue = Arrays.copyOf(splitValue, cap);
        }
        return nodes++;
    }

    private int leaf(int from, int to) {
        int node = newNode();
        splitDim[node] = -1;
        lo[node] = from;
        hi[node] = to;
        return node;
    }

    /** Builds the subtree over order[from..to) and returns its node. */
    private int build(int from, int to, Random random, float[] mean, float[] var) {
        int count = to - from;
        if (count <= LEAF_SIZE) return leaf(from, to);
        // mean and variance per dimension over an evenly spaced sample
        Arrays.fill(mean, 0);
        Arrays.fill(var, 0);
        int samples = Math.min(count, VARIANCE_SAMPLE);
        for (int s = 0; s < samples; s++) {
            int off = order[from + (int) ((long) s * count / samples)] * dim;
            for (int k = 0; k < dim; k++) mean[k] += data[off + k];
        }
        for (int k = 0; k < dim; k++) mean[k] /= samples;
        for (int s = 0; s < samples; s++) {
            int off = order[from + (int) ((long) s * count / samples)] * dim;
            for (int k = 0; k < dim; k++) {
                float d = data[off + k] - mean[k];
                var[k] += d * d;
            }
        }
        int d = pickSplitDimension(var, random);
        float value = mean[d];
        int mid = partition(from, to, d, value);
        if (mid == from || mid == to) {
            // the sample missed the spread: split at the median instead
            float[] vals = new float[count];
            for (int i = 0; i < count; i++) vals[i] = data[order[from + i] * dim + d];
            Arrays.sort(vals);
            value = vals[count / 2];
            mid = partition(from, to, d, value);
            if (mid == from) {
                // many equal to the minimum: they go left, the larger values right
                value = Math.nextUp(value);
                mid = partition(from, to, d, value);
            }
            if (mid == from || mid == to) return leaf(from, to); // all equal in this dimension
        }
        int node = newNode();
        splitDim[node] = d;
        splitValue[node] = value;
        int left = build(from, mid, random, mean, var);
        int right = build(mid, to, random, mean, var);
        lo[node] = left;
        hi[node] = right;
        return node;
    }

    /** One of the {@link #SPLIT_CANDIDATES} dimensions of largest variance, at random. */
    private int pickSplitDimension(float[] var, Random random) {
        int m = Math.min(SPLIT_CANDIDATES, dim);
        int[] top = new int[m];
        Arrays.fill(top, -1);
        for (int k = 0; k < dim; k++) {
            // insertion into the small sorted list of the best dimensions so far
            int pos = m;
            while (pos > 0 && (top[pos - 1] < 0 || var[k] > var[top[pos - 1]])) pos--;
            if (pos >= m) continue;
            System.arraycopy(top, pos, top, pos + 1, m - pos - 1);
            top[pos] = k;
        }
        return top[random.nextInt(m)];
    }

    /** Reorders order[from..to) so that points with a value below {@code value} in {@code d} come first. */
    private int partition(int from, int to, int d, float value) {
        int i = from, j = to - 1;
        while (i <= j) {
            if (data[order[i] * dim + d] < value) {
                i++;
            } else {
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
                j--;
            }
        }
        return i;
    }

    /** Squared Euclidean distance; stops early (returning a value above {@code limit}) once it exceeds it. */
    static float distance(float[] a, int aOff, float[] b, int bOff, int dim, float limit) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        while (k + 3 < dim) {
            // four partial sums: independent chains the CPU can overlap
            int end = Math.min(dim - 3, k + 32);
            for (; k < end; k += 4) {
                float e0 = a[aOff + k] - b[bOff + k], e1 = a[aOff + k + 1] - b[bOff + k + 1];
                float e2 = a[aOff + k + 2] - b[bOff + k + 2], e3 = a[aOff + k + 3] - b[bOff + k + 3];
                s0 += e0 * e0;
                s1 += e1 * e1;
                s2 += e2 * e2;
                s3 += e3 * e3;
            }
            if ((s0 + s1) + (s2 + s3) > limit) return (s0 + s1) + (s2 + s3);
        }
        for (; k < dim; k++) {
            float e = a[aOff + k] - b[bOff + k];
            s0 += e * e;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Searches the forest for the two nearest points of a query; not thread-safe, one per thread. */
    final class Searcher {
        private final int[] visited = new int[n];
        private int stamp;
        // a binary min-heap of branches not taken, keyed by the summed squared distances to their splitting planes
        private float[] keys = new float[256];
        private int[] branch = new int[256];
        private int heapSize;
        private int checks;
        /** Results of the last search: nearest and second nearest point (-1 when none) and squared distances. */
        int best1, best2;
        float dist1, dist2;

        /** The two nearest points to {@code query[offset..offset+dim)}, examining at most {@code maxChecks} points. */
        void nearestTwo(float[] query, int offset, int maxChecks) {
            if (++stamp == Integer.MAX_VALUE) {
                Arrays.fill(visited, 0);
                stamp = 1;
            }
            best1 = best2 = -1;
            dist1 = dist2 = Float.MAX_VALUE;
            heapSize = 0;
            checks = 0;
            for (int root : roots) descend(root, 0f, query, offset);
            while (heapSize > 0 && checks < maxChecks) {
                float key = keys[0];
                int node = pop();
                descend(node, key, query, offset);
            }
        }

        private void descend(int node, float bound, float[] q, int qOff) {
            while (splitDim[node] >= 0) {
                float diff = q[qOff + splitDim[node]] - splitValue[node];
                int near = diff < 0 ? lo[node] : hi[node];
                int far = diff < 0 ? hi[node] : lo[node];
                push(far, bound + diff * diff);
                node = near;
            }
            for (int i = lo[node]; i < hi[node]; i++) {
                int p = order[i];
                if (visited[p] == stamp) continue; // already examined in another tree
                visited[p] = stamp;
                checks++;
                float d = distance(q, qOff, data, p * dim, dim, dist2);
                if (d < dist1) {
                    best2 = best1;
                    dist2 = dist1;
                    best1 = p;
                    dist1 = d;
                } else if (d < dist2) {
                    best2 = p;
                    dist2 = d;
                }
            }
        }

        private void push(int node, float key) {
            if (heapSize == keys.length) {
                keys = Arrays.copyOf(keys, 2 * heapSize);
                branch = Arrays.copyOf(branch, 2 * heapSize);
            }
            int i = heapSize++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (keys[parent] <= key) break;
                keys[i] = keys[parent];
                branch[i] = branch[parent];
                i = parent;
            }
            keys[i] = key;
            branch[i] = node;
        }

        private int pop() {
            int top = branch[0];
            float key = keys[--heapSize];
            int node = branch[heapSize];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= heapSize) break;
                if (c + 1 < heapSize && keys[c + 1] < keys[c]) c++;
                if (keys[c] >= key) break;
                keys[i] = keys[c];
                branch[i] = branch[c];
                i = c;
            }
            keys[i] = key;
            branch[i] = node;
            return top;
        }
    }
}
