package io.e2e3d.engine.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticSceneTest {

    @Test
    void rendersDeterministicTexturedViews(@TempDir Path dir) throws Exception {
        List<SyntheticScene.Camera> cams = SyntheticScene.orbit(2, 15, 4.2, 2.6, 160, 120, 130);
        List<Path> files = new SyntheticScene(42).renderAll(cams, dir);
        BufferedImage a = ImageIO.read(files.get(0).toFile());
        assertEquals(160, a.getWidth());
        assertEquals(120, a.getHeight());
        BufferedImage again = new SyntheticScene(42).render(cams.get(0));
        assertArrayEquals(a.getRGB(0, 0, 160, 120, null, 0, 160), again.getRGB(0, 0, 160, 120, null, 0, 160));
        // rich texture: many distinct grey levels and strong local contrast in the lower half (the scene)
        int[] hist = new int[256];
        double grad = 0;
        for (int y = 60; y < 119; y++) {
            for (int x = 0; x < 159; x++) {
                int g = gray(a.getRGB(x, y));
                hist[g]++;
                grad += Math.abs(g - gray(a.getRGB(x + 1, y))) + Math.abs(g - gray(a.getRGB(x, y + 1)));
            }
        }
        int levels = 0;
        for (int h : hist) if (h > 0) levels++;
        assertTrue(levels > 150, "grey levels " + levels);
        assertTrue(grad / (59 * 159) > 10, "mean gradient " + grad / (59 * 159));
    }

    @Test
    void camerasLookAtTheSceneAndProjectConsistently() {
        List<SyntheticScene.Camera> cams = SyntheticScene.orbit(24, 15, 4.2, 2.6, 320, 240, 260);
        for (SyntheticScene.Camera c : cams) {
            double[] centre = c.centre();
            assertEquals(2.6, centre[2], 1e-9);
            assertEquals(4.2, Math.hypot(centre[0], centre[1]), 1e-9);
            double[] uv = c.project(new double[] {0, 0, 0.4});
            assertEquals(160, uv[0], 1e-6);
            assertEquals(120, uv[1], 1e-6);
            // the sphere is in front of every camera and inside the image
            double[] s = c.project(SyntheticScene.SPHERE_C);
            assertTrue(s[2] > 0 && s[0] > 0 && s[0] < 320 && s[1] > 0 && s[1] < 240);
        }
    }

    @Test
    void surfaceSamplesLieOnTheSurface() {
        for (double[] p : SyntheticScene.sampleSurface(500, 500, 2.5, 1)) {
            assertEquals(0, SyntheticScene.distanceToSurface(p), 1e-9);
        }
        assertEquals(0.1, SyntheticScene.distanceToSurface(new double[] {2, 2, 0.1}), 1e-9);
        assertEquals(0.05, SyntheticScene.distanceToSurface(new double[] {
            SyntheticScene.SPHERE_C[0], SyntheticScene.SPHERE_C[1], SyntheticScene.SPHERE_C[2] + 0.5}), 1e-9);
    }

    @Test
    void umeyamaRecoversASimilarity() {
        List<double[]> from = new ArrayList<>(), to = new ArrayList<>();
        double s = 2.5, a = Math.toRadians(30);
        double[] r = {Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1};
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 10; i++) {
            double[] x = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            from.add(x);
            to.add(new double[] {
                s * (r[0] * x[0] + r[1] * x[1]) + 1, s * (r[3] * x[0] + r[4] * x[1]) - 2, s * x[2] + 0.5});
        }
        Similarity sim = Similarity.umeyama(from, to);
        assertEquals(s, sim.scale, 1e-9);
        for (int i = 0; i < 10; i++) assertArrayEquals(to.get(i), sim.apply(from.get(i)), 1e-9);
    }

    private static int gray(int rgb) {
        return (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3;
    }
}
