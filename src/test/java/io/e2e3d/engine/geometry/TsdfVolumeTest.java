package io.e2e3d.engine.geometry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TsdfVolumeTest {

    /** A camera at distance 3 looking at the origin from direction (sin a, 0, cos a), slightly tilted. */
    private static PinholeView view(double a, int w, int h) {
        double c = Math.cos(a), s = Math.sin(a);
        double[] r = {c, 0, -s, 0, 1, 0, s, 0, c}; // rotation about y
        // values off the voxel grid's round numbers, so that no voxel projects exactly onto a pixel border
        double[] t = {0.1031, -0.0517, 3.0013};
        return new PinholeView(w, h, 41.3, (w - 1) / 2.0 + 0.137, (h - 1) / 2.0 - 0.071, r, t);
    }

    /** The fusion rule per voxel, written out plainly. */
    private static void reference(float[] tsdf, float[] weight, TsdfVolume v, float[] depth, PinholeView view) {
        double[] c = new double[3];
        for (int z = 0; z < v.nz; z++) {
            for (int y = 0; y < v.ny; y++) {
                for (int x = 0; x < v.nx; x++) {
                    view.toCamera(v.origin[0] + x * v.voxel, v.origin[1] + y * v.voxel, v.origin[2] + z * v.voxel, c);
                    if (c[2] <= 1e-6) continue;
                    long u = Math.round(view.f() * c[0] / c[2] + view.cx()), w = Math.round(view.f() * c[1] / c[2] + view.cy());
                    if (u < 0 || w < 0 || u >= view.width() || w >= view.height()) continue;
                    float d = depth[(int) (w * view.width() + u)];
                    if (!(d > 0)) continue;
                    double sdf = d - c[2];
                    if (sdf < -v.truncation) continue;
                    float val = (float) Math.min(1.0, sdf / v.truncation);
                    int i = (z * v.ny + y) * v.nx + x;
                    tsdf[i] = (tsdf[i] * weight[i] + val) / (weight[i] + 1);
                    weight[i]++;
                }
            }
        }
    }

    @Test
    void fusesEveryVoxelAsThePlainRuleDoes() {
        Random r = new Random(12);
        TsdfVolume v = new TsdfVolume(new double[] {-1, -0.8, -1.2}, new double[] {1.1, 0.9, 1.0}, 0.05, 0.2);
        int n = v.nx * v.ny * v.nz;
        float[] tsdf = new float[n], weight = new float[n];
        int touched = 0;
        for (double a : new double[] {0, 0.4, -0.7, 2.5}) {
            PinholeView view = view(a, 48, 36);
            float[] depth = new float[48 * 36];
            for (int i = 0; i < depth.length; i++) depth[i] = r.nextInt(10) == 0 ? 0 : (float) (2.5 + r.nextDouble());
            v.integrate(depth, view);
            reference(tsdf, weight, v, depth, view);
        }
        // the same up to rounding: a voxel projecting within 1e-12 pixel of a pixel border may pick either pixel
        int differing = 0;
        for (int i = 0; i < n; i++) {
            if (weight[i] != v.weight(i % v.nx, (i / v.nx) % v.ny, i / (v.nx * v.ny))
                    || Math.abs(tsdf[i] - v.value(i % v.nx, (i / v.nx) % v.ny, i / (v.nx * v.ny))) > 1e-6) differing++;
            if (weight[i] > 0) touched++;
        }
        assertTrue(differing <= 2, differing + " of " + n + " voxels differ");
        assertTrue(touched > n / 10, "voxels seen: " + touched + " of " + n);
    }
}
