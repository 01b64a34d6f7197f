package io.e2e3d.engine.boofcv;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A decoded RGB image as float planes, optionally downscaled by an integer factor (box filter). */
final class Images {
    final int width, height;
    final float[] r, g, b, gray;

    private Images(int w, int h) {
        width = w;
        height = h;
        r = new float[w * h];
        g = new float[w * h];
        b = new float[w * h];
        gray = new float[w * h];
    }

    static BufferedImage read(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) throw new IOException("not a readable image: " + file.getFileName());
        return img;
    }

    static Images load(Path file, int k) throws IOException {
        BufferedImage img = read(file);
        int w = img.getWidth() / k, h = img.getHeight() / k;
        Images out = new Images(w, h);
        int[] row = new int[img.getWidth() * k];
        float norm = 1f / (k * k);
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y * k, img.getWidth(), k, row, 0, img.getWidth());
            for (int x = 0; x < w; x++) {
                float sr = 0, sg = 0, sb = 0;
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        int p = row[dy * img.getWidth() + x * k + dx];
                        sr += (p >> 16) & 0xFF;
                        sg += (p >> 8) & 0xFF;
                        sb += p & 0xFF;
                    }
                }
                int i = y * w + x;
                out.r[i] = sr * norm;
                out.g[i] = sg * norm;
                out.b[i] = sb * norm;
                out.gray[i] = 0.299f * out.r[i] + 0.587f * out.g[i] + 0.114f * out.b[i];
            }
        }
        return out;
    }

    /** Bilinear colour sample; returns false outside the image. */
    boolean sample(double u, double v, float[] rgb) {
        if (u < 0 || v < 0 || u > width - 1 || v > height - 1) return false;
        int x0 = Math.min((int) u, width - 2), y0 = Math.min((int) v, height - 2);
        float ax = (float) (u - x0), ay = (float) (v - y0);
        int i = y0 * width + x0;
        rgb[0] = lerp(r, i, ax, ay);
        rgb[1] = lerp(g, i, ax, ay);
        rgb[2] = lerp(b, i, ax, ay);
        return true;
    }

    private float lerp(float[] c, int i, float ax, float ay) {
        float top = c[i] + ax * (c[i + 1] - c[i]);
        float bot = c[i + width] + ax * (c[i + width + 1] - c[i + width]);
        return top + ay * (bot - top);
    }
}
