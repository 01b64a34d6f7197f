package io.e2e3d.engine.boofcv;

import io.e2e3d.engine.geometry.PinholeView;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The result of sparse reconstruction, as persisted in the workspace for the later stages. Public so that an engine
 * which delegates dense reconstruction, meshing and texturing to {@link BoofcvEngine} can hand over its own model.
 * Conventions: {@code x_cam = R * x_world + t} (R row-major), pixel centres at integer coordinates.
 */
public final class SparseModel {
    public final int viewCount;
    public final boolean[] registered;
    public final int[] width, height;
    public final double[] f, cx, cy;
    public final double[][] r, t;
    public float[] points = new float[0];     // xyz
    public byte[] colors = new byte[0];       // rgb
    public int[][] pointViews = new int[0][]; // views observing each point

    public SparseModel(int n) {
        viewCount = n;
        registered = new boolean[n];
        width = new int[n];
        height = new int[n];
        f = new double[n];
        cx = new double[n];
        cy = new double[n];
        r = new double[n][9];
        t = new double[n][3];
    }

    public int pointCount() {
        return pointViews.length;
    }

    public int registeredCount() {
        int c = 0;
        for (boolean b : registered) if (b) c++;
        return c;
    }

    public PinholeView view(int i) {
        return new PinholeView(width[i], height[i], f[i], cx[i], cy[i], r[i], t[i]);
    }

    public void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(viewCount);
            for (int i = 0; i < viewCount; i++) {
                out.writeBoolean(registered[i]);
                out.writeInt(width[i]);
                out.writeInt(height[i]);
                out.writeDouble(f[i]);
                out.writeDouble(cx[i]);
                out.writeDouble(cy[i]);
                for (double v : r[i]) out.writeDouble(v);
                for (double v : t[i]) out.writeDouble(v);
            }
            out.writeInt(pointViews.length);
            for (int p = 0; p < pointViews.length; p++) {
                out.writeFloat(points[3 * p]);
                out.writeFloat(points[3 * p + 1]);
                out.writeFloat(points[3 * p + 2]);
                out.write(colors, 3 * p, 3);
                out.writeShort(pointViews[p].length);
                for (int v : pointViews[p]) out.writeShort(v);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    public static SparseModel load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            SparseModel m = new SparseModel(in.readInt());
            for (int i = 0; i < m.viewCount; i++) {
                m.registered[i] = in.readBoolean();
                m.width[i] = in.readInt();
                m.height[i] = in.readInt();
                m.f[i] = in.readDouble();
                m.cx[i] = in.readDouble();
                m.cy[i] = in.readDouble();
                for (int k = 0; k < 9; k++) m.r[i][k] = in.readDouble();
                for (int k = 0; k < 3; k++) m.t[i][k] = in.readDouble();
            }
            int np = in.readInt();
            m.points = new float[3 * np];
            m.colors = new byte[3 * np];
            m.pointViews = new int[np][];
            for (int p = 0; p < np; p++) {
                m.points[3 * p] = in.readFloat();
                m.points[3 * p + 1] = in.readFloat();
                m.points[3 * p + 2] = in.readFloat();
                in.readFully(m.colors, 3 * p, 3);
                int k = in.readUnsignedShort();
                m.pointViews[p] = new int[k];
                for (int j = 0; j < k; j++) m.pointViews[p][j] = in.readUnsignedShort();
            }
            return m;
        }
    }
}
