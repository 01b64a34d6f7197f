package io.e2e3d.engine.geometry;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A triangle mesh: vertex positions, optional vertex colours (RGB bytes) and faces (three vertex indices). */
public final class Mesh {
    public final float[] vertices; // 3 per vertex
    public final int[] faces;      // 3 per face
    public byte[] colors;          // 3 per vertex, or null

    public Mesh(float[] vertices, int[] faces, byte[] colors) {
        this.vertices = vertices;
        this.faces = faces;
        this.colors = colors;
    }

    public int vertexCount() {
        return vertices.length / 3;
    }

    public int faceCount() {
        return faces.length / 3;
    }

    /** Area-weighted vertex normals (unit length, zero for isolated vertices). */
    public float[] vertexNormals() {
        float[] n = new float[vertices.length];
        for (int f = 0; f < faces.length; f += 3) {
            int a = 3 * faces[f], b = 3 * faces[f + 1], c = 3 * faces[f + 2];
            float ux = vertices[b] - vertices[a], uy = vertices[b + 1] - vertices[a + 1], uz = vertices[b + 2] - vertices[a + 2];
            float vx = vertices[c] - vertices[a], vy = vertices[c + 1] - vertices[a + 1], vz = vertices[c + 2] - vertices[a + 2];
            float nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
            for (int k : new int[] {a, b, c}) {
                n[k] += nx;
                n[k + 1] += ny;
                n[k + 2] += nz;
            }
        }
        for (int i = 0; i < n.length; i += 3) {
            float l = (float) Math.sqrt(n[i] * n[i] + n[i + 1] * n[i + 1] + n[i + 2] * n[i + 2]);
            if (l > 0) {
                n[i] /= l;
                n[i + 1] /= l;
                n[i + 2] /= l;
            }
        }
        return n;
    }

    /**
     * Drops connected pieces with fewer than {@code minFaces} faces (floating blobs from depth noise) and the
     * vertices no face uses any more; returns the cleaned mesh (colours are kept).
     */
    public Mesh withoutSmallComponents(int minFaces) {
        int nv = vertexCount(), nf = faceCount();
        int[] parent = DisjointSets.create(nv);
        for (int f = 0; f < nf; f++) {
            DisjointSets.union(parent, faces[3 * f], faces[3 * f + 1]);
            DisjointSets.union(parent, faces[3 * f], faces[3 * f + 2]);
        }
        int[] size = new int[nv];
        for (int f = 0; f < nf; f++) size[DisjointSets.find(parent, faces[3 * f])]++;
        int[] remap = new int[nv];
        java.util.Arrays.fill(remap, -1);
        int keptV = 0, keptF = 0;
        for (int f = 0; f < nf; f++) {
            if (size[DisjointSets.find(parent, faces[3 * f])] < minFaces) continue;
            keptF++;
            for (int k = 0; k < 3; k++) if (remap[faces[3 * f + k]] < 0) remap[faces[3 * f + k]] = keptV++;
        }
        float[] v = new float[3 * keptV];
        byte[] c = colors == null ? null : new byte[3 * keptV];
        for (int i = 0; i < nv; i++) {
            if (remap[i] < 0) continue;
            System.arraycopy(vertices, 3 * i, v, 3 * remap[i], 3);
            if (c != null) System.arraycopy(colors, 3 * i, c, 3 * remap[i], 3);
        }
        int[] fs = new int[3 * keptF];
        int j = 0;
        for (int f = 0; f < nf; f++) {
            if (size[DisjointSets.find(parent, faces[3 * f])] < minFaces) continue;
            for (int k = 0; k < 3; k++) fs[j++] = remap[faces[3 * f + k]];
        }
        return new Mesh(v, fs, c);
    }


    public void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(vertices.length);
            for (float v : vertices) out.writeFloat(v);
            out.writeInt(faces.length);
            for (int f : faces) out.writeInt(f);
            out.writeBoolean(colors != null);
            if (colors != null) out.write(colors);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public static Mesh load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            float[] v = new float[in.readInt()];
            for (int i = 0; i < v.length; i++) v[i] = in.readFloat();
            int[] f = new int[in.readInt()];
            for (int i = 0; i < f.length; i++) f[i] = in.readInt();
            byte[] c = null;
            if (in.readBoolean()) {
                c = new byte[v.length];
                in.readFully(c);
            }
            return new Mesh(v, f, c);
        }
    }
}
