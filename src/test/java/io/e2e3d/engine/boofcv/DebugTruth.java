package io.e2e3d.engine.boofcv;

import io.e2e3d.engine.synthetic.SyntheticScene;
import java.nio.file.Path;
import java.util.List;

public class DebugTruth {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]).resolve("workspace/boofcv");
        List<SyntheticScene.Camera> cams = SyntheticScene.orbit(16, 15, 4.2, 2.6, 320, 240, 260);
        MatchStore ms = MatchStore.load(dir.resolve("matches.bin"));
        for (MatchStore.Pair p : ms.pairs) {
            if (!(p.a() == 11 && p.b() == 12) && !(p.a() == 10 && p.b() == 11)) continue;
            FeatureStore fa = FeatureStore.load(FeatureStore.file(dir, p.a()), false);
            FeatureStore fb = FeatureStore.load(FeatureStore.file(dir, p.b()), false);
            SyntheticScene.Camera ca = cams.get(p.a()), cb = cams.get(p.b());
            double[] errs = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                double ua = fa.x[p.featA()[i]], va = fa.y[p.featA()[i]];
                double[] c = ca.centre();
                double xn = (ua - ca.cx()) / ca.fx(), yn = (va - ca.cy()) / ca.fy();
                double[] r = ca.r();
                double[] d = {r[0] * xn + r[3] * yn + r[6], r[1] * xn + r[4] * yn + r[7], r[2] * xn + r[5] * yn + r[8]};
                double[] p1 = cb.project(new double[] {c[0] + 2 * d[0], c[1] + 2 * d[1], c[2] + 2 * d[2]});
                double[] p2 = cb.project(new double[] {c[0] + 8 * d[0], c[1] + 8 * d[1], c[2] + 8 * d[2]});
                double ub = fb.x[p.featB()[i]], vb = fb.y[p.featB()[i]];
                double lx = p2[0] - p1[0], ly = p2[1] - p1[1];
                errs[i] = Math.abs((ub - p1[0]) * ly - (vb - p1[1]) * lx) / Math.hypot(lx, ly);
                if (i % 15 == 0) System.out.printf("a=(%.1f,%.1f) b=(%.1f,%.1f) err=%.2f signed=%.2f%n", ua, va, ub, vb, errs[i], ((ub - p1[0]) * ly - (vb - p1[1]) * lx) / Math.hypot(lx, ly));
            }
            java.util.Arrays.sort(errs);
            System.out.println(p.a() + "-" + p.b() + " n=" + p.size() + " median epipolar err vs truth " + errs[errs.length / 2] + " p90 " + errs[(int) (errs.length * 0.9)]);
        }
    }
}
