package io.e2e3d.engine.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IsoSurfaceTest {

    private static Mesh sphere(int n, double r, double[] c, double spacing, double[] origin) {
        return IsoSurface.extract(new IsoSurface.Field() {
            @Override
            public float value(int x, int y, int z) {
                double px = origin[0] + x * spacing - c[0], py = origin[1] + y * spacing - c[1], pz = origin[2] + z * spacing - c[2];
                return (float) (Math.sqrt(px * px + py * py + pz * pz) - r);
            }

            @Override
            public boolean valid(int x, int y, int z) {
                return true;
            }
        }, n, n, n, origin, spacing, 0f);
    }

    @Test
    void sphereSdfGivesAClosedSurfaceOnTheSphere() {
        double r = 0.8, spacing = 0.05;
        double[] c = {0.03, -0.02, 0.01}, origin = {-1.1, -1.1, -1.1};
        Mesh m = sphere(45, r, c, spacing, origin);
        assertTrue(m.faceCount() > 2000, "faces " + m.faceCount());
        // vertices on the sphere (linear interpolation of an exact SDF: error well below a voxel)
        double maxErr = 0;
        for (int i = 0; i < m.vertexCount(); i++) {
            double dx = m.vertices[3 * i] - c[0], dy = m.vertices[3 * i + 1] - c[1], dz = m.vertices[3 * i + 2] - c[2];
            maxErr = Math.max(maxErr, Math.abs(Math.sqrt(dx * dx + dy * dy + dz * dz) - r));
        }
        assertTrue(maxErr < 0.1 * spacing, "max vertex error " + maxErr);
        // watertight and consistently oriented: every directed edge appears once, its reverse once
        Map<Long, Integer> directed = new HashMap<>();
        for (int f = 0; f < m.faceCount(); f++) {
            for (int k = 0; k < 3; k++) {
                long a = m.faces[3 * f + k], b = m.faces[3 * f + (k + 1) % 3];
                directed.merge(a << 32 | b, 1, Integer::sum);
            }
        }
        for (Map.Entry<Long, Integer> e : directed.entrySet()) {
            assertEquals(1, e.getValue(), "directed edge used twice");
            long a = e.getKey() >>> 32, b = e.getKey() & 0xFFFFFFFFL;
            assertTrue(directed.containsKey(b << 32 | a), "open edge");
        }
        // Euler characteristic of a sphere
        int edges = directed.size() / 2;
        assertEquals(2, m.vertexCount() - edges + m.faceCount());
        // outward normals and the enclosed volume (divergence theorem)
        double vol = 0, area = 0;
        for (int f = 0; f < m.faceCount(); f++) {
            int a = 3 * m.faces[3 * f], b = 3 * m.faces[3 * f + 1], cc = 3 * m.faces[3 * f + 2];
            double[] p = {m.vertices[a] - c[0], m.vertices[a + 1] - c[1], m.vertices[a + 2] - c[2]};
            double[] q = {m.vertices[b] - c[0], m.vertices[b + 1] - c[1], m.vertices[b + 2] - c[2]};
            double[] s = {m.vertices[cc] - c[0], m.vertices[cc + 1] - c[1], m.vertices[cc + 2] - c[2]};
            vol += (p[0] * (q[1] * s[2] - q[2] * s[1]) - p[1] * (q[0] * s[2] - q[2] * s[0]) + p[2] * (q[0] * s[1] - q[1] * s[0])) / 6;
            double ux = q[0] - p[0], uy = q[1] - p[1], uz = q[2] - p[2], vx = s[0] - p[0], vy = s[1] - p[1], vz = s[2] - p[2];
            area += 0.5 * Math.sqrt(Math.pow(uy * vz - uz * vy, 2) + Math.pow(uz * vx - ux * vz, 2) + Math.pow(ux * vy - uy * vx, 2));
        }
        assertEquals(4.0 / 3 * Math.PI * r * r * r, vol, 0.02 * vol, "volume");
        assertEquals(4 * Math.PI * r * r, area, 0.03 * area, "area");
    }

    @Test
    void smallComponentsAreDropped() {
        Mesh big = sphere(30, 0.8, new double[] {0, 0, 0}, 0.07, new double[] {-1.05, -1.05, -1.05});
        Mesh small = sphere(8, 0.15, new double[] {0, 0, 0}, 0.07, new double[] {-0.25, -0.25, -0.25});
        // two separate pieces in one mesh
        float[] v = new float[big.vertices.length + small.vertices.length];
        System.arraycopy(big.vertices, 0, v, 0, big.vertices.length);
        for (int i = 0; i < small.vertices.length; i++) v[big.vertices.length + i] = small.vertices[i] + (i % 3 == 0 ? 3 : 0);
        int[] f = new int[big.faces.length + small.faces.length];
        System.arraycopy(big.faces, 0, f, 0, big.faces.length);
        for (int i = 0; i < small.faces.length; i++) f[big.faces.length + i] = small.faces[i] + big.vertexCount();
        Mesh both = new Mesh(v, f, null);
        assertTrue(small.faceCount() > 10 && small.faceCount() < 500, "small piece " + small.faceCount());
        Mesh cleaned = both.withoutSmallComponents(500);
        assertEquals(big.faceCount(), cleaned.faceCount());
        assertEquals(big.vertexCount(), cleaned.vertexCount());
        for (int i = 0; i < cleaned.vertexCount(); i++) assertTrue(cleaned.vertices[3 * i] < 1.5f);
    }

    @Test
    void invalidSamplesLeaveHoles() {
        double[] origin = {-1, -1, -1};
        Mesh m = IsoSurface.extract(new IsoSurface.Field() {
            @Override
            public float value(int x, int y, int z) {
                return z - 10.5f; // plane z = 10.5
            }

            @Override
            public boolean valid(int x, int y, int z) {
                return x < 10;
            }
        }, 21, 21, 21, origin, 0.1, 0f);
        for (int i = 0; i < m.vertexCount(); i++) {
            assertTrue(m.vertices[3 * i] <= origin[0] + 0.1 * 10 + 1e-6);
            assertEquals(origin[2] + 1.05, m.vertices[3 * i + 2], 1e-5);
        }
        assertTrue(m.faceCount() > 0);
    }

    @Test
    void tsdfOfAPlaneSeenFromAboveIsThatPlane() {
        // a camera 2 units above the plane z = 0, looking down
        double[] r = {1, 0, 0, 0, -1, 0, 0, 0, -1};
        double[] t = {0, 0, 2};
        PinholeView view = new PinholeView(64, 48, 50, 32, 24, r, t);
        float[] depth = new float[64 * 48];
        java.util.Arrays.fill(depth, 2f);
        TsdfVolume v = new TsdfVolume(new double[] {-0.5, -0.4, -0.3}, new double[] {0.5, 0.4, 0.3}, 0.02, 0.08);
        v.integrate(depth, view);
        v.integrate(depth, view);
        Mesh m = v.extractMesh(2f);
        assertTrue(m.faceCount() > 100);
        for (int i = 0; i < m.vertexCount(); i++) assertEquals(0.0, m.vertices[3 * i + 2], 1e-3);
    }
}
