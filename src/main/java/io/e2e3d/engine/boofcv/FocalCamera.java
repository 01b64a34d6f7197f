package io.e2e3d.engine.boofcv;

import boofcv.abst.geo.bundle.BundleAdjustmentCamera;
import georegression.struct.point.Point2D_F64;
import java.util.HashMap;
import java.util.Map;

/**
 * Bundle-adjustment camera with a single unknown: the focal length. Observations are pixels relative to the
 * principal point (the image centre), no lens distortion.
 */
final class FocalCamera implements BundleAdjustmentCamera {
    double f;

    FocalCamera(double f) {
        this.f = f;
    }

    @Override
    public void setIntrinsic(double[] parameters, int offset) {
        f = parameters[offset];
    }

    @Override
    public void getIntrinsic(double[] parameters, int offset) {
        parameters[offset] = f;
    }

    @Override
    public void project(double camX, double camY, double camZ, Point2D_F64 output) {
        output.x = f * camX / camZ;
        output.y = f * camY / camZ;
    }

    @Override
    public void jacobian(double X, double Y, double Z, double[] pointX, double[] pointY, boolean computeIntrinsic,
                         double[] calibX, double[] calibY) {
        pointX[0] = f / Z;
        pointX[1] = 0;
        pointX[2] = -f * X / (Z * Z);
        pointY[0] = 0;
        pointY[1] = f / Z;
        pointY[2] = -f * Y / (Z * Z);
        if (computeIntrinsic) {
            calibX[0] = X / Z;
            calibY[0] = Y / Z;
        }
    }

    @Override
    public int getIntrinsicCount() {
        return 1;
    }

    @Override
    public BundleAdjustmentCamera setTo(Map<String, Object> map) {
        f = ((Number) map.get("f")).doubleValue();
        return this;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new HashMap<>();
        m.put("f", f);
        return m;
    }
}
