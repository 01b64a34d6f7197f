package io.e2e3d.engine.geometry;

import java.util.Arrays;

/**
 * Extracts the iso-surface of a sampled scalar field on a regular grid. Each grid cube is split into six
 * tetrahedra around its main diagonal (a marching-cubes variant without ambiguous cases: neighbouring cubes
 * share their face diagonals, so the surface is watertight where the field is valid). Vertices on shared
 * edges are shared. Triangles face the positive side of the field (for a signed distance: outwards).
 */
public final class IsoSurface {

    /** The six tetrahedra of a cube; corner c sits at (c & 1, c >> 1 & 1, c >> 2 & 1). */
    private static final int[][] TETS = {
        {0, 1, 3, 7}, {0, 1, 5, 7}, {0, 2, 3, 7}, {0, 2, 6, 7}, {0, 4, 5, 7}, {0, 4, 6, 7}};

    private IsoSurface() {
    }

    /** A scalar field; {@link #valid} says whether a sample may take part in the surface. */
    public interface Field {
        float value(int x, int y, int z);

        boolean valid(int x, int y, int z);
    }

    /**
     * @param nx,ny,nz grid size in samples
     * @param origin   position of sample (0,0,0)
     * @param spacing  distance between samples
     */
    public static Mesh extract(Field field, int nx, int ny, int nz, double[] origin, double spacing, float iso) {
        FloatList verts = new FloatList(1 << 16);
        IntList faces = new IntList(1 << 16);
        LongIntMap edgeToVertex = new LongIntMap(1 << 16);
        float[] v = new float[8];
        int[] gi = new int[8];
        boolean[] ok = new boolean[8];
        long sliceXY = (long) nx * ny;
        for (int z = 0; z + 1 < nz; z++) {
            for (int y = 0; y + 1 < ny; y++) {
                for (int x = 0; x + 1 < nx; x++) {
                    boolean anyBelow = false, anyAbove = false;
                    for (int c = 0; c < 8; c++) {
                        int cx = x + (c & 1), cy = y + (c >> 1 & 1), cz = z + (c >> 2 & 1);
                        ok[c] = field.valid(cx, cy, cz);
                        if (ok[c]) {
                            v[c] = field.value(cx, cy, cz) - iso;
                            if (v[c] < 0) anyBelow = true;
                            else anyAbove = true;
                        }
                        gi[c] = c;
                    }
                    if (!anyBelow || !anyAbove) continue;
                    for (int[] tet : TETS) {
                        if (!ok[tet[0]] || !ok[tet[1]] || !ok[tet[2]] || !ok[tet[3]]) continue;
                        polygonise(tet, v, x, y, z, nx, sliceXY, origin, spacing, verts, faces, edgeToVertex);
                    }
                }
            }
        }
        return new Mesh(verts.toArray(), faces.toArray(), null);
    }

    private static void polygonise(int[] tet, float[] v, int x, int y, int z, int nx, long sliceXY, double[] origin,
                                   double spacing, FloatList verts, IntList faces, LongIntMap map) {
        int[] neg = new int[4], pos = new int[4];
        int nn = 0, np = 0;
        for (int c : tet) {
            if (v[c] < 0) neg[nn++] = c;
            else pos[np++] = c;
        }
        if (nn == 0 || np == 0) return;
        if (nn == 1 || np == 1) {
            int lone = nn == 1 ? neg[0] : pos[0];
            int[] others = nn == 1 ? pos : neg;
            int a = vertexOn(lone, others[0], v, x, y, z, nx, sliceXY, origin, spacing, verts, map);
            int b = vertexOn(lone, others[1], v, x, y, z, nx, sliceXY, origin, spacing, verts, map);
            int c = vertexOn(lone, others[2], v, x, y, z, nx, sliceXY, origin, spacing, verts, map);
            addOriented(a, b, c, neg, nn, pos, np, x, y, z, verts, faces);
        } else {
            // two below, two above: a quad through the four crossing edges, in cyclic order
            int a = vertexOn(neg[0], pos[0], v, x, y, z, nx, sliceXY, origin, spacing, verts, map);
            int b = vertexOn(neg[0], pos[1], v, x, y, z, nx, sliceXY, origin, spacing, verts, map);
            int c = vertexOn(neg[1], pos[1], v, x, y, z, nx, sliceXY, origin, spacing, verts, map);
            int d = vertexOn(neg[1], pos[0], v, x, y, z, nx, sliceXY, origin, spacing, verts, map);
            addOriented(a, b, c, neg, nn, pos, np, x, y, z, verts, faces);
            addOriented(a, c, d, neg, nn, pos, np, x, y, z, verts, faces);
        }
    }

