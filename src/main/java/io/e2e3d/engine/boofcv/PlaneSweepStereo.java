package io.e2e3d.engine.boofcv;

import io.e2e3d.engine.StageContext;
import io.e2e3d.engine.geometry.PinholeView;
import io.e2e3d.engine.geometry.PlyWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Multi-view stereo by plane sweeping: for each registered view, fronto-parallel planes sampled in inverse
 * depth; each neighbour view is warped onto the plane and compared by normalised cross-correlation over a
 * window; the best-scoring neighbours are averaged, the best plane refined to sub-plane accuracy. Depth maps
 * are then cross-checked between neighbouring views; consistent depths are averaged and kept.
 */
final class PlaneSweepStereo {
    static final int RADIUS = 3;
    static final float MIN_NCC = 0.5f;
    static final float MIN_STD = 2.0f;
    static final double CONSISTENCY = 0.01;

    private final BoofcvEngine.Settings settings;
    private final StageContext ctx;
    private final Path dir;

    PlaneSweepStereo(BoofcvEngine.Settings settings, StageContext ctx, Path dir) {
        this.settings = settings;
        this.ctx = ctx;
        this.dir = dir;
    }

    static int denseFactor(SparseModel m, int maxSide) {
        int side = 0;
        for (int v = 0; v < m.viewCount; v++) side = Math.max(side, Math.max(m.width[v], m.height[v]));
        return Math.max(1, (int) Math.ceil(side / (double) maxSide));
    }

    static Path depthFile(Path dir, int v) {
        return dir.resolve(String.format("depth_%04d.bin", v));
    }

    static Path rawFile(Path dir, int v) {
        return dir.resolve(String.format("rawdepth_%04d.bin", v));
    }

    static float[] loadDepth(Path dir, int v, int n) throws IOException {
        return readFloats(depthFile(dir, v), n);
    }

