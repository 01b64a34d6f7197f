package io.e2e3d.engine.boofcv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

    private static BufferedImage randomImage(int type, int w, int h) {
        Random r = new Random(6);
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, r.nextInt(1 << 24));
        return img;
    }

    /** The colour planes read through getRGB, box-averaged over k x k pixels. */
    private static void assertMatchesGetRgb(BufferedImage img, Images im, int k) {
        assertEquals(img.getWidth() / k, im.width);
        assertEquals(img.getHeight() / k, im.height);
        for (int y = 0; y < im.height; y++) {
            for (int x = 0; x < im.width; x++) {
                float r = 0, g = 0, b = 0;
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        int p = img.getRGB(x * k + dx, y * k + dy);
                        r += (p >> 16) & 0xFF;
                        g += (p >> 8) & 0xFF;
                        b += p & 0xFF;
                    }
                }
                int i = y * im.width + x;
                float n = k * k;
                assertEquals(r / n, im.r[i], 1e-4f);
                assertEquals(g / n, im.g[i], 1e-4f);
                assertEquals(b / n, im.b[i], 1e-4f);
                assertEquals(0.299f * r / n + 0.587f * g / n + 0.114f * b / n, im.gray[i], 1e-3f);
            }
        }
    }

    @Test
    void rgbAndPalettePngsGiveTheColoursOfGetRgb(@TempDir Path dir) throws Exception {
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_INDEXED}) {
            BufferedImage img = randomImage(type, 13, 9);
            Path file = dir.resolve("image-" + type + ".png");
            ImageIO.write(img, "png", file.toFile());
            BufferedImage back = ImageIO.read(file.toFile());
            for (int k : new int[] {1, 2, 3}) assertMatchesGetRgb(back, Images.load(file, k), k);
        }
    }
}
