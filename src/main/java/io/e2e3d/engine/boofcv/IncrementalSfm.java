package io.e2e3d.engine.boofcv;

import boofcv.abst.geo.RefinePnP;
import boofcv.abst.geo.Triangulate2ViewsMetric;
import boofcv.abst.geo.TriangulateNViewsMetric;
import boofcv.abst.geo.bundle.BundleAdjustment;
import boofcv.abst.geo.bundle.ScaleSceneStructure;
import boofcv.abst.geo.bundle.SceneObservations;
import boofcv.abst.geo.bundle.SceneStructureMetric;
import boofcv.alg.geo.robust.ModelMatcherMultiview;
import boofcv.factory.geo.ConfigBundleAdjustment;
import boofcv.factory.geo.ConfigEssential;
import boofcv.factory.geo.ConfigPnP;
import boofcv.factory.geo.ConfigRansac;
import boofcv.factory.geo.ConfigTriangulation;
import boofcv.factory.geo.FactoryMultiView;
import boofcv.factory.geo.FactoryMultiViewRobust;
import boofcv.struct.calib.CameraPinhole;
import boofcv.struct.geo.AssociatedPair;
import boofcv.struct.geo.Point2D3D;
import georegression.struct.point.Point2D_F64;
import georegression.struct.point.Point3D_F64;
import georegression.struct.se.Se3_F64;
import georegression.transform.se.SePointOps_F64;
import io.e2e3d.engine.geometry.DisjointSets;
import io.e2e3d.engine.StageContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.ddogleg.optimization.ConfigLoss;

/**
 * Incremental structure from motion over verified pairwise matches: feature tracks, a two-view start from the
 * essential matrix, then views added one by one by PnP, new points triangulated, and bundle adjustment of
 * poses, points and one shared focal length per image size.
 */
final class IncrementalSfm {
    static final double TRIANGULATION_MAX_PX = 4.0;
    static final double BA_OUTLIER_PX = 3.0;
    static final double MIN_ANGLE_DEG = 1.5;
    /**
     * While the model is small every registration is followed by a global bundle adjustment; beyond
     * {@link #ALWAYS_ADJUST_UP_TO} views only when the model grew by this factor since the last one (global
     * adjustments of 30 and more views took seconds each, and adjusting after every third view was most of the
     * stage).
     */
    static final double GLOBAL_BA_GROWTH = 1.2;
    static final int ALWAYS_ADJUST_UP_TO = 8;
    /**
     * RANSAC runs all its iterations. Start pairs and new views usually have mostly inliers, for which a
     * short run suffices ((1 - 0.5^5)^250 < 0.0004 to miss with half inliers); fewer inliers get the long run.
     */
    static final int QUICK_RANSAC_ITERATIONS = 250;
    static final double QUICK_RANSAC_MIN_INLIER_FRACTION = 0.5;

    final int n;
    final double[] cx, cy;
    final int[] camOf;
    final double[] focal;      // per camera
    final boolean focalKnown;
    final float[][] fx, fy;    // feature pixels per view

    // tracks in CSR form
    int[] trackStart;
    int[] obsView, obsFeat;
    boolean[] obsInlier;
    int[][] featToTrack;

    // state
    final boolean[] reg;
    final Se3_F64[] pose;
    double[] pts;               // 3 per track
    boolean[] hasPoint;
    int registrations;
    private int registrationsAtLastAdjustment;

    private final StageContext ctx;
    private final TriangulateNViewsMetric triN = FactoryMultiView.triangulateNViewMetric(ConfigTriangulation.GEOMETRIC());

    IncrementalSfm(StageContext ctx, double[] cx, double[] cy, int[] camOf, double[] focal, boolean focalKnown,
                   float[][] fx, float[][] fy) {
        this.ctx = ctx;
        this.n = cx.length;
        this.cx = cx;
        this.cy = cy;
        this.camOf = camOf;
        this.focal = focal;
        this.focalKnown = focalKnown;
        this.fx = fx;
        this.fy = fy;
        this.reg = new boolean[n];
        this.pose = new Se3_F64[n];
    }

    // ------------------------------------------------------------------ tracks

