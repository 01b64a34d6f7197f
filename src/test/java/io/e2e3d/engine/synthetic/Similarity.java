package io.e2e3d.engine.synthetic;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * A similarity transform y = s * R * x + t, estimated in closed form (Umeyama 1991) from corresponding points.
 */
public final class Similarity {
    public final double scale;
    public final double[] r; // row-major 3x3
    public final double[] t;

    private Similarity(double scale, double[] r, double[] t) {
        this.scale = scale;
        this.r = r;
        this.t = t;
    }

    public double[] apply(double[] x) {
        return new double[] {
            scale * (r[0] * x[0] + r[1] * x[1] + r[2] * x[2]) + t[0],
            scale * (r[3] * x[0] + r[4] * x[1] + r[5] * x[2]) + t[1],
            scale * (r[6] * x[0] + r[7] * x[1] + r[8] * x[2]) + t[2]};
    }

    /** Estimates the similarity mapping {@code from} onto {@code to} (least squares). */
    public static Similarity umeyama(List<double[]> from, List<double[]> to) {
        int n = from.size();
        if (n != to.size() || n < 3) throw new IllegalArgumentException("need >= 3 correspondences");
        double[] mx = new double[3], my = new double[3];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                mx[k] += from.get(i)[k] / n;
                my[k] += to.get(i)[k] / n;
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(3, 3);
        double varX = 0;
        for (int i = 0; i < n; i++) {
            double[] x = from.get(i), y = to.get(i);
            for (int a = 0; a < 3; a++) {
                varX += (x[a] - mx[a]) * (x[a] - mx[a]) / n;
                for (int b = 0; b < 3; b++) {
                    cov.add(a, b, (y[a] - my[a]) * (x[b] - mx[b]) / n);
                }
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(3, 3, true, true, false);
        if (!svd.decompose(cov.copy())) throw new IllegalStateException("SVD failed");
        DMatrixRMaj u = svd.getU(null, false), v = svd.getV(null, false);
        double[] sv = svd.getSingularValues();
        DMatrixRMaj s = CommonOps_DDRM.identity(3);
        double detU = CommonOps_DDRM.det(u), detV = CommonOps_DDRM.det(v);
        if (detU * detV < 0) {
            // flip the axis of the smallest singular value
            int min = 0;
            for (int k = 1; k < 3; k++) if (sv[k] < sv[min]) min = k;
            s.set(min, min, -1);
        }
        DMatrixRMaj us = new DMatrixRMaj(3, 3), rot = new DMatrixRMaj(3, 3);
        CommonOps_DDRM.mult(u, s, us);
        CommonOps_DDRM.multTransB(us, v, rot);
        double trace = 0;
        for (int k = 0; k < 3; k++) trace += sv[k] * s.get(k, k);
        double scale = trace / varX;
        double[] r = rot.getData().clone();
        double[] t = new double[3];
        for (int a = 0; a < 3; a++) {
            t[a] = my[a] - scale * (r[3 * a] * mx[0] + r[3 * a + 1] * mx[1] + r[3 * a + 2] * mx[2]);
        }
        return new Similarity(scale, r, t);
    }
}
