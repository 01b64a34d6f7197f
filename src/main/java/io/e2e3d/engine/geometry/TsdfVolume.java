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
        IntStream.range(0, nz).parallel().forEach(z -> {
            double wz = origin[2] + z * voxel;
            for (int y = 0; y < ny; y++) {
                double wy = origin[1] + y * voxel;
                int base = (z * ny + y) * nx;
                for (int x = 0; x < nx; x++) {
                    double wx = origin[0] + x * voxel;
                    double cz = r[6] * wx + r[7] * wy + r[8] * wz + t[2];
                    if (cz <= 1e-6) continue;
                    double cx = r[0] * wx + r[1] * wy + r[2] * wz + t[0];
                    double cy = r[3] * wx + r[4] * wy + r[5] * wz + t[1];
                    int u = (int) Math.round(view.f() * cx / cz + view.cx());
                    int v = (int) Math.round(view.f() * cy / cz + view.cy());
                    if (u < 0 || v < 0 || u >= w || v >= h) continue;
                    float d = depth[v * w + u];
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