    /** Adds a triangle whose normal points from the negative corners towards the positive ones. */
    private static void addOriented(int a, int b, int c, int[] neg, int nn, int[] pos, int np, int x, int y, int z,
                                    FloatList verts, IntList faces) {
        if (a == b || b == c || a == c) return; // degenerate (vertex snapped onto a corner)
        float[] p = verts.data;
        double ux = p[3 * b] - p[3 * a], uy = p[3 * b + 1] - p[3 * a + 1], uz = p[3 * b + 2] - p[3 * a + 2];
        double vx = p[3 * c] - p[3 * a], vy = p[3 * c + 1] - p[3 * a + 1], vz = p[3 * c + 2] - p[3 * a + 2];
        double nxx = uy * vz - uz * vy, nyy = uz * vx - ux * vz, nzz = ux * vy - uy * vx;
        double gx = 0, gy = 0, gz = 0;
        for (int i = 0; i < np; i++) {
            gx += (pos[i] & 1) / (double) np;
            gy += (pos[i] >> 1 & 1) / (double) np;
            gz += (pos[i] >> 2 & 1) / (double) np;
        }
        for (int i = 0; i < nn; i++) {
            gx -= (neg[i] & 1) / (double) nn;
            gy -= (neg[i] >> 1 & 1) / (double) nn;
            gz -= (neg[i] >> 2 & 1) / (double) nn;
        }
        if (nxx * gx + nyy * gy + nzz * gz >= 0) {
            faces.add(a);
            faces.add(b);
            faces.add(c);
        } else {
            faces.add(a);
            faces.add(c);
            faces.add(b);
        }
    }

    private static int vertexOn(int c0, int c1, float[] v, int x, int y, int z, int nx, long sliceXY, double[] origin,
                                double spacing, FloatList verts, LongIntMap map) {
        int x0 = x + (c0 & 1), y0 = y + (c0 >> 1 & 1), z0 = z + (c0 >> 2 & 1);
        int x1 = x + (c1 & 1), y1 = y + (c1 >> 1 & 1), z1 = z + (c1 >> 2 & 1);
        long g0 = x0 + y0 * (long) nx + z0 * sliceXY, g1 = x1 + y1 * (long) nx + z1 * sliceXY;
        long key = g0 < g1 ? g0 * 0x1000_0000L * 16 + g1 : g1 * 0x1000_0000L * 16 + g0;
        int found = map.get(key);
        if (found >= 0) return found;
        float t = v[c0] / (v[c0] - v[c1]);
        t = Math.max(0f, Math.min(1f, t));
        int idx = verts.size / 3;
        verts.add((float) (origin[0] + spacing * (x0 + t * (x1 - x0))));
        verts.add((float) (origin[1] + spacing * (y0 + t * (y1 - y0))));
        verts.add((float) (origin[2] + spacing * (z0 + t * (z1 - z0))));
        map.put(key, idx);
        return idx;
    }

    static final class FloatList {
        float[] data;
        int size;

        FloatList(int cap) {
            data = new float[cap];
        }

        void add(float f) {
            if (size == data.length) data = Arrays.copyOf(data, data.length * 2);
            data[size++] = f;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    static final class IntList {
        int[] data;
        int size;

        IntList(int cap) {
            data = new int[cap];
        }

        void add(int f) {
            if (size == data.length) data = Arrays.copyOf(data, data.length * 2);
            data[size++] = f;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    /** Open-addressing map from non-negative long keys to int values. */
    static final class LongIntMap {
        long[] keys;
        int[] values;
        int size;

        LongIntMap(int cap) {
            keys = new long[cap];
            values = new int[cap];
            Arrays.fill(keys, -1);
        }

        int get(long key) {
            int mask = keys.length - 1;
            int i = hash(key) & mask;
            while (keys[i] != -1) {
                if (keys[i] == key) return values[i];
                i = (i + 1) & mask;
            }
            return -1;
        }

        void put(long key, int value) {
            if (2 * (size + 1) > keys.length) grow();
            int mask = keys.length - 1;
            int i = hash(key) & mask;
            while (keys[i] != -1 && keys[i] != key) i = (i + 1) & mask;
            if (keys[i] == -1) size++;
            keys[i] = key;
            values[i] = value;
        }

        private void grow() {
            long[] ok = keys;
            int[] ov = values;
            keys = new long[ok.length * 2];
            values = new int[ok.length * 2];
            Arrays.fill(keys, -1);
            size = 0;
            for (int i = 0; i < ok.length; i++) if (ok[i] != -1) put(ok[i], ov[i]);
        }

        private static int hash(long k) {
            k ^= k >>> 33;
            k *= 0xff51afd7ed558ccdL;
            k ^= k >>> 33;
            return (int) k;
        }
    }
}
