package io.e2e3d.engine.geometry;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/** Writes binary little-endian PLY (points and meshes) and Wavefront OBJ with vertex colours. */
public final class PlyWriter {
    private PlyWriter() {
    }

    /** Points with x y z float and red green blue uchar; {@code rgb} may be null (grey). */
    public static void writePoints(Path file, float[] xyz, byte[] rgb, int count) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            String header = "ply\nformat binary_little_endian 1.0\ncomment E2E3D Flow boofcv engine\n"
                    + "element vertex " + count + "\nproperty float x\nproperty float y\nproperty float z\n"
                    + "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n";
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            ByteBuffer buf = ByteBuffer.allocate(15).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                buf.clear();
                buf.putFloat(xyz[3 * i]).putFloat(xyz[3 * i + 1]).putFloat(xyz[3 * i + 2]);
                for (int c = 0; c < 3; c++) buf.put(rgb == null ? (byte) 180 : rgb[3 * i + c]);
                out.write(buf.array(), 0, 15);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A mesh: vertices with x y z float and red green blue uchar, faces as uchar count + int indices. */
    public static void writeMesh(Path file, Mesh mesh) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        int nv = mesh.vertexCount(), nf = mesh.faceCount();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            String header = "ply\nformat binary_little_endian 1.0\ncomment E2E3D Flow boofcv engine\n"
                    + "element vertex " + nv + "\nproperty float x\nproperty float y\nproperty float z\n"
                    + "property uchar red\nproperty uchar green\nproperty uchar blue\n"
                    + "element face " + nf + "\nproperty list uchar int vertex_indices\nend_header\n";
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            ByteBuffer buf = ByteBuffer.allocate(15).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < nv; i++) {
                buf.clear();
                buf.putFloat(mesh.vertices[3 * i]).putFloat(mesh.vertices[3 * i + 1]).putFloat(mesh.vertices[3 * i + 2]);
                for (int c = 0; c < 3; c++) buf.put(mesh.colors == null ? (byte) 180 : mesh.colors[3 * i + c]);
                out.write(buf.array(), 0, 15);
            }
            ByteBuffer fb = ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN);
            for (int f = 0; f < nf; f++) {
                fb.clear();
                fb.put((byte) 3).putInt(mesh.faces[3 * f]).putInt(mesh.faces[3 * f + 1]).putInt(mesh.faces[3 * f + 2]);
                out.write(fb.array(), 0, 13);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** OBJ with the common "v x y z r g b" vertex-colour extension (colours in 0..1). */
    public static void writeObj(Path file, Mesh mesh) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
            w.write("# E2E3D Flow boofcv engine: " + mesh.vertexCount() + " vertices, " + mesh.faceCount() + " faces\n");
            StringBuilder sb = new StringBuilder(64);
            for (int i = 0; i < mesh.vertexCount(); i++) {
                sb.setLength(0);
                sb.append("v ").append(fmt(mesh.vertices[3 * i])).append(' ').append(fmt(mesh.vertices[3 * i + 1]))
                        .append(' ').append(fmt(mesh.vertices[3 * i + 2]));
                if (mesh.colors != null) {
                    for (int c = 0; c < 3; c++) {
                        sb.append(' ').append(String.format(Locale.ROOT, "%.3f", (mesh.colors[3 * i + c] & 0xFF) / 255.0));
                    }
                }
                w.write(sb.append('\n').toString());
            }
            for (int f = 0; f < mesh.faceCount(); f++) {
                w.write("f " + (mesh.faces[3 * f] + 1) + " " + (mesh.faces[3 * f + 1] + 1) + " " + (mesh.faces[3 * f + 2] + 1) + "\n");
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String fmt(float v) {
        return String.format(Locale.ROOT, "%.5f", v);
    }
}