    static float[] readFloats(Path file, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.capacity() != 4 * n) throw new IOException("unexpected size of " + file.getFileName());
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        return out;
    }

    static void writeFloats(Path file, float[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, b.array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    void run() throws Exception {
        SparseModel model = SparseModel.load(dir.resolve("sparse.bin"));
        int k = denseFactor(model, settings.denseMaxSide());
        List<Integer> views = new ArrayList<>();
        for (int v = 0; v < model.viewCount; v++) {
            Files.deleteIfExists(depthFile(dir, v));
            Files.deleteIfExists(rawFile(dir, v));
            if (model.registered[v]) views.add(v);
        }
        int[][] neighbours = new int[model.viewCount][];
        for (int v : views) neighbours[v] = chooseNeighbours(model, v, views, settings.denseNeighbours());

        // phase 1: a depth map per view, one view per worker thread
        ParallelTasks.run(ctx, ParallelTasks.threads(settings.threads()), views.size(), "sweep", (i, stopped) -> {
            int v = views.get(i);
            float[] depth = sweep(model, v, neighbours[v], k, stopped);
            if (!stopped.getAsBoolean()) writeFloats(rawFile(dir, v), depth);
            return null;
        }, (i, none) -> ctx.progress(0.75 * (i + 1) / views.size()));

        // phase 2: consistency between neighbouring depth maps, fused points
        long pixels = 0;
        for (int v : views) {
            PinholeView pv = model.view(v).downscaled(k);
            pixels += (long) pv.width() * pv.height();
        }
        int stride = Math.max(1, (int) Math.ceil(Math.sqrt(pixels * 0.5 / settings.maxDensePoints())));
        FloatArray xyz = new FloatArray();
        ByteArray rgb = new ByteArray();
        int done = 0;
        long kept = 0;
        for (int v : views) {
            ctx.checkCanceled();
            kept += fuse(model, v, neighbours[v], k, stride, xyz, rgb);
            ctx.progress(0.75 + 0.25 * ++done / views.size());
        }
        for (int v : views) Files.deleteIfExists(rawFile(dir, v)); // only the fused depth maps are needed later
        int count = xyz.size / 3;
        PlyWriter.writePoints(ctx.outputDir().resolve("dense.ply"), xyz.data, rgb.data, count);
        ctx.detail("dense_points", count);
        ctx.detail("depth_pixels_consistent", kept);
        ctx.detail("dense_scale", 1.0 / k);
        ctx.log(String.format(Locale.ROOT, "dense: %d points from %d depth maps (1/%d resolution)", count, views.size(), k));
        ctx.progress(1.0);
    }

    /**
     * Up to {@code max} registered views that share sparse points with this one, ranked by shared points
     * weighted by the triangulation angle they give at the scene this view sees (best between 10 and 30
     * degrees, none below 2 or above 45). Works for orbits as well as for parallel (aerial, sideways) captures.
     */
    static int[] chooseNeighbours(SparseModel m, int ref, List<Integer> views, int max) {
        int[] shared = new int[m.viewCount];
        List<float[]> seen = new ArrayList<>();
        for (int p = 0; p < m.pointCount(); p++) {
            boolean inRef = false;
            for (int v : m.pointViews[p]) if (v == ref) inRef = true;
            if (!inRef) continue;
            seen.add(new float[] {m.points[3 * p], m.points[3 * p + 1], m.points[3 * p + 2]});
            for (int v : m.pointViews[p]) if (v != ref) shared[v]++;
        }
        if (seen.isEmpty()) return new int[0];
        // the median of the points the view sees stands for "the scene" of this view
        double[] target = new double[3];
        for (int a = 0; a < 3; a++) {
            float[] vals = new float[seen.size()];
            for (int i = 0; i < vals.length; i++) vals[i] = seen.get(i)[a];
            Arrays.sort(vals);
            target[a] = vals[vals.length / 2];
        }
        double[] cr = m.view(ref).centre();
        List<double[]> cand = new ArrayList<>();
        for (int v : views) {
            if (v == ref || shared[v] < 10) continue;
            double[] cv = m.view(v).centre();
            double ax = cr[0] - target[0], ay = cr[1] - target[1], az = cr[2] - target[2];
            double bx = cv[0] - target[0], by = cv[1] - target[1], bz = cv[2] - target[2];
            double cos = (ax * bx + ay * by + az * bz) / Math.sqrt((ax * ax + ay * ay + az * az) * (bx * bx + by * by + bz * bz));
            double ang = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
            if (ang < 2 || ang > 45) continue;
            double weight = ang < 10 ? ang / 10 : ang <= 30 ? 1 : (45 - ang) / 15;
            cand.add(new double[] {shared[v] * weight, v});
        }
        cand.sort((p, q) -> Double.compare(q[0], p[0]));
        int n = Math.min(max, cand.size());
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = (int) cand.get(i)[1];
        return out;
    }

    /** Depth range of the view from the sparse points it observes. */
    static double[] depthRange(SparseModel m, int v) {
        PinholeView view = m.view(v);
        double[] c = new double[3];
        List<Double> d = new ArrayList<>();
        for (int p = 0; p < m.pointCount(); p++) {
            boolean seen = false;
            for (int w : m.pointViews[p]) if (w == v) seen = true;
            if (!seen) continue;
            view.toCamera(m.points[3 * p], m.points[3 * p + 1], m.points[3 * p + 2], c);
            if (c[2] > 0) d.add(c[2]);
        }
        if (d.size() < 20) {
            d.clear();
            for (int p = 0; p < m.pointCount(); p++) {
                view.toCamera(m.points[3 * p], m.points[3 * p + 1], m.points[3 * p + 2], c);
                if (c[2] > 0) d.add(c[2]);
            }
        }
        if (d.isEmpty()) return null;
        d.sort(null);
        double lo = d.get((int) (0.02 * (d.size() - 1))), hi = d.get((int) (0.98 * (d.size() - 1)));
        return new double[] {lo * 0.8, hi * 1.25};
    }

    /** Above this image size the sweep runs coarse to fine. */
    static final int COARSE_TO_FINE_ABOVE = 400;
    /** Fine planes each side of the coarse estimate. */
    static final int FINE_HALF_RANGE = 4;

    /** The plane sweep for one reference view; returns its raw depth map (0 = none). */
    float[] sweep(SparseModel model, int ref, int[] nbs, int k, BooleanSupplier stopped) throws IOException {
        PinholeView rv = model.view(ref).downscaled(k);
        double[] range = depthRange(model, ref);
        if (nbs.length == 0 || range == null) return new float[rv.width() * rv.height()];
        // the reference and its neighbours decoded once; each level downscales them
        Images[] images = new Images[nbs.length + 1];
        images[0] = Images.load(ctxImage(ref), k);
        for (int j = 0; j < nbs.length; j++) images[j + 1] = Images.load(ctxImage(nbs[j]), k);
        return pyramid(model, ref, nbs, images, k, k, range, null, stopped);
    }

    /**
     * Coarse to fine: above {@link #COARSE_TO_FINE_ABOVE} pixels the level below (half the resolution) is
     * solved first, recursively, and this level only searches a few planes around its estimate.
     */
    private float[] pyramid(SparseModel model, int ref, int[] nbs, Images[] images, int k, int kk, double[] range,
                            float[] bestInverse, BooleanSupplier stopped) {
        PinholeView rv = model.view(ref).downscaled(kk);
        int w = rv.width(), h = rv.height();
        if (Math.max(w, h) <= COARSE_TO_FINE_ABOVE) return sweepPass(model, ref, nbs, downscaled(images, kk / k), kk, range, null, bestInverse, stopped);
        PinholeView cv = model.view(ref).downscaled(2 * kk);
        float[] coarse = new float[cv.width() * cv.height()];
        pyramid(model, ref, nbs, images, k, 2 * kk, range, coarse, stopped);
        float[] base = new float[w * h];
        for (int y = 0; y < h; y++) {
            int yc = Math.min(cv.height() - 1, y / 2);
            for (int x = 0; x < w; x++) base[y * w + x] = coarse[yc * cv.width() + Math.min(cv.width() - 1, x / 2)];
        }
        return sweepPass(model, ref, nbs, downscaled(images, kk / k), kk, range, base, bestInverse, stopped);
    }

    private static Images[] downscaled(Images[] images, int factor) {
        Images[] out = new Images[images.length];
        for (int i = 0; i < images.length; i++) out[i] = images[i].downscaled(factor);
        return out;
    }

    /**
     * One sweep at downscale factor {@code kk}, on the reference image and its neighbours' at that factor. Without {@code base}: fronto-parallel planes over the whole
     * inverse-depth range. With {@code base} (inverse depth per pixel): planes at offsets of -R..R steps
     * around it. Returns the filtered depth map; when {@code bestInverse} is given, also fills it with the
     * unfiltered best inverse depth of every pixel (for a finer pass).
     */
    private float[] sweepPass(SparseModel model, int ref, int[] nbs, Images[] images, int kk, double[] range,
                              float[] base, float[] bestInverse, BooleanSupplier stopped) {
        PinholeView rv = model.view(ref).downscaled(kk);
        int w = rv.width(), h = rv.height(), n = w * h;
        float[] depth = new float[n];
        WindowedNcc ncc = new WindowedNcc(images[0].gray, w, h, RADIUS, MIN_STD);
        int nn = nbs.length;
        float[][] nimg = new float[nn][];
        PinholeView[] nv = new PinholeView[nn];
        float[][] ray = new float[nn][]; // R_jr * (xn, yn, 1) per pixel
        double[][] trel = new double[nn][];
        for (int j = 0; j < nn; j++) {
            nv[j] = model.view(nbs[j]).downscaled(kk);
            nimg[j] = images[j + 1].gray;
            double[] rr = rv.r(), rj = nv[j].r();
            double[] R = new double[9];
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    double s = 0;
                    for (int c = 0; c < 3; c++) s += rj[3 * a + c] * rr[3 * b + c]; // R_j * R_r^T
                    R[3 * a + b] = s;
                }
            }
            double[] tr = rv.t(), tj = nv[j].t();
            trel[j] = new double[3];
            for (int a = 0; a < 3; a++) trel[j][a] = tj[a] - (R[3 * a] * tr[0] + R[3 * a + 1] * tr[1] + R[3 * a + 2] * tr[2]);
            ray[j] = new float[3 * n];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double xn = (x - rv.cx()) / rv.f(), yn = (y - rv.cy()) / rv.f();
                    int i = 3 * (y * w + x);
                    ray[j][i] = (float) (R[0] * xn + R[1] * yn + R[2]);
                    ray[j][i + 1] = (float) (R[3] * xn + R[4] * yn + R[5]);
                    ray[j][i + 2] = (float) (R[6] * xn + R[7] * yn + R[8]);
                }
            }
        }
        // plane spacing: about one pixel of motion per plane in the widest-baseline neighbour
        double invNear = 1 / range[0], invFar = 1 / range[1];
        double maxDisp = 0;
        for (int j = 0; j < nn; j++) {
            double[] p0 = project(nv[j], trel[j], ray[j], (h / 2 * w + w / 2), 1 / invNear);
            double[] p1 = project(nv[j], trel[j], ray[j], (h / 2 * w + w / 2), 1 / invFar);
            maxDisp = Math.max(maxDisp, Math.hypot(p0[0] - p1[0], p0[1] - p1[1]));
        }
        int fullPlanes = (int) Math.max(32, Math.min(600, Math.ceil(maxDisp)));
        float step = (float) ((invFar - invNear) / (fullPlanes - 1));
        int planes;
        float[] start = new float[n];
        if (base == null) {
            planes = fullPlanes;
            Arrays.fill(start, (float) invNear);
        } else {
            planes = 2 * FINE_HALF_RANGE + 1;
            for (int i = 0; i < n; i++) start[i] = base[i] - FINE_HALF_RANGE * step;
        }

        float[] best = new float[n], bestM = new float[n], bestP = new float[n], prev = new float[n];
        int[] bestI = new int[n];
        Arrays.fill(best, Float.MAX_VALUE);
        Arrays.fill(bestI, -1);
        float[] out = new float[n], b1 = new float[n], b2 = new float[n];
        for (int pl = 0; pl < planes; pl++) {
            if (stopped.getAsBoolean()) return depth;
            Arrays.fill(b1, -2f);
            Arrays.fill(b2, -2f);
            float offset = step * pl;
            for (int j = 0; j < nn; j++) {
                float[] img = nimg[j], rays = ray[j];
                PinholeView view = nv[j];
                double[] t = trel[j];
                ncc.compute((y, values, valid) -> warpRow(img, view, t, rays, start, offset, y, w, values, valid), out);
                // keep the two best neighbours per pixel (occlusions hide a view or two)
                for (int i = 0; i < n; i++) {
                    float c = out[i];
                    if (c > b1[i]) {
                        b2[i] = b1[i];
                        b1[i] = c;
                    } else if (c > b2[i]) {
                        b2[i] = c;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                float cost = nn == 1 ? 1 - b1[i] : 1 - 0.5f * (b1[i] + b2[i]);
                if (bestI[i] == pl - 1) bestP[i] = cost;
                if (cost < best[i]) {
                    best[i] = cost;
                    bestI[i] = pl;
                    bestM[i] = pl > 0 ? prev[i] : Float.NaN;
                    bestP[i] = Float.NaN;
                }
                prev[i] = cost;
            }
        }
        for (int i = 0; i < n; i++) {
            int b = bestI[i];
            if (bestInverse != null) {
                bestInverse[i] = b >= 0 ? start[i] + b * step : (float) (0.5 * (invNear + invFar));
            }
            if (b <= 0 || b >= planes - 1 || best[i] > 1 - MIN_NCC) continue;
            float cm = bestM[i], cp = bestP[i], c0 = best[i];
            if (Float.isNaN(cm) || Float.isNaN(cp)) continue;
            double denom = cm - 2 * c0 + cp;
            double off = denom > 1e-9 ? 0.5 * (cm - cp) / denom : 0;
            off = Math.max(-0.5, Math.min(0.5, off));
            double inv = start[i] + (b + off) * step;
            if (inv > 0) depth[i] = (float) (1 / inv);
        }
        return depth;
    }

    private Path ctxImage(int v) {
        return ctx.images().get(v).file();
    }

    private static double[] project(PinholeView nv, double[] t, float[] ray, int i, double d) {
        double X = d * ray[3 * i] + t[0], Y = d * ray[3 * i + 1] + t[1], Z = d * ray[3 * i + 2] + t[2];
        return new double[] {nv.f() * X / Z + nv.cx(), nv.f() * Y / Z + nv.cy()};
    }

    /**
     * One row of a neighbour image warped onto the reference view through the fronto-parallel plane at inverse
     * depth {@code start[i] + offset} per pixel; bilinear, valid 0 where the point falls outside the neighbour.
     */
    private static void warpRow(float[] img, PinholeView nv, double[] t, float[] ray, float[] start, float offset,
                                int y, int w, float[] out, float[] valid) {
        int nw = nv.width(), nh = nv.height();
        float f = (float) nv.f(), cx = (float) nv.cx(), cy = (float) nv.cy();
        float tx = (float) t[0], ty = (float) t[1], tz = (float) t[2];
        for (int x = 0, i = y * w; x < w; x++, i++) {
            float inv = start[i] + offset;
            // X / Z = (ray / inv + t) / (ray_z / inv + t_z) = (ray + t * inv) / (ray_z + t_z * inv): one division
            float z = ray[3 * i + 2] + tz * inv;
            if (inv <= 1e-9f || z <= 1e-6f * inv) {
                out[x] = 0;
                valid[x] = 0;
                continue;
            }
            float iz = f / z;
            float u = (ray[3 * i] + tx * inv) * iz + cx;
            float v = (ray[3 * i + 1] + ty * inv) * iz + cy;
            if (!(u >= 0 && v >= 0 && u < nw - 1 && v < nh - 1)) {
                out[x] = 0;
                valid[x] = 0;
                continue;
            }
            int x0 = (int) u, y0 = (int) v;
            float ax = u - x0, ay = v - y0;
            int p = y0 * nw + x0;
            float top = img[p] + ax * (img[p + 1] - img[p]);
            float bot = img[p + nw] + ax * (img[p + nw + 1] - img[p + nw]);
            out[x] = top + ay * (bot - top);
            valid[x] = 1;
        }
    }

    /** Keeps depths that at least two neighbours agree with, averages them, saves the depth map, emits points. */
    private long fuse(SparseModel model, int ref, int[] nbs, int k, int stride, FloatArray xyz, ByteArray rgb)
            throws IOException {
        PinholeView rv = model.view(ref).downscaled(k);
        int w = rv.width(), h = rv.height();
        float[] raw = readFloats(rawFile(dir, ref), w * h);
        float[] out = new float[w * h];
        int nn = nbs.length;
        PinholeView[] nv = new PinholeView[nn];
        float[][] nd = new float[nn][];
        double[][] nc = new double[nn][];
        for (int j = 0; j < nn; j++) {
            nv[j] = model.view(nbs[j]).downscaled(k);
            nd[j] = readFloats(rawFile(dir, nbs[j]), nv[j].width() * nv[j].height());
            nc[j] = nv[j].centre();
        }
        int need = Math.min(2, nn);
        if (need == 0) {
            writeFloats(depthFile(dir, ref), out);
            return 0;
        }
        Images img = Images.load(ctxImage(ref), k);
        double[] X = new double[3], c = new double[3], sum = new double[3];
        float[] col = new float[3];
        long kept = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float d = raw[y * w + x];
                if (!(d > 0)) continue;
                rv.backProject(x, y, d, X);
                sum[0] = X[0];
                sum[1] = X[1];
                sum[2] = X[2];
                int agree = 0;
                for (int j = 0; j < nn; j++) {
                    nv[j].toCamera(X[0], X[1], X[2], c);
                    if (c[2] <= 0) continue;
                    int u = (int) Math.round(nv[j].f() * c[0] / c[2] + nv[j].cx());
                    int v = (int) Math.round(nv[j].f() * c[1] / c[2] + nv[j].cy());
                    if (u < 0 || v < 0 || u >= nv[j].width() || v >= nv[j].height()) continue;
                    float dj = nd[j][v * nv[j].width() + u];
                    if (!(dj > 0) || Math.abs(dj - c[2]) > CONSISTENCY * c[2]) continue;
                    double s = dj / c[2];
                    for (int a = 0; a < 3; a++) sum[a] += nc[j][a] + (X[a] - nc[j][a]) * s;
                    agree++;
                }
                if (agree < need) continue;
                for (int a = 0; a < 3; a++) sum[a] /= (agree + 1);
                rv.toCamera(sum[0], sum[1], sum[2], c);
                out[y * w + x] = (float) c[2];
                kept++;
                if (x % stride == 0 && y % stride == 0) {
                    xyz.add((float) sum[0]);
                    xyz.add((float) sum[1]);
                    xyz.add((float) sum[2]);
                    img.sample(x, y, col);
                    for (int a = 0; a < 3; a++) rgb.add((byte) Math.round(Math.max(0, Math.min(255, col[a]))));
                }
            }
        }
        writeFloats(depthFile(dir, ref), out);
        return kept;
    }

    static final class FloatArray {
        float[] data = new float[1 << 16];
        int size;

        void add(float v) {
            if (size == data.length) data = Arrays.copyOf(data, data.length * 2);
            data[size++] = v;
        }
    }

    static final class ByteArray {
        byte[] data = new byte[1 << 16];
        int size;

        void add(byte v) {
            if (size == data.length) data = Arrays.copyOf(data, data.length * 2);
            data[size++] = v;
        }
    }
}
