package io.e2e3d.engine.geometry;

/**
 * A calibrated view: pinhole intrinsics (pixel centres at integer coordinates) and the world-to-camera pose
 * X_cam = R * X_world + t, with R row-major.
 */
public record PinholeView(int width, int height, double f, double cx, double cy, double[] r, double[] t) {

    public double[] centre() {
        return new double[] {
            -(r[0] * t[0] + r[3] * t[1] + r[6] * t[2]),
            -(r[1] * t[0] + r[4] * t[1] + r[7] * t[2]),
            -(r[2] * t[0] + r[5] * t[1] + r[8] * t[2])};
    }

    /** The optical axis in world coordinates (third row of R). */
    public double[] axis() {
        return new double[] {r[6], r[7], r[8]};
    }

    /** World point to camera coordinates. */
    public void toCamera(double x, double y, double z, double[] out) {
        out[0] = r[0] * x + r[1] * y + r[2] * z + t[0];
        out[1] = r[3] * x + r[4] * y + r[5] * z + t[1];
        out[2] = r[6] * x + r[7] * y + r[8] * z + t[2];
    }

    /** Pixel (u, v) at depth d (along the optical axis) to world coordinates. */
    public void backProject(double u, double v, double d, double[] out) {
        double xc = (u - cx) / f * d, yc = (v - cy) / f * d;
        double px = xc - t[0], py = yc - t[1], pz = d - t[2];
        out[0] = r[0] * px + r[3] * py + r[6] * pz;
        out[1] = r[1] * px + r[4] * py + r[7] * pz;
        out[2] = r[2] * px + r[5] * py + r[8] * pz;
    }

    /** The same view with images downscaled by an integer factor k (box averaging of k x k pixels). */
    public PinholeView downscaled(int k) {
        if (k == 1) return this;
        return new PinholeView(width / k, height / k, f / k, (cx - (k - 1) / 2.0) / k, (cy - (k - 1) / 2.0) / k, r, t);
    }
}
