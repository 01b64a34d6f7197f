package io.e2e3d.engine.boofcv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowedNccTest {

    /** The correlation of one window, computed directly; -1 as documented. */
    private static float direct(float[] ref, float[] other, boolean[] valid, int w, int h, int r, float minStd, int x, int y) {
        if (x < r || y < r || x >= w - r || y >= h - r) return -1;
        double si = 0, sii = 0, so = 0, soo = 0, sio = 0;
        int area = (2 * r + 1) * (2 * r + 1);
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int i = (y + dy) * w + x + dx;
                if (!valid[i]) return -1;
                si += ref[i];
                sii += ref[i] * ref[i];
                so += other[i];
                soo += other[i] * other[i];
                sio += ref[i] * other[i];
            }
        }
        double mi = si / area, mo = so / area;
        double vi = sii / area - mi * mi, vo = soo / area - mo * mo;
        if (Math.sqrt(Math.max(0, vi)) < minStd || vo < 0.25 * minStd * minStd) return -1;
        return (float) ((sio / area - mi * mo) / (Math.sqrt(vi) * Math.sqrt(vo)));
    }

    @Test
    void matchesTheDirectComputationEverywhere() {
        Random r = new Random(2);
        int w = 37, h = 23, radius = 3;
        float[] ref = new float[w * h], other = new float[w * h];
        boolean[] valid = new boolean[w * h];
        for (int i = 0; i < w * h; i++) {
            ref[i] = 255 * r.nextFloat();
            other[i] = i % 5 == 0 ? 0.5f * ref[i] + 20 : 255 * r.nextFloat();
            valid[i] = r.nextInt(40) != 0;
        }
        // a flat patch in the reference and one in the other image
        for (int y = 2; y < 10; y++) for (int x = 2; x < 12; x++) ref[y * w + x] = 100;
        for (int y = 12; y < 20; y++) for (int x = 20; x < 30; x++) other[y * w + x] = 50;
        WindowedNcc ncc = new WindowedNcc(ref, w, h, radius, 2f);
        float[] out = new float[w * h];
        ncc.compute((y, values, ok) -> {
            for (int x = 0; x < w; x++) {
                values[x] = valid[y * w + x] ? other[y * w + x] : 0;
                ok[x] = valid[y * w + x] ? 1 : 0;
            }
        }, out);
        int correlated = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float expected = direct(ref, other, valid, w, h, radius, 2f, x, y);
                assertEquals(expected, out[y * w + x], 1e-4f, "pixel " + x + "," + y);
                if (expected > -1) correlated++;
            }
        }
        assertEquals(true, correlated > 50, "windows with a correlation: " + correlated);
    }

    @Test
    void identicalImagesCorrelatePerfectly() {
        Random r = new Random(4);
        int w = 20, h = 15;
        float[] img = new float[w * h];
        for (int i = 0; i < img.length; i++) img[i] = 255 * r.nextFloat();
        WindowedNcc ncc = new WindowedNcc(img, w, h, 2, 1f);
        float[] out = new float[w * h];
        ncc.compute((y, values, ok) -> {
            System.arraycopy(img, y * w, values, 0, w);
            java.util.Arrays.fill(ok, 1f);
        }, out);
        assertEquals(1f, out[7 * w + 9], 1e-5f);
        assertEquals(-1f, out[0], 0f);
    }
}
