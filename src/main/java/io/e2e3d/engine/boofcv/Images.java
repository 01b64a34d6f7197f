package io.e2e3d.engine.boofcv;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
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
        int w = img.getWidth(), h = img.getHeight();
        Images out = new Images(w, h);
        int type = img.getType();
        if (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR
                || type == BufferedImage.TYPE_INT_RGB) {
            // samples straight from the raster, red, green, blue (and alpha) per pixel: getRGB converts each
            // pixel through the colour model and took longer than decoding the PNG
            Raster raster = img.getRaster();
            int bands = raster.getNumBands();
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0, i = y * w; x < w; x++, i++) {
                    out.r[i] = row[x * bands];
                    out.g[i] = row[x * bands + 1];
                    out.b[i] = row[x * bands + 2];
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0, i = y * w; x < w; x++, i++) {
                    out.r[i] = (row[x] >> 16) & 0xFF;
                    out.g[i] = (row[x] >> 8) & 0xFF;
                    out.b[i] = row[x] & 0xFF;
                }
            }
        }
        for (int i = 0; i < w * h; i++) out.gray[i] = 0.299f * out.r[i] + 0.587f * out.g[i] + 0.114f * out.b[i];
        return k == 1 ? out : out.downscaled(k);
    }

    /** Box average over k x k pixels (the last partial row and column dropped). */
    Images downscaled(int k) {
        if (k == 1) return this;
        int w = width / k, h = height / k;
        Images out = new Images(w, h);
        float norm = 1f / (k * k);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sr = 0, sg = 0, sb = 0;
                for (int dy = 0; dy < k; dy++) {
                    int p = (y * k + dy) * width + x * k;
                    for (int dx = 0; dx < k; dx++) {
                        sr += r[p + dx];
                        sg += g[p + dx];
                        sb += b[p + dx];
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
