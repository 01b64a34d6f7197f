package io.e2e3d.engine.colmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.e2e3d.engine.boofcv.SparseModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversion of a hand-made COLMAP TXT model: pose convention, half-pixel shift, tracks, blank observation lines. */
class ColmapTextModelTest {

    @Test
    void convertsPosesIntrinsicsAndPoints(@TempDir Path dir) throws Exception {
        // camera rotated 90 degrees about +y: q = (cos45, 0, sin45, 0)
        double h = Math.sqrt(0.5);
        Files.writeString(dir.resolve("cameras.txt"), "# Camera list\n1 SIMPLE_PINHOLE 320 240 260 160 120\n");
        // a world point X=(1,0,0): R X = (0,0,-1)... use t to move it in front: t=(0,0,3) -> cam (0,0,2)
        Files.writeString(dir.resolve("images.txt"), "# Image list\n"
                + "1 " + h + " 0 " + h + " 0 0 0 3 1 00001.png\n"
                + "10.5 20.5 -1 160.5 120.5 7\n"
                + "2 1 0 0 0 0 0 0 1 00003.png\n"
                + "\n");
        Files.writeString(dir.resolve("points3D.txt"), "# 3D point list\n7 1 0 0 255 128 0 0.1 1 1\n");
        ColmapTextModel m = ColmapTextModel.read(dir);
        assertEquals(2, ColmapTextModel.registeredImages(dir));
        SparseModel s = m.toSparseModel(4, new int[] {320, 320, 320, 320}, new int[] {240, 240, 240, 240},
                ColmapEngine::viewOf);
        assertTrue(s.registered[1] && s.registered[3]);
        assertFalse(s.registered[0] || s.registered[2]);
        assertEquals(260, s.f[1]);
        assertEquals(159.5, s.cx[1]);
        assertEquals(119.5, s.cy[1]);
        assertArrayEquals(new double[] {0, 0, 1, 0, 1, 0, -1, 0, 0}, s.r[1], 1e-12);
        assertArrayEquals(new double[] {0, 0, 3}, s.t[1]);
        double[] c = new double[3];
        s.view(1).toCamera(1, 0, 0, c);
        assertArrayEquals(new double[] {0, 0, 2}, c, 1e-12);
        assertEquals(1, s.pointCount());
        assertArrayEquals(new int[] {1}, s.pointViews[0]);
        assertEquals((byte) 255, s.colors[0]);
        assertEquals((byte) 128, s.colors[1]);
        // the point projects to the principal point: observed at COLMAP (160.5, 120.5) = our (160, 120)
        double[] e = m.reprojectionErrors(s, ColmapEngine::viewOf);
        assertEquals(1, e.length);
        assertEquals(0.5 * Math.sqrt(2), e[0], 1e-9);
    }
}
