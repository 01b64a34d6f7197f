package io.e2e3d.engine.colmap;

import io.e2e3d.engine.boofcv.SparseModel;
import io.e2e3d.engine.geometry.PinholeView;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A COLMAP sparse model in its TXT form (cameras.txt, images.txt, points3D.txt) and its conversion to the BoofCV
 * engine's {@link SparseModel}.
 *
 * <p>Conventions. COLMAP: {@code x_cam = R(q) * x_world + t} with the unit quaternion {@code qw qx qy qz}, camera
 * looking along +z with y down, and the centre of the top-left pixel at (0.5, 0.5). SparseModel / cameras.json: the
 * same pose convention with R row-major, but pixel centres at integer coordinates, so a principal point or an
 * observation moves by -0.5 pixel. Lens distortion (SIMPLE_RADIAL's k) has no place in SparseModel and is dropped;
 * the engine defaults to SIMPLE_PINHOLE for that reason.
 */
final class ColmapTextModel {

    record Camera(int id, String model, int width, int height, double[] params) {
        double focal() {
            return switch (model) {
                case "PINHOLE", "OPENCV", "FULL_OPENCV", "OPENCV_FISHEYE" -> 0.5 * (params[0] + params[1]);
                default -> params[0];
            };
        }

        /** Principal point in COLMAP pixels (top-left corner at 0,0). */
        double[] principal() {
            return switch (model) {
                case "PINHOLE", "OPENCV", "FULL_OPENCV", "OPENCV_FISHEYE" -> new double[] {params[2], params[3]};
                default -> new double[] {params[1], params[2]};
            };
        }

        /** Radial distortion coefficient where the model has one, else 0. */
        double k1() {
            return switch (model) {
                case "SIMPLE_RADIAL", "RADIAL" -> params[3];
                case "OPENCV", "FULL_OPENCV" -> params[4];
                default -> 0;
            };
        }
    }

    record Image(int id, double[] q, double[] t, int cameraId, String name, double[] xy, long[] point3dIds) {
    }

    final Map<Integer, Camera> cameras = new LinkedHashMap<>();
    final Map<Integer, Image> images = new LinkedHashMap<>();
    final List<long[]> pointIds = new ArrayList<>(); // [id]
    final List<double[]> points = new ArrayList<>(); // x y z r g b error
    final List<int[]> tracks = new ArrayList<>();    // image ids observing each point

    static ColmapTextModel read(Path dir) throws IOException {
        ColmapTextModel m = new ColmapTextModel();
        for (String line : dataLines(dir.resolve("cameras.txt"))) {
            String[] s = line.trim().split("\\s+");
            double[] params = new double[s.length - 4];
            for (int i = 0; i < params.length; i++) params[i] = Double.parseDouble(s[4 + i]);
            Camera c = new Camera(Integer.parseInt(s[0]), s[1], Integer.parseInt(s[2]), Integer.parseInt(s[3]), params);
            m.cameras.put(c.id(), c);
        }
        // images.txt: two lines per image; the second (observations) may be empty, so blank lines count here
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("images.txt"), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] s = line.trim().split("\\s+", 10);
                String obsLine = in.readLine();
                String[] o = obsLine == null || obsLine.isBlank() ? new String[0] : obsLine.trim().split("\\s+");
                int n = o.length / 3;
                double[] xy = new double[2 * n];
                long[] ids = new long[n];
                for (int i = 0; i < n; i++) {
                    xy[2 * i] = Double.parseDouble(o[3 * i]);
                    xy[2 * i + 1] = Double.parseDouble(o[3 * i + 1]);
                    ids[i] = Long.parseLong(o[3 * i + 2]);
                }
                Image im = new Image(Integer.parseInt(s[0]),
                        new double[] {d(s[1]), d(s[2]), d(s[3]), d(s[4])}, new double[] {d(s[5]), d(s[6]), d(s[7])},
                        Integer.parseInt(s[8]), s[9].trim(), xy, ids);
                m.images.put(im.id(), im);
            }
        }
        for (String line : dataLines(dir.resolve("points3D.txt"))) {
            String[] s = line.trim().split("\\s+");
            m.pointIds.add(new long[] {Long.parseLong(s[0])});
            m.points.add(new double[] {d(s[1]), d(s[2]), d(s[3]), d(s[4]), d(s[5]), d(s[6]), d(s[7])});
            int k = (s.length - 8) / 2;
            int[] track = new int[k];
            for (int i = 0; i < k; i++) track[i] = Integer.parseInt(s[8 + 2 * i]);
            m.tracks.add(track);
        }
        return m;
    }

    /** Number of registered images in a TXT model, read from images.txt alone. */
    static int registeredImages(Path dir) throws IOException {
        int lines = 0;
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("images.txt"), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) continue;
                lines++;
                in.readLine();
            }
        }
        return lines;
    }

    /** Row-major rotation matrix of the unit quaternion (w, x, y, z); normalises first. */
    static double[] rotation(double[] q) {
        double n = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        double w = q[0] / n, x = q[1] / n, y = q[2] / n, z = q[3] / n;
        return new double[] {
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)};
    }

    /**
     * Converts to a SparseModel over {@code viewCount} views. {@code viewOf} maps an image name to the view index
     * (its position in the job's image list), or -1 for an image that is not one of them.
     */
    SparseModel toSparseModel(int viewCount, int[] widths, int[] heights, ToIntFunction<String> viewOf) {
        SparseModel m = new SparseModel(viewCount);
        for (int v = 0; v < viewCount; v++) {
            m.width[v] = widths[v];
            m.height[v] = heights[v];
            m.cx[v] = widths[v] / 2.0;
            m.cy[v] = heights[v] / 2.0;
        }
        Map<Integer, Integer> viewOfImage = new HashMap<>();
        for (Image im : images.values()) {
            int v = viewOf.applyAsInt(im.name());
            if (v < 0 || v >= viewCount) continue;
            Camera c = cameras.get(im.cameraId());
            viewOfImage.put(im.id(), v);
            m.registered[v] = true;
            m.width[v] = c.width();
            m.height[v] = c.height();
            m.f[v] = c.focal();
            double[] pp = c.principal();
            m.cx[v] = pp[0] - 0.5;
            m.cy[v] = pp[1] - 0.5;
            m.r[v] = rotation(im.q());
            m.t[v] = im.t().clone();
        }
        int np = points.size();
        m.points = new float[3 * np];
        m.colors = new byte[3 * np];
        m.pointViews = new int[np][];
        for (int p = 0; p < np; p++) {
            double[] pt = points.get(p);
            for (int a = 0; a < 3; a++) {
                m.points[3 * p + a] = (float) pt[a];
                m.colors[3 * p + a] = (byte) (int) Math.round(pt[3 + a]);
            }
            m.pointViews[p] = Arrays.stream(tracks.get(p)).map(id -> viewOfImage.getOrDefault(id, -1))
                    .filter(v -> v >= 0).distinct().toArray();
        }
        return m;
    }

    /**
     * Reprojection errors in pixels of every observation of a 3D point, recomputed through the converted model;
     * this checks the conversion as much as COLMAP's result (a wrong convention shows up as large errors).
     */
    double[] reprojectionErrors(SparseModel m, ToIntFunction<String> viewOf) {
        Map<Long, Integer> index = new HashMap<>();
        for (int p = 0; p < pointIds.size(); p++) index.put(pointIds.get(p)[0], p);
        List<Double> errors = new ArrayList<>();
        double[] c = new double[3];
        for (Image im : images.values()) {
            int v = viewOf.applyAsInt(im.name());
            if (v < 0 || v >= m.viewCount) continue;
            PinholeView view = m.view(v);
            for (int i = 0; i < im.point3dIds().length; i++) {
                Integer p = index.get(im.point3dIds()[i]);
                if (im.point3dIds()[i] < 0 || p == null) continue;
                double[] pt = points.get(p);
                view.toCamera(pt[0], pt[1], pt[2], c);
                if (c[2] <= 0) continue;
                double u = view.f() * c[0] / c[2] + view.cx(), w = view.f() * c[1] / c[2] + view.cy();
                double du = u - (im.xy()[2 * i] - 0.5), dw = w - (im.xy()[2 * i + 1] - 0.5);
                errors.add(Math.sqrt(du * du + dw * dw));
            }
        }
        return errors.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }

    private static List<String> dataLines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.startsWith("#") && !line.isBlank()) out.add(line);
        }
        return out;
    }
}
