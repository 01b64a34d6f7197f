package io.e2e3d.engine.geometry;

import java.util.stream.IntStream;

/**
 * Truncated signed distance fusion of depth maps (Curless and Levoy 1996) on a regular voxel grid.
 * Positive values lie in front of the observed surface (free space), negative values behind it.
 */
public final class TsdfVolume {
    public final int nx, ny, nz;
    public final double[] origin;
    public final double voxel;
    public final double truncation;
    private final float[] tsdf;
    private final float[] weight;

    public TsdfVolume(double[] min, double[] max, double voxel, double truncation) {
        this.origin = min.clone();
        this.voxel = voxel;
        this.truncation = truncation;
        this.nx = (int) Math.ceil((max[0] - min[0]) / voxel) + 1;
        this.ny = (int) Math.ceil((max[1] - min[1]) / voxel) + 1;
        this.nz = (int) Math.ceil((max[2] - min[2]) / voxel) + 1;
        long n = (long) nx * ny * nz;
        if (n > 120_000_000L) throw new IllegalArgumentException("TSDF grid too large: " + nx + "x" + ny + "x" + nz);
        tsdf = new float[(int) n];
        weight = new float[(int) n];
    }

    /** Fuses one depth map (row-major, depth along the optical axis, 0 or NaN = no measurement). */
    public void integrate(float[] depth, PinholeView view) {
        final double[] r = view.r(), t = view.t();
        final int w = view.width(), h = view.height();
        final double f = view.f(), pcx = view.cx(), pcy = view.cy();
        // camera coordinates are affine along a row of voxels: a start per row and a step per voxel
        final double sx = r[0] * voxel, sy = r[3] * voxel, sz = r[6] * voxel;
        IntStream.range(0, nz).parallel().forEach(z -> {
            double wz = origin[2] + z * voxel;
            for (int y = 0; y < ny; y++) {
                double wy = origin[1] + y * voxel;
                double bx = r[0] * origin[0] + r[1] * wy + r[2] * wz + t[0];
                double by = r[3] * origin[0] + r[4] * wy + r[5] * wz + t[1];
                double bz = r[6] * origin[0] + r[7] * wy + r[8] * wz + t[2];
                int base = (z * ny + y) * nx;
                // the voxels of this row that can project into the image: in front of the camera and inside
                // the image borders are each linear in x once multiplied by the (positive) depth
                double[] range = {0, nx - 1};
                clip(range, bz - 1e-6, sz);
                clip(range, f * bx + (pcx + 0.5) * bz, f * sx + (pcx + 0.5) * sz);
                clip(range, -(f * bx + (pcx - w + 0.5) * bz), -(f * sx + (pcx - w + 0.5) * sz));
                clip(range, f * by + (pcy + 0.5) * bz, f * sy + (pcy + 0.5) * sz);
                clip(range, -(f * by + (pcy - h + 0.5) * bz), -(f * sy + (pcy - h + 0.5) * sz));
                if (range[0] > range[1]) continue;
                // one voxel of slack each side against rounding; the tests below still decide
                int from = (int) Math.max(0, Math.floor(range[0]) - 1), to = (int) Math.min(nx - 1, Math.ceil(range[1]) + 1);
                for (int x = from; x <= to; x++) {
                    double cz = bz + x * sz;
                    if (cz <= 1e-6) continue;
                    double s = f / cz;
                    double u = (bx + x * sx) * s + pcx, v = (by + x * sy) * s + pcy;
                    // nearest pixel: Math.round without its cost, valid for -0.5 <= u < w - 0.5
                    if (!(u >= -0.5 && v >= -0.5 && u < w - 0.5 && v < h - 0.5)) continue;
                    float d = depth[(int) (v + 0.5) * w + (int) (u + 0.5)];
                    if (!(d > 0)) continue;
                    double sdf = d - cz;
                    if (sdf < -truncation) continue;
                    float val = (float) Math.min(1.0, sdf / truncation);
                    int i = base + x;
                    float wo = weight[i];
                    tsdf[i] = (tsdf[i] * wo + val) / (wo + 1);
                    weight[i] = wo + 1;
                }
            }
        });
    }

    /** Narrows [range[0], range[1]] to the x with a + b * x >= 0. */
    private static void clip(double[] range, double a, double b) {
        if (b > 0) {
            range[0] = Math.max(range[0], -a / b);
        } else if (b < 0) {
            range[1] = Math.min(range[1], -a / b);
        } else if (a < 0) {
            range[0] = Double.POSITIVE_INFINITY;
        }
    }

    public float value(int x, int y, int z) {
        return tsdf[(z * ny + y) * nx + x];
    }

    public float weight(int x, int y, int z) {
        return weight[(z * ny + y) * nx + x];
    }

    /** The zero level set, using voxels observed at least {@code minWeight} times and inside the truncation band. */
    public Mesh extractMesh(float minWeight) {
        return IsoSurface.extract(new IsoSurface.Field() {
            @Override
            public float value(int x, int y, int z) {
                return TsdfVolume.this.value(x, y, z);
            }

            @Override
            public boolean valid(int x, int y, int z) {
                int i = (z * ny + y) * nx + x;
                return weight[i] >= minWeight && Math.abs(tsdf[i]) < 0.999f;
            }
        }, nx, ny, nz, origin, voxel, 0f);
    }
}
