package io.e2e3d.engine.synthetic;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A deterministic ray-cast renderer of a textured test scene: a 6x6 ground plane (z = 0), a box 1.4 x 1.0 x 1.0
 * and a sphere of radius 0.45 standing on it, seen by pinhole cameras on an orbit around the origin.
 * World frame: z up. Camera frame: x right, y down, z forward; X_cam = R * X_world + t.
 * Pixel coordinates: the centre of pixel (i, j) is at (i, j); principal point (w/2, h/2).
 */
public final class SyntheticScene {

    public static final double GROUND_HALF = 3.0;
    public static final double[] BOX_MIN = {-1.15, -0.70, 0.0};
    public static final double[] BOX_MAX = {0.25, 0.30, 1.0};
    public static final double[] SPHERE_C = {0.85, 0.45, 0.45};
    public static final double SPHERE_R = 0.45;

    private static final int GROUND = 1, BOX = 2, SPHERE = 3;

    private final long seed;

    public SyntheticScene(long seed) {
        this.seed = seed;
    }

    /** Bounding-box diagonal of the objects (box and sphere), the reference length for accuracy figures. */
    public static double objectDiagonal() {
        double[] mn = {Math.min(BOX_MIN[0], SPHERE_C[0] - SPHERE_R), Math.min(BOX_MIN[1], SPHERE_C[1] - SPHERE_R), 0};
        double[] mx = {Math.max(BOX_MAX[0], SPHERE_C[0] + SPHERE_R), Math.max(BOX_MAX[1], SPHERE_C[1] + SPHERE_R),
                Math.max(BOX_MAX[2], SPHERE_C[2] + SPHERE_R)};
        return Math.sqrt(sq(mx[0] - mn[0]) + sq(mx[1] - mn[1]) + sq(mx[2] - mn[2]));
    }

    /** A pinhole camera with its pose. */
    public record Camera(int width, int height, double fx, double fy, double cx, double cy, double[] r, double[] t) {
        public double[] centre() {
            // C = -R^T t
            return new double[] {
                -(r[0] * t[0] + r[3] * t[1] + r[6] * t[2]),
                -(r[1] * t[0] + r[4] * t[1] + r[7] * t[2]),
                -(r[2] * t[0] + r[5] * t[1] + r[8] * t[2])};
        }

        /** Projects a world point; returns {u, v, depth}. */
        public double[] project(double[] p) {
            double x = r[0] * p[0] + r[1] * p[1] + r[2] * p[2] + t[0];
            double y = r[3] * p[0] + r[4] * p[1] + r[5] * p[2] + t[1];
            double z = r[6] * p[0] + r[7] * p[1] + r[8] * p[2] + t[2];
            return new double[] {fx * x / z + cx, fy * y / z + cy, z};
        }
    }