    void buildTracks(MatchStore matches) {
        int[] offset = new int[n + 1];
        for (int v = 0; v < n; v++) offset[v + 1] = offset[v] + fx[v].length;
        int total = offset[n];
        int[] parent = DisjointSets.create(total);
        for (MatchStore.Pair p : matches.pairs) {
            for (int k = 0; k < p.size(); k++) {
                DisjointSets.union(parent, offset[p.a()] + p.featA()[k], offset[p.b()] + p.featB()[k]);
            }
        }
        int[] count = new int[total];
        boolean[] touched = new boolean[total];
        for (MatchStore.Pair p : matches.pairs) {
            for (int k = 0; k < p.size(); k++) {
                touched[offset[p.a()] + p.featA()[k]] = true;
                touched[offset[p.b()] + p.featB()[k]] = true;
            }
        }
        for (int i = 0; i < total; i++) if (touched[i]) count[DisjointSets.find(parent, i)]++;
        // roots with >= 2 members, without two features in the same view
        int[] rootToTrack = new int[total];
        Arrays.fill(rootToTrack, -1);
        int[] seenView = new int[n];
        Arrays.fill(seenView, -1);
        List<int[]> members = new ArrayList<>();
        // gather members per root
        int[] head = new int[total], next = new int[total];
        Arrays.fill(head, -1);
        for (int i = total - 1; i >= 0; i--) {
            if (!touched[i]) continue;
            int r = DisjointSets.find(parent, i);
            next[i] = head[r];
            head[r] = i;
        }
        int nt = 0;
        for (int r = 0; r < total; r++) {
            if (count[r] < 2 || head[r] < 0) continue;
            int[] m = new int[count[r]];
            int c = 0;
            boolean dup = false;
            for (int i = head[r]; i >= 0; i = next[i]) {
                int v = viewOf(offset, i);
                if (seenView[v] == r) dup = true;
                seenView[v] = r;
                m[c++] = i;
            }
            if (dup) continue;
            members.add(m);
            nt++;
        }
        trackStart = new int[nt + 1];
        int totalObs = 0;
        for (int t = 0; t < nt; t++) {
            trackStart[t] = totalObs;
            totalObs += members.get(t).length;
        }
        trackStart[nt] = totalObs;
        obsView = new int[totalObs];
        obsFeat = new int[totalObs];
        obsInlier = new boolean[totalObs];
        Arrays.fill(obsInlier, true);
        featToTrack = new int[n][];
        for (int v = 0; v < n; v++) {
            featToTrack[v] = new int[fx[v].length];
            Arrays.fill(featToTrack[v], -1);
        }
        for (int t = 0; t < nt; t++) {
            int o = trackStart[t];
            for (int node : members.get(t)) {
                int v = viewOf(offset, node);
                obsView[o] = v;
                obsFeat[o] = node - offset[v];
                featToTrack[v][node - offset[v]] = t;
                o++;
            }
        }
        pts = new double[3 * nt];
        hasPoint = new boolean[nt];
    }

    int trackCount() {
        return trackStart.length - 1;
    }

    private static int viewOf(int[] offset, int node) {
        int lo = 0, hi = offset.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (offset[mid] <= node) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }


    // ------------------------------------------------------------------ geometry helpers

    double f(int view) {
        return focal[camOf[view]];
    }

    Point2D_F64 norm(int view, int feat) {
        double fv = f(view);
        return new Point2D_F64((fx[view][feat] - cx[view]) / fv, (fy[view][feat] - cy[view]) / fv);
    }

    CameraPinhole pinhole(int view) {
        double fv = f(view);
        return new CameraPinhole(fv, fv, 0, cx[view], cy[view], 0, 0);
    }

    /** Reprojection error in pixels of a world point in a view; +inf when behind the camera. */
    double reprojError(int view, double x, double y, double z, int feat) {
        Point3D_F64 c = new Point3D_F64();
        SePointOps_F64.transform(pose[view], new Point3D_F64(x, y, z), c);
        if (c.z <= 1e-9) return Double.POSITIVE_INFINITY;
        double fv = f(view);
        double u = fv * c.x / c.z + cx[view], v = fv * c.y / c.z + cy[view];
        double du = u - fx[view][feat], dv = v - fy[view][feat];
        return Math.sqrt(du * du + dv * dv);
    }

