package io.e2e3d.engine.synthetic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the binary little-endian PLY files the engine writes (x y z float, rgb uchar, optional int faces). */
public final class PlyReader {
    public final float[] xyz;
    public final byte[] rgb;
    public final int[] faces;

    private PlyReader(float[] xyz, byte[] rgb, int[] faces) {
        this.xyz = xyz;
        this.rgb = rgb;
        this.faces = faces;
    }

    public int vertexCount() {
        return xyz.length / 3;
    }

    public int faceCount() {
        return faces.length / 3;
    }

    public static PlyReader read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int end = indexOf(all, "end_header\n".getBytes(StandardCharsets.US_ASCII));
        if (end < 0) throw new IOException("no PLY header");
        String header = new String(all, 0, end, StandardCharsets.US_ASCII);
        if (!header.contains("format binary_little_endian 1.0")) throw new IOException("not binary little endian");
        int nv = 0, nf = 0;
        for (String line : header.split("\n")) {
            if (line.startsWith("element vertex ")) nv = Integer.parseInt(line.substring(15).trim());
            if (line.startsWith("element face ")) nf = Integer.parseInt(line.substring(13).trim());
        }
        ByteBuffer b = ByteBuffer.wrap(all, end + 11, all.length - end - 11).order(ByteOrder.LITTLE_ENDIAN);
        float[] xyz = new float[3 * nv];
        byte[] rgb = new byte[3 * nv];
        for (int i = 0; i < nv; i++) {
            xyz[3 * i] = b.getFloat();
            xyz[3 * i + 1] = b.getFloat();
            xyz[3 * i + 2] = b.getFloat();
            b.get(rgb, 3 * i, 3);
        }
        int[] faces = new int[3 * nf];
        for (int f = 0; f < nf; f++) {
            int k = b.get() & 0xFF;
            if (k != 3) throw new IOException("non-triangle face");
            faces[3 * f] = b.getInt();
            faces[3 * f + 1] = b.getInt();
            faces[3 * f + 2] = b.getInt();
        }
        if (b.hasRemaining()) throw new IOException(b.remaining() + " trailing bytes");
        return new PlyReader(xyz, rgb, faces);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= Math.min(hay.length, 4096); i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

}