    /** N cameras evenly spaced on an arc starting at angle 0, {@code stepDeg} apart, looking at (0, 0, 0.4). */
    public static List<Camera> orbit(int n, double stepDeg, double radius, double height, int w, int h, double f) {
        List<Camera> cams = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = Math.toRadians(i * stepDeg);
            double[] c = {radius * Math.cos(a), radius * Math.sin(a), height};
            cams.add(lookAt(c, new double[] {0, 0, 0.4}, w, h, f));
        }
        return cams;
    }

    /**
     * N cameras on a straight line (x = distance, height h, y from -span/2 to span/2), all looking the same way
     * (towards -x, tilted down at the scene centre): parallel optical axes, as when walking sideways.
     */
    public static List<Camera> sideways(int n, double span, double distance, double height, int w, int h, double f) {
        List<Camera> cams = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double y = -span / 2 + span * i / (n - 1);
            cams.add(lookAt(new double[] {distance, y, height}, new double[] {0, y, 0.4}, w, h, f));
        }
        return cams;
    }

    public static Camera lookAt(double[] c, double[] target, int w, int h, double f) {
        double[] zc = norm(new double[] {target[0] - c[0], target[1] - c[1], target[2] - c[2]});
        double[] up = {0, 0, 1};
        double[] xc = norm(cross(zc, up)); // right
        double[] yc = cross(zc, xc);       // down
        double[] r = {xc[0], xc[1], xc[2], yc[0], yc[1], yc[2], zc[0], zc[1], zc[2]};
        double[] t = {-(r[0] * c[0] + r[1] * c[1] + r[2] * c[2]), -(r[3] * c[0] + r[4] * c[1] + r[5] * c[2]),
                -(r[6] * c[0] + r[7] * c[1] + r[8] * c[2])};
        return new Camera(w, h, f, f, w / 2.0, h / 2.0, r, t);
    }

    /** Renders one view with 3x3 supersampling. */
    public BufferedImage render(Camera cam) {
        BufferedImage img = new BufferedImage(cam.width(), cam.height(), BufferedImage.TYPE_INT_RGB);
        double[] c = cam.centre();
        double[] r = cam.r();
        double[] rgb = new double[3];
        double[] acc = new double[3];
        int ss = 3;
        for (int j = 0; j < cam.height(); j++) {
            for (int i = 0; i < cam.width(); i++) {
                acc[0] = acc[1] = acc[2] = 0;
                for (int sj = 0; sj < ss; sj++) {
                    for (int si = 0; si < ss; si++) {
                        double u = i + (si + 0.5) / ss - 0.5;
                        double v = j + (sj + 0.5) / ss - 0.5;
                        double xn = (u - cam.cx()) / cam.fx();
                        double yn = (v - cam.cy()) / cam.fy();
                        // direction in world = R^T (xn, yn, 1)
                        double[] d = {r[0] * xn + r[3] * yn + r[6], r[1] * xn + r[4] * yn + r[7], r[2] * xn + r[5] * yn + r[8]};
                        shade(c, d, rgb);
                        acc[0] += rgb[0];
                        acc[1] += rgb[1];
                        acc[2] += rgb[2];
                    }
                }
                int n = ss * ss;
                int R = clamp8(acc[0] / n), G = clamp8(acc[1] / n), B = clamp8(acc[2] / n);
                img.setRGB(i, j, (R << 16) | (G << 8) | B);
            }
        }
        return img;
    }

    /** Renders all cameras into {@code dir} as view_000.png ...; returns the files in order. */
    public List<Path> renderAll(List<Camera> cams, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < cams.size(); k++) {
            Path f = dir.resolve(String.format("view_%03d.png", k));
            ImageIO.write(render(cams.get(k)), "png", f.toFile());
            files.add(f);
        }
        return files;
    }

    private void shade(double[] o, double[] d, double[] rgb) {
        double best = Double.POSITIVE_INFINITY;
        int hit = 0;
        double[] normal = new double[3];
        // ground
        if (d[2] < -1e-9) {
            double s = -o[2] / d[2];
            double x = o[0] + s * d[0], y = o[1] + s * d[1];
            if (s > 0 && Math.abs(x) <= GROUND_HALF && Math.abs(y) <= GROUND_HALF) {
                best = s;
                hit = GROUND;
                normal[0] = 0; normal[1] = 0; normal[2] = 1;
            }
        }
        // box (slab method)
        double tmin = -1e30, tmax = 1e30;
        int axis = -1;
        for (int a = 0; a < 3; a++) {
            if (Math.abs(d[a]) < 1e-12) {
                if (o[a] < BOX_MIN[a] || o[a] > BOX_MAX[a]) { tmin = 1e30; break; }
                continue;
            }
            double t1 = (BOX_MIN[a] - o[a]) / d[a], t2 = (BOX_MAX[a] - o[a]) / d[a];
            if (t1 > t2) { double tt = t1; t1 = t2; t2 = tt; }
            if (t1 > tmin) { tmin = t1; axis = a; }
            tmax = Math.min(tmax, t2);
        }
        if (tmin <= tmax && tmin > 0 && tmin < best && axis >= 0) {
            best = tmin;
            hit = BOX;
            normal[0] = normal[1] = normal[2] = 0;
            normal[axis] = d[axis] > 0 ? -1 : 1;
        }
        // sphere
        double ox = o[0] - SPHERE_C[0], oy = o[1] - SPHERE_C[1], oz = o[2] - SPHERE_C[2];
        double a2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        double b = ox * d[0] + oy * d[1] + oz * d[2];
        double cc = ox * ox + oy * oy + oz * oz - SPHERE_R * SPHERE_R;
        double disc = b * b - a2 * cc;
        if (disc >= 0) {
            double s = (-b - Math.sqrt(disc)) / a2;
            if (s > 0 && s < best) {
                best = s;
                hit = SPHERE;
                normal[0] = (ox + s * d[0]) / SPHERE_R;
                normal[1] = (oy + s * d[1]) / SPHERE_R;
                normal[2] = (oz + s * d[2]) / SPHERE_R;
            }
        }
        if (hit == 0) {
            // a uniform overcast sky: no features at infinity
            rgb[0] = 175;
            rgb[1] = 190;
            rgb[2] = 215;
            return;
        }
        double[] p = {o[0] + best * d[0], o[1] + best * d[1], o[2] + best * d[2]};
        texture(p, hit, rgb);
        double[] light = norm(new double[] {0.4, 0.3, 0.85});
        double lam = Math.max(0, normal[0] * light[0] + normal[1] * light[1] + normal[2] * light[2]);
        double k = 0.55 + 0.45 * lam;
        rgb[0] *= k;
        rgb[1] *= k;
        rgb[2] *= k;
    }

    /** Solid (3-D) texture: value noise at several scales plus sharp-edged blobs; colours differ per object. */
    void texture(double[] p, int obj, double[] rgb) {
        double x = p[0], y = p[1], z = p[2];
        double n1 = noise(x * 1.3, y * 1.3, z * 1.3, 11 + obj);
        double n2 = noise(x * 4.0, y * 4.0, z * 4.0, 23 + obj);
        double n3 = noise(x * 10.0, y * 10.0, z * 10.0, 37 + obj);
        double n4 = noise(x * 22.0, y * 22.0, z * 22.0, 41 + obj);
        double blobA = noise(x * 7.0, y * 7.0, z * 7.0, 53 + obj);
        double blobB = noise(x * 16.0, y * 16.0, z * 16.0, 59 + obj);
        double base = 0.30 * n1 + 0.25 * n2 + 0.25 * n3 + 0.20 * n4;
        double[] tint = switch (obj) {
            case GROUND -> new double[] {0.75, 0.65, 0.45};
            case BOX -> new double[] {0.45, 0.60, 0.85};
            default -> new double[] {0.85, 0.45, 0.40};
        };
        for (int c = 0; c < 3; c++) {
            double chroma = noise(x * 3.0, y * 3.0, z * 3.0, 71 + 7 * c + obj);
            rgb[c] = 255 * (0.15 + 0.85 * base) * (0.6 * tint[c] + 0.5 * chroma);
        }
        if (blobA > 0.68) {
            double s = noise(x * 2, y * 2, z * 2, 83 + obj);
            rgb[0] = 255 * (0.1 + 0.8 * s);
            rgb[1] = 30;
            rgb[2] = 255 * (0.9 - 0.8 * s);
        } else if (blobA < 0.25) {
            rgb[0] *= 0.25;
            rgb[1] *= 0.25;
            rgb[2] *= 0.25;
        }
        if (blobB > 0.75) {
            rgb[0] = 250;
            rgb[1] = 250;
            rgb[2] = 230 * n2;
        }
    }

    /** Smooth value noise in [0, 1]: hashed lattice values, trilinear with smoothstep. */
    double noise(double x, double y, double z, int salt) {
        int ix = (int) Math.floor(x), iy = (int) Math.floor(y), iz = (int) Math.floor(z);
        double fx = smooth(x - ix), fy = smooth(y - iy), fz = smooth(z - iz);
        double v = 0;
        for (int dz = 0; dz <= 1; dz++) {
            for (int dy = 0; dy <= 1; dy++) {
                for (int dx = 0; dx <= 1; dx++) {
                    double w = (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy) * (dz == 0 ? 1 - fz : fz);
                    v += w * lattice(ix + dx, iy + dy, iz + dz, salt);
                }
            }
        }
        return v;
    }

    private double lattice(int x, int y, int z, int salt) {
        long h = seed * 0x9E3779B97F4A7C15L + salt * 0xC2B2AE3D27D4EB4FL;
        h ^= x * 0x165667B19E3779F9L;
        h = mix(h);
        h ^= y * 0x27D4EB2F165667C5L;
        h = mix(h);
        h ^= z * 0x94D049BB133111EBL;
        h = mix(h);
        return (h >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    // ---------------------------------------------------------------- ground truth

    /** Distance from a point to the nearest true surface (ground rectangle, box surface, sphere surface). */
    public static double distanceToSurface(double[] p) {
        double dg;
        double ex = Math.max(0, Math.abs(p[0]) - GROUND_HALF), ey = Math.max(0, Math.abs(p[1]) - GROUND_HALF);
        dg = Math.sqrt(ex * ex + ey * ey + p[2] * p[2]);
        double db = boxSurfaceDistance(p);
        double ds = Math.abs(Math.sqrt(sq(p[0] - SPHERE_C[0]) + sq(p[1] - SPHERE_C[1]) + sq(p[2] - SPHERE_C[2])) - SPHERE_R);
        return Math.min(dg, Math.min(db, ds));
    }

    static double boxSurfaceDistance(double[] p) {
        double out = 0;
        boolean inside = true;
        double in = Double.POSITIVE_INFINITY;
        for (int a = 0; a < 3; a++) {
            double lo = BOX_MIN[a] - p[a], hi = p[a] - BOX_MAX[a];
            double e = Math.max(lo, hi);
            if (e > 0) {
                out += e * e;
                inside = false;
            } else {
                in = Math.min(in, -e);
            }
        }
        return inside ? in : Math.sqrt(out);
    }

    /** Which part a surface point belongs to: 0 ground, 1 objects (box or sphere). */
    public static boolean isObjectPoint(double[] p, double tol) {
        return boxSurfaceDistance(p) < tol || Math.abs(Math.sqrt(sq(p[0] - SPHERE_C[0]) + sq(p[1] - SPHERE_C[1])
                + sq(p[2] - SPHERE_C[2])) - SPHERE_R) < tol;
    }

    /**
     * Samples points on the visible true surfaces: objects (box sides and top, sphere above ground) and the
     * ground within {@code groundRadius} of the origin outside the objects' footprints.
     */
    public static List<double[]> sampleSurface(int nObjects, int nGround, double groundRadius, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<double[]> pts = new ArrayList<>();
        double sx = BOX_MAX[0] - BOX_MIN[0], sy = BOX_MAX[1] - BOX_MIN[1], sz = BOX_MAX[2] - BOX_MIN[2];
        double[] faceArea = {sy * sz, sy * sz, sx * sz, sx * sz, sx * sy}; // -x, +x, -y, +y, top
        double boxArea = 0;
        for (double a : faceArea) boxArea += a;
        double sphArea = 4 * Math.PI * SPHERE_R * SPHERE_R;
        int nBox = (int) Math.round(nObjects * boxArea / (boxArea + sphArea));
        while (pts.size() < nBox) {
            double u = rnd.nextDouble() * boxArea;
            int f = 0;
            while (f < 4 && u > faceArea[f]) { u -= faceArea[f]; f++; }
            double a = rnd.nextDouble(), b = rnd.nextDouble();
            double[] p = switch (f) {
                case 0 -> new double[] {BOX_MIN[0], BOX_MIN[1] + a * sy, b * sz};
                case 1 -> new double[] {BOX_MAX[0], BOX_MIN[1] + a * sy, b * sz};
                case 2 -> new double[] {BOX_MIN[0] + a * sx, BOX_MIN[1], b * sz};
                case 3 -> new double[] {BOX_MIN[0] + a * sx, BOX_MAX[1], b * sz};
                default -> new double[] {BOX_MIN[0] + a * sx, BOX_MIN[1] + b * sy, BOX_MAX[2]};
            };
            pts.add(p);
        }
        while (pts.size() < nObjects) {
            double z = 2 * rnd.nextDouble() - 1, phi = 2 * Math.PI * rnd.nextDouble();
            double rr = Math.sqrt(1 - z * z);
            double[] p = {SPHERE_C[0] + SPHERE_R * rr * Math.cos(phi), SPHERE_C[1] + SPHERE_R * rr * Math.sin(phi),
                    SPHERE_C[2] + SPHERE_R * z};
            if (p[2] < 0.12) continue; // the contact region near the ground is hardly visible
            if (boxSurfaceDistance(p) < 0.02) continue;
            pts.add(p);
        }
        int g = 0;
        while (g < nGround) {
            double x = (2 * rnd.nextDouble() - 1) * groundRadius, y = (2 * rnd.nextDouble() - 1) * groundRadius;
            if (x * x + y * y > groundRadius * groundRadius) continue;
            double[] p = {x, y, 0};
            if (x > BOX_MIN[0] - 0.05 && x < BOX_MAX[0] + 0.05 && y > BOX_MIN[1] - 0.05 && y < BOX_MAX[1] + 0.05) continue;
            if (sq(x - SPHERE_C[0]) + sq(y - SPHERE_C[1]) < sq(0.3)) continue;
            pts.add(p);
            g++;
        }
        return pts;
    }

    static double sq(double v) {
        return v * v;
    }

    private static int clamp8(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    static double[] norm(double[] v) {
        double l = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[] {v[0] / l, v[1] / l, v[2] / l};
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