    static double[] centre(Se3_F64 p) {
        Se3_F64 inv = p.invert(null);
        return new double[] {inv.T.x, inv.T.y, inv.T.z};
    }

    // ------------------------------------------------------------------ initialisation

    /** A candidate start pair: its relative motion, inlier count and median triangulation angle. */
    private record StartCandidate(MatchStore.Pair pair, Se3_F64 motion, int inliers, double medianAngle) {
    }

    /** Picks the start pair among the 12 pairs with most matches, evaluated in parallel on {@code threads}. */
    boolean initialise(MatchStore matches, int threads) throws Exception {
        List<MatchStore.Pair> cand = new ArrayList<>(matches.pairs);
        cand.sort(Comparator.comparingInt(MatchStore.Pair::size).reversed());
        double[] bestScore = {0};
        StartCandidate[] chosen = {null};
        ParallelTasks.run(ctx, threads, Math.min(12, cand.size()), "initial-pair",
                (k, stopped) -> stopped.getAsBoolean() ? null : evaluateStart(cand.get(k)), (k, c) -> {
                    if (c == null) return;
                    double score = c.inliers() * Math.min(1.0, c.medianAngle() / 6.0);
                    ctx.log(String.format("initial pair candidate %d-%d: %d inliers, median angle %.1f deg",
                            c.pair().a(), c.pair().b(), c.inliers(), c.medianAngle()));
                    if (score > bestScore[0]) {
                        bestScore[0] = score;
                        chosen[0] = c;
                    }
                });
        MatchStore.Pair best = chosen[0] == null ? null : chosen[0].pair();
        Se3_F64 bestMotion = chosen[0] == null ? null : chosen[0].motion();
        if (best == null) return false;
        double scale = bestMotion.T.norm();
        bestMotion.T.scale(1.0 / scale);
        pose[best.a()] = new Se3_F64();
        pose[best.b()] = bestMotion;
        reg[best.a()] = reg[best.b()] = true;
        registrations = 2;
        ctx.log("initial pair " + best.a() + "-" + best.b());
        for (int t = 0; t < trackCount(); t++) {
            boolean inA = false, inB = false;
            for (int o = trackStart[t]; o < trackStart[t + 1]; o++) {
                if (obsView[o] == best.a()) inA = true;
                if (obsView[o] == best.b()) inB = true;
            }
            if (inA && inB) triangulateTrack(t);
        }
        bundleAdjust(20, false);
        return true;
    }

