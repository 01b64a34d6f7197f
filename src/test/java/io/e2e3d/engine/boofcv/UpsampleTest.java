package io.e2e3d.engine.boofcv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import boofcv.struct.image.GrayF32;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UpsampleTest {

    /** Bilinear sample of the source at the position of an output pixel's centre, computed per pixel. */
    private static float expected(GrayF32 in, int x, int y) {
        int w = in.width, h = in.height;
        double sx = Math.max(0, Math.min(w - 1, (x + 0.5) / 2 - 0.5));
        double sy = Math.max(0, Math.min(h - 1, (y + 0.5) / 2 - 0.5));
        int x0 = Math.min((int) sx, w - 2), y0 = Math.min((int) sy, h - 2);
        float ax = (float) (sx - x0), ay = (float) (sy - y0);
        float a = in.get(x0, y0), b = in.get(x0 + 1, y0), c = in.get(x0, y0 + 1), d = in.get(x0 + 1, y0 + 1);
        float top = a + ax * (b - a), bot = c + ax * (d - c);
        return top + ay * (bot - top);
    }

    @Test
    void everyPixelIsTheBilinearSampleAtItsCentre() {
        Random r = new Random(8);
        GrayF32 in = new GrayF32(9, 6);
        for (int i = 0; i < in.data.length; i++) in.data[i] = 255 * r.nextFloat();
        GrayF32 out = BoofcvEngine.upsample2(in);
        assertEquals(18, out.width);
        assertEquals(12, out.height);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 18; x++) assertEquals(expected(in, x, y), out.get(x, y), 1e-4f, x + "," + y);
        }
    }
}
