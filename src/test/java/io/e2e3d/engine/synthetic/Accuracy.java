package io.e2e3d.engine.synthetic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Accuracy of a reconstruction against the synthetic ground truth, after similarity alignment of camera centres. */
public final class Accuracy {
    private Accuracy() {
    }

    /** Estimated camera centres by view index, read from cameras.json (registered views only). */
    public static Map<Integer, double[]> centres(Path camerasJson) throws IOException {
        Map<Integer, double[]> out = new HashMap<>();
        for (Map.Entry<Integer, double[][]> e : cameras(camerasJson).entrySet()) out.put(e.getKey(), e.getValue()[0]);
        return out;
    }

    /** Per registered view: {centre, optical axis} in the reconstruction frame. */
    public static Map<Integer, double[][]> cameras(Path camerasJson) throws IOException {
        String s = Files.readString(camerasJson);
        Pattern p = Pattern.compile("\\{\"index\": (\\d+),[^}]*?\"registered\": true[^}]*?\"rotation\": \\[([^\\]]+)\\]"
                + "[^}]*?\"centre\": \\[([^\\]]+)\\]");
        Matcher m = p.matcher(s);
        Map<Integer, double[][]> out = new HashMap<>();
        while (m.find()) {
            double[] r = parse(m.group(2)), c = parse(m.group(3));
            out.put(Integer.parseInt(m.group(1)), new double[][] {c, {r[6], r[7], r[8]}});
        }
        return out;
    }

    private static double[] parse(String list) {
        String[] parts = list.split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < v.length; i++) v[i] = Double.parseDouble(parts[i].trim());
        return v;
    }

    /**
     * The similarity mapping the reconstruction frame onto the world frame: camera centres, plus a point one
     * world unit along each optical axis (so that cameras on a line still fix the rotation).
     */
    public static Similarity align(Map<Integer, double[][]> est, List<SyntheticScene.Camera> truth) {
        List<double[]> from = new ArrayList<>(), to = new ArrayList<>();
        for (Map.Entry<Integer, double[][]> e : est.entrySet()) {
            from.add(e.getValue()[0]);
            to.add(truth.get(e.getKey()).centre());
        }
        Similarity first = Similarity.umeyama(from, to);
        for (Map.Entry<Integer, double[][]> e : est.entrySet()) {
            double[] c = e.getValue()[0], a = e.getValue()[1];
            double k = 1 / first.scale;
            from.add(new double[] {c[0] + k * a[0], c[1] + k * a[1], c[2] + k * a[2]});
            SyntheticScene.Camera t = truth.get(e.getKey());
            double[] tc = t.centre(), r = t.r();
            to.add(new double[] {tc[0] + r[6], tc[1] + r[7], tc[2] + r[8]});
        }
        return Similarity.umeyama(from, to);
    }

    /** Residual camera-centre error after alignment (RMS, world units). */
    public static double centreRms(Map<Integer, double[]> est, List<SyntheticScene.Camera> truth, Similarity s) {
        double sum = 0;
        for (Map.Entry<Integer, double[]> e : est.entrySet()) {
            double[] a = s.apply(e.getValue()), b = truth.get(e.getKey()).centre();
            sum += SyntheticScene.sq(a[0] - b[0]) + SyntheticScene.sq(a[1] - b[1]) + SyntheticScene.sq(a[2] - b[2]);
        }
        return Math.sqrt(sum / est.size());
    }

    /** Point-to-surface distances (world units) of the aligned points, sorted ascending. */
    public static double[] distances(float[] xyz, Similarity s, int maxPoints) {
        int n = xyz.length / 3;
        int step = Math.max(1, n / maxPoints);
        double[] d = new double[(n + step - 1) / step];
        int k = 0;
        for (int i = 0; i < n && k < d.length; i += step) {
            double[] p = s.apply(new double[] {xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]});
            d[k++] = SyntheticScene.distanceToSurface(p);
        }
        d = Arrays.copyOf(d, k);
        Arrays.sort(d);
        return d;
    }

    public static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** Fraction of ground-truth samples with an aligned reconstructed point within {@code tol}. */
    public static double completeness(List<double[]> truthSamples, float[] xyz, Similarity s, double tol) {
        // hash the aligned points into a grid of cell size tol
        Map<Long, List<double[]>> grid = new HashMap<>();
        int n = xyz.length / 3;
        for (int i = 0; i < n; i++) {
            double[] p = s.apply(new double[] {xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]});
            grid.computeIfAbsent(key(p, tol), k -> new ArrayList<>()).add(p);
        }
        int hit = 0;
        for (double[] t : truthSamples) {
            boolean found = false;
            long cx = (long) Math.floor(t[0] / tol), cy = (long) Math.floor(t[1] / tol), cz = (long) Math.floor(t[2] / tol);
            for (long dx = -1; dx <= 1 && !found; dx++) {
                for (long dy = -1; dy <= 1 && !found; dy++) {
                    for (long dz = -1; dz <= 1 && !found; dz++) {
                        List<double[]> cell = grid.get(pack(cx + dx, cy + dy, cz + dz));
                        if (cell == null) continue;
                        for (double[] p : cell) {
                            if (SyntheticScene.sq(p[0] - t[0]) + SyntheticScene.sq(p[1] - t[1]) + SyntheticScene.sq(p[2] - t[2]) <= tol * tol) {
                                found = true;
                                break;
                            }
                        }
                    }
                }
            }
            if (found) hit++;
        }
        return hit / (double) truthSamples.size();
    }

    private static long key(double[] p, double tol) {
        return pack((long) Math.floor(p[0] / tol), (long) Math.floor(p[1] / tol), (long) Math.floor(p[2] / tol));
    }

    private static long pack(long x, long y, long z) {
        return ((x & 0x1FFFFF) << 42) | ((y & 0x1FFFFF) << 21) | (z & 0x1FFFFF);
    }
}