    /** Relative motion of a pair by RANSAC; null when it fails or its median triangulation angle is below 2 degrees. */
    private StartCandidate evaluateStart(MatchStore.Pair p) {
        List<AssociatedPair> list = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) list.add(new AssociatedPair(norm(p.a(), p.featA()[i]), norm(p.b(), p.featB()[i])));
        // the matches passed a RANSAC already, so nearly all are inliers: a short run first (see QUICK_RANSAC_ITERATIONS)
        ModelMatcherMultiview<Se3_F64, AssociatedPair> ransac = null;
        boolean found = false;
        for (int iterations : new int[] {QUICK_RANSAC_ITERATIONS, 1500}) {
            ransac = FactoryMultiViewRobust.baselineRansac(new ConfigEssential(), new ConfigRansac(iterations, 1.0));
            ransac.setIntrinsic(0, pinhole(p.a()));
            ransac.setIntrinsic(1, pinhole(p.b()));
            found = ransac.process(list);
            if (found && ransac.getMatchSet().size() >= QUICK_RANSAC_MIN_INLIER_FRACTION * list.size()) break;
        }
        if (!found) return null;
        Se3_F64 motion = ransac.getModelParameters().copy();
        // median triangulation angle of the inliers; a triangulator per call, as calls run in parallel
        Triangulate2ViewsMetric triangulator = FactoryMultiView.triangulate2ViewMetric(ConfigTriangulation.GEOMETRIC());
        double[] ca = {0, 0, 0}, cb = centre(motion);
        List<Double> angles = new ArrayList<>();
        Point3D_F64 X = new Point3D_F64();
        for (AssociatedPair ap : ransac.getMatchSet()) {
            if (!triangulator.triangulate(ap.p1, ap.p2, motion, X)) continue;
            angles.add(angle(X, ca, cb));
        }
        if (angles.isEmpty()) return null;
        angles.sort(null);
        double med = angles.get(angles.size() / 2);
        if (med < 2.0) return null;
        return new StartCandidate(p, motion, ransac.getMatchSet().size(), med);
    }

    private static double angle(Point3D_F64 X, double[] ca, double[] cb) {
        double ax = X.x - ca[0], ay = X.y - ca[1], az = X.z - ca[2];
        double bx = X.x - cb[0], by = X.y - cb[1], bz = X.z - cb[2];
        double cos = (ax * bx + ay * by + az * bz) / Math.sqrt((ax * ax + ay * ay + az * az) * (bx * bx + by * by + bz * bz));
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
    }

    /** Triangulates a track from its registered inlier observations; returns whether it now has a point. */
    boolean triangulateTrack(int t) {
        for (int attempt = 0; attempt < 2; attempt++) {
            List<Point2D_F64> obs = new ArrayList<>();
            List<Se3_F64> poses = new ArrayList<>();
            List<Integer> idx = new ArrayList<>();
            for (int o = trackStart[t]; o < trackStart[t + 1]; o++) {
                if (!obsInlier[o] || !reg[obsView[o]]) continue;
                obs.add(norm(obsView[o], obsFeat[o]));
                poses.add(pose[obsView[o]]);
                idx.add(o);
            }
            if (obs.size() < 2) return false;
            Point3D_F64 X = new Point3D_F64();
            if (!triN.triangulate(obs, poses, X) || !Double.isFinite(X.x)) return false;
            double worst = 0;
            int worstO = -1;
            for (int o : idx) {
                double e = reprojError(obsView[o], X.x, X.y, X.z, obsFeat[o]);
                if (e > worst) {
                    worst = e;
                    worstO = o;
                }
            }
            if (worst > TRIANGULATION_MAX_PX) {
                if (obs.size() > 2) {
                    obsInlier[worstO] = false;
                    continue;
                }
                return false;
            }
            double maxAngle = 0;
            for (int i = 0; i < poses.size(); i++) {
                for (int j = i + 1; j < poses.size(); j++) {
                    maxAngle = Math.max(maxAngle, angle(X, centre(poses.get(i)), centre(poses.get(j))));
                }
            }
            if (maxAngle < MIN_ANGLE_DEG) return false;
            pts[3 * t] = X.x;
            pts[3 * t + 1] = X.y;
            pts[3 * t + 2] = X.z;
            hasPoint[t] = true;
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ incremental registration

    /** Registers views one at a time until none can be added; reports progress after each. */
    void registerAll() {
        int[] failedAt = new int[n];
        Arrays.fill(failedAt, -1);
        while (true) {
            ctx.checkCanceled();
            int[] count = new int[n];
            for (int t = 0; t < trackCount(); t++) {
                if (!hasPoint[t]) continue;
                for (int o = trackStart[t]; o < trackStart[t + 1]; o++) {
                    if (!reg[obsView[o]] && obsInlier[o]) count[obsView[o]]++;
                }
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> count[b] - count[a]);
            boolean added = false;
            for (int v : order) {
                if (reg[v] || count[v] < 15) continue;
                if (failedAt[v] == registrations) continue;
                if (registerView(v)) {
                    added = true;
                    break;
                }
                failedAt[v] = registrations;
            }
            if (!added) break;
            ctx.progress(Math.min(0.9, 0.1 + 0.8 * registrations / (double) n));
        }
    }

    private boolean registerView(int v) {
        List<Point2D3D> list = new ArrayList<>();
        List<Integer> obsIdx = new ArrayList<>();
        for (int k = 0; k < fx[v].length; k++) {
            int t = featToTrack[v][k];
            if (t < 0 || !hasPoint[t]) continue;
            int o = obsOf(t, v);
            if (o < 0 || !obsInlier[o]) continue;
            list.add(new Point2D3D(norm(v, k), new Point3D_F64(pts[3 * t], pts[3 * t + 1], pts[3 * t + 2])));
            obsIdx.add(o);
        }
        if (list.size() < 15) return false;
        // most 2D-3D correspondences of a view next to registered ones are right: a short run first
        ModelMatcherMultiview<Se3_F64, Point2D3D> pnp = null;
        boolean found = false;
        for (int iterations : new int[] {QUICK_RANSAC_ITERATIONS, 1000}) {
            pnp = FactoryMultiViewRobust.pnpRansac(new ConfigPnP(), new ConfigRansac(iterations, 2.0));
            pnp.setIntrinsic(0, pinhole(v));
            found = pnp.process(list);
            if (found && pnp.getMatchSet().size() >= QUICK_RANSAC_MIN_INLIER_FRACTION * list.size()) break;
        }
        if (!found) return false;
        int inliers = pnp.getMatchSet().size();
        if (inliers < Math.max(12, 0.3 * list.size())) {
            ctx.log("view " + v + ": PnP found only " + inliers + " of " + list.size() + " inliers");
            return false;
        }
        Se3_F64 p = pnp.getModelParameters().copy();
        RefinePnP refine = FactoryMultiView.pnpRefine(1e-10, 50);
        Se3_F64 refined = new Se3_F64();
        if (refine.fitModel(pnp.getMatchSet(), p, refined)) p = refined;
        pose[v] = p;
        reg[v] = true;
        registrations++;
        // 2D-3D outliers of this view no longer count
        boolean[] in = new boolean[list.size()];
        for (int i = 0; i < inliers; i++) in[pnp.getInputIndex(i)] = true;
        for (int i = 0; i < list.size(); i++) if (!in[i]) obsInlier[obsIdx.get(i)] = false;
        // new points
        int created = 0;
        for (int k = 0; k < fx[v].length; k++) {
            int t = featToTrack[v][k];
            if (t < 0 || hasPoint[t]) continue;
            if (triangulateTrack(t)) created++;
        }
        ctx.log(String.format("registered view %d: %d/%d PnP inliers, %d new points", v, inliers, list.size(), created));
        if (registrations <= ALWAYS_ADJUST_UP_TO || registrations >= GLOBAL_BA_GROWTH * registrationsAtLastAdjustment) {
            bundleAdjust(10, !focalKnown && registrations >= 6);
            registrationsAtLastAdjustment = registrations;
        }
        return true;
    }

    private int obsOf(int t, int v) {
        for (int o = trackStart[t]; o < trackStart[t + 1]; o++) if (obsView[o] == v) return o;
        return -1;
    }

    // ------------------------------------------------------------------ bundle adjustment

    /** Global bundle adjustment of registered views and triangulated points, then outlier removal. */
    void bundleAdjust(int iterations, boolean optimiseFocal) {
        int[] viewIdx = new int[n];
        Arrays.fill(viewIdx, -1);
        int nv = 0;
        int firstView = -1;
        for (int v = 0; v < n; v++) {
            if (reg[v]) {
                if (firstView < 0) firstView = v;
                viewIdx[v] = nv++;
            }
        }
        int[] pointIdx = new int[trackCount()];
        Arrays.fill(pointIdx, -1);
        int np = 0;
        for (int t = 0; t < trackCount(); t++) {
            if (!hasPoint[t]) continue;
            int c = 0;
            for (int o = trackStart[t]; o < trackStart[t + 1]; o++) if (obsInlier[o] && reg[obsView[o]]) c++;
            if (c < 2) {
                hasPoint[t] = false;
                continue;
            }
            pointIdx[t] = np++;
        }
        if (np == 0) return;
        int nc = focal.length;
        SceneStructureMetric scene = new SceneStructureMetric(false);
        scene.initialize(nc, nv, np);
        for (int c = 0; c < nc; c++) scene.setCamera(c, !optimiseFocal, new FocalCamera(focal[c]));
        for (int v = 0; v < n; v++) {
            if (viewIdx[v] >= 0) scene.setView(viewIdx[v], camOf[v], v == firstView, pose[v]);
        }
        SceneObservations obs = new SceneObservations();
        obs.initialize(nv);
        for (int t = 0; t < trackCount(); t++) {
            int q = pointIdx[t];
            if (q < 0) continue;
            scene.setPoint(q, pts[3 * t], pts[3 * t + 1], pts[3 * t + 2]);
            for (int o = trackStart[t]; o < trackStart[t + 1]; o++) {
                int v = obsView[o];
                if (!obsInlier[o] || !reg[v]) continue;
                obs.getView(viewIdx[v]).add(q, (float) (fx[v][obsFeat[o]] - cx[v]), (float) (fy[v][obsFeat[o]] - cy[v]));
                scene.connectPointToView(q, viewIdx[v]);
            }
        }
        ScaleSceneStructure scaler = new ScaleSceneStructure();
        scaler.applyScale(scene, obs);
        ConfigBundleAdjustment config = new ConfigBundleAdjustment();
        config.loss = new ConfigLoss(ConfigLoss.Type.HUBER, 2.0);
        BundleAdjustment<SceneStructureMetric> ba = FactoryMultiView.bundleSparseMetric(config);
        ba.configure(1e-7, 1e-7, iterations);
        ba.setParameters(scene, obs);
        boolean ok = ba.optimize(scene);
        scaler.undoScale(scene, obs);
        if (!ok) {
            ctx.log("bundle adjustment did not converge; keeping its last state");
        }
        for (int v = 0; v < n; v++) {
            if (viewIdx[v] >= 0) pose[v] = scene.getParentToView(viewIdx[v]).copy();
        }
        for (int c = 0; c < nc; c++) {
            double fNew = ((FocalCamera) scene.cameras.get(c).model).f;
            if (Double.isFinite(fNew) && fNew > 0) focal[c] = fNew;
        }
        for (int t = 0; t < trackCount(); t++) {
            int q = pointIdx[t];
            if (q < 0) continue;
            pts[3 * t] = scene.points.get(q).coordinate[0];
            pts[3 * t + 1] = scene.points.get(q).coordinate[1];
            pts[3 * t + 2] = scene.points.get(q).coordinate[2];
        }
        int removed = removeOutliers(BA_OUTLIER_PX);
        ctx.log(String.format(java.util.Locale.ROOT, "bundle adjustment: %d views, %d points, focal %.1f, %d outliers removed",
                nv, np, focal[0], removed));
    }

    /** Drops observations with a large reprojection error and points left with fewer than two views. */
    int removeOutliers(double maxPx) {
        int removed = 0;
        for (int t = 0; t < trackCount(); t++) {
            if (!hasPoint[t]) continue;
            int good = 0;
            for (int o = trackStart[t]; o < trackStart[t + 1]; o++) {
                int v = obsView[o];
                if (!obsInlier[o] || !reg[v]) continue;
                if (reprojError(v, pts[3 * t], pts[3 * t + 1], pts[3 * t + 2], obsFeat[o]) > maxPx) {
                    obsInlier[o] = false;
                    removed++;
                } else {
                    good++;
                }
            }
            if (good < 2) hasPoint[t] = false;
        }
        return removed;
    }

    int registeredCount() {
        int c = 0;
        for (boolean b : reg) if (b) c++;
        return c;
    }

    int pointCount() {
        int c = 0;
        for (boolean b : hasPoint) if (b) c++;
        return c;
    }

    /** Reprojection errors (pixels) of the inlier observations of triangulated points, sorted ascending. */
    double[] reprojectionErrors() {
        List<Double> e = new ArrayList<>();
        for (int t = 0; t < trackCount(); t++) {
            if (!hasPoint[t]) continue;
            for (int o = trackStart[t]; o < trackStart[t + 1]; o++) {
                if (obsInlier[o] && reg[obsView[o]]) e.add(reprojError(obsView[o], pts[3 * t], pts[3 * t + 1], pts[3 * t + 2], obsFeat[o]));
            }
        }
        return e.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }
}
